"""The ``xl-reit`` command line: parse the arguments, call the modules, print.

::

    xl-reit template [-o PATH] [--cusip C ...] [--year YEAR] [--holdings FILE [--skip-bad]]
                     [--live] [--force]
    xl-reit lookup CUSIP DATE COMPONENT [--tax-year YEAR]
    xl-reit payments [CUSIP ...] [--format table|csv|json] [-o PATH [--force]]
    xl-reit 1099 HOLDINGS [--skip-bad] [--year YEAR] [--check BROKER] [--format table|csv|json]
                 [-o PATH [--force]]
    xl-reit basis HOLDINGS [--skip-bad] [--format table|json] [-o PATH [--force]]
    xl-reit 1099 RECORDS --by COLUMN[,COLUMN...] [--skip-bad] [--year YEAR]
                 [--format csv|json|parquet] [-o PATH [--force]]
    xl-reit import RELEASE.txt|.html|.pdf [-o TABLE.csv [--force]] [--issuer NAME]
                   [--tax-year YEAR] [--release-date DATE] [--symbol CUSIP=SYMBOL ...]
                   [--cusip [CLASS=]CUSIP ...] [--allow-gaps] [--as-printed]
    xl-reit lite [-o FOLDER] [--from-pypi] [--force]

Results go to standard output, or with ``-o`` to a file, written atomically
and never over an existing file without ``--force``; a problem goes to
standard error as one message without a traceback. Exit codes: 0 done; 1 a
problem with the input or the data (any :class:`~xl_reit.errors.XlReitError`:
the message says what to fix); 2 a usage error (a missing or unknown
argument, from argparse); 130 interrupted; 141 the reader of the output went
away (``| head``).

``--skip-bad`` leaves out the bad lines of a holdings file instead of
stopping, and lists each on standard error (file, line, column, why) before
the results; the exit code is 0 when at least one good line remains, else 1.
With ``--by`` (bulk records, :mod:`xl_reit.bulk`) it writes them, by row, to a
rejects file beside the output instead.

CSV output is safe to open in a spreadsheet: a text cell that starts with
``= + - @``, a tab or a carriage return gets a leading ``'`` (see
:mod:`xl_reit.csvsafe`), which the table loader takes off again.

Figures are printed exactly: ``--format csv`` and ``json`` give exact decimal
strings (dividends and percentages as the release prints them; 1099 dollars
unrounded). The terminal table of ``1099`` rounds dollars to cents, half up,
as the workbook shows them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TypeAlias

from .._version import __version__
from ..components import summary
from ..errors import XlReitError
from ..sources import INPUTS
from .commands import (
    PROG,
    load_tables,
    run_1099,
    run_basis,
    run_import,
    run_lite,
    run_lookup,
    run_payments,
    run_template,
)

__all__ = ["main"]

DEFAULT_OUTPUT = "xl-reit-template.xlsx"
DEFAULT_LITE_FOLDER = "xl-reit-lite"
FORMATS = ("table", "csv", "json")


def _data_options() -> argparse.ArgumentParser:
    """``--table`` and ``--override``, which every command that reads a table takes."""
    options = argparse.ArgumentParser(add_help=False)
    tables = options.add_argument_group("tables")
    tables.add_argument(
        "--table",
        "--data",
        dest="data",
        action="append",
        default=[],
        metavar="FILE",
        help="also load this table file (CSV, as in xl_reit/data); repeatable; added to any "
        "that XL_REIT_DATA names",
    )
    tables.add_argument(
        "--override",
        action="store_true",
        help="let a loaded file replace a bundled class-year (also: XL_REIT_OVERRIDE=1)",
    )
    return options


def _output_options(command: argparse.ArgumentParser, metavar: str = "PATH") -> None:
    """``-o/--output`` and ``--force`` for a command that prints by default."""
    command.add_argument(
        "-o",
        "--output",
        metavar=metavar,
        help="write to this file (atomically) instead of printing (- prints, as without -o); "
        "never replaces a file without --force",
    )
    command.add_argument("--force", action="store_true", help="replace an existing --output file")


def _skip_bad_option(command: argparse.ArgumentParser, also: str = "") -> None:
    command.add_argument(
        "--skip-bad",
        action="store_true",
        help="leave out bad lines of the holdings file and list each on stderr (file, line, "
        "why), instead of stopping; still exit 1 if no good line remains" + also,
    )


#: What ``add_subparsers`` returns: the set of commands each ``_add_*`` adds one to.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _add_template(commands: Commands, data: argparse.ArgumentParser) -> None:
    template = commands.add_parser(
        "template",
        parents=[data],
        help="write the template workbook (.xlsx)",
        description="Write the template workbook: each class's payments, Shares held to fill "
        "in, the Form 1099-DIV boxes, a chart, and the release's own figures, from which "
        "every figure is calculated in any spreadsheet with no add-in (--live: with REIT_* "
        "formulas through the xlwings add-in instead). Never replaces a file without --force; "
        "writes atomically.",
    )
    template.add_argument(
        "-o",
        "--output",
        default=DEFAULT_OUTPUT,
        metavar="PATH",
        help=f"where to write the workbook (default: {DEFAULT_OUTPUT} in this folder); - for "
        "standard output, into a pipe or a file (> book.xlsx), never a terminal",
    )
    template.add_argument(
        "--cusip",
        action="extend",
        nargs="+",
        metavar="C",
        help="only these classes: CUSIP, ISIN or symbol (default: every class)",
    )
    template.add_argument(
        "--year", type=int, metavar="YEAR", help="tax year (default: the latest in the table)"
    )
    template.add_argument(
        "--holdings", metavar="FILE", help="pre-fill Shares held from a holdings file (see 1099)"
    )
    _skip_bad_option(template)
    template.add_argument(
        "--live",
        action="store_true",
        help="figures as REIT_* formulas through the xlwings add-in (classic or Lite), which "
        "follow the tables it loads (default: calculated from the printed figures, no add-in)",
    )
    template.add_argument("--force", action="store_true", help="replace an existing file")
    template.set_defaults(run=run_template)


def _add_lookup(commands: Commands, data: argparse.ArgumentParser) -> None:
    lookup_command = commands.add_parser(
        "lookup",
        parents=[data],
        help="one allocation, as REIT_ALLOC returns it",
        description="Print the fraction of one payment that a component is, as the Excel "
        "function REIT_ALLOC returns it, and as a percentage.",
        epilog="example: xl-reit lookup 03748R-10-1 2004-02-27 qualified  →  0.013268 (1.3268%)",
    )
    lookup_command.add_argument("cusip", metavar="CUSIP", help="CUSIP, ISIN or symbol (AIVPrD)")
    lookup_command.add_argument(
        "date",
        metavar="DATE",
        help="record or payable date (2004-02-27, 02/27/2004), 'annual' or the tax year",
    )
    lookup_command.add_argument("component", metavar="COMPONENT", help=summary())
    lookup_command.add_argument(
        "--tax-year",
        type=int,
        metavar="YEAR",
        help="the part of the payment that tax year's Form 1099-DIV reports (a payment split "
        "between years has a part in each); default: the whole payment",
    )
    lookup_command.set_defaults(run=run_lookup)


def _add_payments(commands: Commands, data: argparse.ArgumentParser) -> None:
    payments = commands.add_parser(
        "payments",
        parents=[data],
        help="the published table",
        description="Print the classes' payments and annual lines as the release prints them. "
        "--format csv writes a valid table file; figures are exact decimal strings.",
    )
    payments.add_argument(
        "cusip", nargs="*", metavar="CUSIP", help="only these classes (default: every class)"
    )
    payments.add_argument("--format", choices=FORMATS, default="table", help="default: table")
    _output_options(payments)
    payments.set_defaults(run=run_payments)


def _columns(text: str) -> list[str]:
    """``--by account,branch`` → ``['account', 'branch']``."""
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"{text!r}: give column names separated by commas")
    return names


def _add_1099(commands: Commands, data: argparse.ArgumentParser) -> None:
    form = commands.add_parser(
        "1099",
        parents=[data],
        help="Form 1099-DIV amounts from a holdings file, or per account from bulk records",
        description="Print the Form 1099-DIV boxes per class and in total for the shares in a "
        "holdings file: CSV or .xlsx (first sheet) with a header line naming a CUSIP (or ISIN, "
        "Symbol) column and a Shares column (or Amount, the dollars received), and optionally "
        "a Record date or Payable date column, Acquired and Sold (a lot's trade dates) and "
        "Cost. A line with a date holds those shares on that payment; a lot, on the payments "
        "whose ex-dividend date it is held on; a line without either, on every payment of "
        "the form's year. One form holds one tax year: --year, else the one year every class "
        "has. Lines add up, but a line that repeats another exactly is refused. "
        "CSV may be separated by ',', ';' (then with a decimal comma and day-first dates, "
        "as European Excel writes) or tabs. "
        "With --by, read distribution records in bulk (CSV or Parquet, any size) and write "
        "one row per group, class and tax year, computed by DuckDB in exact decimals.",
    )
    form.add_argument(
        "holdings",
        metavar="HOLDINGS",
        help="the holdings file (.csv or .xlsx); with --by, the records (.csv or .parquet)",
    )
    form.add_argument(
        "--by",
        type=_columns,
        metavar="COLUMN[,COLUMN...]",
        help="bulk: one row per value of these columns (an account, say), class and tax year, "
        "with columns cusip, tax_year and each box; to -o FILE as CSV, JSON or Parquet (by its "
        "suffix), else (or with -o -) CSV on standard output (Parquet only into a pipe or a "
        "file)",
    )
    form.add_argument(
        "--year",
        type=int,
        metavar="YEAR",
        help="the tax year of the form (a line without a date holds its shares in it); "
        "default: the one year every class of the holdings has, else an error naming them. "
        "With --by: the year a record without a date holds its shares in (default: the "
        "latest the table holds for the class)",
    )
    form.add_argument(
        "--check",
        metavar="BROKER",
        help="check the broker's Form 1099-DIV: a CSV or .xlsx with a security column and a "
        "column per box (Box 1a, Qualified Dividends …); lists each box that differs by more "
        "than a cent, with both amounts and the payments behind ours; exit 1 if any",
    )
    form.add_argument(
        "--format",
        choices=(*FORMATS, "parquet"),
        help="table (dollars in cents; the default), or csv/json (exact figures); with --by: "
        "csv, json or parquet (default: from -o's suffix, else csv)",
    )
    _skip_bad_option(
        form,
        ". With --by, write the bad records (row, column, why) to FILE.rejects.csv beside "
        "the output -o FILE",
    )
    _output_options(form)
    form.set_defaults(run=run_1099)


def _add_basis(commands: Commands, data: argparse.ArgumentParser) -> None:
    basis = commands.add_parser(
        "basis",
        parents=[data],
        help="each lot's cost basis after return of capital, across the years loaded",
        description="Print each lot's cost basis year by year: a holdings file whose lines "
        "give a Cost (what the lot cost, in dollars) beside Acquired and Sold (trade dates). "
        "Each year's return of capital (box 3) on the payments the lot holds lowers its "
        "basis; what exceeds the basis is capital gain. Every tax year loaded counts.",
    )
    basis.add_argument("holdings", metavar="HOLDINGS", help="the holdings file (.csv or .xlsx)")
    basis.add_argument(
        "--format", choices=("table", "json"), default="table", help="default: table"
    )
    _skip_bad_option(basis)
    _output_options(basis)
    basis.set_defaults(run=run_basis)


def _add_import(commands: Commands) -> None:
    release = commands.add_parser(
        "import",
        help="a REIT's allocation release (text, web page or PDF) into a table file",
        description="Read a release (its text, pasted or OCR'd; its saved web page; or its "
        "PDF, with the pdf extra: pip install 'xl-reit[pdf]') into a table in xl-reit's schema "
        "and print a report that proves it: each class's payments, each row adding up to 100%, the "
        "annual lines, every repair with its evidence, and what could not be read, by line. "
        "Exits 1 and writes nothing when something does not reconcile or could not be read; "
        "--allow-gaps writes the classes that reconcile, each gap in their notes (the exit "
        "code stays 1). Without -o the table goes to standard output and the report to "
        "standard error. Load the table with --table or XL_REIT_DATA.",
    )
    release.add_argument("release", metavar="RELEASE", help=f"the release: {INPUTS}")
    _output_options(release, metavar="TABLE")
    release.add_argument("--issuer", metavar="NAME", help="default: from the release's title")
    release.add_argument(
        "--tax-year", type=int, metavar="YEAR", help="default: from the release's title"
    )
    release.add_argument(
        "--release-date", metavar="DATE", help="the release's date, for the table's provenance"
    )
    release.add_argument(
        "--symbol",
        action="append",
        metavar="CUSIP=SYMBOL",
        help="a class's ticker symbol; repeatable (default: from the release's listing, "
        "e.g. (NYSE: AIV, AIVPrD))",
    )
    release.add_argument(
        "--cusip",
        action="append",
        metavar="[CLASS=]CUSIP",
        help="a class's CUSIP where the release prints none or misprints it; repeatable. "
        "CLASS is part of the class's heading as printed (any case), e.g. 'Series A=...'; "
        "without it, the CUSIP of the release's only class",
    )
    release.add_argument(
        "--allow-gaps",
        action="store_true",
        help="write the classes that reconcile even where figures are only inferred; "
        "each gap goes into the notes",
    )
    release.add_argument(
        "--as-printed",
        action="store_true",
        help="keep a payment whose printed parts add up to more (or less) than its dividend, "
        "beyond the printed digits, as the release prints it: the difference goes into the "
        "table's parts_excess column and is said wherever the payment is shown (by default "
        "such a release is refused)",
    )
    release.set_defaults(run=run_import, data=[], override=False)  # reads no table


def _add_lite(commands: Commands) -> None:
    lite = commands.add_parser(
        "lite",
        help="the main.py and requirements.txt of an xlwings Lite workbook",
        description="Write the two files that give a workbook the REIT_* functions in Excel "
        "on the web, on the Mac and on Windows through the xlwings Lite add-in. main.py "
        "carries xl-reit itself (its modules and tables, a few hundred kilobytes of text) "
        "and requirements.txt names xlwings: paste both into Lite and restart it, nothing "
        "else to install or host. Never replaces either file without --force; writes "
        "atomically.",
    )
    lite.add_argument(
        "-o",
        "--output",
        default=DEFAULT_LITE_FOLDER,
        metavar="FOLDER",
        help=f"the folder to write them in (default: {DEFAULT_LITE_FOLDER}); two files, so "
        "never - (standard output)",
    )
    lite.add_argument(
        "--from-pypi",
        action="store_true",
        help="have Lite install xl-reit from PyPI instead: requirements.txt names "
        "xl-reit's release and main.py only imports the functions",
    )
    lite.add_argument("--force", action="store_true", help="replace existing files")
    lite.set_defaults(run=run_lite, data=[], override=False)  # reads no table


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="REIT dividend tax allocations (Form 1099-DIV splits): a template "
        "workbook, single lookups, the published table and 1099-DIV totals. Not tax advice.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    data = _data_options()
    for add in (_add_template, _add_lookup, _add_payments, _add_1099, _add_basis):
        add(commands, data)
    _add_import(commands)
    _add_lite(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (argparse exits 2 itself on usage errors)."""
    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        load_tables(args)
        return run(args)
    except XlReitError as error:
        print(f"{PROG} {args.command}: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped early (``| head``): say nothing more, as a SIGPIPE'd tool would.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
