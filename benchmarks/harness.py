"""The harness every family of benchmark rows uses: a row of the table, timers, units.

Absolute times on shared machines are noisy; ratios against a baseline
measured in the same run are what we track, so each family measures its
baseline beside its own figure and returns :class:`Row` values. Work that must
run in a fresh interpreter (a start, a whole command, its peak memory) runs
one of the scripts in ``benchmarks/scripts/``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent / "scripts"


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


def script(name: str) -> str:
    """The path of a child script in ``benchmarks/scripts/``, for a command line."""
    return str(SCRIPTS / name)


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


@dataclass(frozen=True)
class Child:
    """A fresh interpreter to start: its arguments after ``python``, and where xl_reit comes from.

    ``package_root`` is a folder holding an ``xl_reit`` package to use instead of
    the repository's (a copy with a larger bundle); ``None``: the repository's.
    """

    arguments: Sequence[str]
    package_root: Path | None = None
    #: Variables to set beside the environment's own.
    variables: Mapping[str, str] | None = None

    def run(self, **options: Any) -> subprocess.CompletedProcess[str]:
        root = self.package_root or ROOT
        environment: Mapping[str, str] = {
            **os.environ,
            **(self.variables or {}),
            "PYTHONPATH": str(root),
        }
        return subprocess.run(
            [sys.executable, *self.arguments],
            check=True,
            cwd=root,
            env=environment,
            text=True,
            **options,
        )


@dataclass(frozen=True)
class Started:
    """A fresh interpreter over its runs: the median wall time, the fastest CPU time.

    The CPU time is the child's user and system time (``getrusage``): the work
    the start does. Another job on a shared core only ever adds to it (caches,
    clock), so the fastest run is the one nearest a quiet machine's; the wall
    time also waits for the other jobs, and its median is shown beside it.
    """

    wall: float
    cpu: float | None  # None where the platform gives no child's CPU time


def fresh_interpreters(children: Sequence[Child], repeats: int) -> list[Started]:
    """Each child's wall and CPU time (:class:`Started`), a fresh interpreter, runs interleaved.

    Interleaving keeps a burst of load on a shared machine from landing on
    one side of the comparison only.
    """
    walls: list[list[float]] = [[] for _ in children]
    cpus: list[list[float]] = [[] for _ in children]
    for _ in range(repeats):
        for child, wall, cpu in zip(children, walls, cpus, strict=True):
            used = _children_cpu()
            start = time.perf_counter()
            child.run()
            wall.append(time.perf_counter() - start)
            after = _children_cpu()
            if used is not None and after is not None:
                cpu.append(after - used)
    return [
        Started(statistics.median(wall), min(cpu) if cpu else None)
        for wall, cpu in zip(walls, cpus, strict=True)
    ]


def _children_cpu() -> float | None:
    """User plus system seconds of every child waited for so far (None without ``resource``,
    as on Windows)."""
    try:
        import resource
    except ImportError:
        return None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return float(usage.ru_utime + usage.ru_stime)


def measured(*arguments: str) -> tuple[float, float]:
    """Seconds and peak MiB of ``xl-reit ARGUMENTS``, whole command, in a fresh interpreter."""
    start = time.perf_counter()
    output = Child([script("measured.py"), *arguments]).run(capture_output=True).stdout.split()
    elapsed = time.perf_counter() - start
    if output[0] != "0":
        raise RuntimeError(f"xl-reit {' '.join(arguments)} exited {output[0]}")
    return elapsed, int(output[1]) / 1024


def ns(seconds: float) -> str:
    return f"{seconds * 1e9:,.0f} ns"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms"


def seconds(value: float) -> str:
    """Milliseconds below a second, seconds above."""
    return ms(value) if value < 1 else f"{value:.2f} s"
