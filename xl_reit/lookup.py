"""The pure-Python lookup API that every edge (Excel, workbook, CLI) calls.

Each function takes what a person or Excel actually sends:

security
    a CUSIP with or without hyphens or spaces, in any case (``03748R-10-1``,
    ``03748r101``); a number where Excel turned an all-digit CUSIP into one
    (padded back to 9 characters); the ISIN (``US03748R1014``); or the
    release's symbol in any common dialect (``AIV``, ``AIVPrD``, ``AIV-PD``,
    ``AIV.PR.D``, ``AIV PRD``, ``AIVpD``).
payment_date
    the record date or the payable date of one of the security's payments,
    in any form :func:`xl_reit.dates.to_date` reads; or ``"annual"`` or the
    tax year (``2004``, ``"2004"``) for the whole year, whose dividend is the
    sum of the payments and whose parts are weighted by dividend. A whole
    number from 1900 to 9999 is read as a tax year, not as a date serial
    (those serials are dates in 1905-1927, long before any table).
component
    a name, alias or Form 1099-DIV box (:mod:`xl_reit.components`).

Results are exact ``Decimal`` values. Problems raise :class:`XlReitError`
subclasses whose messages name the argument and what would be valid.
"""

from __future__ import annotations

import contextlib
import difflib
import weakref
from decimal import Decimal
from typing import Any

from . import cusip as cusip_module
from . import isin
from .components import Component, resolve
from .dates import to_date, whole_number
from .errors import (
    AmbiguousDateError,
    InvalidCusipError,
    InvalidSharesError,
    NoPaymentError,
    UnknownComponentError,
    UnknownSecurityError,
    shown,
)
from .model import Payment, SecurityClass
from .table import AllocationTable, default_table, normalise_symbol

#: How many security spellings are remembered per table before it starts afresh.
_RESOLVED_LIMIT = 10_000

#: What each security argument seen so far resolved to, per table (the table
#: itself stays immutable; a table no longer used takes its answers with it).
_resolved: weakref.WeakKeyDictionary[AllocationTable, dict[Any, tuple[SecurityClass, ...]]] = (
    weakref.WeakKeyDictionary()
)

#: More shares than any company has issued: a larger count is a typing slip.
MAX_SHARES = 10**15

__all__ = [
    "allocation",
    "amount",
    "classes",
    "dividend",
    "find_class",
    "find_component",
    "find_payment",
    "find_years",
    "payments",
    "security_text",
    "share_count",
]


def security_text(security: Any, argument: str = "cusip") -> str:
    """The text of a security argument; a whole number is an all-digit CUSIP."""
    if isinstance(security, str):
        text = security.strip()
        if text:
            return text
    elif isinstance(security, (int, float, Decimal)) and not isinstance(security, bool):
        number = whole_number(security)
        if number is not None and 0 < number < 10**9:
            return str(number).zfill(9)
        raise InvalidCusipError(
            f"{argument} {shown(security)}: a number can only be an all-digit CUSIP "
            "(a whole number below 1,000,000,000); type the CUSIP as text"
        )
    if security is None or isinstance(security, str):
        raise InvalidCusipError(f"{argument} is blank; give a CUSIP, ISIN or ticker symbol")
    raise InvalidCusipError(
        f"{argument} of type {type(security).__name__}: give a CUSIP, ISIN or ticker symbol as text"
    )


def _known(table: AllocationTable) -> str:
    return ", ".join(
        f"{years[-1].symbol} ({cusip_module.format(cusip)})"
        for cusip, years in table.by_cusip.items()
    )


def find_years(
    security: Any, table: AllocationTable | None = None, argument: str = "cusip"
) -> tuple[SecurityClass, ...]:
    """Every tax year the table holds for the share class ``security`` names, oldest first.

    Answers are remembered per table, keyed by the argument as given, so a
    column or a holdings file that repeats a handful of securities resolves
    each spelling once.
    """
    table = table or default_table()
    resolved = _resolved.get(table)
    if resolved is None:
        resolved = _resolved.setdefault(table, {})
    try:
        return resolved[security]
    except (KeyError, TypeError):  # not seen yet, or unhashable
        pass
    found = _resolve_years(security, table, argument)
    if len(resolved) >= _RESOLVED_LIMIT:
        resolved.clear()
    with contextlib.suppress(TypeError):
        resolved[security] = found
    return found


