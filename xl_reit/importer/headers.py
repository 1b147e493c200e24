"""Step 5: which column of a table is which, from its header.

A header cell's words name a kind of column: the project's own vocabulary
(:mod:`xl_reit.components`) first, then key phrases ("record", "pay date",
"return of capital", "unrecaptured 1250" …). Header words split over several
lines are put back together by column — by tab cell, or by the character span of
the figures beneath them. When the words do not sit over their columns, the kinds
the header names are taken in the order releases print them; when even that
cannot tell which column is which, it is a problem.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from ..components import FORM_1099_DIV_BOXES, resolve
from ..errors import XlReitError, shown
from .lines import Line, Token, line_numbers, tab_cells
from .model import DATE_KINDS, FIGURE_KINDS, Column, column_label
from .report import Findings, some
from .sections import Section

#: Key words of column headers, longest first; "unsupported" marks a column the
#: table has no figure for (foreign tax, tax withheld, exempt-interest dividends …).
_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    sorted(
        (
            (tuple(words.split()), kind)
            for words, kind in (
                ("record", "record_date"),
                ("payable", "payable_date"),
                ("pay date", "payable_date"),
                ("payment date", "payable_date"),
                ("paid", "payable_date"),
                ("pmt", "payable_date"),
                ("ex", "ex_date"),
                ("declaration", "declaration_date"),
                ("declared", "declaration_date"),
                ("199a", "section_199a"),
                ("unrecaptured", "unrecaptured_1250"),
                ("1250", "unrecaptured_1250"),
                ("return", "return_of_capital"),
                ("nondividend", "return_of_capital"),
                ("non dividend", "return_of_capital"),
                ("nontaxable", "return_of_capital"),
                ("non taxable", "return_of_capital"),
                ("total capital gain", "total_capital_gain"),
                ("total capital gains", "total_capital_gain"),
                ("capital gain", "capital_gain"),
                ("capital gains", "capital_gain"),
                ("long term", "capital_gain"),
                ("total ordinary", "total_ordinary"),
                ("non qualified", "ordinary"),
                ("nonqualified", "ordinary"),
                ("ordinary", "ordinary"),
                ("qualified", "qualified"),
                ("per", "dividend"),
                ("amount", "dividend"),
                ("distribution", "dividend"),
                ("distributions", "dividend"),
                ("dividends paid", "dividend"),
                ("dividend paid", "dividend"),
                ("allocable to", "other_year"),
                ("897 ordinary", "section_897_ordinary"),
                ("897 capital gain", "section_897_capital_gain"),
                ("897 capital gains", "section_897_capital_gain"),
                ("897 h gain", "section_897_capital_gain"),  # Sec. 897(h): a capital gain
                ("1061 one year", "section_1061_one_year"),
                ("1061 three year", "section_1061_three_year"),
                ("897", "unsupported"),
                ("1061", "unsupported"),
                ("1202", "section_1202"),
                ("collectibles", "collectibles"),
                ("foreign", "unsupported"),
                ("withheld", "unsupported"),
                ("cash distribution", "unsupported"),
                ("cash distributions", "unsupported"),
                ("adjustment", "unsupported"),
                ("adjustments", "unsupported"),
                ("exempt", "unsupported"),
            )
        ),
        key=lambda item: -len(item[0]),
    )
)
#: Header words are read as the latest Form 1099-DIV's boxes: "Box 5" is Section
#: 199A dividends, whatever the release's year (no earlier form gives a box
#: another meaning).
_LATEST_FORM_YEAR = max(first_year for first_year, _ in FORM_1099_DIV_BOXES)


@lru_cache(maxsize=4096)  # a release repeats its header words table after table
def _kinds_in(words: tuple[str, ...]) -> tuple[str, ...]:
    """Every column kind that ``words`` name, in order ("Record Payable Capital Gain" → 3)."""
    found: list[str] = []
    position = 0
    while position < len(words):
        for phrase, kind in _PHRASES:
            if tuple(words[position : position + len(phrase)]) == phrase:
                found.append(kind)
                position += len(phrase)
                break
        else:
            position += 1
    return tuple(found)


@lru_cache(maxsize=4096)
def _figure_kind(text: str, words: tuple[str, ...]) -> str | None:
    """The kind of figure column one header names, or ``None`` when it names none or several."""
    try:
        return resolve(text, _LATEST_FORM_YEAR).name  # the project's own words first
    except XlReitError:
        pass
    if words in (("dividend",), ("dividends",)):  # a cell of its own: the whole dividend
        return "dividend"
    kinds = {k for k in _kinds_in(words) if k in FIGURE_KINDS}
    parts = kinds - {"dividend"}
    if "unsupported" in parts:
        return "unsupported"
    if parts == {"unrecaptured_1250", "capital_gain"}:  # "Unrecaptured 1250 capital gain"
        return "unrecaptured_1250"
    if len(parts) == 1:
        return parts.pop()
    return "dividend" if not parts and kinds else None


def header_kind(tokens: Sequence[Token], family: str) -> str | None:
    """The kind of column some header words name, over a column of ``family`` ("date" or not)."""
    text, words = _words_of(tokens)
    return _date_kind(words) if family == "date" else _figure_kind(text, words)


@lru_cache(maxsize=4096)
def _date_kind(words: tuple[str, ...]) -> str | None:
    kinds = {k for k in _kinds_in(words) if k in DATE_KINDS}
    return kinds.pop() if len(kinds) == 1 else None


def _header_cells(line: Line) -> list[list[Token]]:
    """A header line's cells: tab cells, or words two or more spaces apart."""
    if line.tabbed:
        return tab_cells(line.tokens)
    cells: list[list[Token]] = []
    for token in line.tokens:
        if cells and token.start - cells[-1][-1].end < 2:
            cells[-1].append(token)
        else:
            cells.append([token])
    return cells


