"""Steps 1 and 2: the release's lines, normalised, cut into tokens and given a role.

Each line of the text is made readable (``\\$`` becomes ``$``, look-alike Greek
and Cyrillic letters become Latin ones, markdown heading marks and footnote
marks go — a superscript ``¹`` or a glued ``(1)`` is never a digit), cut into
tokens (:class:`Token`) — dates, figures (a damaged one such as ``1.`` marked as
such), annual labels, dashes and words, a word the OCR damaged matched to the
nearest header word — and given a :data:`Role`: blank, a rule, header words, rows
of figures, a line laid out column by column, a headerless line of columns, or
text.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import itertools
import math
import operator
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache, partial
from typing import Literal, NamedTuple

from ..dates import to_date
from ..errors import XlReitError, shown
from .report import Findings, some

#: Greek and Cyrillic letters that print like Latin ones; an OCR engine picks them
#: at random for the Latin letter ("Class Α" with a Greek capital alpha).
_LOOKALIKES = str.maketrans(
    {
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "У": "Y", "Х": "X", "а": "a", "е": "e", "о": "o", "р": "p",
        "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    }
)  # fmt: skip
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
#: "Section $1250": a section sign printed as "$" (no amount follows the word "Section").
_SECTION_DOLLAR = re.compile(r"(?i)(?<![a-z])(?:section|sec\.?) ?(\$)(?=\d)")
#: A percent sign in a cell of its own after its figure's: "90.0562 | % |".
_PERCENT_CELL = re.compile(r"(\d)[ \t]*\|[ \t]*%(?=[ \t]*(?:\||$))")
#: Cells a copy glued together: a figure or a date run into a dollar figure, a date into
#: a date, a percentage into a figure ("$0.880000$0.551034", "1/3/20201/15/2020$0.28",
#: "60.5817%0.4409%"), looked for before they are cut (each test is quick on its own).
_GLUED = ((re.compile(r"\d\$"), "$"), (re.compile(r"/\d{3,6}/"), "/"), (re.compile(r"%\d"), "%"))
#: The cells glued cells may be, each matched where a cell starts.
_GLUED_CELL = re.compile(
    r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?:\d{2}|(?:19|20)\d{2})|\$\d*\.?\d+|\d*\.\d+%"
)
#: Characters of a run of glued cells, at most, that are cut, and of one of its cells:
#: every cut is tried.
_MOST_GLUED = 160
_LONGEST_CELL = 16
#: "0. 97000", ". 4296875", "$1. 28040": a figure a copy broke after its decimal point.
_BROKEN_DECIMAL = re.compile(r"(?:(?<=\s)|^)(\$\d{0,3}\.|0?\.) (\d{2,})(?![\d.,])")
#: Footnote marks, never digits: superscript digits anywhere ("$0.4375¹", which
#: NFKC would make 0.43751), and digits in brackets glued to what they mark
#: ("10/19/23(7)", "Dividends[2]", "($0.25)(2)", a markdown "[^3]").
_SUPERSCRIPT_MARK = re.compile("[⁽⁾⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_BRACKETED_MARK = re.compile(r"(?<=\S)(?:\(\d{1,2}\)|\[\^?\d{1,2}\])+")
#: How a bracketed mark starts: looked for first, as most brackets ("(15% Rate)") hold none.
_BRACKETED_START = re.compile(r"[(\[][\^\d]")
#: How much of what a mark is glued to a finding quotes.
_MARK_CONTEXT = 24


class _Normalised(NamedTuple):
    """One line made readable, the look-alike letters it held and its footnote marks.

    Each mark is quoted with what it is glued to, as printed ("$0.4375¹").
    """

    text: str
    lookalikes: str
    marks: list[str]
    joined: list[str]  # figures broken after their point, read whole
    glued: list[str]  # runs of cells glued together, read apart


def _normalise(raw: str) -> _Normalised:
    """One line of release text made readable.

    Footnote marks are blanked out, keeping every other character where it is
    (columns aligned with spaces are told by position).
    """
    marks: list[str] = []
    text = raw.replace("\\$", " $")
    lookalikes = ""
    if not text.isascii():  # most lines are, and need none of this
        text = _blank_marks(_SUPERSCRIPT_MARK, text, marks)
        text = unicodedata.normalize("NFKC", text)
        lookalikes = "".join(sorted({c for c in text if ord(c) in _LOOKALIKES}))
        text = text.translate(_LOOKALIKES)
    if ("(" in text or "[" in text) and _BRACKETED_START.search(text):
        text = _blank_marks(_BRACKETED_MARK, text, marks)
    if "#" in text:
        text = _MARKDOWN_HEADING.sub("", text)
    if "$" in text:
        text = _SECTION_DOLLAR.sub(lambda m: m.group()[:-1] + " ", text)  # widths kept
    joined: list[str] = []
    if ". " in text and _BROKEN_DECIMAL.search(text):
        joined = [m.group() for m in _BROKEN_DECIMAL.finditer(text)]
        text = _BROKEN_DECIMAL.sub(r"\1\2 ", text)  # widths kept
    glued: list[str] = []
    if ("$" in text or "/" in text or "%" in text) and _may_be_glued(text):

        def cut(match: re.Match[str]) -> str:
            chunk = match.group()
            cells = _unglued(chunk) if _may_be_glued(chunk) else None
            if not cells:
                return chunk
            glued.append(chunk)
            return " ".join(cells)

        text = _PRINTED.sub(cut, text)  # each run where it stands
    text = text.rstrip()
    if text.count("|") >= 2:
        if "%" in text:
            text = _PERCENT_CELL.sub(r"\1%", text)  # "90.0562 | %": the figure's own sign
        text = text.replace("|", "\t")  # a row of cells between pipes: "a | b | c |"
    return _Normalised(text, lookalikes, marks, joined, glued)


def _may_be_glued(text: str) -> bool:
    return any(sign in text and pattern.search(text) for pattern, sign in _GLUED)


def _unglued(chunk: str) -> list[str] | None:
    """The dates and figures a run of glued cells is, where it can be cut into them one
    way only (each date a real one, each figure after a "$" or before a "%"); else
    ``None``: "12/01/2212/30/22$0.88" is "12/01/22", "12/30/22", "$0.88"."""
    if len(chunk) > _MOST_GLUED:
        return None
    # ways[i]: how many ways (0, 1, or 2 for more) chunk[i:] is cut, and its first cell's end
    ways: list[tuple[int, int]] = [(0, 0)] * len(chunk) + [(1, 0)]
    for start in range(len(chunk) - 1, -1, -1):
        count, first = 0, 0
        for end in range(start + 1, min(len(chunk), start + _LONGEST_CELL) + 1):
            if ways[end][0] and _is_cell(chunk[start:end]):
                count, first = count + ways[end][0], end
        ways[start] = (min(count, 2), first)
    if ways[0][0] != 1:
        return None
    cells, at = [], 0
    while at < len(chunk):
        end = ways[at][1]
        cells.append(chunk[at:end])
        at = end
    return cells if len(cells) > 1 else None


def _is_cell(text: str) -> bool:
    match = _GLUED_CELL.fullmatch(text)
    if match is None:
        return False
    if match["month"] is None:
        return True
    return 1 <= int(match["month"]) <= 12 and 1 <= int(match["day"]) <= 31


def _blank_marks(pattern: re.Pattern[str], text: str, marks: list[str]) -> str:
    """``text`` with each mark ``pattern`` finds replaced by spaces; each mark quoted."""

    def blank(match: re.Match[str]) -> str:
        after = text[match.end() : match.end() + 1]
        if pattern is _BRACKETED_MARK and after and not after.isspace():
            return match.group()  # "(1)x": glued to what follows too, so no mark
        before = re.split(r"\s", text[max(0, match.start() - _MARK_CONTEXT) : match.start()])
        marks.append(before[-1] + match.group())
        return " " * len(match.group())

    return pattern.sub(blank, text)


#: Words of column headers and row labels. A word the OCR damaged is read as the
#: nearest of these ("Unitecaptured" → unrecaptured, "Pavable" → payable).
VOCABULARY = frozenset(
    """record payable paid payment date dates ex declaration declared dividend dividends
    distribution distributions per share amount cash ordinary qualified nonqualified taxable
    section sec unrecaptured gain gains capital return nondividend nontaxable total annual
    rate long term income common preferred stock class series""".split()
)
_ANNUAL_LABELS = ("annual", "total", "totals")
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_MONTH_DATE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b",
    re.IGNORECASE,
)
#: "12-31-12": a month, day and year with dashes (an ISO date starts with its year).
_DASHED_DATE = re.compile(r"(?<![\d-])\d{1,2}-\d{1,2}-(?:\d{4}|\d{2})(?![\d-])")
#: The "$" of a nil printed "$ -": the dash alone is the figure.
_DOLLAR_NIL = re.compile(r"\$\s*(?=[-–—](?:\s|$))")
_SPACED_DOLLAR = re.compile(r"\$\s+(?=[\d.])")  # "$ 0.50"
_SPACED_PERCENT = re.compile(r"(?<=\d)(\s+)%")  # "0.50 %"
#: Dollars with the percentage of the payment beside them: "$2.8434500 (93.197%)".
_WITH_PERCENT = re.compile(r"(\$\d*\.?\d+)(\s*)\((\d*\.?\d+)%\)")
#: "($0.25)", "$(0.25)"; "-0.4045", "-$0.25" (a minus sign before a figure with a point).
_NEGATIVE = re.compile(r"\$?\((\$?\d*\.?\d+%?)\)|\$?[-−](\$?\d*\.\d+%?)")
_BOTH = re.compile(r"\$(?P<dollars>\d*\.?\d+)\((?P<percent>\d*\.?\d+)%\)")
_PRINTED = re.compile(r"\S+")  # a token as printed
_NUMERIC_DATE = re.compile(r"\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}")
#: A figure: "$0.600", "1.6588%", "1." (lost its decimals), ".6588%" (lost its units).
#: The fraction follows the point: two runs of digits side by side would let a
#: long run that is no figure be split every way before it is refused.
_FIGURE = re.compile(
    r"(?P<dollar>\$)?(?P<whole>\d+)?(?:(?P<point>\.)(?P<fraction>\d+)?)?(?P<pct>%)?"
)
_DASHES = frozenset("-–—")
_RULE = re.compile(r"[-_=–—]+")
#: A line of nothing but dollar-signed dashes ("$ -", "$—"), or one dash alone (a cell a
#: line): nil figures, not a rule.
_NIL_CELLS = re.compile(r"(?:\$ ?[-–—]{1,2} *)+|[-–—]")

Family = Literal["date", "figure", "label", "word", "dash"]


# Not frozen, though never changed once made (and hashed by value, as a frozen one
# is): a frozen dataclass sets each field through object.__setattr__, which made
# building the hundreds of thousands of tokens of a large release six times slower.
@dataclass(slots=True, unsafe_hash=True)
class Token:
    """A date, figure, label or word as printed, and where: line, tab cell, characters.

    Tokens are shared (one read of "$0.25" serves every cell that prints it):
    never change one, make a new one with :func:`dataclasses.replace`.
    """

    text: str
    family: Family
    line: int
    cell: int
    start: int
    end: int
    day: dt.date | None = None
    amount: Decimal | None = None
    unit: str = ""
    damaged: bool = False
    words: tuple[str, ...] = ()
    fixes: tuple[tuple[str, str], ...] = ()
    #: How a figure not read as printed was inferred, for the notes of its row.
    inferred: str = ""
    #: The percentage of the payment printed beside a figure in dollars ("$2.84 (93.197%)").
    percent: Decimal | None = None

    @property
    def is_value(self) -> bool:
        return self.family in ("date", "figure")


#: A word with a footnote mark the OCR read as a plain digit: "dividends1".
_MARKED_WORD = re.compile(r"([a-z]{2,})\d{1,2}")


@lru_cache(maxsize=4096)
def _corrected(word: str) -> str:
    """``word`` or, when the OCR damaged it, the nearest header word.

    A header word never ends in a digit: one or two glued to a known word are
    its footnote mark ("Dividends1" is "dividends").
    """
    if word in VOCABULARY:
        return word
    marked = _MARKED_WORD.fullmatch(word)
    if marked and _corrected(marked[1]) in VOCABULARY:
        return _corrected(marked[1])
    if len(word) < 5 or not word.isalpha():
        return word
    return _NEAR_HEADER_WORDS.nearest(word) or word


def _letters(word: str) -> int:
    """The letters (and digits) of a lower-case word, one bit each."""
    return functools.reduce(operator.or_, map(_LETTER_BITS.__getitem__, word), 0)


_LETTER_BITS = {c: 1 << bit for bit, c in enumerate("abcdefghijklmnopqrstuvwxyz0123456789")}


class _NearWords:
    """Words a printed word may be a damaged copy of, within ``cutoff`` by difflib's ratio.

    difflib first checks each candidate's length and the letters it has in
    common with the word, and most printed words pass neither for any
    candidate. Those checks are made here first, on letter masks and at most
    as strict (a letter printed twice may count twice), so difflib compares
    only the few candidates that may be near: the answer is difflib's.
    """

    def __init__(self, words: Iterable[str], cutoff: float) -> None:
        self._words = [(word, _letters(word)) for word in sorted(words)]
        self._cutoff = cutoff
        self._by_length: dict[int, list[tuple[str, int, int]]] = {}

    def nearest(self, word: str) -> str | None:
        """The nearest of the words to ``word``, when one is within the cutoff."""
        mask = _letters(word)
        shared_at_most = len(word) - mask.bit_count()  # + the letters in common
        possible = [
            candidate
            for candidate, letters, needed in self._of_length(len(word))
            if (mask & letters).bit_count() + shared_at_most >= needed
        ]
        close = difflib.get_close_matches(word, possible, 1, self._cutoff) if possible else []
        return close[0] if close else None

    def _of_length(self, length: int) -> list[tuple[str, int, int]]:
        """The words a word of ``length`` letters may be near, and how many letters it must share.

        Near means 2 × (letters in common) ≥ cutoff × (both lengths); with
        every letter in common, the lengths alone must allow it.
        """
        if length not in self._by_length:
            self._by_length[length] = []
            for word, letters in self._words:
                needed = (self._cutoff * (len(word) + length) - 1e-9) / 2  # float rounding
                if min(len(word), length) >= needed:
                    self._by_length[length].append((word, letters, math.ceil(needed)))
        return self._by_length[length]


_NEAR_HEADER_WORDS = _NearWords(VOCABULARY, 0.75)
_NEAR_ANNUAL_LABELS = _NearWords(_ANNUAL_LABELS, 0.6)


def _match_words(text: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Lower-case ASCII words of ``text`` for matching, and the OCR fixes made."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).lower()
    words, fixes = [], []
    for word in re.findall(r"[a-z0-9]+", plain):
        fixed = _corrected(word)
        words.append(fixed)
        if fixed != word:
            fixes.append((word, fixed))
    return tuple(words), tuple(fixes)


def _is_annual_label(word: str) -> bool:
    """ "Annual", "Total", or a word the OCR made of one ("Appual"); past 14 letters none is."""
    return 4 <= len(word) <= 14 and _NEAR_ANNUAL_LABELS.nearest(word) is not None


def _prepare(cell: str) -> str:
    """Join what belongs to one token — "$ 0.50", "0.50 %", "January 15, 2019" — keeping widths."""

    def iso(match: re.Match[str]) -> str:
        month = _MONTHS[match.group(1).lower()[:3]]
        text = f"{match.group(3)}-{month:02d}-{int(match.group(2)):02d}"
        return text.ljust(len(match.group()))

    cell = _MONTH_DATE.sub(iso, cell)
    if "-" in cell:
        cell = _DASHED_DATE.sub(lambda m: m.group().replace("-", "/"), cell)
    if "$" in cell:
        cell = _SPACED_DOLLAR.sub(lambda m: "$".rjust(len(m.group())), cell)
        cell = _DOLLAR_NIL.sub(lambda m: " " * len(m.group()), cell)  # "$ -" is a dash
    if "%" in cell:
        cell = _SPACED_PERCENT.sub(lambda m: "%".ljust(len(m.group())), cell)
        if "$" in cell:
            cell = _WITH_PERCENT.sub(lambda m: f"{m[1]}({m[3]}%)".ljust(len(m.group())), cell)
    return cell


def _token(text: str, line: int, cell: int, start: int, leading_zeros: bool) -> Token:
    """One printed token where it stands, classified by :func:`_read`."""
    return _placed(_read(text, leading_zeros), line, cell, start)


def _placed(read: Token, line: int, cell: int, start: int) -> Token:
    """A token read at the start of line 0 (:func:`_read`), put where it is printed."""
    return Token(
        read.text, read.family, line, cell, start, start + len(read.text), read.day, read.amount,
        read.unit, read.damaged, read.words, read.fixes, "", read.percent,
    )  # fmt: skip


@lru_cache(maxsize=65536)  # a release prints the same figures, dates and words again and again
def _read(text: str, leading_zeros: bool) -> Token:
    """Classify one printed token: a date, a figure (maybe damaged), a dash, a label or a word.

    What it is does not depend on where it stands: the token is at the start
    of line 0, and :func:`_token` puts it where it is printed.
    """
    read = partial(Token, text, line=0, cell=0, start=0, end=len(text))
    both = _BOTH.fullmatch(text) if text.endswith("%)") else None
    if both:
        return read(
            family="figure",
            amount=Decimal(both["dollars"]),
            unit="$",
            percent=Decimal(both["percent"]),
        )
    negative = _NEGATIVE.fullmatch(text)
    if negative:  # "($0.25)": an adjustment taken off
        inner = _read(negative[1] or negative[2], leading_zeros)
        if inner.family == "figure" and inner.amount is not None:
            unit = "$" if text.startswith("$") else inner.unit
            return read(family="figure", amount=-inner.amount, unit=unit)
    if _NUMERIC_DATE.fullmatch(text):
        try:
            return read(family="date", day=to_date(text, "date"))
        except XlReitError:
            return read(family="date", damaged=True)
    match = _FIGURE.fullmatch(text)
    if (
        match
        and (match["whole"] or match["fraction"])
        and not (match["dollar"] and match["pct"])
        and (match["point"] or match["dollar"] or match["pct"] or text == "0")
    ):
        # "1." lost its decimals; ".6588%" lost its units digit where the release prints "0.x"
        # (not "$.494148": the "$" printed before the point shows where the figure begins).
        damaged = bool(match["point"]) and (
            not match["fraction"] or (not match["whole"] and leading_zeros and not match["dollar"])
        )
        unit = "%" if match["pct"] else "$" if match["dollar"] else ""
        amount = None if damaged else Decimal(text.strip("$%"))
        return read(family="figure", amount=amount, unit=unit, damaged=damaged)
    if text in _DASHES:
        return read(family="dash")
    words, fixes = _match_words(text)
    label = len(words) == 1 and not words[0].isdigit() and _is_annual_label(words[0])
    return read(family="label" if label else "word", words=words, fixes=fixes)


@lru_cache(maxsize=65536)  # a release prints the same cells ("$0.25", a date) again and again
def _cell_tokens(part: str, leading_zeros: bool) -> tuple[tuple[int, Token], ...]:
    """A tab cell's tokens, each with where it starts in the cell, read by :func:`_read`."""
    return tuple(
        (match.start(), _read(match.group(), leading_zeros))
        for match in _PRINTED.finditer(_prepare(part))
    )


