"""The table file: a plain CSV of an allocation, read into rows and written back.

One row per payment (``row_kind`` ``payment``) plus, optionally, the release's
printed annual line of each class (``row_kind`` ``annual``). Columns:

``issuer, tax_year, class_name, cusip, symbol``
    who paid, for which tax year, which share class.
``row_kind``
    ``payment`` (the default when the column is absent) or ``annual``.
``record_date, payable_date``
    ISO dates (blank on an annual line).
``dividend_per_share``
    dollars, exactly as printed (blank on an annual line that prints none).
one column per published part (see :data:`xl_reit.components.PARTS`)
    the part's percentage of the payment, exactly as printed: ``1.3268``
    means 1.3268%. The parts of a payment add up to exactly 100.
``source, release_date, notes``
    provenance: the document, its date, and every repair made to the row.

This module owns the format: :func:`read_text` turns a file's text into
:class:`~xl_reit.model.Payment` rows and the :class:`~xl_reit.errors.Problem`
each cell has (a cell that is not a date, a CUSIP whose check digit is wrong);
:func:`write_text` is the one writer, used by ``xl-reit payments --format
csv`` and ``xl-reit import``. What the figures mean (a payment's parts add up
to 100, its record date comes before its payable date, a class's annual line
equals its payments) is checked when the rows are assembled into classes
(:mod:`xl_reit.assemble`), whoever made them.

Figures stay ``Decimal``; a cell that xl-reit's own CSV output quoted against
formula injection (:mod:`xl_reit.csvsafe`) loads as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import csvsafe
from . import cusip as cusip_module
from .assemble import date_problems, part_problems
from .components import PARTS
from .errors import DataFileError, Origin, Problem, shown
from .model import HUNDRED, Payment

__all__ = [
    "DATE_COLUMNS",
    "IDENTITY_COLUMNS",
    "KNOWN_COLUMNS",
    "PROVENANCE_COLUMNS",
    "REQUIRED_COLUMNS",
    "columns",
    "read_paths",
    "read_text",
    "record",
    "write_text",
]

IDENTITY_COLUMNS = ("issuer", "tax_year", "class_name", "cusip", "symbol")
DATE_COLUMNS = ("record_date", "payable_date")
PROVENANCE_COLUMNS = ("source", "release_date", "notes")
REQUIRED_COLUMNS = (*IDENTITY_COLUMNS, *DATE_COLUMNS, "dividend_per_share")
KNOWN_COLUMNS = frozenset((*REQUIRED_COLUMNS, "row_kind", *PARTS, *PROVENANCE_COLUMNS))
ROW_KINDS = ("payment", "annual")


def columns(parts: Iterable[str]) -> tuple[str, ...]:
    """The columns of a table file that publishes ``parts``, in the schema's order."""
    present = set(parts)
    return (
        *IDENTITY_COLUMNS,
        "row_kind",
        *DATE_COLUMNS,
        "dividend_per_share",
        *(part for part in PARTS if part in present),
        *PROVENANCE_COLUMNS,
    )


# ----------------------------------------------------------------------- reading


@dataclass
class _Row:
    """One line of the file being read: its cells, and the problems found in them."""

    file: str
    line: int
    values: Mapping[str, str]
    problems: list[Problem] = field(default_factory=list)

    @property
    def is_payment(self) -> bool:
        return (self.values.get("row_kind") or "payment") == "payment"

    def problem(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, self.line, column, message))


def _decimal(text: str) -> Decimal:
    """A figure as written: ``0.600``, ``$0.600``, ``1.3268`` (no NaN, no infinity)."""
    value = Decimal(text.strip().lstrip("$"))
    if not value.is_finite():
        raise InvalidOperation
    return value


