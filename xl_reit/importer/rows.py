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

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from ..assemble import assemble
from ..components import COMPONENTS, SPLITS, TOP
from ..errors import Origin, Problem
from ..model import Payment, Printed, SecurityClass
from ..tablefile import written_problems
from .classes import ClassRead
from .facts import Facts
from .model import FIGURE_KINDS, NoteRank, Row, and_list, column_label, has_legible, value_of
from .report import (
    MAX_EVIDENCE,
    AnnualCheck,
    ClassReport,
    Findings,
    ImportReport,
    ImportResult,
    PaymentCheck,
)
from .sections import heading_issuer, known_as, same_company
from .years import payment_years


def _origin(source_name: str, row: Row) -> Origin:
    """A table row's origin: the release and the first line the row was read from."""
    return Origin(source_name, min(row.lines, default=None))


def _table_rows(
    found: ClassRead, facts: Facts, source_name: str, findings: Findings
) -> list[tuple[Payment, Row]] | None:
    """The class's rows of the table, each beside the row of the release it came from.

    ``None`` when a payment's tax years cannot be told (a problem).
    """
    assert facts.tax_year is not None  # a release without one has a problem: nothing is written
    splits = payment_years(found, facts.tax_year, findings)
    if splits is None:
        return None
    issuer, class_name = class_identity(found, facts)
    common = Payment(
        issuer=issuer,
        tax_year=facts.tax_year,
        class_name=class_name,
        cusip=found.cusip,
        symbol=facts.symbols.get(found.cusip) or found.cusip,
        record_date=None,
        payable_date=None,
        dividend_per_share=None,
        source=source_name,
        release_date=facts.release_date,
    )
    result = []
    for row, printed, years in zip(found.payments, found.printed, splits, strict=True):
        assert row.payable and row.payable.day and (row.record is None or row.record.day)
        payment = replace(
            common,
            record_date=row.record.day if row.record else None,  # None: payable dates only
            payable_date=row.payable.day,
            ex_date=row.ex.day if row.ex else None,
            dividend_per_share=years.dividend,
            distribution=years.distribution,
            other_year=years.other_year,
            other_tax_year=years.other_tax_year,
            parts_excess=row.excess,
            printed=printed,
            notes=_notes(row),
            origin=_origin(source_name, row),
        )
        result.append((payment, row))
    if found.annual is not None:
        annual = found.annual
        line = replace(
            common,
            dividend_per_share=value_of(annual, "dividend")
            if has_legible(annual, "dividend")
            else None,
            printed=found.annual_printed,
            notes=_notes(annual),
            origin=_origin(source_name, annual),
        )
        result.append((line, annual))
    return result


def class_identity(found: ClassRead, facts: Facts) -> tuple[str, str]:
    """The class's issuer and name, as its rows write them.

    A heading that begins with a company's name (:class:`~.sections.HeadingIssuer`,
    or the release's issuer as the facts read it) names the class by the rest
    ("Common Stock"), and gives it that company as its issuer; when that is the
    release's own issuer, the release's name for it is written, as on every
    other class. A heading that names no company keeps the release's issuer.
    """
    named = found.issuer or heading_issuer(found.class_name, known_as(facts.issuer))
    if named is None:
        return facts.issuer, found.class_name
    if not facts.issuer or same_company(named.name, facts.issuer):
        return facts.issuer, named.class_name
    return named.name, named.class_name


def _notes(row: Row) -> str:
    return "; ".join(note.text for note in sorted(row.notes, key=lambda n: (n.rank, n.order)))


def _reconcile(
    found: ClassRead, rows: Sequence[tuple[Payment, Row]], findings: Findings
) -> SecurityClass | None:
    """Assemble the class's rows as a table does: every check, reported by release line.

    Each row's cells are first checked as a table file reads them, so that only rows
    that load are written.
    """
    problems = [problem for payment, _ in rows for problem in written_problems(payment)]
    classes: list[SecurityClass] = []
    if not problems:
        classes, problems = assemble(payment for payment, _ in rows)
    lines_at: dict[Origin, set[int]] = {}  # rows that start on one line share it
    for payment, row in rows:
        lines = lines_at.setdefault(payment.origin, set())
        if len(lines) < MAX_EVIDENCE:
            lines.update(row.lines)
    for problem in problems:
        findings.add("problem", _named(problem), lines_at.get(problem.origin, ()), found.class_name)
    return classes[0] if classes and not problems else None


def _parts_total(printed: Mapping[str, Printed]) -> tuple[Decimal | None, str]:
    """What a row's printed parts of the dividend add up to (1a + 2a + 3), and in what unit."""
    addends = [name for name in TOP if name in printed]
    addends += [
        p for total, parts in SPLITS.items() if total not in printed for p in parts if p in printed
    ]
    dollars = [printed[name].dollars for name in addends]
    if addends and all(value is not None for value in dollars):
        return sum((value for value in dollars if value is not None), Decimal(0)), "$"
    percents = [printed[name].percent for name in addends]
    if addends and all(value is not None for value in percents):
        return sum((value for value in percents if value is not None), Decimal(0)), "%"
    return None, ""


def _named(problem: Problem) -> str:
    """A problem of the table as the report says it: the figures it is about, then what."""
    names = problem.column.split(", ") if problem.column else []
    if names and all(name in FIGURE_KINDS or name == "dividend_per_share" for name in names):
        labels = and_list([column_label(n.removesuffix("_per_share")) for n in names])
        if not problem.message.lower().startswith(labels.lower()):
            return f"{labels}: {problem.message}"
    return problem.message


