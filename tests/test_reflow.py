"""Tables printed one cell per line, read back into rows (xl_reit.importer.reflow), when hostile.

A header printed over several lines is told by trying the ways its cells may
be cut into lines and stood over the columns: the ways multiply with its
cells, so one header is given a number of steps (``MAX_HEADER_STEPS``), and a
header that would take more stays one line of words, the report saying which
limit was reached. The figures' rows are read either way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from xl_reit.importer import parse_release, reflow

TODAY = Path(__file__).parent / "releases" / "today"
PREAMBLE = (
    "Example Realty Trust Reports Tax Treatment of 2021 Dividends\n"
    "NEW YORK, Jan. 20, 2022 -- Example Realty Trust (NYSE: EXR) set out its 2021 dividends' "
    "tax treatment.\n"
    "Common Stock (CUSIP 03748R101)\n|\n"
)


def piped(cells: list[str]) -> str:
    """Cells one a line, a "|" line after each, as a news-wire reprint prints a table."""
    return "".join(f"{cell}\n|\n" for cell in cells)


def rows_of(width: int, count: int) -> list[str]:
    """``count`` rows of a record date and ``width - 1`` figures each."""
    return [
        cell
        for row in range(count)
        for cell in [f"{row + 1}/15/2020", *(f"0.{row}{column}" for column in range(width - 1))]
    ]


def header_readings(text: str) -> list[str]:
    result = parse_release(text, source_name="cells.txt")
    return [f.message for f in result.report.of_kind("reading") if "header of" in f.message]


@pytest.mark.usefixtures("hang_guard")
def test_a_header_whose_cuts_multiply_past_the_limit_stays_words_saying_which_limit() -> None:
    # 60 word cells over 20 columns: ten thousand ways to cut the cells above a full line
    # in each of 21 places, each way placing hundreds of choices of columns (before the
    # limit, an hour and more; now about a second)
    text = piped([f"Heading{number}" for number in range(60)] + rows_of(20, 3))
    (reading,) = header_readings(text)
    assert reading.startswith(
        "a table printed one cell per line: 20 columns, a header of 60 cells whose columns "
        "cannot be told (telling them over 20 columns takes more than 1,000,000 steps, the "
        "most one header is given)"
    )


@pytest.mark.usefixtures("hang_guard")
def test_more_word_cells_than_five_lines_hold_are_no_header_and_try_no_placing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 60,000 cells of words before a table of 4 columns: a header of at most 3 lines
    # above its full line and one below holds 20 (before: 1.8 billion ways to cut them)
    placings: list[int] = []
    place = reflow._place

    def counted(*args: object, **kwargs: object) -> object:
        placings.append(1)
        return place(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reflow, "_place", counted)
    (reading,) = header_readings(piped(["y"] * 60_000 + rows_of(4, 3)))
    assert "a header of 60000 cells whose columns cannot be told (lines" in reading
    assert placings == []


def test_a_release_header_over_three_lines_is_told_within_the_limit_and_not_past_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Medical Properties Trust's 2022 release prints its header of 24 cells over 3 lines
    # above 11 columns (Declared, Record, Paid … Section 897 Capital Gain)
    text = (TODAY / "mpt-2022.txt").read_text(encoding="utf-8")
    told = "a table printed one cell per line: 11 columns, a header of 24 cells printed over 3"
    assert any(reading.startswith(told) for reading in header_readings(text))
    monkeypatch.setattr(reflow, "MAX_HEADER_STEPS", 10_000)
    refused = (
        "a table printed one cell per line: 11 columns, a header of 24 cells whose columns "
        "cannot be told (telling them over 11 columns takes more than 10,000 steps"
    )
    assert any(reading.startswith(refused) for reading in header_readings(text))


def test_a_row_of_empty_cells_prints_nothing_and_the_rows_around_it_are_read() -> None:
    # before: a StopIteration out of the importer
    cells = [
        "Record Date", "Payable Date", "Dividend per Share", "Ordinary Dividends",
        "Return of Capital",
        "03/31/2021", "04/15/2021", "$0.50", "$0.40", "$0.10",
        "", "", "", "", "",
        "06/30/2021", "07/15/2021", "$0.50", "$0.30", "$0.20",
    ]  # fmt: skip
    result = parse_release(PREAMBLE + piped(cells), source_name="cells.txt")
    assert [
        (row["payable_date"], row["total_ordinary"], row["return_of_capital"])
        for row in result.rows
    ] == [("2021-04-15", "$0.40", "$0.10"), ("2021-07-15", "$0.30", "$0.20")]
