"""The readers of untrusted files, each run on a mutated input against the promise.

The promise (README, Reliability): a bad input gets a clear error — an
:class:`~xl_reit.errors.XlReitError`, or exit 1 with a message — never a
traceback, never a hang, never a half-written file, and never a figure the
file does not print. Each ``try_*`` function runs one input through one
reader and returns what broke the promise (``None``: nothing did). The
readers of web pages, PDFs and bulk records are in :mod:`.files`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import random
import re
import signal
import tempfile
import traceback
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from types import FrameType

from xl_reit import cli
from xl_reit.components import COMPONENTS
from xl_reit.errors import XlReitError
from xl_reit.form1099 import compute
from xl_reit.holdings import read_holdings
from xl_reit.importer import parse_release
from xl_reit.table import AllocationTable, bundled_table, set_default_table


class HangError(Exception):
    """A reader that did not answer within its time budget."""


class UnloadableError(Exception):
    """An import that would write rows a table file refuses: a refusal of its own output."""


#: How many times its budget of work a reader may take in wall time (waiting on a file, or
#: on the other work of a machine whose cores are shared) before it is taken to hang.
WAITING = 10


@contextlib.contextmanager
def budget(seconds: float) -> Iterator[None]:
    """Raise :class:`HangError` in the reader past ``seconds`` of work, or ten times that waiting.

    Work is the process's CPU time, in all its threads (DuckDB's too): what
    the reader does, whatever else the machine's cores do meanwhile. A reader
    that blocks (on a FIFO, say) does no work, so wall time bounds it too.
    """

    def worked(_signal: int, _frame: FrameType | None) -> None:
        raise HangError(f"more than {seconds:g} s of work")

    def waited(_signal: int, _frame: FrameType | None) -> None:
        raise HangError(f"no answer within {seconds * WAITING:g} s")

    previous = signal.signal(signal.SIGPROF, worked), signal.signal(signal.SIGALRM, waited)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    signal.setitimer(signal.ITIMER_REAL, seconds * WAITING)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, previous[0])
        signal.signal(signal.SIGALRM, previous[1])


def guarded(run: Callable[[], object], seconds: float) -> tuple[object, str | None]:
    """``run()``'s result, or ``None`` and what broke the promise: a hang or a traceback.

    An :class:`XlReitError` keeps the promise: it is the reader refusing the input.
    """
    try:
        with budget(seconds):
            return run(), None
    except XlReitError as error:
        return error, None
    except HangError as hang:
        return None, f"hang: {hang}"
    except UnloadableError as error:
        return None, f"writes rows that do not load: {error}"
    except Exception:
        return None, "traceback:\n" + traceback.format_exc(limit=8)


# ------------------------------------------------------------------ tables


def try_table(text: str, seconds: float) -> str | None:
    """A users' table: loads whole or is refused whole."""
    _, broken = guarded(lambda: AllocationTable.from_texts([("fuzz.csv", text)]), seconds)
    return broken


_FIGURE = re.compile(r"(?<![\d.])\$?\d+\.\d+")
#: The columns of a table file that hold figures.
FIGURE_CELLS = frozenset(("dividend_per_share", "distribution", "other_year", *COMPONENTS))


def try_table_digit(text: str, rng: random.Random, seconds: float) -> str | None:
    """Change one digit of one printed figure: the table holds the new figure, or is refused.

    Only cells of figure columns are changed (a digit in a class's name or a
    note is no figure).
    """
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return None
    figures = [i for i, name in enumerate(rows[0]) if name.strip() in FIGURE_CELLS]
    candidates = [
        (number, column, match)
        for number, row in enumerate(rows)
        if number
        for column in figures
        if column < len(row)
        for match in _FIGURE.finditer(row[column])
    ]
    if not candidates:
        return None
    number, column, match = rng.choice(candidates)
    figure = match.group()
    position = rng.choice([i for i, c in enumerate(figure) if c.isdigit()])
    new_digit = rng.choice([d for d in "0123456789" if d != figure[position]])
    changed = figure[:position] + new_digit + figure[position + 1 :]
    cell = rows[number][column]
    rows[number][column] = cell[: match.start()] + changed + cell[match.end() :]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    loaded, broken = guarded(
        lambda: AllocationTable.from_texts([("fuzz.csv", out.getvalue())]), seconds
    )
    if broken or not isinstance(loaded, AllocationTable):
        return broken
    value = Decimal(changed.lstrip("$"))
    row = next(p for c in loaded.classes.values() for p in c.lines if p.origin.line == number + 1)
    held = {row.dividend_per_share, row.distribution, row.other_year}
    held |= {v for p in row.printed.values() for v in (p.dollars, p.percent)}
    if value not in held:
        return f"line {number + 1}: {figure} changed to {changed} loads, but no figure is {value}"
    return None


# ---------------------------------------------------------------- holdings


_TABLE = None


def _table() -> AllocationTable:
    global _TABLE
    if _TABLE is None:
        _TABLE = bundled_table()
    return _TABLE


