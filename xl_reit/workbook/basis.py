"""The Basis sheet: each lot's cost basis after the year's return of capital, as formulas.

Written where the holdings give lots with a ``Cost``: a row per lot of a
class in the workbook, with its line, class, trade dates, shares and cost,
then (the rule of :mod:`xl_reit.basis`, as the form's instructions state it)::

    Return of capital $ = Shares × (dividend × return-of-capital fraction, added
                          over the payments the lot holds, on the Payments sheet)
    Basis after         = MAX(0, Basis at start − Return of capital $)
    Capital gain        = MAX(0, Return of capital $ − Basis at start)

Every one a live formula over this workbook's own cells, so a corrected
figure on the Release sheet, or a cost typed over, flows through. ``Basis at
start`` is ``MAX(0, Cost − Earlier return of capital $)``, the latter the
return of capital of the tables' earlier years for the class, added up (a
value: those years' figures are not in this workbook; ``xl-reit basis``
shows them year by year). A payment the lot holds that prints no return of capital makes its
basis "not known".
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..basis import carry
from ..holdings import Lot
from . import styles
from .layout import FIRST_ROW, HEADER_ROW, NOT_PRINTED, PAYMENTS_SHEET, Layout, is_nil
from .payments import class_cells, finish_listing

BASIS_TABLE = "Basis"
NOT_KNOWN = "not known"


def basis_headings(tax_year: int) -> tuple[str, ...]:
    """The Basis table's headings."""
    return (
        "Class",
        "CUSIP",
        "Ticker",
        "Issuer",
        "Line",
        "Acquired",
        "Sold",
        "Shares",
        "Cost",
        "Earlier return of capital $",
        f"Basis at start of {tax_year}",
        "Return of capital $",
        "Basis after",
        "Capital gain",
    )


def basis_lots(layout: Layout, lots: Sequence[Lot]) -> list[Lot]:
    """The lots the sheet shows: those with a Cost and shares, of a class in the workbook."""
    shown = {security.cusip for security in layout.classes}
    return [
        lot
        for lot in lots
        if lot.terms.cost is not None and lot.shares is not None and lot.security.cusip in shown
    ]


def _return_of_capital(layout: Layout, lot: Lot, shares: str) -> str | None:
    """The lot's return of capital this year as a formula body; ``None``: not printed."""
    payments = styles.quoted(PAYMENTS_SHEET) + "!"
    terms = []
    for held in lot.in_year(layout.tax_year):
        payment = held.payment
        if is_nil(payment):
            continue
        if payment.fraction("return_of_capital") is None:
            return None
        row = layout.row_of(payment)
        dividend = f"{payments}{layout.column('Dividend per share')}{row}"
        terms.append(f"{dividend}*{payments}{layout.figure_column('return_of_capital')}{row}")
    return f"{shares}*({'+'.join(terms)})" if terms else "0"


def _earlier(lot: Lot, tax_year: int) -> Decimal | None:
    """The lot's return of capital in the loaded years before ``tax_year``; ``None``: not known.

    Carried year by year, a basis is ``max(0, cost − each year's return of
    capital in turn)``, which is ``max(0, cost − their sum)``: so the earlier
    years are one figure, and the basis at the start of the year a formula
    over the cost.
    """
    years = carry(lot, (security.tax_year for security in lot.years), tax_year)
    earlier = [year.return_of_capital for year in years if year.tax_year < tax_year]
    if None in earlier:
        return None
    return sum((amount for amount in earlier if amount is not None), Decimal(0))


def build_basis(sheet: Worksheet, layout: Layout, title: str, lots: Sequence[Lot]) -> None:
    headings = basis_headings(layout.tax_year)
    column = {heading: get_column_letter(index) for index, heading in enumerate(headings, 1)}
    styles.titles(
        sheet,
        title,
        "Each lot's cost basis after this year's return of capital (box 3): shares × each "
        f"held payment's dividend × its return of capital fraction on the {PAYMENTS_SHEET} "
        "sheet; the yellow Shares and Cost are yours to correct. Return of capital beyond "
        "the basis is capital gain (Form 1099-DIV's instructions). The basis at the start "
        "of the year is the cost less the return of capital of the earlier years loaded "
        "(xl-reit basis shows them year by year).",
        len(headings),
    )
    styles.headings(sheet, headings, HEADER_ROW)
    year = layout.tax_year
    for row, lot in enumerate(lots, FIRST_ROW):
        class_cells(sheet, row, lot.security)
        styles.value(sheet[f"{column['Line']}{row}"], Decimal(lot.line), "0")
        for heading, day in (("Acquired", lot.terms.acquired), ("Sold", lot.terms.sold)):
            styles.value(sheet[f"{column[heading]}{row}"], day, styles.DATE_FORMAT)
        for heading, amount, shown in (
            ("Shares", lot.shares, "#,##0.#########"),
            ("Cost", lot.terms.cost, styles.DOLLAR_FORMAT),
        ):  # the lot's own figures, from the holdings: yours to correct
            cell = styles.value(sheet[f"{column[heading]}{row}"], amount, shown)
            cell.fill, cell.protection = styles.INPUT_FILL, styles.UNLOCKED
        earlier = _earlier(lot, year)
        earlier_cell = f"{column['Earlier return of capital $']}{row}"
        start_cell = f"{column[f'Basis at start of {year}']}{row}"
        roc = _return_of_capital(layout, lot, f"{column['Shares']}{row}")
        roc_cell = f"{column['Return of capital $']}{row}"
        if earlier is None:
            styles.text(sheet[earlier_cell], NOT_KNOWN)
            styles.text(sheet[start_cell], NOT_KNOWN)
        else:
            styles.value(sheet[earlier_cell], earlier, styles.DOLLAR_FORMAT)
            body = f"MAX(0,{column['Cost']}{row}-{earlier_cell})"
            styles.formula(sheet[start_cell], body, styles.DOLLAR_FORMAT)
        if roc is None:
            styles.text(sheet[roc_cell], NOT_PRINTED)
        else:
            styles.formula(sheet[roc_cell], roc, styles.DOLLAR_FORMAT)
        for heading, body in (
            ("Basis after", f"MAX(0,{start_cell}-{roc_cell})"),
            ("Capital gain", f"MAX(0,{roc_cell}-{start_cell})"),
        ):
            cell = sheet[f"{column[heading]}{row}"]
            if earlier is None or roc is None:
                styles.text(cell, NOT_KNOWN)
            else:
                styles.formula(cell, body, styles.DOLLAR_FORMAT)
    last_row = FIRST_ROW + len(lots) - 1
    styles.add_table(sheet, BASIS_TABLE, f"A{HEADER_ROW}:{column[headings[-1]]}{last_row}")
    widths = {letter: styles.heading_width(heading, 11.0) for heading, letter in column.items()}
    widths["A"], widths["D"] = 22, 20
    wrapped = [sheet.cell(row, index) for row in range(FIRST_ROW, last_row + 1) for index in (1, 4)]
    finish_listing(sheet, widths, wrapped)
