"""Excel's broadcasting of ranges, on a plain function of cells (no REIT, no xlwings)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from xl_reit.broadcast import broadcast


def joined(*cells: Any) -> str:
    return "".join(str(cell) for cell in cells)


def test_scalars_give_a_scalar_and_a_one_by_one_range_counts_as_a_scalar() -> None:
    assert broadcast(joined, ("a", "b"), "x", 1) == "x1"
    assert broadcast(joined, ("a", "b"), [["x"]], 1) == "x1"


def test_a_flat_list_gives_a_flat_list() -> None:
    assert broadcast(joined, ("a", "b"), ["x", "y"], 1) == ["x1", "y1"]


def test_a_column_against_a_row_gives_every_pair() -> None:
    column, row = [["a"], ["b"]], [[1, 2, 3]]
    assert broadcast(joined, ("a", "b"), column, row) == [("a1", "a2", "a3"), ("b1", "b2", "b3")]


def test_cells_past_a_smaller_ranges_edge_are_na_naming_the_argument() -> None:
    result = broadcast(joined, ("first", "second"), [["a"], ["b"], ["c"]], [["1"], ["2"]])
    assert result[:2] == [("a1",), ("b2",)]
    assert result[2] == ("#N/A second: range is smaller than the others",)


def test_a_ragged_or_empty_range_is_na_naming_the_argument() -> None:
    assert broadcast(joined, ("a", "b"), [[1, 2], [3]], "x").startswith("#N/A a: ragged range")
    assert broadcast(joined, ("a", "b"), "x", []) == "#N/A b: empty range"


def test_each_distinct_cell_of_one_moving_range_is_computed_once() -> None:
    calls: list[Any] = []

    def counted(*cells: Any) -> str:
        calls.append(cells)
        return joined(*cells)

    column = [["a"], ["b"], ["a"], ["a"]]
    assert broadcast(counted, ("a", "b"), column, 1) == [("a1",), ("b1",), ("a1",), ("a1",)]
    assert sorted(calls) == [("a", 1), ("b", 1)]


def test_a_boolean_is_never_taken_for_the_number_equal_to_it() -> None:
    assert broadcast(joined, ("a", "b"), [[True], [1], [False], [0]], "") == [
        ("True",),
        ("1",),
        ("False",),
        ("0",),
    ]


def counting(calls: list[tuple[Any, ...]]) -> Any:
    def counted(*cells: Any) -> str:
        calls.append(cells)
        return joined(*cells)

    return counted


def test_two_columns_moving_together_compute_each_distinct_pair_once() -> None:
    calls: list[tuple[Any, ...]] = []
    cusips = [["a"], ["b"], ["a"], ["a"], ["b"]]
    dates = [[1], [1], [2], [1], [1]]
    result = broadcast(counting(calls), ("a", "b", "c"), cusips, dates, "x")
    assert result == [("a1x",), ("b1x",), ("a2x",), ("a1x",), ("b1x",)]
    assert sorted(calls) == [("a", 1, "x"), ("a", 2, "x"), ("b", 1, "x")]


def test_two_columns_and_a_row_compute_each_distinct_combination_once() -> None:
    calls: list[tuple[Any, ...]] = []
    cusips = [["a"], ["b"], ["a"]]
    dates = [[1], [1], [1]]
    components = [["p", "q", "p"]]
    result = broadcast(counting(calls), ("a", "b", "c"), cusips, dates, components)
    assert result == [("a1p", "a1q", "a1p"), ("b1p", "b1q", "b1p"), ("a1p", "a1q", "a1p")]
    assert sorted(calls) == [("a", 1, "p"), ("a", 1, "q"), ("b", 1, "p"), ("b", 1, "q")]


def test_a_block_against_a_column_pairs_cell_by_cell() -> None:
    block = [["a", "b"], ["c", "d"]]
    assert broadcast(joined, ("a", "b"), block, [[1], [2]]) == [("a1", "b1"), ("c2", "d2")]
    assert broadcast(joined, ("a", "b"), block, [[1, 2]]) == [("a1", "b2"), ("c1", "d2")]


def test_booleans_in_moving_ranges_are_never_merged_with_numbers() -> None:
    result = broadcast(joined, ("a", "b"), [[1], [True], [0], [False]], [["x"], ["x"]] * 2)
    assert result == [("1x",), ("Truex",), ("0x",), ("Falsex",)]
    result = broadcast(joined, ("a", "b"), [[1], [2]], [[True, 1, False, 0]])
    assert result == [("1True", "11", "1False", "10"), ("2True", "21", "2False", "20")]


def test_an_unhashable_cell_among_moving_ranges_is_computed_on_its_own() -> None:
    result = broadcast(joined, ("a", "b"), [["a"], [["n"]]], [[1], [2]])
    assert result == [("a1",), ("['n']2",)]


# --- against a plain reading of Excel's rule ---------------------------------------------


def excel_reference(names: tuple[str, ...], *arguments: Any) -> Any:
    """Excel's broadcasting, written out plainly, one result cell at a time.

    Each argument is a scalar or a list of rows. The result is as tall and as wide as
    the largest argument; an argument one row tall (or one column wide) repeats down (or
    across); past the edge of any other argument the cell is #N/A naming the first such
    argument. Only scalars and 1x1 ranges give a scalar.
    """
    shapes = [
        (len(argument), len(argument[0])) if isinstance(argument, list) else (1, 1)
        for argument in arguments
    ]
    height = max(rows for rows, _ in shapes)
    width = max(columns for _, columns in shapes)

    def cell_of(argument: Any, row: int, column: int) -> Any:
        return argument[row][column] if isinstance(argument, list) else argument

    if (height, width) == (1, 1):
        return joined(*(cell_of(argument, 0, 0) for argument in arguments))
    result = []
    for i in range(height):
        row = []
        for j in range(width):
            cells, missing = [], None
            for name, argument, (rows, columns) in zip(names, arguments, shapes, strict=True):
                at_row = 0 if rows == 1 else i
                at_column = 0 if columns == 1 else j
                if at_row >= rows or at_column >= columns:
                    missing = missing or name
                else:
                    cells.append(cell_of(argument, at_row, at_column))
            row.append(
                f"#N/A {missing}: range is smaller than the others" if missing else joined(*cells)
            )
        result.append(tuple(row))
    return result


#: Cells that a dict would take for one another: True and 1, False and 0; and one
#: that cannot be a dict key at all.
CELLS = st.sampled_from(["a", "b", 2, 1, True, 0, False, None, ["n"]])


@st.composite
def arguments(draw: st.DrawFn) -> Any:
    """A scalar, or a range of 1 to 3 rows by 1 to 3 columns."""
    if draw(st.booleans()):
        return draw(CELLS)
    rows = draw(st.integers(1, 3))
    columns = draw(st.integers(1, 3))
    return [[draw(CELLS) for _ in range(columns)] for _ in range(rows)]


@settings(max_examples=400)
@given(st.lists(arguments(), min_size=1, max_size=4))
def test_broadcasting_agrees_with_excels_rule_written_out_plainly(cells: list[Any]) -> None:
    names = tuple(f"arg{index}" for index in range(len(cells)))
    assert broadcast(joined, names, *cells) == excel_reference(names, *cells)
