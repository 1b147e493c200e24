"""How the workbook's cells look and print: number formats, fonts, widths, page setup.

Every sheet module writes its cells through these helpers, so that text from
data is always text (never a formula), numbers keep their printed digits and
every sheet prints the same way: landscape, one page wide, the header rows on
every page, and rows tall enough for their wrapped text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "yyyy-mm-dd"
FRACTION_FORMAT = "0.0000%"
PER_SHARE_FORMAT = "$#,##0.0000000"  # $0.5859375 in full
DOLLAR_FORMAT = "$#,##0.00"  # amounts show cents; the cell holds the exact figure
TEXT_FORMAT = "@"

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADING = Alignment(wrap_text=True, vertical="bottom")
UNLOCKED = Protection(locked=False)
TOP_ALIGNED = Alignment(vertical="top")
CENTRED = Alignment(horizontal="center")
LINE_HEIGHT = 15  # points: one line of the default 11-point font
TABLE_STYLE = "TableStyleMedium2"


def storable(text: str) -> str:
    """``text`` with the control characters a workbook cannot hold shown as U+FFFD (``�``).

    XML 1.0, and so .xlsx, has no way to write control characters other than
    tab and line breaks; openpyxl refuses them. A user's table may hold one
    (a stray escape code in a note): it shows as ``�`` rather than failing.
    """
    shown: str = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    return shown


def text(cell: Cell, value: str) -> Cell:
    """Store ``value`` as text, even when it starts with ``=``, ``+``, ``-`` or ``@``.

    Data is never a formula: openpyxl would make any string that starts with
    ``=`` a formula, and forcing the text type writes it as a string that
    Excel and LibreOffice show as it is, whatever it starts with.
    """
    value = storable(value)
    cell.value = value or None  # an empty text leaves the cell blank
    if value:
        cell.data_type = "s"
    return cell


def formula(cell: Cell, body: str, number_format: str | None = None) -> Cell:
    """A formula (``body`` without its ``=``), shown in ``number_format``."""
    cell.value = "=" + body
    if number_format:
        cell.number_format = number_format
    return cell


def value(cell: Cell, number: Decimal | dt.date | None, number_format: str) -> Cell:
    """A plain value: a ``Decimal`` is written with its own digits (``0.013268``)."""
    cell.value = number
    cell.number_format = number_format
    return cell


def quoted(name: str) -> str:
    """A sheet name as a formula writes it: quoted only where it must be (``'1099-DIV'``)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name):
        return name
    return "'" + name.replace("'", "''") + "'"


def set_widths(sheet: Worksheet, widths: Mapping[str, float]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width


def print_on_page_width(sheet: Worksheet, title_rows: str | None = None) -> None:
    """Landscape on Letter, one page wide (as many pages down as it takes), headings repeated."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_LETTER
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.gridLines = False
    sheet.oddFooter.center.text = "&A — page &P of &N"
    if title_rows:
        sheet.print_title_rows = title_rows


def protect(sheet: Worksheet) -> None:
    """Protect formulas from accidental edits; no password, widths and filters stay usable."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False


def titles(sheet: Worksheet, title: str, note: str, columns: int) -> None:
    """A title in A1, and a note in A2 wrapped across the sheet's ``columns``."""
    text(sheet["A1"], title).font = TITLE_FONT
    text(sheet["A2"], note).alignment = WRAP
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)


def headings(sheet: Worksheet, names: Sequence[str], row: int) -> list[Cell]:
    """Bold headings along ``row``, wrapped so that a narrow column shows all of its heading."""
    cells = []
    for index, name in enumerate(names, 1):
        cell = text(sheet.cell(row, index), name)
        cell.font = BOLD
        cell.alignment = HEADING
        cells.append(cell)
    return cells


def heading_width(heading: str, least: float) -> float:
    """A column's width: ``least``, or room for its bold heading's longest word if that is more."""
    return max(least, round(1.2 * max(map(len, heading.split()))) + 1)


def add_table(sheet: Worksheet, name: str, ref: str) -> Table:
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
    sheet.add_table(table)
    return table


def _column_width(sheet: Worksheet, column: int) -> float:
    width: float = sheet.column_dimensions[get_column_letter(column)].width
    return width


def _lines_of(words: str, per_line: int) -> int:
    """How many lines ``words`` wrap onto at ``per_line`` characters, breaking at spaces."""
    lines, used = 0, per_line
    for paragraph in words.split("\n"):
        lines, used = lines + 1, 0
        for word in paragraph.split():
            need = len(word) if not used else used + 1 + len(word)
            if need <= per_line:
                used = need
            else:
                lines += 1 if used else 0
                lines += (len(word) - 1) // per_line
                used = len(word) % per_line or per_line
    return max(lines, 1)


def fit_rows(sheet: Worksheet, cells: Iterable[Cell]) -> None:
    """Make the rows of ``cells`` tall enough for their wrapped text, once widths are set.

    Excel and LibreOffice keep the row heights a file gives (or none), so
    wrapped text would overlap the next row. A character is taken to be one
    unit of column width, less one for the cell's margins, and lines break at
    spaces, which errs on the tall side. Only the cells that can hold wrapped
    text are given: looking at every cell of a sheet of forty thousand
    payments would cost more than building it.
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
            lines = _lines_of(cell.value, max(int(width) - 1, 1))
            lines_of_row[cell.row] = max(lines_of_row.get(cell.row, 1), lines)
    tall = {row: lines for row, lines in lines_of_row.items() if lines > 1}
    for row, lines in tall.items():
        sheet.row_dimensions[row].height = LINE_HEIGHT * lines
    # The figures beside the text, at its top line. The cells the sheet holds are looked
    # at once: sheet[row] measures the whole sheet each time, and a sheet of payments
    # whose every row wraps its class name would take quadratic time.
    for (row, _), cell in sheet._cells.items():
        if row in tall and cell.value is not None and not cell.alignment.wrap_text:
            cell.alignment = TOP_ALIGNED
