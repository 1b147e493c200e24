"""What each line of a holdings file means: shares of a class on some payments.

A dividend is paid to whoever holds the shares on the payment's *record date*,
so the shares that count are those held then. A holdings file's first row
names the columns, in any order and any case (a few title lines may stand
above it); other columns (an account, a note) are ignored:

security (one or more of ``CUSIP``, ``ISIN``, ``Symbol``, ``Ticker``, ``Security``)
    any form :func:`xl_reit.lookup.find_class` accepts: ``03748R-10-1``,
    ``US03748R1014``, ``AIVPrD``. Where a line fills several, they must name
    the same class.
shares (``Shares``, ``Shares held``, ``Quantity``, ``Qty`` or ``Units``)
    a number, 0 or more; fractions allowed; ``1,000`` is read as a thousand.
date, optional (``Record date``, ``Payable date``, ``Pay date``, ``Payment date``
or ``Date``)
    the record or payable date of one payment: the line holds those shares on
    that payment only (on each year's part of a payment split between two
    tax years: the shares held on the record date count for both). ``annual``
    or the tax year: on every payment of the class that year. Left blank or
    absent: on every payment of the latest tax year the table holds for the
    class. For a class whose release prints only the year's totals, a line
    without a payment's date holds its shares all year.

Each line *adds* its shares to the payments it covers, so tax lots or several
accounts may each have a line, and a line for the whole year may be topped up
on one payment by another line. Lines that differ in any cell are lots; a
line that repeats an earlier one exactly, cell for cell, is an error: that is
far more often a row pasted twice, and would count its shares twice (two
equal lots are one line of twice the shares, or two lines that another
column, an account, tells apart). A line naming no security and no shares is
skipped; any other bad line is an error naming the file, the line and the
column, and every bad line is reported at once. With ``skip_bad`` the bad
lines are left out instead, and :attr:`Holdings.skipped` says which and why.

A ``;``-separated file is what Excel writes where the decimal mark is a
comma, and its text is read that way: ``100,5`` shares are a hundred and a
half, ``1.234,5`` (or ``1 234,5``) is 1234.5 and ``1.234`` is 1234, and text
dates are day first (``15.01.2004``, ``15/01/2004``, with a four-digit year).
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .. import lookup
from ..errors import (
    HoldingsFileError,
    InvalidDateError,
    InvalidSharesError,
    Problem,
    XlReitError,
    shown,
)
from ..model import Payment, SecurityClass
from ..table import AllocationTable, default_table

#: Column names (after :func:`_column_key`) each role accepts, in order of preference.
SECURITY_COLUMNS = ("cusip", "isin", "symbol", "ticker", "security")
SHARES_COLUMNS = ("shares", "shares held", "quantity", "qty", "units")
DATE_COLUMNS = ("record date", "payable date", "pay date", "payment date", "date")
DATE_KINDS = {"record date": "record", "payable date": "payable", "pay date": "payable"}
#: ``1,000`` and ``1,234.5``: commas group thousands (files with a decimal point).
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
#: ``1.234``, ``1.234,5``, ``1 234,5``: points or spaces group thousands (decimal-comma files).
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}([.\u00a0\u202f ]\d{3})+(,\d*)?$")
#: ``12,345``: a thousands separator or a decimal comma, as the writer's locale had it.
_ONE_COMMA_GROUP = re.compile(r"^[+-]?\d{1,3},\d{3}$")
_GROUPING = re.compile(r"[.\u00a0\u202f ]")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")
_DAY_FIRST = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{2,4})$")


@dataclass(frozen=True)
class TextFormat:
    """How a CSV holdings file is written: its encoding and its delimiter.

    A ``;`` delimiter means a decimal comma (see the module doc).
    """

    encoding: str = "UTF-8"
    delimiter: str = ","

    @property
    def decimal_comma(self) -> bool:
        """Whether numbers are written ``1.234,5`` and text dates day first."""
        return self.delimiter == ";"


@dataclass(frozen=True)
class Holdings:
    """Shares held per payment, read from one holdings file.

    ``shares`` maps ``(cusip, payable_date)`` to the shares held on that
    payment (and ``(cusip, tax_year)`` to the shares a class with annual
    totals only is held all year); ``classes`` are the class-years the file
    names, in the table's order.
    ``skipped`` holds the problems of the lines left out because the reader
    was asked to skip bad lines (each a :class:`~xl_reit.errors.Problem`
    naming file, line and column; ``str()`` renders one), and
    ``skipped_lines`` their line numbers; both are empty otherwise.
    """

    source: str
    classes: tuple[SecurityClass, ...]
    shares: Mapping[tuple[str, dt.date | int], Decimal]
    skipped: tuple[Problem, ...] = ()
    skipped_lines: tuple[int, ...] = ()

    def shares_for(self, payment: Payment) -> Decimal | None:
        """The shares held on ``payment`` (all year, for an annual line), or ``None``."""
        return self.shares.get(share_key(payment))


def share_key(payment: Payment) -> tuple[str, dt.date | int]:
    """Whose shares a line counts: a payment's (both years' parts alike), or a year's."""
    return (payment.cusip, payment.payable_date or payment.tax_year)


