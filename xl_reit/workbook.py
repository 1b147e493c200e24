"""The template workbook: live ``REIT_*`` formulas, the release's own figures, and a 1099-DIV.

The workbook is a contract that users' formulas and other tools rely on:

``Payments`` (an Excel table of the same name)
    one row per payment of every class, grouped by class in the table's
    order: ``Class``, ``CUSIP``, ``Record date``, ``Payable date``,
    ``Dividend per share`` (``=REIT_DIVIDEND(B5,D5)``), ``Shares held`` (the
    one input column), one column per published part
    (``=REIT_ALLOC(B5,D5,"qualified")``), ``Total`` (the parts added with
    ``+``: a visible 100% check that turns into an error if a part is not a
    number), then one dollar column per part (shares × dividend × fraction).
``1099-DIV`` (table ``Form1099DIV``)
    one row per class and a totals row: each box sums the dollar columns of
    its component's parts by CUSIP with ``SUMIFS``. A dollar cell is a
    product, so a failed lookup (``#N/A …`` text) becomes ``#VALUE!`` there,
    and SUMIFS passes an error on; the totals row shows ``#N/A`` whenever a
    class's box is not a number. Nothing can silently drop out of a total.
``Release``
    each class as the release prints it, plain values (no add-in needed),
    with its annual line as printed (blank where the release prints nothing)
    and a ``Check`` column that compares the live figures on ``Payments``
    with the printed ones: ``OK``, ``DIFFERS`` or ``NO NUMBER``.
``About``
    the source, the data's provenance and repairs, the package version, how
    to enable the functions, and that this is not tax advice.
``xlwings.conf``
    ``UDF Modules`` = ``xl_reit.udfs``, so the xlwings add-in's "Import
    Functions" finds the ``REIT_*`` functions without further setup.

Formulas use plain A1 references (other formula engines cannot read
structured references). Text that comes from data is always stored as text,
never as a formula. The same classes give the same workbook, byte for byte:
document properties and zip timestamps are fixed to the release date.

openpyxl is imported here and, to read users' holdings workbooks, in
:mod:`xl_reit.holdings.xlsx`; nowhere else.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableFormula, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from . import cusip as cusip_module
from ._version import __version__
from .atomic import write_atomically
from .components import COMPONENTS, SPLITS, TOP
from .errors import TemplateSelectionError
from .form1099 import Box, answered, form_boxes, shown_figures
from .holdings import Holdings, share_key
from .model import HUNDRED, Payment, SecurityClass
from .table import BUNDLED_FILES

__all__ = [
    "CONFIG_SHEET",
    "FORM_SHEET",
    "FORM_TABLE",
    "PAYMENTS_SHEET",
    "PAYMENTS_TABLE",
    "RELEASE_SHEET",
    "build",
    "classes_for_year",
    "payments_columns",
    "save",
    "write_template",
]

PAYMENTS_SHEET = "Payments"
PAYMENTS_TABLE = "Payments"
FORM_SHEET = "1099-DIV"
FORM_TABLE = "Form1099DIV"
RELEASE_SHEET = "Release"
ABOUT_SHEET = "About"
CONFIG_SHEET = "xlwings.conf"
UDF_MODULES = "xl_reit.udfs"

#: Rows of the Payments and 1099-DIV sheets: a title, a note, a status, then the table.
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
#: The Release sheet: a title and a note, then a section per class from this row.
RELEASE_FIRST_ROW = 4

DATE_FORMAT = "yyyy-mm-dd"
FRACTION_FORMAT = "0.0000%"
PER_SHARE_FORMAT = "$#,##0.0000000"  # $0.5859375 in full
DOLLAR_FORMAT = "$#,##0.00"  # amounts show cents; the cell holds the exact figure
TEXT_FORMAT = "@"
TOLERANCE = "1E-9"  # published fractions have 6 decimals; floats agree far closer
NOT_PRINTED = "not printed"
NONE_THIS_YEAR = "none this year"

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)
TOP_ALIGNED = Alignment(vertical="top")
LINE_HEIGHT = 15  # points: one line of the default 11-point font
TABLE_STYLE = "TableStyleMedium2"

FIXED_COLUMNS = (
    "Class",
    "CUSIP",
    "Record date",
    "Payable date",
    "Dividend per share",
    "Shares held",
)


def _storable(text: str) -> str:
    """``text`` with the control characters a workbook cannot hold shown as U+FFFD (``�``).

    XML 1.0, and so .xlsx, has no way to write control characters other than
    tab and line breaks; openpyxl refuses them. A user's table may hold one
    (a stray escape code in a note): it shows as ``�`` rather than failing.
    """
    storable: str = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    return storable


def _text(cell: Cell, value: str) -> Cell:
    """Store ``value`` as text, even when it starts with ``=``, ``+``, ``-`` or ``@``.

    Data is never a formula: openpyxl would make any string that starts with
    ``=`` a formula, and forcing the text type writes it as a string that
    Excel and LibreOffice show as it is, whatever it starts with.
    """
    value = _storable(value)
    cell.value = value or None  # an empty text leaves the cell blank
    if value:
        cell.data_type = "s"
    return cell


def _formula(cell: Cell, formula: str, number_format: str | None = None) -> Cell:
    cell.value = "=" + formula
    if number_format:
        cell.number_format = number_format
    return cell


def _value(cell: Cell, value: Decimal | dt.date | None, number_format: str) -> Cell:
    cell.value = value
    cell.number_format = number_format
    return cell


def _fraction(percentage: Decimal | None) -> Decimal | None:
    """A printed percentage (1.3268) as the fraction a cell holds (0.013268)."""
    return None if percentage is None else percentage / HUNDRED


def _sheet(name: str) -> str:
    """A sheet name as a formula writes it: quoted only where it must be (``'1099-DIV'``)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name):
        return name
    return "'" + name.replace("'", "''") + "'"