def _column_under(
    cell: Sequence[Token], columns: Sequence[Column], by_slot: Mapping[int | None, Column] | None
) -> Column | None:
    """The column a header cell sits over: same tab cell, or the most overlapping span.

    ``by_slot`` is the first column of each tab cell in a tabbed table, ``None`` in another.
    """
    if by_slot is not None:
        return by_slot.get(cell[0].cell)
    start, end = cell[0].start, cell[-1].end
    spans = [(c, c.span) for c in columns if c.span]
    if not spans:
        return None

    def fit(item: tuple[Column, tuple[int, int] | None]) -> tuple[int, float]:
        _, span = item
        assert span is not None
        overlap = min(end, span[1]) - max(start, span[0])
        return overlap, -abs((start + end) / 2 - (span[0] + span[1]) / 2)

    return max(spans, key=fit)[0]


#: A footnote mark standing alone among header words, "(3)": a PDF sets a superscript
#: mark apart from its word, often over the next column's words. It names nothing.
_LONE_MARK = re.compile(r"\(\d{1,2}\)")


def _words_of(tokens: Iterable[Token]) -> tuple[str, tuple[str, ...]]:
    """Some header tokens as printed, and their words for matching (no lone footnote mark)."""
    tokens = list(tokens)
    words = tuple([w for t in tokens if not _LONE_MARK.fullmatch(t.text) for w in t.words])
    return " ".join([t.text for t in tokens]), words


def name_columns(
    columns: list[Column],
    header: Sequence[Line],
    findings: Findings,
    section: Section,
    how: str = "",
) -> bool:
    """Give each column its kind from the header; False (and a problem) when it cannot be told.

    ``how`` the table is printed (its layout's: "row by row"), for the problem.
    """
    bag = _place_header(columns, header, findings, section)
    dates = [c for c in columns if c.family == "date"]
    figures = [c for c in columns if c.family == "figure"]
    for column in dates:
        column.kind = _date_kind(_words_of(column.header)[1]) or ""
    for column in figures:
        column.kind = _figure_kind(*_words_of(column.header)) or ""
        bag.append(column.kind)
    unnamed_dates = _unsettled(dates)
    date_kinds = _named_elsewhere(dates, DATE_KINDS, bag)
    if not date_kinds and len(unnamed_dates) == 2 == len(dates):
        date_kinds = ["record_date", "payable_date"]  # two dates the header does not name
    if not _settle(unnamed_dates, date_kinds, header, findings, section, how):
        return False
    leftover = tuple(_named_elsewhere(figures, FIGURE_KINDS, bag))
    for column in _unsettled(figures):
        if leftover:
            column.candidates = leftover  # proven by the release's figures, or a problem
        else:
            column.kind = "unsupported"
    for column in columns:
        if column.kind in ("declaration_date", "unsupported"):
            # Figures under no header at all are printed and not read: a gap, not a reading.
            unheaded = column.family == "figure" and not _words_of(column.header)[0]
            findings.add(
                "gap" if unheaded else "reading",
                _left_out(column),
                line_numbers(header),
                section.class_name,
            )
    return True


