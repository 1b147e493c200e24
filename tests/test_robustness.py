"""Hostile input: whatever a cell or a caller sends, REIT_* answers and never raises.

The sweep feeds every argument of every REIT_* function every junk value below
(with the other arguments valid) and checks that each call returns a number,
``#N/A …`` text, or an array of them. Property-based tests (hypothesis) pin
the rules behind CUSIPs, Excel serials and component names.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
import string
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_cells import JsNull

from xl_reit import cusip, udfs
from xl_reit.components import _NAME_KEYS, COMPONENTS, boxes_for_year, normalise, resolve
from xl_reit.dates import from_serial, to_serial
from xl_reit.errors import InvalidCusipError, UnknownComponentError
from xl_reit.udfs import REIT_ALLOC, REIT_AMOUNT, REIT_CLASSES, REIT_DIVIDEND, REIT_PAYMENTS


class Opaque:
    """An arbitrary object, as a Python caller might pass."""


class BadRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


JUNK: list[Any] = [
    None,
    JsNull(),  # a blank cell in xlwings Lite, with an xlwings older than 0.36.7
    "#DIV/0!",  # an error cell, as xlwings passes it with err_to_str
    -2146826243,  # a #SPILL! cell as its COM code, which classic xlwings leaves as is
    "",
    " ",
    "\t\n",
    float("nan"),
    float("inf"),
    float("-inf"),
    0,
    0.0,
    -1,
    -1.5,
    1e308,
    10**30,
    -(10**30),
    True,
    False,
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("-0"),
    Decimal("1E+400"),
    b"AIV",
    bytearray(b"x"),
    3 + 4j,
    dt.datetime(2004, 2, 27, 13, 30),
    dt.datetime.min,
    dt.datetime.max,
    dt.date.min,
    dt.date.max,
    dt.time(12),
    dt.timedelta(days=1),
    60,
    60.0,
    "Class Α Common Stock",  # the release's own Greek alpha
    "03748R-1Ο-1",  # a Greek omicron for a zero
    "ＡＩＶ",
    "０３７４８Ｒ１０１",
    "🏢",
    "AIV\x00",
    "=1+1",
    "-2+3",
    "@SUM(A1)",
    "x" * 10_000_000,  # a 10 MB string
    " " * 1_000_000 + "(15% rate)",
    [],
    [[]],
    [[], []],
    [["AIV"], ["AIV", "AIV"]],
    [[["AIV"]]],
    [[[[]]]],
    ["AIV", ["AIV"]],
    [[None]],
    (("AIV",),),
    {"a": 1},
    {1, 2},
    Opaque(),
    BadRepr(),
    Opaque,
]

VALID = {
    "cusip": "03748R-10-1",
    "payment_date": dt.datetime(2004, 2, 27),
    "component": "qualified",
    "shares": 100.0,
    "tax_year": 2004.0,
}
FUNCTIONS: dict[str, tuple[Callable[..., Any], tuple[str, ...]]] = {
    "REIT_ALLOC": (REIT_ALLOC, ("cusip", "payment_date", "component", "tax_year")),
    "REIT_DIVIDEND": (REIT_DIVIDEND, ("cusip", "payment_date", "tax_year")),
    "REIT_AMOUNT": (
        REIT_AMOUNT,
        ("cusip", "payment_date", "component", "shares", "tax_year"),
    ),
    "REIT_PAYMENTS": (REIT_PAYMENTS, ("cusip",)),
}
SWEEP = [
    (name, argument, index)
    for name, (_, arguments) in FUNCTIONS.items()
    for argument in arguments
    for index in range(len(JUNK))
]


@pytest.fixture(autouse=True)
def never_hangs(hang_guard: None) -> None:
    """Every call here must come back: see ``hang_guard`` in conftest."""


def cell_answer(value: Any) -> bool:
    """A number, ``#N/A`` text, a header label or date of a spilled table."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return value.startswith("#N/A ") and "\n" not in value and len(value) <= 1100
    return False


def answers(result: Any) -> bool:
    if isinstance(result, (list, tuple)):
        return len(result) > 0 and all(
            answers(row) if isinstance(row, (list, tuple)) else cell_answer(row) for row in result
        )
    return cell_answer(result)


def test_the_sweep_covers_every_function_and_argument() -> None:
    """Every REIT_* function Excel can call, and every argument it takes, gets the junk."""
    declared = {
        (name, argument)
        for name in udfs.__all__
        for argument in inspect.signature(getattr(udfs, name)).parameters
    }
    swept = {(name, argument) for name, argument, _ in SWEEP}
    assert swept == declared
    assert {name for name, _, _ in SWEEP} | {"REIT_CLASSES"} == set(udfs.__all__)
    assert all(FUNCTIONS[name][0] is getattr(udfs, name) for name in FUNCTIONS)


