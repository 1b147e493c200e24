"""The template workbook's contract: sheets, tables, columns, formulas, formats, protection."""

from __future__ import annotations

import datetime as dt
import re
import time
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xl_reit import __version__, atomic, lookup
from xl_reit import workbook as workbook_module
from xl_reit.atomic import OutputFileError, write_atomically
from xl_reit.errors import TemplateSelectionError
from xl_reit.holdings import read_holdings
from xl_reit.table import load_table, set_default_table
from xl_reit.workbook import build, classes_for_year, save

from release_2004 import ANNUAL_DIVIDENDS, CLASSES, PAYMENTS, PERCENTAGES, of_the_release

EXAMPLE_2019 = Path(__file__).parent / "data" / "example-2019.csv"
AIV_2005 = Path(__file__).parent / "data" / "aiv-2005.csv"

ROOT = Path(__file__).parent.parent
COMMITTED = ROOT / "workbook" / "xl-reit-template.xlsx"
DATA = Path(__file__).parent / "data"

PAYMENTS_COLUMNS = [
    "Class",
    "CUSIP",
    "Ticker",
    "Issuer",
    "Record date",
    "Payable date",
    "Dividend per share",
    "Shares held",
    "Ordinary",
    "Qualified",
    "Capital gain",
    "Unrecaptured 1250",
    "Return of capital",
    "Total",
]
AMOUNTS_COLUMNS = [
    "Class",
    "CUSIP",
    "Ticker",
    "Issuer",
    "Payable date",
    "Shares held",
    "Ordinary $",
    "Qualified $",
    "Capital gain $",
    "Unrecaptured 1250 $",
    "Return of capital $",
]
AIMCO = "Apartment Investment and Management Company"
PARTS = ["ordinary", "qualified", "capital_gain", "unrecaptured_1250", "return_of_capital"]


def compact(cusip: str) -> str:
    return cusip.replace("-", "")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    """The workbook as written to disk and read back (what a user opens)."""
    path = tmp_path_factory.mktemp("book") / "template.xlsx"
    save(build(of_the_release(lookup.classes())), path)
    return openpyxl.load_workbook(path)


def describe(path: Path) -> dict[str, Any]:
    """A workbook's meaning: every sheet's cells, tables, validations, layout. Not its bytes."""
    book = openpyxl.load_workbook(path)
    sheets: dict[str, Any] = {}
    for sheet in book.worksheets:
        sheets[sheet.title] = {
            "cells": {
                cell.coordinate: (cell.value, cell.data_type, cell.number_format)
                for row in sheet.iter_rows()
                for cell in row
                if cell.value is not None
            },
            "tables": {
                table.displayName: (
                    table.ref,
                    [c.name for c in table.tableColumns],
                    table.totalsRowCount,
                )
                for table in sheet.tables.values()
            },
            "validations": [
                (v.type, v.operator, v.formula1, str(v.sqref))
                for v in sheet.data_validations.dataValidation
            ],
            "freeze": sheet.freeze_panes,
            "protected": sheet.protection.sheet,
        }
    return {"order": book.sheetnames, "sheets": sheets, "title": book.properties.title}


# ------------------------------------------------------------------ Payments


def test_the_sheets_are_payments_amounts_1099_release_chart_about_and_the_xlwings_config(
    book: Workbook,
) -> None:
    assert book.sheetnames == [
        "Payments",
        "Amounts",
        "1099-DIV",
        "Release",
        "Chart",
        "About",
        "xlwings.conf",
    ]
    assert book.active.title == "Payments"


def test_the_payments_table_has_exactly_the_contracts_columns(book: Workbook) -> None:
    sheet = book["Payments"]
    table = sheet.tables["Payments"]
    assert table.ref == "A4:N31"  # a header row and 27 payments
    assert [column.name for column in table.tableColumns] == PAYMENTS_COLUMNS
    assert [cell.value for cell in sheet[4]] == PAYMENTS_COLUMNS


def test_one_row_per_payment_grouped_by_class_in_the_releases_order(book: Workbook) -> None:
    sheet = book["Payments"]
    rows = [
        (
            sheet[f"B{row}"].value,
            sheet[f"E{row}"].value.date().isoformat(),
            sheet[f"F{row}"].value.date().isoformat(),
        )
        for row in range(5, 32)
    ]
    assert rows == [(compact(c), record, payable) for c, record, payable, _ in PAYMENTS]
    names = {compact(cusip): (name, symbol) for symbol, cusip, name in CLASSES}
    assert [(sheet[f"A{row}"].value, sheet[f"C{row}"].value) for row in range(5, 32)] == [
        names[compact(cusip)] for cusip, *_ in PAYMENTS
    ]
    assert {sheet[f"D{row}"].value for row in range(5, 32)} == {AIMCO}


