"""What a worksheet cell holds when it holds no value: nothing, or one of Excel's errors.

A cell passed to a worksheet function may be blank, or hold an error value
(``#DIV/0!``, ``#N/A``, ``#SPILL!`` …) that a formula in it produced. Neither
is a CUSIP, a date, a component, a share count or a tax year, and each
runtime hands them to Python its own way:

* **Classic xlwings** (Windows, through COM): a blank cell is ``None``. An
  error cell is the COM error code (an ``int`` such as ``-2146826281``);
  with ``err_to_str``, which every ``REIT_*`` argument asks for, xlwings
  turns the seven classic codes into their text (``'#DIV/0!'``) and leaves
  the newer ones (``#SPILL!``, ``#CALC!`` …) as codes.
* **xlwings Lite** (Office.js, Python in Pyodide): a blank cell is
  JavaScript ``null``, which arrives as ``None``, or, with an xlwings older
  than 0.36.7 on Pyodide 0.28 or newer, as Pyodide's ``JsNull`` object. An
  error cell is an error entity that ``err_to_str`` turns into its text.

:func:`not_a_value` recognises every one of these forms, so each normaliser
of cell values in :mod:`xl_reit.lookup` and :mod:`xl_reit.dates` reports a
blank as blank and an error as that error on every runtime, instead of
reading an error as a blank (what ``None`` alone would say) or a code as a
number:

>>> not_a_value("#DIV/0!", "cusip"), not_a_value(-2146826243, "shares")
('cusip is the error #DIV/0!', 'shares is the error #SPILL!')
>>> not_a_value(None, "payment_date"), not_a_value("AIV", "cusip") is None
('payment_date is blank', True)
"""

from __future__ import annotations

from typing import Any

__all__ = ["ERROR_VALUES", "error_value", "is_blank", "not_a_value"]

#: Excel's error values as a cell shows them, with the number of each in VBA's
#: ``XlCVError`` enumeration (https://learn.microsoft.com/office/vba/api/excel.xlcverror).
_NUMBERED = {
    "#NULL!": 2000,
    "#DIV/0!": 2007,
    "#VALUE!": 2015,
    "#REF!": 2023,
    "#NAME?": 2029,
    "#NUM!": 2036,
    "#N/A": 2042,
    "#SPILL!": 2045,
}
#: Error values of newer Excel that Office.js passes by text (``Excel.ErrorCellValueType``).
_NAMED_ONLY = (
    "#BLOCKED!",
    "#BUSY!",
    "#CALC!",
    "#CONNECT!",
    "#FIELD!",
    "#GETTING_DATA",
    "#PYTHON!",
    "#UNKNOWN!",
)

#: Every error value, as text.
ERROR_VALUES = frozenset((*_NUMBERED, *_NAMED_ONLY))

#: COM hands an error cell to Python as the HRESULT ``0x800A0000 | number``, a negative int
#: (``#DIV/0!`` is -2146826281: the codes xlwings itself maps in ``_xlwindows.cell_errors``).
_COM_CODES = {(0x800A0000 | number) - 2**32: text for text, number in _NUMBERED.items()}


def error_value(value: Any) -> str | None:
    """The error value a cell holds (``'#DIV/0!'``), from its text or its COM code; else None."""
    if isinstance(value, str):
        text = value.strip()
        return text if text in ERROR_VALUES else None
    if type(value) is int:  # a COM code: never a bool, and a float is a number
        return _COM_CODES.get(value)
    return None


def is_blank(value: Any) -> bool:
    """Whether a cell is blank: ``None``, Pyodide's ``JsNull``, or text of only spaces.

    ``JsNull`` is recognised by its type's name: the Python of classic Excel has
    no Pyodide to import it from.
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return type(value).__name__ == "JsNull"


def not_a_value(value: Any, argument: str) -> str | None:
    """``'<argument> is blank'`` or ``'<argument> is the error #N/A'``; None for a value."""
    if is_blank(value):
        return f"{argument} is blank"
    error = error_value(value)
    return None if error is None else f"{argument} is the error {error}"
