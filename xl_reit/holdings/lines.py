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
    without a payment's date holds its shares all year. A payment whose
    release prints its payable date only is named by that date: a ``Record
    date`` cannot name it and is refused saying so (the holder's date may be
    right, but the release gives no record date to match it with).

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
from dataclasses import dataclass, field, replace
from decimal import Context, Decimal, InvalidOperation
from typing import Any, NamedTuple

from .. import lookup
from ..dates import to_date
from ..errors import (
    HoldingsFileError,
    InvalidDateError,
    InvalidSharesError,
    Problem,
    XlReitError,
    shown,
)
from ..model import Payment, SecurityClass, named
from ..settlement import Placement, holds
from ..table import AllocationTable, default_table

#: Column names (after :func:`_column_key`) each role accepts, in order of preference.
SECURITY_COLUMNS = ("cusip", "isin", "symbol", "ticker", "security")
SHARES_COLUMNS = ("shares", "shares held", "quantity", "qty", "units")
DATE_COLUMNS = ("record date", "payable date", "pay date", "payment date", "date")
DATE_KINDS = {"record date": "record", "payable date": "payable", "pay date": "payable"}
#: A lot's trade dates: bought, and sold (see :mod:`xl_reit.settlement`).
ACQUIRED_COLUMNS = ("acquired", "date acquired", "acquired date", "purchase date", "bought")
SOLD_COLUMNS = ("sold", "date sold", "sold date", "sale date")
#: Dollars received, in place of (or beside) the shares.
AMOUNT_COLUMNS = ("amount", "amount received", "dollars received", "dividends received")
#: What a lot cost, in dollars (its basis before return of capital).
COST_COLUMNS = ("cost", "cost basis", "basis")
#: Within how much shares × the dividend must agree with the amount a line gives beside them.
_CENT = Decimal("0.01")
#: Quotients (a split payment's part of an amount) to as many digits as figures' fractions.
_QUOTIENT = Context(prec=34)
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
    totals only is held all year); ``amounts`` maps each payment part
    (:func:`amount_key`) to the dollars received on it by lines that give
    dollars rather than shares; ``classes`` are the class-years the file
    names, in the table's order; ``lots`` the lines that give a lot's terms
    (Acquired, Sold, Cost); ``line_years`` each distinct
    ``(cusip, tax years)`` that a line holds (what :meth:`for_year` chooses
    a year by).
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
    amounts: Mapping[tuple[str, int, dt.date | int], Decimal] = field(default_factory=dict)
    lots: tuple[Lot, ...] = ()
    line_years: tuple[tuple[str, frozenset[int]], ...] = ()

    def shares_for(self, payment: Payment) -> Decimal | None:
        """The shares held on ``payment`` (all year, for an annual line), or ``None``."""
        return self.shares.get(share_key(payment))

    def amount_for(self, payment: Payment) -> Decimal | None:
        """The dollars received on ``payment`` (this year's part) by amount lines, or ``None``."""
        return self.amounts.get(amount_key(payment))

    def for_year(self, tax_year: int | None, table: AllocationTable | None = None) -> Holdings:
        """These holdings on one tax year's form: ``tax_year``, else the one year they all have.

        Without ``tax_year`` the year is the one that every line can be on (an
        undated line can be on any year its class has a table for; a dated
        line on its payment's). Raises :class:`~xl_reit.errors.XlReitError`
        naming each class and its years when there is no such one year, or
        several (then give ``tax_year``), or a class has no table for
        ``tax_year``.
        """
        table = table or default_table()
        named = dict.fromkeys(cusip for cusip, _ in self.line_years)
        if tax_year is None:
            common = (
                set.intersection(*(set(years) for _, years in self.line_years))
                if (self.line_years)
                else set()
            )
            if len(common) != 1:
                raise XlReitError(_years_problem(self, table, common))
            (tax_year,) = common
        lacking = [cusip for cusip in named if (cusip, tax_year) not in table.classes]
        if lacking:
            raise XlReitError(
                f"tax year {tax_year}: no table for "
                + ", ".join(_class_years(table, cusip) for cusip in lacking)
                + "; give one of those years, or load that year's table (--table)"
            )
        classes = tuple(
            security
            for security in table.classes.values()
            if security.cusip in named and security.tax_year == tax_year
        )
        return replace(self, classes=classes)