def _tokenise(number: int, text: str, leading_zeros: bool) -> tuple[Token, ...]:
    tokens: list[Token] = []
    offset = 0
    for cell, part in enumerate(text.split("\t")):
        for start, read in _cell_tokens(part, leading_zeros):
            # _placed(read, number, cell, start) inline, every argument positional: the
            # import's hottest loop, where a call or a keyword argument costs a third more.
            start += offset
            tokens.append(
                Token(
                    read.text, read.family, number, cell, start, start + len(read.text), read.day,
                    read.amount, read.unit, read.damaged, read.words, read.fixes, "", read.percent,
                )
            )  # fmt: skip
        offset += len(part) + 1
    if "%" not in text or "rate" not in text.lower():
        return tuple(tokens)
    # "15% Rate" is a header's rate, not a figure.
    return tuple(
        Token(t.text, "word", t.line, t.cell, t.start, t.end, words=_match_words(t.text)[0])
        if t.family == "figure"
        and t.unit == "%"
        and i + 1 < len(tokens)
        and tokens[i + 1].text.lower().startswith("rate")
        else t
        for i, t in enumerate(tokens)
    )


def _decimals(figure: str) -> int:
    """How many decimals a figure prints: 4 for "$0.4375" and "73.6080%", 0 for "0"."""
    _, point, fraction = figure.rstrip("%").partition(".")
    return len(fraction) - len(fraction.lstrip("0123456789")) if point else 0


