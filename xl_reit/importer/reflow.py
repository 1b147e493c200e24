"""Step 2b: a table printed one cell per line, read back into lines of rows or of columns.

A release copied from a web page or a PDF often comes one table cell per line:
a news-wire reprint puts a ``|`` line after each cell (a cell may then hold
several lines: "Record" and "Date"), a PDF's text a blank line between cells
and ``$`` in a cell of its own, a page's text nothing at all. A run of such
short lines, with figures among them, is put back into the layouts the later
steps read, its tokens keeping the lines they were printed on (the report's
evidence):

*rows*
    the header's cells and the rows of figures, as tab-separated lines of N
    cells, N being the period of the figures (each row's dates in the same
    places). A header of more cells than columns was printed over several
    lines, one after another: its lines are found again, and each cell put
    over the column its words, with the other lines', name (:func:`_stack`);
*a transposed table*
    rows of parts and columns of payments ("Record 3/10/23", "Pmt 3/31/23"),
    an annual column and a "% of Total" column: one line per part, laid out
    column by column ("Taxable Ordinary Dividends $1.79 … $7.43 (99.7%)");
*labels and figures*
    a label, then its figures, and no dates: one line per label, column by
    column (a release of the year's totals only).

What a run cannot be read as is left as it was printed, and the later steps
report it. Every run read is said in the report.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from .headers import header_kind
from .layouts import MAX_COLUMNS
from .lines import Line, Token, line_of, token_of
from .report import Findings, line_ranges

#: How many tokens a cell's line holds at most: more is a sentence, not a cell.
_CELL_TOKENS = 10
#: The fewest figures and dates a run holds to be a table's.
_MIN_VALUES = 2
#: Placings of one header line tried at most (the choices of columns it stands over).
_MAX_PLACINGS = 5000
#: Steps one header of several lines may take to be told (:class:`_Steps`), over all the
#: ways its lines may be cut: a release's header of two dozen cells over 11 columns takes
#: about 170,000; a header that would take more is not told (its words stay one line),
#: so a run of a thousand word cells costs what a release's header does, not what the
#: ways to cut it multiply to.
MAX_HEADER_STEPS = 1_000_000


@dataclass
class _Cell:
    """One cell of a table printed one per line: its tokens and the lines they are on."""

    tokens: list[Token] = field(default_factory=list)

    @property
    def values(self) -> list[Token]:
        return [t for t in self.tokens if t.is_value or t.family == "dash"]

    @property
    def family(self) -> str:
        """ "date" or "figure" for a cell of one value, "empty", or "words"."""
        if not self.tokens:
            return "empty"
        values = self.values
        if len(values) == 1 and len(self.tokens) == 1:
            return "date" if values[0].family == "date" else "figure"
        return "words"

    @property
    def line(self) -> int:
        return self.tokens[0].line

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


def reflow(lines: Sequence[Line], findings: Findings) -> list[Line]:
    """The release's lines, each run of one-cell lines read back into rows or columns."""
    result: list[Line] = []
    for run, is_cells in _runs(lines):
        read = _read_run(run, findings) if is_cells else None
        result += run if read is None else read
    return result


def _runs(lines: Sequence[Line]) -> Iterator[tuple[list[Line], bool]]:
    """The lines in runs: the runs of one-cell lines with figures (True), and the rest."""
    for is_cell, group in itertools.groupby(lines, key=_is_cell_line):
        run = list(group)
        yield run, is_cell and len(run) >= 4 and _has_values(run)


def _has_values(run: Sequence[Line]) -> bool:
    """Whether the lines print at least :data:`_MIN_VALUES` values between them."""
    return sum(bool(_values(line)) for line in run) >= _MIN_VALUES


def _values(line: Line) -> list[Token]:
    return [t for t in line.tokens if t.is_value or t.family == "dash"]


def _is_cell_line(line: Line) -> bool:
    """A line that may be one cell of a table: blank, "|", or a few tokens with one value."""
    if line.role == "blank" or line.text.strip() == "|":
        return True
    return (
        not line.tabbed
        and len(line.tokens) <= _CELL_TOKENS
        and len(_values(line)) <= 1
        and "|" not in line.text
    )


