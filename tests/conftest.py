"""Shared test setup: ``tests/`` is importable so tests can share the release's figures."""

from __future__ import annotations

import os
import shutil
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

#: tests/lite/ runs inside Pyodide or a fresh interpreter (lite_harness.py starts it):
#: importing runtime.py here, to look for doctests, would switch this process's xlwings
#: environment to Office.js.
collect_ignore = ["lite"]


@pytest.fixture
def hang_guard() -> Iterator[None]:
    """Fail a test that works for more than 20 s of CPU time (or waits 200 s) instead of
    hanging the suite.

    A guard against hangs (an XML bomb, a regex gone quadratic), not a speed
    test: speed is measured by the benchmarks, never asserted here. The work is
    counted in the process's CPU time, which other jobs on a shared machine do
    not add to as they add to the time on the clock.
    """

    def expire(*_: object) -> None:
        raise TimeoutError("the test worked for more than 20 s of CPU time, or waited 200 s")

    previous = {
        number: signal.signal(number, expire) for number in (signal.SIGPROF, signal.SIGALRM)
    }
    signal.setitimer(signal.ITIMER_PROF, 20)
    signal.alarm(200)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.alarm(0)
        for number, handler in previous.items():
            signal.signal(number, handler)


@pytest.fixture(scope="session")
def xl_reit_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """xl-reit's wheel, built once a session from a clean copy of the work tree."""
    from lite_harness import build_wheel

    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def officejs_answer(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every call of lite_calls.py answered by xlwings' own Office.js code, in CPython.

    Shared by test_lite.py (against Pyodide) and test_registration.py (against classic).
    """
    from lite_calls import lite_request
    from lite_harness import run_cpython

    return run_cpython(lite_request(), tmp_path_factory.mktemp("officejs"))


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A Spark session in local mode on two cores, or a skip that says why there is none."""
    pytest.importorskip("pyspark", reason="pyspark is not installed: pip install -e '.[test]'")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime, which Spark needs (.ci/run installs one where apt can)")
    from pyspark.sql import SparkSession

    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"  # the JVM talks to this process on loopback only
    session = (
        SparkSession.builder.master("local[2]")
        .appName("xl-reit tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture
def aimco_2004_alone() -> Iterator[None]:
    """Lookups read Aimco's 2004 release alone, as the holdings tests' lines were written for.

    Its common (AIV) is bundled for 2013 too, where an undated line would hold its
    shares; the tests of what lines mean use the 2004 release's payments.
    """
    from xl_reit.table import set_default_table

    from release_2004 import aimco_table

    set_default_table(aimco_table())
    yield
    set_default_table(None)
