"""Form 1099-DIV amounts from shares held: exact dollars per box.

A broker reports a year's REIT dividends on Form 1099-DIV in boxes that
each hold one component of the payments (:data:`xl_reit.components.FORM_1099_DIV_BOXES`);
for tax year 2004: box 1a total ordinary dividends (ordinary + qualified),
1b qualified dividends, 2a total capital gain distributions (capital gain +
unrecaptured 1250), 2b unrecaptured Sec. 1250 gain, 3 nondividend
distributions (return of capital).

For one payment, a box holds *shares held on the record date × dividend per
share × the fraction of the payment that the box's component is*; a class's
box is the sum over its payments, and the form's total the sum over classes.
Every figure here is an exact ``Decimal``: rounding to cents is for display
only, and is left to whoever shows the figures (the command line's table and
the workbook show cents, the CSV and JSON output the exact figure).

This module is pure: no files, no Excel. The workbook computes the same sums
with formulas, from the same :func:`shown_parts` and :func:`form_boxes`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .components import COMPONENTS, PARTS, Component, boxes_for_year, valid_names
from .model import Payment, SecurityClass

__all__ = [
    "Box",
    "Form1099DIV",
    "FormLine",
    "compute",
    "form_boxes",
    "payment_amount",
    "shown_parts",
]


@dataclass(frozen=True)
class Box:
    """One box of Form 1099-DIV and the allocation component it reports."""

    number: str
    component: Component

    @property
    def heading(self) -> str:
        """The box as the form names it: ``Box 1a``."""
        return f"Box {self.number}"

    def parts(self, shown: Iterable[str]) -> tuple[str, ...]:
        """The published parts this box adds up, among ``shown`` (in the release's order)."""
        shown = tuple(shown)
        return tuple(part for part in shown if part in self.component.parts)


@dataclass(frozen=True)
class FormLine:
    """A share class's dollars in each box (keyed by box number: ``"1a"``)."""

    security: SecurityClass
    amounts: Mapping[str, Decimal]


@dataclass(frozen=True)
class Form1099DIV:
    """The Form 1099-DIV amounts of one tax year: a line per class and the total."""

    tax_year: int
    boxes: tuple[Box, ...]
    lines: tuple[FormLine, ...]
    total: Mapping[str, Decimal]


def shown_parts(classes: Iterable[SecurityClass]) -> tuple[str, ...]:
    """The parts any of ``classes`` publishes, in the release's order.

    These are the component columns of the workbook: 2004 tables publish
    five (no Section 199A, which began in 2018).
    """
    published = frozenset().union(*(security.published for security in classes))
    return tuple(part for part in PARTS if part in published)


def form_boxes(tax_year: int, published: Iterable[str]) -> tuple[Box, ...]:
    """The boxes of ``tax_year``'s form that hold something the table publishes."""
    answered = valid_names(tax_year, frozenset(published))
    return tuple(
        Box(number, COMPONENTS[name])
        for number, name in boxes_for_year(tax_year).items()
        if name in answered
    )


def payment_amount(payment: Payment, component: Component, shares: Decimal) -> Decimal:
    """Dollars of ``component`` in one payment: shares × dividend per share × fraction."""
    assert payment.dividend_per_share is not None  # every payment row carries one
    return shares * payment.dividend_per_share * payment.fraction(component)


def _sum(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal(0))


def compute(
    classes: Iterable[SecurityClass], shares_for: Callable[[Payment], Decimal | None]
) -> tuple[Form1099DIV, ...]:
    """The forms for ``classes``, one per tax year (oldest first).

    ``shares_for(payment)`` gives the shares held on a payment's record
    date, ``None`` for none.
    """
    by_year: dict[int, list[SecurityClass]] = {}
    for security in classes:
        by_year.setdefault(security.tax_year, []).append(security)
    forms = []
    for tax_year in sorted(by_year):
        year_classes = by_year[tax_year]
        boxes = form_boxes(tax_year, shown_parts(year_classes))
        lines = tuple(
            FormLine(
                security,
                {
                    box.number: _sum(
                        payment_amount(payment, box.component, shares_for(payment) or Decimal(0))
                        for payment in security.payments
                    )
                    for box in boxes
                },
            )
            for security in year_classes
        )
        total = {box.number: _sum(line.amounts[box.number] for line in lines) for box in boxes}
        forms.append(Form1099DIV(tax_year, boxes, lines, total))
    return tuple(forms)
