"""DuckDB bulk: records from CSV or Parquet to boxes per group, class and tax year, exactly.

Expected dollars are worked out by hand from the printed figures: Aimco Class
A pays $0.600 four times in 2004, 1.3268% qualified (box 1b) and 2.9856%
total ordinary (1a); Class G pays $0.5859375 four times.
"""

from __future__ import annotations

import csv
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from xl_reit import bulk, csvsafe
from xl_reit.errors import HoldingsFileError, InvalidSharesError, OutputFileError, XlReitError
from xl_reit.records import share_count

from release_2004 import aimco_table

RECORDS = """account,cusip,record date,shares
A,AIV,,100
A,AIVPrG,,250
B,03748R-10-1,2004-02-20,10
B,AIV,,0.5
"""
# Box 1a and 1b of each group and class, by hand.
EXPECTED = {
    ("A", "03748R101"): ("7.16544", "3.18432"),  # 100 × 4 × $0.600 × 2.9856%, × 1.3268%
    ("A", "03748R408"): ("17.49375", "7.77421875"),  # 250 × 4 × $0.5859375 × …
    ("B", "03748R101"): ("0.2149632", "0.0955296"),  # 10 × $0.600 × … + 0.5 × 4 × $0.600 × …
}


def write_csv(folder: Path, text: str, name: str = "records.csv") -> Path:
    path = folder / name
    path.write_text(text)
    return path


def parquet(folder: Path, select: str, name: str = "records.parquet") -> Path:
    """A Parquet file of the rows ``select`` gives, written by DuckDB."""
    path = folder / name
    duckdb.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet)")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as stream:
        return list(csv.DictReader(stream))


def test_csv_records_give_the_boxes_worked_out_by_hand(tmp_path: Path) -> None:
    summary = bulk.write_boxes(
        write_csv(tmp_path, RECORDS), ["account"], tmp_path / "boxes.csv", table=aimco_table()
    )
    assert (summary.records, summary.bad, summary.rows, summary.rejects) == (4, 0, 3, None)
    rows = read_csv(tmp_path / "boxes.csv")
    boxes = ("1a", "1b", "2a", "2b", "3")  # the boxes of the 2004 form that Aimco prints
    assert list(rows[0]) == ["account", "cusip", "tax_year", *(f"box_{box}" for box in boxes)]
    assert {(r["account"], r["cusip"]): (r["box_1a"], r["box_1b"]) for r in rows} == EXPECTED
    assert {r["tax_year"] for r in rows} == {"2004"} and {r["box_3"] for r in rows} == {"0"}


def test_parquet_in_and_out_keeps_exact_decimals(tmp_path: Path) -> None:
    source = parquet(
        tmp_path,
        "SELECT * FROM (VALUES ('A', 'AIV', NULL::DATE, 100::DECIMAL(18, 4)), "
        "('A', 'AIVPrG', NULL, 250), ('B', '03748R101', DATE '2004-02-20', 10), "
        "('B', 'AIV', NULL, 0.5)) t(account, cusip, record_date, shares)",
    )
    bulk.write_boxes(source, ["account"], tmp_path / "boxes.parquet", tax_year=2004)
    rows = duckdb.sql(
        f"SELECT account, cusip, box_1a, box_1b FROM '{tmp_path / 'boxes.parquet'}'"
    ).fetchall()
    assert {(a, c): (b1a, b1b) for a, c, b1a, b1b in rows} == {
        key: (Decimal(b1a), Decimal(b1b)) for key, (b1a, b1b) in EXPECTED.items()
    }
    assert isinstance(rows[0][2], Decimal)


def test_json_output_keeps_exact_decimal_strings(tmp_path: Path) -> None:
    records = write_csv(tmp_path, RECORDS)
    bulk.write_boxes(records, ["account"], tmp_path / "boxes.json", table=aimco_table())
    rows = json.loads((tmp_path / "boxes.json").read_text())
    assert rows[0] == {
        "account": "A",
        "cusip": "03748R101",
        "tax_year": 2004,
        "box_1a": "7.16544",
        "box_1b": "3.18432",
        "box_2a": "232.83456",
        "box_2b": "56.17536",
        "box_3": "0",
    }


