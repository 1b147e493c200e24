"""Import a REIT's dividend tax allocation release: from pasted or OCR'd text to a checked table.

Every January a REIT publishes how the past year's dividends split for tax, the
"dividend income tax allocation": for each share class (a heading with the
class name and its CUSIP), for each payment (record and payable date), the
dividend per share and its parts — ordinary (non-qualified) dividends,
qualified dividends, Section 199A dividends, capital gain, unrecaptured
Sec. 1250 gain and return of capital (:mod:`xl_reit.components`).
:func:`parse_release` reads such a release's text into the rows of a table in
the bundled schema (:mod:`xl_reit.table`) and a report that proves the
figures add up; :func:`run_import` is the command line's ``xl-reit import``.

The parser is a pipeline of small steps:

1. *normalise* the text: ``\\$`` becomes ``$``, look-alike Greek and Cyrillic
   letters become Latin ones ("Class Α" with a Greek alpha is Class A),
   markdown heading marks go;
2. *tokenise* every line into dates, figures (``$0.600``, ``1.6588%``, a
   figure that lost a digit such as ``1.``), annual labels and words, and give
   the line a role: a rule, header words, rows of figures, a line laid out
   column by column ("Record Date 03/01/04 06/01/04 …"), or text;
3. cut the text into *class sections* at the headings that carry a CUSIP;
4. cut each section into *tables*: header lines, then figure lines (blank lines
   may sit inside a table);
5. *read* each table row by row or column by column, and name its columns from
   the header (the project's own vocabulary first, then key words; a word the
   OCR damaged — "Unitecaptured", "Pavable", "Appual" — is matched to the
   nearest known word). Header words split over several lines are put back
   together by column;
6. *join* one class's tables (a dividend table and a capital-gain table) by
   record and payable date;
7. *repair* what the release itself proves, *infer* what it only suggests, and
   report everything else;
8. *interpret*: decide from the arithmetic whether the parts are percentages
   of the payment or dollars per share, and whether the 1099 columns are
   additive or nested (qualified and Section 199A dividends within total
   ordinary dividends, unrecaptured 1250 gain within total capital gain), then
   convert to the table's disjoint percentages;
9. *reconcile*: load every class with :class:`~xl_reit.table.AllocationTable`,
   which checks that each payment's parts add up to exactly 100% and that the
   payments add up to the printed annual line.

The report sorts what it found into four kinds (:class:`Finding`):

``reading``
    how the text was read — an OCR fix, a layout, a conversion. No figure
    depends on a guess.
``repair``
    a figure the text does not show legibly but the release proves: a date
    from the same class's other table, the value printed on every other row of
    its column, and the row then adds up to 100%. Written into the row's notes.
``gap``
    a figure inferred without proof (marked "inferred") or not printed. Written
    into the notes; the import is not ok, and the table is written only when
    gaps are allowed.
``problem``
    something that does not reconcile or cannot be read. The class is left out
    of the table, even when gaps are allowed, and the import is not ok.

Never a silent guess: every inference is in the report, with its evidence and
the line numbers of the release text, and in the notes of the rows it touches.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, Inexact, localcontext
from functools import lru_cache
from pathlib import Path
from typing import Literal, TextIO

from . import csvsafe
from . import cusip as cusip_module
from .atomic import write_atomically
from .components import COMPONENTS, PARTS, resolve
from .dates import to_date
from .errors import DataFileError, XlReitError
from .table import (
    DATE_COLUMNS,
    IDENTITY_COLUMNS,
    PROVENANCE_COLUMNS,
    AllocationTable,
    SecurityClass,
    normalise_symbol,
)

__all__ = [
    "AnnualCheck",
    "ClassReport",
    "Finding",
    "FindingKind",
    "ImportReport",
    "ImportResult",
    "PaymentCheck",
    "parse_release",
    "run_import",
]

FindingKind = Literal["reading", "repair", "gap", "problem"]
HUNDRED = Decimal(100)

# --- the report ----------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One thing the import found: how it read the text, a repair, a gap or a problem.

    ``lines`` are line numbers of the release text (1 is its first line);
    ``class_name`` is empty when the finding concerns the whole release.
    """

    kind: FindingKind
    message: str
    lines: tuple[int, ...] = ()
    class_name: str = ""

    def text(self) -> str:
        """The finding as one line of the printed report."""
        where = f"{_line_ranges(self.lines)}: " if self.lines else ""
        who = f"{self.class_name}: " if self.class_name else ""
        return f"{where}{who}{self.message}"


@dataclass(frozen=True)
class PaymentCheck:
    """One payment as imported: its dates, dividend and the sum of its parts.

    ``parts_total`` is the sum of the percentages written to the table (100
    when the row reconciles); it is ``None`` for a payment that could not be
    completed.
    """

    record_date: dt.date | None
    payable_date: dt.date | None
    dividend_per_share: Decimal | None
    parts_total: Decimal | None
    lines: tuple[int, ...]


@dataclass(frozen=True)
class AnnualCheck:
    """A class's printed annual line beside what its payments add up to.

    ``payments_dividend`` is the sum of the payments' dividends and
    ``weighted_parts`` each part's dividend-weighted percentage, as
    :class:`~xl_reit.table.AllocationTable` computes them; the table refuses a
    printed figure that differs, so a written class's printed figures match.
    """

    lines: tuple[int, ...]
    printed_dividend: Decimal | None
    payments_dividend: Decimal
    printed_parts: Mapping[str, Decimal]
    weighted_parts: Mapping[str, Decimal]


@dataclass(frozen=True)
class ClassReport:
    """What the import found for one share class."""

    class_name: str
    cusip: str
    symbol: str
    heading_lines: tuple[int, ...]
    tables: tuple[str, ...]
    reading: str
    payments: tuple[PaymentCheck, ...]
    annual: AnnualCheck | None
    written: bool


@dataclass(frozen=True)
class ImportReport:
    """The reconciliation report of one release."""

    source_name: str
    issuer: str
    tax_year: int | None
    classes: tuple[ClassReport, ...]
    findings: tuple[Finding, ...]

    def of_kind(self, kind: FindingKind) -> tuple[Finding, ...]:
        """The findings of one kind, in the order they were found."""
        return tuple(finding for finding in self.findings if finding.kind == kind)

    @property
    def ok(self) -> bool:
        """True when every figure was read or proven and everything reconciles."""
        return not any(finding.kind in ("gap", "problem") for finding in self.findings)


@dataclass(frozen=True)
class ImportResult:
    """The table rows a release imports to, and the report that checks them.

    ``rows`` hold every class that reconciles, in the release's order, each
    payment then the class's annual line, as strings in ``columns`` (the
    bundled table's schema). Gaps are already in their notes; a class with a
    problem is not among them.
    """

    columns: tuple[str, ...]
    rows: tuple[Mapping[str, str], ...]
    report: ImportReport

    @property
    def ok(self) -> bool:
        """False when something does not reconcile, could not be read, or is only inferred."""
        return self.report.ok

    def to_csv(self, allow_gaps: bool = False) -> str:
        """The table as CSV text.

        Raises :class:`DataFileError` listing the problems and gaps when the
        import is not ok, unless ``allow_gaps``: then the classes that
        reconcile are written, with their gaps in the notes.
        """
        if not self.ok and not allow_gaps:
            raise DataFileError(
                [
                    f"{self.report.source_name}: {finding.text()}"
                    for finding in self.report.findings
                    if finding.kind in ("gap", "problem")
                ]
            )
        return _csv_text(self.columns, self.rows)

    def table(self) -> AllocationTable:
        """The imported rows loaded and validated as an :class:`AllocationTable`."""
        return AllocationTable.from_texts(
            [(self.report.source_name, _csv_text(self.columns, self.rows))]
        )

    def report_text(self) -> str:
        """The report, for printing."""
        return _report_text(self.report)


class _Findings:
    """Collects findings; a problem also marks its class as not writable."""

    def __init__(self) -> None:
        self.items: list[Finding] = []
        self.failed: set[str] = set()

    def add(
        self, kind: FindingKind, message: str, lines: Iterable[int] = (), class_name: str = ""
    ) -> None:
        self.items.append(Finding(kind, message, tuple(sorted(set(lines))), class_name))
        if kind == "problem" and class_name:
            self.failed.add(class_name)


# --- 1. normalise ----------------------------------------------------------------

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


def _normalise(raw: str) -> tuple[str, str]:
    """One line of release text made readable, and the look-alike letters it held."""
    text = unicodedata.normalize("NFKC", raw.replace("\\$", " $"))
    lookalikes = "".join(sorted({c for c in text if ord(c) in _LOOKALIKES}))
    text = _MARKDOWN_HEADING.sub("", text.translate(_LOOKALIKES)).rstrip()
    return text, lookalikes


# --- 2. tokens and line roles ---------------------------------------------------

