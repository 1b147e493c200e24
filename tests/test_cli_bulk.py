"""xl-reit 1099 --by: bulk records to boxes per group on the command line.

Expected dollars are worked out by hand from the printed figures: Aimco Class
A pays $0.600 four times in 2004, 1.3268% qualified (box 1b).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from test_cli import run

from xl_reit.cli.commands import _TerminalProgress
from xl_reit.table import set_default_table

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _bundled_table() -> Iterator[None]:
    yield
    set_default_table(None)  # --table replaces the default table


def records_parquet(folder: Path, count: int = 3, name: str = "big.parquet") -> Path:
    """``count`` records: account i % 1000 holds i % 7 + 1 shares of Aimco's Class A all year."""
    path = folder / name
    duckdb.execute(
        "COPY (SELECT 'acct-' || (i % 1000) AS account, 'AIV' AS cusip, "
        "CAST(i % 7 + 1 AS DECIMAL(18, 4)) AS shares FROM range($count) t(i)) "
        f"TO '{path}' (FORMAT parquet)",
        {"count": count},
    )
    return path


def test_the_readmes_bulk_command_writes_parquet_boxes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = records_parquet(tmp_path, 3)  # 1, 2 and 3 shares, each a record of its own account
    code, out, err = run(
        capsys,
        *("1099", str(source), "--by", "account", "-o", str(tmp_path / "boxes.parquet")),
        *("--year", "2004"),  # Aimco's common is bundled for 2013 too
    )
    assert (code, err) == (0, "")
    assert out == f"wrote {tmp_path / 'boxes.parquet'} (3 rows from 3 records)\n"
    rows = duckdb.sql(
        f"SELECT account, cusip, tax_year, box_1b FROM '{tmp_path / 'boxes.parquet'}' "
        "ORDER BY account"
    ).fetchall()
    # 4 × $0.600 × 1.3268% = $0.0318432 a share
    assert rows == [
        ("acct-0", "03748R101", 2004, Decimal("0.0318432")),
        ("acct-1", "03748R101", 2004, Decimal("0.0636864")),
        ("acct-2", "03748R101", 2004, Decimal("0.0955296")),
    ]


def boxes_printed(
    capsys: pytest.CaptureFixture[str], folder: Path, records: str, by: str
) -> tuple[list[dict[str, str]], str]:
    """``xl-reit 1099 records.csv --by BY --year 2023`` to standard output: its rows, and its
    standard error (the run must succeed)."""
    source = folder / "records.csv"
    source.write_text(records)
    code, out, err = run(capsys, "1099", str(source), "--by", by, "--year", "2023")
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out))), err


def test_without_an_output_the_boxes_go_to_standard_output_as_csv(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows, _ = boxes_printed(
        capsys, tmp_path, "Branch,Acct,Symbol,Qty\neast,1,STAG,100\neast,1,O,10\n", "Branch,Acct"
    )
    assert [(r["Branch"], r["Acct"], r["cusip"], r["tax_year"]) for r in rows] == [
        ("east", "1", "756109104", "2023"),
        ("east", "1", "85254J102", "2023"),
    ]
    # Realty Income prints only its year: 10 × $2.8434500 in box 1a, and no box 1b.
    assert (rows[0]["box_1a"], rows[0]["box_1b"]) == ("28.4345", "")


def test_a_cost_column_is_passed_over_and_the_run_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (row,), err = boxes_printed(
        capsys, tmp_path, "account,Symbol,Shares,Cost\na,O,10,500.00\n", "account"
    )
    assert (row["account"], row["box_1a"]) == ("a", "28.4345")  # 10 × $2.8434500, as above
    assert "Cost" not in row
    assert "'Cost' column is passed over" in err
    assert "basis" in err and err.endswith("\n") and err.count("\n") == 1


def test_skip_bad_writes_the_rejects_beside_the_output_and_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "records.csv"
    source.write_text("account,cusip,shares\nA,AIV,1\nB,AIV,-1\n")
    output = tmp_path / "boxes.json"
    code, out, err = run(capsys, "1099", str(source), "--by", "account", "-o", str(output))
    assert code == 1 and "row 2, column shares" in err and not output.exists()
    code, out, err = run(
        capsys, "1099", str(source), "--by", "account", "-o", str(output), "--skip-bad"
    )
    assert code == 0 and out == f"wrote {output} (1 row from 1 records)\n"
    rejects = tmp_path / "boxes.rejects.csv"
    assert err == (
        f"xl-reit 1099: warning: --skip-bad left out 1 bad record of {source}; nothing from "
        f"them is counted; each is in {rejects} with its row and what is wrong\n"
    )
    assert rejects.read_text().splitlines()[1].startswith("2,shares,")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--format", "table"], "--by writes a row per group, class and tax year"),
        (["--format", "parquet"], "--format parquet with --by writes files: give -o FILE"),
        (["--skip-bad"], "--skip-bad with --by writes files: give -o FILE"),
        (["-o", "boxes.csv"], "no column 'account' to group by"),
    ],
)
def test_bulk_usage_problems_are_named(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
    message: str,
) -> None:
    source = tmp_path / "records.csv"
    source.write_text("acct,cusip,shares\nA,AIV,1\n")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "1099", str(source), "--by", "account", *arguments)
    assert code == 1 and message in err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["records.csv"]


