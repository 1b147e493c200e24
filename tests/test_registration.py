"""The REIT_* functions as Excel gets them, checked against xlwings' own registration code.

Off Windows ``xlwings.func``/``arg``/``ret`` do nothing, so the other tests call plain
Python functions. Here the real decorators of ``xlwings/udfs.py`` decorate a fresh copy
of :mod:`xl_reit.udfs` (made importable on Linux by the pywin32 stand-ins in
``win32_stubs.py``), and then xlwings' own code does what it does on Windows:

* ``import_udfs`` writes the VBA module Excel imports (through ``generate_vba_wrapper``)
  and sets each function's Function Wizard texts with ``Application.MacroOptions``;
* ``call_udf`` converts what VBA hands over, calls the function and converts the answer
  into the array the cell shows.

The copy of ``xl_reit.udfs`` stands in for the module in ``sys.modules`` only while this
file's tests run; the module the rest of the suite imported is never touched or reloaded.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import inspect
import io
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
import xlwings
from lite_calls import CALLS, Call
from win32_stubs import MISSING_ARGUMENT, NA_ERROR_CELL, ComTime, FakeWorkbook, windows_xlwings

import xl_reit.udfs  # noqa: F401  (the module the copy below stands in for, imported first)

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="stands in for pywin32, which Windows has for real"
)

MODULE = "xl_reit.udfs"
REIT_FUNCTIONS = ("REIT_ALLOC", "REIT_DIVIDEND", "REIT_AMOUNT", "REIT_PAYMENTS", "REIT_CLASSES")
#: The functions that broadcast over ranges: each argument asks for ``ndim=2`` so that a
#: column stays a column (xlwings would otherwise flatten a one-column range).
BROADCASTING = ("REIT_ALLOC", "REIT_DIVIDEND", "REIT_AMOUNT")
#: What each argument's Function Wizard text has to talk about.
ARGUMENT_MENTIONS = {
    "cusip": "CUSIP",
    "payment_date": "date",
    "component": "1099-DIV",
    "shares": "shares",
    "tax_year": "tax year",
}

#: A date cell as it reaches Python through COM (a zoned pywintypes datetime).
FEB_27_2004 = ComTime(2004, 2, 27, tzinfo=dt.timezone.utc)
#: Application.Caller: the calling cell, which call_udf only wraps for these functions.
CALLER = object()

# --- safe VBA names --------------------------------------------------------------------

#: VBA keywords, statements, types and built-ins a parameter must not be called (VBA
#: compares names without regard to case). A parameter named like one of these either
#: does not compile (``Function F(date)``: "Expected: identifier") or shadows a built-in.
VBA_RESERVED = frozenset(
    name.lower()
    for name in """
    Abs Access AddressOf Alias And Any Append Array As Attribute Base Binary Boolean ByRef
    Byte ByVal Call Case CBool CByte CCur CDate CDbl CDec CDecl Chr CInt Circle CLng CLngLng
    CLngPtr Close Compare Const CSng CStr Currency CVar CVErr Date Debug Decimal Declare
    DefBool DefByte DefCur DefDate DefDbl DefDec DefInt DefLng DefLngLng DefLngPtr DefObj
    DefSng DefStr DefVar Dim Do DoEvents Double Each Else ElseIf Empty End EndIf Enum Eqv
    Erase Error Event Exit Explicit False Fix For Format Friend Function Get Global GoSub
    GoTo If IIf Imp Implements In Input InputB InStr Int Integer Is IsArray IsDate IsEmpty
    IsError IsMissing IsNull IsNumeric IsObject Kill LBound LCase Left Len LenB Let Lib Like
    Line Lock Long LongLong LongPtr Loop LSet LTrim Me Mid Mod Module Name New Next Not
    Nothing Now Null Object On Open Option Optional Or Output ParamArray Preserve Print
    Private Property PSet PtrSafe Public Put RaiseEvent Random Read ReDim Rem Reset Resume
    Return Right RSet RTrim Scale Seek Select Set Sgn Shared Single Spc Static Step Stop Str
    String Sub Tab Text Then Time Timer To Trim True Type TypeName TypeOf UBound UCase Unlock
    Until Val Variant VarType WEnd While Width With WithEvents Write Xor
    """.split()
)
#: Names the body of xlwings' generated wrapper relies on; a parameter of the same name
#: would shadow them (``XLPy.CallUDF``, ``Application.Caller``, ``Is Range``, ...).
XLWINGS_WRAPPER_NAMES = frozenset(
    name.lower()
    for name in "Application ActiveWorkbook ThisWorkbook XLPy Err Range argsArray k".split()
)
_VBA_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,254}")
#: A function name Excel would read as a cell address (A1 or R1C1 style) instead.
_CELL_REFERENCE = re.compile(r"[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*")
_SIGNATURE = re.compile(r"^(?:Function|Sub) (\S+?)\((.*)\)[ \t]*$", re.MULTILINE)


def vba_signatures(vba: str) -> dict[str, list[str]]:
    """Each ``Function``/``Sub`` the VBA declares, with its parameters' names."""
    return {
        match[1]: [
            parameter.split()[-1].removesuffix("()")  # drop Optional/ParamArray and ()
            for parameter in match[2].split(",")
            if parameter.strip()
        ]
        for match in _SIGNATURE.finditer(vba)
    }