def _identity(row: _Row) -> tuple[str, int]:
    """The row's CUSIP and tax year; blank names are problems."""
    values = row.values
    for column in ("issuer", "class_name", "symbol"):
        if not values[column]:
            row.problem(column, "is blank")
    try:
        code = cusip_module.validate(values["cusip"], "cusip")
    except ValueError as error:
        row.problem("cusip", str(error))
        code = ""
    try:
        tax_year = int(values["tax_year"])
        if not 1900 <= tax_year <= 9999:
            raise ValueError
    except ValueError:
        row.problem("tax_year", f"{shown(values['tax_year'])} is not a year")
        tax_year = 0
    return code, tax_year


def _dates(row: _Row) -> dict[str, dt.date | None]:
    """The row's record, payable and release dates (ISO); blank where the row kind allows."""
    dates: dict[str, dt.date | None] = {}
    for column in (*DATE_COLUMNS, "release_date"):
        text = row.values.get(column, "")
        dates[column] = None
        if not text:
            if row.is_payment and column in DATE_COLUMNS:
                row.problem(column, "is blank; give an ISO date (YYYY-MM-DD)")
            continue
        if not row.is_payment and column in DATE_COLUMNS:
            row.problem(column, "must be blank on an annual line")
            continue
        try:
            dates[column] = dt.date.fromisoformat(text)
        except ValueError:
            row.problem(column, f"{shown(text)} is not an ISO date (YYYY-MM-DD)")
    return dates


def _dividend(row: _Row) -> Decimal | None:
    """Dollars per share: required on a payment, optional on an annual line."""
    text = row.values["dividend_per_share"]
    if not text and not row.is_payment:
        return None
    try:
        dividend = _decimal(text)
        if dividend <= 0:
            raise InvalidOperation
    except InvalidOperation:
        row.problem("dividend_per_share", f"{shown(text)} is not a positive dollar amount")
        return None
    return dividend


def _percentages(row: _Row, parts: Sequence[str]) -> dict[str, Decimal]:
    """Each published part's percentage, from 0 to 100; a payment gives every part."""
    percentages: dict[str, Decimal] = {}
    for part in parts:
        text = row.values[part]
        if not text:
            if row.is_payment:
                row.problem(part, "is blank; give the published percentage")
            continue
        try:
            percentages[part] = _decimal(text.rstrip("%"))
            if not 0 <= percentages[part] <= HUNDRED:
                raise InvalidOperation
        except InvalidOperation:
            row.problem(part, f"{shown(text)} is not a percentage from 0 to 100")
    return percentages


def _payment(row: _Row, parts: Sequence[str]) -> Payment | None:
    """The row as a :class:`Payment`, or ``None`` (and its problems) when a cell is bad."""
    kind = row.values.get("row_kind") or "payment"
    if kind not in ROW_KINDS:
        row.problem("row_kind", f"{shown(kind)}: must be 'payment' or 'annual'")
        return None
    code, tax_year = _identity(row)
    dates = _dates(row)
    dividend = _dividend(row)
    percentages = _percentages(row, parts)
    values = row.values
    payment = Payment(
        issuer=values["issuer"],
        tax_year=tax_year,
        class_name=values["class_name"],
        cusip=code,
        symbol=values["symbol"],
        record_date=dates["record_date"],
        payable_date=dates["payable_date"],
        dividend_per_share=dividend,
        percentages=percentages,
        source=values.get("source", ""),
        release_date=dates["release_date"],
        notes=values.get("notes", ""),
        origin=Origin(row.file, row.line),
    )
    # What the figures mean together, checked even on a row with a bad cell so that
    # one reading lists every problem; the parts only when every one of them was read.
    row.problems += date_problems(payment)
    if len(percentages) == len(parts):
        row.problems += part_problems(payment)
    return None if row.problems else payment


def _header_problems(name: str, header: Sequence[str]) -> list[Problem]:
    """What is wrong with the header line: missing, unknown or no part columns."""
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    unknown = [column for column in header if column not in KNOWN_COLUMNS]
    problems = []
    if missing:
        problems.append(Problem(name, 1, None, f"missing column(s) {', '.join(missing)}"))
    if unknown:
        problems.append(
            Problem(
                name,
                1,
                None,
                f"unknown column(s) {', '.join(map(repr, unknown))}; "
                f"valid: {', '.join(sorted(KNOWN_COLUMNS))}",
            )
        )
    if not any(column in PARTS for column in header):
        problems.append(
            Problem(name, 1, None, f"no component columns; give one or more of {', '.join(PARTS)}")
        )
    return problems


