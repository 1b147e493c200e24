"""Today's releases, held as they print them and answered as Excel asks.

xl-reit bundles six real releases' tables (``xl_reit/data``, each file's
``source`` names its release). Every expected value below is copied from the
release's printed table by hand, not read from those files: box 2f of W. P.
Carey's April 2023 payment is "$0.0729684" because the release prints it so.
Calls are made as Excel makes them: dates as ``datetime`` or serial floats,
years and shares as floats, blanks as ``None``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import xl_reit
from xl_reit import cli, lookup
from xl_reit.errors import DataFileError, NoPaymentError, NotPrintedError
from xl_reit.table import AllocationTable, load_table, set_default_table
from xl_reit.udfs import REIT_ALLOC, REIT_AMOUNT, REIT_DIVIDEND

DATA = Path(xl_reit.__file__).parent / "data"

JAN_16_2024 = dt.datetime(2024, 1, 16)  # STAG's payment split between 2023 and 2024
APR_14_2023 = dt.datetime(2023, 4, 14)  # a W. P. Carey payment


@pytest.fixture(autouse=True)
def _bundled_table() -> Iterator[None]:
    yield
    set_default_table(None)  # the command line's --table replaces the default table


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled tables, as the Excel functions load them with no XL_REIT_DATA."""
    monkeypatch.delenv("XL_REIT_DATA", raising=False)
    set_default_table(None)


def only(*names: str) -> AllocationTable:
    """A table of some bundled files alone (``stag-2023``), not the whole bundle."""
    return AllocationTable.from_texts(
        [(f"{name}.csv", (DATA / f"{name}.csv").read_text(encoding="utf-8")) for name in names]
    )


