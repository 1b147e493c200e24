"""DuckDB, the embedded engine for bulk 1099-DIV: millions of records on one machine, exactly.

:func:`write_boxes` reads distribution records from a CSV or Parquet file
(the columns and what a record means: :mod:`xl_reit.records`), adds them up
per group, class and tax year, and writes one row each to CSV, JSON or
Parquet: the grouping columns, ``cusip``, ``tax_year``, then every box of
the loaded table's forms in dollars (``NULL``/blank: not printed).

It runs in DuckDB, a database engine inside this process (no server), in
four steps:

1. one pass finds the records' distinct *keys* (security and date cells)
   and counts each key's records and bad share counts;
2. Python says what each key means (:class:`xl_reit.records.Resolver`),
   with the same lookups as every other edge: a few thousand keys at most;
3. bad records, if any, are listed by row and column (and with
   ``skip_bad`` written to a rejects file instead of stopping);
4. one pass keeps each good record's grouping cells, key and shares (a
   table DuckDB spills to disk as it grows); then, in as many passes over
   it as keep the sums within the memory limit (each a hash slice of the
   groups: :func:`_add_up`), each record is joined to its key's
   class-years and *shares × dollars per share* added up in exact
   decimals: shares as ``DECIMAL(38, 9)``, dollars with the table's own
   decimal places, sums in ``DECIMAL(38, 9 + places)``. DuckDB raises on
   overflow rather than round, so a box equals, to the last digit, what
   :func:`xl_reit.form1099.compute` gives for the same records. Dollars
   received (an ``Amount`` column) are added up per group and payment, and
   each sum is made boxes by the holdings rule in Python
   (:func:`_received`), once per sum, not per record.

DuckDB uses every core, is given a share of ``memory_limit`` (the rest is
for the process around it), spills beyond it to a temporary folder (so
memory stays bounded however large the input), and can be interrupted;
the output is written atomically (:mod:`xl_reit.atomic`), so a failed or
interrupted run leaves no part of it.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import decimal
import math
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from . import csvsafe
from .atomic import write_atomically
from .errors import (
    MAX_LISTED_PROBLEMS,
    HoldingsFileError,
    OutputFileError,
    Problem,
    XlReitError,
)
from .holdings import AMOUNT_DISAGREES, AMOUNT_NEGATIVE
from .lookup import MAX_SHARES
from .records import (
    AMOUNT_WRONG,
    NEGATIVE_TEXT,
    OUTPUT_COLUMNS,
    SHARE_PLACES,
    SHARES_TEXT,
    Meaning,
    RecordColumns,
    Resolver,
    Target,
    decimal_places,
    received_dollars,
)
from .table import AllocationTable

__all__ = ["Summary", "output_format", "rejects_path", "write_boxes"]

#: How much memory DuckDB may use before it spills to disk.
MEMORY_LIMIT = "512MB"

#: The most columns a records file may have.
MAX_COLUMNS = 1000

#: Seconds before a step starts reporting its progress (a short run says nothing).
PROGRESS_AFTER = 2.0

_SHARES = f"DECIMAL(38, {SHARE_PLACES})"
_PARQUET_MAGIC = b"PAR1"
_GZIP_MAGIC = b"\x1f\x8b"
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT")
_FLOATS = ("FLOAT", "REAL", "DOUBLE")

_DIAGNOSIS_CHUNK = 1 << 20
_LF_ALONE = re.compile(rb"(?<!\r)\n")
_CRLF = re.compile(rb"\r\n")
#: A line end's name, by whether it is CRLF.
_LINE_ENDS = {True: "CRLF (Windows)", False: "LF (Unix)"}

#: ``progress(step, percent)``: what the run is doing, and how far it is.
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Summary:
    """What a run did: records counted, bad records left out, rows written, and where."""

    records: int
    bad: int
    rows: int
    output: Path
    rejects: Path | None
    #: The records' columns the boxes do not use (a lot's ``Cost``: boxes, not bases).
    passed_over: tuple[str, ...] = ()


def output_format(path: str | Path) -> str:
    """The format a file's suffix names: ``parquet``, ``json``, else ``csv``."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return {"parquet": "parquet", "pq": "parquet", "json": "json"}.get(suffix, "csv")


