"""Distribution records in bulk: what each record means, whichever engine adds them up.

A broker's or a fund administrator's tax operations reissue Form 1099-DIV for
every account each January, once the REITs publish how last year's payments
split. Their input is *distribution records*, millions to billions of rows,
each naming an account (or any columns to group by), a security, the shares
held (or the dollars received, an ``Amount``) and, optionally, a payment's
record or payable date and a lot's trade dates. They are the
holdings of :mod:`xl_reit.holdings` at scale, read by the same column names
and the same rules:

- a record with a date holds its shares on that payment: on every part of
  it that the loaded tables hold, each in its own tax year (a payment split
  between two tax years has a line in each year's table);
- a record without a date holds its shares on every payment of the class's
  tax year: the latest the tables hold, or the one asked for; for a class
  whose release prints only the year's totals, all year;
- a lot (``Acquired``, ``Sold``) holds the payments it is held on the
  ex-dividend date of (:mod:`xl_reit.settlement`);
- an amount is the dollars received on one whole payment (or, for a class
  whose release prints only annual totals, the year), in place of the
  shares; beside shares it must agree with them to the cent; its boxes are
  :func:`received_dollars`, the holdings rule;
- records add up, per group, class and tax year.

This module is that meaning, pure and engine-free. The engines
(:mod:`xl_reit.frames` for pandas, :mod:`xl_reit.bulk` for DuckDB,
:mod:`xl_reit.spark` for Spark) each find the few distinct *keys* of their
records (the security and date cells), ask :class:`Resolver` what each key
means, and then only multiply and add, in exact decimals:

- a key means one :class:`Target` per class-year it holds shares in: the
  dollars per share each box gets from the key's payments, added up; so a
  record's box is *shares × the target's dollars*, and a group's box the sum
  over its records, which is exactly what :func:`xl_reit.form1099.compute`
  gives for the same shares (the sum of products is the product of sums);
- a box is ``None`` (not printed, never 0) where :func:`~xl_reit.form1099.compute`
  says so: the class-year's form has no such box or its release never gives
  the figure (:attr:`Target.unknown`), or a payment it holds shares on (or,
  for annual totals, the year) lacks it (:attr:`Target.lacking`).

Shares are exact: a number from 0 to 10**15 with at most :data:`SHARE_PLACES`
decimal places (a bulk engine keeps them in a fixed decimal type), see
:func:`share_count`. What bulk does not do, and why, is in the README.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from . import lookup
from .components import COMPONENTS, box_order
from .dates import to_date
from .errors import HoldingsFileError, InvalidSharesError, Problem, XlReitError, shown
from .form1099 import Box, answered, form_boxes, given_figures, received_amount
from .holdings import (
    ACQUIRED_COLUMNS,
    AMOUNT_COLUMNS,
    AMOUNT_NEGATIVE,
    COST_COLUMNS,
    DATE_COLUMNS,
    SECURITY_COLUMNS,
    SHARES_COLUMNS,
    SOLD_COLUMNS,
    amount_disagrees,
    amount_parts,
    amount_whole,
    dollars,
)
from .model import Payment, SecurityClass
from .settlement import holds
from .table import AllocationTable, default_table

__all__ = [
    "AMOUNT_TEXT",
    "AMOUNT_WRONG",
    "NEGATIVE_TEXT",
    "OUTPUT_COLUMNS",
    "SHARES_TEXT",
    "SHARE_PLACES",
    "Layout",
    "Meaning",
    "RecordColumns",
    "Resolver",
    "Target",
    "amount_received",
    "box_column",
    "decimal_places",
    "layout",
    "received_dollars",
    "share_count",
]

#: Decimal places a share count may have: fractional shares as brokers keep them.
SHARE_PLACES = 9

#: The columns the output names for itself, after the grouping columns; then the boxes.
OUTPUT_COLUMNS = ("cusip", "tax_year")

#: Which of a payment's dates a date column holds, as holdings files name them (else either).
_DATE_KINDS = {"record date": "record", "payable date": "payable", "pay date": "payable"}

#: A share count written as text: digits, thousands grouped by commas, a decimal point
#: and at most SHARE_PLACES places (then only zeros). The bulk engines match it too.
SHARES_TEXT = rf"\+?(?:\d{{1,3}}(?:,\d{{3}})+|\d*)(?:\.\d{{0,{SHARE_PLACES}}}0*)?"
_SHARES_TEXT = re.compile(SHARES_TEXT)
#: Dollars received written as text: a share count's form, after a dollar sign if any.
AMOUNT_TEXT = rf"\$?\s*{SHARES_TEXT}"
_AMOUNT_TEXT = re.compile(AMOUNT_TEXT)
#: Text the holdings reader takes for a negative amount: ``-5``, ``$-5``, ``(5.00)``.
NEGATIVE_TEXT = r"\$?\s*[-(].*"
_NEGATIVE_TEXT = re.compile(NEGATIVE_TEXT)
#: Why an amount cell that is no negative one is refused, the fields ``column`` and
#: ``value`` (the cell, quoted); a negative one: :data:`xl_reit.holdings.AMOUNT_NEGATIVE`.
AMOUNT_WRONG = (
    "{column} {value}: give the dollars received, a number from 0 to "
    f"{lookup.MAX_SHARES:,} with at most {SHARE_PLACES} decimal places"
)


def _column_key(name: str) -> str:
    """``'Shares Held'``, ``'shares_held'`` → ``'shares held'``: how a column's role is known."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", name.lower()).split())


