"""The command line's ``xl-reit import``: :func:`run_import`.

It reads the release file (UTF-8, else Windows-1252), prints the report and
writes the table: to a file atomically, and never over an existing one without
``force``, or to standard output. Nothing is written while something does not
reconcile or is only inferred, unless gaps are allowed.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from ..atomic import write_atomically
from ..errors import XlReitError
from .pipeline import parse_release


def _read_release(path: Path, err: TextIO) -> str:
    """The release's text: UTF-8 (with or without a byte order mark), else Windows-1252."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        print(f"xl-reit import: {path.name} is not UTF-8; read as Windows-1252", file=err)
        return data.decode("cp1252", errors="replace")


def run_import(
    release_path: str | Path,
    output: str | Path | None = None,
    issuer: str | None = None,
    tax_year: int | None = None,
    force: bool = False,
    allow_gaps: bool = False,
    out_stream: TextIO | None = None,
    err_stream: TextIO | None = None,
    *,
    release_date: dt.date | None = None,
    symbols: Mapping[str, str] | None = None,
) -> int:
    """``xl-reit import RELEASE.txt [-o TABLE.csv] [--issuer NAME] [--tax-year YEAR] …``.

    Reads the release text, prints the report and writes the table. With
    ``output`` the table goes to that file — atomically (a temporary file in
    the same folder, then one rename), and never over an existing file
    without ``force`` — and the report to ``out_stream``. Without ``output``
    the CSV goes to ``out_stream`` (so ``xl-reit import r.txt > t.csv``
    works) and the report to ``err_stream``.

    Returns the exit code: 0 when everything reconciles; 1 when something
    does not reconcile or could not be read — then nothing is written unless
    ``allow_gaps``, which writes the classes that reconcile with each gap in
    their notes (the exit code stays 1) — and 1 when the release cannot be
    read or the output cannot be written.
    """
    out = out_stream or sys.stdout
    err = err_stream or sys.stderr
    prog = "xl-reit import"
    if output is not None and Path(output).exists() and not force:
        print(f"{prog}: error: {str(output)!r} exists; give --force to replace it", file=err)
        return 1
    try:
        text = _read_release(Path(release_path), err)
    except OSError as error:
        print(f"{prog}: error: cannot read {str(release_path)!r}: {error.strerror}", file=err)
        return 1
    result = parse_release(
        text,
        source_name=Path(release_path).name,
        issuer=issuer,
        tax_year=tax_year,
        release_date=release_date,
        symbols=symbols,
    )
    report = out if output is not None else err
    report.write(result.report_text())
    findings = result.report.findings
    if not result.ok and not allow_gaps:
        problems = sum(f.kind == "problem" for f in findings)
        gaps = sum(f.kind == "gap" for f in findings)
        print(
            f"{prog}: nothing written: {problems} problem(s), {gaps} gap(s). Fix the release "
            "text, or give --allow-gaps to write the classes that reconcile with their gaps "
            "in the notes.",
            file=err,
        )
        return 1
    if not result.rows:
        print(f"{prog}: nothing written: no class reconciles", file=err)
        return 1
    table = result.to_csv(allow_gaps=True)

    def write(path: Path) -> None:
        path.write_text(table, encoding="utf-8", newline="")

    if output is None:
        out.write(table)
    else:
        try:
            written = write_atomically(output, write, overwrite=force)
        except XlReitError as error:
            print(f"{prog}: error: {error}", file=err)
            return 1
        print(f"{prog}: wrote {len(result.rows)} rows to {written}", file=report)
    return 0 if result.ok else 1
