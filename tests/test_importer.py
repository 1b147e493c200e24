"""Importing a release's text: the Aimco 2004 release, made-up releases, broken ones.

The release texts and the tables they must produce are in ``tests/releases``
(see its README): the Aimco text is the release's tables as OCR'd, damage
included; the others are made up to cover other issuers' layouts.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_reit import lookup
from xl_reit.errors import DataFileError, NotPrintedError
from xl_reit.importer import Finding, GivenCusip, ImportResult, parse_release
from xl_reit.importer.layouts import LAYOUTS
from xl_reit.importer.lines import FIGURE_ROLES
from xl_reit.table import AllocationTable

from release_2004 import CLASSES

RELEASES = Path(__file__).parent / "releases"
BUNDLED = resources.files("xl_reit") / "data" / "aimco-2004.csv"
AIMCO_SOURCE = "Aimco press release 2004 Dividend Income Tax Allocation (PR Newswire First Call)"
#: Every release text with the table it must import to beside it: NAME.txt, NAME.csv.
PAIRS = sorted(p.stem for p in RELEASES.glob("*.txt") if p.with_suffix(".csv").is_file())
#: The made-up releases of other issuers, which must import without a gap or a problem.
EXAMPLES = [name for name in PAIRS if name.startswith("example-")]
#: The one release text whose table is not beside it: the Aimco copy imports to the
#: bundled table, given the facts only the prose it leaves out prints.
TABLES_ELSEWHERE = {"aimco-2004": BUNDLED}


@cache
def aimco() -> ImportResult:
    return parse_release(
        (RELEASES / "aimco-2004.txt").read_text(encoding="utf-8"),
        source_name=AIMCO_SOURCE,
        issuer="Apartment Investment and Management Company",
        tax_year=2004,
        release_date=dt.date(2005, 1, 28),
        symbols={cusip: symbol for symbol, cusip, _ in CLASSES},
    )


def release(name: str) -> ImportResult:
    text = (RELEASES / f"{name}.txt").read_text(encoding="utf-8")
    return parse_release(text, source_name=f"{name}.txt")


def found(result: ImportResult, kind: str, *, containing: str) -> list[Finding]:
    return [f for f in result.report.findings if f.kind == kind and containing in f.message]


def inline(
    text: str,
    *,
    issuer: str | None = None,
    tax_year: int | None = None,
    symbols: dict[str, str] | None = None,
) -> ImportResult:
    """A small release written in the test: "|" for a tab, lines stripped of indentation."""
    lines = [re.sub(r"\s*\|\s*", "\t", line.strip()) for line in text.strip().splitlines()]
    return parse_release(
        "\n".join(lines),
        source_name="inline.txt",
        issuer=issuer,
        tax_year=tax_year,
        symbols=symbols,
    )


# --- the Aimco 2004 release: its text imports to the bundled table -----------------


def test_aimco_text_imports_to_the_bundled_table_byte_for_byte() -> None:
    assert aimco().to_csv(allow_gaps=True) == BUNDLED.read_text(encoding="utf-8")


def test_aimco_import_matches_the_bundled_table_field_by_field() -> None:
    imported = aimco().table()
    bundled = AllocationTable.from_texts([(BUNDLED.name, BUNDLED.read_text(encoding="utf-8"))])
    assert list(imported.classes) == list(bundled.classes)
    for mine, theirs in zip(imported.classes.values(), bundled.classes.values(), strict=True):
        identity = ("issuer", "tax_year", "class_name", "cusip", "symbol")
        assert [getattr(mine, f) for f in identity] == [getattr(theirs, f) for f in identity]
        lines = [*mine.payments, mine.printed_annual]
        expected = [*theirs.payments, theirs.printed_annual]
        for payment, printed in zip(lines, expected, strict=True):
            assert payment is not None and printed is not None
            for column in ("record_date", "payable_date", "dividend_per_share", "notes"):
                assert getattr(payment, column) == getattr(printed, column), (mine.symbol, column)
            assert dict(payment.percentages) == dict(printed.percentages)
            assert str(payment.dividend_per_share) == str(printed.dividend_per_share)


def test_aimco_import_reports_class_rs_short_columns_as_a_repair_by_line() -> None:
    (repair,) = found(aimco(), "repair", containing="print three figures for four payments")
    assert repair.class_name == "Class R Cumulative Preferred Stock"
    assert repair.lines == (108, 109)  # the column-by-column line and the annual line
    assert "the missing 1.6588% and 1.3268% are the value printed on every other row" in (
        repair.message
    )


def test_aimco_import_takes_class_ts_dates_from_its_capital_gain_table() -> None:
    (repair,) = found(aimco(), "repair", containing="dividend table lost its dates")
    assert repair.class_name == "Class T Cumulative Preferred Stock"
    assert {124, 129, 130} <= set(repair.lines)  # the damaged line, the capital-gain table
    (reading,) = found(aimco(), "reading", containing="(10/01/04 10/15/04)")
    assert reading.message.endswith("are the payment of 2004-10-15")


def test_aimco_import_repairs_class_ts_damaged_ordinary_column_from_every_other_table() -> None:
    repairs = found(aimco(), "repair", containing="ordinary column damaged ('1.' '.6588%')")
    assert len(repairs) == 4  # one per payment
    assert all("1.6588% is the value printed on every row of every other table" in r.message
               for r in repairs)  # fmt: skip


def test_aimco_import_carries_class_ts_only_printed_dividend_as_inferred_gaps() -> None:
    gaps = found(aimco(), "gap", containing="carried to this row")
    assert [g.message.split(":")[0] for g in gaps] == [
        "payment of 2004-01-15",
        "payment of 2004-04-15",
        "payment of 2004-07-15",
    ]
    assert all("$0.50 is the only figure printed in the column (10/15/04 row)" in g.message
               and g.message.endswith("(inferred)") and 124 in g.lines for g in gaps)  # fmt: skip


def test_aimco_import_reports_class_ts_annual_line_gaps() -> None:
    annual = [g.message for g in aimco().report.of_kind("gap") if "annual" in g.message]
    assert annual == [
        "annual dividend per share not printed (lost with the dividend table)",
        "annual ordinary not legible",
    ]


def test_aimco_import_is_not_ok_only_because_of_class_ts_gaps() -> None:
    result = aimco()
    assert not result.ok
    assert result.report.of_kind("problem") == ()
    assert {f.class_name for f in result.report.of_kind("gap")} == {
        "Class T Cumulative Preferred Stock"
    }
    with pytest.raises(DataFileError, match="carried to this row"):
        result.to_csv()


@pytest.mark.parametrize(
    ("line", "reading"),
    [
        (1, "look-alike letter 'Α' (greek capital letter alpha) read as Latin"),
        (129, "row label 'Appual' read as 'annual'"),
        (15, "header words read 'Unitecaptured' as 'unrecaptured'"),
        (49, "header words read 'Dividenās' as 'dividends'"),
        (87, "'Pavable' as 'payable'"),
        (67, "2 rows printed on one line"),
        (139, "the header names it without standing over it"),
        (124, "a table without a header: read in the columns every other table like it prints"),
        (129, "return of capital column prints 6 figures for 4 payments and the annual line"),
        (24, "text without figures, not a table"),  # "Aimco Preferred Stock"
    ],
)
def test_aimco_import_reports_how_it_read_the_ocr_damage(line: int, reading: str) -> None:
    assert any(line in f.lines for f in found(aimco(), "reading", containing=reading))


def test_aimco_import_reports_every_class_with_its_cusip_and_payments() -> None:
    classes = aimco().report.classes
    assert [(c.symbol, c.cusip, c.class_name) for c in classes] == [
        (symbol, cusip.replace("-", ""), name) for symbol, cusip, name in CLASSES
    ]
    assert [len(c.payments) for c in classes] == [4, 4, 4, 1, 4, 4, 4, 2]
    assert all(p.parts_total == 100 for c in classes for p in c.payments)
    assert all(c.written for c in classes)
    assert aimco().report.classes[0].heading_lines == (1, 13)  # "Class Α" and "Class A"


def test_aimco_copy_holds_the_releases_tables_not_its_prose() -> None:
    text = (RELEASES / "aimco-2004.txt").read_text(encoding="utf-8")
    assert not re.search(r"[a-z]{3}\. [A-Z]", text)  # no sentence follows another
    for prose in ("real estate investment trust", "Announces", "PRNewswire", "tax advisors"):
        assert prose not in text


# --- every release text and its table ------------------------------------------


def test_every_release_text_has_the_table_it_must_import_to() -> None:
    texts = {p.stem for p in RELEASES.glob("*.txt")}
    tables = {p.stem for p in RELEASES.glob("*.csv")}
    assert PAIRS and EXAMPLES
    assert sorted(texts - tables - set(TABLES_ELSEWHERE)) == []  # a text without its table
    assert sorted(tables - texts) == []  # a table without its text


@pytest.mark.parametrize("name", PAIRS)
def test_a_release_text_imports_to_the_table_beside_it(name: str) -> None:
    expected = (RELEASES / f"{name}.csv").read_text(encoding="utf-8")
    assert release(name).to_csv(allow_gaps=True) == expected


# --- made-up releases of other issuers, layouts and years --------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_release_imports_to_its_table(name: str) -> None:
    result = release(name)
    assert result.ok, result.report_text()
    assert result.to_csv() == (RELEASES / f"{name}.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_release_reads_issuer_year_and_symbols_from_its_own_text(name: str) -> None:
    report = release(name).report
    assert report.tax_year == int(name[-4:])
    assert report.issuer and all(c.symbol for c in report.classes)


def test_nested_dollar_columns_are_written_as_printed_in_their_boxes() -> None:
    result = release("example-nested-2019")
    assert result.report.classes[0].reading == "dollars per share"
    first = result.rows[0]
    # Box 1a $0.360000 with box 1b $0.018000 and box 5 $0.342000 inside it; box 2a
    # $0.072000 with box 2b $0.027000 inside it; box 3 $0.018000: as printed.
    assert [first[name] for name in ("total_ordinary", "qualified", "section_199a")] == [
        "$0.360000",
        "$0.018000",
        "$0.342000",
    ]
    assert (first["total_capital_gain"], first["unrecaptured_1250"]) == ("$0.072000", "$0.027000")
    assert first["return_of_capital"] == "$0.018000"
    assert first["notes"] == ""


def test_ordinary_that_includes_qualified_is_read_as_box_1a_from_the_arithmetic_alone() -> None:
    result = release("example-columns-2015")
    assert "the ordinary column is total ordinary (box 1a)" in result.report.classes[0].reading
    first = result.rows[0]
    assert (first["total_ordinary"], first["qualified"]) == ("80.0000", "5.0000")  # as printed
    assert first["notes"].startswith(
        "the ordinary column is total ordinary (box 1a): qualified is inside it, as the parts "
        "add up to the dividend"
    )


def test_additive_columns_stay_as_printed() -> None:
    assert aimco().report.classes[0].reading == "percentages of each payment"
    assert aimco().rows[0]["ordinary"] == "1.6588"


def test_a_class_that_prints_fewer_parts_is_written_with_the_ones_it_prints() -> None:
    preferred = [r for r in release("example-spaces-2011").rows if r["symbol"] == "LKO-PB"]
    assert {(r["total_ordinary"], r["qualified"], r["ordinary"]) for r in preferred} == {
        ("70.0000", "", "")
    }
    table = release("example-spaces-2011").table()
    assert lookup.allocation("LKO-PB", "2011-04-15", "1a", table=table) == Decimal("0.7")
    with pytest.raises(NotPrintedError, match="qualified"):
        lookup.allocation("LKO-PB", "2011-04-15", "1b", table=table)


def test_an_ex_dividend_date_column_is_written_as_printed() -> None:
    result = release("example-spaces-2011")
    assert not found(result, "reading", containing="'Ex-Dividend Date' column is not in the table")
    common = [row for row in result.rows if row["cusip"] == "51477L100" and row["ex_date"]]
    # the common shares' table prints "Ex-Dividend Date" 03/29/2011 … 12/28/2011
    assert [row["ex_date"] for row in common] == [
        "2011-03-29",
        "2011-06-28",
        "2011-09-28",
        "2011-12-28",
    ]


def test_an_imported_table_loads_and_answers_lookups() -> None:
    table = AllocationTable.from_texts([("nested.csv", release("example-nested-2019").to_csv())])
    assert lookup.allocation("HPRT", "2019-04-15", "section_199a", table=table) == Decimal("0.76")
    assert lookup.allocation("41196Q100", "04/15/2019", "box 5", table=table) == Decimal("0.76")
    assert lookup.allocation("HPRT-PA", "2019-12-31", "2a", table=table) == Decimal("0.16")
    assert lookup.amount("HPRT", "annual", "1b", 100, table=table) == Decimal("7.4")
    spaces = release("example-spaces-2011").table()
    assert lookup.dividend("LKO", "2011", table=spaces) == Decimal("1.4000")


def test_every_role_of_a_figure_line_is_a_layout_with_a_reader() -> None:
    assert set(LAYOUTS) == set(FIGURE_ROLES)
    assert all(LAYOUTS[name].name == name for name in LAYOUTS)


# --- broken releases: reported by line, never guessed ----------------------------


@pytest.mark.parametrize(
    ("line", "class_name", "problem"),
    [
        (14, "Series A Preferred Stock", "add up to 99.9000%, not 100%"),
        (19, "Series B Preferred Stock", "a row with no record date (the 07/15/2016 row)"),
        (25, "Series C Preferred Stock", "annual line prints 0.90, the payments add up to 0.80"),
        (27, "Series D Preferred Stock", "check digit is '3', expected '7'"),
    ],
)
def test_a_broken_release_reports_each_problem_with_its_line(
    line: int, class_name: str, problem: str
) -> None:
    (reported,) = found(release("broken-2016"), "problem", containing=problem)
    assert (reported.lines, reported.class_name) == ((line,), class_name)


def test_a_broken_release_is_not_ok_and_writes_only_the_classes_that_reconcile() -> None:
    result = release("broken-2016")
    assert not result.ok
    with pytest.raises(DataFileError, match=r"line 14: Series A"):
        result.to_csv()
    assert result.to_csv(allow_gaps=True) == (RELEASES / "broken-2016.csv").read_text()
    assert [c.written for c in result.report.classes] == [True, False, False, False]


def test_a_short_column_whose_figures_differ_is_not_completed() -> None:
    result = inline(
        """
        Example Trust Announces 2020 Dividend Tax Allocation
        Common Stock (CUSIP 41196Q100)
        Record Date 03/31/20 06/30/20 09/30/20 | Payable Date 04/15/20 07/15/20 10/15/20 | Dividend per Share $0.25 $0.25 $0.25 | Ordinary Dividends 90.0000% 80.0000% | Return of Capital 10.0000% 20.0000% 20.0000%
        """  # noqa: E501
    )
    (problem,) = result.report.of_kind("problem")
    assert problem.message == (
        "the ordinary column prints 2 figures for 3 payments and they differ; which payment "
        "lost its figure cannot be told"
    )
    assert problem.lines == (3,)
    assert result.rows == ()


def test_a_headerless_table_with_no_table_like_it_is_a_problem() -> None:
    result = inline(
        """
        Example Trust Announces 2020 Dividend Tax Allocation
        Common Stock (CUSIP 41196Q100)
        03/31/20 | 04/15/20 | $0.25 | 90.0000% | 10.0000%
        """
    )
    (problem,) = result.report.of_kind("problem")
    assert problem.lines == (3,) and "table without a header" in problem.message


def test_figures_before_any_class_heading_are_reported() -> None:
    result = inline(
        """
        03/31/20 | 04/15/20 | $0.25 | 90.0000% | 10.0000%
        """,
        issuer="Example Trust",
        tax_year=2020,
    )
    assert [(f.lines, f.message) for f in result.report.of_kind("problem")] == [
        (
            (),
            "the release prints no CUSIP (its figures on line 1 are not read): give its class's "
            "CUSIP with --cusip CUSIP, or --cusip 'CLASS=CUSIP' for each class (CLASS being part "
            "of the class's heading)",
        ),
    ]


def test_a_table_of_dates_and_a_dividend_with_no_figure_of_the_allocation_is_refused() -> None:
    # Found by the property test below: the header's other columns name no figure, so the
    # payment would be written with its dividend alone (a table file refuses that).
    result = inline(
        """
        Class P Convertible Cumulative Preferred Stock (CUSIP 03748R-86-1)
        Date | Date | Common Share | Dividends | (15% Rate)
        01/01/04 | 01/15/04 | 73.6080% | 23.4064% | 0.0000%
        """,
        issuer="X",
        tax_year=2020,
    )
    assert not result.ok and not result.rows
    assert [(f.kind, f.message) for f in result.report.of_kind("problem")] == [
        (
            "problem",
            "no column of the allocation's figures (ordinary dividends, capital gain, return of "
            "capital …): nothing to import",
        )
    ]


def test_a_payment_of_nothing_is_refused_not_written() -> None:
    # Found by the fuzzer: a line cut short after "$0" had its parts repaired from the
    # other rows, and a row a table file refuses was about to be written.
    result = inline(
        """
        Common Stock (CUSIP 90315R101)
        Record Date | Payable Date | Dividend | Ordinary | Capital Gain | Return of Capital
        03/31/2016 | 04/15/2016 | $0.25 | 70.0000% | 20.0000% | 10.0000%
        06/30/2016 | 07/15/2016 | $0
        """,
        issuer="Example Trust",
        tax_year=2016,
    )
    assert not result.ok and not result.rows
    assert [(f.lines, f.message) for f in result.report.of_kind("problem")] == [
        ((4,), "dividend per share: '0' is not a positive dollar amount")
    ]


def test_a_class_whose_every_payment_prints_its_dates_alone_is_refused() -> None:
    # Found by the fuzzer: a table cut short after its first dates ("04/15/20") left a
    # class of one payment printed with no figure, and the import raised a ValueError.
    result = inline(
        """
        Harbor Point Residential Trust Reports 2019 Dividend Tax Treatment
        Common Stock (CUSIP 41196Q100)
        Record Date | Payable Date | Total Distribution | Total Ordinary (Box 1a) | Box 3
        03/29/2019 | 04/15/20
        """
    )
    assert not result.ok and not result.rows
    assert [(f.lines, f.message) for f in result.report.of_kind("problem")] == [
        (
            (4,),
            "no payment prints a figure (each is another tax year's, or its figures are "
            "missing): nothing of the class to write",
        )
    ]


RELEASE_LINES = sorted(
    {line for path in RELEASES.glob("*.txt") for line in path.read_text("utf-8").splitlines()}
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(RELEASE_LINES) | st.text(max_size=30), max_size=25),
    st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from("\t $%.07-/Aa—")), max_size=6),
)
def test_any_text_imports_without_error_and_writes_only_tables_that_load(
    lines: list[str], damage: list[tuple[int, str]]
) -> None:
    text = list("\n".join(lines))
    for where, character in damage:  # OCR-like damage: a character replaced
        if text:
            text[where % len(text)] = character
    result = parse_release("".join(text), source_name="junk.txt", issuer="X", tax_year=2020)
    assert result.report_text()
    if result.rows:
        result.table()  # raises if a written row does not reconcile


# --- what the importer infers, and how it marks it -------------------------------

#: Lines 1 and 2 of the small releases below: a title and a class heading.
EXAMPLE_TRUST = (
    "Example Trust Announces 2020 Dividend Tax Allocation (NYSE: EXT)\n"
    "Common Stock (CUSIP 41196Q100)"
)

SMALL = """
    Common Stock (CUSIP 41196Q100)
    Record Date | Payable Date | Dividend per Share | Ordinary Dividends | Return of Capital
    03/31/2020 | 04/15/2020 | $0.25 | 90.0000% | 10.0000%
    06/30/2020 | 07/15/2020 | $0.25 | 90.0000% | 10.0000%
