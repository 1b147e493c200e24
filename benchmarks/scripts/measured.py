"""One xl-reit command line (its arguments), in this interpreter; prints its exit code and peak KiB.

Row 6 and row 9 run each command this way, so that its peak memory is its own.
"""

import sys

from xl_reit import cli

sys.stdout = open("/dev/null", "w")  # the command's own output, dropped
code = cli.main(sys.argv[1:])
sys.stdout = sys.__stdout__
# VmHWM: this process's own peak. (ru_maxrss would carry over the peak of the
# benchmark process that started it: Linux keeps it across exec.)
with open("/proc/self/status") as status:
    peak = next(line for line in status if line.startswith("VmHWM:"))
print(code, peak.split()[1])