@pytest.mark.parametrize(("name", "argument", "index"), SWEEP)
def test_junk_in_any_argument_gives_a_number_or_na_text(
    name: str, argument: str, index: int
) -> None:
    function, names = FUNCTIONS[name]
    arguments = [JUNK[index] if each == argument else VALID[each] for each in names]
    result = function(*arguments)
    if name == "REIT_PAYMENTS" and isinstance(result, list):  # dates and the tax year
        result = [
            cell for row in result[1:] for cell in row[:-1] if not isinstance(cell, dt.datetime)
        ]
    assert answers(result), (name, argument, repr(JUNK[index])[:80], repr(result)[:200])


def test_classes_takes_no_input_and_always_answers() -> None:
    rows = REIT_CLASSES()
    assert rows[0][0] == "CUSIP" and len(rows) > 1


# --- properties ---------------------------------------------------------------

CUSIP_CHARACTERS = string.digits + string.ascii_uppercase + "*@#"
bases = st.text(alphabet=CUSIP_CHARACTERS, min_size=8, max_size=8)


@given(bases, st.sampled_from(["", "-", " "]), st.booleans())
def test_cusip_normalisation_is_idempotent_and_checks_the_digit(
    base: str, separator: str, lower: bool
) -> None:
    code = base + cusip.calc_check_digit(base)
    spelled = separator.join((code[:6], code[6:8], code[8]))
    spelled = spelled.lower() if lower else spelled
    assert cusip.validate(spelled) == code
    assert cusip.validate(cusip.validate(spelled)) == code
    assert cusip.compact(cusip.compact(spelled)) == cusip.compact(spelled)


@given(bases, st.sampled_from(string.digits))
def test_every_wrong_check_digit_is_refused(base: str, digit: str) -> None:
    code = base + digit
    if digit == cusip.calc_check_digit(base):
        assert cusip.is_valid(code)
    else:
        with pytest.raises(InvalidCusipError, match="expected"):
            cusip.validate(code)


@settings(max_examples=500)
@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)))
def test_excel_serials_round_trip_from_1900_03_01_to_9999_12_31(day: dt.date) -> None:
    assert from_serial(to_serial(day)) == day
    assert to_serial(day) == (day - dt.date(1899, 12, 30)).days


ALIASES = sorted(
    {spelling for c in COMPONENTS.values() for spelling in (c.name, c.label, *c.aliases)}
)
BOXES_2019 = sorted(boxes_for_year(2019))
ALL_PARTS = frozenset(COMPONENTS) - {"total_ordinary", "total_capital_gain"}


@given(
    st.sampled_from(ALIASES + BOXES_2019),
    st.sampled_from(["", " ", "  "]),
    st.sampled_from([str.lower, str.upper, str.title]),
    st.booleans(),
)
def test_every_alias_of_every_component_resolves(
    spelling: str, padding: str, case: Callable[[str], str], box_prefix: bool
) -> None:
    text = padding + case(("box " if box_prefix and spelling in BOXES_2019 else "") + spelling)
    component = resolve(text, 2019, ALL_PARTS)
    assert component.name in COMPONENTS


@given(st.text(max_size=30))
def test_nothing_but_an_alias_or_a_box_resolves(text: str) -> None:
    key = normalise(text)
    known = key in _NAME_KEYS or key in boxes_for_year(2019)
    try:
        resolve(text, 2019, ALL_PARTS)
    except UnknownComponentError:
        assert not known
    else:
        assert known


# --- concurrency --------------------------------------------------------------


def test_many_threads_get_the_same_answers_as_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from xl_reit import table as table_module

    loads: list[int] = []
    real = table_module.load_table

    def counting(*arguments: Any, **options: Any) -> Any:
        loads.append(1)
        return real(*arguments, **options)

    calls = [
        (security, day, component)
        for security in ("AIV", "03748R-30-9", "AIVPrU", "bad", None)
        for day in (dt.datetime(2004, 2, 27), 38183.0, "2004-10-15", "annual", "someday")
        for component in ("1a", "1b", "2a", "2b", "3", "nope")
    ]
    table_module.set_default_table(None)
    monkeypatch.setattr(table_module, "load_table", counting)
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            threaded = list(pool.map(lambda call: REIT_ALLOC(*call), calls * 20))
        single = [REIT_ALLOC(*call) for call in calls] * 20
    finally:
        table_module.set_default_table(None)
    assert threaded == single
    assert len(loads) == 1