def _class_years(table: AllocationTable, cusip: str) -> str:
    """``Common Stock (STAG): tax years 2023, 2024``, for messages."""
    years = table.by_cusip[cusip]
    latest = years[-1]
    listed = ", ".join(str(year.tax_year) for year in years)
    return f"{named(latest)}: tax year{'s' if len(years) > 1 else ''} {listed}"


def _years_problem(holdings: Holdings, table: AllocationTable, common: set[int]) -> str:
    """Why no one tax year is chosen for a form: the classes, and the years their lines hold."""
    by_class: dict[str, set[int]] = {}
    for cusip, years in holdings.line_years:
        by_class.setdefault(cusip, set()).update(years)
    held = "; ".join(
        f"{named(table.by_cusip[cusip][-1])}: " + ", ".join(map(str, sorted(years)))
        for cusip, years in by_class.items()
    )
    if not by_class:
        return f"holdings {holdings.source!r} hold no payment; nothing to put on a form"
    if common:
        return (
            f"holdings {holdings.source!r} can be on the form of tax year "
            + " or ".join(map(str, sorted(common)))
            + f" ({held}); one form holds one tax year: give --year"
        )
    return (
        f"holdings {holdings.source!r} mix tax years ({held}) and no one tax year holds "
        "every line; one form holds one tax year: give --year, or put each year's lines "
        "in a file of its own"
    )


#: Why a negative amount of dollars is refused: ``column``, and ``value`` the cell as shown.
AMOUNT_NEGATIVE = "{column} {value} is negative; give the dollars as a number, 0 or more"
#: Why shares and the dollars received beside them are refused: the fields are
#: ``amount``, ``shares``, ``whole`` (the dividend) and ``product`` (shares × it), as text.
AMOUNT_DISAGREES = (
    "{amount} disagrees with the shares: {shares} shares × the dividend ${whole} = "
    "${product}; give one of them, or correct either"
)


def amount_whole(payments: Sequence[Payment], amount: str, held_by: str = "line") -> Decimal:
    """The dividend per share of the one payment (or year) dollars received are for.

    ``payments`` are the parts a line (or a bulk record: ``held_by``) holds;
    an amount is the dollars of one whole payment, or of a year for a class
    whose release prints annual totals only. Raises
    :class:`~xl_reit.errors.XlReitError` saying why, ``amount`` (the amount
    as shown) first, where the line holds no one payment or the release
    prints no whole dividend to split the dollars by.
    """
    whole_payments = {(p.cusip, p.payable_date or p.tax_year) for p in payments}
    if len(whole_payments) != 1:
        raise XlReitError(
            f"{amount} is the dollars received for one payment, but the {held_by} holds "
            f"{len(whole_payments)} payments: give the payment's Record date (an amount for "
            "the whole year is for a class whose release prints annual totals only)"
        )
    dividends = [payment.dividend_per_share for payment in payments]
    first = payments[0]
    whole: Decimal | None = None
    if None not in dividends:
        whole = sum((d for d in dividends if d is not None), Decimal(0))
    if first.is_split and len(payments) == 1:
        whole = first.distribution
    if whole is None or not whole:
        raise XlReitError(
            f"{amount} cannot be split into its figures: the release prints no whole "
            f"dividend per share for {named(first)} on this payment; "
            "load every tax year that reports part of it, or give the shares held"
        )
    return whole


def amount_disagrees(amount: Decimal, shares: Decimal, whole: Decimal) -> str | None:
    """Why ``amount`` beside ``shares`` is refused; ``None`` where shares × ``whole``
    (the payment's dividend) is the amount to the cent."""
    product = shares * whole
    if abs(product - amount) < _CENT:
        return None
    return AMOUNT_DISAGREES.format(
        amount=format(amount, "f"),
        shares=format(shares, "f"),
        whole=format(whole, "f"),
        product=format(product, "f"),
    )


