"""What an allocation table holds: printed figures, payments, and the share classes they belong to.

A REIT's release prints, for each share class and each payment (record date,
payable date; some releases print the payable date only), the dividend per
share and figures of it: boxes of Form 1099-DIV and parts of them
(:mod:`xl_reit.components`), in dollars per share or as percentages of the
dividend, or both. A :class:`Printed` is one such
figure exactly as printed; a :class:`Payment` is one printed line (or a
class's printed annual line) with every figure it prints and every figure that
follows from them (:class:`Figure`); a :class:`SecurityClass` is a class's
payments for one tax year, with the indexes a lookup needs.

A payment that a REIT allocates to two tax years (a January payment of a
December record date, when its distributions exceed its earnings) has one
line in each year's table: each line is that year's part, and the line says
which other year reports the rest (``other_tax_year``).

All of them are immutable values: they are made once, when a table is loaded
and checked (:mod:`xl_reit.assemble`), and never change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import NamedTuple

from .components import Component
from .errors import Origin

__all__ = ["HUNDRED", "ZERO", "Figure", "Payment", "Printed", "SecurityClass"]

#: Percentages are of a hundred: 1.3268 means 1.3268%.
HUNDRED = Decimal(100)
#: Nothing, exactly (made once: loading a table adds up figures many times over).
ZERO = Decimal(0)


@dataclass(frozen=True)
class Printed:
    """One figure exactly as a release prints it: dollars per share, a percentage, or both.

    Each keeps its printed digits (``Decimal("0.600")`` is not ``0.6``).

    >>> str(Printed(Decimal("2.8434500"), Decimal("93.197")))
    '$2.8434500 (93.197%)'
    """

    dollars: Decimal | None = None
    percent: Decimal | None = None

    def __str__(self) -> str:
        dollars = None if self.dollars is None else format(self.dollars, "f")
        percent = None if self.percent is None else format(self.percent, "f")
        if dollars is not None and percent is not None:
            return f"${dollars} ({percent}%)"
        return f"${dollars}" if dollars is not None else f"{percent}%"


class Figure(NamedTuple):
    """What is known of one figure of a payment: its dollars per share and its fraction.

    ``dollars`` is exact where the figure is printed in dollars, or printed
    as a percentage of a printed dividend; ``fraction`` is the figure's share
    of the line's dividend (exact where printed as a percentage, a quotient
    to 34 significant digits where printed in dollars). ``derivation`` is
    empty for a printed figure and says how a derived one follows.

    A named tuple, not a frozen dataclass: a loaded table holds a dozen for each
    class, and a tuple is made in a third of the time (and is as immutable).
    """

    dollars: Decimal | None
    fraction: Decimal | None
    derivation: str = ""

    @property
    def printed(self) -> bool:
        return not self.derivation


def named(line: Payment | SecurityClass, *also: str) -> str:
    """A class for people and messages: its name and ticker, ``Common Stock (STAG)``, and
    ``also`` beside the ticker: ``Common Stock (STAG, 85254J-10-2)``.

    Five issuers call a class "Common Stock": the ticker tells them apart.
    Where the release prints no ticker (the CUSIP stands in for it) the
    issuer does: ``Preferred Shares Series K (Equity Residential)``.
    """
    told = line.symbol if line.symbol != line.cusip else line.issuer
    return f"{line.class_name} ({', '.join((told, *also))})"


@dataclass(frozen=True)
class Payment:
    """One payment of one share class in one tax year, as the release prints it.

    ``dividend_per_share`` is the part of the payment reported in this tax
    year (the whole payment unless it is split between years);
    ``distribution`` the whole payment and ``other_year`` the part allocable
    to ``other_tax_year``, where the release prints them. ``parts_excess`` is
    what the printed parts add up to beyond the dividend where the release's
    own figures disagree and are kept as printed (:mod:`xl_reit.figures`).
    ``printed`` holds
    every figure as printed, by name; ``figures`` every figure known, printed
    or derived, once the line is checked; ``findings`` what the check found
    worth saying: a difference it accepted as the issuer's rounding, a
    dividend it derived. ``ex_date`` is the ex-dividend date where the
    release prints one (:mod:`xl_reit.settlement` derives it from the record
    date otherwise). On a class's annual line the dates are ``None``; a
    payment whose release prints its payable date only (no record date) has
    ``record_date`` ``None`` and is keyed by its payable date. ``origin`` is
    the file and line it was read from.
    """

    issuer: str
    tax_year: int
    class_name: str
    cusip: str
    symbol: str
    record_date: dt.date | None
    payable_date: dt.date | None
    dividend_per_share: Decimal | None
    printed: Mapping[str, Printed] = field(default_factory=dict, hash=False)
    distribution: Decimal | None = None
    other_year: Decimal | None = None
    other_tax_year: int | None = None
    parts_excess: Decimal | None = None
    ex_date: dt.date | None = None
    source: str = ""
    release_date: dt.date | None = None
    notes: str = ""
    origin: Origin = field(default=Origin(""))
    figures: Mapping[str, Figure] = field(default_factory=dict, hash=False, compare=False)
    findings: tuple[str, ...] = field(default=(), compare=False)

    def but(self, **changes: object) -> Payment:
        """This payment with ``changes`` made to some of its fields.

        :func:`dataclasses.replace` without its checks of every field: those held when this
        payment was made, and the checks cost as much as the copy itself on each row of
        each table loaded. Only fields may change.
        """
        assert changes.keys() <= _PAYMENT_FIELDS, set(changes) - _PAYMENT_FIELDS
        copy = object.__new__(Payment)
        copy.__dict__.update(self.__dict__, **changes)
        return copy

    @property
    def is_annual(self) -> bool:
        """Whether this is a class's annual line rather than one payment."""
        return self.payable_date is None

    @property
    def is_split(self) -> bool:
        """Whether another tax year reports part of this payment."""
        return self.other_tax_year is not None

    @property
    def percentages(self) -> dict[str, Decimal]:
        """The figures printed as percentages of the dividend, by name."""
        return {
            name: printed.percent
            for name, printed in self.printed.items()
            if printed.percent is not None
        }

    def fraction(self, component: Component | str) -> Decimal | None:
        """The share of the dividend that a figure is (0.013268), or ``None`` when not known."""
        figure = self.figures.get(component if isinstance(component, str) else component.name)
        return None if figure is None else figure.fraction

    def dollars(self, component: Component | str) -> Decimal | None:
        """Dollars per share of a figure (0.0079608), or ``None`` when not known."""
        figure = self.figures.get(component if isinstance(component, str) else component.name)
        return None if figure is None else figure.dollars


