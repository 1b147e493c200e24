"""The REIT_* functions in xlwings Lite (Excel on the web, Mac and Windows), without Excel.

The two files ``xl-reit lite`` writes, run as a user runs the command, loaded as Lite
loads a workbook's files, through xlwings' own Office.js code, given every call of
``lite_calls.py``:

* in CPython (``officejs_answer``: a fresh interpreter with ``XLWINGS_ON_SERVER``),
  main.py as ``--from-pypi`` writes it, the reference; and the self-contained main.py;
* in real Pyodide under Node, with the network off, for each Pyodide and xlwings
  release of ``lite_harness.RUNTIMES``: the self-contained main.py with xlwings the
  only package installed (all its requirements.txt names), and on the newest release
  main.py ``--from-pypi`` with xl-reit's wheel installed as Lite would from PyPI.

What is checked: Excel's custom-functions metadata that xlwings generates is valid
against Office's schema and documents every function and argument; each call gives
the release's figures or the expected ``#N/A`` reason; Pyodide answers exactly as
CPython does, and (``test_registration.py``) classic xlwings exactly as both; the
self-contained main.py carries every file of xl-reit's wheel, byte for byte, and
refuses to run when pasted in part.

xlwings' Office.js code (``xlwings.pro``) is licensed PolyForm Noncommercial unless
an xlwings licence is bought; these tests use xlwings' free ``noncommercial`` key.
Without Node.js 18+ and npm the Pyodide tests are skipped, saying why.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from lite_calls import CALLS, PROBES, Call, lite_request
from lite_harness import RUNTIMES, Runtime, missing_tools, prepare, run_cpython, start_pyodide
from packaging.requirements import Requirement
from test_registration import ARGUMENT_MENTIONS

import xl_reit
from xl_reit import lite, udfs

pytestmark = pytest.mark.slow

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "custom-functions.schema.json").read_text(encoding="utf-8")
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


SELF_CONTAINED, FROM_PYPI = "self-contained", "from PyPI"
#: The forms of ``xl-reit lite``, by the flags that write them.
FORMS = {SELF_CONTAINED: [], FROM_PYPI: ["--from-pypi"]}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """The files ``xl-reit lite`` writes, by form: the command run as a user runs it."""
    forms = {}
    for form, flags in FORMS.items():
        folder = tmp_path_factory.mktemp("lite") / "xl-reit-lite"
        command = [sys.executable, "-m", "xl_reit", "lite", "-o", str(folder), *flags]
        subprocess.run(command, check=True, capture_output=True)
        forms[form] = {path.name: path.read_text(encoding="utf-8") for path in folder.iterdir()}
    return forms


def requirements(files: dict[str, str]) -> dict[str, str]:
    """requirements.txt's packages, each with its pinned version."""
    found = [Requirement(line) for line in files["requirements.txt"].splitlines()]
    return {each.name: str(each.specifier).removeprefix("==") for each in found}


@dataclass(frozen=True)
class Run:
    """A Lite (Pyodide and xlwings releases) and the form of ``xl-reit lite`` it loads.

    xlwings is the runtime's release: a workbook that kept Lite's older default pin
    in its requirements.txt instead of the one ``xl-reit lite`` writes.
    """

    runtime: Runtime
    form: str

    @property
    def name(self) -> str:
        return f"{self.runtime.name}, {self.form}"


RUNS = [Run(runtime, SELF_CONTAINED) for runtime in RUNTIMES] + [Run(RUNTIMES[0], FROM_PYPI)]


@pytest.fixture(scope="module")
def pyodide(
    written: dict[str, dict[str, str]],
    xl_reit_wheel: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, dict[str, Any]]]:
    """The answer of each run of RUNS, run side by side, offline.

    Pyodide gets the packages the form's requirements.txt names and nothing else:
    xlwings, and xl-reit's wheel (with its dependencies) only where requirements.txt
    names xl-reit, as Lite would install it from PyPI.
    """
    reason = missing_tools()
    if reason is not None:
        pytest.skip(f"Pyodide runs under Node.js: {reason}")
    cache = prepare()
    folder = tmp_path_factory.mktemp("pyodide")
    started = []
    for run in RUNS:
        files = written[run.form]
        wheel = xl_reit_wheel if "xl-reit" in requirements(files) else None
        asked = lite_request(files["main.py"])
        started.append((run, start_pyodide(run.runtime, asked, wheel, cache, folder)))
    try:
        yield {run.name: each.answer() for run, each in started}
    finally:
        for _, each in started:
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


# --- what xl-reit lite writes -------------------------------------------------------------


