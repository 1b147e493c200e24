"""Spreadsheet injection: users' text is text in every workbook and CSV xl-reit writes.

A table someone sends may name a class ``=HYPERLINK(…)`` or ``+cmd|…``. In a
workbook, openpyxl would make a string that starts with ``=`` a formula; in a
CSV, Excel runs a cell that starts with ``= + - @`` (or a tab or carriage
return before one). The workbook stores such text with the string type; the
CSV output puts a ``'`` before it (OWASP), which the table loader takes off.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_reit import cli, csvsafe
from xl_reit.table import AllocationTable, set_default_table
from xl_reit.workbook import build, save

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
]
#: Every column of a table file that holds free text.
TEXT_FIELDS = ("issuer", "class_name", "symbol", "source", "notes")
CUSIP = "037833100"


@pytest.fixture(autouse=True)
def _bundled_table() -> Iterator[None]:
    yield
    set_default_table(None)  # the tests replace the default table


def table_text(text: str, *, escaped: bool) -> str:
    """A one-payment table with ``text`` in every text field, written raw or as xl-reit does.

    Raw, a leading tab or carriage return is surrounding space, which the
    loader strips; escaped (``'\\t=1+1``), the text loads exactly.
    """
    cell = csvsafe.escape(text) if escaped else text
    row = {
        "issuer": cell,
        "tax_year": "2004",
        "class_name": cell,
        "cusip": CUSIP,
        "symbol": cell,
        "record_date": "2004-03-01",
        "payable_date": "2004-03-15",
        "dividend_per_share": "0.50",
        "ordinary": "100",
        "qualified": "0",
        "capital_gain": "0",
        "unrecaptured_1250": "0",
        "return_of_capital": "0",
        "source": cell,
        "release_date": "2005-01-01",
        "notes": cell,
    }
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(row))  # CRLF: a cell holding a CR is quoted
    writer.writeheader()
    writer.writerow(row)
    return buffer.getvalue()


def run(capsys: pytest.CaptureFixture[str], table: str, *argv: str) -> str:
    """The command line's standard output with ``table`` as the only table (it must succeed).

    The table is given as text, not as a ``--table`` file: reading a file
    turns a carriage return inside a cell into a line feed.
    """
    set_default_table(AllocationTable.from_texts([("hostile.csv", table)]))
    assert cli.main(list(argv)) == 0
    return capsys.readouterr().out


# -------------------------------------------------------------- the workbook


@pytest.mark.parametrize("escaped", [False, True], ids=["raw", "escaped"])
@pytest.mark.parametrize("payload", HOSTILE)
def test_every_text_field_of_a_users_table_is_text_in_the_workbook_never_a_formula(
    tmp_path: Path, payload: str, escaped: bool
) -> None:
    table = AllocationTable.from_texts([("hostile.csv", table_text(payload, escaped=escaped))])
    (security,) = table.classes.values()
    loaded = payload if escaped else payload.strip()
    payment = security.payments[0]
    assert {field: getattr(payment, field) for field in TEXT_FIELDS} == dict.fromkeys(
        TEXT_FIELDS, loaded
    )
    path = tmp_path / "book.xlsx"
    save(build([security]), path)
    book = openpyxl.load_workbook(path)
    shown = loaded.replace("\r", "\n")  # XML reads a carriage return as a line feed: still text
    holding = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and shown in cell.value
    ]
    assert holding and all(cell.data_type == "s" for cell in holding)
    exact = {(cell.parent.title, cell.coordinate) for cell in holding if cell.value == shown}
    # The class name on Payments and 1099-DIV, the notes on Release.
    assert {("Payments", "A5"), ("1099-DIV", "A5"), ("Release", "K6")} <= exact


def test_control_characters_a_workbook_cannot_hold_show_as_replacement_marks(
    tmp_path: Path,
) -> None:
    text = table_text("x", escaped=False).replace(",x,", ",Bell\x07 Class,", 1)
    (security,) = AllocationTable.from_texts([("bell.csv", text)]).classes.values()
    path = tmp_path / "book.xlsx"
    save(build([security]), path)
    assert openpyxl.load_workbook(path)["Payments"]["A5"].value == "Bell\ufffd Class"


# ------------------------------------------------------------------ CSV cells


@pytest.mark.parametrize(
    ("cell", "escaped"),
    [
        *((text, "'" + text) for text in HOSTILE),
        ("-2.5", "-2.5"),  # a figure stays a figure
        ("+3", "+3"),
        ("0.013268", "0.013268"),
        ("Class A Common Stock", "Class A Common Stock"),
        ("", ""),
        ("'", "'"),
        ("'=1", "''=1"),  # already quoted: one quote more, so the way back is exact
        ("''-x", "'''-x"),
        ("a=b", "a=b"),
    ],
)
def test_a_csv_cell_that_a_spreadsheet_would_evaluate_gets_a_quote(cell: str, escaped: str) -> None:
    assert csvsafe.escape(cell) == escaped
    assert csvsafe.unescape(escaped) == cell


def test_to_csv_escapes_every_cell_and_quotes_a_cell_holding_a_carriage_return() -> None:
    text = csvsafe.to_csv([["class_name", "dividend"], ["\r=1+1", "-2.5"], ["a\rb", "x\ny"]])
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["class_name", "dividend"],
        ["'\r=1+1", "-2.5"],
        ["a\rb", "x\ny"],
    ]


@given(st.text())
def test_unescape_undoes_escape_for_any_text(text: str) -> None:
    assert csvsafe.unescape(csvsafe.escape(text)) == text


@given(st.text())
def test_an_escaped_cell_starts_with_no_formula_character_unless_it_is_a_plain_number(
    text: str,
) -> None:
    escaped = csvsafe.escape(text)
    starts_a_formula = escaped[:1] in tuple(csvsafe.TRIGGERS)
    assert not starts_a_formula or re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", escaped), escaped


@pytest.mark.parametrize("payload", HOSTILE)
def test_payments_csv_quotes_hostile_text_and_loads_back_as_the_same_table(
    capsys: pytest.CaptureFixture[str], payload: str
) -> None:
    out = run(capsys, table_text(payload, escaped=True), "payments", "--format", "csv")
    (row,) = (row for row in csv.DictReader(io.StringIO(out)) if row["row_kind"] == "payment")
    assert {field: row[field] for field in TEXT_FIELDS} == dict.fromkeys(TEXT_FIELDS, "'" + payload)
    assert (row["dividend_per_share"], row["ordinary"]) == ("0.50", "100")  # figures unquoted
    (payment,) = AllocationTable.from_texts([("payments.csv", out)]).payments()
    assert {field: getattr(payment, field) for field in TEXT_FIELDS} == dict.fromkeys(
        TEXT_FIELDS, payload
    )


def test_1099_csv_quotes_hostile_class_names_and_symbols_but_not_figures(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    holdings = tmp_path / "mine.csv"
    holdings.write_text(f"CUSIP,Shares\n{CUSIP},10\n")
    out = run(capsys, table_text("=1+1", escaped=False), "1099", str(holdings), "--format", "csv")
    first, total = csv.DictReader(io.StringIO(out))
    assert (first["class_name"], first["symbol"]) == ("'=1+1", "'=1+1")
    assert (first["box_1a"], total["box_1a"]) == ("5", "5")  # 10 shares x $0.50, ordinary


@pytest.mark.parametrize("payload", HOSTILE)
def test_json_output_holds_the_text_exactly_without_quotes(
    capsys: pytest.CaptureFixture[str], payload: str
) -> None:
    out = run(capsys, table_text(payload, escaped=True), "payments", "--format", "json")
    (record, *_) = json.loads(out)
    assert {field: record[field] for field in TEXT_FIELDS} == dict.fromkeys(TEXT_FIELDS, payload)