def test_each_figure_is_calculated_from_the_printed_one_on_the_release_sheet(
    book: Workbook,
) -> None:
    sheet = book["Payments"]
    # Class A's first payment is on row 6 of the Release sheet, after its heading rows.
    assert sheet["G5"].value == "=Release!D6"
    assert [sheet[f"{column}5"].value for column in "IJKLM"] == [
        f"=Release!{column}6" for column in "EFGHI"
    ]
    # Class D's first payment, after Class A's four, its annual line and a blank row.
    assert sheet["I9"].value == "=Release!E14"
    for row in range(5, 32):
        assert sheet[f"N{row}"].value == f"=I{row}+J{row}+K{row}+L{row}+M{row}"


def test_a_live_workbook_calls_the_add_ins_functions_in_plain_a1_references() -> None:
    sheet = build(of_the_release(lookup.classes()), live=True)["Payments"]
    for row in range(5, 32):
        assert sheet[f"G{row}"].value == f"=REIT_DIVIDEND(B{row},F{row},2004)"
        assert [sheet[f"{column}{row}"].value for column in "IJKLM"] == [
            f'=REIT_ALLOC(B{row},F{row},"{part}",2004)' for part in PARTS
        ]
        assert sheet[f"N{row}"].value == f"=I{row}+J{row}+K{row}+L{row}+M{row}"
    # The issue's own example, with the workbook's tax year: the part its 1099-DIV reports.
    assert sheet["J5"].value == '=REIT_ALLOC(B5,F5,"qualified",2004)'


def test_dates_are_real_dates_and_fractions_dollars_and_cusips_are_formatted(
    book: Workbook,
) -> None:
    sheet = book["Payments"]
    amounts = book["Amounts"]
    for row in range(5, 32):
        assert isinstance(sheet[f"E{row}"].value, dt.datetime)
        assert sheet[f"E{row}"].is_date and sheet[f"F{row}"].is_date
        assert sheet[f"B{row}"].data_type == "s" and sheet[f"B{row}"].number_format == "@"
        assert sheet[f"G{row}"].number_format == "$#,##0.0000000"  # shows $0.5859375
        for column in "IJKLMN":
            assert sheet[f"{column}{row}"].number_format == "0.0000%"
        for column in "GHIJK":
            assert amounts[f"{column}{row}"].number_format == "$#,##0.00"


def test_shares_held_is_the_only_input_unlocked_coloured_and_validated(book: Workbook) -> None:
    sheet = book["Payments"]
    assert sheet.protection.sheet and not sheet.protection.password
    for row in range(5, 32):
        shares = sheet[f"H{row}"]
        assert shares.value is None
        assert not shares.protection.locked
        assert shares.fill.fgColor.rgb == "00FFF2CC"
        for column in "ABCDEFGIJKLMN":
            assert sheet[f"{column}{row}"].protection.locked
    (validation,) = sheet.data_validations.dataValidation
    assert (validation.type, validation.operator, validation.formula1) == (
        "decimal",
        "greaterThanOrEqual",
        "0",
    )
    assert str(validation.sqref) == "H5:H31"
    assert validation.showErrorMessage


def test_every_sheet_prints_landscape_one_page_wide_with_its_headings_repeated(
    book: Workbook,
) -> None:
    for name in ("Payments", "Amounts", "1099-DIV"):
        sheet = book[name]
        assert sheet.freeze_panes == "A5"
        assert sheet.print_title_rows == "$4:$4"
    for sheet in book.worksheets[:6]:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_no_heading_is_wider_than_its_column_can_wrap(book: Workbook) -> None:
    """Each word of a heading fits its column's width; the heading wraps between words."""
    for name, row in (("Payments", 4), ("Amounts", 4), ("1099-DIV", 4), ("Release", 5)):
        sheet = book[name]
        wrapped = False
        for cell in sheet[row]:
            if cell.value is None:
                continue
            width = sheet.column_dimensions[cell.column_letter].width
            longest = max(map(len, cell.value.split()))
            assert width >= longest + 1, (name, cell.value, width)
            assert cell.alignment.wrap_text, (name, cell.value)
            wrapped |= len(cell.value) > width - 1
        if wrapped:  # "Unrecaptured / 1250": the row is two lines tall
            assert (sheet.row_dimensions[row].height or 0) >= 2 * 15, name
    assert book["Payments"].row_dimensions[4].height >= 2 * 15


def test_the_status_line_counts_the_release_checks(book: Workbook) -> None:
    status = book["Payments"]["A3"].value
    assert status.startswith("=IF(COUNTIF(Release!$J$1:$J$")
    assert '"OK")=27,' in status


# ------------------------------------------------------------------- Amounts