def box_column(box: Box) -> str:
    """A box's output column: ``box_1a``, or a disclosure's name (``section_1061_one_year``)."""
    return f"box_{box.number}" if box.number else box.component.name


def amount_received(value: Any, column: str = "amount") -> Decimal:
    """A record's dollars received as an exact ``Decimal``, or :class:`InvalidSharesError`.

    As a holdings file's Amount (:func:`xl_reit.holdings.dollars`: 0 or more,
    ``$1,234.50`` allowed, never negative), with at most :data:`SHARE_PLACES`
    decimal places, as the bulk engines keep it.

    >>> amount_received("$1,234.50")
    Decimal('1234.50')
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidSharesError(f"{column} is blank; give the dollars received (0 if none)")
    wrong = InvalidSharesError(AMOUNT_WRONG.format(column=column, value=shown(value)))
    dtype = getattr(value, "dtype", None)
    if getattr(dtype, "kind", "") == "f" and getattr(dtype, "itemsize", 8) == 4:
        value = Decimal(str(value))  # a 32-bit float: its digits, as for shares
    elif getattr(dtype, "kind", "") in ("i", "u", "f") and hasattr(value, "item"):
        value = value.item()  # a NumPy number: the Python number it is
    if isinstance(value, str):
        text = value.strip()
        if not _NEGATIVE_TEXT.fullmatch(text) and (
            not _AMOUNT_TEXT.fullmatch(text) or not any(c.isdigit() for c in text)
        ):
            raise wrong
    try:
        amount = dollars(value, column)
    except InvalidSharesError as error:
        negative = AMOUNT_NEGATIVE.format(column=column, value=shown(value))
        raise (error if str(error) == negative else wrong) from None
    if amount != amount.quantize(Decimal(1).scaleb(-SHARE_PLACES)):
        raise wrong
    return amount


def share_count(value: Any, column: str = "shares") -> Decimal:
    """A record's shares as an exact ``Decimal``, or :class:`InvalidSharesError`.

    A number from 0 to 10**15 with at most :data:`SHARE_PLACES` decimal
    places: an int, a ``Decimal``, a float (as Python prints it, so ``0.1`` is
    one tenth) or text such as ``100``, ``10.5`` or ``1,000``. The bulk
    engines check the same in their own terms.

    >>> share_count("1,000.5"), share_count(0.1)
    (Decimal('1000.5'), Decimal('0.1'))
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidSharesError(f"{column} is blank; give the number of shares held (0 if none)")
    message = (
        f"{column} {shown(value)}: give a number of shares from 0 to {lookup.MAX_SHARES:,}, "
        f"with at most {SHARE_PLACES} decimal places"
    )
    dtype = getattr(value, "dtype", None)
    if getattr(dtype, "kind", "") == "f" and getattr(dtype, "itemsize", 8) == 4:
        value = Decimal(str(value))  # a 32-bit float (a Parquet FLOAT in pandas): its digits
    if isinstance(value, str):
        text = value.strip()
        if not _SHARES_TEXT.fullmatch(text) or not any(c.isdigit() for c in text):
            raise InvalidSharesError(message)
        value = Decimal(text.replace(",", ""))
    try:
        count = lookup.share_count(value, column)
        if count.is_signed() or count != count.quantize(Decimal(1).scaleb(-SHARE_PLACES)):
            raise InvalidSharesError(message)
    except (InvalidSharesError, InvalidOperation):
        raise InvalidSharesError(message) from None
    return count


