"""Payments printed with their payable date only: no record date, keyed by the payable date.

The table below is typed from UMH Properties' release of its 2017 distributions
(tests/releases/corpus/umh-2017.txt): its common stock (CUSIP 903002103) paid
$0.18 a share on 2017-03-15, 06-15, 09-15 and 12-15, all of it return of
capital (box 3), and the release prints no record date. Each expected figure
is worked by hand from those: 100 shares on one payment receive 100 × $0.18 =
$18.00 of box 3.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from xl_reit import bulk, cli, lookup
from xl_reit.errors import DataFileError, HoldingsFileError, NoPaymentError
from xl_reit.form1099 import compute
from xl_reit.holdings import Holdings, parse_rows
from xl_reit.table import AllocationTable, set_default_table

UMH = "903002103"
HEADER = (
    "issuer,tax_year,class_name,cusip,symbol,row_kind,record_date,payable_date,"
    "dividend_per_share,total_ordinary,return_of_capital,source,release_date,notes\n"
)
ROWS = "".join(
    f"UMH Properties,2017,Common,{UMH},UMH,payment,,2017-{month}-15,"
    "0.180000,$0.000000,$0.180000,UMH 2017 release,2018-01-31,\n"
    for month in ("03", "06", "09", "12")
)
VALID = (
    "2017-03-15 (payable; no record date printed), 2017-06-15 (payable; no record date "
    "printed), 2017-09-15 (payable; no record date printed), 2017-12-15 (payable; no "
    "record date printed)"
)


@pytest.fixture(autouse=True)
def _bundled_table() -> Iterator[None]:
    yield
    set_default_table(None)  # the CLI's --table replaces the default table


@pytest.fixture
def table() -> AllocationTable:
    return AllocationTable.from_texts([("umh-2017.csv", HEADER + ROWS)])


def test_a_table_file_may_leave_a_payments_record_date_blank(table: AllocationTable) -> None:
    (security,) = table.classes.values()
    assert [p.payable_date for p in security.payments] == [
        dt.date(2017, 3, 15),
        dt.date(2017, 6, 15),
        dt.date(2017, 9, 15),
        dt.date(2017, 12, 15),
    ]
    assert {p.record_date for p in security.payments} == {None}
    assert security.annual.dividend_per_share == Decimal("0.720000")  # 4 × $0.18
    assert not security.by_record


def test_still_one_row_per_payment_date() -> None:
    twice = ROWS.splitlines(keepends=True)[0] * 2
    with pytest.raises(DataFileError) as caught:
        AllocationTable.from_texts([("twice.csv", HEADER + twice)])
    assert "payable_date" in str(caught.value)
    assert f"CUSIP {UMH} already has a payment with payable_date 2017-03-15" in str(caught.value)


def test_a_payment_row_still_needs_its_payable_date() -> None:
    undated = ROWS.replace(",2017-03-15,", ",,", 1)
    with pytest.raises(
        DataFileError, match="line 2, column payable_date: is blank; give an ISO date"
    ):
        AllocationTable.from_texts([("undated.csv", HEADER + undated)])


def test_a_lookup_by_date_finds_the_payable_date(table: AllocationTable) -> None:
    assert lookup.dividend(UMH, "2017-06-15", table) == Decimal("0.180000")
    assert lookup.allocation(UMH, "2017-06-15", "3", table) == 1
    assert lookup.amount(UMH, dt.date(2017, 6, 15), "return_of_capital", 100, table) == Decimal(
        "18.000000"
    )


def test_a_date_that_is_no_payable_date_says_which_are(table: AllocationTable) -> None:
    with pytest.raises(NoPaymentError) as caught:
        lookup.dividend(UMH, "2017-02-15", table)
    assert str(caught.value) == (
        f"payment_date 2017-02-15: Common (UMH, 903002-10-3) paid nothing on that date; its "
        f"payments: {VALID}; or 'annual'"
    )


def test_a_record_date_cannot_name_a_payment_printed_without_one(table: AllocationTable) -> None:
    with pytest.raises(NoPaymentError) as caught:
        lookup.find_payment(UMH, "2017-03-15", table, "record")
    assert str(caught.value) == (
        "payment_date 2017-03-15 is given as a record date, but the release for Common (UMH, "
        "903002-10-3) prints payable dates only (no record date), so no record date can name "
        f"its payments: give the payable date of the payment held instead: {VALID}"
    )


def _holdings(table: AllocationTable, column: str, day: str) -> Holdings:
    """A holdings file of one line: 100 UMH shares, ``day`` in ``column``."""
    lines = [["Symbol", "Shares", column], ["UMH", 100, day]]
    return parse_rows(list(enumerate(lines, 1)), "holdings.csv", table)


def _refusal(table: AllocationTable, column: str, day: str) -> str:
    with pytest.raises(HoldingsFileError) as caught:
        _holdings(table, column, day)
    return str(caught.value)


def test_a_holdings_line_by_payable_date_holds_that_payment(table: AllocationTable) -> None:
    holdings = _holdings(table, "Payable date", "2017-06-15")
    (form,) = compute(holdings.for_year(2017, table).classes, holdings.shares_for)
    assert form.total["3"] == Decimal("18")  # 100 × $0.18


def test_a_holdings_line_by_record_date_is_refused_saying_why(table: AllocationTable) -> None:
    message = _refusal(table, "Record date", "2017-02-15")
    assert "line 2, column 'Record date'" in message
    assert "prints payable dates only (no record date)" in message
    assert "give the payable date of the payment held instead" in message


def test_a_lot_cannot_be_placed_on_a_payment_without_its_record_date(
    table: AllocationTable,
) -> None:
    message = _refusal(table, "Acquired", "2017-05-01")
    assert "column 'Acquired'" in message
    assert (
        "the release for Common (UMH), tax year 2017, prints no record date for the payment "
        "of 2017-03-15 (payable dates only) and no ex-dividend date"
    ) in message


def test_a_lot_in_bulk_records_is_refused_the_same_way(
    table: AllocationTable, tmp_path: Path
) -> None:
    source = tmp_path / "records.csv"
    source.write_text("account,Symbol,Shares,Acquired\na,UMH,100,2017-05-01\n", encoding="utf-8")
    with pytest.raises(HoldingsFileError) as caught:
        bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv", table=table)
    assert "prints no record date for the payment of 2017-03-15" in str(caught.value)
    assert not (tmp_path / "boxes.csv").exists()


def test_the_payments_command_says_the_record_date_is_not_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = tmp_path / "umh-2017.csv"
    own.write_text(HEADER + ROWS, encoding="utf-8")
    # UMH's 2017 release is bundled too: this table replaces it.
    assert cli.main(["payments", "UMH", "--table", str(own), "--override"]) == 0
    out = capsys.readouterr().out
    (line,) = [text for text in out.splitlines() if "2017-06-15" in text]
    assert line.split()[:2] == ["not", "printed"]


def test_the_workbook_says_the_record_date_is_not_printed(table: AllocationTable) -> None:
    from xl_reit.workbook import build

    workbook = build(list(table.classes.values()))
    sheet = workbook["Payments"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if "Record date" in row)
    record, payable = header.index("Record date"), header.index("Payable date")
    values = {row[payable]: row[record] for row in rows[rows.index(header) + 1 :]}
    assert values[dt.date(2017, 6, 15)] == "not printed"
    assert workbook["Release"]["B7"].value == "not printed"  # its second payment's row


#: A made-up release printed as UMH's is, one cell a line: payment dates only, and a
#: second payment printed all "-" (nothing paid on it: the class was redeemed).
RELEASE = [
    "Example Trust Announces Tax Treatment For 2017 Distributions",
    "Preferred - CUSIP 903002202",
    *("Payment Date", "Distributions Per Share", "Ordinary Income (1a)"),
    *("Total Capital Gain (2a)", "Return of Capital (3)"),
    *("3/15/17", "$0.500000", "$0.200000", "$0.100000", "$0.200000"),
    *("6/15/17", "-", "-", "-", "-", "-"),
]
TOTAL = ["TOTAL", "$0.500000", "$0.200000", "$0.100000", "$0.200000"]


def test_an_import_of_payment_dates_only_writes_rows_keyed_by_the_payable_date() -> None:
    from xl_reit.importer import parse_release

    result = parse_release("\n\n".join([*RELEASE, *TOTAL]), source_name="example.txt")
    assert result.ok
    assert [(row["row_kind"], row["record_date"], row["payable_date"]) for row in result.rows] == [
        ("payment", "", "2017-03-15"),
        ("annual", "", ""),
    ]
    (left_out,) = [f for f in result.report.of_kind("reading") if "left out" in f.message]
    assert left_out.message.startswith("payment of 2017-06-15: printed with no figures")


def test_a_payment_printed_blank_is_not_left_out_without_an_annual_line_to_prove_it() -> None:
    from xl_reit.importer import parse_release

    result = parse_release("\n\n".join(RELEASE), source_name="example.txt")
    assert not result.ok
    assert result.rows == ()
    assert any("6/15/17" in f.message for f in result.report.of_kind("problem"))


def test_bulk_records_by_payable_date_and_the_frame_of_the_table(
    table: AllocationTable, tmp_path: Path
) -> None:
    source = tmp_path / "records.csv"
    source.write_text("account,Symbol,Shares,Payable date\na,UMH,100,2017-06-15\n", "utf-8")
    bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv", table=table)
    (row,) = csv.DictReader(io.StringIO((tmp_path / "boxes.csv").read_text("utf-8")))
    assert Decimal(row["box_3"]) == Decimal("18")  # 100 × $0.18
    from xl_reit.frames import allocation_table

    frame = allocation_table(table)
    assert frame["record_date"].isna().all()
    assert list(frame["payable_date"].dt.month) == [3, 6, 9, 12]
