"""The commands: each takes the parsed arguments, does its one job and returns the exit code.

A command reports a problem the user can fix by raising
:class:`~xl_reit.errors.XlReitError`; :func:`xl_reit.cli.main` prints it
(``xl-reit COMMAND: error: …``) and exits 1. What a command prints goes to
standard output, or with ``-o`` to a file written atomically (``-o -``: standard
output again, so that every command takes it alike).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .. import lookup
from ..atomic import write_atomically
from ..cusip import validate as validate_cusip
from ..dates import to_date
from ..errors import InvalidCusipError, OutputFileError, XlReitError, shown
from ..form1099 import compute, shown_figures
from ..holdings import Holdings, read_holdings
from ..holdings.broker import Difference, differences, read_broker
from ..model import SecurityClass
from ..sources import read_release
from ..table import (
    BUNDLED_FILES,
    default_table,
    environment_tables,
    load_table,
    set_default_table,
)
from ..tablefile import record, write_text
from . import render

if TYPE_CHECKING:
    from ..importer import GivenCusip, ImportResult

__all__ = [
    "PROG",
    "load_tables",
    "run_1099",
    "run_basis",
    "run_import",
    "run_lite",
    "run_lookup",
    "run_payments",
    "run_template",
]

PROG = "xl-reit"
#: ``-o -``: standard output, as for other tools; a binary file goes there only through a
#: pipe or a redirection, never to a terminal.
STDOUT = "-"


def _printed(output: str | None) -> bool:
    """Whether ``-o`` asks for standard output: no ``-o``, or ``-o -``."""
    return output is None or output == STDOUT


def _binary_out(path: Path) -> None:
    """The binary file at ``path`` to standard output, refused when that is a terminal."""
    sys.stdout.flush()
    with path.open("rb") as data:
        shutil.copyfileobj(data, sys.stdout.buffer)
    sys.stdout.buffer.flush()


def _refuse_terminal(what: str) -> None:
    """``-o -`` for a binary file: refused before any work when standard output is a terminal."""
    if sys.stdout.isatty():
        raise OutputFileError(
            f"-o -: {what} is binary and standard output is a terminal; redirect it "
            "(-o - > FILE, or into a pipe) or give -o FILE"
        )


def _write(output: str, data: bytes, *, force: bool) -> Path:
    """``data`` to ``output``, atomically, never over a file without ``force``."""

    def write(temporary: Path) -> None:
        temporary.write_bytes(data)

    return write_atomically(output, write, overwrite=force)


def _emit(args: argparse.Namespace, text: str) -> None:
    """Print ``text``, or with ``-o`` write it to that file atomically (``--force`` to replace)."""
    if _printed(args.output):
        print(text)
        return
    print(f"wrote {_write(args.output, (text + chr(10)).encode('utf-8'), force=args.force)}")


def _read_holdings(args: argparse.Namespace, *, every_year: bool = False) -> Holdings:
    """The holdings file; with ``--skip-bad``, what was left out is listed on stderr.

    With ``every_year`` an undated line holds its shares in every year loaded
    (for :meth:`Holdings.for_year` to choose, or a basis to be carried over).
    """
    holdings = read_holdings(
        args.holdings,
        skip_bad=args.skip_bad,
        tax_year=None if every_year else getattr(args, "year", None),
        every_year=every_year,
    )
    if holdings.skipped:
        print(
            f"{PROG} {args.command}: warning: --skip-bad left out {_skipped(holdings)}; "
            "nothing from them is counted:\n" + "\n".join(map(str, holdings.skipped)),
            file=sys.stderr,
        )
    return holdings


def _skipped(holdings: Holdings) -> str:
    """``2 bad lines of mine.csv (3, 7)``."""
    count = len(holdings.skipped_lines)
    lines = ", ".join(map(str, holdings.skipped_lines))
    return f"{count} bad line{'s' if count != 1 else ''} of {holdings.source} ({lines})"


def _chosen(securities: Sequence[str] | None, argument: str) -> tuple[SecurityClass, ...]:
    """Every class-year of the named securities (all when none is named), in the table's order."""
    table = default_table()
    if not securities:
        return tuple(table.classes.values())
    cusips = {lookup.find_class(security, table, argument).cusip for security in securities}
    return tuple(security for security in table.classes.values() if security.cusip in cusips)


