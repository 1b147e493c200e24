"""A user's ``.xlsx`` holdings workbook, read as untrusted: the rows of its first sheet.

A holdings workbook comes from anyone: a broker's export, a file mailed on,
a file made to attack. It is a zip archive of XML parts, so two guards come
before any value is read:

- a zip bomb (a few kilobytes that claim gigabytes once unzipped) is refused
  from the sizes in the archive's directory, unread;
- XML that declares entities (the "billion laughs", external entities that
  read local files) is refused by defusedxml, which openpyxl parses with when
  it is installed, as it is with xl-reit.

Only the cached values are read, never formulas. This module and the template
builder, :mod:`xl_reit.workbook`, are the only ones that import openpyxl.
"""

from __future__ import annotations

import zipfile
import zlib
from io import IOBase
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import shown

#: Why a workbook whose XML declares entities is not read.
XML_REFUSED = (
    "its XML declares entities, which no workbook saved by Excel does; xl-reit refuses them "
    "as a defence against XML attacks (entity expansion, the 'billion laughs', and external "
    "entities): open the file in Excel and save it again, or save it as CSV"
)


def _refused_by_defusedxml(error: BaseException) -> bool:
    """Whether ``error`` is, or was raised from, defusedxml refusing an XML attack.

    openpyxl parses with defusedxml when it is installed (a dependency of
    xl-reit), and wraps what the parser raises in its own ``ValueError``.
    """
    from defusedxml import DefusedXmlException  # type: ignore[import-untyped]

    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


#: More than any holdings workbook holds once unzipped; a larger one is refused unread.
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024
#: Zip entries that expand more than this many times are a zip bomb, not a spreadsheet
#: (sheet XML compresses about 10-30 times).
MAX_EXPANSION = 200


class _RefusedError(ValueError):
    """A workbook refused unread, with the reason as its message."""


def _refuse_zip_bomb(source: str | Path | IO[bytes]) -> None:
    """Raise :class:`_RefusedError` for an archive that would unzip to far more than it holds.

    openpyxl inflates every sheet it reads; a few kilobytes of zip can claim
    gigabytes. The sizes in the archive's directory are checked first.
    """
    with zipfile.ZipFile(source) as archive:
        entries = archive.infolist()
    if isinstance(source, IOBase):
        source.seek(0)
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNZIPPED_BYTES:
        raise _RefusedError(
            f"it would unzip to {total:,} bytes, more than any holdings workbook "
            f"({MAX_UNZIPPED_BYTES:,} at most): refused unread"
        )
    for entry in entries:
        expansion = entry.file_size // max(entry.compress_size, 1)
        if entry.file_size > 1024 * 1024 and expansion > MAX_EXPANSION:
            raise _RefusedError(
                f"its part {shown(entry.filename)} expands {expansion:,} times when unzipped, "
                "as a zip bomb does, not a spreadsheet: refused unread"
            )


def read_sheet_rows(source: str | Path | IO[bytes]) -> list[tuple[int, list[Any]]]:
    """The first sheet of an ``.xlsx`` workbook as ``(row_number, values)`` pairs.

    ``source`` is a path or a binary stream. Cached values are read, not
    formulas. Raises ``OSError``, or ``ValueError`` for a file that is not an
    ``.xlsx`` workbook or whose XML carries entity declarations
    (:data:`XML_REFUSED`): the file may come from anyone.
    """
    try:
        _refuse_zip_bomb(source)
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            return [
                (number, list(values))
                for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
            ]
        finally:
            book.close()
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,  # zipfile: a compression or encryption it does not know
        RuntimeError,  # zipfile: an encrypted entry
        KeyError,
        IndexError,
        TypeError,
        ValueError,
        ParseError,
    ) as error:
        if isinstance(error, _RefusedError):
            raise
        if _refused_by_defusedxml(error):
            raise ValueError(XML_REFUSED) from None
        raise ValueError(f"not an .xlsx workbook ({type(error).__name__}: {error})") from None