def _cells(run: Sequence[Line]) -> list[_Cell]:
    """The run's cells: between "|" lines when it has them, else one a line.

    A "$" printed in a cell of its own belongs to the figure after it.
    """
    cells: list[_Cell] = []
    piped = any(line.text.strip() == "|" for line in run)
    current = _Cell()
    for line in run:
        if line.text.strip() == "|":
            cells.append(current)
            current = _Cell()
        elif line.role != "blank":
            current.tokens += line.tokens
            if not piped:
                cells.append(current)
                current = _Cell()
    if current.tokens:
        cells.append(current)
    return _dollars_joined(cells)


def _dollars_joined(cells: list[_Cell]) -> list[_Cell]:
    """A lone "$" cell joined to the figure after it; "$ -" is a dash."""
    joined: list[_Cell] = []
    for cell in cells:
        if joined and _is_dollar(joined[-1]) and cell.family == "figure":
            figure = cell.tokens[0]
            if figure.family == "figure" and not figure.unit:
                joined[-1] = _Cell([token_of("$" + figure.text, figure.line)])
                continue
        if (
            len(cell.tokens) == 2
            and _is_dollar(_Cell(cell.tokens[:1]))
            and cell.tokens[1].family == "dash"
        ):
            cell = _Cell(cell.tokens[1:])
        joined.append(cell)
    return joined


def _is_dollar(cell: _Cell) -> bool:
    return len(cell.tokens) == 1 and cell.tokens[0].text == "$"


def _read_run(run: Sequence[Line], findings: Findings) -> list[Line] | None:
    """A run of one-cell lines, each class's part read back; None when no part is read.

    A class heading (a cell with a CUSIP) stands on its own line and starts a part.
    """
    read: list[Line] = []
    done = False
    for heading, cells in _classes(_cells(run)):
        read += [_own_line(heading)] if heading is not None else []
        lines = _read_cells(cells, run, findings) if cells else None
        done |= lines is not None
        read += lines if lines is not None else [_own_line(c) for c in cells if c.tokens]
    return read if done else None


def _classes(cells: Sequence[_Cell]) -> Iterator[tuple[_Cell | None, list[_Cell]]]:
    """The cells cut at each class heading (a cell that prints a CUSIP)."""
    heading: _Cell | None = None
    part: list[_Cell] = []
    for cell in cells:
        if any(t.words[:1] == ("cusip",) for t in cell.tokens):
            if part or heading is not None:
                yield heading, part
            heading, part = cell, []
        else:
            part.append(cell)
    yield heading, part


def _read_cells(cells: list[_Cell], run: Sequence[Line], findings: Findings) -> list[Line] | None:
    """One class's cells as rows, a transposed table or labelled figures; None if none."""
    prefixed = [c for c in cells if c.family == "words" and _prefixed_date(c)]
    if len(prefixed) >= 2:
        read = _transposed(cells, findings)
    elif not any(c.family == "date" for c in cells):
        read = _labelled(cells, findings)
    else:
        read = _rows(cells, findings)
    if read is None:
        return None
    numbers = sorted({t.line for c in cells for t in c.tokens})
    findings.add("reading", f"{read[1]} ({line_ranges(numbers)})")
    return read[0]


def _prefixed_date(cell: _Cell) -> bool:
    """ "Record 3/10/23": header words, then one date."""
    values = cell.values
    return len(values) == 1 and values[0].family == "date" and cell.tokens[-1] is values[0]


# --- a table of rows ------------------------------------------------------------------