_PAYMENT_FIELDS = frozenset(field.name for field in fields(Payment))


@dataclass(frozen=True)
class SecurityClass:
    """A share class and its payments for one tax year.

    ``annual`` is the year as its payments make it (the dividends and every
    figure's dollars added up), or the printed annual line of a class whose
    release prints only annual totals (``payments`` is then empty);
    ``printed_annual`` is the annual line as the release prints it, if it
    prints one. ``published`` names the figures the class's lines print.
    ``by_record``/``by_payable`` find a payment by either of its dates, and
    ``by_date`` by a date that is not ambiguous.
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
    def annual_only(self) -> bool:
        """Whether the release prints only the year's totals for this class, no payments."""
        return not self.payments

    @property
    def lines(self) -> tuple[Payment, ...]:
        """The class's payments, then its annual line as printed (if the release prints one)."""
        annual = () if self.printed_annual is None else (self.printed_annual,)
        return (*self.payments, *annual)

    @property
    def files(self) -> tuple[str, ...]:
        """The table files the class's rows were read from, in order."""
        return tuple(dict.fromkeys(line.origin.file for line in self.lines))

    @property
    def payable_only(self) -> tuple[Payment, ...]:
        """The payments whose release prints no record date, only the payable date."""
        return tuple(p for p in self.payments if p.record_date is None)

    def payment_dates(self) -> str:
        """The class's payments as 'record → payable' text, for messages."""
        if self.annual_only:
            return f"none (tax year {self.tax_year}: annual totals only)"
        return ", ".join(
            f"{p.record_date:%Y-%m-%d} (record) / {p.payable_date:%Y-%m-%d} (payable)"
            if p.record_date is not None
            else f"{p.payable_date:%Y-%m-%d} (payable; no record date printed)"
            for p in self.payments
        )
