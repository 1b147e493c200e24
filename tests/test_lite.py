"""The REIT_* functions in xlwings Lite (Excel on the web, Mac and Windows), without Excel.

Two runs of xlwings' own Office.js code, both given every call of ``lite_calls.py``
and ``main.py`` exactly as ``xl-reit lite`` writes it:

* in CPython (``officejs_answer``, a fresh interpreter with ``XLWINGS_ON_SERVER``);
* in real Pyodide under Node, offline, from local wheels, for each Pyodide and xlwings
  release of ``lite_harness.RUNTIMES``, as Lite installs and calls them.

What is checked: Excel's custom-functions metadata that xlwings generates is valid
against Office's schema and documents every function and argument; each call gives
the release's figures or the expected ``#N/A`` reason; Pyodide answers exactly as
CPython does, and (``test_registration.py``) classic xlwings exactly as both.

xlwings' Office.js code (``xlwings.pro``) is licensed PolyForm Noncommercial unless
an xlwings licence is bought; these tests use xlwings' free ``noncommercial`` key.
Without Node.js 18+ and npm the Pyodide tests are skipped, saying why.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from lite_calls import CALLS, PROBES, Call
from lite_harness import RUNTIMES, Runtime, missing_tools, prepare, start_pyodide
from test_registration import ARGUMENT_MENTIONS

from xl_reit import udfs

pytestmark = pytest.mark.slow

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "custom-functions.schema.json").read_text(encoding="utf-8")
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


@pytest.fixture(scope="module")
def pyodide(
    xl_reit_wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, dict[str, Any]]]:
    """The answer of each runtime of RUNTIMES, run side by side."""
    reason = missing_tools()
    if reason is not None:
        pytest.skip(f"Pyodide runs under Node.js: {reason}")
    from lite_calls import lite_request

    cache = prepare()
    folder = tmp_path_factory.mktemp("pyodide")
    started = [
        start_pyodide(runtime, lite_request(), xl_reit_wheel, cache, folder) for runtime in RUNTIMES
    ]
    try:
        yield {each.runtime.name: each.answer() for each in started}
    finally:
        for each in started:
            if each.process.poll() is None:
                each.process.kill()


def results(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer of each call of CALLS, by its name."""
    return {call.name: result for call, result in zip(CALLS, answer["results"], strict=False)}


