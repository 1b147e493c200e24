"""The table file: a plain CSV of an allocation, read into rows and written back.

One row per payment of a share class in a tax year (``row_kind`` ``payment``)
plus, optionally, the release's annual line of each class (``row_kind``
``annual``); a class whose release prints only the year's totals has its
annual line alone. Columns:

``issuer, tax_year, class_name, cusip, symbol``
    who paid, for which tax year, which share class.
``row_kind``
    ``payment`` (the default when the column is absent) or ``annual``.
``ex_date`` (optional column)
    the ex-dividend date, where the release prints one: ISO, on or before
    the record date; blank on an annual line, and where not printed (a
    lot's ex-date is then derived from the record date).
``record_date, payable_date``
    ISO dates (blank on an annual line). A payment whose release prints its
    payable date only leaves ``record_date`` blank: it is keyed by its payable
    date, still one row per payment.
``dividend_per_share``
    dollars per share, exactly as printed: the part of the payment this tax
    year reports (for a payment not split between years, the whole payment).
    Blank on an annual line that prints none, and on a payment line that
    gives its ``distribution``.
``distribution``, ``other_year``, ``other_tax_year`` (optional columns)
    for a payment split between tax years: the whole payment and the part
    allocable to another tax year, where the release prints them, and the
    tax year whose release reports the rest. ``dividend_per_share`` is then
    ``distribution`` less ``other_year``; a split payment's line that prints
    no figure at all reports nothing in its own year.
``parts_excess`` (optional column)
    where a release's own parts disagree with its dividend beyond the printed
    digits and the row keeps them as printed: what the parts add up to beyond
    the dividend, ``$0.0003`` (or ``-$0.0003`` where they fall short). Checked:
    every part must be printed and the excess needed (:mod:`xl_reit.figures`).
one column per figure printed (names from :data:`xl_reit.components.COMPONENTS`)
    the figure exactly as printed: ``$0.101881`` in dollars per share,
    ``1.3268`` (or ``1.3268%``) as a percentage of the dividend, or
    ``$2.8434500 (93.197%)`` both; blank where the release prints nothing.
``source, release_date, notes``
    provenance: the document, its date, and every repair made to the row.

This module owns the format: :func:`read_text` turns a file's text into
:class:`~xl_reit.model.Payment` rows and the :class:`~xl_reit.errors.Problem`
each cell has (a cell that is not a date, a CUSIP whose check digit is wrong,
a column named twice); :func:`write_text` is the one writer, used by
``xl-reit payments --format csv`` and ``xl-reit import``. What the figures
mean together (the parts add up to the dividend, a figure inside another is
at most that one, the annual line equals the payments) is checked when the
rows are assembled into classes (:mod:`xl_reit.assemble`), whoever made them.

Figures stay ``Decimal`` with their printed digits; a cell that xl-reit's own
CSV output quoted against formula injection (:mod:`xl_reit.csvsafe`) loads as
it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from . import csvsafe
from . import cusip as cusip_module
from .assemble import date_problems, row_problems
from .components import COMPONENTS
from .errors import DataFileError, Origin, Problem, shown
from .figures import signed_dollars
from .model import HUNDRED, Payment, Printed

if TYPE_CHECKING:
    import _csv

__all__ = [
    "AMOUNT_COLUMNS",
    "DATE_COLUMNS",
    "IDENTITY_COLUMNS",
    "KNOWN_COLUMNS",
    "MAX_DOLLARS",
    "PROVENANCE_COLUMNS",
    "REQUIRED_COLUMNS",
    "columns",
    "printed_text",
    "read_paths",
    "read_text",
    "record",
    "write_text",
    "written_problems",
]

IDENTITY_COLUMNS = ("issuer", "tax_year", "class_name", "cusip", "symbol")
DATE_COLUMNS = ("record_date", "payable_date")
#: The ex-dividend date, where the release prints one (an optional column).
EX_DATE = "ex_date"
SPLIT_COLUMNS = ("distribution", "other_year", "other_tax_year")
EXCESS_COLUMN = "parts_excess"
AMOUNT_COLUMNS = ("dividend_per_share", *SPLIT_COLUMNS, EXCESS_COLUMN)
PROVENANCE_COLUMNS = ("source", "release_date", "notes")
REQUIRED_COLUMNS = (*IDENTITY_COLUMNS, *DATE_COLUMNS, "dividend_per_share")
FIGURE_COLUMNS = tuple(COMPONENTS)
KNOWN_COLUMNS = frozenset(
    (
        *REQUIRED_COLUMNS,
        "row_kind",
        EX_DATE,
        *AMOUNT_COLUMNS,
        *FIGURE_COLUMNS,
        *PROVENANCE_COLUMNS,
    )
)
ROW_KINDS = ("payment", "annual")

#: More dollars per share than any REIT pays: a larger figure is a typing slip.
MAX_DOLLARS = Decimal(1_000_000)
#: More significant digits than any release prints (and than exact arithmetic needs).
MAX_DIGITS = 20

_NUMBER = r"(\d+(?:\.\d*)?|\.\d+)"
_DOLLARS = re.compile(rf"\$\s*{_NUMBER}(?:\s*\(\s*{_NUMBER}\s*%\s*\))?")
_PERCENT = re.compile(rf"{_NUMBER}\s*%?")
_PLAIN_DOLLARS = re.compile(rf"\$?\s*{_NUMBER}")


def columns(
    figures: Iterable[str], split: bool = False, excess: bool = False, *, ex: bool = False
) -> tuple[str, ...]:
    """The columns of a table file that prints ``figures``, in the schema's order.

    ``split`` adds the columns of payments split between tax years, ``excess``
    the column of parts kept as printed beyond the dividend, ``ex`` the
    ex-dividend date a release prints.
    """
    present = set(figures)
    return (
        *IDENTITY_COLUMNS,
        "row_kind",
        *((EX_DATE,) if ex else ()),
        *DATE_COLUMNS,
        "dividend_per_share",
        *(SPLIT_COLUMNS if split else ()),
        *((EXCESS_COLUMN,) if excess else ()),
        *(name for name in FIGURE_COLUMNS if name in present),
        *PROVENANCE_COLUMNS,
    )


# ----------------------------------------------------------------------- reading


class _Row:
    """One line of the file being read: its cells, and the problems found in them."""

    __slots__ = ("file", "is_payment", "line", "problems", "values")

    def __init__(self, file: str, line: int, values: Mapping[str, str]) -> None:
        self.file = file
        self.line = line
        self.values = values
        self.problems: list[Problem] = []
        self.is_payment = (values.get("row_kind") or "payment") == "payment"

    def problem(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, self.line, column, message))


def _number(text: str) -> Decimal | None:
    """A plain printed number within bounds (no sign, no exponent), or ``None``."""
    value = Decimal(text)
    # A number has no more digits than its text has characters: count them only when
    # the text is long enough to hold too many (as_tuple() is slow, and most are short).
    if value > MAX_DOLLARS or (
        len(text) > MAX_DIGITS and len(value.as_tuple().digits) > MAX_DIGITS
    ):
        return None
    return value


@lru_cache(maxsize=4096)  # a class's payments mostly write the same dividend
def _dollars(text: str) -> Decimal | None:
    """Dollars as written: ``0.600`` or ``$0.600``; ``None`` when it is not such a figure."""
    match = _PLAIN_DOLLARS.fullmatch(text)
    return None if match is None else _number(match[1])


@lru_cache(maxsize=4096)
def _printed(text: str) -> Printed | None:
    """A figure cell: ``$0.101881``, ``1.3268``, ``1.3268%`` or ``$2.8434500 (93.197%)``."""
    both = _DOLLARS.fullmatch(text)
    if both is not None:
        dollars = _number(both[1])
        percent = None if both[2] is None else _number(both[2])
        if dollars is None or (both[2] is not None and (percent is None or percent > HUNDRED)):
            return None
        return Printed(dollars, percent)
    plain = _PERCENT.fullmatch(text)
    if plain is None:
        return None
    percent = _number(plain[1])
    return None if percent is None or percent > HUNDRED else Printed(percent=percent)


@lru_cache(maxsize=1024)
def _cusip(text: str) -> str:
    """A row's CUSIP, checked once per spelling (a class's rows all write the same one)."""
    return cusip_module.validate(text, "cusip")


def _year(text: str) -> int | None:
    # isascii(): "²" is a digit to str.isdigit(), not to int()
    return int(text) if text.isascii() and text.isdigit() and 1900 <= int(text) <= 9999 else None


def _identity(row: _Row) -> tuple[str, int]:
    """The row's CUSIP and tax year; blank names are problems."""
    values = row.values
    for column in ("issuer", "class_name", "symbol"):
        if not values[column]:
            row.problem(column, "is blank")
    try:
        code = _cusip(values["cusip"])
    except ValueError as error:
        row.problem("cusip", str(error))
        code = ""
    tax_year = _year(values["tax_year"])
    if tax_year is None:
        row.problem("tax_year", f"{shown(values['tax_year'])} is not a year")
    return code, tax_year or 0


