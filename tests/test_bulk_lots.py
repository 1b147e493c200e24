"""Lots in bulk records: Acquired and Sold columns in CSV, Parquet and a DataFrame.

Worked by hand from STAG's printed 2024 figures: each payment of record date
2024-05-31 to 2024-11-29 (seven, ex-dates under T+1 the record dates
themselves) pays box 1a $0.110918 and box 3 $0.008724 a share. Account a
holds 100 shares bought 2024-05-30 (all seven: 100 × 7 × $0.110918 =
$77.6426 of box 1a, 100 × 7 × $0.008724 = $6.1068 of box 3) and 10 bought
on the ex-date 2024-05-31 (not that payment) and sold on the ex-date
2024-06-28 (that one still: 10 × $0.110918 = $1.10918, 10 × $0.008724 =
$0.08724): $78.75178 and $6.19404.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from xl_reit import bulk
from xl_reit.errors import HoldingsFileError

RECORDS = (
    "account,Symbol,Shares,Acquired,Sold\na,STAG,100,2024-05-30,\na,STAG,10,2024-05-31,2024-06-28\n"
)
BOX_1A, BOX_3 = "78.75178", "6.19404"


def _boxes(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as text:
        (row,) = csv.DictReader(text)
    return row


def test_lots_in_bulk_csv_hold_the_payments_of_their_ex_dates(tmp_path: Path) -> None:
    source = tmp_path / "records.csv"
    source.write_text(RECORDS, encoding="utf-8")
    bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv")
    row = _boxes(tmp_path / "boxes.csv")
    assert (row["tax_year"], row["box_1a"], row["box_3"]) == ("2024", BOX_1A, BOX_3)


def test_lots_in_parquet_with_date_columns_hold_the_same(tmp_path: Path) -> None:
    source = tmp_path / "records.parquet"
    duckdb.execute(
        "COPY (SELECT * FROM (VALUES ('a', 'STAG', 100, DATE '2024-05-30', NULL::DATE), "
        "('a', 'STAG', 10, DATE '2024-05-31', DATE '2024-06-28')) "
        "AS t(account, Symbol, Shares, Acquired, Sold)) "
        f"TO '{source}' (FORMAT parquet)"
    )
    bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv")
    row = _boxes(tmp_path / "boxes.csv")
    assert (row["box_1a"], row["box_3"]) == (BOX_1A, BOX_3)


def test_lots_in_a_dataframe_hold_the_same() -> None:
    pandas = pytest.importorskip("pandas")
    from xl_reit.frames import boxes

    records = pandas.DataFrame(
        {
            "account": ["a", "a"],
            "Symbol": ["STAG", "STAG"],
            "Shares": [100, 10],
            "Acquired": [dt.date(2024, 5, 30), dt.date(2024, 5, 31)],
            "Sold": [None, dt.date(2024, 6, 28)],
        }
    )
    (row,) = boxes(records, "account").itertuples(index=False)
    assert (row.box_1a, row.box_3) == (Decimal(BOX_1A), Decimal(BOX_3))


def test_a_sale_before_the_purchase_in_bulk_is_refused_by_row_and_column(tmp_path: Path) -> None:
    source = tmp_path / "records.csv"
    source.write_text(RECORDS + "b,STAG,100,2024-06-01,2024-05-01\n", encoding="utf-8")
    with pytest.raises(HoldingsFileError) as caught:
        bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv")
    assert (
        f"{source}, row 3, column 'Sold': 2024-05-01 is before the purchase on 2024-06-01"
        in str(caught.value)
    )
    assert not (tmp_path / "boxes.csv").exists()