def test_the_amounts_table_gives_each_payments_dollars_for_the_shares_held(
    book: Workbook,
) -> None:
    sheet = book["Amounts"]
    assert sheet.tables["Amounts"].ref == "A4:K31"
    assert [cell.value for cell in sheet[4]] == AMOUNTS_COLUMNS
    for row in range(5, 32):
        assert sheet[f"F{row}"].value == f"=Payments!H{row}"
        assert [sheet[f"{column}{row}"].value for column in "GHIJK"] == [
            f"=F{row}*Payments!G{row}*Payments!{column}{row}" for column in "IJKLM"
        ]
    assert (sheet["C5"].value, sheet["D5"].value, sheet["E5"].value) == (
        "AIV",
        AIMCO,
        "2004-02-27",
    )


# ----------------------------------------------------------------- 1099-DIV


def test_the_1099_table_has_a_row_per_class_and_a_totals_row(book: Workbook) -> None:
    sheet = book["1099-DIV"]
    table = sheet.tables["Form1099DIV"]
    assert table.ref == "A4:I13"
    assert table.totalsRowCount == 1
    assert table.autoFilter.ref == "A4:I12"
    assert [c.name for c in table.tableColumns] == [
        "Class",
        "CUSIP",
        "Ticker",
        "Issuer",
        "Box 1a",
        "Box 1b",
        "Box 2a",
        "Box 2b",
        "Box 3",
    ]
    assert [(sheet[f"B{row}"].value, sheet[f"C{row}"].value) for row in range(5, 13)] == [
        (compact(cusip), symbol) for symbol, cusip, _ in CLASSES
    ]
    assert {sheet[f"D{row}"].value for row in range(5, 13)} == {AIMCO}
    assert sheet["A13"].value == "Total"


def test_a_box_sums_its_dollar_columns_by_cusip_with_sumifs(book: Workbook) -> None:
    sheet = book["1099-DIV"]
    by = "Amounts!$B$5:$B$31,$B5"
    assert sheet["E5"].value == (  # box 1a: ordinary $ + qualified $
        f"=SUMIFS(Amounts!$G$5:$G$31,{by})+SUMIFS(Amounts!$H$5:$H$31,{by})"
    )
    assert sheet["F5"].value == f"=SUMIFS(Amounts!$H$5:$H$31,{by})"
    assert sheet["G5"].value == (
        f"=SUMIFS(Amounts!$I$5:$I$31,{by})+SUMIFS(Amounts!$J$5:$J$31,{by})"
    )
    assert sheet["H5"].value == f"=SUMIFS(Amounts!$J$5:$J$31,{by})"
    assert sheet["I5"].value == f"=SUMIFS(Amounts!$K$5:$K$31,{by})"
    assert sheet["I12"].value.endswith(",$B12)")


def test_a_total_adds_the_classes_boxes_and_aimco_prints_every_box(book: Workbook) -> None:
    sheet = book["1099-DIV"]
    for column in "EFGHI":
        assert sheet[f"{column}13"].value == f"=SUM({column}5:{column}12)"
        assert sheet[f"{column}13"].number_format == "$#,##0.00"
        assert sheet[f"{column}14"].value is None  # no class lacks the box
    assert sheet["A14"].value is None
    formulas = {c.name: c.totalsRowFormula for c in sheet.tables["Form1099DIV"].tableColumns}
    assert formulas["Box 1a"].attr_text == "SUM(E5:E12)"


def test_a_total_over_classes_that_print_less_names_the_classes_it_leaves_out() -> None:
    # Tax year 2023: Realty Income and Spirit print only 1a and 3 (no 1b, no Section 897);
    # STAG and HASI print no qualified dividends; only Equity Residential (both classes) and
    # W. P. Carey print Section 897 ordinary (2e): HASI, KKR, Link Parks' Series Z and Simon
    # do not. KKR and Link Parks print no ticker: their CUSIPs stand in.
    kkr, link_z, eqr_k = "48251K100", "69360J552", "29476L883"
    sheet = build(classes_for_year(lookup.classes(), 2023))["1099-DIV"]
    headings = {cell.value: cell.column_letter for cell in sheet[4] if cell.value}
    rows = {sheet[f"C{row}"].value: row for row in range(5, 16)}
    assert list(rows) == [
        *("EQR", eqr_k, "HASI", kkr, link_z),
        *("O", "SRC", "SRC-PA", "SPG", "STAG", "WPC"),
    ]
    qualified = headings["Box 1b"]
    assert [sheet[f"{qualified}{rows[s]}"].value for s in ("O", "STAG")] == ["not printed"] * 2
    assert sheet[f"{qualified}{rows['SPG']}"].value.startswith("=SUMIFS(")
    assert sheet[f"{qualified}16"].value == f"=SUM({qualified}5:{qualified}15)"
    assert sheet["A17"].value == "Not in the total"
    assert sheet[f"{qualified}17"].value == "not printed by HASI, O, SRC, SRC-PA, STAG"
    assert sheet[f"{headings['Box 2e']}17"].value == (
        f"not printed by HASI, {kkr}, {link_z}, O, SRC, SRC-PA, SPG, STAG"
    )
    assert sheet[f"{headings['Box 3']}17"].value is None  # every class prints box 3


