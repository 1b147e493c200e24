"""Reading a large file without Python's cycle collector walking what it builds.

A reader of a release, a table or a holdings file builds hundreds of thousands
of small objects (tokens, cells, figures) that all live until it returns. The
cycle collector runs every few hundred allocations and, each time the oldest
generation is due, walks every object alive: on a 100,000-line release that
is over a third of the time, and it grows with the input. The readers create
no garbage cycles worth collecting mid-read, so :func:`paused` holds the
collector off while one runs, and puts it back as it found it.

What a reader built and returns lives on (a loaded table for the whole
session), so when the last reader leaves it goes straight to the oldest
generation: otherwise the first young collection after the pause walks
every object made during it (half a second after a 100,000-line table).
The oldest generation's own collections still walk it, so a cycle made in
the pause is collected there. A program that froze objects itself
(``gc.freeze()``, before forking) keeps them frozen: then nothing moves.

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
            if _readers == 0:
                _to_oldest_generation()
                if _was_enabled:
                    gc.enable()


def _to_oldest_generation() -> None:
    """Move every object the collector tracks to its oldest generation (unless some are
    frozen: unfreezing would thaw them too)."""
    if gc.get_freeze_count() == 0:
        gc.freeze()  # every generation into the permanent one, as one list
        gc.unfreeze()  # and that list into the oldest generation
