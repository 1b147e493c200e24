"""Form 1099-DIV boxes from shares held: exact dollars, boxes chosen by the form's year."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from xl_reit import lookup
from xl_reit.components import COMPONENTS
from xl_reit.form1099 import compute, form_boxes, payment_amount, shown_figures
from xl_reit.holdings import read_holdings
from xl_reit.model import Payment
from xl_reit.table import AllocationTable, load_table

from release_2004 import of_the_release

EXAMPLE_2019 = Path(__file__).parent / "data" / "example-2019.csv"
AIV_2005 = Path(__file__).parent / "data" / "aiv-2005.csv"

DATA = Path(__file__).parent / "data"

# Expected dollars, worked out by hand from the release's printed figures: a
# payment's parts are ordinary 1.6588%, qualified 1.3268%, capital gain
# 73.6080%, unrecaptured 1250 23.4064%, return of capital 0.0000%; so box 1a
# (ordinary + qualified) is 2.9856% and box 2a (capital gain + 1250) 97.0144%.
#
# Class A, 100 shares on its 4 payments of $0.600: $240.00 in all.
CLASS_A_100 = {
    "1a": Decimal("7.16544"),
    "1b": Decimal("3.18432"),
    "2a": Decimal("232.83456"),
    "2b": Decimal("56.17536"),
    "3": Decimal("0"),
}
# Class G, 250 shares on its 4 payments of $0.5859375: $585.9375 in all.
CLASS_G_250 = {
    "1a": Decimal("17.49375"),
    "1b": Decimal("7.77421875"),
    "2a": Decimal("568.44375"),
    "2b": Decimal("137.146875"),
    "3": Decimal("0"),
}
# Class U, 40 shares on its payments of $0.5974 and $0.484375: $43.271 in all.
CLASS_U_40 = {
    "1a": Decimal("1.291898976"),
    "1b": Decimal("0.574119628"),
    "2a": Decimal("41.979101024"),
    "2b": Decimal("10.128183344"),
    "3": Decimal("0"),
}


def test_the_2004_form_has_boxes_1a_1b_2a_2b_and_3_from_the_components_vocabulary() -> None:
    boxes = form_boxes(2004, shown_figures(of_the_release(lookup.classes())))
    assert [(box.heading, box.component.name) for box in boxes] == [
        ("Box 1a", "total_ordinary"),
        ("Box 1b", "qualified"),
        ("Box 2a", "total_capital_gain"),
        ("Box 2b", "unrecaptured_1250"),
        ("Box 3", "return_of_capital"),
    ]


def test_a_box_adds_the_published_parts_of_its_component() -> None:
    parts = shown_figures(of_the_release(lookup.classes()))
    assert parts == (
        "ordinary",
        "qualified",
        "capital_gain",
        "unrecaptured_1250",
        "return_of_capital",
    )
    by_box = {box.number: box.parts(parts) for box in form_boxes(2004, parts)}
    assert by_box == {
        "1a": ("ordinary", "qualified"),
        "1b": ("qualified",),
        "2a": ("capital_gain", "unrecaptured_1250"),
        "2b": ("unrecaptured_1250",),
        "3": ("return_of_capital",),
    }


def test_one_payment_is_shares_times_dividend_times_fraction_exactly() -> None:
    payment = lookup.find_payment("AIVPrG", "2004-01-15")
    qualified = COMPONENTS["qualified"]
    assert payment_amount(payment, qualified, Decimal(1)) == Decimal("0.00777421875")
    assert payment_amount(payment, qualified, Decimal(0)) == 0


def test_the_form_for_a_holdings_file_matches_the_figures_worked_out_by_hand() -> None:
    holdings = read_holdings(DATA / "holdings-by-class.csv", tax_year=2004)  # AIV has 2013 too
    (form,) = compute(holdings.classes, holdings.shares_for)
    assert form.tax_year == 2004
    assert {line.security.symbol: dict(line.amounts) for line in form.lines} == {
        "AIV": CLASS_A_100,
        "AIVPrG": CLASS_G_250,
        "AIVPrU": CLASS_U_40,
    }
    assert dict(form.total) == {
        box: CLASS_A_100[box] + CLASS_G_250[box] + CLASS_U_40[box] for box in CLASS_A_100
    }


def test_payments_without_shares_add_nothing() -> None:
    def none_held(payment: Payment) -> Decimal | None:
        return None

    (form,) = compute(of_the_release(lookup.classes()), none_held)
    assert len(form.lines) == 8
    assert set(form.total.values()) == {Decimal(0)}


def test_a_later_years_form_adds_section_199a_to_box_1a_and_reports_it_in_box_5() -> None:
    table = load_table([EXAMPLE_2019])  # a made-up 2019 table with a Section 199A column
    example = table.classes[("037833100", 2019)]
    (form,) = compute([example], lambda payment: Decimal(100))  # $50 paid in all
    assert [box.number for box in form.boxes] == ["1a", "1b", "2a", "2b", "3", "5"]
    assert dict(form.total) == {
        "1a": Decimal("35"),  # qualified 10% + Section 199A 60%
        "1b": Decimal("5"),
        "2a": Decimal("12.5"),
        "2b": Decimal("2.5"),
        "3": Decimal("2.5"),
        "5": Decimal("30"),
    }


def test_each_tax_year_gets_its_own_form() -> None:
    own = AIV_2005  # a made-up 2005 table for Class A: same CUSIP, next tax year
    table: AllocationTable = load_table([own])
    forms = compute(table.by_cusip["03748R101"], lambda payment: Decimal(100))
    assert [(form.tax_year, form.total["1b"]) for form in forms] == [
        (2004, CLASS_A_100["1b"]),
        (2005, Decimal("6")),  # 100 × $0.60 × 10%
        (2013, Decimal("0")),  # Aimco's 2013 release: qualified 0.00000% on every payment
    ]
