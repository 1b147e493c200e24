"""Dollars received (Amount) in bulk records: CSV and Parquet through DuckDB, and a DataFrame.

Every figure is worked by hand from the printed releases:

- Realty Income 2023 prints annual totals only: a dividend of $3.051 a share,
  of which $2.84345 total ordinary dividends (box 1a) and $0.20755 return of
  capital (box 3). $305.10 received is a hundred shares' dividend:
  305.10 × 2.84345 / 3.051 = $284.345 of box 1a and $20.755 of box 3;
  $61.02 is twenty shares': $56.869 and $4.151.
- STAG's 2023 payment of record date 2023-05-31: $0.1225 a share, of which
  box 1a $0.102579 (all of it section 199A, box 5), box 2a $0.019921, box 2b
  $0.00741. $12.25 is a hundred shares': box 1a $10.2579, 2a $1.9921, 2b
  $0.741. Its ex-date under T+2 is 2023-05-30, one business day before the
  record date; the Friday before it, 2023-05-26, is the last day a lot can be
  bought to receive it (Memorial Day, 2023-05-29, is no business day).
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from xl_reit import bulk
from xl_reit.errors import HoldingsFileError

REALTY_INCOME, STAG = "756109104", "85254J102"
BOXES = ("box_1a", "box_2a", "box_2b", "box_3")

RECORDS = (
    "account,Symbol,Shares,Amount,Record date,Acquired\n"
    "a,O,,305.10,,\n"
    "a,STAG,,$12.25,2023-05-31,\n"
    "b,O,,61.02,,\n"
    "b,STAG,100,12.25,2023-05-31,\n"  # both, and they agree: the shares count
    "c,STAG,,12.25,2023-05-31,2023-05-26\n"  # a lot bought before the ex-date
)
#: (account, cusip) → box 1a, box 2a, box 2b, box 3, as worked above.
EXPECTED = {
    ("a", REALTY_INCOME): ("284.345", "0", "0", "20.755"),
    ("a", STAG): ("10.2579", "1.9921", "0.741", "0"),
    ("b", REALTY_INCOME): ("56.869", "0", "0", "4.151"),
    ("b", STAG): ("10.2579", "1.9921", "0.741", "0"),
    ("c", STAG): ("10.2579", "1.9921", "0.741", "0"),
}


def _rows(path: Path) -> dict[tuple[str, str], tuple[str, ...]]:
    with path.open(encoding="utf-8", newline="") as text:
        return {
            (row["account"], row["cusip"]): (
                row["box_1a"],
                row["box_2a"],
                row["box_2b"],
                row["box_3"],
            )
            for row in csv.DictReader(text)
        }


def test_amounts_in_bulk_csv_give_each_figures_fraction_of_the_dollars(tmp_path: Path) -> None:
    source = tmp_path / "records.csv"
    source.write_text(RECORDS, encoding="utf-8")
    summary = bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv")
    assert (summary.records, summary.bad) == (5, 0)
    assert _rows(tmp_path / "boxes.csv") == EXPECTED


def test_amounts_in_parquet_as_decimals_floats_and_text_give_the_same(tmp_path: Path) -> None:
    source = tmp_path / "records.parquet"
    duckdb.execute(
        "COPY (SELECT * FROM (VALUES "
        "('a', 'O', NULL::DECIMAL(10, 2), 305.10::DECIMAL(10, 2), NULL::DATE), "
        "('a', 'STAG', NULL, 12.25, DATE '2023-05-31'), "
        "('b', 'O', NULL, 61.02, NULL), "
        "('b', 'STAG', 100, 12.25, DATE '2023-05-31')) "
        'AS t(account, Symbol, Shares, Amount, "Record date")) '
        f"TO '{source}' (FORMAT parquet)"
    )
    bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv")
    expected = {key: value for key, value in EXPECTED.items() if key[0] != "c"}
    assert _rows(tmp_path / "boxes.csv") == expected
    # The same records with the amount a DOUBLE: 305.1 as Python prints it is $305.10.
    floats = tmp_path / "floats.parquet"
    duckdb.execute(
        f"COPY (SELECT account, Symbol, Shares, CAST(Amount AS DOUBLE) AS Amount, "
        f"\"Record date\" FROM '{source}') TO '{floats}' (FORMAT parquet)"
    )
    bulk.write_boxes(floats, ["account"], tmp_path / "floats.csv")
    assert _rows(tmp_path / "floats.csv") == expected


def test_parquet_boxes_of_amounts_are_exact_decimals(tmp_path: Path) -> None:
    source = tmp_path / "records.csv"
    source.write_text("Symbol,Amount\nO,305.10\nO,61.02\n", encoding="utf-8")
    bulk.write_boxes(source, [], tmp_path / "boxes.parquet")
    ((box_1a, box_3),) = duckdb.execute(
        f"SELECT box_1a, box_3 FROM '{tmp_path / 'boxes.parquet'}'"
    ).fetchall()
    # 366.12 received: 120 shares' dividend, 120 × $2.84345 and 120 × $0.20755.
    assert (box_1a, box_3) == (Decimal("341.214"), Decimal("24.906"))


def test_an_amount_only_file_needs_no_shares_column(tmp_path: Path) -> None:
    source = tmp_path / "records.csv"
    source.write_text("account,CUSIP,Dollars received\nx,756109104,305.10\n", encoding="utf-8")
    bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv")
    assert _rows(tmp_path / "boxes.csv") == {("x", REALTY_INCOME): ("284.345", "0", "0", "20.755")}


BAD = (
    "account,Symbol,Shares,Amount,Record date,Acquired,Sold\n"
    "a,O,,305.10,,,\n"
    "b,O,,-5,,,\n"
    "c,STAG,100,12.27,2023-05-31,,\n"
    "d,STAG,,12.25,,,\n"
    "e,STAG,,12.25,2023-05-31,2023-05-30,\n"
    "f,STAG,10,,,2024-06-01,2024-05-01\n"
    "g,O,,,,,\n"
    "h,O,,twelve,,,\n"
)


def _problems(error: HoldingsFileError, source: Path) -> list[str]:
    return [line.removeprefix(f"{source}, ") for line in str(error).splitlines()]


def test_bad_amounts_in_bulk_are_refused_by_file_row_and_column(tmp_path: Path) -> None:
    source = tmp_path / "records.csv"
    source.write_text(BAD, encoding="utf-8")
    with pytest.raises(HoldingsFileError) as caught:
        bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv")
    problems = _problems(caught.value, source)
    assert problems[0] == (
        "row 2, column 'Amount': Amount '-5' is negative; give the dollars as a number, 0 or more"
    )
    assert problems[1].startswith(
        "row 3, column 'Amount': 12.27 disagrees with the shares: 100 shares × the dividend $0.1225"
    )
    assert "= $12.25; give one of them, or correct either" in problems[1]
    assert problems[2].startswith(
        "row 4, column 'Amount': 12.25 is the dollars received for one payment, but the record "
        "holds 13 payments"
    )
    # Bought on the ex-date: the lot holds no payment for the dollars to be received on.
    assert problems[3].startswith("row 5, column 'Amount': 12.25 is the dollars received for one")
    assert "the record holds 0 payments" in problems[3]
    assert problems[4].startswith(
        "row 6, column 'Sold': 2024-05-01 is before the purchase on 2024-06-01"
    )
    assert problems[5] == (
        "row 7, column 'Shares': Shares and Amount are blank; give the shares held or the "
        "dollars received"
    )
    assert problems[6].startswith("row 8, column 'Amount': Amount 'twelve': give the dollars")
    assert problems[7] == f"{source}: 7 bad records; nothing written (--skip-bad leaves them " + (
        "out and writes them to a rejects file beside the output)"
    )
    assert not (tmp_path / "boxes.csv").exists()


def test_skip_bad_writes_bad_amounts_to_the_rejects_file(tmp_path: Path) -> None:
    source = tmp_path / "records.csv"
    source.write_text(BAD, encoding="utf-8")
    summary = bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv", skip_bad=True)
    assert (summary.records, summary.bad) == (1, 7)
    assert _rows(tmp_path / "boxes.csv") == {("a", REALTY_INCOME): ("284.345", "0", "0", "20.755")}
    with (tmp_path / "boxes.rejects.csv").open(encoding="utf-8", newline="") as text:
        rejects = list(csv.DictReader(text))
    assert [(row["row"], row["column"], row["account"]) for row in rejects] == [
        ("2", "Amount", "b"),
        ("3", "Amount", "c"),
        ("4", "Amount", "d"),
        ("5", "Amount", "e"),
        ("6", "Sold", "f"),
        ("7", "Shares", "g"),
        ("8", "Amount", "h"),
    ]


def test_a_negative_decimal_amount_in_parquet_is_refused_by_row_and_column(tmp_path: Path) -> None:
    source = tmp_path / "records.parquet"
    duckdb.execute(
        "COPY (SELECT * FROM (VALUES ('O', 305.10::DECIMAL(10, 2)), ('O', -5.00)) "
        f"AS t(Symbol, Amount)) TO '{source}' (FORMAT parquet)"
    )
    with pytest.raises(HoldingsFileError) as caught:
        bulk.write_boxes(source, [], tmp_path / "boxes.csv")
    assert _problems(caught.value, source)[0] == (
        "row 2, column 'Amount': Amount -5.00 is negative; give the dollars as a number, 0 or more"
    )


def test_amounts_in_a_dataframe_give_the_same_boxes() -> None:
    pandas = pytest.importorskip("pandas")
    import datetime as dt

    from xl_reit.frames import boxes

    records = pandas.DataFrame(
        {
            "account": ["a", "a", "b", "b", "c"],
            "Symbol": ["O", "STAG", "O", "STAG", "STAG"],
            "Shares": [None, None, None, 100, None],
            "Amount": [305.10, "$12.25", Decimal("61.02"), 12.25, 12.25],
            "Record date": [None, "2023-05-31", None, "2023-05-31", "2023-05-31"],
            "Acquired": [None, None, None, None, dt.date(2023, 5, 26)],
        }
    )
    found = {
        (row.account, row.cusip): (row.box_1a, row.box_2a, row.box_2b, row.box_3)
        for row in boxes(records, "account").itertuples(index=False)
    }
    assert found == {
        key: tuple(Decimal(value) for value in values) for key, values in EXPECTED.items()
    }


def test_bad_amounts_in_a_dataframe_are_named_by_row_and_column() -> None:
    pandas = pytest.importorskip("pandas")
    from xl_reit.frames import boxes

    records = pandas.DataFrame(
        {
            "Symbol": ["O", "STAG", "O", "STAG"],
            "Shares": [None, 100, None, 10],
            "Amount": [-5, 12.27, None, None],
            "Record date": [None, "2023-05-31", None, None],
            "Acquired": [None, None, None, "2024-06-01"],
            "Sold": [None, None, None, "2024-05-01"],
        }
    )
    with pytest.raises(HoldingsFileError) as caught:
        boxes(records, source="frame")
    lines = str(caught.value).splitlines()
    assert lines[0] == (
        # a column with a blank is float64 in pandas: -5.0 is the value it holds
        "frame, row 1, column 'Amount': Amount -5.0 is negative; give the dollars as a number, "
        "0 or more"
    )
    assert lines[1].startswith("frame, row 2, column 'Amount': 12.27 disagrees with the shares")
    assert lines[2] == (
        "frame, row 3, column 'Shares': Shares and Amount are blank; give the shares held or "
        "the dollars received"
    )
    assert lines[3].startswith(
        "frame, row 4, column 'Sold': 2024-05-01 is before the purchase on 2024-06-01"
    )


def test_an_amount_on_a_payment_split_between_tax_years_gives_each_year_its_part(
    tmp_path: Path,
) -> None:
    # STAG's payment of record date 2023-12-29 is $0.1225 a share: $0.015845 in 2023's
    # release (box 1a $0.013268) and $0.106655 in 2024's (box 1a $0.095919, box 3
    # $0.007544). $12.25 is a hundred shares': 1.3268 in 2023; 9.5919 and 0.7544 in 2024.
    source = tmp_path / "records.csv"
    source.write_text("account,Symbol,Amount,Record date\na,STAG,12.25,2023-12-29\n")
    bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv")
    with (tmp_path / "boxes.csv").open(encoding="utf-8", newline="") as text:
        found = {row["tax_year"]: (row["box_1a"], row["box_3"]) for row in csv.DictReader(text)}
    assert found == {"2023": ("1.3268", "0"), "2024": ("9.5919", "0.7544")}


@pytest.mark.slow  # starts a JVM
def test_spark_refuses_an_amount_column_rather_than_ignore_it(spark: object) -> None:
    from xl_reit.spark import boxes

    records = spark.createDataFrame(  # type: ignore[attr-defined]
        [("a", "O", 305.10)], "account string, Symbol string, Amount double"
    )
    with pytest.raises(HoldingsFileError, match="column 'Amount': dollars received are not read"):
        boxes(records, "account")
