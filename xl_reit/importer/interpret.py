"""Step 10: what each printed column is, told by the arithmetic; the figures as printed.

A release names its columns loosely. "Ordinary Dividends" may be box 1a of Form
1099-DIV (total ordinary dividends, the qualified ones inside it) or the
ordinary dividends that are not qualified (1a less 1b); "Capital Gain" may be
box 2a or 2a less the unrecaptured 1250 gain (2b); a figure printed without
``$`` or ``%`` may be dollars per share or a percentage of the payment. Every
reading the columns allow is tried, the plainest first, and each payment's
figures are worked out as the table will work them out
(:func:`xl_reit.figures.resolve`: 1a + 2a + 3 is the dividend, a figure inside
another is at most that one, within the printed digits). The reading under
which the most payments add up is taken; a payment that still does not add up
is a problem that names its figures and amounts, and so are readings that all
add up but give different figures.

Nothing is converted: each figure is written as printed (``$0.101881``,
``1.6588``), in the column the reading names. A column read as another name
than its header's is said in the report and in every row's notes.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..components import COMPONENTS, SPLITS
from ..figures import Resolution, resolve
from ..model import Printed
from .classes import ClassRead
from .lines import line_numbers
from .model import NoteRank, Row, and_list, column_label, has_legible, payment_name
from .report import Findings

#: A column headed with the generic word, and what it may be: the part, or its box.
_LOOSE = {"ordinary": "total_ordinary", "capital_gain": "total_capital_gain"}
#: The total each loose column is a part of, and the other part that makes it up.
_SIBLING = {part: other for parts in SPLITS.values() for part, other in (parts, parts[::-1])}


@dataclass(frozen=True)
class Reading:
    """How a class's figures are printed: the unit of bare figures, and each loose column's name.

    ``unit`` is ``"$"`` or ``"%"``, for figures printed without a sign;
    ``bare`` says whether any figure but a nil is (a nil, "0" or a dash, is
    the same in either unit). ``names`` maps a loose column ("ordinary") to
    the figure it is read as ("total_ordinary").
    """

    unit: str
    names: Mapping[str, str]
    bare: bool = False

    def name(self, kind: str) -> str:
        return self.names.get(kind, kind)

    def renamed(self) -> list[tuple[str, str]]:
        return [(kind, name) for kind, name in self.names.items() if name != kind]

    def describe(self, units: set[str]) -> str:
        shown = sorted(units | ({self.unit} if self.bare else set()))
        pieces = [and_list([_unit_name(unit) for unit in shown])] if shown else []
        pieces += [
            f"the {column_label(kind)} column is {_box(name)}" for kind, name in self.renamed()
        ]
        if self.bare:
            pieces.append(f"figures printed without $ or % are {_unit_name(self.unit)}")
        return "; ".join(pieces)


def _box(name: str) -> str:
    """ "total ordinary (box 1a)" for a figure the form has a box for."""
    boxes = {"total_ordinary": "1a", "total_capital_gain": "2a", "return_of_capital": "3"}
    label = column_label(name)
    return f"{label} (box {boxes[name]})" if name in boxes else label


def _unit_name(unit: str) -> str:
    return "percentages of each payment" if unit == "%" else "dollars per share"


def figure_kinds(found: ClassRead) -> list[str]:
    """The class's printed columns that are figures of the table, in the vocabulary's order."""
    return [kind for kind in (*COMPONENTS, *_LOOSE) if kind in found.source and kind in COMPONENTS]


def _readings(kinds: Sequence[str], units: set[str], bare: bool) -> list[Reading]:
    """Every reading of the columns: the unit of bare figures, then each loose column's name.

    A loose column is its box unless the other part of that box is printed
    too ("Ordinary" beside "Qualified"): then it may be either, the part first.
    """
    options: list[list[tuple[str, str]]] = []
    for kind, total in _LOOSE.items():
        if kind not in kinds:
            continue
        if total in kinds:
            options.append([(kind, kind)])
        elif _SIBLING[kind] in kinds:
            options.append([(kind, kind), (kind, total)])
        else:
            options.append([(kind, total)])
    tried = ("%", "$") if bare else ("$",) if "$" in units or not units else ("%",)
    return [
        Reading(unit, dict(names), bare) for unit in tried for names in itertools.product(*options)
    ]


def printed_figures(row: Row, kinds: Sequence[str], reading: Reading) -> dict[str, Printed]:
    """A row's legible figures as printed, under the names the reading gives them."""
    printed: dict[str, Printed] = {}
    for kind in kinds:
        cell = row.cells.get(kind)
        if cell is None or cell.value is None:
            continue
        unit = cell.unit or reading.unit
        printed[reading.name(kind)] = (
            Printed(dollars=cell.value, percent=cell.percent)
            if unit == "$"
            else Printed(percent=cell.value)
        )
    return printed


