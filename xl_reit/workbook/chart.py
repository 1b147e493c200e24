"""The Chart sheet: each payment split into its tax character, and the year's split held.

Two stacked column charts (openpyxl's charts, which Excel and LibreOffice
both draw): one bar per payment, its dividend per share in the three parts
that make up any dividend (total ordinary dividends, box 1a; total capital
gain, box 2a; return of capital, box 3); and one bar per class, the dollars
of those boxes for the shares held (the 1099-DIV sheet's figures). The
figures they draw are formulas on this sheet, below the charts, over the
Payments and 1099-DIV sheets.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..components import COMPONENTS, TOP
from . import styles
from .form import box_column
from .layout import FIRST_ROW, FORM_SHEET, PAYMENTS_SHEET, Layout, is_nil, iso, lines_of
from .payments import top_terms

#: Where the charts go (their top-left cells) and where their figures start, below them.
PAYMENTS_CHART_AT, HELD_CHART_AT, HELD_CHART_ROW = "A4", "A24", 24
DATA_ROW = 44
CHART_WIDTH = 25  # centimetres: the width of a landscape page less its margins
CHART_HEIGHT = 9.5


def _bar_chart(title: str, axis: str, number_format: str) -> BarChart:
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = title
    chart.y_axis.title = axis
    chart.y_axis.number_format = number_format
    chart.x_axis.delete = False  # openpyxl hides both axes unless told
    chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.width, chart.height = CHART_WIDTH, CHART_HEIGHT
    return chart


def _payments_data(sheet: Worksheet, layout: Layout, first: int) -> int:
    """Each payment's dividend per share in its three parts; the last row written."""
    payments = styles.quoted(PAYMENTS_SHEET) + "!"
    labels = ["Ticker", "Payment", *(f"{COMPONENTS[top].label} $/share" for top in TOP)]
    styles.headings(sheet, labels, first)
    row = first
    for security in layout.classes:
        for line in lines_of(security):
            row += 1
            payable = "annual" if line.is_annual else iso(line.payable_date)
            styles.text(sheet.cell(row, 1), security.symbol)
            styles.text(sheet.cell(row, 2), f"{security.symbol} {payable}")
            dividend = f"{payments}{layout.column('Dividend per share')}{layout.row_of(line)}"
            for offset, terms in enumerate(top_terms(layout, line, payments).values(), 3):
                cell = sheet.cell(row, offset)
                if is_nil(line):
                    styles.value(cell, None, styles.PER_SHARE_FORMAT)
                    continue
                styles.formula(cell, f"{dividend}*({'+'.join(terms)})", styles.PER_SHARE_FORMAT)
    return row


def _held_data(sheet: Worksheet, layout: Layout, first: int) -> tuple[int, int]:
    """Each class's dollars in boxes 1a, 2a and 3; the last row and the number of boxes."""
    boxes = [box for box in layout.boxes if box.component.name in TOP]
    styles.headings(sheet, ["Ticker", *(f"{box.heading} $" for box in boxes)], first)
    form = styles.quoted(FORM_SHEET)
    for index, security in enumerate(layout.classes):
        row = first + 1 + index
        styles.text(sheet.cell(row, 1), security.symbol)
        for offset, box in enumerate(boxes, 2):
            source = f"{form}!{box_column(layout, box)}{FIRST_ROW + index}"
            styles.formula(sheet.cell(row, offset), source, styles.DOLLAR_FORMAT)
    return first + len(layout.classes), len(boxes)


def build_chart(sheet: Worksheet, layout: Layout) -> None:
    styles.titles(
        sheet,
        f"Tax character of the payments, tax year {layout.tax_year}",
        "Each payment's dividend per share split into total ordinary dividends (box 1a), "
        "total capital gain (box 2a) and return of capital (box 3); then each class's dollars "
        "in those boxes for the shares held (blank until Shares held is filled in on the "
        "Payments sheet). The figures drawn are below the charts.",
        8,
    )
    first = DATA_ROW
    last = _payments_data(sheet, layout, first)
    per_share = _bar_chart("Each payment, per share", "Dollars per share", "$0.00")
    per_share.add_data(
        Reference(sheet, min_col=3, max_col=2 + len(TOP), min_row=first, max_row=last),
        titles_from_data=True,
    )
    per_share.set_categories(Reference(sheet, min_col=2, min_row=first + 1, max_row=last))
    sheet.add_chart(per_share, PAYMENTS_CHART_AT)

    held_first = last + 3
    held_last, boxes = _held_data(sheet, layout, held_first)
    if boxes:
        held = _bar_chart("The year, for the shares held", "Dollars", "$#,##0")
        held.add_data(
            Reference(sheet, min_col=2, max_col=1 + boxes, min_row=held_first, max_row=held_last),
            titles_from_data=True,
        )
        held.set_categories(Reference(sheet, min_col=1, min_row=held_first + 1, max_row=held_last))
        sheet.add_chart(held, HELD_CHART_AT)
        sheet.row_breaks.append(Break(id=HELD_CHART_ROW - 1))  # each chart on a page of its own
    styles.set_widths(sheet, {"A": 12, "B": 22, "C": 18, "D": 18, "E": 18, "F": 12, "G": 12})
    header_cells = [*sheet[first], *sheet[held_first]]
    styles.fit_rows(sheet, [sheet["A2"], *header_cells])
    styles.print_on_page_width(sheet)
    styles.protect(sheet)
