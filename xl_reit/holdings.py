"""A shareholder's holdings: how many shares of which class on which payment.

A dividend is paid to whoever holds the shares on the payment's *record date*,
so the shares that count are those held then. A holdings file is a CSV (or the
first sheet of an ``.xlsx`` workbook) whose first row names the columns, in any
order and any case; other columns (an account, a note) are ignored:

security (one or more of ``CUSIP``, ``ISIN``, ``Symbol``, ``Ticker``, ``Security``)
    any form :func:`xl_reit.lookup.find_class` accepts: ``03748R-10-1``,
    ``US03748R1014``, ``AIVPrD``. Where a line fills several, they must name
    the same class.
shares (``Shares``, ``Shares held``, ``Quantity``, ``Qty`` or ``Units``)
    a number, 0 or more; fractions allowed; ``1,000`` is read as a thousand.
date, optional (``Record date``, ``Payable date``, ``Pay date``, ``Payment date``
or ``Date``)
    the record or payable date of one payment: the line holds those shares on
    that payment only. ``annual`` or the tax year: on every payment of the
    class that year. Left blank or absent: on every payment of the latest tax
    year the table holds for the class.

Each line *adds* its shares to the payments it covers, so tax lots or several
accounts may each have a line, and a line for the whole year may be topped up
on one payment by another line. A line naming no security and no shares is
skipped; any other bad line is an error naming the file, the line and the
column, and every bad line is reported at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from . import lookup
from .errors import InvalidSharesError, XlReitError
from .table import AllocationTable, Payment, SecurityClass, default_table

__all__ = [
    "DATE_COLUMNS",
    "SECURITY_COLUMNS",
    "SHARES_COLUMNS",
    "Holdings",
    "HoldingsFileError",
    "parse_rows",
    "read_holdings",
]

#: Column names (after :func:`_column_key`) each role accepts, in order of preference.
SECURITY_COLUMNS = ("cusip", "isin", "symbol", "ticker", "security")
SHARES_COLUMNS = ("shares", "shares held", "quantity", "qty", "units")
DATE_COLUMNS = ("record date", "payable date", "pay date", "payment date", "date")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_MAX_PROBLEMS = 20
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")


class HoldingsFileError(XlReitError):
    """A holdings file that cannot be read, or has bad lines (each named by file, line, column)."""


@dataclass(frozen=True)
class Holdings:
    """Shares held per payment, read from one holdings file.

    ``shares`` maps ``(cusip, payable_date)`` to the shares held on that
    payment; ``classes`` are the classes the file names, in the table's order.
    """

    source: str
    classes: tuple[SecurityClass, ...]
    shares: Mapping[tuple[str, dt.date], Decimal]

    def shares_for(self, payment: Payment) -> Decimal | None:
        """The shares held on ``payment``, or ``None`` when the file says nothing about it."""
        if payment.payable_date is None:
            return None
        return self.shares.get((payment.cusip, payment.payable_date))


def _column_key(header: Any) -> str:
    """``'Shares Held'``, ``'shares_held'``, ``' SHARES-HELD '`` → ``'shares held'``."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(header or "").lower()).split())


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _share_count(value: Any, column: str) -> Decimal:
    """Shares from a cell: a number, or text such as ``100``, ``10.5`` or ``1,000``."""
    if not isinstance(value, str):
        return lookup.share_count(value, column)
    text = value.strip()
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        return lookup.share_count(Decimal(text), column)
    except (InvalidOperation, InvalidSharesError):
        raise InvalidSharesError(
            f"{column} {value!r} is not a number of shares; give a number, 0 or more"
        ) from None


class _Columns:
    """Which columns of the header hold the security, the shares and the dates."""

    def __init__(self, header: Sequence[Any]) -> None:
        keys = [_column_key(name) for name in header]
        self.names = [str(name).strip() for name in header]
        self.security = [index for index, key in enumerate(keys) if key in SECURITY_COLUMNS]
        self.dates = [index for index, key in enumerate(keys) if key in DATE_COLUMNS]
        self.shares = [index for index, key in enumerate(keys) if key in SHARES_COLUMNS]

    def problems(self) -> list[str]:
        found = ", ".join(repr(name) for name in self.names if name) or "none"
        problems = []
        if not self.security:
            problems.append(
                f"no security column; name one {', '.join(SECURITY_COLUMNS)} (found: {found})"
            )
        if not self.shares:
            problems.append(
                f"no shares column; name one {', '.join(SHARES_COLUMNS)} (found: {found})"
            )
        elif len(self.shares) > 1:
            problems.append(
                "more than one shares column: "
                + ", ".join(repr(self.names[index]) for index in self.shares)
            )
        return problems


