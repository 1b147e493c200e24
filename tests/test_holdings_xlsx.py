"""Holdings workbooks: the first sheet's rows, and the guards against hostile .xlsx files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xl_reit.holdings import read_holdings, xlsx
from xl_reit.holdings.xlsx import read_sheet_rows

from holdings_support import problems, shares, xlsx_bytes


def test_read_sheet_rows_numbers_rows_from_1(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["a", 1])
    book.active.append([None, None])
    book.active.append(["b", 2.5])
    path = tmp_path / "rows.xlsx"
    book.save(path)
    assert read_sheet_rows(path) == [
        (1, ["a", 1]),
        (2, [None, None]),
        (3, ["b", 2.5]),
    ]


def test_an_xlsx_holdings_file_is_read_from_its_first_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["CUSIP", "Record date", "Shares"])
    sheet.append(["03748R408", dt.datetime(2004, 4, 1), 12.5])  # a date cell, a float
    sheet.append(["AIVPrQ", None, 3])
    sheet.append(["AIV", "2004-02-30", 1])  # line 4: no such day
    path = tmp_path / "holdings.xlsx"
    book.save(path)
    assert problems(path) == [
        f"{path}, line 4, column 'Record date': payment_date '2004-02-30': "
        "day is out of range for month"
    ]
    sheet.delete_rows(4)
    book.save(path)
    holdings = read_holdings(path)
    assert shares(holdings, "03748R408") == {"2004-04-15": Decimal("12.5")}
    assert set(shares(holdings, "03748R853")) == {
        "2004-03-15",
        "2004-06-15",
        "2004-09-15",
        "2004-12-15",
    }


# ------------------------------------------------------------ untrusted .xlsx

#: Nine levels of ten: a single reference expands to 10**9 "lol"s (3 GB) unless refused.
BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10))
    + "]>"
)
SHARED_STRINGS = (
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
)
SHARED_STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def with_parts(workbook: bytes, parts: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """``workbook`` with some of its zip entries rewritten (or added, from ``b""``)."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    names = [*source.namelist(), *(name for name in parts if name not in source.namelist())]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            data = source.read(name) if name in source.namelist() else b""
            target.writestr(name, parts[name](data) if name in parts else data)
    return out.getvalue()


def bomb_in_the_sheet(data: bytes) -> bytes:
    return BILLION_LAUGHS.encode() + data.replace(b"<t>AIV</t>", b"<t>&lol9;</t>")


ATTACKS = {
    "sheet": {"xl/worksheets/sheet1.xml": bomb_in_the_sheet},
    "shared-strings": {
        "xl/sharedStrings.xml": lambda _: (BILLION_LAUGHS + SHARED_STRINGS).encode(),
        "[Content_Types].xml": lambda types: types.replace(
            b"</Types>", SHARED_STRINGS_TYPE.encode()
        ),
        "xl/worksheets/sheet1.xml": lambda sheet: sheet.replace(
            b'<c r="A2" t="inlineStr"><is><t>AIV</t></is></c>', b'<c r="A2" t="s"><v>0</v></c>'
        ),
    },
    "workbook": {"xl/workbook.xml": lambda data: BILLION_LAUGHS.encode() + data},
}


def test_openpyxl_parses_with_defusedxml_here() -> None:
    assert openpyxl.xml.DEFUSEDXML is True


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_an_entity_expansion_bomb_in_an_xlsx_is_refused_quickly_and_clearly(
    tmp_path: Path, attack: dict[str, Callable[[bytes], bytes]], hang_guard: None
) -> None:
    path = tmp_path / "holdings.xlsx"
    path.write_bytes(with_parts(xlsx_bytes(["CUSIP", "Shares"], ["AIV", 1]), attack))
    found = problems(path)  # an expanded bomb would hang or exhaust memory first
    assert found == [
        f"{path}: cannot read the holdings file: its XML declares entities, which no workbook "
        "saved by Excel does; xl-reit refuses them as a defence against XML attacks (entity "
        "expansion, the 'billion laughs', and external entities): open the file in Excel and "
        "save it again, or save it as CSV"
    ]


