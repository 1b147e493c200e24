"""Step 8: a share class — its tables read, fitted to its payments, and joined by date.

The sections are grouped by the CUSIP of their heading into a :class:`ClassRead`.
Its tables are read (steps 5 and 6; the headerless ones in the columns of the
release's other tables), the column-by-column ones fitted to the payments (step
7), and then merged — a
dividend table and a capital-gain table, say — into payments keyed by record and
payable date. A row or table that lost its dates takes them from the class's other
table, as a repair; two tables that print different figures for a payment are a
problem.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import shown
from ..model import Printed
from .fitting import fit_columns, no_dates
from .headers import header_text
from .layouts import Templates, needs_template, read_table
from .lines import line_numbers
from .model import (
    NO_FIGURES,
    Column,
    NoteRank,
    Row,
    TableRead,
    and_list,
    column_label,
    put,
)
from .report import MAX_EVIDENCE, Findings, clip, line_ranges, some
from .sections import HeadingIssuer, Section, TableText, find_tables

#: A payment's record and payable date: how a class's tables are joined.
PaymentKey = tuple[dt.date, dt.date]


@dataclass
class ClassRead:
    """One share class: its sections, tables, and the payments they join into."""

    cusip: str
    class_name: str
    headings: list[int]
    texts: list[TableText] = field(default_factory=list)
    reads: list[TableRead] = field(default_factory=list)
    payments: list[Row] = field(default_factory=list)
    annual: Row | None = None
    source: dict[str, TableRead] = field(default_factory=dict)
    reading: str = ""
    parts: tuple[str, ...] = ()
    printed: list[dict[str, Printed]] = field(default_factory=list)
    annual_printed: dict[str, Printed] = field(default_factory=dict)
    #: The company the class's heading names, when it names one: the class's own issuer.
    issuer: HeadingIssuer | None = None
    #: The symbol the class's heading lists ("Common Shares (NYSE: RPT)"), if it lists one.
    symbol: str = ""

    @property
    def figured(self) -> list[Row]:
        """The payments that print figures: all but those printed blank (reported elsewhere)."""
        return [row for row in self.payments if not row.blank]


def read_classes(sections: Sequence[Section], findings: Findings) -> list[ClassRead]:
    """Each class's tables read, fitted to its payments and joined by date."""
    classes = _by_cusip(sections, findings)
    for found in classes:
        for text in found.texts:
            if not needs_template(text):
                read = read_table(text, None, findings)
                found.reads += [read] if read else []
    _prove_columns(classes, findings)
    templates = Templates(found.reads for found in classes)
    for found in classes:
        _read_headerless(found, templates, findings)
        found.reads.sort(key=lambda read: read.text.numbers[0])
        _fit(found, findings)
        if found.class_name not in findings.failed:
            _join(found, findings)
    return classes


def _by_cusip(sections: Sequence[Section], findings: Findings) -> list[ClassRead]:
    """The sections grouped by the CUSIP of their heading, in the release's order."""
    classes: dict[str, ClassRead] = {}
    for section in sections:
        if not section.cusip:
            continue
        found = classes.get(section.cusip)
        if found is None:
            found = classes[section.cusip] = ClassRead(
                section.cusip, section.class_name, [], issuer=section.issuer, symbol=section.symbol
            )
        elif section.class_name != found.class_name:
            findings.add(
                "reading",
                f"the heading names the class {shown(section.class_name)}; taken as "
                f"{shown(found.class_name)} (same CUSIP)",
                (section.heading.number,),
                found.class_name,
            )
        found.symbol = found.symbol or section.symbol
        found.headings.append(section.heading.number)
        found.texts += find_tables(section, findings)
    return list(classes.values())