def test_the_1099_sheet_explains_each_box(book: Workbook) -> None:
    sheet = book["1099-DIV"]
    legend = {sheet[f"A{row}"].value: sheet[f"B{row}"].value for row in range(17, 22)}
    assert legend["Box 2b: Unrecaptured 1250"] == "Unrecaptured Sec. 1250 gain (25% rate)."
    assert "ordinary + qualified" in legend["Box 1a: Total ordinary"]


# --------------------------------------------------------------------- Chart


def test_the_chart_sheet_stacks_each_payments_split_and_the_years_for_the_shares_held(
    book: Workbook,
) -> None:
    sheet = book["Chart"]
    per_payment, held = sheet._charts
    for chart in (per_payment, held):
        assert (chart.type, chart.grouping, chart.overlap) == ("col", "stacked", 100)
        assert len(chart.series) == 3  # boxes 1a, 2a and 3, which make up any dividend
    assert [str(s.val.numRef.f) for s in per_payment.series] == [
        "'Chart'!$C$45:$C$71",
        "'Chart'!$D$45:$D$71",
        "'Chart'!$E$45:$E$71",
    ]
    assert str(per_payment.series[0].cat.numRef.f) == "'Chart'!$B$45:$B$71"
    assert [c.value for c in sheet[45]][:5] == [
        "AIV",
        "AIV 2004-02-27",
        "=Payments!G5*(Payments!I5+Payments!J5)",  # box 1a: ordinary + qualified
        "=Payments!G5*(Payments!K5+Payments!L5)",  # box 2a: capital gain + unrecaptured 1250
        "=Payments!G5*(Payments!M5)",
    ]
    assert [c.value for c in sheet[74]][:4] == ["Ticker", "Box 1a $", "Box 2a $", "Box 3 $"]
    assert [c.value for c in sheet[75]][:4] == [
        "AIV",
        "='1099-DIV'!E5",
        "='1099-DIV'!G5",
        "='1099-DIV'!I5",
    ]
    assert str(held.series[0].val.numRef.f) == "'Chart'!$B$75:$B$82"


# ----------------------------------------------------- formulas for every spreadsheet

#: The functions a formula of the default workbook may call: each in Excel 2010 (and
#: LibreOffice, Google Sheets, Numbers). Typed here from Excel's function list, not read
#: from the builder.
EXCEL_2010 = {"ABS", "COUNT", "COUNTIF", "IF", "INDEX", "MATCH", "NA", "ROWS", "SUM", "SUMIFS"}


def formulas_of(book: Workbook) -> list[str]:
    """Every formula of a workbook: its cells', its tables' totals and its validations'."""
    found = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.data_type == "f"
    ]
    for sheet in book.worksheets:
        for table in sheet.tables.values():
            found += [
                "=" + c.totalsRowFormula.attr_text for c in table.tableColumns if c.totalsRowFormula
            ]
        found += ["=" + str(v.formula1) for v in sheet.data_validations.dataValidation]
    return found


def functions_called(formula: str) -> set[str]:
    """The names of the functions a formula calls (text in quotes left out)."""
    code = re.sub(r'"(?:[^"]|"")*"', '""', formula)
    return set(re.findall(r"([A-Za-z_][A-Za-z0-9_.]*)\s*\(", code))


@pytest.mark.parametrize("year", [2004, 2022, 2023, 2024])
def test_the_default_workbook_calls_no_add_in_and_nothing_excel_2010_lacks(
    tmp_path: Path, year: int
) -> None:
    path = tmp_path / "book.xlsx"
    holdings = DATA / "holdings-by-class.csv" if year == 2004 else None
    save(
        build(
            classes_for_year(lookup.classes(), year),
            read_holdings(holdings, tax_year=year) if holdings else None,
        ),
        path,
    )
    formulas = formulas_of(openpyxl.load_workbook(path))
    assert len(formulas) > 100
    assert [f for f in formulas if "REIT_" in f.upper()] == []
    called = set().union(*map(functions_called, formulas))
    assert called <= EXCEL_2010, called - EXCEL_2010
    assert {"SUMIFS", "SUM", "IF"} <= called


def test_the_formula_scan_finds_an_add_in_call_and_a_newer_function() -> None:
    live = formulas_of(build(of_the_release(lookup.classes()), live=True))
    assert {"REIT_ALLOC", "REIT_DIVIDEND"} <= set().union(*map(functions_called, live))
    assert functions_called('=XLOOKUP(A1,B:B,C:C)+IF(A2="SUM(",1,2)') == {"XLOOKUP", "IF"}


