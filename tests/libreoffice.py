"""LibreOffice, headless, for the tests that need a real office application.

It opens, recalculates and prints the generated workbook in a real spreadsheet
application (``test_engines.py``, with Calc) and prints the release web pages
to PDF as a person prints a page (``test_sources.py``, ``test_release_pages.py``, with
Writer). A test skips, saying why, where LibreOffice or the part it needs is not
installed; ``.ci/run`` installs both where it can.

Writer prints a page's text whatever its style says, so it would print what a
browser hides (an element styled ``display: none``): a page is printed as a
browser shows it, without that text. And a news-wire table is often wider than a
portrait page, where Writer cuts off its last columns: such a page is printed as
a person prints it from the browser, on Letter paper turned landscape and shrunk
to fit the paper's width (:data:`LANDSCAPE`, styles Writer follows).
"""

from __future__ import annotations

import re
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


#: A browser's print dialog set to print a wide page landscape on Letter paper, shrunk to
#: fit its width (to two thirds: text of 12pt prints at 8pt), as CSS rules Writer follows.
LANDSCAPE = (
    "@page { size: 11in 8.5in; margin: 0.5in } "
    "p, nav, footer, td, th { font-size: 8pt } h1 { font-size: 16pt } h3 { font-size: 9pt }"
)
#: The same dialog's portrait Letter page, at full size: for a table that fits its width.
PORTRAIT = "@page { size: 8.5in 11in; margin: 0.5in }"
#: An element a browser does not show, and so does not print (no element of its kind
#: inside it: the test pages hide a line of text).
_HIDDEN = re.compile(
    r"<(?P<tag>[a-z][a-z0-9]*)\b[^>]*\bstyle=\"[^\"]*\bdisplay:\s*none\b[^\"]*\"[^>]*>"
    r".*?</(?P=tag)>",
    re.IGNORECASE | re.DOTALL,
)


def as_shown(html: str, page_style: str | None = None) -> str:
    """A web page as a browser shows it, for Writer to print: without its hidden elements,
    and with ``page_style`` (CSS rules) as the print dialog's settings."""
    shown = _HIDDEN.sub("", html)
    if page_style is not None:
        shown = shown.replace("</head>", f"<style>{page_style}</style></head>", 1)
    return shown


def print_to_pdf(pages: Sequence[Path], out: Path, *, page_style: str | None = None) -> list[Path]:
    """Web pages printed to PDF by LibreOffice Writer as a browser prints them
    (:func:`as_shown`), one PDF per page, in order."""
    shown = out / "shown"
    shown.mkdir(parents=True, exist_ok=True)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        (shown / page.name).write_text(as_shown(html, page_style), encoding="utf-8")
    done = convert(
        [shown / page.name for page in pages],
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