def _prove_columns(classes: Sequence[ClassRead], findings: Findings) -> None:
    """Name the columns a header names without standing over them, from the release's figures.

    A header not aligned with its figures names kinds that no column has
    (:attr:`~.model.Column.candidates`). A column is one of them only when
    every figure it prints is printed in a column of that kind by another
    table of the release, and in none of the other candidates: its position
    proves nothing. A table whose columns this does not name is a problem.
    """
    unsettled = [
        (found, read)
        for found in classes
        for read in found.reads
        if any(c.candidates and not c.kind for c in read.columns)
    ]
    if not unsettled:
        return
    asked = {kind for _, read in unsettled for c in read.columns for kind in c.candidates}
    printed = _PrintedValues((read for found in classes for read in found.reads), asked)
    for found, read in unsettled:
        columns = [c for c in read.columns if c.candidates and not c.kind]
        proven = {id(c): printed.proves(c, read) for c in columns}
        kinds = [proven[id(c)] for c in columns]
        if None in kinds or len(set(kinds)) != len(kinds):
            _unproven(found, read, columns, findings)
            continue
        for column, kind in zip(columns, kinds, strict=True):
            assert kind is not None
            _name_column(read, column, kind, found, findings)


class _PrintedValues:
    """The figures the release's tables print in the ``kinds`` of column asked about.

    A table's own figures are counted when it asks (few do), not for every table.
    """

    def __init__(self, reads: Iterable[TableRead], kinds: Set[str]) -> None:
        self._all: defaultdict[str, Counter[Decimal]] = defaultdict(Counter)
        for read in reads:
            for column in read.columns:
                if column.family == "figure" and column.kind in kinds:
                    self._all[column.kind].update(_amounts(column))

    def proves(self, column: Column, read: TableRead) -> str | None:
        """The one candidate kind whose columns elsewhere print every figure of ``column``.

        Asked before any column of ``read`` is named, so its columns are as counted.
        """
        values = set(_amounts(column))
        fits = [
            kind for kind in column.candidates if values and self._all_elsewhere(kind, read, values)
        ]
        return fits[0] if len(fits) == 1 else None

    def _all_elsewhere(self, kind: str, read: TableRead, values: Iterable[Decimal]) -> bool:
        printed = self._all.get(kind, NO_FIGURES)
        own = Counter(
            value
            for other in read.columns
            if other.family == "figure" and other.kind == kind
            for value in _amounts(other)
        )
        return all(printed[value] > own[value] for value in values)


def _amounts(column: Column) -> list[Decimal]:
    """The legible figures of a column."""
    return [t.amount for t in column.values if t.amount is not None]


def _name_column(
    read: TableRead, column: Column, kind: str, found: ClassRead, findings: Findings
) -> None:
    """Give a column the kind the release's figures prove, and its figures to the rows."""
    column.kind = kind
    index = read.columns.index(column)
    for row in [*read.rows, *([read.annual] if read.annual else [])]:
        if index in row.placed:
            put(row, kind, row.placed[index])
    figures = some(sorted({t.text for t in column.values}), lambda text: clip(text, 30))
    findings.add(
        "reading",
        f"the column headed {header_text(column)} is {column_label(kind)}: the header names "
        f"it without standing over it, and every other table of the release prints its "
        f"figures ({figures}) as {column_label(kind)}",
        read.text.numbers[:MAX_EVIDENCE],
        found.class_name,
    )


def _unproven(
    found: ClassRead, read: TableRead, columns: Sequence[Column], findings: Findings
) -> None:
    names = and_list([header_text(c) for c in columns])
    kinds = and_list([column_label(k) for k in columns[0].candidates])
    findings.add(
        "problem",
        f"cannot tell which column is which in the table printed {read.layout.how}: the "
        f"header names {kinds} without standing over "
        f"the columns, and the column{'s' if len(columns) > 1 else ''} headed {names} "
        "print figures no other table of the release proves to be one of them; a header "
        "whose words stand over their own columns would tell",
        line_numbers(read.text.header) or read.text.numbers[:1],
        found.class_name,
    )


def _read_headerless(found: ClassRead, templates: Templates, findings: Findings) -> None:
    """Read the class's tables without a header in the columns of the release's tables like them."""
    headerless = [text for text in found.texts if needs_template(text)]
    # Asked once: the tables read below, in others' columns, are no evidence (not headed).
    template = templates.find(found.reads) if headerless else None
    for text in headerless:
        if template is None:
            findings.add(
                "problem",
                "a table without a header, and no other table in the release tells its columns",
                text.numbers,
                found.class_name,
            )
            continue
        kinds, evidence = template
        findings.add(
            "reading",
            "a table without a header: read in the columns every other table like it "
            f"prints ({', '.join(map(column_label, kinds))}; headers on {line_ranges(evidence)})",
            text.numbers,
            found.class_name,
        )
        read = read_table(text, kinds, findings)
        found.reads += [read] if read else []