def dividend_of(row: Row) -> Decimal | None:
    """The part of the payment the release's year reports: less any allocable to another year."""
    if not has_legible(row, "dividend"):
        return None
    value = row.cells["dividend"].value
    other = row.cells.get("other_year")
    return value - other.value if value is not None and other and other.value else value


def _resolved(row: Row, kinds: Sequence[str], reading: Reading) -> Resolution:
    return resolve(printed_figures(row, kinds, reading), dividend_of(row), row.excess)


def _outcome(resolution: Resolution) -> tuple[tuple[str, Decimal | None, Decimal | None], ...]:
    """What a reading makes of a row: every figure's dollars and fraction."""
    return tuple(
        (name, figure.dollars, figure.fraction) for name, figure in resolution.figures.items()
    )


def interpret(found: ClassRead, findings: Findings) -> Reading | None:
    """Decide the loose columns' names and the bare figures' unit: every payment must add up."""
    name = found.class_name
    kinds = figure_kinds(found)
    rows = found.figured or ([found.annual] if found.annual else [])  # a year's totals only
    if not rows and found.payments:  # each printed with its dates alone: another year's
        findings.add(
            "problem",
            "no payment prints a figure (each is another tax year's, or its figures are "
            "missing): nothing of the class to write",
            [line for row in found.payments for line in row.lines],
            name,
        )
        return None
    if not rows:
        return None  # a heading without tables (said where the tables are found)
    if "dividend" not in found.source:
        findings.add(
            "problem", "no dividend per share column: nothing to check the figures by", (), name
        )
        return None
    if not kinds:  # a dividend alone: a table row needs a figure of the allocation
        findings.add(
            "problem",
            "no column of the allocation's figures (ordinary dividends, capital gain, return "
            "of capital …): nothing to import",
            (),
            name,
        )
        return None
    cells = [row.cells[k] for row in rows for k in kinds if k in row.cells]
    units = {cell.unit for cell in cells if cell.value is not None and cell.unit}
    bare = any(cell.value and not cell.unit for cell in cells)
    candidates = _readings(kinds, units, bare)
    outcomes = [[_resolved(row, kinds, c) for row in rows] for c in candidates]
    scores = [sum(not r.problems for r in rows) for rows in outcomes]
    best = max(scores)
    fitting = [i for i, score in enumerate(scores) if score == best]
    if best == len(rows) and len({_key(outcomes[i]) for i in fitting}) > 1:
        ways = "; ".join(candidates[i].describe(units) for i in fitting)
        findings.add(
            "problem",
            f"the figures add up in more than one way ({ways}); which column is which cannot "
            "be told",
            (),
            name,
        )
        return None
    reading = candidates[fitting[0]]
    for row, resolution in zip(rows, outcomes[fitting[0]], strict=True):
        for _, message in resolution.problems:
            findings.add("problem", f"{payment_name(row)}: {message}", sorted(row.lines), name)
    found.reading = reading.describe(units)
    return reading


def _key(rows: Sequence[Resolution]) -> tuple[object, ...]:
    return tuple(_outcome(resolution) for resolution in rows)


def convert(found: ClassRead, reading: Reading, findings: Findings) -> None:
    """The table's figures: each printed figure as printed, under the reading's names.

    A loose column read as its box, and bare figures read in a unit, are
    said in the report; where the arithmetic told it (a loose column with the
    other part of its box printed, a unit), in the notes of every row too.
    """
    kinds = figure_kinds(found)
    found.printed = [printed_figures(row, kinds, reading) for row in found.payments]
    if found.annual is not None:
        found.annual_printed = printed_figures(found.annual, kinds, reading)
    found.parts = tuple(
        name
        for name in COMPONENTS
        if any(name in p for p in [*found.printed, found.annual_printed])
    )
    readings = [
        (_renamed_note(kind, name, kinds), _header_lines(found, kind), _SIBLING[kind] in kinds)
        for kind, name in reading.renamed()
    ]
    if reading.bare:
        text = f"figures printed without $ or % are {_unit_name(reading.unit)}: so they add up"
        readings.append((text, _header_lines(found, "dividend"), True))
    for text, lines, _ in readings:
        findings.add("reading", text, lines, found.class_name)
    notes = [text for text, _, by_arithmetic in readings if by_arithmetic]
    for row in [*found.payments, *([found.annual] if found.annual else [])]:
        for order, text in enumerate(notes):
            row.note(NoteRank.DERIVATION, order, text)


def _header_lines(found: ClassRead, kind: str) -> tuple[int, ...]:
    """The header lines of the table that prints a column, for the report."""
    read = found.source.get(kind)
    return line_numbers(read.text.header) if read is not None else ()


def _renamed_note(kind: str, name: str, kinds: Sequence[str]) -> str:
    """Why a loose column is written as its box, for the report and the notes."""
    sibling = column_label(_SIBLING[kind])
    why = (
        f"{sibling} is inside it, as the parts add up to the dividend"
        if _SIBLING[kind] in kinds
        else f"no {sibling} column is printed"
    )
    return f"the {column_label(kind)} column is {_box(name)}: {why}"
