"""Form 1099-DIV amounts from shares held: exact dollars per box.

A broker reports a year's REIT dividends on Form 1099-DIV in boxes, whose
meanings are those of the form's edition for that tax year
(:data:`xl_reit.components.EDITIONS`): for 2023, box 1a total ordinary
dividends, 1b qualified dividends, 2a total capital gain distributions, 2b
unrecaptured Sec. 1250 gain, 2e and 2f Section 897 ordinary dividends and
capital gain, 3 nondividend distributions, 5 Section 199A dividends; a
release may add its Section 1061 disclosures, which are no box.

For one payment, a box holds *shares held on the record date × the box's
dollars per share in that payment*; a class's box is the sum over the
payments its tax year reports (for a payment split between two years, that
year's part), and the form's total the sum over classes. A class whose
release prints only annual totals gives *shares held all year × the year's
dollars per share*. A box the release does not print for a class, and its
printed figures do not determine, is ``None``: not printed, never 0.

Every figure is an exact ``Decimal``: rounding to cents is for display only,
and is left to whoever shows the figures (the command line's table and the
workbook show cents, the CSV and JSON output the exact figure).

This module is pure: no files, no Excel. The workbook computes the same sums
with formulas, from the same :func:`shown_figures` and :func:`form_boxes`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Context, Decimal
from typing import NamedTuple

from .components import COMPONENTS, Component, box_order, boxes_for_year, with_totals
from .model import Payment, SecurityClass

#: A quotient to as many significant digits as a figure's fraction has.
_QUOTIENT = Context(prec=34)

__all__ = [
    "Box",
    "Contribution",
    "Form1099DIV",
    "FormLine",
    "answered",
    "compute",
    "contributions",
    "form_boxes",
    "given_figures",
    "payment_amount",
    "received_amount",
    "shown_figures",
]


@dataclass(frozen=True)
class Box:
    """One box of Form 1099-DIV (or a disclosure beside it) and the figure it reports.

    ``number`` is the box as the form numbers it (``"1a"``), or ``None`` for
    a disclosure that has no box (Section 1061 amounts).
    """

    number: str | None
    component: Component

    @property
    def key(self) -> str:
        """How amounts are keyed: the box (``"1a"``), or the disclosure's name."""
        return self.number or self.component.name

    @property
    def heading(self) -> str:
        """The box as the form names it: ``Box 1a``; a disclosure by its label."""
        return f"Box {self.number}" if self.number else self.component.label

    def parts(self, shown: Iterable[str]) -> tuple[str, ...]:
        """The figures among ``shown`` whose columns add up to this box (in ``shown``'s order).

        The box's own figure when shown; else the two that make it up
        (ordinary and qualified for 1a), when both are shown; else none.
        """
        shown = tuple(shown)
        if self.component.name in shown:
            return (self.component.name,)
        parts = self.component.parts
        return tuple(name for name in shown if name in parts) if set(parts) <= set(shown) else ()


@dataclass(frozen=True)
class FormLine:
    """A share class's dollars in each box (keyed by :attr:`Box.key`; ``None``: not printed).

    ``all_year`` is true for a class whose release prints only annual
    totals: its amounts assume the shares were held all year.
    """

    security: SecurityClass
    amounts: Mapping[str, Decimal | None]
    all_year: bool = False


@dataclass(frozen=True)
class Form1099DIV:
    """The Form 1099-DIV amounts of one tax year: a line per class and the total."""

    tax_year: int
    boxes: tuple[Box, ...]
    lines: tuple[FormLine, ...]
    total: Mapping[str, Decimal | None]


def shown_figures(classes: Iterable[SecurityClass]) -> tuple[str, ...]:
    """The figures any of ``classes`` prints, in the vocabulary's order.

    These are the figure columns of the workbook and of ``xl-reit payments``:
    the 2004 table prints five parts (no Section 199A, which began in 2018),
    a 2023 release the boxes of its form.
    """
    published = frozenset().union(*(security.published for security in classes))
    return tuple(name for name in COMPONENTS if name in published)


def answered(classes: Iterable[SecurityClass]) -> frozenset[str]:
    """The figures some line of ``classes`` knows, printed or derived."""
    return frozenset(
        name for security in classes for line in security.lines for name in line.figures
    ) | frozenset(name for security in classes for name in security.annual.figures)


def given_figures(security: SecurityClass) -> frozenset[str]:
    """The figures a class-year's release gives, printed or derived, and the totals they make.

    A line that reports nothing in its year (Medical Properties Trust's payment
    of 2022-12-08, all of it 2023's, printed '-' throughout) knows every figure
    as $0, a part of nothing being nothing; that says nothing of which figures
    the release prints, so it gives no figure the class's other lines do not.
    """
    lines = [line for line in security.lines if not _reports_nothing(line)]
    if not lines:
        return with_totals(answered([security]))
    return with_totals(
        frozenset(name for line in lines for name in line.figures) | set(security.annual.figures)
    )


def _reports_nothing(line: Payment) -> bool:
    """A payment wholly allocable to another tax year: every figure of its own year is $0."""
    return line.other_tax_year is not None and all(
        figure.dollars == 0 for figure in line.figures.values()
    )