def load_tables(args: argparse.Namespace) -> None:
    """Make ``--table``/``--override`` the table every lookup uses, with ``XL_REIT_DATA``'s."""
    if not args.data and not args.override:
        return
    paths, override = environment_tables()
    set_default_table(load_table([*paths, *args.data], override=args.override or override))


# ------------------------------------------------------------------ commands


def run_template(args: argparse.Namespace) -> int:
    """Build the template workbook and write it, atomically."""
    from .. import workbook  # openpyxl only for this command

    # Without --year or --cusip an undated line may be on any year its class has: the
    # year chosen is the latest all the lines share (see _template_classes).
    every_year = args.year is None and not args.cusip
    holdings = _read_holdings(args, every_year=every_year) if args.holdings else None
    if args.output == STDOUT:
        _refuse_terminal("the workbook (.xlsx)")
    classes = workbook.classes_for_year(
        _template_classes(args, holdings), args.year, strict=bool(args.cusip)
    )
    if holdings is not None and every_year:
        holdings = holdings.for_year(classes[0].tax_year)
    lots = None
    if holdings is not None and any(lot.terms.cost is not None for lot in holdings.lots):
        # A lot's basis is carried over every year loaded, not only the workbook's.
        lots = read_holdings(args.holdings, skip_bad=args.skip_bad, every_year=True).lots
    payments = sum(len(security.payments) for security in classes)
    made = (
        f"({_count(len(classes), 'class', 'classes')}, "
        f"{_count(payments, 'payment', 'payments')}, tax year {classes[0].tax_year})"
    )
    if args.output == STDOUT:
        with tempfile.TemporaryDirectory(prefix="xl-reit-") as folder:
            path = workbook.write_template(
                Path(folder) / "template.xlsx", classes, holdings, live=args.live, lots=lots
            )
            _binary_out(path)
        print(f"{PROG} template: wrote the workbook to standard output {made}", file=sys.stderr)
        return 0
    path = workbook.write_template(
        args.output, classes, holdings, overwrite=args.force, live=args.live, lots=lots
    )
    print(f"wrote {path} {made}")
    return 0


def _template_classes(
    args: argparse.Namespace, holdings: Holdings | None
) -> tuple[SecurityClass, ...]:
    """The workbook's classes: --cusip's, else every class of one tax year.

    The year is --year; else the latest year that every class --cusip names,
    or the holdings name, or your own tables hold, has a table for (the
    latest of any, when they share none); else the latest of all. xl-reit
    bundles several releases: a workbook for your holdings, or for a release
    you imported, should not default to the latest bundled year, nor to a
    year in which only one of the classes you hold has a table (Aimco's
    common has 2004 and 2013, its preferreds 2004 only).
    """
    every = _chosen(args.cusip, "--cusip")
    if args.year is not None:
        return every
    bundled = set(BUNDLED_FILES)
    yours = every if args.cusip else holdings.classes if holdings is not None else ()
    yours = yours or tuple(s for s in every if not set(s.files) <= bundled)
    if not yours:
        return every
    year = _latest_shared_year(yours)
    return tuple(security for security in every if security.tax_year == year)


def _latest_shared_year(classes: Sequence[SecurityClass]) -> int:
    """The latest tax year every class of ``classes`` has, else the latest of any."""
    years: dict[str, set[int]] = {}
    for security in classes:
        years.setdefault(security.cusip, set()).add(security.tax_year)
    shared = set.intersection(*years.values())
    return max(shared or {security.tax_year for security in classes})


def _count(number: int, one: str, many: str) -> str:
    """``1 class``, ``8 classes``."""
    return f"{number:,} {one if number == 1 else many}"


def run_lookup(args: argparse.Namespace) -> int:
    """Print one allocation: the number REIT_ALLOC returns, then as a percentage."""
    value = lookup.allocation(args.cusip, args.date, args.component, tax_year=args.tax_year)
    print(f"{float(value)!r} ({render.percent(value)})")
    return 0


