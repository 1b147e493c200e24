"""Ex-dividend dates a release prints: in the table file, imported, and followed for lots.

Whitestone REIT's release of its 2021 distributions
(tests/releases/corpus/whitestone-2021.txt) prints an Ex-Dividend Date column
before its Record and Payable dates. The rows typed below are three of its
printed rows: ex-date, record date, payable date, the distribution, then box
1a, 2a, 2b, 3 and 5. A lot receives a payment when it is held on the ex-date:
bought before it, not sold before it. Worked by hand: a lot of 100 shares bought
2021-03-31 (the day before the printed ex-date 2021-04-01) and sold 2021-04-30
(before the next ex-date, 2021-05-03) receives the April payment alone, 100 ×
$0.028912 = $2.8912 of box 1a; one bought on 2021-04-01 receives nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest

from xl_reit import cli
from xl_reit.errors import DataFileError
from xl_reit.form1099 import compute
from xl_reit.holdings import Holdings, parse_rows
from xl_reit.table import AllocationTable
from xl_reit.tablefile import read_text, write_text

D = dt.date.fromisoformat
WSR = "966084204"
CORPUS = Path(__file__).parent / "releases" / "corpus"
HEADER = (
    "issuer,tax_year,class_name,cusip,symbol,row_kind,ex_date,record_date,payable_date,"
    "dividend_per_share,total_ordinary,total_capital_gain,unrecaptured_1250,"
    "return_of_capital,section_199a,source,release_date,notes\n"
)
#: (ex-date, record date, payable date) of three printed rows, each paying $0.035833:
#: $0.028912 box 1a, nothing of 2a or 2b, $0.006921 box 3, $0.028912 box 5.
PRINTED = [
    ("2021-03-01", "2021-03-02", "2021-03-11"),
    ("2021-04-01", "2021-04-05", "2021-04-14"),
    ("2021-05-03", "2021-05-04", "2021-05-13"),
]


def _rows(dates: list[tuple[str, str, str]], tax_year: int = 2021) -> str:
    return "".join(
        f"Whitestone REIT,{tax_year},Common Shares,{WSR},WSR,payment,{ex},{record},{payable},"
        "0.035833,$0.028912,$0,$0,$0.006921,$0.028912,Whitestone 2021 release,2022-01-28,\n"
        for ex, record, payable in dates
    )


@pytest.fixture
def table() -> AllocationTable:
    return AllocationTable.from_texts([("wsr-2021.csv", HEADER + _rows(PRINTED))])


def _lots(table: AllocationTable, *lines: list[object]) -> Holdings:
    rows = [["Symbol", "Shares", "Acquired", "Sold"], *lines]
    return parse_rows(list(enumerate(rows, 1)), "lots.csv", table)


def test_the_table_file_carries_a_printed_ex_date(table: AllocationTable) -> None:
    (security,) = table.classes.values()
    assert [p.ex_date for p in security.payments] == [
        D("2021-03-01"),
        D("2021-04-01"),
        D("2021-05-03"),
    ]
    assert security.annual.ex_date is None


def test_a_file_without_the_column_loads_as_before() -> None:
    head = HEADER.replace("ex_date,", "")
    cells = [line.split(",") for line in _rows(PRINTED).splitlines(keepends=True)]
    body = "".join(",".join(row[:6] + row[7:]) for row in cells)  # without the ex_date cell
    rows, problems = read_text("old.csv", head + body)
    assert problems == []
    assert {row.ex_date for row in rows} == {None}
    assert "ex_date" not in write_text(rows).splitlines()[0]


def test_the_column_is_written_back_where_a_row_prints_one() -> None:
    rows, _ = read_text("wsr.csv", HEADER + _rows(PRINTED))
    text = write_text(rows)
    assert text.splitlines()[0].split(",")[6:9] == ["ex_date", "record_date", "payable_date"]
    again, problems = read_text("again.csv", text)
    assert problems == []
    assert [row.ex_date for row in again] == [D("2021-03-01"), D("2021-04-01"), D("2021-05-03")]
    assert write_text(again) == text


def test_an_ex_date_after_the_record_date_is_refused_naming_the_column() -> None:
    late = [("2021-04-06", "2021-04-05", "2021-04-14")]
    with pytest.raises(DataFileError) as caught:
        AllocationTable.from_texts([("late.csv", HEADER + _rows(late))])
    assert (
        "late.csv, line 2, column ex_date: 2021-04-06 is after the record date 2021-04-05; an "
        "ex-dividend date is on or before the record date it serves"
    ) in str(caught.value)


def test_an_ex_date_that_is_no_date_is_refused() -> None:
    with pytest.raises(DataFileError, match=r"column ex_date: '4/1/21' is not an ISO date"):
        AllocationTable.from_texts(
            [("bad.csv", HEADER + _rows([("4/1/21", "2021-04-05", "2021-04-14")]))]
        )


def test_a_lot_bought_the_day_before_the_printed_ex_date_receives_the_payment(
    table: AllocationTable,
) -> None:
    before = _lots(table, ["WSR", 100, "2021-03-31", "2021-04-30"])
    (form,) = compute(before.for_year(2021, table).classes, before.shares_for)
    assert form.total["1a"] == Decimal("2.8912")  # 100 × $0.028912, the April payment
    assert form.total["3"] == Decimal("0.6921")  # 100 × $0.006921
    (lot,) = before.lots
    rules = {
        payment.payable_date: (placement.rule, held)
        for payment, placement, held in lot.terms.placements
    }
    assert rules[D("2021-04-14")] == ("ex-date 2021-04-01 printed by the release", True)
    assert rules[D("2021-03-11")] == ("ex-date 2021-03-01 printed by the release", False)


def test_a_lot_bought_on_the_printed_ex_date_does_not(table: AllocationTable) -> None:
    on = _lots(table, ["WSR", 100, "2021-04-01", "2021-04-30"])
    (form,) = compute(on.for_year(2021, table).classes, on.shares_for)
    assert not form.total["1a"]


def test_a_printed_ex_date_is_followed_where_the_settlement_cycle_would_give_another() -> None:
    # Made up: a record date of Friday 2023-11-24 gives the ex-date 2023-11-22 under T+2
    # (Thanksgiving 11-23 between); a release that printed 2023-11-24 is followed, so a lot
    # bought on 2023-11-22 receives the payment, as the T+2 rule alone would not have it.
    printed = AllocationTable.from_texts(
        [("printed.csv", HEADER + _rows([("2023-11-24", "2023-11-24", "2023-12-08")], 2023))]
    )
    lots = _lots(printed, ["WSR", 100, "2023-11-22", ""])
    (lot,) = lots.lots
    ((_, placement, held),) = lot.terms.placements
    assert (placement.ex_date, held) == (D("2023-11-24"), True)
    assert placement.rule == "ex-date 2023-11-24 printed by the release"


def test_the_import_writes_the_ex_dates_the_release_prints(tmp_path: Path) -> None:
    out = tmp_path / "wsr.csv"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert cli.main(["import", str(CORPUS / "whitestone-2021.txt"), "-o", str(out)]) == 0
    rows, problems = read_text(str(out), out.read_text("utf-8"))
    assert problems == []
    # The release's Ex-Dividend Date column, as printed (month/day/2021).
    printed = [
        "1/4",
        "2/1",
        "3/1",
        "4/1",
        "5/3",
        "6/1",
        "7/1",
        "8/2",
        "9/1",
        "10/1",
        "11/1",
        "12/1",
    ]
    expected = [dt.date(2021, *map(int, day.split("/"))) for day in printed]
    assert [row.ex_date for row in rows] == expected