def form_boxes(tax_year: int, known: Iterable[str]) -> tuple[Box, ...]:
    """The boxes of ``tax_year``'s form that hold a figure in ``known``, then its disclosures.

    A total is known where both figures that make it up are (1a from ordinary and qualified).
    """
    names = with_totals(known)
    form = boxes_for_year(tax_year)
    boxes = tuple(Box(number, COMPONENTS[form[number]]) for number in box_order(form))
    boxes = tuple(box for box in boxes if box.component.name in names)
    disclosures = tuple(
        Box(None, component)
        for component in COMPONENTS.values()
        if component.disclosure and component.name in names
    )
    return boxes + disclosures


def payment_amount(payment: Payment, component: Component, shares: Decimal) -> Decimal | None:
    """Dollars of ``component`` in one payment for ``shares`` shares; ``None``: not known."""
    dollars = payment.dollars(component)
    return None if dollars is None else shares * dollars


def received_amount(payment: Payment, component: Component, received: Decimal) -> Decimal | None:
    """Dollars of ``component`` in ``received`` dollars of one payment: the figure's fraction.

    Where the figure's dollars per share and the dividend are known, the
    fraction is their quotient, taken last: ``received × dollars / dividend``
    is exact wherever it terminates ($305.10 of a $3.051 dividend whose box
    1a is $2.84345 a share is $284.345), else to 34 significant digits, as a
    figure's fraction is. ``None``: the figure is not known.
    """
    dollars = payment.dollars(component)
    dividend = payment.dividend_per_share
    if dollars is not None and dividend:
        return _QUOTIENT.divide(received * dollars, dividend)
    fraction = payment.fraction(component)
    return None if fraction is None else received * fraction


#: What is held on a payment: shares, or dollars received (``None``: none).
HeldFor = Callable[[Payment], "Decimal | None"]


class Contribution(NamedTuple):
    """One payment's part of a class's box: what was held on it, and the dollars it gives.

    ``amount`` is ``None`` where the payment lacks the figure.
    """

    payment: Payment
    shares: Decimal | None
    received: Decimal | None
    amount: Decimal | None


def contributions(
    security: SecurityClass,
    box: Box,
    shares_for: HeldFor,
    amount_for: HeldFor | None = None,
) -> tuple[Contribution, ...]:
    """The payments of a class's year that something is held on, with each one's dollars."""
    found = []
    for line in security.payments or (security.annual,):
        shares = shares_for(line) or None
        received = amount_for(line) if amount_for is not None else None
        if shares is None and received is None:
            continue
        amount: Decimal | None = Decimal(0)
        for held, part in (
            (shares, payment_amount(line, box.component, shares or Decimal(0))),
            (received, received_amount(line, box.component, received or Decimal(0))),
        ):
            if held is not None:
                amount = None if part is None or amount is None else amount + part
        found.append(Contribution(line, shares, received, amount))
    return tuple(found)


def _class_amount(
    security: SecurityClass,
    box: Box,
    shares_for: HeldFor,
    amount_for: HeldFor | None = None,
) -> Decimal | None:
    """The dollars of one box for one class, its payments' amounts added (``None``: not known).

    A payment that lacks the figure makes the box unknown only where something
    is held on it (or, for a class with annual totals only, always).
    """
    if box.component.name not in given_figures(security):
        return None  # the release never prints it (a line of $0s alone may know it)
    held = contributions(security, box, shares_for, amount_for)
    if security.annual_only and security.annual.dollars(box.component) is None:
        return None
    total = Decimal(0)
    for contribution in held:
        if contribution.amount is None:
            return None
        total += contribution.amount
    return total


def _sum(amounts: Iterable[Decimal | None]) -> Decimal | None:
    amounts = tuple(amounts)
    if any(amount is None for amount in amounts):
        return None
    return sum((amount for amount in amounts if amount is not None), Decimal(0))


def compute(
    classes: Iterable[SecurityClass],
    shares_for: HeldFor,
    amount_for: HeldFor | None = None,
) -> tuple[Form1099DIV, ...]:
    """The forms for ``classes``, one per tax year (oldest first).

    ``shares_for(payment)`` gives the shares held on a payment's record
    date, ``None`` for none; for a class with annual totals only it is
    asked about the class's annual line, and answers the shares held all
    year. ``amount_for(payment)``, where given, gives the dollars received on
    a payment (or the year) by holders who know the dollars and not the
    shares: each box gets those dollars times the figure's fraction.
    """
    by_year: dict[int, list[SecurityClass]] = {}
    for security in classes:
        by_year.setdefault(security.tax_year, []).append(security)
    forms = []
    for tax_year in sorted(by_year):
        year_classes = by_year[tax_year]
        boxes = form_boxes(tax_year, answered(year_classes))
        lines = tuple(
            FormLine(
                security,
                {box.key: _class_amount(security, box, shares_for, amount_for) for box in boxes},
                security.annual_only,
            )
            for security in year_classes
        )
        total = {box.key: _sum(line.amounts[box.key] for line in lines) for box in boxes}
        forms.append(Form1099DIV(tax_year, boxes, lines, total))
    return tuple(forms)