def payments_columns(figures: Sequence[str]) -> tuple[str, ...]:
    """The Payments table's column headings for the figures shown (``figures``' order)."""
    labels = [COMPONENTS[name].label for name in figures]
    return (*FIXED_COLUMNS, *labels, "Total", *(f"{label} $" for label in labels))


def _lines(security: SecurityClass) -> tuple[Payment, ...]:
    """A class's rows on the Payments sheet: its payments, or its year if it prints no payments."""
    return security.payments or (security.annual,)


def _key(line: Payment) -> tuple[str, dt.date | None]:
    return (line.cusip, line.payable_date)


def _is_nil(line: Payment) -> bool:
    """A payment of which nothing is reported in this tax year (it belongs to the next)."""
    return line.dividend_per_share is not None and not line.dividend_per_share


@dataclass(frozen=True)
class _Layout:
    """Where things are: column letters by heading, and the row of each payment.

    ``figures`` are the figure columns of the Payments sheet: every figure a
    class prints, and any box of the form that no printed figure makes up.
    """

    tax_year: int
    figures: tuple[str, ...]
    boxes: tuple[Box, ...]
    classes: tuple[SecurityClass, ...]
    columns: dict[str, str]
    indexes: dict[str, int]
    rows: dict[tuple[str, dt.date | None], int]
    release_rows: dict[tuple[str, dt.date | None], int]
    release_last_row: int

    @property
    def last_row(self) -> int:
        return FIRST_ROW + len(self.rows) - 1

    @property
    def payment_count(self) -> int:
        return len(self.rows)

    def column(self, heading: str) -> str:
        return self.columns[heading]

    def index(self, heading: str) -> int:
        """The column's number (A is 1), for addressing cells without parsing letters."""
        return self.indexes[heading]

    def figure_column(self, name: str) -> str:
        return self.columns[COMPONENTS[name].label]

    def dollar_column(self, name: str) -> str:
        return self.columns[f"{COMPONENTS[name].label} $"]

    def span(self, column: str) -> str:
        """A whole column of the Payments table's data, as an absolute cross-sheet range."""
        return f"{_sheet(PAYMENTS_SHEET)}!${column}${FIRST_ROW}:${column}${self.last_row}"

    def row_of(self, line: Payment) -> int:
        """The payment's row on the Payments sheet."""
        return self.rows[_key(line)]

    def release_row_of(self, line: Payment) -> int:
        """The payment's row on the Release sheet."""
        return self.release_rows[_key(line)]


def _figure_columns(classes: Sequence[SecurityClass], boxes: Sequence[Box]) -> tuple[str, ...]:
    """Every figure the classes print, and each box that no printed figure makes up."""
    shown = set(shown_figures(classes))
    shown |= {box.component.name for box in boxes if not box.parts(sorted(shown))}
    return tuple(name for name in COMPONENTS if name in shown)


def _layout(classes: Sequence[SecurityClass]) -> _Layout:
    years = sorted({security.tax_year for security in classes})
    if len(years) != 1:
        raise TemplateSelectionError(
            "a workbook holds one tax year's Form 1099-DIV; the classes chosen cover "
            f"{', '.join(map(str, years)) or 'none'}: choose one year (--year) or its classes"
        )
    boxes = form_boxes(years[0], answered(classes))
    figures = _figure_columns(classes, boxes)
    headings = payments_columns(figures)
    indexes = {heading: index for index, heading in enumerate(headings, 1)}
    columns = {heading: get_column_letter(index) for heading, index in indexes.items()}
    rows: dict[tuple[str, dt.date | None], int] = {}
    release_rows: dict[tuple[str, dt.date | None], int] = {}
    release_row = RELEASE_FIRST_ROW
    for security in classes:
        release_row += 2  # the class's heading, then the column headings
        for line in _lines(security):
            rows[_key(line)] = FIRST_ROW + len(rows)
            release_rows[_key(line)] = release_row
            release_row += 1
        release_row += 1 if security.annual_only else 2  # the annual line, then a blank row
    return _Layout(
        years[0],
        figures,
        boxes,
        tuple(classes),
        columns,
        indexes,
        rows,
        release_rows,
        release_row - 1,
    )


