"""Excel's broadcasting of cell arguments: one function applied cell by cell over ranges.

An argument of a worksheet function may be one cell or a range; xlwings
passes a range as a list of rows (each argument asks for ``ndim=2``) and a
one-row or one-column range as a flat list where it does not. Excel pairs the
cells of ranges by position, repeats a single row or column across the other
dimension, and gives ``#N/A`` past the edge of a smaller range; the result
has the ranges' shape.

:func:`broadcast` does that for any function of cells. It knows nothing of
REITs and imports nothing heavy, so the classic Windows add-in and xlwings
Lite share it, and it can be tested without Excel.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from typing import Any

__all__ = ["ERROR_PREFIX", "broadcast"]

#: Text a cell shows for a problem the user can fix: ``#N/A`` and the reason.
ERROR_PREFIX = "#N/A "

Cell = Any


_RANGE_TYPES = {list, tuple}


def _is_range(value: Any) -> bool:
    return isinstance(value, (list, tuple))


def _as_grid(value: Any) -> list[list[Any]] | str:
    """A range as a list of rows (a flat list is one row); error text when malformed."""
    if not value:
        return "empty range"
    if _is_range(value[0]):
        row_types = set(map(type, value))  # C speed: a column can have a million rows
        if not (row_types <= _RANGE_TYPES or all(map(_is_range, value))):
            return "ragged range (rows of different lengths)"
        if len(widths := set(map(len, value))) != 1 or 0 in widths:
            return "ragged range (rows of different lengths)"
        return value  # type: ignore[no-any-return]
    for item in value:
        if _is_range(item):
            return "ragged range (rows of different lengths)"
    return [value]


def broadcast(function: Callable[..., Cell], names: tuple[str, ...], *arguments: Any) -> Any:
    """Apply ``function`` cell by cell over ranges, the way Excel broadcasts arrays.

    A scalar (or 1×1 range) goes with every cell; a single row or column
    repeats across the other dimension; cells beyond a smaller range's edge
    get ``#N/A``. Scalars (and 1×1 ranges) give a scalar, flat lists a flat list,
    and ranges a list of row tuples (tuples, because a million one-cell lists
    cost the garbage collector more than the lookups themselves).
    """
    if not any(_is_range(argument) for argument in arguments):
        return function(*arguments)
    grids: list[list[list[Any]]] = []
    for name, argument in zip(names, arguments, strict=True):
        grid = _as_grid(argument) if _is_range(argument) else [[argument]]
        if isinstance(grid, str):
            return f"{ERROR_PREFIX}{name}: {grid}"
        grids.append(grid)
    rows = max(len(grid) for grid in grids)
    columns = max(len(grid[0]) for grid in grids)
    flat = all(not _is_range(a) or not _is_range(a[0]) for a in arguments)
    if rows == 1 and columns == 1:
        return function(*(grid[0][0] for grid in grids))

    singles = [index for index, grid in enumerate(grids) if len(grid) == 1 and len(grid[0]) == 1]
    if len(singles) == len(grids) - 1:
        (moving,) = (index for index in range(len(grids)) if index not in singles)
        result = _over_one_range(function, grids, moving)
    else:
        result = [
            tuple(
                _cell_at(function, names, grids, row_index, column_index)
                for column_index in range(columns)
            )
            for row_index in range(rows)
        ]
    return list(result[0]) if flat else result


def _over_one_range(
    function: Callable[..., Cell], grids: list[list[list[Any]]], moving: int
) -> list[tuple[Cell, ...]]:
    """The fast path: one range against scalars, as when a sheet passes a whole column.

    The other arguments are fixed, so each distinct cell value is looked up
    once per call (a column of 1,000,000 rows holds a handful of CUSIPs or
    dates), and the result is assembled at C speed. Where cells are
    unhashable, or a boolean would be confused with the number equal to it,
    each cell is looked up on its own instead.
    """
    fixed = [grid[0][0] for grid in grids]
    grid = grids[moving]

    def one(cell: Any) -> Cell:
        fixed[moving] = cell
        return function(*fixed)

    if bool in set(map(type, chain.from_iterable(grid))):
        return [tuple(one(cell) for cell in row) for row in grid]
    try:
        distinct: dict[Any, Any] = dict.fromkeys(chain.from_iterable(grid))
    except TypeError:  # an unhashable cell, such as a nested list
        return [tuple(one(cell) for cell in row) for row in grid]
    for key in distinct:
        distinct[key] = one(key)
    value_of = distinct.__getitem__
    return [tuple(map(value_of, row)) for row in grid]


def _cell_at(
    function: Callable[..., Cell],
    names: tuple[str, ...],
    grids: list[list[list[Any]]],
    row_index: int,
    column_index: int,
) -> Cell:
    """One result cell: each argument's cell at that place, or ``#N/A`` past a range's edge."""
    cell_arguments = []
    for name, grid in zip(names, grids, strict=True):
        height, width = len(grid), len(grid[0])
        row = 0 if height == 1 else row_index
        column = 0 if width == 1 else column_index
        if row >= height or column >= width:
            return f"{ERROR_PREFIX}{name}: range is smaller than the others"
        cell_arguments.append(grid[row][column])
    return function(*cell_arguments)