def _lines(name: str, reader: csv.DictReader[str], problems: list[Problem]) -> Iterator[_Row]:
    """The reader's non-blank lines as rows; a line the csv module cannot read ends them."""
    try:
        for cells in reader:
            line = reader.line_num
            if None in cells:
                problems.append(
                    Problem(name, line, None, "more fields than the header has columns")
                )
                continue
            values = {key: csvsafe.unescape((value or "").strip()) for key, value in cells.items()}
            if any(values.values()):
                yield _Row(name, line, values)
    except csv.Error as error:  # raised on the line after the last one read
        problems.append(Problem(name, reader.line_num + 1, None, f"not readable as CSV: {error}"))


def read_text(name: str, text: str) -> tuple[list[Payment], list[Problem]]:
    """The rows of one table file's ``text``, and every problem found in its cells.

    ``name`` names the file in problems and in each row's origin. A row
    with a problem is left out; the caller refuses the file if there is any.
    """
    # newline="": a line break inside a quoted cell stays what it was (csv's own rule).
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as error:
        return [], [Problem(name, reader.line_num, None, f"not readable as CSV: {error}")]
    header = [column.strip() for column in (fieldnames or [])]
    reader.fieldnames = header
    problems = _header_problems(name, header)
    if problems:
        return [], problems
    parts = [column for column in header if column in PARTS]
    payments: list[Payment] = []
    for row in _lines(name, reader, problems):
        payment = _payment(row, parts)
        problems += row.problems
        if payment is not None:
            payments.append(payment)
    if not payments and not problems:
        problems.append(
            Problem(name, None, None, "holds no rows below its header; a table needs its payments")
        )
    return payments, problems


def read_paths(paths: Iterable[str | Path]) -> list[tuple[str, str]]:
    """``(name, text)`` of each table file; :class:`DataFileError` for one that cannot be read."""

    texts = []
    for path in paths:
        try:
            texts.append((str(path), Path(path).read_bytes().decode("utf-8-sig")))
        except (OSError, UnicodeDecodeError) as error:
            raise DataFileError(f"{path}: cannot read the table: {error}") from None
    return texts


# ----------------------------------------------------------------------- writing


def _figure(value: Decimal | None) -> str:
    """A figure as the file writes it: every printed digit, no exponent (``0.600``)."""
    return "" if value is None else format(value, "f")


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def record(payment: Payment, parts: Iterable[str]) -> dict[str, str]:
    """A payment or annual line in the file's own columns, as text."""
    return {
        "issuer": payment.issuer,
        "tax_year": str(payment.tax_year),
        "class_name": payment.class_name,
        "cusip": payment.cusip,
        "symbol": payment.symbol,
        "row_kind": "annual" if payment.is_annual else "payment",
        "record_date": _iso(payment.record_date),
        "payable_date": _iso(payment.payable_date),
        "dividend_per_share": _figure(payment.dividend_per_share),
        **{part: _figure(payment.percentages.get(part)) for part in parts},
        "source": payment.source,
        "release_date": _iso(payment.release_date),
        "notes": payment.notes,
    }


def write_text(rows: Iterable[Payment], parts: Iterable[str]) -> str:
    """The rows as a table file's text, header first; it loads back as the same rows.

    Text cells are escaped against formula injection (:mod:`xl_reit.csvsafe`),
    which :func:`read_text` undoes. The text ends without a line break.
    """
    chosen = tuple(part for part in PARTS if part in set(parts))
    header = columns(chosen)
    return csvsafe.to_csv(
        [list(header), *([record(row, chosen)[column] for column in header] for row in rows)]
    )