def _rows(cells: list[_Cell], findings: Findings) -> tuple[list[Line], str] | None:
    """Cells of a header and of rows of figures, as tab-separated lines of N cells."""
    first = next(i for i, c in enumerate(cells) if c.family in ("date", "figure"))
    start = first
    while start > 0 and cells[start - 1].family == "words":
        start -= 1
    header, data = cells[start:first], cells[first:]
    last = max(i for i, c in enumerate(data) if c.family in ("date", "figure", "empty"))
    data, notes = data[: last + 1], data[last + 1 :]
    width = _period(data, len(header))
    if width is None:
        return None
    rest = len(data) % width
    totals, data = (data[len(data) - rest :], data[: len(data) - rest]) if rest else ([], data)
    families = ["date" if c.family == "date" else "figure" for c in data[:width]]
    lines = [_own_line(c) for c in cells[:start] if c.tokens]
    header_lines, how = _header_lines(header, families)
    lines += header_lines
    for at in range(0, len(data), width):
        row = data[at : at + width]
        if any(c.tokens for c in row):  # a row of empty cells prints nothing
            lines.append(line_of(_first_line(row), [c.tokens for c in row]))
    if any(c.tokens for c in totals):
        lines.append(_totals_line(totals, width))
    lines += [_own_line(c) for c in notes if c.tokens]
    return lines, f"a table printed one cell per line: {width} columns, {how}"


def _totals_line(totals: Sequence[_Cell], width: int) -> Line:
    """A last row of fewer cells: its label first, its figures under the last columns."""
    label = [c for c in totals if c.family == "words"]
    figures = [c for c in totals if c.family != "words"]
    cells = [[t for c in label for t in c.tokens]]
    cells += [[] for _ in range(width - len(figures) - 1)] + [c.tokens for c in figures]
    return line_of(_first_line(totals), cells)


def _first_line(cells: Sequence[_Cell]) -> int:
    return next(c.line for c in cells if c.tokens)


def _own_line(cell: _Cell) -> Line:
    return line_of(cell.line, [cell.tokens], tabbed=False)


def _period(data: Sequence[_Cell], header: int) -> int | None:
    """How many columns the rows have: their dates stand in the same places in every row.

    The header's count of cells is tried first, then the smallest that fits.
    A last row of figures only (no dates) is a totals line.
    """
    families = [c.family for c in data]
    widths: list[int] = list(
        dict.fromkeys([header, *range(2, min(MAX_COLUMNS, len(families)) + 1)])
    )
    for width in widths:
        if width < 2 or width > len(families):
            continue
        chunks = [families[at : at + width] for at in range(0, len(families), width)]
        dates = {i for i, f in enumerate(chunks[0]) if f == "date"}
        full = [c for c in chunks if len(c) == width]
        rest = chunks[-1] if len(chunks[-1]) != width else []
        if (
            dates
            and len(full) >= 2
            and all(_fits(chunk, dates) for chunk in full)
            and all(f in ("figure", "empty") for f in rest[1:])
            and (not rest or rest[0] in ("figure", "empty", "words"))
        ):
            return width
    return None


def _fits(chunk: Sequence[str], dates: set[int]) -> bool:
    """A row of the table: dates where the first row has them, figures (or nothing) elsewhere."""
    return all((f == "date") == (i in dates) or f == "empty" for i, f in enumerate(chunk))


def _header_lines(header: Sequence[_Cell], families: Sequence[str]) -> tuple[list[Line], str]:
    """The header's lines, each cell over its column, and how they were found."""
    width = len(families)
    if not header:
        return [], "no header"
    if len(header) == width:
        return [line_of(header[0].line, [c.tokens for c in header])], "one header cell each"
    try:
        stacked = _stack(header, families) if len(header) > width else None
        why = ""
    except _TooManyStepsError:
        stacked = None
        why = (
            f" (telling them over {width} columns takes more than {MAX_HEADER_STEPS:,} "
            "steps, the most one header is given)"
        )
    if stacked is None:
        words = [t for c in header for t in c.tokens]
        return [line_of(header[0].line, [words], tabbed=False)], (
            f"a header of {len(header)} cells whose columns cannot be told{why}"
        )
    lines = [line_of(row[0], [cell for cell in row[1]]) for row in stacked]
    return lines, f"a header of {len(header)} cells printed over {len(stacked)} lines"


# --- a header printed over several lines --------------------------------------------


