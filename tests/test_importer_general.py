"""The general reader's rules for what the arithmetic alone cannot tell, on made-up releases.

Each release below is ours: its words and figures are made up, in the shape of a
real release of the corpus (``tests/releases/corpus``) that once needed the rule:

* a header stacked over rows of cells, one cell a line, the rows parted by a line
  of pipes: its cells are aligned to the columns by count, and where more than
  one column could hold a payment's one non-zero part, the header's phrases over
  each column say which (DDR's 2009 layout);
* a column named for the tax year's taxable amount beside a cash column: it is
  the year's part of the payment, and the one box it names is all of it; the
  boxes it does not print are not printed (Digital Realty's 2010 layout);
* the annual line's whole payments and adjustments are the payments' sums (else a gap).

Each rule is shown where it must decide and where it must not: the same figures
under another header order give other boxes, and with the evidence gone the
release is refused, not guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from xl_reit import lookup
from xl_reit.importer import ImportResult, parse_release

CUSIP = "41196Q100"


def imported(text: str) -> ImportResult:
    return parse_release(text, source_name="made-up.txt")


def problems(result: ImportResult) -> str:
    return " ".join(f.message for f in result.report.of_kind("problem"))


def gaps(result: ImportResult) -> str:
    return " ".join(f.message for f in result.report.of_kind("gap"))


# --- a header stacked over rows of cells ------------------------------------------------

#: Each payment: its period, record and payable dates, then five figures.
PAYMENTS = (
    ("1Q11", "3/10/2011", "4/20/2011"),
    ("2Q11", "6/9/2011", "7/20/2011"),
    ("3Q11", "9/22/2011", "10/14/2011"),
)


def stacked(header: Sequence[Sequence[str]], figures: Sequence[str], total: str) -> str:
    """A release laid out one cell a line, each cell ending " |", each row of the header
    ended by a line of pipes (its empty cells), each payment row by a "|" line; every
    payment prints ``figures``."""
    lines = [
        "Example Shopping Centers Announces Tax Allocations of 2011 Dividend Distributions",
        "AKRON, Jan. 18 /Example Wire/ -- Example Shopping Centers Corp. (NYSE: EXS) gave "
        "today how its 2011 dividends on its common shares are taxed.",
        "Common Shares (NYSE:EXS) |",
        "||||||||",
        f"Cusip: {CUSIP[:6]} {CUSIP[6:]} |",
        "||||||||",
    ]
    for row in header:
        lines += [f"{cell} |" for cell in row]
        lines.append("|" * (9 - len(row)))
    for payment in PAYMENTS:
        lines += [f"{cell} |" for cell in (*payment, *figures)]
        lines.append("|")
    lines += [f"{cell} |" for cell in ("Total", *total.split())]
    lines.append("|||")
    return "\n".join(lines) + "\n"


#: The columns as DDR prints them: not in box order, the dividend after the parts, the
#: three rows of the header over the columns from the right.
IN_PRINTED_ORDER = (
    ("Unrecaptured",),
    ("Record", "Payable", "Ordinary", "Total", "Return of", "Total", "Sec. 1250"),
    ("Period", "Date", "Date", "Dividends", "Capital Gain", "Capital (1)", "Dividends", "Gain (2)"),
)
#: The same columns with ordinary dividends and return of capital changed over.
RETURN_FIRST = (
    ("Unrecaptured",),
    ("Record", "Payable", "Return of", "Total", "Ordinary", "Total", "Sec. 1250"),
    ("Period", "Date", "Date", "Capital (1)", "Capital Gain", "Dividends", "Dividends", "Gain (2)"),
)
#: One non-zero part, which the arithmetic alone could put in any of three columns.
FIGURES = ("0.150000", "0.000000", "0.000000", "0.150000", "0.000000")
TOTAL = "0.450000 0.000000 0.000000 0.450000 0.000000"


def test_a_stacked_headers_rows_are_aligned_to_the_columns_by_count() -> None:
    result = imported(stacked(IN_PRINTED_ORDER, FIGURES, TOTAL))
    assert result.ok, result.report_text()
    table = result.table()
    for _, _, payable in PAYMENTS:
        when = dt.datetime.strptime(payable, "%m/%d/%Y").date()
        assert lookup.dividend(CUSIP, when, table=table) == Decimal("0.150000")
        assert lookup.amount(CUSIP, when, "1a", table=table) == Decimal("0.150000")
        for box in ("2a", "2b", "3"):
            assert lookup.amount(CUSIP, when, box, table=table) == 0, box
    assert lookup.dividend(CUSIP, "annual", table=table, tax_year=2011) == Decimal("0.450000")


def test_the_stacked_headers_phrases_not_the_columns_places_decide() -> None:
    # The same figures, the header's first two part columns changed over: the one non-zero
    # part is now return of capital, as the header over its column says.
    result = imported(stacked(RETURN_FIRST, FIGURES, TOTAL))
    assert result.ok, result.report_text()
    first = result.payments[0]
    assert first.printed["return_of_capital"].dollars == Decimal("0.150000")
    assert first.printed["total_ordinary"].dollars == 0
    assert first.printed["total_capital_gain"].dollars == 0
    assert first.printed["unrecaptured_1250"].dollars == 0


def test_a_stacked_header_whose_rows_cannot_be_told_is_refused_as_ambiguous() -> None:
    # Every header cell parted from the next by a blank line: no rows of cells to align,
    # and the arithmetic fits the one non-zero part in several columns.
    text = stacked(IN_PRINTED_ORDER, FIGURES, TOTAL)
    start, end = text.index("Unrecaptured |"), text.index("1Q11 |")
    header = "\n\n".join(line for line in text[start:end].splitlines() if line.strip("|"))
    result = imported(text[:start] + header + "\n\n" + text[end:])
    assert not result.ok and not result.payments
    assert "can be read more than one way" in problems(result)


# --- a column named for the tax year's taxable amount -----------------------------------


def year_column(header: str, total: str = "$1.220000 $0.800000") -> str:
    """A release of space-separated rows: the cash dividend and a column for the tax year's
    part, split at both ends of the year."""
    return "\n".join(
        [
            "Example Data Trust, Inc. Announces Tax Treatment of 2015 Dividends",
            "SAN JOSE, Jan. 20, 2016 /Example Wire/ -- Example Data Trust (NYSE:EXD) today "
            "gave the tax treatment of its 2015 common dividends, all of them ordinary income.",
            "",
            "Example Data Trust, Inc. Common Stock Dividends",
            "",
            f"CUSIP # {CUSIP}",
            "",
            "Declaration Dates Record Dates Payment Dates Cash Dividend",
            "($ per share)",
            header,
            "($ per share)",
            "10/20/2014 12/15/2014 01/15/2015 $0.400000 $0.250000",
            "02/20/2015 03/15/2015 03/31/2015 $0.400000 $0.400000",
            "10/28/2015 12/15/2015 01/14/2016 $0.420000 $0.150000",
            f"2015 Totals {total}",
            "",
        ]
    )


def test_a_column_named_for_the_tax_years_taxable_amount_is_its_dividend_and_box() -> None:
    for header in ("2015 Taxable Ordinary Dividend", "Ordinary Dividend Taxable in 2015"):
        result = imported(year_column(header))
        assert result.ok, (header, result.report_text())
        table = result.table()
        for payable, part in (
            ("2015-01-15", "0.250000"),
            ("2015-03-31", "0.400000"),
            ("2016-01-14", "0.150000"),
        ):
            assert lookup.dividend(CUSIP, payable, table=table, tax_year=2015) == Decimal(part)
            assert lookup.amount(CUSIP, payable, "1a", table=table, tax_year=2015) == Decimal(part)
        split = {p.payable_date: p for p in result.payments if p.payable_date}
        first, last = split[dt.date(2015, 1, 15)], split[dt.date(2016, 1, 14)]
        assert (first.distribution, first.other_year, first.other_tax_year) == (
            Decimal("0.400000"),
            Decimal("0.150000"),
            2014,
        )
        assert (last.distribution, last.other_year, last.other_tax_year) == (
            Decimal("0.420000"),
            Decimal("0.270000"),
            2016,
        )
        assert split[dt.date(2015, 3, 31)].distribution is None
        for payment in result.payments:  # the boxes it does not print are not printed
            assert set(payment.printed) == {"total_ordinary"}, payment


def test_a_column_named_for_another_year_or_for_no_year_proves_nothing() -> None:
    for header in ("2014 Taxable Ordinary Dividend", "Taxable Ordinary Dividend"):
        result = imported(year_column(header))
        assert not result.ok and not result.payments, header
        assert "which column is which" in problems(result) or "cannot be proven" in problems(
            result
        ), (header, result.report_text())


# --- the annual line's whole payments ---------------------------------------------------


# Real releases misprint these totals where every figure of the tax year adds up (a $0.09
# adjustment for $0.33 less $0.06): the import is not OK and says which total to check, and
# with --allow-gaps writes the payments' figures, which no total of cash changes.


def test_an_annual_whole_payment_that_is_not_the_payments_sum_is_a_gap_naming_it() -> None:
    result = imported(year_column("2015 Taxable Ordinary Dividend", "$1.230000 $0.800000"))
    assert not result.ok
    assert "1.230000" in gaps(result) and "1.220000" in gaps(result)


def test_an_annual_adjustment_that_is_not_the_payments_sum_is_a_gap_naming_it() -> None:
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
    assert not changed.ok and "0.25" in gaps(changed) and "-0.15" in gaps(changed)
    assert changed.payments == printed.payments  # no figure of the tax year depends on it
