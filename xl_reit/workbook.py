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
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableFormula, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from . import __version__
from . import cusip as cusip_module
from .atomic import write_atomically
from .components import COMPONENTS
from .errors import TemplateSelectionError
from .form1099 import Box, form_boxes, shown_parts
from .holdings import Holdings
from .table import BUNDLED_FILES, HUNDRED, Payment, SecurityClass

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

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)
TOP = Alignment(vertical="top")
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


def payments_columns(parts: Sequence[str]) -> tuple[str, ...]:
    """The Payments table's column headings for the published ``parts``."""
    labels = [COMPONENTS[part].label for part in parts]
    return (*FIXED_COLUMNS, *labels, "Total", *(f"{label} $" for label in labels))


@dataclass(frozen=True)
class _Layout:
    """Where things are: column letters by heading, and the row of each payment."""

    parts: tuple[str, ...]
    boxes: tuple[Box, ...]
    classes: tuple[SecurityClass, ...]
    columns: dict[str, str]
    rows: dict[tuple[str, dt.date], int]
    release_rows: dict[tuple[str, dt.date], int]
    release_last_row: int

    @property
    def last_row(self) -> int:
        return FIRST_ROW + len(self.rows) - 1

    @property
    def payment_count(self) -> int:
        return len(self.rows)

    def column(self, heading: str) -> str:
        return self.columns[heading]

    def part_column(self, part: str) -> str:
        return self.columns[COMPONENTS[part].label]

    def dollar_column(self, part: str) -> str:
        return self.columns[f"{COMPONENTS[part].label} $"]

    def span(self, column: str) -> str:
        """A whole column of the Payments table's data, as an absolute cross-sheet range."""
        return f"{_sheet(PAYMENTS_SHEET)}!${column}${FIRST_ROW}:${column}${self.last_row}"

    def row_of(self, payment: Payment) -> int:
        """The payment's row on the Payments sheet."""
        return self.rows[_key(payment)]

    def release_row_of(self, payment: Payment) -> int:
        """The payment's row on the Release sheet."""
        return self.release_rows[_key(payment)]


def _key(payment: Payment) -> tuple[str, dt.date]:
    assert payment.payable_date is not None  # a payment, not an annual line
    return (payment.cusip, payment.payable_date)


