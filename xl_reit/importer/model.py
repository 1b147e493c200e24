"""What a table is read into: the kinds of column, and a table's columns, rows and cells.

The working objects of the pipeline from step 5 on: the kinds of column the
parser knows (dates, the dividend, the 1099-DIV parts in the order releases print
them), a table's :class:`Column`, a :class:`Cell` (one figure and its evidence:
its lines, the fragments of a damaged figure, whether it was printed), a
:class:`Row` (one payment or the annual line, with the notes the table will
carry) and a :class:`TableRead` (one table as read). Also how notes name a column
and a payment.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum
from typing import Literal

from ..components import COMPONENTS
from .lines import Token
from .report import Findings, line_ranges
from .sections import TableText

#: No figures: what a kind or table not counted holds, asked for without adding one
#: (read only: one, not a new Counter per question).
NO_FIGURES: Counter[Decimal] = Counter()

DATE_KINDS = ("declaration_date", "ex_date", "record_date", "payable_date")
#: The figures of the table (:mod:`xl_reit.components`), in its order.
PART_ORDER = tuple(COMPONENTS)
#: Figure columns in the order releases print them; ``other_year`` is the part of a
#: payment a release allocates to another tax year ("Allocable to 2023").
FIGURE_KINDS = ("dividend", *PART_ORDER, "other_year", "unsupported")


def column_label(kind: str) -> str:
    """How notes name a column: "ordinary", "capital gain", "dividend per share"."""
    if kind == "dividend":
        return "dividend per share"
    if kind == "other_year":
        return "allocable to another year"
    if kind in COMPONENTS:
        label = COMPONENTS[kind].label
        return label[0].lower() + label[1:]
    return kind.replace("_", " ")


@dataclass
class Column:
    """One column of a table: where it sits, its header words, its kind and its figures."""

    family: Literal["date", "figure"]
    slot: int | None = None
    span: tuple[int, int] | None = None
    header: list[Token] = field(default_factory=list)
    kind: str = ""
    values: list[Token] = field(default_factory=list)
    annual: list[Token] = field(default_factory=list)
    #: For a figure column its header does not name: the kinds the header names
    #: that no column has, one of which the release's figures may prove it is.
    candidates: tuple[str, ...] = ()


@dataclass(slots=True)
class Cell:
    """One figure of a payment: its value as printed (or as repaired) and its evidence."""

    value: Decimal | None
    text: str
    unit: str = ""
    lines: tuple[int, ...] = ()
    fragments: tuple[str, ...] = ()
    printed: bool = True  # False for a figure a repair or an inference supplied
    #: The percentage of the payment printed beside a figure in dollars: "$2.84 (93.197%)".
    percent: Decimal | None = None

    @classmethod
    def of(cls, token: Token) -> Cell:
        fragments = (token.text,) if token.damaged else ()
        printed = not token.inferred
        return cls(
            token.amount, token.text, token.unit, (token.line,), fragments, printed, token.percent
        )

    @property
    def legible(self) -> bool:
        return self.value is not None


class NoteRank(IntEnum):
    """Where a sentence stands in a row's notes; within a rank, ``order`` decides.

    Say first how the table's figures come from the printed ones, then what the
    release proves, then what it does not: a reader learns how to read the row
    before what is wrong with it.
    """

    #: How the table's columns come from the printed ones: a loose column read
    #: as its box, figures printed without a unit.
    DERIVATION = -1
    #: A record or payable date taken from the class's other table.
    DATES = 0
    #: A figure the release proves (from its column or another table).
    REPAIR = 1
    #: A figure inferred, not printed or not legible.
    GAP = 2
    #: What the release as a whole does not print: the tax year, the symbol.
    RELEASE_GAP = 3


@dataclass(slots=True)
class Note:
    """A sentence for a row's notes, sorted by ``rank`` then ``order``."""

    rank: NoteRank
    order: int
    text: str


