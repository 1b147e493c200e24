"""pandas in and out: the allocation table as a DataFrame, and boxes for a DataFrame of records.

:func:`allocation_table` gives every payment part of every loaded class-year
as a row, each Form 1099-DIV box of the year's edition as a fraction of the
payment and in dollars per share. :func:`boxes` takes a DataFrame of
distribution records (see :mod:`xl_reit.records` for the columns and what a
record means) and gives one row per group, class and tax year, with every
box in dollars.

Figures are exact: ``Decimal`` objects in ``object`` columns (a float64
column would round 0.00777421875 and lose cents over a million accounts), or
with ``text=True`` exact decimal strings, for a tool that has no decimals.
Arithmetic runs in a decimal context that refuses to round, so a result is
exact or an error.

pandas is imported here only: ``pip install "xl-reit[pandas]"``.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Hashable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from .errors import HoldingsFileError, Problem, XlReitError
from .model import Payment, SecurityClass
from .records import (
    OUTPUT_COLUMNS,
    Meaning,
    RecordColumns,
    Resolver,
    _blank,
    amount_received,
    layout,
    received_dollars,
    share_count,
)
from .table import AllocationTable, default_table

__all__ = ["allocation_table", "boxes"]

#: Exact decimal arithmetic: wide enough for any product of shares and dollars,
#: and an error (never a rounded figure) should anything not fit.
_EXACT = decimal.Context(
    prec=100, traps=[decimal.Inexact, decimal.Overflow, decimal.InvalidOperation]
)


def _figure(value: Decimal | None, text: bool) -> Decimal | str | None:
    """A figure as a ``Decimal``, or as its exact decimal string (``None`` stays ``None``)."""
    return format(value, "f") if text and value is not None else value


def _part_rows(security: SecurityClass, table: AllocationTable, text: bool) -> list[dict[str, Any]]:
    """One row per payment part of a class-year (its annual line, for annual totals only)."""
    own = layout(table).boxes[(security.cusip, security.tax_year)]
    lines: Iterable[Payment] = security.payments or (security.annual,)
    rows = []
    for line in lines:
        row: dict[str, Any] = {
            "issuer": security.issuer,
            "class_name": security.class_name,
            "cusip": security.cusip,
            "symbol": security.symbol,
            "tax_year": security.tax_year,
            "record_date": line.record_date,
            "payable_date": line.payable_date,
            "all_year": security.annual_only,
            "dividend_per_share": _figure(line.dividend_per_share, text),
            "other_tax_year": line.other_tax_year,
        }
        for column in layout(table).columns:
            box = own.get(column)
            fraction = None if box is None else line.fraction(box.component)
            dollars = None if box is None else line.dollars(box.component)
            row[f"{column}_fraction"] = _figure(fraction, text)
            row[f"{column}_dollars"] = _figure(dollars, text)
        rows.append(row)
    return rows


def allocation_table(table: AllocationTable | None = None, *, text: bool = False) -> pd.DataFrame:
    """The allocation table: one row per payment part and tax year, every box of its form.

    A payment split between two tax years has a row in each (``other_tax_year``
    names the other); a class whose release prints only the year's totals has
    one row, its annual line, with ``all_year`` true and no dates. For each
    box of the output (:func:`xl_reit.records.layout`): ``box_1b_fraction``,
    the share of the payment's dividend, and ``box_1b_dollars``, dollars per
    share; ``None`` where the form of that year has no such box or the
    release does not give the figure.

    >>> frame = allocation_table()
    >>> row = frame[(frame.symbol == "AIV") & (frame.record_date == "2004-02-20")].iloc[0]
    >>> row.box_1b_fraction, row.box_1b_dollars
    (Decimal('0.013268'), Decimal('0.0079608'))
    """
    chosen = table or default_table()
    rows = [
        row for security in chosen.classes.values() for row in _part_rows(security, chosen, text)
    ]
    frame: pd.DataFrame = pd.DataFrame(rows)
    for column in ("record_date", "payable_date"):
        frame[column] = pd.to_datetime(frame[column])
    frame["other_tax_year"] = frame["other_tax_year"].astype("Int64")
    return frame


def _read_cells(
    values: Iterable[Any], column: str, read: Callable[[Any, str], Decimal]
) -> list[Decimal | XlReitError | None]:
    """Each cell of a shares or amount column read (``None``: blank), once per distinct value."""
    read_before: dict[Any, Decimal | XlReitError | None] = {}
    found: list[Decimal | XlReitError | None] = []
    for value in values:
        try:
            known = read_before.get(value, _UNREAD)
        except TypeError:  # an unhashable cell
            known = _UNREAD
        if known is _UNREAD:
            if _blank(value):
                known = None
            else:
                try:
                    known = read(value, column)
                except XlReitError as error:
                    known = error
            if isinstance(value, Hashable):
                read_before[value] = known
        found.append(known)  # type: ignore[arg-type]
    return found


#: A cell not read yet (``None`` is a blank one).
_UNREAD = object()


def _problems(
    frame: pd.DataFrame,
    columns: RecordColumns,
    meanings: list[Meaning],
    rows: list[int],
    source: str,
) -> tuple[list[Decimal | None], list[Decimal | None], list[Problem]]:
    """Each record's shares and dollars received (``None``: none) and the bad ones' problems.

    A record gives shares, or dollars received in place of them (which then
    count), or both, which must agree (:meth:`~xl_reit.records.Meaning.amount_refused`).
    """
    count = len(rows)
    shares_cells = (
        _read_cells(frame[columns.shares], columns.shares, share_count)
        if columns.shares is not None
        else [None] * count
    )
    amount_cells = (
        _read_cells(frame[columns.amount], columns.amount, amount_received)
        if columns.amount is not None
        else [None] * count
    )
    shares: list[Decimal | None] = []
    received: list[Decimal | None] = []
    problems = []
    for row, meaning, held, amount in zip(rows, meanings, shares_cells, amount_cells, strict=True):
        found = []
        if meaning.problem is not None:
            found.append((meaning.column, meaning.problem))
        for column, cell in ((columns.shares, held), (columns.amount, amount)):
            if isinstance(cell, XlReitError):
                found.append((column, str(cell)))
        if held is None and amount is None:
            found.append(columns.blank_problem())
        elif isinstance(amount, Decimal) and meaning.problem is None:
            refused = meaning.amount_refused(amount, held if isinstance(held, Decimal) else None)
            if refused is not None:
                found.append((columns.amount, refused))
        problems += [Problem(source, row, column, text, unit="row") for column, text in found]
        good = not found
        shares.append(held if good and isinstance(held, Decimal) else None)
        received.append(amount if good and held is None and isinstance(amount, Decimal) else None)
    return shares, received, problems


def boxes(
    records: pd.DataFrame,
    by: Sequence[str] | str = (),
    *,
    table: AllocationTable | None = None,
    tax_year: int | None = None,
    text: bool = False,
    source: str = "records",
) -> pd.DataFrame:
    """Form 1099-DIV boxes for a DataFrame of distribution records, per group, class and year.

    ``by`` names the grouping columns (an account, a branch); a record with
    no security and no shares is passed over. The result has a row per group,
    class and tax year: the grouping columns, ``cusip`` (9 characters),
    ``tax_year``, then each box in dollars (``None``: not printed). ``tax_year``
    is the year an undated record holds its shares in (default: the latest
    the table holds for the class).

    Raises :class:`~xl_reit.errors.HoldingsFileError` naming each bad record
    (``source``, its row counted from 1, the column, what is wrong) and
    nothing is computed.
    """
    names = [str(name) for name in records.columns]
    if len(set(names)) != len(names):
        raise HoldingsFileError(f"{source}: two columns have the same name: {names}")
    frame = records.set_axis(names, axis="columns")
    columns = RecordColumns.find(names, [by] if isinstance(by, str) else by, source)
    resolver = Resolver(columns, table, tax_year)
    passed_over = frame[[*columns.security, *columns.held]].isna().all(axis="columns")
    rows = [row for row, skipped in enumerate(passed_over, 1) if not skipped]
    frame = frame[~passed_over]
    keys = frame[list(columns.key)].astype(object)
    keys = keys.where(keys.notna(), None)
    meanings = [resolver.meaning(key) for key in keys.itertuples(index=False, name=None)]
    with decimal.localcontext(_EXACT):
        shares, received, problems = _problems(frame, columns, meanings, rows, source)
        if problems:
            raise HoldingsFileError(problems)
        return _boxes(frame, columns, meanings, (shares, received), resolver, text)


def _boxes(
    frame: pd.DataFrame,
    columns: RecordColumns,
    meanings: list[Meaning],
    held: tuple[list[Decimal | None], list[Decimal | None]],
    resolver: Resolver,
    text: bool,
) -> pd.DataFrame:
    """Add each group's shares and dollars received per key, then per class-year: shares ×
    dollars per share, and the dollars received times each figure's fraction (all exact)."""
    identity = {id(meaning): meaning for meaning in meanings}
    shares, received = held
    grouped = pd.DataFrame({index: frame[name] for index, name in enumerate(columns.by)})
    grouped["key"] = [id(meaning) for meaning in meanings]
    grouped["shares"] = pd.Series(
        [c or Decimal(0) for c in shares], index=frame.index, dtype=object
    )
    grouped["received"] = pd.Series(
        [c or Decimal(0) for c in received], index=frame.index, dtype=object
    )
    added = grouped.groupby([*range(len(columns.by)), "key"], dropna=False, sort=False)
    totals: dict[tuple[Any, ...], tuple[list[Decimal], int]] = {}
    sums = added[["shares", "received"]].sum().reset_index()
    for *group, key, held_shares, held_dollars in sums.itertuples(index=False):
        for target in identity[key].targets:
            out = (*group, target.cusip, target.tax_year)
            amounts, missing = totals.get(out) or ([Decimal(0)] * len(target.dollars), 0)
            amounts = [
                sum_ + held_shares * dollars
                for sum_, dollars in zip(amounts, target.dollars, strict=True)
            ]
            if held_dollars:
                parts = received_dollars(target, held_dollars, resolver.layout)
                amounts = [sum_ + part for sum_, part in zip(amounts, parts, strict=True)]
            totals[out] = (amounts, missing | target.missing(held_shares, held_dollars))
    box_columns = resolver.layout.columns
    rows = [
        (
            *out,
            *(
                None if missing >> index & 1 else _figure(amount, text)
                for index, amount in enumerate(amounts)
            ),
        )
        for out, (amounts, missing) in totals.items()
    ]
    result: pd.DataFrame = pd.DataFrame(rows, columns=[*columns.by, *OUTPUT_COLUMNS, *box_columns])
    return result