def run_payments(args: argparse.Namespace) -> int:
    """Print the payments (and printed annual lines) of the chosen classes."""
    classes = _chosen(args.cusip, "cusip")
    figures = shown_figures(classes)
    lines = [line for security in classes for line in security.lines]
    split = any(line.is_split or line.distribution is not None for line in lines)
    excess = any(line.parts_excess is not None for line in lines)
    if args.format == "json":
        records = [
            {
                **record(line, figures, split, excess),
                "origin": f"{line.origin.file}:{line.origin.line}",
                "findings": list(line.findings),
            }
            for line in lines
        ]
        _emit(args, render.json_text(records))
    elif args.format == "csv":
        _emit(args, write_text(lines, figures))
    else:
        _emit(args, render.payments_table(classes))
    return 0


def run_1099(args: argparse.Namespace) -> int:
    """Print the Form 1099-DIV amounts for a holdings file (with ``--by``: bulk records).

    One form, one tax year (:meth:`~xl_reit.holdings.Holdings.for_year`).
    Lines that ``--skip-bad`` left out are listed on stderr, in the JSON
    (``skipped``) and under the table; the CSV holds figures only. With
    ``--check``, the boxes that differ from the broker's form follow the
    table (in the JSON: ``check``; with CSV: on standard error), and the
    exit code is 1 if any does.
    """
    if args.by is not None:
        return _run_bulk(args)
    if args.format == "parquet":
        raise XlReitError("--format parquet: give --by COLUMN, for one row per group and class")
    holdings = _read_holdings(args, every_year=True).for_year(args.year)
    forms = compute(holdings.classes, holdings.shares_for, holdings.amount_for)
    tax_year = holdings.classes[0].tax_year
    found: list[Difference] | None = None
    report = ""
    if args.check is not None:
        broker = read_broker(args.check, tax_year)
        found = [d for form in forms for d in differences(form, holdings, broker)]
        report = render.check_text(found, broker.source, tax_year)
    if args.format == "json":
        data = {
            "holdings": holdings.source,
            "skipped": [str(problem) for problem in holdings.skipped],
            "forms": [render.form_json(form) for form in forms],
            "lots": render.lots_json(holdings.lots, tax_year),
            "basis": render.basis_json(holdings.lots, tax_year),
        }
        if found is not None:
            data["check"] = render.check_json(found)
        text = render.json_text(data)
    elif args.format == "csv":
        text = render.form_csv(forms)
        if report:
            print(report, file=sys.stderr)
    else:
        parts = [render.form_table(form, holdings.source) for form in forms]
        parts += [
            render.lots_text(holdings.lots, tax_year),
            render.basis_text(holdings.lots, tax_year),
        ]
        if holdings.skipped:
            parts.append(f"Not counted: {_skipped(holdings)}, left out by --skip-bad.")
        text = "\n\n".join(part for part in [*parts, report] if part)
    _emit(args, text)
    return 1 if found else 0


def run_basis(args: argparse.Namespace) -> int:
    """Print each lot's cost basis after return of capital, across every year loaded."""
    holdings = _read_holdings(args, every_year=True)
    if not any(lot.terms.cost is not None for lot in holdings.lots):
        raise XlReitError(
            f"{args.holdings}: no line gives a Cost; give each lot's cost in a Cost column "
            "(with Acquired, and Sold where sold)"
        )
    if args.format == "json":
        text = render.json_text(
            {"holdings": holdings.source, "basis": render.basis_json(holdings.lots)}
        )
    else:
        text = render.basis_text(holdings.lots)
    _emit(args, text)
    return 0


class _TerminalProgress:
    """How far a long bulk run is, on one line of a terminal (standard error)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, step: str, percent: float) -> None:
        self.stream.write(f"\r{PROG} 1099: {step}… {percent:3.0f}%\033[K")
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        """Clear the line, so that what follows starts on a clean one."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