@dataclass(slots=True)
class Row:
    """One payment (or the annual line) of a table, and later of the class."""

    record: Token | None = None
    payable: Token | None = None
    cells: dict[str, Cell] = field(default_factory=dict)
    #: The ex-dividend date, where the release prints one (the general reader reads it).
    ex: Token | None = None
    #: The values of a row printed row by row, by the index of their column.
    placed: dict[int, Token] = field(default_factory=dict)
    lines: set[int] = field(default_factory=set)
    notes: list[Note] = field(default_factory=list)
    #: What the printed parts add up to beyond the dividend, kept as printed (``--as-printed``).
    excess: Decimal | None = None

    @property
    def blank(self) -> bool:
        """A payment printed with its dates (its payable date, at least) and no figure."""
        return not self.cells and self.payable is not None and self.payable.day is not None

    @property
    def key(self) -> tuple[dt.date, dt.date] | None:
        if self.record and self.payable and self.record.day and self.payable.day:
            return self.record.day, self.payable.day
        return None

    def note(self, rank: NoteRank, order: int, text: str) -> None:
        if not any(note.text == text for note in self.notes):
            self.notes.append(Note(rank, order, text))


@dataclass
class TableRead:
    """A table as read: its columns' kinds, and its rows once they are fitted."""

    text: TableText
    layout: Layout
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    annual: Row | None = None
    anchored: list[Row] = field(default_factory=list)
    headed: bool = True
    has_annual: bool = False

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(column.kind for column in self.columns)

    @property
    def figure_kinds(self) -> tuple[str, ...]:
        return tuple(c.kind for c in self.columns if c.family == "figure" and c.kind)

    @property
    def dated(self) -> bool:
        return any(c.kind in ("record_date", "payable_date") for c in self.columns)

    @property
    def damaged(self) -> bool:
        """Whether the table lost its header or its dates."""
        return not self.headed or not self.dated

    @property
    def name(self) -> str:
        """ "dividend" for the table with the dividend column, else its first part."""
        kinds = self.figure_kinds
        if "dividend" in kinds:
            return "dividend"
        return column_label(kinds[0]).replace(" ", "-") if kinds else "figure"

    def describe(self) -> str:
        return f"{self.name} table, {line_ranges(self.text.numbers)}, read {self.layout.how}"


#: A layout's reader: a table's text, the columns of the release's tables like it
#: when the table has no header of its own (else ``None``), and the findings.
#: It returns the table as read, or ``None`` after reporting a problem.
Reader = Callable[[TableText, Sequence[str] | None, Findings], TableRead | None]


@dataclass(frozen=True)
class Layout:
    """One way releases lay out a table, and the function that reads it.

    ``name`` is also the role :mod:`.lines` gives the lines printed this way
    (:data:`.lines.FIGURE_ROLES`). ``how`` ends the report's line on the table
    ("read column by column"). ``by_column``: the reader keeps each column's
    figures, and :mod:`.fitting` then gives the table one row per payment.
    ``headed_lines``: the lines print their own header words ("Record Date
    03/01/04 …"), so the table never takes the columns of another.
    """

    name: str
    how: str
    read: Reader
    by_column: bool = False
    headed_lines: bool = False


def put(row: Row, kind: str, token: Token) -> None:
    """Put a token in a row as the column ``kind``: a date, or a figure and how it was inferred."""
    if kind == "record_date":
        row.record = token
    elif kind == "payable_date":
        row.payable = token
    elif kind == "ex_date":
        row.ex = token
    elif kind and kind not in DATE_KINDS and kind != "unsupported":
        row.cells[kind] = Cell.of(token)
        if token.inferred:
            row.note(NoteRank.GAP, FIGURE_KINDS.index(kind), token.inferred)


def and_list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def payment_name(row: Row) -> str:
    return f"payment of {row.payable.day}" if row.payable and row.payable.day else "a payment"


def has_legible(row: Row, kind: str) -> bool:
    cell = row.cells.get(kind)
    return cell is not None and cell.legible


def value_of(row: Row, kind: str) -> Decimal:
    value = row.cells[kind].value
    assert value is not None  # only called for legible cells
    return value
