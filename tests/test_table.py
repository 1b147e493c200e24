"""Loading, validating and indexing allocation tables."""

from __future__ import annotations

import gc
import threading
from decimal import Decimal

import pytest

from xl_reit import lookup
from xl_reit import table as table_module
from xl_reit.errors import DataFileError
from xl_reit.model import Printed
from xl_reit.table import BUNDLED_FILES, AllocationTable, bundled_table, normalise_symbol
from xl_reit.tablefile import read_text, write_text, written_problems

from release_2004 import ANNUAL_DIVIDENDS, CLASSES, PAYMENTS, of_the_release

HEADER = (
    "issuer,tax_year,class_name,cusip,symbol,row_kind,record_date,payable_date,"
    "dividend_per_share,ordinary,qualified,capital_gain,unrecaptured_1250,return_of_capital,"
    "source,release_date,notes"
)
GOOD_ROW = (
    "Example REIT,2004,Class A,03748R101,AIV,payment,2004-02-20,2004-02-27,0.600,"
    "1.6588,1.3268,73.6080,23.4064,0.0000,release,2005-01-28,"
)


def load(*rows: str, header: str = HEADER) -> AllocationTable:
    return AllocationTable.from_texts([("mine.csv", "\n".join((header, *rows)) + "\n")])


def problems_of(*rows: str, header: str = HEADER) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        load(*rows, header=header)
    return [str(problem) for problem in caught.value.problems]


# --- the bundled table as a whole --------------------------------------------


def test_bundled_2004_is_the_releases_8_classes_and_27_payments() -> None:
    aimco = of_the_release(bundled_table().classes.values())
    assert len(aimco) == len(CLASSES) == 8
    assert sum(len(c.payments) for c in aimco) == len(PAYMENTS) == 27


def test_bundled_2004_payments_each_sum_to_exactly_100_percent() -> None:
    for security in of_the_release(bundled_table().classes.values()):
        for payment in security.payments:
            assert sum(payment.percentages.values()) == Decimal(100)


def test_bundled_annual_lines_equal_the_release_where_printed() -> None:
    table = bundled_table()
    for cusip, printed in ANNUAL_DIVIDENDS.items():
        annual = table.classes[(cusip.replace("-", ""), 2004)].printed_annual
        assert annual is not None
        expected = None if printed is None else Decimal(printed)
        assert annual.dividend_per_share == expected


#: The bundled releases whose copies print no date: investor-relations pages (MPT, KKR,
#: Link Parks, W. P. Carey's 2024), Aimco's 2013 reprint, which dropped its dateline, and
#: HASI's, whose dateline prints no date.
UNDATED = {
    "aimco-2013.csv",
    "hasi-2023.csv",
    "kkr-reit-2023.csv",
    "linkparks-2023.csv",
    "mpt-2022.csv",
    "wp-carey-2024.csv",
}


def test_every_bundled_row_carries_its_provenance() -> None:
    for payment in bundled_table().payments():
        assert payment.source and payment.origin.file in BUNDLED_FILES and payment.origin.line
        # Every release is dated but those whose copies print no date.
        assert (payment.release_date is None) == (payment.origin.file in UNDATED)


def test_bundled_repairs_are_recorded_in_the_notes() -> None:
    table = bundled_table()
    class_t = table.classes[("03748R838", 2004)]
    assert all("capital-gain table" in p.notes for p in class_t.payments)
    assert sum("inferred" in p.notes for p in class_t.payments) == 3
    class_r = table.classes[("03748R846", 2004)]
    assert any("three figures for four payments" in p.notes for p in class_r.payments)


def test_a_tax_year_written_with_a_superscript_digit_is_refused() -> None:
    # Found by the fuzzer: "20¹24" passed str.isdigit() and raised in int().
    row = GOOD_ROW.replace(",2004,", ",20¹24,", 1)
    assert problems_of(row) == ["mine.csv, line 2, column tax_year: '20¹24' is not a year"]