def changed(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of bundled file ``name`` with one printed figure changed."""
    text = (DATA / f"{name}.csv").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{name}.csv"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def is_na(cell: object, *words: str) -> bool:
    return isinstance(cell, str) and cell.startswith("#N/A ") and all(w in cell for w in words)


# --- boxes inside boxes: 2e and 2f, Section 1061, 1b + 5 > 1a -----------------------


def test_box_2f_and_2e_answer_as_printed(today: None) -> None:
    # W. P. Carey, payment of 4/14/23: distribution $1.067000, box 2f $0.0729684.
    assert REIT_AMOUNT("WPC", APR_14_2023, "2f", 1.0) == 0.0729684
    assert REIT_ALLOC("WPC", APR_14_2023, "2f") == pytest.approx(0.0729684 / 1.067, rel=1e-15)
    assert REIT_AMOUNT("92936U109", dt.datetime(2023, 11, 1), "Box 2e", 100.0) == pytest.approx(
        4.64471, rel=1e-15
    )  # $0.0464471 a share
    assert lookup.amount("WPC", "2023-11-01", "2e") == Decimal("0.0464471")


def test_section_1061_disclosures_are_figures_inside_capital_gain(today: None) -> None:
    assert REIT_AMOUNT("WPC", APR_14_2023, "section_1061_three_year", 100.0) == 0.0
    assert is_na(REIT_ALLOC("WPC", APR_14_2023, "box 1061"), "1061")


def test_section_199a_and_qualified_are_each_inside_1a(today: None) -> None:
    # Simon, 3/31/23: 1a $1.794560, 1b $0.102747, 5 $1.691813.
    assert lookup.amount("SPG", "2023-03-31", "1a") == Decimal("1.794560")
    assert lookup.amount("SPG", "2023-03-31", "1b") == Decimal("0.102747")
    assert lookup.amount("SPG", "2023-03-31", "5") == Decimal("1.691813")
    assert lookup.amount("SPG", "2023-03-31", "ordinary") == Decimal("1.691813")  # 1a - 1b


def test_a_class_printing_199a_equal_to_1a_with_1b_not_zero_is_held_as_printed() -> None:
    text = (
        "issuer,tax_year,class_name,cusip,symbol,record_date,payable_date,dividend_per_share,"
        "total_ordinary,qualified,section_199a,total_capital_gain,return_of_capital,source,"
        "release_date,notes\n"
        "Example REIT,2023,Common Stock,037833100,EXR,2023-03-31,2023-04-14,$0.650000,"
        "$0.500000,$0.020000,$0.500000,$0.100000,$0.050000,a layout as one release prints it,,\n"
    )
    table = AllocationTable.from_texts([("overlap.csv", text)])
    assert lookup.amount("EXR", "2023-04-14", "5", table=table) == Decimal("0.500000")
    assert lookup.amount("EXR", "2023-04-14", "1b", table=table) == Decimal("0.020000")
    assert lookup.allocation("EXR", "2023-04-14", "5", table=table) == lookup.allocation(
        "EXR", "2023-04-14", "1a", table=table
    )


def test_a_figure_the_release_does_not_print_is_not_guessed(today: None) -> None:
    # STAG prints no qualified dividends, so neither 1b nor 1a less 1b is known.
    cell = REIT_ALLOC("STAG", dt.datetime(2023, 2, 15), "1b")
    assert is_na(cell, "prints no qualified figure", "box 1b", "box 5")
    with pytest.raises(NotPrintedError, match="ordinary"):
        lookup.allocation("STAG", "2023-02-15", "ordinary")


# --- a payment split between two tax years ------------------------------------------


def test_the_split_stag_payment_by_year_and_whole(today: None) -> None:
    # $0.015845 of the 01/16/2024 payment in the 2023 release, $0.106655 in the 2024 one.
    assert REIT_DIVIDEND("STAG", JAN_16_2024, 2023.0) == 0.015845
    assert REIT_DIVIDEND("STAG", JAN_16_2024, 2024.0) == 0.106655
    assert REIT_DIVIDEND("STAG", JAN_16_2024) == 0.1225
    assert REIT_DIVIDEND("STAG", JAN_16_2024, None) == 0.1225  # a blank tax_year cell
    assert lookup.dividend("STAG", "2024-01-16") == Decimal("0.122500")
    # 1a: $0.013268 in 2023 and $0.095919 in 2024.
    assert REIT_AMOUNT("STAG", JAN_16_2024, "1a", 1.0, 2023.0) == 0.013268
    assert REIT_AMOUNT("STAG", JAN_16_2024, "1a", 1.0, 2024.0) == 0.095919
    assert lookup.amount("STAG", "2024-01-16", "1a") == Decimal("0.109187")
    assert REIT_ALLOC("STAG", JAN_16_2024, "1a", 2024.0) == pytest.approx(0.095919 / 0.106655)
    assert REIT_ALLOC("STAG", JAN_16_2024, "1a") == pytest.approx(0.109187 / 0.1225)


def test_a_split_payment_with_a_year_not_loaded_says_which_release_is_missing() -> None:
    table = only("stag-2023")  # the 2023 release alone
    with pytest.raises(NoPaymentError) as caught:
        lookup.dividend("STAG", "2024-01-16", table)
    assert "2024's release is not loaded" in str(caught.value)
    assert "give tax_year 2023" in str(caught.value)
    assert lookup.dividend("STAG", "2024-01-16", table, tax_year=2023) == Decimal("0.015845")
    with pytest.raises(NoPaymentError, match="2024's release for Common Stock"):
        lookup.dividend("STAG", "2024-01-16", table, tax_year=2024)


def test_the_two_years_of_stag_load_together_and_their_annual_totals_agree(today: None) -> None:
    # The 2024 release's Total line: $1.463318, of which 1a $1.316017 and 3 $0.103508.
    assert REIT_DIVIDEND("STAG", 2024.0) == 1.463318
    assert lookup.amount("STAG", 2024, "1a") == Decimal("1.316017")
    assert lookup.amount("STAG", 2024, "3") == Decimal("0.103508")


def test_a_payment_wholly_in_the_next_year_reports_nothing_in_this_one(today: None) -> None:
    # STAG prints a blank row for its 12/31/24 payment; MPT allocates all $0.2900 of its
    # 1/12/2023 payment to 2023 ("Allocable to 2023").
    assert REIT_DIVIDEND("STAG", dt.datetime(2025, 1, 15), 2024.0) == 0.0
    assert REIT_AMOUNT("MPW", dt.datetime(2023, 1, 12), "1a", 100.0, 2022.0) == 0.0
    assert is_na(REIT_ALLOC("MPW", dt.datetime(2023, 1, 12), "1a", 2022.0), "nothing")
    assert REIT_DIVIDEND("MPW", dt.datetime(2023, 1, 12)) == 0.29  # the printed whole


def test_a_tax_year_that_reports_none_of_the_payment_is_named(today: None) -> None:
    cell = REIT_DIVIDEND("WPC", APR_14_2023, 2022.0)
    assert is_na(cell, "tax_year 2022", "reported in tax year 2023, not 2022")
    assert is_na(REIT_DIVIDEND("WPC", APR_14_2023, "last year"), "tax_year 'last year'")


# --- annual totals only ----------------------------------------------------------------


def test_an_annual_only_class_answers_annual_and_its_year(today: None) -> None:
    # Realty Income 2023: $3.0510000, ordinary $2.8434500 (93.197%), return of capital
    # $0.2075500 (6.803%).
    assert REIT_DIVIDEND("O", "annual") == 3.051
    assert REIT_DIVIDEND("756109104", 2023.0) == 3.051
    assert REIT_AMOUNT("O", "annual", "1a", 100.0) == pytest.approx(284.345, rel=1e-15)
    assert REIT_AMOUNT("O", "annual", "3", 100.0) == pytest.approx(20.755, rel=1e-15)
    assert REIT_ALLOC("O", "annual", "1a") == pytest.approx(2.84345 / 3.051, rel=1e-15)
    # The preferred class prints ordinary income of all its $1.50, and no other line.
    assert REIT_AMOUNT("SRC-PA", "annual", "3", 10.0) == 0.0


def test_a_date_lookup_on_an_annual_only_class_says_so(today: None) -> None:
    cell = REIT_ALLOC("O", dt.datetime(2023, 5, 15), "1a")
    assert is_na(cell, "prints only annual totals", "'annual'")


# --- what the releases print together is checked ------------------------------------


def test_an_annual_line_within_its_printed_digits_loads() -> None:
    # Simon prints % of Total 99.7% and 0.3%: $7.427485 and $0.022515 of $7.450000.
    table = only("simon-2023")
    (simon,) = (c for c in table.classes.values() if c.symbol == "SPG")
    assert simon.annual.dollars("total_ordinary") == Decimal("7.427485")


def test_a_split_payments_lines_are_its_parts_with_or_without_their_marks(
    tmp_path: Path,
) -> None:
    # 12/29/23 -> 01/16/24 straddles 2023 and 2024: its lines in those years' tables are
    # its two parts, $0.015845 + $0.106655, whether or not the 2024 line names 2023.
    unmarked = changed(tmp_path, "stag-2024", ",2023,$0.095919", ",,$0.095919")
    table = load_table([unmarked], override=True)
    assert lookup.dividend("STAG", "2024-01-16", table) == Decimal("0.122500")


def test_a_split_payment_whose_other_year_lacks_its_line_is_refused(tmp_path: Path) -> None:
    # The 2023 line names 2024; 2024's table, loaded, holds no line of that payment (its
    # line dated as another payment, of record 01/02/24).
    other = changed(tmp_path, "stag-2024", "2023-12-29,2024-01-16", "2024-01-02,2024-01-16")
    with pytest.raises(DataFileError) as caught:
        load_table([other], override=True)
    message = str(caught.value)
    assert "split with tax year 2024" in message and "has no line for it" in message


def test_a_larger_difference_than_the_printed_digits_is_refused(tmp_path: Path) -> None:
    bad = changed(tmp_path, "wp-carey-2023", "$0.1313431", "$0.1313491")
    with pytest.raises(DataFileError) as caught:
        load_table([bad], override=True)
    (problem,) = map(str, caught.value.problems)
    assert "line 6, column total_ordinary, total_capital_gain, return_of_capital" in problem
    assert "add up to $0.7626727, not the dividend $0.762667" in problem


def test_the_issuers_rounding_is_reported_where_provenance_is_shown() -> None:
    table = only("wp-carey-2023")
    october = lookup.find_payment("WPC", "2023-11-01", table)
    (finding,) = october.findings
    assert finding.startswith("issuer rounding:") and "$0.0000003" in finding


# --- Form 1099-DIV from holdings: each year's part, and a year held all year -------


def run_1099(capsys: pytest.CaptureFixture[str], holdings: Path, *options: str) -> dict[str, Any]:
    assert cli.main(["1099", str(holdings), *options, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_a_dated_line_on_a_split_payment_counts_on_each_years_form(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    holdings = tmp_path / "stag.csv"
    holdings.write_text("Symbol,Record date,Shares\nSTAG,2023-12-29,100\n")
    # One form holds one tax year: the line is on both, so the year must be given.
    assert cli.main(["1099", str(holdings)]) == 1
    assert "can be on the form of tax year 2023 or 2024" in capsys.readouterr().err
    forms = {
        year: run_1099(capsys, holdings, "--year", str(year))["forms"][0] for year in (2023, 2024)
    }
    # 100 shares x $0.013268 of 1a in 2023, x $0.095919 in 2024.
    assert forms[2023]["total"]["1a"] == "1.3268"
    assert forms[2024]["total"]["1a"] == "9.5919"
    assert forms[2024]["total"]["3"] == "0.7544"  # x $0.007544 return of capital


def test_a_box_the_release_does_not_print_is_not_printed_never_zero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    holdings = tmp_path / "two.csv"
    holdings.write_text("Symbol,Shares\nSTAG,10\nWPC,10\n")
    (form,) = run_1099(capsys, holdings, "--year", "2023")["forms"]
    stag = next(line for line in form["classes"] if line["symbol"] == "STAG")
    assert stag["amounts"]["1b"] is None  # STAG prints no qualified dividends
    assert form["total"]["1b"] is None
    wpc = next(line for line in form["classes"] if line["symbol"] == "WPC")
    # W. P. Carey's 2f, 10 shares on its five payments: 10 x ($0.0728316 + $0.0729684 +
    # $0.0731051 + $0.0732419 + $0.0521561).
    assert wpc["amounts"]["2f"] == "3.443031"
    assert form["total"]["2f"] is None  # STAG prints no 2f: the total is not known either


def test_an_annual_only_class_is_held_all_year_and_the_form_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    holdings = tmp_path / "o.csv"
    holdings.write_text("Symbol,Shares\nO,100\n")
    (form,) = run_1099(capsys, holdings)["forms"]
    (line,) = form["classes"]
    assert line["held_all_year"] is True
    assert (line["amounts"]["1a"], line["amounts"]["3"]) == ("284.345", "20.755")
    assert cli.main(["1099", str(holdings)]) == 0
    assert "prints only annual totals; the shares are taken as held all year" in (
        capsys.readouterr().out
    )


def test_payments_and_the_workbook_show_the_issuers_rounding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert cli.main(["payments", "WPC"]) == 0
    shown = capsys.readouterr().out
    assert "wp-carey-2023.csv:6: issuer rounding:" in shown and "$0.0000003" in shown
    book = tmp_path / "wpc.xlsx"
    # W. P. Carey is bundled for 2024 too: the 2023 release's rounding is on 2023's workbook.
    assert cli.main(["template", "--cusip", "WPC", "--year", "2023", "-o", str(book)]) == 0
    about = openpyxl.load_workbook(book)["About"]
    rows = {row[0].value: row[1].value for row in about.iter_rows(max_col=2)}
    (label,) = (label for label in rows if str(label).startswith("Checked on loading"))
    assert label == "Checked on loading — Common Stock (WPC): 2023-11-01"
    assert "issuer rounding" in rows[label] and "$0.7626667" in rows[label]
