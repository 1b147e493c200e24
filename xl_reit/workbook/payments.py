"""The Payments sheet: one row per payment, its dividend, its figures and the shares held.

A figure's cell is the fraction of the payment's dividend it is. In the
workbook's own kind (the default) it is a formula over the Release sheet's
printed figure: the printed percentage itself (``=Release!F6``), or printed
dollars divided by the printed dividend (``=Release!E9/Release!D9``); a
figure the release leaves out but its printed ones fix (0, as the printed
figures make up the dividend, in the bundled releases) is that exact value. In the ``--live`` kind
it calls the add-in: ``=REIT_ALLOC(B5,F5,"qualified",2004)``. Either way
``Total`` adds the three parts of a dividend (1a + 2a + 3) with ``+``: a
visible 100% check that turns into an error if a part is not a number. The
dollars of the shares held are on the Amounts sheet (:mod:`.amounts`), so
that each sheet prints legibly one page wide.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..components import COMPONENTS, SPLITS, TOP
from ..holdings import Holdings
from ..model import Payment, SecurityClass
from . import styles
from .layout import (
    AMOUNTS_SHEET,
    FIRST_ROW,
    FIXED_COLUMNS,
    FORM_SHEET,
    HEADER_ROW,
    NONE_THIS_YEAR,
    NOT_PRINTED,
    PAYMENTS_TABLE,
    RELEASE_SHEET,
    Layout,
    is_nil,
    lines_of,
    payments_columns,
)


def _key(layout: Layout, row: int, sheet: str = "") -> str:
    """The CUSIP and payable date a ``REIT_*`` call of the row looks up (``sheet``: from there)."""
    return f"{sheet}{layout.column('CUSIP')}{row},{sheet}{layout.column('Payable date')}{row}"


def _release(column: str, row: int) -> str:
    return f"{styles.quoted(RELEASE_SHEET)}!{column}{row}"


def dividend_formula(layout: Layout, line: Payment) -> str:
    """The line's dividend per share: the printed one, or ``REIT_DIVIDEND`` through the add-in."""
    if layout.live:
        return f"REIT_DIVIDEND({_key(layout, layout.row_of(line))},{layout.tax_year})"
    return _release("D", layout.release_row_of(line))


def fraction_formula(layout: Layout, line: Payment, name: str, sheet: str = "") -> str:
    """A figure's fraction of the line's dividend, as a formula; the line must know it.

    ``sheet`` (``Payments!``) qualifies its references to the Payments sheet.
    """
    if layout.live:
        key = _key(layout, layout.row_of(line), sheet)
        return f'REIT_ALLOC({key},"{name}",{layout.tax_year})'
    printed = line.printed.get(name)
    if printed is None:  # fixed by the printed figures, not printed itself (a 0)
        fraction = line.fraction(name)
        assert fraction is not None
        return format(fraction, "f")
    row = layout.release_row_of(line)
    cell = _release(layout.release_column(name), row)
    return cell if printed.dollars is None else f"{cell}/{_release('D', row)}"


def top_terms(layout: Layout, line: Payment, sheet: str = "") -> dict[str, list[str]]:
    """Each part of the dividend (1a, 2a, 3) as the cells or formulas that add up to it.

    Its own column where the line has it, else the two columns that make it
    up, else a lookup (``--live``), its exact value, or ``NA()`` if unknown.
    ``sheet`` (``Payments!``) qualifies its references to the Payments sheet.
    """
    row = layout.row_of(line)
    terms: dict[str, list[str]] = {}
    for top in TOP:
        parts = SPLITS.get(top, ())
        if top in layout.figures and top in line.figures:
            terms[top] = [f"{sheet}{layout.figure_column(top)}{row}"]
        elif parts and all(p in layout.figures and p in line.figures for p in parts):
            terms[top] = [f"{sheet}{layout.figure_column(part)}{row}" for part in parts]
        elif layout.live or line.fraction(top) is not None:
            terms[top] = [fraction_formula(layout, line, top, sheet)]
        else:
            terms[top] = ["NA()"]
    return terms


def _figure_cells(sheet: Worksheet, layout: Layout, line: Payment, row: int) -> None:
    """The line's fraction of each figure, and their total.

    A figure the release does not give for the line says "not printed"; a
    payment of which this tax year reports nothing says so.
    """
    index = layout.index
    for name in layout.figures:
        fraction = sheet.cell(row, index(COMPONENTS[name].label))
        if is_nil(line):
            styles.text(fraction, NONE_THIS_YEAR)
        elif line.fraction(name) is None:
            styles.text(fraction, NOT_PRINTED)
        else:
            styles.formula(fraction, fraction_formula(layout, line, name), styles.FRACTION_FORMAT)
    total = sheet.cell(row, index("Total"))
    if is_nil(line):
        styles.text(total, NONE_THIS_YEAR)
    else:
        terms = top_terms(layout, line).values()
        styles.formula(total, "+".join(t for each in terms for t in each), styles.FRACTION_FORMAT)


def class_cells(sheet: Worksheet, row: int, security: SecurityClass) -> None:
    """Class, CUSIP, ticker and issuer in the row's first four columns (every sheet's own)."""
    styles.text(sheet.cell(row, 1), security.class_name).alignment = styles.WRAP
    styles.text(sheet.cell(row, 2), security.cusip).number_format = styles.TEXT_FORMAT
    styles.text(sheet.cell(row, 3), security.symbol)
    styles.text(sheet.cell(row, 4), security.issuer).alignment = styles.WRAP


