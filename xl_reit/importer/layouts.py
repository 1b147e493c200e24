"""Step 6: one table read in its layout, row by row or column by column.

Every layout releases use is registered in :data:`LAYOUTS` under the role
:mod:`.lines` gives its figure lines, with a reader that turns the table's text
into a :class:`~.model.TableRead` and names its columns (step 5);
:func:`read_table` looks the table's layout up by its lines' roles.

A table printed row by row takes its columns from its most common row shape and
places each figure under a column by tab cell or character span; several rows
printed on one line are split where each row starts. A table laid out column by
column ("Record Date 03/01/04 06/01/04 …") keeps each column's figures until
:mod:`.fitting` turns them into rows. A table that lost its header is read in the
columns of the release's tables like it (:class:`Templates`), and a line that
also lost its first columns is read run of figures by run. In every layout, a
figure with one decimal more than every other of its column may end in a
footnote mark the OCR read as a digit: it is read without it, as a gap. A
table of more than :data:`MAX_COLUMNS` columns is no release's table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, TypeVar

from ..errors import shown
from .headers import name_columns
from .lines import (
    FIGURE_ROLES,
    Line,
    Token,
    column_parts,
    footnote_digits,
    line_numbers,
    tab_cells,
)
from .model import DATE_KINDS, Cell, Column, Layout, Reader, Row, TableRead, column_label, put
from .report import MAX_EVIDENCE, Findings, clip, some
from .sections import Section, TableText

#: Every layout the importer reads, by name: the role of the lines it reads.
LAYOUTS: dict[str, Layout] = {}

#: More columns than any release prints (four dates, the dividend, eight parts and
#: a few the table has no part for): a line of hundreds of figures is no row of
#: a table, and reading it as one would take time in the square of its length.
MAX_COLUMNS = 50

_T = TypeVar("_T")


def _layout(
    name: str, how: str, *, by_column: bool = False, headed_lines: bool = False
) -> Callable[[Reader], Reader]:
    """Register the reader below as the layout ``name`` (see :class:`~.model.Layout`)."""

    def register(reader: Reader) -> Reader:
        LAYOUTS[name] = Layout(name, how, reader, by_column, headed_lines)
        return reader

    return register


def _split_rows(line: Line, findings: Findings, section: Section) -> list[list[Token]]:
    """A figure line's rows: a new row starts at an annual label or at a date after figures.

    A date starts a row only in a table whose rows start with their dates: a
    line that starts with a figure ("$0.2900 11/11/2021 …", an amount before
    the dates) is one row.
    """
    rows: list[list[Token]] = [[]]
    has_figure = False  # whether the row so far has a figure
    first = next((t for t in line.tokens if t.is_value), None)
    dated = first is not None and first.family == "date"
    for token in line.tokens:
        family = token.family
        if family == "word":
            continue  # a row label such as "Q1"
        starts_row = family == "label" or (family == "date" and has_figure and dated)
        if starts_row and rows[-1]:
            rows.append([])
            has_figure = False
        rows[-1].append(token)
        has_figure |= family == "figure"
    rows = [row for row in rows if any(t.is_value for t in row)]
    if len(rows) > 1:
        findings.add(
            "reading",
            f"{len(rows)} rows printed on one line; split where each row starts",
            (line.number,),
            section.class_name,
        )
    return rows


def _is_annual(row: Sequence[Token]) -> bool:
    return any(t.family == "label" for t in row)


def _signature(row: Sequence[Token]) -> tuple[str, ...]:
    """The families of a row's values, in order: its shape ("date", "date", "figure" …)."""
    return tuple([family for t in row if (family := t.family) in ("date", "figure")])


