"""LibreOffice, headless, for the tests that need a real office application.

It opens the generated workbook in a real spreadsheet application
(``test_engines.py``). A test skips, saying why, where LibreOffice is not
installed; ``.ci/run`` installs it where it can.
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