#: Words of column headers and row labels. A word the OCR damaged is read as the
#: nearest of these ("Unitecaptured" → unrecaptured, "Pavable" → payable).
_VOCABULARY = frozenset(
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
_NUMERIC_DATE = re.compile(r"\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}")
_FIGURE = re.compile(r"(?P<dollar>\$)?(?P<whole>\d+)?(?P<point>\.)?(?P<fraction>\d+)?(?P<pct>%)?")
_DASHES = frozenset("-–—")
_RULE = re.compile(r"[-_=–—]+")

Family = Literal["date", "figure", "label", "word", "dash"]


@dataclass(frozen=True)
class _Token:
    """A date, figure, label or word as printed, and where: line, tab cell, characters."""

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

    @property
    def is_value(self) -> bool:
        return self.family in ("date", "figure")


@lru_cache(maxsize=4096)
def _corrected(word: str) -> str:
    """``word`` or, when the OCR damaged it, the nearest header word."""
    if word in _VOCABULARY or len(word) < 5 or not word.isalpha():
        return word
    near = difflib.get_close_matches(word, _VOCABULARY, n=1, cutoff=0.75)
    return near[0] if near else word


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
    return len(word) >= 4 and bool(difflib.get_close_matches(word, _ANNUAL_LABELS, 1, 0.6))


def _prepare(cell: str) -> str:
    """Join what belongs to one token — "$ 0.50", "0.50 %", "January 15, 2019" — keeping widths."""

    def iso(match: re.Match[str]) -> str:
        month = _MONTHS[match.group(1).lower()[:3]]
        text = f"{match.group(3)}-{month:02d}-{int(match.group(2)):02d}"
        return text.ljust(len(match.group()))

    cell = _MONTH_DATE.sub(iso, cell)
    cell = re.sub(r"\$\s+(?=[\d.])", lambda m: "$".ljust(len(m.group())), cell)
    return re.sub(r"(?<=\d)(\s+)%", lambda m: "%".ljust(len(m.group())), cell)


def _token(text: str, line: int, cell: int, start: int, leading_zeros: bool) -> _Token:
    """Classify one printed token: a date, a figure (maybe damaged), a dash, a label or a word."""
    base = _Token(text, "word", line, cell, start, start + len(text))
    if _NUMERIC_DATE.fullmatch(text):
        try:
            return replace(base, family="date", day=to_date(text, "date"))
        except XlReitError:
            return replace(base, family="date", damaged=True)
    match = _FIGURE.fullmatch(text)
    if (
        match
        and (match["whole"] or match["fraction"])
        and not (match["dollar"] and match["pct"])
        and (match["point"] or match["dollar"] or match["pct"] or text == "0")
    ):
        # "1." lost its decimals; ".6588%" lost its units digit where the release prints "0.x".
        damaged = bool(match["point"]) and (
            not match["fraction"] or (not match["whole"] and leading_zeros)
        )
        unit = "%" if match["pct"] else "$" if match["dollar"] else ""
        amount = None if damaged else Decimal(text.strip("$%"))
        return replace(base, family="figure", amount=amount, unit=unit, damaged=damaged)
    if text in _DASHES:
        return replace(base, family="dash")
    words, fixes = _match_words(text)
    label = len(words) == 1 and not words[0].isdigit() and _is_annual_label(words[0])
    return replace(base, family="label" if label else "word", words=words, fixes=fixes)


def _tokenise(number: int, text: str, leading_zeros: bool) -> tuple[_Token, ...]:
    tokens: list[_Token] = []
    offset = 0
    for cell, part in enumerate(text.split("\t")):
        for match in re.finditer(r"\S+", _prepare(part)):
            tokens.append(
                _token(match.group(), number, cell, offset + match.start(), leading_zeros)
            )
        offset += len(part) + 1
    # "15% Rate" is a header's rate, not a figure.
    return tuple(
        _Token(t.text, "word", t.line, t.cell, t.start, t.end, words=_match_words(t.text)[0])
        if t.family == "figure"
        and t.unit == "%"
        and i + 1 < len(tokens)
        and tokens[i + 1].text.lower().startswith("rate")
        else t
        for i, t in enumerate(tokens)
    )


Role = Literal["blank", "rule", "words", "columns", "bare", "rows", "text"]


@dataclass(frozen=True)
class _Line:
    """One line of the release: its number, normalised text, tokens and role."""

    number: int
    text: str
    tabbed: bool
    tokens: tuple[_Token, ...]
    role: Role


def _segments(tokens: Iterable[_Token]) -> list[list[_Token]]:
    """Tokens grouped by tab cell (one group for a line without tabs)."""
    return [list(group) for _, group in itertools.groupby(tokens, key=lambda t: t.cell)]


def _homogeneous(tokens: Sequence[_Token]) -> bool:
    families = {"date" if t.family == "date" else "figure" for t in tokens if t.is_value}
    return bool(tokens) and len(families) == 1 and all(t.is_value for t in tokens)


def _column_parts(segment: Sequence[_Token]) -> tuple[list[_Token], list[_Token], bool]:
    """A column-by-column segment's header words, values, and whether an annual label ends it."""
    words = list(itertools.takewhile(lambda t: t.family == "word", segment))
    values = list(segment[len(words) :])
    label = bool(values) and values[-1].family == "label"
    return words, values[:-1] if label else values, label


def _is_headed_column(segment: Sequence[_Token]) -> bool:
    """ "Record Date 03/01/04 06/01/04": a short header, then figures of one kind."""
    words, values, _ = _column_parts(segment)
    return 0 < len(words) <= 8 and _homogeneous(values)


def _is_bare_column(segment: Sequence[_Token]) -> bool:
    return len(segment) >= 2 and _homogeneous(segment)


def _role(tokens: Sequence[_Token], tabbed: bool) -> Role:
    if not tokens:
        return "blank"
    if all(_RULE.fullmatch(t.text) for t in tokens):
        return "rule"
    values = [t for t in tokens if t.is_value]
    if not values:
        return "words"
    segments = _segments(tokens)
    if any(_is_headed_column(s) for s in segments) and all(
        _is_headed_column(s) or _is_bare_column(s) or not any(t.is_value for t in s)
        for s in segments
    ):
        return "columns"
    words = [t for t in tokens if t.family == "word"]
    if not words:
        if tabbed and sum(_is_bare_column(s) for s in segments) >= 2:
            return "bare"
        return "rows"
    if len(words) <= 2 and len(values) >= 2 and tokens[0].family == "word":
        return "rows"  # a row label such as "Q1"
    return "text"


def _with_dashes_as_zero(tokens: tuple[_Token, ...]) -> tuple[_Token, ...]:
    """In a line of figures, a lone dash prints a nil figure."""
    return tuple(
        _Token("0", "figure", t.line, t.cell, t.start, t.end, amount=Decimal(0))
        if t.family == "dash"
        else t
        for t in tokens
    )


def _read_lines(text: str, findings: _Findings) -> list[_Line]:
    normalised = [_normalise(raw) for raw in text.splitlines()]
    leading_zeros = any(re.search(r"(?<![\d.])0\.\d", line) for line, _ in normalised)
    lines = []
    for number, (line_text, lookalikes) in enumerate(normalised, 1):
        if lookalikes:
            names = ", ".join(f"{c!r} ({unicodedata.name(c, '?').lower()})" for c in lookalikes)
            findings.add("reading", f"look-alike letter {names} read as Latin", (number,))
        tokens = _tokenise(number, line_text, leading_zeros)
        role = _role(tokens, "\t" in line_text)
        if role in ("rows", "columns", "bare") and any(t.family == "dash" for t in tokens):
            tokens = _with_dashes_as_zero(tokens)
            findings.add("reading", "a dash among the figures is read as 0", (number,))
        labels = [
            t.text for t in tokens if t.family == "label" and t.words[0] not in _ANNUAL_LABELS
        ]
        if labels and role in ("rows", "columns"):
            shown = ", ".join(repr(label) for label in labels)
            findings.add("reading", f"row label {shown} read as 'annual'", (number,))
        lines.append(_Line(number, line_text, "\t" in line_text, tokens, role))
    return lines


# --- 3. class sections -----------------------------------------------------------

_CUSIP_IN_HEADING = re.compile(
    r"\bCUSIP\b\.?\s*(?:No\.?|Number|#)?\s*[:#]?\s*"
    r"(?P<code>[0-9A-Z*@#]{1,9}(?:\s*-\s*[0-9A-Z*@#]{1,9})*)",
    re.IGNORECASE,
)


@dataclass
class _Section:
    """The lines under one class heading, up to the next heading."""

    heading: _Line
    class_name: str
    cusip: str  # compact; empty when the heading's CUSIP cannot be read
    lines: list[_Line] = field(default_factory=list)


def _heading(line: _Line, findings: _Findings) -> _Section | None:
    text = " ".join(line.text.split())
    match = _CUSIP_IN_HEADING.search(text)
    if match is None:
        return None
    name = re.sub(r"[\s(\[:,;\-–—]+$", "", text[: match.start()]).strip(" *")
    if not name:
        name = re.sub(r"^[\s)\]:,;\-–—]+", "", text[match.end() :]).strip(" *")
    try:
        code = cusip_module.validate(match["code"], "CUSIP")
    except XlReitError as error:
        findings.add("problem", f"{error}; its tables are not read", (line.number,), name)
        code = ""
    return _Section(line, name or text, code)


def _find_sections(lines: list[_Line], findings: _Findings) -> tuple[list[_Line], list[_Section]]:
    """The lines before the first class heading, and the class sections."""
    preamble: list[_Line] = []
    sections: list[_Section] = []
    for line in lines:
        section = _heading(line, findings) if line.role in ("words", "text") else None
        if section is not None:
            sections.append(section)
        elif sections:
            sections[-1].lines.append(line)
        else:
            preamble.append(line)
    return preamble, sections


# --- 4. tables -------------------------------------------------------------------

_HEADER_WORDS = (_VOCABULARY | {"1250", "199a"}) - {"common", "preferred", "stock", "class"}


@dataclass
class _TableText:
    """One table's lines: its header lines (words only) and its figure lines."""

    section: _Section
    header: list[_Line] = field(default_factory=list)
    body: list[_Line] = field(default_factory=list)

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(line.number for line in (*self.header, *self.body))


def _is_header_line(line: _Line) -> bool:
    """Words naming columns ("Record", "Qualified Dividends"), not a sentence of prose."""
    hits = sum(bool(set(t.words) & _HEADER_WORDS) for t in line.tokens)
    return hits > 0 and (len(line.tokens) <= 12 or 3 * hits >= len(line.tokens))


def _find_tables(section: _Section, findings: _Findings) -> list[_TableText]:
    tables: list[_TableText] = []
    current = _TableText(section)
    ignored: list[int] = []
    for line in section.lines:
        if line.role in ("blank", "rule"):
            continue
        if line.role == "words" and _is_header_line(line):
            if current.body:
                tables.append(current)
                current = _TableText(section)
            current.header.append(line)
        elif line.role in ("rows", "columns", "bare"):
            current.body.append(line)
        elif line.role == "text" and sum(t.is_value for t in line.tokens) >= 2:
            findings.add(
                "problem", "figures in a line of text, not read", (line.number,), section.class_name
            )
        else:
            ignored.append(line.number)
    if current.body:
        tables.append(current)
    elif current.header:
        ignored += [line.number for line in current.header]
    if ignored:
        findings.add("reading", "text without figures, not a table", tuple(ignored))
    return tables


# --- 5. reading a table's columns ------------------------------------------------

_DATE_KINDS = ("declaration_date", "ex_date", "record_date", "payable_date")
_PART_ORDER = (
    "total_ordinary",
    "ordinary",
    "qualified",
    "section_199a",
    "total_capital_gain",
    "capital_gain",
    "unrecaptured_1250",
    "return_of_capital",
)
#: Figure columns in the order releases print them.
_FIGURE_KINDS = ("dividend", *_PART_ORDER, "unsupported")
#: Key words of column headers, longest first; "unsupported" marks a column the
#: table has no part for (Section 897 or 1202 gain, collectibles, foreign tax …).
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
                ("897", "unsupported"),
                ("1202", "unsupported"),
                ("collectibles", "unsupported"),
                ("foreign", "unsupported"),
                ("withheld", "unsupported"),
                ("exempt", "unsupported"),
            )
        ),
        key=lambda item: -len(item[0]),
    )
)
_ALL_PARTS = frozenset(PARTS)


def _kinds_in(words: Sequence[str]) -> list[str]:
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
    return found


def _figure_kind(text: str, words: Sequence[str]) -> str | None:
    """The kind of figure column one header names, or ``None`` when it names none or several."""
    try:
        return resolve(text, 9999, _ALL_PARTS).name  # the project's own vocabulary first
    except XlReitError:
        pass
    kinds = {k for k in _kinds_in(words) if k in _FIGURE_KINDS}
    parts = kinds - {"dividend"}
    if "unsupported" in parts:
        return "unsupported"
    if parts == {"unrecaptured_1250", "capital_gain"}:  # "Unrecaptured 1250 capital gain"
        return "unrecaptured_1250"
    if len(parts) == 1:
        return parts.pop()
    return "dividend" if not parts and kinds else None


def _date_kind(words: Sequence[str]) -> str | None:
    kinds = {k for k in _kinds_in(words) if k in _DATE_KINDS}
    return kinds.pop() if len(kinds) == 1 else None


def _label(kind: str) -> str:
    """How notes name a column: "ordinary", "capital gain", "dividend per share"."""
    if kind == "dividend":
        return "dividend per share"
    if kind in COMPONENTS:
        label = COMPONENTS[kind].label
        return label[0].lower() + label[1:]
    return kind.replace("_", " ")