def test_parquet_needs_by(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "1099", "holdings.csv", "--format", "parquet")
    assert code == 1 and "--format parquet: give --by COLUMN" in err


def test_progress_is_one_line_that_is_cleared_when_done() -> None:
    stream = io.StringIO()
    progress = _TerminalProgress(stream)
    progress.done()  # nothing shown, nothing to clear
    progress("adding up", 12.34)
    progress("adding up", 99.9)
    progress.done()
    assert stream.getvalue() == (
        "\rxl-reit 1099: adding up…  12%\033[K\rxl-reit 1099: adding up… 100%\033[K\r\033[K"
    )


def interrupted_while_writing(
    source: Path, out: Path, sent: signal.Signals = signal.SIGINT
) -> tuple[int, str] | None:
    """A bulk run of ``source`` into ``out``, sent ``sent`` (Ctrl-C) while it writes its output:
    its exit code and standard error.

    The run is frozen (SIGSTOP) the moment its output file is open (a file
    without a name, in the output's folder), so the Ctrl-C cannot come after
    the run ends; ``None`` if the run ended before its output was seen open.
    """
    command = [sys.executable, "-m", "xl_reit", "1099", str(source), "--by", "account"]
    process = subprocess.Popen(
        [*command, "-o", str(out / "boxes.parquet")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    descriptors = Path(f"/proc/{process.pid}/fd")
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        targets = []
        for descriptor in list(descriptors.iterdir()) if descriptors.exists() else []:
            with contextlib.suppress(OSError):  # closed meanwhile
                targets.append(os.readlink(descriptor))
        if any(target.startswith(str(out)) for target in targets):
            process.send_signal(signal.SIGSTOP)
            break
        time.sleep(0.002)
    if process.poll() is not None:  # ended before its output was seen: no Ctrl-C to test
        process.communicate()
        return None
    process.send_signal(sent)
    process.send_signal(signal.SIGCONT)
    _, err = process.communicate(timeout=120)
    return process.returncode, err


def interrupted(folder: Path, out: Path, sent: signal.Signals) -> tuple[int, str]:
    """A run of millions of records sent ``sent`` while it writes; more where it ends first."""
    for count in (5_000_000, 20_000_000):
        result = interrupted_while_writing(records_parquet(folder, count), out, sent)
        if result is not None:
            return result
        for left in out.iterdir():
            left.unlink()
    raise AssertionError("every run ended before its output was open")


@pytest.mark.slow
def test_ctrl_c_stops_a_run_says_so_and_leaves_no_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code, err = interrupted(tmp_path, out, signal.SIGINT)
    assert code == 130
    assert err.strip().splitlines()[-1] == "xl-reit 1099: interrupted"
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_a_run_killed_while_writing_leaves_no_output_and_no_spill(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SIGKILL gives the run no chance to clean up: the output has no name until it is
    complete, and the killed run's spill folder is removed by the next run."""
    out = tmp_path / "out"
    out.mkdir()

    def spills() -> set[Path]:
        return set(Path(tempfile.gettempdir()).glob("xl-reit-spill-*"))

    before = spills()
    code, _ = interrupted(tmp_path, out, signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert list(out.iterdir()) == []
    killed = spills() - before
    assert killed  # left behind
    source = str(tmp_path / "big.parquet")
    assert run(capsys, "1099", source, "--by", "account", "-o", str(out / "b.csv"))[0] == 0
    assert not [folder for folder in killed if folder.exists()]