def _left_out(column: Column) -> str:
    """What the report says of a column the table has no place for."""
    named = _words_of(column.header)[0]
    if not named:
        figures = " ".join(t.text for t in column.values[:3])
        what = f"a column without a header ({shown(figures)})" if figures else "a column"
        return f"{what} prints figures under no header: what they are cannot be told; left out"
    if column.kind == "unsupported" and not _kinds_in(_words_of(column.header)[1]):
        return f"the {shown(named)} column names no figure the table holds; left out"
    return f"the {shown(named)} column is not in the table's schema; left out"


def header_text(column: Column) -> str:
    """A column's header words as printed, or what it prints when it has none."""
    named = _words_of(column.header)[0]
    return (
        shown(named)
        if named
        else f"without a header ({shown(' '.join(t.text for t in column.values[:3]))})"
    )


def _place_header(
    columns: list[Column], header: Sequence[Line], findings: Findings, section: Section
) -> list[str]:
    """Put each header cell's words on the column beneath it; the kinds the cells name.

    A header line laid out unlike the figures (spaces over a tabbed table) is
    not placed: only the kinds it names count.
    """
    tabbed_table = any(c.slot is not None for c in columns)
    # The first column of each tab cell (reversed: the first written last), for every header cell.
    by_slot = {c.slot: c for c in reversed(columns)} if tabbed_table else None
    bag: list[str] = []
    fixes: set[tuple[str, str]] = set()
    for line in header:
        fixes.update(_fixes_of(line.tokens))
        if line.tabbed != tabbed_table and tabbed_table:
            bag += _kinds_in(_words_of(line.tokens)[1])  # not aligned: only what it names
            continue
        for cell in _header_cells(line):
            column = _column_under(cell, columns, by_slot)
            if column is not None:
                column.header += cell  # its words count with the column's others
                continue
            text, words = _words_of(cell)
            bag.append(_figure_kind(text, words) or _date_kind(words) or "")
    for column in columns:
        fixes.update(_fixes_of(column.header))
    if fixes:
        listed = some(sorted(fixes), lambda fix: f"{shown(fix[0])} as {fix[1]!r}", most=6)
        findings.add(
            "reading", f"header words read {listed}", line_numbers(header), section.class_name
        )
    return bag


def _unsettled(columns: Sequence[Column]) -> list[Column]:
    """The columns without a kind of their own: none named, or one another column has too."""
    kinds = [c.kind for c in columns]
    if len(set(kinds)) < len(kinds):  # a kind twice (rare): a Counter tells which
        counts = Counter(kinds)
        for column in columns:
            if counts[column.kind] > 1:
                column.kind = ""
    return [c for c in columns if not c.kind]


def _named_elsewhere(
    columns: Sequence[Column], order: Sequence[str], bag: Sequence[str]
) -> list[str]:
    """The kinds the header names that no column has, in ``order`` (the releases' order)."""
    used = {c.kind for c in columns}
    return [kind for kind in order if kind in bag and kind not in used]


def _settle(
    unnamed: Sequence[Column],
    kinds: Sequence[str],
    header: Sequence[Line],
    findings: Findings,
    section: Section,
    how: str,
) -> bool:
    """Give the unnamed columns the header's other kinds in order, when there is one each."""
    if not unnamed:
        return True
    if len(kinds) != len(unnamed):
        findings.add(
            "problem",
            f"cannot tell which column is which{' in a table printed ' + how if how else ''}: "
            f"{len(unnamed)} column{'s' if len(unnamed) != 1 else ''} without a name of "
            f"{'their' if len(unnamed) != 1 else 'its'} own, and the header's other words name "
            f"{len(kinds)} "
            f"({', '.join(map(column_label, kinds)) or 'none'}); a header with one name over "
            "each column would tell (its cells separated by tabs or '|', as the rows' are)",
            line_numbers(header) or line_numbers(section.lines[:1]),
            section.class_name,
        )
        return False
    for column, kind in zip(unnamed, kinds, strict=True):
        column.kind = kind
    return True


def _fixes_of(tokens: Iterable[Token]) -> set[tuple[str, str]]:
    """The OCR fixes of some words, each shown as printed ("Dividenās" as "dividends")."""
    return {
        (token.text if len(token.words) == 1 else old, new)
        for token in tokens
        for old, new in token.fixes
    }
