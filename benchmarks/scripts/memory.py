"""Row 7: resident memory (KiB) with xlwings, then after xl_reit.udfs answers a first call.

Prints both, and how many table files the bundle of the xl_reit it used holds.
"""

import xlwings  # noqa: F401


def resident() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


before = resident()
from xl_reit.udfs import REIT_ALLOC  # noqa: E402

# An answer, not an error: Aimco's common has 2004 and 2013 tables, so "annual" names its year.
assert REIT_ALLOC("AIV", "annual", "1a", 2004.0) == 0.029856
after = resident()
from xl_reit.table import BUNDLED_FILES  # noqa: E402

print(before, after, len(BUNDLED_FILES))
