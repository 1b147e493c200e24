"""Every date form Excel or a person sends, turned into a ``datetime.date``.

Excel stores a date as a serial number of days in the "1900 date system":
serial 1 is 1900-01-01. Excel also counts a 29 February 1900 that never
existed (serial 60), a bug kept from Lotus 1-2-3, so from serial 61
(1900-03-01) on, a serial is days since 1899-12-30. xlwings passes a date cell
as a ``datetime`` but a ``DATE()`` result or a General cell as a float serial;
a Currency cell arrives as ``Decimal``.

:func:`to_date` accepts ``date``/``datetime`` (at midnight), pandas
``Timestamp``, numpy ``datetime64``, serial numbers (int, float, Decimal),
ISO text (``2004-02-27``) and US text (``02/27/04``, ``2/27/2004``).
Anything else raises :class:`InvalidDateError` naming the argument.

>>> to_date("02/27/04"), to_date(38044), to_date("2004-02-27")
(datetime.date(2004, 2, 27), datetime.date(2004, 2, 27), datetime.date(2004, 2, 27))
>>> to_serial(dt.date(2004, 2, 27))
38044
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

from .cells import not_a_value
from .errors import InvalidDateError, shown

__all__ = [
    "BLANK_AS_ZERO",
    "FIRST_SERIAL",
    "LAST_SERIAL",
    "from_serial",
    "to_date",
    "to_serial",
    "whole_number",
]

_EPOCH = dt.date(1899, 12, 30)
_EARLY_EPOCH = dt.date(1899, 12, 31)
#: Serial numbers of 1900-01-01 and 9999-12-31, the range Excel can show.
FIRST_SERIAL = 1
LAST_SERIAL = 2958465
_FICTITIOUS_LEAP_DAY = 60

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_FORMS = "a date, an Excel serial number, 'YYYY-MM-DD' or 'MM/DD/YYYY'"
#: Said where a 0 is refused: some desktop builds of Excel pass a blank cell to an Office
#: add-in such as xlwings Lite as 0 (Microsoft: OfficeDev/office-js issue 4702).
BLANK_AS_ZERO = " (is the cell blank? some Excel versions send a blank cell to xlwings Lite as 0)"


def from_serial(serial: int, argument: str = "payment_date") -> dt.date:
    """The date of an Excel 1900-system serial number."""
    if serial == _FICTITIOUS_LEAP_DAY:
        raise InvalidDateError(
            f"{argument} {serial}: serial 60 is Excel's 1900-02-29, a day that never existed"
        )
    if not FIRST_SERIAL <= serial <= LAST_SERIAL:
        raise InvalidDateError(
            f"{argument} {serial}: an Excel date serial runs from {FIRST_SERIAL} (1900-01-01) "
            f"to {LAST_SERIAL} (9999-12-31)" + (BLANK_AS_ZERO if serial == 0 else "")
        )
    if serial < _FICTITIOUS_LEAP_DAY:
        return _EARLY_EPOCH + dt.timedelta(days=serial)
    return _EPOCH + dt.timedelta(days=serial)


def to_serial(day: dt.date) -> int:
    """The Excel 1900-system serial number of ``day`` (1900-01-01 or later)."""
    if day < dt.date(1900, 3, 1):
        if day < dt.date(1900, 1, 1):
            raise InvalidDateError(f"date {day.isoformat()}: Excel dates start at 1900-01-01")
        return (day - _EARLY_EPOCH).days
    return (day - _EPOCH).days


def whole_number(value: Any) -> int | None:
    """``value`` as an ``int`` when it is a finite whole number (not a bool), else ``None``.

    Excel sends every number as a float, and a Currency cell as ``Decimal``;
    NaN, infinities and Decimal's signalling NaN are not whole numbers.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            return None
        return int(value)
    if not math.isfinite(value) or not value.is_integer():
        return None
    return int(value)


def _from_number(value: float | int | Decimal, argument: str) -> dt.date:
    serial = whole_number(value)
    if serial is None:
        finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
        if not finite:
            raise InvalidDateError(
                f"{argument} {shown(value)}: not a number of days; give {_FORMS}"
            )
        raise InvalidDateError(
            f"{argument} {shown(value)}: a serial with a time of day; give a whole day ({_FORMS})"
        )
    return from_serial(serial, argument)


def _from_text(text: str, argument: str) -> dt.date:
    stripped = text.strip()
    iso = _ISO.match(stripped)
    try:
        if iso:
            year, month, day = (int(group) for group in iso.groups())
            return dt.date(year, month, day)
        us = _US.match(stripped)
        if us:
            month, day, year = (int(group) for group in us.groups())
            if len(us.group(3)) == 2:
                # Excel's two-digit-year rule: 00-29 are 2000s, 30-99 are 1900s.
                year += 2000 if year < 30 else 1900
            return dt.date(year, month, day)
    except ValueError as error:
        raise InvalidDateError(f"{argument} {shown(text)}: {error}") from None
    raise InvalidDateError(f"{argument} {shown(text)} is not a date; give {_FORMS}")


def _from_datetime(value: dt.datetime, argument: str) -> dt.date:
    if value.time() != dt.time(0) or (value.tzinfo is not None and value.utcoffset()):
        raise InvalidDateError(
            f"{argument} {value.isoformat()}: has a time of day; give a date ({_FORMS})"
        )
    return value.date()


def to_date(value: Any, argument: str = "payment_date") -> dt.date:
    """Return the calendar date ``value`` stands for, or raise :class:`InvalidDateError`.

    ``argument`` is the parameter's name, used in the message.
    """
    if isinstance(value, dt.datetime):
        if value != value:  # pandas NaT
            raise InvalidDateError(f"{argument} is blank (NaT); give {_FORMS}")
        return _from_datetime(value, argument)
    if isinstance(value, dt.date):
        return value
    problem = not_a_value(value, argument)
    if problem is not None:  # a blank or an error cell
        raise InvalidDateError(f"{problem}; give {_FORMS}")
    if isinstance(value, bool):
        raise InvalidDateError(f"{argument} {shown(value)} is not a date; give {_FORMS}")
    if isinstance(value, (int, float, Decimal)):
        return _from_number(value, argument)
    if isinstance(value, str):
        return _from_text(value, argument)
    dtype = getattr(value, "dtype", None)
    if dtype is not None and str(dtype).startswith("datetime64") and getattr(value, "ndim", 1) == 0:
        moment = value.astype("datetime64[us]").item()  # numpy datetime64 → datetime/None
        if moment is None:
            raise InvalidDateError(f"{argument} is blank (NaT); give {_FORMS}")
        return to_date(moment, argument)
    raise InvalidDateError(
        f"{argument} of type {type(value).__name__} is not a date; give {_FORMS}"
    )