#: A date as an ISO text gives it (a table's rows mostly write the same few dates).
_date = lru_cache(maxsize=1024)(dt.date.fromisoformat)


def _dates(row: _Row) -> dict[str, dt.date | None]:
    """The row's record, payable and release dates (ISO); blank where the row kind allows.

    A payment's record date may be blank (a release that prints payable dates only).
    """
    dates: dict[str, dt.date | None] = {}
    for column in (EX_DATE, *DATE_COLUMNS, "release_date"):
        text = row.values.get(column, "")
        dates[column] = None
        if not text:
            if row.is_payment and column == "payable_date":
                row.problem(column, "is blank; give an ISO date (YYYY-MM-DD)")
            continue
        if not row.is_payment and column in (EX_DATE, *DATE_COLUMNS):
            row.problem(column, "must be blank on an annual line")
            continue
        try:
            dates[column] = _date(text)
        except ValueError:
            row.problem(column, f"{shown(text)} is not an ISO date (YYYY-MM-DD)")
    return dates


def _amount(row: _Row, column: str, *, nil: bool = False) -> Decimal | None:
    """A dollar amount column: blank, or a positive amount (0 too, where ``nil``)."""
    text = row.values.get(column, "")
    if not text:
        return None
    value = _dollars(text)
    if value is None or (not value and not nil):
        row.problem(column, f"{shown(text)} is not a positive dollar amount")
        return None
    return value


