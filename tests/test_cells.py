"""Blank and error cells, in every form classic xlwings and xlwings Lite pass them."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xlwings

from xl_reit.cells import ERROR_VALUES, error_value, is_blank, not_a_value


class JsNull:
    """Stands in for Pyodide's ``pyodide.ffi.JsNull``, JavaScript's ``null`` in Python.

    Pyodide 0.28 and newer pass a blank cell this way; xlwings 0.36.7 and newer turn it
    into ``None``, older xlwings pass it on (the Pyodide run in ``test_lite.py`` shows the
    real one arriving).
    """


def xlwings_com_error_codes() -> dict[int, str]:
    """``cell_errors`` of xlwings' Windows engine: the COM codes xlwings itself maps.

    Read from xlwings' source, which cannot be imported off Windows.
    """
    source = Path(xlwings.__file__).with_name("_xlwindows.py").read_text(encoding="utf-8")
    for statement in ast.parse(source).body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "cell_errors"
            for target in statement.targets
        ):
            found: dict[int, str] = ast.literal_eval(statement.value)
            return found
    raise AssertionError("xlwings/_xlwindows.py no longer defines cell_errors")


def test_every_com_code_xlwings_maps_is_the_same_error_here() -> None:
    codes = xlwings_com_error_codes()
    assert len(codes) == 7
    for code, text in codes.items():
        assert error_value(code) == text


def test_spill_which_xlwings_leaves_as_a_code_is_recognised_by_its_code() -> None:
    # #SPILL! is 2045 in VBA's XlCVError; COM passes 0x800A0000 | 2045 as a signed int
    assert error_value(0x800A07FD - 2**32) == "#SPILL!"
    assert error_value(-2146826243) == "#SPILL!"


@pytest.mark.parametrize(
    "text", ["#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#SPILL!", "#CALC!", "#GETTING_DATA"]
)
def test_an_error_value_as_text_is_that_error(text: str) -> None:
    assert text in ERROR_VALUES
    assert error_value(text) == text
    assert error_value(f" {text} ") == text


@pytest.mark.parametrize(
    "value",
    ["AIV", "#N/A payment_date 2004-01-15: …", "N/A", "#DIV/0", 2045, -1, 0, -2146826281.0, True],
    ids=repr,
)
def test_values_are_not_errors(value: Any) -> None:
    # xl-reit's own "#N/A reason" text is text; a float or bool is never a COM code
    assert error_value(value) is None


@pytest.mark.parametrize("value", [None, JsNull(), "", "   ", "\t"], ids=repr)
def test_blank_cells_are_blank(value: Any) -> None:
    assert is_blank(value)
    assert not_a_value(value, "cusip") == "cusip is blank"


@pytest.mark.parametrize("value", [0, 0.0, Decimal(0), False, "0", [[None]]], ids=repr)
def test_zero_false_and_ranges_are_not_blank(value: Any) -> None:
    assert not is_blank(value)
    assert not_a_value(value, "shares") is None


def test_the_message_names_the_argument_and_the_error() -> None:
    assert not_a_value("#DIV/0!", "payment_date") == "payment_date is the error #DIV/0!"
    assert not_a_value(-2146826246, "tax_year") == "tax_year is the error #N/A"
