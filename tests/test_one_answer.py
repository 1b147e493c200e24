"""One answer: the pure path, pandas, DuckDB and Spark give the same boxes, to the last digit.

The records are generated from a fixed seed (:mod:`bulk_dataset`): 150
accounts in two branches, every class-year of the bundled and the test
tables (a payment split between 2023 and 2024, annual totals only, Section
1061 disclosures, forms from 2004 to 2024), dated and undated records. The
reference is :func:`xl_reit.form1099.compute` fed the shares each record
holds, as the generator says it holds them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from bulk_dataset import (
    BY,
    Boxes,
    as_boxes,
    generate,
    reference,
    to_parquet,
    write_csv,
)

from xl_reit import bulk, cli, frames
from xl_reit.table import AllocationTable, bundled_table


@pytest.fixture(scope="module")
def table() -> AllocationTable:
    return bundled_table()


@pytest.fixture(scope="module")
def dataset(table: AllocationTable, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Boxes]:
    """The records as CSV, and the boxes the pure path gives for them."""
    records = generate(table)
    return write_csv(records, tmp_path_factory.mktemp("records") / "records.csv"), reference(
        records, table
    )


def test_the_dataset_holds_what_it_should(
    table: AllocationTable, dataset: tuple[Path, Boxes]
) -> None:
    _, expected = dataset
    assert {(cusip, year) for _, _, cusip, year in expected} == set(table.classes)
    assert ("85254J102", 2023) in table.classes and ("85254J102", 2024) in table.classes
    somewhere_none = {
        column for boxes in expected.values() for column, v in boxes.items() if v is None
    }
    assert "box_1b" in somewhere_none  # not printed is kept apart from 0
    assert len(expected) > 500


def test_pandas_gives_the_pure_paths_boxes(
    table: AllocationTable, dataset: tuple[Path, Boxes]
) -> None:
    source, expected = dataset
    records = pd.read_csv(source, dtype=str, keep_default_na=False)
    records["shares"] = records["shares"].map(Decimal)
    result = frames.boxes(records, list(BY), table=table)
    assert as_boxes(result.to_dict("records"), table) == expected


def test_duckdb_from_csv_gives_the_pure_paths_boxes(
    table: AllocationTable, dataset: tuple[Path, Boxes], tmp_path: Path
) -> None:
    source, expected = dataset
    bulk.write_boxes(source, BY, tmp_path / "boxes.parquet", table=table)
    rows = duckdb.sql(f"SELECT * FROM '{tmp_path / 'boxes.parquet'}'")
    assert (
        as_boxes((dict(zip(rows.columns, row, strict=True)) for row in rows.fetchall()), table)
        == expected
    )


def test_the_command_line_from_parquet_gives_the_pure_paths_boxes(
    table: AllocationTable, dataset: tuple[Path, Boxes], tmp_path: Path
) -> None:
    source, expected = dataset
    records = to_parquet(source, tmp_path / "records.parquet")
    code = cli.main(["1099", str(records), "--by", ",".join(BY), "-o", str(tmp_path / "b.parquet")])
    assert code == 0
    rows = duckdb.sql(f"SELECT * FROM '{tmp_path / 'b.parquet'}'")
    assert (
        as_boxes((dict(zip(rows.columns, row, strict=True)) for row in rows.fetchall()), table)
        == expected
    )


@pytest.mark.slow
def test_spark_gives_the_pure_paths_boxes(
    spark: Any, table: AllocationTable, dataset: tuple[Path, Boxes]
) -> None:
    from xl_reit.spark import boxes

    source, expected = dataset
    records = spark.read.csv(str(source), header=True).selectExpr(
        "account",
        "branch",
        "cusip",
        "to_date(`record date`) AS record_date",
        "to_date(`payable date`) AS payable_date",
        "CAST(shares AS DECIMAL(18, 4)) AS shares",
    )
    result = boxes(records, list(BY), table=table)
    assert as_boxes((row.asDict() for row in result.collect()), table) == expected
