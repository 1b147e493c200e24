"""Step 9: repairs and inferences — each payment's missing figures, proven or reported.

A figure that is damaged or not printed is repaired when the release proves it:
the value printed on every other row of its column (and on the annual line), the
value printed on every row of every other table, or for a dividend the printed
annual dividend less the other payments. A preferred class's fixed dividend
carried to a row is only inferred: a gap. Every decision looks only at figures
printed legibly, never at another repair's result; what nothing proves is a
problem.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from ..errors import shown
from .classes import ClassRead
from .model import (
    FIGURE_KINDS,
    NO_FIGURES,
    Cell,
    NoteRank,
    Row,
    TableRead,
    column_label,
    payment_name,
)
from .report import MAX_EVIDENCE, FindingKind, Findings, clip, some


class PrintedFigure(NamedTuple):
    """A legible figure the release prints on a payment row, and where."""

    table: TableRead
    value: Decimal
    text: str  # as printed: "1.6588%"
    line: int


class PrintedColumn:
    """Every legible figure the release prints in one kind of column, on payment rows.

    The figures of one table stand together, in the release's order, and the
    values are counted (in all, and by table), so what the tables besides one
    print is told in time proportional to that one table.
    """

    def __init__(self) -> None:
        self.figures: list[PrintedFigure] = []
        self._values: Counter[Decimal] = Counter()
        self._of_table: defaultdict[int, Counter[Decimal]] = defaultdict(Counter)

    def add(self, figure: PrintedFigure) -> None:
        self.figures.append(figure)
        self._values[figure.value] += 1
        self._of_table[id(figure.table)][figure.value] += 1

    def besides(self, table: TableRead) -> _Elsewhere | None:
        """What every table but ``table`` prints, when it is one value; else ``None``."""
        own = self._of_table.get(id(table), NO_FIGURES)
        if len(self._values) > len(own) + 1:
            return None  # two values at least are printed elsewhere
        values = [value for value, count in self._values.items() if count > own[value]]
        if len(values) != 1:
            return None
        window = self.figures[: sum(own.values()) + MAX_EVIDENCE]  # the table's, and more
        elsewhere = [figure for figure in window if figure.table is not table][:MAX_EVIDENCE]
        return _Elsewhere(elsewhere[0], tuple(figure.line for figure in elsewhere))


class _Elsewhere(NamedTuple):
    """The first figure the other tables print (all of one value), and (some of) their lines."""

    figure: PrintedFigure
    evidence: tuple[int, ...]


#: Every legible figure the release prints on a payment row, by column kind.
Printed = Mapping[str, PrintedColumn]


def consensus(classes: Sequence[ClassRead]) -> dict[str, PrintedColumn]:
    """Every legible figure the release prints on a payment row, by column kind."""
    printed: defaultdict[str, PrintedColumn] = defaultdict(PrintedColumn)
    rows = ((read, row) for found in classes for read in found.reads for row in read.rows)
    for read, row in rows:
        for kind, cell in row.cells.items():
            if cell.value is not None and cell.printed:
                figure = PrintedFigure(read, cell.value, cell.text, cell.lines[0])
                printed[kind].add(figure)
    return dict(printed)


@dataclass(frozen=True)
class _Fix:
    """A figure for a cell the text does not show legibly, with its evidence."""

    cell: Cell
    kind: FindingKind  # "repair" when the release proves it, "gap" when only inferred
    text: str
    evidence: tuple[int, ...]


@dataclass(frozen=True)
class _Column:
    """One figure column of a class's payments as printed: what each repair of it looks at.

    Worked out once a column, so a column of many damaged figures is repaired
    in time linear in its length.
    """

    kind: str
    cells: Sequence[Cell | None]
    legible: Sequence[tuple[int, Cell]]  # (row, cell) of each legible figure
    values: frozenset[Decimal | None]  # the values of the legible figures
    fragments: tuple[str, ...]  # the pieces of its damaged figures, each once
    all_damaged: bool  # every row prints a damaged figure
    evidence: tuple[int, ...]  # the lines of (up to MAX_EVIDENCE of) its legible figures

    @classmethod
    def of(cls, kind: str, cells: Sequence[Cell | None]) -> _Column:
        legible = [(index, c) for index, c in enumerate(cells) if c is not None and c.legible]
        fragments = tuple(dict.fromkeys(f for c in cells if c for f in c.fragments))
        damaged = bool(fragments) and all(c is not None and c.fragments for c in cells)
        lines = itertools.chain.from_iterable(c.lines for _, c in legible)
        evidence = tuple(itertools.islice(lines, MAX_EVIDENCE))
        values = frozenset(c.value for _, c in legible)
        return cls(kind, cells, legible, values, fragments, damaged, evidence)

    @property
    def missing(self) -> int:
        return len(self.cells) - len(self.legible)

    def subject(self, index: int) -> str:
        """What is wrong with one cell: "ordinary column damaged ('1.' '.6588%')" …"""
        label = column_label(self.kind)
        cell = self.cells[index]
        if self.all_damaged:
            return f"{label} column damaged ({some(self.fragments, shown, ' ')})"
        if cell is not None and cell.fragments:
            return f"{label} damaged ({some(cell.fragments, shown, ' ')})"
        return f"{label} not legible"


def repair(
    found: ClassRead,
    printed: Printed,
    findings: Findings,
) -> None:
    """Complete each payment's figures from what the release proves, or report the gap.

    Every decision looks only at figures printed legibly, never at another
    repair's result.
    """
    kinds = [k for k in FIGURE_KINDS if k in found.source and k != "unsupported"]
    rows = found.figured
    original = {kind: [row.cells.get(kind) for row in rows] for kind in kinds}
    for kind, cells in original.items():
        column = _Column.of(kind, cells)
        frequency = _frequency(rows) if kind == "dividend" else ""
        fixes = []
        for index, (row, cell) in enumerate(zip(rows, cells, strict=True)):
            if cell is not None and cell.legible:
                continue
            fix = (
                _dividend_fix(found, index, column, frequency)
                if kind == "dividend"
                else _part_fix(found, index, column, printed.get(kind))
            )
            if fix is None:
                findings.add(
                    "problem",
                    f"{payment_name(row)}: {column.subject(index)}; not proven by any "
                    "other figure of the release",
                    row.lines,
                    found.class_name,
                )
            else:
                fixes.append((row, fix))
        for row, fix in fixes:
            row.cells[kind] = fix.cell
            order = 0 if kind == "dividend" else FIGURE_KINDS.index(kind)
            row.note(NoteRank.REPAIR if fix.kind == "repair" else NoteRank.GAP, order, fix.text)
            findings.add(
                fix.kind,
                f"{payment_name(row)}: {fix.text}",
                (*row.lines, *fix.evidence),
                found.class_name,
            )
    if found.annual is not None:
        _note_annual_gaps(found, found.annual, original, findings)


def _fragments_fit(fragments: Sequence[str], text: str) -> bool:
    """Whether the pieces of a damaged figure are pieces of ``text`` ('1.' of '1.6588%')."""
    return all(fragment in text for fragment in fragments)


def _part_fix(
    found: ClassRead, index: int, column: _Column, printed: PrintedColumn | None
) -> _Fix | None:
    """A part's figure, proven when one value is printed on every other row of its column
    (and on the annual line), or on every row of every other table of the release.

    The row must then add up to 100%, which :func:`interpret` checks.
    """
    subject = column.subject(index)
    cell = column.cells[index]
    own = cell.fragments if cell is not None else ()
    annual = found.annual.cells.get(column.kind) if found.annual else None
    on_annual = annual is not None and annual.legible
    values = column.values | ({annual.value} if annual and on_annual else set())
    first = column.legible[0][1] if column.legible else None  # not this row's: not legible
    if first is not None and len(values) == 1 and _fragments_fit(own, first.text):
        where = "every other row" + (" and on the annual line" if on_annual else "")
        text = (
            f"{subject}: {clip(first.text, 60)} is the value printed on {where} of the same column"
        )
        return _Fix(_copy(first, column.evidence), "repair", text, column.evidence)
    elsewhere = printed.besides(found.source[column.kind]) if printed else None
    if elsewhere is not None and _fragments_fit(own, elsewhere.figure.text):
        value, figure = elsewhere.figure.value, elsewhere.figure.text
        text = (
            f"{subject}: {clip(figure, 60)} is the value printed on every row of every other table"
        )
        unit = "%" if figure.endswith("%") else "$" if figure.startswith("$") else ""
        cell = Cell(value, figure, unit, elsewhere.evidence, printed=False)
        return _Fix(cell, "repair", text, elsewhere.evidence)
    return None


def _copy(cell: Cell, evidence: tuple[int, ...]) -> Cell:
    return Cell(cell.value, cell.text, cell.unit, evidence, printed=False)


def _dividend_fix(found: ClassRead, index: int, column: _Column, frequency: str) -> _Fix | None:
    """A payment whose dividend is not legible.

    Proven when the annual dividend is printed and this is the one payment
    missing: the annual dividend less the others. Inferred (a gap) for a
    preferred class, whose dividend is a fixed rate, when every printed
    dividend of the class is the same: carried to this row and marked
    (``frequency`` is how often the class pays, :func:`_frequency`).
    """
    others = column.legible  # this row's dividend is not legible
    annual = found.annual.cells.get("dividend") if found.annual else None
    subject = column.subject(index)
    if annual is not None and annual.value is not None and column.missing == 1:
        value = annual.value - sum((c.value or Decimal(0) for _, c in others), Decimal(0))
        if value > 0:
            text = (
                f"{subject}: ${clip(str(value), 60)} is the printed annual dividend less the "
                "other payments"
            )
            cell = Cell(value, f"${value}", "$", annual.lines, printed=False)
            return _Fix(cell, "repair", text, annual.lines)
    if "preferred" not in found.class_name.lower() or len(column.values) != 1:
        return None
    first_index, first = others[0]
    if len(others) == 1:
        payable = found.figured[first_index].payable
        evidence = f"the only figure printed in the column ({payable.text if payable else '?'} row)"
    else:
        evidence = "the figure printed on every other row of the column"
    text = (
        f"{subject}: {clip(first.text, 60)} is {evidence}, carried to this row as the class's "
        f"fixed {frequency}preferred dividend (inferred)"
    )
    return _Fix(_copy(first, first.lines), "gap", text, first.lines)


def _note_annual_gaps(
    found: ClassRead,
    annual: Row,
    original: Mapping[str, Sequence[Cell | None]],
    findings: Findings,
) -> None:
    """An annual line that lacks a figure: not printed, or not legible."""
    for kind, cells in original.items():
        cell = annual.cells.get(kind)
        if cell is not None and cell.legible:
            continue
        read = found.source[kind]
        damaged = any(c is not None and c.fragments for c in (*cells, cell))
        if damaged:
            text = f"annual {column_label(kind)} not legible"
        else:
            lost = f" (lost with the {read.name} table)" if read.damaged else ""
            text = f"annual {column_label(kind)} not printed{lost}"
        annual.note(NoteRank.GAP, FIGURE_KINDS.index(kind), text)
        # A totals line that simply prints fewer figures hides nothing: said, no gap.
        findings.add(
            "gap" if damaged or read.damaged else "reading", text, annual.lines, found.class_name
        )


def _frequency(payments: Sequence[Row]) -> str:
    """ "quarterly ", "monthly " or "semi-annual " from the gaps between payable dates."""
    days = sorted(r.payable.day for r in payments if r.payable and r.payable.day)
    gaps = {(b - a).days for a, b in itertools.pairwise(days)}
    for name, low, high in (("monthly", 28, 31), ("quarterly", 89, 92), ("semi-annual", 181, 184)):
        if gaps and all(low <= gap <= high for gap in gaps):
            return f"{name} "
    return ""