def _split(row: _Row, tax_year: int) -> tuple[Decimal | None, Decimal | None, int | None]:
    """A payment split between tax years: the whole, the part of another year, and that year."""
    distribution = _amount(row, "distribution")
    other_year = _amount(row, "other_year", nil=True)
    text = row.values.get("other_tax_year", "")
    other_tax_year = _year(text) if text else None
    if text and (other_tax_year is None or other_tax_year == tax_year):
        row.problem(
            "other_tax_year",
            f"{shown(text)}: give the tax year whose release reports the rest of this payment "
            "(not this row's own)",
        )
    if not row.is_payment and (distribution is not None or text):
        row.problem("other_tax_year" if text else "distribution", "must be blank on an annual line")
    return distribution, other_year, other_tax_year


_EXCESS = re.compile(rf"(-?)\$?\s*{_NUMBER}")


def _excess(row: _Row) -> Decimal | None:
    """What the row's printed parts add up to beyond its dividend, where it says so."""
    text = row.values.get(EXCESS_COLUMN, "")
    if not text:
        return None
    match = _EXCESS.fullmatch(text)
    value = None if match is None else _number(match[2])
    if value is None or not value:
        row.problem(
            EXCESS_COLUMN,
            f"{shown(text)} is not an excess of the parts over the dividend: give dollars per "
            "share, $0.0003 (or -$0.0003 where the parts fall short), or leave it blank",
        )
        return None
    return -value if match and match[1] else value


