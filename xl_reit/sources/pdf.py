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
text. A page whose text is turned sideways (a table printed landscape on a
portrait page) is no scan: layout mode reads upright text only, so such a
page is named as turned, and a PDF of such pages alone is refused saying to
turn its pages upright.

A PDF's streams are compressed, and a small file can inflate to gigabytes
(a "zip bomb"): pypdf bounds each stream, but not a file's many streams.
Before pypdf reads the file, its compressed (FlateDecode) streams are
inflated and counted, and discarded; a file whose streams inflate to more
than :data:`MAX_INFLATED` bytes in all is refused saying so. A release's PDF
inflates to a few megabytes. An encrypted PDF is read when it opens without a password, as most do
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
import re
import struct
import zlib
from collections.abc import Iterator

from ..errors import ReleaseFileError

__all__ = ["MAX_INFLATED", "pdf_pages"]

#: The most bytes a PDF's compressed streams may inflate to, in all.
MAX_INFLATED = 50_000_000

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


def pdf_pages(data: bytes, source: str) -> tuple[list[str], list[int]]:
    """The text of each page of a PDF, laid out as the page prints it (see the module doc).

    And the numbers (from 1) of the pages whose text is turned sideways, which
    have none laid out. Raises :class:`~xl_reit.errors.ReleaseFileError` for
    a PDF that needs a password, is damaged, holds no text (a scan), holds
    only turned text, or inflates past :data:`MAX_INFLATED`, and when pypdf
    is not installed.
    """
    try:
        import pypdf
    except ImportError:
        raise ReleaseFileError(
            f"{source!r} is a PDF, and reading one needs the pypdf library: "
            f"pip install 'xl-reit[pdf]', {_TEXT_INSTEAD}"
        ) from None
    _check_inflated(data, source)
    rotated: list[int] = []
    try:
        with _quiet("pypdf"):
            reader = pypdf.PdfReader(io.BytesIO(data))
            # Most encrypted PDFs open without a password: it only restricts what a reader may do.
            locked = reader.is_encrypted and not reader.decrypt("")
            pages = []
            for number, page in enumerate([] if locked else reader.pages, 1):
                pages.append(page.extract_text(extraction_mode="layout"))
                # layout mode leaves out text that is not upright; plain mode reads it
                if not pages[-1].strip() and page.extract_text().strip():
                    rotated.append(number)
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
    if rotated and not any(page.strip() for page in pages):
        raise ReleaseFileError(
            f"{source!r} is a PDF whose text is turned sideways (page "
            f"{', '.join(map(str, rotated))}), and xl-reit reads text laid upright: turn its "
            f"pages upright in a PDF viewer and print them to a new PDF, {_TEXT_INSTEAD}"
        )
    if not any(page.strip() for page in pages):
        raise ReleaseFileError(
            f"{source!r} is a PDF without text: its pages are images, as a scan's are. OCR it "
            "(with ocrmypdf, or a PDF editor's text recognition) and import the text it gives, "
            "saved as a .txt file"
        )
    return pages, rotated


#: A stream's start, and the dictionary before it: a compressed one names FlateDecode (or Fl).
_STREAM = re.compile(rb"stream\r?\n")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)(?![A-Za-z])")
_CHUNK = 1 << 16


def _check_inflated(data: bytes, source: str) -> None:
    """Refuse a PDF whose compressed streams inflate past :data:`MAX_INFLATED` in all."""
    budget = MAX_INFLATED
    position = 0
    while (start := _STREAM.search(data, position)) is not None:
        end = data.find(b"endstream", start.end())
        end = len(data) if end < 0 else end
        dictionary = data[max(position, start.start() - 4096) : start.start()]
        dictionary = dictionary[dictionary.rfind(b"obj") + 1 :]
        levels = len(_FLATE.findall(dictionary))
        if levels:
            budget -= _inflated(data[start.end() : end], levels, budget)
            if budget < 0:
                raise ReleaseFileError(
                    f"{source!r} is a PDF whose compressed streams inflate to more than "
                    f"{MAX_INFLATED // 1_000_000} MB in all (a release's PDF inflates to a few "
                    "MB), so it is not read: copy its text into a .txt file and import that"
                )
        position = end + 1


def _inflated(stream: bytes, levels: int, budget: int) -> int:
    """How many bytes ``stream`` inflates to through ``levels`` of zlib, up to past ``budget``.

    Each level's output counts (a reader keeps it), and is discarded as it is counted.
    """
    inflaters = [zlib.decompressobj() for _ in range(levels)]
    total = 0
    pending = [stream[index : index + _CHUNK] for index in range(0, len(stream), _CHUNK)]
    try:
        for chunk in pending:
            outputs = [chunk]
            for inflater in inflaters:
                produced = []
                for piece in outputs:
                    while piece and not inflater.eof:
                        out = inflater.decompress(piece, _CHUNK)
                        produced.append(out)
                        total += len(out)
                        if total > budget:
                            return total
                        piece = inflater.unconsumed_tail
                outputs = produced
    except zlib.error:
        pass  # damaged: pypdf says so, or reads what it can (which is counted)
    return total


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
