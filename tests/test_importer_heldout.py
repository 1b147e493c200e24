"""Shapes found on real releases kept apart from the corpus, each in a release of our own.

The corpus (``tests/releases/corpus``) is what the reader was built against;
these are shapes that releases outside it print and that the reader once
failed on. Each release here keeps such a layout with figures of our own,
worked by hand: the expected values are typed, not computed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from xl_reit.importer import GivenCusip, ImportResult, parse_release

CUSIP = "41196Q100"  # a check-digit-valid CUSIP of no real class


def written(text: str, **options: Any) -> list[dict[str, str]]:
    """The payment rows a release of ours imports to, the import OK."""
    result = parse_release(text, source_name="heldout.txt", **options)
    assert result.ok, result.report_text()
    return [row for row in result.rows if row["row_kind"] == "payment"]


def spaced(text: str) -> ImportResult:
    """A release printed with single spaces between cells (an issuer's own page)."""
    lines = [line.strip() for line in text.strip().splitlines()]
    return parse_release(
        "\n".join(lines),
        source_name="heldout.txt",
        issuer="Example Mortgage Trust, Inc.",
        cusips=[GivenCusip(None, CUSIP)],
    )


# A mortgage REIT's page: cash paid, an adjustment that moves part of a January payment
# between years (positive where last year's payment brings a part into this year,
# negative where this year's last payment gives its part to the next), and the dividend
# of the year; then the year's totals on a line without a label, then a numbered footnote.
ADJUSTED = """
Tax Treatment Of 2023 Dividends
Record Date Payment Date Cash Distribution Adjustment Dividend Ordinary Dividends(1) Qualified Dividends Capital Gain Dividends Non Dividend Distributions
12/30/2022 1/13/2023 $0.00 $0.30 $0.30(2) $0.3000 $0.0000 $0.0000 $0.0000
3/31/2023 4/14/2023 $0.40 $0.00 $0.40 $0.1000 $0.0000 $0.0000 $0.3000
6/30/2023 7/14/2023 $0.40 $0.00 $0.40 $0.0000 $0.0000 $0.0000 $0.4000
12/29/2023 1/12/2024 $0.40 ($0.40) $0.00(3) $0.0000 $0.0000 $0.0000 $0.0000

$1.20 ($0.10) $1.10 $0.4000 $0.0000 $0.0000 $0.7000

1. Ordinary dividends may be qualified REIT dividends, 20% of which may be deducted.
"""  # noqa: E501


def test_an_adjustment_that_adds_to_or_takes_from_a_payment_gives_the_years_dividend() -> None:
    result = spaced(ADJUSTED)
    assert result.ok, result.report_text()
    rows = {row["payable_date"]: row for row in result.rows if row["row_kind"] == "payment"}
    # last year's January payment: nothing paid this year, $0.30 of it this year's
    first = rows["2023-01-13"]
    assert Decimal(first["dividend_per_share"]) == Decimal("0.30")
    assert first["total_ordinary"] == "$0.3000" and not first.get("distribution")
    # a payment wholly this year's
    assert Decimal(rows["2023-04-14"]["dividend_per_share"]) == Decimal("0.40")
    assert rows["2023-04-14"]["return_of_capital"] == "$0.3000"
    # this year's last payment is all next year's: none of its $0.40 is this year's
    last = rows["2024-01-12"]
    assert Decimal(last["distribution"]) == Decimal("0.40")
    assert Decimal(last["other_year"]) == Decimal("0.40")


def test_a_footnotes_number_after_the_totals_is_no_figure_of_the_table() -> None:
    result = spaced(ADJUSTED)
    (annual,) = [row for row in result.rows if row["row_kind"] == "annual"]
    assert Decimal(annual["dividend_per_share"]) == Decimal("1.10")
    assert annual["total_ordinary"] == "$0.4000" and annual["return_of_capital"] == "$0.7000"


# A hospital REIT's page: each row's amount printed before its dates, a last column of the
# part allocable to the next year, dashes for nil, a row that leaves its last nil blank,
# and this year's last payment wholly the next year's.
ALLOCABLE = """
TAX TREATMENT OF 2023 DIVIDENDS
Allocable to 2023
Amount Date Declared Date of Record Date Paid Ordinary Income Total Capital Gain Unrecaptured Sec. 1250 Gain Return of Capital Section 199A Dividends Allocable to 2024
$0.30 11/10/22 12/08/22 01/12/23 $0.2000 $0.1000 $0.0500 - $0.2000
$0.30 02/16/23 03/16/23 04/13/23 $0.2000 $0.1000 $0.0500 - $0.2000 -
$0.20 08/21/23 09/14/23 10/12/23 $0.1500 - - $0.0500 $0.1500 -
$0.20 11/09/23 12/07/23 01/11/24 - - - - - $0.2000
TOTAL $0.5500 $0.2000 $0.1000 $0.0500 $0.5500 $0.2000
"""  # noqa: E501


def test_an_amount_before_its_dates_and_a_part_allocable_to_next_year_are_read() -> None:
    result = spaced(ALLOCABLE)
    assert result.ok, result.report_text()
    rows = {row["payable_date"]: row for row in result.rows if row["row_kind"] == "payment"}
    assert sorted(rows) == ["2023-01-12", "2023-04-13", "2023-10-12", "2024-01-11"]
    january = rows["2023-01-12"]  # its last nil left blank
    assert Decimal(january["dividend_per_share"]) == Decimal("0.30")
    assert january["total_ordinary"] == "$0.2000" and january["unrecaptured_1250"] == "$0.0500"
    assert rows["2023-10-12"]["return_of_capital"] == "$0.0500"
    # the last payment: $0.20, all of it allocable to 2024, none of it 2023's
    last = rows["2024-01-11"]
    assert Decimal(last["distribution"]) == Decimal("0.20")
    assert Decimal(last["other_year"]) == Decimal("0.20")
    assert last["other_tax_year"] == "2024"


ORDINARY_ONLY = """
TAX TREATMENT OF 2023 DIVIDENDS
Amount Date Declared Date of Record Date Paid Ordinary Income Total Capital Gain Return of Capital Allocable to 2024
$0.30 02/16/23 03/16/23 04/13/23 $0.3000 - - -
$0.30 05/16/23 06/15/23 07/13/23 $0.3000 - - -
$0.20 11/09/23 12/07/23 01/11/24                     $0.2000
"""  # noqa: E501


def test_a_short_row_printed_to_fixed_widths_is_never_read_into_the_wrong_columns() -> None:
    # the last payment prints only its part allocable to 2024, far to the right: read from
    # the left it would be $0.20 of ordinary income, and add up as well
    result = spaced(ORDINARY_ONLY)
    assert not [row for row in result.rows if row.get("payable_date") == "2024-01-11"]
    assert not result.ok


# A mortgage REIT's page of an older year: no return of capital column (it had none), the
# adjustment printed "$(0.06)", and the dividend all ordinary.
NO_RETURN_OF_CAPITAL = """
Tax Treatment of 2022 Dividends
Record Date Payment Date Cash Distribution Adjustment Dividend(1) Ordinary Dividends(2) Qualified Dividends Capital Gain Dividends
Dec 31, 2021 Jan 14, 2022 $0.00 $0.40 $0.40(3) $0.400000 $0.000000 $0.000000
Mar 31, 2022 Apr 15, 2022 $0.50 $0.00 $0.50 $0.450000 $0.010000 $0.050000
Dec 30, 2022 Jan 13, 2023 $0.50 $(0.10) $0.40 $0.400000 $0.000000 $0.000000
Total $1.00 $0.30 $1.30 $1.250000 $0.010000 $0.050000
"""  # noqa: E501


def test_a_box_no_column_prints_is_nil_where_the_printed_ones_make_up_the_dividend() -> None:
    result = spaced(NO_RETURN_OF_CAPITAL)
    assert result.ok, result.report_text()
    rows = {row["payable_date"]: row for row in result.rows if row["row_kind"] == "payment"}
    april = rows["2022-04-15"]
    assert Decimal(april["dividend_per_share"]) == Decimal("0.50")
    assert april["total_ordinary"] == "$0.450000" and april["qualified"] == "$0.010000"
    assert april["total_capital_gain"] == "$0.050000"
    assert "return_of_capital" not in april  # not printed: nil by the sums, never written
    # "$(0.10)": $0.10 of the January 2023 payment is 2023's
    last = rows["2023-01-13"]
    assert (Decimal(last["distribution"]), Decimal(last["other_year"])) == (
        Decimal("0.50"),
        Decimal("0.10"),
    )


def test_parts_short_of_the_dividend_without_a_column_for_the_rest_are_never_made_up() -> None:
    # $0.45 + $0.05 of a $0.55 dividend: the $0.05 left is no printed part's
    short = NO_RETURN_OF_CAPITAL.replace("$0.50 $0.00 $0.50 $0.45", "$0.55 $0.00 $0.55 $0.45")
    result = spaced(short.replace("$1.00 $0.30 $1.30", "$1.05 $0.30 $1.35"))
    assert not result.ok
    assert not [row for row in result.rows if row.get("payable_date") == "2022-04-15"]


# A lender's release of a year all return of capital: a header one word a line and "|" after
# each cell; the nil columns let the dividend stand first or third by the arithmetic alone.
ALL_RETURN_OF_CAPITAL = """
Example Green Lending, Inc. (NYSE: EXGL) today gave the tax treatment of its 2016 distributions.
Common Stock (CUSIP 41196Q100)
Record
Date
|
Payable
Date
|
Total
Distribution
Per Share |
Ordinary
Per Share
|
Return of Capital
Per Share
|
Capital Gain
Per Share
|
03/30/16 |
4/7/16 |
$0.25 |
$0.00 |
$0.25 |
$0.00 |
06/29/16 |
7/7/16 |
$0.25 |
$0.00 |
$0.25 |
$0.00 |
"""


def test_where_the_arithmetic_allows_the_dividend_in_two_places_the_header_says_which() -> None:
    text = "\n".join(line.strip() for line in ALL_RETURN_OF_CAPITAL.strip().splitlines())
    result = parse_release(text, source_name="heldout.txt")
    assert result.ok, result.report_text()
    for row in result.rows:
        assert Decimal(row["dividend_per_share"]) == Decimal("0.25")
        assert row["return_of_capital"] == "$0.25"
        assert row["total_ordinary"] == "$0.00"


# A reprint that kept only each header cell's first line: "Return of" for "Return of
# Capital", "Payable" for "Payable Date", "Total" for the total distribution.
FIRST_LINES = """
Example Green Lending, Inc. ("Example Green," or the "Company") (NYSE: EXGL) today gave the tax treatment of the Company's 2021 distributions.
Common Stock (CUSIP 41196Q100)
Record Date | Payable | Total | Ordinary | Return of | Capital Gain |
12/28/2020 | 1/8/2021 | $0.3000 | $0.0500 | $0.2500 | $0.0000 |
4/5/2021 | 4/12/2021 | $0.3000 | $0.0600 | $0.2400 | $0.0000 |
2021 | Total | $0.6000 | $0.1100 | $0.4900 | $0.0000 |
"""  # noqa: E501


def test_a_header_cell_cut_to_its_first_line_names_the_one_part_it_starts() -> None:
    text = "\n".join(line.strip() for line in FIRST_LINES.strip().splitlines())
    result = parse_release(text, source_name="heldout.txt")
    assert result.ok, result.report_text()
    assert result.report.issuer == "Example Green Lending, Inc."
    rows = [row for row in result.rows if row["row_kind"] == "payment"]
    assert [row["return_of_capital"] for row in rows] == ["$0.2500", "$0.2400"]
    assert [row["total_capital_gain"] for row in rows] == ["$0.0000", "$0.0000"]


def test_a_part_a_note_above_the_header_names_is_placed_where_the_header_names_it() -> None:
    # "(… a Return of Capital)" above the header: the column stands where the header puts it
    from xl_reit.importer.general import _header_kinds
    from xl_reit.importer.lines import read_lines
    from xl_reit.importer.report import Findings

    text = (
        "FORM 8937 (for years when there was a Return of Capital)\n"
        "Amount | Date Paid | Ordinary Income | Total Capital Gain | Return of Capital |\n"
    )
    header = [token for line in read_lines(text, Findings()) for token in line.tokens]
    parts = _header_kinds(header)[0]
    assert parts == ["ordinary", "total_capital_gain", "return_of_capital"]


# An issuer's page copied one cell a line, blank lines between: each row opens with the
# class and its dates spelled out, and a nil part is printed "$ -" on a line of its own.
CELL_A_LINE_DASHES = """
Example Industrial Trust Announces Tax Treatment of 2022 Dividends

Security

Record Date

Date Paid

Dividend per Share

2022 Ordinary Taxable Dividend

2022 Total Capital Gain Dividend

2022 Return of Capital Dividend

2022 Unrecaptured Section 1250 Gain

2022 Section 199A Dividend

Common stock March 25, 2022 April 8, 2022

$ 0.300000

$ 0.250000

$ 0.050000

$ -

$ 0.004000

$ 0.250000

Common stock June 30, 2022 July 14, 2022

$ 0.300000

$ 0.240000

$ 0.040000

$ 0.020000

$ -

$ 0.240000
"""


def test_a_nil_part_printed_as_a_dollar_and_a_dash_on_its_own_line_is_a_cell() -> None:
    rows = written(CELL_A_LINE_DASHES, cusips=[GivenCusip(None, CUSIP)])
    assert [row["payable_date"] for row in rows] == ["2022-04-08", "2022-07-14"]
    assert [row["return_of_capital"] for row in rows] == ["$0", "$0.020000"]
    assert [row["unrecaptured_1250"] for row in rows] == ["$0.004000", "$0"]
    assert [row["section_199a"] for row in rows] == ["$0.250000", "$0.240000"]


# A news-wire copy, one cell a line: the CUSIP after an en dash in the class's heading, and
# a "Section 897(h) Gain" column (box 2f, inside the capital gain) before Section 199A.
SECTION_897_H = """
Example Apartment Trust Announces Tax Characteristics of 2025 Distributions

Example Apartment Trust – Common Shares (CUSIP – 41196Q100)

Record

Date

Payment

Date

Total

Distribution

Per Share(1)

Ordinary

Taxable

Dividends

Qualified Dividends(2)

Long Term Capital Gain

Sec. 1250 Gain 25% Rate(3)

Section 897(h) Gain(3)

Section 199A Dividends(2)

03/31/25

04/17/25

$1.000000

$0.900000

$0.010000

$0.100000

$0.030000

$0.080000

$0.890000

06/30/25

07/17/25

$1.000000

$0.800000

$0.000000

$0.200000

$0.050000

$0.150000

$0.800000
"""


def test_a_cusip_after_a_dash_and_a_section_897_h_gain_column_are_read() -> None:
    rows = written(SECTION_897_H)
    assert {row["cusip"] for row in rows} == {CUSIP}
    assert [row["section_897_capital_gain"] for row in rows] == ["$0.080000", "$0.150000"]
    assert [row["total_capital_gain"] for row in rows] == ["$0.100000", "$0.200000"]
    assert [row["unrecaptured_1250"] for row in rows] == ["$0.030000", "$0.050000"]
    assert [row["qualified"] for row in rows] == ["$0.010000", "$0.000000"]


# A wire copy whose dateline stands on a line of its own, the wire and the issuer on the
# next; the class's heading on two lines, a ticker before the CUSIP on the second.
DATELINE_ALONE = """
OXFORD, Miss., Jan. 24, 2023

OXFORD, Miss., Jan. 24, 2023 /PRNewswire/ -- Example Warehouse Properties, Inc. (NYSE: EXW) announced today how its 2022 distributions are taxed.

Common Stock:
Ticker Symbol EXW, CUSIP #411 96Q 100

Record
Dates

Payment
Dates

Total
Distributions
Per Share

Ordinary
Dividends

Capital Gain
Distributions

Nondividend
Distributions

03/31/22

04/14/22

$0.50000

$0.40000

$0.05000

$0.05000

06/30/22

07/15/22

0.50000

0.45000

0.00000

0.05000

TOTALS

$1.00000

$0.85000

$0.05000

$0.10000

Form 1099-DIV box

1a

2a

3
"""  # noqa: E501


def test_a_dateline_on_a_line_of_its_own_and_a_ticker_before_the_cusip() -> None:
    rows = written(DATELINE_ALONE)
    assert {row["issuer"] for row in rows} == {"Example Warehouse Properties, Inc."}
    assert {(row["class_name"], row["cusip"], row["symbol"]) for row in rows} == {
        ("Common Stock", CUSIP, "EXW")
    }
    assert [row["total_ordinary"] for row in rows] == ["$0.40000", "$0.45000"]
    assert [row["return_of_capital"] for row in rows] == ["$0.05000", "$0.05000"]


# A whole table flattened onto one line, with a "Section 897 Dividends" column: box 2e,
# inside the ordinary dividends.
FLATTENED_897 = """
Example Office Trust 2021 Tax Reporting Information

Record Date Paid Date Total Distributions Per Share Ordinary Dividends Capital Gain Distributions Section 199A Dividends Section 897 Dividends 1/4/2021 1/14/2021 $0.400000 $0.300000 $0.100000 $0.300000 $0.020000 4/6/2021 4/19/2021 $0.400000 $0.350000 $0.050000 $0.350000 $0.000000
"""  # noqa: E501


def test_a_section_897_dividends_column_is_inside_the_ordinary_dividends() -> None:
    rows = written(FLATTENED_897, issuer="Example Office Trust", cusips=[GivenCusip(None, CUSIP)])
    assert [row["dividend_per_share"] for row in rows] == ["0.400000", "0.400000"]
    assert [row["total_ordinary"] for row in rows] == ["$0.300000", "$0.350000"]
    assert [row["section_897_ordinary"] for row in rows] == ["$0.020000", "$0.000000"]
    assert [row["total_capital_gain"] for row in rows] == ["$0.100000", "$0.050000"]


# Figures printed without a leading zero, one a copy broke after its point (". 4296875"),
# and a space-aligned table whose every later row broke its figures so ("0. 97000").
BROKEN_POINTS = """
Example Office Realty Announces Tax Treatment of 2014 Dividends

Series G Preferred Stock (CUSIP 41196Q100)

Record Date Payable Date Dividend per Share Taxable Ordinary Dividend Total Capital Gain Distribution Return of Capital
1/31/2014 2/18/2014 $.4296875 $.4200000 $.0096875 -
4/30/2014 5/15/2014 . 4296875 .4100000 .0196875 -
"""  # noqa: E501
ALIGNED_BROKEN_POINTS = """
Example Communities Announces 2012 Tax Treatment of Distributions

Common Shares (CUSIP #41196Q100)

 Record       Payable      Distribution    Ordinary      Return of    Capital
 Date         Date         Per Share       Income        Capital      Gain
 03/30/12     04/16/12     $0.97000        $0.45590      $0.00000     $0.51410
 06/29/12     07/16/12     0. 97000        0. 45590      0.00000      0. 51410
                 Totals    $1.94000        $0.91180      $0.00000     $1. 02820
"""


def test_a_figure_broken_after_its_decimal_point_is_read_whole_and_said() -> None:
    for text, dividends, ordinary in (
        (BROKEN_POINTS, ["0.4296875"] * 2, ["$0.4200000", "$0.4100000"]),
        (ALIGNED_BROKEN_POINTS, ["0.97000"] * 2, ["$0.45590"] * 2),
    ):
        result = parse_release(text, source_name="heldout.txt", issuer="Example REIT")
        assert result.ok, result.report_text()
        rows = [row for row in result.rows if row["row_kind"] == "payment"]
        assert [row["dividend_per_share"] for row in rows] == dividends
        assert [row["total_ordinary"] for row in rows] == ordinary
        assert "a figure broken after its point read whole" in result.report_text()


# Each class headed on three lines: a labelled name (the preferred's opening with its
# coupon rate), its CUSIP, its ticker (the preferred's series after a space).
LABELLED_CLASSES = """
Example Industrial Properties, Inc. Announces Tax Treatment of 2022 Distributions

Security Description: Common Stock
CUSIP: 41196Q100
Ticker Symbol: EXIP

Record Date | Payable Date | Distribution Per Share | Ordinary Dividend | Return of Capital | Capital Gain |
03/31/2022 | 04/14/2022 | $1.000000 | $0.900000 | $0.000000 | $0.100000 |

Security Description: 9.00% Series A Cumulative Redeemable Preferred Stock
CUSIP: 41196Q209
Ticker Symbol: EXIP PR A

Record Date | Payable Date | Distribution Per Share | Ordinary Dividend | Return of Capital | Capital Gain |
03/31/2022 | 04/14/2022 | $0.562500 | $0.550000 | $0.000000 | $0.012500 |
"""  # noqa: E501


def test_a_labelled_class_name_with_its_coupon_and_a_preferreds_spaced_ticker() -> None:
    result = parse_release(LABELLED_CLASSES, source_name="heldout.txt")
    assert result.ok, result.report_text()
    classes = {
        (row["class_name"], row["cusip"], row["symbol"])
        for row in result.rows
        if row["row_kind"] == "payment"
    }
    assert classes == {
        ("Common Stock", CUSIP, "EXIP"),
        ("9.00% Series A Cumulative Redeemable Preferred Stock", "41196Q209", "EXIP PR A"),
    }


def test_a_release_read_but_for_its_issuer_asks_for_the_issuer_alone() -> None:
    # without its headline, the release names no issuer: the reading that read every class
    # says so, not why a reading that could not read them failed
    text = SECTION_897_H.strip().split("\n", 1)[1]
    result = parse_release(text, source_name="heldout.txt")
    (problem,) = result.report.of_kind("problem")
    assert "issuer is not printed" in problem.message and "--issuer" in problem.message
    assert not result.payments
    done = parse_release(
        text, source_name="heldout.txt", issuer="Example Apartment Trust", tax_year=2025
    )
    assert done.ok, done.report_text()


# One cell a line: the year's totals after the last payment without a label, then the
# totals' shares of the year's dividend as percentages; no capital gain column at all.
TOTALS_AND_SHARES = """
Example Care REIT, Inc. Announces Tax Treatment of 2019 Distributions

Common Stock (CUSIP # 41196Q100)

Record
Date
Payable
Date
Distribution per
Share
Total Ordinary
Dividends
Non-Qualified
Dividends
Qualified
Dividends
Non-
Dividend
Distributions

02/15/19
02/28/19
$ 0.4000000
$ 0.3000000
$ 0.2900000
$ 0.0100000
$ 0.1000000

05/20/19
05/31/19
0.4000000
0.2000000
$ 0.1800000
0.0200000
$ 0.2000000

08/20/19
08/30/19
0.4000000
0.4000000
$ 0.4000000
0.0000000
$ 0.0000000

$ 1.2000000
$ 0.9000000
$ 0.8700000
$ 0.0300000
$ 0.3000000

100.00%

75.00%

25.00%
"""


def test_the_totals_shares_after_an_unlabelled_annual_line_are_no_figures_of_a_row() -> None:
    result = parse_release(TOTALS_AND_SHARES, source_name="heldout.txt")
    assert result.ok, result.report_text()
    rows = [row for row in result.rows if row["row_kind"] == "payment"]
    assert [row["total_ordinary"] for row in rows] == ["$0.3000000", "$0.2000000", "$0.4000000"]
    assert [row["qualified"] for row in rows] == ["$0.0100000", "$0.0200000", "$0.0000000"]
    assert [row["return_of_capital"] for row in rows] == ["$0.1000000", "$0.2000000", "$0.0000000"]
    (annual,) = [row for row in result.rows if row["row_kind"] == "annual"]
    assert annual["dividend_per_share"] == "1.2000000"


# A news-wire page copied one cell a line: the release's date alone on a line, and last
# year's December payment brought into this year by a negative adjustment printed with a
# minus sign (under a box row whose first cell is the sum "(Boxes 1a + 2a + 3)").
BOXES_SUMMED = """
Example Property Trust Announces Tax Reporting Information

January 30, 2023

Example Property Trust, Inc. (NYSE: EXPT) today announced the tax treatment of the
distributions on its common stock (CUSIP: 41196Q100) for the calendar year ended
December 31, 2022:

Form 1099 Reference:

 (Boxes 1a +

2a + 3)

 Box 1a

 Box 1b

 Box 2a

Box 2b

Box 2e

Box 2f

Box 3

Box 5

Record Date

Payable Date

 Cash

Distribution

 Adjustment

 Total

Dividend Per

Share

 Ordinary

Taxable

Dividend

 Taxable

Qualified

Dividends

 Total Capital

Gain

Distribution

Unrecaptured

1250 Gain

Section 897

Ordinary

Dividends

Section

897

Capital

Gain

Nondividend

Distributions

Section 199A

dividends

12/31/2021

1/14/2022

0.5000

-0.4000

0.1000

0.0800

0.0010

0.0200

0.0010

0.0000

0.0150

0.0000

0.0790

3/31/2022

4/15/2022

0.5000

0.0000

0.5000

0.4000

0.0050

0.1000

0.0040

0.0000

0.0900

0.0000

0.3950

6/30/2022

7/15/2022

0.5000

0.0000

0.5000

0.4100

0.0050

0.0900

0.0040

0.0000

0.0800

0.0000

0.4050
"""


def test_a_date_alone_before_the_table_and_an_adjustment_with_a_minus_sign() -> None:
    rows = written(BOXES_SUMMED)
    first = rows[0]
    assert (first["distribution"], first["other_year"]) == ("0.5000", "0.4000")
    assert first["total_ordinary"] == "$0.0800" and first["section_897_capital_gain"] == "$0.0150"
    assert [row["dividend_per_share"] for row in rows[1:]] == ["0.5000", "0.5000"]
    assert [row["section_199a"] for row in rows] == ["$0.0790", "$0.3950", "$0.4050"]


# A footnote after the table gives the class's new CUSIP in a sentence ("the CUSIP changed
# to …"): no heading of a class of its own; and the header says "Capital Gains".
NEW_CUSIP_NOTE = """
Example Realty Trust Announces Tax Treatment of 2021 Distributions

Common Shares (CUSIP # 41196Q100)(1)

Record Date Payable Date Distribution Per Share Taxable Ordinary Dividend Capital Gains Unrecap Sec 1250 Nontaxable Distributions 01/04/2021 01/15/2021 $1.00000 $0.800000 $0.150000 $0.100000 $0.050000 03/16/2021 04/15/2021 $1.00000 $0.700000 $0.200000 $0.120000 $0.100000

(1) Effective as of January 1, 2022, the CUSIP changed to 41196Q209.
"""  # noqa: E501


def test_a_new_cusip_in_a_footnote_is_no_class_and_capital_gains_is_a_capital_gain() -> None:
    rows = written(NEW_CUSIP_NOTE)
    assert {row["cusip"] for row in rows} == {CUSIP}
    assert [row["total_capital_gain"] for row in rows] == ["$0.150000", "$0.200000"]
    assert [row["return_of_capital"] for row in rows] == ["$0.050000", "$0.100000"]


# Each payment's row broken over two lines, the next payment's dates glued to the end of
# its second: the figures before those dates are the row above's, as every row then
# prints as many figures.
BROKEN_ROWS = """
Example Health Properties Announces Tax Treatment of 2021 Distributions

Common Stock (CUSIP # 41196Q100)

Record Date Payment Date Distribution Per Share Total Ordinary Dividends Qualified Dividends
Total Capital Gain Unrecaptured Section 1250 Nondividend Distributions
02/22/21 03/05/21 $0.300000 $0.040000 $0.004000
$0.090000 $0.090000 $0.170000 05/10/21 05/21/21 $0.300000 $0.050000 $0.005000
$0.080000 $0.080000 $0.170000 08/09/21 08/20/21 $0.300000 $0.060000 $0.006000
$0.070000 $0.070000 $0.170000
Totals $0.900000 $0.150000 $0.015000
$0.240000 $0.240000 $0.510000
"""


def test_figures_before_the_next_rows_dates_end_the_row_above_where_widths_say_so() -> None:
    rows = written(BROKEN_ROWS)
    assert [row["payable_date"] for row in rows] == ["2021-03-05", "2021-05-21", "2021-08-20"]
    assert [row["total_ordinary"] for row in rows] == ["$0.040000", "$0.050000", "$0.060000"]
    assert [row["total_capital_gain"] for row in rows] == ["$0.090000", "$0.080000", "$0.070000"]
    assert [row["return_of_capital"] for row in rows] == ["$0.170000"] * 3


# A page too narrow for its columns prints its table in two halves, each with the
# payments' dates; the copy glued every row's cells together, and the header's cells
# too ("Payable DateDistribution").
GLUED_HALVES = """
Example Communities, Inc. Announces Tax Treatment of 2023 Distributions

Common Shares (CUSIP No. 41196Q100)

Declared DateRecord DatePayable DateDistribution
($ per share)
Ordinary Taxable Dividend
($ per share)
Qualified Taxable Dividend
($ per share)
Non Dividend Distribution
($ per share)
12/01/2212/30/2201/17/23$0.900000$0.600000$0.010000$0.300000
03/03/2303/31/2304/17/23$0.900000$0.500000$0.020000$0.300000
06/06/2306/30/2307/17/23$0.900000$0.700000$0.030000$0.200000
$2.700000$1.800000$0.060000$0.800000

Declared DateRecord DatePayable DateTotal Capital Gain Distribution
($ per share)
Unrecaptured Section 1250 Gain
($ per share)
Section 199A Dividend
($ per share)
12/01/2212/30/2201/17/23$0.000000$0.000000$0.590000
03/03/2303/31/2304/17/23$0.100000$0.050000$0.480000
06/06/2306/30/2307/17/23$0.000000$0.000000$0.670000
$0.100000$0.050000$1.740000
"""


def test_a_table_in_two_halves_with_its_cells_glued_is_one_table() -> None:
    result = parse_release(GLUED_HALVES, source_name="heldout.txt")
    assert result.ok, result.report_text()
    rows = [row for row in result.rows if row["row_kind"] == "payment"]
    assert [(row["record_date"], row["payable_date"]) for row in rows] == [
        ("2022-12-30", "2023-01-17"),
        ("2023-03-31", "2023-04-17"),
        ("2023-06-30", "2023-07-17"),
    ]
    assert [row["total_ordinary"] for row in rows] == ["$0.600000", "$0.500000", "$0.700000"]
    assert [row["total_capital_gain"] for row in rows] == ["$0.000000", "$0.100000", "$0.000000"]
    assert [row["unrecaptured_1250"] for row in rows] == ["$0.000000", "$0.050000", "$0.000000"]
    assert [row["section_199a"] for row in rows] == ["$0.590000", "$0.480000", "$0.670000"]
    assert "cells glued together read apart" in result.report_text()


# A pipe table whose "$" and "%" stand in cells of their own; the percentages are of the
# year's taxable part, and the last payment's taxable part is a dash: all next year's.
PERCENT_CELLS = """
SAN DIEGO, Calif., Jan. 24, 2022 (GLOBE NEWSWIRE) -- Example Care REIT, Inc. (NASDAQ:EXCR) reported today the tax status of its 2021 dividends:
DISTRIBUTIONS ON COMMON STOCK | |||||||
Box 1a | Box 2a | Box 3 | ||||||
Record | Payment | Distribution | Taxable Distribution | Ordinary | Capital | Non-Dividend | ||
Date | Date | Per Share | Per Share | Dividend | Gain Distr. | Distributions | ||
12/31/20 | 01/15/21 | $ | 0.2500 | $ | 0.2500 | 90.0000 | % | 0.0000 | % | 10.0000 | % | ||
03/31/21 | 04/15/21 | $ | 0.2600 | $ | 0.2600 | 80.0000 | % | 5.0000 | % | 15.0000 | % | ||
12/31/21 | 01/15/22 | $ | 0.2600 | $ | - | (1 | ) | 0.0000 | % | 0.0000 | % | 0.0000 | % |
Total | $ | 0.7700 | $ | 0.5100 | | | | | | |||
(1) The January 2022 payment is a 2022 distribution for federal income tax purposes.
"""  # noqa: E501


def test_percent_signs_in_their_own_cells_and_a_payment_none_of_which_is_this_years() -> None:
    result = parse_release(
        PERCENT_CELLS, source_name="heldout.txt", cusips=[GivenCusip(None, CUSIP)]
    )
    assert result.ok, result.report_text()
    assert result.report.issuer == "Example Care REIT, Inc."
    rows = [row for row in result.rows if row["row_kind"] == "payment"]
    assert [row["total_ordinary"] for row in rows[:2]] == ["90.0000", "80.0000"]
    assert [row["return_of_capital"] for row in rows[:2]] == ["10.0000", "15.0000"]
    last = rows[2]
    assert (last["distribution"], last["other_year"], last["other_tax_year"]) == (
        "0.2600",
        "0.2600",
        "2022",
    )
    assert not last["total_ordinary"] and not last["dividend_per_share"]


# Percentages of a cash distribution, no return of capital column (the prose says there
# is none), and the year only in "the taxable composition of the 2023 distributions".
PERCENT_NO_RETURN = """
MEMPHIS, Tenn., Jan. 16, 2024 /PRNewswire/ -- Example Apartment Communities, Inc. (NYSE: EXAC) today announced the taxable composition of the 2023 distributions paid to shareholders.
Common Stock (CUSIP 41196Q100) | |
Record Date | Pay Date | Cash Distributions Per Share | Ordinary Taxable Distribution | Long Term Capital Gain | Unrecaptured Sec. 1250 Gain | Section 199A |
1/13/2023 | 1/31/2023 | $1.4000 | 90.0000 % | 10.0000 % | 2.0000 % | 90.0000 % |
4/14/2023 | 4/28/2023 | $1.4000 | 90.0000 % | 10.0000 % | 2.0000 % | 90.0000 % |
"""  # noqa: E501


def test_percentages_that_make_up_the_whole_prove_the_columns_with_a_box_not_printed() -> None:
    result = parse_release(PERCENT_NO_RETURN, source_name="heldout.txt")
    assert result.ok, result.report_text()
    assert result.report.tax_year == 2023
    rows = [row for row in result.rows if row["row_kind"] == "payment"]
    assert [row["total_ordinary"] for row in rows] == ["90.0000", "90.0000"]
    assert [row["total_capital_gain"] for row in rows] == ["10.0000", "10.0000"]
    assert [row["unrecaptured_1250"] for row in rows] == ["2.0000", "2.0000"]


def test_a_second_table_of_other_payments_is_never_left_unread() -> None:
    # the header again over a payment the first table has no row for: reading the first
    # table alone would leave that payment out, so nothing is written
    header = CELL_A_LINE_DASHES[CELL_A_LINE_DASHES.index("Security") :].split("Common stock")[0]
    cells = ["$ 0.300000", "$ 0.300000", "$ -", "$ -", "$ -", "$ 0.300000"]
    another = f"{header}Common stock September 30, 2022 October 14, 2022\n\n" + "\n\n".join(cells)
    given = [GivenCusip(None, CUSIP)]
    refused = parse_release(CELL_A_LINE_DASHES + another, source_name="x", cusips=given)
    assert not refused.ok and not refused.payments
    # the same payments printed again leave nothing unread: the table is written
    again = CELL_A_LINE_DASHES[CELL_A_LINE_DASHES.index("Security") :]
    written = parse_release(CELL_A_LINE_DASHES + again, source_name="x", cusips=given)
    assert written.ok, written.report_text()
    assert len([row for row in written.rows if row["row_kind"] == "payment"]) == 2


def test_a_nil_part_printed_as_a_dash_alone_on_its_own_line_is_a_cell() -> None:
    text = CELL_A_LINE_DASHES.replace("$ -", "-")
    rows = written(text, cusips=[GivenCusip(None, CUSIP)])
    assert [row["return_of_capital"] for row in rows] == ["$0", "$0.020000"]
    assert [row["unrecaptured_1250"] for row in rows] == ["$0.004000", "$0"]


# Qualified dividends the only ordinary part printed, beside the capital gain and the
# nondividend distribution: box 1a is the qualified part, as the dividend's sum says.
QUALIFIED_ONLY = """
Example Timber Company Announces Tax Treatment of 2022 Distributions
Common Stock (CUSIP 41196Q100)
Record Date | Payable Date | Cash Distribution per Share | Capital Gain Distribution | Qualified Dividend | Nondividend Distribution |
02/18/2022 | 02/28/2022 | $1.450000 | $1.000000 | $0.050000 | $0.400000 |
03/04/2022 | 03/18/2022 | $0.180000 | $0.130000 | $0.010000 | $0.040000 |
"""  # noqa: E501


def test_qualified_dividends_alone_are_the_ordinary_dividends_where_the_sum_says_so() -> None:
    from xl_reit.lookup import amount

    result = parse_release(QUALIFIED_ONLY, source_name="heldout.txt")
    assert result.ok, result.report_text()
    table = result.table()
    assert amount(CUSIP, "2022-02-28", "1a", table=table) == Decimal("0.050000")
    assert amount(CUSIP, "2022-02-28", "1b", table=table) == Decimal("0.050000")
    assert amount(CUSIP, "2022-03-18", "2a", table=table) == Decimal("0.130000")
    assert amount(CUSIP, "2022-03-18", "3", table=table) == Decimal("0.040000")


# The prose before the table quotes each payment's amount and date and says the year's
# split in words ("… 0% Non-dividend Distribution"); the table, one cell a line, prints
# the capital gain and its Section 897 part only.
PROSE_THEN_TABLE = """
Example Timberlands Announces Tax Treatment of 2024 Dividends

Example Timberlands Inc. (NYSE:EXT) announced today the tax treatment of the Company's 2024 dividend distributions on its Common Stock CUSIP 41196Q100.

The dividends, totaling $0.60 per share, were paid as follows: $0.30 on March 28, 2024; and $0.30 on June 28, 2024. The $0.60 per share dividend is classified for income tax purposes as 100% Capital Gain Distribution and 0% Non-dividend Distribution. The following table summarizes the income tax treatment of the Company's 2024 dividends.

Record Date
Payable Date
Cash
Distribution
per Share
Capital Gain
Distribution(1)
Section 897
Capital Gain(2)
03/14/2024
03/28/2024
$0.300
$0.300
$0.100
06/14/2024
06/28/2024
$0.300
$0.300
$0.200
Totals:
$0.600
$0.600
$0.300
"""  # noqa: E501


def test_prose_that_quotes_the_payments_is_neither_the_table_nor_its_header() -> None:
    rows = written(PROSE_THEN_TABLE)
    assert [row["record_date"] for row in rows] == ["2024-03-14", "2024-06-14"]
    assert [row["total_capital_gain"] for row in rows] == ["$0.300", "$0.300"]
    assert [row["section_897_capital_gain"] for row in rows] == ["$0.100", "$0.200"]


# A box number in every header cell, and a note in parentheses in some ("Box 1b Qualified
# Dividend (Included in Box 1a)"), one cell a line; the year's totals after the payments.
BOXES_WITH_NOTES = """
Example Office Trust Announces 2021 Tax Treatment of Its Distributions

CUSIP: 41196Q100

Record Date
Payment Date
Total Distribution per Share
Total Distribution Allocable to 2021
Box 1a Ordinary Dividends
Box 1b Qualified Dividend (Included in Box 1a)
Box 3 Nondividend Distributions
Box 5 Section 199A Dividends (Included in Box 1a)
6/15/2021
6/30/2021
$0.035
$0.035
$0.006
$0.000
$0.029
$0.006
9/15/2021
9/30/2021
$0.035
$0.035
$0.006
$0.000
$0.029
$0.006
Total
$0.070
$0.070
$0.012
$0.000
$0.058
$0.012
"""


def test_a_box_named_in_a_note_in_parentheses_is_no_column_of_the_box_row() -> None:
    rows = written(BOXES_WITH_NOTES)
    assert [row["total_ordinary"] for row in rows] == ["$0.006", "$0.006"]
    assert [row["return_of_capital"] for row in rows] == ["$0.029", "$0.029"]
    # an annual line its payments do not add up to is the reason nothing is written
    wrong = parse_release(BOXES_WITH_NOTES.replace("$0.058", "$0.057"), source_name="x")
    assert not wrong.payments
    assert [f.message for f in wrong.report.of_kind("problem")] == [
        "return of capital: annual line prints $0.057, the payments add up to $0.058"
    ]


# Glued cells again, one of them a whole-dollar nil ("$0.00$0$0.035412").
GLUED_WHOLE_DOLLARS = """
Example Industrial Trust Announces Final 2023 Dividend Allocation
Common Shares (CUSIP 41196Q100)
Record Date | Payable Date | Total Distributions Per Share | Total Ordinary Dividends | Qualified Dividends | Total Capital Gain Distributions | Unrecaptured Section 1250 Gain | Nondividend Distributions |
12/30/202201/17/2023$0.1250$0.089588$0.000000$0.00$0$0.035412
03/31/202304/17/2023$0.1250$0.089588$0.000000$0.00$0$0.035412
"""  # noqa: E501


def test_a_whole_dollar_figure_among_glued_cells_is_a_cell() -> None:
    rows = written(GLUED_WHOLE_DOLLARS)
    assert [row["payable_date"] for row in rows] == ["2023-01-17", "2023-04-17"]
    assert [row["unrecaptured_1250"] for row in rows] == ["$0", "$0"]
    assert [row["return_of_capital"] for row in rows] == ["$0.035412", "$0.035412"]


def test_percentages_short_of_100_prove_nothing_and_nothing_is_made_up() -> None:
    # 89.5% + 10% is not 100%: no return of capital is printed to make up the rest
    short = PERCENT_NO_RETURN.replace("90.0000 %", "89.5000 %")
    result = parse_release(short, source_name="heldout.txt")
    assert not result.ok and not result.payments


# A second table after the first, for a payment the first has no row for, its row ending
# in a note: the payment is never left unread.
NOTED_SECOND_TABLE = """
Example Realty Announces Tax Treatment of 2023 Distributions
Common Stock (CUSIP 41196Q100)
Record Date  Payable Date  Distribution Per Share  Ordinary Dividends  Capital Gain  Return of Capital
03/31/2023  04/14/2023  $0.30  $0.20  $0.05  $0.05
06/30/2023  07/14/2023  $0.30  $0.20  $0.05  $0.05

Record Date  Payable Date  Distribution Per Share  Ordinary Dividends  Capital Gain  Return of Capital
09/29/2023  10/13/2023  $0.30  $0.10  $0.10  $0.10 special dividend paid in cash
"""  # noqa: E501


def test_a_second_table_whose_row_ends_in_a_note_is_never_left_unread() -> None:
    result = parse_release(NOTED_SECOND_TABLE, source_name="heldout.txt")
    assert not result.ok and not result.payments


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        # a ticker is all the heading says of its class: it stays the class's name
        ("Ticker Symbol EXW, CUSIP 41196Q100", "Ticker Symbol EXW"),
        # a CUSIP printed in lower case is one
        ("Common Stock (CUSIP 41196q100)", "Common Stock"),
        ("Common Stock (Symbol: EXW) (CUSIP 41196Q100)", "Common Stock"),
    ],
)
def test_a_headings_ticker_and_a_cusip_in_lower_case(heading: str, name: str) -> None:
    rows = written(
        "Example Warehouse Trust Announces Tax Treatment of 2022 Distributions\n"
        f"{heading}\n"
        "Record Date | Payable Date | Dividend per Share | Ordinary Dividends | Return of Capital\n"
        "03/31/2022 | 04/14/2022 | $0.50 | $0.40 | $0.10\n"
    )
    assert {(row["class_name"], row["cusip"]) for row in rows} == {(name, CUSIP)}