def _column_key(header: Any) -> str:
    """``'Shares Held'``, ``'shares_held'``, ``' SHARES-HELD '`` → ``'shares held'``."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(header or "").lower()).split())


#: The most characters of a header cell that messages name its column by.
_COLUMN_NAME_LIMIT = 60


def _column_name(header: Any) -> str:
    """A header cell as messages name its column: ``'Shares held'``, and never a megabyte.

    A header cell is a user's cell like any other; a column is named in
    every message about it, so the name is cut short as
    :func:`~xl_reit.errors.shown` cuts a quoted value.
    """
    name = str(header).strip()
    return name if len(name) <= _COLUMN_NAME_LIMIT else name[: _COLUMN_NAME_LIMIT - 1] + "…"


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_blank_row(row: Sequence[Any]) -> bool:
    """Whether every cell of a row is blank (fast for CSV rows, which are all text)."""
    try:
        return not "".join(row).strip()
    except TypeError:  # numbers or None: a row of a workbook
        return all(_is_blank(value) for value in row)


def _share_text(text: str, decimal_comma: bool) -> str:
    """Shares as written in the file → the form :class:`Decimal` reads (``1,000`` → ``1000``)."""
    if decimal_comma:
        if _THOUSANDS_COMMA.match(text):
            text = _GROUPING.sub("", text)
        return text.replace(",", ".") if _DECIMAL_COMMA.match(text) else text
    return text.replace(",", "") if _THOUSANDS.match(text) else text


def _share_count(value: Any, column: str, text_format: TextFormat) -> Decimal:
    """Shares from a cell: a number, or text such as ``100``, ``10.5`` or ``1,000``."""
    if isinstance(value, bool):  # a workbook's TRUE or FALSE, a number to Python
        raise InvalidSharesError(
            f"{column} {str(value).upper()} is a logical value, not a number of shares; "
            "give a number, 0 or more"
        )
    if not isinstance(value, str):
        return lookup.share_count(value, column)
    message = f"{column} {shown(value)} is not a number of shares; give a number, 0 or more"
    if text_format.delimiter == "\t" and _ONE_COMMA_GROUP.match(value.strip()):
        # Excel's tab-separated "Unicode Text" follows the computer's locale:
        # 12,345 is twelve thousand in the US and twelve and a bit in Europe.
        raise InvalidSharesError(
            f"{column} {shown(value)} is ambiguous in a tab-separated file: 12345 shares, or "
            "12.345? Write the number without a thousands separator"
        )
    try:
        count = Decimal(_share_text(value.strip(), text_format.decimal_comma))
    except InvalidOperation:
        hint = " (a ';'-separated file writes 1234,5)" if text_format.decimal_comma else ""
        raise InvalidSharesError(message + hint) from None
    try:
        return lookup.share_count(count, column)
    except InvalidSharesError:
        raise InvalidSharesError(message) from None


def _day_first(value: Any, column: str) -> Any:
    """A text date of a decimal-comma file, ``15.01.2004`` or ``15/01/2004``, as a date.

    Other values are returned as they are, for :func:`xl_reit.lookup.find_payment`.
    """
    match = _DAY_FIRST.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        return value
    day, _, month, year = match.groups()
    if len(year) != 4:
        raise InvalidDateError(
            f"{column} {shown(value)}: give the year in full (15.01.2004) or write YYYY-MM-DD"
        )
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError as error:
        raise InvalidDateError(
            f"{column} {shown(value)}: {error} (a ';'-separated file writes dates day first)"
        ) from None


class _Columns:
    """Which columns of the header hold the security, the shares and the dates."""

    def __init__(self, header: Sequence[Any]) -> None:
        keys = [_column_key(name) for name in header]
        #: What messages call each column (see :func:`_column_name`).
        self.names = [_column_name(name) for name in header]
        self.security = [index for index, key in enumerate(keys) if key in SECURITY_COLUMNS]
        self.dates = [index for index, key in enumerate(keys) if key in DATE_COLUMNS]
        #: Which of a payment's dates each date column holds (None: either).
        self.date_kinds = {index: DATE_KINDS.get(keys[index]) for index in self.dates}
        self.shares = [index for index, key in enumerate(keys) if key in SHARES_COLUMNS]
        #: The cells that give a line its meaning (others, such as an account, do not).
        self.read = [*self.security, *self.shares, *self.dates]

    def problems(self) -> list[str]:
        """What the header lacks to be read: a security column, or exactly one shares column."""
        found = ", ".join(shown(name) for name in self.names if name) or "none"
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
                + ", ".join(shown(self.names[index]) for index in self.shares)
            )
        return problems


def is_header(row: Sequence[Any]) -> bool:
    """Whether ``row`` is a header line: it names a security column and one shares column."""
    return not _Columns(row).problems()


def _repeat(first: int, shares: Decimal) -> str:
    """Why a line that repeats line ``first`` exactly is refused."""
    return (
        f"repeats line {first} exactly. Lines add up as lots, so this would count its "
        f"{shares} shares twice; to hold two equal lots, combine them into one line "
        f"({shares * 2} shares), or tell them apart in another column (an account)"
    )


@dataclass(frozen=True, eq=False)
class _Meaning:
    """What one holdings line says, whatever its line number: shares on some payments.

    ``problems`` are ``(column, message)`` pairs; a line with problems holds
    nothing. ``payments`` is ``None`` for a line that holds nothing: a bad
    line, or one of other columns only. Each meaning is its own key
    (identity, not fields: hashing payments is slow).
    """

    problems: tuple[tuple[str | None, str], ...] = ()
    class_years: tuple[tuple[str, int], ...] = ()
    payments: tuple[Payment, ...] | None = None
    shares: Decimal = Decimal(0)


_OTHER_COLUMNS_ONLY = _Meaning()


#: How many non-blank lines may stand above the header line (titles, dates).
_HEADER_SEARCH = 10


def _key(cells: Sequence[Any]) -> tuple[Any, ...]:
    """Cells as a dictionary key that never takes a workbook's TRUE for the number 1.

    In Python ``True == 1`` and ``hash(True) == hash(1)``, so a key of raw
    values would give a TRUE cell the meaning of a 1 read before (or the
    reverse), and take two lines that differ only by TRUE and 1 for a
    repeat. Text, every cell of a CSV file, is its own key; a line with any
    other value is keyed by each value with its type, a key no raw cells
    are ever equal to.
    """
    try:
        "".join(cells)
    except TypeError:  # a number, a date, TRUE or a blank: a workbook's line
        return tuple((type(cell), cell) for cell in cells)
    return tuple(cells)


def _cell(row: Sequence[Any], index: int) -> Any:
    """The cell of ``row`` in column ``index``; ``None`` past the end of a short line."""
    return row[index] if index < len(row) else None


def _header(lines: Iterator[tuple[int, Sequence[Any]]], tally: _Tally) -> _Columns | None:
    """The columns of the header line, read from ``lines`` up to it.

    The header is the first non-blank line that names the columns needed, among
    the first few: a broker's export may put a title or a date above it. When
    there is none, ``tally`` says what the first non-blank line lacks.
    """
    non_blank = ((line, row) for line, row in lines if not _is_blank_row(row))
    first: tuple[int, _Columns] | None = None
    for line, row in itertools.islice(non_blank, _HEADER_SEARCH):
        columns = _Columns(row)
        if not columns.problems():
            return columns
        first = first or (line, columns)
    if first is None:
        tally.file_problem("the file is empty; give a header line first")
    else:
        line, columns = first
        for message in columns.problems():
            tally.file_problem(message, line)
    return None


class _Meanings:
    """What lines mean: each distinct combination of the cells that matter, read once.

    A file of a million lines names a handful of securities, share counts and
    dates. The first line with a combination of them works out which class it
    names, how many shares and on which payments (:meth:`of`); every later
    line with the same cells is a dictionary look-up.
    """

    def __init__(
        self,
        columns: _Columns,
        table: AllocationTable,
        text_format: TextFormat,
        tax_year: int | None,
    ) -> None:
        self.columns = columns
        (self.shares_index,) = columns.shares
        self.table = table
        self.text_format = text_format
        self.tax_year = tax_year  # the year an undated line holds shares in (else the latest)
        #: The cells that matter, as a tuple, at C speed (two or more: a security and
        #: the shares); IndexError on a short line.
        self.cells_of: Callable[[Sequence[Any]], tuple[Any, ...]] = operator.itemgetter(
            *columns.read
        )
        #: Every meaning worked out, by its cells.
        self.known: dict[tuple[Any, ...], _Meaning] = {}
        #: Those that hold shares: what a line seen before is looked up in.
        self.holding: dict[tuple[Any, ...], _Meaning] = {}

    def of(self, row: Sequence[Any]) -> _Meaning:
        """What a line means, worked out the first time its cells are seen."""
        cells = _key([_cell(row, index) for index in self.columns.read])
        try:
            meaning = self.known.get(cells)
        except TypeError:  # an unhashable cell value: worked out every time
            return self._read(row)
        if meaning is None:
            meaning = self.known[cells] = self._read(row)
            if meaning.payments is not None:
                self.holding[cells] = meaning
        return meaning

    def _read(self, row: Sequence[Any]) -> _Meaning:
        """Read a line's security, shares and dates: the payments it holds shares on."""
        columns = self.columns
        securities = [
            (index, _cell(row, index))
            for index in columns.security
            if not _is_blank(_cell(row, index))
        ]
        shares_value = _cell(row, self.shares_index)
        if not securities:
            if _is_blank(shares_value):
                return _OTHER_COLUMNS_ONLY
            names = " or ".join(shown(columns.names[index]) for index in columns.security)
            return _Meaning(problems=((None, f"{names} is blank; give a CUSIP, ISIN or symbol"),))
        problems: list[tuple[str | None, str]] = []
        security_class = self._security_class(securities, problems)
        shares = self._shares(shares_value, problems)
        if security_class is None or problems:
            return _Meaning(problems=tuple(problems))
        payment = self._dated_payment(row, security_class, problems)
        if problems:
            return _Meaning(problems=tuple(problems))
        return self._holding(security_class, payment, shares)

    def _security_class(
        self, securities: list[tuple[int, Any]], problems: list[tuple[str | None, str]]
    ) -> SecurityClass | None:
        """The class a line's security columns name; what is wrong goes to ``problems``."""
        chosen: SecurityClass | None = None
        for index, value in securities:
            column = self.columns.names[index]
            try:
                found = lookup.find_class(value, self.table, argument=column)
            except XlReitError as error:
                problems.append((column, str(error)))
                continue
            if chosen is not None and found.cusip != chosen.cusip:
                message = f"{shown(value)} is {found.class_name}, but the line also names "
                problems.append((column, message + chosen.class_name))
            chosen = chosen or found
        return chosen

    def _shares(self, value: Any, problems: list[tuple[str | None, str]]) -> Decimal:
        """The shares a line holds; what is wrong goes to ``problems``."""
        column = self.columns.names[self.shares_index]
        if _is_blank(value):
            problems.append((column, "is blank; give the number of shares held (0 if none)"))
            return Decimal(0)
        try:
            return _share_count(value, column, self.text_format)
        except XlReitError as error:
            problems.append((column, str(error)))
            return Decimal(0)

    def _dated_payment(
        self,
        row: Sequence[Any],
        security_class: SecurityClass,
        problems: list[tuple[str | None, str]],
    ) -> lookup.Selection | None:
        """The payment (each loaded part of it) or year a line's date columns name
        (``None``: no date); the first problem found goes to ``problems``.

        A record date and a payable date on one line must name the same payment.
        """
        chosen: lookup.Selection | None = None
        for index in self.columns.dates:
            value = _cell(row, index)
            if _is_blank(value):
                continue
            column = self.columns.names[index]
            try:
                day = _day_first(value, column) if self.text_format.decimal_comma else value
                payment = lookup.select(
                    security_class.cusip, day, self.table, self.columns.date_kinds[index]
                )
            except XlReitError as error:
                problems.append((column, str(error)))
                return None
            if chosen is not None and payment.line is not chosen.line:
                message = f"{shown(value)} is another payment than the line's other date names"
                problems.append((column, message))
                return None
            chosen = payment
        return chosen

    def _holding(
        self, security_class: SecurityClass, dated: lookup.Selection | None, shares: Decimal
    ) -> _Meaning:
        """Shares on one payment (each year's part of it), or on every payment of a year.

        Without a date, the year is :attr:`tax_year`, else the latest the table
        holds for the class; a class with annual totals only is held all year.
        """
        if dated is not None and not dated.annual:
            payments = dated.lines
        else:
            class_year = dated.security if dated is not None else self._year_of(security_class)
            if class_year is None:
                message = (
                    f"{security_class.class_name} has no table for tax year {self.tax_year}; "
                    "give the payment's date, or another year"
                )
                return _Meaning(problems=((None, message),))
            payments = class_year.payments or (class_year.annual,)
        years = tuple(dict.fromkeys((payment.cusip, payment.tax_year) for payment in payments))
        return _Meaning(class_years=years, payments=payments, shares=shares)

    def _year_of(self, security_class: SecurityClass) -> SecurityClass | None:
        """The class-year an undated line holds shares in: :attr:`tax_year`, else the latest."""
        if self.tax_year is None:
            return security_class
        return self.table.classes.get((security_class.cusip, self.tax_year))


