"""Spark in local mode: boxes for a Spark DataFrame of records, in exact decimals.

Expected dollars are worked out by hand from the printed figures: Aimco Class
A pays $0.600 four times in 2004, 1.3268% qualified (box 1b) and 2.9856%
total ordinary (1a); STAG's payment of 2024-01-16 is split, $0.013268 of box
1a in 2023's release and $0.095919 in 2024's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from xl_reit.errors import HoldingsFileError
from xl_reit.table import bundled_table

pytestmark = pytest.mark.slow  # starts a JVM


def test_boxes_are_exact_decimals_worked_out_by_hand(spark: Any) -> None:
    from xl_reit.spark import boxes

    records = spark.createDataFrame(
        [
            ("A", "AIV", None, Decimal(100)),
            ("A", "STAG", dt.date(2023, 12, 29), Decimal(100)),
            ("B", "03748R-10-1", dt.date(2004, 2, 20), Decimal("10")),
            ("B", "AIV", None, Decimal("0.5")),
        ],
        "account string, cusip string, record_date date, shares decimal(18,4)",
    )
    # The undated AIV records are on 2004's form (Aimco's common is bundled for 2013 too).
    result = boxes(records, "account", table=bundled_table(), tax_year=2004)
    assert result.columns[:4] == ["account", "cusip", "tax_year", "box_1a"]
    assert dict(result.dtypes)["box_1a"] == "decimal(38,20)"  # 9 places of shares, 11 of dollars
    rows = {(r.account, r.cusip, r.tax_year): (r.box_1a, r.box_1b) for r in result.collect()}
    assert rows == {
        ("A", "03748R101", 2004): (Decimal("7.16544"), Decimal("3.18432")),
        # one payment split between two years: each year's part on its own form
        ("A", "85254J102", 2023): (Decimal("1.3268"), None),  # neither release prints
        ("A", "85254J102", 2024): (Decimal("9.5919"), None),  # qualified for this payment
        ("B", "03748R101", 2004): (Decimal("0.2149632"), Decimal("0.0955296")),
    }


def test_bad_records_are_named_and_nothing_is_computed(spark: Any) -> None:
    from xl_reit.spark import boxes

    records = spark.createDataFrame(
        [("A", "ZZZZ", 1), ("B", "ZZZZ", 2), ("C", "AIV", -1), ("D", None, None)],
        "account string, cusip string, shares int",
    )
    with pytest.raises(HoldingsFileError) as caught:
        boxes(records, "account", source="distributions")
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("distributions, column cusip: cusip 'ZZZZ' is not a CUSIP")
    assert lines[0].endswith("(2 records)")
    assert lines[1:] == [
        "distributions, column shares: account 'C': shares -1: give a number of shares from 0 "
        "to 1,000,000,000,000,000",
        "distributions: 3 bad records; no boxes are computed",
    ]


def test_a_float_shares_column_is_refused_as_inexact(spark: Any) -> None:
    from xl_reit.spark import boxes

    records = spark.createDataFrame([("A", "AIV", 1.5)], "account string, cusip string, qty double")
    with pytest.raises(HoldingsFileError, match="column qty: is double; give an exact type"):
        boxes(records, "account")