def test_a_row_made_otherwise_is_checked_cell_by_cell_as_a_file_would_be() -> None:
    [row], _ = read_text("mine.csv", HEADER + "\n" + GOOD_ROW + "\n")
    assert written_problems(row) == []
    nothing = row.but(dividend_per_share=Decimal(0))
    assert [str(p) for p in written_problems(nothing)] == [
        "mine.csv, line 2, column dividend_per_share: '0' is not a positive dollar amount"
    ]
    # Nothing of a split payment may be in this year: a nil dividend is then its own.
    assert written_problems(nothing.but(other_tax_year=2005)) == []
    too_precise = row.but(printed={"ordinary": Printed(percent=Decimal("1." + "6" * 24))})
    [problem] = written_problems(too_precise)
    assert (problem.line, problem.column) == (2, "ordinary")
    assert "is not a figure" in problem.message


# --- loading happens once, on first use --------------------------------------


def test_importing_the_package_does_not_load_the_table() -> None:
    import subprocess
    import sys

    code = (
        "import sys, xl_reit, xl_reit.lookup, xl_reit.table as t;"
        "print(t._default is None);"
        "print(sorted(m for m in ('openpyxl', 'pandas', 'xlwings') if m in sys.modules));"
        "xl_reit.allocation('AIV', 'annual', '1b', tax_year=2004); print(t._default is not None)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    unloaded_at_import, heavy_modules, loaded_on_first_use = done.stdout.splitlines()
    assert unloaded_at_import == "True"
    assert heavy_modules == "[]"
    assert loaded_on_first_use == "True"


def test_the_default_table_loads_exactly_once_across_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = []
    real = table_module.load_table

    def counting(*arguments: object, **options: bool) -> AllocationTable:
        calls.append(1)
        return real(*arguments, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(table_module, "load_table", counting)
    table_module.set_default_table(None)
    start = threading.Barrier(8)
    seen: list[AllocationTable] = []

    def worker() -> None:
        start.wait()
        seen.append(table_module.default_table())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    table_module.set_default_table(None)
    assert len(calls) == 1
    assert all(table is seen[0] for table in seen)


# --- symbols ------------------------------------------------------------------


@pytest.mark.parametrize("dialect", ["AIVPrD", "AIV-PD", "AIV.PR.D", "AIV PRD", "AIVpD", "AIV^D"])
def test_preferred_symbol_dialects_fold_to_the_same_class(dialect: str) -> None:
    table = bundled_table()
    assert table.symbols[normalise_symbol(dialect)] == "03748R309"


# --- validation: every problem, with file, line and column --------------------


def test_a_good_row_loads() -> None:
    assert len(load(GOOD_ROW)) == 1


@pytest.mark.parametrize("collecting", [True, False])
def test_loading_leaves_the_garbage_collector_as_it_found_it(collecting: bool) -> None:
    # Loading pauses the cyclic collector (it makes no cycles); a load that is
    # refused must restore it too, and a caller's own pause must outlast it.
    was_enabled = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    try:
        load(GOOD_ROW)
        assert gc.isenabled() is collecting
        problems_of(GOOD_ROW.replace("03748R101", "03748R102"))
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was_enabled else gc.disable)()


def test_components_that_do_not_sum_to_100_are_refused() -> None:
    row = GOOD_ROW.replace("1.6588", "1.6589")
    [problem] = problems_of(row)
    assert problem.startswith("mine.csv, line 2, column ordinary")
    assert "add up to 100.0001%" in problem


def test_a_wrong_check_digit_names_file_line_and_column() -> None:
    [problem] = problems_of(GOOD_ROW.replace("03748R101", "03748R102"))
    assert problem.startswith("mine.csv, line 2, column cusip:")
    assert "expected '1'" in problem


def test_record_date_after_payable_date_is_refused() -> None:
    [problem] = problems_of(GOOD_ROW.replace("2004-02-20", "2004-03-20"))
    assert "line 2, column record_date: 2004-03-20 is after the payable date" in problem


def test_duplicate_payments_are_refused_naming_both_lines() -> None:
    problems = problems_of(GOOD_ROW, GOOD_ROW)
    assert any("line 3, column payable_date" in p and "(line 2)" in p for p in problems)


def test_a_printed_annual_total_that_disagrees_is_refused() -> None:
    annual = (
        "Example REIT,2004,Class A,03748R101,AIV,annual,,,2.41,"
        "1.6588,1.3268,73.6080,23.4064,0.0000,release,2005-01-28,"
    )
    [problem] = problems_of(GOOD_ROW, annual)
    assert "line 3, column dividend_per_share: annual line prints 2.41" in problem
    assert "add up to 0.600" in problem


def test_a_printed_annual_percentage_that_disagrees_is_refused() -> None:
    annual = (
        "Example REIT,2004,Class A,03748R101,AIV,annual,,,0.600,"
        "1.6589,1.3267,73.6080,23.4064,0.0000,release,2005-01-28,"
    )
    problems = problems_of(GOOD_ROW, annual)
    assert len(problems) == 2
    assert "line 3, column ordinary: annual line prints 1.6589%" in problems[0]


def test_every_problem_is_reported_at_once() -> None:
    bad = GOOD_ROW.replace("2004,Class", "20x4,Class").replace("0.600", "-1")
    problems = problems_of(bad, GOOD_ROW.replace("2004-02-27", "2004-02-31"))
    columns = {p.split("column ")[1].split(":")[0] for p in problems}
    assert {"tax_year", "dividend_per_share", "payable_date"} <= columns


def test_unknown_and_missing_columns_are_refused_by_name() -> None:
    [problem] = problems_of(GOOD_ROW, header=HEADER.replace("qualified", "qualifed"))
    assert "line 1: unknown column(s) 'qualifed'" in problem
    problems = problems_of("x", header="issuer,cusip")
    assert "missing column(s) tax_year, class_name, symbol" in problems[0]
    assert "no component columns" in problems[1]


def test_a_class_that_changes_name_between_rows_is_refused() -> None:
    second = (
        GOOD_ROW.replace("Class A", "Class B").replace("02-20", "05-18").replace("02-27", "05-28")
    )
    [problem] = problems_of(GOOD_ROW, second)
    assert "line 3, column class_name: 'Class B' differs from 'Class A'" in problem


def test_a_missing_file_is_a_data_file_error() -> None:
    with pytest.raises(DataFileError, match="cannot read the table"):
        AllocationTable.from_paths(["/nonexistent/table.csv"])


def test_a_line_the_csv_module_cannot_read_is_a_problem_not_a_traceback() -> None:
    huge_note = "x" * 200_000  # past the csv module's field size limit
    problems = problems_of(GOOD_ROW + huge_note)
    assert any("line 2: not readable as CSV: field larger than field limit" in p for p in problems)


@pytest.mark.parametrize("blank_lines", [0, 1, 2, 3])
def test_a_line_the_csv_module_cannot_read_is_named_by_its_own_number(blank_lines: int) -> None:
    # Blank lines before it once went uncounted: line 6 was reported as line 4.
    huge_note = "x" * 200_000
    problems = problems_of(GOOD_ROW, *[""] * blank_lines, GOOD_ROW + huge_note)
    line = 3 + blank_lines
    assert any(f"line {line}: not readable as CSV" in p for p in problems), problems


def test_a_line_shorter_or_longer_than_the_header_is_read_or_refused_by_its_number() -> None:
    short = ",".join(GOOD_ROW.split(",")[:-1])  # its last column (notes) left off: blank
    table = load(short)
    [payment] = table.classes[("03748R101", 2004)].payments
    assert payment.notes == ""
    problems = problems_of(GOOD_ROW, "", GOOD_ROW + ",one too many")
    assert any("line 4: more fields than the header has columns" in p for p in problems), problems


def test_a_line_break_inside_a_quoted_cell_loads_as_written() -> None:
    table = load(GOOD_ROW + '"first line\rsecond line"')
    [payment] = table.classes[("03748R101", 2004)].payments
    assert payment.notes == "first line\rsecond line"


def test_a_table_file_with_only_a_header_is_refused() -> None:
    [problem] = problems_of()
    assert problem == "mine.csv: holds no rows below its header; a table needs its payments"


# --- where a problem is: file and line as values, on any platform's paths -------


def test_a_table_named_by_a_windows_path_reports_its_problems_with_the_path_intact() -> None:
    bad = GOOD_ROW.replace("03748R101", "03748R102")
    with pytest.raises(DataFileError) as caught:
        AllocationTable.from_texts([(r"C:\data\b.csv", f"{HEADER}\n{bad}\n")])
    [problem] = caught.value.problems
    assert str(problem).startswith(r"C:\data\b.csv, line 2, column cusip: cusip '03748R102'")
    assert problem.origin.name == "b.csv"


def test_two_windows_paths_claiming_one_date_are_both_named_whole() -> None:
    next_year = GOOD_ROW.replace("Example REIT,2004", "Example REIT,2005")
    with pytest.raises(DataFileError) as caught:
        AllocationTable.from_texts(
            [
                (r"C:\data\a.csv", f"{HEADER}\n{GOOD_ROW}\n"),
                (r"C:\data\b.csv", f"{HEADER}\n{next_year}\n"),
            ]
        )
    assert (
        str(caught.value)
        .splitlines()[0]
        .startswith(
            r"C:\data\b.csv, line 2: the payment of 2004-02-27 is in tax year 2004's table too "
            r"(C:\data\a.csv, line 2); a date must pick one payment"
        )
    )


def test_every_loaded_row_knows_its_file_and_line() -> None:
    table = AllocationTable.from_texts([(r"D:\tables\mine.csv", f"{HEADER}\n{GOOD_ROW}\n")])
    (payment,) = table.payments()
    assert (payment.origin.file, payment.origin.line) == (r"D:\tables\mine.csv", 2)
    assert payment.origin.short() == "mine.csv:2"


# --- one payment in two tax years' tables ------------------------------------------
# A made-up payment of record 2023-12-29, paid 2024-01-16: $0.020000 of it reported in
# 2023 (ordinary $0.015000, return of capital $0.005000) and $0.100000 in 2024
# (ordinary $0.090000, return of capital $0.010000): $0.120000 in all, $0.105000 ordinary.
SPLIT_HEADER = (
    "issuer,tax_year,class_name,cusip,symbol,row_kind,record_date,payable_date,"
    "dividend_per_share,other_tax_year,total_ordinary,return_of_capital,source,release_date,notes"
)
PART_2023 = (
    "Example REIT,2023,Class A,03748R101,AIV,payment,2023-12-29,2024-01-16,$0.020000,,"
    "$0.015000,$0.005000,release,2024-01-20,"
)
PART_2024 = (
    "Example REIT,2024,Class A,03748R101,AIV,payment,2023-12-29,2024-01-16,$0.100000,,"
    "$0.090000,$0.010000,release,2025-01-20,"
)


def two_years(first: str, second: str) -> AllocationTable:
    return AllocationTable.from_texts(
        [
            ("a-first.csv", f"{SPLIT_HEADER}\n{first}\n"),
            ("b-second.csv", f"{SPLIT_HEADER}\n{second}\n"),
        ]
    )


def refusal(first: str, second: str) -> str:
    with pytest.raises(DataFileError) as caught:
        two_years(first, second)
    return str(caught.value)


def test_a_payments_lines_in_the_two_years_its_dates_straddle_are_its_parts_unmarked() -> None:
    table = two_years(PART_2023, PART_2024)
    assert lookup.dividend("AIV", "2024-01-16", table) == Decimal("0.120000")
    assert lookup.dividend("AIV", "2023-12-29", table) == Decimal("0.120000")  # its record date
    assert lookup.amount("AIV", "2024-01-16", "1a", 1, table) == Decimal("0.105000")
    assert lookup.dividend("AIV", "2024-01-16", table, tax_year=2023) == Decimal("0.020000")
    assert lookup.dividend("AIV", "2024-01-16", table, tax_year=2024) == Decimal("0.100000")
    # One line marked, the other not: still its two parts.
    marked = PART_2023.replace("$0.020000,,", "$0.020000,2024,")
    assert lookup.dividend("AIV", "2024-01-16", two_years(marked, PART_2024)) == Decimal("0.12")


def test_a_payments_lines_in_two_years_it_does_not_straddle_are_refused() -> None:
    # Paid 2024-01-16 of record 2023-12-29: 2024 and 2025 are not the years it straddles.
    in_2025 = PART_2024.replace(",2024,", ",2025,", 1)
    message = refusal(PART_2024, in_2025)
    assert "a date must pick one payment" in message
    assert "its dates straddle 2023 and 2024, not these two years" in message
    # A payment of record 2024-01-31, paid 2024-02-15, falls in 2024 alone.
    february = [
        row.replace("2023-12-29,2024-01-16", "2024-01-31,2024-02-15")
        for row in (PART_2023, PART_2024)
    ]
    assert "its dates fall in 2024 alone" in refusal(*february)


def test_a_line_that_names_another_year_than_its_other_parts_is_refused() -> None:
    third = PART_2024.replace("$0.100000,,", "$0.100000,2025,")
    assert "its line in 2024 names 2025 in other_tax_year, not 2023" in refusal(PART_2023, third)


def test_a_line_that_names_a_loaded_year_without_its_other_part_is_refused() -> None:
    marked = PART_2023.replace("$0.020000,,", "$0.020000,2024,")
    other_payment = PART_2024.replace("2023-12-29,2024-01-16", "2024-01-31,2024-02-15")
    message = refusal(marked, other_payment)
    assert "the payment of 2024-01-16 is split with tax year 2024" in message
    assert "has no line for it that is its other part" in message


def test_two_lines_that_name_each_others_year_are_parts_wherever_the_dates_fall() -> None:
    # As other_tax_year has always said: a payment of 2024 alone, split with 2023 by the
    # two releases' own word.
    lines = [
        row.replace("2023-12-29,2024-01-16", "2024-01-31,2024-02-15").replace(
            f"{dividend},,", f"{dividend},{other},"
        )
        for row, dividend, other in ((PART_2023, "$0.020000", 2024), (PART_2024, "$0.100000", 2023))
    ]
    assert lookup.dividend("AIV", "2024-02-15", two_years(*lines)) == Decimal("0.12")


# --- a release's own disagreement, kept as printed ------------------------------------

EXCESS_HEADER = (
    "issuer,tax_year,class_name,cusip,symbol,row_kind,record_date,payable_date,"
    "dividend_per_share,parts_excess,total_ordinary,total_capital_gain,return_of_capital,"
    "source,release_date,notes"
)
# HASI's 12/28/2022 payment as its 2023 release prints it: $0.1965 + $0.1566 + $0.0222 =
# $0.3753 against a $0.3750 dividend.
EXCESS_ROW = (
    "HASI,2023,Common Stock,41068X100,HASI,payment,2022-12-28,2023-01-06,$0.3750,{excess},"
    "$0.1965,$0.1566,$0.0222,release,2024-01-19,"
)


def test_a_row_stating_how_far_its_parts_exceed_the_dividend_loads_as_printed() -> None:
    table = load(EXCESS_ROW.format(excess="$0.0003"), header=EXCESS_HEADER)
    (payment,) = table.payments()
    assert payment.parts_excess == Decimal("0.0003")
    assert payment.figures["total_ordinary"].dollars == Decimal("0.1965")
    assert any("$0.3753" in note and "as printed" in note for note in payment.findings)
    # and it writes back as it was read
    (again,) = read_text("again.csv", write_text([payment]))[0]
    assert again.parts_excess == Decimal("0.0003")


@pytest.mark.parametrize(
    ("excess", "says"),
    [
        ("", "add up to $0.3753, not the dividend $0.3750"),
        ("$0.0002", "add up to $0.3753, $0.0003 beyond the dividend $0.3750"),
        ("0.0003x", "is not an excess of the parts over the dividend"),
        ("$0", "is not an excess of the parts over the dividend"),
    ],
)
def test_parts_beyond_the_dividend_are_refused_unless_stated_exactly(
    excess: str, says: str
) -> None:
    [problem] = problems_of(EXCESS_ROW.format(excess=excess), header=EXCESS_HEADER)
    assert problem.startswith("mine.csv, line 2, column ")
    assert says in problem