def _layout(classes: Sequence[SecurityClass]) -> _Layout:
    years = sorted({security.tax_year for security in classes})
    if len(years) != 1:
        raise TemplateSelectionError(
            "a workbook holds one tax year's Form 1099-DIV; the classes chosen cover "
            f"{', '.join(map(str, years)) or 'none'}: choose one year (--year) or its classes"
        )
    parts = shown_parts(classes)
    headings = payments_columns(parts)
    columns = {heading: get_column_letter(index) for index, heading in enumerate(headings, 1)}
    rows: dict[tuple[str, dt.date], int] = {}
    release_rows: dict[tuple[str, dt.date], int] = {}
    release_row = RELEASE_FIRST_ROW
    for security in classes:
        release_row += 2  # the class's heading, then the column headings
        for payment in security.payments:
            rows[_key(payment)] = FIRST_ROW + len(rows)
            release_rows[_key(payment)] = release_row
            release_row += 1
        release_row += 2  # the annual line, then a blank row
    return _Layout(
        parts,
        form_boxes(years[0], parts),
        tuple(classes),
        columns,
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
                    cell.alignment = TOP


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


def _build_payments(sheet: Worksheet, layout: _Layout, holdings: Holdings | None) -> None:
    headings = payments_columns(layout.parts)
    count = layout.payment_count
    _titles(
        sheet,
        _title(layout.classes),
        "Type the shares you held on each record date in the yellow Shares held column; the "
        f"{FORM_SHEET} sheet adds up your Form 1099-DIV amounts. Fractions and dividends come "
        "live from the xl-reit Excel functions (see About); the Release sheet holds the "
        "printed figures.",
        len(headings),
    )
    checks = _release_check_span(layout)
    _formula(
        sheet["A3"],
        f'IF(COUNTIF({checks},"OK")={count},"OK: the live figures of all {count} payments '
        f'match the release","CHECK: "&({count}-COUNTIF({checks},"OK"))&" of {count} payments'
        " differ from the release or are not numbers (is the xl-reit add-in on?): see the "
        f'Check column of the {RELEASE_SHEET} sheet")',
    ).font = BOLD
    _headings(sheet, headings)
    column = layout.column
    index = {
        heading: column_index_from_string(letter) for heading, letter in layout.columns.items()
    }
    for security in layout.classes:
        published = [part for part in layout.parts if part in security.published]
        labels = [COMPONENTS[part].label for part in published]
        for payment in security.payments:
            row = layout.row_of(payment)
            _text(sheet.cell(row, index["Class"]), security.class_name)
            _text(sheet.cell(row, index["CUSIP"]), security.cusip).number_format = TEXT_FORMAT
            key = f"{column('CUSIP')}{row},{column('Payable date')}{row}"
            _value(sheet.cell(row, index["Record date"]), payment.record_date, DATE_FORMAT)
            _value(sheet.cell(row, index["Payable date"]), payment.payable_date, DATE_FORMAT)
            dividend = f"{column('Dividend per share')}{row}"
            shares = f"{column('Shares held')}{row}"
            _formula(
                sheet.cell(row, index["Dividend per share"]),
                f"REIT_DIVIDEND({key})",
                PER_SHARE_FORMAT,
            )
            shares_cell = sheet.cell(row, index["Shares held"])
            shares_cell.value = holdings.shares_for(payment) if holdings else None
            shares_cell.fill = INPUT_FILL
            shares_cell.protection = UNLOCKED
            for part, label in zip(published, labels, strict=True):
                fraction = f"{column(label)}{row}"
                _formula(
                    sheet.cell(row, index[label]), f'REIT_ALLOC({key},"{part}")', FRACTION_FORMAT
                )
                _formula(
                    sheet.cell(row, index[f"{label} $"]),
                    f"{shares}*{dividend}*{fraction}",
                    DOLLAR_FORMAT,
                )
            _formula(
                sheet.cell(row, index["Total"]),
                "+".join(f"{column(label)}{row}" for label in labels),
                FRACTION_FORMAT,
            )
    last = get_column_letter(len(headings))
    _add_table(sheet, PAYMENTS_TABLE, f"A{HEADER_ROW}:{last}{layout.last_row}")
    shares_column = column("Shares held")
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
    validation.add(f"{shares_column}{FIRST_ROW}:{shares_column}{layout.last_row}")
    sheet.add_data_validation(validation)
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


def _box_formula(layout: _Layout, box: Box, row: int) -> str:
    """SUMIFS of the box's dollar columns over the class's payments, added with ``+``."""
    cusips = layout.span(layout.column("CUSIP"))
    return "+".join(
        f"SUMIFS({layout.span(layout.dollar_column(part))},{cusips},$B{row})"
        for part in box.parts(layout.parts)
    )


def _build_form(sheet: Worksheet, layout: _Layout) -> None:
    (tax_year,) = {security.tax_year for security in layout.classes}
    headings = ("Class", "CUSIP", *(box.heading for box in layout.boxes))
    _titles(
        sheet,
        f"Form 1099-DIV amounts, tax year {tax_year}",
        "Dollars from the Payments sheet (shares held × dividend per share × fraction), "
        "summed by CUSIP. Shown in cents; each cell holds the exact figure. An error "
        "(#N/A, #VALUE!) means a figure it adds is not a number: nothing is left out silently.",
        len(headings),
    )
    _headings(sheet, headings)
    first_box = 3
    for index, security in enumerate(layout.classes):
        row = FIRST_ROW + index
        _text(sheet.cell(row, 1), security.class_name)
        _text(sheet.cell(row, 2), security.cusip).number_format = TEXT_FORMAT
        for offset, box in enumerate(layout.boxes):
            _formula(sheet.cell(row, first_box + offset), _box_formula(layout, box, row))
            sheet.cell(row, first_box + offset).number_format = DOLLAR_FORMAT
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
        *(COMPONENTS[part].label for part in layout.parts),
        "Check",
        "Notes",
    )