def _fit(found: ClassRead, findings: Findings) -> None:
    """Give every column-by-column table its rows; dated tables first, they count the payments."""
    has_annual = any(read.has_annual for read in found.reads)
    count: int | None = None
    for dated in (True, False):
        for read in found.reads:
            if read.dated != dated:
                continue
            if read.layout.by_column and not fit_columns(read, count, has_annual, findings):
                findings.failed.add(found.class_name)
            if dated and read.rows:
                count = max(count or 0, len(read.rows))


# --- joining a class's tables by date -----------------------------------------


def _join(found: ClassRead, findings: Findings) -> None:
    """Merge the class's tables into payments keyed by record and payable date."""
    dated = [read for read in found.reads if read.dated]
    payments = _join_dated(found, dated, findings)
    for read in found.reads:
        if not read.dated:
            _join_undated(found, read, dated, payments, findings)
    found.payments = list(payments.values())
    for read in found.reads:
        if read.annual is not None:
            found.annual = found.annual or Row()
            _merge(found.annual, read.annual, found, findings)
            _take_kinds(found, read)


def _join_dated(
    found: ClassRead, dated: Sequence[TableRead], findings: Findings
) -> dict[PaymentKey, Row]:
    """The payments of the class's dated tables, in the order they were paid.

    A payment that one of the tables has no row for is a problem.
    """
    keyed: dict[PaymentKey, Row] = {}
    rows_of: list[set[PaymentKey]] = []
    by_date: dict[dt.date, dict[PaymentKey, Row]] | None = None  # built when a row needs it
    for read in dated:
        rows_of.append(set())
        for row in read.rows:
            key = row.key
            if key is None:
                by_date = _payments_by_date(found) if by_date is None else by_date
                key = _complete_dates(row, found, by_date, findings)
            if key is None:
                continue
            rows_of[-1].add(key)
            payment = keyed.get(key)  # (setdefault would build a Row for every row)
            if payment is None:
                payment = keyed[key] = Row(row.record, row.payable)
            _merge(payment, row, found, findings)
        if rows_of[-1]:
            _take_kinds(found, read)
    keys = sorted(keyed, key=lambda k: (k[1], k[0]))
    for read, keys_read in zip(dated, rows_of, strict=True):
        if len(keys_read) < len(keys):
            findings.add(
                "problem",
                _no_rows(read, keys, keys_read),
                read.text.numbers,
                found.class_name,
            )
    return {key: keyed[key] for key in keys}


def _no_rows(read: TableRead, keys: Sequence[PaymentKey], keys_read: Set[PaymentKey]) -> str:
    """ "the payment(s) of … have no row in the … table": the first three, and how many more.

    Only the payments before the third one missing are looked at, so a class
    of many tables with few rows each is checked in time linear in its rows.
    """
    missing: list[str] = []
    for key in keys:
        if key not in keys_read:
            missing.append(str(key[1]))
            if len(missing) == 3:
                break
    count = len(keys) - len(keys_read)
    if count == 1:
        return f"the payment of {missing[0]} has no row in the {read.name} table"
    more = f" and {count - 3:,} more" if count > 3 else ""
    listed = ", ".join(missing) if more else and_list(missing)
    return f"the payments of {listed}{more} have no row in the {read.name} table"