def _place(
    row: Sequence[Token],
    columns: Sequence[Column],
    line: Line,
    findings: Findings,
    section: Section,
) -> dict[int, Token]:
    """Which column each value of a row falls under; a value under none is a problem."""
    values = [t for t in row if t.is_value]
    if _signature(values) == tuple(c.family for c in columns):
        return dict(enumerate(values))
    figures = [i for i, c in enumerate(columns) if c.family == "figure"]
    if (
        _is_annual(row)
        and all(t.family == "figure" for t in values)
        and len(values) == len(figures)
    ):
        return dict(zip(figures, values, strict=True))
    placed: dict[int, Token] = {}
    unplaced: list[Token] = []
    for token in values:
        index = next(
            (
                i
                for i, c in enumerate(columns)
                if c.family == ("date" if token.family == "date" else "figure")
                and (
                    c.slot == token.cell
                    if line.tabbed
                    else c.span is not None and token.start < c.span[1] and token.end > c.span[0]
                )
            ),
            None,
        )
        if index is None or index in placed:
            unplaced.append(token)
        else:
            placed[index] = token
    if unplaced:
        findings.add(
            "problem",
            f"cannot tell which column {shown(' '.join(t.text for t in unplaced), 100)} belongs to",
            (line.number,),
            section.class_name,
        )
    return placed


@_layout("rows", "row by row")
def _read_row_table(
    text: TableText, template: Sequence[str] | None, findings: Findings
) -> TableRead | None:
    """A table printed row by row (tab-separated or aligned with spaces)."""
    section = text.section
    raw = [(line, row) for line in text.body for row in _split_rows(line, findings, section)]
    raw = _unlabelled_totals(raw, findings, section)
    payments = [(line, row) for line, row in raw if not _is_annual(row)]
    if not payments:
        findings.add("problem", "a table without payment rows", text.numbers, section.class_name)
        return None
    columns = _row_columns(payments)
    if _too_many(columns, text, findings):
        return None
    if template is None:
        if not name_columns(columns, text.header, findings, section, LAYOUTS["rows"].how):
            return None
    elif len(template) != len(columns):
        findings.add(
            "problem",
            f"a table without a header whose rows have {len(columns)} columns, not the "
            f"{len(template)} of the release's other tables",
            text.numbers,
            section.class_name,
        )
        return None
    else:
        for column, kind in zip(columns, template, strict=True):
            column.kind = kind
    read = TableRead(text, LAYOUTS["rows"], columns, headed=bool(text.header))
    placed = _place_rows(raw, columns, findings, section)
    marks = _footnote_digits(columns, section, findings)
    for line, annual, cells in placed:
        target = Row(lines={line.number})
        for index, token in cells.items():
            target.placed[index] = marks.get(token, token) if marks else token
            put(target, columns[index].kind, target.placed[index])
        if annual:
            read.annual = target
        else:
            read.rows.append(target)
    read.has_annual = len(payments) < len(raw)  # the rows not payments are annual
    return read


def _unlabelled_totals(
    raw: list[tuple[Line, list[Token]]], findings: Findings, section: Section
) -> list[tuple[Line, list[Token]]]:
    """A last row of figures only, after dated payments: the totals line, though unlabelled.

    It is read as the annual line, which the table checks against the payments.
    """
    if len(raw) < 3:
        return raw
    line, last = raw[-1]
    dated = sum(any(t.family == "date" for t in row) for _, row in raw[:-1])
    if dated < 2 or not last or any(t.family != "figure" for t in last):
        return raw
    label = Token("(totals)", "label", line.number, -1, 0, 0, words=("total",))
    findings.add(
        "reading",
        "a last row of figures without dates or a label: the totals line (checked against the "
        "payments)",
        (line.number,),
        section.class_name,
    )
    return [*raw[:-1], (line, [label, *last])]


def _place_rows(
    raw: Sequence[tuple[Line, Sequence[Token]]],
    columns: Sequence[Column],
    findings: Findings,
    section: Section,
) -> list[tuple[Line, bool, dict[int, Token]]]:
    """Each row's values by column, and whether it is the annual line; each column's figures.

    A second annual line is a problem, and left out.
    """
    placed: list[tuple[Line, bool, dict[int, Token]]] = []
    has_annual = False
    for line, row in raw:
        cells = _place(row, columns, line, findings, section)
        annual = _is_annual(row)
        if annual and has_annual:
            findings.add("problem", "a second annual line", (line.number,), section.class_name)
            continue
        has_annual |= annual
        placed.append((line, annual, cells))
        for index, token in cells.items():
            (columns[index].annual if annual else columns[index].values).append(token)
    return placed


