"""The 1099-DIV sheet: each class's boxes from the Amounts sheet's dollars, and their totals.

A class's box sums the Amounts columns of the box's figure by CUSIP with
``SUMIFS``; a box the release does not print for the class says "not
printed". A dollar cell is a product, so a failed lookup (``#N/A …`` text,
``--live``) becomes ``#VALUE!`` there, and SUMIFS and SUM pass it on: nothing
drops out of a total silently. The totals row adds what is printed (``SUM``
leaves out the "not printed" text) and the row under it names the classes
that print no such figure, so that a total over several classes still means
something when one of them prints less.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import TableColumn, TableFormula
from openpyxl.worksheet.worksheet import Worksheet

from ..form1099 import Box
from ..model import SecurityClass
from . import styles
from .layout import (
    CLASS_COLUMNS,
    FIRST_ROW,
    FORM_TABLE,
    HEADER_ROW,
    NOT_PRINTED,
    Layout,
    is_nil,
    lines_of,
)
from .payments import CLASS_WIDTH, ISSUER_WIDTH, class_cells, finish_listing

#: The first box's column: after Class, CUSIP, Ticker and Issuer.
FIRST_BOX = len(CLASS_COLUMNS) + 1
BOX_WIDTH = 13


def prints(security: SecurityClass, box: Box) -> bool:
    """Whether the class's release gives the box (on every line that reports anything)."""
    lines = [line for line in lines_of(security) if not is_nil(line)]
    return all(line.fraction(box.component) is not None for line in lines)


def _box_formula(layout: Layout, box: Box, row: int) -> str:
    """SUMIFS of the box's dollar columns over the class's payments.

    The box's own column where the Amounts sheet has one, else the columns
    that make it up (ordinary and qualified for 1a), added with ``+``.
    """
    name = box.component.name
    names = (name,) if name in layout.figures else box.parts(layout.figures)
    cusips = layout.span(layout.amounts["CUSIP"])
    return "+".join(
        f"SUMIFS({layout.span(layout.dollar_column(each))},{cusips},$B{row})" for each in names
    )


def box_column(layout: Layout, box: Box) -> str:
    """The sheet's column of a box."""
    letter: str = get_column_letter(FIRST_BOX + layout.boxes.index(box))
    return letter


def total_row(layout: Layout) -> int:
    return FIRST_ROW + len(layout.classes)


def _totals(sheet: Worksheet, layout: Layout) -> list[TableColumn]:
    """The totals row (what is printed, added) and the row naming the classes that print less."""
    total = total_row(layout)
    missing_row = total + 1
    styles.text(sheet.cell(total, 1), "Total").font = styles.BOLD
    columns = [TableColumn(id=1, name="Class", totalsRowLabel="Total")]
    columns += [TableColumn(id=i, name=name) for i, name in enumerate(CLASS_COLUMNS[1:], 2)]
    for box in layout.boxes:
        letter = box_column(layout, box)
        added = f"SUM({letter}{FIRST_ROW}:{letter}{total - 1})"
        styles.formula(sheet[f"{letter}{total}"], added, styles.DOLLAR_FORMAT).font = styles.BOLD
        lacking = [s.symbol or s.class_name for s in layout.classes if not prints(s, box)]
        if lacking:
            note = f"{NOT_PRINTED} by {', '.join(lacking)}"
            styles.text(sheet[f"{letter}{missing_row}"], note).alignment = styles.WRAP
            styles.text(sheet.cell(missing_row, 1), "Not in the total").font = styles.BOLD
        columns.append(
            TableColumn(
                id=len(columns) + 1,
                name=box.heading,
                totalsRowFunction="custom",
                totalsRowFormula=TableFormula(attr_text=added),
            )
        )
    return columns


def build_form(sheet: Worksheet, layout: Layout) -> None:
    headings = (*CLASS_COLUMNS, *(box.heading for box in layout.boxes))
    styles.titles(
        sheet,
        f"Form 1099-DIV amounts, tax year {layout.tax_year}",
        "Dollars from the Amounts sheet (shares held × dividend per share × fraction), "
        "summed by CUSIP. Shown in cents; each cell holds the exact figure. Not printed: the "
        "release gives no such figure for the class; the total adds the classes that print "
        "it, and the row under it names those that do not. An error (#N/A, #VALUE!) means a "
        "figure it adds is not a number: nothing is left out silently.",
        len(headings),
    )
    styles.headings(sheet, headings, HEADER_ROW)
    for index, security in enumerate(layout.classes):
        row = FIRST_ROW + index
        class_cells(sheet, row, security)
        for box in layout.boxes:
            cell = sheet[f"{box_column(layout, box)}{row}"]
            if prints(security, box):
                styles.formula(cell, _box_formula(layout, box, row), styles.DOLLAR_FORMAT)
            else:
                styles.text(cell, NOT_PRINTED)
    columns = _totals(sheet, layout)
    total = total_row(layout)
    last = get_column_letter(len(headings))
    table = styles.add_table(sheet, FORM_TABLE, f"A{HEADER_ROW}:{last}{total}")
    table.totalsRowCount = 1
    table.autoFilter = AutoFilter(ref=f"A{HEADER_ROW}:{last}{total - 1}")
    table.tableColumns = columns

    legend = total + 3
    styles.text(sheet.cell(legend, 1), "What the boxes hold").font = styles.BOLD
    for offset, box in enumerate(layout.boxes, 1):
        row = legend + offset
        label = styles.text(sheet.cell(row, 1), f"{box.heading}: {box.component.label}")
        label.alignment = styles.WRAP
        styles.text(sheet.cell(row, 2), box.component.description).alignment = styles.WRAP
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(headings))
    widths: dict[str, float] = {"A": CLASS_WIDTH, "B": 11, "C": 8, "D": ISSUER_WIDTH}
    for box in layout.boxes:
        widths[box_column(layout, box)] = styles.heading_width(box.heading, BOX_WIDTH)
    wrapped = [sheet.cell(row, column) for row in range(FIRST_ROW, total + 2) for column in (1, 4)]
    notes = list(sheet[total + 1])
    descriptions = [
        sheet.cell(legend + offset, column)
        for offset in range(1, len(layout.boxes) + 1)
        for column in (1, 2)
    ]
    finish_listing(sheet, widths, [*wrapped, *notes, *descriptions])
