"""A lot's cost basis after return of capital, carried across the tax years loaded.

Box 3 of Form 1099-DIV, *nondividend distributions*, is return of capital:
not taxed when received, but it lowers the cost basis of the shares it was
paid on. Once the basis is down to zero, any more return of capital is
capital gain (the form's instructions to the recipient: "Nondividend
distributions … reduce your basis … any amount in excess of your basis is
reported as capital gain"). So each year a lot's basis is carried on::

    basis after = max(0, basis before − return of capital)
    capital gain = max(0, return of capital − basis before)

where the lot's return of capital in a year is, over the payments it holds
(:class:`xl_reit.holdings.Held`), shares × the payment's dollars per share of
return of capital, or dollars received × its fraction. Every figure is an
exact ``Decimal``. This module is pure: the lots come from
:mod:`xl_reit.holdings`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .components import COMPONENTS
from .form1099 import payment_amount, received_amount
from .holdings import Held, Lot

__all__ = ["YearBasis", "carry", "return_of_capital"]

_ROC = COMPONENTS["return_of_capital"]
_ZERO = Decimal(0)


@dataclass(frozen=True)
class YearBasis:
    """One tax year of a lot's basis: before, the year's return of capital, after, and gain.

    ``return_of_capital`` is ``None`` where a payment the lot holds does not
    give the figure; the basis after it is then unknown (``None``) too.
    """

    tax_year: int
    before: Decimal | None
    return_of_capital: Decimal | None
    after: Decimal | None
    capital_gain: Decimal | None


def return_of_capital(held: Iterable[Held]) -> Decimal | None:
    """The return of capital (box 3 dollars) on the payments held; ``None``: not known."""
    total = _ZERO
    for payment, shares, received in held:
        if received is not None:
            amount = received_amount(payment, _ROC, received)
        else:
            amount = payment_amount(payment, _ROC, shares or _ZERO)
        if amount is None:
            return None
        total += amount
    return total


def carry(lot: Lot, years: Iterable[int], through: int | None = None) -> tuple[YearBasis, ...]:
    """The lot's basis through each of ``years`` (the class's loaded years), oldest first.

    Starts from the lot's Cost (``None`` throughout without one); stops after
    ``through`` when given (a form's year).
    """
    basis = lot.terms.cost
    carried = []
    for tax_year in sorted(years):
        if through is not None and tax_year > through:
            break
        roc = return_of_capital(lot.in_year(tax_year))
        if basis is None or roc is None:
            carried.append(YearBasis(tax_year, basis, roc, None, None))
            basis = None
            continue
        after = max(_ZERO, basis - roc)
        carried.append(YearBasis(tax_year, basis, roc, after, max(_ZERO, roc - basis)))
        basis = after
    return tuple(carried)
