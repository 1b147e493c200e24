"""What an import returns: the table rows, the report that checks them, and its findings.

:class:`ImportResult` holds the rows of every class that reconciles and the
:class:`ImportReport`, which lists each class's payments (:class:`PaymentCheck`)
and annual line (:class:`AnnualCheck`) and every :class:`Finding` — a reading, a
repair, a gap or a problem. :class:`Findings` collects them while the pipeline
runs and marks a class with a problem as not writable. Here too are how the
report prints (line ranges, the text for people) and the rows' CSV text. Every
other module of the importer may import this one; it imports none of them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, TypeVar

from .. import cusip as cusip_module
from ..errors import DataFileError
from ..model import Payment, Printed
from ..table import AllocationTable
from ..tablefile import columns, record, write_text

FindingKind = Literal["reading", "repair", "gap", "problem"]

#: How many lines of the release a finding cites as evidence, at most: enough to
#: find the figures that prove it, and a long release's report stays short.
MAX_EVIDENCE = 40
#: How long a finding's message is, at most. A finding quotes pieces of the
#: release cut short (:func:`xl_reit.errors.shown`, :func:`clip`, :func:`some`);
#: this bounds whatever else a message holds (a figure of a million digits).
MAX_MESSAGE = 500
#: How many ranges of lines a report line lists, at most.
MAX_RANGES = 20
#: How many lines the report gives one list (a class's tables or payments, the
#: findings of one kind), at most; a count says how many more. The table's notes
#: keep every one.
MAX_LISTED = 100

_T = TypeVar("_T")


def clip(text: str, limit: int = 100) -> str:
    """``text`` cut to ``limit`` characters, the cut marked: a class name, an issuer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def some(
    items: Sequence[_T], show: Callable[[_T], str] = str, sep: str = ", ", most: int = 3
) -> str:
    """The first ``most`` items, each shown by ``show``, and how many more there are."""
    more = f" and {len(items) - most:,} more" if len(items) > most else ""
    return sep.join(show(item) for item in items[:most]) + more


@dataclass(frozen=True)
class Finding:
    """One thing the import found: how it read the text, a repair, a gap or a problem.

    ``lines`` are line numbers of the release text (1 is its first line);
    ``class_name`` is empty when the finding concerns the whole release.
    """

    kind: FindingKind
    message: str
    lines: tuple[int, ...] = ()
    class_name: str = ""

    def text(self) -> str:
        """The finding as one line of the printed report."""
        where = f"{line_ranges(self.lines)}: " if self.lines else ""
        who = f"{clip(self.class_name)}: " if self.class_name else ""
        return f"{where}{who}{self.message}"


@dataclass(frozen=True)
class PaymentCheck:
    """One payment as imported: its dates, dividend and the sum of its parts.

    ``parts_total`` is what the parts of the dividend written to the table
    (1a + 2a + 3, or their own parts) add up to, in ``unit``: ``"%"`` (100
    when the row reconciles) or ``"$"`` (the dividend, within the printed
    digits). It is ``None`` for a payment that could not be completed.
    """

    record_date: dt.date | None
    payable_date: dt.date | None
    dividend_per_share: Decimal | None
    parts_total: Decimal | None
    lines: tuple[int, ...]
    unit: str = "%"


@dataclass(frozen=True)
class AnnualCheck:
    """A class's printed annual line beside what its payments add up to.

    ``payments_dividend`` is the sum of the payments' dividends and
    ``payments_parts`` each figure's dollars added up over the payments, as
    :class:`~xl_reit.table.AllocationTable` computes them; the table refuses a
    printed figure that differs beyond the printed digits, so a written
    class's printed figures match.
    """

    lines: tuple[int, ...]
    printed_dividend: Decimal | None
    payments_dividend: Decimal
    printed_parts: Mapping[str, Printed]
    payments_parts: Mapping[str, Decimal]


@dataclass(frozen=True)
class ClassReport:
    """What the import found for one share class.

    ``class_name`` is the class's name as the table writes it; ``issuer``
    the class's own issuer where its heading names another company than the
    release's issuer, else empty.
    """

    class_name: str
    cusip: str
    symbol: str
    heading_lines: tuple[int, ...]
    tables: tuple[str, ...]
    reading: str
    payments: tuple[PaymentCheck, ...]
    annual: AnnualCheck | None
    written: bool
    issuer: str = ""


