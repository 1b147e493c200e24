"""Spark, beyond one machine: 1099-DIV boxes for a Spark DataFrame of distribution records.

:func:`boxes` takes records as Spark reads them (Parquet on a cluster's
storage, a table) and the grouping columns, and returns a DataFrame of one
row per group, class and tax year: the grouping columns, ``cusip``,
``tax_year``, then every box in dollars (``null``: not printed), as
:mod:`xl_reit.bulk` writes them. What a record means is
:mod:`xl_reit.records`'.

The work is split as on one machine. A first job collects the records'
distinct keys (security and date cells, a few thousand at most) to the
driver, which says what each means; the answer is a small DataFrame,
broadcast to the executors and joined to every record, which Spark then adds
up with its own SQL functions. No Python runs on the executors, so only the
driver needs xl-reit installed.

Exact decimal types throughout: shares must be a ``DECIMAL`` with at most
:data:`~xl_reit.records.SHARE_PLACES` places, or an integer (cast a float
column to the decimal it stands for first); dollars per share are
``DECIMAL`` with the table's own places, and every product and sum keeps
all their digits (precision at most 38, so Spark never drops any).

Bad records raise :class:`~xl_reit.errors.HoldingsFileError` before any
boxes are computed: each security or date that means nothing, with how many
records name it, and the first records whose shares are not a share count.

pyspark is imported here only: ``pip install "xl-reit[spark]"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F  # noqa: N812 (Spark's own spelling)
from pyspark.sql import types as T  # noqa: N812

from .errors import MAX_LISTED_PROBLEMS, HoldingsFileError, Problem
from .lookup import MAX_SHARES
from .records import OUTPUT_COLUMNS, SHARE_PLACES, Meaning, RecordColumns, Resolver
from .table import AllocationTable

__all__ = ["boxes"]

_INTEGERS = (T.ByteType, T.ShortType, T.IntegerType, T.LongType)


def _shares_type(records: DataFrame, column: str, precision: int, source: str) -> T.DecimalType:
    """The exact type shares are multiplied in; refuse a column that is not exact."""
    kind = records.schema[column].dataType
    exact = isinstance(kind, _INTEGERS) or (
        isinstance(kind, T.DecimalType) and kind.scale <= SHARE_PLACES
    )
    if not exact:
        raise HoldingsFileError(
            [
                Problem(
                    source,
                    None,
                    column,
                    f"is {kind.simpleString()}; give an exact type: DECIMAL with at most "
                    f"{SHARE_PLACES} places, or an integer (cast a float column to the decimal "
                    "it stands for first)",
                )
            ]
        )
    return T.DecimalType(precision, SHARE_PLACES)


def _cell(records: DataFrame, column: str) -> Column:
    """A key cell, blank text as null (as the holdings reader reads blanks)."""
    cell = F.col(f"`{column}`")
    if isinstance(records.schema[column].dataType, T.StringType):
        return F.when(F.trim(cell) != "", F.trim(cell))
    return cell


def _shares_column(columns: RecordColumns, source: str) -> str:
    """The shares column; dollars received (Amount) are refused, not ignored.

    The dollars received on a payment become boxes by a quotient (the
    figure's dollars over the dividend, :func:`xl_reit.records.received_dollars`)
    that Spark's decimal division does not take as Python does; and no
    Python runs on the executors.
    """
    if columns.amount is not None or columns.shares is None:
        column = columns.amount or "amount"
        raise HoldingsFileError(
            [
                Problem(
                    source,
                    None,
                    column,
                    "dollars received are not read by xl_reit.spark; give the shares held, or "
                    "add the records up with xl-reit 1099 --by (DuckDB) or xl_reit.frames",
                )
            ]
        )
    return columns.shares


def _records(count: int, kind: str = "") -> str:
    """``1 record``, ``2,000 bad records``."""
    return f"{count:,} {kind}record{'s' if count != 1 else ''}"


@dataclass(frozen=True)
class _Key:
    """A distinct key of the records: its cells, what it means, its records and bad shares."""

    cells: tuple[Any, ...]
    meaning: Meaning
    records: int
    bad_shares: int


def _problems(
    prepared: DataFrame, columns: RecordColumns, keys: list[_Key], source: str
) -> list[Problem]:
    """The bad keys (with how many records name each), then the first bad share counts."""
    problems = [
        Problem(
            source, None, key.meaning.column, f"{key.meaning.problem} ({_records(key.records)})"
        )
        for key in keys
        if key.meaning.problem is not None
    ]
    if any(key.bad_shares for key in keys if key.meaning.targets):
        for record in prepared.filter(~F.col("__valid")).limit(MAX_LISTED_PROBLEMS).collect():
            where = ", ".join(
                f"{name} {record[f'__g{index}']!r}" for index, name in enumerate(columns.by)
            )
            shown = record["__shown"]
            what = (
                "is blank; give the number of shares held (0 if none)"
                if shown is None
                else f"{shown}: give a number of shares from 0 to {MAX_SHARES:,}"
            )
            problems.append(
                Problem(source, None, columns.shares, f"{where}: {columns.shares} {what}")
            )
    return problems


def boxes(
    records: DataFrame,
    by: Sequence[str] | str = (),
    *,
    table: AllocationTable | None = None,
    tax_year: int | None = None,
    source: str = "records",
) -> DataFrame:
    """Form 1099-DIV boxes per group, class and tax year for a Spark DataFrame of records.

    ``by`` names the grouping columns (an account); ``tax_year`` is the year
    an undated record holds its shares in (default: the latest the table
    holds for the class); ``source`` names the records in messages. The
    result has the grouping columns, ``cusip``, ``tax_year`` and each box as
    ``DECIMAL(38, 9 + places)``, in no particular order. Collects the
    distinct keys (one job), and raises
    :class:`~xl_reit.errors.HoldingsFileError` if any record is bad.
    """
    columns = RecordColumns.find(records.columns, [by] if isinstance(by, str) else by, source)
    shares_column = _shares_column(columns, source)
    resolver = Resolver(columns, table, tax_year)
    shape = resolver.layout
    dollars = T.DecimalType(shape.digits + shape.places, shape.places)
    # A product's precision is the two precisions and one: keep it within 38.
    shares_type = _shares_type(records, shares_column, 37 - dollars.precision, source)
    shares = F.col(f"`{shares_column}`")
    capacity = min(MAX_SHARES, 10 ** (shares_type.precision - SHARE_PLACES) - 1)
    valid = F.coalesce((shares >= 0) & (shares <= capacity), F.lit(False))
    passed_over = F.coalesce(*(_cell(records, name) for name in columns.security)).isNull()
    prepared = records.filter(~(passed_over & shares.isNull())).select(
        *(F.col(f"`{name}`").alias(f"__g{index}") for index, name in enumerate(columns.by)),
        *(_cell(records, name).alias(f"__k{index}") for index, name in enumerate(columns.key)),
        F.when(valid, shares.cast(shares_type)).alias("__shares"),
        valid.alias("__valid"),
        shares.cast("string").alias("__shown"),
    )
    cells = [f"__k{index}" for index in range(len(columns.key))]
    counted = prepared.groupBy(*cells).agg(
        F.count(F.lit(1)), F.sum((~F.col("__valid")).cast("long"))
    )
    keys = [
        _Key(tuple(row[:-2]), resolver.meaning(tuple(row[:-2])), row[-2], row[-1])
        for row in counted.collect()
    ]
    problems = _problems(prepared, columns, keys, source)
    if problems:
        bad = sum(key.records if key.meaning.problem else key.bad_shares for key in keys)
        raise HoldingsFileError(
            problems, notes=[f"{source}: {_records(bad, 'bad ')}; no boxes are computed"]
        )
    targets = _targets(prepared, keys, dollars, len(shape.columns))
    return _added(prepared, targets, columns, shape.columns)


def _targets(
    prepared: DataFrame, keys: list[_Key], dollars: T.DecimalType, width: int
) -> DataFrame:
    """Each key's class-years and dollars per share, as a DataFrame small enough to broadcast."""
    cells = [field for field in prepared.schema.fields if field.name.startswith("__k")]
    schema = T.StructType(
        [
            *cells,
            T.StructField("cusip", T.StringType()),
            T.StructField("tax_year", T.IntegerType()),
            T.StructField("__unknown", T.LongType()),
            T.StructField("__lacking", T.LongType()),
            *(T.StructField(f"__d{index}", dollars) for index in range(width)),
        ]
    )
    rows = [
        (*key.cells, t.cusip, t.tax_year, t.unknown, t.lacking, *t.dollars)
        for key in keys
        for t in key.meaning.targets
    ]
    return prepared.sparkSession.createDataFrame(rows, schema)


def _added(
    prepared: DataFrame, targets: DataFrame, columns: RecordColumns, names: Sequence[str]
) -> DataFrame:
    """Join each record to its key's targets (broadcast) and add shares × dollars per box."""
    match = [
        prepared[f"__k{index}"].eqNullSafe(targets[f"__k{index}"])
        for index in range(len(columns.key))
    ]
    joined = prepared.filter("__valid").join(F.broadcast(targets), match)
    groups = [f"__g{index}" for index in range(len(columns.by))]
    held = F.when(F.col("__shares") > 0, F.col("__lacking")).otherwise(F.lit(0))
    added = joined.groupBy(*groups, *OUTPUT_COLUMNS).agg(
        F.bit_or(F.col("__unknown").bitwiseOR(held)).alias("__missing"),
        *(
            F.sum(F.col("__shares") * F.col(f"__d{index}")).alias(f"__s{index}")
            for index in range(len(names))
        ),
    )
    missing = F.col("__missing")
    return added.select(
        *(F.col(group).alias(name) for group, name in zip(groups, columns.by, strict=True)),
        *OUTPUT_COLUMNS,
        *(
            F.when(missing.bitwiseAND(1 << index) == 0, F.col(f"__s{index}")).alias(name)
            for index, name in enumerate(names)
        ),
    )
