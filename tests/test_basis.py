"""A lot's cost basis after return of capital, carried over STAG's 2023 and 2024 releases.

Expected figures are worked by hand from the printed return of capital per
share, typed in below.
"""

from __future__ import annotations

from decimal import Decimal

from xl_reit.basis import carry
from xl_reit.holdings import Holdings, parse_rows


def _read(rows: list[list[object]]) -> Holdings:
    return parse_rows(list(enumerate(rows, 1)), "lots.csv", every_year=True)


def test_a_lots_basis_after_two_years_of_stags_return_of_capital() -> None:
    # STAG prints no return of capital for 2023; for 2024 $0.007544 a share on the payment of
    # record date 2023-12-29 (its 2024 part) and $0.008724 on each of the next eleven, the
    # last of record date 2024-11-29 (annual: $0.103508).
    holdings = _read(
        [
            ["Symbol", "Shares", "Acquired", "Sold", "Cost"],
            # held all of 2024: 100 × $0.103508 = $10.3508
            ["STAG", 100, "2022-12-01", "", "3000"],
            # sold 2024-06-15: six payments held, 100 × (0.007544 + 5 × 0.008724) = $5.1164
            ["STAG", 100, "2023-03-15", "2024-06-15", "3000"],
            # a basis of $5: $10.3508 of return of capital, $5.3508 of it capital gain
            ["STAG", 100, "2022-12-02", "", "5"],
        ]
    )
    whole, sold, small = (carry(lot, (2023, 2024)) for lot in holdings.lots)
    assert [(y.tax_year, y.return_of_capital, y.after) for y in whole] == [
        (2023, Decimal(0), Decimal(3000)),
        (2024, Decimal("10.3508"), Decimal("2989.6492")),
    ]
    assert sold[-1].return_of_capital == Decimal("5.1164")
    assert sold[-1].after == Decimal("2994.8836")
    assert (small[-1].after, small[-1].capital_gain) == (Decimal(0), Decimal("5.3508"))
