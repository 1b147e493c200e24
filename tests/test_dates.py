"""Every date form Excel or a person sends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from xl_reit.dates import from_serial, to_date, to_serial
from xl_reit.errors import InvalidDateError

FEB_27 = dt.date(2004, 2, 27)


@pytest.mark.parametrize(
    "value",
    [
        FEB_27,
        dt.datetime(2004, 2, 27),  # a date cell, as classic xlwings passes it
        pd.Timestamp("2004-02-27"),
        np.datetime64("2004-02-27"),
        np.datetime64("2004-02-27T00:00:00"),
        38044.0,  # =DATE(2004,2,27) or a General cell: a float serial
        38044,
        Decimal("38044"),  # a Currency-formatted cell
        "2004-02-27",
        "02/27/04",
        "2/27/2004",
        " 2004-02-27 ",
    ],
)
def test_every_form_of_27_february_2004_reads_the_same(value: object) -> None:
    assert to_date(value) == FEB_27


@pytest.mark.parametrize(
    ("serial", "day"),
    [
        (1, dt.date(1900, 1, 1)),
        (59, dt.date(1900, 2, 28)),
        (61, dt.date(1900, 3, 1)),
        (38044, FEB_27),
        (2958465, dt.date(9999, 12, 31)),
    ],
)
def test_excel_1900_serials_match_excels_own_numbering(serial: int, day: dt.date) -> None:
    assert from_serial(serial) == day
    assert to_serial(day) == serial


def test_serial_60_is_excels_fictitious_29_february_1900() -> None:
    with pytest.raises(InvalidDateError, match="1900-02-29, a day that never existed"):
        to_date(60.0)


def test_two_digit_years_follow_excels_rule() -> None:
    assert to_date("01/15/29") == dt.date(2029, 1, 15)
    assert to_date("01/15/30") == dt.date(1930, 1, 15)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "is blank"),
        (True, "is not a date"),
        ("", "is blank"),
        ("#VALUE!", "is the error #VALUE!"),
        ("27/02/2004", "month must be in 1..12"),
        ("2004-02-30", "day is out of range"),
        ("next friday", "is not a date"),
        (38044.5, "time of day"),
        (dt.datetime(2004, 2, 27, 13, 30), "time of day"),
        (float("nan"), "not a number of days"),
        (float("inf"), "not a number of days"),
        (0, "serial runs from 1 (1900-01-01) to 2958465 (9999-12-31) (is the cell blank?"),
        (-5.0, "serial runs from 1"),
        (1e12, "serial runs from 1"),
        (pd.NaT, "blank"),
        (object(), "of type object"),
    ],
)
def test_unreadable_dates_name_the_argument_and_the_valid_forms(value: object, reason: str) -> None:
    with pytest.raises(InvalidDateError) as caught:
        to_date(value, "payment_date")
    message = str(caught.value)
    assert message.startswith("payment_date")
    assert reason in message
