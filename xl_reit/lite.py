"""The two files an xlwings Lite workbook needs for xl-reit's functions.

xlwings Lite is a free Office add-in (for commercial use too) that runs
Python in Pyodide inside Excel on Windows, on the Mac and on the web. A
workbook keeps its own ``main.py`` and ``requirements.txt``: Lite installs
the requirements with micropip when the workbook opens and registers, as
Excel functions, the ``@func`` functions it finds in ``main.py``'s
namespace. :mod:`xl_reit.udfs` defines the ``REIT_*`` functions for classic
xlwings and Lite alike, so ``main.py`` only imports them, and
``=REIT_ALLOC(…)`` is written the same in every Excel.

``xl-reit lite`` writes both files (:mod:`xl_reit.cli`).
"""

from __future__ import annotations

import re

from ._version import __version__
from .errors import XlReitError

__all__ = ["MAIN_PY", "XLWINGS_FOR_LITE", "requirements_txt", "wheel_url"]

#: The xlwings release the workbook asks Lite for: the one the project's tests run the
#: functions with in Pyodide (tests/test_lite.py), and new enough (0.36.7 or later) to
#: pass a blank cell as None on the Pyodide of 2025 and later.
XLWINGS_FOR_LITE = "0.37.8"

#: The workbook's main.py: importing the functions is all Lite needs to register them.
MAIN_PY = '''"""xl-reit's REIT_* functions in this workbook, through xlwings Lite."""

from xl_reit.udfs import *  # noqa: F403  (REIT_ALLOC, REIT_AMOUNT, ... as in classic Excel)
'''

#: A URL micropip installs as a wheel: it ends in the wheel's file name (PEP 427).
_WHEEL_URL = re.compile(r"https?://\S+/xl_reit-[^/\s-]+-py3-none-any\.whl")


def wheel_url(url: str) -> str:
    """``url`` when it names an xl-reit wheel micropip can fetch, else :class:`XlReitError`."""
    if _WHEEL_URL.fullmatch(url.strip()):
        return url.strip()
    raise XlReitError(
        f"--wheel {url!r}: give the http(s) URL of an xl-reit wheel, ending in its file name "
        f"(…/xl_reit-{__version__}-py3-none-any.whl)"
    )


def requirements_txt(wheel: str | None = None) -> str:
    """The workbook's requirements.txt: xlwings, and xl-reit from PyPI or from ``wheel``."""
    return f"xlwings=={XLWINGS_FOR_LITE}\n{wheel or f'xl-reit=={__version__}'}\n"
