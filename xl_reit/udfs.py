"""The ``REIT_*`` worksheet functions, for Excel through xlwings.

This is the only module that imports xlwings. It turns what Excel sends into
calls on :mod:`xl_reit.lookup` and the answers back into what a cell can
show:

* every argument may be a cell or a range (xlwings passes a range as a list
  of rows, because each argument asks for ``ndim=2``); arguments broadcast the
  Excel way and the result has the range's shape, a column in, a column out;
* a problem the user can fix (:class:`~xl_reit.errors.XlReitError`) becomes
  the cell text ``#N/A <reason>`` in its own cell, so one bad row never blanks
  a whole spill; a bug in xl-reit still raises, so it is seen;
* a blank cell or an error cell in an argument is reported as what it is
  (``#N/A cusip is the error #DIV/0!``), the same on every runtime;
* numbers go back as ``float`` (the exact ``Decimal`` stays inside).

The same definitions serve classic xlwings on Windows and xlwings Lite (Excel
on the web, Mac and Windows): importing xlwings binds ``xw.func``/``xw.arg``
to the decorators of the runtime it runs in, and a Lite workbook's ``main.py``
is ``from xl_reit.udfs import *`` (``xl-reit lite`` writes it).

Off Windows the xlwings decorators do nothing, so Python code can call these
functions directly: ``from xl_reit.udfs import REIT_ALLOC``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import xlwings as xw

from . import lookup
from .broadcast import ERROR_PREFIX, broadcast
from .components import COMPONENTS, summary
from .errors import XlReitError
from .table import on_default_table_change

__all__ = ["REIT_ALLOC", "REIT_AMOUNT", "REIT_CLASSES", "REIT_DIVIDEND", "REIT_PAYMENTS"]

CATEGORY = "xl-reit"
_MAX_MESSAGE = 1000
_MEMO_LIMIT = 100_000

Cell = float | str
_SECURITY_DOC = "CUSIP (03748R-10-1), ISIN (US03748R1014) or symbol (AIV, AIVPrD)"
_DATE_DOC = "Record or payable date of a payment, or 'annual' / the tax year for the whole year"
_COMPONENT_DOC = summary()
_SHARES_DOC = "Number of shares held (required; a blank cell is an error, not 1 share)"
_TAX_YEAR_DOC = (
    "Optional tax year: the part of the payment that year's Form 1099-DIV reports (a payment "
    "split between years has a part in each); blank: the whole payment"
)

#: How every broadcasting argument asks xlwings to read its cells: ``ndim=2`` keeps a
#: one-column range a column (xlwings would flatten it), and ``err_to_str`` passes an error
#: cell as its text ('#DIV/0!') rather than as ``None``, which would read as a blank cell
#: (see :mod:`xl_reit.cells`). Classic xlwings and xlwings Lite both honour both.
_CELLS: dict[str, Any] = {"ndim": 2, "err_to_str": True}

_memo: dict[tuple[Any, ...], float] = {}
on_default_table_change(_memo.clear)


def error_text(error: XlReitError) -> str:
    """The cell text for an error the user can fix: ``#N/A <reason>``."""
    return ERROR_PREFIX + str(error).replace("\n", "; ")[:_MAX_MESSAGE]


def _memoised(key: tuple[Any, ...], compute: Callable[[], Decimal]) -> Cell:
    """A remembered answer for these arguments, else ``compute()`` as a float or ``#N/A`` text."""
    try:
        return _memo[key]
    except (KeyError, TypeError):
        pass
    try:
        value = float(compute())
    except XlReitError as error:
        return error_text(error)
    _remember(key, value)
    return value


def _allocation_cell(security: Any, payment_date: Any, component: Any, tax_year: Any) -> Cell:
    return _memoised(
        (security, payment_date, component, tax_year),
        lambda: lookup.allocation(security, payment_date, component, tax_year=tax_year),
    )


def _dividend_cell(security: Any, payment_date: Any, tax_year: Any) -> Cell:
    return _memoised(
        (security, payment_date, tax_year),
        lambda: lookup.dividend(security, payment_date, tax_year=tax_year),
    )


def _amount_cell(
    security: Any, payment_date: Any, component: Any, shares: Any, tax_year: Any
) -> Cell:
    try:
        return float(lookup.amount(security, payment_date, component, shares, tax_year=tax_year))
    except XlReitError as error:
        return error_text(error)


def _remember(key: tuple[Any, ...], value: float) -> None:
    try:
        if len(_memo) >= _MEMO_LIMIT:
            _memo.clear()
        _memo[key] = value
    except TypeError:  # an unhashable argument: nothing to remember
        pass