@dataclass(frozen=True)
class RecordColumns:
    """Which columns of a set of records hold what, found by the names holdings files use.

    ``security`` are the security columns (``CUSIP``, ``ISIN``, ``Symbol`` …;
    where a record fills several, they must name the same class), ``shares``
    the shares column, ``dates`` each date column with the payment date it
    holds (``"record"``, ``"payable"`` or ``None`` for either), ``by`` the
    grouping columns, as the records name them.
    """

    security: tuple[str, ...]
    shares: str | None
    dates: tuple[tuple[str, str | None], ...]
    by: tuple[str, ...]
    #: A lot's trade date columns: ``(name, "acquired" or "sold")``.
    lot: tuple[tuple[str, str], ...] = ()
    #: The dollars received column (``Amount``): in place of the shares, or checked beside them.
    amount: str | None = None
    #: Columns a holdings file reads and records do not: a lot's ``Cost`` (records give boxes,
    #: not bases), named so that a run can say it passed them over.
    passed_over: tuple[str, ...] = ()

    @property
    def held_or_none(self) -> tuple[str | None, str | None]:
        """The shares column and the amount column (``None`` where there is none)."""
        return self.shares, self.amount

    @property
    def held(self) -> tuple[str, ...]:
        """The columns that say what a record holds: its shares, its dollars received."""
        return tuple(name for name in (self.shares, self.amount) if name is not None)

    def blank_problem(self) -> tuple[str | None, str]:
        """What a record that gives neither shares nor dollars received lacks, and where."""
        if self.amount is None:
            return (
                self.shares,
                f"{self.shares} is blank; give the number of shares held (0 if none)",
            )
        if self.shares is None:
            return self.amount, f"{self.amount} is blank; give the dollars received (0 if none)"
        return self.shares, (
            f"{self.shares} and {self.amount} are blank; give the shares held or the "
            "dollars received"
        )

    @property
    def key(self) -> tuple[str, ...]:
        """The columns whose cells say which payments a record holds shares on."""
        return (*self.security, *(name for name, _ in self.dates), *(name for name, _ in self.lot))

    @classmethod
    def find(cls, names: Sequence[str], by: Sequence[str], source: str) -> RecordColumns:
        """The roles of ``names`` (the records' columns); ``by`` names the grouping columns.

        Raises :class:`HoldingsFileError` naming what is missing and what was found.
        """
        keys = {name: _column_key(name) for name in names}
        found = ", ".join(repr(name) for name in names) or "none"
        problems = []
        security = tuple(name for name in names if keys[name] in SECURITY_COLUMNS)
        shares = [name for name in names if keys[name] in SHARES_COLUMNS]
        amount = [name for name in names if keys[name] in AMOUNT_COLUMNS]
        if not security:
            problems.append(
                f"no security column; name one {', '.join(SECURITY_COLUMNS)} (found: {found})"
            )
        if not shares and not amount:
            problems.append(
                f"no shares column; name one {', '.join(SHARES_COLUMNS)}, or an amount column "
                f"{', '.join(AMOUNT_COLUMNS)} (found: {found})"
            )
        for kind, named_columns in (("shares", shares), ("amount", amount)):
            if len(named_columns) > 1:
                problems.append(
                    f"more than one {kind} column: {', '.join(map(repr, named_columns))}"
                )
        lot = tuple(
            (name, role)
            for name in names
            for role, accepted in (("acquired", ACQUIRED_COLUMNS), ("sold", SOLD_COLUMNS))
            if keys[name] in accepted
        )
        for role in ("acquired", "sold"):
            named = [name for name, kind in lot if kind == role]
            if len(named) > 1:
                problems.append(f"more than one {role} column: {', '.join(map(repr, named))}")
        groups = [_group_column(names, keys, wanted, problems) for wanted in by]
        if len(set(groups)) != len(groups) and all(groups):
            problems.append(f"a grouping column is named twice: {', '.join(map(repr, by))}")
        if problems:
            raise HoldingsFileError([Problem(source, None, None, problem) for problem in problems])
        dates = tuple(
            (name, _DATE_KINDS.get(keys[name])) for name in names if keys[name] in DATE_COLUMNS
        )
        return cls(
            security,
            shares[0] if shares else None,
            dates,
            tuple(groups),
            lot,
            amount[0] if amount else None,
            tuple(name for name in names if keys[name] in COST_COLUMNS),
        )