@dataclass
class _Column:
    """One column of a table: where it sits, its header words, its kind and its figures."""

    family: Literal["date", "figure"]
    slot: int | None = None
    span: tuple[int, int] | None = None
    header: list[_Token] = field(default_factory=list)
    kind: str = ""
    values: list[_Token] = field(default_factory=list)
    annual: list[_Token] = field(default_factory=list)


@dataclass
class _Cell:
    """One figure of a payment: its value as printed (or as repaired) and its evidence."""

    value: Decimal | None
    text: str
    unit: str = ""
    lines: tuple[int, ...] = ()
    fragments: tuple[str, ...] = ()
    printed: bool = True  # False for a figure a repair or an inference supplied

    @classmethod
    def of(cls, token: _Token) -> _Cell:
        return cls(
            token.amount,
            token.text,
            token.unit,
            (token.line,),
            (token.text,) if token.damaged else (),
        )

    @property
    def legible(self) -> bool:
        return self.value is not None


@dataclass
class _Note:
    """A sentence for a row's notes: ``rank`` orders dates, repairs, then inferences."""

    rank: int
    order: int
    text: str


@dataclass
class _Row:
    """One payment (or the annual line) of a table, and later of the class."""

    record: _Token | None = None
    payable: _Token | None = None
    cells: dict[str, _Cell] = field(default_factory=dict)
    lines: set[int] = field(default_factory=set)
    notes: list[_Note] = field(default_factory=list)

    @property
    def key(self) -> tuple[dt.date, dt.date] | None:
        if self.record and self.payable and self.record.day and self.payable.day:
            return self.record.day, self.payable.day
        return None

    def note(self, rank: int, order: int, text: str) -> None:
        if not any(note.text == text for note in self.notes):
            self.notes.append(_Note(rank, order, text))


@dataclass
class _TableRead:
    """A table as read: its columns' kinds, and its rows once they are fitted."""

    text: _TableText
    layout: Literal["rows", "columns", "bare"]
    columns: list[_Column]
    rows: list[_Row] = field(default_factory=list)
    annual: _Row | None = None
    anchored: list[_Row] = field(default_factory=list)
    headed: bool = True
    has_annual: bool = False

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(column.kind for column in self.columns)

    @property
    def figure_kinds(self) -> tuple[str, ...]:
        return tuple(c.kind for c in self.columns if c.family == "figure" and c.kind)

    @property
    def dated(self) -> bool:
        return any(c.kind in ("record_date", "payable_date") for c in self.columns)

    @property
    def damaged(self) -> bool:
        """Whether the table lost its header or its dates."""
        return not self.headed or not self.dated

    @property
    def name(self) -> str:
        """ "dividend" for the table with the dividend column, else its first part."""
        kinds = self.figure_kinds
        if "dividend" in kinds:
            return "dividend"
        return _label(kinds[0]).replace(" ", "-") if kinds else "figure"

    def describe(self) -> str:
        how = {"rows": "row by row", "columns": "column by column", "bare": "without a header"}
        return f"{self.name} table, {_line_ranges(self.text.numbers)}, read {how[self.layout]}"


def _header_cells(line: _Line) -> list[list[_Token]]:
    """A header line's cells: tab cells, or words two or more spaces apart."""
    if line.tabbed:
        return _segments(line.tokens)
    cells: list[list[_Token]] = []
    for token in line.tokens:
        if cells and token.start - cells[-1][-1].end < 2:
            cells[-1].append(token)
        else:
            cells.append([token])
    return cells


def _column_under(
    cell: Sequence[_Token], columns: Sequence[_Column], tabbed: bool
) -> _Column | None:
    """The column a header cell sits over: same tab cell, or the most overlapping span."""
    if tabbed:
        return next((c for c in columns if c.slot == cell[0].cell), None)
    start, end = cell[0].start, cell[-1].end
    spans = [(c, c.span) for c in columns if c.span]
    if not spans:
        return None

    def fit(item: tuple[_Column, tuple[int, int] | None]) -> tuple[int, float]:
        _, span = item
        assert span is not None
        overlap = min(end, span[1]) - max(start, span[0])
        return overlap, -abs((start + end) / 2 - (span[0] + span[1]) / 2)

    return max(spans, key=fit)[0]


def _words_of(tokens: Iterable[_Token]) -> tuple[str, list[str]]:
    tokens = list(tokens)
    return " ".join(t.text for t in tokens), [w for t in tokens for w in t.words]


def _name_columns(
    columns: list[_Column], header: Sequence[_Line], findings: _Findings, section: _Section
) -> bool:
    """Give each column its kind from the header; False (and a problem) when it cannot be told."""
    tabbed_table = any(c.slot is not None for c in columns)
    bag: list[str] = []
    fixes: set[tuple[str, str]] = set()
    for line in header:
        fixes.update(_fixes_of(line.tokens))
        if line.tabbed != tabbed_table and tabbed_table:
            bag += _kinds_in(_words_of(line.tokens)[1])  # not aligned: only what it names
            continue
        for cell in _header_cells(line):
            column = _column_under(cell, columns, tabbed_table)
            if column is not None:
                column.header += cell
            text, words = _words_of(cell)
            bag.append(_figure_kind(text, words) or _date_kind(words) or "")
    for column in columns:
        fixes.update(_fixes_of(column.header))
    if fixes:
        shown = ", ".join(f"{old!r} as {new!r}" for old, new in sorted(fixes))
        findings.add("reading", f"header words read {shown}", _numbers(header), section.class_name)

    dates = [c for c in columns if c.family == "date"]
    figures = [c for c in columns if c.family == "figure"]
    for column in dates:
        column.kind = _date_kind(_words_of(column.header)[1]) or ""
    for column in figures:
        column.kind = _figure_kind(*_words_of(column.header)) or ""
        bag.append(column.kind)
    if not (
        _settle_kinds(dates, _DATE_KINDS, bag, header, findings, section)
        and _settle_kinds(figures, _FIGURE_KINDS, bag, header, findings, section)
    ):
        return False
    for column in columns:
        if column.kind in ("ex_date", "declaration_date", "unsupported"):
            shown = _words_of(column.header)[0] or _label(column.kind)
            findings.add(
                "reading",
                f"the {shown!r} column is not in the table's schema; left out",
                _numbers(header),
                section.class_name,
            )
    return True


def _settle_kinds(
    columns: list[_Column],
    order: Sequence[str],
    bag: Sequence[str],
    header: Sequence[_Line],
    findings: _Findings,
    section: _Section,
) -> bool:
    """Keep each column's own kind when distinct; the rest get the header's other kinds in order."""
    counts = Counter(c.kind for c in columns)
    for column in columns:
        if counts[column.kind] > 1:
            column.kind = ""
    left = [c for c in columns if not c.kind]
    if not left:
        return True
    used = {c.kind for c in columns}
    named = [kind for kind in order if kind in bag and kind not in used]
    if order is _DATE_KINDS and not named and len(left) == 2 == len(columns):
        named = ["record_date", "payable_date"]
    if len(named) != len(left):
        findings.add(
            "problem",
            f"cannot tell which column is which: {len(left)} columns, the header names "
            f"{len(named)} more ({', '.join(map(_label, named)) or 'none'})",
            _numbers(header) or _numbers(section.lines[:1]),
            section.class_name,
        )
        return False
    for column, kind in zip(left, named, strict=True):
        column.kind = kind
    if order is _FIGURE_KINDS:
        findings.add(
            "reading",
            "the header is not aligned with the figures: its columns "
            f"({', '.join(map(_label, named))}) are taken in the order releases print them",
            _numbers(header),
            section.class_name,
        )
    return True


def _fixes_of(tokens: Iterable[_Token]) -> set[tuple[str, str]]:
    """The OCR fixes of some words, each shown as printed ("Dividenās" as "dividends")."""
    return {
        (token.text if len(token.words) == 1 else old, new)
        for token in tokens
        for old, new in token.fixes
    }


def _numbers(lines: Iterable[_Line]) -> tuple[int, ...]:
    return tuple(line.number for line in lines)


def _split_rows(line: _Line, findings: _Findings, section: _Section) -> list[list[_Token]]:
    """A figure line's rows: a new row starts at an annual label or at a date after figures."""
    rows: list[list[_Token]] = [[]]
    for token in line.tokens:
        if token.family == "word":
            continue  # a row label such as "Q1"
        starts_row = token.family == "label" or (
            token.family == "date" and any(t.family == "figure" for t in rows[-1])
        )
        if starts_row and rows[-1]:
            rows.append([])
        rows[-1].append(token)
    rows = [row for row in rows if any(t.is_value for t in row)]
    if len(rows) > 1:
        findings.add(
            "reading",
            f"{len(rows)} rows printed on one line; split where each row starts",
            (line.number,),
            section.class_name,
        )
    return rows


def _is_annual(row: Sequence[_Token]) -> bool:
    return any(t.family == "label" for t in row)


def _signature(row: Sequence[_Token]) -> tuple[str, ...]:
    return tuple(t.family for t in row if t.is_value)


def _place(
    row: Sequence[_Token], columns: Sequence[_Column], tabbed: bool
) -> tuple[dict[int, _Token], list[_Token]]:
    """Which column each value of a row falls under, and the values that fall under none."""
    values = [t for t in row if t.is_value]
    if _signature(values) == tuple(c.family for c in columns):
        return dict(enumerate(values)), []
    figures = [i for i, c in enumerate(columns) if c.family == "figure"]
    if (
        _is_annual(row)
        and all(t.family == "figure" for t in values)
        and len(values) == len(figures)
    ):
        return dict(zip(figures, values, strict=True)), []
    placed: dict[int, _Token] = {}
    unplaced: list[_Token] = []
    for token in values:
        index = next(
            (
                i
                for i, c in enumerate(columns)
                if c.family == ("date" if token.family == "date" else "figure")
                and (
                    c.slot == token.cell
                    if tabbed
                    else c.span is not None and token.start < c.span[1] and token.end > c.span[0]
                )
            ),
            None,
        )
        if index is None or index in placed:
            unplaced.append(token)
        else:
            placed[index] = token
    return placed, unplaced


def _read_row_table(
    text: _TableText, template: Sequence[str] | None, findings: _Findings
) -> _TableRead | None:
    """A table printed row by row (tab-separated or aligned with spaces)."""
    section = text.section
    raw = [(line, row) for line in text.body for row in _split_rows(line, findings, section)]
    payments = [(line, row) for line, row in raw if not _is_annual(row)]
    if not payments:
        findings.add("problem", "a table without payment rows", text.numbers, section.class_name)
        return None
    shape = Counter(_signature(row) for _, row in payments).most_common(1)[0][0]
    columns = [_Column("date" if f == "date" else "figure") for f in shape]
    full = [(line, row) for line, row in payments if _signature(row) == shape]
    for index, column in enumerate(columns):
        cells = [[t for t in row if t.is_value][index] for line, row in full if line.tabbed]
        spans = [[t for t in row if t.is_value][index] for line, row in full if not line.tabbed]
        if cells:
            column.slot = Counter(t.cell for t in cells).most_common(1)[0][0]
        if spans:
            column.span = (min(t.start for t in spans), max(t.end for t in spans))
    read = _TableRead(text, "rows", columns, headed=bool(text.header))
    if template is not None:
        if len(template) != len(columns):
            findings.add(
                "problem",
                f"a table without a header whose rows have {len(columns)} columns, not the "
                f"{len(template)} of the release's other tables",
                text.numbers,
                section.class_name,
            )
            return None
        for column, kind in zip(columns, template, strict=True):
            column.kind = kind
    elif not _name_columns(columns, text.header, findings, section):
        return None
    for line, row in raw:
        placed, unplaced = _place(row, columns, line.tabbed)
        if unplaced:
            shown = " ".join(t.text for t in unplaced)
            findings.add(
                "problem",
                f"cannot tell which column {shown!r} belongs to",
                (line.number,),
                section.class_name,
            )
        target = _Row(lines={line.number})
        for index, token in placed.items():
            _put(target, columns[index].kind, token)
        if _is_annual(row):
            read.has_annual = True
            if read.annual is None:
                read.annual = target
            else:
                findings.add("problem", "a second annual line", (line.number,), section.class_name)
        else:
            read.rows.append(target)
    return read