"""


def test_a_tax_year_printed_nowhere_is_taken_from_the_payable_dates_as_a_gap() -> None:
    result = inline(SMALL, issuer="Example Trust", symbols={"41196Q-10-0": "EXT"})
    assert not result.ok
    assert result.report.tax_year == 2020
    assert found(result, "gap", containing="tax year not printed: 2020 taken from the payable")
    assert result.rows[0]["notes"] == "tax year not printed: 2020 taken from the payable dates"


def test_a_class_without_a_symbol_has_its_cusip_as_symbol_said_but_no_gap() -> None:
    result = inline(SMALL, issuer="Example Trust", tax_year=2020)
    assert result.ok, result.report_text()
    assert found(result, "reading", containing="symbol not printed: the CUSIP stands in for it")
    assert result.rows[0]["symbol"] == "41196Q100"
    assert result.rows[0]["notes"] == "symbol not printed: the CUSIP stands in for it"


def test_a_release_with_everything_given_is_ok() -> None:
    result = inline(SMALL, issuer="Example Trust", tax_year=2020, symbols={"Common Stock": "EXT"})
    assert result.ok, result.report_text()
    assert [r["notes"] for r in result.rows] == ["", ""]


def test_one_illegible_dividend_is_the_annual_dividend_less_the_others() -> None:
    result = inline(
        EXAMPLE_TRUST
        + """
        Record Date | Payable Date | Dividend per Share | Ordinary Dividends | Return of Capital
        03/31/2020 | 04/15/2020 | $0. | 90.0000% | 10.0000%
        06/30/2020 | 07/15/2020 | $0.30 | 90.0000% | 10.0000%
        Annual |  | $0.55 | 90.0000% | 10.0000%
        """
    )
    assert result.ok, result.report_text()
    assert result.rows[0]["dividend_per_share"] == "0.25"
    assert result.rows[0]["notes"] == (
        "dividend per share damaged ('$0.'): $0.25 is the printed annual dividend less the "
        "other payments"
    )


def test_dollar_parts_that_do_not_divide_exactly_are_written_as_printed() -> None:
    result = inline(
        EXAMPLE_TRUST
        + """
        Record Date | Payable Date | Distribution per Share | Ordinary Dividends | Return of Capital
        03/31/2020 | 04/15/2020 | $0.30 | $0.10 | $0.20
        """
    )
    assert result.ok, result.report_text()
    row = result.rows[0]
    assert (row["total_ordinary"], row["return_of_capital"]) == ("$0.10", "$0.20")
    assert lookup.amount("EXT", "2020-04-15", "roc", table=result.table()) == Decimal("0.20")
    assert lookup.allocation("EXT", "2020-04-15", "roc", table=result.table()) == Decimal(
        "0.6666666666666666666666666666666667"
    )


def test_an_annual_label_the_ocr_damaged_into_a_near_word_is_reported() -> None:
    result = inline(
        EXAMPLE_TRUST
        + """
        Record Date | Payable Date | Dividend per Share | Ordinary Dividends | Return of Capital
        03/31/2020 | 04/15/2020 | $0.25 | 90.0000% | 10.0000%
        Annuaa | | $0.25 | 90.0000% | 10.0000%
        """
    )
    assert result.ok, result.report_text()
    assert found(result, "reading", containing="row label 'Annuaa' read as 'annual'")


def test_a_lone_dash_among_figures_is_read_as_zero() -> None:
    result = inline(
        EXAMPLE_TRUST
        + """
        Record Date | Payable Date | Dividend per Share | Ordinary Dividends | Return of Capital
        03/31/2020 | 04/15/2020 | $0.25 | 100.0000% | —
        """
    )
    assert result.ok, result.report_text()
    assert result.rows[0]["return_of_capital"] == "0"
    assert found(result, "reading", containing="a dash among the figures is read as 0")


def test_a_row_that_lost_its_record_date_takes_it_from_the_classs_other_table() -> None:
    result = inline(
        EXAMPLE_TRUST
        + """
        Record Date | Payable Date | Dividend per Share | Ordinary Dividends
        03/31/2020 | 04/15/2020 | $0.25 | 90.0000%
        06/30/2020 | 07/15/2020 | $0.25 | 90.0000%
        Common Stock (CUSIP 41196Q100)
        Record Date | Payable Date | Return of Capital
        03/31/2020 | 04/15/2020 | 10.0000%
        | 07/15/2020 | 10.0000%
        """
    )
    assert result.ok, result.report_text()
    assert result.rows[1]["record_date"] == "2020-06-30"
    assert result.rows[1]["notes"] == (
        "record date not printed on this row: taken from the class's other table"
    )
    (repair,) = result.report.of_kind("repair")
    assert repair.lines == (5, 9)  # the row without its record date, and the one with it


def test_an_annual_line_in_dollars_that_disagrees_is_a_problem() -> None:
    result = inline(
        EXAMPLE_TRUST
        + """
        Record Date | Payable Date | Distribution per Share | Ordinary Dividends | Return of Capital
        03/31/2020 | 04/15/2020 | $0.25 | $0.20 | $0.05
        06/30/2020 | 07/15/2020 | $0.25 | $0.20 | $0.05
        Total | | $0.50 | $0.35 | $0.15
        """
    )
    assert [(p.lines, p.message) for p in result.report.of_kind("problem")] == [
        ((6,), "total ordinary: annual line prints $0.35, the payments add up to $0.40"),
        ((6,), "return of capital: annual line prints $0.15, the payments add up to $0.10"),
    ]
    assert result.rows == ()


def test_look_alike_cyrillic_letters_month_names_and_escaped_dollars_are_read() -> None:
    result = inline(
        """
        Example Trust Announces 2020 Dividend Tax Allocation (NYSE: EXT)
        Соmmоn Stосk (CUSIP 41196Q100)
        Record Date | Payable Date | Dividend per Share | Ordinary Dividends | Return of Capital
        March 31, 2020 | April 15, 2020 | \\$0.25 | 90.0000% | 10.0000%
        """
    )
    assert result.ok, result.report_text()
    assert result.rows[0]["class_name"] == "Common Stock"
    assert (result.rows[0]["payable_date"], result.rows[0]["dividend_per_share"]) == (
        "2020-04-15",
        "0.25",
    )


def test_a_section_sign_printed_as_a_dollar_in_a_header_is_no_figure() -> None:
    # "Unrecaptured Section $1250 Gain": the header stays a header, the column is box 2b
    result = inline(
        """
        Example Net Lease Announces Tax Treatment of 2023 Dividends
        Common Stock | CUSIP 41196Q100 |
        Record Date | Payable Date | Distribution Per Share | Ordinary Dividends | Capital Gain Distributions | Unrecaptured Section $1250 Gain | Nondividend Distributions |
        3/31/2023 | 4/14/2023 | $0.300000 | $0.200000 | $0.060000 | $0.020000 | $0.040000 |
        6/30/2023 | 7/14/2023 | $0.310000 | $0.210000 | $0.060000 | $0.030000 | $0.040000 |
        """  # noqa: E501
    )
    assert result.ok, result.report_text()
    assert [row["unrecaptured_1250"] for row in result.rows] == ["$0.020000", "$0.030000"]
    assert [row["total_capital_gain"] for row in result.rows] == ["$0.060000", "$0.060000"]


def test_text_from_the_release_cannot_become_a_spreadsheet_formula() -> None:
    result = inline(
        """
        =HYPERLINK("http://example.com") Stock (CUSIP 41196Q100)
        Record Date | Payable Date | Dividend per Share | Ordinary Dividends | Return of Capital
        03/31/2020 | 04/15/2020 | $0.25 | 90.0000% | 10.0000%
        """,
        issuer="Example Trust",
        tax_year=2020,
        symbols={"41196Q100": "EXT"},
    )
    table = result.to_csv()
    assert "'=HYPERLINK(" in table and ',"=' not in table and ",=" not in table
    (loaded,) = result.table().classes.values()
    assert loaded.class_name == '=HYPERLINK("http://example.com") Stock'


# --- the command line's function --------------------------------------------------


def test_an_imported_table_named_in_xl_reit_data_answers_the_excel_functions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xl_reit.table import set_default_table
    from xl_reit.udfs import REIT_ALLOC, REIT_DIVIDEND

    table = tmp_path / "nested-2019.csv"
    table.write_text(release("example-nested-2019").to_csv(), encoding="utf-8")
    monkeypatch.setenv("XL_REIT_DATA", str(table))
    set_default_table(None)
    try:
        # As Excel sends them: a datetime from a date cell, a box with its word.
        assert REIT_ALLOC("HPRT", dt.datetime(2019, 4, 15), "Box 5") == 0.76
        assert REIT_DIVIDEND([["HPRT"], ["AIVPrG"]], "annual") == [(1.85,), (2.34375,)]
    finally:
        monkeypatch.delenv("XL_REIT_DATA")
        set_default_table(None)


@pytest.mark.parametrize(
    "dateline",
    ["Company Release - 01/30/2020 08:00", "Released: January 30, 2020", "Release date 2020-01-30"],
)
def test_the_release_date_is_read_from_the_text_when_it_prints_one(dateline: str) -> None:
    text = (RELEASES / "example-nested-2019.txt").read_text()
    title, rest = text.split("\n", 1)
    result = parse_release(f"{title}\n\n{dateline}\n{rest}", source_name="dated.txt")
    assert {row["release_date"] for row in result.rows} == {"2020-01-30"}
    assert any(
        f.kind == "reading" and "release date 2020-01-30 read from the text" in f.message
        for f in result.report.findings
    )
    given = parse_release(text, source_name="dated.txt", release_date=dt.date(2020, 2, 1))
    assert {row["release_date"] for row in given.rows} == {"2020-02-01"}


def test_a_nil_printed_dollar_sign_and_dash_in_a_spaced_row_is_zero() -> None:
    # Whitestone's 2021 release as a PDF's text gives it: "$ -" for a nil, spaces between.
    text = "\n".join(
        [
            "Example REIT Announces Tax Characteristics of 2021 Distributions",
            "Common Shares (CUSIP 966084204)",
            "Record Date Payable Date Total Distribution Per Share Ordinary Dividends "
            "Total Capital Gain Distribution Unrecaptured Sec 1250 Gain Return of Capital",
            "1/5/2021 1/14/2021 $ 0.035000 $ 0.028240 $ - $ - $ 0.006760",
            "2/2/2021 2/11/2021 $ 0.035000 $ 0.028240 $ - $ - $ 0.006760",
        ]
    )
    result = parse_release(text, source_name="spaced.txt")
    assert result.ok, result.report_text()
    first = result.payments[0]
    assert first.dividend_per_share == Decimal("0.035000")
    assert first.printed["total_capital_gain"].dollars == 0
    assert first.printed["unrecaptured_1250"].dollars == 0
    assert first.printed["return_of_capital"].dollars == Decimal("0.006760")


def test_a_footnote_that_quotes_a_payments_dates_and_figures_is_no_row() -> None:
    # KKR Real Estate Finance Trust's 2023 table (tests/releases/corpus), its footnote as a
    # PDF wraps it: the first line holds a figure and two dates, as a payment row does.
    corpus = Path(__file__).parent / "releases" / "corpus" / "kkr-reit-2023.txt"
    text = corpus.read_text(encoding="utf-8")
    table = text[: text.index("\n(2) ") + 1]
    wrapped = (
        "(2) The cash distribution of $0.43 a share, record date December 30, 2022 and\n"
        "paid January 13, 2023, is split: $0.25 of it is allocable to 2022, $0.18 to 2023.\n"
    )
    options = {"issuer": "KKR Real Estate Finance Trust Inc.", "source_name": "kkr.txt"}
    given = [GivenCusip(None, "48251K100")]
    plain = parse_release(table, cusips=given, **options)
    footed = parse_release(table + wrapped, cusips=given, **options)
    assert plain.ok and footed.ok, footed.report_text()
    assert footed.rows == plain.rows


#: A table as a PDF's text gives it (its caption, spaced cells, header cells' words over
#: two lines); the January payment's "($0.25)" is the part of it the year before reports.
ADJUSTED_TABLE = """\
                                        Tax Treatment of 2023 Dividends