def _group_column(
    names: Sequence[str], keys: Mapping[str, str], wanted: str, problems: list[str]
) -> str:
    """The column ``wanted`` names: that name, else the one whose name folds to it ('' if none)."""
    folded = _column_key(wanted)
    if folded in ("cusip", "tax year") or folded.startswith("box "):
        problems.append(
            f"cannot group by {wanted!r}: the output has a column of that name; "
            "rename the column in the records"
        )
        return ""
    if wanted in names:
        return wanted
    matches = [name for name in names if keys[name] == folded]
    if len(matches) == 1:
        return matches[0]
    problems.append(
        f"no column {wanted!r} to group by; the records have "
        f"{', '.join(map(repr, names)) or 'no columns'}"
    )
    return ""


@dataclass(frozen=True)
class Layout:
    """The box columns of a table, in the form's order, and the exact decimals they need.

    ``columns`` are the boxes any class-year's form shows (:func:`box_column`),
    then the disclosures; ``places`` the most decimal places of any dollars
    per share; ``digits`` the integer digits of the largest dollars per share
    a record can be multiplied by (a class's year, added up).
    """

    columns: tuple[str, ...]
    places: int
    digits: int
    #: Each class-year's boxes by column.
    boxes: Mapping[tuple[str, int], Mapping[str, Box]]


def decimal_places(value: Decimal) -> int:
    """How many decimal places ``value`` is written with (0 for an integer)."""
    exponent = value.as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


@lru_cache(maxsize=8)
def layout(table: AllocationTable) -> Layout:
    """The :class:`Layout` of ``table``'s class-years (computed once per table)."""
    boxes = {
        (security.cusip, security.tax_year): {
            box_column(box): box for box in form_boxes(security.tax_year, answered([security]))
        }
        for security in table.classes.values()
    }
    every = {column: box for each in boxes.values() for column, box in each.items()}
    numbered = {box.number: column for column, box in every.items() if box.number}
    disclosures = [
        name for name, component in COMPONENTS.items() if component.disclosure and name in every
    ]
    columns = (*(numbered[number] for number in box_order(numbered)), *disclosures)
    places = 0
    largest = Decimal(0)
    for security in table.classes.values():
        lines = _lines_of_year(security)
        for name in {name for line in lines for name in line.figures}:
            amounts = [line.dollars(name) for line in lines]
            known = [abs(amount) for amount in amounts if amount is not None]
            places = max([places, *map(decimal_places, known)])
            largest = max(largest, sum(known, Decimal(0)))
    return Layout(columns, places, len(str(int(largest))), boxes)


def _lines_of_year(security: SecurityClass) -> tuple[Payment, ...]:
    """The lines a class-year's shares are counted on: its payments, or the annual line."""
    return security.payments or (security.annual,)


@dataclass(frozen=True)
class Target:
    """One class-year a key holds shares in, and what each share gets there, box by box.

    ``dollars`` follow :attr:`Layout.columns`: the box's dollars per share
    over the payments (or the year) the key holds, added up; 0 where a
    payment lacks the figure. Bits of ``unknown`` (bit *i*: column *i*) are
    boxes that are ``None`` whatever the shares: the form of the class's year
    has no such box, its release never gives the figure, or the class prints
    only annual totals that lack it. Bits of ``lacking`` are boxes that are
    ``None`` once shares are held: a payment held lacks the figure.
    """

    cusip: str
    tax_year: int
    dollars: tuple[Decimal, ...]
    unknown: int
    lacking: int
    #: The one line (a payment's part, or the annual line) the target holds, where its
    #: key's records may give the dollars received (see :func:`received_dollars`).
    line: Payment | None = None
    #: The dividend per share of the whole payment that line is (a part of).
    whole: Decimal | None = None

    def missing(self, shares: Decimal, received: Decimal = Decimal(0)) -> int:
        """The boxes (bits) that are ``None`` for ``shares`` shares and ``received`` dollars."""
        return self.unknown | (self.lacking if shares or received else 0)


