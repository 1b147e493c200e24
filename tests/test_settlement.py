"""Ex-dividend dates from record dates, by the settlement cycle of each era.

Each expected date is worked out by hand from a calendar: the ex-date is the
first trading day whose trades settle after the record date, so under T+1 it
is the record date itself, under T+2 one NYSE business day before it and
under T+3 two. The holidays and closings used are the NYSE's own: Thanksgiving
(2023-11-23, 2024-11-28), Presidents' Day 2004-02-16, Memorial Day 2024-05-27,
Labor Day 2017-09-04, and the day of mourning for President George H. W. Bush,
2018-12-05.
"""

from __future__ import annotations

import datetime as dt

import pytest

from xl_reit.settlement import business_day, ex_date, holds, placed, settlement_days

D = dt.date.fromisoformat

#: (record date, ex-dividend date, the cycle, why)
EX_DATES = [
    ("2024-06-28", "2024-06-28", 1, "T+1: the record date itself"),
    ("2024-11-29", "2024-11-29", 1, "T+1, the day after Thanksgiving"),
    ("2024-06-29", "2024-06-28", 1, "T+1, a Saturday record date: the Friday before"),
    ("2023-06-30", "2023-06-29", 2, "T+2: the business day before"),
    ("2023-11-24", "2023-11-22", 2, "T+2 across Thanksgiving 2023-11-23"),
    ("2018-12-06", "2018-12-04", 2, "T+2 across the closing of 2018-12-05"),
    ("2004-02-20", "2004-02-18", 3, "T+3: two business days before"),
    ("2004-02-18", "2004-02-13", 3, "T+3 across Presidents' Day 2004-02-16"),
    # At the changes of cycle, trade by trade: Friday 2024-05-24's T+2 trades settle on
    # Wednesday 05-29, after a record date of Tuesday 05-28, so 05-24 is already ex.
    ("2024-05-28", "2024-05-24", 2, "the last T+2 trades, across Memorial Day"),
    ("2024-05-29", "2024-05-29", 1, "the first T+1 trades settle 05-29"),
    # Friday 2017-09-01's T+3 trades settle Thursday 09-07 (Labor Day 09-04 between).
    ("2017-09-06", "2017-09-01", 3, "the last T+3 trades, across Labor Day"),
    ("2017-09-07", "2017-09-06", 2, "the first T+2 trades, on 2017-09-05, settle 09-07"),
]


@pytest.mark.parametrize(("record", "expected", "cycle", "why"), EX_DATES)
def test_the_ex_date_follows_the_settlement_cycle_of_its_era(
    record: str, expected: str, cycle: int, why: str
) -> None:
    assert ex_date(D(record)) == D(expected), why
    assert settlement_days(D(expected)) == cycle
    assert f"under T+{cycle}" in placed(D(record)).rule


def test_the_eras_begin_on_the_trade_dates_the_sec_set() -> None:
    assert settlement_days(D("2017-09-01")) == 3
    assert settlement_days(D("2017-09-05")) == 2
    assert settlement_days(D("2024-05-24")) == 2
    assert settlement_days(D("2024-05-28")) == 1


def test_holidays_and_closings_are_no_business_days() -> None:
    for closed in ("2023-11-23", "2018-12-05", "2004-02-16", "2012-10-29", "2024-05-27"):
        assert not business_day(D(closed)), closed
    assert business_day(D("2024-11-29"))  # the day after Thanksgiving: open, for half a day
    assert not business_day(D("2024-06-29"))  # a Saturday


@pytest.mark.parametrize(
    ("record", "ex", "day_before"),
    [
        ("2024-06-28", "2024-06-28", "2024-06-27"),
        ("2024-11-29", "2024-11-29", "2024-11-27"),
        ("2023-11-24", "2023-11-22", "2023-11-21"),
        ("2004-02-18", "2004-02-13", "2004-02-12"),
    ],
)
def test_a_lot_bought_the_day_before_the_ex_date_is_held_and_one_bought_on_it_is_not(
    record: str, ex: str, day_before: str
) -> None:
    placement = placed(D(record))
    assert placement.ex_date == D(ex)
    assert holds(placement.ex_date, D(day_before), None)
    assert not holds(placement.ex_date, D(ex), None)


def test_a_lot_sold_on_the_ex_date_still_receives_the_payment() -> None:
    ex = D("2023-11-22")
    assert holds(ex, D("2023-01-03"), ex)
    assert not holds(ex, D("2023-01-03"), D("2023-11-21"))
    assert holds(ex, None, None)


def test_a_printed_ex_date_is_followed_and_said_so() -> None:
    placement = placed(D("2023-11-24"), D("2023-11-21"))
    assert placement.ex_date == D("2023-11-21")
    assert placement.rule == "ex-date 2023-11-21 printed by the release"
