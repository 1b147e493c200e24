"""Every payment of every class, every component: the release's printed figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xl_reit import lookup
from xl_reit.udfs import REIT_ALLOC, REIT_DIVIDEND

from release_2004 import ANNUAL_DIVIDENDS, CLASSES, PAYMENTS, PERCENTAGES, of_the_release


def test_the_table_holds_the_releases_eight_classes_in_its_order() -> None:
    assert [(c.symbol, c.cusip, c.class_name) for c in of_the_release(lookup.classes())] == [
        (symbol, cusip.replace("-", ""), name) for symbol, cusip, name in CLASSES
    ]


def test_the_table_holds_exactly_the_releases_27_payments() -> None:
    found = [
        (c.cusip, str(p.record_date), str(p.payable_date), p.dividend_per_share)
        for c in of_the_release(lookup.classes())
        for p in c.payments
    ]
    assert found == [
        (cusip.replace("-", ""), record, payable, Decimal(dividend))
        for cusip, record, payable, dividend in PAYMENTS
    ]


@pytest.mark.parametrize(("cusip", "record", "payable", "dividend"), PAYMENTS)
@pytest.mark.parametrize("component", sorted(PERCENTAGES))
def test_every_payment_splits_as_printed(
    cusip: str, record: str, payable: str, dividend: str, component: str
) -> None:
    expected = PERCENTAGES[component] / 100
    assert lookup.allocation(cusip, payable, component) == expected
    assert lookup.allocation(cusip, record, component) == expected
    assert REIT_ALLOC(cusip, dt.datetime.fromisoformat(payable), component) == float(expected)


@pytest.mark.parametrize(("cusip", "record", "payable", "dividend"), PAYMENTS)
def test_every_payment_pays_the_printed_dividend(
    cusip: str, record: str, payable: str, dividend: str
) -> None:
    assert lookup.dividend(cusip, payable) == Decimal(dividend)
    assert REIT_DIVIDEND(cusip, dt.datetime.fromisoformat(record)) == float(dividend)


@pytest.mark.parametrize(("cusip", "printed"), ANNUAL_DIVIDENDS.items())
def test_annual_dividend_is_the_printed_annual_line(cusip: str, printed: str | None) -> None:
    total = sum(Decimal(p[3]) for p in PAYMENTS if p[0] == cusip)
    # Aimco's common is bundled for 2013 too, so its "annual" names the year.
    assert lookup.dividend(cusip, "annual", tax_year=2004) == total
    if printed is not None:
        assert total == Decimal(printed)


def test_class_t_annual_dividend_is_not_printed_and_says_so() -> None:
    printed = lookup.find_class("AIVPrT").printed_annual
    assert printed is not None and printed.dividend_per_share is None
    assert "not printed" in printed.notes


@pytest.mark.parametrize(
    ("box", "parts"),
    [
        ("1a", ("ordinary", "qualified")),
        ("1b", ("qualified",)),
        ("2a", ("capital_gain", "unrecaptured_1250")),
        ("2b", ("unrecaptured_1250",)),
        ("3", ("return_of_capital",)),
    ],
)
def test_2004_form_1099_div_boxes_add_the_printed_parts(box: str, parts: tuple[str, ...]) -> None:
    expected = sum(PERCENTAGES[part] for part in parts) / 100
    for cusip, _record, payable, _dividend in PAYMENTS:
        assert lookup.allocation(cusip, payable, box) == expected
        assert lookup.allocation(cusip, payable, f"Box {box}") == expected


def test_the_transcribed_percentages_add_to_100() -> None:
    """A check of the hand transcription itself: the five printed parts add to exactly 100%."""
    assert sum(PERCENTAGES.values()) == Decimal(100)