def footnote_digits(figures: Sequence[Token]) -> dict[Token, Token]:
    """The figures of one column that may end in a footnote mark, each read without it.

    The OCR reads a superscript mark as a plain digit ("$0.43751" for
    "$0.4375¹"), and only the column's printed precision tells it from a last
    digit: a figure is read so only where every other figure of the column
    (all in its unit, with decimals) prints one decimal fewer, and where the digit is not 0
    (no footnote is numbered 0). Anything else is read as printed. Precision
    proves nothing ("$0.50" and "$0.525" are both figures), so the caller
    reports such a reading as inferred.
    """
    legible = [
        t
        for t in figures
        if t.family == "figure" and t.amount is not None and "(" not in t.text  # not "$(0.06)"
    ]
    places = {_decimals(text) for text in {t.text for t in legible}}  # each text once
    if len(places) != 2 or len({t.unit for t in legible}) != 1:
        return {}
    fewer, more = sorted(places)
    longer = [t for t in legible if _decimals(t.text) == more]
    if fewer == 0 or more != fewer + 1 or len(longer) != 1:
        return {}
    (marked,) = longer
    figure = marked.text.rstrip("%")
    if not figure[-1].isdigit() or figure.endswith("0"):  # "($0.255)": no mark at its end
        return {}
    text = figure[:-1] + marked.text[len(figure) :]
    return {marked: replace(marked, text=text, amount=Decimal(text.strip("$%")))}