def test_issuer_and_ticker_are_beside_every_class_on_every_sheet_that_lists_one() -> None:
    book = build(classes_for_year(lookup.classes(), 2023))
    # Nine issuers (Spirit's own), seven classes named "Common Stock" (HASI, KKR, Realty
    # Income, Spirit, Simon, STAG, W. P. Carey): only issuer and ticker tell them apart.
    for name in ("Payments", "Amounts", "1099-DIV"):
        sheet = book[name]
        assert [c.value for c in sheet[4]][:4] == ["Class", "CUSIP", "Ticker", "Issuer"]
        listed = {
            (sheet[f"A{row}"].value, sheet[f"C{row}"].value, sheet[f"D{row}"].value)
            for row in range(5, sheet.max_row + 1)
            if isinstance(sheet[f"B{row}"].value, str) and sheet[f"B{row}"].value[:1].isdigit()
        }
        assert ("Common Stock", "WPC", "W. P. Carey Inc.") in listed, name
        assert ("Common Stock", "O", "Realty Income Corporation") in listed, name
        assert ("Common Stock", "48251K100", "KKR Real Estate Finance Trust Inc.") in listed, name
        assert len({ticker for _, ticker, _ in listed}) == 11, name
        assert len({issuer for _, _, issuer in listed}) == 9, name
    headings = [
        row[0]
        for row in book["Release"].iter_rows(values_only=True)
        if row[0] and " — " in str(row[0])
    ]
    assert "W. P. Carey Inc. — Common Stock — CUSIP 92936U-10-9 — WPC" in headings
    assert len(headings) == 11
    assert {row[0] for row in book["Chart"].iter_rows(min_row=45, values_only=True) if row[0]} >= {
        "O",
        "SRC",
        "SRC-PA",
        "SPG",
        "STAG",
        "WPC",
    }
    title = book["Payments"]["A1"].value
    assert (
        title.endswith("tax year 2023") and "W. P. Carey Inc." in title and "Realty Income" in title
    )


# ------------------------------------------------------------------- Release


def release_sections(sheet: Worksheet) -> Iterator[tuple[str, list[list[Any]]]]:
    """Each class's heading and its rows, as the Release sheet lays them out."""
    heading: str | None = None
    rows: list[list[Any]] = []
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            if heading is not None:
                yield heading, rows
            heading, rows = None, []
        elif heading is None:
            heading = row[0]
        elif row[0] != "CUSIP":
            rows.append(list(row))
    if heading is not None:
        yield heading, rows


def test_the_release_sheet_shows_each_class_with_its_printed_figures_and_annual_line(
    book: Workbook,
) -> None:
    sections = list(release_sections(book["Release"]))
    assert [heading for heading, _ in sections] == [
        f"{AIMCO} — {name} — CUSIP {cusip} — {symbol}" for symbol, cusip, name in CLASSES
    ]
    printed = [p / 100 for p in PERCENTAGES.values()]
    payments = [
        (compact(cusip), record, payable, float(dividend))
        for cusip, record, payable, dividend in PAYMENTS
    ]
    shown = []
    for (_, cusip, _), (_, rows) in zip(CLASSES, sections, strict=True):
        *payment_rows, annual = rows
        for row in payment_rows:
            shown.append((row[0], row[1].date().isoformat(), row[2].date().isoformat(), row[3]))
            assert row[4:9] == [float(p) for p in printed]
        assert annual[:2] == [compact(cusip), "Annual"]
        dividend = ANNUAL_DIVIDENDS[cusip]
        assert annual[3] == (None if dividend is None else float(dividend))
    assert shown == payments


def test_class_ts_annual_line_is_blank_where_the_release_prints_nothing(book: Workbook) -> None:
    sections = dict(release_sections(book["Release"]))
    *_, annual = sections[
        f"{AIMCO} — Class T Cumulative Preferred Stock — CUSIP 03748R-83-8 — AIVPrT"
    ]
    assert annual[3] is None  # annual dividend: not printed
    assert annual[4] is None  # annual ordinary: not legible
    assert annual[5:9] == [0.013268, 0.73608, 0.234064, 0]
    assert "not printed" in annual[10]


def test_every_payment_row_checks_the_live_figures_against_the_printed_ones(
    book: Workbook,
) -> None:
    sheet = book["Release"]
    live = [f"Payments!{column}5" for column in "GIJKLM"]
    differences = "+".join(
        f"ABS({cell}-{printed}6)" for cell, printed in zip(live, "DEFGHI", strict=True)
    )
    assert sheet["J6"].value == (
        f'=IF(COUNT({",".join(live)})<6,"NO NUMBER",IF({differences}<1E-9,"OK","DIFFERS"))'
    )
    checks = [
        cell.value
        for cell in sheet["J"]
        if isinstance(cell.value, str) and cell.value.startswith("=IF(COUNT(")
    ]
    assert len(checks) == 27
    assert checks[-1].startswith("=IF(COUNT(Payments!G31,")


# ------------------------------------------------------------ About, config


