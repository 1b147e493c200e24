"""Probes: real releases' layouts that once imported to a wrong figure the report called checked.

Each release below keeps the layout of a real one (its columns, in its order,
with its figures) in a table of our own; each once went through the import
with the report saying the parts add up, while a figure written to the table
was not the one printed. The worst thing the importer can do, so each path
has its probe: a remainder pushed into a part, a printed column overwritten
by another, header words handed to a column by position.
"""

from __future__ import annotations

import re
from decimal import Decimal

from xl_reit import lookup
from xl_reit.importer import ImportResult, parse_release


def tabbed(text: str) -> ImportResult:
    """A release written in the test: "|" for a tab, lines stripped of indentation."""
    lines = [re.sub(r"\s*\|\s*", "\t", line.strip()) for line in text.strip().splitlines()]
    return parse_release("\n".join(lines), source_name="probe.txt")


# STAG Industrial's 2024 columns: dollars per share that do not divide the dividend
# exactly, Section 199A dividends equal to the ordinary dividends, 1250 gain equal to
# the capital gain.
INDUSTRIAL = """
    Example Industrial Trust Announces 2024 Dividend Tax Allocation (NYSE: EXI)
    Common Stock (CUSIP 41196Q100)
    Record Date | Payable Date | Total Distribution | Ordinary Taxable Dividends | Capital Gain Distribution | Unrecaptured Section 1250 Gain | Return of Capital | Section 199A Dividends
    01/31/24 | 02/15/24 | $0.123333 | $0.110918 | $0.003691 | $0.003691 | $0.008724 | $0.110918
    02/29/24 | 03/15/24 | $0.123333 | $0.110918 | $0.003691 | $0.003691 | $0.008724 | $0.110918
"""  # noqa: E501


def test_no_remainder_is_pushed_into_a_part_to_make_a_row_add_up() -> None:
    # Once: 1a - 1b became 0 and Section 199A took 89.93%: "ordinary takes the
    # remainder -89.9337565777 so the parts add up to 100", and the report said OK.
    result = tabbed(INDUSTRIAL)
    assert result.ok, result.report_text()
    assert "remainder" not in result.report_text() + "".join(r["notes"] for r in result.rows)
    table = result.table()
    printed = {"1a": "0.110918", "5": "0.110918", "2a": "0.003691", "2b": "0.003691"}
    for box, dollars in {**printed, "3": "0.008724"}.items():
        assert lookup.amount("EXI", "2024-03-15", box, table=table) == Decimal(dollars), box
    assert lookup.dividend("EXI", "2024-02-15", table=table) == Decimal("0.123333")


# Medical Properties Trust's 2022 columns under a two-line header, with a column
# allocating a January payment to the next tax year.
HOSPITAL = """
    Example Hospital Trust Announces 2022 Dividend Tax Allocation (NYSE: EXH)
    Common Stock (CUSIP 41196Q100)
    Date of | Date | Amount | Ordinary | Total | Unrecap. Sec.1250 | Return of | Section 199A | Section 897 | Allocable to
    Record | Paid |  | Income | Capital Gain | Gains | Capital | Dividends | Capital Gain | 2023
    06/16/2022 | 07/14/2022 | $0.2900 | $0.1186 | $0.1714 | $0.0649 | - | $0.1186 | $0.1714 | -
    12/08/2022 | 01/12/2023 | $0.2900 | - | - | - | - | - | - | $0.2900
"""  # noqa: E501


def test_a_column_is_named_by_its_own_header_never_by_leftover_words() -> None:
    # Once: "Allocable to 2023" was read as capital gain (the words "Capital Gain" of
    # another column's header were left over), then overwritten by the total capital
    # gain less the 1250 gain; the January payment's $0.2900 became parts of 0, and
    # 1a less 1b became 0.0000000001%. The report said OK.
    result = tabbed(HOSPITAL)
    assert result.ok, result.report_text()
    july, january = result.rows
    assert "capital_gain" not in result.parts
    assert (july["distribution"], july["other_year"], july["total_capital_gain"]) == (
        "0.2900",
        "0",
        "$0.1714",
    )
    assert (january["distribution"], january["other_year"], january["other_tax_year"]) == (
        "0.2900",
        "0.2900",
        "2023",
    )
    table = result.table()
    assert lookup.dividend("EXH", "2023-01-12", table=table, tax_year=2022) == 0
    assert lookup.amount("EXH", "2022-07-14", "1a", table=table) == Decimal("0.1186")


def test_a_column_whose_header_names_nothing_known_is_left_out_not_given_a_name() -> None:
    result = tabbed(HOSPITAL.replace("Allocable to", "Reserved for"))
    assert not result.ok and result.rows == ()
    readings = [f.message for f in result.report.of_kind("reading")]
    assert "the 'Reserved for 2023' column names no figure the table holds; left out" in readings
    (problem,) = result.report.of_kind("problem")
    assert problem.lines == (6,)
    assert problem.message.startswith(
        "payment of 2023-01-12: total ordinary $0 + total capital gain $0 + return of capital "
        "$0 add up to $0, not the dividend $0.2900"
    )


def test_a_printed_capital_gain_column_is_kept_beside_a_total_capital_gain_column() -> None:
    # Once the total's figure replaced the part's (a $0.10 gain written as $0.15 less $0.05).
    result = tabbed(
        """
        Example Office Trust Announces 2023 Dividend Tax Allocation (NYSE: EXO)
        Common Stock (CUSIP 41196Q100)
        Record Date | Payable Date | Distribution per Share | Ordinary Dividends | Total Capital Gain | Capital Gain | Unrecaptured Sec. 1250 Gain | Return of Capital
        03/31/2023 | 04/14/2023 | $0.50 | $0.30 | $0.15 | $0.10 | $0.05 | $0.05
        """  # noqa: E501
    )
    assert result.ok, result.report_text()
    (row,) = result.rows
    assert (row["total_capital_gain"], row["capital_gain"], row["unrecaptured_1250"]) == (
        "$0.15",
        "$0.10",
        "$0.05",
    )


# A header of fewer cells than the rows print: the last two columns of figures stand
# under no header. Once they were left out as a "reading" and the import said OK
# while the parts read added up to $0.40 of a $0.50 dividend.
SHORT_HEADER = """
    Example Realty Trust Announces Tax Treatment of 2021 Dividends
    Common Stock (CUSIP 03748R101)
    Record Date | Payable Date | Dividend | Ordinary
    03/31/21 | 04/15/21 | $0.50 | $0.40 | $0.05 | $0.05
    06/30/21 | 07/15/21 | $0.50 | $0.40 | $0.05 | $0.05
"""


def test_figures_under_no_header_are_a_gap_never_left_out_quietly() -> None:
    result = tabbed(SHORT_HEADER)
    assert not result.ok
    gaps = [f.message for f in result.report.of_kind("gap")]
    assert len(gaps) == 2 and all("under no header" in gap for gap in gaps), gaps


def test_a_header_cell_of_the_one_word_dividend_is_the_dividend_column() -> None:
    result = tabbed(SHORT_HEADER.replace("Ordinary", "Ordinary | Capital Gain | Return of Capital"))
    assert result.ok, result.report_text()
    assert [row["dividend_per_share"] for row in result.rows] == ["0.50", "0.50"]