def _literal(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _name(column: str) -> str:
    """``column`` as a SQL identifier."""
    return '"' + column.replace('"', '""') + '"'


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


# ------------------------------------------------------------------ shares


def _text_shares(text: str) -> tuple[str, str]:
    """The value and validity SQL of shares written as text (see :func:`records.share_count`)."""
    trimmed = f"trim({text})"
    value = f"TRY_CAST(replace({trimmed}, ',', '') AS {_SHARES})"
    valid = (
        f"(regexp_full_match({trimmed}, {_literal(SHARES_TEXT)}) "
        f"AND regexp_matches({trimmed}, '\\d') AND {value} <= {MAX_SHARES})"
    )
    return value, valid


def _shares_sql(column: str, kind: str, source: str) -> tuple[str, str]:
    """SQL for a shares column of DuckDB type ``kind``: the exact value, and whether it is valid.

    The same rule as :func:`xl_reit.records.share_count`: a number from 0 to
    10**15 with at most :data:`~xl_reit.records.SHARE_PLACES` places; a
    float as Python prints it (DuckDB prints the same shortest digits).
    """
    cell = _name(column)
    if kind == "VARCHAR":
        return _text_shares(cell)
    if kind in _FLOATS:
        # a 32-bit float (FLOAT, REAL) is read by its own shortest digits, as a 64-bit one
        # is: 0.1 stored as FLOAT is one tenth, not 0.100000001490116…
        number = cell if kind in ("FLOAT", "REAL") else f"CAST({cell} AS DOUBLE)"
        text = f"CAST({number} AS VARCHAR)"
        plain_value, plain_valid = _text_shares(text)
        exponent_value = f"TRY_CAST({number} AS {_SHARES})"
        # A float Python prints with an exponent is tiny (or too big): its nearest
        # 9-place decimal is exact when it converts back to the same float.
        return (
            f"CASE WHEN contains({text}, 'e') THEN {exponent_value} ELSE {plain_value} END",
            f"(NOT signbit({number}) AND CASE WHEN contains({text}, 'e') THEN "
            f"CAST({exponent_value} AS {'DOUBLE' if number != cell else kind}) = {number} "
            f"AND {number} <= {MAX_SHARES} "
            f"ELSE {plain_valid} END)",
        )
    value = f"TRY_CAST({cell} AS {_SHARES})"
    if kind.startswith("DECIMAL") or kind.lstrip("U") in _INTEGERS:
        # Compared as shares, and back in the cell's own type: a DECIMAL(38, 0) of 10**30 does
        # not fit DECIMAL(38, 9) (no value, so not valid), and one of more places than
        # SHARE_PLACES does not come back the same.
        return value, (
            f"({value} >= 0 AND {value} <= {MAX_SHARES} AND TRY_CAST({value} AS {kind}) = {cell})"
        )
    raise HoldingsFileError(
        [Problem(source, None, column, f"holds {kind} values; give numbers of shares")]
    )


def _amount_sql(column: str, kind: str, source: str) -> tuple[str, str]:
    """SQL for an amount column: the exact dollars, and whether they are valid.

    The rule of :func:`xl_reit.records.amount_received`: a share count's form,
    after a dollar sign if any (``$1,234.50``), never negative.
    """
    if kind != "VARCHAR":
        return _shares_sql(column, kind, source)
    return _text_shares(f"regexp_replace(trim({_name(column)}), '^\\$\\s*', '')")


def _template(text: str, *fields: str) -> str:
    """A message template (``str.format`` fields) as a ``printf`` literal, fields in order."""
    return _literal(text.replace("%", "%%").format(**dict.fromkeys(fields, "%s")))


def _trimmed(decimal_sql: str) -> str:
    """A decimal's text without trailing zeros: ``12.250000000`` → ``12.25``."""
    text = f"CAST({decimal_sql} AS VARCHAR)"
    return f"CASE WHEN contains({text}, '.') THEN rtrim(rtrim({text}, '0'), '.') ELSE {text} END"


# ----------------------------------------------------------------- the job


class _Job:
    """One DuckDB connection, and the statements a run sends it, each interruptible.

    A statement runs in a worker thread while this one waits, so that Ctrl-C
    (which Python delivers here) interrupts DuckDB, and so that a long step
    can report its progress.
    """

    def __init__(self, spill: str, memory_limit: str, progress: Progress | None) -> None:
        self.connection = duckdb.connect()
        self.progress = progress
        #: DuckDB's own limit in bytes (``None``: a limit this module cannot read).
        self.engine_bytes = _engine_bytes(memory_limit)
        engine = memory_limit if self.engine_bytes is None else f"{self.engine_bytes}B"
        for setting, value in (
            ("memory_limit", engine),
            ("temp_directory", spill),
            ("preserve_insertion_order", False),
            ("enable_progress_bar", True),
            ("enable_progress_bar_print", False),
        ):
            self.connection.execute(f"SET {setting} = {_literal(str(value))}")

    def run(self, step: str, sql: str, parameters: object = None) -> list[tuple[Any, ...]]:
        """Run ``sql`` and return its rows; ``step`` says what it does, for progress."""
        rows: list[tuple[Any, ...]] = []
        failed: list[BaseException] = []
        # Not Thread.join: a Ctrl-C that interrupts it can leave is_alive() False while
        # the thread still runs (CPython's bpo-45274 handling); an Event says the truth.
        finished = threading.Event()

        def work() -> None:
            try:
                rows.extend(self.connection.execute(sql, parameters).fetchall())
            except BaseException as error:  # handed to the waiting thread, which raises it
                failed.append(error)
            finally:
                finished.set()

        worker = threading.Thread(target=work, name="xl-reit bulk", daemon=True)
        started = time.monotonic()
        try:
            _start(worker)
            while not finished.wait(0.2):
                if self.progress is not None and time.monotonic() - started > PROGRESS_AFTER:
                    done = self.connection.query_progress()
                    if done >= 0:
                        self.progress(step, done)
        except BaseException:  # Ctrl-C (or a progress report that failed): stop DuckDB first
            while worker.ident is not None and not finished.wait(0.05):
                self.connection.interrupt()  # again, should it come before DuckDB started
            raise
        if failed:
            raise failed[0]
        return rows

    def close(self) -> None:
        self.connection.close()


def _start(worker: threading.Thread) -> None:
    """Start ``worker`` with Ctrl-C held back until it runs.

    A Ctrl-C that arrived while the thread was starting would leave it
    running unseen; held back, it arrives once :meth:`_Job.run` can stop it.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "pthread_sigmask"
    ):
        worker.start()
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        worker.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


#: The share of the memory limit DuckDB's buffers are given: the rest is for what DuckDB
#: and Python hold outside them (about 150 MB measured: the interpreter, DuckDB's code and
#: its allocations outside its buffers). On a 2.1 GB CSV of 5 million accounts, 64% of
#: 512 MB and the sums added in passes (:func:`_add_up`) peaked at 485 MB.
_ENGINE_SHARE = 0.64
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B\s*", re.IGNORECASE)


def _engine_bytes(limit: str) -> int | None:
    """DuckDB's own memory limit in bytes, so that the process keeps within ``limit``
    (``"512MB"``); ``None`` for a limit not written so (DuckDB says what is wrong with it)."""
    size = _SIZE.fullmatch(limit)
    if size is None:
        return None
    scale = 1000 ** " KMGT".index(size.group(2).upper() or " ")
    return int(float(size.group(1)) * scale * _ENGINE_SHARE)


_SPILL = "xl-reit-spill-"


def _remove_stale_spills() -> None:
    """Remove the spill folders of runs that were killed (SIGKILL leaves no time to)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_SPILL}*-*"):
        pid = folder.name[len(_SPILL) :].split("-")[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:  # no such process: its run is over
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # a process of another user: alive


@contextlib.contextmanager
def _job(memory_limit: str, progress: Progress | None) -> Iterator[_Job]:
    _remove_stale_spills()
    with tempfile.TemporaryDirectory(prefix=f"{_SPILL}{os.getpid()}-") as spill:
        job = _Job(spill, memory_limit, progress)
        try:
            yield job
        finally:
            job.close()


# ----------------------------------------------------------------- records


@dataclass(frozen=True)
class _Source:
    """The records file as SQL: how to read it, and how to number its rows."""

    name: str
    read: str
    numbered: str
    row: str

    @classmethod
    def open(cls, path: Path, name: str) -> _Source:
        try:
            with path.open("rb") as stream:
                head = stream.read(4)
        except OSError as error:
            raise HoldingsFileError(
                f"{name}: cannot read the records file: {error.strerror or error}"
            ) from None
        literal = _literal(str(path))
        if head == _PARQUET_MAGIC:
            read = f"read_parquet({literal})"
            numbered = f"read_parquet({literal}, file_row_number = true)"
            return cls(name, read, numbered, "file_row_number + 1")
        if head.startswith(_WORKBOOK_MAGIC):
            raise HoldingsFileError(
                f"{name}: a workbook, not CSV or Parquet text; save it as CSV, or give it to "
                "xl-reit 1099 without --by"
            )
        options = ""
        if head.startswith(_GZIP_MAGIC):
            options = ", compression = 'gzip'"  # a gzipped CSV, whatever its name
        elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
            options = ", encoding = 'utf-16'"  # Excel's "Unicode Text", with its byte-order mark
        read = f"read_csv({literal}, all_varchar = true, header = true{options})"
        # DuckDB numbers a CSV's records in order as it streams them (no sort, no copy).
        return cls(name, read, f"(SELECT row_number() OVER () AS row, * FROM {read})", "row")


@dataclass(frozen=True)
class _Plan:
    """The SQL of a run: the records as the steps see them, by position, not by name."""

    source: _Source
    columns: RecordColumns
    names: tuple[str, ...]
    types: dict[str, str]
    shares_value: str
    shares_valid: str
    #: The amount column's value and validity (``NULL``: no amount column).
    amount_value: str = "NULL"
    amount_valid: str = "NULL"

    def _shown(self, column: str) -> str:
        """A cell as messages show it: text quoted, a number as it is."""
        if self.types[column] == "VARCHAR":
            return f"'''' || {_name(column)} || ''''"
        return f"CAST({_name(column)} AS VARCHAR)"

    def _held_cell(self, column: str | None) -> str:
        return "NULL" if column is None else self._cell(column)

    def _validity(self) -> str:
        """Whether a record's shares and amount cells are valid, and one of them given."""
        if self.columns.amount is None:
            return f"coalesce({self.shares_valid}, false)"
        shares = self._held_cell(self.columns.shares)
        amount = self._cell(self.columns.amount)
        return (
            f"(({shares} IS NULL OR coalesce({self.shares_valid}, false)) "
            f"AND ({amount} IS NULL OR coalesce({self.amount_valid}, false)) "
            f"AND NOT ({shares} IS NULL AND {amount} IS NULL))"
        )

    def _cell_problems(self) -> list[str]:
        """What is wrong with a record's shares cell (``shares_problem``) and its amount cell
        (``amount_cell_problem``); a record that gives neither is the shares' problem, or
        the amount's where there is no shares column."""
        columns = self.columns
        blank = _literal(columns.blank_problem()[1])
        amount = self._held_cell(columns.amount)
        shares = self._held_cell(columns.shares)
        found = ["CAST(NULL AS VARCHAR) AS shares_problem"]
        if columns.shares is not None:
            wrong = (
                f"{columns.shares} %s: give a number of shares from 0 to {MAX_SHARES:,}, "
                f"with at most {SHARE_PLACES} decimal places"
            )
            found[0] = (
                f"CASE WHEN {shares} IS NULL AND {amount} IS NULL THEN {blank} "
                f"WHEN {shares} IS NOT NULL AND NOT coalesce({self.shares_valid}, false) "
                f"THEN printf({_literal(wrong)}, {self._shown(columns.shares)}) "
                "END AS shares_problem"
            )
        if columns.amount is not None:
            cell = _name(columns.amount)
            negative = (
                f"regexp_full_match(trim({cell}), {_literal(NEGATIVE_TEXT)})"
                if self.types[columns.amount] == "VARCHAR"
                else f"{cell} < 0"
            )
            named = f"{_literal(columns.amount)}, {self._shown(columns.amount)}"
            alone = f"WHEN {amount} IS NULL THEN {blank} " if columns.shares is None else ""
            found.append(
                f"CASE {alone}"
                f"WHEN {amount} IS NOT NULL AND NOT coalesce({self.amount_valid}, false) "
                f"THEN CASE WHEN {negative} "
                f"THEN printf({_template(AMOUNT_NEGATIVE, 'column', 'value')}, {named}) "
                f"ELSE printf({_template(AMOUNT_WRONG, 'column', 'value')}, {named}) END "
                "END AS amount_cell_problem"
            )
        return found

    def _cell(self, column: str) -> str:
        """A key cell, blank text as NULL (as the holdings reader reads blanks)."""
        if self.types[column] == "VARCHAR":
            return f"nullif(trim({_name(column)}), '')"
        return _name(column)

    def records(self, numbered: bool = False) -> str:
        """The records counted: groups ``g0…``, keys ``k0…``, ``shares``, ``valid``.

        Numbered, also their ``row`` (from 1), their own cells as text
        (``c0…``) and what is wrong with their shares (``shares_problem``).
        """
        columns = self.columns
        cells = [
            *(f"{_name(name)} AS g{index}" for index, name in enumerate(columns.by)),
            *(f"{self._cell(name)} AS k{index}" for index, name in enumerate(columns.key)),
            f"{self.shares_value} AS shares",
            f"{self._validity()} AS valid",
        ]
        if columns.amount is not None:
            cells.append(f"{self.amount_value} AS amount")
        if numbered:
            cells += [
                f"{self.source.row} AS row",
                *(
                    f"CAST({_name(name)} AS VARCHAR) AS c{index}"
                    for index, name in enumerate(self.names)
                ),
                *self._cell_problems(),
            ]
        passed_over = " AND ".join(
            f"{self._cell(name)} IS NULL" for name in (*columns.security, *columns.held)
        )
        read = self.source.numbered if numbered else self.source.read
        return f"SELECT {', '.join(cells)} FROM {read} WHERE NOT ({passed_over})"

    def key_match(self, left: str, right: str) -> str:
        """A record of ``left`` has the key of ``right`` (a blank cell matches a blank one)."""
        return " AND ".join(
            f"{left}.k{index} IS NOT DISTINCT FROM {right}.k{index}"
            for index in range(len(self.columns.key))
        )


def _plan(job: _Job, path: Path, by: Sequence[str], source_name: str) -> _Plan:
    source = _Source.open(path, source_name)
    try:
        described = job.run("reading the header", f"DESCRIBE SELECT * FROM {source.read}")
    except duckdb.Error as error:
        raise _unreadable(path, source_name, error) from None
    if len(described) > MAX_COLUMNS:
        raise HoldingsFileError(
            f"{source_name}: {len(described):,} columns, and records have a few (the grouping "
            f"columns, a security, a date, the shares): at most {MAX_COLUMNS:,} are read; is "
            "it a CSV file whose lines lost their line ends?"
        )
    names = tuple(str(row[0]) for row in described)
    types = {str(row[0]): str(row[1]) for row in described}
    columns = RecordColumns.find(names, by, source_name)
    value, valid = f"CAST(NULL AS {_SHARES})", "NULL"
    if columns.shares is not None:
        value, valid = _shares_sql(columns.shares, types[columns.shares], source_name)
    plan = _Plan(source, columns, names, types, value, valid)
    if columns.amount is None:
        return plan
    amount_value, amount_valid = _amount_sql(columns.amount, types[columns.amount], source_name)
    return dataclasses.replace(plan, amount_value=amount_value, amount_valid=amount_valid)


# -------------------------------------------------------------------- keys


@dataclass(frozen=True)
class _Keys:
    """Each distinct key's meaning, and how many good and bad records the file has."""

    meanings: dict[int, Meaning]
    good: int
    bad: int


def _keys(job: _Job, plan: _Plan, resolver: Resolver) -> _Keys:
    """Step 1 and 2: find the keys and their counts, and say what each means."""
    keys = ", ".join(f"k{index}" for index in range(len(plan.columns.key)))
    job.run(
        "finding the securities and dates",
        "CREATE TEMP TABLE keys AS SELECT row_number() OVER () AS key_id, * FROM ("
        f"SELECT {keys}, count(*) AS records, count(*) FILTER (WHERE NOT valid) AS bad_shares "
        f"FROM ({plan.records()}) GROUP BY ALL)",
    )
    found = job.run("reading the keys", f"SELECT key_id, records, bad_shares, {keys} FROM keys")
    meanings = {key_id: resolver.meaning(cells) for key_id, _, _, *cells in found}
    good = sum(records - bad for key_id, records, bad, *_ in found if meanings[key_id].targets)
    bad = sum(bad if meanings[key_id].targets else records for key_id, records, bad, *_ in found)
    return _Keys(meanings, good, bad)


def _create(job: _Job, step: str, name: str, columns: dict[str, tuple[str, list[Any]]]) -> None:
    """Create a temporary table from Python lists, column by column: ``{name: (type, values)}``.

    Decimals travel as their exact text and are cast by DuckDB, never through a float.
    """
    cells = ", ".join(
        f"CAST(unnest(${column}::VARCHAR[]) AS {kind}) AS {column}"
        for column, (kind, _) in columns.items()
    )
    values = {
        column: [None if value is None else str(value) for value in listed]
        for column, (_, listed) in columns.items()
    }
    job.run(step, f"CREATE TEMP TABLE {name} AS SELECT {cells}", values)


def _load_targets(job: _Job, plan: _Plan, keys: _Keys, resolver: Resolver) -> list[Target]:
    """Give DuckDB each good key's class-years and dollars, and each bad key's problem."""
    shape = resolver.layout
    dollars = f"DECIMAL({shape.digits + shape.places}, {shape.places})"
    rows = [(key, target) for key, meaning in keys.meanings.items() for target in meaning.targets]
    years = list(dict.fromkeys((target.cusip, target.tax_year) for _, target in rows))
    number = {year: index for index, year in enumerate(years)}
    _create(
        job,
        "loading the class-years",
        "class_years",
        {
            "class_year": ("INTEGER", list(range(len(years)))),
            "cusip": ("VARCHAR", [cusip for cusip, _ in years]),
            "tax_year": ("INTEGER", [year for _, year in years]),
        },
    )
    columns: dict[str, tuple[str, list[Any]]] = {
        "key_id": ("BIGINT", [key for key, _ in rows]),
        "target_id": ("BIGINT", list(range(len(rows)))),
        "class_year": ("INTEGER", [number[target.cusip, target.tax_year] for _, target in rows]),
        "unknown": ("BIGINT", [target.unknown for _, target in rows]),
        "lacking": ("BIGINT", [target.lacking for _, target in rows]),
    }
    for index in range(len(shape.columns)):
        columns[f"d{index}"] = (dollars, [format(t.dollars[index], "f") for _, t in rows])
    if plan.columns.amount is not None:
        meanings = [keys.meanings[key] for key, _ in rows]
        wholes = [meaning.whole for meaning in meanings if meaning.whole is not None]
        places = max((decimal_places(whole) for whole in wholes), default=0)
        digits = max((len(str(int(whole))) for whole in wholes), default=1)
        columns["whole"] = (
            f"DECIMAL({digits + places}, {places})",
            [None if m.whole is None else format(m.whole, "f") for m in meanings],
        )
        columns["amount_problem"] = ("VARCHAR", [m.amount_problem for m in meanings])
    _create(job, "loading the allocation table", "targets", columns)
    problems = [(key, m.column, m.problem) for key, m in keys.meanings.items() if m.problem]
    _create(
        job,
        "loading the problems",
        "problems",
        {
            "key_id": ("BIGINT", [key for key, _, _ in problems]),
            "problem_column": ("VARCHAR", [column for _, column, _ in problems]),
            "problem": ("VARCHAR", [problem for _, _, problem in problems]),
        },
    )
    return [target for _, target in rows]


# --------------------------------------------------------------------- bad


def _bad_records(plan: _Plan) -> str:
    """Step 3: every bad record, by row: its key's problem, its shares' and its amount's."""
    records = (
        f"({plan.records(numbered=True)}) r JOIN keys k ON {plan.key_match('r', 'k')} "
        "LEFT JOIN problems p USING (key_id)"
    )
    if plan.columns.amount is None:
        return (
            f"SELECT r.*, p.problem_column, p.problem, NULL AS amount_problem FROM {records} "
            "WHERE p.problem IS NOT NULL OR NOT r.valid ORDER BY r.row"
        )
    amount, shares = "r.amount", "r.shares"
    disagrees = _template(AMOUNT_DISAGREES, "amount", "shares", "whole", "product")
    problem = (
        "CASE WHEN r.amount_cell_problem IS NOT NULL THEN r.amount_cell_problem "
        "WHEN r.amount IS NULL OR p.problem IS NOT NULL OR r.shares_problem IS NOT NULL "
        "THEN NULL "
        f"WHEN a.amount_problem IS NOT NULL THEN {_trimmed(amount)} || ' ' || a.amount_problem "
        f"WHEN NOT ({_amount_agrees('r', 'a')}) THEN printf({disagrees}, {_trimmed(amount)}, "
        f"{_trimmed(shares)}, CAST(a.whole AS VARCHAR), {_trimmed('r.shares * a.whole')}) END"
    )
    return (
        "SELECT * FROM (SELECT r.*, p.problem_column, p.problem, "
        f"{problem} AS amount_problem FROM {records} LEFT JOIN key_amounts a USING (key_id)) "
        "WHERE problem IS NOT NULL OR NOT valid OR amount_problem IS NOT NULL ORDER BY row"
    )


def _amount_agrees(records: str, amounts: str) -> str:
    """SQL: a record's shares and amount, where it gives both, agree to the cent."""
    return (
        f"{records}.shares IS NULL OR {records}.amount IS NULL OR "
        f"abs({records}.shares * {amounts}.whole - {records}.amount) < 0.01"
    )


def _amount_good(records: str, amounts: str) -> str:
    """SQL: a record of a good key may give the amount it gives (see :class:`Meaning`)."""
    return (
        f"({records}.amount IS NULL OR ({amounts}.amount_problem IS NULL "
        f"AND ({_amount_agrees(records, amounts)})))"
    )


def _bad_amounts(job: _Job, plan: _Plan, keys: _Keys) -> _Keys:
    """The keys' counts, less the records of good keys whose amount is bad."""
    if plan.columns.amount is None:
        return keys
    job.run(
        "checking the amounts",
        "CREATE TEMP TABLE key_amounts AS "
        "SELECT DISTINCT key_id, whole, amount_problem FROM targets",
    )
    [(bad,)] = job.run(
        "checking the amounts",
        f"SELECT count(*) FROM ({plan.records()}) r JOIN keys k ON {plan.key_match('r', 'k')} "
        f"JOIN key_amounts a USING (key_id) WHERE r.valid AND NOT {_amount_good('r', 'a')}",
    )
    return dataclasses.replace(keys, good=keys.good - bad, bad=keys.bad + bad)


def _listed(job: _Job, plan: _Plan, keys: _Keys) -> HoldingsFileError:
    """The error for a file with bad records: the first ones, by row and column, and a count."""
    rows = job.run(
        "listing the bad records",
        "SELECT row, problem_column, problem, shares_problem, amount_problem "
        f"FROM ({_bad_records(plan)}) LIMIT {MAX_LISTED_PROBLEMS}",
    )
    problems = []
    for row, column, *found in rows:
        for where, problem in zip((column, *plan.columns.held_or_none), found, strict=True):
            if problem is not None:
                problems.append(Problem(plan.source.name, row, where, problem, unit="row"))
    more = keys.bad - len(rows)
    notes = [f"… and {more:,} more bad records"] if more > 0 else []
    what = (
        "every record is bad"
        if not keys.good
        else f"{keys.bad:,} bad record{'s' if keys.bad != 1 else ''}; nothing written "
        "(--skip-bad leaves them out and writes "
        "them to a rejects file beside the output)"
    )
    return HoldingsFileError(
        problems[:MAX_LISTED_PROBLEMS], notes=[*notes, f"{plan.source.name}: {what}"]
    )


def _rejects(plan: _Plan) -> str:
    """Each bad record once: its row, column(s) and problem(s), then its own cells."""
    own = ", ".join(
        f"{csvsafe.escape_sql(f'c{index}')} AS {_name(name)}"
        for index, name in enumerate(plan.names)
    )
    named = [
        f"CASE WHEN {found} IS NOT NULL THEN {_literal(column)} END"
        for found, column in zip(
            ("shares_problem", "amount_problem"), plan.columns.held_or_none, strict=True
        )
        if column is not None
    ]
    return (
        'SELECT row AS "row", '
        f"concat_ws(', ', problem_column, {', '.join(named)}) "
        'AS "column", concat_ws(\'; \', problem, shares_problem, amount_problem) AS "problem", '
        f"{own} FROM ({_bad_records(plan)})"
    )


# ------------------------------------------------------------------- boxes


#: The SQL function that turns dollars received into a box's dollars (see :func:`_received`).
_RECEIVED = "xl_reit_received"


def _received(job: _Job, targets: list[Target], resolver: Resolver) -> None:
    """Give DuckDB the function ``xl_reit_received(target, box, dollars)``: a box's dollars.

    The holdings rule, in Python (:func:`xl_reit.records.received_dollars`):
    the dollars received times each figure's fraction, the division last, so
    exact wherever it terminates; rounded half-even to the output's
    ``9 + places`` decimal places where it does not. Called once per group,
    class-year and payment that dollars are received on, after the records
    are added up.
    """
    shape = resolver.layout
    place = Decimal(1).scaleb(-(SHARE_PLACES + shape.places))
    wide = decimal.Context(prec=80)
    worked: dict[tuple[int, str], tuple[str, ...]] = {}

    def received(target: int, box: int, amount: str) -> str:
        found = worked.get((target, amount))
        if found is None:
            dollars = received_dollars(targets[target], Decimal(amount), shape)
            found = tuple(format(wide.quantize(value, place), "f") for value in dollars)
            if len(worked) > 10_000:
                worked.clear()
            worked[(target, amount)] = found
        return found[box]

    job.connection.create_function(
        _RECEIVED, received, ["BIGINT", "INTEGER", "VARCHAR"], "VARCHAR", side_effects=False
    )


def _added(plan: _Plan, resolver: Resolver, part: str) -> str:
    """The boxes per group and class-year of the groups ``part`` holds (SQL of ``r.g0…``),
    unformatted: ``missing`` and sums ``s0…``.

    Shares × dollars per share, added up; with an amount column, the dollars
    received are added up per payment first, then made boxes (:func:`_received`).
    """
    boxes = resolver.layout.columns
    groups = "".join(f"r.g{index}, " for index in range(len(plan.columns.by)))
    match = "gathered r JOIN targets t USING (key_id)"
    if plan.columns.amount is None:
        held = "CASE WHEN r.shares > 0 THEN t.lacking ELSE 0 END"
        added = ", ".join(f"sum(r.shares * t.d{index}) AS s{index}" for index in range(len(boxes)))
        return (
            f"SELECT {groups}t.class_year, bit_or(t.unknown | {held}) AS missing, {added} "
            f"FROM {match} WHERE {part} GROUP BY ALL"
        )
    received = "CASE WHEN r.shares IS NULL THEN r.amount END"
    held = f"CASE WHEN r.shares > 0 OR {received} > 0 THEN t.lacking ELSE 0 END"
    added = ", ".join(f"sum(r.shares * t.d{index}) AS s{index}" for index in range(len(boxes)))
    by_payment = (
        f"SELECT {groups}t.class_year, CASE WHEN {received} IS NOT NULL THEN t.target_id END "
        f"AS target_id, bit_or(t.unknown | {held}) AS missing, {added}, "
        f"sum({received}) AS received FROM {match} "
        f"WHERE {part} AND {_amount_good('r', 't')} GROUP BY ALL"
    )
    kind = f"DECIMAL(38, {SHARE_PLACES + resolver.layout.places})"
    boxes_of = ", ".join(
        f"sum(coalesce(s{index}, 0) + coalesce(CAST({_RECEIVED}(target_id, {index}, "
        f"CAST(received AS VARCHAR)) AS {kind}), 0)) AS s{index}"
        for index in range(len(boxes))
    )
    outer = "".join(f"g{index}, " for index in range(len(plan.columns.by)))
    return (
        f"SELECT {outer}class_year, bit_or(missing) AS missing, {boxes_of} "
        f"FROM ({by_payment}) GROUP BY ALL"
    )


#: What one group's sums take in DuckDB's hash table, in bytes: a guess from above, for
#: the number of passes (:func:`_add_up`), by each grouping column and box.
_GROUP_BYTES, _COLUMN_BYTES, _BOX_BYTES = 64, 16, 32
#: The share of DuckDB's limit one pass's sums may take.
_PASS_SHARE = 0.75


def _add_up(job: _Job, plan: _Plan, resolver: Resolver, records: int) -> None:
    """Step 4: the boxes per group and class-year, in table ``added``, in passes that each fit.

    DuckDB's hash aggregation does not keep within its limit once the groups'
    sums (a dozen 38-digit decimals each) outgrow it: it keeps partial sums
    of the same groups as the records stream in, and runs out of memory
    (DuckDB 2.0; duckdb/duckdb#22474).
    So the records are read once, into ``gathered`` (the grouping cells,
    the key's id and the exact shares: DuckDB spills it to disk as it
    grows), their groups counted (HyperLogLog: a few percent off), and the
    groups added up in as many passes, each of a hash slice of the groups,
    as keep each pass's sums within a share of the limit. (Not counted
    where even one group for each of the ``records`` good ones fits.)
    """
    by = range(len(plan.columns.by))
    amount = "" if plan.columns.amount is None else ", r.amount"
    job.run(
        "reading the records",
        "CREATE TEMP TABLE gathered AS SELECT "
        f"{''.join(f'r.g{index}, ' for index in by)}k.key_id, r.shares{amount} "
        f"FROM ({plan.records()}) r JOIN keys k ON {plan.key_match('r', 'k')} WHERE r.valid",
    )
    passes = 1
    width = _GROUP_BYTES + _COLUMN_BYTES * len(by) + _BOX_BYTES * len(resolver.layout.columns)
    budget = None if job.engine_bytes is None else job.engine_bytes * _PASS_SHARE
    # a record received on a split payment can be a group on each of its payments
    fits = plan.columns.amount is None and records * width <= (budget or 0)
    if by and budget is not None and not fits:
        if plan.columns.amount is None:
            targets, received = "(SELECT DISTINCT key_id, class_year FROM targets)", ""
        else:
            targets, received = "targets", ", CASE WHEN r.shares IS NULL THEN t.target_id END"
        group = f"hash({''.join(f'r.g{index}, ' for index in by)}t.class_year{received})"
        [(groups,)] = job.run(
            "counting the groups",
            f"SELECT approx_count_distinct({group}) FROM gathered r JOIN {targets} t "
            "USING (key_id)",
        )
        passes = max(1, math.ceil(groups * width / budget))
    hashed = f"hash({', '.join(f'r.g{index}' for index in by)})"
    for each in range(passes):
        part = "true" if passes == 1 else f"{hashed} % {passes} = {each}"
        start = "CREATE TEMP TABLE added AS" if each == 0 else "INSERT INTO added"
        step = "adding up" if passes == 1 else f"adding up (pass {each + 1} of {passes})"
        job.run(step, f"{start} {_added(plan, resolver, part)}")
    job.run("adding up", "DROP TABLE gathered")  # its memory and disk, for the sort


def _boxes(plan: _Plan, resolver: Resolver, fmt: str) -> str:
    """The boxes per group, class and tax year, in exact decimals, from ``added`` (step 4)."""
    boxes = resolver.layout.columns
    groups = [f"g{index}" for index in range(len(plan.columns.by))]

    def shown(sum_: str) -> str:
        if fmt == "parquet":
            return sum_  # DECIMAL(38, 9 + places): exact, and read back as exact
        return f"rtrim(rtrim(CAST({sum_} AS VARCHAR), '0'), '.')"  # 3.1843200… → 3.18432

    def group(index: int, name: str) -> str:
        cell = f"g{index}"
        if fmt == "csv" and plan.types[name] == "VARCHAR":
            cell = csvsafe.escape_sql(cell)
        return f"{cell} AS {_name(name)}"

    cells = [
        *(group(index, name) for index, name in enumerate(plan.columns.by)),
        *(_name(name) for name in OUTPUT_COLUMNS),
        *(
            f"CASE WHEN missing & {1 << index} = 0 THEN {shown(f's{index}')} END AS {_name(box)}"
            for index, box in enumerate(boxes)
        ),
    ]
    order = ", ".join([*groups, *OUTPUT_COLUMNS])
    return (
        f"SELECT {', '.join(cells)} FROM added JOIN class_years USING (class_year) ORDER BY {order}"
    )


def _copy(
    job: _Job, step: str, select: str, path: Path, fmt: str, overwrite: bool, argument: str
) -> tuple[Path, int]:
    """``COPY`` the rows of ``select`` to ``path`` in ``fmt``, atomically: the path and the rows."""
    options = {
        "csv": "FORMAT csv, HEADER true",
        "json": "FORMAT json, ARRAY true",
        "parquet": "FORMAT parquet",
    }[fmt]
    written: list[int] = []

    def write(temporary: Path) -> None:
        try:
            with _boxes_fit():
                [(count,)] = job.run(
                    step,
                    f"COPY ({select}) TO {_literal(str(temporary))} "
                    f"({options}, USE_TMP_FILE false)",
                )
        except duckdb.IOException as error:
            raise OutputFileError(f"{argument} {str(path)!r}: {_first_line(error)}") from None
        written.append(int(count))

    return write_atomically(path, write, overwrite=overwrite, argument=argument), written[0]


@contextlib.contextmanager
def _boxes_fit() -> Iterator[None]:
    """Turn DuckDB's overflow of a sum, or its running out of memory, into the run's error."""
    try:
        yield
    except duckdb.OutOfRangeException as error:
        raise XlReitError(
            f"a box does not fit 38 digits exactly; nothing written ({_first_line(error)})"
        ) from None
    except duckdb.OutOfMemoryException as error:
        raise _out_of_memory(error) from None


def rejects_path(output: str | Path) -> Path:
    """Where ``--skip-bad`` writes the bad records: beside the output, ``boxes.rejects.csv``."""
    path = Path(output)
    return path.with_name(f"{path.stem}.rejects.csv")


@contextlib.contextmanager
def _reading(path: Path, source: str) -> Iterator[None]:
    """Turn DuckDB's complaint about the records into the file's error."""
    try:
        yield
    except duckdb.Error as error:
        raise _unreadable(path, source, error) from None


def _out_of_memory(error: duckdb.Error) -> XlReitError:
    return XlReitError(
        f"the run needs more memory than its limit (DuckDB: {_first_line(error)}); nothing "
        "written. Give write_boxes a larger memory_limit, or split the records"
    )


def _unreadable(path: Path, source: str, error: duckdb.Error) -> XlReitError:
    """The error for records DuckDB could not read: what is wrong with the file, if it can be
    told (by its row, with the fix), else DuckDB's complaint."""
    if isinstance(error, duckdb.OutOfMemoryException):
        return _out_of_memory(error)
    found = csv_problem(path, source)
    if found is not None:
        return HoldingsFileError([found])
    return HoldingsFileError(f"{source}: cannot read the records: {_first_line(error)}")


def csv_problem(path: Path, source: str) -> Problem | None:
    """What makes a CSV file unreadable as records, by its first bad row: not UTF-8 text (a
    Windows-1252 or Latin-1 export), or line ends that change kind (CRLF, then LF).

    Read in chunks (any size); ``None`` for a file with neither, or that is not plain CSV.
    """
    try:
        with path.open("rb") as stream:
            head = stream.read(4)
            if head.startswith((_PARQUET_MAGIC, _GZIP_MAGIC, b"\xff\xfe", b"\xfe\xff")):
                return None
            stream.seek(0)
            return _first_bad_row(stream, source)
    except OSError:
        return None


def _first_bad_row(stream: Any, source: str) -> Problem | None:
    """The first row that is not UTF-8, or whose line end is not the first line's kind."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0  # line ends before this chunk
    first: str | None = None  # the first line's end: "CRLF" or "LF"
    carry = b""  # the last byte of the chunk before, so a CRLF split between two is seen
    while chunk := stream.read(_DIAGNOSIS_CHUNK):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as error:
            line = lines + chunk.count(b"\n", 0, error.start) + 1
            what = (
                f"not UTF-8 text (byte 0x{chunk[error.start]:02x} on line {line}): save the file "
                "as UTF-8 (Excel: CSV UTF-8), or convert it (iconv -f WINDOWS-1252 -t UTF-8)"
            )
            return Problem(source, line - 1, None, what, unit="row")
        text = carry + chunk
        end = text.find(b"\n")
        if first is None and end >= 0:
            first = "CRLF" if text[end - 1 : end] == b"\r" else "LF"
        other = {"CRLF": _LF_ALONE, "LF": _CRLF}.get(first or "")
        odd = other.search(text) if other is not None else None
        if odd is not None:
            line = lines - carry.count(b"\n") + text.count(b"\n", 0, odd.start()) + 1
            what = (
                f"line {line} ends with {_LINE_ENDS[first == 'LF']} where the first line ends "
                f"with {_LINE_ENDS[first == 'CRLF']}: the file mixes line ends; save it again "
                "with one kind (dos2unix or unix2dos converts it)"
            )
            return Problem(source, line - 1, None, what, unit="row")
        lines += chunk.count(b"\n")
        carry = chunk[-1:]
    return None


def write_boxes(
    source: str | Path,
    by: Sequence[str],
    output: str | Path,
    *,
    fmt: str | None = None,
    skip_bad: bool = False,
    rejects: str | Path | None = None,
    overwrite: bool = False,
    table: AllocationTable | None = None,
    tax_year: int | None = None,
    memory_limit: str = MEMORY_LIMIT,
    progress: Progress | None = None,
) -> Summary:
    """Read the records in ``source``, add them up per ``by`` group, class and year, write them.

    ``fmt`` is ``csv``, ``json`` or ``parquet`` (default: from ``output``'s
    suffix). Bad records raise :class:`~xl_reit.errors.HoldingsFileError`
    naming the first ones by row and column, and how many there are, and
    nothing is written; with ``skip_bad`` they are left out and written,
    with their row, column and problem, to ``rejects`` (default:
    :func:`rejects_path`), unless no good record remains. Neither file
    replaces an existing one without ``overwrite``. ``tax_year`` is the
    year an undated record holds its shares in (default: the latest the
    table holds for the class). ``progress`` hears how a long step is going.
    """
    name = str(source)
    chosen = fmt or output_format(output)
    with _job(memory_limit, progress) as job:
        plan = _plan(job, Path(source), by, name)
        resolver = Resolver(plan.columns, table, tax_year)
        with _reading(Path(source), name):
            keys = _keys(job, plan, resolver)
            if not keys.good and not keys.bad:
                raise HoldingsFileError(f"{name}: no records below the header")
            targets = _load_targets(job, plan, keys, resolver)
            keys = _bad_amounts(job, plan, keys)
            if plan.columns.amount is not None:
                _received(job, targets, resolver)
            if keys.bad and (not skip_bad or not keys.good):
                raise _listed(job, plan, keys)
        rejected = None
        if keys.bad:
            place = rejects_path(output) if rejects is None else Path(rejects)
            rejected, _ = _copy(
                job, "writing the bad records", _rejects(plan), place, "csv", overwrite, "rejects"
            )
        with _boxes_fit():
            _add_up(job, plan, resolver, keys.good)
        written, rows = _copy(
            job,
            "writing the boxes",
            _boxes(plan, resolver, chosen),
            Path(output),
            chosen,
            overwrite,
            "output",
        )
    return Summary(keys.good, keys.bad, rows, written, rejected, plan.columns.passed_over)