def _holdings_file(folder: Path, text: str, rng: random.Random) -> Path:
    path = folder / rng.choice(["holdings.csv", "holdings.csv", "holdings.txt", "holdings.xlsx"])
    encoding = rng.choice(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252"])
    path.write_bytes(text.encode(encoding, errors="replace"))
    return path


def try_holdings(text: str, rng: random.Random, seconds: float) -> str | None:
    """A holdings file, in an encoding and under a name a user might give it."""
    with tempfile.TemporaryDirectory() as folder:
        path = _holdings_file(Path(folder), text, rng)
        skip_bad = rng.random() < 0.3
        _, broken = guarded(lambda: read_holdings(path, _table(), skip_bad=skip_bad), seconds)
    return broken


def _totals(text: str, folder: Path) -> tuple[object, ...] | None:
    path = folder / "holdings.csv"
    path.write_text(text, encoding="utf-8")
    try:
        holdings = read_holdings(path, _table())
    except XlReitError:
        return None
    forms = compute(holdings.classes, holdings.shares_for)
    return tuple(tuple(sorted(form.total.items())) for form in forms)


def try_holdings_digit(text: str, rng: random.Random, seconds: float) -> str | None:
    """Change one digit of one share count: the boxes change, or the file is refused."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return None
    shares_at = [i for i, name in enumerate(rows[0]) if name.lower().startswith("shares")]
    candidates = [
        (number, column)
        for number, row in enumerate(rows)
        if number
        for column in shares_at
        if column < len(row) and any(c.isdigit() for c in row[column])
    ]
    if not candidates:
        return None
    number, column = rng.choice(candidates)
    shares = rows[number][column]
    position = rng.choice([i for i, c in enumerate(shares) if c.isdigit()])
    new_digit = rng.choice([d for d in "0123456789" if d != shares[position]])
    changed = shares[:position] + new_digit + shares[position + 1 :]
    rows[number][column] = changed
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        before, broken = guarded(lambda: _totals(text, Path(folder)), seconds)
        after, broken_after = guarded(lambda: _totals(out.getvalue(), Path(folder)), seconds)
    if broken or broken_after:
        return broken or broken_after
    if before is not None and after is not None and before == after:
        return f"line {number + 1}: shares {shares} changed to {changed}, the boxes did not change"
    return None


# ---------------------------------------------------------------- releases


def _release(text: str, read: Callable[[str], str] | None = None) -> object:
    """The import of a release's text, or of the text ``read`` makes of it (a page, a PDF)."""
    if read is not None:
        text = read(text)
    result = parse_release(text, source_name="fuzz.txt", issuer="Fuzz REIT", tax_year=2019)
    if result.rows:
        try:
            result.table()  # what it would write must load
        except XlReitError as error:  # (the reader's own refusal, not the input's)
            raise UnloadableError(str(error)[:300]) from None
    return result


def try_release(text: str, seconds: float) -> str | None:
    """A release's text through the importer."""
    _, broken = guarded(lambda: _release(text), seconds)
    return broken


def try_release_written(text: str, seconds: float) -> str | None:
    """``xl-reit import`` to a file: on a refusal, nothing is left in the folder."""
    with tempfile.TemporaryDirectory() as folder:
        release = Path(folder) / "release.txt"
        release.write_text(text, encoding="utf-8", errors="replace")
        target = Path(folder) / "out" / "table.csv"
        target.parent.mkdir()
        out, err = io.StringIO(), io.StringIO()

        def run() -> int:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                return cli.main(["import", str(release), "-o", str(target)])

        code, broken = guarded(run, seconds)
        set_default_table(None)
        if broken:
            return broken
        left = sorted(path.name for path in target.parent.iterdir())
        if code not in (0, 1):
            return f"exit code {code}: {err.getvalue()[-300:]}"
        if code == 1 and left and "wrote" not in out.getvalue():
            return f"exit 1 left {left} behind"
        if any(name.startswith(".") for name in left):
            return f"a temporary file was left: {left}"
    return None


def try_release_digit(
    text: str, rng: random.Random, seconds: float, read: Callable[[str], str] | None = None
) -> str | None:
    """Change one digit of a figure the import carries: the table changes, or it is refused.

    Only figures whose printed digits reach the written table are chosen (a
    digit of prose or of a column left out need not show). With ``read``,
    ``text`` is a file's source (a page's HTML, a PDF's lines) and ``read``
    the reader that makes the release's text of it.
    """
    original, broken = guarded(lambda: _release(text, read), seconds)
    if broken or not getattr(original, "ok", False):
        return broken
    written = original.to_csv()  # type: ignore[attr-defined]
    candidates = [match for match in re.finditer(r"\d+\.\d+", text) if match.group() in written]
    if not candidates:
        return None
    match = rng.choice(candidates)
    figure = match.group()
    position = rng.choice([i for i, c in enumerate(figure) if c.isdigit()])
    new_digit = rng.choice([d for d in "0123456789" if d != figure[position]])
    changed = text[: match.start() + position] + new_digit + text[match.start() + position + 1 :]
    result, broken = guarded(lambda: _release(changed, read), seconds)
    if broken:
        return broken
    if getattr(result, "ok", False) and result.to_csv() == written:  # type: ignore[attr-defined]
        line = text.count("\n", 0, match.start()) + 1
        return f"line {line}: a digit of {figure} changed, the import is OK and writes the same"
    return None