def _set_widths(sheet: Worksheet, widths: Mapping[str, float]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width


def _print_on_page_width(sheet: Worksheet, title_rows: str | None = None) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_LETTER
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        sheet.print_title_rows = title_rows


def _protect(sheet: Worksheet) -> None:
    """Protect formulas from accidental edits; no password, widths and filters stay usable."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False


def _titles(sheet: Worksheet, title: str, note: str, columns: int) -> None:
    """A title in A1, and a note in A2 wrapped across the sheet's ``columns``."""
    _text(sheet["A1"], title).font = TITLE_FONT
    _text(sheet["A2"], note).alignment = WRAP
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)


def _column_width(sheet: Worksheet, column: int) -> float:
    width: float = sheet.column_dimensions[get_column_letter(column)].width
    return width


def _fit_rows(sheet: Worksheet, cells: Iterable[Cell]) -> None:
    """Make the rows of ``cells`` tall enough for their wrapped text, once widths are set.

    Excel and LibreOffice keep the row heights a file gives (or none), so
    wrapped text would overlap the next row. A character is taken to be one
    unit of column width, which errs on the tall side. Only the cells that
    can hold wrapped text are given: looking at every cell of a sheet of
    forty thousand payments would cost more than building it.
    """
    spans = {
        (merged.min_row, merged.min_col): sum(
            _column_width(sheet, column) for column in range(merged.min_col, merged.max_col + 1)
        )
        for merged in sheet.merged_cells.ranges
    }
    lines_of_row: dict[int, int] = {}
    for cell in cells:
        if isinstance(cell.value, str) and cell.alignment.wrap_text:
            width = spans.get((cell.row, cell.column), _column_width(sheet, cell.column))
            per_line = max(int(width) - 1, 1)
            lines = -(-len(cell.value) // per_line)
            lines_of_row[cell.row] = max(lines_of_row.get(cell.row, 1), lines)
    for row, lines in lines_of_row.items():
        if lines > 1:
            sheet.row_dimensions[row].height = LINE_HEIGHT * lines
            for cell in sheet[row]:  # the row's figures beside the text, at its top line
                if cell.value is not None and not cell.alignment.wrap_text:
                    cell.alignment = TOP_ALIGNED


def _headings(sheet: Worksheet, headings: Sequence[str], row: int = HEADER_ROW) -> None:
    for index, heading in enumerate(headings, 1):
        _text(sheet.cell(row, index), heading).font = BOLD


def _add_table(sheet: Worksheet, name: str, ref: str) -> Table:
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
    sheet.add_table(table)
    return table


def _release_check_span(layout: _Layout) -> str:
    check = get_column_letter(_release_check_index(layout))
    return f"{_sheet(RELEASE_SHEET)}!${check}$1:${check}${layout.release_last_row}"


def _status_formula(layout: _Layout) -> str:
    """OK when every payment's live figures match the release (the Release sheet's checks)."""
    checks = _release_check_span(layout)
    count = layout.payment_count
    return (
        f'IF(COUNTIF({checks},"OK")={count},"OK: the live figures of all {count} payments '
        f'match the release","CHECK: "&({count}-COUNTIF({checks},"OK"))&" of {count} payments'
        " differ from the release or are not numbers (is the xl-reit add-in on?): see the "
        f'Check column of the {RELEASE_SHEET} sheet")'
    )


def _total_formula(layout: _Layout, line: Payment, row: int, key: str) -> str:
    """The parts of the dividend added up (1a + 2a + 3): a visible 100% check.

    Each part from its own column where the line has it, else from the two
    columns that make it up, else looked up.
    """
    terms = []
    for top in TOP:
        parts = SPLITS.get(top, ())
        if top in layout.figures and top in line.figures:
            terms.append(f"{layout.figure_column(top)}{row}")
        elif parts and all(p in layout.figures and p in line.figures for p in parts):
            terms += [f"{layout.figure_column(part)}{row}" for part in parts]
        else:
            terms.append(f'REIT_ALLOC({key},"{top}",{layout.tax_year})')
    return "+".join(terms)


def _figure_cells(sheet: Worksheet, layout: _Layout, line: Payment, row: int, key: str) -> None:
    """The line's fraction of each figure, live, and its dollars for the shares held.

    A figure the release does not give for the line says "not printed"; a
    payment of which this tax year reports nothing says so, at $0.
    """
    index = layout.index
    dividend = f"{layout.column('Dividend per share')}{row}"
    shares = f"{layout.column('Shares held')}{row}"
    for name in layout.figures:
        label = COMPONENTS[name].label
        fraction = sheet.cell(row, index(label))
        dollars = sheet.cell(row, index(f"{label} $"))
        if _is_nil(line):
            _text(fraction, NONE_THIS_YEAR)
            _value(dollars, Decimal(0), DOLLAR_FORMAT)
        elif line.fraction(name) is None:
            _text(fraction, NOT_PRINTED)
            _text(dollars, NOT_PRINTED)
        else:
            _formula(fraction, f'REIT_ALLOC({key},"{name}",{layout.tax_year})', FRACTION_FORMAT)
            cell = f"{layout.figure_column(name)}{row}"
            _formula(dollars, f"{shares}*{dividend}*{cell}", DOLLAR_FORMAT)
    total = sheet.cell(row, index("Total"))
    if _is_nil(line):
        _text(total, NONE_THIS_YEAR)
    else:
        _formula(total, _total_formula(layout, line, row, key), FRACTION_FORMAT)


def _payment_row(
    sheet: Worksheet,
    layout: _Layout,
    security: SecurityClass,
    line: Payment,
    shares_held: Decimal | None,
) -> None:
    """One payment's row: its class and dates, live dividend and figures, shares, dollars.

    A class whose release prints only the year's totals has one row, for
    the whole year ("annual"), whose shares are those held all year.
    """
    row = layout.row_of(line)
    column, index = layout.column, layout.index
    key = f"{column('CUSIP')}{row},{column('Payable date')}{row}"
    _text(sheet.cell(row, index("Class")), security.class_name)
    _text(sheet.cell(row, index("CUSIP")), security.cusip).number_format = TEXT_FORMAT
    _value(sheet.cell(row, index("Record date")), line.record_date, DATE_FORMAT)
    if line.is_annual:
        _text(sheet.cell(row, index("Payable date")), "annual")
    else:
        _value(sheet.cell(row, index("Payable date")), line.payable_date, DATE_FORMAT)
    _formula(
        sheet.cell(row, index("Dividend per share")),
        f"REIT_DIVIDEND({key},{layout.tax_year})",
        PER_SHARE_FORMAT,
    )
    shares_cell = sheet.cell(row, index("Shares held"))
    shares_cell.value = shares_held
    shares_cell.fill = INPUT_FILL
    shares_cell.protection = UNLOCKED
    _figure_cells(sheet, layout, line, row, key)


def _shares_validation(layout: _Layout) -> DataValidation:
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


def _decorate_payments(sheet: Worksheet, layout: _Layout, headings: Sequence[str]) -> None:
    """The Payments sheet's table, validation, widths, frozen header, printing and protection."""
    column = layout.column
    _add_table(
        sheet, PAYMENTS_TABLE, f"A{HEADER_ROW}:{get_column_letter(len(headings))}{layout.last_row}"
    )
    sheet.add_data_validation(_shares_validation(layout))
    widths = {
        column("Class"): max(len(security.class_name) for security in layout.classes) + 2,
        column("CUSIP"): 13,
        column("Record date"): 14,
        column("Payable date"): 14,
        column("Dividend per share"): 20,
        column("Shares held"): 14,
        column("Total"): 12,
    }
    for heading in headings[len(FIXED_COLUMNS) :]:
        widths.setdefault(column(heading), max(len(heading) + 5, 13))
    _set_widths(sheet, widths)
    sheet.freeze_panes = f"A{FIRST_ROW}"
    _fit_rows(sheet, [sheet["A2"]])
    _print_on_page_width(sheet, f"{HEADER_ROW}:{HEADER_ROW}")
    _protect(sheet)


def _build_payments(sheet: Worksheet, layout: _Layout, holdings: Holdings | None) -> None:
    headings = payments_columns(layout.figures)
    _titles(
        sheet,
        _title(layout.classes),
        "Type the shares you held on each record date in the yellow Shares held column; the "
        f"{FORM_SHEET} sheet adds up your Form 1099-DIV amounts. Fractions and dividends come "
        "live from the xl-reit Excel functions (see About); the Release sheet holds the "
        "printed figures.",
        len(headings),
    )
    _formula(sheet["A3"], _status_formula(layout)).font = BOLD
    _headings(sheet, headings)
    for security in layout.classes:
        for line in _lines(security):
            shares = holdings.shares_for(line) if holdings else None
            _payment_row(sheet, layout, security, line, shares)
    _decorate_payments(sheet, layout, headings)


def _box_formula(layout: _Layout, box: Box, security: SecurityClass, row: int) -> str | None:
    """SUMIFS of the box's dollar columns over the class's payments; ``None``: not printed.

    The box's own column where the Payments sheet has one, else the columns
    that make it up (ordinary and qualified for 1a), added with ``+``.
    """
    lines = [line for line in _lines(security) if not _is_nil(line)]
    if any(line.fraction(box.component) is None for line in lines):
        return None
    name = box.component.name
    names = (name,) if name in layout.figures else box.parts(layout.figures)
    cusips = layout.span(layout.column("CUSIP"))
    return "+".join(
        f"SUMIFS({layout.span(layout.dollar_column(each))},{cusips},$B{row})" for each in names
    )


def _build_form(sheet: Worksheet, layout: _Layout) -> None:
    headings = ("Class", "CUSIP", *(box.heading for box in layout.boxes))
    _titles(
        sheet,
        f"Form 1099-DIV amounts, tax year {layout.tax_year}",
        "Dollars from the Payments sheet (shares held × dividend per share × fraction), "
        "summed by CUSIP. Shown in cents; each cell holds the exact figure. An error "
        "(#N/A, #VALUE!) means a figure it adds is not a number: nothing is left out silently. "
        "Not printed: the release gives no such figure for the class (the total is then #N/A).",
        len(headings),
    )
    _headings(sheet, headings)
    first_box = 3
    for index, security in enumerate(layout.classes):
        row = FIRST_ROW + index
        _text(sheet.cell(row, 1), security.class_name)
        _text(sheet.cell(row, 2), security.cusip).number_format = TEXT_FORMAT
        for offset, box in enumerate(layout.boxes):
            cell = sheet.cell(row, first_box + offset)
            formula = _box_formula(layout, box, security, row)
            if formula is None:
                _text(cell, NOT_PRINTED)
            else:
                _formula(cell, formula, DOLLAR_FORMAT)
    last_class_row = FIRST_ROW + len(layout.classes) - 1
    total_row = last_class_row + 1
    _text(sheet.cell(total_row, 1), "Total").font = BOLD
    columns = [TableColumn(id=1, name="Class", totalsRowLabel="Total")]
    columns.append(TableColumn(id=2, name="CUSIP"))
    for offset, box in enumerate(layout.boxes):
        letter = get_column_letter(first_box + offset)
        span = f"{letter}{FIRST_ROW}:{letter}{last_class_row}"
        total = f"IF(COUNT({span})<ROWS({span}),NA(),SUM({span}))"
        cell = _formula(sheet[f"{letter}{total_row}"], total, DOLLAR_FORMAT)
        cell.font = BOLD
        columns.append(
            TableColumn(
                id=first_box + offset,
                name=box.heading,
                totalsRowFunction="custom",
                totalsRowFormula=TableFormula(attr_text=total),
            )
        )
    last = get_column_letter(len(headings))
    table = _add_table(sheet, FORM_TABLE, f"A{HEADER_ROW}:{last}{total_row}")
    table.totalsRowCount = 1
    table.autoFilter = AutoFilter(ref=f"A{HEADER_ROW}:{last}{last_class_row}")
    table.tableColumns = columns

    legend = total_row + 2
    _text(sheet.cell(legend, 1), "What the boxes hold").font = BOLD
    for offset, box in enumerate(layout.boxes, 1):
        _text(sheet.cell(legend + offset, 1), f"{box.heading}: {box.component.label}")
        _text(sheet.cell(legend + offset, 2), box.component.description)
    _set_widths(
        sheet,
        {"A": max(len(security.class_name) for security in layout.classes) + 2, "B": 13}
        | {get_column_letter(first_box + offset): 16 for offset in range(len(layout.boxes))},
    )
    sheet.freeze_panes = f"A{FIRST_ROW}"
    _fit_rows(sheet, [sheet["A2"]])
    _print_on_page_width(sheet, f"{HEADER_ROW}:{HEADER_ROW}")
    _protect(sheet)


def _release_headings(layout: _Layout) -> tuple[str, ...]:
    return (
        "CUSIP",
        "Record date",
        "Payable date",
        "Dividend per share",
        *(COMPONENTS[name].label for name in layout.figures),
        "Check",
        "Notes",
    )


def _release_check_index(layout: _Layout) -> int:
    return _release_headings(layout).index("Check") + 1


def _check_formula(layout: _Layout, line: Payment, row: int) -> str:
    """OK when the live dividend and figures equal the printed ones; else DIFFERS/NO NUMBER.

    A figure printed in dollars is compared in dollars (live fraction ×
    live dividend), one printed as a percentage as a fraction.
    """
    payments = _sheet(PAYMENTS_SHEET)
    live_row = layout.row_of(line)
    live_dividend = f"{payments}!{layout.column('Dividend per share')}{live_row}"
    live = [live_dividend]
    terms = [f"ABS({live_dividend}-D{row})"]
    for offset, name in enumerate(layout.figures):
        printed = line.printed.get(name)
        if printed is None or _is_nil(line):
            continue
        cell = f"{payments}!{layout.figure_column(name)}{live_row}"
        here = f"{get_column_letter(5 + offset)}{row}"
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


def _release_line(sheet: Worksheet, layout: _Layout, row: int, line: Payment) -> None:
    """One printed line: dividend and each figure as printed (dollars, or a percentage)."""
    _value(sheet.cell(row, 4), line.dividend_per_share, PER_SHARE_FORMAT)
    for offset, name in enumerate(layout.figures):
        printed = line.printed.get(name)
        cell = sheet.cell(row, 5 + offset)
        if printed is None:
            continue
        if printed.dollars is not None:
            _value(cell, printed.dollars, PER_SHARE_FORMAT)
        else:
            _value(cell, _fraction(printed.percent), FRACTION_FORMAT)
    notes = sheet.cell(row, len(_release_headings(layout)))
    _text(notes, _line_notes(line)).alignment = WRAP


def _release_class(sheet: Worksheet, layout: _Layout, security: SecurityClass) -> None:
    """One class as the release prints it: its lines, each checked, then its annual line."""
    lines = _lines(security)
    first = layout.release_row_of(lines[0])
    heading = (
        f"{security.class_name} — CUSIP {cusip_module.format(security.cusip)} — "
        f"{security.symbol}" + (" — annual totals only" if security.annual_only else "")
    )
    _text(sheet.cell(first - 2, 1), heading).font = BOLD
    _headings(sheet, _release_headings(layout), first - 1)
    check = _release_check_index(layout)
    for line in lines:
        row = layout.release_row_of(line)
        _text(sheet.cell(row, 1), security.cusip).number_format = TEXT_FORMAT
        if line.is_annual:
            _text(sheet.cell(row, 2), "Annual").font = BOLD
        else:
            _value(sheet.cell(row, 2), line.record_date, DATE_FORMAT)
            _value(sheet.cell(row, 3), line.payable_date, DATE_FORMAT)
        _release_line(sheet, layout, row, line)
        _formula(sheet.cell(row, check), _check_formula(layout, line, row))
    if security.annual_only:
        return
    annual_row = layout.release_row_of(lines[-1]) + 1
    _text(sheet.cell(annual_row, 1), security.cusip).number_format = TEXT_FORMAT
    _text(sheet.cell(annual_row, 2), "Annual").font = BOLD
    if security.printed_annual is not None:
        _release_line(sheet, layout, annual_row, security.printed_annual)


def _build_release(sheet: Worksheet, layout: _Layout) -> None:
    sources = sorted({(s.lines[0].source, s.lines[0].release_date) for s in layout.classes})
    _titles(
        sheet,
        "As printed in the release: "
        + "; ".join(f"{source} ({_iso(released)})" for source, released in sources),
        "Plain values, no add-in needed. Check compares each payment's live figures on the "
        "Payments sheet with the printed ones: OK, DIFFERS, or NO NUMBER (the xl-reit add-in "
        "is off, or a lookup failed). Annual lines are as printed: blank where the release "
        "prints nothing.",
        len(_release_headings(layout)),
    )
    headings = _release_headings(layout)
    check = _release_check_index(layout)
    for security in layout.classes:
        _release_class(sheet, layout, security)
    _set_widths(
        sheet,
        {"A": 13, "B": 14, "C": 14, "D": 20}
        | {
            get_column_letter(5 + offset): max(len(COMPONENTS[name].label) + 3, 12)
            for offset, name in enumerate(layout.figures)
        }
        | {get_column_letter(check): 12, get_column_letter(check + 1): 80},
    )
    notes = len(headings)
    _fit_rows(
        sheet, [sheet["A2"], *(row[0] for row in sheet.iter_rows(min_col=notes, max_col=notes))]
    )
    _print_on_page_width(sheet)
    _protect(sheet)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "date not recorded"


def _title(classes: Sequence[SecurityClass]) -> str:
    issuers = ", ".join(dict.fromkeys(security.issuer for security in classes))
    years = ", ".join(str(year) for year in sorted({security.tax_year for security in classes}))
    return f"{issuers}: dividend tax allocation, tax year {years}"


def _line_facts(classes: Sequence[SecurityClass]) -> list[tuple[str, str]]:
    """Each distinct repair, issuer rounding and split of the data, with the lines it is on."""
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for security in classes:
        for line in security.lines:
            where = _iso(line.payable_date) if line.payable_date else "annual line"
            facts = [("Repair", line.notes)] if line.notes else []
            facts += [("Checked on loading", note) for note in line.findings]
            if line.is_split:
                rest = f"the rest of the payment is reported in tax year {line.other_tax_year}"
                facts.append(("Split payment", rest))
            for kind, text in facts:
                grouped.setdefault((kind, security.class_name, text), []).append(where)
    return [
        (f"{kind} — {class_name}: {', '.join(where)}", text)
        for (kind, class_name, text), where in grouped.items()
    ]


def _shares_note(holdings: Holdings | None) -> str:
    """Where Shares held came from, and which lines of the file ``--skip-bad`` left out."""
    if holdings is None:
        return "blank: type your own on the Payments sheet"
    note = f"pre-filled from {Path(holdings.source).name}"
    if holdings.skipped_lines:
        lines = "lines" if len(holdings.skipped_lines) > 1 else "line"
        note += (
            f"; --skip-bad left out its bad {lines} {', '.join(map(str, holdings.skipped_lines))},"
            " which are not counted"
        )
    return note


#: The About sheet's fixed text: (label, text) rows, before and after the data's provenance.
_ABOUT_DISCLAIMER: tuple[tuple[str, str], ...] = (
    (
        "Not tax advice",
        "This workbook restates figures that the issuer published. It is not tax advice: "
        "check it against your broker's Form 1099-DIV and the issuer's release, and ask a "
        "tax adviser about your own return.",
    ),
    ("", ""),
)
_ABOUT_CHECKS = (
    "Transcribed from the release exactly as printed: dollars per share and each part's "
    "percentage of the payment. Checked when loaded: every CUSIP's check digit; each payment's "
    "parts add up to exactly 100%; each printed annual dividend equals the sum of the class's "
    "payments; each printed annual percentage equals the payments' dividend-weighted average. "
    "Where the copy of the release was damaged, only what the release itself proves was "
    "repaired; each repair is listed below and in the Notes column of the Release sheet. Full "
    "provenance: the README of xl_reit/data in the xl-reit package."
)
_ABOUT_HELP: tuple[tuple[str, str], ...] = (
    (
        "Sheets",
        f"{PAYMENTS_SHEET}: one row per payment with live figures; type Shares held. "
        f"{FORM_SHEET}: your Form 1099-DIV boxes. {RELEASE_SHEET}: the figures as printed, "
        f"with checks. {CONFIG_SHEET}: tells the xlwings add-in where the functions are.",
    ),
    (
        "Functions",
        "=REIT_ALLOC(cusip, date, component) gives the fraction of a payment, e.g. "
        '=REIT_ALLOC("03748R-10-1", "2004-02-27", "qualified") = 1.3268%; '
        "=REIT_DIVIDEND(cusip, date) the dividend per share; also REIT_AMOUNT, "
        "REIT_PAYMENTS and REIT_CLASSES (category xl-reit in the function wizard).",
    ),
    (
        "On Mac and the web",
        "Excel for Mac, Excel on the web and Excel on Windows: add the free xlwings Lite "
        "add-in (Home > Add-ins); run xl-reit lite in a terminal; put the main.py and "
        "requirements.txt it writes into the add-in's two tabs and choose Restart. Details: "
        "the README's 'Excel on Mac and the web'.",
    ),
    ("On Windows", "classic xlwings, with Python installed on the PC:"),
    (
        "1.",
        "Install xl-reit into the Python that xlwings uses: pip install . in the "
        "xl-reit folder, or pip install on its wheel file.",
    ),
    ("2.", "xlwings addin install — adds the xlwings tab to Excel."),
    ("3.", f"This workbook's {CONFIG_SHEET} sheet already sets UDF Modules to {UDF_MODULES}."),
    (
        "4.",
        "On the xlwings tab click Import Functions (Excel may ask you to trust access to "
        "the VBA project object model: File > Options > Trust Center). Save as .xlsm to "
        "keep the imported functions.",
    ),
    (
        "Without an add-in",
        f"the live cells show #NAME? and the totals an error; the {RELEASE_SHEET} sheet "
        "still shows every printed figure.",
    ),
    (
        "Protection",
        "Sheets are protected, without a password, so that formulas are not overwritten by "
        "accident: Review > Unprotect Sheet.",
    ),
)


def _provenance(classes: Sequence[SecurityClass]) -> list[tuple[str, str]]:
    """The About sheet's rows on where the figures come from: sources, files and repairs."""
    sources = dict.fromkeys((s.issuer, s.lines[0].source, s.lines[0].release_date) for s in classes)
    files: dict[str, list[str]] = {}
    for security in classes:
        for file in security.files:
            files.setdefault(file, []).append(security.class_name)
    return [
        *(
            ("Source", f"{issuer}: {source}, released {_iso(released)}")
            for issuer, source, released in sources
        ),
        *(
            (
                "Data file",
                f"{file} ({'bundled with xl-reit' if file in BUNDLED_FILES else 'your own'}): "
                + ", ".join(names),
            )
            for file, names in files.items()
        ),
        ("How the data was made", _ABOUT_CHECKS),
        *_line_facts(classes),
    ]


def _build_about(sheet: Worksheet, layout: _Layout, holdings: Holdings | None) -> None:
    (tax_year,) = {security.tax_year for security in layout.classes}
    lines: list[tuple[str, str]] = [
        *_ABOUT_DISCLAIMER,
        ("Made by", f"xl-reit {__version__} (command: xl-reit template)"),
        ("Tax year", str(tax_year)),
        *_provenance(layout.classes),
        ("", ""),
        ("Shares held", _shares_note(holdings)),
        ("", ""),
        *_ABOUT_HELP,
    ]
    _text(sheet["A1"], "About this workbook").font = TITLE_FONT
    for row, (label, text) in enumerate(lines, 3):
        label_cell = _text(sheet.cell(row, 1), label)
        label_cell.font = BOLD
        label_cell.alignment = WRAP
        _text(sheet.cell(row, 2), text).alignment = WRAP
    _set_widths(sheet, {"A": 34, "B": 110})
    _fit_rows(sheet, [cell for row in sheet.iter_rows(max_col=2) for cell in row])
    _print_on_page_width(sheet)


def _build_config(sheet: Worksheet) -> None:
    """The xlwings add-in reads key/value pairs from A1 down (``read_config_sheet``)."""
    _text(sheet["A1"], "UDF Modules")
    _text(sheet["B1"], UDF_MODULES)
    _set_widths(sheet, {"A": 16, "B": 16})


def _stamp(classes: Sequence[SecurityClass]) -> dt.datetime:
    """A fixed time for the file's properties: the latest release date, at midnight."""
    released = [p.release_date for s in classes for p in s.lines if p.release_date]
    day = max(released) if released else dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def classes_for_year(
    classes: Sequence[SecurityClass], tax_year: int | None = None, *, strict: bool = False
) -> tuple[SecurityClass, ...]:
    """The classes of one tax year: ``tax_year``, or the latest of ``classes``.

    A workbook holds one year's Form 1099-DIV. With ``strict`` (the user
    named the classes), every class must have a table for that year.
    """
    years = sorted({security.tax_year for security in classes})
    if not years:
        raise TemplateSelectionError("no classes to put in the workbook")
    year = years[-1] if tax_year is None else tax_year
    chosen = tuple(security for security in classes if security.tax_year == year)
    lacking = sorted(
        {s.class_name for s in classes} - {s.class_name for s in chosen}, key=str.casefold
    )
    if not chosen or (strict and lacking):
        raise TemplateSelectionError(
            f"tax year {year}: no table for {', '.join(lacking)}; "
            f"the classes chosen have tax years {', '.join(map(str, years))} (choose with --year)"
        )
    return chosen


def _check_holdings(classes: Sequence[SecurityClass], holdings: Holdings) -> None:
    """Refuse holdings of a payment the workbook does not show.

    A payment split between two tax years counts in both: shares held on it
    are shown in the workbook of either year.
    """
    shown = {share_key(line) for security in classes for line in _lines(security)}
    held = {(s.cusip, s.tax_year): s for s in holdings.classes}
    missing = [
        security
        for security in held.values()
        if any(
            share_key(line) not in shown and holdings.shares_for(line) for line in _lines(security)
        )
    ]
    if missing:
        raise TemplateSelectionError(
            f"holdings {holdings.source!r} hold "
            + ", ".join(f"{s.class_name} ({cusip_module.format(s.cusip)})" for s in missing)
            + ", which the workbook does not hold (choose them with --cusip, or their "
            "tax year with --year)"
        )


def build(classes: Sequence[SecurityClass], holdings: Holdings | None = None) -> Workbook:
    """The template workbook for ``classes`` (one tax year, rows in the order given).

    ``holdings``, when given, fills in Shares held; payments it does not
    mention stay blank.

    Raises :class:`TemplateSelectionError` for classes of several tax years,
    or holdings of a class the workbook does not hold.
    """
    if not classes:
        raise TemplateSelectionError("no classes to put in the workbook")
    layout = _layout(classes)
    if holdings is not None:
        _check_holdings(classes, holdings)
    workbook = openpyxl.Workbook()
    payments = workbook.active
    payments.title = PAYMENTS_SHEET
    _build_payments(payments, layout, holdings)
    _build_form(workbook.create_sheet(FORM_SHEET), layout)
    _build_release(workbook.create_sheet(RELEASE_SHEET), layout)
    _build_about(workbook.create_sheet(ABOUT_SHEET), layout, holdings)
    _build_config(workbook.create_sheet(CONFIG_SHEET))
    stamp = _stamp(classes)
    workbook.properties.creator = "xl-reit"
    workbook.properties.lastModifiedBy = "xl-reit"
    workbook.properties.title = _storable(_title(classes))
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    return workbook


class _StampedZipFile(zipfile.ZipFile):
    """A zip file whose every entry carries one fixed time (openpyxl stamps the clock's)."""

    def __init__(self, path: Path, date_time: tuple[int, int, int, int, int, int]) -> None:
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.date_time = date_time

    def writestr(  # type: ignore[override]
        self, zinfo_or_arcname: str | zipfile.ZipInfo, data: str | bytes, *args: Any, **kwargs: Any
    ) -> None:
        name = (
            zinfo_or_arcname.filename
            if isinstance(zinfo_or_arcname, zipfile.ZipInfo)
            else zinfo_or_arcname
        )
        entry = zipfile.ZipInfo(name, date_time=self.date_time)
        entry.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(entry, data, *args, **kwargs)

    def write(  # type: ignore[override]
        self,
        filename: str | os.PathLike[str],
        arcname: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        """openpyxl writes worksheets from temporary files: stamp those entries too."""
        self.writestr(arcname or os.fspath(filename), Path(filename).read_bytes())


def _write_reproducibly(workbook: Workbook, path: Path) -> None:
    """Save like openpyxl does, but with fixed timestamps, so equal workbooks are equal bytes.

    ``openpyxl.Workbook.save`` stamps the current time into the document
    properties and every zip entry; the workbook's properties are fixed when
    it is built, and the zip entries get its ``modified`` time as they are
    written.
    """
    stamp = workbook.properties.modified
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    ExcelWriter(workbook, _StampedZipFile(path, date_time)).save()  # closes the archive


def save(workbook: Workbook, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``workbook`` to ``path`` atomically (see :mod:`xl_reit.atomic`); the path written."""
    return write_atomically(
        path, lambda temporary: _write_reproducibly(workbook, temporary), overwrite=overwrite
    )


def write_template(
    path: str | Path,
    classes: Sequence[SecurityClass],
    holdings: Holdings | None = None,
    *,
    overwrite: bool = False,
) -> Path:
    """Build the workbook for ``classes`` and write it to ``path``; the path written."""
    return save(build(classes, holdings), path, overwrite=overwrite)
