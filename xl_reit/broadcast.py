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

from collections.abc import Callable, Iterable, Iterator
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
    cost the garbage collector more than the lookups themselves; rows with
    the same cells may be the same tuple).

    ``function`` is called once for each distinct combination of cells, so it
    must answer cells that are equal alike (``38044`` and ``38044.0``, as
    xlwings Lite and classic xlwings send the same date serial); a boolean is
    never taken for the number equal to it.
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

    if all(len(grid) in (1, rows) and len(grid[0]) in (1, columns) for grid in grids):
        result = _aligned(function, grids, rows, columns)
    else:  # a range smaller than the others: #N/A past its edge
        result = [
            tuple(
                _cell_at(function, names, grids, row_index, column_index)
                for column_index in range(columns)
            )
            for row_index in range(rows)
        ]
    return list(result[0]) if flat else result


def _aligned(
    function: Callable[..., Cell], grids: list[list[list[Any]]], rows: int, columns: int
) -> list[tuple[Cell, ...]]:
    """The fast path: every range spans the result or repeats across it.

    That is how sheets call: whole columns moving together (a CUSIP column
    and a date column), perhaps against a row (of components). Result cell
    (i, j) then depends only on row i's cells of the ranges that run down
    (its row key) and column j's cells of the ranges that run across (its
    column key). Each distinct row key is computed once per distinct column
    key (a column of 1,000,000 rows holds a few dozen payments), its row of
    results is built once, and the result is a list of references to those
    rows, assembled at C speed: nothing runs in Python per row. A block (a
    range as tall and as wide as the result) puts its whole row in the row
    key and the column's number in the column key.

    Where cells are unhashable, or a boolean would be confused with the
    number equal to it (``True == 1``), each cell is computed on its own.
    """
    fixed = [grid[0][0] for grid in grids]
    down = [index for index, grid in enumerate(grids) if len(grid) > 1]
    across = [index for index, grid in enumerate(grids) if len(grid) == 1 and len(grid[0]) > 1]
    blocks = {index for index in down if len(grids[index][0]) > 1}

    def row_keys() -> Iterator[tuple[Any, ...]]:
        if not down:
            return iter([()])
        return zip(
            *(
                map(tuple, grids[index]) if index in blocks else chain.from_iterable(grids[index])
                for index in down
            ),
            strict=True,
        )

    column_sources: list[Iterable[Any]] = [grids[index][0] for index in across]
    if blocks:
        column_sources.append(range(columns))
    column_keys = list(zip(*column_sources, strict=True)) or [()]

    def cell(row_key: tuple[Any, ...], column_key: tuple[Any, ...]) -> Cell:
        arguments = fixed.copy()
        column = column_key[-1] if blocks else 0
        for index, value in zip(down, row_key, strict=True):
            arguments[index] = value[column] if index in blocks else value
        for index, value in zip(across, column_key, strict=False):  # a block adds j
            arguments[index] = value
        return function(*arguments)

    def each_cell() -> list[tuple[Cell, ...]]:
        return [tuple(cell(row_key, key) for key in column_keys) for row_key in row_keys()]

    try:
        row_of: dict[tuple[Any, ...], Any] = dict.fromkeys(row_keys())
        distinct_columns = dict.fromkeys(column_keys)
    except TypeError:  # an unhashable cell, such as a nested list
        return each_cell()
    if (blocks or _may_hold_bool(row_of) or _may_hold_bool(distinct_columns)) and any(
        bool in set(map(type, chain.from_iterable(grids[index]))) for index in down + across
    ):
        return each_cell()
    for row_key in row_of:
        values = {key: cell(row_key, key) for key in distinct_columns}
        row_of[row_key] = tuple(map(values.__getitem__, column_keys))
    return list(map(row_of.__getitem__, row_keys()))


def _may_hold_bool(keys: Iterable[tuple[Any, ...]]) -> bool:
    """Whether a boolean cell may hide among ``keys``: a key cell hashing to 0 or 1.

    ``True``, ``1``, ``1.0`` and ``Decimal(1)`` are equal and hash alike (to 1,
    and ``False``, ``0`` … to 0), so a dict keeps one of them and answers the
    others with its value. Only cells hashing to 0 or 1 can merge with a
    boolean; for the few distinct keys of a column this check costs nothing,
    where scanning every cell's type would cost a pass over the column.
    """
    return any(hash(cell) in (0, 1) for key in keys for cell in key)


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
