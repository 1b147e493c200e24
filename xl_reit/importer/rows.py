"""Step 9: the table rows, their reconciliation, and the report on each class.

Each class without a problem becomes rows in the bundled table's schema
(:mod:`xl_reit.table`) — its payments, then its annual line, each with its notes —
and the rows are loaded as an :class:`~xl_reit.table.AllocationTable`, which
checks that each payment's parts add up to exactly 100% and the payments to the
printed annual line; what it refuses is reported against the release's lines, and
the class is left out of the table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from ..components import PARTS
from ..errors import DataFileError
from ..table import (
    DATE_COLUMNS,
    IDENTITY_COLUMNS,
    PROVENANCE_COLUMNS,
    AllocationTable,
    SecurityClass,
)
from .classes import ClassRead
from .facts import Facts
from .model import FIGURE_KINDS, Row, column_label, has_legible, value_of
from .report import (
    AnnualCheck,
    ClassReport,
    Findings,
    ImportReport,
    ImportResult,
    PaymentCheck,
    csv_text,
)


def _columns(parts: Iterable[str]) -> tuple[str, ...]:
    present = set(parts)
    return (
        *IDENTITY_COLUMNS,
        "row_kind",
        *DATE_COLUMNS,
        "dividend_per_share",
        *(part for part in PARTS if part in present),
        *PROVENANCE_COLUMNS,
    )


def _figure(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _table_rows(
    found: ClassRead, facts: Facts, source_name: str, parts: Sequence[str]
) -> list[tuple[dict[str, str], Row]]:
    """The class's rows in the table's schema, each beside the row it came from."""
    symbol = facts.symbols.get(found.cusip) or found.cusip
    common = {
        "issuer": facts.issuer,
        "tax_year": str(facts.tax_year),
        "class_name": found.class_name,
        "cusip": found.cusip,
        "symbol": symbol,
        "source": source_name,
        "release_date": facts.release_date.isoformat() if facts.release_date else "",
    }
    for part in parts:
        if part not in found.parts:
            text = (
                f"{column_label(part)} not printed for this class: 0, as the printed parts already "
                "add up to the payment"
            )
            for row in found.payments:
                row.note(1, len(FIGURE_KINDS), text)
    result = []
    for row, percentages in zip(found.payments, found.percentages, strict=True):
        assert row.record and row.payable and row.record.day and row.payable.day
        values = {
            "row_kind": "payment",
            "record_date": row.record.day.isoformat(),
            "payable_date": row.payable.day.isoformat(),
            "dividend_per_share": _figure(value_of(row, "dividend")),
        }
        values |= {p: _figure(percentages.get(p, Decimal("0.0000"))) for p in parts}
        result.append(({**common, **values, "notes": _notes(row)}, row))
    if found.annual is not None:
        annual = found.annual
        dividend = value_of(annual, "dividend") if has_legible(annual, "dividend") else None
        values = {"row_kind": "annual", "record_date": "", "payable_date": ""}
        values["dividend_per_share"] = _figure(dividend)
        values |= {p: _figure(found.annual_percentages.get(p)) for p in parts}
        result.append(({**common, **values, "notes": _notes(annual)}, annual))
    return result


def _notes(row: Row) -> str:
    return "; ".join(note.text for note in sorted(row.notes, key=lambda n: (n.rank, n.order)))


_PROBLEM_AT = re.compile(r", line (?P<line>\d+)(?:, column [^:]*)?: (?P<message>.*)", re.DOTALL)


def _reconcile(
    found: ClassRead,
    rows: Sequence[tuple[dict[str, str], Row]],
    columns: Sequence[str],
    source_name: str,
    findings: Findings,
) -> SecurityClass | None:
    """Load the class's rows as a table: every check of :mod:`xl_reit.table`, by release line."""
    name = f"{source_name} [{found.class_name}]"
    try:
        table = AllocationTable.from_texts([(name, csv_text(columns, [r for r, _ in rows]))])
    except DataFileError as error:
        for problem in map(str, error.problems):
            match = _PROBLEM_AT.search(problem[len(name) :]) if problem.startswith(name) else None
            if match is None:
                findings.add("problem", problem, (), found.class_name)
                continue
            index = int(match["line"]) - 2
            lines = rows[index][1].lines if 0 <= index < len(rows) else set()
            findings.add("problem", match["message"], lines, found.class_name)
        return None
    return next(iter(table.classes.values()))


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
    writable = [c for c in classes if c.class_name not in findings.failed and release_ok]
    parts = [p for p in PARTS if any(p in c.parts for c in writable)]
    columns = _columns(parts)
    rows: list[Mapping[str, str]] = []
    reports = []
    for found in classes:
        loaded = None
        if found in writable:
            _note_release_gaps(found, facts, findings)
            class_rows = _table_rows(found, facts, source_name, parts)
            loaded = _reconcile(found, class_rows, columns, source_name, findings)
            if loaded is not None:
                rows += [row for row, _ in class_rows]
        reports.append(_class_report(found, facts.symbols.get(found.cusip, ""), loaded))
    report = ImportReport(
        source_name, facts.issuer, facts.tax_year, tuple(reports), tuple(findings.items)
    )
    return ImportResult(columns, tuple(rows), report)


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
            row.note(3, order, text)
