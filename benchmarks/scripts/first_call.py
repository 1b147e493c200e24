"""Row 4: a fresh interpreter imports xl_reit.udfs (xlwings with it) and answers a first call."""

from xl_reit.udfs import REIT_ALLOC

assert REIT_ALLOC("03748R-10-1", "2004-02-27", "qualified") == 0.013268
