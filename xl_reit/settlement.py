"""Whether a lot receives a payment: its ex-dividend date, from the settlement cycle.

A dividend goes to the holder *of record* on the record date, and a trade
makes the buyer a holder of record only once it settles. The *ex-dividend
date* is the first trading day on which a buyer no longer settles in time:
who buys on it or after does not receive the payment, and who sells on it or
after still does. So a lot (bought on one trade date, perhaps sold on
another) receives a payment when it is held on the payment's ex-date:
bought before it and not sold before it (:func:`holds`).

The ex-date follows from the record date and the settlement cycle, counted
in NYSE business days, in the cycle in force on the trade date:

======================  ======  ====================================================
trade dates             cycle   ex-date of a record date R that is a business day
======================  ======  ====================================================
from 2024-05-28         T+1     R itself (SEC Release 34-96930)
2017-09-05 – 2024-05-27 T+2     one business day before R (SEC Release 34-80295)
before 2017-09-05       T+3     two business days before R
======================  ======  ====================================================

At a change of cycle the rule still holds trade by trade (:func:`ex_date`
finds the first trade date whose settlement falls after the record date): a
record date of Tuesday 2024-05-28 has the ex-date Friday 2024-05-24, since
Friday's T+2 trades settle on Wednesday, after it.

A release that prints a payment's ex-date is followed instead (a table
file's ``ex_date`` column; :func:`placed` takes it when given), and the rule
said is then "printed by the release".

NYSE holidays and its unplanned closings (days of mourning, Hurricane Sandy)
come from the python-holidays library's NYSE financial calendar, imported on
first use: a calendar kept up by its maintainers, not a list of our own.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, NamedTuple

from .errors import XlReitError

__all__ = [
    "T1_FROM",
    "T2_FROM",
    "Placement",
    "business_day",
    "ex_date",
    "holds",
    "placed",
    "settlement_days",
]

#: The first trade date settled T+2 (SEC Release 34-80295).
T2_FROM = dt.date(2017, 9, 5)
#: The first trade date settled T+1 (SEC Release 34-96930).
T1_FROM = dt.date(2024, 5, 28)
_DAY = dt.timedelta(days=1)


class Placement(NamedTuple):
    """A payment's ex-dividend date, and the rule that gave it (said in the output)."""

    ex_date: dt.date
    rule: str


@lru_cache(maxsize=1)
def _calendar() -> Any:
    """The NYSE's holidays (python-holidays' financial calendar), loaded on first use."""
    try:
        import holidays
    except ImportError:  # pragma: no cover - a dependency everywhere but in the browser
        raise XlReitError(
            "ex-dividend dates need the NYSE calendar of the 'holidays' package: "
            "pip install holidays"
        ) from None
    return holidays.financial_holidays("NYSE")


def business_day(day: dt.date) -> bool:
    """Whether the NYSE trades on ``day``: a weekday that is no holiday or closing."""
    return day.weekday() < 5 and day not in _calendar()


def _add_business_days(day: dt.date, count: int) -> dt.date:
    """``count`` NYSE business days after ``day`` (which need not be one)."""
    while count:
        day += _DAY
        if business_day(day):
            count -= 1
    return day


def _previous_business_day(day: dt.date) -> dt.date:
    day -= _DAY
    while not business_day(day):
        day -= _DAY
    return day


def settlement_days(trade_date: dt.date) -> int:
    """The settlement cycle of a trade on ``trade_date``: 1, 2 or 3 business days."""
    if trade_date >= T1_FROM:
        return 1
    return 2 if trade_date >= T2_FROM else 3


def ex_date(record_date: dt.date) -> dt.date:
    """The ex-dividend date of ``record_date``: the first trade date that settles after it.

    >>> ex_date(dt.date(2024, 6, 28)), ex_date(dt.date(2023, 6, 30))
    (datetime.date(2024, 6, 28), datetime.date(2023, 6, 29))
    """
    trade = record_date if business_day(record_date) else _previous_business_day(record_date)
    while True:
        earlier = _previous_business_day(trade)
        if _add_business_days(earlier, settlement_days(earlier)) <= record_date:
            return trade
        trade = earlier


def _rule(record_date: dt.date, ex: dt.date) -> str:
    cycle = settlement_days(ex)
    return f"ex-date {ex.isoformat()} from record date {record_date.isoformat()} under T+{cycle}"


def placed(record_date: dt.date | None, printed_ex_date: dt.date | None = None) -> Placement:
    """A payment's ex-date and why: the printed one, else from the record date (one of the
    two is given)."""
    if printed_ex_date is not None:
        return Placement(
            printed_ex_date, f"ex-date {printed_ex_date.isoformat()} printed by the release"
        )
    assert record_date is not None, "a payment's ex-date needs its record date"
    ex = ex_date(record_date)
    return Placement(ex, _rule(record_date, ex))


def holds(ex: dt.date, acquired: dt.date | None, sold: dt.date | None) -> bool:
    """Whether a lot bought on ``acquired`` and sold on ``sold`` is held on ex-date ``ex``.

    Bought before the ex-date (``None``: held from before), and not sold
    before it (``None``: still held): a lot sold on the ex-date still receives
    the payment.
    """
    return (acquired is None or acquired < ex) and (sold is None or sold >= ex)