def _resolve_years(
    security: Any, table: AllocationTable, argument: str
) -> tuple[SecurityClass, ...]:
    text = security_text(security, argument)
    key = cusip_module.compact(text)
    found = table.by_cusip.get(key)
    if found is not None:
        return found
    if len(key) == 12 and key[:2].isalpha() and key[2:].isalnum():
        code = isin.to_cusip(key, argument)
        if code in table.by_cusip:
            return table.by_cusip[code]
        raise UnknownSecurityError(
            f"{argument} {shown(text)}: CUSIP {cusip_module.format(code)} is not in the table; "
            f"known: {_known(table)}"
        )
    symbol = table.symbols.get(normalise_symbol(text))
    if symbol is not None:
        return table.by_cusip[symbol]
    if len(key) == 9 or (len(key) == 8 and any(c.isdigit() for c in key)):
        code = cusip_module.validate(text, argument)
        near = difflib.get_close_matches(code, list(table.by_cusip), n=3, cutoff=0.6)
        hint = (
            "near matches: " + ", ".join(cusip_module.format(c) for c in near)
            if near
            else f"known: {_known(table)}"
        )
        raise UnknownSecurityError(
            f"{argument} {shown(text)}: CUSIP {cusip_module.format(code)} "
            f"is not in the table; {hint}"
        )
    raise UnknownSecurityError(
        f"{argument} {shown(text)} is not a CUSIP, ISIN or symbol in the table; "
        f"known: {_known(table)}"
    )


def find_class(
    security: Any, table: AllocationTable | None = None, argument: str = "cusip"
) -> SecurityClass:
    """The share class ``security`` names, in the latest tax year the table holds."""
    return find_years(security, table, argument)[-1]


def _tax_year(value: Any) -> int | None:
    """The tax year ``value`` selects, or ``None`` when it is not a year selector."""
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit() and len(text) == 4:
            return int(text)
        return None
    year = whole_number(value)
    return year if year is not None and 1900 <= year <= 9999 else None


def find_payment(
    security: Any,
    payment_date: Any,
    table: AllocationTable | None = None,
    date_kind: str | None = None,
) -> Payment:
    """The payment (or the whole year, see the module doc) the arguments select.

    ``date_kind`` ``"record"`` or ``"payable"`` says which of the payment's
    dates ``payment_date`` is (a holdings file's column does); without it a
    date that is one payment's record date and another's payable date is an
    :class:`~xl_reit.errors.AmbiguousDateError`.
    """
    return _select(security, payment_date, table, date_kind)[1]


def _payable_text(payment: Payment) -> str:
    """``2004-02-27`` for a payment, for messages."""
    return payment.payable_date.isoformat() if payment.payable_date else "the annual line"


def _select(
    security: Any,
    payment_date: Any,
    table: AllocationTable | None,
    date_kind: str | None = None,
) -> tuple[SecurityClass, Payment]:
    """The class-year and the payment (or annual line) the arguments select."""
    years = find_years(security, table)
    latest = years[-1]
    if isinstance(payment_date, str) and payment_date.strip().lower() == "annual":
        if len(years) == 1:
            return latest, latest.annual
        raise NoPaymentError(
            f"payment_date 'annual': {latest.class_name} has tables for several tax years; "
            f"give the year instead: {_years(years)}"
        )
    year = _tax_year(payment_date)
    if year is not None:
        for security_class in years:
            if security_class.tax_year == year:
                return security_class, security_class.annual
        raise NoPaymentError(
            f"payment_date {shown(payment_date)}: the table for {latest.class_name} covers tax "
            f"year {_years(years)}; give one of those, 'annual' or a payment date: "
            f"{_dates(years)}"
        )
    day = to_date(payment_date, "payment_date")
    for security_class in years:
        if date_kind is not None:
            chosen = (
                security_class.by_record if date_kind == "record" else security_class.by_payable
            )
            payment = chosen.get(day)
        elif day in security_class.ambiguous_dates:
            record, payable = security_class.by_record[day], security_class.by_payable[day]
            raise AmbiguousDateError(
                f"payment_date {day.isoformat()} is the record date of the payment of "
                f"{_payable_text(record)} and the payable date of another: give the payable "
                f"date of the one you mean ({_payable_text(record)} or {_payable_text(payable)})"
            )
        else:
            payment = security_class.by_date.get(day)
        if payment is not None:
            return security_class, payment
    raise NoPaymentError(
        f"payment_date {day.isoformat()}: {latest.class_name} "
        f"({cusip_module.format(latest.cusip)}) paid nothing on that date; "
        f"its payments: {_dates(years)}; or 'annual'"
    )


