"""Measure every hot path beside its baseline, in one run, and print the ratios.

Absolute times on shared machines are noisy; ratios against a baseline
measured in the same run are what we track. Each row of the table is one
target of the benchmarks issue. ``--quick`` runs every row on small inputs so
CI can keep the command working; its figures are not the ones to quote.

Each family of rows is a module of ``benchmarks/`` (the harness they share is
``benchmarks/harness.py``, the scripts they run in fresh interpreters are in
``benchmarks/scripts/``); this module only lists them and prints the table.
Synthetic data is generated deterministically (seeded) in a temporary folder,
and never committed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import platform
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import xl_reit

from .harness import Row


class Benchmark(NamedTuple):
    """Rows of the table, and the function that measures them: ``module.function(quick)``."""

    rows: tuple[str, ...]
    module: str
    function: str

    def measure(self) -> Callable[[bool], list[Row]]:
        """The function, its module imported only now (bulk's needs DuckDB, for one)."""
        module = importlib.import_module(f".{self.module}", __package__)
        found: Callable[[bool], list[Row]] = getattr(module, self.function)
        return found


#: Every benchmark, in the table's order. A new family of rows is a module of
#: benchmarks/ with a function that takes ``quick`` and returns its rows, and a
#: line here.
BENCHMARKS = (
    Benchmark(("1", "2"), "calls", "single_calls"),
    Benchmark(("3",), "calls", "column_call"),
    Benchmark(("4",), "startup", "cold_start"),
    Benchmark(("5",), "template", "template"),
    Benchmark(("6",), "holdings", "form_1099"),
    Benchmark(("7",), "startup", "memory"),
    Benchmark(("8",), "pyodide", "pyodide_column"),
    Benchmark(("9",), "bulk", "bulk_1099"),
    Benchmark(("10",), "bulk", "spark_1099"),
    Benchmark(("11",), "large_files", "large_files"),
    Benchmark(("12",), "lite", "lite_load"),
    # New families of rows go here, in the table's order.
)


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
    for benchmark in BENCHMARKS:
        if wanted is not None and not wanted & set(benchmark.rows):
            continue
        found = benchmark.measure()(arguments.quick)
        rows += found
        for row in found:
            print(
                f"[{row.number}] {row.what}: {row.measured} vs {row.baseline} -> {row.ratio}",
                file=sys.stderr,
            )
    print(markdown(rows, arguments.quick))
    return 0