SHARE_VALUES = [
    "100",
    "1,000.5",
    "+.5",
    "0.123456789",
    "0.1234567890",
    "2.5000000000000",
    "1000000000000000",
    "1000000000000001",
    "1.0000000001",
    "-5",
    "-0",
    "1e-05",
    "12,34",
    "ten",
    ".",
]


@pytest.mark.parametrize("as_float", [False, True])
def test_shares_are_read_as_the_pure_rule_reads_them(tmp_path: Path, as_float: bool) -> None:
    """Each share count is valid in DuckDB exactly when records.share_count accepts it."""
    values = (
        [repr(v) for v in (0.1, 1e-05, 2.5e-10, 1e9 + 0.1, 123.456, -0.0, 1e16, 7.0)]
        if as_float
        else SHARE_VALUES
    )
    lines = "".join(f'{index},AIV,"{value}"\n' for index, value in enumerate(values))
    source = write_csv(tmp_path, "account,cusip,shares\n" + lines)
    if as_float:
        source = parquet(
            tmp_path,
            f"SELECT account, cusip, CAST(shares AS DOUBLE) AS shares FROM read_csv('{source}', "
            "all_varchar = true)",
        )
    expected = {}
    for index, value in enumerate(values):
        try:
            expected[str(index)] = share_count(float(value) if as_float else value)
        except InvalidSharesError:
            pass
    summary = bulk.write_boxes(
        source, ["account"], tmp_path / "boxes.csv", skip_bad=True, tax_year=2004
    )
    held = {row["account"]: Decimal(row["box_1b"]) for row in read_csv(tmp_path / "boxes.csv")}
    assert held == {account: shares * Decimal("0.0318432") for account, shares in expected.items()}
    assert summary.bad == len(values) - len(expected)


def test_bad_records_are_named_by_row_and_column_and_nothing_is_written(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path,
        "account,cusip,record date,shares\n"
        "A,AIV,,100\n"
        "B,ZZZZ,,1\n"
        "C,AIV,2004-02-21,1\n"
        "D,,,\n"  # nothing at all: passed over, as the holdings reader does
        "E,AIV,,-5\n",
    )
    with pytest.raises(HoldingsFileError) as caught:
        bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv")
    lines = str(caught.value).splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == [
        f"{source}, row 2, column cusip",
        f"{source}, row 3, column 'record date'",
        f"{source}, row 5, column shares",
    ]
    assert lines[-1].startswith(f"{source}: 3 bad records; nothing written")
    assert not (tmp_path / "boxes.csv").exists()


def test_many_bad_records_list_the_first_and_count_the_rest(tmp_path: Path) -> None:
    lines = "".join(f"{index},ZZZZ,1\n" for index in range(1000))
    source = write_csv(tmp_path, "account,cusip,shares\nA,AIV,1\n" + lines)
    with pytest.raises(HoldingsFileError) as caught:
        bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv")
    message = str(caught.value).splitlines()
    assert len(message) == 22
    assert message[0].startswith(f"{source}, row 2, column cusip: cusip 'ZZZZ'")
    assert message[-2:] == [
        "… and 980 more bad records",
        f"{source}: 1,000 bad records; nothing written (--skip-bad leaves them out and writes "
        "them to a rejects file beside the output)",
    ]


def test_skip_bad_writes_the_bad_records_beside_the_output(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path,
        "account,cusip,shares\nA,AIV,100\n=HYPERLINK(1),AIV,x\nC,ZZZZ,-1\n",
    )
    summary = bulk.write_boxes(source, ["account"], tmp_path / "boxes.parquet", skip_bad=True)
    assert (summary.records, summary.bad, summary.rejects) == (1, 2, tmp_path / "boxes.rejects.csv")
    rejects = read_csv(tmp_path / "boxes.rejects.csv")
    assert [(r["row"], r["column"], r["account"], r["shares"]) for r in rejects] == [
        ("2", "shares", "'=HYPERLINK(1)", "x"),  # text a spreadsheet would run stays text
        ("3", "cusip, shares", "C", "-1"),
    ]
    assert (
        "'ZZZZ' is not a CUSIP" in rejects[1]["problem"]
        and "; shares '-1'" in rejects[1]["problem"]
    )
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'boxes.parquet'}'").fetchall() == [(1,)]


