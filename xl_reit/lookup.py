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
    in any form :func:`xl_reit.dates.to_date` reads (the payable date, for a
    payment whose release prints no record date); or ``"annual"`` or the
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
import datetime as dt
import weakref
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import cusip as cusip_module
from . import isin
from .assemble import straddled_year
from .cells import is_blank, not_a_value
from .components import Component, boxes_for_year, resolve, valid_names
from .dates import BLANK_AS_ZERO, to_date, whole_number
from .errors import (
    AmbiguousDateError,
    InvalidCusipError,
    InvalidSharesError,
    NoPaymentError,
    NotPrintedError,
    UnknownComponentError,
    UnknownSecurityError,
    shown,
)
from .figures import quotient
from .model import Payment, SecurityClass, named
from .settlement import Placement, placed
from .table import AllocationTable, ClassEntry, default_table, normalise_symbol

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
    "placement",
    "security_text",
    "share_count",
]


def security_text(security: Any, argument: str = "cusip") -> str:
    """The text of a security argument; a whole number is an all-digit CUSIP."""
    problem = not_a_value(security, argument)
    if problem is not None:  # a blank or an error cell
        raise InvalidCusipError(f"{problem}; give a CUSIP, ISIN or ticker symbol")
    if isinstance(security, str):
        return security.strip()
    if isinstance(security, (int, float, Decimal)) and not isinstance(security, bool):
        number = whole_number(security)
        if number is not None and 0 < number < 10**9:
            return str(number).zfill(9)
        raise InvalidCusipError(
            f"{argument} {shown(security)}: a number can only be an all-digit CUSIP "
            "(a whole number below 1,000,000,000); type the CUSIP as text"
            + (BLANK_AS_ZERO if number == 0 else "")
        )
    raise InvalidCusipError(
        f"{argument} of type {type(security).__name__}: give a CUSIP, ISIN or ticker symbol as text"
    )