Role = Literal["blank", "rule", "words", "columns", "bare", "rows", "text"]

#: The roles of the lines that print a table's figures. Each is also the name of
#: the layout that reads such lines; a table whose lines have several is read in
#: the first of them in this order.
FIGURE_ROLES: tuple[Role, ...] = ("bare", "columns", "rows")


@dataclass(slots=True, unsafe_hash=True)  # never changed: not frozen for speed, as Token
class Line:
    """One line of the release: its number, normalised text, tokens and role."""

    number: int
    text: str
    tabbed: bool
    tokens: tuple[Token, ...]
    role: Role


def tab_cells(tokens: Iterable[Token]) -> list[list[Token]]:
    """Tokens grouped by tab cell (one group for a line without tabs)."""
    return [list(group) for _, group in itertools.groupby(tokens, key=_CELL_OF)]


_CELL_OF = operator.attrgetter("cell")


def _homogeneous(tokens: Sequence[Token]) -> bool:
    families = {"date" if t.family == "date" else "figure" for t in tokens if t.is_value}
    return bool(tokens) and len(families) == 1 and all(t.is_value for t in tokens)


def column_parts(segment: Sequence[Token]) -> tuple[list[Token], list[Token], bool]:
    """A column-by-column segment's header words, values, and whether an annual label ends it."""
    words = list(itertools.takewhile(lambda t: t.family == "word", segment))
    values = list(segment[len(words) :])
    label = bool(values) and values[-1].family == "label"
    return words, values[:-1] if label else values, label


