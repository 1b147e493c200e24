"""What the lines of a holdings file mean: shares per payment, and every bad line named."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from xl_reit import lookup
from xl_reit.errors import HoldingsFileError, XlReitError
from xl_reit.holdings import TextFormat, parse_rows, read_holdings

from holdings_support import CLASS_A, CLASS_G, CLASS_U, DATA, problems, shares, write, xlsx_bytes

#: The lines here are read against Aimco's 2004 release alone (see conftest.py).
pytestmark = pytest.mark.usefixtures("aimco_2004_alone")


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


def test_a_holdings_error_is_an_xl_reit_error_so_the_command_line_exits_1() -> None:
    assert issubclass(HoldingsFileError, XlReitError)


def test_shares_for_a_payment_the_file_does_not_mention_is_none() -> None:
    holdings = read_holdings(DATA / "holdings-by-class.csv")
    assert holdings.shares_for(lookup.find_payment("AIVPrD", "2004-01-15")) is None
    assert holdings.shares_for(lookup.find_payment("AIV", "annual")) is None
    assert holdings.shares_for(lookup.find_payment("AIV", "2004-02-27")) == Decimal(100)


# ----------------------------------------------------- numbers and dates as text


@pytest.mark.parametrize(
    ("written", "count"),
    [
        ("100", "100"),
        ("100,5", "100.5"),  # a decimal comma
        ("0,25", "0.25"),
        ("1.234,5", "1234.5"),  # points group thousands
        ("1.234", "1234"),
        ("1.234.567", "1234567"),
        ("1\u00a0234,5", "1234.5"),  # a no-break space groups thousands (French Excel)
        ("1 234", "1234"),
        ("10.5", "10.5"),  # not a group of three: only a decimal point can mean this
    ],
)
def test_a_semicolon_file_reads_numbers_with_a_decimal_comma_as_european_excel_writes_them(
    tmp_path: Path, written: str, count: str
) -> None:
    path = write(tmp_path, f"CUSIP;Shares\nAIV;{written}\n")
    assert shares(read_holdings(path), "03748R101") == dict.fromkeys(CLASS_A, Decimal(count))


@pytest.mark.parametrize(
    ("written", "count"), [("1,000", "1000"), ("1,234.5", "1234.5"), ("10.5", "10.5")]
)
def test_a_comma_file_reads_a_decimal_point_and_comma_thousands(
    tmp_path: Path, written: str, count: str
) -> None:
    path = write(tmp_path, f'CUSIP,Shares\nAIV,"{written}"\n')
    assert shares(read_holdings(path), "03748R101") == dict.fromkeys(CLASS_A, Decimal(count))


def test_a_semicolon_file_reads_text_dates_day_first(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "CUSIP;Shares;Record date\n"
        "AIV;1;20.02.2004\n"  # record date of the 2004-02-27 payment
        "AIV;2;18/05/2004\n"  # 2004-05-28's
        "AIV;3;2004-08-20\n",  # ISO stays ISO (2004-08-31's)
    )
    assert shares(read_holdings(path), "03748R101") == {
        "2004-02-27": Decimal(1),
        "2004-05-28": Decimal(2),
        "2004-08-31": Decimal(3),
    }


def test_bad_shares_and_dates_of_a_semicolon_file_name_the_line_and_the_convention(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "CUSIP;Shares;Record date\n"
        "AIV;-1,5;\n"
        "AIV;1,234.5;\n"  # a US-style figure: not how a ';' file writes one
        "AIV;1;31.02.2004\n"
        "AIV;1;04/01/04\n",  # 4 January or 1 April? Not guessed
    )
    assert problems(path) == [
        f"{path}, line 2, column 'Shares': Shares '-1,5' is not a number of shares; give a "
        "number, 0 or more",
        f"{path}, line 3, column 'Shares': Shares '1,234.5' is not a number of shares; give a "
        "number, 0 or more (a ';'-separated file writes 1234,5)",
        f"{path}, line 4, column 'Record date': Record date '31.02.2004': day is out of range "
        "for month (a ';'-separated file writes dates day first)",
        f"{path}, line 5, column 'Record date': Record date '04/01/04': give the year in full "
        "(15.01.2004) or write YYYY-MM-DD",
    ]


def test_a_comma_file_does_not_read_dates_day_first(tmp_path: Path) -> None:
    path = write(tmp_path, "CUSIP,Shares,Record date\nAIV,1,20.02.2004\n")
    assert "'20.02.2004' is not a date" in problems(path)[0]


def test_a_lone_comma_group_in_a_tab_file_is_refused_as_ambiguous(tmp_path: Path) -> None:
    path = write(tmp_path, "CUSIP\tShares\nAIV\t12,345\nAIVPrD\t1,234.5\n")
    [found] = problems(path)
    assert found.startswith(f"{path}, line 2, column 'Shares': Shares '12,345' is ambiguous")


# --------------------------------------------------------------- repeated lines


def test_an_exact_repeat_of_a_line_is_refused_naming_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "CUSIP,Shares,Record date\nAIV,100,\nAIVPrG,5,\nAIV,100,\n")
    assert problems(path) == [
        f"{path}, line 4: repeats line 2 exactly. Lines add up as lots, so this would count "
        "its 100 shares twice; to hold two equal lots, combine them into one line (200 "
        "shares), or tell them apart in another column (an account)"
    ]


def test_lines_that_differ_in_any_cell_are_lots_that_add_up(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "CUSIP,Shares,Account\n"
        "AIV,100,IRA\n"
        "AIV,100,brokerage\n"  # another account
        "03748R-10-1,100,IRA\n",  # another spelling: another broker's line
    )
    assert shares(read_holdings(path), "03748R101") == dict.fromkeys(CLASS_A, Decimal(300))


def test_a_repeated_row_of_an_xlsx_file_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "holdings.xlsx"
    path.write_bytes(xlsx_bytes(["CUSIP", "Shares"], ["AIV", 12.5], ["AIV", 12.5]))
    assert problems(path)[0].startswith(f"{path}, line 3: repeats line 2 exactly.")


# ------------------------------------------------------------ TRUE and FALSE

# Python holds True == 1 (and hash(True) == hash(1)), so a cache keyed on cell
# values took a workbook's TRUE for a share count of 1 read before, or a 1 for
# a TRUE refused before. A logical cell is never a number of shares.
SHARES_TRUE = "Shares TRUE is a logical value, not a number of shares; give a number, 0 or more"


@pytest.mark.parametrize(
    ("first", "second"), [(1, True), (True, 1)], ids=["one-then-true", "true-then-one"]
)
def test_a_true_shares_cell_is_refused_on_its_line_and_a_1_still_reads_as_1(
    tmp_path: Path, first: int, second: int
) -> None:
    path = tmp_path / "holdings.xlsx"
    path.write_bytes(
        xlsx_bytes(["CUSIP", "Shares", "Account"], ["AIV", first, "IRA"], ["AIV", second, "main"])
    )
    line = 3 if second is True else 2
    assert problems(path) == [f"{path}, line {line}, column 'Shares': {SHARES_TRUE}"]
    holdings = read_holdings(path, skip_bad=True)
    assert holdings.skipped_lines == (line,)
    assert shares(holdings, "03748R101") == dict.fromkeys(CLASS_A, Decimal(1))


def test_a_true_shares_cell_is_not_taken_for_a_repeat_of_a_line_that_holds_1(
    tmp_path: Path,
) -> None:
    path = tmp_path / "holdings.xlsx"
    path.write_bytes(xlsx_bytes(["CUSIP", "Shares"], ["AIV", 1], ["AIV", True]))
    assert problems(path) == [f"{path}, line 3, column 'Shares': {SHARES_TRUE}"]


@pytest.mark.parametrize("shares_cell", ["100", 100], ids=["text", "number"])
def test_lines_that_differ_only_by_true_or_1_in_another_column_are_two_lots(
    shares_cell: object,
) -> None:
    rows = [("CUSIP", "Shares", "Account"), ("AIV", shares_cell, 1), ("AIV", shares_cell, True)]
    holdings = parse_rows(enumerate(rows, 1), "book.xlsx")
    assert shares(holdings, "03748R101") == dict.fromkeys(CLASS_A, Decimal(200))


# ------------------------------------------------------------- outsized cells

#: A megabyte of padding: more than a CSV field may hold, but not a workbook's cell.
PADDING = " " * 1024 * 1024
SEMICOLONS = TextFormat(delimiter=";")


@pytest.mark.parametrize(
    ("header", "line", "text_format"),
    [
        (("CUSIP", "Shares"), ("AIV", "1" + "0" * 1024 * 1024), TextFormat()),  # too many
        (("CUSIP", "Shares"), ("AIV", "1,234.5" + PADDING), SEMICOLONS),  # not a ';' number
        (("CUSIP", "Shares"), ("AIV", "12,345" + PADDING), TextFormat(delimiter="\t")),
        (("CUSIP", "Shares", "Record date"), ("AIV", "1", "20.02.04" + PADDING), SEMICOLONS),
        (("CUSIP", "Shares", "Record date"), ("AIV", "1", "31.02.2004" + PADDING), SEMICOLONS),
        (("CUSIP", "Symbol", "Shares"), ("AIV", "AIVPrD" + PADDING, "1"), TextFormat()),
        (
            ("CUSIP", "Shares", "Record date", "Payable date"),
            ("AIV", "1", "2004-02-20", "2004-05-28" + PADDING),
            TextFormat(),
        ),
        (("Note" + "x" * 1024 * 1024, "Amount"), ("AIV", "1"), TextFormat()),  # no columns
        (("CUSIP", "Shares" + "~" * 1024 * 1024, "Quantity"), ("AIV", "1", "1"), TextFormat()),
        (("CUSIP" + "~" * 1024 * 1024, "Shares"), ("", "1"), TextFormat()),  # no security
        (("CUSIP", "Shares" + "~" * 1024 * 1024), ("AIV", "abc"), TextFormat()),  # the column
    ],
    ids=[
        "too-many-shares",
        "number",
        "ambiguous-number",
        "short-year",
        "no-such-day",
        "two-classes",
        "two-payments",
        "header-cell",
        "two-shares-columns",
        "blank-security",
        "column-name",
    ],
)
def test_a_message_quotes_a_cell_of_a_megabyte_in_a_few_characters(
    header: tuple[str, ...], line: tuple[str, ...], text_format: TextFormat
) -> None:
    with pytest.raises(HoldingsFileError) as caught:
        parse_rows([(1, header), (2, line)], "book.xlsx", text_format=text_format)
    message = str(caught.value)
    assert len(message) < 1000 and "…" in message, message[:1000]


# --------------------------------------------------------------------- skip_bad


def test_skip_bad_leaves_out_the_bad_lines_and_says_which_and_why(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "CUSIP,Shares,Record date\n"
        "AIV,100,\n"
        "XYZ,1,\n"  # line 3: no such security
        "AIVPrG,-5,\n"  # line 4: negative
        "AIV,100,\n"  # line 5: repeats line 2
        "AIV,1,2004-01-01\n"  # line 6: no payment then
        "AIVPrU,40,\n",
    )
    holdings = read_holdings(path, skip_bad=True)
    assert holdings.skipped_lines == (3, 4, 5, 6)
    assert [str(problem).split(": ", 1)[0] for problem in holdings.skipped] == [
        f"{path}, line 3, column 'CUSIP'",
        f"{path}, line 4, column 'Shares'",
        f"{path}, line 5",
        f"{path}, line 6, column 'Record date'",
    ]
    assert shares(holdings, "03748R101") == dict.fromkeys(CLASS_A, Decimal(100))
    assert shares(holdings, "03748R820") == dict.fromkeys(CLASS_U, Decimal(40))
    assert [c.symbol for c in holdings.classes] == ["AIV", "AIVPrU"]


def test_problems_are_values_that_name_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "CUSIP,Shares\nAIV,1\nAIVPrD,lots\n")
    [skipped] = read_holdings(path, skip_bad=True).skipped
    assert (skipped.file, skipped.line, skipped.column) == (str(path), 3, "Shares")
    assert skipped.message == ("Shares 'lots' is not a number of shares; give a number, 0 or more")
    with pytest.raises(HoldingsFileError) as caught:
        read_holdings(path)
    assert caught.value.problems == (skipped,)


def test_skip_bad_lists_every_problem_of_a_line_with_several(tmp_path: Path) -> None:
    path = write(tmp_path, "CUSIP,Shares\nXYZ,lots\nAIV,1\n")
    holdings = read_holdings(path, skip_bad=True)
    assert holdings.skipped_lines == (2,)
    assert len(holdings.skipped) == 2  # the security and the shares


def test_skip_bad_on_a_good_file_skips_nothing() -> None:
    holdings = read_holdings(DATA / "holdings-by-class.csv", skip_bad=True)
    assert (holdings.skipped, holdings.skipped_lines) == ((), ())


def test_skip_bad_with_no_good_line_left_is_still_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "CUSIP,Shares\nXYZ,1\nAIV,-1\n")
    with pytest.raises(HoldingsFileError) as caught:
        read_holdings(path, skip_bad=True)
    assert str(caught.value).splitlines()[-1] == (
        f"{path}: every holdings line is bad; --skip-bad leaves nothing to use"
    )


def test_skip_bad_cannot_skip_a_header_without_the_columns_it_needs(tmp_path: Path) -> None:
    path = write(tmp_path, "Ticker,Account\nAIV,x\n")
    with pytest.raises(HoldingsFileError, match="line 1: no shares column"):
        read_holdings(path, skip_bad=True)


# ------------------------------------------------------ the header and the year


def test_a_title_line_above_the_header_is_passed_over(tmp_path: Path) -> None:
    path = write(tmp_path, "Positions as of 12/31/2004\n\nCUSIP,Shares\nAIV,100\n")
    assert shares(read_holdings(path), "03748R101") == dict.fromkeys(CLASS_A, Decimal(100))


@pytest.mark.parametrize("text", ["Name,Amount\nAIV,100\n", "sep=\n", "Title only\n"])
def test_a_file_without_security_and_shares_columns_says_so_without_a_traceback(
    tmp_path: Path, text: str
) -> None:
    found = problems(write(tmp_path, text))
    assert found[0].endswith(")") and "line 1: no security column; name one cusip" in found[0]


def test_an_undated_line_holds_shares_in_the_tax_year_asked_for(tmp_path: Path) -> None:
    from xl_reit.table import load_table

    # A made-up 2005 table for Class A beside the bundled 2004 and 2013 ones.
    table = load_table([Path(__file__).parent / "data" / "aiv-2005.csv"])
    path = write(tmp_path, "CUSIP,Shares\nAIV,100\n")
    latest = read_holdings(path, table)
    assert {day.year for (_, day) in latest.shares} == {2013}  # Aimco's bundled 2013 release
    made_up = read_holdings(path, table, tax_year=2005)
    assert {day.year for (_, day) in made_up.shares} == {2005}
    asked = read_holdings(path, table, tax_year=2004)
    assert {day.year for (_, day) in asked.shares} == {2004}
    with pytest.raises(HoldingsFileError, match="has no table for tax year 2003"):
        read_holdings(path, table, tax_year=2003)