def _release_check_index(layout: _Layout) -> int:
    return _release_headings(layout).index("Check") + 1


def _check_formula(layout: _Layout, security: SecurityClass, payment: Payment, row: int) -> str:
    """OK when the live dividend and fractions equal the printed ones; else DIFFERS/NO NUMBER."""
    live_row = layout.row_of(payment)
    live_dividend = f"{_sheet(PAYMENTS_SHEET)}!{layout.column('Dividend per share')}{live_row}"
    first, last = layout.parts[0], layout.parts[-1]
    live_parts = (
        f"{_sheet(PAYMENTS_SHEET)}!{layout.part_column(first)}{live_row}:"
        f"{layout.part_column(last)}{live_row}"
    )
    printed_parts = f"E{row}:{get_column_letter(4 + len(layout.parts))}{row}"
    expected = 1 + sum(1 for part in layout.parts if part in security.published)
    return (
        f'IF(COUNT({live_dividend},{live_parts})<{expected},"NO NUMBER",'
        f"IF(ABS({live_dividend}-D{row})+SUMPRODUCT(ABS({live_parts}-{printed_parts}))"
        f'<{TOLERANCE},"OK","DIFFERS"))'
    )


def _release_line(sheet: Worksheet, layout: _Layout, row: int, payment: Payment) -> None:
    """One printed line: dividend and each part's fraction, blank where nothing is printed."""
    _value(sheet.cell(row, 4), payment.dividend_per_share, PER_SHARE_FORMAT)
    for offset, part in enumerate(layout.parts):
        _value(
            sheet.cell(row, 5 + offset), _fraction(payment.percentages.get(part)), FRACTION_FORMAT
        )
    notes = sheet.cell(row, len(_release_headings(layout)))
    _text(notes, payment.notes).alignment = WRAP


