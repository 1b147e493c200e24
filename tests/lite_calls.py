"""Worksheet calls as Excel makes them, each with the answer it must give on every runtime.

Each :class:`Call` is written once, in cells (a date cell, an error cell, a blank
cell, text, numbers), and rendered two ways:

* :meth:`Call.officejs_args`: what Office.js hands xlwings Lite for it (every
  parameter of a REIT_* function is a ``matrix``, so each argument is a list of
  rows; a date cell is its serial number; an error cell an error entity; a
  blank cell ``null``; an omitted optional argument ``null``);
* :meth:`Call.classic_args`: what VBA hands classic xlwings on Windows (a single
  cell as its value, a range as a tuple of rows; numbers as floats; a date cell
  as a COM time; an error cell as its COM error code; an omitted optional
  argument as VBA's "missing" marker).

The expected answers are the release's printed figures (``release_2004.py``:
every payment splits 1.6588% ordinary, 1.3268% qualified, 73.608% capital gain,
23.4064% unrecaptured 1250 gain, 0% return of capital), and the start of each
``#N/A`` reason. ``test_lite.py`` runs the calls through xlwings' own Office.js
code in CPython and in Pyodide; ``test_registration.py`` through classic
xlwings' ``call_udf``; all must agree cell for cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bundled_classes import BUNDLED_CLASSES
from win32_stubs import MISSING_ARGUMENT, ComTime

from xl_reit.dates import to_serial
from xl_reit.lite import MAIN_PY


@dataclass(frozen=True)
class DateCell:
    """A cell formatted as a date. Office.js passes its serial number, or with the data
    types of Excel 365 a ``FormattedNumber`` entity; COM passes a (zoned) time."""

    day: dt.date
    entity: bool = False

    def officejs(self) -> Any:
        serial = to_serial(self.day)
        if self.entity:
            return {"type": "FormattedNumber", "basicValue": serial, "numberFormat": "m/d/yyyy"}
        return serial

    def classic(self) -> Any:
        return ComTime(self.day.year, self.day.month, self.day.day, tzinfo=dt.timezone.utc)


#: Excel's errors: (Office.js ``errorType``, COM error code = 0x800A0000 | XlCVError number).
ERRORS = {
    "#DIV/0!": ("Div0", -2146826281),
    "#N/A": ("NotAvailable", -2146826246),
    "#REF!": ("Ref", -2146826265),
}


@dataclass(frozen=True)
class ErrorCell:
    """A cell holding an error value such as ``#DIV/0!``."""

    text: str

    def officejs(self) -> Any:
        return {"type": "Error", "basicValue": self.text, "errorType": ERRORS[self.text][0]}

    def classic(self) -> Any:
        return ERRORS[self.text][1]


class Omitted:
    """An optional argument left out of the formula."""


OMITTED = Omitted()


@dataclass(frozen=True)
class NA:
    """An ``#N/A`` cell text whose reason starts with ``reason``."""

    reason: str

    def matches(self, cell: Any) -> bool:
        return isinstance(cell, str) and cell.startswith(f"#N/A {self.reason}")


def _officejs_cell(cell: Any) -> Any:
    return cell.officejs() if isinstance(cell, (DateCell, ErrorCell)) else cell


def _classic_cell(cell: Any) -> Any:
    if isinstance(cell, (DateCell, ErrorCell)):
        return cell.classic()
    if isinstance(cell, int) and not isinstance(cell, bool):
        return float(cell)  # COM passes every number as a double
    return cell