def _class_report(found: ClassRead, facts: Facts, loaded: SecurityClass | None) -> ClassReport:
    """What the report says of one class; ``loaded`` is the class as the table loaded it."""
    payments = []
    for index, row in enumerate(found.payments):
        printed = found.printed[index] if index < len(found.printed) else {}
        total, unit = _parts_total(printed)
        payments.append(
            PaymentCheck(
                row.record.day if row.record else None,
                row.payable.day if row.payable else None,
                value_of(row, "dividend") if has_legible(row, "dividend") else None,
                total,
                tuple(sorted(row.lines)),
                unit,
            )
        )
    annual = None
    if loaded is not None and loaded.printed_annual is not None and found.annual is not None:
        year = loaded.annual
        annual = AnnualCheck(
            tuple(sorted(found.annual.lines)),
            loaded.printed_annual.dividend_per_share,
            year.dividend_per_share or Decimal(0),
            dict(loaded.printed_annual.printed),
            {
                name: figure.dollars
                for name, figure in year.figures.items()
                if figure.dollars is not None
            },
        )
    issuer, class_name = class_identity(found, facts)
    return ClassReport(
        class_name,
        found.cusip,
        facts.symbols.get(found.cusip, ""),
        tuple(found.headings),
        tuple(read.describe() for read in found.reads),
        found.reading,
        tuple(payments),
        annual,
        loaded is not None,
        "" if issuer == facts.issuer else issuer,
    )


def import_result(
    classes: Sequence[ClassRead], facts: Facts, source_name: str, findings: Findings
) -> ImportResult:
    """Write each class that reconciles; report on every class."""
    release_ok = not any(f.kind == "problem" and not f.class_name for f in findings.items)
    writable = [release_ok and c.class_name not in findings.failed for c in classes]
    parts = tuple(
        p
        for p in COMPONENTS
        if any(p in c.parts for c, ok in zip(classes, writable, strict=True) if ok)
    )
    read: list[tuple[ClassRead, list[Payment] | None, SecurityClass | None]] = []
    for found, ok in zip(classes, writable, strict=True):
        loaded = None
        payments = None
        if ok:
            _note_release_gaps(found, facts, findings)
            class_rows = _table_rows(found, facts, source_name, findings)
            loaded = None if class_rows is None else _reconcile(found, class_rows, findings)
            if class_rows is not None and loaded is not None:
                payments = [row for row, _ in class_rows]
        read.append((found, payments, loaded))
    rows: list[Payment] = []
    reports = []
    for found, payments, loaded in _printed_once(read, findings):
        rows += payments or []
        reports.append(_class_report(found, facts, loaded))
    report = ImportReport(
        source_name, facts.issuer, facts.tax_year, tuple(reports), tuple(findings.items)
    )
    return ImportResult(tuple(rows), parts, report)


def _printed_once(
    read: list[tuple[ClassRead, list[Payment] | None, SecurityClass | None]], findings: Findings
) -> list[tuple[ClassRead, list[Payment] | None, SecurityClass | None]]:
    """A class whose table the release prints twice (a page that repeats it) is written
    once where both give the same payments and figures; where they differ, neither is
    written (which one the release means cannot be told), a problem naming both."""
    first: dict[str, int] = {}
    kept = list(read)
    for at, (found, payments, _) in enumerate(read):
        if payments is None:
            continue
        earlier = first.setdefault(found.cusip, at)
        if earlier == at:
            continue
        before, other = read[earlier][0], read[earlier][1] or []
        if [_figures_of(p) for p in payments] == [_figures_of(p) for p in other]:
            findings.add(
                "reading",
                "the class's table is printed twice, with the same figures: written once",
                [*before.headings, *found.headings],
                found.class_name,
            )
            kept[at] = (found, None, kept[at][2])
            continue
        findings.add(
            "problem",
            "the class's table is printed twice, with different figures: which one the "
            "release means cannot be told, so neither is written",
            [*before.headings, *found.headings],
            found.class_name,
        )
        kept[at] = (found, None, None)
        kept[earlier] = (before, None, None)
    return kept


def _figures_of(payment: Payment) -> tuple[object, ...]:
    """What a written payment says, without where it was read or its notes."""
    return (
        payment.record_date,
        payment.payable_date,
        payment.dividend_per_share,
        tuple(sorted(payment.printed.items())),
        payment.distribution,
        payment.other_year,
        payment.other_tax_year,
        payment.parts_excess,
        payment.ex_date,
    )


def _note_release_gaps(found: ClassRead, facts: Facts, findings: Findings) -> None:
    """Gaps of the release as a whole, in the notes of every row they touch."""
    notes = []
    if facts.tax_year_inferred:
        notes.append(f"tax year not printed: {facts.tax_year} taken from the payable dates")
    if not facts.symbols.get(found.cusip):
        text = "symbol not printed: the CUSIP stands in for it"
        notes.append(text)
        findings.add(
            "reading",
            f"{text}; give the symbol (--symbol CUSIP=SYMBOL) to replace it",
            found.headings,
            found.class_name,
        )
    for row in [*found.payments, *([found.annual] if found.annual else [])]:
        for order, text in enumerate(notes):
            row.note(NoteRank.RELEASE_GAP, order, text)
