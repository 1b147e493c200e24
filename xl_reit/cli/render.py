"""How the command line shows figures: exact decimals, percentages, cents, tables, CSV and JSON.

Figures are shown exactly where a program reads them (``--format csv`` and
``json`` give exact decimal strings) and rounded only where a person reads
them: the terminal table of ``1099`` rounds dollars to cents, half up, as the
workbook shows them. Nothing here computes a figure; it only shows one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from .. import csvsafe
from .. import cusip as cusip_module
from ..basis import carry
from ..components import COMPONENTS
from ..form1099 import Box, Form1099DIV, FormLine, shown_figures
from ..holdings import Lot
from ..holdings.broker import Difference
from ..model import Payment, SecurityClass, named

__all__ = [
    "basis_text",
    "check_text",
    "dollars",
    "exact",
    "form_csv",
    "form_json",
    "form_table",
    "json_text",
    "lite_steps",
    "lots_text",
    "payments_table",
    "percent",
    "render_table",
]

CENT = Decimal("0.01")
#: A percentage with more decimals than this is a quotient, shown rounded (and marked ≈).
MAX_PLACES = 10


def exact(value: Decimal) -> str:
    """A computed figure as an exact decimal string, without exponent or trailing zeros.

    >>> exact(Decimal("0.79608000")), exact(Decimal("1E+2"))
    ('0.79608', '100')
    """
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def percent(fraction: Decimal) -> str:
    """A fraction as an exact percentage with at least four decimals: ``1.3268%``.

    >>> percent(Decimal("0.013268")), percent(Decimal("0.5")), percent(Decimal(1) / 3)
    ('1.3268%', '50.0000%', '≈33.3333333333%')
    """
    value = fraction * 100
    exponent = value.normalize().as_tuple().exponent
    places = max(4, -exponent) if isinstance(exponent, int) else 4
    if places > MAX_PLACES:  # a quotient of printed dollars: as many digits as matter
        return f"≈{value:.{MAX_PLACES}f}%"
    return f"{value:.{places}f}%"


def dollars(amount: Decimal) -> str:
    """Dollars rounded to cents, half up, as the workbook shows them: ``$1,234.57``.

    >>> dollars(Decimal("1234.565"))
    '$1,234.57'
    """
    return f"${amount.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def render_table(headings: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell; cells that look like figures align right."""
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(headings, *rows, strict=True)
    ]
    numeric = [
        all(_looks_numeric(row[index]) for row in rows if row[index])
        and any(row[index] for row in rows)
        for index in range(len(headings))
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(cells, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([line(headings), *(line(row) for row in rows)])


def _looks_numeric(text: str) -> bool:
    return text.lstrip("$-").replace(",", "").replace(".", "", 1).rstrip("%").isdigit()


def json_text(value: Any) -> str:
    """JSON for people and programs: indented, non-ASCII kept as it is."""
    return json.dumps(value, indent=2, ensure_ascii=False)


# ------------------------------------------------------------------ payments


def _class_title(security: SecurityClass) -> str:
    return (
        f"{security.issuer}: {security.class_name} — {cusip_module.format(security.cusip)} "
        f"({security.symbol}), tax year {security.tax_year}"
    )


def _payment_cells(payment: Payment, figures: Sequence[str], split: bool) -> list[str]:
    dividend = payment.dividend_per_share
    printed = [payment.printed.get(name) for name in figures]
    other = (
        [f"{payment.other_tax_year}" + (f" ${payment.other_year}" if payment.other_year else "")]
        if split
        else []
    )
    return [
        "Annual"
        if payment.is_annual
        else payment.record_date.isoformat()
        if payment.record_date
        else "not printed",
        payment.payable_date.isoformat() if payment.payable_date else "",
        "" if dividend is None else f"${dividend:f}",
        *("" if figure is None else str(figure) for figure in printed),
        *(other if payment.is_split else [""] * len(other)),
        payment.origin.short(),
    ]


def _notes(security: SecurityClass) -> list[str]:
    """The table's notes on the class's lines (repairs, figures that break the form's nesting,
    a ticker not printed), then what the checks found; each text once, with its lines."""
    lines: dict[str, dict[str, list[str]]] = {}
    for line in security.lines:
        for note in ([line.notes] if line.notes else []) + list(line.findings):
            files = lines.setdefault(note, {})
            files.setdefault(line.origin.name, []).append(str(line.origin.line or ""))
    where = {
        note: "; ".join(f"{name}:{','.join(numbers)}" for name, numbers in files.items())
        for note, files in lines.items()
    }
    return [f"  {places}: {note}" for note, places in where.items()]


def _class_table(security: SecurityClass, figures: Sequence[str]) -> str:
    """One class-year's lines as printed, and what its checks accepted or derived."""
    split = any(line.is_split for line in security.lines)
    headings = [
        "Record date",
        "Payable date",
        "Dividend",
        *(COMPONENTS[name].label for name in figures),
        *(["Other year"] if split else []),
        "From",
    ]
    rows = [_payment_cells(line, figures, split) for line in security.lines]
    notes = _notes(security)
    if security.annual_only:
        notes.insert(0, "  the release prints only annual totals for this class")
    return "\n".join([_class_title(security), render_table(headings, rows), *notes])


def payments_table(classes: Sequence[SecurityClass]) -> str:
    """Each class's payments and printed annual line as the release prints them, for people.

    Each class shows the figures its own release prints: Aimco's five parts,
    W. P. Carey's boxes.
    """
    return (
        "\n\n".join(_class_table(security, shown_figures([security])) for security in classes)
        + "\n\nFigures as printed: dollars per share, or percentages of each payment's dividend; "
        "blank where the release prints none. Other year: the tax year that reports the rest "
        "of a payment split between years (and the part allocable to it, where printed). "
        "From: the table file and line each row was loaded from."
    )


# ---------------------------------------------------------------- 1099-DIV


def _exact(amount: Decimal | None) -> str:
    return "" if amount is None else exact(amount)


def _dollars(amount: Decimal | None) -> str:
    return "not printed" if amount is None else dollars(amount)


def _column(box: Box) -> str:
    return f"box_{box.number}" if box.number else box.component.name


def _form_records(form: Form1099DIV) -> list[dict[str, str]]:
    rows = [
        {
            "tax_year": str(form.tax_year),
            "class_name": line.security.class_name,
            "cusip": line.security.cusip,
            "symbol": line.security.symbol,
            **{_column(box): _exact(line.amounts[box.key]) for box in form.boxes},
        }
        for line in form.lines
    ]
    rows.append(
        {
            "tax_year": str(form.tax_year),
            "class_name": "Total",
            "cusip": "",
            "symbol": "",
            **{_column(box): _exact(form.total[box.key]) for box in form.boxes},
        }
    )
    return rows


def form_csv(forms: Sequence[Form1099DIV]) -> str:
    """Every form's classes and totals as CSV, exact figures, one row per class and year.

    A box the release does not print for a class is blank (never 0).
    """
    records = [record for form in forms for record in _form_records(form)]
    headings = list(dict.fromkeys(key for record in records for key in record))
    return csvsafe.to_csv([headings, *([r.get(h, "") for h in headings] for r in records)])


def _json_amount(amount: Decimal | None) -> str | None:
    return None if amount is None else exact(amount)


def form_json(form: Form1099DIV) -> dict[str, Any]:
    """One form as JSON-ready data: each box's meaning, each class's amounts, the total.

    A box the release does not print for a class is ``null``.
    """
    return {
        "tax_year": form.tax_year,
        "boxes": {
            box.key: {"component": box.component.name, "description": box.component.description}
            for box in form.boxes
        },
        "classes": [
            {
                "class_name": line.security.class_name,
                "cusip": line.security.cusip,
                "symbol": line.security.symbol,
                "held_all_year": line.all_year,
                "amounts": {box.key: _json_amount(line.amounts[box.key]) for box in form.boxes},
                "notes": _form_notes(line),
            }
            for line in form.lines
        ],
        "total": {box.key: _json_amount(form.total[box.key]) for box in form.boxes},
    }


def form_table(form: Form1099DIV, source: str) -> str:
    """One form for people: a row per class and the total, in cents, and what each box holds."""
    headings = ["Class", "CUSIP", *(box.heading for box in form.boxes)]
    rows = [
        [
            named(line.security),
            cusip_module.format(line.security.cusip),
            *(_dollars(line.amounts[box.key]) for box in form.boxes),
        ]
        for line in form.lines
    ]
    rows.append(["Total", "", *(_dollars(form.total[box.key]) for box in form.boxes)])
    legend = "\n".join(f"  {box.heading}: {box.component.description}" for box in form.boxes)
    all_year = [
        f"  {named(line.security)}: the release prints only annual "
        "totals; the shares are taken as held all year"
        for line in form.lines
        if line.all_year
    ]
    notes = [
        f"  {named(line.security)}: {note}" for line in form.lines for note in _form_notes(line)
    ]
    return "\n".join(
        [
            f"Form 1099-DIV, tax year {form.tax_year}, from {source}",
            render_table(headings, rows),
            "",
            "Dollars rounded to cents (half up), each figure and the total from exact amounts; "
            "--format json gives them unrounded. Not printed: the release prints no such "
            "figure for the class.",
            legend,
            *all_year,
            *notes,
        ]
    )


def _form_notes(line: FormLine) -> list[str]:
    """What a form's reader must know of a class's figures: the table's notes (a repair,
    figures that break the form's nesting, a ticker not printed) and, where a payment's
    printed parts add up to more than its dividend, what its check found; each once."""
    notes: dict[str, None] = {}
    for payment in line.security.lines:
        notes.update(dict.fromkeys(piece for piece in payment.notes.split("; ") if piece))
        if payment.parts_excess is not None:
            notes.update(dict.fromkeys(payment.findings))
    return list(notes)


def lite_steps(folder: Path, main_py_bytes: int, *, from_pypi: bool) -> str:
    """What ``xl-reit lite`` wrote, and the steps that make the functions work in Excel."""
    lines = [
        f"wrote {folder / 'main.py'} ({main_py_bytes:,} bytes) and {folder / 'requirements.txt'}",
        "In Excel (Windows, Mac or the web) with the xlwings Lite add-in: open xlwings Lite, "
        "replace the whole text of its main.py and requirements.txt tabs with these files' "
        "text, then choose Restart in its menu. =REIT_ALLOC(...) and the other REIT_* "
        "functions then work as in Excel on Windows.",
    ]
    if from_pypi:
        lines.append(
            "requirements.txt names xl-reit's release: Lite installs it from PyPI, so it "
            "works once that release is published there; without --from-pypi, main.py "
            "carries xl-reit itself."
        )
    return "\n".join(lines)


# ------------------------------------------------------------ lots and basis


def _lot_title(lot: Lot) -> str:
    """``line 2, Common Stock (STAG), acquired 2023-06-01, sold 2024-03-01``."""
    terms = lot.terms
    dates = "".join(
        f", {word} {day.isoformat()}"
        for word, day in (("acquired", terms.acquired), ("sold", terms.sold))
        if day is not None
    )
    return f"line {lot.line}, {named(lot.security)}{dates}"


def lots_text(lots: Sequence[Lot], tax_year: int) -> str:
    """Which of the year's payments each lot holds, and the rule that placed each one."""
    placed = [
        (lot, [p for p in lot.terms.placements if p[0].tax_year == tax_year])
        for lot in lots
        if lot.terms.placements
    ]
    if not placed:
        return ""
    lines = [
        "Lots: a lot receives a payment when it is held on the payment's ex-dividend date "
        "(bought before it, not sold before it)"
    ]
    for lot, placements in placed:
        lines.append(f"  {_lot_title(lot)}:")
        lines.extend(
            f"    {'holds' if held else 'not  '} {_payable_text(payment)}: {placement.rule}"
            for payment, placement, held in placements
        )
    return "\n".join(lines)


def _payable_text(payment: Payment) -> str:
    return f"the payment of {payment.payable_date}" if payment.payable_date else "the year"


def basis_rows(lots: Sequence[Lot], through: int | None = None) -> list[list[str]]:
    """A row per lot with a cost and year: basis before, return of capital, after, gain."""
    rows = []
    for lot in lots:
        if lot.terms.cost is None:
            continue
        for year in carry(lot, (s.tax_year for s in lot.years), through):
            rows.append(
                [
                    str(lot.line),
                    named(lot.security),
                    str(year.tax_year),
                    _dollars_or(year.before),
                    _dollars_or(year.return_of_capital),
                    _dollars_or(year.after),
                    _dollars_or(year.capital_gain),
                ]
            )
    return rows


BASIS_HEADINGS = (
    "Line",
    "Class",
    "Tax year",
    "Basis before",
    "Return of capital",
    "Basis after",
    "Capital gain",
)


def _dollars_or(amount: Decimal | None) -> str:
    return "not known" if amount is None else dollars(amount)


def basis_text(lots: Sequence[Lot], through: int | None = None) -> str:
    """Each lot's cost basis after return of capital (box 3), year by year, for people."""
    rows = basis_rows(lots, through)
    if not rows:
        return ""
    return "\n".join(
        [
            "Cost basis after return of capital (box 3), per lot with a Cost, carried across "
            "the tax years loaded; return of capital beyond the basis is capital gain",
            render_table(BASIS_HEADINGS, rows),
            *(
                f"  line {lot.line}: bought before tax year {lot.years[0].tax_year}, the first "
                "year loaded: return of capital of earlier years is not counted"
                for lot in lots
                if lot.terms.cost is not None
                and (lot.terms.acquired is None or lot.terms.acquired.year < lot.years[0].tax_year)
            ),
        ]
    )


# ------------------------------------------------------------------ --check


def check_text(found: Sequence[Difference], broker: str, tax_year: int) -> str:
    """The boxes where the broker's form differs from ours, with the payments behind ours."""
    if not found:
        return f"Checked {broker}: every box agrees with ours to the cent (tax year {tax_year})."
    lines = [f"Checked {broker}: {len(found)} box{'es' if len(found) != 1 else ''} differ:"]
    for difference in found:
        ours = "not printed" if difference.ours is None else dollars(difference.ours)
        lines.append(
            f"  {cusip_module.format(difference.security)} {difference.box.heading}: broker "
            f"{dollars(difference.broker)}, ours {ours}"
            + (f" (exactly {exact(difference.ours)})" if difference.ours is not None else "")
        )
        for part in difference.behind:
            held = (f"{exact(part.shares)} shares" if part.shares is not None else "") + (
                f"${exact(part.received)} received" if part.received is not None else ""
            )
            amount = "not printed" if part.amount is None else f"${exact(part.amount)}"
            lines.append(f"    {_payable_text(part.payment)}: {held}: {amount}")
    return "\n".join(lines)


def basis_json(lots: Sequence[Lot], through: int | None = None) -> list[dict[str, Any]]:
    """Each lot's basis year by year as JSON-ready data (exact figures; ``null``: not known)."""
    return [
        {
            "line": lot.line,
            "cusip": lot.security.cusip,
            "acquired": lot.terms.acquired.isoformat() if lot.terms.acquired else None,
            "sold": lot.terms.sold.isoformat() if lot.terms.sold else None,
            "cost": _json_amount(lot.terms.cost),
            "years": [
                {
                    "tax_year": year.tax_year,
                    "basis_before": _json_amount(year.before),
                    "return_of_capital": _json_amount(year.return_of_capital),
                    "basis_after": _json_amount(year.after),
                    "capital_gain": _json_amount(year.capital_gain),
                }
                for year in carry(lot, (s.tax_year for s in lot.years), through)
            ],
        }
        for lot in lots
        if lot.terms.cost is not None
    ]


def check_json(found: Sequence[Difference]) -> list[dict[str, Any]]:
    """The boxes that differ from the broker's form, as JSON-ready data (exact figures)."""
    return [
        {
            "cusip": difference.security,
            "box": difference.box.key,
            "broker": exact(difference.broker),
            "ours": _json_amount(difference.ours),
            "payments": [
                {
                    "payable_date": part.payment.payable_date.isoformat()
                    if part.payment.payable_date
                    else None,
                    "tax_year": part.payment.tax_year,
                    "shares": _json_amount(part.shares),
                    "received": _json_amount(part.received),
                    "amount": _json_amount(part.amount),
                }
                for part in difference.behind
            ],
        }
        for difference in found
    ]


def lots_json(lots: Sequence[Lot], tax_year: int) -> list[dict[str, Any]]:
    """Which of the year's payments each lot holds, and the rule that placed each (JSON)."""
    return [
        {
            "line": lot.line,
            "cusip": lot.security.cusip,
            "payments": [
                {
                    "payable_date": payment.payable_date.isoformat()
                    if payment.payable_date
                    else None,
                    "ex_date": placement.ex_date.isoformat(),
                    "rule": placement.rule,
                    "held": held,
                }
                for payment, placement, held in lot.terms.placements
                if payment.tax_year == tax_year
            ],
        }
        for lot in lots
        if lot.terms.placements
    ]
