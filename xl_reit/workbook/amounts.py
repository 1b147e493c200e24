"""The Amounts sheet: each payment's dollars in each figure, for the shares held.

A row per payment, in the Payments sheet's rows: who pays it, its payable
date, the shares held (from Payments) and one dollar column per figure,
shares × dividend per share × fraction. A figure the release does not give
says "not printed"; a payment of which this tax year reports nothing is $0.
The 1099-DIV sheet adds these columns up by CUSIP. A failed lookup (``--live``:
``#N/A …`` text in a fraction) makes the product ``#VALUE!``, which every sum
over it passes on.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..components import COMPONENTS
from . import styles
from .layout import (
    AMOUNTS_TABLE,
    FORM_SHEET,
    HEADER_ROW,
    NOT_PRINTED,
    PAYMENTS_SHEET,
    Layout,
    amounts_columns,
    is_nil,
    iso,
    lines_of,
)
from .payments import FIGURE_WIDTH, FIXED_WIDTHS, class_cells, finish_listing


def build_amounts(sheet: Worksheet, layout: Layout, title: str) -> None:
    headings = amounts_columns(layout.figures)
    styles.titles(
        sheet,
        title,
        f"Dollars for the shares held: shares held × dividend per share × fraction, from the "
        f"{PAYMENTS_SHEET} sheet (type the shares there). Shown in cents; each cell holds the "
        f"exact figure. The {FORM_SHEET} sheet adds these up by class.",
        len(headings),
    )
    styles.headings(sheet, headings, HEADER_ROW)
    payments = styles.quoted(PAYMENTS_SHEET) + "!"
    shares_column = layout.amounts["Shares held"]
    for security in layout.classes:
        for line in lines_of(security):
            row = layout.row_of(line)
            class_cells(sheet, row, security)
            payable = "annual" if line.is_annual else iso(line.payable_date)
            styles.text(sheet.cell(row, 5), payable)
            shares = f"{payments}{layout.column('Shares held')}{row}"
            styles.formula(sheet.cell(row, 6), shares)
            dividend = f"{payments}{layout.column('Dividend per share')}{row}"
            for name in layout.figures:
                cell = sheet[f"{layout.dollar_column(name)}{row}"]
                if is_nil(line):
                    styles.value(cell, Decimal(0), styles.DOLLAR_FORMAT)
                elif line.fraction(name) is None:
                    styles.text(cell, NOT_PRINTED)
                else:
                    fraction = f"{payments}{layout.figure_column(name)}{row}"
                    product = f"{shares_column}{row}*{dividend}*{fraction}"
                    styles.formula(cell, product, styles.DOLLAR_FORMAT)
    last = get_column_letter(len(headings))
    styles.add_table(sheet, AMOUNTS_TABLE, f"A{HEADER_ROW}:{last}{layout.last_row}")
    widths: dict[str, float] = dict(
        zip(layout.amounts.values(), (*FIXED_WIDTHS[:4], 11, 10), strict=False)
    )
    for name in layout.figures:
        label = f"{COMPONENTS[name].label} $"
        widths[layout.amounts[label]] = styles.heading_width(label, FIGURE_WIDTH)
    wrapped = [sheet.cell(row, column) for row in layout.rows.values() for column in (1, 4)]
    finish_listing(sheet, widths, wrapped)
