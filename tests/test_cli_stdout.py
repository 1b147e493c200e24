"""``-o -`` is standard output for every command that takes ``-o``, as for other tools.

A text output goes there as it does without ``-o``; a binary one (the
workbook, Parquet boxes) goes into a pipe or a redirection, and is refused
before any work when standard output is a terminal; ``lite`` writes two files,
so refuses ``-`` outright. No command writes a file named ``-``.

The binary outputs and the terminal are tried for real: the command in a
process of its own, its standard output a pipe, or a pseudo-terminal.
"""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest
from test_cli import run
from test_cli_bulk import records_parquet

from xl_reit.table import set_default_table

DATA = Path(__file__).parent / "data"
RELEASES = Path(__file__).parent / "releases"
HOLDINGS = str(DATA / "holdings-by-class.csv")
#: Each text command, as ``-o`` would be added to it.
TEXT_COMMANDS = {
    "payments": ["payments", "AIV", "--format", "csv"],
    "1099": ["1099", HOLDINGS, "--format", "csv"],
    "1099 --by (CSV)": ["1099", "{records}", "--by", "account"],
    "1099 --by (JSON)": ["1099", "{records}", "--by", "account", "--format", "json"],
    "basis": ["basis", "{lots}"],
    "import": [
        "import", str(RELEASES / "example-columns-2015.txt"), "--release-date", "2016-01-20",
    ],
}  # fmt: skip


@pytest.fixture(autouse=True)
def _in_a_folder_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)  # where a file named "-" would be written
    yield
    set_default_table(None)


def _argv(command: str, folder: Path) -> list[str]:
    lots = folder / "lots.csv"
    lots.write_text("Symbol,Shares,Acquired,Cost\nSTAG,100,2024-05-30,2500\n")
    records = records_parquet(folder, 3)
    return [word.format(records=records, lots=lots) for word in TEXT_COMMANDS[command]]


@pytest.mark.parametrize("command", TEXT_COMMANDS)
def test_o_dash_prints_what_no_o_prints_and_writes_no_file_named_dash(
    command: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    argv = _argv(command, tmp_path)
    without = run(capsys, *argv)
    dashed = run(capsys, *argv, "-o", "-")
    assert dashed == without
    assert without[1].strip()  # something was printed
    assert not (tmp_path / "-").exists()


def test_bulk_csv_boxes_to_o_dash_are_the_hand_worked_figures(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # --year 2004: undated records of Aimco's common (bundled for 2013 too) are 2004's
    code, out, err = run(capsys, *_argv("1099 --by (CSV)", tmp_path), "--year", "2004", "-o", "-")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    at = lines[0].split(",").index("box_1b")
    # 4 × $0.600 × 1.3268% = $0.0318432 a share (Aimco Class A, 2004)
    assert [line.split(",")[at] for line in lines[1:]] == ["0.0318432", "0.0636864", "0.0955296"]


def _xl_reit(
    *argv: str, stdout: int | None = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "xl_reit", *argv],
        stdout=stdout,
        stderr=subprocess.PIPE,
        check=False,
        timeout=300,
    )


def test_the_workbook_to_o_dash_goes_into_a_pipe_whole(tmp_path: Path) -> None:
    done = _xl_reit("template", "--year", "2004", "-o", "-")
    assert done.returncode == 0, done.stderr
    assert b"wrote the workbook to standard output (" in done.stderr
    book = openpyxl.load_workbook(io.BytesIO(done.stdout))
    # the only issuer of 2004 in the bundled table: Aimco
    assert book.worksheets[0]["A1"].value.startswith("Apartment Investment and Management")
    assert not (tmp_path / "-").exists()


def test_parquet_boxes_to_o_dash_go_into_a_pipe_whole(tmp_path: Path) -> None:
    source = records_parquet(tmp_path, 3)
    done = _xl_reit(
        *("1099", str(source), "--by", "account", "--format", "parquet", "-o", "-"),
        *("--year", "2004"),  # Aimco's common is bundled for 2013 too
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout[:4] == b"PAR1"
    piped = tmp_path / "piped.parquet"
    piped.write_bytes(done.stdout)
    rows = duckdb.sql(f"SELECT account, box_1b FROM '{piped}' ORDER BY account").fetchall()
    assert rows == [
        ("acct-0", Decimal("0.0318432")),
        ("acct-1", Decimal("0.0636864")),
        ("acct-2", Decimal("0.0955296")),
    ]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["template", "--year", "2004"], "-o -: the workbook (.xlsx) is binary"),
        (["1099", "{records}", "--by", "account", "--format", "parquet"], "-o -: Parquet is"),
    ],
)
def test_a_binary_output_to_o_dash_on_a_terminal_is_refused_saying_how(
    argv: list[str], said: str, tmp_path: Path
) -> None:
    records = records_parquet(tmp_path, 3)
    terminal, other_end = pty.openpty()
    try:
        done = _xl_reit(*[a.format(records=records) for a in argv], "-o", "-", stdout=other_end)
        os.close(other_end)
        shown = b""
        while True:
            try:
                chunk = os.read(terminal, 65536)
            except OSError:  # the terminal closed: all of it read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(terminal)
    assert done.returncode == 1
    message = done.stderr.decode()
    assert said in message and "standard output is a terminal" in message
    assert "-o FILE" in message
    assert shown == b""  # nothing binary reached the terminal
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["lite"], "-o -: lite writes two files, main.py and requirements.txt, into a folder"),
        (
            ["1099", "{records}", "--by", "account", "--skip-bad"],
            "--skip-bad with --by writes files: give -o FILE (the bad records go to "
            "FILE.rejects.csv beside it)",
        ),
    ],
)
def test_o_dash_where_files_must_be_written_is_refused_saying_why(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    records = records_parquet(tmp_path, 3)
    code, out, err = run(capsys, *[a.format(records=records) for a in argv], "-o", "-")
    assert (code, out) == (1, "")
    assert said in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.parquet"]