@dataclass(frozen=True)
class Call:
    """One formula: the function, its arguments as ranges of cells, the expected answer.

    ``expected`` is the result as a list of rows of cells, an :class:`NA` for a
    reason; ``classic`` is False for a call whose cells classic Excel cannot send
    (a blank that reaches Office.js as 0 on older desktop builds) or whose answer is
    Office.js's own (dates as ``FormattedNumber`` entities); ``runtime`` is the
    CustomFunctionsRuntime version Office.js reports.
    """

    name: str
    function: str
    arguments: tuple[Any, ...]
    expected: list[list[Any]]
    classic: bool = True
    runtime: str = "1.4"

    def officejs_args(self) -> list[Any]:
        return [
            None
            if argument is OMITTED
            else [[_officejs_cell(cell) for cell in row] for row in argument]
            for argument in self.arguments
        ]

    def officejs_body(self) -> dict[str, Any]:
        """The body xlwings' Office.js code builds for one call (custom-functions-code.js)."""
        return {
            "client": "Office.js",
            "func_name": self.function,
            "args": self.officejs_args(),
            "caller_address": "[Book1]Sheet1!C2",
            "session_id": "test",
            "culture_info_name": "en-US",
            "date_format": "m/d/yyyy",
            "version": "any",
            "runtime": self.runtime,
        }

    def classic_args(self) -> tuple[Any, ...]:
        """The arguments as VBA's wrapper passes them to ``call_udf``."""
        rendered: list[Any] = []
        for argument in self.arguments:
            if argument is OMITTED:
                rendered.append(MISSING_ARGUMENT)
            elif len(argument) == 1 and len(argument[0]) == 1:
                rendered.append(_classic_cell(argument[0][0]))  # one cell: its value
            else:
                rendered.append(tuple(tuple(map(_classic_cell, row)) for row in argument))
        return tuple(rendered)

    def matches(self, answer: Any) -> bool:
        """Whether ``answer`` (a list of rows) is the expected one, cell for cell."""
        if not isinstance(answer, list) or len(answer) != len(self.expected):
            return False
        for row, expected_row in zip(answer, self.expected, strict=True):
            if len(row) != len(expected_row):
                return False
            for cell, expected in zip(row, expected_row, strict=True):
                if not (expected.matches(cell) if isinstance(expected, NA) else cell == expected):
                    return False
        return True


FEB_27 = DateCell(dt.date(2004, 2, 27))  # AIV's first payable date
JAN_15 = DateCell(dt.date(2004, 1, 15))  # the preferred classes' first payable date


def cells(*values: Any) -> list[list[Any]]:
    """A one-column range."""
    return [[value] for value in values]


def one(value: Any) -> list[list[Any]]:
    """A single cell (Office.js: a 1x1 matrix)."""
    return [[value]]