def test_the_xlwings_conf_sheet_names_the_udf_module(book: Workbook) -> None:
    sheet = book["xlwings.conf"]
    assert (sheet["A1"].value, sheet["B1"].value) == ("UDF Modules", "xl_reit.udfs")
    assert sheet["A2"].value is None  # xlwings reads pairs from A1 down to the first blank


def test_the_about_sheet_gives_source_provenance_version_setup_and_no_advice(
    book: Workbook,
) -> None:
    sheet = book["About"]
    about = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert "It is not tax advice" in about["Not tax advice"]
    assert about["Made by"].startswith(f"xl-reit {__version__}")
    assert about["Source"] == (
        "Apartment Investment and Management Company: Aimco press release 2004 Dividend "
        "Income Tax Allocation (PR Newswire First Call), released 2005-01-28"
    )
    assert about["Tax year"] == "2004"
    assert about["This workbook"].startswith("Self-contained (made by xl-reit template)")
    assert "with no add-in" in about["This workbook"]
    assert "xl-reit template --live writes the other kind" in about["This workbook"]
    repairs = {label: text for label, text in about.items() if label.startswith("Note")}
    assert "Note — Class R Cumulative Preferred Stock (AIVPrR): 2004-12-15" in repairs
    class_t = [text for label, text in repairs.items() if "Class T" in label]
    assert any("(inferred)" in text for text in class_t)
    assert "Install xl-reit into the Python that xlwings uses: pip install ." in about["1."]
    assert "xlwings addin install" in about["2."]
    assert "UDF Modules to xl_reit.udfs" in about["3."]
    assert "Import Functions" in about["4."]
    assert about["Data file"].startswith("aimco-2004.csv (bundled with xl-reit): Class A Common")


def test_a_live_workbooks_about_sheet_says_it_needs_the_add_in() -> None:
    sheet = build(of_the_release(lookup.classes()), live=True)["About"]
    about = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert about["This workbook"].startswith("Live (made by xl-reit template --live)")
    assert "#NAME?" in about["This workbook"] and "without\n--live" not in about["This workbook"]
    assert about["Made by"].endswith("(command: xl-reit template --live)")


def test_the_about_sheet_names_the_users_file_where_it_overrides_the_bundled_data(
    tmp_path: Path,
) -> None:
    bundled = (Path(lookup.__file__).parent / "data" / "aimco-2004.csv").read_text()
    header, *rows = bundled.splitlines()
    mine = tmp_path / "corrected.csv"
    mine.write_text("\n".join([header, *(r for r in rows if "AIVPrP" in r)]) + "\n")
    table = load_table([mine], override=True)
    book = build(of_the_release(table.classes.values()))
    files = [row[1] for row in book["About"].iter_rows(values_only=True) if row[0] == "Data file"]
    assert files[0].startswith("aimco-2004.csv (bundled with xl-reit): Class A")
    assert "Class P" not in files[0]
    assert files[1] == f"{mine} (your own): Class P Convertible Cumulative Preferred Stock"


def test_text_from_data_is_stored_as_text_never_as_a_formula(tmp_path: Path) -> None:
    own = tmp_path / "hostile.csv"
    own.write_text(
        "issuer,tax_year,class_name,cusip,symbol,record_date,payable_date,dividend_per_share,"
        "ordinary,qualified,capital_gain,unrecaptured_1250,return_of_capital,source,"
        "release_date,notes\n"
        '"=HYPERLINK(""http://example.invalid"")",2004,"=1+1",037833100,EXR,2004-03-01,'
        '2004-03-15,0.50,100,0,0,0,0,"=cmd|\' /C calc\'!A0",2005-01-01,"@SUM(A1)"\n'
    )
    security = load_table([own]).classes[("037833100", 2004)]
    path = tmp_path / "book.xlsx"
    save(build([security]), path)
    book = openpyxl.load_workbook(path)
    texts = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and ("=1+1" in cell.value or "cmd|" in cell.value)
    ]
    assert texts and all(cell.data_type == "s" for cell in texts)
    assert book["Payments"]["A5"].value == "=1+1"
    assert book["Payments"]["A5"].data_type == "s"


# ------------------------------------------------ choices, holdings, output


def test_holdings_prefill_shares_held_and_nothing_else() -> None:
    holdings = read_holdings(DATA / "holdings-by-payment.csv")
    sheet = build(of_the_release(lookup.classes()), holdings)["Payments"]
    shares = {
        (sheet[f"B{row}"].value, sheet[f"F{row}"].value.isoformat()): sheet[f"H{row}"].value
        for row in range(5, 32)
        if sheet[f"H{row}"].value is not None
    }
    assert {key: str(value) for key, value in shares.items()} == {
        ("03748R101", "2004-02-27"): "100",
        ("03748R101", "2004-05-28"): "100",
        ("03748R101", "2004-08-31"): "150",
        ("03748R101", "2004-11-30"): "1000",
        ("03748R861", "2004-04-15"): "10.5",
        ("03748R838", "2004-01-15"): "20",
        ("03748R838", "2004-04-15"): "20",
        ("03748R838", "2004-07-15"): "20",
        ("03748R838", "2004-10-15"): "20",
    }