def _known(table: AllocationTable) -> str:
    """Every CUSIP of the table with its latest year's symbol, from the index (no figure read)."""
    latest: dict[str, ClassEntry] = {}
    for entry in table.index.values():
        best = latest.get(entry.cusip)
        if best is None or entry.tax_year > best.tax_year:
            latest[entry.cusip] = entry
    return ", ".join(
        f"{entry.symbol} ({cusip_module.format(cusip)})" for cusip, entry in latest.items()
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
        import difflib  # only for a CUSIP that is not in the table: 2 ms at import

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
        if text.isascii() and text.isdigit() and len(text) == 4:  # "20²4" is no year
            return int(text)
        return None
    year = whole_number(value)
    return year if year is not None and 1900 <= year <= 9999 else None


def tax_year_argument(value: Any, argument: str = "tax_year") -> int | None:
    """The ``tax_year`` argument: ``None`` (blank: the whole payment) or a year, 1900 to 9999."""
    if is_blank(value):
        return None
    year = _tax_year(value)
    if year is None:
        error = not_a_value(value, argument)  # not blank here: an error cell, or None
        what = f"{argument} {shown(value)}:" if error is None else f"{error};"
        raise NoPaymentError(
            f"{what} give a tax year such as 2023 (the year whose Form 1099-DIV the figure "
            "goes on), or leave it out for the whole payment"
        )
    return year


@dataclass(frozen=True)
class Selection:
    """What a lookup's arguments select: a class's tax year and the lines that answer.

    ``lines`` are the parts of one payment (one line, unless the payment is
    split between tax years and no tax year was asked for), or a year's
    payments (``annual``). ``missing`` names the tax years that report part
    of the payment but whose tables are not loaded.
    """

    security: SecurityClass
    lines: tuple[Payment, ...]
    annual: bool = False
    missing: tuple[int, ...] = ()

    @property
    def line(self) -> Payment:
        """The one line that answers (a payment's part, or a year)."""
        if self.annual:
            return self.security.annual
        return self.lines[0]

    def describe(self) -> str:
        """The payment or year selected, for messages."""
        security = self.security
        if self.annual:
            return f"{_who(security)}, tax year {security.tax_year}"
        line = self.lines[0]
        part = (
            f" (tax year {line.tax_year}'s part)" if line.is_split and len(self.lines) == 1 else ""
        )
        return f"{_who(security)}, the payment of {_payable_text(line)}{part}"


def find_payment(
    security: Any,
    payment_date: Any,
    table: AllocationTable | None = None,
    date_kind: str | None = None,
    *,
    tax_year: Any = None,
) -> Payment:
    """The payment (or the whole year, see the module doc) the arguments select.

    ``date_kind`` ``"record"`` or ``"payable"`` says which of the payment's
    dates ``payment_date`` is (a holdings file's column does); without it a
    date that is one payment's record date and another's payable date is an
    :class:`~xl_reit.errors.AmbiguousDateError`. A payment split between tax
    years answers with its first year's part unless ``tax_year`` picks one.
    """
    return select(security, payment_date, table, date_kind, tax_year=tax_year).line


def _who(security: SecurityClass, *, cusip: bool = False) -> str:
    """A class for messages (:func:`~xl_reit.model.named`): ``Common Stock (STAG)``, with
    ``cusip`` ``Common Stock (STAG, 85254J-10-2)``."""
    return named(security, *([cusip_module.format(security.cusip)] if cusip else []))


def _payable_text(payment: Payment) -> str:
    """``2004-02-27`` for a payment, for messages."""
    return payment.payable_date.isoformat() if payment.payable_date else "the annual line"


def _year_of(years: tuple[SecurityClass, ...], year: int, payment_date: Any) -> SecurityClass:
    for security_class in years:
        if security_class.tax_year == year:
            return security_class
    latest = years[-1]
    raise NoPaymentError(
        f"payment_date {shown(payment_date)}: the table for {_who(latest)} covers tax "
        f"year{'s' if len(years) > 1 else ''} {_years(years)}; give "
        f"{'one of those' if len(years) > 1 else 'it'}, 'annual' or a payment date: "
        f"{_dates(years)}"
    )


def _annual(
    years: tuple[SecurityClass, ...], payment_date: Any, tax_year: int | None
) -> Selection | None:
    """``'annual'`` or a tax year as ``payment_date``: that year's lines, else ``None``."""
    if isinstance(payment_date, str) and payment_date.strip().lower() == "annual":
        if tax_year is not None:
            year = _year_of(years, tax_year, tax_year)
        elif len(years) == 1:
            year = years[0]
        else:
            raise NoPaymentError(
                f"payment_date 'annual': {_who(years[-1])} has tables for several tax "
                f"years; give the year instead: {_years(years)}"
            )
        return Selection(year, year.payments, annual=True)
    asked = _tax_year(payment_date)
    if asked is None:
        return None
    if tax_year is not None and tax_year != asked:
        raise NoPaymentError(
            f"payment_date {shown(payment_date)} asks for tax year {asked}, but tax_year is "
            f"{tax_year}: give one of them"
        )
    year = _year_of(years, asked, payment_date)
    return Selection(year, year.payments, annual=True)


def _dated(security_class: SecurityClass, day: Any, date_kind: str | None) -> Payment | None:
    """The class-year's payment on ``day`` (a record or a payable date), or ``None``."""
    if date_kind is not None:
        chosen = security_class.by_record if date_kind == "record" else security_class.by_payable
        return chosen.get(day)
    if day in security_class.ambiguous_dates:
        record, payable = security_class.by_record[day], security_class.by_payable[day]
        raise AmbiguousDateError(
            f"payment_date {day.isoformat()} is the record date of the payment of "
            f"{_payable_text(record)} and the payable date of another: give the payable "
            f"date of the one you mean ({_payable_text(record)} or {_payable_text(payable)})"
        )
    return security_class.by_date.get(day)


def _parts(
    years: tuple[SecurityClass, ...], payment: Payment
) -> tuple[tuple[Payment, ...], tuple[int, ...]]:
    """Every loaded line of one payment, oldest year first, and the years not loaded.

    The other line is in the year ``other_tax_year`` names, else in the other
    year the payment's dates straddle (:func:`~xl_reit.assemble.straddled_year`),
    when that year's table holds the payment: loaded together, the two are its
    parts. Only a year ``other_tax_year`` names is missing when not loaded.
    """
    lines = [payment]
    missing = []
    year = payment.other_tax_year or straddled_year(payment)
    if year is not None and payment.payable_date is not None:
        other = next((c for c in years if c.tax_year == year), None)
        twin = None if other is None else other.by_payable.get(payment.payable_date)
        if twin is not None and twin.record_date == payment.record_date:
            lines.append(twin)
        elif payment.other_tax_year is not None:
            missing.append(payment.other_tax_year)
    return tuple(sorted(lines, key=lambda line: line.tax_year)), tuple(missing)


def select(
    security: Any,
    payment_date: Any,
    table: AllocationTable | None = None,
    date_kind: str | None = None,
    *,
    tax_year: Any = None,
) -> Selection:
    """The class-year and the lines the arguments select (see :class:`Selection`)."""
    years = find_years(security, table)
    year = tax_year_argument(tax_year)
    annual = _annual(years, payment_date, year)
    if annual is not None:
        return annual
    day = to_date(payment_date, "payment_date")
    found = [
        (security_class, payment)
        for security_class in years
        if (payment := _dated(security_class, day, date_kind)) is not None
    ]
    if not found:
        raise NoPaymentError(_no_payment(years, day, date_kind))
    security_class, payment = found[0]
    lines, missing = _parts(years, payment)
    if year is None:
        return Selection(security_class, lines, missing=missing)
    chosen = [line for line in lines if line.tax_year == year]
    if chosen:
        return Selection(_year_of(years, year, payment_date), tuple(chosen))
    raise NoPaymentError(_not_in_year(security_class, payment, lines, missing, year))


def _no_payment(years: tuple[SecurityClass, ...], day: dt.date, date_kind: str | None) -> str:
    latest = years[-1]
    undated = [payment for year in years for payment in year.payable_only]
    if date_kind == "record" and undated:
        some = len(undated) < sum(len(year.payments) for year in years)
        return (
            f"payment_date {day.isoformat()} is given as a record date, but the release for "
            f"{_who(latest, cusip=True)} prints payable dates only (no record date"
            f"{' for some payments' if some else ''}), so no record date can name "
            f"{'those payments' if some else 'its payments'}: give the payable date of the "
            f"payment held instead: {_dates(years)}"
        )
    if all(year.annual_only for year in years):
        return (
            f"payment_date {day.isoformat()}: the release prints only annual totals for "
            f"{_who(latest, cusip=True)}; ask for 'annual' or "
            f"the tax year ({_years(years)})"
        )
    return (
        f"payment_date {day.isoformat()}: {_who(latest, cusip=True)} paid nothing on that date; "
        f"its payments: {_dates(years)}; or 'annual'"
    )


def _not_in_year(
    security_class: SecurityClass,
    payment: Payment,
    lines: tuple[Payment, ...],
    missing: tuple[int, ...],
    year: int,
) -> str:
    what = f"tax_year {year}: the payment of {_payable_text(payment)}"
    if year in missing:
        return (
            f"{what} is split between tax years {payment.tax_year} and {year}, and tax year "
            f"{year}'s release for {_who(security_class)} is not loaded (load it with "
            "--table or XL_REIT_DATA)"
        )
    reported = ", ".join(str(line.tax_year) for line in lines)
    return f"{what} is reported in tax year {reported}, not {year}"


def _years(years: tuple[SecurityClass, ...]) -> str:
    return ", ".join(str(security_class.tax_year) for security_class in years)


def _dates(years: tuple[SecurityClass, ...]) -> str:
    return ", ".join(security_class.payment_dates() for security_class in years)


def find_component(
    component: Any, security_class: SecurityClass, argument: str = "component"
) -> Component:
    """The figure (or 1099-DIV box) ``component`` names, in the form of the class's tax year."""
    problem = not_a_value(component, argument)
    if problem is not None or not isinstance(component, str):
        raise UnknownComponentError(
            f"{problem or f'{argument} of type {type(component).__name__} is not a name'}; "
            "give a component name or a 1099-DIV box such as 'qualified' or '1b'"
        )
    return resolve(component, security_class.tax_year)


def _answers(selection: Selection) -> list[str]:
    """The names and boxes the selected lines know, for messages."""
    line = selection.line
    return valid_names(line.tax_year, line.figures)


def _figure_error(selection: Selection, component: Component) -> NotPrintedError:
    boxes = [
        box
        for box, name in boxes_for_year(selection.line.tax_year).items()
        if name == component.name
    ]
    box = f" (box {boxes[0]})" if boxes else ""
    return NotPrintedError(
        f"component {shown(component.name)}: {selection.describe()}: the release prints no "
        f"{component.label.lower()} figure{box}, and its printed figures do not determine "
        f"one; it answers: {', '.join(_answers(selection))}"
    )


def _whole(selection: Selection) -> None:
    """Refuse the whole payment when a tax year that reports part of it is not loaded."""
    if selection.missing:
        line = selection.lines[0]
        years = ", ".join(map(str, selection.missing))
        raise NoPaymentError(
            f"payment_date {_payable_text(line)}: the payment of {_who(selection.security)} is "
            f"split between tax years {line.tax_year} and {years}, and tax year {years}'s "
            f"release is not loaded; load it for the whole payment, or give tax_year "
            f"{line.tax_year} for the part reported for {line.tax_year}"
        )


def _dividend_of(selection: Selection) -> Decimal:
    if selection.missing:
        printed = selection.lines[0].distribution
        if printed is not None:
            return printed  # the whole payment, as the release prints it
        _whole(selection)
    found = (
        selection.line.dividend_per_share
        if selection.annual
        else sum((line.dividend_per_share or Decimal(0) for line in selection.lines), Decimal(0))
    )
    if found is None:
        raise NoPaymentError(
            f"payment_date: {selection.describe()}: the release prints no dividend per share for "
            "the year, only how it splits"
        )
    return found


def _dollars_of(selection: Selection, component: Component) -> Decimal:
    """Dollars per share of a figure over the selected lines, exactly."""
    _whole(selection)
    lines = selection.lines if selection.lines else (selection.security.annual,)
    amounts = [line.dollars(component) for line in lines]
    if any(amount is None for amount in amounts):
        raise _figure_error(selection, component)
    return sum((amount for amount in amounts if amount is not None), Decimal(0))


def _fraction_of(selection: Selection, component: Component) -> Decimal:
    """The share of the selected dividend that a figure is."""
    _whole(selection)
    if selection.annual or len(selection.lines) == 1:
        fraction = selection.line.fraction(component)
        if fraction is not None:
            return fraction
        if component.name not in selection.line.figures:
            raise _figure_error(selection, component)
    else:
        total = _dividend_of(selection)
        found = quotient(_dollars_of(selection, component), total)
        if found is not None:
            return found
    raise NoPaymentError(
        f"payment_date: {selection.describe()}: nothing of the payment is reported in this tax "
        "year, so no share of it can be given; REIT_DIVIDEND and REIT_AMOUNT answer 0"
    )


def allocation(
    security: Any,
    payment_date: Any,
    component: Any,
    table: AllocationTable | None = None,
    *,
    tax_year: Any = None,
) -> Decimal:
    """The fraction of the payment that is ``component`` (``Decimal('0.013268')``).

    With ``tax_year``, the part of the payment that tax year reports (what
    goes on that year's Form 1099-DIV); without it, the whole payment.
    """
    selection = select(security, payment_date, table, tax_year=tax_year)
    return _fraction_of(selection, find_component(component, selection.security))


def dividend(
    security: Any,
    payment_date: Any,
    table: AllocationTable | None = None,
    *,
    tax_year: Any = None,
) -> Decimal:
    """The dividend per share in dollars (the year's sum for ``"annual"``).

    With ``tax_year``, the part of the payment that tax year reports.
    """
    return _dividend_of(select(security, payment_date, table, tax_year=tax_year))


def amount(
    security: Any,
    payment_date: Any,
    component: Any,
    shares: Any = 1,
    table: AllocationTable | None = None,
    *,
    tax_year: Any = None,
) -> Decimal:
    """Dollars of ``component`` for ``shares`` shares, exactly.

    For the whole year it is the sum over the year's payments; with
    ``tax_year``, the part of the payment that tax year reports.
    """
    quantity = share_count(shares)
    selection = select(security, payment_date, table, tax_year=tax_year)
    return _dollars_of(selection, find_component(component, selection.security)) * quantity


def share_count(shares: Any, argument: str = "shares") -> Decimal:
    """A number of shares held as an exact ``Decimal``: finite, 0 or more, at most 10**15.

    Not -0.0 (a negative number rounded to nothing), which bulk refuses too.
    """
    if isinstance(shares, (int, float, Decimal)) and not isinstance(shares, bool):
        quantity = shares if isinstance(shares, Decimal) else Decimal(str(shares))
        if quantity.is_finite() and not quantity.is_signed() and quantity <= MAX_SHARES:
            return quantity
    problem = not_a_value(shares, argument)
    raise InvalidSharesError(
        f"{argument} {shown(shares)}: give a number of shares from 0 to {MAX_SHARES:,}"
        if problem is None
        else f"{problem}; give the number of shares held, from 0 to {MAX_SHARES:,}"
    )


def payments(security: Any, table: AllocationTable | None = None) -> tuple[Payment, ...]:
    """Every payment of the share class, every tax year, by payable date."""
    return tuple(p for year in find_years(security, table) for p in year.payments)


def classes(table: AllocationTable | None = None) -> tuple[SecurityClass, ...]:
    """Every share class and tax year in the table, in the tables' order."""
    return tuple((table or default_table()).classes.values())


def placement(line: Payment) -> Placement:
    """A line's ex-dividend date and the rule that gives it (:mod:`xl_reit.settlement`).

    A lot receives a payment when it is held on the payment's ex-date: the
    one its release prints, else the one its record date gives. An annual
    line has none, nor has a payment whose release prints neither: a lot
    cannot be placed on either (:class:`~xl_reit.errors.NoPaymentError`,
    naming the class).
    """
    who = f"the release for {named(line)}, tax year {line.tax_year},"
    if line.is_annual:
        raise NoPaymentError(
            f"{who} prints annual totals only, so a lot held part of the year cannot be placed"
        )
    if line.record_date is None and line.ex_date is None:
        raise NoPaymentError(
            f"{who} prints no record date for the payment of {_payable_text(line)} (payable "
            "dates only) and no ex-dividend date, so whether a lot bought or sold near it "
            "receives it cannot be told: give the shares held on that payment, with its "
            "Payable date and no Acquired or Sold date"
        )
    return placed(line.record_date, line.ex_date)