def test_every_record_bad_writes_nothing_even_with_skip_bad(tmp_path: Path) -> None:
    source = write_csv(tmp_path, "account,cusip,shares\nA,ZZZZ,1\n")
    with pytest.raises(HoldingsFileError, match="every record is bad"):
        bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv", skip_bad=True)
    assert list(tmp_path.iterdir()) == [source]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the records file: No such file or directory"),
        (b"PK\x03\x04 a workbook", "a workbook, not CSV or Parquet"),
        (b"PAR1 not really parquet", "cannot read the records"),
        (b"account,cusip,shares\n", "no records below the header"),
        (b"account,cusip\nA,AIV\n", "no shares column"),
    ],
)
def test_an_unreadable_file_names_what_is_wrong_and_writes_nothing(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    source = tmp_path / "records.csv"
    if content is not None:
        source.write_bytes(content)
    with pytest.raises(HoldingsFileError, match=message):
        bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv")
    assert not (tmp_path / "boxes.csv").exists()


def test_an_existing_output_is_kept_without_overwrite(tmp_path: Path) -> None:
    (tmp_path / "boxes.csv").write_text("mine")
    with pytest.raises(OutputFileError, match="exists"):
        bulk.write_boxes(write_csv(tmp_path, RECORDS), ["account"], tmp_path / "boxes.csv")
    assert (tmp_path / "boxes.csv").read_text() == "mine"


def test_an_interrupted_run_leaves_no_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while DuckDB adds up: DuckDB stops, and the half-written file goes with it."""
    source = parquet(
        tmp_path,
        "SELECT 'A' || (i % 100000) AS account, 'AIV' AS cusip, 1 AS shares "
        "FROM range(3000000) t(i)",
    )
    monkeypatch.setattr(bulk, "PROGRESS_AFTER", 0.0)
    steps = []

    def press_ctrl_c(step: str, done: float) -> None:
        steps.append(step)
        if step == "adding up":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        bulk.write_boxes(source, ["account"], tmp_path / "boxes.parquet", progress=press_ctrl_c)
    assert steps[-1] == "adding up"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["records.parquet"]


@pytest.mark.parametrize(
    "cell", ["=1+1", "-2.5", "+3", "'=x", "plain", "@SUM(A1)", "\tx", "-", "a=b", "''+x", "\r=1"]
)
def test_duckdb_escapes_csv_cells_as_csvsafe_does(cell: str) -> None:
    # A connection of its own: a result left half-fetched on DuckDB's default connection
    # would refuse the next test's queries there.
    with duckdb.connect() as connection:
        escaped = connection.execute(f"SELECT {csvsafe.escape_sql('$1')}", [cell]).fetchall()
    assert escaped == [(csvsafe.escape(cell),)]


# --- files as exports write them: encodings, compression, line ends -------------------

HOLDERS = "account,cusip,shares\nJosé,AIV,100\nB,AIV,0.5\n"
#: Box 1b of each, by hand: 4 × $0.600 × 1.3268% = $0.0318432 a share.
HOLDERS_1B = {"José": Decimal("3.18432"), "B": Decimal("0.0159216")}


def box_1b(path: Path) -> dict[str, Decimal]:
    return {row["account"]: Decimal(row["box_1b"]) for row in read_csv(path)}


@pytest.mark.parametrize(
    "encoded",
    [
        lambda text: text.encode("utf-16"),  # Excel's "Unicode Text", byte-order mark first
        lambda text: __import__("gzip").compress(text.encode()),  # gzipped, named .csv
    ],
)
def test_a_utf16_or_gzipped_csv_is_read_as_its_bytes_say(tmp_path: Path, encoded: object) -> None:
    source = tmp_path / "records.csv"
    source.write_bytes(encoded(HOLDERS))  # type: ignore[operator]
    bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv", table=aimco_table())
    assert box_1b(tmp_path / "boxes.csv") == HOLDERS_1B


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            HOLDERS.encode("cp1252"),
            "row 1: not UTF-8 text (byte 0xe9 on line 2): save the file as UTF-8 (Excel: CSV "
            "UTF-8), or convert it (iconv -f WINDOWS-1252 -t UTF-8)",
        ),
        (
            b"account,cusip,shares\r\nA,AIV,100\nB,AIV,2\r\n",
            "row 1: line 2 ends with LF (Unix) where the first line ends with CRLF (Windows): "
            "the file mixes line ends; save it again with one kind (dos2unix or unix2dos "
            "converts it)",
        ),
        (
            b"account,cusip,shares\nA,AIV,100\nB,AIV,2\r\nC,AIV,3\n",
            "row 2: line 3 ends with CRLF (Windows) where the first line ends with LF (Unix)",
        ),
    ],
)
def test_a_csv_duckdb_cannot_read_is_refused_naming_the_row_and_the_fix(
    tmp_path: Path, data: bytes, message: str
) -> None:
    source = tmp_path / "records.csv"
    source.write_bytes(data)
    with pytest.raises(HoldingsFileError) as caught:
        bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv")
    assert str(caught.value).startswith(f"{source}, {message}")
    assert "CSV Error" not in str(caught.value) and not (tmp_path / "boxes.csv").exists()


def test_a_mixed_line_end_deep_in_a_large_file_is_found_by_its_row(tmp_path: Path) -> None:
    source = tmp_path / "records.csv"
    with source.open("wb") as stream:
        stream.write(b"account,cusip,shares\n" + b"A,AIV,1\n" * 300_000 + b"B,AIV,2\r\n")
    problem = bulk.csv_problem(source, "r.csv")
    assert problem is not None and (problem.line, problem.unit) == (300_001, "row")


def test_a_parquet_decimal_share_count_past_decimal_38_9_is_a_bad_row_not_a_cast_error(
    tmp_path: Path,
) -> None:
    source = parquet(
        tmp_path,
        "SELECT * FROM (VALUES ('A', 'AIV', 100::DECIMAL(38, 0)), "
        "('B', 'AIV', CAST('200000000000000000000000000000' AS DECIMAL(38, 0)))) "
        "t(account, cusip, shares)",
    )
    with pytest.raises(HoldingsFileError) as caught:
        bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv")
    lines = str(caught.value).splitlines()
    assert lines[0] == (
        f"{source}, row 2, column shares: shares 200000000000000000000000000000: give a number "
        "of shares from 0 to 1,000,000,000,000,000, with at most 9 decimal places"
    )
    bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv", skip_bad=True, tax_year=2004)
    assert box_1b(tmp_path / "boxes.csv") == {"A": Decimal("3.18432")}


def test_a_parquet_float_of_32_bits_is_read_by_its_own_shortest_digits(tmp_path: Path) -> None:
    """FLOAT 0.1 is 0.100000001490116… as a 64-bit float, but one tenth as it was written."""
    source = parquet(
        tmp_path,
        "SELECT * FROM (VALUES ('A', 'AIV', 0.1::FLOAT), ('B', 'AIV', 1e-05::FLOAT), "
        "('C', 'AIV', 2.5::REAL)) t(account, cusip, shares)",
    )
    bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv", tax_year=2004)
    assert box_1b(tmp_path / "boxes.csv") == {
        "A": Decimal("0.00318432"),  # 0.1 × $0.0318432
        "B": Decimal("0.000000318432"),
        "C": Decimal("0.079608"),
    }


def test_a_parquet_decimal_of_more_places_than_shares_keep_is_a_bad_row(tmp_path: Path) -> None:
    source = parquet(
        tmp_path,
        "SELECT 'A' AS account, 'AIV' AS cusip, CAST('1.0000000001' AS DECIMAL(20, 12)) AS shares",
    )
    with pytest.raises(HoldingsFileError, match=r"row 1, column shares: shares 1\.000000000100"):
        bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv")


def test_minus_zero_shares_are_refused_by_reit_amount_as_bulk_refuses_them(tmp_path: Path) -> None:
    """-0.0 is a negative number rounded to nothing: a share count neither path takes."""
    from xl_reit.udfs import REIT_AMOUNT

    answer = REIT_AMOUNT("AIV", 38044.0, "1b", -0.0)  # 2004-02-27 as Excel's serial
    assert answer == "#N/A shares -0.0: give a number of shares from 0 to 1,000,000,000,000,000"
    assert REIT_AMOUNT("AIV", 38044.0, "1b", 0.0) == 0.0
    with pytest.raises(InvalidSharesError):
        share_count(-0.0)
    source = parquet(tmp_path, "SELECT 'A' AS account, 'AIV' AS cusip, -0.0::DOUBLE AS shares")
    with pytest.raises(HoldingsFileError, match=r"row 1, column shares: shares -0\.0"):
        bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv")


def test_a_records_file_of_thousands_of_columns_is_refused_in_a_line(tmp_path: Path) -> None:
    """Found by the fuzzer: a megabyte line of dates made 100,000 columns, and the message
    listed every one (hundreds of kilobytes)."""
    columns = ", ".join(f"'x' AS c{index}" for index in range(1500))
    source = parquet(tmp_path, f"SELECT {columns}")
    with pytest.raises(HoldingsFileError) as caught:
        bulk.write_boxes(source, ["c1"], tmp_path / "boxes.csv")
    assert str(caught.value) == (
        f"{source}: 1,500 columns, and records have a few (the grouping columns, a security, a "
        "date, the shares): at most 1,000 are read; is it a CSV file whose lines lost their "
        "line ends?"
    )


def test_a_run_past_its_memory_limit_says_so_and_writes_nothing(tmp_path: Path) -> None:
    """Found measuring a 2 GB CSV: DuckDB's OutOfMemoryException came out as a traceback."""
    source = parquet(
        tmp_path,
        "SELECT 'A' || (i % 100000) AS account, 'AIV' AS cusip, 1 AS shares "
        "FROM range(1000000) t(i)",
    )
    with pytest.raises(XlReitError, match=r"^the run needs more memory than its limit \(DuckDB"):
        bulk.write_boxes(source, ["account"], tmp_path / "boxes.csv", memory_limit="2MB")
    assert not (tmp_path / "boxes.csv").exists()


def test_duckdb_is_given_a_share_of_the_limit_so_the_process_keeps_within_it() -> None:
    assert bulk._engine_bytes("512MB") == 327_680_000  # 64% of 512,000,000 bytes
    assert bulk._engine_bytes("2GB") == 1_280_000_000
    assert bulk._engine_bytes("lots") is None  # left to DuckDB, which names what is wrong


def test_a_run_s_duckdb_holds_the_limit_it_was_given_and_spills_to_its_own_folder() -> None:
    """The settings as the real engine reports them, not as this module meant to send them."""
    with bulk._job(bulk.MEMORY_LIMIT, None) as job:
        settings = dict(
            job.connection.execute(
                "SELECT name, value FROM duckdb_settings() WHERE name IN "
                "('memory_limit', 'temp_directory', 'preserve_insertion_order')"
            ).fetchall()
        )
        spill = Path(settings["temp_directory"])
        assert spill.is_dir()
    assert settings["memory_limit"] == "312.5 MiB"  # 327,680,000 bytes
    assert settings["preserve_insertion_order"] == "false"
    assert spill.parent == Path(tempfile.gettempdir()) and spill.name.startswith("xl-reit-spill-")
    assert not spill.exists()  # removed with the run


def test_many_groups_are_added_up_in_passes_and_give_the_boxes_worked_out_by_hand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past what DuckDB's limit holds, the groups are added up a hash slice at a time; each
    group's boxes are still EXPECTED's, every group once, in order."""
    accounts = 50_000
    source = parquet(
        tmp_path,
        "SELECT account || i AS account, cusip, record_date, shares FROM range("
        f"{accounts}) r(i), (VALUES ('A', 'AIV', NULL::DATE, 100::DECIMAL(18, 4)), "
        "('A', 'AIVPrG', NULL, 250), ('B', '03748R-10-1', DATE '2004-02-20', 10), "
        "('B', 'AIV', NULL, 0.5)) t(account, cusip, record_date, shares)",
    )
    passes: list[str] = []
    added = bulk._added

    def counted(*arguments: Any) -> str:
        passes.append(arguments[-1])
        return added(*arguments)

    monkeypatch.setattr(bulk, "_added", counted)
    summary = bulk.write_boxes(
        source, ["account"], tmp_path / "boxes.csv", table=aimco_table(), memory_limit="50MB"
    )
    assert len(passes) > 1
    assert (summary.records, summary.rows) == (4 * accounts, 3 * accounts)
    rows = read_csv(tmp_path / "boxes.csv")
    expected = {
        (f"{account}{index}", cusip): boxes
        for index in range(accounts)
        for (account, cusip), boxes in EXPECTED.items()
    }
    assert {(r["account"], r["cusip"]): (r["box_1a"], r["box_1b"]) for r in rows} == expected
    assert [(r["account"], r["cusip"]) for r in rows] == sorted(expected)
