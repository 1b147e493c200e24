"""Rows 4 and 7: a workbook's first call in a fresh interpreter, its time and its memory.

Each is measured with the real bundle and with one ten times its size: a
copy of the package, made in a temporary folder for the run (never
committed), whose bundle holds every table file ten times over, each copy
with other CUSIPs, symbols and issuers, and its index made again. The first
call reads only the file of the class it names, so neither row should grow
with the bundle.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from xl_reit import cusip
from xl_reit.table import write_index

from .harness import ROOT, Child, Row, fresh_interpreters, ms, script

#: How many times today's bundle the larger one holds.
TIMES = 10


def larger_bundle(folder: Path, times: int = TIMES) -> Path:
    """A copy of the package in ``folder`` whose bundle holds every table file ``times`` times.

    Copy ``n`` of a file gives each CUSIP a new issuer code (``9n`` and a number),
    a symbol and an issuer ending in ``n``, the same figures; a CUSIP in
    two files (a class's two years) gets the same new one in both. Returns
    the folder to put on ``PYTHONPATH``.
    """
    package = folder / "xl_reit"
    shutil.copytree(ROOT / "xl_reit", package, ignore=shutil.ignore_patterns("__pycache__"))
    data = package / "data"
    tables = sorted(data.glob("*.csv"))
    texts = {path: path.read_text(encoding="utf-8") for path in tables}
    codes = sorted(
        {row["cusip"] for text in texts.values() for row in csv.DictReader(io.StringIO(text))}
    )
    for copy in range(1, times):
        renamed = {}
        for number, code in enumerate(codes):
            base = f"9{copy}{number:04d}{code[6:8]}"
            renamed[code] = base + cusip.calc_check_digit(base)
        for path, text in texts.items():
            header, *rows = csv.reader(io.StringIO(text))
            where = {name: header.index(name) for name in ("cusip", "symbol", "issuer")}
            for row in rows:
                row[where["cusip"]] = renamed[row[where["cusip"]]]
                row[where["symbol"]] += f"X{copy}"
                row[where["issuer"]] += f" (copy {copy})"
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows([header, *rows])
            (data / f"{path.stem}-copy{copy}.csv").write_text(out.getvalue(), encoding="utf-8")
    write_index(data)  # every table checked, as the committed index's test does
    # pip compiles an installed package's bytecode: compile the copy likewise (see cold_start).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    return folder


def bundles(folder: Path) -> list[tuple[str, Path | None, int]]:
    """The bundles to measure: a label, the folder of their package, their number of files."""
    larger = larger_bundle(folder)
    files = len(list((ROOT / "xl_reit" / "data").glob("*.csv")))
    return [("the real bundle", None, files), (f"a {TIMES}x bundle", larger, files * TIMES)]


def cold_start(quick: bool) -> list[Row]:
    """Row 4: a fresh interpreter imports xl_reit.udfs and answers its first call."""
    repeats = 3 if quick else 41
    # pip compiles an installed package's bytecode; an editable checkout (and a
    # machine with PYTHONDONTWRITEBYTECODE set) would compile from source each
    # start, which xlwings, installed by pip, never pays. Compile it likewise.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "xl_reit")], check=True, cwd=ROOT
    )
    with tempfile.TemporaryDirectory() as name:
        chosen = bundles(Path(name))
        for _, root, files in chosen:
            assert _bundled_files(root) == files, "the child did not use the bundle meant"
        # xlwings imports pandas, and numpy starts a BLAS thread pool whose threads spin
        # on the other core for a while: CPU time that is numpy's, on both sides, and
        # that moves with the load. One BLAS thread leaves the start's own work.
        one_thread = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        children = [Child([script("import_xlwings.py")], variables=one_thread)]
        children += [Child([script("first_call.py")], root, one_thread) for _, root, _ in chosen]
        baseline, *ours = fresh_interpreters(children, repeats)
        inside = [_inside(root, repeats) for _, root, _ in chosen]
    rows = []
    for (label, _, files), started, (imported, called) in zip(chosen, ours, inside, strict=True):
        what = f"{label} ({files} table files)"
        if started.cpu is not None and baseline.cpu is not None:
            added = started.cpu - baseline.cpu
            rows.append(
                Row(
                    "4",
                    f"fresh interpreter: import xl_reit.udfs + first REIT_ALLOC, {what}: "
                    "CPU time (user + system, fastest run)",
                    ms(started.cpu),
                    f"import xlwings only: {ms(baseline.cpu)}",
                    f"{added * 1e3:+,.1f} ms",
                    "<= 30 ms added",
                    added <= 0.030,
                )
            )
        wall = started.wall - baseline.wall
        rows += [
            Row(
                "4",
                f"fresh interpreter: the same, {what}: wall time (median; it waits for the "
                "machine's other work)",
                ms(started.wall),
                f"import xlwings only: {ms(baseline.wall)}",
                f"{wall * 1e3:+,.1f} ms",
                "informational" if started.cpu is not None else "<= 30 ms added",
                None if started.cpu is not None else wall <= 0.030,
            ),
            Row(
                "4",
                f"the same inside the interpreter, after import xlwings (fastest run), {what}",
                f"{ms(imported + called)}",
                f"import {ms(imported)} + first call {ms(called)}",
                "n/a",
                "informational",
                None,
            ),
        ]
    return rows


def _inside(root: Path | None, repeats: int) -> tuple[float, float]:
    """The fastest of ``repeats`` runs: seconds to import xl_reit.udfs, then its first call."""
    child = Child([script("first_call_timed.py")], root)
    runs = [child.run(capture_output=True).stdout.split() for _ in range(repeats)]
    imported, called = min(((float(a), float(b)) for a, b in runs), key=sum)
    return imported, called


def _bundled_files(root: Path | None) -> int:
    """How many table files the bundle of the xl_reit a child imports from ``root`` holds."""
    code = "from xl_reit.table import BUNDLED_FILES; print(len(BUNDLED_FILES))"
    return int(Child(["-c", code], root).run(capture_output=True).stdout)


def memory(quick: bool) -> list[Row]:
    """Row 7: resident memory the first call adds to an interpreter with xlwings."""
    if not Path("/proc/self/status").exists():
        return [Row("7", "resident memory", "n/a", "n/a", "n/a", "<= 5 MiB added", None)]
    rows = []
    with tempfile.TemporaryDirectory() as name:
        for label, root, files in bundles(Path(name)):
            samples = []
            for _ in range(3):
                output = Child([script("memory.py")], root).run(capture_output=True).stdout
                before, after, read = map(int, output.split())
                assert read == files, "the child did not use the bundle meant"
                samples.append((before, after))
            before, after = sorted(samples, key=lambda pair: pair[1] - pair[0])[1]
            added = (after - before) / 1024
            rows.append(
                Row(
                    "7",
                    f"RSS after xl_reit.udfs answers a first call, {label} ({files} table files)",
                    f"{after / 1024:.1f} MiB",
                    f"interpreter + xlwings: {before / 1024:.1f} MiB",
                    f"+{added:.2f} MiB",
                    "<= 5 MiB added",
                    added <= 5,
                )
            )
    return rows
