"""Excel's broadcasting of ranges, on a plain function of cells (no REIT, no xlwings)."""

from __future__ import annotations

from typing import Any

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