def _put(row: _Row, kind: str, token: _Token) -> None:
    if kind == "record_date":
        row.record = token
    elif kind == "payable_date":
        row.payable = token
    elif kind and kind not in _DATE_KINDS and kind != "unsupported":
        row.cells[kind] = _Cell.of(token)


def _read_column_table(
    text: _TableText, template: Sequence[str] | None, findings: _Findings
) -> _TableRead | None:
    """A table laid out column by column: each column's header, then its figures."""
    section = text.section
    columns: list[_Column] = []
    read = _TableRead(text, "columns", columns)
    for line in text.body:
        if line.role == "columns":
            for segment in _segments(line.tokens):
                words, values, label = _column_parts(segment)
                family: Literal["date", "figure"] = (
                    "date" if values and values[0].family == "date" else "figure"
                )
                slot = segment[0].cell if line.tabbed else len(columns)
                columns.append(_Column(family, slot=slot, header=words, values=values))
                read.has_annual |= label
        elif line.role == "bare":
            if template is None:
                findings.add(
                    "problem", "figures without a header", (line.number,), section.class_name
                )
                return None
            read.layout = "bare"
            read.headed = False
            _read_bare_line(line, template, read, findings)
        else:
            _append_rows(line, read, findings)
    if read.layout == "columns" and not _name_columns(columns, text.header, findings, section):
        return None
    return read


def _append_rows(line: _Line, read: _TableRead, findings: _Findings) -> None:
    """Rows printed under a column-by-column layout: one more figure for each column."""
    for row in _split_rows(line, findings, read.text.section):
        placed, unplaced = _place(row, read.columns, line.tabbed)
        if unplaced:
            findings.add(
                "problem",
                f"cannot tell which column {' '.join(t.text for t in unplaced)!r} belongs to",
                (line.number,),
                read.text.section.class_name,
            )
        for index, token in placed.items():
            column = read.columns[index]
            (column.annual if _is_annual(row) else column.values).append(token)
        read.has_annual |= _is_annual(row)


def _read_bare_line(
    line: _Line, template: Sequence[str], read: _TableRead, findings: _Findings
) -> None:
    """A headerless line whose first columns were lost (Aimco 2004, Class T's dividend table).

    The columns are the template's (the release's other tables of the same
    kind). A record/payable date pair anchors the figure printed right after
    it to that payment; the remaining runs of figures, one per tab cell, are
    the template's percentage columns in order, where a cell that ends in a
    broken figure and the next that starts with one are one column.
    """
    section = read.text.section
    tokens = [t for t in line.tokens if t.is_value]
    dates = [t for t in tokens if t.family == "date"]
    dividends = [t for t in tokens if t.family == "figure" and t.unit == "$"]
    kinds = [k for k in template if k not in _DATE_KINDS and k != "dividend"]
    runs = [
        [t for t in segment if t.family == "figure" and t.unit != "$"]
        for segment in _segments(tokens)
    ]
    runs = [run for run in runs if run]
    merged: list[list[_Token]] = []
    for run in runs:
        if merged and merged[-1][-1].damaged and run[0].damaged:
            merged[-1] += run
        else:
            merged.append(list(run))
    if len(dates) % 2 or len(merged) != len(kinds) or ("dividend" not in template and dividends):
        findings.add(
            "problem",
            "figures without a header that do not fit the columns of the release's other "
            f"tables ({', '.join(map(_label, template))})",
            (line.number,),
            section.class_name,
        )
        return
    read.columns = [
        _Column("figure", kind=k, values=run) for k, run in zip(kinds, merged, strict=True)
    ]
    if "dividend" in template:
        read.columns.insert(0, _Column("figure", kind="dividend"))
    for record, payable in zip(dates[::2], dates[1::2], strict=True):
        after = tokens[tokens.index(payable) + 1 :]
        anchored = _Row(record, payable, lines={line.number})
        if after and after[0] in dividends:
            anchored.cells["dividend"] = _Cell.of(after[0])
            dividends.remove(after[0])
        read.anchored.append(anchored)
    if dividends:
        findings.add(
            "problem",
            f"dividend figure(s) {' '.join(t.text for t in dividends)} without a payment",
            (line.number,),
            section.class_name,
        )
    findings.add(
        "reading",
        "the line lost its first columns: each run of figures between tabs is one column, "
        "pieces of a broken figure on both sides of a tab are one column, and a figure "
        "printed after a record and payable date belongs to that payment",
        (line.number,),
        section.class_name,
    )


def _template(
    reads: Sequence[_TableRead], others: Mapping[str, Sequence[_TableRead]]
) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    """The columns of a class's headerless table: the release's matching tables' columns.

    When every other class that prints a table like this class's headed one
    prints its remaining table with the same columns, those are the columns.
    """
    known = {frozenset(r.figure_kinds) for r in reads if r.headed}
    layouts: set[tuple[str, ...]] = set()
    evidence: list[int] = []
    for class_reads in others.values():
        if not any(frozenset(r.figure_kinds) in known for r in class_reads):
            continue
        for other in class_reads:
            if other.headed and frozenset(other.figure_kinds) not in known:
                layouts.add(other.kinds)
                evidence += _numbers(other.text.header) or other.text.numbers[:1]
    if len(layouts) != 1:
        return None
    return layouts.pop(), tuple(evidence)


# --- fitting a column-by-column table to its payments --------------------------

_NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def _count(number: int) -> str:
    return _NUMBER_WORDS[number] if number < len(_NUMBER_WORDS) else str(number)


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _fit_columns(
    read: _TableRead, payments: int | None, class_has_annual: bool, findings: _Findings
) -> bool:
    """Turn a column-by-column table's columns into rows, one per payment.

    ``payments`` is the class's payment count from its dated tables (used
    when this table has no dates). A column with more figures than payments
    is read when they are all equal, or when the one extra is the annual
    figure; a column with fewer is completed when its printed figures (and
    its annual figure) are all equal — which row lost one cannot be told, but
    all rows are equal — and the row must then add up (checked later).
    """
    section = read.text.section
    record = next((c for c in read.columns if c.kind == "record_date"), None)
    payable = next((c for c in read.columns if c.kind == "payable_date"), None)
    count = len(record.values) if record else payments
    if count is None or (payable and len(payable.values) != count):
        findings.add(
            "problem",
            "the table's dates do not give one record and one payable date per payment",
            read.text.numbers,
            section.class_name,
        )
        return False
    read.rows = [_Row(lines=set(read.text.numbers)) for _ in range(count)]
    if record and payable:
        for row, day, paid in zip(read.rows, record.values, payable.values, strict=True):
            row.record, row.payable = day, paid
    annual = _Row(lines=set(read.text.numbers))
    short: list[tuple[_Column, _Token]] = []
    for column in read.columns:
        if column.family == "date" or not column.kind or column.kind == "unsupported":
            continue
        if not _fit_column(column, count, class_has_annual, read, annual, short, findings):
            return False
    if class_has_annual:
        read.annual = annual
    _note_short_columns(read, short, count, findings)
    return True


def _fit_column(
    column: _Column,
    count: int,
    class_has_annual: bool,
    read: _TableRead,
    annual: _Row,
    short: list[tuple[_Column, _Token]],
    findings: _Findings,
) -> bool:
    section = read.text.section
    values = column.values
    amounts = {t.amount for t in values}
    equal = len(amounts) == 1 and None not in amounts
    annual_values = list(column.annual)
    label = _label(column.kind)
    if len(values) > count:
        if len(values) == count + 1 and class_has_annual and not annual_values:
            annual_values.append(values[-1])
        elif not equal:
            findings.add(
                "problem",
                f"the {label} column prints {len(values)} figures for {count} payments; which "
                "belongs to which cannot be told",
                read.text.numbers,
                section.class_name,
            )
            return False
        extra = len(values) - count - (1 if class_has_annual else 0)
        if extra > 0:
            findings.add(
                "reading",
                f"the {label} column prints {len(values)} figures for {count} payments"
                f"{' and the annual line' if class_has_annual else ''}; all are {values[0].text}, "
                "so every payment's figure is certain",
                read.text.numbers,
                section.class_name,
            )
        if len(values) == count + 1 and class_has_annual and values[-1] not in annual_values:
            annual_values.append(values[-1])
    for row, token in zip(read.rows, values[:count], strict=False):
        _put(row, column.kind, token)
    if 0 < len(values) < count:
        annual_amounts = {t.amount for t in annual_values}
        if equal and annual_amounts <= amounts:
            short.append((column, values[0]))
        else:
            findings.add(
                "problem",
                f"the {label} column prints {len(values)} figures for {count} payments and they "
                "differ; which payment lost its figure cannot be told",
                read.text.numbers,
                section.class_name,
            )
            return False
    if len({t.amount for t in annual_values}) > 1:
        findings.add(
            "problem",
            f"two different annual {label} figures: {' and '.join(t.text for t in annual_values)}",
            tuple(t.line for t in annual_values),
            section.class_name,
        )
        return False
    if annual_values:
        _put(annual, column.kind, annual_values[0])
    return True


def _note_short_columns(
    read: _TableRead, short: list[tuple[_Column, _Token]], count: int, findings: _Findings
) -> None:
    """Complete the columns that print fewer figures than payments, with one note per row."""
    groups: dict[int, list[tuple[_Column, _Token]]] = {}
    for column, token in short:
        groups.setdefault(len(column.values), []).append((column, token))
    for printed, members in groups.items():
        labels = [_label(column.kind) for column, _ in members]
        figures = [token.text for _, token in members]
        with_annual = all(column.annual for column, _ in members) and read.annual is not None
        several = len(members) > 1
        text = (
            f"{_and(labels)} {'columns are' if several else 'column is'} laid out column by "
            f"column and print{'' if several else 's'} {_count(printed)} figures for "
            f"{_count(count)} payments; the missing {_and(figures)} "
            f"{'are' if several else 'is'} the value printed on every other row"
            f"{' and on the annual line' if with_annual else ''} of the same column (which row "
            f"lost {'them' if several else 'it'} cannot be told; all {_count(count)} are equal)"
        )
        for row in read.rows[printed:]:
            for column, token in members:
                row.cells[column.kind] = _Cell(
                    token.amount,
                    token.text,
                    token.unit,
                    tuple(t.line for t in column.values),
                    printed=False,
                )
            row.note(1, min(_FIGURE_KINDS.index(c.kind) for c, _ in members), text)
        findings.add(
            "repair",
            text,
            tuple(sorted({t.line for c, _ in members for t in (*c.values, *c.annual)})),
            read.text.section.class_name,
        )


