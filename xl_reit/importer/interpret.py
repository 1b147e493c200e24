"""Step 10: what the figures mean, told by the arithmetic, and their conversion to percentages.

A release prints the parts as percentages of each payment or as dollars per
share, and its 1099-DIV columns either add up (additive) or sit inside one another
(nested: qualified and Section 199A dividends within total ordinary dividends,
unrecaptured 1250 gain within total capital gain). Every reading the columns allow
is tried, the plainest first, and the one under which the most payments add up is
taken: a payment that still does not add up is a problem, and so are readings that
all add up but give different figures. The figures are then converted to the
table's disjoint percentages, dollars checked against the annual line.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, Inexact, localcontext

from ..components import PARTS
from .classes import ClassRead
from .model import (
    FIGURE_KINDS,
    PART_ORDER,
    NoteRank,
    Row,
    and_list,
    column_label,
    has_legible,
    payment_name,
    value_of,
)
from .report import Findings, clip

HUNDRED = Decimal(100)

#: Figures printed inside ordinary dividends that are no part of their own: Section 199A
#: dividends are within box 1a (box 5), beside the qualified and the other ordinary ones.
_INSIDE = ("section_199a",)

_NESTS = {
    "qualified": ("total_ordinary", "ordinary"),
    "section_199a": ("total_ordinary", "ordinary"),
    "unrecaptured_1250": ("total_capital_gain", "capital_gain"),
}


@dataclass(frozen=True)
class Reading:
    """How a class's figures are printed: the unit, and which columns sit inside another."""

    unit: str  # "%" (of the payment) or "$" (per share)
    nested: Mapping[str, str]  # sub-column → the column it is part of

    def describe(self) -> str:
        unit = "percentages of each payment" if self.unit == "%" else "dollars per share"
        if not self.nested:
            return f"{unit}; additive columns (the parts add up to the payment as printed)"
        inside = "; ".join(
            f"{column_label(s)} within {column_label(p)}" for s, p in self.nested.items()
        )
        return f"{unit}; nested 1099-DIV columns ({inside})"

    def disjoint(self, values: Mapping[str, Decimal]) -> dict[str, Decimal]:
        """The schema's disjoint parts: each total less the columns printed inside it.

        A total whose inner column is not printed (an annual line may omit
        one) cannot be split and is left out.
        """
        parts = dict(values)
        for sub, parent in self.nested.items():
            if sub in _INSIDE:
                continue  # a figure inside its column, not a part of its own: it stays in
            if parent in parts and sub in parts:
                parts[parent] -= parts[sub]
            elif parent in parts:
                del parts[parent]
        for total, part in (("total_ordinary", "ordinary"), ("total_capital_gain", "capital_gain")):
            if total in parts:
                parts[part] = parts.pop(total)
        for inner in _INSIDE:
            if inner in parts and inner not in self.nested and "ordinary" in parts:
                parts["ordinary"] += parts[inner]  # printed as a part of its own: put it back in
        return parts

    def derivation(self) -> str:
        """How the disjoint parts come from nested columns, for the notes."""
        pieces = []
        nested = {sub: outer for sub, outer in self.nested.items() if sub not in _INSIDE}
        for parent in dict.fromkeys(nested.values()):
            inside = [column_label(sub) for sub, outer in nested.items() if outer == parent]
            part = column_label(parent.removeprefix("total_"))
            pieces.append(
                f"{part} is the printed {column_label(parent)} column less {and_list(inside)}"
            )
        return "; ".join(pieces)


def _readings(kinds: Sequence[str], units: set[str]) -> list[Reading]:
    """Every reading of the columns: units, then each nesting the columns allow."""
    candidates = []
    subs = []
    for sub, parents in _NESTS.items():
        parent = next((p for p in parents if p in kinds), None)
        if sub in kinds and parent:
            subs.append((sub, parent))
    forced = {sub for sub, parent in subs if parent.startswith("total_")}
    for unit in ("%", "$"):
        if unit not in units:
            continue
        for size in range(len(subs) + 1):
            for chosen in itertools.combinations(subs, size):
                if forced <= {sub for sub, _ in chosen}:
                    candidates.append(Reading(unit, dict(chosen)))
    return candidates


def _adds_up(reading: Reading, row: Row, parts: Sequence[str]) -> bool:
    values = {k: row.cells[k].value for k in parts if has_legible(row, k)}
    dividend = row.cells["dividend"].value if has_legible(row, "dividend") else None
    if len(values) != len(parts) or dividend is None:
        return False
    total = sum(
        (v for k, v in values.items() if v is not None and k not in reading.nested), Decimal(0)
    )
    return total == (HUNDRED if reading.unit == "%" else dividend)