def _note_passed_over(source: str, columns: Sequence[str]) -> None:
    """Say on standard error which of the records' columns ``--by`` did not use, and why."""
    if columns:
        print(
            f"{PROG} 1099: note: {source}'s {', '.join(map(repr, columns))} column is passed "
            "over: --by gives each group's boxes, not each lot's basis; for bases run "
            f"`{PROG} 1099 FILE` or `{PROG} basis FILE` on a holdings file",
            file=sys.stderr,
        )


def _run_bulk(args: argparse.Namespace) -> int:
    """1099-DIV boxes per ``--by`` group, class and tax year for bulk records, with DuckDB.

    With ``-o`` the boxes go to that file (``--skip-bad``: the bad records
    beside it), else to standard output as CSV or JSON; a terminal hears
    how a long run is going.
    """
    from .. import bulk  # DuckDB only for --by

    printed = _printed(args.output)
    chosen = args.format or (bulk.output_format(args.output) if not printed else "csv")
    if chosen == "table":
        raise XlReitError(
            "--by writes a row per group, class and tax year: give --format csv, json or "
            "parquet, or -o FILE with one of those suffixes"
        )
    if printed and args.skip_bad:
        raise XlReitError(
            "--skip-bad with --by writes files: give -o FILE (the bad records go to "
            "FILE.rejects.csv beside it)"
        )
    if args.output is None and chosen == "parquet":
        raise XlReitError(
            "--format parquet with --by writes files: give -o FILE (or -o - into a pipe)"
        )
    if chosen == "parquet" and printed:
        _refuse_terminal("Parquet")
    progress = _TerminalProgress(sys.stderr) if sys.stderr.isatty() else None

    def write(output: str | Path) -> bulk.Summary:
        try:
            return bulk.write_boxes(
                args.holdings,
                args.by,
                output,
                fmt=chosen,
                skip_bad=args.skip_bad,
                overwrite=args.force,
                tax_year=args.year,
                progress=progress,
            )
        finally:
            if progress is not None:
                progress.done()

    if printed:
        with tempfile.TemporaryDirectory(prefix="xl-reit-") as folder:
            summary = write(Path(folder) / f"boxes.{chosen}")
            _note_passed_over(args.holdings, summary.passed_over)
            written = summary.output
            if chosen == "parquet":
                _binary_out(written)
            else:
                with written.open(encoding="utf-8") as text:
                    shutil.copyfileobj(text, sys.stdout)
        return 0
    summary = write(args.output)
    _note_passed_over(args.holdings, summary.passed_over)
    if summary.bad:
        print(
            f"{PROG} 1099: warning: --skip-bad left out {summary.bad:,} bad record"
            f"{'s' if summary.bad != 1 else ''} of {args.holdings}; nothing from them is "
            f"counted; each is in {summary.rejects} with its row and what is wrong",
            file=sys.stderr,
        )
    rows = f"{summary.rows:,} row{'s' if summary.rows != 1 else ''}"
    print(f"wrote {summary.output} ({rows} from {summary.records:,} records)")
    return 0


# -------------------------------------------------------------------- import


def _symbols(pairs: Sequence[str]) -> dict[str, str]:
    """``--symbol CUSIP=SYMBOL`` options as a mapping."""
    symbols: dict[str, str] = {}
    for pair in pairs:
        key, _, symbol = pair.partition("=")
        if not key.strip() or not symbol.strip():
            raise XlReitError(f"--symbol {pair!r}: give CUSIP=SYMBOL, e.g. 03748R-10-1=AIV")
        symbols[key.strip()] = symbol.strip()
    return symbols


def _cusips(values: Sequence[str]) -> list[GivenCusip]:
    """``--cusip [CLASS=]CUSIP`` options, each CUSIP checked."""
    from ..importer import GivenCusip

    given = []
    for value in values:
        text, _, code = value.rpartition("=")
        argument = f"--cusip {shown(value)}"
        if "=" in value and not text.strip():
            raise XlReitError(f"{argument}: CLASS before '=' is empty; give CLASS=CUSIP or CUSIP")
        try:
            cusip = validate_cusip(code, "CUSIP")
        except InvalidCusipError as error:
            reason = str(error).split(": ", 1)[-1]
            raise InvalidCusipError(
                f"{argument}: {reason}; give CUSIP or CLASS=CUSIP, CLASS being part of the "
                "class's heading"
            ) from None
        given.append(GivenCusip(text.strip() or None, cusip))
    return given