def _printed_figures(row: _Row, names: Sequence[str]) -> dict[str, Printed]:
    """Each figure the row prints, as printed."""
    printed: dict[str, Printed] = {}
    for name in names:
        text = row.values[name]
        if not text:
            continue
        figure = _printed(text)
        if figure is None:
            row.problem(
                name,
                f"{shown(text)} is not a figure: give dollars per share ($0.1019) or a percentage "
                "of the dividend from 0 to 100 (1.3268), or both ($0.1019 (83.7%))",
            )
            continue
        printed[name] = figure
    return printed


#: The row every row read is made from: each field is replaced, or stays empty (and
#: read-only, being shared).
_BLANK = Payment("", 0, "", "", "", None, None, None, figures=MappingProxyType({}))


def _payment(row: _Row, names: Sequence[str]) -> Payment | None:
    """The row as a :class:`Payment`, or ``None`` (and its problems) when a cell is bad."""
    kind = row.values.get("row_kind") or "payment"
    if kind not in ROW_KINDS:
        row.problem("row_kind", f"{shown(kind)}: must be 'payment' or 'annual'")
        return None
    code, tax_year = _identity(row)
    dates = _dates(row)
    distribution, other_year, other_tax_year = _split(row, tax_year)
    dividend = _amount(row, "dividend_per_share", nil=other_tax_year is not None)
    printed = _printed_figures(row, names)
    if row.is_payment and dividend is None and distribution is None and not row.problems:
        if other_tax_year is None or printed:
            row.problem("dividend_per_share", f"{shown('')} is not a positive dollar amount")
    values = row.values
    payment = _BLANK.but(  # Payment(...) sets its fields one by one: a copy is 3x faster
        issuer=values["issuer"],
        tax_year=tax_year,
        class_name=values["class_name"],
        cusip=code,
        symbol=values["symbol"],
        record_date=dates["record_date"],
        payable_date=dates["payable_date"],
        ex_date=dates[EX_DATE],
        dividend_per_share=dividend,
        printed=printed,
        distribution=distribution,
        other_year=other_year,
        other_tax_year=other_tax_year,
        parts_excess=_excess(row),
        source=values.get("source", ""),
        release_date=dates["release_date"],
        notes=values.get("notes", ""),
        origin=Origin(row.file, row.line),
    )
    if not row.problems:
        return payment
    # A row with a bad cell is left out, so its figures are checked here, where they parsed,
    # so that one reading lists every problem of the file.
    figures_read = not any(problem.column in (*names, *AMOUNT_COLUMNS) for problem in row.problems)
    row.problems += row_problems(payment) if figures_read else date_problems(payment)
    return None


def _header_problems(name: str, header: Sequence[str]) -> list[Problem]:
    """What is wrong with the header line: columns missing, unknown, named twice, no figures."""
    problems = []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        problems.append(Problem(name, 1, None, f"missing column(s) {', '.join(missing)}"))
    unknown = [column for column in header if column not in KNOWN_COLUMNS]
    if unknown:
        problems.append(
            Problem(
                name,
                1,
                None,
                f"unknown column(s) {', '.join(map(shown, unknown))}; "
                f"valid: {', '.join(sorted(KNOWN_COLUMNS))}",
            )
        )
    positions: dict[str, list[int]] = {}
    for position, column in enumerate(header, 1):
        positions.setdefault(column, []).append(position)
    for column, where in positions.items():
        if len(where) > 1 and column:
            problems.append(
                Problem(
                    name,
                    1,
                    None,
                    f"column {shown(column)} is named twice (columns {where[0]} and {where[1]}); "
                    "each column may appear once",
                )
            )
    if not any(column in COMPONENTS for column in header):
        problems.append(
            Problem(
                name, 1, None, f"no component columns; give one or more of {', '.join(COMPONENTS)}"
            )
        )
    return problems


