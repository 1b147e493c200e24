"""Measure every hot path beside its baseline, in one run, and print the ratios.

Absolute times on shared machines are noisy; ratios against a baseline
measured in the same run are what we track. Each row of the table is one
target of the benchmarks issue. ``--quick`` runs every row on small inputs so
CI can keep the command working; its figures are not the ones to quote.

Synthetic data is generated here, deterministically (seeded), in a temporary
folder, and never committed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import xl_reit
from xl_reit.components import COMPONENTS

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Row:
    """One line of the results table."""

    number: str
    what: str
    measured: str
    baseline: str
    ratio: str
    target: str
    met: bool | None  # None: informational


def per_call(function: Callable[[], object], calls: int, repeats: int) -> float:
    """Median seconds per call over ``repeats`` batches of ``calls`` calls."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        samples.append((time.perf_counter() - start) / calls)
    return statistics.median(samples)


def once(function: Callable[[], object], repeats: int) -> float:
    """Median seconds of one call of ``function``."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def fresh_interpreters(codes: list[str], repeats: int) -> list[float]:
    """Median wall time of a fresh ``python -c code`` for each code, runs interleaved.

    Interleaving keeps a burst of load on a shared machine from landing on
    one side of the comparison only.
    """
    samples: list[list[float]] = [[] for _ in codes]
    for _ in range(repeats):
        for code, times in zip(codes, samples, strict=True):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
            times.append(time.perf_counter() - start)
    return [statistics.median(times) for times in samples]


def ns(seconds: float) -> str:
    return f"{seconds * 1e9:,.0f} ns"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms"


def seconds(value: float) -> str:
    """Milliseconds below a second, seconds above."""
    return ms(value) if value < 1 else f"{value:.2f} s"


def dict_floor(calls: int, repeats: int) -> float:
    """Seconds of the floor: a bare dict lookup of an answer by its arguments, per call."""
    floor_table = {("03748R101", dt.date(2004, 2, 27), "qualified"): 0.013268}
    floor_key = ("03748R101", dt.date(2004, 2, 27), "qualified")
    return per_call(lambda: floor_table[floor_key], calls, repeats)


def single_calls(quick: bool) -> list[Row]:
    """Rows 1 and 2: one REIT_ALLOC call with Excel-shaped arguments."""
    import pandas as pd

    from xl_reit.udfs import REIT_ALLOC

    calls, repeats = (2_000, 5) if quick else (100_000, 15)
    day = dt.datetime(2004, 2, 27)
    frame = pd.DataFrame(
        [
            (c.cusip, p.payable_date, p.record_date, p.fraction(COMPONENTS["qualified"]))
            for c in xl_reit.classes()
            for p in c.payments
        ],
        columns=["cusip", "payable", "record", "qualified"],
    )
    frame["payable"] = pd.to_datetime(frame["payable"])
    frame["record"] = pd.to_datetime(frame["record"])

    def with_pandas() -> float:
        # What a user would write instead: normalise, filter the table, read.
        cusip = "03748R-10-1".replace("-", "").upper()
        when = pd.Timestamp(day)
        mask = (frame["cusip"] == cusip) & ((frame["payable"] == when) | (frame["record"] == when))
        return float(frame.loc[mask, "qualified"].iloc[0])

    assert with_pandas() == REIT_ALLOC("03748R-10-1", day, "Box 1b")
    excel = per_call(lambda: REIT_ALLOC("03748R-10-1", day, "Box 1b"), calls, repeats)
    floor = dict_floor(calls, repeats)
    pandas_filter = per_call(with_pandas, max(calls // 100, 20), repeats)
    serial = per_call(lambda: REIT_ALLOC("03748R-10-1", 38044.0, "Box 1b"), calls, repeats)
    text = per_call(lambda: REIT_ALLOC("03748R-10-1", "2004-02-27", "Box 1b"), calls, repeats)

    # A memo miss: the REIT_* memo emptied before every call, so each call
    # resolves its arguments and looks the payment up (the security and
    # component caches of the core stay warm, as they do in a session).
    from xl_reit import udfs

    payments = [
        (f"{c.cusip[:6]}-{c.cusip[6:8]}-{c.cusip[8]}", dt.datetime(*p.payable_date.timetuple()[:3]))
        for c in xl_reit.classes()
        for p in c.payments
        if p.payable_date is not None
    ]
    misses = [
        (cusip, when, box)
        for cusip, when in payments
        for box in ("Box 1a", "Box 1b", "Box 2a", "Box 2b", "Box 3")
    ]
    start = time.perf_counter()
    for _ in range(max(calls // len(misses), 1)):
        for arguments in misses:
            udfs._memo.clear()
            REIT_ALLOC(*arguments)
    first_calls = (time.perf_counter() - start) / (max(calls // len(misses), 1) * len(misses))

    return [
        Row(
            "1",
            "REIT_ALLOC, datetime + hyphenated CUSIP + 'Box 1b' (median)",
            ns(excel),
            f"floor: dict lookup {ns(floor)}",
            f"{excel / floor:.1f}x floor",
            "<= 1 us; within 10x floor",
            excel <= 1e-6 and excel / floor <= 10,
        ),
        Row(
            "1",
            "the same, against a pandas mask filter per call",
            ns(excel),
            f"pandas filter {ns(pandas_filter)}",
            f"{pandas_filter / excel:,.0f}x faster",
            ">= 200x faster",
            pandas_filter / excel >= 200,
        ),
        Row(
            "1",
            "first call for each distinct set of arguments (memo miss)",
            ns(first_calls),
            f"pandas filter {ns(pandas_filter)}",
            f"{pandas_filter / first_calls:,.1f}x faster",
            "informational",
            None,
        ),
        Row(
            "2",
            "REIT_ALLOC with an Excel serial float date",
            ns(serial),
            f"row 1 {ns(excel)}",
            f"{serial / excel:.2f}x row 1",
            "<= 1.5x row 1",
            serial / excel <= 1.5,
        ),
        Row(
            "2",
            "REIT_ALLOC with a text date '2004-02-27'",
            ns(text),
            f"row 1 {ns(excel)}",
            f"{text / excel:.2f}x row 1",
            "<= 1.5x row 1",
            text / excel <= 1.5,
        ),
    ]


def column_call(quick: bool) -> list[Row]:
    """Row 3: one call over a 1,000,000-row column against a million scalar calls."""
    from xl_reit.udfs import REIT_ALLOC

    cells = 20_000 if quick else 1_000_000
    symbols = ["AIV", "03748R-30-9", "AIVPrG", "US03748R8613", "AIVPrQ", "AIVPrR", "AIVPrT"]
    column = [[symbols[index % len(symbols)]] for index in range(cells)]
    column_time = once(lambda: REIT_ALLOC(column, "annual", "2b"), 3 if quick else 5)

    def scalar_calls() -> None:
        for (security,) in column:
            REIT_ALLOC(security, "annual", "2b")

    scalar_time = once(scalar_calls, 3)
    per_million = column_time * 1_000_000 / cells
    return [
        Row(
            "3",
            f"REIT_ALLOC over one {cells:,}-row column",
            f"{per_million:.3f} s per million",
            f"{cells:,} scalar calls: {scalar_time * 1_000_000 / cells:.3f} s per million",
            f"{column_time / scalar_time:.1f}x the scalar calls",
            "<= 0.5 s per million cells",
            per_million <= 0.5,
        ),
        *moving_ranges(quick),
    ]


def payment_columns(rows: int) -> tuple[list[list[str]], list[list[dt.datetime]]]:
    """A sheet's CUSIP column and date column: every bundled 2004 payment, over and over.

    Tax year 2004 only: every one of its payments answers every box by date
    alone (no payment split between tax years, no symbol in two years' tables),
    so each cell is one lookup, as in the measurements before 2023's tables came.
    """
    payments = [
        (security.symbol, dt.datetime(day.year, day.month, day.day))
        for security in xl_reit.classes()
        if security.tax_year == 2004
        for payment in security.payments
        if (day := payment.payable_date) is not None
    ]
    chosen = [payments[index % len(payments)] for index in range(rows)]
    return [[cusip] for cusip, _ in chosen], [[day] for _, day in chosen]


def moving_ranges(quick: bool) -> list[Row]:
    """Row 3: two and three ranges moving together, per result cell against the dict floor.

    =REIT_ALLOC(B2:B1000001, C2:C1000001, "1a") (a CUSIP column and a date column),
    and the same against a row of the five boxes of the 2004 form (5,000,000 cells).
    """
    from xl_reit.udfs import REIT_ALLOC

    rows = 20_000 if quick else 1_000_000
    cusips, dates = payment_columns(rows)
    boxes = [["1a", "1b", "2a", "2b", "3"]]
    floor = dict_floor(*((2_000, 5) if quick else (100_000, 15)))
    shapes = [
        ("two", f"{rows:,} rows x 1 box", lambda: REIT_ALLOC(cusips, dates, "1a"), rows),
        ("three", f"{rows:,} rows x 5 boxes", lambda: REIT_ALLOC(cusips, dates, boxes), 5 * rows),
    ]
    found = []
    for count, size, call, cells in shapes:
        assert not any(isinstance(cell, str) for cell in call()[0])  # numbers, not #N/A
        per_cell = once(call, 3 if quick else 5) / cells
        found.append(
            Row(
                "3",
                f"REIT_ALLOC, {count} moving ranges (CUSIP and date columns"
                f"{', a row of boxes' if count == 'three' else ''}): {size}",
                f"{ns(per_cell)} per cell ({per_cell * 1e6:.2f} s per million)",
                f"floor: dict lookup {ns(floor)}",
                f"{per_cell / floor:.1f}x floor",
                "<= 12x floor per cell",
                per_cell / floor <= 12,
            )
        )
    return found


def cold_start(quick: bool) -> list[Row]:
    """Row 4: a fresh interpreter imports xl_reit.udfs and answers its first call."""
    repeats = 3 if quick else 21
    first_call = (
        "from xl_reit.udfs import REIT_ALLOC; "
        "assert REIT_ALLOC('03748R-10-1', '2004-02-27', 'qualified') == 0.013268"
    )
    # pip compiles an installed package's bytecode; an editable checkout (and a
    # machine with PYTHONDONTWRITEBYTECODE set) would compile from source each
    # start, which xlwings, installed by pip, never pays. Compile it likewise.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "xl_reit")], check=True, cwd=ROOT
    )
    baseline, ours = fresh_interpreters(["import xlwings", first_call], repeats)
    added = ours - baseline
    return [
        Row(
            "4",
            "fresh interpreter: import xl_reit.udfs + first REIT_ALLOC",
            ms(ours),
            f"import xlwings only: {ms(baseline)}",
            f"+{ms(added)}",
            "<= 30 ms added",
            added <= 0.030,
        ),
    ]


def memory(quick: bool) -> list[Row]:
    """Row 7: resident memory the loaded table adds to an interpreter with xlwings."""
    code = (
        "import xlwings\n"
        "def rss():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmRSS:'): return int(line.split()[1])\n"
        "before = rss()\n"
        "from xl_reit.udfs import REIT_ALLOC\n"
        "REIT_ALLOC('AIV', 'annual', '1a')\n"
        "print(before, rss())\n"
    )
    if not Path("/proc/self/status").exists():
        return [Row("7", "resident memory", "n/a", "n/a", "n/a", "<= 5 MiB added", None)]
    samples = []
    for _ in range(3):
        output = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
        ).stdout.split()
        samples.append((int(output[0]), int(output[1])))
    before, after = sorted(samples, key=lambda pair: pair[1] - pair[0])[1]
    added = (after - before) / 1024
    return [
        Row(
            "7",
            "RSS after xl_reit.udfs loads the table and answers",
            f"{after / 1024:.1f} MiB",
            f"interpreter + xlwings: {before / 1024:.1f} MiB",
            f"+{added:.2f} MiB",
            "<= 5 MiB added",
            added <= 5,
        ),
    ]


def synthetic_table(classes: int) -> str:
    """A table of ``classes`` made-up classes × 4 quarterly payments, as CSV text (seeded)."""
    from xl_reit import cusip

    generator = random.Random(2004)
    header = (
        "issuer,tax_year,class_name,cusip,symbol,record_date,payable_date,dividend_per_share,"
        "ordinary,qualified,capital_gain,unrecaptured_1250,return_of_capital,source,"
        "release_date,notes"
    )
    lines = [header]
    for number in range(classes):
        base = f"9{number:05d}10"
        code = base + cusip.calc_check_digit(base)
        dividend = f"0.{generator.randint(100000, 999999)}"
        qualified = generator.randint(0, 300000)
        capital = generator.randint(0, 400000)
        ordinary = 1_000_000 - qualified - capital
        split = f"{ordinary / 10000:.4f},{qualified / 10000:.4f},{capital / 10000:.4f},0,0"
        for quarter in range(4):
            month = 3 * quarter + 1
            lines.append(
                f"Synthetic REIT,2004,Class {number},{code},SYN{number},2004-{month:02d}-01,"
                f"2004-{month:02d}-15,{dividend},{split},benchmark,2005-01-28,"
            )
    return "\n".join(lines) + "\n"


def template(quick: bool) -> list[Row]:
    """Row 5: the template workbook against openpyxl writing the same values, unstyled."""
    import openpyxl

    from xl_reit import workbook
    from xl_reit.table import AllocationTable

    rows: list[Row] = []
    bundled = "the bundled tax year 2004 (the committed workbook)"
    sizes = [(bundled, None), ("10,000 classes x 4 payments", 10_000)]
    if quick:
        sizes = [(bundled, None), ("200 classes x 4 payments", 200)]
    with tempfile.TemporaryDirectory() as folder:
        for label, classes in sizes:
            table = (
                xl_reit.default_table()
                if classes is None
                else AllocationTable.from_texts([("synthetic.csv", synthetic_table(classes))])
            )
            chosen = list(
                workbook.classes_for_year(
                    list(table.classes.values()), 2004 if classes is None else None
                )
            )
            book = workbook.build(chosen)
            sheets = [
                (sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)])
                for sheet in book.worksheets
            ]

            def ours(chosen: list[xl_reit.SecurityClass] = chosen) -> None:
                workbook.write_template(Path(folder) / "ours.xlsx", chosen, overwrite=True)

            def plain(sheets: list[tuple[str, list[list[object]]]] = sheets) -> None:
                plain_book = openpyxl.Workbook()
                plain_book.remove(plain_book.active)
                for title, values in sheets:
                    sheet = plain_book.create_sheet(title)
                    for row in values:
                        sheet.append(row)
                plain_book.save(Path(folder) / "plain.xlsx")

            repeats = 3 if classes is None else 1
            ours_time = min(once(ours, 1) for _ in range(repeats))
            plain_time = min(once(plain, 1) for _ in range(repeats))
            rows.append(
                Row(
                    "5",
                    f"xl-reit template, {label}",
                    seconds(ours_time),
                    f"openpyxl, same values, no styling: {seconds(plain_time)}",
                    f"{ours_time / plain_time:.2f}x baseline",
                    "<= 1.5x baseline",
                    ours_time / plain_time <= 1.5,
                )
            )
    return rows


def synthetic_holdings(path: Path, lines: int) -> None:
    """A holdings file of ``lines`` lines over the bundled classes, in mixed spellings (seeded)."""
    generator = random.Random(1099)
    securities = [
        "03748R-10-1",
        "AIVPrD",
        "03748R408",
        "US03748R8613",
        "AIV-PQ",
        "AIV.PR.R",
        "03748r838",
        "AIVpU",
    ]
    with path.open("w", encoding="utf-8") as stream:
        # One lot per account, as a broker's book lists them (an exact repeat is an error).
        stream.write("Account,CUSIP,Shares\n")
        for account in range(lines):
            share_count = generator.randint(1, 5000)
            stream.write(f"A{account:07d},{generator.choice(securities)},{share_count}\n")


PLAIN_LOOP = """
import csv, sys
from decimal import Decimal
import xl_reit
from xl_reit.components import boxes_for_year
# What a user would write: per-share box amounts for each class, then one pass
# over the file: find the class (once per spelling), multiply, add.
per_share = {}
for security in xl_reit.classes():
    boxes = boxes_for_year(security.tax_year)
    per_share[security.cusip] = {
        box: sum(p.dollars(name) for p in security.payments)
        for box, name in boxes.items()
        if all(p.dollars(name) is not None for p in security.payments)
    }
spellings = {}
totals = {}
with open(sys.argv[1], newline="") as stream:
    reader = csv.reader(stream)
    next(reader)
    for _account, security, shares in reader:
        cusip = spellings.get(security)
        if cusip is None:
            cusip = spellings[security] = xl_reit.find_class(security).cusip
        count = Decimal(shares)
        for box, amount in per_share[cusip].items():
            totals[box] = totals.get(box, 0) + amount * count
print(totals)
"""

#: One command line, in this interpreter's Python; prints its exit code and peak memory (KiB).
MEASURED = """
import sys
from xl_reit import cli
sys.stdout = open("/dev/null", "w")
code = cli.main(sys.argv[1:])
sys.stdout = sys.__stdout__
# VmHWM: this process's own peak. (ru_maxrss would carry over the peak of the
# benchmark process that started it: Linux keeps it across exec.)
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(code, peak.split()[1])
"""


def measured(*arguments: str) -> tuple[float, float]:
    """Seconds and peak MiB of ``xl-reit ARGUMENTS``, whole command, in a fresh interpreter."""
    start = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-c", MEASURED, *arguments],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.split()
    elapsed = time.perf_counter() - start
    if output[0] != "0":
        raise RuntimeError(f"xl-reit {' '.join(arguments)} exited {output[0]}")
    return elapsed, int(output[1]) / 1024


def form_1099(quick: bool) -> list[Row]:
    """Row 6: xl-reit 1099 over a 1,000,000-line holdings file, time and peak memory."""
    lines = 20_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "holdings.csv"
        synthetic_holdings(path, lines)
        samples: list[tuple[float, float, float]] = []
        for _ in range(1 if quick else 5):
            ours, peak_mib = measured("1099", str(path), "--format", "json")
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", PLAIN_LOOP, str(path)],
                check=True,
                capture_output=True,
                cwd=ROOT,
            )
            plain = time.perf_counter() - start
            samples.append((ours, plain, peak_mib))
    ours, plain, peak = sorted(samples)[len(samples) // 2]
    return [
        Row(
            "6",
            f"xl-reit 1099, {lines:,}-line holdings file (whole command)",
            f"{ours:.2f} s, peak {peak:,.0f} MiB",
            f"plain per-row loop: {plain:.2f} s",
            f"{ours / plain:.2f}x baseline",
            "<= 3 s and <= 1 GiB peak",
            ours <= 3 and peak <= 1024,
        ),
    ]


#: The baseline of row 8: a Lite function that reads three ranges as REIT_ALLOC does
#: and returns the first unchanged, so its time is xlwings' and Pyodide's part alone.
PASS_THROUGH_PY = """
import xlwings as xw


@xw.func
@xw.arg("first", ndim=2, err_to_str=True)
@xw.arg("second", ndim=2, err_to_str=True)
@xw.arg("third", ndim=2, err_to_str=True)
def PASS_THROUGH(first, second, third):
    return first
"""


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
        "one column (CUSIP)": (cusips, [["annual"]], [["2b"]]),
        "two columns (CUSIP, date)": (cusips, date_cells, [["1a"]]),
    }
    calls = [("main", Call("warm-up", "REIT_ALLOC", (cusips[:1], [["annual"]], [["1a"]]), []))]
    for function, module in (("REIT_ALLOC", "main"), ("PASS_THROUGH", "baseline")):
        calls += [(module, Call(name, function, cells, [])) for name, cells in shapes.items()] * 3
    asked = {
        "modules": {"main": MAIN_PY, "baseline": PASS_THROUGH_PY},
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


def _words_floor(text: str) -> float:
    """Seconds to split ``text`` into lines and words with one regex: reading it at all."""
    import re

    pattern = re.compile(r"\S+")
    return once(lambda: [pattern.findall(line) for line in text.splitlines()], 3)


def large_files(quick: bool) -> list[Row]:
    """Row 11: the readers of untrusted files on very large inputs, in seconds each."""
    from xl_reit.importer import parse_release
    from xl_reit.table import load_table

    scale = 100 if quick else 1
    release = (ROOT / "tests" / "releases" / "aimco-2004.txt").read_text(encoding="utf-8")
    lines = release.splitlines()
    long_release = "\n".join((lines * (100_000 // scale // len(lines) + 1))[: 100_000 // scale])
    head = "Example Trust 2020 Dividend Tax Allocation\nCommon Stock (CUSIP 41196Q100)\n"
    dates = " ".join(["03/31/2020 04/15/2020 $0.25"] * (1_000_000 // scale // 28))
    long_line = head + "Record Date\tPayable Date\tDividend per Share\n" + dates + "\n"
    found = []
    for what, text in (
        (f"a release with one {len(dates):,}-character line of payments", long_line),
        (f"a {len(long_release.splitlines()):,}-line release", long_release),
    ):
        took = once(lambda text=text: parse_release(text, source_name="large.txt"), 1)
        floor = _words_floor(text)
        found.append(_large_row(f"xl-reit import, {what}", took, floor, "split into words"))

    table_text = synthetic_table(25_000 // scale)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.csv"
        path.write_text(table_text, encoding="utf-8")
        took = once(lambda: load_table([path], override=True), 1)
    floor = once(lambda: _csv_floor(table_text), 3)
    rows = table_text.count("\n") - 1
    found.append(
        _large_row(f"loading a {rows:,}-line table file", took, floor, "csv + Decimal figures")
    )
    return found


def _csv_floor(text: str) -> None:
    """Read a table file's rows with csv and every figure cell as a Decimal."""
    import csv
    import io
    from decimal import Decimal

    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    figures = [i for i, name in enumerate(header) if name in COMPONENTS or name.startswith("divid")]
    for row in reader:
        for i in figures:
            Decimal(row[i])


def _large_row(what: str, took: float, floor: float, floor_what: str) -> Row:
    return Row(
        "11",
        what,
        seconds(took),
        f"{floor_what}: {seconds(floor)}",
        f"{took / floor:,.0f}x floor",
        "<= 5 s",  # a few seconds (#14); a run of hours or minutes was the fault
        took <= 5,
    )


#: Each benchmark and the rows of the table it measures.
ROWS = {
    "single_calls": ("1", "2"),
    "column_call": ("3",),
    "cold_start": ("4",),
    "template": ("5",),
    "form_1099": ("6",),
    "memory": ("7",),
    "pyodide_column": ("8",),
    "bulk_1099": ("9",),
    "spark_1099": ("10",),
    "large_files": ("11",),
}


def benchmarks() -> list[Callable[[bool], list[Row]]]:
    """Every benchmark, in the table's order (bulk's need DuckDB, imported only then)."""
    from .bulk import bulk_1099, spark_1099

    return [
        single_calls,
        column_call,
        cold_start,
        template,
        form_1099,
        memory,
        pyodide_column,
        bulk_1099,
        spark_1099,
        large_files,
    ]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return (
        f"{cpu}, {os.cpu_count()} cores; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; xl-reit {xl_reit.__version__}"
    )


def markdown(rows: list[Row], quick: bool) -> str:
    lines = [
        "| # | what | measured | baseline (same run) | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        met = "n/a" if row.met is None else ("yes" if row.met else "**no**")
        lines.append(
            f"| {row.number} | {row.what} | {row.measured} | {row.baseline} | {row.ratio} "
            f"| {row.target} | {met} |"
        )
    mode = " (quick mode: small inputs, not figures to quote)" if quick else ""
    return f"Run on {dt.date.today():%Y-%m-%d}: {machine()}{mode}.\n\n" + "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small inputs, for CI")
    parser.add_argument("--only", type=str, help="only these rows, e.g. 5,6")
    arguments = parser.parse_args(argv)
    rows: list[Row] = []
    wanted = set(arguments.only.split(",")) if arguments.only else None
    for benchmark in benchmarks():
        if wanted is not None and not wanted & set(ROWS[benchmark.__name__]):
            continue
        found = benchmark(arguments.quick)
        rows += found
        for row in found:
            print(
                f"[{row.number}] {row.what}: {row.measured} vs {row.baseline} -> {row.ratio}",
                file=sys.stderr,
            )
    print(markdown(rows, arguments.quick))
    return 0