def _footnote_digits(
    columns: Sequence[Column], section: Section, findings: Findings
) -> dict[Token, Token]:
    """Each figure that may end in a footnote mark by its column's precision, read without it.

    The reading is inferred (:func:`~.lines.footnote_digits`): a gap, in the
    notes of the figure's row. The columns keep the figures as read; the
    figures are returned (as printed → as read) for the rows built from them.
    """
    marks: dict[Token, Token] = {}
    for column in columns:
        if column.family != "figure":
            continue
        marked = footnote_digits([*column.values, *column.annual])
        for printed, read in marked.items():
            text = (
                f"{shown(printed.text)} read as {clip(read.text, 60)} and a footnote mark "
                f"{printed.text.rstrip('%')[-1]}: every other figure of the "
                f"{column_label(column.kind)} column prints one decimal fewer (inferred)"
            )
            marks[printed] = replace(read, inferred=text)
            findings.add("gap", text, (printed.line,), section.class_name)
        if marked:
            column.values = [marks.get(t, t) for t in column.values]
            column.annual = [marks.get(t, t) for t in column.annual]
    return marks


def _too_many(columns: Sequence[Column], text: TableText, findings: Findings) -> bool:
    """Whether a table has more columns than any release prints (a problem)."""
    if len(columns) <= MAX_COLUMNS:
        return False
    findings.add(
        "problem",
        f"a table of {len(columns):,} columns, more than any release prints ({MAX_COLUMNS})",
        text.numbers,
        text.section.class_name,
    )
    return True


def _most_common(items: Sequence[_T]) -> _T:
    """The most common of some items, the first of those as common (as ``Counter.most_common``)."""
    if items.count(items[0]) == len(items):  # the usual case, told without a Counter
        return items[0]
    return Counter(items).most_common(1)[0][0]


def _row_columns(payments: Sequence[tuple[Line, Sequence[Token]]]) -> list[Column]:
    """A row-by-row table's columns: its most common row shape, each column's tab or span."""
    shapes = [_signature(row) for _, row in payments]
    shape = _most_common(shapes)
    columns = [Column("date" if f == "date" else "figure") for f in shape]
    full: list[tuple[bool, list[Token]]] = []  # the rows of that shape: tabbed?, values
    for (line, row), row_shape in zip(payments, shapes, strict=True):
        if row_shape == shape:
            full.append((line.tabbed, [t for t in row if t.is_value]))
    for index, column in enumerate(columns):
        cells = [values[index] for tabbed, values in full if tabbed]
        spans = [values[index] for tabbed, values in full if not tabbed]
        if cells:
            column.slot = _most_common([t.cell for t in cells])
        if spans:
            column.span = (min(t.start for t in spans), max(t.end for t in spans))
    return columns


@_layout("columns", "column by column", by_column=True, headed_lines=True)
def _read_column_table(
    text: TableText, template: Sequence[str] | None, findings: Findings
) -> TableRead | None:
    """A table laid out column by column: each column's header, then its figures.

    Its lines name their own columns, so it is never given a ``template``.
    """
    columns: list[Column] = []
    read = TableRead(text, LAYOUTS["columns"], columns)
    for line in text.body:
        if line.role == "columns":
            for segment in tab_cells(line.tokens):
                words, values, label = column_parts(segment)
                family: Literal["date", "figure"] = (
                    "date" if values and values[0].family == "date" else "figure"
                )
                slot = segment[0].cell if line.tabbed else len(columns)
                columns.append(Column(family, slot=slot, header=words, values=values))
                read.has_annual |= label
            if _too_many(columns, text, findings):
                return None
        else:
            _append_rows(line, read, findings)
    if not name_columns(columns, text.header, findings, text.section, LAYOUTS["columns"].how):
        return None
    _footnote_digits(columns, text.section, findings)
    return read


