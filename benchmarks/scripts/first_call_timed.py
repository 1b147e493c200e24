"""Row 4 inside one interpreter: after xlwings, seconds to import xl_reit.udfs, then a first call.

The fresh-interpreter row is the difference of two ~400 ms starts and moves
with the machine's load; these two figures, timed in the process, move less.
"""

import time

import xlwings  # noqa: F401

start = time.perf_counter()
from xl_reit.udfs import REIT_ALLOC  # noqa: E402

imported = time.perf_counter()
assert REIT_ALLOC("03748R-10-1", "2004-02-27", "qualified") == 0.013268
print(imported - start, time.perf_counter() - imported)
