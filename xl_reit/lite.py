"""The two files an xlwings Lite workbook needs for xl-reit's functions.

xlwings Lite is a free Office add-in (for commercial use too) that runs
Python in Pyodide inside Excel on Windows, on the Mac and on the web. A
workbook keeps its own ``main.py`` and ``requirements.txt``: Lite installs
the requirements with micropip (from PyPI) when the workbook's Python
starts, runs ``main.py`` as the module ``main``, and registers as Excel
functions the ``@func`` functions it finds in that module's namespace.
:mod:`xl_reit.udfs` defines the ``REIT_*`` functions for classic xlwings and
Lite alike, so ``=REIT_ALLOC(…)`` is written the same in every Excel.

Two forms, both written by ``xl-reit lite`` (:mod:`xl_reit.cli`):

* **self-contained** (:func:`main_py`, the default): ``main.py`` carries
  xl-reit itself, its modules and bundled tables, as compressed base64
  text (a few hundred kilobytes; :func:`archive`). When the workbook's Python
  starts, ``main.py`` unpacks it into Pyodide's in-memory file system, puts
  it first on ``sys.path`` and imports the functions from it: no package
  index and no web host. ``requirements.txt`` names xlwings only, as Lite's
  own does; xl-reit's other requirements (openpyxl, defusedxml) serve the
  template and holdings files, never the functions, and are not needed.
* **from PyPI** (:data:`MAIN_PY`, ``--from-pypi``): ``requirements.txt``
  names ``xl-reit==<version>`` and ``main.py`` only imports the functions;
  for when the release is on PyPI.
"""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path

from ._version import __version__

__all__ = ["MAIN_PY", "XLWINGS_FOR_LITE", "archive", "main_py", "package_files", "requirements_txt"]

#: The xlwings release the workbook asks Lite for: the one the project's tests run the
#: functions with in Pyodide (tests/test_lite.py), and new enough (0.36.7 or later) to
#: pass a blank cell as None on the Pyodide of 2025 and later.
XLWINGS_FOR_LITE = "0.37.8"

#: The workbook's main.py when xl-reit comes from PyPI: importing the functions is all
#: Lite needs to register them.
MAIN_PY = '''"""xl-reit's REIT_* functions in this workbook, through xlwings Lite."""

from xl_reit.udfs import *  # noqa: F403  (REIT_ALLOC, REIT_AMOUNT, ... as in classic Excel)
'''

#: The self-contained main.py. Its code runs in Lite's Pyodide (Python 3.12 and later),
#: at every start and every edit of the workbook's Python: the first time it unpacks the
#: archive into a folder named by the release and its checksum, later times find it there. A
#: different xl-reit imported before (another paste, or a PyPI install) is forgotten, so
#: the pasted one answers without a restart.
_SELF_CONTAINED = '''"""xl-reit {version} for xlwings Lite: the REIT_* functions in this workbook.

Written by `xl-reit lite`; paste all of it as the workbook's main.py. It carries
xl-reit itself: _XL_REIT below is the package (its modules and bundled tables),
compressed, in base64 text. When the workbook's Python starts, this code unpacks
it into Pyodide's file system and imports the functions from it; nothing is
downloaded. =REIT_ALLOC(...) and the others then work as in classic Excel.
"""


def _unpack_xl_reit(text: str, folder_name: str, crc32: int) -> None:
    import base64
    import importlib
    import json
    import os
    import shutil
    import sys
    import tempfile
    import zlib

    folder = os.path.join(tempfile.gettempdir(), folder_name)
    if not os.path.isdir(os.path.join(folder, "xl_reit")):
        try:
            packed = zlib.decompress(base64.b64decode("".join(text.split()), validate=True))
        except (ValueError, zlib.error):  # a piece lost or changed: not what was written
            packed = b""
        if zlib.crc32(packed) != crc32:
            raise RuntimeError(
                "main.py's copy of xl-reit is not whole (its checksum differs): "
                "paste all of the main.py that xl-reit lite wrote"
            )
        index, _, contents = packed.partition(b"\\n")
        part = f"{{folder}}.{{os.getpid()}}.part"
        shutil.rmtree(part, ignore_errors=True)
        start = 0
        for name, size in json.loads(index):
            path = os.path.join(part, *name.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as file:
                file.write(contents[start : start + size])
            start += size
        shutil.rmtree(folder, ignore_errors=True)
        os.rename(part, folder)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    for name in [name for name in sys.modules if name.split(".")[0] == "xl_reit"]:
        if not (getattr(sys.modules[name], "__file__", None) or "").startswith(folder + os.sep):
            del sys.modules[name]
    importlib.invalidate_caches()


_XL_REIT = """
{text}
"""

_unpack_xl_reit(_XL_REIT, "{folder}", {crc32})
del _unpack_xl_reit, _XL_REIT

from xl_reit.udfs import *  # noqa: E402, F403  (REIT_ALLOC, REIT_AMOUNT, ...)
'''

