"""A broker's Form 1099-DIV, read from its file and checked against the holdings' own.

Brokers issue Form 1099-DIV in February, often before every REIT has
published (or corrected) how its payments split, and then issue corrected
forms. The question a tax preparer asks most is whether the broker's form is
right; ``xl-reit 1099 holdings.csv --check broker.csv`` answers it box by box.

A broker file is CSV or ``.xlsx`` (first sheet), like a holdings file, with a
header line naming a security column (``CUSIP``, ``ISIN``, ``Symbol``,
``Ticker``, ``Security``) and a column per box the broker reported. A box
column is named as brokers' downloadable 1099 detail names them: by the box
(``Box 1a``, ``1b``, ``Box 2a Total Capital Gain Distr.``) or by the box's
name on the form (``Total Ordinary Dividends``, ``Qualified Dividends``,
``Nondividend Distributions``, ``Section 199A Dividends``), read in the
form's edition for the tax year. Other columns are ignored; lines for one
security add up (a detail that lists each payment), and a blank box cell is
no amount.

A box *differs* when the broker's amount and ours differ by more than a cent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import lookup
from ..components import COMPONENTS, boxes_for_year, resolve
from ..errors import HoldingsFileError, Problem, XlReitError, shown
from ..form1099 import Box, Contribution, Form1099DIV, contributions
from ..table import AllocationTable, default_table
from . import file_rows, files
from .lines import SECURITY_COLUMNS, Holdings, TextFormat, _column_key
from .lines import dollars as _dollars

__all__ = ["BrokerForm", "Difference", "differences", "read_broker"]

#: How far the broker's box may be from ours and still agree: a cent.
TOLERANCE = Decimal("0.01")
_BOX = re.compile(r"^\s*(?:box\s*)?(\d{1,2}[a-z]?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class BrokerForm:
    """A broker's boxes per class (``cusip`` → box key → dollars), and the lines they came from."""

    source: str
    boxes: dict[str, dict[str, Decimal]]
    lines: dict[str, tuple[int, ...]]


@dataclass(frozen=True)
class Difference:
    """A box where the broker's amount and ours differ beyond a cent.

    ``ours`` is ``None`` where the release prints no such figure for the
    class; ``behind`` the payments our amount adds up.
    """

    security: str
    box: Box
    broker: Decimal
    ours: Decimal | None
    behind: tuple[Contribution, ...]


def _box_key(header: Any, tax_year: int) -> str | None:
    """The box a header names, as :attr:`Box.key` (``"1a"``), or ``None`` for another column."""
    text = str(header or "").strip()
    if not text:
        return None
    names = [text]
    match = _BOX.match(text)
    if match:
        names.append(f"Box {match.group(1)}")
    for name in names:
        try:
            component = resolve(name, tax_year)
        except XlReitError:
            continue
        for number, figure in _form(tax_year).items():
            if figure == component.name:
                return number
        return component.name
    return None


def _form(tax_year: int) -> dict[str, str]:
    """The boxes of the tax year's edition: ``"1a"`` → the figure's name."""
    return dict(boxes_for_year(tax_year))


def read_broker(
    path: str | Path, tax_year: int, table: AllocationTable | None = None
) -> BrokerForm:
    """The broker's boxes per class from its file (see the module doc).

    Raises :class:`~xl_reit.errors.HoldingsFileError` naming file, line and
    column for every bad cell.
    """
    source = str(path)
    table = table or default_table()
    found, text_format = file_rows(Path(path), source, "the broker's file")
    rows = list(found)
    header_at = next((i for i, (_, row) in enumerate(rows) if any(map(_filled, row))), None)
    if header_at is None:
        raise files.file_error(source, "the broker's file is empty; give a header line first")
    header_line, header = rows[header_at]
    keys = [_column_key(name) for name in header]
    security = [index for index, key in enumerate(keys) if key in SECURITY_COLUMNS]
    box_columns = {
        index: key
        for index, name in enumerate(header)
        if index not in security and (key := _box_key(name, tax_year)) is not None
    }
    if not security or not box_columns:
        columns = ", ".join(shown(str(name)) for name in header if _filled(name)) or "none"
        raise HoldingsFileError(
            [
                Problem(
                    source,
                    header_line,
                    None,
                    "a broker's file names a security column "
                    f"({', '.join(SECURITY_COLUMNS)}) and box columns (Box 1a, Qualified "
                    f"Dividends …); found: {columns}",
                )
            ]
        )
    problems: list[Problem] = []
    boxes: dict[str, dict[str, Decimal]] = {}
    lines: dict[str, list[int]] = {}
    for line, row in rows[header_at + 1 :]:
        cells = list(row) + [None] * (len(header) - len(row))
        named = [(str(header[i]), cells[i]) for i in security if _filled(cells[i])]
        if not named:
            continue
        cusip = _security(named, table, source, line, problems)
        if cusip is None:
            continue
        amounts = boxes.setdefault(cusip, {})
        lines.setdefault(cusip, []).append(line)
        for index, key in box_columns.items():
            value = cells[index]
            if not _filled(value):
                continue
            try:
                dollars = _dollars(value, str(header[index]), text_format or TextFormat())
            except XlReitError as error:
                problems.append(Problem(source, line, str(header[index]), str(error)))
                continue
            amounts[key] = amounts.get(key, Decimal(0)) + dollars
    if problems:
        raise HoldingsFileError(problems)
    return BrokerForm(source, boxes, {cusip: tuple(found) for cusip, found in lines.items()})


def _security(
    named: list[tuple[str, Any]],
    table: AllocationTable,
    source: str,
    line: int,
    problems: list[Problem],
) -> str | None:
    """The class a line's security cells name: the first that names one (a CUSIP column
    beside a description that names none, say); else the first one's problem."""
    first: Problem | None = None
    for column, value in named:
        try:
            return lookup.find_class(value, table, argument=column).cusip
        except XlReitError as error:
            first = first or Problem(source, line, column, str(error))
    if first is not None:
        problems.append(first)
    return None


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def differences(
    form: Form1099DIV, holdings: Holdings, broker: BrokerForm
) -> tuple[Difference, ...]:
    """Every box where the broker's form and ours differ by more than a cent.

    A class the broker reports that the holdings do not hold counts as ours
    being $0 for each box the broker gives.
    """
    found = []
    ours = {line.security.cusip: line for line in form.lines}
    boxes = {box.key: box for box in form.boxes}
    edition = _form(form.tax_year)
    for cusip, reported in broker.boxes.items():
        line = ours.get(cusip)
        for key in reported:
            box = boxes.get(key) or Box(
                key if key in edition else None, COMPONENTS[edition.get(key, key)]
            )
            amount = Decimal(0) if line is None else line.amounts.get(key)
            theirs = reported[box.key]
            if amount is not None and abs(amount - theirs) <= TOLERANCE:
                continue
            behind = (
                ()
                if line is None
                else contributions(line.security, box, holdings.shares_for, holdings.amount_for)
            )
            found.append(Difference(cusip, box, theirs, amount, behind))
    return tuple(found)
