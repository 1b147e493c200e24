"""Where everything goes: the sheets' names, their columns, and the row of every payment.

Every sheet module places its cells, and addresses the other sheets' cells,
through one :class:`Layout`, made once per workbook by :func:`layout`: the
Payments sheet's columns by heading, each line's row on Payments and on
Release, and whether the figures are the workbook's own (``live`` false:
formulas over the Release sheet's printed figures) or come live from the
``REIT_*`` functions of the xlwings add-in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from ..components import COMPONENTS
from ..errors import TemplateSelectionError
from ..form1099 import Box, answered, form_boxes, shown_figures
from ..model import Payment, SecurityClass
from .styles import quoted

PAYMENTS_SHEET = "Payments"
PAYMENTS_TABLE = "Payments"
AMOUNTS_SHEET = "Amounts"
AMOUNTS_TABLE = "Amounts"
FORM_SHEET = "1099-DIV"
FORM_TABLE = "Form1099DIV"
BASIS_SHEET = "Basis"
RELEASE_SHEET = "Release"
CHART_SHEET = "Chart"
ABOUT_SHEET = "About"
CONFIG_SHEET = "xlwings.conf"
UDF_MODULES = "xl_reit.udfs"

#: Rows of the Payments and 1099-DIV sheets: a title, a note, a status, then the table.
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
#: The Release sheet: a title and a note, then a section per class from this row.
RELEASE_FIRST_ROW = 4
#: The Release sheet's columns before the figures: CUSIP, the two dates, the dividend.
RELEASE_FIGURES_FROM = 5

NOT_PRINTED = "not printed"
NONE_THIS_YEAR = "none this year"

#: Who a class is, on every sheet that lists one: beside its name and CUSIP.
CLASS_COLUMNS = ("Class", "CUSIP", "Ticker", "Issuer")
FIXED_COLUMNS = (
    *CLASS_COLUMNS,
    "Record date",
    "Payable date",
    "Dividend per share",
    "Shares held",
)


#: The Amounts sheet's columns before the dollars: who, which payment, how many shares.
AMOUNTS_FIXED = (*CLASS_COLUMNS, "Payable date", "Shares held")


def payments_columns(figures: Sequence[str]) -> tuple[str, ...]:
    """The Payments table's column headings for the figures shown (``figures``' order)."""
    return (*FIXED_COLUMNS, *(COMPONENTS[name].label for name in figures), "Total")


def amounts_columns(figures: Sequence[str]) -> tuple[str, ...]:
    """The Amounts table's column headings: a dollar column per figure shown."""
    return (*AMOUNTS_FIXED, *(f"{COMPONENTS[name].label} $" for name in figures))


def lines_of(security: SecurityClass) -> tuple[Payment, ...]:
    """A class's rows on the Payments sheet: its payments, or its year if it prints no payments."""
    return security.payments or (security.annual,)


def is_nil(line: Payment) -> bool:
    """A payment of which nothing is reported in this tax year (it belongs to the next)."""
    return line.dividend_per_share is not None and not line.dividend_per_share


def iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "date not recorded"


def _key(line: Payment) -> tuple[str, dt.date | None]:
    return (line.cusip, line.payable_date)


@dataclass(frozen=True)
class Layout:
    """Where things are: column letters by heading, and the row of each payment.

    ``figures`` are the figure columns of the Payments sheet: every figure a
    class prints, and any box of the form that no printed figure makes up.
    ``live`` says whether the figures are ``REIT_*`` calls through the add-in.
    A payment has the same row on the Payments and the Amounts sheet; the
    Amounts sheet's columns are ``amounts`` (letters by heading).
    """

    tax_year: int
    live: bool
    figures: tuple[str, ...]
    boxes: tuple[Box, ...]
    classes: tuple[SecurityClass, ...]
    columns: dict[str, str]
    indexes: dict[str, int]
    amounts: dict[str, str]
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
        """The Amounts sheet's column of a figure's dollars."""
        return self.amounts[f"{COMPONENTS[name].label} $"]

    def span(self, column: str) -> str:
        """A whole column of the Amounts table's data, as an absolute cross-sheet range."""
        return f"{quoted(AMOUNTS_SHEET)}!${column}${FIRST_ROW}:${column}${self.last_row}"

    def row_of(self, line: Payment) -> int:
        """The payment's row on the Payments sheet."""
        return self.rows[_key(line)]

    def release_row_of(self, line: Payment) -> int:
        """The payment's row on the Release sheet."""
        return self.release_rows[_key(line)]

    def release_column(self, name: str) -> str:
        """The Release sheet's column of a figure, as printed."""
        letter: str = get_column_letter(RELEASE_FIGURES_FROM + self.figures.index(name))
        return letter

    @property
    def release_headings(self) -> tuple[str, ...]:
        return (
            "CUSIP",
            "Record date",
            "Payable date",
            "Dividend per share",
            *(COMPONENTS[name].label for name in self.figures),
            "Check",
            "Notes",
        )

    @property
    def release_check_index(self) -> int:
        return self.release_headings.index("Check") + 1

    def release_checks(self) -> str:
        """The Release sheet's Check column, whole, as an absolute cross-sheet range."""
        check = get_column_letter(self.release_check_index)
        return f"{quoted(RELEASE_SHEET)}!${check}$1:${check}${self.release_last_row}"


def _figure_columns(classes: Sequence[SecurityClass], boxes: Sequence[Box]) -> tuple[str, ...]:
    """Every figure the classes print, and each box that no printed figure makes up."""
    shown = set(shown_figures(classes))
    shown |= {box.component.name for box in boxes if not box.parts(sorted(shown))}
    return tuple(name for name in COMPONENTS if name in shown)


def layout(classes: Sequence[SecurityClass], *, live: bool = False) -> Layout:
    """The layout of the workbook of ``classes`` (one tax year, in the order given)."""
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
    amounts = {
        heading: get_column_letter(index)
        for index, heading in enumerate(amounts_columns(figures), 1)
    }
    rows: dict[tuple[str, dt.date | None], int] = {}
    release_rows: dict[tuple[str, dt.date | None], int] = {}
    release_row = RELEASE_FIRST_ROW
    for security in classes:
        release_row += 2  # the class's heading, then the column headings
        for line in lines_of(security):
            rows[_key(line)] = FIRST_ROW + len(rows)
            release_rows[_key(line)] = release_row
            release_row += 1
        release_row += 1 if security.annual_only else 2  # the annual line, then a blank row
    return Layout(
        years[0],
        live,
        figures,
        boxes,
        tuple(classes),
        columns,
        indexes,
        amounts,
        rows,
        release_rows,
        release_row - 1,
    )


def title(classes: Sequence[SecurityClass]) -> str:
    """The workbook's title: its issuers and tax year (years, for a basis across several)."""
    issuers = ", ".join(dict.fromkeys(security.issuer for security in classes))
    years = sorted({security.tax_year for security in classes})
    listed = ", ".join(map(str, years))
    return f"{issuers}: dividend tax allocation, tax year{'s' if len(years) > 1 else ''} {listed}"