#: Characters per line of the archive's text: short lines keep Lite's editor responsive.
#: Base64 rather than the shorter base85: Python decodes base64 in C, some 100 times faster,
#: and main.py decodes it at the workbook's first start, for 7% more text.
_LINE = 100

#: What of the package a wheel holds besides its modules (pyproject.toml's package-data).
_DATA = ("py.typed", "data/*.csv", "data/index.json", "data/README.md")


def package_files() -> dict[str, Path]:
    """The files of the installed xl-reit package that its wheel holds, by name in it.

    Every module of every package (a folder with ``__init__.py``), and the package
    data: the bundled tables and their README, ``py.typed``. Read from where
    xl-reit is installed, so ``xl-reit lite`` carries exactly the running release.
    """
    root = Path(__file__).resolve().parent
    found = {
        path
        for init in root.rglob("__init__.py")
        if "__pycache__" not in init.parts
        for path in init.parent.glob("*.py")
    }
    found.update(path for pattern in _DATA for path in root.glob(pattern))
    return {f"xl_reit/{path.relative_to(root).as_posix()}": path for path in sorted(found)}


def _metadata() -> bytes:
    """A dist-info METADATA, so ``importlib.metadata.version('xl-reit')`` answers in Lite."""
    return f"Metadata-Version: 2.1\nName: xl-reit\nVersion: {__version__}\n".encode()


def archive() -> bytes:
    """xl-reit's package in one compressed piece, the same bytes for the same files.

    zlib (level 9) of a line of JSON, the list of ``[name, size]`` of every file in
    name order, then the files' bytes one after the other. main.py reads it with
    modules Lite's Python has already imported (zlib, json), at a fraction of what
    importing tarfile or zipfile costs in Pyodide. Nothing in it changes unless a
    file does, so neither does main.py.
    """
    entries = {name: path.read_bytes() for name, path in package_files().items()}
    entries[f"xl_reit-{__version__}.dist-info/METADATA"] = _metadata()
    names = sorted(entries)
    index = json.dumps([[name, len(entries[name])] for name in names]).encode()
    return zlib.compress(b"\n".join([index, b"".join(entries[name] for name in names)]), 9)


def main_py() -> str:
    """The self-contained main.py: xl-reit's package inside, unpacked where Lite runs it.

    It unpacks into a folder named by the release and the CRC-32 of what it carries,
    which also tells a whole paste from a damaged one.
    """
    data = archive()
    encoded = base64.b64encode(data).decode("ascii")
    text = "\n".join(encoded[start : start + _LINE] for start in range(0, len(encoded), _LINE))
    crc32 = zlib.crc32(zlib.decompress(data))
    folder = f"xl-reit-{__version__}-{crc32:08x}"
    return _SELF_CONTAINED.format(version=__version__, text=text, folder=folder, crc32=crc32)


def requirements_txt(*, from_pypi: bool = False) -> str:
    """The workbook's requirements.txt: xlwings, and with ``from_pypi`` xl-reit's release."""
    pinned = f"xlwings=={XLWINGS_FOR_LITE}\n"
    return pinned + (f"xl-reit=={__version__}\n" if from_pypi else "")