def _join_undated(
    found: ClassRead,
    read: TableRead,
    dated: Sequence[TableRead],
    payments: Mapping[PaymentKey, Row],
    findings: Findings,
) -> None:
    """A table that lost its dates: its rows are the dated tables' payments, in order.

    That holds only when it has one row per payment, as a repair. The dates it
    prints beside a figure (:attr:`TableRead.anchored`) must be a payment's.
    """
    if not read.rows:
        return  # the year's totals only: its annual line is merged with the others'
    if not dated:
        findings.add(
            "problem",
            no_dates(f"the {read.name} table prints {len(read.rows)} rows", "row"),
            read.text.numbers,
            found.class_name,
        )
        return
    if len(read.rows) != len(payments):
        findings.add(
            "problem",
            f"the {read.name} table has no dates and {len(read.rows)} rows; the class's "
            f"dated tables have {len(payments)} payments, so which row is which cannot be told",
            read.text.numbers,
            found.class_name,
        )
        return
    text = (
        f"{read.name} table lost its dates: record and payable dates taken from the "
        f"class's {dated[0].name} table"
    )
    for payment, row in zip(payments.values(), read.rows, strict=True):
        row.note(NoteRank.DATES, 0, text)
        _merge(payment, row, found, findings)
    _take_kinds(found, read)
    findings.add("repair", text, (*read.text.numbers, *dated[0].text.numbers), found.class_name)
    for anchored in read.anchored:
        key = anchored.key
        if key is None or key not in payments:
            findings.add(
                "problem",
                f"the dates {anchored.record and anchored.record.text} "
                f"{anchored.payable and anchored.payable.text} match no payment",
                anchored.lines,
                found.class_name,
            )
            continue
        _merge(payments[key], anchored, found, findings)
        dates = " ".join(t.text for t in (anchored.record, anchored.payable) if t)
        findings.add(
            "reading",
            f"the dates printed in the {read.name} table ({dates}) are the payment of {key[1]}",
            anchored.lines,
            found.class_name,
        )


def _payments_by_date(found: ClassRead) -> dict[dt.date, dict[PaymentKey, Row]]:
    """Each date the class's rows print, with the payments it is a date of.

    Each payment (record and payable date) comes with the first row that
    prints both of its dates.
    """
    by_date: dict[dt.date, dict[PaymentKey, Row]] = {}
    for read in found.reads:
        for row in read.rows:
            key = row.key
            if key is not None:
                for day in set(key):
                    by_date.setdefault(day, {}).setdefault(key, row)
    return by_date


def _complete_dates(
    row: Row,
    found: ClassRead,
    by_date: Mapping[dt.date, Mapping[PaymentKey, Row]],
    findings: Findings,
) -> PaymentKey | None:
    """A row that lost one of its dates: the other date's payment in the class's other tables."""
    printed = row.record or row.payable
    lines = tuple(sorted(row.lines))
    if printed is None or printed.day is None:
        findings.add("problem", "a row without its dates", lines, found.class_name)
        return None
    missing = "payable" if row.record else "record"
    matches = by_date.get(printed.day, {})
    if len(matches) != 1:
        findings.add(
            "problem",
            f"a row with no {missing} date (the {printed.text} row); no other table of the "
            "class prints that payment's dates",
            lines,
            found.class_name,
        )
        return None
    ((key, source),) = matches.items()
    row.record, row.payable, row.ex = source.record, source.payable, source.ex
    text = f"{missing} date not printed on this row: taken from the class's other table"
    row.note(NoteRank.DATES, 0, text)
    findings.add("repair", text, (*lines, *source.lines), found.class_name)
    return key


def _merge(target: Row, row: Row, found: ClassRead, findings: Findings) -> None:
    """Merge a table's row into a payment or the annual line; a figure printed two ways: a problem.

    The table's kinds go to :func:`_take_kinds` once per table, not once a row.
    """
    target.lines |= row.lines
    target.record = target.record or row.record
    target.payable = target.payable or row.payable
    target.ex = target.ex or row.ex
    for note in row.notes:
        target.note(note.rank, note.order, note.text)
    for kind, cell in row.cells.items():
        earlier = target.cells.get(kind)
        if earlier is not None and earlier.legible and cell.legible and earlier.value != cell.value:
            findings.add(
                "problem",
                f"two tables print different {column_label(kind)} figures: "
                f"{clip(earlier.text, 60)}, {clip(cell.text, 60)}",
                (*earlier.lines, *cell.lines),
                found.class_name,
            )
        elif earlier is None or not earlier.legible:
            target.cells[kind] = cell


def _take_kinds(found: ClassRead, read: TableRead) -> None:
    """The class takes each figure kind from the first table of it that any row is merged from."""
    for kind in read.figure_kinds:
        found.source.setdefault(kind, read)