def _build_release(sheet: Worksheet, layout: _Layout) -> None:
    sources = sorted({(s.payments[0].source, s.payments[0].release_date) for s in layout.classes})
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
        first = layout.release_row_of(security.payments[0])
        heading = (
            f"{security.class_name} — CUSIP {cusip_module.format(security.cusip)} — "
            f"{security.symbol}"
        )
        _text(sheet.cell(first - 2, 1), heading).font = BOLD
        _headings(sheet, headings, first - 1)
        for payment in security.payments:
            row = layout.release_row_of(payment)
            _text(sheet.cell(row, 1), security.cusip).number_format = TEXT_FORMAT
            _value(sheet.cell(row, 2), payment.record_date, DATE_FORMAT)
            _value(sheet.cell(row, 3), payment.payable_date, DATE_FORMAT)
            _release_line(sheet, layout, row, payment)
            _formula(sheet.cell(row, check), _check_formula(layout, security, payment, row))
        annual_row = layout.release_row_of(security.payments[-1]) + 1
        _text(sheet.cell(annual_row, 1), security.cusip).number_format = TEXT_FORMAT
        _text(sheet.cell(annual_row, 2), "Annual").font = BOLD
        if security.printed_annual is not None:
            _release_line(sheet, layout, annual_row, security.printed_annual)
    _set_widths(
        sheet,
        {"A": 13, "B": 14, "C": 14, "D": 20}
        | {
            get_column_letter(5 + offset): max(len(COMPONENTS[part].label) + 3, 12)
            for offset, part in enumerate(layout.parts)
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


def _repairs(classes: Sequence[SecurityClass]) -> list[tuple[str, str]]:
    """Each distinct note of the data, with the lines it is written on."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for security in classes:
        lines = list(security.payments)
        if security.printed_annual is not None:
            lines.append(security.printed_annual)
        for line in lines:
            if line.notes:
                where = _iso(line.payable_date) if line.payable_date else "annual line"
                grouped.setdefault((security.class_name, line.notes), []).append(where)
    return [
        (f"{class_name}: {', '.join(where)}", notes)
        for (class_name, notes), where in grouped.items()
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


def _build_about(sheet: Worksheet, layout: _Layout, holdings: Holdings | None) -> None:
    classes = layout.classes
    (tax_year,) = {security.tax_year for security in classes}
    sources = dict.fromkeys(
        (s.issuer, s.payments[0].source, s.payments[0].release_date) for s in classes
    )
    files: dict[str, list[str]] = {}
    for security in classes:
        for file in dict.fromkeys(p.origin.rsplit(":", 1)[0] for p in security.payments):
            files.setdefault(file, []).append(security.class_name)
    lines: list[tuple[str, str]] = [
        (
            "Not tax advice",
            "This workbook restates figures that the issuer published. It is not tax advice: "
            "check it against your broker's Form 1099-DIV and the issuer's release, and ask a "
            "tax adviser about your own return.",
        ),
        ("", ""),
        ("Made by", f"xl-reit {__version__} (command: xl-reit template)"),
        ("Tax year", str(tax_year)),
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
        (
            "How the data was made",
            "Transcribed from the release exactly as printed: dollars per share and each "
            "part's percentage of the payment. Checked when loaded: every CUSIP's check digit; "
            "each payment's parts add up to exactly 100%; each printed annual dividend equals "
            "the sum of the class's payments; each printed annual percentage equals the "
            "payments' dividend-weighted average. Where the copy of the release was damaged, "
            "only what the release itself proves was repaired; each repair is listed below "
            "and in the Notes column of the Release sheet. Full provenance: the README of "
            "xl_reit/data in the xl-reit package.",
        ),
        *(("Repair — " + where, notes) for where, notes in _repairs(classes)),
        ("", ""),
        ("Shares held", _shares_note(holdings)),
        ("", ""),
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
            "Enable the functions",
            "Excel on Windows (xlwings runs worksheet functions there only):",
        ),
        (
            "1.",
            "Install xl-reit into the Python that xlwings uses: pip install . in the "
            "xl-reit folder, or pip install on its wheel file.",
        ),
        ("2.", "xlwings addin install — adds the xlwings tab to Excel."),
        (
            "3.",
            f"This workbook's {CONFIG_SHEET} sheet already sets UDF Modules to {UDF_MODULES}.",
        ),
        (
            "4.",
            "On the xlwings tab click Import Functions (Excel may ask you to trust access to "
            "the VBA project object model: File > Options > Trust Center). Save as .xlsm to "
            "keep the imported functions.",
        ),
        (
            "Without the add-in",
            f"the live cells show #NAME? and the totals an error; the {RELEASE_SHEET} sheet "
            "still shows every printed figure.",
        ),
        (
            "Protection",
            "Sheets are protected, without a password, so that formulas are not overwritten by "
            "accident: Review > Unprotect Sheet.",
        ),
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
    released = [p.release_date for s in classes for p in s.payments if p.release_date]
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
        chosen = {(security.cusip, security.tax_year) for security in classes}
        missing = [s for s in holdings.classes if (s.cusip, s.tax_year) not in chosen]
        if missing:
            raise TemplateSelectionError(
                f"holdings {holdings.source!r} hold "
                + ", ".join(f"{s.class_name} ({cusip_module.format(s.cusip)})" for s in missing)
                + ", which the workbook does not hold (choose them with --cusip, or their "
                "tax year with --year)"
            )
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
