"""``python -m benchmarks.lite [--quick]``: what an xlwings Lite user pastes, and how long Lite
takes to load it, beside a workbook whose main.py only returns its first argument.

Three workbooks, each the two files a user pastes into Lite's tabs:

* the baseline: ``requirements.txt`` naming the same xlwings, and a ``main.py`` of one
  function that returns its first argument (what any Lite workbook costs);
* ``xl-reit lite``'s self-contained ``main.py`` (xl-reit inside), xlwings alone installed;
* ``xl-reit lite --from-pypi``: xl-reit's wheel and its dependencies installed as Lite
  installs them from PyPI (here from local wheels), for comparison.

Each is loaded the way ``tests/test_lite.py`` loads it, in real Pyodide 314 under Node
with the network off (``tests/lite_harness.py``): the interpreter starts, the wheels are
installed, xlwings' Office.js side is imported, ``main.py`` is run as the module ``main``
and its functions' metadata generated (Lite does it at every start, and again at every
edit), and one one-cell formula is answered. The runs alternate, one at a time, and each
figure is the median of the repeats; ratios are against the baseline of the same run.
The time Lite's own start takes in Excel (its add-in, Pyodide from the CDN, xlwings from
PyPI) is the same for every workbook and not measured here.

Row 12 of ``python -m benchmarks`` once ``benchmarks/run.py`` lists :func:`lite_load`
(``ROWS["lite_load"] = ("12",)``, and ``from .lite import lite_load`` in ``benchmarks()``,
as bulk's rows are); until then run on its own.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .harness import ROOT, Row

#: The baseline's main.py: one function that returns its first argument.
BASELINE_MAIN_PY = '''import xlwings as xw


@xw.func
def ECHO(value):
    """Returns its first argument."""
    return value
'''


@dataclass(frozen=True)
class Workbook:
    """The two files a user pastes, and the formula its load is finished by."""

    name: str
    files: dict[str, str]
    function: str
    arguments: tuple[Any, ...]

    @property
    def pasted(self) -> int:
        """Bytes the user pastes: both files, as UTF-8."""
        return sum(len(text.encode("utf-8")) for text in self.files.values())


def written(folder: Path, *flags: str) -> dict[str, str]:
    """The files ``xl-reit lite`` writes, run as a user runs it."""
    command = [sys.executable, "-m", "xl_reit", "lite", "-o", str(folder), *flags]
    subprocess.run(command, check=True, capture_output=True)
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


def workbooks(folder: Path) -> list[Workbook]:
    """The baseline, then xl-reit's two forms."""
    from xl_reit.lite import requirements_txt

    sys.path.insert(0, str(ROOT / "tests"))
    from lite_calls import FEB_27

    alloc = ([["AIV"]], [[FEB_27]], [["1b"]])
    return [
        Workbook(
            "a main.py returning its first argument",
            {"main.py": BASELINE_MAIN_PY, "requirements.txt": requirements_txt()},
            "ECHO",
            ([["AIV"]],),
        ),
        Workbook("xl-reit lite", written(folder / "self-contained"), "REIT_ALLOC", alloc),
        Workbook(
            "xl-reit lite --from-pypi",
            written(folder / "from-pypi", "--from-pypi"),
            "REIT_ALLOC",
            alloc,
        ),
    ]


def load(workbook: Workbook, wheel: Path | None, cache: Path, folder: Path) -> dict[str, float]:
    """Milliseconds of each step of one start of ``workbook`` in Pyodide, offline."""
    import lite_harness
    from lite_calls import Call

    runtime = lite_harness.RUNTIMES[0]
    call = Call("first formula", workbook.function, workbook.arguments, [])
    asked = {
        "modules": {"main": workbook.files["main.py"]},
        "calls": [{"module": "main", "body": call.officejs_body()}],
    }
    needs_wheel = "xl-reit" in workbook.files["requirements.txt"]
    started = lite_harness.start_pyodide(
        runtime, asked, wheel if needs_wheel else None, cache, folder
    )
    answer = started.answer()
    [result] = answer["results"]
    assert not isinstance(result, dict), f"{workbook.name}: {result}"  # an answer, not an error
    assert answer["fetched"] == [], answer["fetched"]
    timings = answer["timings"]
    first, again = timings["load"]["main"]
    steps = {
        "install": timings["install"],
        "main.py": first,
        "main.py again": again,
        "first formula": answer["ms"][0],
        "interpreter and xlwings": timings["pyodide"] + timings["runtime"],
    }
    steps["workbook's part"] = steps["install"] + first + steps["first formula"]
    steps["whole start"] = steps["workbook's part"] + steps["interpreter and xlwings"]
    return steps


def lite_load(quick: bool) -> list[Row]:
    """The rows: pasted size, then the load times of each workbook against the baseline."""
    sys.path.insert(0, str(ROOT / "tests"))
    import lite_harness

    reason = lite_harness.missing_tools()
    if reason is not None:
        return [Row("12", "xlwings Lite load", "n/a", reason, "n/a", "informational", None)]
    repeats = 1 if quick else 7
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        books = workbooks(folder)
        cache = lite_harness.prepare()
        wheel = lite_harness.build_wheel(folder / "wheel")
        samples: dict[str, list[dict[str, float]]] = {book.name: [] for book in books}
        for repeat in range(repeats):
            for index, book in enumerate(books):
                run = folder / f"run-{repeat}-{index}"
                run.mkdir()
                samples[book.name].append(load(book, wheel, cache, run))
    median = {
        name: {step: statistics.median(each[step] for each in runs) for step in runs[0]}
        for name, runs in samples.items()
    }
    baseline, *ours = books
    rows = []
    for book in ours:
        rows.append(
            Row(
                "12",
                f"{book.name}: what the user pastes (main.py + requirements.txt)",
                f"{book.pasted:,} bytes",
                f"{baseline.name}: {baseline.pasted:,} bytes",
                f"{book.pasted / baseline.pasted:,.0f}x baseline",
                "informational",
                None,
            )
        )
    for step in ("workbook's part", "whole start", "main.py again"):
        base = median[baseline.name][step]
        for book in ours:
            time = median[book.name][step]
            parts = ", ".join(
                f"{part} {median[book.name][part]:,.0f} ms"
                for part in ("install", "main.py", "first formula")
            )
            detail = f" ({parts})" if step == "workbook's part" else ""
            rows.append(
                Row(
                    "12",
                    f"{book.name}: {_STEPS[step]}{detail}",
                    f"{time:,.1f} ms",
                    f"{baseline.name}: {base:,.1f} ms",
                    f"{time / base:.2f}x baseline",
                    "informational",
                    None,
                )
            )
    return rows


_STEPS = {
    "workbook's part": "Pyodide 314 loads the workbook: installs its wheels, runs main.py, "
    "answers the first formula",
    "whole start": "the same with the interpreter's and xlwings' start",
    "main.py again": "main.py run again (Lite does it at every edit)",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lite", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one repeat, for CI")
    arguments = parser.parse_args(argv)
    rows = lite_load(arguments.quick)
    for row in rows:
        message = f"[{row.number}] {row.what}: {row.measured} vs {row.baseline} -> {row.ratio}"
        print(message, file=sys.stderr)
    from .run import markdown  # the table's printer; run lists this module's rows

    print(markdown(rows, arguments.quick))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
