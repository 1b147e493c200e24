"""A release printed as a PDF (``.pdf``): its text, laid out as the page prints it.

Issuers publish the allocation as a PDF too (the release, or a "tax
information" sheet). Its text is read with pypdf, a pure-Python PDF library,
in its layout mode: each line of the page is one line of text, and each word
stands in the character column its position on the page gives, so a table's
columns stay apart by at least two spaces and a header cell's wrapped words
stay over their column ("Unrecaptured" / "Sec. 1250 Gain"). That is the
space-aligned layout the importer reads. Tabs would say only which cell of its
own line a word is in; a wrapped header's second line then loses its columns.

Measured on the tests' release pages printed by LibreOffice, and on the same
tables written by the fpdf2 library: read this way, each page whose table
the importer reads as pasted text imports from its PDF too;
pypdf's plain mode runs a table's cells together with single spaces, and
pdfplumber's text, with or without its layout option, misplaces the lines of
wrapped header cells, and none of them imports.

A PDF whose pages hold no text is a scan: its pages are pictures of the
release. It is refused with a message that says to OCR it and import the
text. An encrypted PDF is read when it opens without a password, as most do
(the password only restricts printing or copying); one that needs a password,
and a damaged one, are refused saying what would work.

pypdf is an optional dependency (``pip install 'xl-reit[pdf]'``): the Excel
side of xl-reit, which xlwings Lite installs into the browser each time a
workbook opens, never reads a PDF.
"""

from __future__ import annotations

import contextlib
import io
import logging
import struct
import zlib
from collections.abc import Iterator

from ..errors import ReleaseFileError

__all__ = ["pdf_pages"]

#: What pypdf raises, beyond its own errors, on a PDF whose structure is damaged or
#: uses what it does not support (found by mutating the tests' PDFs byte by byte).
_DAMAGE = (
    NotImplementedError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    AssertionError,
    struct.error,
    zlib.error,
    RecursionError,
    OverflowError,
)
_TEXT_INSTEAD = "or copy its text into a .txt file and import that"


def pdf_pages(data: bytes, source: str) -> list[str]:
    """The text of each page of a PDF, laid out as the page prints it (see the module doc).

    Raises :class:`~xl_reit.errors.ReleaseFileError` for a PDF that needs a
    password, is damaged or holds no text (a scan), and when pypdf is not
    installed.
    """
    try:
        import pypdf
    except ImportError:
        raise ReleaseFileError(
            f"{source!r} is a PDF, and reading one needs the pypdf library: "
            f"pip install 'xl-reit[pdf]', {_TEXT_INSTEAD}"
        ) from None
    try:
        with _quiet("pypdf"):
            reader = pypdf.PdfReader(io.BytesIO(data))
            # Most encrypted PDFs open without a password: it only restricts what a reader may do.
            locked = reader.is_encrypted and not reader.decrypt("")
            pages = (
                [] if locked else [p.extract_text(extraction_mode="layout") for p in reader.pages]
            )
    except pypdf.errors.DependencyError:
        raise ReleaseFileError(
            f"{source!r} is an encrypted PDF (AES), and decrypting it needs the cryptography "
            f"library: pip install cryptography, {_TEXT_INSTEAD}"
        ) from None
    except (pypdf.errors.PyPdfError, *_DAMAGE) as error:
        raise ReleaseFileError(
            f"{source!r} is a PDF that cannot be read: it is damaged, or uses what pypdf does "
            f"not support ({type(error).__name__}: {error}); download or save it again, "
            f"{_TEXT_INSTEAD}"
        ) from None
    if locked:
        raise ReleaseFileError(
            f"{source!r} is a PDF that opens only with a password: open it, print it to a new "
            f"PDF without one and import that, {_TEXT_INSTEAD}"
        )
    if not pages:
        raise ReleaseFileError(
            f"{source!r} is a PDF without pages; download or save it again, {_TEXT_INSTEAD}"
        )
    if not any(page.strip() for page in pages):
        raise ReleaseFileError(
            f"{source!r} is a PDF without text: its pages are images, as a scan's are. OCR it "
            "(with ocrmypdf, or a PDF editor's text recognition) and import the text it gives, "
            "saved as a .txt file"
        )
    return pages


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Keep a library's warnings off the terminal while it reads.

    pypdf logs each repair it makes to a damaged file ("EOF marker not
    found"); what matters to the person importing is whether the text could
    be read, which the import reports.
    """
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