def _cell(text: str) -> str:
    """A cell as written, less the quote xl-reit's own CSV output puts before a formula."""
    return csvsafe.unescape(text) if text.startswith("'") else text


def _lines(
    name: str,
    reader: _csv.Reader,
    header: Sequence[str],
    problems: list[Problem],
    escaped: bool,
) -> Iterator[_Row]:
    """The reader's non-blank lines as rows; a line the csv module cannot read ends them.

    ``escaped``: whether a cell may start with the quote xl-reit's CSV output puts before
    a formula (a file with no quote anywhere has none to look for, cell by cell). A line
    shorter than the header leaves its last columns blank.

    (A plain csv reader, not a DictReader: the latter skips blank lines without counting
    them, so a line it cannot read was reported lines too early.)
    """
    try:
        for cells in reader:
            line = reader.line_num
            if len(cells) > len(header):
                message = "more fields than the header has columns"
                problems.append(Problem(name, line, None, message))
                continue
            values = list(map(str.strip, cells))
            if len(values) < len(header):
                values += [""] * (len(header) - len(values))
            if escaped:
                values = [_cell(text) for text in values]
            if any(values):
                yield _Row(name, line, dict(zip(header, values, strict=True)))
    except csv.Error as error:  # the line it was reading when it failed
        problems.append(Problem(name, reader.line_num, None, f"not readable as CSV: {error}"))


def read_text(name: str, text: str) -> tuple[list[Payment], list[Problem]]:
    """The rows of one table file's ``text``, and every problem found in its cells.

    ``name`` names the file in problems and in each row's origin. A row
    with a problem is left out; the caller refuses the file if there is any.
    """
    # newline="": a line break inside a quoted cell stays what it was (csv's own rule).
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        fieldnames = next(reader, [])
    except csv.Error as error:
        return [], [Problem(name, reader.line_num, None, f"not readable as CSV: {error}")]
    header = [column.strip() for column in fieldnames]
    problems = _header_problems(name, header)
    if problems:
        return [], problems
    names = [column for column in header if column in COMPONENTS]
    payments: list[Payment] = []
    for row in _lines(name, reader, header, problems, escaped="'" in text):
        payment = _payment(row, names)
        problems += row.problems
        if payment is not None:
            payments.append(payment)
    if not payments and not problems:
        problems.append(
            Problem(name, None, None, "holds no rows below its header; a table needs its payments")
        )
    return payments, problems


#: The largest table file read: one of every REIT's payments for decades is a few megabytes.
MAX_TABLE_BYTES = 20_000_000


def read_paths(paths: Iterable[str | Path]) -> list[tuple[str, str]]:
    """``(name, text)`` of each table file; :class:`DataFileError` for one that cannot be read.

    Only a regular file is read (a FIFO would wait for a writer, ``/dev/zero``
    never ends), of at most :data:`MAX_TABLE_BYTES`.
    """
    texts = []
    for path in paths:
        try:
            texts.append((str(path), _table_bytes(path).decode("utf-8-sig")))
        except (OSError, UnicodeDecodeError) as error:
            raise DataFileError(f"{path}: cannot read the table: {error}") from None
    return texts


def _table_bytes(path: str | Path) -> bytes:
    """The bytes of a table file: a regular file, of at most :data:`MAX_TABLE_BYTES`."""
    # Not blocking: opening a FIFO for reading would wait for a writer.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            what = "a folder" if stat.S_ISDIR(mode) else "not a file (a FIFO, socket or device)"
            raise DataFileError(f"{path}: cannot read the table: it is {what}; give a CSV file")
    except BaseException:
        os.close(descriptor)
        raise
    with os.fdopen(descriptor, "rb") as stream:
        data = stream.read(MAX_TABLE_BYTES + 1)
    if len(data) > MAX_TABLE_BYTES:
        raise DataFileError(
            f"{path}: cannot read the table: it is over {MAX_TABLE_BYTES // 1_000_000} MB, and a "
            "table file is some kilobytes (one of every REIT's payments for decades, a few MB)"
        )
    return data