CALLS = [
    Call(
        "alloc: date cell, hyphenated CUSIP",
        "REIT_ALLOC",
        (one("03748R-10-1"), one(FEB_27), one("qualified")),
        [[0.013268]],
    ),
    Call(
        "alloc: date as a FormattedNumber entity",
        "REIT_ALLOC",
        (one("AIV"), one(DateCell(dt.date(2004, 2, 27), entity=True)), one("1b")),
        [[0.013268]],
    ),
    Call(
        "alloc: text date, record date, Box 1a",
        "REIT_ALLOC",
        (one("AIV"), one("2004-02-20"), one("Box 1a")),
        [[0.029856]],  # ordinary + qualified
    ),
    Call(
        "alloc: no payment that day",
        "REIT_ALLOC",
        (one("03748R861"), one(JAN_15), one("1a")),
        [[NA("payment_date 2004-01-15: Class P")]],
    ),
    Call(
        "alloc: tax_year omitted",
        "REIT_ALLOC",
        (one("AIV"), one(FEB_27), one("2a"), OMITTED),
        [[0.970144]],  # capital gain + unrecaptured 1250
    ),
    Call(
        "alloc: tax_year blank",
        "REIT_ALLOC",
        (one("AIV"), one(FEB_27), one("2b"), one(None)),
        [[0.234064]],
    ),
    Call(
        "alloc: tax_year 2004",
        "REIT_ALLOC",
        (one("AIV"), one(FEB_27), one("3"), one(2004)),
        [[0.0]],
    ),
    Call(
        "alloc: error cell as cusip",
        "REIT_ALLOC",
        (one(ErrorCell("#DIV/0!")), one(FEB_27), one("1a")),
        [[NA("cusip is the error #DIV/0!; ")]],
    ),
    Call(
        "alloc: error cell as payment_date",
        "REIT_ALLOC",
        (one("AIV"), one(ErrorCell("#N/A")), one("1a")),
        [[NA("payment_date is the error #N/A; ")]],
    ),
    Call(
        "alloc: error cell as tax_year",
        "REIT_ALLOC",
        (one("AIV"), one(FEB_27), one("1a"), one(ErrorCell("#REF!"))),
        [[NA("tax_year is the error #REF!; ")]],
    ),
    Call(
        "alloc: blank cusip",
        "REIT_ALLOC",
        (one(None), one(FEB_27), one("1a")),
        [[NA("cusip is blank; ")]],
    ),
    Call(
        "alloc: blank component",
        "REIT_ALLOC",
        (one("AIV"), one(FEB_27), one(None)),
        [[NA("component is blank; ")]],
    ),
    Call(
        # Older desktop builds send a blank cell to an Office add-in as 0
        # (OfficeDev/office-js issue 4702); classic Excel never does.
        "alloc: blank date on older desktop builds (0)",
        "REIT_ALLOC",
        (one("AIV"), one(0), one("1a")),
        [[NA("payment_date 0: an Excel date serial runs from 1")]],
        classic=False,
    ),
    Call(
        "alloc: a CUSIP column and a date column",
        "REIT_ALLOC",
        (
            cells("AIV", "03748R-40-8", "AIVPrD", ErrorCell("#N/A"), None, "nope"),
            cells(FEB_27, JAN_15, DateCell(dt.date(2004, 4, 1)), FEB_27, FEB_27, FEB_27),
            one("1b"),
        ),
        [
            [0.013268],
            [0.013268],
            [0.013268],  # 2004-04-01 is Class D's record date
            [NA("cusip is the error #N/A; ")],
            [NA("cusip is blank; ")],
            [NA("cusip 'nope' is not a CUSIP, ISIN or symbol")],
        ],
    ),
    Call(
        "alloc: two columns against a row of boxes",
        "REIT_ALLOC",
        (
            cells("AIV", "AIVPrG"),
            cells(FEB_27, "2004-10-15"),
            [["1a", "1b", "2a", "2b", "3"]],
        ),
        [[0.029856, 0.013268, 0.970144, 0.234064, 0.0]] * 2,
    ),
    Call(
        "alloc: a smaller range is #N/A past its edge",
        "REIT_ALLOC",
        (cells("AIV", "AIV", "AIV"), cells(FEB_27, FEB_27), one("1b")),
        [[0.013268], [0.013268], [NA("payment_date: range is smaller than the others")]],
    ),
    Call(
        "dividend: preferred class",
        "REIT_DIVIDEND",
        (one("AIVPrG"), one(JAN_15)),
        [[0.5859375]],
    ),
    Call(
        "dividend: the year, tax_year 2004",
        "REIT_DIVIDEND",
        (cells("AIV", "AIVPrU"), one("annual"), one(2004)),
        [[2.4], [1.081775]],  # the release's Annual lines
    ),
    Call(
        "amount: 100 shares",
        "REIT_AMOUNT",
        (one("AIV"), one(FEB_27), one("1b"), one(100)),
        [[0.79608]],  # 0.600 x 1.3268% x 100
    ),
    Call(
        "amount: a column of share counts",
        "REIT_AMOUNT",
        (one("AIV"), one(FEB_27), one("1b"), cells(100, 250.5, 0)),
        [[0.79608], [1.9941804], [0.0]],  # 0.0079608 a share
    ),
    Call(
        "amount: blank shares is an error, not 1 share",
        "REIT_AMOUNT",
        (one("AIV"), one(FEB_27), one("1b"), one(None)),
        [[NA("shares is blank; ")]],
    ),
    Call(
        'amount: shares ="" is blank',
        "REIT_AMOUNT",
        (one("AIV"), one(FEB_27), one("1b"), one("")),
        [[NA("shares is blank; ")]],
    ),
    Call(
        "amount: shares an error cell",
        "REIT_AMOUNT",
        (one("AIV"), one(FEB_27), one("1b"), one(ErrorCell("#DIV/0!"))),
        [[NA("shares is the error #DIV/0!; ")]],
    ),
    Call(
        # What older desktop builds send for a blank shares cell: 0 shares, 0 dollars
        # (indistinguishable from a typed 0; the README says so).
        "amount: blank shares on older desktop builds (0)",
        "REIT_AMOUNT",
        (one("AIV"), one(FEB_27), one("1b"), one(0)),
        [[0.0]],
        classic=False,
    ),
    Call(
        "classes",
        "REIT_CLASSES",
        (),
        [["CUSIP", "Class", "Issuer", "Symbol", "Tax year"], *BUNDLED_CLASSES],
    ),
]