def test_chosen_classes_make_a_smaller_workbook_with_the_same_contract() -> None:
    chosen = [lookup.find_years("AIV")[0], lookup.find_class("AIVPrU")]  # both of 2004
    book = build(chosen)
    assert book["Payments"].tables["Payments"].ref == "A4:N10"  # 4 + 2 payments
    assert [book["Payments"][f"B{row}"].value for row in (5, 8, 9, 10)] == [
        "03748R101",
        "03748R101",
        "03748R820",
        "03748R820",
    ]
    assert book["1099-DIV"].tables["Form1099DIV"].ref == "A4:I7"
    assert book["1099-DIV"]["E5"].value.startswith("=SUMIFS(Amounts!$G$5:$G$10,")


def test_holdings_of_a_class_the_workbook_does_not_hold_are_refused() -> None:
    holdings = read_holdings(DATA / "holdings-by-class.csv", tax_year=2004)
    with pytest.raises(TemplateSelectionError, match=r"Class G .* does not hold"):
        build([lookup.find_years("AIV")[0], lookup.find_class("AIVPrU")], holdings)


def test_a_workbook_holds_one_tax_year_the_latest_unless_told() -> None:
    own = AIV_2005  # a made-up 2005 table for Class A: same CUSIP, next tax year
    classes = tuple(c for c in load_table([own]).classes.values() if c.cusip.startswith("03748R"))
    # The latest is Aimco's bundled 2013 release (its common only), unless told.
    assert [c.tax_year for c in classes_for_year(classes)] == [2013]
    assert [c.tax_year for c in classes_for_year(classes, 2005)] == [2005]
    assert len(classes_for_year(classes, 2004)) == 8
    with pytest.raises(TemplateSelectionError, match="no table for Class D"):
        classes_for_year(classes, 2005, strict=True)
    with pytest.raises(TemplateSelectionError, match="one tax year"):
        build(classes)


def test_a_section_199a_table_gets_its_column_and_box_5() -> None:
    # A made-up 2019 table with a Section 199A column.
    book = build([load_table([EXAMPLE_2019]).classes[("037833100", 2019)]])
    headings = [cell.value for cell in book["Payments"][4]]
    assert headings[8:11] == ["Ordinary", "Qualified", "Section 199A"]
    assert "Section 199A $" in [cell.value for cell in book["Amounts"][4]]
    boxes = [cell.value for cell in book["1099-DIV"][4]][4:]
    assert boxes == ["Box 1a", "Box 1b", "Box 2a", "Box 2b", "Box 3", "Box 5"]
    # Box 1a is ordinary + qualified; Section 199A dividends are inside it, not added to it.
    assert book["1099-DIV"]["E5"].value.count("SUMIFS") == 2


def test_two_builds_are_the_same_bytes_with_fixed_document_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    save(build(of_the_release(lookup.classes())), first)
    # The second build happens "a day later": whatever reads the clock or a
    # temporary file's time would stamp it into the archive.
    later = time.time() + 86_400
    real_localtime = time.localtime
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr(time, "localtime", lambda seconds=None: real_localtime(later))
    save(build(of_the_release(lookup.classes())), second)
    assert first.read_bytes() == second.read_bytes()
    properties = openpyxl.load_workbook(first).properties
    assert properties.created == properties.modified == dt.datetime(2005, 1, 28)


def test_the_committed_workbook_is_the_commands_output_for_the_bundled_data(
    tmp_path: Path,
) -> None:
    # Regenerate with: xl-reit template --year 2004 -o workbook/xl-reit-template.xlsx --force
    fresh = tmp_path / "fresh.xlsx"
    save(build(of_the_release(lookup.classes())), fresh)
    assert COMMITTED.exists(), "workbook/xl-reit-template.xlsx is missing"
    assert describe(COMMITTED) == describe(fresh), (
        "workbook/xl-reit-template.xlsx is stale: "
        "run xl-reit template --year 2004 -o workbook/xl-reit-template.xlsx --force"
    )


def test_saving_never_replaces_a_file_unless_told(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"mine")
    with pytest.raises(OutputFileError, match="the file exists; give --force"):
        save(build(of_the_release(lookup.classes())), path)
    assert path.read_bytes() == b"mine"
    save(build(of_the_release(lookup.classes())), path, overwrite=True)
    assert openpyxl.load_workbook(path).sheetnames[0] == "Payments"