@xw.func(category=CATEGORY)
@xw.arg("cusip", **_CELLS, doc=_SECURITY_DOC)
@xw.arg("payment_date", **_CELLS, doc=_DATE_DOC)
@xw.arg("component", **_CELLS, doc=_COMPONENT_DOC)
@xw.arg("tax_year", **_CELLS, doc=_TAX_YEAR_DOC)
def REIT_ALLOC(cusip: Any, payment_date: Any, component: Any, tax_year: Any = None) -> Any:  # noqa: N802
    """Fraction of a REIT dividend payment that is one tax component or 1099-DIV box.

    =REIT_ALLOC("03748R-10-1", "2004-02-27", "qualified") gives 0.013268 (1.3268%).
    """
    try:
        return _memo[(cusip, payment_date, component, tax_year)]
    except (KeyError, TypeError):
        return broadcast(
            _allocation_cell,
            ("cusip", "payment_date", "component", "tax_year"),
            cusip,
            payment_date,
            component,
            tax_year,
        )


@xw.func(category=CATEGORY)
@xw.arg("cusip", **_CELLS, doc=_SECURITY_DOC)
@xw.arg("payment_date", **_CELLS, doc=_DATE_DOC)
@xw.arg("tax_year", **_CELLS, doc=_TAX_YEAR_DOC)
def REIT_DIVIDEND(cusip: Any, payment_date: Any, tax_year: Any = None) -> Any:  # noqa: N802
    """Dividend per share in dollars of one payment, or the year's total for 'annual'.

    =REIT_DIVIDEND("AIVPrG", "2004-01-15") gives 0.5859375.
    """
    return broadcast(
        _dividend_cell, ("cusip", "payment_date", "tax_year"), cusip, payment_date, tax_year
    )


@xw.func(category=CATEGORY)
@xw.arg("cusip", **_CELLS, doc=_SECURITY_DOC)
@xw.arg("payment_date", **_CELLS, doc=_DATE_DOC)
@xw.arg("component", **_CELLS, doc=_COMPONENT_DOC)
@xw.arg("shares", **_CELLS, doc=_SHARES_DOC)
@xw.arg("tax_year", **_CELLS, doc=_TAX_YEAR_DOC)
def REIT_AMOUNT(  # noqa: N802
    cusip: Any, payment_date: Any, component: Any, shares: Any, tax_year: Any = None
) -> Any:
    """Dollars of one tax component: dividend per share x fraction x shares.

    =REIT_AMOUNT("AIV", "2004-02-27", "1b", 100) gives 0.79608. A blank shares
    cell is an error, never 1 share.
    """
    # shares has no default: xlwings Lite gives an optional argument its default for a
    # blank cell, and classic xlwings gives None, so only a required argument makes a
    # blank the same error on both.
    return broadcast(
        _amount_cell,
        ("cusip", "payment_date", "component", "shares", "tax_year"),
        cusip,
        payment_date,
        component,
        shares,
        tax_year,
    )


@xw.func(category=CATEGORY)
@xw.arg("cusip", err_to_str=True, doc=_SECURITY_DOC)
def REIT_PAYMENTS(cusip: Any) -> Any:  # noqa: N802
    """A share class's payments as a spilling table with a header row.

    Columns: record date, payable date, dividend per share, each figure the
    release prints as a fraction of the dividend, then the tax year.
    """
    try:
        years = lookup.find_years(cusip)
    except XlReitError as error:
        return error_text(error)
    from .form1099 import shown_figures  # here, not at import: 1.5 ms of a workbook's start

    figures = shown_figures(years)
    rows: list[list[Any]] = [
        ["Record date", "Payable date", "Dividend per share"]
        + [COMPONENTS[name].label for name in figures]
        + ["Tax year"]
    ]
    for line in (line for year in years for line in (year.payments or (year.annual,))):
        rows.append(
            [
                _as_datetime(line.record_date),
                _as_datetime(line.payable_date),
                _float_or_blank(line.dividend_per_share),
                *(_float_or_blank(line.fraction(name)) for name in figures),
                line.tax_year,
            ]
        )
    return rows


@xw.func(category=CATEGORY)
def REIT_CLASSES() -> Any:  # noqa: N802
    """Every share class xl-reit knows, as a spilling table with a header row.

    Columns: CUSIP, class, issuer, symbol, tax year.
    """
    rows: list[list[Any]] = [["CUSIP", "Class", "Issuer", "Symbol", "Tax year"]]
    try:
        classes = lookup.classes()
    except XlReitError as error:  # a bad table in XL_REIT_DATA
        return error_text(error)
    for security_class in classes:
        rows.append(
            [
                security_class.cusip,
                security_class.class_name,
                security_class.issuer,
                security_class.symbol,
                security_class.tax_year,
            ]
        )
    return rows


def _float_or_blank(value: Decimal | None) -> float | None:
    """A figure as Excel takes it; blank where the line does not know it."""
    return None if value is None else float(value)


def _as_datetime(day: dt.date | None) -> dt.datetime | None:
    """Excel shows a date cell from a ``datetime``; xlwings sends dates that way."""
    return None if day is None else dt.datetime(day.year, day.month, day.day)