@_layout("bare", "without a header", by_column=True)
def _read_bare_table(
    text: TableText, template: Sequence[str] | None, findings: Findings
) -> TableRead | None:
    """A table whose figure lines lost their header and their first columns.

    It can only be read in the columns of the release's other tables like it
    (``template``); each of its lines is read by :func:`_read_bare_line`.
    """
    if template is None:
        first = next(line for line in text.body if line.role == "bare")
        findings.add(
            "problem", "figures without a header", (first.number,), text.section.class_name
        )
        return None
    read = TableRead(text, LAYOUTS["bare"], [], headed=False)
    for line in text.body:
        if line.role == "bare":
            _read_bare_line(line, template, read, findings)
        else:
            _append_rows(line, read, findings)
    _footnote_digits(read.columns, text.section, findings)
    return read


def _append_rows(line: Line, read: TableRead, findings: Findings) -> None:
    """Rows printed under a column-by-column layout: one more figure for each column."""
    section = read.text.section
    for row in _split_rows(line, findings, section):
        annual = _is_annual(row)
        for index, token in _place(row, read.columns, line, findings, section).items():
            column = read.columns[index]
            (column.annual if annual else column.values).append(token)
        read.has_annual |= annual


def _read_bare_line(
    line: Line, template: Sequence[str], read: TableRead, findings: Findings
) -> None:
    """A headerless line whose first columns were lost (Aimco 2004, Class T's dividend table).

    The columns are the template's (the release's other tables of the same
    kind). A record/payable date pair anchors the figure printed right after
    it to that payment; the remaining runs of figures, one per tab cell, are
    the template's percentage columns in order, where a cell that ends in a
    broken figure and the next that starts with one are one column.
    """
    tokens = [t for t in line.tokens if t.is_value]
    dates = [t for t in tokens if t.family == "date"]
    kinds = [k for k in template if k not in DATE_KINDS and k != "dividend"]
    runs = _figure_runs(tokens)
    dividends = [t for t in tokens if _is_dollars(t)]
    if len(dates) % 2 or len(runs) != len(kinds) or ("dividend" not in template and dividends):
        findings.add(
            "problem",
            "figures without a header that do not fit the columns of the release's other "
            f"tables ({', '.join(map(column_label, template))})",
            (line.number,),
            read.text.section.class_name,
        )
        return
    read.columns = [
        Column("figure", kind=k, values=run) for k, run in zip(kinds, runs, strict=True)
    ]
    if "dividend" in template:
        read.columns.insert(0, Column("figure", kind="dividend"))
    _anchor_payments(line, tokens, read, findings)
    findings.add(
        "reading",
        "the line lost its first columns: each run of figures between tabs is one column, "
        "pieces of a broken figure on both sides of a tab are one column, and a figure "
        "printed after a record and payable date belongs to that payment",
        (line.number,),
        read.text.section.class_name,
    )


def _figure_runs(tokens: Sequence[Token]) -> list[list[Token]]:
    """A headerless line's percentage columns: its runs of figures between tabs.

    A run that ends in a broken figure and the next that starts with one are
    one column: the figure broke across the tab ("1." and ".6588%").
    """
    runs = [
        [t for t in segment if t.family == "figure" and t.unit != "$"]
        for segment in tab_cells(tokens)
    ]
    merged: list[list[Token]] = []
    for run in filter(None, runs):
        if merged and merged[-1][-1].damaged and run[0].damaged:
            merged[-1] += run
        else:
            merged.append(list(run))
    return merged


