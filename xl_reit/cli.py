"""The ``xl-reit`` command line: parse the arguments, call the modules, print.

::

    xl-reit template [-o PATH] [--cusip C ...] [--year YEAR] [--holdings FILE [--skip-bad]]
                     [--force]
    xl-reit lookup CUSIP DATE COMPONENT
    xl-reit payments [CUSIP ...] [--format table|csv|json] [-o PATH [--force]]
    xl-reit 1099 HOLDINGS [--skip-bad] [--format table|csv|json] [-o PATH [--force]]
    xl-reit import RELEASE.txt [-o TABLE.csv [--force]] [--issuer NAME] [--tax-year YEAR]
                   [--release-date DATE] [--symbol CUSIP=SYMBOL ...] [--allow-gaps]

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
import json
import os
import sys
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from . import __version__, csvsafe, lookup
from . import cusip as cusip_module
from .atomic import write_atomically
from .components import COMPONENTS
from .errors import XlReitError
from .form1099 import Form1099DIV, compute, shown_parts
from .holdings import Holdings, read_holdings
from .table import (
    Payment,
    SecurityClass,
    default_table,
    environment_tables,
    load_table,
    set_default_table,
)

__all__ = ["main"]

PROG = "xl-reit"
DEFAULT_OUTPUT = "xl-reit-template.xlsx"
FORMATS = ("table", "csv", "json")
CENT = Decimal("0.01")


# ----------------------------------------------------------------- formatting


def exact(value: Decimal) -> str:
    """A computed figure as an exact decimal string, without exponent or trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def percent(fraction: Decimal) -> str:
    """A fraction as an exact percentage with at least four decimals: ``1.3268%``."""
    value = fraction * 100
    exponent = value.normalize().as_tuple().exponent
    places = max(4, -exponent) if isinstance(exponent, int) else 4
    return f"{value:.{places}f}%"