def _is_headed_column(segment: Sequence[Token]) -> bool:
    """ "Record Date 03/01/04 06/01/04": a short header, then figures of one kind."""
    if segment[0].family != "word":
        return False
    words, values, _ = column_parts(segment)
    return 0 < len(words) <= 8 and _homogeneous(values)


def _is_bare_column(segment: Sequence[Token]) -> bool:
    return len(segment) >= 2 and _homogeneous(segment)


def _role(tokens: Sequence[Token], tabbed: bool) -> Role:
    if not tokens:
        return "blank"
    if all(_RULE.fullmatch(t.text) for t in tokens):
        return "rule"
    values = [t for t in tokens if t.is_value]
    if not values:
        return "words"
    words = [t for t in tokens if t.family == "word"]
    if any(t.words[:1] == ("cusip",) for t in words):  # (a label is never "cusip")
        return "text"  # a class heading ("CUSIP # 69360J 55 2"), whatever its digits
    if not words:  # so no column headed by its words either: told without its cells
        if (
            tabbed
            and len({t.cell for t in tokens}) < len(tokens)  # a cell holds several tokens
            and sum(_is_bare_column(s) for s in tab_cells(tokens)) >= 2
        ):
            return "bare"
        return "rows"
    segments = tab_cells(tokens)
    if any(_is_headed_column(s) for s in segments) and all(
        _is_headed_column(s) or _is_bare_column(s) or not any(t.is_value for t in s)
        for s in segments
    ):
        return "columns"
    if len(words) <= 2 and len(values) >= 2 and tokens[0].family == "word":
        return "rows"  # a row label such as "Q1"
    return "text"


