"""What an allocation table holds: payments, and the share classes they belong to.

A REIT's release prints, for each share class and each payment (record date,
payable date), the dividend per share and how it splits into parts. A
:class:`Payment` is one such printed line (or the class's printed annual
line); a :class:`SecurityClass` is a class's payments for one tax year, with
the indexes a lookup needs. Both are immutable values: they are made once,
when a table is loaded and checked (:mod:`xl_reit.assemble`), and never
change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .components import Component
from .errors import Origin

__all__ = ["HUNDRED", "Payment", "SecurityClass"]

#: Percentages are of a hundred: 1.3268 means 1.3268%.
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Payment:
    """One dividend payment of one share class, as the release prints it.

    ``percentages`` maps each published part (``ordinary``, ``qualified`` …)
    to its percentage of the payment. On a class's annual line the dates are
    ``None``; a figure the release does not print is absent. ``origin`` is
    the file and line the row was read from.
    """

    issuer: str
    tax_year: int
    class_name: str
    cusip: str
    symbol: str
    record_date: dt.date | None
    payable_date: dt.date | None
    dividend_per_share: Decimal | None
    percentages: Mapping[str, Decimal] = field(hash=False)
    source: str = ""
    release_date: dt.date | None = None
    notes: str = ""
    origin: Origin = field(default=Origin(""))

    @property
    def is_annual(self) -> bool:
        """Whether this is a class's annual line rather than one payment."""
        return self.payable_date is None

    def fraction(self, component: Component) -> Decimal:
        """The share of the payment that ``component`` is, as a fraction (0.013268)."""
        return (
            sum(
                (self.percentages[part] for part in component.parts if part in self.percentages),
                Decimal(0),
            )
            / HUNDRED
        )


@dataclass(frozen=True)
class SecurityClass:
    """A share class and its payments for one tax year.

    ``annual`` is the year computed from the payments (the dividends added,
    each part weighted by dividend); ``printed_annual`` is the annual line as
    the release prints it, if it prints one. ``by_record``/``by_payable``
    find a payment by either of its dates, and ``by_date`` by a date that is
    not ambiguous.
    """

    cusip: str
    class_name: str
    issuer: str
    symbol: str
    tax_year: int
    payments: tuple[Payment, ...]
    printed_annual: Payment | None
    annual: Payment = field(repr=False)
    published: frozenset[str] = field(repr=False)
    by_date: Mapping[dt.date, Payment] = field(repr=False, hash=False)
    by_record: Mapping[dt.date, Payment] = field(repr=False, hash=False, default_factory=dict)
    by_payable: Mapping[dt.date, Payment] = field(repr=False, hash=False, default_factory=dict)
    #: Dates that are one payment's record date and another's payable date (a
    #: monthly payer's, say): a bare date cannot tell which payment is meant.
    ambiguous_dates: frozenset[dt.date] = field(repr=False, default=frozenset())

    @property
    def lines(self) -> tuple[Payment, ...]:
        """The class's payments, then its annual line as printed (if the release prints one)."""
        annual = () if self.printed_annual is None else (self.printed_annual,)
        return (*self.payments, *annual)

    @property
    def files(self) -> tuple[str, ...]:
        """The table files the class's rows were read from, in order."""
        return tuple(dict.fromkeys(line.origin.file for line in self.lines))

    def payment_dates(self) -> str:
        """The class's payments as 'record → payable' text, for messages."""
        return ", ".join(
            f"{p.record_date:%Y-%m-%d} (record) / {p.payable_date:%Y-%m-%d} (payable)"
            for p in self.payments
        )