def dollars(amount: Decimal) -> str:
    """Dollars rounded to cents, half up, as the workbook shows them: ``$1,234.57``."""
    return f"${amount.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def render_table(headings: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell; cells that look like figures align right."""
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(headings, *rows, strict=True)
    ]
    numeric = [
        all(_looks_numeric(row[index]) for row in rows if row[index])
        and any(row[index] for row in rows)
        for index in range(len(headings))
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(cells, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([line(headings), *(line(row) for row in rows)])


def _looks_numeric(text: str) -> bool:
    return text.lstrip("$-").replace(",", "").replace(".", "", 1).rstrip("%").isdigit()


def _json_text(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _emit(args: argparse.Namespace, text: str) -> None:
    """Print ``text``, or with ``-o`` write it to that file atomically (``--force`` to replace)."""
    if args.output is None:
        print(text)
        return
    data = (text + "\n").encode("utf-8")

    def write(temporary: Path) -> None:
        temporary.write_bytes(data)

    print(f"wrote {write_atomically(args.output, write, overwrite=args.force)}")


def _read_holdings(args: argparse.Namespace) -> Holdings:
    """The holdings file; with ``--skip-bad``, what was left out is listed on stderr."""
    holdings = read_holdings(
        args.holdings, skip_bad=args.skip_bad, tax_year=getattr(args, "year", None)
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


# ------------------------------------------------------------------ selection


def _chosen(securities: Sequence[str] | None, argument: str) -> tuple[SecurityClass, ...]:
    """Every class-year of the named securities (all when none is named), in the table's order."""
    table = default_table()
    if not securities:
        return tuple(table.classes.values())
    cusips = {lookup.find_class(security, table, argument).cusip for security in securities}
    return tuple(security for security in table.classes.values() if security.cusip in cusips)


# ------------------------------------------------------------------- commands


def run_template(args: argparse.Namespace) -> int:
    """Build the template workbook and write it, atomically."""
    from . import workbook  # openpyxl only for this command

    classes = workbook.classes_for_year(
        _chosen(args.cusip, "--cusip"), args.year, strict=bool(args.cusip)
    )
    holdings = _read_holdings(args) if args.holdings else None
    path = workbook.write_template(args.output, classes, holdings, overwrite=args.force)
    payments = sum(len(security.payments) for security in classes)
    print(
        f"wrote {path} ({len(classes)} classes, {payments} payments, "
        f"tax year {classes[0].tax_year})"
    )
    return 0


def run_lookup(args: argparse.Namespace) -> int:
    """Print one allocation: the number REIT_ALLOC returns, then as a percentage."""
    value = lookup.allocation(args.cusip, args.date, args.component)
    print(f"{float(value)!r} ({percent(value)})")
    return 0


def _payment_record(
    security: SecurityClass, payment: Payment, parts: Sequence[str]
) -> dict[str, str]:
    """A payment or annual line in the table files' own columns (a valid table file again)."""
    is_annual = payment.payable_date is None
    return {
        "issuer": security.issuer,
        "tax_year": str(security.tax_year),
        "class_name": security.class_name,
        "cusip": security.cusip,
        "symbol": security.symbol,
        "row_kind": "annual" if is_annual else "payment",
        "record_date": payment.record_date.isoformat() if payment.record_date else "",
        "payable_date": payment.payable_date.isoformat() if payment.payable_date else "",
        "dividend_per_share": str(payment.dividend_per_share or ""),
        **{part: str(payment.percentages.get(part, "")) for part in parts},
        "source": payment.source,
        "release_date": payment.release_date.isoformat() if payment.release_date else "",
        "notes": payment.notes,
    }


def _lines(security: SecurityClass) -> tuple[Payment, ...]:
    """A class's payments, then its annual line as printed (if the release prints one)."""
    annual = (security.printed_annual,) if security.printed_annual is not None else ()
    return (*security.payments, *annual)


def _origin(payment: Payment) -> str:
    """Where a row was loaded from, ``aimco-2004.csv:2``: an override shows as the user's file."""
    file, _, line = payment.origin.rpartition(":")
    return f"{os.path.basename(file)}:{line}"


def run_payments(args: argparse.Namespace) -> int:
    """Print the payments (and printed annual lines) of the chosen classes."""
    classes = _chosen(args.cusip, "cusip")
    parts = shown_parts(classes)
    if args.format != "table":
        records = [
            _payment_record(security, payment, parts)
            for security in classes
            for payment in _lines(security)
        ]
        if args.format == "json":
            origins = [payment.origin for security in classes for payment in _lines(security)]
            _emit(
                args,
                _json_text(
                    [
                        {**record, "origin": origin}
                        for record, origin in zip(records, origins, strict=True)
                    ]
                ),
            )
        else:
            headings = list(records[0]) if records else []
            _emit(args, csvsafe.to_csv([headings, *(list(r.values()) for r in records)]))
        return 0
    headings = [
        "Record date",
        "Payable date",
        "Dividend",
        *(COMPONENTS[part].label for part in parts),
        "From",
    ]
    sections = []
    for security in classes:
        rows = [
            [
                payment.record_date.isoformat() if payment.record_date else "Annual",
                payment.payable_date.isoformat() if payment.payable_date else "",
                f"${payment.dividend_per_share}" if payment.dividend_per_share else "",
                *(
                    f"{payment.percentages[part]}%" if part in payment.percentages else ""
                    for part in parts
                ),
                _origin(payment),
            ]
            for payment in _lines(security)
        ]
        title = (
            f"{security.class_name} — {cusip_module.format(security.cusip)} "
            f"({security.symbol}), tax year {security.tax_year}"
        )
        sections.append(f"{title}\n{render_table(headings, rows)}")
    _emit(
        args,
        "\n\n".join(sections)
        + "\n\nPercentages of each payment, as printed; blank where the release prints none. "
        "From: the table file and line each row was loaded from.",
    )
    return 0


def _form_records(form: Form1099DIV) -> list[dict[str, str]]:
    rows = [
        {
            "tax_year": str(form.tax_year),
            "class_name": line.security.class_name,
            "cusip": line.security.cusip,
            "symbol": line.security.symbol,
            **{f"box_{box.number}": exact(line.amounts[box.number]) for box in form.boxes},
        }
        for line in form.lines
    ]
    rows.append(
        {
            "tax_year": str(form.tax_year),
            "class_name": "Total",
            "cusip": "",
            "symbol": "",
            **{f"box_{box.number}": exact(form.total[box.number]) for box in form.boxes},
        }
    )
    return rows


def _form_json(form: Form1099DIV) -> dict[str, Any]:
    return {
        "tax_year": form.tax_year,
        "boxes": {
            box.number: {"component": box.component.name, "description": box.component.description}
            for box in form.boxes
        },
        "classes": [
            {
                "class_name": line.security.class_name,
                "cusip": line.security.cusip,
                "symbol": line.security.symbol,
                "amounts": {box.number: exact(line.amounts[box.number]) for box in form.boxes},
            }
            for line in form.lines
        ],
        "total": {box.number: exact(form.total[box.number]) for box in form.boxes},
    }


def _form_table(form: Form1099DIV, source: str) -> str:
    headings = ["Class", "CUSIP", *(box.heading for box in form.boxes)]
    rows = [
        [
            line.security.class_name,
            cusip_module.format(line.security.cusip),
            *(dollars(line.amounts[box.number]) for box in form.boxes),
        ]
        for line in form.lines
    ]
    rows.append(["Total", "", *(dollars(form.total[box.number]) for box in form.boxes)])
    legend = "\n".join(f"  {box.heading}: {box.component.description}" for box in form.boxes)
    return (
        f"Form 1099-DIV, tax year {form.tax_year}, from {source}\n"
        f"{render_table(headings, rows)}\n\n"
        "Dollars rounded to cents (half up), each figure and the total from exact amounts; "
        "--format json gives them unrounded.\n"
        f"{legend}"
    )


def run_1099(args: argparse.Namespace) -> int:
    """Print the Form 1099-DIV amounts for a holdings file.

    Lines that ``--skip-bad`` left out are listed on stderr, in the JSON
    (``skipped``) and under the table; the CSV holds figures only.
    """
    holdings = _read_holdings(args)
    forms = compute(holdings.classes, holdings.shares_for)
    if args.format == "json":
        text = _json_text(
            {
                "holdings": holdings.source,
                "skipped": [str(problem) for problem in holdings.skipped],
                "forms": [_form_json(f) for f in forms],
            }
        )
    elif args.format == "csv":
        records = [record for form in forms for record in _form_records(form)]
        text = csvsafe.to_csv([list(records[0]), *(list(r.values()) for r in records)])
    else:
        text = "\n\n".join(_form_table(form, holdings.source) for form in forms)
        if holdings.skipped:
            text += f"\n\nNot counted: {_skipped(holdings)}, left out by --skip-bad."
    _emit(args, text)
    return 0


# --------------------------------------------------------------------- parser


def run_import(args: argparse.Namespace) -> int:
    """Import a release's text into a table file (see :mod:`xl_reit.importer`)."""
    from . import importer
    from .dates import to_date

    symbols: dict[str, str] = {}
    for pair in args.symbol or ():
        key, _, symbol = pair.partition("=")
        if not key.strip() or not symbol.strip():
            raise XlReitError(f"--symbol {pair!r}: give CUSIP=SYMBOL, e.g. 03748R-10-1=AIV")
        symbols[key.strip()] = symbol.strip()
    release_date = to_date(args.release_date, "--release-date") if args.release_date else None
    return importer.run_import(
        args.release,
        args.output,
        args.issuer,
        args.tax_year,
        args.force,
        args.allow_gaps,
        release_date=release_date,
        symbols=symbols,
    )


def _data_options() -> argparse.ArgumentParser:
    """``--table`` and ``--override``, which every command takes."""
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


def _load_tables(args: argparse.Namespace) -> None:
    """Make ``--table``/``--override`` the table every lookup uses, with ``XL_REIT_DATA``'s."""
    if not args.data and not args.override:
        return
    paths, override = environment_tables()
    set_default_table(load_table([*paths, *args.data], override=args.override or override))


def _output_options(command: argparse.ArgumentParser) -> None:
    """``-o/--output`` and ``--force`` for a command that prints by default."""
    command.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write to this file (atomically) instead of printing; never replaces a file "
        "without --force",
    )
    command.add_argument("--force", action="store_true", help="replace an existing --output file")


def _skip_bad_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--skip-bad",
        action="store_true",
        help="leave out bad lines of the holdings file and list each on stderr (file, line, "
        "why), instead of stopping; still exit 1 if no good line remains",
    )


def _parser() -> argparse.ArgumentParser:
    data = _data_options()
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="REIT dividend tax allocations (Form 1099-DIV splits): a template "
        "workbook, single lookups, the published table and 1099-DIV totals. Not tax advice.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    template = commands.add_parser(
        "template",
        parents=[data],
        help="write the template workbook (.xlsx)",
        description="Write the template workbook: each class's payments with live REIT_ALLOC "
        "formulas, Shares held to fill in, the Form 1099-DIV boxes, and the release's own "
        "figures. Never replaces a file without --force; writes atomically.",
    )
    template.add_argument(
        "-o",
        "--output",
        default=DEFAULT_OUTPUT,
        metavar="PATH",
        help=f"where to write the workbook (default: {DEFAULT_OUTPUT} in this folder)",
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
    template.add_argument("--force", action="store_true", help="replace an existing file")
    template.set_defaults(run=run_template)

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
    lookup_command.add_argument(
        "component",
        metavar="COMPONENT",
        help="ordinary, qualified, capital_gain, unrecaptured_1250, return_of_capital, "
        "total_ordinary, total_capital_gain, or a 1099-DIV box (1a, 1b, 2a, 2b, 3)",
    )
    lookup_command.set_defaults(run=run_lookup)

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

    form = commands.add_parser(
        "1099",
        parents=[data],
        help="Form 1099-DIV amounts from a holdings file",
        description="Print the Form 1099-DIV boxes per class and in total for the shares in a "
        "holdings file: CSV or .xlsx (first sheet) with a header line naming a CUSIP (or ISIN, "
        "Symbol) column and a Shares column, and optionally a Record date or Payable date "
        "column. A line with a date holds those shares on that payment; a line without one "
        "holds them on every payment of the class's year. Lines add up, but a line that "
        "repeats another exactly is refused. CSV may be separated by ',', ';' (then with a "
        "decimal comma and day-first dates, as European Excel writes) or tabs.",
    )
    form.add_argument("holdings", metavar="HOLDINGS", help="the holdings file (.csv or .xlsx)")
    form.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (dollars in cents), or csv/json (exact figures); default: table",
    )
    _skip_bad_option(form)
    _output_options(form)
    form.set_defaults(run=run_1099)

    release = commands.add_parser(
        "import",
        help="a REIT's allocation release (pasted or OCR'd text) into a table file",
        description="Read a release's text into a table in xl-reit's schema and print a "
        "report that proves it: each class's payments, each row adding up to 100%%, the "
        "annual lines, every repair with its evidence, and what could not be read, by line. "
        "Exits 1 and writes nothing when something does not reconcile or could not be read; "
        "--allow-gaps writes the classes that reconcile, each gap in their notes (the exit "
        "code stays 1). Without -o the table goes to standard output and the report to "
        "standard error. Load the table with --table or XL_REIT_DATA.",
    )
    release.add_argument("release", metavar="RELEASE", help="the release's text (.txt)")
    release.add_argument("-o", "--output", metavar="TABLE", help="the table file to write (.csv)")
    release.add_argument("--force", action="store_true", help="replace an existing file")
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
        "--allow-gaps",
        action="store_true",
        help="write the classes that reconcile even where figures are only inferred; "
        "each gap goes into the notes",
    )
    release.set_defaults(run=run_import, data=[], override=False)  # reads no table
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (argparse exits 2 itself on usage errors)."""
    parser = _parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        _load_tables(args)
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
