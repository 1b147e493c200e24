"""Just enough of pywin32 (and of Excel) for xlwings' own ``udfs`` module to run on Linux.

Off Windows ``xlwings.func``/``arg``/``ret`` do nothing, so calling a REIT_* function tests
its logic but not its registration. The registration lives in ``xlwings/udfs.py``: the
real decorators (``xlfunc``, ``xlarg``, ``xlret``), the VBA wrapper generator
(``generate_vba_wrapper``), ``import_udfs`` (which also sets the Function Wizard texts
through ``Application.MacroOptions``) and ``call_udf`` (what every worksheet call goes
through). That module imports a few pywin32 modules at the top and, when called, reaches
into ``xlwings._xlwindows`` (the Windows engine) and ``xlwings.com_server``. Nothing here
re-implements xlwings: each stand-in below is the smallest thing that lets xlwings' own
code run, and says why it exists.

:func:`windows_xlwings` installs the stand-ins, imports the real ``xlwings.udfs`` and
puts everything back afterwards (``sys.modules`` and the ``xlwings`` package attributes).
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
import xlwings
import xlwings.main
import xlwings.utils

#: What VBA's ``Array(...)`` carries for an omitted ``Optional`` argument (DISP_E_PARAMNOTFOUND);
#: ``call_udf`` swaps it for the Python default.
MISSING_ARGUMENT = -2147352572

#: Excel's ``#N/A`` error value as it reaches Python through COM.
NA_ERROR_CELL = -2146826246


class ComTime(dt.datetime):
    """Stands in for ``pywintypes.TimeType``: the type a date cell arrives as through COM.

    pywin32's time type is a ``datetime`` subclass that carries a time zone; xlwings
    recognises it by type (``_xlwindows.time_types``) and strips the zone.
    """


class ComError(Exception):
    """Stands in for ``pywintypes.com_error``, which ``import_udfs`` names in ``except``."""


def _module(name: str, **attributes: Any) -> ModuleType:
    module = ModuleType(name)
    module.__dict__.update(attributes)
    return module


def _pywin32_modules() -> dict[str, ModuleType]:
    """The pywin32 modules ``xlwings/udfs.py`` imports, each with only the names it uses."""
    win32com_client = _module(
        "win32com.client",
        # Imported by name at the top of xlwings.udfs; only called on a workbook object
        # (embedded code, BOOK_CALLER), which these tests never pass to call_udf.
        Dispatch=lambda obj, *args, **kwargs: obj,
    )
    return {
        "pythoncom": _module(
            "pythoncom",
            # The initializer of xlwings.udfs' COM thread pool (created at import, only used
            # by async UDFs, which xl-reit has none of).
            CoInitialize=lambda: None,
        ),
        "pywintypes": _module("pywintypes", com_error=ComError, TimeType=ComTime),
        "win32com": _module("win32com", client=win32com_client),
        "win32com.client": win32com_client,
    }


#: The pieces of ``xlwings/_xlwindows.py`` that convert UDF arguments and results. The
#: module itself cannot be imported off Windows (it loads ``ole32``/``oleacc`` through
#: ctypes at import), so these definitions are taken from its source and run as they are.
_XLWINDOWS_NAMES = frozenset(
    {
        "time_types",
        "cell_errors",
        "is_range_instance",
        "_com_time_to_datetime",
        "_datetime_to_com_time",
        "_clean_value_data_element",
        "Engine",
        "engine",
    }
)


def _defines_wanted_name(statement: ast.stmt) -> bool:
    if isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
        return statement.name in _XLWINDOWS_NAMES
    if isinstance(statement, ast.Assign):
        return any(
            isinstance(target, ast.Name) and target.id in _XLWINDOWS_NAMES
            for target in statement.targets
        )
    if isinstance(statement, ast.If):  # ``if np: time_types = time_types + (...)``
        return all(_defines_wanted_name(inner) for inner in statement.body)
    return False


class _ExcelRange(SimpleNamespace):
    """Stands in for ``_xlwindows.Range``: ``call_udf`` wraps ``Application.Caller`` in one
    (and ``xlwings.Range`` sets ``options`` on it), but for a synchronous UDF without
    ``expand`` it never asks the caller anything."""

    def __init__(self, xl: Any) -> None:
        super().__init__(xl=xl)


def _xlwindows_module() -> ModuleType:
    """``xlwings._xlwindows`` as far as ``call_udf`` and the conversion pipeline use it."""
    import numpy as np
    import pandas as pd

    source_file = Path(xlwings.__file__).with_name("_xlwindows.py")
    tree = ast.parse(source_file.read_text(encoding="utf-8"))
    wanted = [statement for statement in tree.body if _defines_wanted_name(statement)]
    module = _module(
        "xlwings._xlwindows",
        # the globals those definitions use
        dt=dt,
        np=np,
        pd=pd,
        pywintypes=sys.modules["pywintypes"],
        np_datetime_to_datetime=xlwings.utils.np_datetime_to_datetime,
        # _datetime_to_com_time hands Excel UTC-stamped datetimes, as pywin32 requires
        win32timezone=SimpleNamespace(TimeZoneInfo=SimpleNamespace(utc=lambda: dt.timezone.utc)),
        Range=_ExcelRange,
        BOOK_CALLER=None,
    )
    code = compile(ast.Module(body=wanted, type_ignores=[]), str(source_file), "exec")
    exec(code, module.__dict__)
    defined = {name for name in _XLWINDOWS_NAMES if name in module.__dict__}
    assert defined == _XLWINDOWS_NAMES, f"xlwings/_xlwindows.py lacks {_XLWINDOWS_NAMES - defined}"
    return module


class FakeWorkbook:
    """The part of Excel's ``Workbook`` COM object that ``import_udfs`` talks to.

    It keeps what Excel would keep: the text of the VBA module xlwings imports and, per
    function, the keyword arguments of ``Application.MacroOptions`` (the Function Wizard's
    description, category and argument descriptions).
    """

    Name = "xl-reit.xlsm"

    def __init__(self) -> None:
        self.vba = ""
        self.macro_options: dict[str, dict[str, Any]] = {}
        self.Application = SimpleNamespace(Version="16.0", MacroOptions=self._macro_options)
        self.VBProject = SimpleNamespace(VBComponents=self._VBComponents(self))

    def _macro_options(self, macro: str, **options: Any) -> None:
        self.macro_options[macro.rpartition("!")[2]] = options

    class _VBComponents:
        def __init__(self, workbook: FakeWorkbook) -> None:
            self._workbook = workbook

        def __call__(self, name: str) -> str:
            return name

        def Remove(self, component: str) -> None:  # noqa: N802  (COM's name)
            pass

        def Import(self, path: str) -> None:  # noqa: N802  (COM's name)
            self._workbook.vba = Path(path).read_text(encoding="utf-8")


@contextlib.contextmanager
def windows_xlwings() -> Iterator[ModuleType]:
    """The real ``xlwings.udfs`` module, importable for the duration of the ``with``."""
    with pytest.MonkeyPatch.context() as patch:
        for name, module in _pywin32_modules().items():
            patch.setitem(sys.modules, name, module)
        excel = _xlwindows_module()
        # call_udf reaches the engine as the attribute xlwings._xlwindows ...
        patch.setattr(xlwings, "_xlwindows", excel, raising=False)
        # ... and the conversion pipeline reads a UDF's values with xlwings.engines["excel"]
        engines = xlwings.main.Engines()
        engines.add(xlwings.main.Engine(impl=excel.engine))
        patch.setattr(xlwings, "engines", engines)
        # call_udf does ``from .com_server import loop``; the loop serves only async and
        # coroutine UDFs, and the real module would start a COM server.
        patch.setitem(sys.modules, "xlwings.com_server", _module("xlwings.com_server", loop=None))
        try:
            yield importlib.import_module("xlwings.udfs")
        finally:
            sys.modules.pop("xlwings.udfs", None)
            xlwings.__dict__.pop("udfs", None)