def amount_parts(
    payments: Sequence[Payment], amount: Decimal, whole: Decimal
) -> tuple[Decimal, ...]:
    """Each part's dollars of ``amount`` received on one payment whose dividend is ``whole``.

    A part of a payment split between tax years gets the amount's share that
    its dividend is of the whole (to 34 digits where that does not
    terminate); a payment that is not split gets all of it.
    """
    if len(payments) == 1 and payments[0].dividend_per_share == whole:
        return (amount,)
    return tuple(
        _QUOTIENT.divide(amount * (payment.dividend_per_share or Decimal(0)), whole)
        for payment in payments
    )


def amount_key(payment: Payment) -> tuple[str, int, dt.date | int]:
    """Whose dollars an amount line counts: one tax year's part of a payment, or a year's."""
    return (payment.cusip, payment.tax_year, payment.payable_date or payment.tax_year)


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


def dollars(value: Any, column: str, text_format: TextFormat = TextFormat()) -> Decimal:
    """Dollars from a cell (an amount received, a cost): 0 or more, ``$1,234.50`` allowed."""
    message = f"{column} {shown(value)} is not an amount of dollars; give a number, 0 or more"
    if isinstance(value, bool):
        raise InvalidSharesError(message)
    if isinstance(value, str):
        text = value.strip().replace("$", "", 1).strip()
        negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
        try:
            number = Decimal(_share_text(text.strip("()").lstrip("-"), text_format.decimal_comma))
        except InvalidOperation:
            raise InvalidSharesError(message) from None
        number = -number if negative else number
    elif isinstance(value, (int, float, Decimal)):
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    else:
        raise InvalidSharesError(message)
    if not number.is_finite() or abs(number) > lookup.MAX_SHARES:
        raise InvalidSharesError(f"{message}, at most {lookup.MAX_SHARES:,}")
    if number < 0:
        raise InvalidSharesError(AMOUNT_NEGATIVE.format(column=column, value=shown(value)))
    return number


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
    """Which columns of the header hold the security, the shares, the dates and the lot."""

    def __init__(self, header: Sequence[Any]) -> None:
        keys = [_column_key(name) for name in header]
        #: What messages call each column (see :func:`_column_name`).
        self.names = [_column_name(name) for name in header]

        def role(names: tuple[str, ...]) -> list[int]:
            return [index for index, key in enumerate(keys) if key in names]

        self.security = role(SECURITY_COLUMNS)
        self.dates = role(DATE_COLUMNS)
        #: Which of a payment's dates each date column holds (None: either).
        self.date_kinds = {index: DATE_KINDS.get(keys[index]) for index in self.dates}
        self.shares = role(SHARES_COLUMNS)
        self.amount = role(AMOUNT_COLUMNS)
        self.acquired = role(ACQUIRED_COLUMNS)
        self.sold = role(SOLD_COLUMNS)
        self.cost = role(COST_COLUMNS)
        #: The cells that give a line its meaning (others, such as an account, do not).
        self.read = [
            *self.security,
            *self.shares,
            *self.dates,
            *self.amount,
            *self.acquired,
            *self.sold,
            *self.cost,
        ]

    def problems(self) -> list[str]:
        """What the header lacks to be read: a security column, and a shares or amount column."""
        found = ", ".join(shown(name) for name in self.names if name) or "none"
        problems = []
        if not self.security:
            problems.append(
                f"no security column; name one {', '.join(SECURITY_COLUMNS)} (found: {found})"
            )
        if not self.shares and not self.amount:
            problems.append(
                f"no shares column; name one {', '.join(SHARES_COLUMNS)}, or an amount column "
                f"{', '.join(AMOUNT_COLUMNS)} (found: {found})"
            )
        for kind, indexes in (
            ("shares", self.shares),
            ("amount", self.amount),
            ("acquired", self.acquired),
            ("sold", self.sold),
            ("cost", self.cost),
        ):
            if len(indexes) > 1:
                problems.append(
                    f"more than one {kind} column: "
                    + ", ".join(shown(self.names[index]) for index in indexes)
                )
        return problems