@dataclass(frozen=True)
class ImportReport:
    """The reconciliation report of one release."""

    source_name: str
    issuer: str
    tax_year: int | None
    classes: tuple[ClassReport, ...]
    findings: tuple[Finding, ...]

    def of_kind(self, kind: FindingKind) -> tuple[Finding, ...]:
        """The findings of one kind, in the order they were found."""
        return tuple(finding for finding in self.findings if finding.kind == kind)

    @property
    def ok(self) -> bool:
        """True when every figure was read or proven, everything reconciles, and every class
        is written: a report never says OK of a class it leaves out, or of nothing."""
        return (
            not any(finding.kind in ("gap", "problem") for finding in self.findings)
            and bool(self.classes)
            and all(found.written for found in self.classes)
        )


@dataclass(frozen=True)
class ImportResult:
    """The table rows a release imports to, and the report that checks them.

    ``payments`` hold every class that reconciles, in the release's order,
    each payment then the class's annual line, publishing ``parts``; ``rows``
    are the same as strings in ``columns`` (the table file's schema). Gaps
    are already in their notes; a class with a problem is not among them.
    """

    payments: tuple[Payment, ...]
    parts: tuple[str, ...]
    report: ImportReport

    @property
    def split(self) -> bool:
        """Whether a payment is split between tax years (the table then has those columns)."""
        return any(p.is_split or p.distribution is not None for p in self.payments)

    @property
    def excess(self) -> bool:
        """Whether a payment keeps parts as printed beyond its dividend (``parts_excess``)."""
        return any(p.parts_excess is not None for p in self.payments)

    @property
    def ex(self) -> bool:
        """Whether the release prints ex-dividend dates (the table then has the column)."""
        return any(p.ex_date is not None for p in self.payments)

    @property
    def columns(self) -> tuple[str, ...]:
        """The table file's columns for the parts the release prints."""
        return columns(self.parts, self.split, self.excess, ex=self.ex)

    @property
    def rows(self) -> tuple[Mapping[str, str], ...]:
        """Each row as the table file writes it."""
        split, excess, ex = self.split, self.excess, self.ex  # once: each looks at every row
        return tuple(record(payment, self.parts, split, excess, ex=ex) for payment in self.payments)

    @property
    def ok(self) -> bool:
        """False when something does not reconcile, could not be read, or is only inferred."""
        return self.report.ok

    def to_csv(self, allow_gaps: bool = False) -> str:
        """The table as CSV text.

        Raises :class:`DataFileError` listing the problems and gaps when the
        import is not ok, unless ``allow_gaps``: then the classes that
        reconcile are written, with their gaps in the notes.
        """
        if not self.ok and not allow_gaps:
            raise DataFileError(
                [
                    f"{self.report.source_name}: {finding.text()}"
                    for finding in self.report.findings
                    if finding.kind in ("gap", "problem")
                ]
            )
        return self._text()

    def _text(self) -> str:
        """The table file's text, ending in a line break."""
        return write_text(self.payments, self.parts) + "\n"

    def table(self) -> AllocationTable:
        """The imported rows loaded and validated as an :class:`AllocationTable`."""
        return AllocationTable.from_texts([(self.report.source_name, self._text())])

    def report_text(self) -> str:
        """The report, for printing."""
        return _report_text(self.report)


class Findings:
    """Collects findings; a problem also marks its class as not writable."""

    def __init__(self) -> None:
        self.items: list[Finding] = []
        self.failed: set[str] = set()

    def copy(self) -> Findings:
        """New findings that start with these (a reading that goes on from the same lines)."""
        copied = Findings()
        copied.items.extend(self.items)
        copied.failed.update(self.failed)
        return copied

    def add(
        self, kind: FindingKind, message: str, lines: Iterable[int] = (), class_name: str = ""
    ) -> None:
        message = clip(message, MAX_MESSAGE)
        self.items.append(Finding(kind, message, tuple(sorted(set(lines))), class_name))
        if kind == "problem" and class_name:
            self.failed.add(class_name)


