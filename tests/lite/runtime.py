"""The Python side of xlwings Lite's custom functions, for tests, in CPython or in Pyodide.

xlwings Lite (like the open "xlwings Wasm" runtime of xlwings-server that it
grew from, ``xlwings_server/wasm/wasm_runtime.py``) sets ``XLWINGS_ON_SERVER``
before xlwings is first imported, so that ``xw.func``/``xw.arg`` are the
Office.js decorators; runs the workbook's ``main.py`` as the module ``main``;
registers with Excel the metadata ``xlwings.server.custom_functions_meta(main)``
gives; and answers each call with ``xlwings.server.custom_functions_call(data,
main)``, ``data`` being the body Office.js builds (``func_name``, ``args`` …),
converted from JavaScript with ``data.to_py()``. This module does the same with
xlwings' own functions (it is written for these tests, not copied from xlwings).

Run by ``driver.mjs`` inside Pyodide (which calls :func:`load` and :func:`call`),
or as a script in CPython: ``python runtime.py REQUEST.json`` prints the answer.
A request is ``{"modules": {name: source}, "calls": [{"module": name, "body": …}]}``;
the answer ``{"python", "xlwings", "meta": {name: metadata}, "results": [...], "ms": [...]}``,
``ms`` being each call's milliseconds.

Licence: ``custom_functions_meta`` and ``custom_functions_call`` live in
``xlwings.pro``, whose licence is PolyForm Noncommercial 1.0.0 unless an xlwings
licence is bought; it refuses to import without a key, and the key
``noncommercial`` is xlwings' own for noncommercial use, which these tests are.
The xlwings Lite add-in itself is free for commercial use too.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import sys
import time
from types import ModuleType
from typing import Any

os.environ["XLWINGS_ON_SERVER"] = "true"  # before xlwings is imported: Office.js decorators
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import xlwings
import xlwings.server

MODULES: dict[str, ModuleType] = {}


def load(name: str, source: str) -> str:
    """Run ``source`` as the module ``name`` (as Lite runs main.py); its metadata as JSON."""
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    exec(source, module.__dict__)
    sys.modules[name] = module
    MODULES[name] = module
    return json.dumps(xlwings.server.custom_functions_meta(module))


async def call(name: str, data: Any) -> str:
    """One worksheet call, as Lite answers it; the cells' values (or the error) as JSON.

    In Pyodide ``data`` is the JavaScript object Office.js built, converted as Lite
    converts it; an exception is what Lite shows as ``#VALUE!`` with its message.
    """
    if hasattr(data, "to_py"):
        data = data.to_py()
    try:
        result = await xlwings.server.custom_functions_call(data, MODULES[name])
    except Exception as error:
        result = {"error": f"{type(error).__name__}: {error}"}
    return json.dumps(result)


def versions() -> str:
    """The Python and xlwings releases this runtime runs, as JSON."""
    return json.dumps({"python": sys.version.split()[0], "xlwings": xlwings.__version__})


async def _answer(request: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(versions())
    answer["meta"] = {
        name: json.loads(load(name, source)) for name, source in request["modules"].items()
    }
    answer["results"], answer["ms"] = [], []
    for each in request["calls"]:
        started = time.perf_counter()
        answer["results"].append(json.loads(await call(each["module"], each["body"])))
        answer["ms"].append((time.perf_counter() - started) * 1000)
    return answer


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as stream:
        print(json.dumps(asyncio.run(_answer(json.load(stream)))))