def is_header(row: Sequence[Any]) -> bool:
    """Whether ``row`` is a header line: a security column, and one shares or amount column."""
    return not _Columns(row).problems()


def _repeat(first: int, meaning: _Meaning) -> str:
    """Why a line that repeats line ``first`` exactly is refused."""
    if meaning.amounts is not None:
        amount = meaning.given_amount or Decimal(0)
        what, twice = f"${format(amount, 'f')}", f"${format(amount * 2, 'f')}"
    else:
        what, twice = f"{meaning.shares} shares", f"{meaning.shares * 2} shares"
    return (
        f"repeats line {first} exactly. Lines add up as lots, so this would count its "
        f"{what} twice; to hold two equal lots, combine them into one line "
        f"({twice}), or tell them apart in another column (an account)"
    )


class Held(NamedTuple):
    """One payment (one tax year's part of it) that a line holds, and with what.

    ``shares`` held on it, or for a line that gives only the dollars received,
    ``amount``: that part's dollars (the line's amount, or its share of it
    for a payment split between tax years).
    """

    payment: Payment
    shares: Decimal | None
    amount: Decimal | None


@dataclass(frozen=True)
class LotTerms:
    """What a lot line says beside its security: trade dates, cost, and how each was placed.

    ``placements`` are the payments its class-years' tables hold, each with
    its ex-dividend date, the rule that gave it and whether the lot holds it.
    """

    acquired: dt.date | None
    sold: dt.date | None
    cost: Decimal | None
    placements: tuple[tuple[Payment, Placement, bool], ...] = ()


@dataclass(frozen=True, eq=False)
class _Meaning:
    """What one holdings line says, whatever its line number: shares on some payments.

    ``problems`` are ``(column, message)`` pairs; a line with problems holds
    nothing. ``payments`` is ``None`` for a line that holds nothing: a bad
    line, or one of other columns only. ``amounts`` is each payment's
    dollars for a line that gives only the dollars received (else ``None``);
    ``given_shares`` and ``given_amount`` are the line's cells as read, and
    ``lot`` its lot terms. Each meaning is its own key (identity, not
    fields: hashing payments is slow).
    """

    problems: tuple[tuple[str | None, str], ...] = ()
    class_years: tuple[tuple[str, int], ...] = ()
    payments: tuple[Payment, ...] | None = None
    shares: Decimal = Decimal(0)
    amounts: tuple[Decimal, ...] | None = None
    given_shares: Decimal | None = None
    given_amount: Decimal | None = None
    lot: LotTerms | None = None
    #: The class the line names (its latest year).
    security: SecurityClass | None = None

    def held(self) -> tuple[Held, ...]:
        """The payments the line holds, each with its shares or its dollars."""
        payments = self.payments or ()
        if self.amounts is not None:
            return tuple(Held(p, None, a) for p, a in zip(payments, self.amounts, strict=True))
        return tuple(Held(payment, self.shares, None) for payment in payments)