# --- 6. a class: its tables read, fitted to its payments, and joined ----------


@dataclass
class _Class:
    """One share class: its sections, tables, and the payments they join into."""

    cusip: str
    class_name: str
    headings: list[int]
    texts: list[_TableText] = field(default_factory=list)
    reads: list[_TableRead] = field(default_factory=list)
    payments: list[_Row] = field(default_factory=list)
    annual: _Row | None = None
    source: dict[str, _TableRead] = field(default_factory=dict)
    reading: str = ""
    parts: tuple[str, ...] = ()
    percentages: list[dict[str, Decimal]] = field(default_factory=list)
    annual_percentages: dict[str, Decimal] = field(default_factory=dict)


def _needs_template(text: _TableText) -> bool:
    return not text.header and not any(line.role == "columns" for line in text.body)


def _read_table(
    text: _TableText, template: Sequence[str] | None, findings: _Findings
) -> _TableRead | None:
    if any(line.role in ("columns", "bare") for line in text.body):
        return _read_column_table(text, template, findings)
    read = _read_row_table(text, template, findings)
    if read is not None and template is not None:
        read.headed = False
    return read


def _classes(sections: Sequence[_Section], findings: _Findings) -> list[_Class]:
    """Each class's tables read, fitted to its payments and joined by date."""
    classes = _by_cusip(sections, findings)
    for found in classes:
        for text in found.texts:
            if not _needs_template(text):
                read = _read_table(text, None, findings)
                found.reads += [read] if read else []
    for found in classes:
        _read_headerless(found, classes, findings)
        found.reads.sort(key=lambda read: read.text.numbers[0])
        _fit(found, findings)
        if found.class_name not in findings.failed:
            _join(found, findings)
    return classes


def _by_cusip(sections: Sequence[_Section], findings: _Findings) -> list[_Class]:
    """The sections grouped by the CUSIP of their heading, in the release's order."""
    classes: dict[str, _Class] = {}
    for section in sections:
        if not section.cusip:
            continue
        found = classes.get(section.cusip)
        if found is None:
            found = classes[section.cusip] = _Class(section.cusip, section.class_name, [])
        elif section.class_name != found.class_name:
            findings.add(
                "reading",
                f"the heading names the class {section.class_name!r}; taken as "
                f"{found.class_name!r} (same CUSIP)",
                (section.heading.number,),
                found.class_name,
            )
        found.headings.append(section.heading.number)
        found.texts += _find_tables(section, findings)
    return list(classes.values())


def _read_headerless(found: _Class, classes: Sequence[_Class], findings: _Findings) -> None:
    """Read the class's tables without a header in the columns of the release's tables like them."""
    others = {other.cusip: other.reads for other in classes if other is not found}
    for text in filter(_needs_template, found.texts):
        template = _template(found.reads, others)
        if template is None:
            findings.add(
                "problem",
                "a table without a header, and no other table in the release tells its columns",
                text.numbers,
                found.class_name,
            )
            continue
        kinds, evidence = template
        findings.add(
            "reading",
            "a table without a header: read in the columns every other table like it "
            f"prints ({', '.join(map(_label, kinds))}; headers on {_line_ranges(evidence)})",
            text.numbers,
            found.class_name,
        )
        read = _read_table(text, kinds, findings)
        found.reads += [read] if read else []


def _fit(found: _Class, findings: _Findings) -> None:
    """Give every column-by-column table its rows; dated tables first, they count the payments."""
    has_annual = any(read.has_annual for read in found.reads)
    count: int | None = None
    for dated in (True, False):
        for read in found.reads:
            if read.dated != dated:
                continue
            if read.layout != "rows" and not _fit_columns(read, count, has_annual, findings):
                findings.failed.add(found.class_name)
            if dated and read.rows:
                count = max(count or 0, len(read.rows))


# --- joining a class's tables by date -----------------------------------------


def _join(found: _Class, findings: _Findings) -> None:
    """Merge the class's tables into payments keyed by record and payable date."""
    name = found.class_name
    keyed: dict[tuple[dt.date, dt.date], _Row] = {}
    dated = [read for read in found.reads if read.dated]
    undated = [read for read in found.reads if not read.dated]
    rows_of: dict[int, set[tuple[dt.date, dt.date]]] = {}
    for read in dated:
        rows_of[id(read)] = set()
        for row in read.rows:
            key = row.key or _complete_dates(row, found, findings)
            if key is None:
                continue
            rows_of[id(read)].add(key)
            _merge(keyed.setdefault(key, _Row(row.record, row.payable)), row, read, found, findings)
    keys = sorted(keyed, key=lambda k: (k[1], k[0]))
    for read in dated:
        for key in keys:
            if key not in rows_of[id(read)]:
                findings.add(
                    "problem",
                    f"the payment of {key[1]} has no row in the {read.name} table",
                    read.text.numbers,
                    name,
                )
    for read in undated:
        if not dated or len(read.rows) != len(keys):
            findings.add(
                "problem",
                f"the {read.name} table has no dates and {len(read.rows)} rows; the class's "
                f"dated tables have {len(keys)} payments, so which row is which cannot be told",
                read.text.numbers,
                name,
            )
            continue
        text = (
            f"{read.name} table lost its dates: record and payable dates taken from the "
            f"class's {dated[0].name} table"
        )
        for key, row in zip(keys, read.rows, strict=True):
            row.note(0, 0, text)
            _merge(keyed[key], row, read, found, findings)
        findings.add("repair", text, (*read.text.numbers, *dated[0].text.numbers), name)
        for anchored in read.anchored:
            key = anchored.key
            if key not in keyed:
                findings.add(
                    "problem",
                    f"the dates {anchored.record and anchored.record.text} "
                    f"{anchored.payable and anchored.payable.text} match no payment",
                    anchored.lines,
                    name,
                )
                continue
            _merge(keyed[key], anchored, read, found, findings)
            shown = " ".join(t.text for t in (anchored.record, anchored.payable) if t)
            findings.add(
                "reading",
                f"the dates printed in the {read.name} table ({shown}) are the payment of {key[1]}",
                anchored.lines,
                name,
            )
    found.payments = [keyed[key] for key in keys]
    for read in found.reads:
        if read.annual is not None:
            found.annual = found.annual or _Row()
            _merge(found.annual, read.annual, read, found, findings)


def _complete_dates(
    row: _Row, found: _Class, findings: _Findings
) -> tuple[dt.date, dt.date] | None:
    """A row that lost one of its dates: the other date's payment in the class's other tables."""
    printed = row.record or row.payable
    lines = tuple(sorted(row.lines))
    if printed is None or printed.day is None:
        findings.add("problem", "a row without its dates", lines, found.class_name)
        return None
    missing = "payable" if row.record else "record"
    matches = {
        other.key
        for read in found.reads
        for other in read.rows
        if other.key and other is not row and printed.day in other.key
    }
    if len(matches) != 1:
        findings.add(
            "problem",
            f"a row with no {missing} date (the {printed.text} row); no other table of the "
            "class prints that payment's dates",
            lines,
            found.class_name,
        )
        return None
    key = matches.pop()
    source = next(r for read in found.reads for r in read.rows if r.key == key)
    row.record, row.payable = source.record, source.payable
    text = f"{missing} date not printed on this row: taken from the class's other table"
    row.note(0, 0, text)
    findings.add("repair", text, (*lines, *source.lines), found.class_name)
    return key


def _merge(target: _Row, row: _Row, read: _TableRead, found: _Class, findings: _Findings) -> None:
    target.lines |= row.lines
    target.record = target.record or row.record
    target.payable = target.payable or row.payable
    for note in row.notes:
        target.note(note.rank, note.order, note.text)
    for kind, cell in row.cells.items():
        earlier = target.cells.get(kind)
        if earlier is not None and earlier.legible and cell.legible and earlier.value != cell.value:
            findings.add(
                "problem",
                f"two tables print different {_label(kind)} figures: {earlier.text}, {cell.text}",
                (*earlier.lines, *cell.lines),
                found.class_name,
            )
        elif earlier is None or not earlier.legible:
            target.cells[kind] = cell
    for kind in read.figure_kinds:
        found.source.setdefault(kind, read)


# --- 7. repairs and inferences -------------------------------------------------

#: Every legible figure the release prints on a payment row, by column kind:
#: (the table, the value, as printed, its line).
_Printed = Mapping[str, Sequence[tuple[_TableRead, Decimal, str, int]]]


def _consensus(
    classes: Sequence[_Class],
) -> dict[str, list[tuple[_TableRead, Decimal, str, int]]]:
    """Every legible figure the release prints on a payment row, by column kind."""
    printed: dict[str, list[tuple[_TableRead, Decimal, str, int]]] = {}
    for found in classes:
        for read in found.reads:
            for row in read.rows:
                for kind, cell in row.cells.items():
                    if cell.value is not None and cell.printed:
                        printed.setdefault(kind, []).append(
                            (read, cell.value, cell.text, cell.lines[0])
                        )
    return printed


@dataclass(frozen=True)
class _Fix:
    """A figure for a cell the text does not show legibly, with its evidence."""

    cell: _Cell
    kind: FindingKind  # "repair" when the release proves it, "gap" when only inferred
    text: str
    evidence: tuple[int, ...]


def _repair(
    found: _Class,
    printed: _Printed,
    findings: _Findings,
) -> None:
    """Complete each payment's figures from what the release proves, or report the gap.

    Every decision looks only at figures printed legibly, never at another
    repair's result.
    """
    kinds = [k for k in _FIGURE_KINDS if k in found.source and k != "unsupported"]
    original = {kind: [row.cells.get(kind) for row in found.payments] for kind in kinds}
    for kind, cells in original.items():
        fixes = []
        for index, (row, cell) in enumerate(zip(found.payments, cells, strict=True)):
            if cell is not None and cell.legible:
                continue
            fix = (
                _dividend_fix(found, index, cells)
                if kind == "dividend"
                else _part_fix(found, kind, index, cells, printed)
            )
            if fix is None:
                findings.add(
                    "problem",
                    f"{_payment_name(row)}: {_subject(kind, cells, index)}; not proven by any "
                    "other figure of the release",
                    row.lines,
                    found.class_name,
                )
            else:
                fixes.append((row, fix))
        for row, fix in fixes:
            row.cells[kind] = fix.cell
            order = 0 if kind == "dividend" else _FIGURE_KINDS.index(kind)
            row.note(1 if fix.kind == "repair" else 2, order, fix.text)
            findings.add(
                fix.kind,
                f"{_payment_name(row)}: {fix.text}",
                (*row.lines, *fix.evidence),
                found.class_name,
            )
    if found.annual is not None:
        _note_annual_gaps(found, found.annual, original, findings)


def _subject(kind: str, cells: Sequence[_Cell | None], index: int) -> str:
    """What is wrong with one cell: "ordinary column damaged ('1.' '.6588%')" …"""
    label = _label(kind)
    fragments = [f for c in cells if c for f in c.fragments]
    cell = cells[index]
    if fragments and all(c is not None and c.fragments for c in cells):
        return f"{label} column damaged ({' '.join(repr(f) for f in dict.fromkeys(fragments))})"
    if cell is not None and cell.fragments:
        return f"{label} damaged ({' '.join(repr(f) for f in cell.fragments)})"
    return f"{label} not legible"


