"""Made-up tables for the rows that need more classes than any release has (seeded)."""

from __future__ import annotations

import random


def synthetic_table(classes: int) -> str:
    """A table of ``classes`` made-up classes × 4 quarterly payments, as CSV text (seeded)."""
    from xl_reit import cusip

    generator = random.Random(2004)
    header = (
        "issuer,tax_year,class_name,cusip,symbol,record_date,payable_date,dividend_per_share,"
        "ordinary,qualified,capital_gain,unrecaptured_1250,return_of_capital,source,"
        "release_date,notes"
    )
    lines = [header]
    for number in range(classes):
        base = f"9{number:05d}10"
        code = base + cusip.calc_check_digit(base)
        dividend = f"0.{generator.randint(100000, 999999)}"
        qualified = generator.randint(0, 300000)
        capital = generator.randint(0, 400000)
        ordinary = 1_000_000 - qualified - capital
        split = f"{ordinary / 10000:.4f},{qualified / 10000:.4f},{capital / 10000:.4f},0,0"
        for quarter in range(4):
            month = 3 * quarter + 1
            lines.append(
                f"Synthetic REIT,2004,Class {number},{code},SYN{number},2004-{month:02d}-01,"
                f"2004-{month:02d}-15,{dividend},{split},benchmark,2005-01-28,"
            )
    return "\n".join(lines) + "\n"