def _stack(
    header: Sequence[_Cell], families: Sequence[str]
) -> list[tuple[int, list[list[Token]]]] | None:
    """A header of more cells than columns, as the lines it was printed on.

    One of its lines has a cell over every column (the *full* line); the
    cells after it are one line below it, those before one to three lines
    above it. Each other line's cells stand over columns in order, where its
    words with the full line's name the most columns, each a kind of its
    own that fits the column's figures. When two ways name the columns
    differently, the header cannot be told (``None``). Raises
    :class:`_TooManyStepsError` past :data:`MAX_HEADER_STEPS`.
    """
    width = len(families)
    steps = _Steps()
    best: tuple[tuple[int, int], list[list[list[Token]]]] | None = None
    tied = False
    # At most three lines above the full one and one below: the full line starts after
    # all but two lines' worth of cells, and within three lines' worth of the first.
    for at in range(max(0, len(header) - 2 * width), min(len(header) - width, 3 * width) + 1):
        below = header[at + width :]
        above = header[:at]
        fit = _fit(header[at : at + width], families)
        # The lines placed so far, from the full line up, by the sizes of those above it:
        # ways to cut the cells above that end alike share those lines' placings.
        placed: dict[tuple[int, ...], _Stacked | None] = {
            (): _full_and_below(header[at : at + width], below, families, steps)
        }
        for parts in _compositions(len(above), width):
            stacked = _arrange(above, parts, families, steps, placed)
            if stacked is None:
                continue
            steps.spend(width)
            score, lines = (_score(stacked.columns, families), fit), stacked.lines
            if best is None or score > best[0]:
                best, tied = (score, lines), False
            elif score == best[0]:
                steps.spend(2 * width)
                tied |= _kinds(lines, families) != _kinds(best[1], families)
    if best is None or tied:
        return None
    return [(_line_number(line), line) for line in best[1]]


@dataclass
class _Stacked:
    """Some of a header's lines, each cell placed: each column's cells top down, the lines."""

    columns: list[list[list[Token]]]
    lines: list[list[list[Token]]]


def _fit(full: Sequence[_Cell], families: Sequence[str]) -> int:
    """How many cells of a would-be full line, alone, suit the column under them.

    A date column's cell says "date" or names a date; a figure column's names a figure.
    """
    fit = 0
    for cell, family in zip(full, families, strict=True):
        words = {w for t in cell.tokens for w in t.words}
        kind = header_kind(cell.tokens, family)
        fit += bool(kind) or (family == "date" and "date" in words)
    return fit


def _line_number(line: Sequence[Sequence[Token]]) -> int:
    return next(cell[0].line for cell in line if cell)


def _compositions(total: int, most: int) -> Iterator[tuple[int, ...]]:
    """Ways to cut ``total`` cells into one to three lines of at most ``most`` each.

    One line, then two, then three, each count's cuts in order; only the ways
    that fit are made (none when ``total`` is over three lines' worth).
    """
    if total == 0:
        yield ()
        return
    for count in (1, 2, 3):
        yield from _cuts(total, most, count)


def _cuts(total: int, most: int, count: int) -> Iterator[tuple[int, ...]]:
    """``total`` as ``count`` sizes of 1 to ``most``, the first sizes smallest first."""
    if count == 1:
        if 1 <= total <= most:
            yield (total,)
        return
    for first in range(max(1, total - most * (count - 1)), min(most, total - count + 1) + 1):
        for rest in _cuts(total - first, most, count - 1):
            yield (first, *rest)


class _TooManyStepsError(Exception):
    """A header would take more than :data:`MAX_HEADER_STEPS` steps to tell."""


@dataclass
class _Steps:
    """The steps one header has taken, against :data:`MAX_HEADER_STEPS`.

    A step is a way to cut its lines tried, a placing of a line's cells over
    columns tried, or a column's words read for the kind they name.
    """

    taken: int = 0

    def spend(self, count: int) -> None:
        self.taken += count
        if self.taken > MAX_HEADER_STEPS:
            raise _TooManyStepsError


def _full_and_below(
    full: Sequence[_Cell], below: Sequence[_Cell], families: Sequence[str], steps: _Steps
) -> _Stacked | None:
    """The full line, and the line below it with each cell placed."""
    stacked = _Stacked([[c.tokens] for c in full], [[list(c.tokens) for c in full]])
    if below:
        placed = _place(below, stacked.columns, families, steps, top=False)
        if placed is None:
            return None
        stacked.lines.append(placed)
    return stacked