def _with_dashes_as_zero(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """In a line of figures, a lone dash prints a nil figure."""
    return tuple(
        Token("0", "figure", t.line, t.cell, t.start, t.end, amount=Decimal(0))
        if t.family == "dash"
        else t
        for t in tokens
    )


def read_lines(text: str, findings: Findings) -> list[Line]:
    normalised = [_normalise(raw) for raw in text.splitlines()]
    leading_zeros = any(re.search(r"(?<![\d.])0\.\d", line.text) for line in normalised)
    lines = []
    for number, (line_text, lookalikes, marks, joined, glued) in enumerate(normalised, 1):
        if lookalikes:
            names = ", ".join(f"{c!r} ({unicodedata.name(c, '?').lower()})" for c in lookalikes)
            findings.add("reading", f"look-alike letter {names} read as Latin", (number,))
        if marks:
            findings.add("reading", _marks_reading(marks), (number,))
        if joined:
            listed = some(joined, shown)
            findings.add(
                "reading", f"a figure broken after its point read whole: {listed}", (number,)
            )
        if glued:
            listed = some(glued, shown)
            findings.add("reading", f"cells glued together read apart: {listed}", (number,))
        tokens = _tokenise(number, line_text, leading_zeros)
        role = _role(tokens, "\t" in line_text)
        if role == "rule" and _NIL_CELLS.fullmatch(line_text.strip()):
            role = "rows"
        if role in FIGURE_ROLES and any(t.family == "dash" for t in tokens):
            tokens = _with_dashes_as_zero(tokens)
            findings.add("reading", "a dash among the figures is read as 0", (number,))
        if role in ("rows", "columns"):
            labels = [
                t.text
                for t in tokens
                if t.family == "label" and (t.fixes or t.words[0] not in _ANNUAL_LABELS)
            ]
            if labels:
                listed = some(labels, shown)
                findings.add("reading", f"row label {listed} read as 'annual'", (number,))
        lines.append(Line(number, line_text, "\t" in line_text, tokens, role))
    return lines


def _marks_reading(marks: Sequence[str]) -> str:
    """How a line's footnote marks were read ("footnote mark '$0.4375¹' …"), a few quoted."""
    if len(marks) == 1:
        return f"footnote mark {shown(marks[0])} read as a mark, not a digit"
    return f"footnote marks {some(marks, shown)} read as marks, not digits"


def line_numbers(lines: Iterable[Line]) -> tuple[int, ...]:
    return tuple(line.number for line in lines)


def token_of(text: str, line: int) -> Token:
    """One token read from ``text`` as if printed alone on ``line`` ("$" and "0.1145" joined)."""
    return _token(text, line, 0, 0, True)


def line_of(
    number: int, cells: Sequence[Sequence[Token]], tabbed: bool = True, role: Role | None = None
) -> Line:
    """A line put together from tokens printed on other lines (one cell per line).

    Each token keeps the line it was printed on, the report's evidence; its
    cell becomes its place in ``cells`` when ``tabbed`` (else all are one
    cell, one space apart). A dash among figures is a nil figure, as on any
    line.
    """
    tokens: list[Token] = []
    offset = 0
    for index, cell in enumerate(cells):
        for token in cell:
            end = offset + len(token.text)
            tokens.append(replace(token, cell=index if tabbed else 0, start=offset, end=end))
            offset = end + 1
        offset += 1
    separator = "\t" if tabbed else " "
    text = separator.join(" ".join(token.text for token in cell) for cell in cells)
    role = role or _role(tokens, tabbed)
    if role in FIGURE_ROLES and any(token.family == "dash" for token in tokens):
        tokens = list(_with_dashes_as_zero(tuple(tokens)))
    return Line(number, text, tabbed, tuple(tokens), role)