def _fragments_fit(fragments: Sequence[str], text: str) -> bool:
    """Whether the pieces of a damaged figure are pieces of ``text`` ('1.' of '1.6588%')."""
    return all(fragment in text for fragment in fragments)


def _part_fix(
    found: _Class,
    kind: str,
    index: int,
    cells: Sequence[_Cell | None],
    printed: _Printed,
) -> _Fix | None:
    """A part's figure, proven when one value is printed on every other row of its column
    (and on the annual line), or on every row of every other table of the release.

    The row must then add up to 100%, which :func:`_interpret` checks.
    """
    subject = _subject(kind, cells, index)
    own = cells[index].fragments if cells[index] is not None else ()  # type: ignore[union-attr]
    others = [c for i, c in enumerate(cells) if i != index and c is not None and c.legible]
    annual = found.annual.cells.get(kind) if found.annual else None
    on_annual = annual is not None and annual.legible
    values = {c.value for c in others} | ({annual.value} if annual and on_annual else set())
    if others and len(values) == 1 and _fragments_fit(own, others[0].text):
        where = "every other row" + (" and on the annual line" if on_annual else "")
        text = f"{subject}: {others[0].text} is the value printed on {where} of the same column"
        evidence = tuple(line for c in others for line in c.lines)
        return _Fix(_copy(others[0], evidence), "repair", text, evidence)
    source = found.source[kind]
    elsewhere = [p for p in printed.get(kind, ()) if p[0] is not source]
    if elsewhere and len({p[1] for p in elsewhere}) == 1 and _fragments_fit(own, elsewhere[0][2]):
        _, value, shown, _ = elsewhere[0]
        text = f"{subject}: {shown} is the value printed on every row of every other table"
        evidence = tuple(p[3] for p in elsewhere)
        unit = "%" if shown.endswith("%") else "$" if shown.startswith("$") else ""
        return _Fix(_Cell(value, shown, unit, evidence, printed=False), "repair", text, evidence)
    return None


def _copy(cell: _Cell, evidence: tuple[int, ...]) -> _Cell:
    return _Cell(cell.value, cell.text, cell.unit, evidence, printed=False)


def _dividend_fix(found: _Class, index: int, cells: Sequence[_Cell | None]) -> _Fix | None:
    """A payment whose dividend is not legible.

    Proven when the annual dividend is printed and this is the one payment
    missing: the annual dividend less the others. Inferred (a gap) for a
    preferred class, whose dividend is a fixed rate, when every printed
    dividend of the class is the same: carried to this row and marked.
    """
    others = [(i, c) for i, c in enumerate(cells) if i != index and c is not None and c.legible]
    missing = sum(1 for c in cells if c is None or not c.legible)
    annual = found.annual.cells.get("dividend") if found.annual else None
    subject = _subject("dividend", cells, index)
    if annual is not None and annual.value is not None and missing == 1:
        value = annual.value - sum((c.value or Decimal(0) for _, c in others), Decimal(0))
        if value > 0:
            text = f"{subject}: ${value} is the printed annual dividend less the other payments"
            cell = _Cell(value, f"${value}", "$", annual.lines, printed=False)
            return _Fix(cell, "repair", text, annual.lines)
    if "preferred" not in found.class_name.lower() or len({c.value for _, c in others}) != 1:
        return None
    first_index, first = others[0]
    if len(others) == 1:
        payable = found.payments[first_index].payable
        evidence = f"the only figure printed in the column ({payable.text if payable else '?'} row)"
    else:
        evidence = "the figure printed on every other row of the column"
    text = (
        f"{subject}: {first.text} is {evidence}, carried to this row as the class's fixed "
        f"{_frequency(found.payments)}preferred dividend (inferred)"
    )
    return _Fix(_copy(first, first.lines), "gap", text, first.lines)


def _note_annual_gaps(
    found: _Class,
    annual: _Row,
    original: Mapping[str, Sequence[_Cell | None]],
    findings: _Findings,
) -> None:
    """An annual line that lacks a figure: not printed, or not legible."""
    for kind, cells in original.items():
        cell = annual.cells.get(kind)
        if cell is not None and cell.legible:
            continue
        read = found.source[kind]
        if any(c is not None and c.fragments for c in (*cells, cell)):
            text = f"annual {_label(kind)} not legible"
        else:
            lost = f" (lost with the {read.name} table)" if read.damaged else ""
            text = f"annual {_label(kind)} not printed{lost}"
        annual.note(2, _FIGURE_KINDS.index(kind), text)
        findings.add("gap", text, annual.lines, found.class_name)


def _payment_name(row: _Row) -> str:
    return f"payment of {row.payable.day}" if row.payable and row.payable.day else "a payment"


def _frequency(payments: Sequence[_Row]) -> str:
    """ "quarterly ", "monthly " or "semi-annual " from the gaps between payable dates."""
    days = sorted(r.payable.day for r in payments if r.payable and r.payable.day)
    gaps = {(b - a).days for a, b in itertools.pairwise(days)}
    for name, low, high in (("monthly", 28, 31), ("quarterly", 89, 92), ("semi-annual", 181, 184)):
        if gaps and all(low <= gap <= high for gap in gaps):
            return f"{name} "
    return ""


def _has(row: _Row, kind: str) -> bool:
    cell = row.cells.get(kind)
    return cell is not None and cell.legible


# --- 8. interpreting: percent or dollars, additive or nested --------------------

_NESTS = {
    "qualified": ("total_ordinary", "ordinary"),
    "section_199a": ("total_ordinary", "ordinary"),
    "unrecaptured_1250": ("total_capital_gain", "capital_gain"),
}


@dataclass(frozen=True)
class _Reading:
    """How a class's figures are printed: the unit, and which columns sit inside another."""

    unit: str  # "%" (of the payment) or "$" (per share)
    nested: Mapping[str, str]  # sub-column → the column it is part of

    def describe(self) -> str:
        unit = "percentages of each payment" if self.unit == "%" else "dollars per share"
        if not self.nested:
            return f"{unit}; additive columns (the parts add up to the payment as printed)"
        inside = "; ".join(f"{_label(s)} within {_label(p)}" for s, p in self.nested.items())
        return f"{unit}; nested 1099-DIV columns ({inside})"

    def disjoint(self, values: Mapping[str, Decimal]) -> dict[str, Decimal]:
        """The schema's disjoint parts: each total less the columns printed inside it.

        A total whose inner column is not printed (an annual line may omit
        one) cannot be split and is left out.
        """
        parts = dict(values)
        for sub, parent in self.nested.items():
            if parent in parts and sub in parts:
                parts[parent] -= parts[sub]
            elif parent in parts:
                del parts[parent]
        for total, part in (("total_ordinary", "ordinary"), ("total_capital_gain", "capital_gain")):
            if total in parts:
                parts[part] = parts.pop(total)
        return parts

    def derivation(self) -> str:
        """How the disjoint parts come from nested columns, for the notes."""
        pieces = []
        for parent in dict.fromkeys(self.nested.values()):
            inside = [_label(sub) for sub, outer in self.nested.items() if outer == parent]
            part = _label(parent.removeprefix("total_"))
            pieces.append(f"{part} is the printed {_label(parent)} column less {_and(inside)}")
        return "; ".join(pieces)


def _readings(kinds: Sequence[str], units: set[str]) -> list[_Reading]:
    """Every reading of the columns: units, then each nesting the columns allow."""
    candidates = []
    subs = []
    for sub, parents in _NESTS.items():
        parent = next((p for p in parents if p in kinds), None)
        if sub in kinds and parent:
            subs.append((sub, parent))
    forced = {sub for sub, parent in subs if parent.startswith("total_")}
    for unit in ("%", "$"):
        if unit not in units:
            continue
        for size in range(len(subs) + 1):
            for chosen in itertools.combinations(subs, size):
                if forced <= {sub for sub, _ in chosen}:
                    candidates.append(_Reading(unit, dict(chosen)))
    return candidates


def _adds_up(reading: _Reading, row: _Row, parts: Sequence[str]) -> bool:
    values = {k: row.cells[k].value for k in parts if _has(row, k)}
    dividend = row.cells["dividend"].value if _has(row, "dividend") else None
    if len(values) != len(parts) or dividend is None:
        return False
    total = sum(
        (v for k, v in values.items() if v is not None and k not in reading.nested), Decimal(0)
    )
    return total == (HUNDRED if reading.unit == "%" else dividend)


def _interpret(found: _Class, findings: _Findings) -> _Reading | None:
    """Decide the unit and the nesting from the arithmetic: every payment must add up."""
    name = found.class_name
    parts = [k for k in _PART_ORDER if k in found.source]
    if "total_ordinary" in parts and "ordinary" in parts:
        findings.add("problem", "both a total ordinary and an ordinary column", (), name)
        return None
    signs = {row.cells[k].unit for row in found.payments for k in parts}
    if {"%", "$"} <= signs:
        findings.add("problem", "parts printed both in percent and in dollars", (), name)
        return None
    units = {"%"} if "%" in signs else {"$"} if "$" in signs else {"%", "$"}
    candidates = _readings(parts, units)  # the plainest first: additive, percent
    scores = [sum(_adds_up(c, row, parts) for row in found.payments) for c in candidates]
    best = max(scores)
    fitting = [c for c, score in zip(candidates, scores, strict=True) if score == best]
    results = {
        tuple(
            tuple(sorted(c.disjoint({k: r.cells[k].value or Decimal(0) for k in parts}).items()))
            for r in found.payments
        )
        for c in fitting
    }
    if best == len(found.payments) and len(results) > 1:
        findings.add(
            "problem",
            "the parts add up in more than one way ("
            + "; ".join(c.describe() for c in fitting)
            + "); which columns sit inside which cannot be told",
            (),
            name,
        )
        return None
    reading = fitting[0]
    for row in found.payments:
        if not _adds_up(reading, row, parts):
            values = [row.cells[k].value for k in parts if k not in reading.nested and _has(row, k)]
            total = sum((v for v in values if v is not None), Decimal(0))
            target = "100%" if reading.unit == "%" else f"the dividend {row.cells['dividend'].text}"
            unit = "%" if reading.unit == "%" else ""
            findings.add(
                "problem",
                f"{_payment_name(row)}: the parts add up to {total}{unit}, not {target}",
                sorted(row.lines),
                name,
            )
    found.reading = reading.describe()
    return reading


def _percent(amount: Decimal, dividend: Decimal) -> tuple[Decimal, bool]:
    """``amount`` as a percentage of ``dividend``, and whether that is exact."""
    with localcontext() as context:
        context.prec = 60
        context.clear_flags()
        value = amount * HUNDRED / dividend
        exact = not context.flags[Inexact]
    if not exact:
        return value.quantize(Decimal("1e-10")), False
    value = value.normalize()  # at least the four decimals releases print: 4 → 4.0000
    exponent = value.as_tuple().exponent
    return (
        value.quantize(Decimal("1e-4")) if isinstance(exponent, int) and exponent > -4 else value
    ), True


