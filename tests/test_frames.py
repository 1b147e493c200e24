"""pandas in and out: the allocation table as a DataFrame, boxes for a DataFrame of records.

Expected dollars are worked out by hand from the printed figures: Aimco's
2004 payments split 1.3268% qualified (box 1b) and 2.9856% total ordinary
(1a); Class A pays $0.600 four times, Class G $0.5859375 four times.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from xl_reit.errors import HoldingsFileError
from xl_reit.frames import allocation_table, boxes
from xl_reit.table import bundled_table

from release_2004 import aimco_table


def test_the_allocation_table_has_a_row_per_payment_with_each_box_exact() -> None:
    frame = allocation_table(aimco_table())
    assert len(frame) == 27  # Aimco's 27 payments of 2004
    first = frame.iloc[0]
    assert (first.symbol, first.record_date, first.payable_date) == (
        "AIV",
        pd.Timestamp("2004-02-20"),
        pd.Timestamp("2004-02-27"),
    )
    assert first.box_1b_fraction == Decimal("0.013268")
    assert first.box_1b_dollars == Decimal("0.0079608")  # $0.600 × 1.3268%
    assert first.box_1a_dollars == Decimal("0.0179136")  # $0.600 × 2.9856%
    assert frame.box_1b_dollars.dtype == object  # Decimals, not floats


def test_a_split_payment_has_a_row_in_each_tax_year_and_annual_totals_one_row() -> None:
    frame = allocation_table(bundled_table(), text=True)
    split = frame[(frame.symbol == "STAG") & (frame.payable_date == "2024-01-16")]
    assert split[["tax_year", "other_tax_year", "box_1a_dollars"]].values.tolist() == [
        [2023, 2024, "0.013268"],
        [2024, 2023, "0.095919"],
    ]
    [realty] = frame[frame.symbol == "O"].itertuples()
    assert realty.all_year and pd.isna(realty.record_date)
    assert realty.box_1a_dollars == "2.8434500"
    assert pd.isna(realty.box_1b_dollars)  # Realty Income prints no qualified dividends
    assert pd.isna(realty.box_5_dollars) and pd.isna(realty.box_5_fraction)


def test_boxes_for_records_keep_the_grouping_columns() -> None:
    records = pd.DataFrame(
        {
            "Branch": ["east", "east", "west", "west"],
            "Account": ["A1", "A1", "A1", "A2"],
            "CUSIP": ["03748R-10-1", "AIVPrG", "AIV", "AIV"],
            "Record date": [None, None, "2004-02-20", "2004-02-20"],
            "Shares": [100, "250", Decimal("10"), 0.5],
        }
    )
    result = boxes(records, ["Branch", "Account"], table=aimco_table())
    assert list(result.columns) == [
        "Branch",
        "Account",
        "cusip",
        "tax_year",
        "box_1a",
        "box_1b",
        "box_2a",
        "box_2b",
        "box_3",
    ]
    rows = {(r.Branch, r.Account, r.cusip): (r.box_1a, r.box_1b) for r in result.itertuples()}
    assert rows == {
        # 100 × 4 × $0.600 × 2.9856% and × 1.3268%
        ("east", "A1", "03748R101"): (Decimal("7.16544"), Decimal("3.18432")),
        # 250 × 4 × $0.5859375 × 2.9856% and × 1.3268%
        ("east", "A1", "03748R408"): (Decimal("17.49375"), Decimal("7.77421875")),
        # one payment of $0.600: 10 shares, then half a share
        ("west", "A1", "03748R101"): (Decimal("0.179136"), Decimal("0.079608")),
        ("west", "A2", "03748R101"): (Decimal("0.0089568"), Decimal("0.0039804")),
    }


def test_records_add_up_and_a_group_may_be_blank() -> None:
    records = pd.DataFrame(
        {
            "account": [None, None, "A"],
            "cusip": ["AIV", "AIV", "AIV"],
            "shares": [60, 40, 0],
        }
    )
    result = boxes(records, "account", text=True, tax_year=2004)  # AIV has 2013 too
    assert result.isna().account.tolist() == [True, False]
    assert result.box_1b.tolist() == ["3.1843200", "0.0000000"]


def test_a_box_the_release_does_not_print_is_none_never_zero() -> None:
    records = pd.DataFrame({"account": ["A", "B"], "symbol": ["O", "SPG"], "qty": [100, 100]})
    result = boxes(records, "account", table=bundled_table()).set_index("account")
    assert result.box_1a["A"] == Decimal("284.34500")  # 100 × $2.8434500, held all year
    assert result.box_1b["A"] is None  # Realty Income prints no qualified dividends
    # Simon: 100 × ($0.005440 + $0.005591 + $0.005742 + $0.005742)
    assert result.box_2f["B"] == Decimal("2.2515")


def test_bad_records_are_named_by_row_and_column_and_nothing_is_computed() -> None:
    records = pd.DataFrame(
        {
            "account": ["A", "B", "C", "D", "E"],
            "cusip": ["AIV", "ZZZZ", "AIV", None, "AIV"],
            "record date": [None, None, "2004-02-21", None, None],
            "shares": [1, 1, 1, None, "-5"],
        }
    )
    with pytest.raises(HoldingsFileError) as caught:
        boxes(records, "account", source="book")
    lines = str(caught.value).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "book, row 2, column cusip",
        "book, row 3, column 'record date'",
        "book, row 5, column shares",
    ]
    assert "paid nothing on that date" in lines[1]