def test_a_save_that_fails_midway_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"the previous workbook")

    def fail_midway(workbook: Workbook, temporary: Path) -> None:
        temporary.write_bytes(b"PK\x03\x04 half a zip")
        raise KeyboardInterrupt  # the user pressed Ctrl-C while it was writing

    monkeypatch.setattr(workbook_module, "_write_reproducibly", fail_midway)  # the package's
    with pytest.raises(KeyboardInterrupt):
        save(build(of_the_release(lookup.classes())), path, overwrite=True)
    assert path.read_bytes() == b"the previous workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


def test_a_folder_that_cannot_be_written_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match="cannot write in"):
        save(build(of_the_release(lookup.classes())), tmp_path / "no-such-folder" / "book.xlsx")


@pytest.fixture(autouse=True)
def _bundled_table() -> Iterator[None]:
    yield
    set_default_table(None)


def test_a_file_that_appears_while_the_workbook_is_written_is_not_replaced(
    tmp_path: Path,
) -> None:
    path = tmp_path / "book.xlsx"

    def racing_writer(temporary: Path) -> None:
        path.write_bytes(b"written by someone else meanwhile")
        temporary.write_bytes(b"ours")

    with pytest.raises(OutputFileError, match="the file exists"):
        write_atomically(path, racing_writer)
    assert path.read_bytes() == b"written by someone else meanwhile"
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_a_file_system_without_hard_links_still_gets_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: Path, target: Path) -> None:
        raise PermissionError(1, "Operation not permitted")

    # Such file systems (FAT, some network shares) have no nameless files either.
    monkeypatch.setattr(atomic, "_anonymous_file", lambda folder: None)
    monkeypatch.setattr(atomic.os, "link", no_links)
    path = tmp_path / "book.xlsx"
    assert write_atomically(path, lambda temporary: temporary.write_bytes(b"ours")) == path
    assert path.read_bytes() == b"ours"
    with pytest.raises(OutputFileError, match="the file exists"):
        write_atomically(path, lambda temporary: temporary.write_bytes(b"again"))
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_rows_of_wrapped_text_are_tall_enough_not_to_overlap(book: Workbook) -> None:
    about = book["About"]
    (made,) = [c.row for c in about["A"] if c.value == "How the data was made"]
    assert about.row_dimensions[made].height >= 4 * 15  # about 480 characters at 110 a line
    release = book["Release"]
    noted = [c.row for c in release["K"] if c.value and "(inferred)" in c.value]
    assert noted and all(release.row_dimensions[row].height >= 3 * 15 for row in noted)
    assert [r.coord for r in book["Payments"].merged_cells.ranges] == ["A2:N2"]  # note spans
    payments = book["Payments"]
    (class_p,) = [c.row for c in payments["A"] if c.value and "Class P" in c.value]
    assert payments.row_dimensions[class_p].height >= 2 * 15  # the name wraps in its column


def stored_numbers(path: Path, sheet_number: int) -> dict[str, Decimal]:
    """The numbers a sheet's XML holds, by cell, as written (the digits, not a float's)."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(f"xl/worksheets/sheet{sheet_number}.xml").decode()
    return {
        cell: Decimal(number)
        for cell, number in re.findall(r'<c r="([A-Z]+[0-9]+)"[^>]*t="n"[^>]*><v>([^<]*)</v>', xml)
    }


def test_the_release_sheet_holds_the_releases_printed_digits(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    save(build(of_the_release(lookup.classes())), path)
    release = stored_numbers(path, 4)  # Payments, Amounts, 1099-DIV, Release
    # Class A's first payment: $0.600 and the five percentages, as fractions of it.
    assert release["D6"] == Decimal("0.600")
    assert [release[f"{c}6"] for c in "EFGHI"] == [p / 100 for p in PERCENTAGES.values()]
    # W. P. Carey's first payment of 2023, as its release prints it, in dollars per share.
    save(build([lookup.find_years("WPC")[0]]), path, overwrite=True)  # 2023, then 2024
    book = openpyxl.load_workbook(path)
    headings = [c.value for c in book["Release"][5]]
    printed = stored_numbers(path, 4)
    column = {h: get_column_letter(i) for i, h in enumerate(headings, 1) if h}
    assert printed["D6"] == Decimal("1.065000")
    assert printed[f"{column['Total ordinary']}6"] == Decimal("0.8087588")
    assert printed[f"{column['Total capital gain']}6"] == Decimal("0.0728316")
    assert printed[f"{column['Return of capital']}6"] == Decimal("0.1834096")
    assert printed[f"{column['Qualified']}6"] == Decimal("0.0024786")


def test_a_title_over_several_tax_years_says_years() -> None:
    from xl_reit.workbook.layout import title

    stag = [s for s in lookup.classes() if s.symbol == "STAG" and s.tax_year in (2023, 2024)]
    assert title(stag) == "STAG Industrial, Inc.: dividend tax allocation, tax years 2023, 2024"
    assert title(stag[:1]).endswith(", tax year 2023")