def test_the_self_contained_form_asks_lite_for_xlwings_alone(
    written: dict[str, dict[str, str]],
) -> None:
    assert requirements(written[SELF_CONTAINED]) == {"xlwings": lite.XLWINGS_FOR_LITE}
    assert requirements(written[FROM_PYPI]) == {
        "xlwings": lite.XLWINGS_FOR_LITE,
        "xl-reit": xl_reit.__version__,
    }
    assert written[FROM_PYPI]["main.py"] == lite.MAIN_PY


def _run_main_py(source: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """main.py run as the module ``main`` in a fresh CPython, temporary files in ``folder``."""
    path = folder / "main.py"
    path.write_text(source, encoding="utf-8")
    code = (
        "import sys; namespace = {'__name__': 'main'}; "
        f"exec(open({str(path)!r}, encoding='utf-8').read(), namespace); "
        "import xl_reit; print(xl_reit.__file__); "
        "print(namespace['REIT_ALLOC']('AIV', 38044.0, '1b'))"
    )
    scratch = {**os.environ, "TMPDIR": str(folder), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=scratch, check=False
    )


@pytest.fixture(scope="module")
def unpacked(
    written: dict[str, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The self-contained main.py run once, and the folder it unpacked xl-reit into."""
    folder = tmp_path_factory.mktemp("unpacked")
    done = _run_main_py(written[SELF_CONTAINED]["main.py"], folder)
    assert done.returncode == 0, done.stderr
    [unpacked] = folder.glob("xl-reit-*")
    return done, unpacked


def test_main_py_carries_every_file_of_xl_reits_wheel_byte_for_byte(
    unpacked: tuple[subprocess.CompletedProcess[str], Path], xl_reit_wheel: Path
) -> None:
    _, folder = unpacked
    carried = {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }
    with zipfile.ZipFile(xl_reit_wheel) as wheel:
        released = {
            name: wheel.read(name)
            for name in wheel.namelist()
            if not name.startswith("xl_reit-")  # the wheel's own dist-info
        }
    version = xl_reit.__version__
    metadata = carried.pop(f"xl_reit-{version}.dist-info/METADATA").decode()
    assert f"\nName: xl-reit\nVersion: {version}\n" in metadata
    assert sorted(carried) == sorted(released)
    assert [name for name in released if carried[name] != released[name]] == []
    assert {"xl_reit/udfs.py", "xl_reit/data/aimco-2004.csv", "xl_reit/py.typed"} <= set(carried)


def test_main_py_is_the_same_text_for_the_same_release() -> None:
    assert lite.main_py() == lite.main_py()


def test_main_py_unpacks_xl_reit_beside_it_and_answers_from_that_copy(
    unpacked: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    done, folder = unpacked
    where, answer = done.stdout.split()
    # this interpreter has xl-reit installed too: the copy main.py carries comes first
    assert Path(where) == folder / "xl_reit" / "__init__.py"
    assert float(answer) == 0.013268  # AIV 2004-02-27, Box 1b: the release's 1.3268%
    assert list(folder.parent.glob("*.part")) == []  # unpacked whole, then renamed


def _without_a_line(lines: list[str]) -> list[str]:
    middle = len(lines) // 2  # a line of the archive's text
    return lines[:middle] + lines[middle + 1 :]


def _without_three_characters(lines: list[str]) -> list[str]:
    middle = len(lines) // 2
    return [*lines[:middle], lines[middle][3:], *lines[middle + 1 :]]


def _with_a_character_changed(lines: list[str]) -> list[str]:
    middle = len(lines) // 2
    changed = ("B" if lines[middle][0] == "A" else "A") + lines[middle][1:]
    return [*lines[:middle], changed, *lines[middle + 1 :]]


@pytest.mark.parametrize(
    "damage", [_without_a_line, _without_three_characters, _with_a_character_changed]
)
def test_a_main_py_pasted_in_part_says_so_and_unpacks_nothing(
    written: dict[str, dict[str, str]], tmp_path: Path, damage: Any
) -> None:
    lines = written[SELF_CONTAINED]["main.py"].splitlines(keepends=True)
    done = _run_main_py("".join(damage(lines)), tmp_path)
    assert done.returncode != 0
    assert "main.py's copy of xl-reit is not whole" in done.stderr
    assert "paste all of the main.py that xl-reit lite wrote" in done.stderr
    assert list(tmp_path.glob("xl-reit-*")) == []


def test_the_self_contained_main_py_answers_as_the_reference_in_cpython(
    written: dict[str, dict[str, str]],
    officejs_answer: dict[str, Any],
    tmp_path: Path,
) -> None:
    answer = run_cpython(lite_request(written[SELF_CONTAINED]["main.py"]), tmp_path)
    assert registered(answer["meta"]["main"]) == registered(officejs_answer["meta"]["main"])
    assert results(answer) == results(officejs_answer)


# --- real Pyodide ------------------------------------------------------------------------

BY_NAME = {run.name: run for run in RUNS}
each_run = pytest.mark.parametrize("name", list(BY_NAME))


@each_run
def test_pyodide_runs_the_pinned_python_and_xlwings_offline(
    pyodide: dict[str, dict[str, Any]], name: str
) -> None:
    runtime = BY_NAME[name].runtime
    answer = pyodide[name]
    assert answer["python"].startswith(runtime.python + ".")
    assert answer["xlwings"] == runtime.xlwings
    assert answer["pyodide"] == runtime.name.split(",")[0].removeprefix("Pyodide ")
    assert answer["fetched"] == []  # nothing asked for the network (which is off)


@each_run
def test_pyodide_registers_what_cpython_registers(
    pyodide: dict[str, dict[str, Any]], officejs_answer: dict[str, Any], name: str
) -> None:
    meta = pyodide[name]["meta"]["main"]
    assert [error.message for error in VALIDATOR.iter_errors(meta)] == []
    assert registered(meta) == registered(officejs_answer["meta"]["main"])


@each_run
def test_pyodide_answers_every_call_exactly_as_cpython(
    pyodide: dict[str, dict[str, Any]], officejs_answer: dict[str, Any], name: str
) -> None:
    assert results(pyodide[name]) == results(officejs_answer)


@each_run
def test_a_blank_cell_reaches_the_functions_as_this_runtime_passes_it(
    pyodide: dict[str, dict[str, Any]], name: str
) -> None:
    # With xlwings before 0.36.7 on Pyodide 0.28+, blanks arrive as JsNull: the calls
    # above give the same answers all the same, because xl-reit reads JsNull as blank.
    blank = BY_NAME[name].runtime.blank
    assert probes(pyodide[name]) == {
        "a blank cell": [[blank]],
        "a range with a blank cell": [["str"], [blank]],
        "an error cell": [["str"]],
    }


# --- the template's formulas --------------------------------------------------------------


def _calls(formula: str) -> list[tuple[str, int]]:
    """Each REIT_* function a formula calls, with how many arguments it gives."""
    from openpyxl.formula.tokenizer import Token, Tokenizer

    found, open_calls = [], []  # open_calls: [name, arguments so far, any token yet]
    for token in Tokenizer(formula).items:
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            open_calls.append([token.value.removesuffix("(").upper(), 0, False])
            continue
        if not open_calls:
            continue
        if token.type == Token.FUNC and token.subtype == Token.CLOSE:
            name, arguments, started = open_calls.pop()
            if name.startswith("REIT_"):
                found.append((name, arguments + started))
        elif token.type == Token.SEP and token.subtype == Token.ARG:
            open_calls[-1][1] += 1
        if open_calls and token.type != Token.WSPACE:
            open_calls[-1][2] = True
    return found


def test_the_formula_reader_counts_each_calls_arguments() -> None:
    formula = (
        '=IF(ISNUMBER(REIT_ALLOC($A2, B$1, "1a")), REIT_AMOUNT(A2,B1,"1b",C2), REIT_CLASSES())'
    )
    assert _calls(formula) == [("REIT_ALLOC", 3), ("REIT_AMOUNT", 4), ("REIT_CLASSES", 0)]


def test_every_reit_call_in_the_live_template_is_one_lite_registers(
    officejs_answer: dict[str, Any], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    command = [sys.executable, "-m", "xl_reit", "template"]
    usage = subprocess.run([*command, "--help"], capture_output=True, text=True, check=True)
    live = ["--live"] if "--live" in usage.stdout else []  # today's default is live
    path = tmp_path / "live.xlsx"
    subprocess.run([*command, "--year", "2004", *live, "-o", str(path)], check=True)
    accepted = {
        function["name"]: (
            sum(not parameter.get("optional", False) for parameter in function["parameters"]),
            len(function["parameters"]),
        )
        for function in officejs_answer["meta"]["main"]["functions"]
    }
    calls = [
        (sheet.title, cell.coordinate, name, arguments)
        for sheet in load_workbook(path).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
        for name, arguments in _calls(cell.value)
    ]
    assert len(calls) > 20  # the workbook's payments and totals call the functions
    refused = [
        call
        for call in calls
        if call[2] not in accepted or not accepted[call[2]][0] <= call[3] <= accepted[call[2]][1]
    ]
    assert refused == []
