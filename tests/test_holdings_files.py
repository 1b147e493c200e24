"""What a holdings file is: its bytes against its name, its encoding, its delimiter."""

from __future__ import annotations

import codecs
from decimal import Decimal
from pathlib import Path

import pytest

from xl_reit.errors import HoldingsFileError, Problem
from xl_reit.holdings import read_holdings

from holdings_support import CLASS_A, problems, shares, write, xlsx_bytes

#: The lines here are read against Aimco's 2004 release alone (see conftest.py).
pytestmark = pytest.mark.usefixtures("aimco_2004_alone")


def test_a_utf8_byte_order_mark_from_excel_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffCUSIP,Shares\r\nAIV,3\r\n".encode())
    assert shares(read_holdings(path), "03748R101") == dict.fromkeys(CLASS_A, Decimal(3))


def test_a_missing_file_is_a_holdings_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    assert problems(missing)[0].startswith(f"{missing}: cannot read the holdings file")


OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "holdings.csv",
            None,
            "holdings.csv: an .xlsx workbook (a zip archive), not CSV text: "
            "name it 'holdings.xlsx'",
        ),
        (
            "holdings.xlsx",
            b"CUSIP,Shares\nAIV,1\n",
            "holdings.xlsx: not an .xlsx workbook (a zip archive; it is not): if it is CSV "
            "text, name it 'holdings.csv'",
        ),
        (
            "holdings.xls",
            b"CUSIP,Shares\nAIV,1\n",
            "holdings.xls: not an Excel 97-2003 workbook: if it is CSV text, name it "
            "'holdings.csv'",
        ),
        (
            "holdings.xls",
            None,
            "holdings.xls: an .xlsx workbook (a zip archive), not an Excel 97-2003 workbook: "
            "name it 'holdings.xlsx'",
        ),
        (
            "holdings.csv",
            OLE2_SIGNATURE + bytes(504),
            "holdings.csv: an Excel 97-2003 workbook (.xls) or a password-protected one; "
            "neither can be read: save it as .xlsx (without a password) or as CSV",
        ),
        (
            "holdings.csv",
            b"CUSIP,Shares\nAIV,1\x00\n",
            "holdings.csv: not text: it holds NUL characters (a binary file, or UTF-16 without "
            "a byte-order mark); save it as 'CSV UTF-8' or .xlsx",
        ),
    ],
    ids=["xlsx-named-csv", "csv-named-xlsx", "csv-named-xls", "xlsx-named-xls", "xls", "nul"],
)
def test_a_file_whose_bytes_are_not_what_its_name_says_is_refused_saying_what_it_is(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name  # content None: a real workbook
    path.write_bytes(content or xlsx_bytes(["CUSIP", "Shares"], ["AIV", 1]))
    assert problems(path) == [f"{tmp_path}/{message}"]


@pytest.mark.parametrize(
    "data",
    [
        # Not UTF-8: read as Windows-1252, as Excel on Windows writes "CSV (Comma delimited)".
        "CUSIP,Shares,Société\r\nAIV,3,Crédit Agricole – PEA\r\n".encode("cp1252"),
        codecs.BOM_UTF8 + "CUSIP,Shares,Note\nAIV,3,é\n".encode("cp1252"),  # a stray BOM
        "CUSIP\tShares\tNote\r\nAIV\t3\tSociété\r\n".encode("utf-16"),  # Unicode Text
        b"CUSIP,Shares\r\rAIV,3\r",  # old Excel for Mac ends lines with CR alone
    ],
    ids=["windows-1252", "bom-then-windows-1252", "utf-16", "cr-line-breaks"],
)
def test_text_in_the_encodings_excel_writes_is_read(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    assert shares(read_holdings(path), "03748R101") == dict.fromkeys(CLASS_A, Decimal(3))


def test_a_bad_line_of_a_windows_1252_file_says_how_the_file_was_read(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("CUSIP,Shares,Note\nAIV,trois,café\n".encode("cp1252"))
    assert problems(path) == [
        f"{path}, line 2, column 'Shares': Shares 'trois' is not a number of shares; give a "
        "number, 0 or more",
        f"{path}: (read as Windows-1252 text: it is not UTF-8)",
    ]


def test_bytes_that_windows_1252_leaves_undefined_are_read_as_latin_1(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"CUSIP,Shares,Note\nAIV,1,\x81\x8d\nAIV,x,\n")
    assert problems(path)[-1] == f"{path}: (read as Latin-1 text: it is not UTF-8)"


def test_text_that_starts_as_utf16_but_is_not_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + b"C\x00U\x00S")
    assert problems(path) == [
        f"{path}: starts as UTF-16 text but is not (truncated data at byte 6); save it as "
        "'CSV UTF-8' or .xlsx"
    ]


@pytest.mark.parametrize(
    "header",
    ["CUSIP;Shares;Account", "CUSIP\tShares\tAccount", 'CUSIP;Shares;"Account, main"'],
    ids=["semicolon", "tab", "semicolon-with-a-comma-in-a-heading"],
)
def test_the_delimiter_is_the_one_that_splits_the_header_into_usable_columns(
    tmp_path: Path, header: str
) -> None:
    delimiter = "\t" if "\t" in header else ";"
    path = write(tmp_path, f"{header}\nAIV{delimiter}5{delimiter}IRA, main\n")
    assert shares(read_holdings(path), "03748R101") == dict.fromkeys(CLASS_A, Decimal(5))


def test_a_line_csv_cannot_read_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'CUSIP,Shares\nAIV,1\n"' + "x" * 200_000 + '"\n')
    assert problems(path) == [
        f"{path}, line 3: not readable as CSV: field larger than field limit (131072)"
    ]


def test_a_header_line_csv_cannot_read_names_its_line(tmp_path: Path) -> None:
    # Found by the fuzzer: a megabyte glued into the header line raised csv.Error while
    # the delimiter was being told, before any line was read.
    path = write(tmp_path, "CUSIP,Sh" + "1.6588% " * 125_000 + "ares\nAIV,1\n")
    assert problems(path) == [
        f"{path}, line 1: not readable as CSV: field larger than field limit (131072)"
    ]


def test_excels_sep_line_names_the_delimiter_and_lines_keep_their_numbers(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "sep=;\r\nCUSIP;Shares\r\nAIV;100,5\r\nAIVPrX;1\r\n")
    [found] = problems(path)
    assert found.startswith(f"{path}, line 4, column 'CUSIP': ")  # the file's own line 4
    path = write(tmp_path, "SEP=;\nCUSIP;Shares\nAIV;100,5\n")
    assert shares(read_holdings(path), "03748R101") == dict.fromkeys(CLASS_A, Decimal("100.5"))


def test_a_problem_with_the_file_itself_is_a_value_naming_no_column(tmp_path: Path) -> None:
    path = write(tmp_path, 'CUSIP,Shares\nAIV,1\n"' + "x" * 200_000 + '"\n')
    with pytest.raises(HoldingsFileError) as caught:
        read_holdings(path)
    assert caught.value.problems == (
        Problem(str(path), 3, None, "not readable as CSV: field larger than field limit (131072)"),
    )