_PAYMENTS_HEADER = [
    "Record date",
    "Payable date",
    "Dividend per share",
    "Ordinary",
    "Qualified",
    "Capital gain",
    "Unrecaptured 1250",
    "Return of capital",
    "Tax year",
]
_SPLIT = [0.016588, 0.013268, 0.73608, 0.234064, 0.0]


def _dated(day: dt.date, runtime: str) -> Any:
    """A date the function returns, as xlwings hands it to Office.js: a formatted number
    from CustomFunctionsRuntime 1.4 (so Excel shows a date), a bare serial before."""
    serial = to_serial(day)
    if runtime == "1.3":
        return serial
    return {"type": "FormattedNumber", "basicValue": serial, "numberFormat": "m/d/yyyy"}


#: REIT_PAYMENTS' dates are Office.js's own shapes (classic returns datetimes, which
#: test_registration.py checks), so these run on Lite only. Class P paid once.
CALLS += [
    Call(
        f"payments: dates for runtime {runtime}",
        "REIT_PAYMENTS",
        (one("AIVPrP"),),
        [
            _PAYMENTS_HEADER,
            [
                _dated(dt.date(2004, 4, 1), runtime),
                _dated(dt.date(2004, 4, 15), runtime),
                0.5625,
                *_SPLIT,
                2004,
            ],
        ],
        classic=False,
        runtime=runtime,
    )
    for runtime in ("1.4", "1.3")
]


#: A second module, loaded beside main.py: what a cell reaches a function as.
PROBE_PY = '''
import xlwings as xw


@xw.func
@xw.arg("cells", ndim=2, err_to_str=True)
def CELL_TYPES(cells):
    """The Python type of each cell, as a REIT_* function receives it."""
    if not isinstance(cells, list):
        return type(cells).__name__
    return [[type(cell).__name__ for cell in row] for row in cells]
'''

#: Probes: a blank cell on its own (which xlwings may replace with a default) and in a
#: range (where it stays a cell), and an error cell.
PROBES = {
    "a blank cell": [[None]],
    "a range with a blank cell": [["AIV"], [None]],
    "an error cell": [[ErrorCell("#DIV/0!")]],
}


def lite_request(main: str = MAIN_PY) -> dict[str, Any]:
    """Every call and probe, as lite_harness.request: ``main`` as the workbook's main.py
    (by default the one ``xl-reit lite --from-pypi`` writes), and the probe module."""
    calls = [("main", call.officejs_body()) for call in CALLS]
    calls += [
        ("probe", Call(name, "CELL_TYPES", (cells,), []).officejs_body())
        for name, cells in PROBES.items()
    ]
    return {
        "modules": {"main": main, "probe": PROBE_PY},
        "calls": [{"module": module, "body": body} for module, body in calls],
    }
