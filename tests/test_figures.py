"""What a line's printed figures determine, and the checks that hold them together.

Each case is a line as a real release prints it (figures copied from the
release named), or a small variation of one that must be refused.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from xl_reit.figures import half_unit, resolve
from xl_reit.model import Printed


def dollars(**figures: str) -> dict[str, Printed]:
    return {name: Printed(dollars=Decimal(value)) for name, value in figures.items()}


def percents(**figures: str) -> dict[str, Printed]:
    return {name: Printed(percent=Decimal(value)) for name, value in figures.items()}


# W. P. Carey's 10/19/23 payment (2023 release): its parts add up to $0.7626667, the
# dividend is printed $0.762667.
WPC_OCTOBER = dollars(
    total_ordinary="0.5791675",
    total_capital_gain="0.0521561",
    return_of_capital="0.1313431",
    qualified="0.0017749",
    unrecaptured_1250="0.0521561",
    section_897_ordinary="0.0464471",
    section_897_capital_gain="0.0521561",
    section_199a="0.5773926",
)
# Aimco's every payment (2004 release), in percent of the dividend.
AIMCO = percents(
    ordinary="1.6588",
    qualified="1.3268",
    capital_gain="73.6080",
    unrecaptured_1250="23.4064",
    return_of_capital="0.0000",
)


def test_half_a_unit_of_the_last_printed_digit() -> None:
    assert half_unit(Decimal("0.762667")) == Decimal("0.0000005")
    assert half_unit(Decimal("1.3268")) == Decimal("0.00005")
    assert half_unit(Decimal("0")) == 0  # a printed "-" or "0" is exactly nil


def test_the_issuers_rounding_is_accepted_and_reported() -> None:
    result = resolve(WPC_OCTOBER, Decimal("0.762667"))
    assert result.problems == []
    (note,) = result.rounding
    assert "$0.7626667" in note and "$0.762667" in note and "$0.0000003" in note


def test_a_difference_beyond_the_printed_digits_is_refused_naming_figures_and_amounts() -> None:
    bad = dict(WPC_OCTOBER, return_of_capital=Printed(dollars=Decimal("0.1313491")))
    (problem,) = resolve(bad, Decimal("0.762667")).problems
    columns, message = problem
    assert columns == "total_ordinary, total_capital_gain, return_of_capital"
    assert message == (
        "total ordinary $0.5791675 + total capital gain $0.0521561 + return of capital "
        "$0.1313491 add up to $0.7626727, not the dividend $0.762667: a difference of "
        "$0.0000057, more than the printed digits allow ($0.00000065)"
    )


def test_each_printed_figure_rounds_so_a_sum_may_differ_by_their_halves_together() -> None:
    # HASI's 2023 release, to four places: 0.2069 + 0.1649 + 0.0231 = 0.3949 against a
    # $0.3950 dividend is the rounding of four figures (at most 4 x $0.00005 = $0.0002) ...
    april = dollars(
        total_ordinary="0.2069", total_capital_gain="0.1649", return_of_capital="0.0231"
    )
    assert resolve(april, Decimal("0.3950")).problems == []
    # ... and 0.1965 + 0.1566 + 0.0222 = 0.3753 against $0.3750 is not.
    january = dollars(
        total_ordinary="0.1965", total_capital_gain="0.1566", return_of_capital="0.0222"
    )
    (problem,) = resolve(january, Decimal("0.3750")).problems
    assert "$0.3753" in problem[1] and "$0.0003" in problem[1] and "($0.00020)" in problem[1]


def test_nothing_is_pushed_into_a_figure_to_make_a_sum_come_out() -> None:
    figures = resolve(WPC_OCTOBER, Decimal("0.762667")).figures
    assert figures["total_ordinary"].dollars == Decimal("0.5791675")  # as printed
    assert figures["return_of_capital"].dollars == Decimal("0.1313431")


def test_figures_inside_a_box_are_read_as_printed_and_ordinary_is_1a_less_1b() -> None:
    figures = resolve(WPC_OCTOBER, Decimal("0.762667")).figures
    assert figures["section_897_ordinary"].dollars == Decimal("0.0464471")  # box 2e
    assert figures["section_897_capital_gain"].dollars == Decimal("0.0521561")  # box 2f
    assert figures["ordinary"].dollars == Decimal("0.5773926")  # 0.5791675 - 0.0017749
    assert figures["ordinary"].derivation == "total ordinary less qualified"
    assert figures["capital_gain"].dollars == 0  # 2a is all unrecaptured 1250


def test_section_199a_may_overlap_qualified_dividends_as_one_release_prints_them() -> None:
    # Section 199A dividends equal to box 1a while box 1b is not zero: 1b + 5 > 1a.
    line = dollars(
        total_ordinary="0.500000",
        qualified="0.020000",
        section_199a="0.500000",
        total_capital_gain="0.100000",
        return_of_capital="0.050000",
    )
    result = resolve(line, Decimal("0.650000"))
    assert result.problems == []
    assert result.figures["section_199a"].fraction == result.figures["total_ordinary"].fraction


def test_a_figure_larger_than_the_box_it_sits_in_is_refused() -> None:
    line = dollars(total_ordinary="0.50", section_199a="0.51", total_capital_gain="0.50")
    (problem,) = resolve(line, Decimal("1.00")).problems
    assert problem == (
        "section_199a",
        "Section 199A $0.51 is more than total ordinary $0.50, which includes it",
    )


def test_parts_that_make_up_the_dividend_make_the_missing_ones_zero() -> None:
    # A preferred class that prints ordinary, capital gain and return of capital only.
    line = percents(ordinary="70.0000", capital_gain="25.0000", return_of_capital="5.0000")
    figures = resolve(line, Decimal("0.4375")).figures
    assert figures["qualified"].dollars == 0 and figures["unrecaptured_1250"].dollars == 0
    assert figures["total_ordinary"].fraction == Decimal("0.7")


def test_a_figure_no_printed_figure_determines_is_left_out_not_guessed() -> None:
    # STAG prints 1a, 2a, 2b, 3 and 5, but no qualified dividends.
    line = dollars(
        total_ordinary="0.101881",
        total_capital_gain="0.019786",
        unrecaptured_1250="0.007360",
        return_of_capital="0.000000",
        section_199a="0.101881",
    )
    figures = resolve(line, Decimal("0.121667")).figures
    assert "qualified" not in figures and "ordinary" not in figures
    assert figures["capital_gain"].dollars == Decimal("0.012426")  # 2a less 2b


def test_percentages_of_the_2004_release_stay_exact() -> None:
    figures = resolve(AIMCO, Decimal("0.600")).figures
    assert figures["qualified"].fraction == Decimal("0.013268")
    assert figures["qualified"].dollars == Decimal("0.0079608")
    assert figures["total_ordinary"].fraction == Decimal("0.029856")


def test_percentages_that_miss_100_are_refused_as_the_2004_table_always_was() -> None:
    line = dict(AIMCO, ordinary=Printed(percent=Decimal("1.6589")))
    (problem,) = resolve(line, Decimal("0.600")).problems
    assert problem[1] == "components add up to 100.0001%, not 100% (percentages of the payment)"


@pytest.mark.parametrize(
    ("printed", "fine"),
    [
        # Realty Income 2023: $2.8434500 (93.197%) of $3.0510000.
        (Printed(Decimal("2.8434500"), Decimal("93.197")), True),
        (Printed(Decimal("2.8434500"), Decimal("93.297")), False),
    ],
)
def test_a_figure_printed_in_dollars_and_percent_must_be_both(printed: Printed, fine: bool) -> None:
    line = {"total_ordinary": printed, "return_of_capital": Printed(Decimal("0.2075500"))}
    problems = resolve(line, Decimal("3.0510000")).problems
    assert (problems == []) is fine


# HASI's 12/28/2022 payment (2023 release): its parts add up to $0.3753 against the $0.3750
# dividend it prints, the issuer's own disagreement, beyond its four printed decimals.
HASI_JANUARY = dollars(
    total_ordinary="0.1965",
    return_of_capital="0.0222",
    total_capital_gain="0.1566",
    section_199a="0.1965",
)


def test_parts_the_release_prints_beyond_its_dividend_are_refused_unless_stated() -> None:
    (problem,) = resolve(HASI_JANUARY, Decimal("0.3750")).problems
    assert "$0.3753" in problem[1] and "$0.3750" in problem[1]


def test_a_stated_excess_keeps_the_parts_as_printed_and_says_so() -> None:
    result = resolve(HASI_JANUARY, Decimal("0.3750"), Decimal("0.0003"))
    assert result.problems == []
    (note,) = result.rounding
    assert "$0.3753" in note and "$0.0003 more than the dividend $0.3750" in note
    assert "as printed" in note
    ordinary = result.figures["total_ordinary"]
    assert ordinary.dollars == Decimal("0.1965") and ordinary.printed
    # a fraction is of the dividend paid: 0.1965 / 0.3750
    assert ordinary.fraction == Decimal("0.524")


@pytest.mark.parametrize("excess", ["0.0004", "0.00031", "-0.0003"])
def test_a_stated_excess_must_be_exactly_what_the_parts_add_up_to_beyond(excess: str) -> None:
    (problem,) = resolve(HASI_JANUARY, Decimal("0.3750"), Decimal(excess)).problems
    assert problem[0] == "parts_excess"
    assert "the printed parts add up to $0.3753, $0.0003 beyond the dividend $0.3750" in problem[1]


def test_an_excess_is_refused_where_the_parts_add_up_without_it() -> None:
    # $0.3751 against $0.3750: within four figures' rounding, so no disagreement to keep
    fine = dict(HASI_JANUARY, return_of_capital=Printed(dollars=Decimal("0.0220")))
    (problem,) = resolve(fine, Decimal("0.3750"), Decimal("0.0001")).problems
    assert problem[0] == "parts_excess"
    assert "add up to the dividend $0.3750" in problem[1] and "leave it blank" in problem[1]


def test_an_excess_needs_every_part_printed() -> None:
    # without return of capital printed, it would be derived from a sum that does not hold
    partial = {k: v for k, v in HASI_JANUARY.items() if k != "return_of_capital"}
    (problem,) = resolve(partial, Decimal("0.3750"), Decimal("0.0003")).problems
    assert problem[0] == "parts_excess"
    assert "does not print the dividend and every part" in problem[1]