# ----------------------------------------------------------------------- writing


def _figure(value: Decimal | None) -> str:
    """A figure as the file writes it: every printed digit, no exponent (``0.600``)."""
    return "" if value is None else format(value, "f")


def printed_text(figure: Printed | None) -> str:
    """A printed figure as the file writes it: ``$0.101881``, ``1.3268``, ``$2.84345 (93.197%)``.

    A bare number is a percentage, as the 2004 table always wrote them.
    """
    if figure is None:
        return ""
    if figure.dollars is None:
        return _figure(figure.percent)
    percent = "" if figure.percent is None else f" ({_figure(figure.percent)}%)"
    return f"${_figure(figure.dollars)}{percent}"


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def record(
    payment: Payment,
    figures: Iterable[str],
    split: bool = False,
    excess: bool = False,
    *,
    ex: bool = False,
) -> dict[str, str]:
    """A payment or annual line in the file's own columns, as text (``ex``: its ex-date too)."""
    row = {
        "issuer": payment.issuer,
        "tax_year": str(payment.tax_year),
        "class_name": payment.class_name,
        "cusip": payment.cusip,
        "symbol": payment.symbol,
        "row_kind": "annual" if payment.is_annual else "payment",
        **({EX_DATE: _iso(payment.ex_date)} if ex else {}),
        "record_date": _iso(payment.record_date),
        "payable_date": _iso(payment.payable_date),
        "dividend_per_share": _figure(payment.dividend_per_share),
    }
    if split:
        row |= {
            "distribution": _figure(payment.distribution),
            "other_year": _figure(payment.other_year),
            "other_tax_year": str(payment.other_tax_year or ""),
        }
    if excess:
        row[EXCESS_COLUMN] = _excess_text(payment.parts_excess)
    row |= {name: printed_text(payment.printed.get(name)) for name in figures}
    return row | {
        "source": payment.source,
        "release_date": _iso(payment.release_date),
        "notes": payment.notes,
    }


def _excess_text(value: Decimal | None) -> str:
    return "" if value is None else signed_dollars(value)


def written_problems(payment: Payment) -> list[Problem]:
    """What reading the payment's line back from a table file would refuse in its cells.

    A row made otherwise than by reading (an import's) is checked cell by cell
    as :func:`read_text` checks a file's, so that what is written loads: a
    dividend of 0 that is not a split payment's, a figure past the digits or
    the bounds a table holds. Each problem is at the payment's origin.
    """
    names = tuple(payment.printed)
    texts = record(payment, names, split=True, excess=True, ex=True)
    origin = payment.origin
    row = _Row(origin.file, origin.line or 0, {name: text.strip() for name, text in texts.items()})
    _payment(row, names)
    return [
        Problem(origin.file, origin.line, problem.column, problem.message)
        for problem in row.problems
    ]


def write_text(rows: Iterable[Payment], figures: Iterable[str] | None = None) -> str:
    """The rows as a table file's text, header first; it loads back as the same rows.

    ``figures`` are the figure columns to write (default: every figure a row
    prints). Text cells are escaped against formula injection
    (:mod:`xl_reit.csvsafe`), which :func:`read_text` undoes. The text ends
    without a line break.
    """
    rows = tuple(rows)
    chosen = set(figures) if figures is not None else {n for row in rows for n in row.printed}
    split = any(row.is_split or row.distribution is not None for row in rows)
    excess = any(row.parts_excess is not None for row in rows)
    ex = any(row.ex_date is not None for row in rows)
    header = columns(chosen, split, excess, ex=ex)
    names = [name for name in header if name in COMPONENTS]
    return csvsafe.to_csv(
        [
            list(header),
            *(
                [record(row, names, split, excess, ex=ex)[column] for column in header]
                for row in rows
            ),
        ]
    )
