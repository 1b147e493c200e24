"""Row 8, informational: REIT_ALLOC over columns in real Pyodide, as xlwings Lite calls it."""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from .calls import payment_columns
from .harness import ROOT, SCRIPTS, Row, seconds


def pyodide_column(quick: bool) -> list[Row]:
    """Row 8, informational: column calls in real Pyodide, as xlwings Lite makes them.

    The harness of tests/test_lite.py runs xlwings' Office.js path in Pyodide
    314 under Node: the JS-to-Python conversion of the arguments, xlwings'
    reading of every cell, the function, the conversion back. Each call is
    timed from JavaScript to JavaScript, the median of three after a warm-up
    call that loads the table, beside a function that returns its first
    argument unchanged: what any Lite function over the same ranges costs.
    """
    sys.path.insert(0, str(ROOT / "tests"))
    import lite_harness
    from lite_calls import Call, DateCell

    from xl_reit.lite import MAIN_PY

    rows = 1_000 if quick else 100_000
    runtime = lite_harness.RUNTIMES[0]
    reason = lite_harness.missing_tools()
    if reason is not None:
        what = f"{runtime.name}: REIT_ALLOC over {rows:,}-row columns"
        return [Row("8", what, "n/a", reason, "n/a", "informational", None)]
    cusips, dates = payment_columns(rows)
    date_cells = [[DateCell(day.date())] for (day,) in dates]
    shapes = {
        # the year named: Aimco's common has 2004 and 2013 tables, so "annual" needs one
        "one column (CUSIP)": (cusips, [["annual"]], [["2b"]], [[2004.0]]),
        "two columns (CUSIP, date)": (cusips, date_cells, [["1a"]]),
    }
    calls = [
        (
            "main",
            Call("warm-up", "REIT_ALLOC", (cusips[:1], [["annual"]], [["1a"]], [[2004.0]]), []),
        )
    ]
    for function, module in (("REIT_ALLOC", "main"), ("PASS_THROUGH", "baseline")):
        calls += [(module, Call(name, function, cells, [])) for name, cells in shapes.items()] * 3
    asked = {
        "modules": {"main": MAIN_PY, "baseline": (SCRIPTS / "pass_through.py").read_text()},
        "calls": [{"module": module, "body": call.officejs_body()} for module, call in calls],
    }
    with tempfile.TemporaryDirectory() as folder:
        cache = lite_harness.prepare()
        wheel = lite_harness.build_wheel(Path(folder))
        answer = lite_harness.start_pyodide(runtime, asked, wheel, cache, Path(folder)).answer()
    pairs = list(zip(calls, answer["ms"], answer["results"], strict=True))
    assert all(
        not isinstance(cell, str)
        for (module, _), _, result in pairs
        if module == "main"
        for row in result
        for cell in row
    ), "REIT_ALLOC answered #N/A where the benchmark expects numbers"
    timed = [(module, call.name, ms / 1000) for (module, call), ms, _ in pairs]
    found = []
    for name in shapes:
        ours, baseline = (
            statistics.median(time for module, shape, time in timed[1:] if (module, shape) == key)
            for key in (("main", name), ("baseline", name))
        )
        found.append(
            Row(
                "8",
                f"{runtime.name}: REIT_ALLOC over {rows:,} rows, {name}, one call",
                seconds(ours),
                f"a Lite function returning its first argument: {seconds(baseline)}",
                f"{ours / baseline:.2f}x baseline",
                "informational",
                None,
            )
        )
    return found