def _arrange(
    above: Sequence[_Cell],
    parts: Sequence[int],
    families: Sequence[str],
    steps: _Steps,
    placed: dict[tuple[int, ...], _Stacked | None],
) -> _Stacked | None:
    """The header's lines with each cell above the full line cut into ``parts`` and placed.

    The nearest line to the full one is placed first; ``placed`` keeps what
    each bottom part of the cuts made (keyed by its sizes, bottom up).
    """
    steps.spend(1)
    end = len(above)
    sizes: tuple[int, ...] = ()
    for size in reversed(parts):
        key = (*sizes, size)
        if key not in placed:
            under = placed[sizes]
            line = above[end - size : end]
            placed[key] = None if under is None else _placed_over(line, under, families, steps)
        sizes, end = key, end - size
    return placed[sizes]


def _placed_over(
    line: Sequence[_Cell], under: _Stacked, families: Sequence[str], steps: _Steps
) -> _Stacked | None:
    """The lines ``under``, and over them ``line`` with each cell placed."""
    columns = [list(cells) for cells in under.columns]
    placed = _place(line, columns, families, steps, top=True)
    return None if placed is None else _Stacked(columns, [placed, *under.lines])


def _place(
    line: Sequence[_Cell],
    columns: list[list[list[Token]]],
    families: Sequence[str],
    steps: _Steps,
    top: bool,
) -> list[list[Token]] | None:
    """Stand one line's cells over the columns, in order, where they name the most columns.

    What a column names with one cell added depends on that cell and column
    only, so it is found once for each pair; each placing then only adds up.
    """
    width = len(columns)
    count = math.comb(width, len(line))
    if count > _MAX_PLACINGS:
        return None
    slack = width - len(line)
    steps.spend(count + width + len(line) * (slack + 1))
    kinds = [_kind(cells, family) for cells, family in zip(columns, families, strict=True)]
    with_cell = [
        {
            index: _kind(_added(columns[index], cell.tokens, top), families[index])
            for index in range(at, at + slack + 1)
        }
        for at, cell in enumerate(line)
    ]
    best: tuple[int, tuple[int, ...]] | None = None
    for chosen in itertools.combinations(range(width), len(line)):
        trial = list(kinds)
        for at, index in enumerate(chosen):
            trial[index] = with_cell[at][index]
        score = _named(trial)
        if best is None or score > best[0]:
            best = (score, chosen)
    assert best is not None
    placed: list[list[Token]] = [[] for _ in range(width)]
    for cell, index in zip(line, best[1], strict=True):
        placed[index] = list(cell.tokens)
        columns[index] = _added(columns[index], cell.tokens, top)
    return placed


def _added(cells: list[list[Token]], tokens: list[Token], top: bool) -> list[list[Token]]:
    """A column's cells, top down, with one more cell over (``top``) or under them."""
    return [tokens, *cells] if top else [*cells, tokens]


def _kind(cells: Sequence[Sequence[Token]], family: str) -> str | None:
    """The kind a column's header cells name together, top down."""
    return header_kind([t for cell in cells for t in cell], family)


def _score(columns: Sequence[Sequence[Sequence[Token]]], families: Sequence[str]) -> int:
    """How well a header names its columns: a kind each that fits its figures, none twice."""
    return _named([_kind(cells, family) for cells, family in zip(columns, families, strict=True)])


def _named(kinds: Sequence[str | None]) -> int:
    named = [k for k in kinds if k]
    return 2 * len(named) - 3 * (len(named) - len(set(named)))


def _kinds(lines: Sequence[Sequence[Sequence[Token]]], families: Sequence[str]) -> list[str | None]:
    columns = zip(*lines, strict=True)
    return [_kind(cells, family) for cells, family in zip(columns, families, strict=True)]


# --- a transposed table, and labelled figures ---------------------------------------


@dataclass
class _Part:
    """One row of a transposed table: its label, its figures, and the notes after them."""

    label: _Cell
    values: list[Token] = field(default_factory=list)
    notes: list[_Cell] = field(default_factory=list)


