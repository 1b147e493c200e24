"""The general reader's rules for what the arithmetic alone cannot tell, on made-up releases.

Each release below is ours: its words and figures are made up, in the shape of a
real release of the corpus (``tests/releases/corpus``) that once needed the rule:

* the annual line's whole payments and adjustments are the payments' sums.

Each rule is shown where it must decide and where it must not: the same figures
under another header order give other boxes, and with the evidence gone the
release is refused, not guessed.
"""

from __future__ import annotations

from xl_reit.importer import ImportResult, parse_release

CUSIP = "41196Q100"


def imported(text: str) -> ImportResult:
    return parse_release(text, source_name="made-up.txt")


def problems(result: ImportResult) -> str:
    return " ".join(f.message for f in result.report.of_kind("problem"))


# --- the annual line's whole payments ---------------------------------------------------


def test_an_annual_adjustment_that_is_not_the_payments_sum_is_refused_naming_it() -> None:
    lines = [
        "Example Lending Trust Announces Tax Treatment of 2023 Dividends",
        f"Common Stock (CUSIP {CUSIP})",
        "Record Date Payment Date Cash Distribution Adjustment Total Distribution "
        "Ordinary Dividends Qualified Dividends Capital Gain Dividends Return of Capital",
        "Dec 30, 2022 Jan 13, 2023 $0.40 ($0.15) $0.25 $0.20000 $0.00000 $0.00000 $0.05000",
        "Mar 31, 2023 Apr 14, 2023 $0.40 $0.00 $0.40 $0.32000 $0.00000 $0.00000 $0.08000",
        "Jun 30, 2023 Jul 14, 2023 $0.40 $0.00 $0.40 $0.32000 $0.00000 $0.00000 $0.08000",
    ]
    totals = "$1.20 ({}) $1.05 $0.84000 $0.00000 $0.00000 $0.21000"
    printed = imported("\n".join([*lines, totals.format("$0.15")]))
    assert printed.ok, printed.report_text()
    changed = imported("\n".join([*lines, totals.format("$0.25")]))
    assert not changed.ok and not changed.payments
    assert "0.25" in problems(changed) and "-0.15" in problems(changed), changed.report_text()
