"""The lookup core, fed what people and Excel actually send."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from xl_reit import lookup
from xl_reit.errors import (
    InvalidCusipError,
    InvalidDateError,
    InvalidSharesError,
    NoPaymentError,
    UnknownComponentError,
    UnknownSecurityError,
)

QUALIFIED = Decimal("0.013268")  # 1.3268%, printed on every row


@pytest.mark.parametrize(
    "security",
    [
        "03748R-10-1",
        "03748R101",
        "03748r101",
        "03748R 10 1",
        " 03748R-10-1 ",
        "US03748R1014",
        "us03748r1014",
        "AIV",
        "aiv",
    ],
)
def test_class_a_is_found_by_every_spelling(security: str) -> None:
    assert lookup.find_class(security).cusip == "03748R101"


@pytest.mark.parametrize("symbol", ["AIVPrD", "AIV-PD", "AIV.PR.D", "AIV PRD", "AIVpD", "AIV.PRD"])
def test_class_d_is_found_by_every_preferred_symbol_dialect(symbol: str) -> None:
    assert lookup.find_class(symbol).cusip == "03748R309"


def test_a_numeric_cusip_from_excel_is_padded_back_to_nine_characters() -> None:
    # An all-digit CUSIP typed in a cell becomes a float and loses its
    # leading zeros; no Aimco CUSIP is all digits, so this one is unknown,
    # but it is read as the CUSIP 037833100, not refused as a number.
    with pytest.raises(UnknownSecurityError, match="CUSIP 037833-10-0 is not in the table"):
        lookup.find_class(37833100.0)


def test_a_fractional_number_is_not_a_cusip() -> None:
    with pytest.raises(InvalidCusipError, match="only be an all-digit CUSIP"):
        lookup.find_class(3.5)


def test_wrong_check_digit_says_which_was_expected() -> None:
    expected = r"cusip '03748R-10-2': check digit is '2', expected '1'"
    with pytest.raises(InvalidCusipError, match=expected):
        lookup.allocation("03748R-10-2", "2004-02-27", "qualified")


def test_unknown_valid_cusip_lists_near_matches() -> None:
    with pytest.raises(UnknownSecurityError, match=r"near matches: 03748R-.*") as caught:
        lookup.find_class("03748R-20-0")
    assert "03748R-20-0 is not in the table" in str(caught.value)


def test_unknown_symbol_lists_the_known_classes() -> None:
    with pytest.raises(UnknownSecurityError, match=r"known: AIV \(03748R-10-1\), AIVPrD"):
        lookup.find_class("MSFT")


def test_blank_security_is_refused_by_name() -> None:
    for blank in (None, "", "   "):
        with pytest.raises(InvalidCusipError, match=r"^cusip is blank"):
            lookup.find_class(blank)


@pytest.mark.parametrize(
    "payment_date",
    [
        "2004-02-27",
        "2004-02-20",
        "02/27/04",
        "2/27/2004",
        dt.date(2004, 2, 27),
        dt.datetime(2004, 2, 20),
        pd.Timestamp("2004-02-27"),
        np.datetime64("2004-02-20"),
        38044.0,
        38037.0,
        Decimal("38044"),
    ],
)
def test_record_or_payable_date_in_any_form_selects_the_payment(payment_date: object) -> None:
    payment = lookup.find_payment("AIV", payment_date)
    assert payment.payable_date == dt.date(2004, 2, 27)
    assert lookup.allocation("AIV", payment_date, "qualified") == QUALIFIED


@pytest.mark.parametrize("whole_year", ["annual", "ANNUAL", " Annual ", 2004, 2004.0, "2004"])
def test_annual_or_the_tax_year_selects_the_whole_year(whole_year: object) -> None:
    assert lookup.dividend("AIVPrU", whole_year) == Decimal("1.081775")
    assert lookup.allocation("AIVPrU", whole_year, "1a") == Decimal("0.029856")


def test_annual_fractions_are_weighted_by_dividend() -> None:
    # U's two payments differ in size; with equal splits the weighted split is
    # the same, exactly.
    assert lookup.allocation("AIVPrU", "annual", "capital_gain") == Decimal("0.73608")


def test_another_tax_year_is_refused_with_the_valid_choices() -> None:
    # Aimco's common is bundled for its 2004 and 2013 releases.
    expected = "covers tax years 2004, 2013; give one of those, 'annual' or a payment date"
    with pytest.raises(NoPaymentError, match=expected):
        lookup.dividend("AIV", 2005)


def test_a_date_without_payment_lists_the_class_payment_dates() -> None:
    with pytest.raises(NoPaymentError) as caught:
        lookup.allocation("03748R861", "2004-01-15", "1a")
    message = str(caught.value)
    assert message.startswith("payment_date 2004-01-15: Class P Convertible")
    assert "2004-04-01 (record) / 2004-04-15 (payable)" in message


def test_an_unreadable_date_is_an_invalid_date_error() -> None:
    with pytest.raises(InvalidDateError, match=r"^payment_date 'someday' is not a date"):
        lookup.allocation("AIV", "someday", "1a")


def test_an_unknown_component_lists_the_valid_names() -> None:
    with pytest.raises(UnknownComponentError, match="valid: ordinary, qualified"):
        lookup.allocation("AIV", "2004-02-27", "dividends")


@pytest.mark.parametrize("blank", [None, "", 3.0])
def test_a_blank_or_numeric_component_is_refused_by_name(blank: object) -> None:
    with pytest.raises(UnknownComponentError, match=r"^component "):
        lookup.allocation("AIV", "2004-02-27", blank)


def test_amount_is_dividend_times_fraction_times_shares_exactly() -> None:
    # Class G: $0.5859375 × 23.4064% × 1000 shares.
    expected = Decimal("0.5859375") * Decimal("0.234064") * 1000
    assert lookup.amount("AIVPrG", "2004-01-15", "2b", 1000) == expected
    assert lookup.amount("AIVPrG", "2004-01-15", "2b", 1000.0) == expected
    assert lookup.amount("AIVPrG", "2004-01-15", "2b") == expected / 1000


@pytest.mark.parametrize("shares", [-1, float("nan"), float("inf"), "100", None, True])
def test_bad_share_counts_are_refused_by_name(shares: object) -> None:
    with pytest.raises(InvalidSharesError, match=r"^shares "):
        lookup.amount("AIV", "2004-02-27", "1a", shares)


def test_payments_are_in_payable_date_order() -> None:
    dates = [p.payable_date for p in lookup.payments("AIVPrQ")]
    assert dates == sorted(dates) and len(dates) == 4


# --- five issuers call a class "Common Stock": messages name its ticker --------


def test_a_date_without_payment_names_the_class_by_its_ticker_and_cusip() -> None:
    # Simon Property Group's common stock: NYSE SPG, CUSIP 828806-10-9.
    with pytest.raises(NoPaymentError, match=r"Common Stock \(SPG, 828806-10-9\) paid nothing"):
        lookup.dividend("SPG", "2023-01-01")


def test_another_tax_year_names_the_class_by_its_ticker() -> None:
    with pytest.raises(NoPaymentError, match=r"the table for Common Stock \(WPC\) covers tax year"):
        lookup.dividend("WPC", 2022)


def test_annual_for_a_class_of_several_years_names_it_by_its_ticker() -> None:
    with pytest.raises(NoPaymentError, match=r"'annual': Common Stock \(STAG\) has tables for"):
        lookup.dividend("STAG", "annual")