def interpret(found: ClassRead, findings: Findings) -> Reading | None:
    """Decide the unit and the nesting from the arithmetic: every payment must add up."""
    name = found.class_name
    parts = [k for k in PART_ORDER if k in found.source]
    if "total_ordinary" in parts and "ordinary" in parts:
        findings.add("problem", "both a total ordinary and an ordinary column", (), name)
        return None
    signs = {row.cells[k].unit for row in found.payments for k in parts}
    if {"%", "$"} <= signs:
        findings.add("problem", "parts printed both in percent and in dollars", (), name)
        return None
    units = {"%"} if "%" in signs else {"$"} if "$" in signs else {"%", "$"}
    candidates = _readings(parts, units)  # the plainest first: additive, percent
    scores = [sum(_adds_up(c, row, parts) for row in found.payments) for c in candidates]
    best = max(scores)
    fitting = [c for c, score in zip(candidates, scores, strict=True) if score == best]
    results = {
        tuple(
            tuple(sorted(c.disjoint({k: r.cells[k].value or Decimal(0) for k in parts}).items()))
            for r in found.payments
        )
        for c in fitting
    }
    if best == len(found.payments) and len(results) > 1:
        findings.add(
            "problem",
            "the parts add up in more than one way ("
            + "; ".join(c.describe() for c in fitting)
            + "); which columns sit inside which cannot be told",
            (),
            name,
        )
        return None
    reading = fitting[0]
    for row in found.payments:
        if not _adds_up(reading, row, parts):
            values = [
                row.cells[k].value for k in parts if k not in reading.nested and has_legible(row, k)
            ]
            total = sum((v for v in values if v is not None), Decimal(0))
            target = (
                "100%"
                if reading.unit == "%"
                else f"the dividend {clip(row.cells['dividend'].text, 60)}"
            )
            unit = "%" if reading.unit == "%" else ""
            findings.add(
                "problem",
                f"{payment_name(row)}: the parts add up to {total}{unit}, not {target}",
                sorted(row.lines),
                name,
            )
    found.reading = reading.describe()
    return reading


def _percent(amount: Decimal, dividend: Decimal) -> tuple[Decimal, bool]:
    """``amount`` as a percentage of ``dividend``, and whether that is exact."""
    with localcontext() as context:
        context.prec = 60
        context.clear_flags()
        value = amount * HUNDRED / dividend
        exact = not context.flags[Inexact]
    if not exact:
        return value.quantize(Decimal("1e-10")), False
    value = value.normalize()  # at least the four decimals releases print: 4 → 4.0000
    exponent = value.as_tuple().exponent
    return (
        value.quantize(Decimal("1e-4")) if isinstance(exponent, int) and exponent > -4 else value
    ), True


def convert(found: ClassRead, reading: Reading, findings: Findings) -> None:
    """The schema's figures: disjoint parts, in percent of each payment.

    In a release of dollars per share the payments' disjoint parts must add
    up, part by part, to the annual line's (checked here, in dollars: a
    percentage of a dollar figure need not come out exact).
    """
    parts = [k for k in PART_ORDER if k in found.source]
    dollars: list[dict[str, Decimal]] = []
    found.parts = tuple(p for p in PARTS if p in reading.disjoint(dict.fromkeys(parts, HUNDRED)))
    for row in found.payments:
        disjoint = reading.disjoint({k: value_of(row, k) for k in parts})
        if any(value < 0 for value in disjoint.values()):
            findings.add(
                "problem",
                f"{payment_name(row)}: a part printed inside another is larger than it",
                sorted(row.lines),
                found.class_name,
            )
            return
        if reading.unit == "$":
            dollars.append(disjoint)
            disjoint = _payment_percentages(row, disjoint, value_of(row, "dividend"))
        found.percentages.append(disjoint)
    if found.annual is not None:
        annual = found.annual
        disjoint = reading.disjoint(
            {k: value_of(annual, k) for k in parts if has_legible(annual, k)}
        )
        if reading.unit == "$":
            _check_annual_dollars(found, dollars, disjoint, findings)
            dividend = value_of(annual, "dividend") if has_legible(annual, "dividend") else None
            disjoint = _annual_percentages(annual, disjoint, dividend)
        found.annual_percentages = disjoint
    notes = []
    if reading.derivation():
        notes.append(f"the release prints nested 1099-DIV columns: {reading.derivation()}")
    if reading.unit == "$":
        notes.append("percentages computed from the printed dollars per share (part / dividend)")
    for row in [*found.payments, *([found.annual] if found.annual else [])]:
        for order, text in enumerate(notes):
            row.note(NoteRank.DERIVATION, order, text)


def _payment_percentages(
    row: Row, parts: dict[str, Decimal], dividend: Decimal
) -> dict[str, Decimal]:
    """Dollar parts as percentages of the dividend; rounded (and noted) when not exact."""
    converted = {k: _percent(v, dividend) for k, v in parts.items()}
    values = {k: value for k, (value, _) in converted.items()}
    if all(exact for _, exact in converted.values()):
        return values
    largest = max(values, key=lambda k: values[k])
    remainder = HUNDRED - sum(values.values(), Decimal(0))
    values[largest] += remainder
    row.note(
        NoteRank.REPAIR,
        len(FIGURE_KINDS),
        f"percentages rounded to 10 decimal places; {column_label(largest)} takes the remainder "
        f"{remainder} so the parts add up to 100",
    )
    return values


def _annual_percentages(
    annual: Row, parts: dict[str, Decimal], dividend: Decimal | None
) -> dict[str, Decimal]:
    if dividend is None:
        return {}
    converted = {k: _percent(v, dividend) for k, v in parts.items()}
    if all(exact for _, exact in converted.values()):
        return {k: value for k, (value, _) in converted.items()}
    annual.note(
        NoteRank.GAP,
        len(FIGURE_KINDS),  # after the annual line's figures not printed
        "annual parts checked in dollars; as percentages they do not come out exact and are "
        "left blank",
    )
    return {}


def _check_annual_dollars(
    found: ClassRead,
    payments: Sequence[Mapping[str, Decimal]],
    annual: Mapping[str, Decimal],
    findings: Findings,
) -> None:
    assert found.annual is not None
    for part, printed in annual.items():
        total = sum((p[part] for p in payments if part in p), Decimal(0))
        if total != printed:
            findings.add(
                "problem",
                f"the annual line prints {column_label(part)} ${clip(str(printed), 60)}; the "
                f"payments add up to ${clip(str(total), 60)}",
                sorted(found.annual.lines),
                found.class_name,
            )
