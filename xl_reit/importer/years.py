"""Step 12a: which tax years report each payment — a payment split between two years.

A January payment of a December record date may be reported partly in each
year's Form 1099-DIV, and a release proves it in one of two ways:

* a column allocates part of the payment to another year ("Allocable to
  2023"): the row's payment is the *distribution*, that column the part of
  the other year, and the dividend of this year the difference;
* a row prints the payment's dates and no figure: none of it is this
  year's, all of it the year it is paid in ("12/31/24 · 01/15/25" in a 2024
  release).

A row printed with no figure (or with nils, "-", alone) in the release's own
year, its dates not straddling the year's edge, is a payment none of whose
figures the release gives for any year ("12/15/17 - - - - -" under a class
redeemed before it). Where the class prints an annual line it is left out of
the table, and said: the annual line then proves that nothing was paid on it,
as the table checks that it equals the sum of the other payments. Without an
annual line nothing proves it, and the class is refused.

Each is written as the table writes a split payment (``distribution``,
``other_year``, ``other_tax_year``; :mod:`xl_reit.tablefile`). Nothing else in
one release proves a split: a row whose dates straddle the year's edge, even
under columns headed with the tax year ("2024 Ordinary"), may be wholly this
year's (STAG's 2023 release prints its 12/30/22 · 01/17/23 payment whole). Such
a row is written as printed, with no other year; what proves it split is the
other year's release printing the same payment, and the two years' tables,
imported apart, load together as its two parts
(:func:`xl_reit.assemble.across_years`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .classes import ClassRead
from .model import NoteRank, Row, TableRead, payment_name, value_of
from .report import Findings

_YEAR = re.compile(r"(?:19|20)\d{2}")


@dataclass(frozen=True)
class Years:
    """How a payment's line is split between tax years, as the table writes it."""

    dividend: Decimal | None
    distribution: Decimal | None = None
    other_year: Decimal | None = None
    other_tax_year: int | None = None


def payment_years(found: ClassRead, tax_year: int, findings: Findings) -> list[Years] | None:
    """Each payment's tax years, in order; ``None`` after a problem (the class is not written).

    A row printed blank in its own year, under an annual line (see the module doc), is
    first left out of ``found``.
    """
    _leave_out_blank(found, tax_year, findings)
    other = _allocated_year(found, tax_year, findings)
    result = []
    for row in found.payments:
        years = _years(row, found, tax_year, other, findings)
        if years is None:
            return None
        result.append(years)
    return result


def _years(
    row: Row,
    found: ClassRead,
    tax_year: int,
    other: int | None,
    findings: Findings,
) -> Years | None:
    assert row.payable and row.payable.day
    payable = row.payable.day.year
    if row.blank:
        if payable <= tax_year:
            findings.add(
                "problem",
                f"{payment_name(row)}: printed with no figures, though paid in {payable}; "
                "nothing of it can be written",
                sorted(row.lines),
                found.class_name,
            )
            return None
        _say(row, found, findings, f"printed with no figures: the payment is {payable}'s")
        return Years(None, other_tax_year=payable)
    dividend = value_of(row, "dividend")
    cell = row.cells.get("other_year")
    if cell is not None and cell.value is not None:
        if cell.value and other is None:
            assert row.record and row.record.day
            other = _dated_year(row.record.day.year, payable, tax_year)
        if cell.value and other is None:
            findings.add(
                "problem",
                f"{payment_name(row)}: {cell.text} is allocable to another year, but the "
                "column's header names no year other than the release's",
                sorted(row.lines),
                found.class_name,
            )
            return None
        return Years(None, dividend, cell.value, other if cell.value else None)
    return Years(dividend)


def _leave_out_blank(found: ClassRead, tax_year: int, findings: Findings) -> None:
    """Leave out the rows printed blank in their own year where an annual line proves that
    nothing was paid on them (the table checks it equals the other payments added up)."""
    if found.annual is None:
        return
    kept = []
    for index, row in enumerate(found.payments):
        assert row.payable and row.payable.day
        record = row.record.day.year if row.record and row.record.day else tax_year
        if row.blank and record == row.payable.day.year == tax_year:
            findings.add(
                "reading",
                f"{payment_name(row)}: printed with no figures in its own year: nothing was "
                "paid on it, as the annual line, the sum of the other payments, proves; left "
                "out of the table",
                sorted(row.lines),
                found.class_name,
            )
            continue
        kept.append(index)
    if len(kept) < len(found.payments):
        found.payments = [found.payments[i] for i in kept]
        found.printed = [found.printed[i] for i in kept if i < len(found.printed)]


def _dated_year(record: int, payable: int, tax_year: int) -> int | None:
    """The other year of a payment whose dates straddle the tax year's edge, if they do."""
    years = {record, payable} - {tax_year}
    return years.pop() if len(years) == 1 and tax_year in (record, payable) else None


def _say(row: Row, found: ClassRead, findings: Findings, text: str) -> None:
    row.note(NoteRank.DATES, 1, text)
    findings.add("reading", f"{payment_name(row)}: {text}", sorted(row.lines), found.class_name)


def _allocated_year(found: ClassRead, tax_year: int, findings: Findings) -> int | None:
    """The year an "Allocable to 2023" column gives its figures to."""
    read = found.source.get("other_year")
    if read is None:
        return None
    years = {int(year) for year in _header_years(read, "other_year")} - {tax_year}
    if len(years) != 1:
        return None
    return years.pop()


def _header_years(read: TableRead, kind: str) -> list[str]:
    column = next(c for c in read.columns if c.kind == kind)
    return [t.text for t in column.header if _YEAR.fullmatch(t.text)]
