"""A generated set of distribution records, and what each holds, to check every engine by.

From a fixed seed: many accounts in two branches, every loaded class-year,
dated records (by record date or by payable date, so split-year payments are
held in both years) and undated ones (the class's latest year, or the year
for a class that prints annual totals only), each security spelt as a
person or a system writes it, share counts whole, fractional and zero.

Each record also carries the table lines it holds shares on, worked out here
from the model's own words, not by xl-reit's resolver: a dated record holds
every loaded line with that payment's CUSIP and payable date; an undated one
the latest class-year's payments, or its annual line. :func:`reference`
turns that into boxes through :func:`xl_reit.form1099.compute`, the
pure-Python path every engine must equal.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from xl_reit import cusip, isin
from xl_reit.form1099 import compute
from xl_reit.model import Payment, SecurityClass
from xl_reit.records import box_column, layout
from xl_reit.table import AllocationTable

#: The grouping columns of the dataset.
BY = ("account", "branch")
HEADER = ("account", "branch", "cusip", "record date", "payable date", "shares")

#: (*group, cusip, tax_year) → box column → dollars (``None``: not printed).
Boxes = dict[tuple[Any, ...], dict[str, Decimal | None]]


@dataclass(frozen=True)
class Record:
    """One distribution record as written, and the lines it holds its shares on."""

    account: str
    branch: str
    security: str
    record_date: dt.date | None
    payable_date: dt.date | None
    shares: Decimal
    holds: tuple[Payment, ...]

    def cells(self) -> tuple[str, ...]:
        """The record as CSV text."""
        dates = ("" if day is None else day.isoformat() for day in self.dates)
        return (self.account, self.branch, self.security, *dates, str(self.shares))

    @property
    def dates(self) -> tuple[dt.date | None, dt.date | None]:
        return self.record_date, self.payable_date


def _spellings(security: SecurityClass) -> list[str]:
    return [
        security.cusip,
        cusip.format(security.cusip),
        isin.from_cusip(security.cusip),
        security.symbol,
    ]


def _shares(generator: random.Random) -> Decimal:
    kind = generator.random()
    if kind < 0.05:
        return Decimal(0)
    if kind < 0.6:
        return Decimal(generator.randint(1, 5000))
    places = generator.randint(1, 4)
    return Decimal(generator.randint(1, 5_000 * 10**places)).scaleb(-places)


def generate(table: AllocationTable, records: int = 3000, seed: int = 13) -> list[Record]:
    """``records`` records over 150 accounts, every class-year of ``table`` in them."""
    generator = random.Random(seed)
    years = list(table.classes.values())
    latest = {security.cusip: security for security in years}  # the table lists years in order
    every_line = [line for security in years for line in security.payments]
    made = []
    for number in range(records):
        security = years[number % len(years)] if number < 4 * len(years) else None
        security = security or generator.choice(years)
        account = f"A{generator.randint(1, 150):04d}"
        branch = generator.choice(["east", "west"])
        spelt = generator.choice(_spellings(security))
        shares = _shares(generator)
        if security.annual_only or generator.random() < 0.4:
            year = latest[security.cusip]
            holds = year.payments or (year.annual,)
            made.append(Record(account, branch, spelt, None, None, shares, holds))
            continue
        payment = generator.choice(security.payments)
        assert payment.payable_date is not None
        parts = tuple(
            line
            for line in every_line
            if line.cusip == payment.cusip and line.payable_date == payment.payable_date
        )
        # A release that prints payment dates only (UMH's) is keyed by them.
        by_record = generator.random() < 0.5 and payment.record_date is not None
        record_date = payment.record_date if by_record else None
        payable_date = None if by_record else payment.payable_date
        made.append(Record(account, branch, spelt, record_date, payable_date, shares, parts))
    return made


def write_csv(records: Sequence[Record], path: Path) -> Path:
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows(record.cells() for record in records)
    return path


def reference(records: Sequence[Record], table: AllocationTable, by: Sequence[str] = BY) -> Boxes:
    """The boxes per ``by`` group, class and tax year, through form1099.compute, class by class."""
    groups: dict[tuple[str, ...], list[Record]] = defaultdict(list)
    for record in records:
        groups[tuple(getattr(record, name) for name in by)].append(record)
    columns = layout(table).columns
    boxes: Boxes = {}
    for group, held in groups.items():
        shares: dict[tuple[str, int, dt.date | None], Decimal] = defaultdict(Decimal)
        for record in held:
            for line in record.holds:
                shares[line.cusip, line.tax_year, line.payable_date] += record.shares

        def shares_for(
            payment: Payment, shares: dict[tuple[str, int, dt.date | None], Decimal] = shares
        ) -> Decimal | None:
            return shares.get((payment.cusip, payment.tax_year, payment.payable_date))

        touched = {(line.cusip, line.tax_year) for record in held for line in record.holds}
        for cusip_code, tax_year in touched:
            (form,) = compute([table.classes[cusip_code, tax_year]], shares_for)
            amounts = {box_column(box): form.lines[0].amounts[box.key] for box in form.boxes}
            boxes[(*group, cusip_code, tax_year)] = {
                column: amounts.get(column) for column in columns
            }
    return boxes


def as_boxes(
    rows: Iterable[Mapping[str, Any]], table: AllocationTable, by: Sequence[str] = BY
) -> Boxes:
    """Any engine's output rows, keyed as :func:`reference` keys them (NaN, None: not printed)."""
    columns = layout(table).columns
    found: Boxes = {}
    for row in rows:
        key = (*(row[name] for name in by), row["cusip"], int(row["tax_year"]))
        assert key not in found, key
        found[key] = {
            column: None if row[column] is None or pd.isna(row[column]) else row[column]
            for column in columns
        }
    return found


def parquet_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of a Parquet file, each as a dict (read with DuckDB)."""
    import duckdb

    rows = duckdb.sql(f"SELECT * FROM '{path}'")
    return [dict(zip(rows.columns, row, strict=True)) for row in rows.fetchall()]


def to_parquet(source: Path, path: Path) -> Path:
    """The CSV records as Parquet, typed: dates as DATE, shares as DECIMAL(18, 4)."""
    import duckdb

    duckdb.execute(
        'COPY (SELECT account, branch, cusip, CAST("record date" AS DATE) AS record_date, '
        'CAST("payable date" AS DATE) AS payable_date, CAST(shares AS DECIMAL(18, 4)) AS shares '
        f"FROM read_csv('{source}', all_varchar = true)) TO '{path}' (FORMAT parquet)"
    )
    return path
