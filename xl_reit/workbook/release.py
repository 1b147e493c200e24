"""The Release sheet: each class as the release prints it, and a check of every payment.

Plain values, the printed digits themselves (a ``Decimal`` is written as it
is: ``0.013268``, ``0.5859375``): dollars per share where the release prints
dollars, else the printed percentage as a fraction. Each class's section is
headed by its issuer, name, CUSIP and ticker; its annual line is as printed
(blank where the release prints nothing). The ``Check`` column compares the
Payments sheet's figures with the printed ones: ``OK``, ``DIFFERS`` or ``NO
NUMBER``. In the workbook's own kind the Payments figures are formulas over
these cells, so the check proves the arithmetic; in the ``--live`` kind it
proves that the add-in's tables agree with the release.
"""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import cusip as cusip_module
from ..components import COMPONENTS
from ..model import HUNDRED, Payment, SecurityClass
from . import styles
from .layout import (
    NOT_PRINTED,
    PAYMENTS_SHEET,
    RELEASE_FIGURES_FROM,
    Layout,
    is_nil,
    iso,
    lines_of,
)

TOLERANCE = "1E-9"  # published fractions have 6 decimals; floats agree far closer


def _check_formula(layout: Layout, line: Payment, row: int) -> str:
    """OK when the dividend and figures on Payments equal the printed ones; else DIFFERS/NO NUMBER.

    A figure printed in dollars is compared in dollars (fraction × dividend),
    one printed as a percentage as a fraction.
    """
    payments = styles.quoted(PAYMENTS_SHEET)
    live_row = layout.row_of(line)
    live_dividend = f"{payments}!{layout.column('Dividend per share')}{live_row}"
    live = [live_dividend]
    terms = [f"ABS({live_dividend}-D{row})"]
    for name in layout.figures:
        printed = line.printed.get(name)
        if printed is None or is_nil(line):
            continue
        cell = f"{payments}!{layout.figure_column(name)}{live_row}"
        here = f"{layout.release_column(name)}{row}"
        live.append(cell)
        if printed.dollars is not None:
            terms.append(f"ABS({cell}*{live_dividend}-{here})")
        else:
            terms.append(f"ABS({cell}-{here})")
    return (
        f'IF(COUNT({",".join(live)})<{len(live)},"NO NUMBER",'
        f'IF({"+".join(terms)}<{TOLERANCE},"OK","DIFFERS"))'
    )


def _line_notes(line: Payment) -> str:
    """A line's notes: its repairs, a split between tax years, the issuer's rounding."""
    notes = [line.notes] if line.notes else []
    if line.is_split:
        notes.append(f"split between tax years: the rest is reported in {line.other_tax_year}")
    return "; ".join([*notes, *line.findings])


def _release_line(sheet: Worksheet, layout: Layout, row: int, line: Payment) -> Cell:
    """One printed line: dividend and each figure as printed (dollars, or a percentage).

    Its notes cell, which wraps, is returned.
    """
    styles.value(sheet.cell(row, 4), line.dividend_per_share, styles.PER_SHARE_FORMAT)
    for offset, name in enumerate(layout.figures):
        printed = line.printed.get(name)
        cell = sheet.cell(row, RELEASE_FIGURES_FROM + offset)
        if printed is None:
            continue
        if printed.dollars is not None:
            styles.value(cell, printed.dollars, styles.PER_SHARE_FORMAT)
        elif printed.percent is not None:
            styles.value(cell, printed.percent / HUNDRED, styles.FRACTION_FORMAT)
    notes = sheet.cell(row, len(layout.release_headings))
    styles.text(notes, _line_notes(line)).alignment = styles.WRAP
    return notes


def heading(security: SecurityClass) -> str:
    """A class's section heading: whose figures, which class, its CUSIP and ticker."""
    return (
        f"{security.issuer} — {security.class_name} — CUSIP "
        f"{cusip_module.format(security.cusip)} — {security.symbol}"
        + (" — annual totals only" if security.annual_only else "")
    )


def _release_class(sheet: Worksheet, layout: Layout, security: SecurityClass) -> list[Cell]:
    """One class as the release prints it: its lines, each checked, then its annual line.

    The cells that wrap (the headings and the notes) are returned.
    """
    lines = lines_of(security)
    first = layout.release_row_of(lines[0])
    styles.text(sheet.cell(first - 2, 1), heading(security)).font = styles.BOLD
    wrapped = styles.headings(sheet, layout.release_headings, first - 1)
    check = layout.release_check_index
    for line in lines:
        row = layout.release_row_of(line)
        styles.text(sheet.cell(row, 1), security.cusip).number_format = styles.TEXT_FORMAT
        if line.is_annual:
            styles.text(sheet.cell(row, 2), "Annual").font = styles.BOLD
        else:
            if line.record_date is None:  # the release prints the payable date only
                styles.text(sheet.cell(row, 2), NOT_PRINTED)
            else:
                styles.value(sheet.cell(row, 2), line.record_date, styles.DATE_FORMAT)
            styles.value(sheet.cell(row, 3), line.payable_date, styles.DATE_FORMAT)
        wrapped.append(_release_line(sheet, layout, row, line))
        checked = styles.formula(sheet.cell(row, check), _check_formula(layout, line, row))
        checked.alignment = styles.CENTRED
    if security.annual_only:
        return wrapped
    annual_row = layout.release_row_of(lines[-1]) + 1
    styles.text(sheet.cell(annual_row, 1), security.cusip).number_format = styles.TEXT_FORMAT
    styles.text(sheet.cell(annual_row, 2), "Annual").font = styles.BOLD
    if security.printed_annual is not None:
        wrapped.append(_release_line(sheet, layout, annual_row, security.printed_annual))
    return wrapped


def build_release(sheet: Worksheet, layout: Layout) -> None:
    sources = sorted({(s.lines[0].source, s.lines[0].release_date) for s in layout.classes})
    headings = layout.release_headings
    where = (
        "the figures that the xl-reit add-in gives on the Payments sheet"
        if layout.live
        else "the figures that the Payments sheet calculates from these"
    )
    released = "; ".join(f"{source} ({iso(day)})" for source, day in sources)
    styles.titles(
        sheet,
        f"As printed in the release, tax year {layout.tax_year}",
        f"From: {released}. Plain values, the release's own digits. Check compares {where}: "
        "OK, DIFFERS, or NO NUMBER (a figure is not a number"
        + ("; is the xl-reit add-in on?" if layout.live else "")
        + "). Annual lines are as printed: blank where the release prints nothing.",
        len(headings),
    )
    wrapped = [sheet["A2"]]
    for security in layout.classes:
        wrapped += _release_class(sheet, layout, security)
    check = layout.release_check_index
    notes_width = 44
    styles.set_widths(
        sheet,
        {"A": 11, "B": 11, "C": 11, "D": 12}
        | {
            layout.release_column(name): styles.heading_width(COMPONENTS[name].label, 11)
            for name in layout.figures
        }
        | {get_column_letter(check): 11, get_column_letter(check + 1): notes_width},
    )
    styles.fit_rows(sheet, wrapped)
    styles.print_on_page_width(sheet)
    styles.protect(sheet)
