"""Shared test setup: ``tests/`` is importable so tests can share the release's figures."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def hang_guard() -> Iterator[None]:
    """Fail a test that does not finish within 20 s instead of hanging the suite.

    A guard against hangs (an XML bomb, a regex gone quadratic), not a speed
    test: speed is measured by the benchmarks, never asserted here.
    """

    def expire(*_: object) -> None:
        raise TimeoutError("the test did not finish within 20 s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
