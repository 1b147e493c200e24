"""Reading a large file without Python's cycle collector walking what it builds.

A reader of a release, a table or a holdings file builds hundreds of thousands
of small objects (tokens, cells, figures) that all live until it returns. The
cycle collector runs every few hundred allocations and, each time the oldest
generation is due, walks every object alive: on a 100,000-line release that
is over a third of the time, and it grows with the input. The readers create
no garbage cycles worth collecting mid-read, so :func:`paused` holds the
collector off while one runs, and puts it back as it found it.

Several threads may read at once (Excel calls from more than one): the
collector stays off until the last of them leaves, and is turned back on
only if it was on when the first came in.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused"]

_lock = threading.Lock()
_readers = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """Hold the cycle collector off for the block (reference counting still frees memory)."""
    global _readers, _was_enabled
    with _lock:
        if _readers == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _readers += 1
    try:
        yield
    finally:
        with _lock:
            _readers -= 1
            if _readers == 0 and _was_enabled:
                gc.enable()
