"""What a holdings file *is*, read from its bytes: a workbook, or text to split into rows.

What a file is, is read from its bytes, not from its name alone: an
``.xlsx`` workbook named ``.csv``, or text named ``.xlsx``, is an error that
says so (never a traceback), and so is an Excel 97-2003 ``.xls`` file.

CSV files as spreadsheets write them
------------------------------------
Text is UTF-8 (a byte-order mark is dropped) or, with a byte-order mark,
UTF-16 (Excel's "Unicode Text"), with any line breaks (``\\r`` alone is
what old Excel for Mac writes); a file that is not UTF-8 is read as
Windows-1252, which is what Excel on Windows writes for "CSV (Comma
delimited)", and error messages then say so. The figures, identifiers and
dates a line needs are ASCII, so the fallback can only change how other
columns' text is shown.

The delimiter is ``,``, ``;`` or a tab, whichever splits the header line into
the columns :mod:`~xl_reit.holdings.lines` needs, unless Excel's ``sep=;``
first line names it. A ``;`` file is what Excel writes where the decimal mark
is a comma, and its numbers and dates are read that way (see
:class:`~xl_reit.holdings.lines.TextFormat`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from .. import encodings
from ..errors import HoldingsFileError, Problem
from .lines import is_header

XLSX_SUFFIXES = (".xlsx", ".xlsm")
DELIMITERS = (",", ";", "\t")
#: How files begin: a zip archive (.xlsx) and an OLE2 compound file (.xls, encrypted .xlsx).
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def file_error(source: str, message: str, line: int | None = None) -> HoldingsFileError:
    """The error for a file that cannot be read at all, or not past ``line``."""
    return HoldingsFileError([Problem(source, line, None, message)])


def is_workbook(data: bytes) -> bool:
    """Whether a file's bytes are a zip archive, as an ``.xlsx`` workbook is (else: text)."""
    return data.startswith(_ZIP)


def decode(data: bytes, source: str) -> tuple[str, str]:
    """A CSV file's text and the name of its encoding (see :mod:`xl_reit.encodings`).

    Raises :class:`HoldingsFileError` for bytes that are not text.
    """
    try:
        return encodings.decode(data)
    except UnicodeDecodeError as error:
        raise file_error(
            source,
            f"starts as UTF-16 text but is not ({error.reason} at byte {error.start}); "
            "save it as 'CSV UTF-8' or .xlsx",
        ) from None
    except ValueError:
        raise file_error(
            source,
            "not text: it holds NUL characters (a binary file, or UTF-16 without a "
            "byte-order mark); save it as 'CSV UTF-8' or .xlsx",
        ) from None


def _lines(text: str) -> io.StringIO:
    """``text`` to read line by line, whatever its line breaks (``\\r`` alone: old Mac Excel)."""
    return io.StringIO(text, newline=None)


_SEPARATOR_HINT = re.compile(r"sep=(.)[ \t]*(?:\r\n|\r|\n|$)", re.IGNORECASE)


def separator_hint(text: str) -> tuple[str, str | None]:
    """Excel's ``sep=;`` first line: the delimiter it names, the line itself blanked.

    Excel writes (and reads) that line to say which delimiter a CSV file
    uses; it is kept as an empty line so that line numbers stay the file's.
    """
    match = _SEPARATOR_HINT.match(text)
    if match is None:
        return text, None
    return "\n" + text[match.end() :], match.group(1)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line into usable columns (else the commonest)."""
    header = next((line for line in _lines(text) if line.strip()), "")
    present = sorted((d for d in DELIMITERS if d in header), key=header.count, reverse=True)
    for candidate in present:
        try:
            row = next(csv.reader([header], delimiter=candidate), [])
        except csv.Error:  # a field past csv's limit: no header here (reading says so)
            continue
        if is_header(row):
            return candidate
    return present[0] if present else ","


def csv_rows(text: str, delimiter: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV text with the number of the line each ends on, read lazily."""
    reader = csv.reader(_lines(text), delimiter=delimiter)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as error:
        raise file_error(source, f"not readable as CSV: {error}", reader.line_num) from None


def content_error(source: str, file: Path, data: bytes) -> HoldingsFileError | None:
    """An error when the bytes are not what the file's name says, or are an .xls workbook."""
    if data.startswith(_OLE2):
        return file_error(
            source,
            "an Excel 97-2003 workbook (.xls) or a password-protected one; neither can be "
            "read: save it as .xlsx (without a password) or as CSV",
        )
    suffix = file.suffix.lower()
    named = "an Excel 97-2003 workbook" if suffix == ".xls" else "CSV text"
    is_zip = is_workbook(data)
    if is_zip and suffix not in XLSX_SUFFIXES:
        return file_error(
            source,
            f"an .xlsx workbook (a zip archive), not {named}: name it "
            f"{file.with_suffix('.xlsx').name!r}",
        )
    if not is_zip and suffix in (*XLSX_SUFFIXES, ".xls"):
        workbook = named if suffix == ".xls" else "an .xlsx workbook (a zip archive; it is not)"
        return file_error(
            source, f"not {workbook}: if it is CSV text, name it {file.with_suffix('.csv').name!r}"
        )
    return None
