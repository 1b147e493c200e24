"""Step 12: the table rows, their reconciliation, and the report on each class.

Each class without a problem becomes rows of a table
(:class:`~xl_reit.model.Payment`) — its payments, then its annual line, each
with its notes and with the release's lines as its origin — and the rows are
assembled as the table itself assembles a file's (:mod:`xl_reit.assemble`),
which checks that each payment's parts add up to exactly 100% and the payments
to the printed annual line. What it refuses is reported against the release's
lines, found through each problem's origin, and the class is left out of the
table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from ..assemble import assemble
from ..components import PARTS
from ..errors import Origin
from ..model import Payment, Printed, SecurityClass
from .classes import ClassRead
from .facts import Facts
from .model import FIGURE_KINDS, NoteRank, Row, column_label, has_legible, value_of
from .report import (
    MAX_EVIDENCE,
    AnnualCheck,
    ClassReport,
    Findings,
    ImportReport,
    ImportResult,
    PaymentCheck,
)


def _origin(source_name: str, row: Row) -> Origin:
    """A table row's origin: the release and the first line the row was read from."""
    return Origin(source_name, min(row.lines, default=None))


def _table_rows(
    found: ClassRead, facts: Facts, source_name: str, parts: Sequence[str]
) -> list[tuple[Payment, Row]]:
    """The class's rows of the table, each beside the row of the release it came from."""
    assert facts.tax_year is not None  # a release without one has a problem: nothing is written
    common = Payment(
        issuer=facts.issuer,
        tax_year=facts.tax_year,
        class_name=found.class_name,
        cusip=found.cusip,
        symbol=facts.symbols.get(found.cusip) or found.cusip,
        record_date=None,
        payable_date=None,
        dividend_per_share=None,
        source=source_name,
        release_date=facts.release_date,
    )
    for part in parts:
        if part not in found.parts:
            text = (
                f"{column_label(part)} not printed for this class: 0, as the printed parts already "
                "add up to the payment"
            )
            for row in found.payments:
                row.note(NoteRank.REPAIR, len(FIGURE_KINDS), text)
    result = []
    for row, percentages in zip(found.payments, found.percentages, strict=True):
        assert row.record and row.payable and row.record.day and row.payable.day
        payment = replace(
            common,
            record_date=row.record.day,
            payable_date=row.payable.day,
            dividend_per_share=value_of(row, "dividend"),
            printed={p: Printed(percent=percentages.get(p, Decimal("0.0000"))) for p in parts},
            notes=_notes(row),
            origin=_origin(source_name, row),
        )
        result.append((payment, row))
    if found.annual is not None:
        annual = found.annual
        printed = {
            p: Printed(percent=found.annual_percentages[p])
            for p in parts
            if p in found.annual_percentages
        }
        line = replace(
            common,
            dividend_per_share=value_of(annual, "dividend")
            if has_legible(annual, "dividend")
            else None,
            printed=printed,
            notes=_notes(annual),
            origin=_origin(source_name, annual),
        )
        result.append((line, annual))
    return result


def _notes(row: Row) -> str:
    return "; ".join(note.text for note in sorted(row.notes, key=lambda n: (n.rank, n.order)))


def _reconcile(
    found: ClassRead, rows: Sequence[tuple[Payment, Row]], findings: Findings
) -> SecurityClass | None:
    """Assemble the class's rows as a table does: every check, reported by release line."""
    classes, problems = assemble(payment for payment, _ in rows)
    lines_at: dict[Origin, set[int]] = {}  # rows that start on one line share it
    for payment, row in rows:
        lines = lines_at.setdefault(payment.origin, set())
        if len(lines) < MAX_EVIDENCE:
            lines.update(row.lines)
    for problem in problems:
        findings.add("problem", problem.message, lines_at.get(problem.origin, ()), found.class_name)
    return classes[0] if classes and not problems else None


def _class_report(found: ClassRead, symbol: str, loaded: SecurityClass | None) -> ClassReport:
    """What the report says of one class; ``loaded`` is the class as the table loaded it."""
    payments = []
    for index, row in enumerate(found.payments):
        percentages = found.percentages[index] if index < len(found.percentages) else None
        payments.append(
            PaymentCheck(
                row.record.day if row.record else None,
                row.payable.day if row.payable else None,
                value_of(row, "dividend") if has_legible(row, "dividend") else None,
                sum(percentages.values(), Decimal(0)) if percentages else None,
                tuple(sorted(row.lines)),
            )
        )
    annual = None
    if loaded is not None and loaded.printed_annual is not None and found.annual is not None:
        annual = AnnualCheck(
            tuple(sorted(found.annual.lines)),
            loaded.printed_annual.dividend_per_share,
            loaded.annual.dividend_per_share or Decimal(0),
            dict(loaded.printed_annual.percentages),
            dict(loaded.annual.percentages),
        )
    return ClassReport(
        found.class_name,
        found.cusip,
        symbol,
        tuple(found.headings),
        tuple(read.describe() for read in found.reads),
        found.reading,
        tuple(payments),
        annual,
        loaded is not None,
    )


def import_result(
    classes: Sequence[ClassRead], facts: Facts, source_name: str, findings: Findings
) -> ImportResult:
    """Write each class that reconciles; report on every class."""
    release_ok = not any(f.kind == "problem" and not f.class_name for f in findings.items)
    writable = [release_ok and c.class_name not in findings.failed for c in classes]
    parts = tuple(
        p for p in PARTS if any(p in c.parts for c, ok in zip(classes, writable, strict=True) if ok)
    )
    rows: list[Payment] = []
    reports = []
    for found, ok in zip(classes, writable, strict=True):
        loaded = None
        if ok:
            _note_release_gaps(found, facts, findings)
            class_rows = _table_rows(found, facts, source_name, parts)
            loaded = _reconcile(found, class_rows, findings)
            if loaded is not None:
                rows += [row for row, _ in class_rows]
        reports.append(_class_report(found, facts.symbols.get(found.cusip, ""), loaded))
    report = ImportReport(
        source_name, facts.issuer, facts.tax_year, tuple(reports), tuple(findings.items)
    )
    return ImportResult(tuple(rows), parts, report)


def _note_release_gaps(found: ClassRead, facts: Facts, findings: Findings) -> None:
    """Gaps of the release as a whole, in the notes of every row they touch."""
    notes = []
    if facts.tax_year_inferred:
        notes.append(f"tax year not printed: {facts.tax_year} taken from the payable dates")
    if not facts.symbols.get(found.cusip):
        text = "symbol not printed: the CUSIP stands in for it"
        notes.append(text)
        findings.add(
            "gap", f"{text}; give the symbol to replace it", found.headings, found.class_name
        )
    for row in [*found.payments, *([found.annual] if found.annual else [])]:
        for order, text in enumerate(notes):
            row.note(NoteRank.RELEASE_GAP, order, text)