def _convert(found: _Class, reading: _Reading, findings: _Findings) -> None:
    """The schema's figures: disjoint parts, in percent of each payment.

    In a release of dollars per share the payments' disjoint parts must add
    up, part by part, to the annual line's (checked here, in dollars: a
    percentage of a dollar figure need not come out exact).
    """
    parts = [k for k in _PART_ORDER if k in found.source]
    dollars: list[dict[str, Decimal]] = []
    found.parts = tuple(p for p in PARTS if p in reading.disjoint(dict.fromkeys(parts, HUNDRED)))
    for row in found.payments:
        disjoint = reading.disjoint({k: _value(row, k) for k in parts})
        if any(value < 0 for value in disjoint.values()):
            findings.add(
                "problem",
                f"{_payment_name(row)}: a part printed inside another is larger than it",
                sorted(row.lines),
                found.class_name,
            )
            return
        if reading.unit == "$":
            dollars.append(disjoint)
            disjoint = _payment_percentages(row, disjoint, _value(row, "dividend"))
        found.percentages.append(disjoint)
    if found.annual is not None:
        annual = found.annual
        disjoint = reading.disjoint({k: _value(annual, k) for k in parts if _has(annual, k)})
        if reading.unit == "$":
            _check_annual_dollars(found, dollars, disjoint, findings)
            dividend = _value(annual, "dividend") if _has(annual, "dividend") else None
            disjoint = _annual_percentages(annual, disjoint, dividend)
        found.annual_percentages = disjoint
    notes = []
    if reading.nested:
        notes.append(f"the release prints nested 1099-DIV columns: {reading.derivation()}")
    if reading.unit == "$":
        notes.append("percentages computed from the printed dollars per share (part / dividend)")
    for row in [*found.payments, *([found.annual] if found.annual else [])]:
        for order, text in enumerate(notes):
            row.note(-1, order, text)


def _value(row: _Row, kind: str) -> Decimal:
    value = row.cells[kind].value
    assert value is not None  # only called for legible cells
    return value


def _payment_percentages(
    row: _Row, parts: dict[str, Decimal], dividend: Decimal
) -> dict[str, Decimal]:
    """Dollar parts as percentages of the dividend; rounded (and noted) when not exact."""
    converted = {k: _percent(v, dividend) for k, v in parts.items()}
    values = {k: value for k, (value, _) in converted.items()}
    if all(exact for _, exact in converted.values()):
        return values
    largest = max(values, key=lambda k: values[k])
    remainder = HUNDRED - sum(values.values(), Decimal(0))
    values[largest] += remainder
    row.note(
        1,
        len(_FIGURE_KINDS),
        f"percentages rounded to 10 decimal places; {_label(largest)} takes the remainder "
        f"{remainder} so the parts add up to 100",
    )
    return values


def _annual_percentages(
    annual: _Row, parts: dict[str, Decimal], dividend: Decimal | None
) -> dict[str, Decimal]:
    if dividend is None:
        return {}
    converted = {k: _percent(v, dividend) for k, v in parts.items()}
    if all(exact for _, exact in converted.values()):
        return {k: value for k, (value, _) in converted.items()}
    annual.note(
        3,
        0,
        "annual parts checked in dollars; as percentages they do not come out exact and are "
        "left blank",
    )
    return {}


def _check_annual_dollars(
    found: _Class,
    payments: Sequence[Mapping[str, Decimal]],
    annual: Mapping[str, Decimal],
    findings: _Findings,
) -> None:
    assert found.annual is not None
    for part, printed in annual.items():
        total = sum((p[part] for p in payments if part in p), Decimal(0))
        if total != printed:
            findings.add(
                "problem",
                f"the annual line prints {_label(part)} ${printed}; the payments add up to "
                f"${total}",
                sorted(found.annual.lines),
                found.class_name,
            )


# --- release facts: issuer, tax year, symbols -------------------------------------

_TITLE = re.compile(
    r"^(?P<issuer>[A-Z][^()]*?)\s+(?:Announces|Reports|Releases|Provides|Declares)\s+"
    r"(?:(?:the|its)\s+)?(?P<year>(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_TAX_YEAR = re.compile(
    r"\btax\s+year\s+(?P<a>(?:19|20)\d{2})\b|\b(?P<b>(?:19|20)\d{2})\s+(?:dividend|distribution)s?\b"
    r"[^.]*\b(?:tax|allocation|characterization|classification)",
    re.IGNORECASE,
)
_LISTING = re.compile(r"\((?:NYSE|NYSE American|NASDAQ|Nasdaq|AMEX)\s*:\s*(?P<symbols>[^)]*)\)")


@dataclass(frozen=True)
class _Facts:
    issuer: str
    tax_year: int | None
    symbols: Mapping[str, str]
    release_date: dt.date | None
    tax_year_inferred: bool = False


def _release_facts(
    preamble: Sequence[_Line],
    lines: Sequence[_Line],
    classes: Sequence[_Class],
    issuer: str | None,
    tax_year: int | None,
    symbols: Mapping[str, str] | None,
    release_date: dt.date | None,
    findings: _Findings,
) -> _Facts:
    """Who issued the release and for which year: as given, else as its title prints them."""
    for line in preamble:
        title = _TITLE.search(line.text)
        if title and issuer is None:
            issuer = title["issuer"].strip()
            findings.add("reading", f"issuer {issuer!r} read from the title", (line.number,))
        printed = _TAX_YEAR.search(line.text)
        if printed and tax_year is None:
            tax_year = int(printed["a"] or printed["b"])
            findings.add("reading", f"tax year {tax_year} read from the text", (line.number,))
    if not issuer:
        findings.add("problem", "the issuer is not printed before the tables; give it (--issuer)")
    given = {_symbol_key(key): symbol for key, symbol in (symbols or {}).items()}
    listed = _listed_symbols(lines, classes, findings)
    chosen = {}
    for found in classes:
        symbol = given.get(found.cusip) or given.get(_symbol_key(found.class_name))
        chosen[found.cusip] = symbol or listed.get(found.cusip, "")
    return _settle_tax_year(_Facts(issuer or "", tax_year, chosen, release_date), classes, findings)


def _settle_tax_year(facts: _Facts, classes: Sequence[_Class], findings: _Findings) -> _Facts:
    """A tax year printed nowhere: the payable dates' year when they share one, as a gap."""
    if facts.tax_year is not None:
        return facts
    years = {
        row.payable.day.year
        for found in classes
        for row in found.payments
        if row.payable and row.payable.day
    }
    if len(years) != 1:
        findings.add(
            "problem",
            "the tax year is not printed and the payable dates do not tell it; give it "
            "(--tax-year)",
        )
        return facts
    year = years.pop()
    findings.add(
        "gap",
        f"tax year not printed: {year} taken from the payable dates (all in {year}); give it "
        "(--tax-year) to confirm",
    )
    return _Facts(facts.issuer, year, facts.symbols, facts.release_date, True)


def _symbol_key(text: str) -> str:
    code = cusip_module.compact(text)
    return code if cusip_module.is_valid(code) else " ".join(text.lower().split())


def _listed_symbols(
    lines: Sequence[_Line], classes: Sequence[_Class], findings: _Findings
) -> dict[str, str]:
    """Symbols from an exchange listing such as "(NYSE: AIV, AIVPrD)", matched by convention.

    The common stock has the root symbol; "Class D … Preferred" (or "Series
    D") has the root with "Pr D" (AIVPrD, AIV-PD, AIV.PR.D …).
    """
    for line in lines:
        match = _LISTING.search(line.text)
        if match is None:
            continue
        listed = [s.strip() for s in re.split(r"[,;]", match["symbols"]) if s.strip()]
        keys = {normalise_symbol(s): s for s in listed}
        roots = [k for k in keys if all(other.startswith(k) for other in keys)]
        if len(roots) != 1:
            return {}
        root = roots[0]
        found_symbols: dict[str, str] = {}
        for found in classes:
            name = found.class_name.lower()
            series = re.search(r"\b(?:class|series)\s+([a-z])\b", name)
            wanted: set[str] = set()
            if "preferred" in name and series:
                letter = series.group(1).upper()
                wanted = {f"{root}PR{letter}", f"{root}P{letter}"}
            elif "common" in name:
                wanted = {root}
            matches = [keys[k] for k in wanted if k in keys]
            if len(matches) == 1:
                found_symbols[found.cusip] = matches[0]
        if found_symbols:
            shown = ", ".join(found_symbols.values())
            findings.add("reading", f"symbols {shown} read from the listing", (line.number,))
        return found_symbols
    return {}


# --- 9. the table rows and the reconciliation ---------------------------------------


def _csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> str:
    """The rows as a table file; text from the release cannot become a spreadsheet formula."""
    lines = [list(columns), *([row.get(column, "") for column in columns] for row in rows)]
    return csvsafe.to_csv(lines) + "\n"


def _columns(parts: Iterable[str]) -> tuple[str, ...]:
    present = set(parts)
    return (
        *IDENTITY_COLUMNS,
        "row_kind",
        *DATE_COLUMNS,
        "dividend_per_share",
        *(part for part in PARTS if part in present),
        *PROVENANCE_COLUMNS,
    )


