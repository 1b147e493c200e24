"""Ways to damage a file as copies, editors, OCR and hostile senders damage them.

Each mutation takes the file's text and a seeded :class:`random.Random` and
returns new text. Text mutations work on any reader's input; the CSV ones
know about cells and columns. None of them is clever: the point is breadth,
run often, with a seed that replays any finding exactly.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable

Mutation = Callable[[str, random.Random], str]

#: Characters that look like nothing, or like something else, or break parsers.
JUNK = [
    "\u200b",  # zero-width space
    "\u00a0",  # no-break space
    "\u202e",  # right-to-left override
    "\ufeff",  # a byte-order mark in the middle
    "\x00",
    "\x1b[31m",
    "\t",
    "\r",
    '"',
    "'",
    "=",
    "%",
    "$",
    "¹",  # a footnote mark that NFKC turns into a digit
    "(1)",
    "Α",  # Greek capital alpha
    "—",
    "1e999999",
    "NaN",
    "-0",
    "99999999999999999999999999999.9",
    "😀",
]


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True) or [""]


def delete_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    del lines[rng.randrange(len(lines))]
    return "".join(lines)


def repeat_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    index = rng.randrange(len(lines))
    lines.insert(index, lines[index])
    return "".join(lines)


def move_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    line = lines.pop(rng.randrange(len(lines)))
    lines.insert(rng.randrange(len(lines) + 1), line)
    return "".join(lines)


def swap_characters(text: str, rng: random.Random) -> str:
    if len(text) < 2:
        return text
    index = rng.randrange(len(text) - 1)
    return text[:index] + text[index + 1] + text[index] + text[index + 2 :]


def replace_digit(text: str, rng: random.Random) -> str:
    digits = [index for index, character in enumerate(text) if character.isdigit()]
    if not digits:
        return text
    index = rng.choice(digits)
    return text[:index] + rng.choice("0123456789") + text[index + 1 :]


def insert_junk(text: str, rng: random.Random) -> str:
    index = rng.randrange(len(text) + 1)
    return text[:index] + rng.choice(JUNK) + text[index:]


def truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(len(text) + 1)]


def long_line(text: str, rng: random.Random) -> str:
    """A line of a megabyte: figures and dates, as a pasted table that lost its line breaks."""
    unit = rng.choice(["03/31/20 ", "$0.25 ", "1.6588% ", "x", "12/31/2019\t"])
    lines = _lines(text)
    lines.insert(rng.randrange(len(lines) + 1), unit * (1_000_000 // len(unit)) + "\n")
    return "".join(lines)


def many_lines(text: str, rng: random.Random) -> str:
    """The file's lines repeated to about a hundred thousand."""
    lines = _lines(text)
    line = rng.choice(lines)
    return "".join(lines) + line * rng.randint(10_000, 100_000)


TEXT_MUTATIONS: tuple[Mutation, ...] = (
    delete_line,
    repeat_line,
    move_line,
    swap_characters,
    replace_digit,
    replace_digit,
    insert_junk,
    insert_junk,
    truncate,
)
#: Large inputs: the readers must stay linear on them (rarer, they take time).
LARGE_MUTATIONS: tuple[Mutation, ...] = (long_line, many_lines)


# ---------------------------------------------------------------------- CSV


def _rows(text: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return []


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _column_edit(text: str, rng: random.Random, edit: Callable[[list[str], int], None]) -> str:
    rows = _rows(text)
    if not rows or not rows[0]:
        return text
    column = rng.randrange(len(rows[0]))
    for row in rows:
        if column < len(row):
            edit(row, column)
    return _csv(rows)


def drop_column(text: str, rng: random.Random) -> str:
    return _column_edit(text, rng, lambda row, column: row.pop(column))


def repeat_column(text: str, rng: random.Random) -> str:
    return _column_edit(text, rng, lambda row, column: row.insert(column, row[column]))


def shuffle_columns(text: str, rng: random.Random) -> str:
    rows = _rows(text)
    if not rows:
        return text
    order = list(range(max(map(len, rows))))
    rng.shuffle(order)
    return _csv([[row[i] for i in order if i < len(row)] for row in rows])


def odd_number(text: str, rng: random.Random) -> str:
    """A cell replaced by a number no release prints."""
    rows = _rows(text)
    if len(rows) < 2:
        return text
    row = rng.choice(rows[1:])
    if row:
        row[rng.randrange(len(row))] = rng.choice(
            ["1e999999", "NaN", "-Infinity", "-1", "1E30", "0." + "1" * 60, "$-0.5", "١٢٣"]
        )
    return _csv(rows)


def quote_chaos(text: str, rng: random.Random) -> str:
    index = rng.randrange(len(text) + 1)
    return text[:index] + rng.choice(['"', '""', '"\n', ',"', '\r\n"']) + text[index:]


CSV_MUTATIONS: tuple[Mutation, ...] = (
    drop_column,
    repeat_column,
    shuffle_columns,
    odd_number,
    quote_chaos,
)


def mutate(text: str, rng: random.Random, csv_file: bool, large: bool = False) -> str:
    """One to three mutations of ``text`` (a large one only when ``large``)."""
    choices = TEXT_MUTATIONS + (CSV_MUTATIONS if csv_file else ())
    for _ in range(rng.randint(1, 3)):
        text = rng.choice(choices)(text, rng)
    if large:
        text = rng.choice(LARGE_MUTATIONS)(text, rng)
    return text
