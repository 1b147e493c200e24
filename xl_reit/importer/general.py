"""The general reader: a class's text as one stream of cells, its columns told by evidence.

However a release separates its cells — tabs, pipes, runs of spaces, single
spaces, one cell per line, blank or ``|`` lines between cells, ``$`` in a cell
of its own — its tokens (:mod:`.lines`) are read here as one stream of dates,
figures and words, line breaks ignored:

* a *payment row* runs from one payment's dates to the next payment's dates;
* a *table* is consecutive rows with the same count of dates and figures (a row
  printed with its dates and no figure belongs to it: a payment none of which is
  this release's); figures after the last row under a "Total" label, or as many
  as a row's with no label at all, are its *annual line*;
* its *header* is the words before its first row; a *box row* ("Form 1099-DIV
  Box: 1a 1b 2a 2b 3 5", above, inside or below the table) names boxes.

Each figure column's kind comes from all the evidence together, proven by the
arithmetic on every row: the header's phrases, matched as phrases even where
their words are spread over lines or interleaved with other columns' words,
give the parts in the order printed; the box row gives the kinds of as many
columns as it names, at some offset; the columns neither names are amounts —
the dividend is the one the parts add up to (1a + 2a + 3), a larger one is the
whole payment (the cash distribution, part of it another year's), a negative
one the adjustment between them; the annual line's whole payment and adjustment
are the payments' sums. A header of stacked rows of cells (one cell a line, a
row ended by a line of none) is aligned to the columns by count, from the
right, and each column's words name its part, where the order of the words in
the stream does not. A column the header names for the tax year's taxable
amount ("2010 Taxable Ordinary Dividend") beside a cash column is the year's
part of the payment, all of it the one box it names: the boxes it does not
print are not printed. A loose "Ordinary" or "Capital Gain" column
is box 1a or 2a, or the part beside "Qualified" or "Unrecaptured 1250" (the
disjoint parts), as the arithmetic says. Every assignment the evidence allows
is tried (offsets of the box row, places of the amount columns, each loose
column either way); the one whose figures check on every row and annual line
(:func:`xl_reit.figures.resolve`) is written. Where several check and give
different tables, the class is refused naming the columns in doubt; where none
does, the class is refused naming the figures of its first row that does not
add up.

It is tried when the layout readers (:mod:`.layouts`) write nothing; the
classes it reads go through the same reconciliation (:mod:`.rows`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import TypeVar

from ..components import COMPONENTS, SPLITS, TOP, boxes_for_year
from ..errors import shown
from ..figures import half_unit, printed_parts, resolve, within
from ..model import Printed
from .classes import ClassRead
from .lines import Line, Token
from .model import Cell, NoteRank, Row, column_label, payment_name
from .report import MAX_EVIDENCE, Finding, Findings, some
from .sections import Section

#: The problem of a class under whose heading no payment's dates have figures beside them.
NO_ROWS = "no payment row (a payment's dates with figures beside them) under the heading"
#: How the problem of payments printed with no record date opens: the reason they
#: cannot be written, whichever reader says more otherwise.
ONE_DATE = "payments printed without a payable date"
#: How the problem of a row whose printed figures disagree opens: where a release has
#: one, it is the reason it cannot be written, whichever reader says more otherwise.
DISAGREES = "the release's own figures disagree: "
#: Header phrases of the parts, most specific first; words may stand apart.
_PART_PHRASES: tuple[tuple[str, str], ...] = (
    ("section_1061_one_year", "1061 one year"),
    ("section_1061_three_year", "1061 three year"),
    ("section_1061_one_year", "one year amounts"),
    ("section_1061_three_year", "three year amounts"),
    ("section_897_capital_gain", "897 capital gain"),
    ("section_897_ordinary", "897 ordinary"),
    ("section_897_capital_gain", "897 h gain"),
    ("section_897_ordinary", "897 dividends"),
    ("unrecaptured_1250", "unrecaptured 1250"),
    ("unrecaptured_1250", "unrecap 1250"),
    ("unrecaptured_1250", "1250"),
    ("section_1202", "1202"),
    ("collectibles", "28 rate"),
    ("collectibles", "collectibles"),
    ("section_199a", "199a"),
    ("return_of_capital", "return of capital"),
    ("return_of_capital", "nondividend"),
    ("return_of_capital", "non dividend"),
    ("return_of_capital", "nontaxable"),
    ("return_of_capital", "non taxable"),
    ("ordinary", "non qualifying ord"),
    ("ordinary", "nonqualified"),
    ("ordinary", "non qualified"),
    ("qualified", "qualified"),
    ("total_capital_gain", "total capital gain"),
    ("total_ordinary", "total ordinary"),
    ("capital_gain", "capital gain"),
    ("ordinary", "ordinary"),
    ("ordinary", "ord income"),
)
#: Header phrases of the amount columns (the dividend, the whole payment, an adjustment).
_AMOUNT_PHRASES: tuple[tuple[str, str], ...] = tuple(
    ("amount", phrase)
    for phrase in (
        "total distribution",
        "total dividend",
        "cash distribution",
        "cash dividend",
        "distribution per share",
        "distributions per share",
        "dividend per share",
        "dividends per share",
        "adjustment",
        "amount",
        "allocable",
    )
)
_DATE_PHRASES: tuple[tuple[str, str], ...] = (
    ("ex_date", "ex dividend"),
    ("ex_date", "ex date"),
    ("declaration_date", "declaration"),
    ("declaration_date", "declared"),
    ("record_date", "record"),
    ("payable_date", "payable"),
    ("payable_date", "payment"),
    ("payable_date", "paid"),
    ("payable_date", "pay date"),
)
#: Tokens on a line of prose, at least: the header before the first class follows the last.
_PROSE = 24
#: Tokens of a header, at most: the words nearest the first row (a header is short; the
#: phrases are matched in time that grows with its square).
_HEADER_TOKENS = 160
#: Figure columns, at most, of a table: releases print a dozen or so.
_MOST_COLUMNS = 24
#: Figure columns, at most, whose every order is tried when the header tells none.
_MOST_ORDERED = 7
#: How far a phrase's next word may stand from its last, in words (three between).
_SPREAD = 4
_YEAR = re.compile(r"(?:19|20)\d{2}")
_BOX = re.compile(r"\(?(1a|1b|2a|2b|2c|2d|2e|2f|3|5)\)?", re.IGNORECASE)
#: A loose column ("ordinary"), its box, and the part the box holds beside it.
_LOOSE = {loose: (total, inside) for total, (loose, inside) in SPLITS.items()}
#: A column that is the tax year's part of the payment and one box of it, all of that part
#: ("2010 Taxable Ordinary Dividend" beside "Cash Dividend"): its kind is this and the box's.
_BOTH = "dividend+"
#: Words that name the tax year's taxable amount, ``YEAR`` standing for the tax year.
_YEAR_PHRASES = ("YEAR taxable", "taxable in YEAR", "taxable YEAR")


@dataclass
class _Payment:
    dates: list[Token]
    figures: list[Token]
    tail: list[Token] = field(default_factory=list)  # words that ended the row
    leading: int = 0  # figures printed before its dates on their line, taken as its own


@dataclass
class _Table:
    header: list[Token]
    rows: list[_Payment]
    annual: list[Token] | None = None
    boxes: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max(len(row.figures) for row in self.rows)

    @cached_property
    def alike(self) -> list[_Alike]:
        """The rows with figures, those that print the same figures together, in the order
        the first of each is printed; read once the table is whole (it never changes then)."""
        width = self.width
        full = [r for r in self.rows if len(r.figures) == width]
        groups: dict[tuple[object, ...], _Alike] = {}
        for at, row in enumerate(self.rows):
            if not row.figures:
                continue
            short = _short_of_nils(row, width, full)
            key = (short, *((t.text, t.amount, t.unit) for t in row.figures))
            group = groups.get(key)
            if group is None:
                groups[key] = _Alike(row, [(at, row)], short)
            else:
                group.every.append((at, row))
        return list(groups.values())


@dataclass
class _Alike:
    """Rows that print the same figures: every check of a reading says the same of each."""

    row: _Payment  # the first printed
    every: list[tuple[int, _Payment]]  # each, with its place among the table's rows
    short: bool  # short of the table's width by cells that are nil on the full rows


@dataclass
class _Failed:
    """The rows a reading does not add up on, and why, by rows alike (:attr:`_Table.alike`):
    a table of many rows alike is checked once per reading, not once per row."""

    groups: list[tuple[_Alike, str]] = field(default_factory=list)
    count: int = 0  # rows, each of those alike counted

    def rows(self) -> list[tuple[_Payment, str]]:
        """Each row and why, in the order they are printed."""
        each = [(at, row, why) for group, why in self.groups for at, row in group.every]
        return [(row, why) for _, row, why in sorted(each, key=lambda item: item[0])]


_JOINED_WORDS = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z])")


def _words(token: Token) -> list[str]:
    """A header token's words, a footnote digit glued to a word dropped ("Capital1"), "gains"
    read as "gain" (the phrases are singular)."""
    text = _JOINED_WORDS.sub(" ", token.text)  # "DateRecord": two header cells run together
    words = re.findall(r"[a-z0-9]+", text.lower().replace("-", " "))
    words = [re.sub(r"(?<=[a-z]{3})\d$", "", word) for word in words]
    return ["gain" if word == "gains" else word for word in words]


def _header_words(header: Sequence[Token]) -> list[str]:
    """The header's words, without its notes on other columns ("(Included in Total …)"),
    and with a cell cut short completed (:func:`_completed`); once per header as printed."""
    words: list[str] = _once(_WORDS, _printed_as(header), lambda: _read_header_words(header))
    return list(words)


def _printed_as(header: Sequence[Token]) -> tuple[tuple[str, int, int], ...]:
    """What a header is as printed: its words, and its cells on each of its lines (counted
    from its first): a release of many classes prints one header over and over."""
    first = header[0].line if header else 0
    return tuple((token.text, token.line - first, token.cell) for token in header)


#: Headers read (:func:`_header_words`, :func:`_header_kinds`, :func:`_year_part`,
#: :func:`_stacked_layouts`, :func:`_allocable_after`), each at most ``_HEADERS_KEPT``.
_WORDS: dict[object, list[str]] = {}
_HEADERS: dict[object, tuple[list[str], list[str], list[str]]] = {}
_YEAR_PARTS: dict[object, str | None] = {}
_STACKED: dict[object, tuple[tuple[str, ...], ...]] = {}
_ALLOCABLE: dict[object, int | None] = {}
_HEADERS_KEPT = 512

_Read = TypeVar("_Read")


def _once(kept: dict[object, _Read], key: object, read: Callable[[], _Read]) -> _Read:
    """What ``read`` gives for ``key``, read on first sight; past ``_HEADERS_KEPT`` keys,
    the kept ones are let go (a hostile text of endless different headers stays bounded)."""
    if key not in kept:
        if len(kept) >= _HEADERS_KEPT:
            kept.clear()
        kept[key] = read()
    return kept[key]


def _read_header_words(header: Sequence[Token]) -> list[str]:
    words: list[str] = []
    aside = False
    cells = _cells_a_line(header)
    cell: list[str] = []
    for at, token in enumerate(header):
        text = token.text.lower()
        if text.startswith("(") and text[1:].startswith(("included", "includes", "incl")):
            aside = True
        if not aside:
            cell += _words(token)
        if aside and ")" in text:
            aside = False
        following = header[at + 1] if at + 1 < len(header) else None
        if following is None or (following.line, following.cell) != (token.line, token.cell):
            words += _completed(cell) if cells.get(token.line, 0) >= _CELLS_A_ROW else cell
            cell = []
    return words


#: Cells on one line that make it a row of header cells (tabs or "|" between them).
_CELLS_A_ROW = 3


def _cells_a_line(header: Sequence[Token]) -> dict[int, int]:
    """How many cells each line of the header prints."""
    count: dict[int, set[int]] = {}
    for token in header:
        count.setdefault(token.line, set()).add(token.cell)
    return {line: len(cells) for line, cells in count.items()}


def _completed(cell: list[str]) -> list[str]:
    """A header cell cut short, completed: its words the start of one part's phrase and of
    no other ("Return of" for "Return of Capital", "Unrecaptured" for "Unrecaptured 1250": a
    reprint that kept each cell's first line). Else the cell as printed."""
    return list(_completed_words(tuple(cell)))


@lru_cache(maxsize=4096)
def _completed_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`_completed`, once per cell's words: a release repeats its header per class."""
    cell = list(words)
    if not cell or _phrase_matches(cell, _PART_PHRASES, set(), _SPREAD):
        return words
    starts = {
        phrase
        for _, phrase in _PART_PHRASES
        if len(phrase.split()) > len(cell) and phrase.split()[: len(cell)] == cell
    }
    if len(starts) != 1:
        return words
    (phrase,) = starts
    if len(cell) == 1 and any(
        cell[0] in other.split() for _, other in _PART_PHRASES if other != phrase
    ):
        return words  # one word that other phrases hold too ("Capital") tells nothing
    return tuple(phrase.split())


def _is_figure(token: Token) -> bool:
    return token.family == "figure" or (token.family == "dash" and len(token.text) == 1)


def _stream(lines: Iterable[Line]) -> Iterator[Token]:
    """Every token of the lines in order, without rules and lone ``$`` or ``|`` cells."""
    for line in lines:
        if line.role == "rule":
            continue
        for token in line.tokens:
            text = token.text
            if text in ("$", "|") or (len(text) > 1 and not text.strip("|-=_")):
                continue
            yield token


def _tables(tokens: Sequence[Token]) -> list[_Table]:
    """The stream cut into payment rows, the rows into tables, each with its header."""
    tables: list[_Table] = []
    header: list[Token] = []
    current: _Table | None = None
    before: list[Token] = []  # figures before any row: the first row's, if on its line
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.family != "date":
            if current is None and _is_figure(token):
                if before and before[-1].line != token.line:
                    before = []
                before.append(_zero(token))
            elif current is not None and current.rows and _is_figure(token):
                current.rows[-1].figures.append(_zero(token))
            elif (
                current is not None
                and token.family == "label"
                and current.rows
                and (annual := _annual_figures(tokens, index + 1))[0]
            ):
                current.annual, index = annual
                tables.append(current)
                current = None
                header = []
                continue
            elif token.family in ("word", "label"):
                if current is not None and current.rows:
                    last = current.rows[-1]
                    last.tail.append(token)
                    if len(last.tail) > 3:
                        # the words are prose: a number opening their line ("1. Ordinary
                        # dividends …", a footnote's) is theirs, not the row's
                        # (not the row's own, on its dates' line: "… $0.10 special dividend")
                        prose = last.tail[0].line
                        while (
                            last.figures
                            and last.figures[-1].line == prose
                            and last.dates[-1].line != prose
                        ):
                            last.figures.pop()
                        tables.append(current)
                        current = None
                        header = []
                header.append(token)
            index += 1
            continue
        dates = []
        while index < len(tokens) and tokens[index].family == "date":
            dates.append(tokens[index])
            index += 1
        # figures printed on a row's line before its dates are its own ("$0.29 11/10/22 …")
        if (
            current is not None
            and current.rows
            and current.rows[-1].dates[-1].line != dates[0].line
        ):
            previous = current.rows[-1].figures
            leading = 0
            while leading < len(previous) and previous[-1 - leading].line == dates[0].line:
                leading += 1
            ahead = previous[len(previous) - leading :]
            del previous[len(previous) - leading :]
        elif current is None:
            ahead = [t for t in before if t.line == dates[0].line]
        else:
            ahead = []  # (a row's figures after its dates, the next row's on its line)
        before = []
        if current is None:
            current = _Table(header[-_HEADER_TOKENS:], [])
            header = []
        elif current.rows and len(current.rows[-1].dates) != len(dates):
            tables.append(current)
            current = _Table([], [])
        current.rows.append(_Payment(dates, ahead, leading=len(ahead)))
    if current is not None:
        tables.append(current)
    return [_settled(table) for table in tables if table.rows]


def _unread_parts(
    table: _Table, tables: Sequence[_Table], found: ClassRead, findings: Findings
) -> bool:
    """Whether another table of the class prints what the one read does not: parts it
    has no column for ("Capital Gain" under a table of "Ordinary Dividends" and "Return of
    Capital"), or payments it has no row for. Those figures would go unread, so the class
    is a problem. A table of the same parts and payments again (in percentages, say) adds
    nothing."""
    read = set(_header_kinds(table.header)[0])
    paid = {_dates_of(row) for row in table.rows}
    for other in tables:
        if other is table or not other.width:
            continue
        extra = [column_label(kind) for kind in _header_kinds(other.header)[0] if kind not in read]
        unpaid = [row.dates[-1].text for row in other.rows if _dates_of(row) not in paid]
        if not extra and not unpaid:
            continue
        what = (
            f"prints {', '.join(extra)}"
            if extra
            else f"prints the payments of {some(unpaid, shown)}"
        )
        where = sorted({t.line for row in other.rows for t in (*row.dates, *row.figures)})
        findings.add(
            "problem",
            f"a second table {what}, which the table read does not: its figures would go "
            "unread, so none is written",
            where[:MAX_EVIDENCE],
            found.class_name,
        )
        return True
    return False


def _dates_of(row: _Payment) -> tuple[str, ...]:
    """A payment row's dates as printed: what says two tables' rows are the same payments."""
    return tuple(d.text for d in row.dates)


class _Prose(dict[int, bool]):
    """Whether each line of a section is prose (:func:`_is_prose`), told when first asked:
    most sections ask of a few header lines only."""

    def __init__(self, lines: Mapping[int, Line]) -> None:
        super().__init__()
        self.lines = lines

    def __missing__(self, number: int) -> bool:
        line = self.lines.get(number)
        self[number] = line is not None and _is_prose(line)
        return self[number]


def _quoted(table: _Table, prose: Mapping[int, bool]) -> bool:
    """Whether a "table" is a sentence's dates and figures ("$0.285 on March 28, 2024; …"):
    its dates stand in a line of prose."""
    return any(prose[row.dates[0].line] for row in table.rows)


#: Words of sentences that headers do not print ("of", "in", "per" they do).
_PROSE_WORDS = frozenset(
    "the a an is are was were will be that which this these it its has have as".split()
)


def _is_prose(line: Line) -> bool:
    """Whether a line is a sentence's: several words of sentences ("… was declared on
    November 1, 2022 and paid on January 13, 2023 will be …"), as no header or row prints."""
    tokens = line.tokens
    return (
        len(tokens) >= 3 and sum(t.text.lower().strip(",.;:") in _PROSE_WORDS for t in tokens) >= 3
    )


def _halves_joined(tables: Sequence[_Table]) -> list[_Table]:
    """A table printed in two halves, one after the other, each with the same payments'
    dates (a page too narrow for all its columns) and its own parts: one table, the
    second's columns after the first's, its header after the first's."""
    joined: list[_Table] = []
    for table in tables:
        before = joined[-1] if joined else None
        if (
            before is not None
            and len(before.rows) == len(table.rows) > 1
            and all(
                _dates_of(one) == _dates_of(two)
                for one, two in zip(before.rows, table.rows, strict=True)
            )
            and all(row.figures for row in (*before.rows, *table.rows))
            and (before.annual is None) == (table.annual is None)
            # other columns, not the same table again (in percentages, say)
            and not set(_header_kinds(before.header)[0]) & set(_header_kinds(table.header)[0])
        ):
            rows = [
                _Payment(one.dates, [*one.figures, *two.figures])
                for one, two in zip(before.rows, table.rows, strict=True)
            ]
            annual = None if table.annual is None else [*(before.annual or []), *table.annual]
            joined[-1] = _Table([*before.header, *table.header], rows, annual)
            continue
        joined.append(table)
    return joined


def _annual_figures(tokens: Sequence[Token], index: int) -> tuple[list[Token], int]:
    """The figures of an annual line after its label: "Total", "Totals:", "Total for 2013"."""
    skipped = 0
    while (
        index < len(tokens)
        and skipped < 3
        and (tokens[index].family == "word" or _YEAR.fullmatch(tokens[index].text))
    ):
        index += 1
        skipped += 1
    figures = []
    while index < len(tokens) and (_is_figure(tokens[index]) or tokens[index].family == "label"):
        if _is_figure(tokens[index]):
            figures.append(_zero(tokens[index]))
        index += 1
    return figures, index


def _zero(token: Token) -> Token:
    if token.family == "dash":
        return Token(
            "0", "figure", token.line, token.cell, token.start, token.end, amount=Decimal(0)
        )
    return token


def _settled(table: _Table) -> _Table:
    """Rows of one width: an unlabelled annual line glued to the last row is split off (and
    a line of its percentages after it, "100.00% 52.59% 47.41%", left aside), and a row of
    nothing but nils (dashes, zeros) is a payment printed blank: none of it is this
    year's."""
    _give_back(table.rows)
    for row in table.rows:
        if row.figures and all(t.amount == 0 for t in row.figures):
            row.figures = []
    widths = [len(row.figures) for row in table.rows if row.figures]
    if not widths:
        return table
    width = min(widths)
    last = table.rows[-1]
    shares = last.figures[2 * width :]
    if (
        table.annual is None
        and len(last.figures) >= 2 * width
        and widths.count(width) > 1
        and (not shares or _shares_of_dollars(shares, last.figures[: 2 * width], width))
    ):
        table.annual = last.figures[width : 2 * width]
        last.figures = last.figures[:width]
    return table


def _give_back(rows: Sequence[_Payment]) -> None:
    """Figures before a row's dates on their line are the row before's, where the rows are
    all of one width so and not otherwise: a row broken over lines, the next row's dates
    glued to its end ("$0.094990 $0.166926 05/10/21 05/21/21 $0.300000 …")."""
    if not any(row.leading for row in rows[1:]):
        return
    given = [len(row.figures) - row.leading for row in rows]
    given = [
        width + (rows[at + 1].leading if at + 1 < len(rows) else 0)
        for at, width in enumerate(given)
    ]
    given[0] += rows[0].leading
    if len(set(given)) != 1 or len({len(row.figures) for row in rows}) == 1:
        return
    for before, row in itertools.pairwise(rows):
        before.figures += row.figures[: row.leading]
        del row.figures[: row.leading]
        row.leading = 0


def _shares_of_dollars(shares: Sequence[Token], dollars: Sequence[Token], width: int) -> bool:
    """Whether figures after a row and the annual line are the annual line's shares of the
    dividend: percentages, no more than its figures, after figures none of which is one."""
    return (
        len(shares) <= width
        and all(t.unit == "%" for t in shares)
        and not any(t.unit == "%" for t in dollars)
    )


def _phrase_matches(
    words: Sequence[str], phrases: Sequence[tuple[str, str]], used: set[int], spread: int
) -> list[tuple[int, str]]:
    """Each phrase found among the words (its words in order, near each other), by position."""
    found: list[tuple[int, str]] = []
    for kind, phrase in phrases:
        wanted = phrase.split()
        start = 0
        while True:
            at = _find(words, wanted, used, start, spread)
            if at is None:
                break
            used.update(at)
            found.append((at[0], kind))
            start = at[0] + 1
    return sorted(found)


def _find(
    words: Sequence[str], wanted: Sequence[str], used: set[int], start: int, spread: int
) -> list[int] | None:
    for first in range(start, len(words)):
        if first in used or words[first] != wanted[0]:
            continue
        at = [first]
        for word in wanted[1:]:
            nxt = next(
                (
                    i
                    for i in range(at[-1] + 1, min(len(words), at[-1] + 1 + spread))
                    if i not in used and words[i] == word
                ),
                None,
            )
            if nxt is None:
                break
            at.append(nxt)
        if len(at) == len(wanted):
            # the phrase's first word nearest its second: "Total Distribution … Total
            # Capital Gain" matches the second "Total"
            later = [
                i
                for i in range(first, at[1] if len(at) > 1 else first + 1)
                if i not in used and words[i] == wanted[0]
            ]
            return [later[-1], *at[1:]]
    return None


def _header_kinds(
    header: Sequence[Token], spread: int = _SPREAD
) -> tuple[list[str], list[str], list[str]]:
    """:func:`_read_header_kinds`, once per header as printed (:func:`_printed_as`)."""
    key = (spread, _printed_as(header))
    parts, dates, boxes = _once(_HEADERS, key, lambda: _read_header_kinds(header, spread))
    return list(parts), list(dates), list(boxes)


def _read_header_kinds(
    header: Sequence[Token], spread: int = _SPREAD
) -> tuple[list[str], list[str], list[str]]:
    """The parts the header names in order, its date columns, and its box numbers in order.

    Box numbers stand in a box row ("Box 1a Box 2a …") or in a header cell ("(1a)"). With
    a wide ``spread`` a phrase's words may stand anywhere after each other: a header
    whose cells are stacked over lines ("Total / Capital Gain" over "Return of /
    Capital") names its parts, but not in their columns' order.
    """
    inline: list[str] = []
    boxes = _box_row(header)
    for token in header:
        match = _BOX.fullmatch(token.text)
        if match and token.text.startswith("(") and not token.text[1:-1].isdigit():
            inline.append(match.group(1).lower())
    words = _header_words(header)
    used: set[int] = set()
    dates = [kind for _, kind in _phrase_matches(words, _DATE_PHRASES, used, _SPREAD)]
    parts = [kind for _, kind in _phrase_matches(words, _PART_PHRASES, used, spread)]
    # a part named twice is one column, where it is named last: the header's words nearest
    # the rows ("FORM 8937 (… a Return of Capital)" above a header names no column)
    parts = list(reversed(dict.fromkeys(reversed(parts))))
    return parts, dates, boxes or (inline if len(inline) >= 2 else [])


_BOX_WORD = re.compile(r"(?:form|1099-div|1099|boxe?s?:?)(?P<code>\d[a-f]?)?", re.IGNORECASE)


def _box_row(tokens: Sequence[Token]) -> list[str]:
    """The box numbers of a box row among these tokens, in order: "Form 1099-DIV Box: 1a 1b
    …", "Box 1a Box 2a …" (a stray header word between them, "Box3" glued), the longest;
    a note in parentheses ("(Included in Box 1a)") is none of them."""
    best: list[str] = []
    run: list[str] | None = None
    strays = 0
    aside = False  # in a note on another column: "(Included in Box 1a)"
    for token in tokens:
        if token.text.startswith("(") and not token.text.endswith(")"):
            aside = True
        if aside:
            aside = not token.text.endswith(")")
            continue
        word = _BOX_WORD.fullmatch(token.text)
        code = _BOX.fullmatch(token.text)
        if word:
            run = [] if run is None else run
            strays = 0
            if word["code"]:
                run.append(word["code"].lower())
        elif run is not None and code and not token.text.startswith("("):
            run.append(code.group(1).lower())
            strays = 0
        elif run is not None:
            strays += 1
            if strays > 1:
                best = max(best, run, key=len)
                run = None
    best = max(best, run or [], key=len)
    return best if len(best) >= 2 else []


def _any_order(width: int, parts: Sequence[str]) -> Iterator[tuple[str, ...]]:
    """Every order of the parts and the amount columns: for a header that tells no order."""
    amounts = width - len(parts)
    if width > _MOST_ORDERED or amounts < 1:
        return
    for layout in dict.fromkeys(itertools.permutations([*parts, *["amount"] * amounts])):
        yield from _loose_readings(layout)


def _passes(
    table: _Table, parts: Sequence[str], boxes: Sequence[str], tax_year: int
) -> Iterator[Iterator[tuple[str, ...]]]:
    """The assignments in the header's order; then, each asked for only where none before
    it holds, the same with the column the header names for the tax year's taxable amount
    as the dividend, the parts a header of stacked rows of cells names over each column,
    and every order of the parts a stacked header names."""
    width, header = table.width, table.header
    yield _assignments(width, parts, boxes, tax_year)
    yield _year_assignments(width, parts, boxes, tax_year, header)
    yield _stacked_layouts(table)
    yield _any_order(width, _header_kinds(header, len(header))[0])


def _year_assignments(
    width: int, parts: Sequence[str], boxes: Sequence[str], tax_year: int, header: Sequence[Token]
) -> Iterator[tuple[str, ...]]:
    """The assignments where the one part the header names for the tax year's taxable
    amount ("2010 Taxable Ordinary Dividend") is that year's dividend, all of it that part,
    beside one amount column: the whole payment. The boxes it does not print are not
    printed: 1a + 2a + 3 = dividend holds as the header says."""
    part = _year_part(header, tax_year)
    if part is None or boxes or width != len(parts) + 1:
        return
    for layout in _assignments(width, parts, boxes, tax_year):
        named = [i for i, kind in enumerate(layout) if kind != "amount"]
        kinds = list(layout)
        kinds[named[parts.index(part)]] = _BOTH + kinds[named[parts.index(part)]]
        yield tuple(kinds)


def _year_part(header: Sequence[Token], tax_year: int) -> str | None:
    """The part whose phrase stands nearest the header's words for the tax year's taxable
    amount ("2010 Taxable", "Taxable in 2010"), within a few words; ``None`` if none or
    several do. Once per header as printed."""
    return _once(
        _YEAR_PARTS, (_printed_as(header), tax_year), lambda: _read_year_part(header, tax_year)
    )


def _read_year_part(header: Sequence[Token], tax_year: int) -> str | None:
    words = _header_words(header)
    found = _phrase_matches(words, _PART_PHRASES, set(), _SPREAD)
    years = [("year", phrase.replace("YEAR", str(tax_year))) for phrase in _YEAR_PHRASES]
    named = set()
    for at, _ in _phrase_matches(words, years, set(), 1):
        near = [(abs(start - at), kind) for start, kind in found if abs(start - at) <= _SPREAD]
        if near:
            named.add(min(near)[1])
    return named.pop() if len(named) == 1 else None


def _stacked_layouts(table: _Table) -> Iterator[tuple[str, ...]]:
    """:func:`_read_stacked_layouts`, once per header as printed over rows as wide."""
    key = (_printed_as(table.header), table.width, len(table.rows[0].dates))
    layouts: tuple[tuple[str, ...], ...] = _once(
        _STACKED, key, lambda: tuple(_read_stacked_layouts(table))
    )
    return iter(layouts)


def _read_stacked_layouts(table: _Table) -> Iterator[tuple[str, ...]]:
    """The parts a header of stacked rows of cells names over each figure column.

    The header's cells are cut into rows (:func:`_header_rows`); its lowest row of at
    least as many cells as a payment row's dates and figures is the row over them, and the
    rows under it the first payment's label. Each row is aligned to the columns by count,
    from the right (a row of fewer cells leaves the columns at the left, over the dates,
    blank); each figure column's words, top to bottom, name at most one part, or none (an
    amount). Nothing where the header is no such rows, or a column's words name two parts.
    """
    rows = _header_rows(table.header)
    width = table.width
    dated = len(table.rows[0].dates) + width
    over = [i for i, row in enumerate(rows) if len(row) >= dated]
    if not over or sum(len(row) for row in rows[over[-1] + 1 :]) >= dated:
        return
    rows = rows[: over[-1] + 1]
    if len(rows) < 2:
        return  # one row of cells: its words are in its columns' order already
    layout: list[str] = []
    for column in range(1, width + 1):
        tokens = [token for row in rows if len(row) >= column for token in row[-column]]
        kinds = {
            kind
            for _, kind in _phrase_matches(_header_words(tokens), _PART_PHRASES, set(), _SPREAD)
        }
        if len(kinds) > 1:
            return
        layout.insert(0, kinds.pop() if kinds else "amount")
    named = [kind for kind in layout if kind != "amount"]
    if 1 <= width - len(named) <= 3 and len(set(named)) == len(named):
        yield from _loose_readings(layout)


def _header_rows(header: Sequence[Token]) -> list[list[list[Token]]]:
    """The header's rows of cells: a line of several (tab) cells is a row; lines of one
    cell each, one after another, are a row of those cells, up to a line that prints none
    (blank, ``|`` or a rule)."""
    cells = [list(group) for _, group in itertools.groupby(header, key=lambda t: (t.line, t.cell))]
    per_line = _cells_a_line(header)
    rows: list[list[list[Token]]] = []
    last = None
    for cell in cells:
        line = cell[0].line
        joined = last is not None and (
            line == last or (line == last + 1 and per_line[line] == per_line[last] == 1)
        )
        if joined:
            rows[-1].append(cell)
        else:
            rows.append([cell])
        last = line
    return rows


def _assignments(
    width: int, parts: Sequence[str], boxes: Sequence[str], tax_year: int
) -> Iterator[tuple[str, ...]]:
    """Every assignment of kinds to the figure columns the evidence allows."""
    box_kinds = [boxes_for_year(tax_year).get(box, "") for box in boxes]
    if boxes and all(box_kinds) and len(box_kinds) <= width:
        rest = [p for p in parts if p not in _with_loose(box_kinds)]
        for offset in range(width - len(box_kinds) + 1):
            free = width - len(box_kinds)
            for extra in range(min(len(rest), free) + 1):
                after = rest[len(rest) - extra :] if extra else []
                layout = ["amount"] * offset + list(box_kinds)
                tail = width - len(layout)
                if tail < len(after):
                    continue
                layout += ["amount"] * (tail - len(after)) + after
                yield from _loose_readings(layout)
        return
    amounts = width - len(parts)
    if amounts < 1 or amounts > 3:
        return
    for places in itertools.combinations(range(width), amounts):
        named = iter(parts)
        layout = ["amount" if i in places else next(named) for i in range(width)]
        yield from _loose_readings(layout)


def _with_loose(kinds: Sequence[str]) -> set[str]:
    """Kinds, and the loose header names they cover ("ordinary" for box 1a)."""
    covered = set(kinds)
    for loose, (total, _) in _LOOSE.items():
        if total in covered:
            covered.add(loose)
    return covered


def _loose_readings(layout: Sequence[str]) -> Iterator[tuple[str, ...]]:
    options = []
    for kind in layout:
        if kind in _LOOSE:
            total, inside = _LOOSE[kind]
            options.append([total, kind] if inside in layout else [total])
        else:
            options.append([kind])
    yield from itertools.product(*options)


def _allocable_after(header: Sequence[Token]) -> int | None:
    """Where the header names a part "allocable to" another year: after how many parts it
    names (``None`` where it names none after the first part: a caption above the table,
    "Allocable to 2023", is not a column); once per header as printed."""
    return _once(_ALLOCABLE, _printed_as(header), lambda: _read_allocable_after(header))


def _read_allocable_after(header: Sequence[Token]) -> int | None:
    for at in range(len(header) - 1, 0, -1):
        if "allocable" in _words(header[at]):
            before = len(_header_kinds(header[:at])[0])
            return before or None
    return None


def _amount_places(header: Sequence[Token], width: int) -> tuple[int, ...] | None:
    """Where the header's words put the amount columns among the parts, when its phrases
    name as many columns as the table has ("Total Distribution Per Share | Ordinary Per
    Share | …": the amount first); ``None`` where they do not tell."""
    words = _header_words(header)
    used: set[int] = set()
    _phrase_matches(words, _DATE_PHRASES, used, _SPREAD)
    found = _phrase_matches(words, _AMOUNT_PHRASES, used, 1)  # its words together, first:
    found += _phrase_matches(words, _PART_PHRASES, used, _SPREAD)  # not "total … ordinary"
    kinds = [kind for _, kind in sorted(found)]
    if len(kinds) != width:
        return None
    return tuple(i for i, kind in enumerate(kinds) if kind == "amount")


def _amounts_at(kinds: Sequence[str]) -> tuple[int, ...]:
    """The places of a reading's amount columns (dividend, whole payment, adjustment…)."""
    amount = ("dividend", "distribution", "adjustment", "other_year")
    return tuple(i for i, kind in enumerate(kinds) if kind in amount or kind.startswith(_BOTH))


def _placed(kinds: Sequence[str], allocable: int | None) -> bool:
    """Whether the part allocable to another year stands where the header names it."""
    if allocable is None or "other_year" not in kinds:
        return False
    at = kinds.index("other_year")
    return sum(kind in COMPONENTS for kind in kinds[:at]) == allocable


def _amount_roles(
    layout: Sequence[str], rows: Sequence[_Payment], allocable: int | None = None
) -> Iterator[tuple[str, ...]]:
    """Which amount column is the dividend, the whole payment, an adjustment, and (where
    the header says a part is "allocable to" a year) the part that is another year's.
    Where a column is the tax year's part and its box (``_BOTH``), no amount column is."""
    places = [i for i, kind in enumerate(layout) if kind == "amount"]
    given = any(kind.startswith(_BOTH) for kind in layout)
    for dividend in [None] if given else places:
        options: list[list[str]] = []
        legible = True
        for i in places:
            if i == dividend:
                options.append(["dividend"])
                continue
            values = [row.figures[i].amount for row in rows if len(row.figures) > i]
            if any(v is None for v in values):
                legible = False
                break
            if any(v is not None and v < 0 for v in values):
                # a payment is never negative: a column that goes below nil adds to or takes
                # from the payment ("($0.25)", "$0.28" of last year's January payment)
                options.append(["adjustment"])
            else:
                options.append(["distribution", *([] if allocable is None else ["other_year"])])
        for chosen in itertools.product(*options) if legible else ():
            if chosen.count("distribution") <= 1 and chosen.count("other_year") <= 1:
                roles = list(layout)
                for place, role in zip(places, chosen, strict=True):
                    roles[place] = role
                yield tuple(roles)


def _printed(
    row: Sequence[Token], kinds: Sequence[str]
) -> tuple[dict[str, Printed], Decimal | None]:
    printed: dict[str, Printed] = {}
    dividend = None
    for token, column in zip(row, kinds, strict=False):
        if token.amount is None:
            continue
        for kind in _kinds_of(column):
            if kind == "dividend":
                dividend = token.amount
            elif kind in COMPONENTS:
                printed[kind] = (
                    Printed(percent=token.amount)
                    if token.unit == "%"
                    else Printed(dollars=token.amount)
                )
    return printed, dividend


def _kinds_of(column: str) -> tuple[str, ...]:
    """A column's kinds: one, or the dividend and the box a tax year's column is (``_BOTH``)."""
    return ("dividend", column[len(_BOTH) :]) if column.startswith(_BOTH) else (column,)


def _proves_sum(kinds: Sequence[str]) -> bool:
    """Whether the columns print every term of 1a + 2a + 3 = dividend, so the sum checks
    (or a column the header names for the tax year's part is the dividend and its box)."""
    if any(kind.startswith(_BOTH) for kind in kinds):
        return True
    return all(top in kinds or (top in SPLITS and set(SPLITS[top]) <= set(kinds)) for top in TOP)


def _failures(kinds: Sequence[str], table: _Table, unprinted: bool = False) -> _Failed | None:
    """The rows that do not add up under these kinds, and why; ``None`` where the kinds
    cannot be checked (a term of 1a + 2a + 3 not printed, a row of another width).

    With ``unprinted`` (the columns read in the header's order), a term of 1a + 2a + 3
    that no column prints is nil where the printed ones make up the dividend on every
    row, within their digits (a table of "Ordinary" and "Capital Gain" only): the sum is
    then checked as printed. A row where they do not is no check (never a remainder put
    into a part the table does not print).

    Rows that print the same figures are worked out once; past half the rows failing,
    the rest are not looked at (such a reading is no reading of the table).
    """
    complete = _proves_sum(kinds)
    if not complete and not unprinted:
        return None
    failed = _Failed()
    roles = [kinds.index(role) for role in ("distribution", "adjustment") if role in kinds]
    for group in table.alike:
        row = group.row
        if len(row.figures) != len(kinds) and not group.short:
            return None
        if any(place >= len(row.figures) for place in roles):
            return None  # a whole payment or adjustment is no nil to leave blank
        printed, dividend = _printed(row.figures, kinds)
        if dividend is None:
            return None
        if "other_year" in kinds:  # the whole payment, less the part of another year
            at = kinds.index("other_year")
            other = row.figures[at].amount if at < len(row.figures) else Decimal(0)
            if other is None or other > dividend:
                return None
            dividend -= other
        if not complete and not _made_up(printed, dividend):
            return None
        whole = dividend
        if "distribution" in kinds:
            cash = row.figures[kinds.index("distribution")].amount
            if cash is None or (cash < dividend and "adjustment" not in kinds):
                return None
            whole = cash
        if _none_this_year(printed, dividend, kinds):
            continue  # nothing to add up
        problems = resolve(printed, dividend).problems
        why = problems[0][1] if problems else ""
        if "adjustment" in kinds and not why:
            why = _unadjusted(row.figures[kinds.index("adjustment")], whole, dividend)
        if why:
            failed.groups.append((group, why))
            failed.count += len(group.every)
            if failed.count > len(table.rows) / 2:
                return failed
    return failed


def _none_this_year(
    printed: Mapping[str, Printed], dividend: Decimal | None, kinds: Sequence[str]
) -> bool:
    """Whether a payment's dividend of the tax year and every part of it (as
    :func:`_printed` reads them) are nil beside a whole payment ("$0.2650 | - | 0.0000%
    …"): a payment none of which is this year's."""
    return (
        dividend == 0
        and "distribution" in kinds
        and not any(p.dollars or p.percent for p in printed.values())
    )


def _made_up(printed: Mapping[str, Printed], dividend: Decimal) -> bool:
    """Whether the printed terms of 1a + 2a + 3 (a box, or its parts: qualified dividends
    alone for 1a) make up the dividend, in dollars or as percentages of it, within the
    printed digits: the terms not printed are then nil. Once per figures as printed (their
    digits, not only their values): a release prints rows alike over and over."""
    key = tuple((kind, str(f.dollars), str(f.percent)) for kind, f in printed.items())
    return _made_up_once(key, str(dividend))


@lru_cache(maxsize=4096)
def _made_up_once(printed: tuple[tuple[str, str, str], ...], dividend: str) -> bool:
    figures = {kind: (_decimal(dollars), _decimal(percent)) for kind, dollars, percent in printed}
    wholes = []
    if any(dollars is not None for dollars, _ in figures.values()):
        wholes.append((Decimal(dividend), 0))
    if any(percent is not None for _, percent in figures.values()):
        wholes.append((Decimal(100), 1))
    for whole, unit in wholes:
        # a printed dividend is within half its last digit; the 100% of percentages is exact
        added, allowed = Decimal(0), half_unit(whole) if unit == 0 else Decimal(0)
        terms = 0
        for top in TOP:
            for way in ((top,), SPLITS.get(top, ())):
                found = [figures[t][unit] for t in way if t in figures]
                if any(figure is not None for figure in found):
                    for figure in found:
                        added += figure or Decimal(0)
                        allowed += half_unit(figure or Decimal(0))
                    terms += 1
                    break
        if terms > 0 and within(whole - added, allowed):
            return True
    return False


def _decimal(text: str) -> Decimal | None:
    return None if text == "None" else Decimal(text)


#: Spaces between two cells of a line that stand for blank cells between them.
_WIDE_GAP = 5


def _short_of_nils(row: _Payment, width: int, full: Sequence[_Payment]) -> bool:
    """Whether a row short of the table's width lacks only cells that are mostly nil on
    the full rows: the last cells left blank ("$0.2637 -" where others print "- -"). Its
    arithmetic is checked as any row's: a cell missing elsewhere puts figures in the wrong
    columns, and their sums fail."""
    if not row.figures or len(row.figures) >= width or len(full) < 2:
        return False
    cells = sorted([*row.dates, *row.figures], key=lambda t: (t.line, t.cell, t.start))
    if any(
        one.line == two.line and one.cell == two.cell and two.start - one.end >= _WIDE_GAP
        for one, two in itertools.pairwise(cells)
    ):
        return False  # printed to fixed widths: the blank cells may be anywhere in the gap
    return all(
        2 * sum(r.figures[at].amount == 0 for r in full) > len(full)
        for at in range(len(row.figures), width)
    )


def _unadjusted(adjustment: Token, whole: Decimal, dividend: Decimal) -> str:
    """Why a payment's adjustment does not take the whole payment to this year's part, if
    it does not ("Cash $0.43, Adjustment ($0.25), Total $0.18"); "" where it does."""
    if adjustment.amount is None:
        return f"the adjustment {adjustment.text} is not a figure"
    allowed = half_unit(adjustment.amount) + half_unit(whole) + half_unit(dividend)
    if within(whole + adjustment.amount - dividend, allowed):
        return ""
    return (
        f"the payment ${whole} and its adjustment {adjustment.text} make "
        f"${whole + adjustment.amount}, not this year's part ${dividend}"
    )


def _outcome(kinds: Sequence[str], table: _Table) -> tuple[object, ...]:
    """The table's figures under these kinds, as resolved: two readings that give the same
    figures are one (a nil "capital gain" beside a nil 1250 is a nil box 2a either way).
    Rows alike (:attr:`_Table.alike`) resolve alike: each group is worked out once."""
    outcome = []
    for group in table.alike:
        printed, dividend = _printed(group.row.figures, kinds)
        figures = resolve(printed, dividend).figures
        outcome.append(tuple(sorted((k, f.dollars, f.fraction) for k, f in figures.items())))
    return tuple(outcome)


def undated_figures(lines: Sequence[Line]) -> Finding | None:
    """The problem of a release that prints figures but no payment row: none to key them on.

    ``None`` where some payment's dates have figures beside them, or nothing is printed.
    """
    tokens = list(_stream(lines))
    if any(row.figures for table in _tables(tokens) for row in table.rows):
        return None
    figures = [t for t in tokens if t.family == "figure"]
    if not figures:
        return None
    percent = all(t.unit == "%" for t in figures)
    what = "percentages of the dividends" if percent else "figures"
    return Finding(
        "problem",
        f"the release prints {what} but no payment beside them (no record or payable date "
        "on any row of figures): a figure cannot be keyed to a payment, so nothing can be "
        "written. Tables of payments by period or by year need each payment's dates; the "
        "issuer's dividend history gives them",
        tuple(sorted({t.line for t in figures}))[:MAX_EVIDENCE],
    )


def read_sections(
    preamble: Sequence[Line],
    sections: Sequence[Section],
    tax_year: int | None,
    findings: Findings,
    as_printed: bool = False,
) -> list[ClassRead]:
    """Each section's class, read from its stream of cells; a class that cannot be is a problem.

    A table printed without a header of its own is read under the header before it: the
    last one read, or the words between the prose and the first class heading (one header
    over several classes' tables).
    """
    after_prose = [line for line in preamble if len(line.tokens) > _PROSE]
    inherited = [
        token
        for line in preamble
        if not after_prose or line.number > after_prose[-1].number
        for token in line.tokens
    ][-_HEADER_TOKENS:]
    classes = []
    for section in sections:
        found = ClassRead(
            section.cusip, section.class_name, [section.heading.number], symbol=section.symbol
        )
        classes.append(found)
        tokens = list(_stream(section.lines))
        tables = _tables(tokens)
        if not tables:
            text = NO_ROWS
            findings.add("problem", text, [section.heading.number], found.class_name)
            continue
        prose = _Prose({line.number: line for line in section.lines})
        for each in tables:  # a header is no sentence: the prose above it is not its words
            if any(prose[line] for line in {t.line for t in each.header}):
                rows = {t.line for row in each.rows for t in (*row.dates, *row.figures)}
                each.header = [t for t in each.header if not prose[t.line] or t.line in rows]
        joined = tables
        if len(tables) > 1:
            joined = [t for t in _halves_joined(tables) if not _quoted(t, prose)] or tables
        table = max(joined, key=lambda t: len(t.rows))
        if _unread_parts(table, joined, found, findings):
            continue
        if _header_kinds(table.header)[0]:
            inherited = table.header
        else:
            table.header = inherited
            tokens = [*inherited, *tokens]
        _read_class(found, table, tokens, tax_year or 2099, findings, as_printed)
    return classes


def _read_class(
    found: ClassRead,
    table: _Table,
    tokens: Sequence[Token],
    tax_year: int,
    findings: Findings,
    as_printed: bool = False,
) -> None:
    parts, date_kinds, boxes = _header_kinds(table.header)
    boxes = boxes or _box_row(tokens)
    lines = sorted({t.line for row in table.rows for t in (*row.dates, *row.figures)})
    width = table.width
    if width > _MOST_COLUMNS:
        text = (
            f"a table of {width:,} figure columns, more than any release prints ({_MOST_COLUMNS})"
        )
        findings.add("problem", text, lines[:MAX_EVIDENCE], found.class_name)
        return
    survivors: dict[tuple[object, ...], tuple[str, ...]] = {}
    allocable = _allocable_after(table.header)
    nearest: _Failed | None = None
    nearest_pass = 0
    # the readings that fail on fewest rows, of the first pass that has them (a later,
    # looser pass's readings are no nearer for failing on as few)
    nearest_kinds: list[tuple[str, ...]] = []
    for number, layouts in enumerate(_passes(table, parts, boxes, tax_year)):
        for layout in layouts:
            for kinds in _amount_roles(layout, table.rows, allocable):
                failed = _failures(kinds, table, unprinted=number == 0)
                if failed is None:
                    continue
                if not failed.count:
                    outcome = _outcome(kinds, table)
                    if outcome not in survivors or _placed(kinds, allocable):
                        # one reading of the figures: named as the header orders them
                        survivors[outcome] = kinds
                elif nearest is None or failed.count < nearest.count:
                    nearest, nearest_pass, nearest_kinds = failed, number, [kinds]
                elif failed.count == nearest.count and number == nearest_pass:
                    nearest_kinds.append(kinds)
        if survivors:
            break
    excess: dict[int, Decimal] = {}
    if not survivors and nearest and nearest.count < len(table.rows) / 2:
        disagreeing = nearest.rows()
        # the header's reading holds but on a few rows: the release's own figures disagree
        readings = (
            list({_outcome(kinds, table): kinds for kinds in nearest_kinds}.values())
            if as_printed
            else []
        )
        excess = _excesses(readings[0], disagreeing) if len(readings) == 1 else {}
        if not excess:
            for row, why in disagreeing:
                findings.add(
                    "problem",
                    f"{DISAGREES}payment of {row.dates[-1].text}: {why}"
                    + ("" if as_printed else _AS_PRINTED),
                    sorted({t.line for t in (*row.dates, *row.figures)}),
                    found.class_name,
                )
            return
        survivors = {(): readings[0]}
        for row, why in disagreeing:
            findings.add(
                "reading",
                f"payment of {row.dates[-1].text} kept as printed (--as-printed), its parts "
                f"${excess[id(row)]} beyond its dividend: {why}",
                sorted({t.line for t in (*row.dates, *row.figures)}),
                found.class_name,
            )
    if not survivors:
        covered = _with_loose(
            [k for layout in _loose_readings(parts) for k in layout]
            + [boxes_for_year(tax_year).get(b, "") for b in boxes]
        )
        unchecked = [column_label(top) for top in TOP if top not in covered]
        why = (
            f"the table's columns cannot be proven: it prints no {' and no '.join(unchecked)} "
            "column, so that 1a + 2a + 3 = dividend, which would prove which column is "
            "which, cannot be checked"
            if unchecked and parts
            else f"the table's {width} figure columns cannot be told apart: no reading of "
            "them adds up on every row"
        )
        findings.add(
            "problem",
            f"{why} (its header names {', '.join(column_label(p) for p in parts) or 'no part'})",
            lines,
            found.class_name,
        )
        return
    placed = [kinds for kinds in survivors.values() if _placed(kinds, allocable)]
    if len(survivors) > 1 and len(placed) == 1:
        survivors = {(): placed[0]}  # the arithmetic allows more; the header says which
    amounts = _amount_places(table.header, width)
    ordered = [kinds for kinds in survivors.values() if _amounts_at(kinds) == amounts]
    if len(survivors) > 1 and len(ordered) == 1:
        survivors = {(): ordered[0]}  # so the header's words over the amounts say
    if len(survivors) > 1:
        options = list(survivors.values())
        doubt = [str(i + 1) for i in range(width) if len({kinds[i] for kinds in options}) > 1]
        findings.add(
            "problem",
            f"figure columns {', '.join(doubt)} can be read more than one way and every row "
            "adds up in each: give the release's header as printed",
            lines,
            found.class_name,
        )
        return
    kinds = next(iter(survivors.values()))
    count = len(table.rows[0].dates)
    named = date_kinds if len(date_kinds) == count else _default_dates(count)
    if len(date_kinds) < count and not set(date_kinds) <= set(named):
        # a date the header names stands somewhere it does not say (more names than dates
        # are words of the text above the header: they tell nothing)
        findings.add(
            "problem",
            f"each payment prints {count} dates and the header names {len(date_kinds)} "
            f"({', '.join(kind.replace('_', ' ') for kind in date_kinds)}): which date is "
            "which cannot be told; a header with one name over each date would tell",
            lines,
            found.class_name,
        )
        return
    if "payable_date" not in named:
        findings.add(
            "problem",
            f"{ONE_DATE}: each payment prints {count} date(s), and the header names none of "
            "them the payable date, by which the table keys a payment; give the payable "
            "dates (the issuer's dividend history has them), one row a payment",
            lines,
            found.class_name,
        )
        return
    unread = [d.text for row in table.rows for d in row.dates if d.day is None]
    if unread:
        findings.add(
            "problem", f"dates that are no dates: {some(unread, shown)}", lines, found.class_name
        )
        return
    _fill(found, table, kinds, named, findings, excess)


#: What a refusal of a payment whose parts disagree adds: how to keep it as printed.
_AS_PRINTED = (
    " (where the release prints it so, --as-printed keeps the payment's figures as printed, "
    "the difference noted)"
)


def _excesses(kinds: Sequence[str], failed: Sequence[tuple[_Payment, str]]) -> dict[int, Decimal]:
    """What each payment's printed parts add up to beyond its dividend, by ``id`` of the row,
    where that is the one thing wrong with each; else nothing."""
    excess = {}
    for row, _ in failed:
        printed, dividend = _printed(row.figures, kinds)
        if dividend is None or "distribution" in kinds or "adjustment" in kinds:
            return {}
        added = printed_parts(printed)
        if added is None:
            return {}
        beyond = added - dividend
        if not beyond or resolve(printed, dividend, beyond).problems:
            return {}
        excess[id(row)] = beyond
    return excess


def _fill(
    found: ClassRead,
    table: _Table,
    kinds: Sequence[str],
    named: Sequence[str],
    findings: Findings,
    excess: Mapping[int, Decimal] | None = None,
) -> None:
    read = [_printed(p.figures, kinds) for p in table.rows]
    nil = [_none_this_year(printed, dividend, kinds) for printed, dividend in read]
    for payment, none_this_year in zip(table.rows, nil, strict=True):
        row = Row()
        row.excess = (excess or {}).get(id(payment))
        dates = dict(zip(named, payment.dates, strict=True))
        row.record = dates.get("record_date")  # None: the release prints payable dates only
        row.payable = dates.get("payable_date")
        row.ex = dates.get("ex_date")  # where the header names an ex-dividend date column
        row.lines.update(t.line for t in (*payment.dates, *payment.figures))
        # a payment none of which is this year's: its nil parts are no parts of anything
        parts: Collection[str] = COMPONENTS
        if none_this_year:
            parts = ()
            findings.add(
                "reading",
                f"payment of {payment.dates[-1].text}: its part of the year and every part "
                "printed nil: none of it is this year's (the year its dates give)",
                sorted(row.lines),
                found.class_name,
            )
        for token, column in zip(payment.figures, kinds, strict=False):
            for kind in _kinds_of(column):
                if kind == "dividend" or kind in parts:
                    row.cells[kind] = Cell.of(token)
        if "other_year" in kinds and len(payment.figures) > kinds.index("other_year"):
            other = payment.figures[kinds.index("other_year")]
            if other.amount:
                row.cells["other_year"] = Cell.of(other)
        if "distribution" in kinds and len(payment.figures) > kinds.index("distribution"):
            whole = payment.figures[kinds.index("distribution")]
            part = row.cells["dividend"]
            # (a payment of which less is paid than this year's part was paid in part the
            # year before: its dates straddle the two, its rows there and here its parts)
            if whole.amount is not None and part.value is not None and whole.amount > part.value:
                row.cells["dividend"] = Cell.of(whole)
                row.cells["other_year"] = Cell(
                    whole.amount - part.value, str(whole.amount - part.value), "$", (whole.line,)
                )
        found.payments.append(row)
    if table.annual is not None and len(table.annual) > len(kinds):
        # a line of each column's share of the annual dividend may follow it
        _check_shares(found, table.annual[: len(kinds)], table.annual[len(kinds) :], findings)
        table.annual = table.annual[: len(kinds)]
    if table.annual is not None and len(table.annual) == len(kinds):
        annual = Row()
        for token, column in zip(table.annual, kinds, strict=True):
            for kind in _kinds_of(column):
                if kind == "dividend" or kind in COMPONENTS:
                    annual.cells[kind] = Cell.of(token)
        annual.lines.update(t.line for t in table.annual)
        found.annual = annual
        _check_amounts(found, table, kinds, findings)
    printed = [{} if none else figures for (figures, _), none in zip(read, nil, strict=True)]
    found.printed = printed
    if found.annual is not None:
        found.annual_printed = _printed(table.annual or [], kinds)[0]
    found.parts = tuple(name for name in COMPONENTS if any(name in p for p in printed))
    found.reading = "; ".join(
        f"column {i + 1} is {' and '.join(map(column_label, _kinds_of(kind)))}"
        for i, kind in enumerate(kinds)
    )
    findings.add(
        "reading",
        f"read as one stream of cells: {found.reading}",
        sorted(found.headings),
        found.class_name,
    )
    _say_overlap(found, printed, findings)


def _say_overlap(
    found: ClassRead, printed: Sequence[dict[str, Printed]], findings: Findings
) -> None:
    """Qualified (1b) and Section 199A (5) dividends are disjoint parts of 1a: where a
    release prints more of them than 1a holds, it is written as printed, and said."""
    for row, figures in zip(found.payments, printed, strict=True):
        parts = [figures.get(k) for k in ("total_ordinary", "qualified", "section_199a")]
        if any(p is None or p.dollars is None for p in parts):
            continue
        whole, qualified, qualified_reit = (p.dollars for p in parts if p and p.dollars is not None)
        excess = qualified + qualified_reit - whole
        if excess > 0:
            text = (
                f"as printed: qualified (1b) ${qualified} and Section 199A (5) ${qualified_reit} "
                f"add up to ${excess:f} more than box 1a ${whole}, which holds both"
            )
            row.note(NoteRank.GAP, 0, text)
            findings.add(
                "reading", f"{payment_name(row)}: {text}", sorted(row.lines), found.class_name
            )


def _check_amounts(
    found: ClassRead, table: _Table, kinds: Sequence[str], findings: Findings
) -> None:
    """The annual line's whole payment and adjustment ("Totals $2.470000 …") are the sums
    of the payments' (the table holds them only on the payments, so they are checked here):
    one that is not, within the printed digits, is a gap. Not a problem: real releases
    misprint these totals ("$0.09" for $0.33 less $0.06; "($0.03)" for +$0.03) where every
    figure of the tax year adds up; the payments' figures are written, the import is not
    OK, and the report says which total to check."""
    assert table.annual is not None
    for column, kind in enumerate(kinds):
        annual = table.annual[column]
        if kind not in ("distribution", "adjustment") or annual.amount is None:
            continue
        printed = [row.figures[column] for row in table.rows if len(row.figures) > column]
        amounts = [token.amount for token in printed if token.amount is not None]
        total = sum(amounts, Decimal(0))
        allowed = max(half_unit(annual.amount), *map(half_unit, amounts))  # as the table's
        if not within(annual.amount - total, allowed):
            findings.add(
                "gap",
                f"the annual line's {column_label(kind)} {annual.text} is not the payments' "
                f"${total}: the release's own figures disagree (the payments' are written; "
                "no figure of the tax year depends on it)",
                sorted({annual.line, *(token.line for token in printed)}),
                found.class_name,
            )


def _check_shares(
    found: ClassRead, annual: Sequence[Token], shares: Sequence[Token], findings: Findings
) -> None:
    """A row of percentages under the annual line, "100.0000% | 28.40863% | …": each the
    share of the annual dividend its column holds (the first columns, in order). One that
    is not, within its digits, is a problem: the release's own figures disagree."""
    if not shares or shares[0].unit != "%" or shares[0].amount != 100 or annual[0].amount is None:
        if shares:  # figures after the annual line that are no such row: said, not read
            lines = sorted({t.line for t in shares})
            text = "figures after the annual line are not read"
            findings.add("gap", text, lines[:MAX_EVIDENCE], found.class_name)
        return
    total = annual[0].amount
    for share, figure in zip(shares, annual, strict=False):
        if share.amount is None or figure.amount is None or share.unit != "%" or not total:
            continue
        actual = figure.amount / total * 100
        if not within(actual - share.amount, half_unit(share.amount) + _half_share(figure, total)):
            findings.add(
                "problem",
                f"{DISAGREES}the annual line's {figure.text} is {actual:.6f}% of its "
                f"{annual[0].text}, not {share.text} as printed under it",
                sorted({share.line, figure.line}),
                found.class_name,
            )


def _half_share(figure: Token, total: Decimal) -> Decimal:
    """How far a share may be off for the figure's own rounding, in percent."""
    assert figure.amount is not None
    return half_unit(figure.amount) / total * 100


def _default_dates(count: int) -> tuple[str, ...]:
    return {1: ("payable_date",), 2: ("record_date", "payable_date")}.get(
        count, ("",) * (count - 2) + ("record_date", "payable_date")
    )
