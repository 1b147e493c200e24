"""Shapes found on real releases kept apart from the corpus, each in a release of our own.

The corpus (``tests/releases/corpus``) is what the reader was built against;
these are shapes that releases outside it print and that the reader once
failed on. Each release here keeps such a layout with figures of our own,
worked by hand: the expected values are typed, not computed.
"""

from __future__ import annotations

from decimal import Decimal

from xl_reit.importer import GivenCusip, ImportResult, parse_release

CUSIP = "41196Q100"  # a check-digit-valid CUSIP of no real class


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
