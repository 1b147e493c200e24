"""LibreOffice, headless, for the tests that need a real office application.

It opens, recalculates and prints the generated workbook in a real spreadsheet
application (``test_engines.py``, with Calc) and prints the release web pages
to PDF as a person prints a page (``test_sources.py``, with Writer). A test skips, saying
why, where LibreOffice or the part it needs is not installed; ``.ci/run``
installs both where it can.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest


def soffice() -> str:
    """The ``soffice`` program; the test is skipped where it is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def convert(files: Sequence[Path], out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """``soffice --convert-to …`` of ``files`` into ``out``, with a profile of its own there."""
    return subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={(out / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            *options,
            "--outdir",
            str(out),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def print_to_pdf(pages: Sequence[Path], out: Path) -> list[Path]:
    """Web pages printed to PDF by LibreOffice Writer, one PDF per page, in order."""
    done = convert(
        pages,
        out,
        "--infilter=HTML (StarWriter)",
        "--convert-to",
        "pdf:writer_pdf_Export",
    )
    printed = [out / f"{page.stem}.pdf" for page in pages]
    if "source file could not be loaded" in done.stdout + done.stderr:
        pytest.skip("LibreOffice Writer is not installed (libreoffice-writer-nogui): no PDFs")
    assert done.returncode == 0 and all(pdf.exists() for pdf in printed), done.stderr
    return printed


def recalculate(workbook: Path, out: Path) -> Path:
    """``workbook`` opened, recalculated and saved again as .xlsx by LibreOffice Calc.

    openpyxl writes formulas without values: Calc calculates every one on
    opening, and its copy holds what it calculated (read it with openpyxl's
    ``data_only``).
    """
    out.mkdir(parents=True, exist_ok=True)
    done = convert([workbook], out, "--convert-to", "xlsx:Calc MS Excel 2007 XML")
    saved = out / workbook.name
    if "source file could not be loaded" in done.stdout + done.stderr:
        pytest.skip("LibreOffice Calc is not installed (libreoffice-calc-nogui)")
    assert done.returncode == 0 and saved.exists(), done.stderr
    return saved


def print_workbook(workbook: Path, out: Path) -> Path:
    """Every sheet of ``workbook`` printed to one PDF by LibreOffice Calc, as set up to print."""
    out.mkdir(parents=True, exist_ok=True)
    done = convert([workbook], out, "--convert-to", "pdf:calc_pdf_Export")
    printed = out / f"{workbook.stem}.pdf"
    if "source file could not be loaded" in done.stdout + done.stderr:
        pytest.skip("LibreOffice Calc is not installed (libreoffice-calc-nogui)")
    assert done.returncode == 0 and printed.exists(), done.stderr
    return printed