def probes(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer of each probe, by its name."""
    return dict(zip(PROBES, answer["results"][len(CALLS) :], strict=True))


def registered(meta: dict[str, Any]) -> dict[str, Any]:
    """What Excel shows of each function: name, description, arguments and their texts.

    Descriptions are compared after ``inspect.cleandoc``: xlwings passes the raw
    ``__doc__``, whose indentation Python 3.13 and later strip when compiling.
    """
    return {
        function["id"]: {
            "name": function["name"],
            "description": inspect.cleandoc(function.get("description", "")),
            "parameters": [
                (parameter["name"], parameter.get("description"), parameter.get("optional", False))
                for parameter in function["parameters"]
            ],
        }
        for function in meta["functions"]
    }


# --- the metadata Excel registers ----------------------------------------------------------


def test_the_metadata_xlwings_generates_is_valid_custom_functions_metadata(
    officejs_answer: dict[str, Any],
) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    errors = [error.message for error in VALIDATOR.iter_errors(officejs_answer["meta"]["main"])]
    assert errors == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda f: f.update(id="REIT ALLOC"), "an id with a space"),
        (lambda f: f.update(name="1REIT"), "a name starting with a digit"),
        (lambda f: f.update(name="R" * 129), "a name of 129 characters"),
        (lambda f: f.pop("result"), "no result"),
        (lambda f: f["parameters"][0].update(dimensionality="cube"), "an unknown dimensionality"),
        (lambda f: f["options"].update(stream=True), "a streaming function given its address"),
        (lambda f: f.update(help="x"), "an unknown property"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_the_schema_refuses_metadata_excel_refuses(
    officejs_answer: dict[str, Any], change: Any, reason: str
) -> None:
    meta = json.loads(json.dumps(officejs_answer["meta"]["main"]))
    change(meta["functions"][0])
    assert not VALIDATOR.is_valid(meta), reason


def test_every_function_and_argument_is_registered_with_its_documentation(
    officejs_answer: dict[str, Any],
) -> None:
    functions = registered(officejs_answer["meta"]["main"])
    assert set(functions) == set(udfs.__all__)
    for name, shown in functions.items():
        function = getattr(udfs, name)
        assert shown["name"] == name  # =REIT_ALLOC(...), no namespace, as on Windows
        assert shown["description"] == inspect.cleandoc(function.__doc__ or "")
        signature = inspect.signature(function).parameters
        optional = {
            parameter
            for parameter, spec in signature.items()
            if spec.default is not inspect.Parameter.empty
        }
        assert [parameter for parameter, _, _ in shown["parameters"]] == list(signature)
        for parameter, description, is_optional in shown["parameters"]:
            assert ARGUMENT_MENTIONS[parameter].lower() in (description or "").lower()
            assert is_optional == (parameter in optional), (name, parameter)


def test_tax_year_is_the_optional_last_argument_and_shares_is_required(
    officejs_answer: dict[str, Any],
) -> None:
    functions = registered(officejs_answer["meta"]["main"])
    for name in ("REIT_ALLOC", "REIT_DIVIDEND", "REIT_AMOUNT"):
        *_, (last, _, optional) = functions[name]["parameters"]
        assert (last, optional) == ("tax_year", True), name
    shares = [p for p in functions["REIT_AMOUNT"]["parameters"] if p[0] == "shares"]
    assert shares[0][2] is False


# --- the answers -----------------------------------------------------------------------


@pytest.mark.parametrize("call", CALLS, ids=lambda call: call.name)
def test_each_call_gives_the_releases_figure_or_the_reason(
    officejs_answer: dict[str, Any], call: Call
) -> None:
    answer = results(officejs_answer)[call.name]
    assert call.matches(answer), answer


def test_error_cells_reach_the_functions_as_their_text_and_blank_cells_as_none(
    officejs_answer: dict[str, Any],
) -> None:
    assert probes(officejs_answer) == {
        "a blank cell": [["NoneType"]],
        "a range with a blank cell": [["str"], ["NoneType"]],
        "an error cell": [["str"]],
    }


# --- real Pyodide ------------------------------------------------------------------------

BY_NAME = {runtime.name: runtime for runtime in RUNTIMES}
each_runtime = pytest.mark.parametrize("name", list(BY_NAME))


@each_runtime
def test_pyodide_runs_the_pinned_python_and_xlwings_offline(
    pyodide: dict[str, dict[str, Any]], name: str
) -> None:
    runtime: Runtime = BY_NAME[name]
    answer = pyodide[name]
    assert answer["python"].startswith(runtime.python + ".")
    assert answer["xlwings"] == runtime.xlwings
    assert answer["pyodide"] == runtime.name.split(",")[0].removeprefix("Pyodide ")


@each_runtime
def test_pyodide_registers_what_cpython_registers(
    pyodide: dict[str, dict[str, Any]], officejs_answer: dict[str, Any], name: str
) -> None:
    meta = pyodide[name]["meta"]["main"]
    assert [error.message for error in VALIDATOR.iter_errors(meta)] == []
    assert registered(meta) == registered(officejs_answer["meta"]["main"])


@each_runtime
def test_pyodide_answers_every_call_exactly_as_cpython(
    pyodide: dict[str, dict[str, Any]], officejs_answer: dict[str, Any], name: str
) -> None:
    assert results(pyodide[name]) == results(officejs_answer)


@each_runtime
def test_a_blank_cell_reaches_the_functions_as_this_runtime_passes_it(
    pyodide: dict[str, dict[str, Any]], name: str
) -> None:
    # With xlwings before 0.36.7 on Pyodide 0.28+, blanks arrive as JsNull: the calls
    # above give the same answers all the same, because xl-reit reads JsNull as blank.
    blank = BY_NAME[name].blank
    assert probes(pyodide[name]) == {
        "a blank cell": [[blank]],
        "a range with a blank cell": [["str"], [blank]],
        "an error cell": [["str"]],
    }
