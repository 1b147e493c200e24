"""A release file as the text ``xl-reit import`` reads: from a text file, a web page or a PDF.

A REIT's allocation release reaches a user as the issuer's or a news wire's
web page, as a PDF, or as text someone copied out of either. The importer
(:mod:`xl_reit.importer`) reads text; :func:`read_release` turns each kind of
file into that text:

text (``.txt``, or any other name)
    decoded as any text file is (:mod:`xl_reit.encodings`), and nothing else;
a saved web page (``.html``, ``.htm``)
    its tables as lines of tab-separated cells, the rest as plain lines
    (:mod:`xl_reit.sources.html`);
a PDF (``.pdf``)
    its pages' text, laid out as they print it (:mod:`xl_reit.sources.pdf`);
    a scan without text is refused with a message that says to OCR it.

What a file is, is read from its bytes, not from its name alone. A PDF is a
PDF whatever it is called; a web page named ``.txt`` is read as a web page
(and a note says so). A file named ``.pdf`` that is no PDF (often a web page
that a failed download saved), one named ``.html`` that holds no HTML, and a
file that is none of the three (a Word document, a spreadsheet, an image) are
refused with a :class:`~xl_reit.errors.ReleaseFileError` that names the file
and says what would work.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..encodings import decode
from ..errors import ReleaseFileError
from .html import declared_text, foreign_charset, page_text
from .pdf import pdf_pages

__all__ = ["INPUTS", "ReleaseText", "read_release", "release_text"]

Kind = Literal["text", "web page", "PDF"]

#: The files ``xl-reit import`` reads, as its help and its messages name them.
INPUTS = "its text (.txt), its saved web page (.html, .htm) or its PDF (.pdf)"

_NAMED: dict[str, Kind] = {".html": "web page", ".htm": "web page", ".pdf": "PDF"}
#: A PDF's first line; readers look for it in the first 1024 bytes, and so does xl-reit.
_PDF = b"%PDF-"
#: How files that are none of the three begin, and what they are.
_OTHER_FILES = {
    b"PK\x03\x04": "a zip archive (a Word .docx or an Excel .xlsx file?)",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "a Word or Excel 97-2003 file",
    b"{\\rtf": "a Rich Text (.rtf) document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
}
#: How a web page begins, after any comments ("<!-- saved from url=… -->"): the
#: signatures browsers sniff for, and XHTML's XML declaration before its <html>.
_PAGE_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|meta|title|table|p|div|h[1-6]|font|b|br|a|script"
    r"|style|iframe|\?xml[^>]*>\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html))\b",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class ReleaseText:
    """The text of a release file, what the file is, and what reading it had to assume.

    ``notes`` are for the person importing (the command line prints them on
    standard error): the encoding a text was read in when it is not UTF-8,
    a file whose name says another kind than its bytes, a PDF's pages
    without text.
    """

    text: str
    kind: Kind
    notes: tuple[str, ...] = ()


def read_release(path: str | Path) -> ReleaseText:
    """The text of the release file at ``path`` (see the module doc).

    Raises :class:`~xl_reit.errors.ReleaseFileError` for a file that cannot
    be read or is not a release's text, web page or PDF.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ReleaseFileError(f"cannot read {str(path)!r}: {error.strerror or error}") from None
    return release_text(data, str(path))


def release_text(data: bytes, source: str) -> ReleaseText:
    """The text of a release file's bytes; ``source`` is the file's name or path.

    >>> release_text(b"<p>CUSIP 00000A109</p><table><tr><td>a<td>b</table>", "r.html").text
    'CUSIP 00000A109\\na\\tb\\n'
    """
    name = Path(source).name
    kind = _kind(data, source)
    named = _NAMED.get(Path(source).suffix.lower())
    if named == "PDF" and kind != "PDF":
        this = "a web page (a download that failed?)" if kind == "web page" else "text"
        raise ReleaseFileError(
            f"{source!r} is not a PDF: a PDF starts with {_PDF.decode()}, and this is {this}. "
            f"Download the PDF again, or import the release as {INPUTS}"
        )
    if named == "web page" and kind == "text":
        raise ReleaseFileError(
            f"{source!r} holds no HTML: a saved web page starts with a tag such as <html> or "
            f"<!DOCTYPE html>. Save the page again from the browser, or if it is the "
            f"release's text, name it {Path(source).with_suffix('.txt').name!r}"
        )
    notes = []
    if kind != "text" and named != kind:
        notes.append(f"{name} is a {kind}, whatever its name; read as one")
    if kind == "PDF":
        pages, rotated = pdf_pages(data, source)
        if rotated:
            turned = ", ".join(map(str, rotated))
            notes.append(f"{name}: the text of page {turned} is turned sideways, so not read")
        empty = [
            str(number)
            for number, page in enumerate(pages, 1)
            if not page.strip() and number not in rotated
        ]
        if empty:
            notes.append(f"{name}: no text on page {', '.join(empty)} (a scanned page?)")
        return ReleaseText("\n".join(pages), kind, tuple(notes))
    page = declared_text(data) if kind == "web page" else None
    foreign = foreign_charset(data) if kind == "web page" and page is None else None
    if foreign is not None:
        notes.append(
            f"{name} declares its charset as {foreign!r}, which is no text encoding of web "
            "pages (as a browser does, xl-reit ignores it)"
        )
    if page is None:
        page, encoding = _decoded(data, source)
        if encoding not in ("UTF-8", "UTF-16"):
            notes.append(f"{name} is not UTF-8; read as {encoding}")
    text = page_text(page, source) if kind == "web page" else page
    return ReleaseText(text, kind, tuple(notes))


def _kind(data: bytes, source: str) -> Kind:
    """What the bytes are; a file that is none of the three is refused here."""
    if _PDF in data[:1024]:
        return "PDF"
    for start, what in _OTHER_FILES.items():
        if data.startswith(start):
            raise ReleaseFileError(
                f"{source!r} is {what}, not a release xl-reit can read: import the release as "
                f"{INPUTS}"
            )
    head = data[:2048]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        beginning = head.decode("utf-16", errors="ignore")
    else:
        beginning = head.removeprefix(codecs.BOM_UTF8).decode("latin-1")
    return "web page" if _PAGE_START.match(beginning) else "text"


def _decoded(data: bytes, source: str) -> tuple[str, str]:
    """Text as any release text is decoded, and the encoding's name; errors name the file."""
    try:
        return decode(data)
    except UnicodeDecodeError as error:
        raise ReleaseFileError(
            f"{source!r} starts as UTF-16 text but is not ({error.reason} at byte {error.start}); "
            "save it as UTF-8 text"
        ) from None
    except ValueError as error:
        raise ReleaseFileError(f"{source!r}: {error}") from None
