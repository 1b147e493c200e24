"""Row 6's baseline: what a user would write to total a holdings file's 1099-DIV boxes.

Per-share box amounts for each class first, then one pass over the file (its
path the only argument): find the class (once per spelling), multiply, add.
"""

import csv
import sys
from decimal import Decimal

import xl_reit
from xl_reit.components import boxes_for_year

per_share = {}
for security in xl_reit.classes():
    boxes = boxes_for_year(security.tax_year)
    per_share[security.cusip] = {
        box: sum(p.dollars(name) for p in security.payments)
        for box, name in boxes.items()
        if all(p.dollars(name) is not None for p in security.payments)
    }
spellings = {}
totals = {}
with open(sys.argv[1], newline="") as stream:
    reader = csv.reader(stream)
    next(reader)
    for _account, security, shares in reader:
        cusip = spellings.get(security)
        if cusip is None:
            cusip = spellings[security] = xl_reit.find_class(security).cusip
        count = Decimal(shares)
        for box, amount in per_share[cusip].items():
            totals[box] = totals.get(box, 0) + amount * count
print(totals)