def unsafe_names(function_name: str, parameters: list[str]) -> list[str]:
    """Why each name in a VBA signature would break the wrapper; empty when all are safe."""
    problems = []
    for name in (function_name, *parameters):
        if not _VBA_IDENTIFIER.fullmatch(name):
            problems.append(f"{name!r} is not a VBA identifier")
        elif name.lower() in VBA_RESERVED:
            problems.append(f"{name!r} is a VBA keyword or built-in")
        elif name.lower() in XLWINGS_WRAPPER_NAMES:
            problems.append(f"{name!r} is used by xlwings' VBA wrapper")
    if _CELL_REFERENCE.fullmatch(function_name):
        problems.append(f"{function_name!r} reads as a cell reference in a formula")
    counts = Counter(name.lower() for name in (function_name, *parameters))
    problems += [
        f"{name!r} is declared twice (VBA ignores case)" for name, n in counts.items() if n > 1
    ]
    return problems


# --- fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xlwings_udfs() -> Iterator[ModuleType]:
    """The real ``xlwings.udfs`` module, importable while this file's tests run."""
    with windows_xlwings() as module:
        yield module


@pytest.fixture(scope="module")
def registered(xlwings_udfs: ModuleType) -> Iterator[ModuleType]:
    """``xl_reit.udfs`` as on Windows: a fresh copy run while ``xw.func``/``arg``/``ret`` are
    xlwings' real decorators. It stands in for the module in ``sys.modules``, where
    ``call_udf`` imports it from."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xlwings, "func", xlwings_udfs.xlfunc)
        patch.setattr(xlwings, "arg", xlwings_udfs.xlarg)
        patch.setattr(xlwings, "ret", xlwings_udfs.xlret)
        spec = importlib.util.find_spec(MODULE)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        patch.setitem(sys.modules, MODULE, module)
        spec.loader.exec_module(module)
        yield module


@pytest.fixture(scope="module")
def workbook(xlwings_udfs: ModuleType, registered: ModuleType) -> FakeWorkbook:
    """A workbook after "Import Functions": its VBA module and Function Wizard texts."""
    # Given a workbook, xlwings' first import of a module also scans the workbook's sheets
    # for embedded code (an xlwings PRO feature). Import it first the way a call without a
    # workbook does (VBA's #Else branch); import_udfs then takes it from xlwings' cache.
    xlwings_udfs.get_udf_module(MODULE, None)
    workbook = FakeWorkbook()
    xlwings_udfs.import_udfs(MODULE, workbook)
    return workbook


@pytest.fixture(scope="module")
def cell(xlwings_udfs: ModuleType, workbook: FakeWorkbook) -> Callable[..., Any]:
    """Calls a function the way its VBA wrapper does, and gives back what goes to the cell."""

    def call(function_name: str, *arguments: Any) -> Any:
        # XLPy.CallUDF("xl_reit.udfs", name, Array(...), ThisWorkbook, Application.Caller)
        return xlwings_udfs.call_udf(MODULE, function_name, arguments, workbook, CALLER)

    return call


# --- registration ----------------------------------------------------------------------


@pytest.mark.parametrize("name", REIT_FUNCTIONS)
def test_every_reit_function_is_registered_by_xlwings_in_category_xl_reit(
    name: str, registered: ModuleType
) -> None:
    function = getattr(registered, name)
    info = function.__xlfunc__
    assert info["name"] == name
    assert info["category"] == "xl-reit"
    assert info["sub"] is False  # a worksheet function, not a macro
    assert [arg["name"] for arg in info["args"]] == list(inspect.signature(function).parameters)
    if name in BROADCASTING:
        assert all(arg["options"].get("ndim") == 2 for arg in info["args"]), info["args"]
    # an error cell must reach xl-reit as its text, not as None (a blank)
    assert all(arg["options"].get("err_to_str") is True for arg in info["args"]), info["args"]


def test_shares_is_required_in_excel_and_tax_year_optional(
    registered: ModuleType, workbook: FakeWorkbook
) -> None:
    arguments = {arg["name"]: arg for arg in registered.REIT_AMOUNT.__xlfunc__["args"]}
    assert "optional" not in arguments["shares"]
    assert arguments["tax_year"]["optional"] is None
    assert "(cusip, payment_date, component, shares, Optional tax_year)" in workbook.vba


def test_excel_gets_exactly_the_reit_functions_and_no_helper(
    registered: ModuleType, workbook: FakeWorkbook
) -> None:
    assert set(vba_signatures(workbook.vba)) == set(REIT_FUNCTIONS)
    assert set(workbook.macro_options) == set(REIT_FUNCTIONS)


# --- the generated VBA -----------------------------------------------------------------


@pytest.mark.parametrize("name", REIT_FUNCTIONS)
def test_every_generated_vba_signature_uses_only_safe_names(
    name: str, workbook: FakeWorkbook
) -> None:
    signatures = vba_signatures(workbook.vba)
    assert name in signatures, workbook.vba
    assert unsafe_names(name, signatures[name]) == []


def test_the_safe_name_check_flags_a_parameter_named_date(xlwings_udfs: ModuleType) -> None:
    def REIT_ON(cusip: Any, date: Any) -> Any:  # noqa: N802
        """A function whose second parameter VBA cannot compile."""
        return cusip

    decorated = xlwings_udfs.xlfunc(category="xl-reit")(
        xlwings_udfs.xlarg("date", ndim=2, doc="A payment date")(REIT_ON)
    )
    probe = ModuleType("probe")
    probe.REIT_ON = decorated  # type: ignore[attr-defined]
    vba = io.StringIO()
    xlwings_udfs.generate_vba_wrapper("probe", probe, vba, FakeWorkbook())

    signatures = vba_signatures(vba.getvalue())
    assert signatures == {"REIT_ON": ["cusip", "date"]}
    assert unsafe_names("REIT_ON", signatures["REIT_ON"]) == ["'date' is a VBA keyword or built-in"]


@pytest.mark.parametrize(
    ("parameters", "problem"),
    [
        (["String"], "'String' is a VBA keyword or built-in"),
        (["END"], "'END' is a VBA keyword or built-in"),
        (["_cusip"], "'_cusip' is not a VBA identifier"),
        (["payment date"], "'payment date' is not a VBA identifier"),
        (["Application"], "'Application' is used by xlwings' VBA wrapper"),
        (["cusip", "CUSIP"], "'cusip' is declared twice (VBA ignores case)"),
    ],
)
def test_the_safe_name_check_flags_keywords_bad_identifiers_and_clashes(
    parameters: list[str], problem: str
) -> None:
    assert unsafe_names("REIT_X", parameters) == [problem]


def test_the_safe_name_check_flags_a_function_named_like_a_cell() -> None:
    assert unsafe_names("AIV1", []) == ["'AIV1' reads as a cell reference in a formula"]


# --- the Function Wizard ---------------------------------------------------------------


@pytest.mark.parametrize("name", REIT_FUNCTIONS)
def test_the_function_wizard_shows_the_docstring_and_every_argument_doc(
    name: str, registered: ModuleType, workbook: FakeWorkbook
) -> None:
    function = getattr(registered, name)
    options = workbook.macro_options[name]
    docstring = function.__doc__
    # without one, xlwings describes the function as "Python function '...' defined in ..."
    assert docstring, f"{name} has no docstring"
    assert options["Description"] == docstring[:255]
    assert docstring.strip().splitlines()[0] in options["Description"]  # the summary is whole
    assert options["Category"] == "xl-reit"

    parameters = list(inspect.signature(function).parameters)
    argument_docs = options["ArgumentDescriptions"] or []
    assert len(argument_docs) == len(parameters)
    for parameter, doc in zip(parameters, argument_docs, strict=True):
        assert not doc.startswith("Positional argument"), f"{name}({parameter}) has no doc"
        assert len(doc) <= 255, f"Excel would cut {name}({parameter})'s doc"
        assert parameter in ARGUMENT_MENTIONS, f"say what {parameter}'s doc must mention"
        assert ARGUMENT_MENTIONS[parameter].lower() in doc.lower(), doc


# --- values through call_udf -----------------------------------------------------------


@pytest.mark.parametrize(
    "payment_date",
    [FEB_27_2004, 38044.0, "2004-02-27"],
    ids=["date cell", "DATE() serial", "text"],
)
def test_a_cell_shows_the_allocation_fraction(cell: Callable[..., Any], payment_date: Any) -> None:
    assert cell("REIT_ALLOC", "03748R-10-1", payment_date, "qualified") == [[0.013268]]


def test_a_column_of_cusips_gives_a_column_of_fractions(cell: Callable[..., Any]) -> None:
    # a 3-cell column arrives from VBA as a tuple of rows
    cusips = (("03748R-10-1",), ("AIV",), ("03748R101",))
    assert cell("REIT_ALLOC", cusips, FEB_27_2004, "qualified") == [[0.013268]] * 3


def test_a_row_of_cusips_gives_a_row_of_fractions(cell: Callable[..., Any]) -> None:
    cusips = (("03748R-10-1", "AIV", "03748R101"),)
    assert cell("REIT_ALLOC", cusips, FEB_27_2004, "qualified") == [[0.013268] * 3]


@pytest.mark.parametrize(
    ("cusip", "reason"),
    [(None, "cusip is blank"), (NA_ERROR_CELL, "cusip is the error #N/A")],
    ids=["blank cell", "#N/A cell"],
)
def test_a_blank_or_error_cusip_says_which(
    cell: Callable[..., Any], cusip: Any, reason: str
) -> None:
    ((text,),) = cell("REIT_ALLOC", cusip, FEB_27_2004, "qualified")
    assert text.startswith(f"#N/A {reason}; "), text


def test_error_cells_in_a_range_are_reported_cell_by_cell(cell: Callable[..., Any]) -> None:
    spill_error = -2146826243  # #SPILL!, a code xlwings' own map does not know
    cusips = (("AIV",), (NA_ERROR_CELL,), (spill_error,), (None,))
    column = cell("REIT_ALLOC", cusips, FEB_27_2004, "qualified")
    assert column[0] == [0.013268]
    assert [row[0].split(";")[0] for row in column[1:]] == [
        "#N/A cusip is the error #N/A",
        "#N/A cusip is the error #SPILL!",
        "#N/A cusip is blank",
    ]


def test_a_date_without_a_payment_shows_na_text_listing_the_class_payments(
    cell: Callable[..., Any],
) -> None:
    # Class P paid once in 2004: record 2004-04-01, payable 2004-04-15
    ((text,),) = cell("REIT_ALLOC", "03748R861", "2004-01-15", "1a")
    assert text.startswith("#N/A "), text
    assert "2004-04-15" in text


def test_a_blank_shares_cell_is_an_error_not_one_share(cell: Callable[..., Any]) -> None:
    assert cell("REIT_AMOUNT", "AIV", FEB_27_2004, "1b", 1.0) == [[0.0079608]]
    ((text,),) = cell("REIT_AMOUNT", "AIV", FEB_27_2004, "1b", None)
    assert text.startswith("#N/A shares is blank; "), text


def test_an_omitted_tax_year_means_the_whole_payment(cell: Callable[..., Any]) -> None:
    omitted = cell("REIT_AMOUNT", "AIV", FEB_27_2004, "1b", 100.0, MISSING_ARGUMENT)
    assert omitted == cell("REIT_AMOUNT", "AIV", FEB_27_2004, "1b", 100.0) == [[0.79608]]


def test_a_dividend_comes_back_in_dollars(cell: Callable[..., Any]) -> None:
    assert cell("REIT_DIVIDEND", "AIVPrG", "2004-01-15") == [[0.5859375]]


def test_payments_spill_as_a_table_with_dates_excel_shows_as_dates(
    cell: Callable[..., Any],
) -> None:
    header, *payments = cell("REIT_PAYMENTS", "03748R861")
    assert header[:3] == ["Record date", "Payable date", "Dividend per share"]
    assert len(payments) == 1 and len(payments[0]) == len(header)
    record, payable, dividend = payments[0][:3]
    # pywin32 needs a zoned datetime to send a date to Excel; xlwings stamps naive ones UTC
    assert (record.date(), payable.date()) == (dt.date(2004, 4, 1), dt.date(2004, 4, 15))
    assert payable.utcoffset() == dt.timedelta(0)
    assert dividend == 0.5625


def test_classes_spill_as_a_table_with_a_header_row(cell: Callable[..., Any]) -> None:
    header, *classes = cell("REIT_CLASSES")
    assert header == ["CUSIP", "Class", "Issuer", "Symbol", "Tax year"]
    assert ["03748R101", "AIV"] == [classes[0][0], classes[0][3]]
    assert all(len(row) == len(header) for row in classes)


# --- the same cells as xlwings Lite gets them ------------------------------------------


@pytest.mark.parametrize(
    "call", [call for call in CALLS if call.classic], ids=lambda call: call.name
)
def test_classic_answers_every_call_exactly_as_lite_does(
    cell: Callable[..., Any], officejs_answer: dict[str, Any], call: Call
) -> None:
    """The calls of lite_calls.py, in classic's shapes: same cells, same answers."""
    answer = cell(call.function, *call.classic_args())
    assert call.matches(answer), answer
    assert answer == officejs_answer["results"][CALLS.index(call)]