@dataclass(frozen=True)
class Meaning:
    """What a key means: its targets, or the problem that makes its records bad.

    ``whole`` is the dividend per share of the one payment (or year) its
    records' dollars received are for; ``amount_problem`` why a record of the
    key may give none (it holds several payments, or none), in the amount
    column. Both are ``None`` where the records have no amount column.
    """

    targets: tuple[Target, ...] = ()
    column: str | None = None
    problem: str | None = None
    whole: Decimal | None = None
    amount_problem: str | None = None

    def amount_refused(self, amount: Decimal, shares: Decimal | None) -> str | None:
        """Why a record of this key that gives ``amount`` (and maybe shares) is bad, or ``None``."""
        if self.amount_problem is not None:
            return f"{format(amount, 'f')} {self.amount_problem}"
        if shares is None or self.whole is None:
            return None
        return amount_disagrees(amount, shares, self.whole)


def received_dollars(target: Target, amount: Decimal, columns: Layout) -> tuple[Decimal, ...]:
    """Each box's dollars of ``amount`` received on the whole payment of the target's line.

    The holdings rule, shared: the line's part of the amount
    (:func:`xl_reit.holdings.amount_parts`) times each figure's fraction
    (:func:`xl_reit.form1099.received_amount`); 0 where the line lacks the
    figure or the form has no such box (the target's bits say which).
    """
    line, whole = target.line, target.whole
    if line is None or whole is None:
        raise ValueError("a target without its one line takes no amount")  # a bug, not input
    (part,) = amount_parts((line,), amount, whole)
    own = columns.boxes[(target.cusip, target.tax_year)]
    found = []
    for column in columns.columns:
        box = own.get(column)
        value = None if box is None else received_amount(line, box.component, part)
        found.append(Decimal(0) if value is None else value)
    return tuple(found)


def _target(
    security: SecurityClass, lines: Iterable[Payment], columns: Layout, whole: Decimal | None = None
) -> Target:
    own = columns.boxes[(security.cusip, security.tax_year)]
    given = given_figures(security)
    dollars = []
    unknown = lacking = 0
    held = tuple(lines)
    for index, column in enumerate(columns.columns):
        box = own.get(column)
        if box is not None and box.component.name not in given:
            box = None  # a box only a line of $0s gives: the release never prints it
        amounts = [None] if box is None else [line.dollars(box.component) for line in held]
        if box is None or (security.annual_only and None in amounts):
            unknown |= 1 << index
        elif None in amounts:
            lacking |= 1 << index
        dollars.append(sum((amount for amount in amounts if amount is not None), Decimal(0)))
    line = held[0] if whole is not None and len(held) == 1 else None
    return Target(security.cusip, security.tax_year, tuple(dollars), unknown, lacking, line, whole)


def _blank(value: Any) -> bool:
    """Whether a cell is empty: ``None``, blank text, or a DataFrame's NaN, NaT or NA."""
    if value is None or isinstance(value, str):
        return value is None or not value.strip()
    try:
        return bool(value != value)
    except TypeError:  # pandas.NA, whose truth is unknown
        return True