class _Reader:
    """Turns the lines of a holdings file into shares per payment, collecting problems."""

    def __init__(self, source: str, table: AllocationTable) -> None:
        self.source = source
        self.table = table
        self.problems: list[str] = []
        self.shares: dict[tuple[str, dt.date], Decimal] = {}
        self.named: set[tuple[str, int]] = set()

    def problem(self, line: int, column: str | None, message: str) -> None:
        where = f"{self.source}, line {line}"
        if column:
            where += f", column {column!r}"
        self.problems.append(f"{where}: {message}")

    def read(self, rows: Iterable[tuple[int, Sequence[Any]]]) -> None:
        columns: _Columns | None = None
        for line, row in rows:
            if all(_is_blank(value) for value in row):
                continue
            if columns is None:
                columns = _Columns(row)
                for message in columns.problems():
                    self.problem(line, None, message)
                if self.problems:
                    return
                continue
            self.read_line(line, row, columns)
        if columns is None:
            self.problems.append(f"{self.source}: the file is empty; give a header line first")
        elif not self.named and not self.problems:
            self.problems.append(f"{self.source}: no holdings below the header line")

    def _cell(self, row: Sequence[Any], index: int) -> Any:
        return row[index] if index < len(row) else None

    def read_line(self, line: int, row: Sequence[Any], columns: _Columns) -> None:
        (shares_index,) = columns.shares
        securities = [
            (index, self._cell(row, index))
            for index in columns.security
            if not _is_blank(self._cell(row, index))
        ]
        shares_value = self._cell(row, shares_index)
        if not securities and _is_blank(shares_value):
            return  # a line of other columns only (a note, a subtotal)
        if not securities:
            names = " or ".join(repr(columns.names[index]) for index in columns.security)
            self.problem(line, None, f"{names} is blank; give a CUSIP, ISIN or symbol")
            return
        before = len(self.problems)
        security_class: SecurityClass | None = None
        for index, value in securities:
            column = columns.names[index]
            try:
                found = lookup.find_class(value, self.table, argument=column)
            except XlReitError as error:
                self.problem(line, column, str(error))
                continue
            if security_class is not None and found.cusip != security_class.cusip:
                self.problem(
                    line,
                    column,
                    f"{value!r} is {found.class_name}, but the line also names "
                    f"{security_class.class_name}",
                )
            security_class = security_class or found
        shares = Decimal(0)
        if _is_blank(shares_value):
            self.problem(
                line,
                columns.names[shares_index],
                "is blank; give the number of shares held (0 if none)",
            )
        else:
            try:
                shares = _share_count(shares_value, columns.names[shares_index])
            except XlReitError as error:
                self.problem(line, columns.names[shares_index], str(error))
        if security_class is None or len(self.problems) != before:
            return
        covered = self.payments_of(line, row, columns, security_class)
        if covered is None:
            return
        class_year, payments = covered
        self.named.add((class_year.cusip, class_year.tax_year))
        for payment in payments:
            assert payment.payable_date is not None
            key = (payment.cusip, payment.payable_date)
            self.shares[key] = self.shares.get(key, Decimal(0)) + shares

    def payments_of(
        self, line: int, row: Sequence[Any], columns: _Columns, security_class: SecurityClass
    ) -> tuple[SecurityClass, tuple[Payment, ...]] | None:
        """The class-year and payments a line covers: one by its date(s), or a whole year.

        Without a date, the year is the latest the table holds for the class.
        """
        chosen: Payment | None = None
        for index in columns.dates:
            value = self._cell(row, index)
            if _is_blank(value):
                continue
            column = columns.names[index]
            try:
                payment = lookup.find_payment(security_class.cusip, value, self.table)
            except XlReitError as error:
                self.problem(line, column, str(error))
                return None
            if chosen is not None and payment is not chosen:
                self.problem(
                    line,
                    column,
                    f"{value!r} is another payment than the line's other date names",
                )
                return None
            chosen = payment
        if chosen is None:
            return security_class, security_class.payments
        class_year = next(
            c
            for c in self.table.classes.values()
            if (c.cusip, c.tax_year) == (chosen.cusip, chosen.tax_year)
        )
        if chosen.payable_date is None:  # 'annual' or the tax year: every payment of that year
            return class_year, class_year.payments
        return class_year, (chosen,)

    def holdings(self) -> Holdings:
        if self.problems:
            shown = self.problems[:_MAX_PROBLEMS]
            if len(self.problems) > _MAX_PROBLEMS:
                shown.append(f"… and {len(self.problems) - _MAX_PROBLEMS} more problems")
            raise HoldingsFileError("\n".join(shown))
        classes = tuple(
            c for c in self.table.classes.values() if (c.cusip, c.tax_year) in self.named
        )
        return Holdings(source=self.source, classes=classes, shares=dict(self.shares))


def parse_rows(
    rows: Iterable[tuple[int, Sequence[Any]]],
    source: str,
    table: AllocationTable | None = None,
) -> Holdings:
    """Read holdings from ``(line_number, cells)`` pairs, the header first.

    ``source`` names the file in messages. Raises :class:`HoldingsFileError`
    listing every bad line.
    """
    reader = _Reader(source, table or default_table())
    reader.read(rows)
    return reader.holdings()


def _csv_rows(text: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text))
    rows = []
    for row in reader:
        rows.append((reader.line_num, row))
    return rows


def read_holdings(path: str | Path, table: AllocationTable | None = None) -> Holdings:
    """Read a holdings file: ``.xlsx``/``.xlsm`` (first sheet) or CSV (anything else)."""
    file = Path(path)
    source = str(path)
    try:
        if file.suffix.lower() in XLSX_SUFFIXES:
            from .workbook import read_sheet_rows  # openpyxl only where a workbook is read

            rows: Sequence[tuple[int, Sequence[Any]]] = read_sheet_rows(file)
        elif file.suffix.lower() == ".xls":
            raise HoldingsFileError(
                f"{source}: an .xls file (Excel 97-2003) cannot be read; save it as .xlsx or CSV"
            )
        else:
            rows = _csv_rows(file.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as error:
        raise HoldingsFileError(
            f"{source}: not UTF-8 text ({error.reason} at byte {error.start}); "
            "save it as 'CSV UTF-8' or .xlsx"
        ) from None
    except csv.Error as error:
        raise HoldingsFileError(f"{source}: not a readable CSV file: {error}") from None
    except (OSError, ValueError) as error:
        if isinstance(error, XlReitError):
            raise
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise HoldingsFileError(f"{source}: cannot read the holdings file: {reason}") from None
    return parse_rows(rows, source, table)