def run_import(args: argparse.Namespace) -> int:
    """Import a release into a table file (see :mod:`xl_reit.importer`).

    The release is its text, its saved web page or its PDF (see
    :mod:`xl_reit.sources`); what reading it had to assume (an encoding, a
    file whose name says another kind) is printed on standard error.

    Prints the report, and writes the table: with ``-o`` to that file
    (atomically, never over a file without ``--force``) and the report to
    standard output; without it the table to standard output (so
    ``xl-reit import r.txt > t.csv`` works) and the report to standard
    error. Exits 0 when everything reconciles; 1 when something does not
    reconcile or could not be read: then nothing is written unless
    ``--allow-gaps``, which writes the classes that reconcile with each gap
    in their notes (the exit code stays 1).
    """
    from .. import importer

    printed = _printed(args.output)
    if not printed and Path(args.output).exists() and not args.force:
        raise XlReitError(f"{args.output!r} exists; give --force to replace it")
    symbols = _symbols(args.symbol or ())
    cusips = _cusips(args.cusip or ())
    release_date = to_date(args.release_date, "--release-date") if args.release_date else None
    release = read_release(args.release)
    for note in release.notes:
        print(f"{PROG} import: {note}", file=sys.stderr)
    result = importer.parse_release(
        release.text,
        source_name=Path(args.release).name,
        issuer=args.issuer,
        tax_year=args.tax_year,
        release_date=release_date,
        symbols=symbols,
        cusips=cusips,
        as_printed=args.as_printed,
    )
    report = sys.stderr if printed else sys.stdout
    report.write(result.report_text())
    if not result.rows:
        raise XlReitError(f"nothing written: {_tally(result)}; no class reconciles")
    if not result.ok and not args.allow_gaps:
        raise XlReitError(
            f"nothing written: {_tally(result)}. Fix the release text (or give what it lacks: "
            "--cusip, --issuer, --tax-year), or give --allow-gaps to write the classes that "
            "reconcile with their gaps in the notes."
        )
    table = result.to_csv(allow_gaps=True)
    if printed:
        sys.stdout.write(table)
    else:
        written = _write(args.output, table.encode("utf-8"), force=args.force)
        print(f"{PROG} import: wrote {len(result.rows)} rows to {written}", file=report)
    return 0 if result.ok else 1


def _tally(result: ImportResult) -> str:
    """ "2 problem(s), 1 gap(s) (see the report)": what stopped an import."""
    report = result.report
    problems, gaps = len(report.of_kind("problem")), len(report.of_kind("gap"))
    return f"{problems} problem(s), {gaps} gap(s) (see the report)"


# ---------------------------------------------------------------------- lite


def run_lite(args: argparse.Namespace) -> int:
    """Write the main.py and requirements.txt of an xlwings Lite workbook into a folder.

    Neither file is written when either exists, unless ``--force``: the two
    go together. Prints where they went and what to do with them in Excel.
    """
    from .. import lite

    main_py = lite.MAIN_PY if args.from_pypi else lite.main_py()
    requirements = lite.requirements_txt(from_pypi=args.from_pypi)
    if args.output == STDOUT:
        raise OutputFileError(
            "-o -: lite writes two files, main.py and requirements.txt, into a folder; "
            "give -o FOLDER"
        )
    folder = Path(args.output)
    files = {folder / "main.py": main_py, folder / "requirements.txt": requirements}
    taken = [str(path) for path in files if path.exists()]
    if taken and not args.force:
        raise OutputFileError(
            f"-o {str(folder)!r}: {' and '.join(taken)} exist; give --force to replace them, "
            "or another folder with -o"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputFileError(
            f"-o {str(folder)!r}: cannot make the folder: {error.strerror or error}"
        ) from None
    for path, text in files.items():
        _write(str(path), text.encode("utf-8"), force=args.force)
    print(render.lite_steps(folder, len(main_py.encode("utf-8")), from_pypi=args.from_pypi))
    return 0