@dataclass(frozen=True)
class Lot:
    """A line with a lot's terms (Acquired, Sold or Cost), by its line number.

    ``security`` is the class it names (its latest year), ``shares`` and
    ``amount`` the line's cells as read, ``held`` each payment part it holds
    in every year its tables hold (see :class:`Held`), and ``terms`` its
    dates, cost and how each payment was placed.
    """

    line: int
    security: SecurityClass
    shares: Decimal | None
    amount: Decimal | None
    held: tuple[Held, ...]
    terms: LotTerms
    #: Every year the tables hold for the class, oldest first (what a basis is carried over).
    years: tuple[SecurityClass, ...] = ()

    def in_year(self, tax_year: int) -> tuple[Held, ...]:
        """The payment parts the lot holds that ``tax_year``'s form reports."""
        return tuple(held for held in self.held if held.payment.tax_year == tax_year)


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
        every_year: bool = False,
    ) -> None:
        self.columns = columns
        self.table = table
        self.text_format = text_format
        self.tax_year = tax_year  # the year an undated line holds shares in (else the latest)
        #: Whether an undated line holds its shares in every year loaded (tax_year None).
        self.every_year = every_year
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

    def _value(self, row: Sequence[Any], indexes: list[int]) -> tuple[str, Any]:
        """The column's name and the line's cell in it (``None`` for no such column)."""
        if not indexes:
            return "", None
        return self.columns.names[indexes[0]], _cell(row, indexes[0])

    def _read(self, row: Sequence[Any]) -> _Meaning:
        """Read a line's security, shares and dates: the payments it holds shares on."""
        columns = self.columns
        securities = [
            (index, _cell(row, index))
            for index in columns.security
            if not _is_blank(_cell(row, index))
        ]
        shares_column, shares_value = self._value(row, columns.shares)
        amount_column, amount_value = self._value(row, columns.amount)
        if not securities:
            if _is_blank(shares_value) and _is_blank(amount_value):
                return _OTHER_COLUMNS_ONLY
            names = " or ".join(shown(columns.names[index]) for index in columns.security)
            return _Meaning(problems=((None, f"{names} is blank; give a CUSIP, ISIN or symbol"),))
        problems: list[tuple[str | None, str]] = []
        security_class = self._security_class(securities, problems)
        shares = amount = None
        if not _is_blank(shares_value):
            shares = self._number(shares_value, shares_column, problems, _share_count)
        if not _is_blank(amount_value):
            amount = self._number(amount_value, amount_column, problems, dollars)
        if shares is None and amount is None and not problems:
            if columns.amount:
                named = " or ".join(shown(name) for name in (shares_column, amount_column) if name)
                problems.append(
                    (None, f"{named} is blank; give the shares held or the dollars received")
                )
            else:
                problems.append(
                    (shares_column, "is blank; give the number of shares held (0 if none)")
                )
        terms = self._terms(row, problems)
        if security_class is None or problems:
            return _Meaning(problems=tuple(problems))
        payment = self._dated_payment(row, security_class, problems)
        if problems:
            return _Meaning(problems=tuple(problems))
        return self._holding(security_class, payment, shares, amount, terms)

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

    def _number(
        self,
        value: Any,
        column: str,
        problems: list[tuple[str | None, str]],
        read: Callable[[Any, str, TextFormat], Decimal],
    ) -> Decimal | None:
        """A line's shares or dollars (``read`` says which); what is wrong goes to ``problems``."""
        try:
            return read(value, column, self.text_format)
        except XlReitError as error:
            problems.append((column, str(error)))
            return None

    def _date(
        self, row: Sequence[Any], indexes: list[int], problems: list[tuple[str | None, str]]
    ) -> tuple[str, dt.date | None]:
        """A trade date cell (Acquired, Sold) as a date; what is wrong goes to ``problems``."""
        column, value = self._value(row, indexes)
        if _is_blank(value):
            return column, None
        try:
            day = _day_first(value, column) if self.text_format.decimal_comma else value
            return column, to_date(day, column)
        except XlReitError as error:
            problems.append((column, str(error)))
            return column, None

    def _terms(self, row: Sequence[Any], problems: list[tuple[str | None, str]]) -> LotTerms | None:
        """A lot's Acquired and Sold dates and its Cost (``None``: the line gives none)."""
        columns = self.columns
        acquired_column, acquired = self._date(row, columns.acquired, problems)
        sold_column, sold = self._date(row, columns.sold, problems)
        cost_column, cost_value = self._value(row, columns.cost)
        cost = None
        if not _is_blank(cost_value):
            cost = self._number(cost_value, cost_column, problems, dollars)
        if acquired is not None and sold is not None and sold < acquired:
            problems.append(
                (
                    sold_column,
                    f"{sold.isoformat()} is before the purchase on {acquired.isoformat()} "
                    f"({shown(acquired_column)}): a lot is sold on or after the day it is bought",
                )
            )
        if acquired is None and sold is None and cost is None:
            return None
        return LotTerms(acquired, sold, cost)

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
        self,
        security_class: SecurityClass,
        dated: lookup.Selection | None,
        shares: Decimal | None,
        amount: Decimal | None,
        terms: LotTerms | None,
    ) -> _Meaning:
        """Shares (or dollars) on one payment (each year's part of it), or on a year's.

        Without a date, the year is :attr:`tax_year`, else the latest the table
        holds for the class (every year, with :attr:`every_year`); a class with
        annual totals only is held all year. A lot holds the payments whose
        ex-dividend date it is held on (:mod:`xl_reit.settlement`).
        """
        if dated is not None and not dated.annual:
            payments = dated.lines
        else:
            if dated is not None:
                class_years: tuple[SecurityClass, ...] = (dated.security,)
            else:
                class_years = self._years_of(security_class)
            if not class_years:
                message = (
                    f"{security_class.class_name} has no table for tax year {self.tax_year}; "
                    "give the payment's date, or another year"
                )
                return _Meaning(problems=((None, message),))
            payments = tuple(
                line for year in class_years for line in (year.payments or (year.annual,))
            )
        problems: list[tuple[str | None, str]] = []
        considered = payments
        if terms is not None and (terms.acquired or terms.sold):
            payments, terms = self._placed(payments, terms, problems)
        amounts = None
        if amount is not None:
            amounts = self._amounts(payments, amount, shares, problems)
        if problems:
            return _Meaning(problems=tuple(problems))
        # A lot that holds none of the payments still names its class, on its years' forms.
        held = tuple(
            dict.fromkeys((payment.cusip, payment.tax_year) for payment in payments or considered)
        )
        return _Meaning(
            class_years=held,
            payments=payments,
            shares=shares if shares is not None else Decimal(0),
            amounts=amounts if shares is None else None,
            given_shares=shares,
            given_amount=amount,
            lot=terms,
            security=security_class,
        )

    def _placed(
        self,
        payments: tuple[Payment, ...],
        terms: LotTerms,
        problems: list[tuple[str | None, str]],
    ) -> tuple[tuple[Payment, ...], LotTerms]:
        """The payments a lot holds on their ex-dividend dates, and how each was placed."""
        column = self.columns.names[(self.columns.acquired or self.columns.sold)[0]]
        placements = []
        for payment in payments:
            if payment.is_annual:
                problems.append(
                    (
                        column,
                        f"the release for {named(payment)}, tax year "
                        f"{payment.tax_year}, prints annual totals only, so a lot held part of "
                        "the year cannot be placed; give the dollars received for the year "
                        "(Amount) and no trade dates",
                    )
                )
                return payments, terms
            try:
                placement = lookup.placement(payment)
            except XlReitError as error:
                problems.append((column, str(error)))
                return payments, terms
            placements.append(
                (payment, placement, holds(placement.ex_date, terms.acquired, terms.sold))
            )
        held = tuple(payment for payment, _, is_held in placements if is_held)
        return held, LotTerms(terms.acquired, terms.sold, terms.cost, tuple(placements))

    def _amounts(
        self,
        payments: tuple[Payment, ...],
        amount: Decimal,
        shares: Decimal | None,
        problems: list[tuple[str | None, str]],
    ) -> tuple[Decimal, ...]:
        """Each payment part's dollars of an amount received for one payment (or year).

        The rules are :func:`amount_whole`, :func:`amount_disagrees` and
        :func:`amount_parts`, which bulk records share.
        """
        column = self.columns.names[self.columns.amount[0]]
        try:
            whole = amount_whole(payments, format(amount, "f"))
        except XlReitError as error:
            problems.append((column, str(error)))
            return ()
        disagreement = None if shares is None else amount_disagrees(amount, shares, whole)
        if disagreement is not None:
            problems.append((column, disagreement))
            return ()
        return amount_parts(payments, amount, whole)

    def _years_of(self, security_class: SecurityClass) -> tuple[SecurityClass, ...]:
        """The class-years an undated line holds shares in: :attr:`tax_year`'s, else the
        latest (every one, with :attr:`every_year`)."""
        if self.tax_year is None:
            if self.every_year:
                return self.table.by_cusip[security_class.cusip]
            return (security_class,)
        found = self.table.classes.get((security_class.cusip, self.tax_year))
        return () if found is None else (found,)


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
        #: The good lines that are lots (give Acquired, Sold or Cost), with their line numbers.
        self.lots: list[tuple[int, _Meaning]] = []

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
            self.problem(line, None, _repeat(first, meaning))
            return
        self.lines.append(meaning)
        if meaning.lot is not None:
            self.lots.append((line, meaning))

    def shares(self, counted: Counter[_Meaning]) -> dict[tuple[str, dt.date | int], Decimal]:
        """Shares held per payment (see :func:`share_key`): every lot added to each it covers.

        A payment split between two tax years is one key: its shares count once
        for each year's part.
        """
        per_payment: dict[tuple[str, dt.date | int], Decimal] = {}
        for meaning, lines in counted.items():
            if meaning.amounts is not None:
                continue  # dollars received, not shares
            shares = meaning.shares * lines
            for key in dict.fromkeys(map(share_key, meaning.payments or ())):
                per_payment[key] = per_payment.get(key, Decimal(0)) + shares
        return per_payment

    def amounts(self, counted: Counter[_Meaning]) -> dict[tuple[str, int, dt.date | int], Decimal]:
        """Dollars received per payment part (see :func:`amount_key`), from amount-only lines."""
        per_part: dict[tuple[str, int, dt.date | int], Decimal] = {}
        for meaning, lines in counted.items():
            for held in meaning.held() if meaning.amounts is not None else ():
                key = amount_key(held.payment)
                per_part[key] = per_part.get(key, Decimal(0)) + (held.amount or 0) * lines
        # Nothing received is nothing held, as 0 shares are (a figure it lacks is no unknown).
        return {key: amount for key, amount in per_part.items() if amount}

    def holdings(self, table: AllocationTable, text_format: TextFormat, skip_bad: bool) -> Holdings:
        """The shares counted, or :class:`HoldingsFileError` for the problems found.

        With ``skip_bad``, bad lines are left out, unless none is good or the
        file as a whole cannot be read.
        """
        counted = Counter(self.lines)  # each distinct meaning, and how many lines have it
        named = {year for meaning in counted for year in meaning.class_years}
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
        lots = tuple(
            Lot(
                line,
                meaning.security,
                meaning.given_shares,
                meaning.given_amount,
                meaning.held(),
                meaning.lot,
                table.by_cusip[meaning.security.cusip],
            )
            for line, meaning in self.lots
            if meaning.lot is not None and meaning.security is not None
        )
        line_years = tuple(
            dict.fromkeys(
                (meaning.class_years[0][0], frozenset(y for _, y in meaning.class_years))
                for meaning in counted
                if meaning.class_years
            )
        )
        return Holdings(
            source=self.source,
            classes=classes,
            shares=self.shares(counted),
            skipped=tuple(self.problems),
            skipped_lines=tuple(self.bad_lines),
            amounts=self.amounts(counted),
            lots=lots,
            line_years=line_years,
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
            if meaning.lot is not None:
                tally.lots.append((line, meaning))
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
    every_year: bool = False,
) -> Holdings:
    """Read holdings from ``(line_number, cells)`` pairs, the header first.

    ``source`` names the file in messages; ``text_format`` says how the text
    of a CSV file's cells is written (the default: UTF-8, a decimal point).
    Raises :class:`HoldingsFileError` listing every bad line; with
    ``skip_bad``, bad lines are left out and listed in
    :attr:`Holdings.skipped` instead, unless no good line remains or the
    file as a whole cannot be read (no header, no shares column).
    ``tax_year`` is the year an undated line holds its shares in; without it
    the latest year the table holds for the class, or with ``every_year``
    every year it holds (then choose one with :meth:`Holdings.for_year`).
    """
    table = table or default_table()
    text_format = text_format or TextFormat()
    tally = _Tally(source)
    lines = iter(rows)
    columns = _header(lines, tally)
    if columns is not None:
        _count_lines(lines, _Meanings(columns, table, text_format, tax_year, every_year), tally)
    return tally.holdings(table, text_format, skip_bad)
