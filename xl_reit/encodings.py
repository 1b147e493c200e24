"""The text of a file as spreadsheets, browsers and editors write it, and which encoding it was.

A file a user hands xl-reit (a release's text, a holdings CSV) may be UTF-8
with or without a byte-order mark, UTF-16 with one (Excel's "Unicode Text",
Notepad's "Unicode"), or Windows-1252 (Excel on Windows' "CSV (Comma
delimited)"). :func:`decode` reads the byte-order mark first, then tries
UTF-8, then Windows-1252, and last Latin-1 (the five bytes Windows-1252
leaves undefined), and says which it used so a message can name it.

>>> decode("Räte".encode("utf-16"))
('Räte', 'UTF-16')
>>> decode("Räte".encode("cp1252"))
('Räte', 'Windows-1252')
"""

from __future__ import annotations

import codecs

__all__ = ["decode"]


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the name of the encoding it was read as.

    Raises :class:`UnicodeDecodeError` for a UTF-16 byte-order mark over bytes
    that are not UTF-16, and :class:`ValueError` for text that holds NUL
    characters (a binary file, or UTF-16 written without a byte-order mark).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"
    text, name = _first_that_reads(data.removeprefix(codecs.BOM_UTF8))
    if "\x00" in text:
        raise ValueError(
            "not text: it holds NUL characters (a binary file, or UTF-16 without a byte-order "
            "mark); save it as UTF-8 text"
        )
    return text, name


def _first_that_reads(data: bytes) -> tuple[str, str]:
    """UTF-8, else Windows-1252, else Latin-1 (which reads any bytes)."""
    for encoding, name in (("utf-8", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            return data.decode(encoding), name
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "Latin-1"