class _Tally:
    """A file's lines as read so far: each good line's meaning, each bad line's problems."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.bad_lines: dict[int, None] = {}  # in file order
        self.unreadable = False  # the file as a whole: no line can be read
        self.lines: list[_Meaning] = []  # each good line's meaning, in file order
        #: Each good line's cells, all of them (see :func:`_key`): the line they were
        #: first seen on.
        self.first_seen: dict[tuple[Any, ...], int] = {}

    def problem(self, line: int, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.source, line, column, message))
        self.bad_lines[line] = None

    def file_problem(self, message: str, line: int | None = None) -> None:
        """A problem with the file as a whole (no header, no shares column): nothing is read."""
        self.problems.append(Problem(self.source, line, None, message))
        self.unreadable = True

    def count(self, line: int, row: Sequence[Any], meaning: _Meaning) -> None:
        """Count a line: its shares, or its problems; a line of other columns only, not at all.

        A line that repeats an earlier one cell for cell is a problem (see the module doc).
        """
        for column, message in meaning.problems:
            self.problem(line, column, message)
        if meaning.payments is None:
            return  # a bad line, or one of other columns only (a note, a subtotal)
        first = self.first_seen.setdefault(_key(row), line)
        if first != line:
            self.problem(line, None, _repeat(first, meaning.shares))
            return
        self.lines.append(meaning)

    def shares(self) -> dict[tuple[str, dt.date | int], Decimal]:
        """Shares held per payment (see :func:`share_key`): every lot added to each it covers.

        A payment split between two tax years is one key: its shares count once
        for each year's part.
        """
        per_payment: dict[tuple[str, dt.date | int], Decimal] = {}
        for meaning, lines in Counter(self.lines).items():
            shares = meaning.shares * lines
            for key in dict.fromkeys(map(share_key, meaning.payments or ())):
                per_payment[key] = per_payment.get(key, Decimal(0)) + shares
        return per_payment

    def holdings(self, table: AllocationTable, text_format: TextFormat, skip_bad: bool) -> Holdings:
        """The shares counted, or :class:`HoldingsFileError` for the problems found.

        With ``skip_bad``, bad lines are left out, unless none is good or the
        file as a whole cannot be read.
        """
        named = {year for meaning in set(self.lines) for year in meaning.class_years}
        usable = bool(named) and not self.unreadable
        if self.problems and not (skip_bad and usable):
            notes = []
            if skip_bad and not self.unreadable:
                notes.append("every holdings line is bad; --skip-bad leaves nothing to use")
            if text_format.encoding != "UTF-8":
                notes.append(f"(read as {text_format.encoding} text: it is not UTF-8)")
            raise HoldingsFileError(
                self.problems, notes=[str(Problem(self.source, None, None, note)) for note in notes]
            )
        classes = tuple(c for c in table.classes.values() if (c.cusip, c.tax_year) in named)
        return Holdings(
            source=self.source,
            classes=classes,
            shares=self.shares(),
            skipped=tuple(self.problems),
            skipped_lines=tuple(self.bad_lines),
        )


def _count_lines(
    lines: Iterable[tuple[int, Sequence[Any]]], meanings: _Meanings, tally: _Tally
) -> None:
    """Count every line below the header.

    The hot loop of a million-line file: a line whose cells that matter were
    seen before on a line that holds shares is looked up and counted; any
    other (new cells, a problem, a blank or short line, a repeat) goes the
    long way, through :meth:`_Meanings.of` and :meth:`_Tally.count`. Looking
    up raw cells is safe: only text is its own key (see :func:`_key`), so
    cells holding TRUE, or any other value, never find another line's meaning.
    """
    # Bound methods in locals: a million attribute look-ups saved.
    cells_of = meanings.cells_of
    holding = meanings.holding.get
    first_seen = tally.first_seen.setdefault
    count = tally.lines.append
    for line, row in lines:
        try:
            meaning = holding(cells_of(row))
        except (IndexError, TypeError):  # a short line, or an unhashable cell value
            meaning = None
        if meaning is None:
            if not _is_blank_row(row):
                tally.count(line, row, meanings.of(row))
        elif first_seen(_key(row), line) == line:
            count(meaning)
        else:
            tally.count(line, row, meaning)  # a repeat, which the long way reports
    if not tally.lines and not tally.problems:
        tally.file_problem("no holdings below the header line")


def parse_rows(
    rows: Iterable[tuple[int, Sequence[Any]]],
    source: str,
    table: AllocationTable | None = None,
    *,
    text_format: TextFormat | None = None,
    skip_bad: bool = False,
    tax_year: int | None = None,
) -> Holdings:
    """Read holdings from ``(line_number, cells)`` pairs, the header first.

    ``source`` names the file in messages; ``text_format`` says how the text
    of a CSV file's cells is written (the default: UTF-8, a decimal point).
    Raises :class:`HoldingsFileError` listing every bad line; with
    ``skip_bad``, bad lines are left out and listed in
    :attr:`Holdings.skipped` instead, unless no good line remains or the
    file as a whole cannot be read (no header, no shares column).
    """
    table = table or default_table()
    text_format = text_format or TextFormat()
    tally = _Tally(source)
    lines = iter(rows)
    columns = _header(lines, tally)
    if columns is not None:
        _count_lines(lines, _Meanings(columns, table, text_format, tax_year), tally)
    return tally.holdings(table, text_format, skip_bad)
