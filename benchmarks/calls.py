"""Rows 1 to 3: REIT_ALLOC called as Excel calls it, one cell and whole ranges, against a
dict lookup (the floor) and a pandas filter.
"""

from __future__ import annotations

import datetime as dt
import time

import xl_reit
from xl_reit.components import COMPONENTS

from .harness import Row, ns, once, per_call


def dict_floor(calls: int, repeats: int) -> float:
    """Seconds of the floor: a bare dict lookup of an answer by its arguments, per call."""
    floor_table = {("03748R101", dt.date(2004, 2, 27), "qualified"): 0.013268}
    floor_key = ("03748R101", dt.date(2004, 2, 27), "qualified")
    return per_call(lambda: floor_table[floor_key], calls, repeats)


def single_calls(quick: bool) -> list[Row]:
    """Rows 1 and 2: one REIT_ALLOC call with Excel-shaped arguments."""
    import pandas as pd

    from xl_reit.udfs import REIT_ALLOC

    calls, repeats = (2_000, 5) if quick else (100_000, 15)
    day = dt.datetime(2004, 2, 27)
    frame = pd.DataFrame(
        [
            (c.cusip, p.payable_date, p.record_date, p.fraction(COMPONENTS["qualified"]))
            for c in xl_reit.classes()
            for p in c.payments
        ],
        columns=["cusip", "payable", "record", "qualified"],
    )
    frame["payable"] = pd.to_datetime(frame["payable"])
    frame["record"] = pd.to_datetime(frame["record"])

    def with_pandas() -> float:
        # What a user would write instead: normalise, filter the table, read.
        cusip = "03748R-10-1".replace("-", "").upper()
        when = pd.Timestamp(day)
        mask = (frame["cusip"] == cusip) & ((frame["payable"] == when) | (frame["record"] == when))
        return float(frame.loc[mask, "qualified"].iloc[0])

    assert with_pandas() == REIT_ALLOC("03748R-10-1", day, "Box 1b")
    excel = per_call(lambda: REIT_ALLOC("03748R-10-1", day, "Box 1b"), calls, repeats)
    floor = dict_floor(calls, repeats)
    pandas_filter = per_call(with_pandas, max(calls // 100, 20), repeats)
    serial = per_call(lambda: REIT_ALLOC("03748R-10-1", 38044.0, "Box 1b"), calls, repeats)
    text = per_call(lambda: REIT_ALLOC("03748R-10-1", "2004-02-27", "Box 1b"), calls, repeats)

    # A memo miss: the REIT_* memo emptied before every call, so each call
    # resolves its arguments and looks the payment up (the security and
    # component caches of the core stay warm, as they do in a session).
    from xl_reit import udfs

    payments = [
        (f"{c.cusip[:6]}-{c.cusip[6:8]}-{c.cusip[8]}", dt.datetime(*p.payable_date.timetuple()[:3]))
        for c in xl_reit.classes()
        for p in c.payments
        if p.payable_date is not None
    ]
    misses = [
        (cusip, when, box)
        for cusip, when in payments
        for box in ("Box 1a", "Box 1b", "Box 2a", "Box 2b", "Box 3")
    ]
    start = time.perf_counter()
    for _ in range(max(calls // len(misses), 1)):
        for arguments in misses:
            udfs._memo.clear()
            REIT_ALLOC(*arguments)
    first_calls = (time.perf_counter() - start) / (max(calls // len(misses), 1) * len(misses))

    return [
        Row(
            "1",
            "REIT_ALLOC, datetime + hyphenated CUSIP + 'Box 1b' (median)",
            ns(excel),
            f"floor: dict lookup {ns(floor)}",
            f"{excel / floor:.1f}x floor",
            "<= 1 us; within 10x floor",
            excel <= 1e-6 and excel / floor <= 10,
        ),
        Row(
            "1",
            "the same, against a pandas mask filter per call",
            ns(excel),
            f"pandas filter {ns(pandas_filter)}",
            f"{pandas_filter / excel:,.0f}x faster",
            ">= 200x faster",
            pandas_filter / excel >= 200,
        ),
        Row(
            "1",
            "first call for each distinct set of arguments (memo miss)",
            ns(first_calls),
            f"pandas filter {ns(pandas_filter)}",
            f"{pandas_filter / first_calls:,.1f}x faster",
            "informational",
            None,
        ),
        Row(
            "2",
            "REIT_ALLOC with an Excel serial float date",
            ns(serial),
            f"row 1 {ns(excel)}",
            f"{serial / excel:.2f}x row 1",
            "<= 1.5x row 1",
            serial / excel <= 1.5,
        ),
        Row(
            "2",
            "REIT_ALLOC with a text date '2004-02-27'",
            ns(text),
            f"row 1 {ns(excel)}",
            f"{text / excel:.2f}x row 1",
            "<= 1.5x row 1",
            text / excel <= 1.5,
        ),
    ]


def column_call(quick: bool) -> list[Row]:
    """Row 3: one call over a 1,000,000-row column against a million scalar calls."""
    from xl_reit.udfs import REIT_ALLOC

    cells = 20_000 if quick else 1_000_000
    symbols = ["AIV", "03748R-30-9", "AIVPrG", "US03748R8613", "AIVPrQ", "AIVPrR", "AIVPrT"]
    column = [[symbols[index % len(symbols)]] for index in range(cells)]
    column_time = once(lambda: REIT_ALLOC(column, "annual", "2b"), 3 if quick else 5)

    def scalar_calls() -> None:
        for (security,) in column:
            REIT_ALLOC(security, "annual", "2b")

    scalar_time = once(scalar_calls, 3)
    per_million = column_time * 1_000_000 / cells
    return [
        Row(
            "3",
            f"REIT_ALLOC over one {cells:,}-row column",
            f"{per_million:.3f} s per million",
            f"{cells:,} scalar calls: {scalar_time * 1_000_000 / cells:.3f} s per million",
            f"{column_time / scalar_time:.1f}x the scalar calls",
            "<= 0.5 s per million cells",
            per_million <= 0.5,
        ),
        *moving_ranges(quick),
    ]


def payment_columns(rows: int) -> tuple[list[list[str]], list[list[dt.datetime]]]:
    """A sheet's CUSIP column and date column: every bundled 2004 payment, over and over.

    Tax year 2004 only: every one of its payments answers every box by date
    alone (no payment split between tax years, no symbol in two years' tables),
    so each cell is one lookup, as in the measurements before 2023's tables came.
    """
    payments = [
        (security.symbol, dt.datetime(day.year, day.month, day.day))
        for security in xl_reit.classes()
        if security.tax_year == 2004
        for payment in security.payments
        if (day := payment.payable_date) is not None
    ]
    chosen = [payments[index % len(payments)] for index in range(rows)]
    return [[cusip] for cusip, _ in chosen], [[day] for _, day in chosen]


def moving_ranges(quick: bool) -> list[Row]:
    """Row 3: two and three ranges moving together, per result cell against the dict floor.

    =REIT_ALLOC(B2:B1000001, C2:C1000001, "1a") (a CUSIP column and a date column),
    and the same against a row of the five boxes of the 2004 form (5,000,000 cells).
    """
    from xl_reit.udfs import REIT_ALLOC

    rows = 20_000 if quick else 1_000_000
    cusips, dates = payment_columns(rows)
    boxes = [["1a", "1b", "2a", "2b", "3"]]
    floor = dict_floor(*((2_000, 5) if quick else (100_000, 15)))
    shapes = [
        ("two", f"{rows:,} rows x 1 box", lambda: REIT_ALLOC(cusips, dates, "1a"), rows),
        ("three", f"{rows:,} rows x 5 boxes", lambda: REIT_ALLOC(cusips, dates, boxes), 5 * rows),
    ]
    found = []
    for count, size, call, cells in shapes:
        assert not any(isinstance(cell, str) for cell in call()[0])  # numbers, not #N/A
        per_cell = once(call, 3 if quick else 5) / cells
        found.append(
            Row(
                "3",
                f"REIT_ALLOC, {count} moving ranges (CUSIP and date columns"
                f"{', a row of boxes' if count == 'three' else ''}): {size}",
                f"{ns(per_cell)} per cell ({per_cell * 1e6:.2f} s per million)",
                f"floor: dict lookup {ns(floor)}",
                f"{per_cell / floor:.1f}x floor",
                "<= 12x floor per cell",
                per_cell / floor <= 12,
            )
        )
    return found
