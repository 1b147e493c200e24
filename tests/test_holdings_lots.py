"""Lots (Acquired, Sold), dollars received (Amount), a lot's Cost, and one tax year per form.

Every expected figure is worked by hand from the printed figures named beside
it; the ex-dividend dates from the calendar (see tests/test_settlement.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from xl_reit.errors import HoldingsFileError, XlReitError
from xl_reit.form1099 import compute
from xl_reit.holdings import Holdings, parse_rows, read_holdings
from xl_reit.table import AllocationTable

from holdings_support import write, xlsx_bytes

D = dt.date.fromisoformat
STAG = "85254J102"
REALTY_INCOME = "756109104"

_HEAD = (
    "issuer,tax_year,class_name,cusip,symbol,row_kind,record_date,payable_date,"
    "dividend_per_share,total_ordinary,return_of_capital,source,release_date,notes\n"
)
#: A made-up class paying $1.00 a share ($0.80 box 1a, $0.20 box 3) on record dates in each
#: settlement era, each the day after a holiday or over one (tax year, record, payable).
_PAYMENTS = [
    (2004, "2004-02-18", "2004-03-01"),  # T+3, ex 2004-02-13 (Presidents' Day 02-16)
    (2023, "2023-11-24", "2023-12-08"),  # T+2, ex 2023-11-22 (Thanksgiving 11-23)
    (2024, "2024-11-29", "2024-12-13"),  # T+1, ex 2024-11-29 (Thanksgiving 11-28)
]


def _lot_table() -> AllocationTable:
    return AllocationTable.from_texts(
        [
            (
                f"lot-{year}.csv",
                _HEAD
                + f"Lot Test Trust,{year},Common Stock,037833100,LOT,payment,{record},{payable},"
                "$1.000000,$0.800000,$0.200000,made-up table for tests,,\n",
            )
            for year, record, payable in _PAYMENTS
        ]
    )


def _read(rows: list[list[object]], table: AllocationTable | None = None) -> Holdings:
    lines = list(enumerate(rows, 1))
    return parse_rows(lines, "lots.csv", table, every_year=True)


def _box(holdings: Holdings, tax_year: int, key: str, table: AllocationTable) -> Decimal | None:
    (form,) = compute(
        holdings.for_year(tax_year, table).classes, holdings.shares_for, holdings.amount_for
    )
    return form.total[key]


@pytest.mark.parametrize(
    ("tax_year", "day_before", "ex_date"),
    [
        (2004, "2004-02-12", "2004-02-13"),  # T+3
        (2023, "2023-11-21", "2023-11-22"),  # T+2
        (2024, "2024-11-27", "2024-11-29"),  # T+1: 11-28 is Thanksgiving, 11-27 the day before
    ],
)
def test_a_lot_bought_the_day_before_the_ex_date_receives_the_payment_one_bought_on_it_not(
    tax_year: int, day_before: str, ex_date: str
) -> None:
    table = _lot_table()
    holdings = _read(
        [["Symbol", "Shares", "Acquired", "Account"], ["LOT", 100, day_before, "a"]], table
    )
    assert _box(holdings, tax_year, "1a", table) == Decimal("80")  # 100 × $0.80
    holdings = _read(
        [["Symbol", "Shares", "Acquired", "Account"], ["LOT", 100, ex_date, "a"]], table
    )
    assert _box(holdings, tax_year, "1a", table) == Decimal(0)


def test_a_lot_sold_on_the_ex_date_receives_the_payment_and_one_sold_before_it_not() -> None:
    table = _lot_table()
    holdings = _read(
        [
            ["Symbol", "Shares", "Acquired", "Sold"],
            ["LOT", 10, "2023-01-03", "2023-11-22"],  # sold on the ex-date: receives
            ["LOT", 7, "2023-01-03", "2023-11-21"],  # sold the day before: does not
        ],
        table,
    )
    assert _box(holdings, 2023, "3", table) == Decimal("2")  # 10 × $0.20


def test_the_output_says_which_rule_placed_each_lot() -> None:
    table = _lot_table()
    (lot,) = _read([["Symbol", "Shares", "Acquired"], ["LOT", 1, "2023-11-21"]], table).lots
    rules = {
        payment.tax_year: (placement.rule, held)
        for payment, placement, held in (lot.terms.placements)
    }
    assert rules[2023] == ("ex-date 2023-11-22 from record date 2023-11-24 under T+2", True)
    assert rules[2004] == ("ex-date 2004-02-13 from record date 2004-02-18 under T+3", False)
    assert rules[2024] == ("ex-date 2024-11-29 from record date 2024-11-29 under T+1", True)


def test_an_amount_only_line_on_realty_incomes_annual_table_gives_its_boxes() -> None:
    # Realty Income 2023 prints annual totals only: a dividend of $3.051 a share, of which
    # $2.84345 (93.197%) total ordinary dividends and $0.20755 (6.803%) return of capital.
    # $305.10 received is a hundred shares' dividend: $284.345 and $20.755; $61.02, twenty.
    for received, box_1a, box_3 in (("305.10", "284.345", "20.755"), ("61.02", "56.869", "4.151")):
        holdings = _read([["Symbol", "Amount"], ["O", received]])
        (form,) = compute(holdings.for_year(None).classes, holdings.shares_for, holdings.amount_for)
        (line,) = form.lines
        assert line.security.cusip == REALTY_INCOME
        assert line.amounts["1a"] == Decimal(box_1a)
        assert line.amounts["3"] == Decimal(box_3)


def test_an_amount_on_one_dated_payment_gives_that_payments_boxes() -> None:
    # STAG's payment of record date 2023-05-31: $0.1225 a share, box 1a $0.102579 a share;
    # $12.25 received is a hundred shares': box 1a $10.2579.
    holdings = _read([["Symbol", "Amount", "Record date"], ["STAG", "$12.25", "2023-05-31"]])
    (form,) = compute(holdings.for_year(None).classes, holdings.shares_for, holdings.amount_for)
    assert form.total["1a"] == Decimal("10.2579")


def test_shares_and_an_amount_that_agree_to_the_cent_are_accepted(tmp_path: Path) -> None:
    # 100 shares × $0.1225 = $12.25; $12.255 is within the cent, $12.27 is not.
    path = write(tmp_path, "Symbol,Shares,Amount,Record date\nSTAG,100,12.255,2023-05-31\n")
    assert read_holdings(path).shares_for is not None
    path = write(tmp_path, "Symbol,Shares,Amount,Record date\nSTAG,100,12.27,2023-05-31\n")
    with pytest.raises(HoldingsFileError) as caught:
        read_holdings(path)
    message = str(caught.value)
    assert "/holdings.csv, line 2, column 'Amount': 12.27 disagrees with the shares" in message
    assert "100 shares × the dividend $0.122500 = $12.25" in message


def test_bad_lot_values_are_refused_by_file_line_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Symbol,Shares,Amount,Acquired,Sold,Cost\n"
        "STAG,100,,2024-03-01,2024-02-01,\n"
        "O,,-5,,,\n"
        "STAG,10,,2023-01-05,,-3\n"
        "STAG,10,,someday,,\n",
    )
    with pytest.raises(HoldingsFileError) as caught:
        read_holdings(path)
    lines = [line.removeprefix(str(tmp_path) + "/") for line in str(caught.value).splitlines()]
    assert lines[0].startswith(
        "holdings.csv, line 2, column 'Sold': 2024-02-01 is before the purchase on 2024-03-01"
    )
    assert lines[1].startswith("holdings.csv, line 3, column 'Amount': Amount '-5' is negative")
    assert lines[2].startswith("holdings.csv, line 4, column 'Cost': Cost '-3' is negative")
    assert lines[3].startswith("holdings.csv, line 5, column 'Acquired':")


def test_lot_columns_are_read_from_a_workbook_as_from_csv(tmp_path: Path) -> None:
    path = tmp_path / "lots.xlsx"
    path.write_bytes(
        xlsx_bytes(
            ["Symbol", "Shares", "Date acquired", "Date sold", "Cost basis"],
            ["STAG", 100.0, dt.datetime(2023, 3, 15), dt.datetime(2024, 6, 15), 3000.0],
            ["O", None, None, None, None],
        )
    )
    with pytest.raises(HoldingsFileError, match="line 3"):
        read_holdings(path, every_year=True)
    path.write_bytes(
        xlsx_bytes(
            ["Symbol", "Shares", "Date acquired", "Date sold", "Cost basis", "Amount"],
            ["STAG", 100.0, dt.datetime(2023, 3, 15), dt.datetime(2024, 6, 15), 3000.0, None],
            ["O", None, None, None, None, 61.02],
        )
    )
    holdings = read_holdings(path, every_year=True)
    (lot,) = holdings.lots
    assert (lot.terms.acquired, lot.terms.sold, lot.terms.cost) == (
        D("2023-03-15"),
        D("2024-06-15"),
        Decimal("3000.0"),
    )
    assert holdings.amounts == {(REALTY_INCOME, 2023, 2023): Decimal("61.02")}


def test_one_form_holds_one_tax_year_and_a_mix_is_an_error_naming_the_years() -> None:
    mixed = _read(
        [
            ["Symbol", "Shares", "Record date"],
            ["STAG", 100, "2023-05-31"],
            ["STAG", 100, "2024-05-31"],
        ]
    )
    with pytest.raises(XlReitError) as caught:
        mixed.for_year(None)
    assert "mix tax years (Common Stock (STAG): 2023, 2024)" in str(caught.value)
    assert "give --year" in str(caught.value)
    # STAG has 2020, 2023 and 2024, W. P. Carey 2023 and 2024, Simon 2023: the one year all have.
    undated = _read([["Symbol", "Shares"], ["STAG", 1], ["SPG", 1], ["WPC", 1]])
    assert {s.tax_year for s in undated.for_year(None).classes} == {2023}
    alone = _read([["Symbol", "Shares"], ["STAG", 1]])
    with pytest.raises(XlReitError, match="tax year 2020 or 2023 or 2024"):  # STAG's releases
        alone.for_year(None)
    assert {s.tax_year for s in alone.for_year(2024).classes} == {2024}
    with pytest.raises(XlReitError, match="tax year 2024: no table for Common Stock \\(SPG\\)"):
        undated.for_year(2024)


def test_an_amount_beyond_any_holding_is_refused_not_overflowed(tmp_path: Path) -> None:
    path = write(tmp_path, "Symbol,Amount\nO,1e999999\n")
    with pytest.raises(HoldingsFileError, match="column 'Amount': Amount '1e999999' is not an"):
        read_holdings(path)


def test_an_amount_on_the_one_loaded_part_of_a_split_payment_counts_only_that_part() -> None:
    # A made-up payment of $1.00 a share, $0.75 of it in 2024 (box 1a $0.60, box 3 $0.15)
    # and the rest in 2023, whose table is not loaded. $100 received is a hundred shares':
    # 2024's form gets 100 × $0.60 = $60 and 100 × $0.15 = $15, not the whole $100's split.
    head = (
        "issuer,tax_year,class_name,cusip,symbol,row_kind,record_date,payable_date,"
        "dividend_per_share,distribution,other_tax_year,total_ordinary,return_of_capital,"
        "source,release_date,notes\n"
    )
    table = AllocationTable.from_texts(
        [
            (
                "split.csv",
                head + "Split Trust,2024,Common Stock,037833100,SPL,payment,2023-12-29,"
                "2024-01-16,$0.750000,$1.000000,2023,$0.600000,$0.150000,made-up,,\n",
            )
        ]
    )
    holdings = _read([["Symbol", "Amount", "Record date"], ["SPL", "100", "2023-12-29"]], table)
    assert _box(holdings, 2024, "1a", table) == Decimal(60)
    assert _box(holdings, 2024, "3", table) == Decimal(15)


def test_an_amount_of_nothing_received_holds_nothing() -> None:
    holdings = _read([["Symbol", "Amount"], ["O", "0"]])
    assert holdings.amounts == {}
    assert [s.cusip for s in holdings.for_year(None).classes] == [REALTY_INCOME]


def test_bad_lot_values_in_a_workbook_are_refused_by_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "lots.xlsx"
    path.write_bytes(
        xlsx_bytes(
            ["Symbol", "Shares", "Amount", "Record date", "Acquired", "Sold"],
            ["STAG", 100.0, None, None, dt.datetime(2024, 3, 1), dt.datetime(2024, 2, 1)],
            ["O", None, -5.0, None, None, None],
            ["STAG", 100.0, 12.27, dt.datetime(2023, 5, 31), None, None],
        )
    )
    with pytest.raises(HoldingsFileError) as caught:
        read_holdings(path)
    lines = [line.removeprefix(str(tmp_path) + "/") for line in str(caught.value).splitlines()]
    assert lines[0].startswith(
        "lots.xlsx, line 2, column 'Sold': 2024-02-01 is before the purchase on 2024-03-01"
    )
    assert lines[1].startswith("lots.xlsx, line 3, column 'Amount': Amount -5 is negative")
    assert lines[2].startswith(
        "lots.xlsx, line 4, column 'Amount': 12.27 disagrees with the shares"
    )