def test_an_external_entity_in_an_xlsx_is_refused_without_reading_what_it_names(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret")
    declaration = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    attack = {
        "xl/worksheets/sheet1.xml": lambda data: (
            declaration.encode() + data.replace(b"<t>AIV</t>", b"<t>&xxe;</t>")
        )
    }
    path = tmp_path / "holdings.xlsx"
    path.write_bytes(with_parts(xlsx_bytes(["CUSIP", "Shares"], ["AIV", 1]), attack))
    (found,) = problems(path)
    assert "refuses them as a defence against XML attacks" in found
    assert "the secret" not in found


@pytest.mark.parametrize(
    "damage",
    [
        lambda book: book[: len(book) // 2],  # cut short
        lambda book: with_parts(book, {"xl/worksheets/sheet1.xml": lambda data: data[:300]}),
        lambda book: with_parts(book, {"xl/workbook.xml": lambda data: b""}),
    ],
    ids=["truncated", "broken-sheet-xml", "empty-workbook-part"],
)
def test_a_damaged_xlsx_is_a_holdings_error_not_a_traceback(
    tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    path = tmp_path / "holdings.xlsx"
    path.write_bytes(damage(xlsx_bytes(["CUSIP", "Shares"], ["AIV", 1])))
    (found,) = problems(path)
    assert found.startswith(f"{path}: cannot read the holdings file: not an .xlsx workbook (")


def test_a_zip_bomb_posing_as_a_workbook_is_refused_unread(
    tmp_path: Path, hang_guard: None
) -> None:
    # 64 MB of spaces deflate to about 64 KB: a thousandfold expansion.
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(["CUSIP", "Shares"], ["AIV", 1])))
    inflated = io.BytesIO()
    with zipfile.ZipFile(inflated, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data += b" " * (64 * 1024 * 1024)
            target.writestr(name, data)
    path = tmp_path / "holdings.xlsx"
    path.write_bytes(inflated.getvalue())
    [found] = problems(path)
    assert found.startswith(f"{path}: cannot read the holdings file: its part ")
    assert "as a zip bomb does, not a spreadsheet: refused unread" in found


def test_a_zip_bomb_with_a_long_name_is_named_in_a_few_characters(
    tmp_path: Path, hang_guard: None
) -> None:
    # A zip entry's name may be 65,535 bytes long: the message quotes its start only.
    name = "xl/media/" + "bomb" * 16_000
    inflated = io.BytesIO(xlsx_bytes(["CUSIP", "Shares"], ["AIV", 1]))
    with zipfile.ZipFile(inflated, "a", zipfile.ZIP_DEFLATED) as target:
        target.writestr(name, b" " * (64 * 1024 * 1024))
    path = tmp_path / "holdings.xlsx"
    path.write_bytes(inflated.getvalue())
    [found] = problems(path)
    assert found == (
        f"{path}: cannot read the holdings file: its part 'xl/media/{'bomb' * 12}b… expands "
        f"{64 * 1024 * 1024 // zipfile.ZipFile(path).getinfo(name).compress_size:,} times when "
        "unzipped, as a zip bomb does, not a spreadsheet: refused unread"
    )


def test_a_workbook_that_would_unzip_past_the_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx, "MAX_UNZIPPED_BYTES", 1000)
    path = tmp_path / "holdings.xlsx"
    path.write_bytes(xlsx_bytes(["CUSIP", "Shares"], ["AIV", 1]))
    [found] = problems(path)
    assert "more than any holdings workbook (1,000 at most): refused unread" in found


def test_a_megabyte_cell_in_a_workbook_is_quoted_in_a_few_characters(tmp_path: Path) -> None:
    path = tmp_path / "holdings.xlsx"
    path.write_bytes(xlsx_bytes(["CUSIP", "Shares"], ["AIV", "many" * 256 * 1024]))
    [found] = problems(path)
    assert found == (
        f"{path}, line 2, column 'Shares': Shares '{'many' * 14}ma… is not a number of shares; "
        "give a number, 0 or more"
    )
