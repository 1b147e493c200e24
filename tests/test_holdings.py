"""Holdings files: shares per payment from CSV or .xlsx, and every bad line named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xl_reit import lookup
from xl_reit.errors import XlReitError
from xl_reit.holdings import Holdings, HoldingsFileError, read_holdings

DATA = Path(__file__).parent / "data"

# Payable dates of the release's payments, for the classes these tests hold.
CLASS_A = ["2004-02-27", "2004-05-28", "2004-08-31", "2004-11-30"]
CLASS_G = ["2004-01-15", "2004-04-15", "2004-07-15", "2004-10-15"]
CLASS_U = ["2004-07-15", "2004-10-15"]


def shares(holdings: Holdings, cusip: str) -> dict[str, Decimal]:
    """The shares a holdings file gives one class, by payable date."""
    return {
        day.isoformat(): count
        for (code, day), count in sorted(holdings.shares.items())
        if code == cusip
    }


def write(tmp_path: Path, text: str, name: str = "holdings.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(HoldingsFileError) as caught:
        read_holdings(path)
    return str(caught.value).splitlines()


def test_a_line_without_a_date_holds_its_shares_on_every_payment_of_the_class() -> None:
    holdings = read_holdings(DATA / "holdings-by-class.csv")
    assert shares(holdings, "03748R101") == dict.fromkeys(CLASS_A, Decimal(100))
    assert shares(holdings, "03748R408") == dict.fromkeys(CLASS_G, Decimal(250))
    assert shares(holdings, "03748R820") == dict.fromkeys(CLASS_U, Decimal(40))  # by ISIN
    assert [c.symbol for c in holdings.classes] == ["AIV", "AIVPrG", "AIVPrU"]


def test_a_dated_line_holds_its_shares_on_that_payment_by_record_or_payable_date() -> None:
    holdings = read_holdings(DATA / "holdings-by-payment.csv")
    assert shares(holdings, "03748R101") == {
        "2004-02-27": Decimal(100),  # record date 2004-02-20
        "2004-05-28": Decimal(100),  # record date 2004-05-18
        "2004-08-31": Decimal(150),  # payable date written 08/31/2004
        "2004-11-30": Decimal(1000),  # "1,000", both dates given
    }
    assert shares(holdings, "03748R861") == {"2004-04-15": Decimal("10.5")}


def test_annual_as_the_date_holds_the_shares_on_every_payment_of_that_year() -> None:
    holdings = read_holdings(DATA / "holdings-by-payment.csv")
    assert shares(holdings, "03748R838") == dict.fromkeys(
        ["2004-01-15", "2004-04-15", "2004-07-15", "2004-10-15"], Decimal(20)
    )


def test_lines_for_the_same_payment_add_up_like_tax_lots(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "cusip,shares,record date\n"
        "AIV,100,\n"  # every payment
        "AIV,50,2004-11-19\n"  # bought more before the last record date
        "03748R101,25,2004-11-19\n",  # another account
    )
    assert shares(read_holdings(path), "03748R101") == {
        "2004-02-27": Decimal(100),
        "2004-05-28": Decimal(100),
        "2004-08-31": Decimal(100),
        "2004-11-30": Decimal(175),
    }


def test_column_names_are_matched_whatever_their_case_spacing_or_punctuation(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, " Note ,SYMBOL,Shares_Held,Payable-Date\nmy IRA,AIVPrU,7,2004-07-15\n")
    assert shares(read_holdings(path), "03748R820") == {"2004-07-15": Decimal(7)}


def test_blank_lines_and_lines_of_other_columns_only_are_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "\nCUSIP,Shares,Note\n\nAIV,1,\n,,subtotal\n,,\n")
    assert shares(read_holdings(path), "03748R101") == dict.fromkeys(CLASS_A, Decimal(1))


def test_a_utf8_byte_order_mark_from_excel_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffCUSIP,Shares\r\nAIV,3\r\n".encode())
    assert shares(read_holdings(path), "03748R101") == dict.fromkeys(CLASS_A, Decimal(3))


def test_an_xlsx_holdings_file_is_read_from_its_first_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["CUSIP", "Record date", "Shares"])
    sheet.append(["03748R408", dt.datetime(2004, 4, 1), 12.5])  # a date cell, a float
    sheet.append(["AIVPrQ", None, 3])
    sheet.append(["AIV", "2004-02-30", 1])  # line 4: no such day
    path = tmp_path / "holdings.xlsx"
    book.save(path)
    assert problems(path) == [
        f"{path}, line 4, column 'Record date': payment_date '2004-02-30': "
        "day is out of range for month"
    ]
    sheet.delete_rows(4)
    book.save(path)
    holdings = read_holdings(path)
    assert shares(holdings, "03748R408") == {"2004-04-15": Decimal("12.5")}
    assert set(shares(holdings, "03748R853")) == {
        "2004-03-15",
        "2004-06-15",
        "2004-09-15",
        "2004-12-15",
    }


def test_every_bad_line_is_reported_at_once_with_file_line_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "CUSIP,Shares,Record date\n"
        "AIV,abc,\n"  # line 2
        "XYZ,1,\n"  # line 3
        "AIVPrD,-3,\n"  # line 4
        ",5,\n"  # line 5
        "AIV,,\n"  # line 6
        "AIV,1,2004-01-01\n"  # line 7: Class A paid nothing then
        "03748R-10-2,1,\n",  # line 8: wrong check digit
    )
    found = problems(path)
    assert [line.split(": ", 1)[0] for line in found] == [
        f"{path}, line 2, column 'Shares'",
        f"{path}, line 3, column 'CUSIP'",
        f"{path}, line 4, column 'Shares'",
        f"{path}, line 5",
        f"{path}, line 6, column 'Shares'",
        f"{path}, line 7, column 'Record date'",
        f"{path}, line 8, column 'CUSIP'",
    ]
    assert "'abc' is not a number of shares" in found[0]
    assert "'XYZ' is not a CUSIP, ISIN or symbol" in found[1]
    assert "'-3' is not a number of shares" in found[2]
    assert "'CUSIP' is blank" in found[3]
    assert "is blank; give the number of shares held (0 if none)" in found[4]
    assert "paid nothing on that date" in found[5]
    assert "expected '1'" in found[6]


def test_a_line_whose_columns_name_different_classes_or_payments_is_refused(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "CUSIP,Symbol,Shares,Record date,Payable date\n"
        "03748R101,AIVPrD,1,,\n"
        "AIV,AIV,1,2004-02-20,2004-05-28\n",
    )
    first, second = problems(path)
    assert first.startswith(f"{path}, line 2, column 'Symbol': 'AIVPrD' is Class D")
    assert "but the line also names Class A Common Stock" in first
    assert second.startswith(f"{path}, line 3, column 'Payable date': '2004-05-28' is another")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Ticker,Account\nAIV,x\n", "line 1: no shares column; name one shares, shares held"),
        ("Shares,Account\n1,x\n", "line 1: no security column; name one cusip, isin, symbol"),
        ("CUSIP,Shares,Quantity\nAIV,1,1\n", "more than one shares column: 'Shares', 'Quantity'"),
        ("", "the file is empty; give a header line first"),
        ("CUSIP,Shares\n\n", "no holdings below the header line"),
    ],
)
def test_a_file_without_usable_columns_or_lines_says_what_is_missing(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    assert message in problems(path)[0]


def test_more_than_twenty_bad_lines_are_summarised(tmp_path: Path) -> None:
    path = write(tmp_path, "CUSIP,Shares\n" + "XYZ,1\n" * 25)
    found = problems(path)
    assert len(found) == 21
    assert found[-1] == "… and 5 more problems"


def test_unreadable_files_are_holdings_errors_naming_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    assert problems(missing)[0].startswith(f"{missing}: cannot read the holdings file")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("CUSIP,Shares,Note\nAIV,1,caf\xe9\n".encode("latin-1"))
    assert "not UTF-8 text" in problems(latin1)[0]
    old_excel = write(tmp_path, "", "holdings.xls")
    assert "save it as .xlsx or CSV" in problems(old_excel)[0]
    not_a_workbook = write(tmp_path, "CUSIP,Shares\n", "holdings.xlsx")
    assert "not an .xlsx workbook" in problems(not_a_workbook)[0]


def test_a_holdings_error_is_an_xl_reit_error_so_the_command_line_exits_1() -> None:
    assert issubclass(HoldingsFileError, XlReitError)


def test_shares_for_a_payment_the_file_does_not_mention_is_none() -> None:
    holdings = read_holdings(DATA / "holdings-by-class.csv")
    assert holdings.shares_for(lookup.find_payment("AIVPrD", "2004-01-15")) is None
    assert holdings.shares_for(lookup.find_payment("AIV", "annual")) is None
    assert holdings.shares_for(lookup.find_payment("AIV", "2004-02-27")) == Decimal(100)