def _years(years: tuple[SecurityClass, ...]) -> str:
    return ", ".join(str(security_class.tax_year) for security_class in years)


def _dates(years: tuple[SecurityClass, ...]) -> str:
    return ", ".join(security_class.payment_dates() for security_class in years)


def find_component(
    component: Any, security_class: SecurityClass, argument: str = "component"
) -> Component:
    """The component (or 1099-DIV box) ``component`` names for this class's tax year."""
    if not isinstance(component, str) or not component.strip():
        shown = (
            "is blank"
            if component is None or isinstance(component, str)
            else (f"of type {type(component).__name__} is not a name")
        )
        raise UnknownComponentError(
            f"{argument} {shown}; give a component name or a 1099-DIV box "
            "such as 'qualified' or '1b'"
        )
    return resolve(component, security_class.tax_year, security_class.published)


def allocation(
    security: Any, payment_date: Any, component: Any, table: AllocationTable | None = None
) -> Decimal:
    """The fraction of the payment that is ``component`` (``Decimal('0.013268')``)."""
    security_class, payment = _select(security, payment_date, table)
    return payment.fraction(find_component(component, security_class))


def dividend(security: Any, payment_date: Any, table: AllocationTable | None = None) -> Decimal:
    """The dividend per share in dollars (the year's sum for ``"annual"``)."""
    found = find_payment(security, payment_date, table).dividend_per_share
    assert found is not None  # payments and computed annual lines always carry one
    return found


def amount(
    security: Any,
    payment_date: Any,
    component: Any,
    shares: Any = 1,
    table: AllocationTable | None = None,
) -> Decimal:
    """Dollars of ``component`` for ``shares`` shares: dividend × fraction × shares.

    For the whole year it is the sum over the year's payments, each exact;
    the year's weighted fraction is a division, which need not be.
    """
    quantity = share_count(shares)
    security_class, payment = _select(security, payment_date, table)
    chosen = find_component(component, security_class)
    lines = security_class.payments if payment.payable_date is None else (payment,)
    return sum(
        ((p.dividend_per_share or Decimal(0)) * p.fraction(chosen) * quantity for p in lines),
        Decimal(0),
    )


def share_count(shares: Any, argument: str = "shares") -> Decimal:
    """A number of shares held as an exact ``Decimal``: finite, 0 or more, at most 10**15."""
    if isinstance(shares, (int, float, Decimal)) and not isinstance(shares, bool):
        quantity = shares if isinstance(shares, Decimal) else Decimal(str(shares))
        if quantity.is_finite() and 0 <= quantity <= MAX_SHARES:
            return quantity
    raise InvalidSharesError(
        f"{argument} {shown(shares)}: give a number of shares from 0 to {MAX_SHARES:,}"
    )


def payments(security: Any, table: AllocationTable | None = None) -> tuple[Payment, ...]:
    """Every payment of the share class, every tax year, by payable date."""
    return tuple(p for year in find_years(security, table) for p in year.payments)


def classes(table: AllocationTable | None = None) -> tuple[SecurityClass, ...]:
    """Every share class and tax year in the table, in the tables' order."""
    return tuple((table or default_table()).classes.values())
