"""Hostile release texts: footnote marks glued to figures, huge lines, huge releases.

A wrong figure reported as checked is the worst thing the importer can do, so a
footnote mark must never become a digit; and no text, however long its lines
or however many, may keep it busy for long or fill the report with itself.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_reit.importer import ImportResult, parse_release
from xl_reit.importer.general import NO_ROWS
from xl_reit.importer.lines import (
    _NEAR_ANNUAL_LABELS,
    _NEAR_HEADER_WORDS,
    VOCABULARY,
    read_lines,
)
from xl_reit.importer.report import Findings

TITLE = "Example Trust Announces 2020 Dividend Tax Allocation (NYSE: EXT)"
HEADING = "Common Stock (CUSIP 41196Q100)"
HEADER = "Record Date | Payable Date | Dividend per Share | Ordinary Dividends | Return of Capital"
ROW = "03/31/2020\t04/15/2020\t$0.25\t90.0000%\t10.0000%"
QUARTERS = [
    ("03/31/2020", "04/15/2020"),
    ("06/30/2020", "07/15/2020"),
    ("09/30/2020", "10/15/2020"),
    ("12/31/2020", "01/15/2021"),
]


#: After a dividend table of the common stock: its capital-gain table, then a preferred
#: class's, and the heading of that class's table that will have lost its header
#: (read in the columns of the common stock's dividend table).
BEFORE_A_HEADERLESS_LINE = [
    HEADING,
    "Record Date | Payable Date | Capital Gain",
    "03/31/2020 | 04/15/2020 | 5.0000%",
    "Series A Preferred Stock (CUSIP 41196Q209)",
    "Record Date | Payable Date | Capital Gain",
    "03/31/2020 | 04/15/2020 | 5.0000%",
    "Series A Preferred Stock (CUSIP 41196Q209)",
]


def inline(*lines: str) -> ImportResult:
    """A release of a title, a class heading and ``lines``; "|" stands for a tab."""
    text = "\n".join(re.sub(r"\s*\|\s*", "\t", line) for line in (TITLE, HEADING, *lines))
    return parse_release(text, source_name="hostile.txt")


def payments(*dividends: str) -> list[str]:
    """A row under HEADER for each dividend, paid in the quarters of 2020 in turn."""
    return [
        f"{record} | {payable} | {dividend} | 90.0000% | 10.0000%"
        for (record, payable), dividend in zip(QUARTERS, dividends, strict=False)
    ]


def readings(result: ImportResult) -> list[str]:
    return [finding.message for finding in result.report.of_kind("reading")]


# --- footnote marks -----------------------------------------------------------------


def test_a_superscript_footnote_mark_glued_to_a_figure_is_not_its_last_digit() -> None:
    result = inline(HEADER, *payments("$0.4375¹", "$0.4375"))
    assert result.ok, result.report_text()
    assert [row["dividend_per_share"] for row in result.rows] == ["0.4375", "0.4375"]
    assert "footnote mark '$0.4375¹' read as a mark, not a digit" in readings(result)


def test_a_footnote_mark_keeps_the_columns_of_a_table_aligned_with_spaces() -> None:
    result = inline(
        "Record Date   Payable Date   Per Share   Ordinary Dividends   Return of Capital",
        "03/31/2020    04/15/2020     $0.4375²    90.0000%             10.0000%",
        "06/30/2020    07/15/2020     $0.4375     90.0000%⁽³⁾          10.0000%",
    )
    assert result.ok, result.report_text()
    assert [(r["dividend_per_share"], r["total_ordinary"]) for r in result.rows] == [
        ("0.4375", "90.0000"),
        ("0.4375", "90.0000"),
    ]


def test_a_bracketed_footnote_mark_glued_to_a_date_word_or_figure_is_no_part_of_it() -> None:
    result = inline(
        "Record Date | Payable Date | Per Share | Ordinary Dividends(1) | Return of Capital",
        "10/19/23(7) | 11/15/23 | $0.25[2] | 90.0000%[^3] | 10.0000%",
        "Series A Preferred Stock(4) (CUSIP 41196Q209)",
    )
    (row,) = result.rows
    assert (row["record_date"], row["dividend_per_share"], row["total_ordinary"]) == (
        "2023-10-19",
        "0.25",
        "90.0000",
    )
    assert "footnote marks '10/19/23(7)', '$0.25[2]', '90.0000%[^3]' read as marks, not digits" in (
        readings(result)
    )
    assert [c.class_name for c in result.report.classes][1] == "Series A Preferred Stock"


def test_a_figure_in_brackets_keeps_its_brackets_without_its_mark() -> None:
    (line,) = read_lines("($0.25)(2) (1)(2)x", Findings())
    assert [token.text for token in line.tokens] == ["($0.25)", "(1)(2)x"]


def test_a_footnote_mark_read_as_a_plain_digit_after_a_header_word_is_no_part_of_it() -> None:
    result = inline(
        "Record Date | Payable Date | Per Share | Ordinary1 Dividends | Return of Capital2",
        *payments("$0.25"),
        "Total1 | | $0.25 | 90.0000% | 10.0000%",
    )
    assert result.ok, result.report_text()
    assert (result.rows[0]["total_ordinary"], result.rows[0]["return_of_capital"]) == (
        "90.0000",
        "10.0000",
    )
    assert result.rows[1]["row_kind"] == "annual"
    assert "header words read 'Capital2' as 'capital', 'Ordinary1' as 'ordinary'" in (
        readings(result)
    )
    assert "row label 'Total1' read as 'annual'" in readings(result)


def gaps(result: ImportResult) -> list[str]:
    return [finding.message for finding in result.report.of_kind("gap")]


def test_a_plain_last_digit_no_other_figure_of_its_column_prints_is_a_mark_but_inferred() -> None:
    result = inline(HEADER, *payments("$0.4375", "$0.43751", "$0.4375"))
    text = (
        "'$0.43751' read as $0.4375 and a footnote mark 1: every other figure of the dividend "
        "per share column prints one decimal fewer (inferred)"
    )
    assert not result.ok  # precision proves nothing: never reported as checked
    assert gaps(result) == [text]
    assert [row["dividend_per_share"] for row in result.rows] == ["0.4375"] * 3
    assert result.rows[1]["notes"] == text


def test_a_plain_last_digit_in_a_column_laid_out_column_by_column_is_read_so_too() -> None:
    result = inline(
        "Record Date 03/31/20 06/30/20 | Payable Date 04/15/20 07/15/20"
        " | Dividend per Share $0.4375 $0.4375 | Ordinary Dividends 90.0000% 90.00002%"
        " | Return of Capital 10.0000% 10.0000%",
    )
    assert [row["total_ordinary"] for row in result.rows] == ["90.0000", "90.0000"]
    assert gaps(result) == [
        "'90.00002%' read as 90.0000% and a footnote mark 2: every other figure of the "
        "ordinary column prints one decimal fewer (inferred)"
    ]


@pytest.mark.parametrize(
    "dividends",
    [
        ("$0.4375", "$0.43751", "$0.43751"),  # two figures print the extra decimal
        ("$0.4375", "$0.43750", "$0.4375"),  # no footnote is numbered 0
        ("$1", "$1.5", "$1"),  # the others print no decimals
        ("$0.43", "$0.43751", "$0.43"),  # two decimals more
        ("0.4375", "$0.43751", "0.4375"),  # a figure of another unit
    ],
)
def test_a_figure_is_read_as_printed_unless_precision_alone_suggests_a_mark(
    dividends: tuple[str, str, str],
) -> None:
    result = inline(HEADER, *payments(*dividends))
    assert result.ok, result.report_text()
    assert [row["dividend_per_share"] for row in result.rows] == [d.strip("$") for d in dividends]


# --- time: every step linear in the text (hang_guard fails a test after 20 s) ---------


def dates(count: int) -> list[str]:
    """``count`` different dates, MM/DD/YY."""
    return [f"{1 + i % 12:02d}/{1 + i // 12 % 28:02d}/{i // 336 % 100:02d}" for i in range(count)]


@pytest.mark.usefixtures("hang_guard")
def test_a_line_of_thousands_of_dates_is_read_in_linear_time() -> None:
    result = inline(HEADER, " ".join(dates(40_000)))  # quadratic: a minute or more
    assert not result.ok and result.rows == ()


@pytest.mark.usefixtures("hang_guard")
def test_a_row_of_thousands_of_figures_is_read_in_linear_time() -> None:
    result = inline(HEADER, " | ".join(["$0.25"] * 40_000))  # quadratic: a minute or more
    assert not result.ok and result.rows == ()


@pytest.mark.usefixtures("hang_guard")
def test_a_long_run_of_digits_that_is_no_figure_is_refused_in_linear_time() -> None:
    result = inline(HEADER, "03/31/2020 | 04/15/2020 | $0.25 | 9" + "0" * 30_000 + "x% | 10%")
    (problem,) = result.report.of_kind("problem")
    assert problem.message == "a payment's dates and figures in a line of text, not read as a row"


@pytest.mark.usefixtures("hang_guard")
@pytest.mark.parametrize(
    "preamble",
    [
        "Example Trust" + " " * 60_000 + "x",  # the title's issuer, then spaces
        "Released" + " " * 60_000 + "x",  # a release date, then spaces
        "2020 dividends " * 20_000,  # a tax year, then no word of tax
        "(NYSE:" * 50_000,  # an exchange listing without its end
    ],
)
def test_a_preamble_line_is_searched_for_the_releases_facts_in_linear_time(
    preamble: str,
) -> None:
    text = "\n".join([preamble, HEADING, re.sub(r"\s*\|\s*", "\t", HEADER), ROW])
    result = parse_release(text, source_name="hostile.txt", issuer="Example Trust")
    assert [row["payable_date"] for row in result.rows] == ["2020-04-15"]


@pytest.mark.usefixtures("hang_guard")
def test_a_heading_is_read_in_linear_time_however_long_its_punctuation() -> None:
    result = inline("Series A Preferred Stock " + "-" * 120_000 + "x (CUSIP 41196Q209)")
    assert result.report.classes[1].class_name.endswith("-x")


@pytest.mark.usefixtures("hang_guard")
def test_a_table_with_thousands_of_columns_is_refused_in_linear_time() -> None:
    result = inline("   ".join(["Dividend per Share"] * 6_000), "   ".join(["$0.25"] * 6_000))
    (problem,) = result.report.of_kind("problem")
    assert problem.message == "a table of 6,000 columns, more than any release prints (50)"


@pytest.mark.usefixtures("hang_guard")
def test_a_line_that_lost_its_header_is_read_in_linear_time_however_many_payments() -> None:
    records, payables = dates(20_000)[::2], dates(20_000)[1::2]
    result = inline(
        HEADER,
        *payments("$0.25"),
        *BEFORE_A_HEADERLESS_LINE,
        " ".join(f"{r} {p} $0.25" for r, p in zip(records, payables, strict=True))
        + " | "
        + " ".join(["90.0000%"] * 10_000)
        + " | "
        + " ".join(["10.0000%"] * 10_000),
    )
    unmatched = [f for f in result.report.of_kind("problem") if f.message.endswith("no payment")]
    assert len(unmatched) == 10_000  # none is the payment of 04/15/2020


def test_the_payments_a_table_has_no_row_for_are_one_problem_of_that_table() -> None:
    result = inline(
        HEADER,
        *payments("$0.25", "$0.25", "$0.25", "$0.25"),
        "Record Date | Payable Date | Capital Gain",
        f"{QUARTERS[0][0]} | {QUARTERS[0][1]} | 5.0000%",
    )
    assert [f.message for f in result.report.of_kind("problem")] == [
        "the payments of 2020-07-15, 2020-10-15 and 2021-01-15 have no row in the "
        "capital-gain table"
    ]


@pytest.mark.usefixtures("hang_guard")
def test_a_class_of_thousands_of_tables_is_joined_in_linear_time() -> None:
    days = dates(6_000)
    tables = [
        line
        for record, payable in zip(days[::2], days[1::2], strict=True)
        for line in (HEADER, f"{record} | {payable} | $0.25 | 90.0000% | 10.0000%")
    ]
    problems = inline(*tables).report.of_kind("problem")
    assert len(problems) == 3_000  # one a table, not one a table and payment
    assert problems[0].message.endswith("and 2,996 more have no row in the dividend table")


def cusip(number: int) -> str:
    """A valid CUSIP of a made-up issuer (its check digit computed)."""
    from xl_reit.cusip import calc_check_digit

    base = f"4{number:05d}AB"
    return base + calc_check_digit(base)


@pytest.mark.usefixtures("hang_guard")
def test_thousands_of_headerless_tables_find_their_columns_in_linear_time() -> None:
    lines = [HEADER, "03/31/2020 | 04/15/2020 | $0.25 | 90.0000% | 5.0000%"]
    lines += ["Record Date | Payable Date | Capital Gain", "03/31/2020 | 04/15/2020 | 5.0000%"]
    for number in range(2_500):
        heading = f"Series {number} Preferred Stock (CUSIP {cusip(number)})"
        lines += [heading, HEADER, "03/31/2020 | 04/15/2020 | $0.25 | 90.0000% | 5.0000%"]
        lines += [heading, "03/31/2020 | 04/15/2020 | 5.0000%"]
    result = inline(*lines)  # each headerless table in the first class's capital-gain columns
    assert result.report.of_kind("problem") == ()
    assert len(result.rows) == 2_501


@pytest.mark.usefixtures("hang_guard")
def test_thousands_of_damaged_figures_of_a_column_are_repaired_in_linear_time() -> None:
    days = dates(16_000)
    rows = [
        f"{record} | {payable} | $0.25 | {'1.' if n % 2 else '91.0000%'} | 9.0000%"
        for n, (record, payable) in enumerate(zip(days[::2], days[1::2], strict=True))
    ]
    repairs = inline(HEADER, *rows).report.of_kind("repair")
    assert len(repairs) == 4_000
    assert repairs[0].message.endswith(
        "ordinary damaged ('1.'): 91.0000% is the value printed on every other row of the "
        "same column"
    )
    assert len(repairs[0].lines) <= 41  # the row's line, and at most 40 lines of evidence


@pytest.mark.usefixtures("hang_guard")
def test_a_long_table_laid_out_column_by_column_is_fitted_in_linear_time() -> None:
    days = dates(16_000)
    result = inline(
        f"Record Date {' '.join(days[::2])} | Payable Date {' '.join(days[1::2])}"
        " | Dividend per Share | Ordinary Dividends | Return of Capital",
        *([" | | $0.25 | 90.0000% | 10.0000%"] * 8_000),
    )
    assert result.report.of_kind("problem") == ()
    assert len(result.rows) == 8_000
    payments = result.report.classes[0].payments
    assert {len(payment.lines) for payment in payments} == {2}  # its dates', its figures' line


@pytest.mark.usefixtures("hang_guard")
def test_a_release_of_thousands_of_classes_is_written_in_linear_time() -> None:
    lines = []
    for number in range(3_000):
        lines += [f"Series {number} Preferred Stock (CUSIP {cusip(number)})", HEADER]
        lines += ["03/31/2020 | 04/15/2020 | $0.25 | 90.0000% | 10.0000%"]
    result = inline(*lines)  # and the common stock, whose heading prints no table
    assert len(result.rows) == 3_000 and len(result.report.classes) == 3_001


# --- messages: a finding quotes a short piece of the release, however long ---------

LONG = 200_000  # characters of one piece of text


@pytest.mark.usefixtures("hang_guard")
@pytest.mark.parametrize(
    "lines",
    [
        # a class name, in the class's heading, its findings and the report
        [TITLE, "Series " + "A" * LONG + " Preferred Stock (CUSIP 41196Q209)", HEADER, ROW],
        # an issuer, read from the title
        ["Example " + "Trust " * (LONG // 6) + "Announces 2020 Dividends", HEADING, HEADER, ROW],
        # a figure no column takes
        [TITLE, HEADING, HEADER, ROW, ROW, ROW + " | $0." + "1" * LONG],
        # a figure two tables print differently
        [TITLE, HEADING, HEADER, ROW, HEADER, ROW.replace("$0.25", "$0.2" + "5" * LONG)],
        # a damaged figure
        [TITLE, HEADING, HEADER, ROW.replace("90.0000%", "." + "1" * LONG + "%")],
        # more figures than payments in a column, all equal, and two annual figures
        [TITLE, HEADING, f"Record Date {QUARTERS[0][0]} | Payable Date {QUARTERS[0][1]}"
         f" | Dividend per Share {' '.join(['$0.' + '2' * LONG] * 3)} | Return of Capital 100%"],
        [TITLE, HEADING, f"Record Date {QUARTERS[0][0]} | Payable Date {QUARTERS[0][1]}"
         " | Dividend per Share $0.25 | Return of Capital 100%",
         "Annual | | $0.25 | 100%", "Annual | | $0.25 | 9" + "9" * LONG + "%"],
        # a header word the OCR damaged, and row labels it made of 'Annual'
        [TITLE, HEADING, HEADER.replace("Record", "Record " + "-" * LONG + "Dividenda"), ROW],
        [TITLE, HEADING, HEADER, ROW, " ".join(["Annuaa $0.25 90.0000% 10.0000%"] * (LONG // 30))],
        # dividends after no payment on a line that lost its header
        [TITLE, HEADING, HEADER, ROW, *BEFORE_A_HEADERLESS_LINE,
         " ".join(["$0.25"] * (LONG // 6)) + " 03/31/2020 04/15/2020 $0.25"
         + "\t90.0000% 90.0000%\t10.0000% 10.0000%"],
    ],
)  # fmt: skip
def test_a_report_quotes_a_short_piece_of_any_text_however_long(lines: list[str]) -> None:
    text = "\n".join(re.sub(r"\s*\|\s*", "\t", line) for line in lines)
    result = parse_release(text, source_name="hostile.txt")
    assert max(len(line) for line in result.report_text().splitlines()) <= 500
    assert max(len(finding.message) for finding in result.report.findings) <= 500


@pytest.mark.usefixtures("hang_guard")
def test_a_line_of_a_hundred_thousand_different_words_is_read_in_seconds() -> None:
    words = ("".join(chr(97 + n // 26**k % 26) for k in range(5)) + "ed" for n in range(100_000))
    result = inline(HEADER, ROW, " ".join(words))
    assert "text without figures, not a table" in readings(result)


def near_words() -> st.SearchStrategy[str]:
    """Words of letters, and header words with a letter the OCR got wrong, lost or added."""
    damaged = st.tuples(
        st.sampled_from(sorted(VOCABULARY)), st.integers(0, 12), st.sampled_from("aeinrtuvz")
    ).map(lambda d: d[0][: d[1]] + d[2] + d[0][d[1] + 1 :])
    return damaged | st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=16)


@settings(max_examples=2_000, deadline=None)
@given(near_words())
def test_the_nearest_header_word_is_difflibs_only_found_sooner(word: str) -> None:
    expected = difflib.get_close_matches(word, VOCABULARY, n=1, cutoff=0.75)
    assert _NEAR_HEADER_WORDS.nearest(word) == (expected[0] if expected else None)
    labels = difflib.get_close_matches(word, ("annual", "total", "totals"), n=1, cutoff=0.6)
    assert _NEAR_ANNUAL_LABELS.nearest(word) == (labels[0] if labels else None)


@pytest.mark.usefixtures("hang_guard")
def test_thousands_of_lines_of_different_words_are_read_in_linear_time() -> None:
    words = ["".join(chr(97 + n // 26**k % 26) for k in range(5)) + "ed" for n in range(60_000)]
    result = inline(*(" ".join(words[n : n + 12]) for n in range(0, 60_000, 12)))
    # read to the end: its one problem is that it has no payment (no report says OK of it)
    assert [f.message for f in result.report.of_kind("problem")] == [NO_ROWS]
    assert not result.ok


@pytest.mark.usefixtures("hang_guard")
def test_a_report_lists_the_first_hundred_tables_of_a_class_and_counts_the_rest() -> None:
    table = [HEADER, *payments("$0.25", "$0.25"), "footnote text between the tables"]
    result = inline(*table * 150)
    text = result.report_text()
    assert "  … and 50 more tables" in text
    assert len(text) < 100_000


#: A table of the boxes of the form, and a row whose parts do not make up its dividend:
#: $0.36 + $0.272 + $0.018 (1a + 2a + 3) is $0.65, not $0.45, however its columns are read.
BOXES = (
    "Record Date | Payable Date | Distribution per Share | Ordinary Dividends (Box 1a) | "
    "Qualified Dividends (Box 1b) | Section 199A Dividends (Box 5) | Capital Gain (Box 2a) | "
    "Unrecaptured 1250 Gain (Box 2b) | Return of Capital (Box 3)"
)
UNEVEN = "03/31/2020 | 04/15/2020 | $0.45 | $0.36 | $0.018 | $0.342 | $0.272 | $0.027 | $0.018"


@pytest.mark.usefixtures("hang_guard")
def test_thousands_of_rows_alike_are_checked_once_per_reading() -> None:
    # Found by the fuzzer: a table of 59,000 rows alike took minutes, each of the
    # thousands of readings of its columns checking every row.
    result = inline(BOXES, *[UNEVEN] * 30_000)
    assert not result.ok and result.rows == ()
    (problem,) = result.report.of_kind("problem")
    assert "add up to $0.695, not the dividend $0.45" in problem.message


@pytest.mark.usefixtures("hang_guard")
def test_thousands_of_rows_alike_after_the_last_table_are_read_once_per_reading() -> None:
    # Found by the fuzzer: a release whose annual line disagrees with its payments and whose
    # first payment row is printed again 75,000 times at the end took minutes, every
    # reading of those rows' columns checking each of them.
    lines = (
        (Path(__file__).parent / "releases" / "example-spaces-2011.txt")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    total = next(n for n, line in enumerate(lines) if line.startswith("Total"))
    assert lines[total].endswith("10.0000%")
    lines[total] = lines[total].removesuffix("10.0000%") + "14.0000%"
    first_payment = next(line for line in lines if line.startswith("03/29/2011"))
    result = parse_release("\n".join([*lines, *[first_payment] * 30_000]), source_name="x.txt")
    assert not result.ok and result.rows == ()
    problems = [finding.message for finding in result.report.of_kind("problem")]
    assert any("add up to 104.0000%, not 100%" in message for message in problems)


@pytest.mark.usefixtures("hang_guard")
def test_a_line_of_glued_cells_is_cut_apart_in_linear_time() -> None:
    # each run is cut where it stands: a line of a hundred thousand runs takes no longer
    # than its length says (as it was, each cut searched the line again from its start)
    result = inline(HEADER, " ".join(["$0.1$0.2"] * 100_000))
    assert not result.ok
    assert any("glued together read apart" in f.message for f in result.report.of_kind("reading"))
