"""Reading the text of a file whatever encoding a program saved it in."""

from __future__ import annotations

import pytest

from xl_reit.encodings import decode

TEXT = "Déclaration — Record Date\t03/31/2020\t$0.25\n"


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8"), ("utf-16", "UTF-16"), ("cp1252", "Windows-1252")],
)
def test_each_encoding_reads_back_the_same_text_and_is_named(encoding: str, name: str) -> None:
    assert decode(TEXT.encode(encoding)) == (TEXT, name)


def test_bytes_windows_1252_leaves_undefined_are_read_as_latin_1() -> None:
    assert decode(b"caf\xe9 \x81") == ("café \x81", "Latin-1")


def test_utf_16_without_a_byte_order_mark_is_refused_not_read_as_garbage() -> None:
    with pytest.raises(ValueError, match="UTF-16 without a byte-order mark"):
        decode(TEXT.encode("utf-16-le"))


def test_a_byte_order_mark_over_bytes_that_are_not_utf_16_is_refused() -> None:
    with pytest.raises(UnicodeDecodeError):
        decode(b"\xff\xfe\x00")