class Resolver:
    """Says what each key (a record's security and date cells) means, once per distinct key.

    ``tax_year`` is the year an undated record holds its shares in (default:
    the latest the table holds for the class).
    """

    def __init__(
        self,
        columns: RecordColumns,
        table: AllocationTable | None = None,
        tax_year: int | None = None,
    ) -> None:
        self.columns = columns
        self.table = table or default_table()
        self.layout = layout(self.table)
        self.tax_year = tax_year
        self._meanings: dict[tuple[Any, ...], Meaning] = {}

    def meaning(self, key: Sequence[Any]) -> Meaning:
        """What the key's cells mean, in the order of :attr:`RecordColumns.key`."""
        cells = tuple(key)
        try:
            return self._meanings[cells]
        except KeyError:
            pass
        except TypeError:  # an unhashable cell
            return self._meaning(cells)
        found = self._meanings[cells] = self._meaning(cells)
        return found

    def _meaning(self, cells: tuple[Any, ...]) -> Meaning:
        securities = len(self.columns.security)
        dated = securities + len(self.columns.dates)
        try:
            years = self._years(cells[:securities])
            lot = self._lot(cells[dated:])
            held = self._targets(years, cells[securities:dated], lot)
        except _BadKeyError as problem:
            return Meaning(column=problem.column, problem=problem.message)
        if self.columns.amount is None:
            return Meaning(tuple(_target(year, lines, self.layout) for year, lines in held))
        try:
            whole: Decimal | None = amount_whole(
                [line for _, lines in held for line in lines], "", "record"
            )
            amount_problem = None
        except XlReitError as error:
            whole, amount_problem = None, str(error).strip()
        targets = tuple(_target(year, lines, self.layout, whole) for year, lines in held)
        return Meaning(targets, whole=whole, amount_problem=amount_problem)

    def _years(self, cells: Sequence[Any]) -> tuple[SecurityClass, ...]:
        """The class's tax years, from the security cells (which must name one class)."""
        named = [
            (column, value)
            for column, value in zip(self.columns.security, cells, strict=True)
            if not _blank(value)
        ]
        if not named:
            names = " or ".join(map(repr, self.columns.security))
            raise _BadKeyError(None, f"{names} is blank; give a CUSIP, ISIN or symbol")
        years: tuple[SecurityClass, ...] = ()
        for column, value in named:
            with _problem_in(column):
                found = lookup.find_years(value, self.table, column)
            if years and found[-1].cusip != years[-1].cusip:
                raise _BadKeyError(
                    column,
                    f"{value!r} is {found[-1].class_name}, but the record also names "
                    f"{years[-1].class_name}",
                )
            years = years or found
        return years

    def _lot(self, cells: Sequence[Any]) -> tuple[dt.date | None, dt.date | None] | None:
        """A record's trade dates, bought and sold (``None``: the record is no lot)."""
        found: dict[str, dt.date] = {}
        for (column, role), value in zip(self.columns.lot, cells, strict=True):
            if not _blank(value):
                with _problem_in(column):
                    found[role] = to_date(value, column)
        if not found:
            return None
        acquired, sold = found.get("acquired"), found.get("sold")
        if acquired is not None and sold is not None and sold < acquired:
            column = next(name for name, role in self.columns.lot if role == "sold")
            raise _BadKeyError(
                column,
                f"{sold.isoformat()} is before the purchase on {acquired.isoformat()}: a lot "
                "is sold on or after the day it is bought",
            )
        return acquired, sold

    def _targets(
        self,
        years: tuple[SecurityClass, ...],
        cells: Sequence[Any],
        lot: tuple[dt.date | None, dt.date | None] | None = None,
    ) -> tuple[tuple[SecurityClass, tuple[Payment, ...]], ...]:
        """Each class-year the key holds shares in, and the lines it holds there."""
        chosen: lookup.Selection | None = None
        for (column, kind), value in zip(self.columns.dates, cells, strict=True):
            if _blank(value):
                continue
            with _problem_in(column):
                selection = lookup.select(years[-1].cusip, value, self.table, kind)
            if chosen is not None and set(selection.lines) != set(chosen.lines):
                raise _BadKeyError(
                    column, f"{value!r} is another payment than the record's other date names"
                )
            chosen = chosen or selection
        if chosen is None or chosen.annual:
            year = self._undated_year(years) if chosen is None else chosen.security
            return ((year, _held(_lines_of_year(year), lot)),)
        return tuple(
            (self.table.classes[(line.cusip, line.tax_year)], _held([line], lot))
            for line in chosen.lines
        )

    def _undated_year(self, years: tuple[SecurityClass, ...]) -> SecurityClass:
        """The class-year an undated record holds its shares in."""
        if self.tax_year is None:
            return years[-1]
        for year in years:
            if year.tax_year == self.tax_year:
                return year
        raise _BadKeyError(
            None,
            f"{years[-1].class_name} has no table for tax year {self.tax_year}; give the "
            "payment's date, or another year",
        )


def _held(
    lines: Iterable[Payment], lot: tuple[dt.date | None, dt.date | None] | None
) -> tuple[Payment, ...]:
    """The lines a lot holds on their ex-dividend dates (every line, for a record no lot)."""
    if lot is None:
        return tuple(lines)
    held = []
    for line in lines:
        try:
            ex = lookup.placement(line).ex_date
        except XlReitError as error:
            raise _BadKeyError(None, str(error)) from None
        if holds(ex, *lot):
            held.append(line)
    return tuple(held)


class _BadKeyError(Exception):
    """Why a key's records are bad: the column and the message (raised and caught here)."""

    def __init__(self, column: str | None, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@contextlib.contextmanager
def _problem_in(column: str) -> Iterator[None]:
    """Turn an :class:`XlReitError` raised inside into the key's problem in ``column``."""
    try:
        yield
    except XlReitError as error:
        raise _BadKeyError(column, str(error)) from None