def _anchor_payments(
    line: Line, tokens: Sequence[Token], read: TableRead, findings: Findings
) -> None:
    """Each record and payable date pair of a headerless line, a payment of its own.

    A dollar figure printed right after the pair is that payment's dividend; a
    dollar figure after no pair is a problem.
    """
    dates = [at for at, token in enumerate(tokens) if token.family == "date"]
    anchored_at: set[int] = set()  # where the dividends printed after a pair are
    for record, payable in zip(dates[::2], dates[1::2], strict=True):
        anchored = Row(tokens[record], tokens[payable], lines={line.number})
        if payable + 1 < len(tokens) and _is_dollars(tokens[payable + 1]):
            anchored.cells["dividend"] = Cell.of(tokens[payable + 1])
            anchored_at.add(payable + 1)
        read.anchored.append(anchored)
    loose = [t for at, t in enumerate(tokens) if _is_dollars(t) and at not in anchored_at]
    if loose:
        findings.add(
            "problem",
            f"dividend figure(s) {some(loose, lambda t: clip(t.text, 60), ' ')} without a payment",
            (line.number,),
            read.text.section.class_name,
        )


def _is_dollars(token: Token) -> bool:
    return token.family == "figure" and token.unit == "$"


@dataclass
class _Printed:
    """The columns headed tables of some figure kinds are printed in, and their headers' lines."""

    kinds: tuple[str, ...]  # the first such table's columns
    several: bool = False  # another such table prints other columns
    lines: list[int] = field(default_factory=list)  # (up to MAX_EVIDENCE) header lines

    def add(self, kinds: tuple[str, ...], several: bool, lines: Iterable[int]) -> None:
        self.several |= several or kinds != self.kinds
        if len(self.lines) < MAX_EVIDENCE:
            self.lines.extend(lines)


class Templates:
    """The columns of a class's headerless table, as the release's headed tables tell them.

    When every other class that prints a table like this class's headed one
    prints its remaining table with the same columns, those are the columns.
    Only tables read with their header are evidence (never one read in
    another's columns), so the answer does not depend on which class asks
    first. The release's headed tables are summed up once, by figure kinds,
    so a class's answer is looked up, however many classes and tables.
    """

    def __init__(self, classes: Iterable[Sequence[TableRead]]) -> None:
        #: For the figure kinds of a headed table: by figure kinds, the columns
        #: that the headed tables of the classes that print one are printed in.
        self._beside: dict[frozenset[str], dict[frozenset[str], _Printed]] = {}
        for reads in classes:
            printed: dict[frozenset[str], _Printed] = {}  # the class's, by figure kinds
            for read in reads:
                if read.headed:
                    lines = line_numbers(read.text.header) or read.text.numbers[:1]
                    figures = frozenset(read.figure_kinds)
                    printed.setdefault(figures, _Printed(read.kinds)).add(read.kinds, False, lines)
            for figures in printed:
                beside = self._beside.setdefault(figures, {})
                for others, table in printed.items():
                    beside.setdefault(others, _Printed(table.kinds)).add(
                        table.kinds, table.several, table.lines
                    )

    def find(self, reads: Sequence[TableRead]) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
        """The columns of a headerless table of the class with these ``reads``.

        Returned with the header lines that tell them; ``None`` when the
        release's tables do not tell one set of columns.
        """
        known = {frozenset(read.figure_kinds) for read in reads if read.headed}
        found: _Printed | None = None
        evidence: list[int] = []
        for figures in known:
            for others, printed in self._beside.get(figures, {}).items():
                if others in known:
                    continue
                if printed.several or (found is not None and printed.kinds != found.kinds):
                    return None
                found = printed
                evidence += printed.lines
        if found is None:
            return None
        return found.kinds, tuple(sorted(set(evidence))[:MAX_EVIDENCE])


def needs_template(text: TableText) -> bool:
    """Whether a table names none of its columns: no header, and no line with its own."""
    return not text.header and not any(LAYOUTS[line.role].headed_lines for line in text.body)


def read_table(
    text: TableText, template: Sequence[str] | None, findings: Findings
) -> TableRead | None:
    """The table read in the layout of its figure lines (see :data:`LAYOUTS`).

    ``template`` gives the columns of a table that :func:`needs_template`.
    """
    roles = {line.role for line in text.body}
    layout = next(role for role in FIGURE_ROLES if role in roles)
    return LAYOUTS[layout].read(text, template, findings)