def _figure(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _table_rows(
    found: _Class, facts: _Facts, source_name: str, parts: Sequence[str]
) -> list[tuple[dict[str, str], _Row]]:
    """The class's rows in the table's schema, each beside the row it came from."""
    symbol = facts.symbols.get(found.cusip) or found.cusip
    common = {
        "issuer": facts.issuer,
        "tax_year": str(facts.tax_year),
        "class_name": found.class_name,
        "cusip": found.cusip,
        "symbol": symbol,
        "source": source_name,
        "release_date": facts.release_date.isoformat() if facts.release_date else "",
    }
    for part in parts:
        if part not in found.parts:
            text = (
                f"{_label(part)} not printed for this class: 0, as the printed parts already "
                "add up to the payment"
            )
            for row in found.payments:
                row.note(1, len(_FIGURE_KINDS), text)
    result = []
    for row, percentages in zip(found.payments, found.percentages, strict=True):
        assert row.record and row.payable and row.record.day and row.payable.day
        values = {
            "row_kind": "payment",
            "record_date": row.record.day.isoformat(),
            "payable_date": row.payable.day.isoformat(),
            "dividend_per_share": _figure(_value(row, "dividend")),
        }
        values |= {p: _figure(percentages.get(p, Decimal("0.0000"))) for p in parts}
        result.append(({**common, **values, "notes": _notes(row)}, row))
    if found.annual is not None:
        annual = found.annual
        dividend = _value(annual, "dividend") if _has(annual, "dividend") else None
        values = {"row_kind": "annual", "record_date": "", "payable_date": ""}
        values["dividend_per_share"] = _figure(dividend)
        values |= {p: _figure(found.annual_percentages.get(p)) for p in parts}
        result.append(({**common, **values, "notes": _notes(annual)}, annual))
    return result


def _notes(row: _Row) -> str:
    return "; ".join(note.text for note in sorted(row.notes, key=lambda n: (n.rank, n.order)))


_PROBLEM_AT = re.compile(r", line (?P<line>\d+)(?:, column [^:]*)?: (?P<message>.*)", re.DOTALL)


def _reconcile(
    found: _Class,
    rows: Sequence[tuple[dict[str, str], _Row]],
    columns: Sequence[str],
    source_name: str,
    findings: _Findings,
) -> SecurityClass | None:
    """Load the class's rows as a table: every check of :mod:`xl_reit.table`, by release line."""
    name = f"{source_name} [{found.class_name}]"
    try:
        table = AllocationTable.from_texts([(name, _csv_text(columns, [r for r, _ in rows]))])
    except DataFileError as error:
        for problem in error.problems:
            match = _PROBLEM_AT.search(problem[len(name) :]) if problem.startswith(name) else None
            if match is None:
                findings.add("problem", problem, (), found.class_name)
                continue
            index = int(match["line"]) - 2
            lines = rows[index][1].lines if 0 <= index < len(rows) else set()
            findings.add("problem", match["message"], lines, found.class_name)
        return None
    return next(iter(table.classes.values()))


def _class_report(found: _Class, symbol: str, loaded: SecurityClass | None) -> ClassReport:
    """What the report says of one class; ``loaded`` is the class as the table loaded it."""
    payments = []
    for index, row in enumerate(found.payments):
        percentages = found.percentages[index] if index < len(found.percentages) else None
        payments.append(
            PaymentCheck(
                row.record.day if row.record else None,
                row.payable.day if row.payable else None,
                _value(row, "dividend") if _has(row, "dividend") else None,
                sum(percentages.values(), Decimal(0)) if percentages else None,
                tuple(sorted(row.lines)),
            )
        )
    annual = None
    if loaded is not None and loaded.printed_annual is not None and found.annual is not None:
        annual = AnnualCheck(
            tuple(sorted(found.annual.lines)),
            loaded.printed_annual.dividend_per_share,
            loaded.annual.dividend_per_share or Decimal(0),
            dict(loaded.printed_annual.percentages),
            dict(loaded.annual.percentages),
        )
    return ClassReport(
        found.class_name,
        found.cusip,
        symbol,
        tuple(found.headings),
        tuple(read.describe() for read in found.reads),
        found.reading,
        tuple(payments),
        annual,
        loaded is not None,
    )


# --- the import -----------------------------------------------------------------


def parse_release(
    text: str,
    *,
    source_name: str,
    issuer: str | None = None,
    tax_year: int | None = None,
    release_date: dt.date | None = None,
    symbols: Mapping[str, str] | None = None,
) -> ImportResult:
    """Read a release's text into table rows and a reconciliation report.

    ``source_name`` goes into every row's ``source`` column. ``issuer`` and
    ``tax_year`` default to what the release's title prints ("… Announces
    2004 Dividend Income Tax Allocation"); a tax year that is printed nowhere
    is taken from the payable dates when they all fall in one year, as a gap.
    ``symbols`` maps a CUSIP (any printed form) or a class name to its ticker
    symbol; by default symbols come from an exchange listing in the text
    ("(NYSE: AIV, AIVPrD)"), and a class without one has its CUSIP as symbol
    (a gap). ``release_date`` fills the ``release_date`` column.
    """
    findings = _Findings()
    lines = _read_lines(text, findings)
    preamble, sections = _find_sections(lines, findings)
    for line in preamble:
        if line.role in ("rows", "columns", "bare"):
            findings.add("problem", "figures before any class heading, not read", (line.number,))
    if not sections:
        findings.add("problem", "no class heading with a CUSIP: nothing to import")
    classes = _classes(sections, findings)
    printed = _consensus(classes)
    for found in classes:
        _complete(found, printed, findings)
    facts = _release_facts(
        preamble, lines, classes, issuer, tax_year, symbols, release_date, findings
    )
    return _result(classes, facts, source_name, findings)


def _complete(found: _Class, printed: _Printed, findings: _Findings) -> None:
    """Repair, interpret and convert one class, stopping at its first problem."""
    if found.class_name in findings.failed:
        return
    _repair(found, printed, findings)
    if found.class_name in findings.failed:
        return
    reading = _interpret(found, findings)
    if reading is not None and found.class_name not in findings.failed:
        _convert(found, reading, findings)


def _result(
    classes: Sequence[_Class], facts: _Facts, source_name: str, findings: _Findings
) -> ImportResult:
    """Write each class that reconciles; report on every class."""
    release_ok = not any(f.kind == "problem" and not f.class_name for f in findings.items)
    writable = [c for c in classes if c.class_name not in findings.failed and release_ok]
    parts = [p for p in PARTS if any(p in c.parts for c in writable)]
    columns = _columns(parts)
    rows: list[Mapping[str, str]] = []
    reports = []
    for found in classes:
        loaded = None
        if found in writable:
            _note_release_gaps(found, facts, findings)
            class_rows = _table_rows(found, facts, source_name, parts)
            loaded = _reconcile(found, class_rows, columns, source_name, findings)
            if loaded is not None:
                rows += [row for row, _ in class_rows]
        reports.append(_class_report(found, facts.symbols.get(found.cusip, ""), loaded))
    report = ImportReport(
        source_name, facts.issuer, facts.tax_year, tuple(reports), tuple(findings.items)
    )
    return ImportResult(columns, tuple(rows), report)


def _note_release_gaps(found: _Class, facts: _Facts, findings: _Findings) -> None:
    """Gaps of the release as a whole, in the notes of every row they touch."""
    notes = []
    if facts.tax_year_inferred:
        notes.append(f"tax year not printed: {facts.tax_year} taken from the payable dates")
    if not facts.symbols.get(found.cusip):
        text = "symbol not printed: the CUSIP stands in for it"
        notes.append(text)
        findings.add(
            "gap", f"{text}; give the symbol to replace it", found.headings, found.class_name
        )
    for row in [*found.payments, *([found.annual] if found.annual else [])]:
        for order, text in enumerate(notes):
            row.note(3, order, text)


def _line_ranges(lines: Iterable[int]) -> str:
    """ "line 5", "lines 5-8, 12"."""
    numbers = sorted(set(lines))
    ranges: list[list[int]] = []
    for number in numbers:
        if ranges and number == ranges[-1][-1] + 1:
            ranges[-1].append(number)
        else:
            ranges.append([number])
    shown = ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in ranges)
    return f"line{'s' if len(numbers) > 1 else ''} {shown}"


def _report_text(report: ImportReport) -> str:
    """The report for people: a summary, each class with its payments, then the findings."""
    counts = Counter(finding.kind for finding in report.findings)
    payments = sum(len(c.payments) for c in report.classes)
    written = sum(c.written for c in report.classes)
    out = [
        f"Import of {report.source_name}: {'OK' if report.ok else 'NOT OK'}",
        f"  issuer: {report.issuer or '(not known)'}; tax year: {report.tax_year or '(not known)'}",
        f"  {len(report.classes)} classes, {payments} payments found; {written} classes "
        "reconcile and are in the table",
        f"  {counts['problem']} problems, {counts['gap']} gaps, {counts['repair']} repairs",
    ]
    for found in report.classes:
        out += [
            "",
            f"{found.class_name}  CUSIP {cusip_module.format(found.cusip)}  symbol "
            f"{found.symbol or '(none)'}  (heading {_line_ranges(found.heading_lines)})",
        ]
        out += [f"  {table}" for table in found.tables]
        if found.reading:
            out.append(f"  figures: {found.reading}")
        for payment in found.payments:
            total = "?" if payment.parts_total is None else f"{payment.parts_total}%"
            dividend = payment.dividend_per_share
            out.append(
                f"  payment {payment.record_date or '?'} -> {payment.payable_date or '?'}  "
                f"dividend {'?' if dividend is None else dividend}"
                f"  parts add up to {total}  ({_line_ranges(payment.lines)})"
            )
        if found.annual is not None:
            annual = found.annual
            printed = (
                "dividend not printed"
                if annual.printed_dividend is None
                else f"prints dividend {annual.printed_dividend}"
            )
            out.append(
                f"  annual line {printed}; the payments add up to {annual.payments_dividend}; "
                f"its {len(annual.printed_parts)} printed parts equal the payments weighted by "
                f"dividend  ({_line_ranges(annual.lines)})"
            )
        if not found.written:
            out.append("  NOT IN THE TABLE: see the problems below")
    sections: tuple[tuple[FindingKind, str], ...] = (
        ("problem", "Problems (the class is left out of the table; the import is not ok)"),
        ("gap", "Gaps (inferred or not printed; in the notes; the import is not ok)"),
        ("repair", "Repairs (proven by the release's own figures; in the notes)"),
        ("reading", "Readings (how the text was read)"),
    )
    for kind, title in sections:
        items = report.of_kind(kind)
        if items:
            out += ["", f"{title}:", *(f"  {finding.text()}" for finding in items)]
    return "\n".join(out) + "\n"


# --- the command line ------------------------------------------------------------


def _read_release(path: Path, err: TextIO) -> str:
    """The release's text: UTF-8 (with or without a byte order mark), else Windows-1252."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        print(f"xl-reit import: {path.name} is not UTF-8; read as Windows-1252", file=err)
        return data.decode("cp1252", errors="replace")


def run_import(
    release_path: str | Path,
    output: str | Path | None = None,
    issuer: str | None = None,
    tax_year: int | None = None,
    force: bool = False,
    allow_gaps: bool = False,
    out_stream: TextIO | None = None,
    err_stream: TextIO | None = None,
    *,
    release_date: dt.date | None = None,
    symbols: Mapping[str, str] | None = None,
) -> int:
    """``xl-reit import RELEASE.txt [-o TABLE.csv] [--issuer NAME] [--tax-year YEAR] …``.

    Reads the release text, prints the report and writes the table. With
    ``output`` the table goes to that file — atomically (a temporary file in
    the same folder, then one rename), and never over an existing file
    without ``force`` — and the report to ``out_stream``. Without ``output``
    the CSV goes to ``out_stream`` (so ``xl-reit import r.txt > t.csv``
    works) and the report to ``err_stream``.

    Returns the exit code: 0 when everything reconciles; 1 when something
    does not reconcile or could not be read — then nothing is written unless
    ``allow_gaps``, which writes the classes that reconcile with each gap in
    their notes (the exit code stays 1) — and 1 when the release cannot be
    read or the output cannot be written.
    """
    out = out_stream or sys.stdout
    err = err_stream or sys.stderr
    prog = "xl-reit import"
    if output is not None and Path(output).exists() and not force:
        print(f"{prog}: error: {str(output)!r} exists; give --force to replace it", file=err)
        return 1
    try:
        text = _read_release(Path(release_path), err)
    except OSError as error:
        print(f"{prog}: error: cannot read {str(release_path)!r}: {error.strerror}", file=err)
        return 1
    result = parse_release(
        text,
        source_name=Path(release_path).name,
        issuer=issuer,
        tax_year=tax_year,
        release_date=release_date,
        symbols=symbols,
    )
    report = out if output is not None else err
    report.write(result.report_text())
    findings = result.report.findings
    if not result.ok and not allow_gaps:
        problems = sum(f.kind == "problem" for f in findings)
        gaps = sum(f.kind == "gap" for f in findings)
        print(
            f"{prog}: nothing written: {problems} problem(s), {gaps} gap(s). Fix the release "
            "text, or give --allow-gaps to write the classes that reconcile with their gaps "
            "in the notes.",
            file=err,
        )
        return 1
    if not result.rows:
        print(f"{prog}: nothing written: no class reconciles", file=err)
        return 1
    table = result.to_csv(allow_gaps=True)

    def write(path: Path) -> None:
        path.write_text(table, encoding="utf-8", newline="")

    if output is None:
        out.write(table)
    else:
        try:
            written = write_atomically(output, write, overwrite=force)
        except XlReitError as error:
            print(f"{prog}: error: {error}", file=err)
            return 1
        print(f"{prog}: wrote {len(result.rows)} rows to {written}", file=report)
    return 0 if result.ok else 1