def _payment_row(
    sheet: Worksheet,
    layout: Layout,
    security: SecurityClass,
    line: Payment,
    shares_held: Decimal | None,
    received: Decimal | None = None,
) -> None:
    """One payment's row: who pays it, its dates, dividend and figures, shares, dollars.

    A class whose release prints only the year's totals has one row, for
    the whole year ("annual"), whose shares are those held all year. Dollars
    ``received`` on the payment (holdings lines that give an Amount) count as
    the shares they are the dividend of: Shares held is then the formula
    ``=shares+dollars/dividend``, so each box is the dollars times its
    figure's fraction.
    """
    row = layout.row_of(line)
    index = layout.index
    class_cells(sheet, row, security)
    record_cell = sheet.cell(row, index("Record date"))
    if line.record_date is None and not line.is_annual:  # the release prints payable dates only
        styles.text(record_cell, NOT_PRINTED)
    else:
        styles.value(record_cell, line.record_date, styles.DATE_FORMAT)
    if line.is_annual:
        styles.text(sheet.cell(row, index("Payable date")), "annual")
    else:
        styles.value(sheet.cell(row, index("Payable date")), line.payable_date, styles.DATE_FORMAT)
    styles.formula(
        sheet.cell(row, index("Dividend per share")),
        dividend_formula(layout, line),
        styles.PER_SHARE_FORMAT,
    )
    shares_cell = sheet.cell(row, index("Shares held"))
    shares_cell.value = shares_held
    if received:
        dividend = f"{layout.column('Dividend per share')}{row}"
        held = f"{format(shares_held, 'f')}+" if shares_held else ""
        styles.formula(shares_cell, f"{held}{format(received, 'f')}/{dividend}")
    shares_cell.fill = styles.INPUT_FILL
    shares_cell.protection = styles.UNLOCKED
    _figure_cells(sheet, layout, line, row)


def _status_formula(layout: Layout) -> str:
    """OK when every payment's figures match the release (the Release sheet's checks)."""
    checks = layout.release_checks()
    count = layout.payment_count
    why = " (is the xl-reit add-in on?)" if layout.live else ""
    return (
        f'IF(COUNTIF({checks},"OK")={count},"OK: the figures of all {count} payments '
        f'match the release","CHECK: "&({count}-COUNTIF({checks},"OK"))&" of {count} payments'
        f" differ from the release or are not numbers{why}: see the "
        f'Check column of the {RELEASE_SHEET} sheet")'
    )


def _shares_validation(layout: Layout) -> DataValidation:
    """Shares held accepts a number, 0 or more (or a blank), and says so when typed wrong."""
    validation = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Shares held",
        error="Type the number of shares held on the record date: a number, 0 or more.",
        showInputMessage=True,
        promptTitle="Shares held",
        prompt="Shares held on the record date (blank counts as 0).",
    )
    column = layout.column("Shares held")
    validation.add(f"{column}{FIRST_ROW}:{column}{layout.last_row}")
    return validation


#: Column widths, in characters: narrow enough to print, wide enough for every figure.
CLASS_WIDTH, ISSUER_WIDTH = 22, 20
FIXED_WIDTHS: tuple[float, ...] = (CLASS_WIDTH, 11, 8, ISSUER_WIDTH, 11, 11, 12, 10)
FIGURE_WIDTH = 10.0


def _decorate(sheet: Worksheet, layout: Layout, headings: Sequence[str]) -> None:
    """The Payments sheet's table, validation, widths, frozen header, printing and protection."""
    last = get_column_letter(len(headings))
    styles.add_table(sheet, PAYMENTS_TABLE, f"A{HEADER_ROW}:{last}{layout.last_row}")
    sheet.add_data_validation(_shares_validation(layout))
    widths: dict[str, float] = dict(
        zip((layout.column(h) for h in FIXED_COLUMNS), FIXED_WIDTHS, strict=True)
    )
    for heading in headings[len(FIXED_COLUMNS) :]:
        widths[layout.column(heading)] = styles.heading_width(heading, FIGURE_WIDTH)
    wrapped = [sheet.cell(row, column) for row in layout.rows.values() for column in (1, 4)]
    finish_listing(sheet, widths, wrapped)


def finish_listing(sheet: Worksheet, widths: dict[str, float], wrapped: list[Cell]) -> None:
    """Finish a sheet that lists classes or payments under headings in row 4.

    Its widths, headings frozen, rows tall enough for the ``wrapped`` cells
    (and the note and headings), printing with the headings on every page,
    and protection.
    """
    styles.set_widths(sheet, widths)
    sheet.freeze_panes = f"A{FIRST_ROW}"
    styles.fit_rows(sheet, [sheet["A2"], *sheet[HEADER_ROW], *wrapped])
    styles.print_on_page_width(sheet, f"{HEADER_ROW}:{HEADER_ROW}")
    styles.protect(sheet)


def build_payments(sheet: Worksheet, layout: Layout, title: str, holdings: Holdings | None) -> None:
    headings = payments_columns(layout.figures)
    where = (
        "Fractions and dividends come live from the xl-reit Excel functions (see About)"
        if layout.live
        else "Fractions and dividends are calculated from the printed figures on the "
        f"{RELEASE_SHEET} sheet, in any spreadsheet, with no add-in"
    )
    styles.titles(
        sheet,
        title,
        "Type the shares you held on each record date in the yellow Shares held column; the "
        f"{AMOUNTS_SHEET} sheet gives their dollars and the {FORM_SHEET} sheet your Form "
        f"1099-DIV amounts. {where}.",
        len(headings),
    )
    styles.formula(sheet["A3"], _status_formula(layout)).font = styles.BOLD
    styles.headings(sheet, headings, HEADER_ROW)
    for security in layout.classes:
        for line in lines_of(security):
            shares = holdings.shares_for(line) if holdings else None
            received = holdings.amount_for(line) if holdings else None
            _payment_row(sheet, layout, security, line, shares, received)
    _decorate(sheet, layout, headings)