def _parts(cells: Sequence[_Cell]) -> tuple[list[_Cell], list[_Part]]:
    """The cells before the first label, and each label with the figures after it.

    A label is a cell of words followed by a figure; words that no figure
    follows ("(included in …)") are notes of the part before them.
    """
    before: list[_Cell] = []
    parts: list[_Part] = []
    for index, cell in enumerate(cells):
        following = cells[index + 1] if index + 1 < len(cells) else None
        if cell.family == "words" and following is not None and following.family == "figure":
            parts.append(_Part(cell))
        elif cell.family == "figure" and parts:
            parts[-1].values += cell.values
        elif parts:
            parts[-1].notes.append(cell)
        else:
            before.append(cell)
    return before, parts


def _transposed(cells: Sequence[_Cell], findings: Findings) -> tuple[list[Line], str] | None:
    """Rows of parts under columns of payments, as one column-by-column line a part.

    The payments' dates are printed after a word that names them ("Record
    3/10/23", "Pmt 3/31/23"); an annual column (a header cell "Annual" or
    "Totals") prints one figure more, and a "% of Total" column a percentage
    beside it: that figure is the annual line's, with its percentage.
    """
    before, parts = _parts(cells)
    groups: dict[tuple[str, ...], list[_Cell]] = {}
    for cell in before:
        if cell.family == "words" and _prefixed_date(cell):
            groups.setdefault(tuple(t.text.lower() for t in cell.tokens[:-1]), []).append(cell)
    counts = {len(group) for group in groups.values()}
    if len(counts) != 1 or not parts:
        return None
    payments = counts.pop()
    label = next((t for c in before for t in c.tokens if t.family == "label"), None)
    lines = [_own_line(c) for c in before if c.family == "words" and ":" in c.text]
    for group in groups.values():
        tokens = [*group[0].tokens[:-1], *(c.tokens[-1] for c in group)]
        lines.append(line_of(group[0].line, [tokens + ([label] if label else [])], tabbed=False))
    for part in parts:
        values = _with_share(part.values, payments, label is not None)
        if values is None:
            return None
        lines.append(_column_line(part.label, values))
    notes = [c.text for p in parts for c in p.notes]
    dropped = [c.text for c in before if not _prefixed_date(c) and ":" not in c.text]
    how = f"a transposed table: {len(parts)} parts by {payments} payments"
    if label is not None:
        how += ", and the year's totals"
    if notes or dropped:
        findings.add(
            "reading",
            "words of the transposed table not needed to read it: "
            + ", ".join(repr(text) for text in [*dropped, *notes][:6]),
            sorted({c.line for p in parts for c in p.notes} | {c.line for c in before})[:40],
        )
    return lines, how


def _column_line(label: _Cell, values: Sequence[Token]) -> Line:
    """A label and its figures as a line laid out column by column ("Total Distribution $1.80 …").

    A word of the label that reads as an annual label ("Total") is a word here.
    """
    words = [replace(t, family="word") if t.family == "label" else t for t in label.tokens]
    return line_of(label.line, [[*words, *values]], tabbed=False, role="columns")


def _with_share(values: Sequence[Token], payments: int, annual: bool) -> list[Token] | None:
    """A part's figures: one a payment, then the annual one with its "% of Total" beside it."""
    values = list(values)
    if annual and len(values) == payments + 2 and values[-1].unit == "%" and values[-2].unit == "$":
        share, total = values.pop(), values.pop()
        merged = f"{total.text}({share.text.rstrip('%')}%)"
        values.append(token_of(merged, total.line))
    return values if len(values) == payments + (1 if annual else 0) else None


def _labelled(cells: Sequence[_Cell], findings: Findings) -> tuple[list[Line], str] | None:
    """Labels and their figures without dates: one column-by-column line a label."""
    before, parts = _parts(cells)
    if len(parts) < 2:
        return None
    lines = [_own_line(c) for c in before if c.tokens]
    lines += [_column_line(part.label, part.values) for part in parts]
    lines += [_own_line(c) for p in parts for c in p.notes]
    counts = sorted({len(p.values) for p in parts})
    return lines, f"labels each with {' or '.join(map(str, counts))} figure(s), no dates"