Record Date     Payment      Cash           Adjustment     Total          Ordinary       Return of
                Date         Distribution                  Distribution   Dividends      Capital
Dec 30, 2022    Jan 13, 2023 $0.43          ($0.25)        $0.18          $0.16463       $0.01537
Mar 31, 2023    Apr 14, 2023 $0.43          $0.00          $0.43          $0.39329       $0.03671
"""


def test_a_sentence_that_quotes_a_payments_two_dates_is_prose_not_a_row() -> None:
    # A footnote as a PDF prints it on one line: two dates and three figures, as a row has,
    # but words between the dates. The table imports the same with and without it.
    note = (
        "The $0.43 paid on January 13, 2023 (record date December 30, 2022) spans two tax "
        "years: $0.25 of it counts in 2022 and the other $0.18 in 2023.\n"
    )
    options = {"issuer": "Example Trust", "tax_year": 2023, "source_name": "adjusted.txt"}
    given = [GivenCusip(None, "48251K100")]
    plain = parse_release(ADJUSTED_TABLE, cusips=given, **options)
    noted = parse_release(ADJUSTED_TABLE + note, cusips=given, **options)
    assert plain.ok and noted.ok, noted.report_text()
    assert noted.rows == plain.rows
    assert [p.dividend_per_share for p in noted.payments] == [Decimal("0.18"), Decimal("0.43")]
    (quoted,) = [f for f in noted.report.findings if f.message.startswith("prose that quotes")]
    assert quoted.lines == (6,)
    # two dates side by side in a line of text are still a payment's, and not read silently
    garbled = ADJUSTED_TABLE + "Jun 30, 2023 Jul 14, 2023 paid $0.43 as above\n"
    (problem,) = parse_release(garbled, cusips=given, **options).report.of_kind("problem")
    assert problem.message == "a payment's dates and figures in a line of text, not read as a row"


def test_a_figure_in_parentheses_is_no_figure_with_a_footnote_mark() -> None:
    # "($0.25)" beside "$0.00": the ")" is no third decimal, so no digit is a mark (the
    # reading of an OCR'd "$0.43751" as "$0.4375" and its mark); it was a traceback.
    result = parse_release(
        ADJUSTED_TABLE,
        cusips=[GivenCusip(None, "48251K100")],
        issuer="Example Trust",
        tax_year=2023,
        source_name="adjusted.txt",
    )
    assert result.ok, result.report_text()
    assert not [f for f in result.report.findings if "footnote" in f.message]


def test_a_footnote_mark_set_apart_over_the_next_column_names_nothing() -> None:
    # A PDF's text sets a superscript mark apart from its word: the "(1)" of "Section 897
    # Ordinary Dividends(1)" stands among the next column's words, "Capital (1) Gain".
    text = """\
Example REIT Reports 2023 Dividend Tax Treatment
Common Stock (CUSIP 92936U109)
                                                                    Section 897   Section 897
Record Date  Payment Date  Distribution  Ordinary    Capital Gain   Ordinary      Capital
                                         Dividends   Distributions  Dividends       (1)  Gain
12/30/22     1/13/23       $1.000000     $0.800000   $0.200000      $0.050000     $0.020000
3/31/23      4/14/23       $1.000000     $0.800000   $0.200000      $0.050000     $0.020000
"""
    result = parse_release(text, source_name="marked.txt")
    assert result.ok, result.report_text()
    for payment in result.payments:
        assert payment.printed["section_897_ordinary"].dollars == Decimal("0.050000")
        assert payment.printed["section_897_capital_gain"].dollars == Decimal("0.020000")