def line_ranges(lines: Iterable[int]) -> str:
    """ "line 5", "lines 5-8, 12"; past MAX_RANGES ranges, "… and 1,200 more lines"."""
    numbers = sorted(set(lines))
    ranges: list[list[int]] = []
    for number in numbers:
        if ranges and number == ranges[-1][-1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    shown = ", ".join(f"{a}-{b}" if b > a else str(a) for a, b in ranges[:MAX_RANGES])
    if len(ranges) > MAX_RANGES:
        shown += f" and {sum(b - a + 1 for a, b in ranges[MAX_RANGES:]):,} more lines"
    return f"line{'s' if len(numbers) > 1 else ''} {shown}"


def _report_text(report: ImportReport) -> str:
    """The report for people: a summary, each class with its payments, then the findings."""
    counts = Counter(finding.kind for finding in report.findings)
    payments = sum(len(c.payments) for c in report.classes)
    written = sum(c.written for c in report.classes)
    out = [
        f"Import of {report.source_name}: {'OK' if report.ok else 'NOT OK'}",
        f"  issuer: {clip(report.issuer) or '(not known)'}; "
        f"tax year: {report.tax_year or '(not known)'}",
        f"  {len(report.classes)} classes, {payments} payments found; {written} classes "
        "reconcile and are in the table",
        f"  {counts['problem']} problems, {counts['gap']} gaps, {counts['repair']} repairs",
    ]
    for found in report.classes:
        out += [
            "",
            f"{clip(found.class_name)}{f'  issuer {clip(found.issuer)}' if found.issuer else ''}"
            f"  CUSIP {cusip_module.format(found.cusip)}  symbol "
            f"{clip(found.symbol) or '(none)'}  (heading {line_ranges(found.heading_lines)})",
        ]
        out += _listed(found.tables, "tables", lambda table: table)
        if found.reading:
            out.append(f"  figures: {found.reading}")
        out += _listed(found.payments, "payments", _payment_text)
        if found.annual is not None:
            annual = found.annual
            printed = (
                "dividend not printed"
                if annual.printed_dividend is None
                else f"prints dividend {clip(str(annual.printed_dividend))}"
            )
            out.append(
                f"  annual line {printed}; the payments add up to "
                f"{clip(str(annual.payments_dividend))}; "
                f"its {len(annual.printed_parts)} printed figures equal the payments' "
                f"({line_ranges(annual.lines)})"
            )
        if not found.written:
            out.append("  NOT IN THE TABLE: see the problems below")
    sections: tuple[tuple[FindingKind, str], ...] = (
        ("problem", "Problems (the class is left out of the table; the import is not ok)"),
        ("gap", "Gaps (inferred or not printed; in the notes; the import is not ok)"),
        ("repair", "Repairs (proven by the release's own figures; in the notes)"),
        ("reading", "Readings (how the text was read)"),
    )
    for kind, title in sections:
        items = report.of_kind(kind)
        if items:
            out += ["", f"{title}:", *_listed(items, f"{kind}s", Finding.text)]
    return "\n".join(out) + "\n"


def _payment_text(payment: PaymentCheck) -> str:
    total = (
        "?"
        if payment.parts_total is None
        else f"${payment.parts_total}"
        if payment.unit == "$"
        else f"{payment.parts_total}%"
    )
    dividend = payment.dividend_per_share
    return (
        f"payment {payment.record_date or '(no record date)'} -> {payment.payable_date or '?'}  "
        f"dividend {'?' if dividend is None else clip(str(dividend))}"
        f"  parts add up to {total}  ({line_ranges(payment.lines)})"
    )


def _listed(items: Sequence[_T], what: str, show: Callable[[_T], str]) -> list[str]:
    """The report's lines for a list: MAX_LISTED items at most, then how many more."""
    out = [f"  {show(item)}" for item in items[:MAX_LISTED]]
    if len(items) > MAX_LISTED:
        out.append(f"  … and {len(items) - MAX_LISTED:,} more {what}")
    return out
