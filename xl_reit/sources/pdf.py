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
than :data:`MAX_INFLATED` bytes in all, or whose pages draw with more than
:data:`MAX_DRAWING` bytes of content (which pypdf reads operator by
operator, slowly), is refused saying which. A release's PDF inflates to a
few megabytes and draws with some kilobytes a page.

An encrypted PDF is read when it opens without a password, as most do (the
password only restricts printing or copying); one that needs a password, and
a damaged one, are refused saying what would work.

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
from dataclasses import dataclass

from ..errors import ReleaseFileError

__all__ = ["MAX_DRAWING", "MAX_INFLATED", "pdf_pages"]

#: The most bytes a PDF's compressed streams may inflate to, in all.
MAX_INFLATED = 50_000_000
#: The most bytes of content a PDF's pages may draw with (pypdf reads about a megabyte of
#: drawing operators a second): a release's page draws with some kilobytes.
MAX_DRAWING = 5_000_000

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
_OBJECT = re.compile(rb"(\d+)\s+\d+\s+obj\b")
#: What a page's or form's content names: ``/Contents 5 0 R`` or ``/Contents [5 0 R 6 0 R]``.
_CONTENTS = re.compile(rb"/Contents\s*(\[[^\]]*\]|\d+\s+\d+\s+R)")
_REFERENCE = re.compile(rb"(\d+)\s+\d+\s+R")
#: Streams that are not drawn: images, fonts, object and cross-reference streams, metadata.
_NOT_DRAWN = re.compile(
    rb"/Subtype\s*/(?!Form\b)\w+|/Type\s*/(?:ObjStm|XRef|Metadata|EmbeddedFile)\b|/Length[123]\b"
)
_CHUNK = 1 << 16


@dataclass(frozen=True)
class _Stream:
    number: int | None  # the object number, where it can be read
    dictionary: bytes
    data: bytes


def _streams(data: bytes) -> Iterator[_Stream]:
    """The file's streams, as its bytes lay them out (whatever its cross-reference says)."""
    position = 0
    while (start := _STREAM.search(data, position)) is not None:
        end = data.find(b"endstream", start.end())
        end = len(data) if end < 0 else end
        before = data[max(position, start.start() - 4096) : start.start()]
        heads = list(_OBJECT.finditer(before))
        number = int(heads[-1].group(1)) if heads else None
        dictionary = before[heads[-1].end() :] if heads else before
        yield _Stream(number, dictionary, data[start.end() : end])
        position = end + len(b"endstream")


def _check_inflated(data: bytes, source: str) -> None:
    """Refuse a PDF whose streams inflate past :data:`MAX_INFLATED` in all, or whose pages
    draw with more than :data:`MAX_DRAWING` bytes (content and form streams, inflated).

    Object streams are inflated first, for the pages they hold say which streams draw;
    a stream no page names is taken to draw unless its dictionary says it does not.
    """
    streams = list(_streams(data))
    left = {"inflated": MAX_INFLATED, "drawing": MAX_DRAWING}
    objects = [data]
    for stream in streams:
        if re.search(rb"/Type\s*/ObjStm\b", stream.dictionary):
            held: list[bytes] = []
            left["inflated"] -= _inflated(stream, left["inflated"], held)
            objects.append(b"".join(held))
    drawn = {
        int(reference.group(1))
        for text in objects
        for contents in _CONTENTS.finditer(text)
        for reference in _REFERENCE.finditer(contents.group(1))
    }
    for stream in streams:
        if re.search(rb"/Type\s*/ObjStm\b", stream.dictionary):
            continue
        draws = stream.number in drawn or not _NOT_DRAWN.search(stream.dictionary)
        size = _inflated(stream, min(left.values()) if draws else left["inflated"])
        left["inflated"] -= size
        if draws:
            left["drawing"] -= size
        if min(left.values()) < 0:
            what = (
                f"whose pages draw with more than {MAX_DRAWING // 1_000_000} MB of content "
                "(a release's draw with some kilobytes a page)"
                if left["drawing"] < 0
                else f"whose compressed streams inflate to more than "
                f"{MAX_INFLATED // 1_000_000} MB in all (a release's PDF inflates to a few MB)"
            )
            raise ReleaseFileError(
                f"{source!r} is a PDF {what}, so it is not read: copy its text into a .txt "
                "file and import that"
            )


def _inflated(stream: _Stream, budget: int, held: list[bytes] | None = None) -> int:
    """How many bytes ``stream`` is once decoded, up to past ``budget``: through each level of
    FlateDecode its dictionary names (each level's output counts: a reader keeps it), or as
    it is. Discarded as it is counted, or kept in ``held``.
    """
    levels = len(_FLATE.findall(stream.dictionary))
    if not levels:
        return len(stream.data)
    inflaters = [zlib.decompressobj() for _ in range(levels)]
    total = 0
    chunks = range(0, len(stream.data), _CHUNK)
    try:
        for index in chunks:
            outputs = [stream.data[index : index + _CHUNK]]
            for level, inflater in enumerate(inflaters, 1):
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
                if level == levels and held is not None:
                    held += produced
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
