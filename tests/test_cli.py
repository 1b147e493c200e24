"""The xl-reit command line: output, messages on stderr, exit codes 0, 1 and 2."""

from __future__ import annotations

import ast
import csv
import errno
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

import xl_reit
from xl_reit import cli, lite, udfs
from xl_reit.table import AllocationTable, set_default_table

from release_2004 import CLASSES, PAYMENTS

EXAMPLE_2019 = Path(__file__).parent / "data" / "example-2019.csv"

DATA = Path(__file__).parent / "data"
COMMANDS = ["template", "lookup", "payments", "1099", "lite"]


@pytest.fixture(autouse=True)
def _bundled_table() -> Iterator[None]:
    yield
    set_default_table(None)  # --table replaces the default table


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line in this process: (exit code, stdout, stderr)."""
    try:
        code = cli.main(list(argv))
    except SystemExit as exit_:  # argparse's usage errors and --help
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------- help


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    code, out, err = run(capsys, *command, "--help")
    assert code == 0 and err == ""
    assert out.startswith(f"usage: xl-reit {' '.join(command)}".rstrip())


def test_python_dash_m_xl_reit_is_the_same_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "xl_reit", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.startswith("usage: xl-reit")
    for command in COMMANDS:
        assert command in done.stdout


def test_errors_from_the_installed_entry_point_have_no_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "xl_reit", "lookup", "XYZ", "2004-02-27", "1b"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("xl-reit lookup: error: cusip 'XYZ'")
    assert "Traceback" not in done.stderr


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    from xl_reit import __version__

    code, out, _ = run(capsys, "--version")
    assert (code, out.strip()) == (0, f"xl-reit {__version__}")


@pytest.mark.parametrize(
    "argv",
    [[], ["frobnicate"], ["lookup", "AIV"], ["payments", "--format", "xml"], ["1099"]],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert "usage: xl-reit" in err and "error:" in err


# ----------------------------------------------------------------- lookup


@pytest.mark.parametrize(
    ("argv", "printed"),
    [
        (["03748R-10-1", "2004-02-27", "qualified"], "0.013268 (1.3268%)"),
        (["AIV", "02/20/2004", "ordinary"], "0.016588 (1.6588%)"),
        (["AIVPrG", "2004-01-15", "capital gain"], "0.73608 (73.6080%)"),
        (["US03748R8209", "2004-10-15", "2b"], "0.234064 (23.4064%)"),
        (["AIVPrT", "2004", "return_of_capital"], "0.0 (0.0000%)"),
        (["AIVPrU", "annual", "box 1a"], "0.029856 (2.9856%)"),
    ],
)
def test_lookup_prints_what_reit_alloc_returns_and_the_percentage(
    capsys: pytest.CaptureFixture[str], argv: list[str], printed: str
) -> None:
    assert run(capsys, "lookup", *argv) == (0, printed + "\n", "")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["XYZ", "2004-02-27", "1b"], "cusip 'XYZ' is not a CUSIP, ISIN or symbol"),
        (["03748R-10-2", "2004-02-27", "1b"], "cusip '03748R-10-2': check digit"),
        (["037833100", "2004-02-27", "1b"], "CUSIP 037833-10-0 is not in the table"),
        (["AIV", "2004-02-30", "1b"], "payment_date '2004-02-30': day is out of range"),
        (["AIV", "someday", "1b"], "payment_date 'someday' is not a date"),
        (["AIV", "2004-01-15", "1b"], "payment_date 2004-01-15: Class A Common Stock"),
        (["AIV", "2004-02-27", "box 9"], "component 'box 9': box 9 of the tax-year-2004"),
    ],
)
def test_lookup_errors_name_the_argument_on_stderr_and_exit_1(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "lookup", *argv)
    assert (code, out) == (1, "")
    assert err.startswith("xl-reit lookup: error: ")
    assert message in err
    assert "Traceback" not in err


# --------------------------------------------------------------- payments


def test_payments_prints_each_class_as_the_release_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "payments", "AIVPrT", "03748R-82-0")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "Apartment Investment and Management Company: "
        "Class T Cumulative Preferred Stock — 03748R-83-8 (AIVPrT), tax year 2004"
    )
    assert lines[1].split() == [
        "Record",
        "date",
        "Payable",
        "date",
        "Dividend",
        "Ordinary",
        "Qualified",
        "Capital",
        "gain",
        "Unrecaptured",
        "1250",
        "Return",
        "of",
        "capital",
        "From",
    ]
    assert lines[2].split() == [
        "2004-01-01",
        "2004-01-15",
        "$0.50",
        "1.6588%",
        "1.3268%",
        "73.6080%",
        "23.4064%",
        "0.0000%",
        "aimco-2004.csv:29",
    ]
    # Class T's annual line prints no dividend and no legible ordinary figure.
    assert lines[6].split() == [
        "Annual",
        "1.3268%",
        "73.6080%",
        "23.4064%",
        "0.0000%",
        "aimco-2004.csv:33",
    ]
    assert "Class U Cumulative Preferred Stock — 03748R-82-0 (AIVPrU)" in out
    assert "$0.484375" in out and "$1.081775" in out


def test_payments_names_each_common_stock_by_its_issuer_and_ticker(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(capsys, "payments", "WPC", "SPG")
    titles = [line for line in out.splitlines() if ", tax year " in line]
    assert titles == [  # W. P. Carey's 2023 release and its 2024 tax-information page
        "Simon Property Group, Inc.: Common Stock — 828806-10-9 (SPG), tax year 2023",
        "W. P. Carey Inc.: Common Stock — 92936U-10-9 (WPC), tax year 2023",
        "W. P. Carey Inc.: Common Stock — 92936U-10-9 (WPC), tax year 2024",
    ]


def test_payments_shows_each_class_the_figures_its_release_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "payments", "AIV", "WPC")
    assert code == 0
    blocks = [block.splitlines() for block in out.split("\n\n")[:-1]]  # then the key
    headings = {lines[0]: lines[1] for lines in blocks}
    aimco = headings[
        "Apartment Investment and Management Company: Class A Common Stock — 03748R-10-1 (AIV), "
        "tax year 2004"
    ]
    wpc = headings["W. P. Carey Inc.: Common Stock — 92936U-10-9 (WPC), tax year 2023"]
    assert "Section 897" not in aimco and "Ordinary  Qualified  Capital gain" in aimco
    assert "Total ordinary" in wpc and "Section 897 capital gain" in wpc and "Ordinary " not in wpc


def test_payments_csv_is_a_valid_table_file_with_the_release_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "payments", *(symbol for symbol, _, _ in CLASSES), "--format", "csv")
    assert code == 0
    reloaded = AllocationTable.from_texts([("payments.csv", out)])
    of_2004 = [c.symbol for c in reloaded.classes.values() if c.tax_year == 2004]
    assert of_2004 == [s for s, _, _ in CLASSES]
    every = [row for row in csv.DictReader(io.StringIO(out)) if row["row_kind"] == "payment"]
    rows = [row for row in every if row["tax_year"] == "2004"]
    # AIV is Aimco's common in its 2013 release too: four payments of $0.24, none qualified.
    of_2013 = [row for row in every if row["tax_year"] == "2013"]
    assert [(r["cusip"], r["payable_date"], r["dividend_per_share"]) for r in of_2013] == [
        ("03748R101", day, "0.24")
        for day in ("2013-02-28", "2013-05-31", "2013-08-30", "2013-11-29")
    ]
    assert {row["qualified"] for row in of_2013} == {"0.00000"}
    assert len(every) == len(rows) + len(of_2013)
    assert [
        (row["cusip"], row["record_date"], row["payable_date"], row["dividend_per_share"])
        for row in rows
    ] == [(c.replace("-", ""), r, p, d) for c, r, p, d in PAYMENTS]
    assert {row["qualified"] for row in rows} == {"1.3268"}
    assert {row["capital_gain"] for row in rows} == {"73.6080"}


def test_payments_json_gives_exact_decimal_strings(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "payments", "AIVPrG", "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert [r["row_kind"] for r in records] == ["payment"] * 4 + ["annual"]
    assert {r["dividend_per_share"] for r in records[:4]} == {"0.5859375"}
    assert records[4]["dividend_per_share"] == "2.34375"
    assert records[0]["unrecaptured_1250"] == "23.4064"
    assert records[0]["origin"] == "aimco-2004.csv:12"


def test_payments_shows_which_file_each_row_came_from_so_an_override_is_visible(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "payments", "AIVPrP", "--format", "csv")
    mine = tmp_path / "mine.csv"
    mine.write_text(out.replace("0.5625", "0.5626", 1).replace("0.5625", "0.5626", 1))
    code, out, err = run(capsys, "payments", "AIVPrP", "--table", str(mine))
    assert code == 1 and "already loaded from aimco-2004.csv" in err
    code, out, _ = run(capsys, "payments", "AIVPrP", "--table", str(mine), "--override")
    assert code == 0
    assert "$0.5626" in out and "mine.csv:2" in out and "aimco-2004.csv" not in out


def test_payments_of_an_unknown_class_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "payments", "AIV", "NOPE")
    assert code == 1 and "cusip 'NOPE'" in err


# -------------------------------------------------------------------- 1099


def test_1099_table_shows_cents_per_class_and_in_total(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "1099", str(DATA / "holdings-by-class.csv"))
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split() == "Class CUSIP Box 1a Box 1b Box 2a Box 2b Box 3".split()
    assert lines[2].startswith("Class A Common Stock (AIV) ")  # the class and its ticker
    # 100 AIV: $240 paid; 250 AIVPrG: $585.9375; 40 AIVPrU: $43.271 (see test_form1099).
    assert lines[2].split()[-5:] == ["$7.17", "$3.18", "$232.83", "$56.18", "$0.00"]
    assert lines[3].split()[-5:] == ["$17.49", "$7.77", "$568.44", "$137.15", "$0.00"]
    assert lines[5].split() == ["Total", "$25.95", "$11.53", "$843.26", "$203.45", "$0.00"]
    assert "rounded to cents" in out


def test_1099_json_and_csv_give_the_exact_figures(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "1099", str(DATA / "holdings-by-class.csv"), "--format", "json")
    (form,) = json.loads(out)["forms"]
    assert form["tax_year"] == 2004
    assert list(form["boxes"]) == ["1a", "1b", "2a", "2b", "3"]
    assert form["classes"][1]["amounts"] == {
        "1a": "17.49375",
        "1b": "7.77421875",
        "2a": "568.44375",
        "2b": "137.146875",
        "3": "0",
    }
    assert form["total"]["1b"] == "11.532658378"  # 3.18432 + 7.77421875 + 0.574119628
    _, out, _ = run(capsys, "1099", str(DATA / "holdings-by-class.csv"), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["symbol"] for row in rows] == ["AIV", "AIVPrG", "AIVPrU", ""]
    assert rows[-1]["class_name"] == "Total"
    assert rows[-1]["box_1b"] == "11.532658378"


def test_a_malformed_holdings_line_names_the_file_and_line_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    holdings = tmp_path / "mine.csv"
    holdings.write_text("CUSIP,Shares\nAIV,100\nAIVPrD,lots\n")
    code, out, err = run(capsys, "1099", str(holdings))
    assert (code, out) == (1, "")
    assert err == (
        f"xl-reit 1099: error: {holdings}, line 3, column 'Shares': Shares 'lots' is not a "
        "number of shares; give a number, 0 or more\n"
    )


def test_a_missing_holdings_file_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "1099", "no-such-file.csv")
    assert code == 1 and "no-such-file.csv: cannot read the holdings file" in err


def bad_lines_file(tmp_path: Path) -> Path:
    """holdings-by-class.csv with three bad lines among its good ones."""
    path = tmp_path / "mine.csv"
    path.write_text(
        "CUSIP,Shares,Account\n"
        "03748R-10-1,100,brokerage\n"
        "AIVPrD,lots,IRA\n"  # line 3
        "AIVPrG,250,IRA\n"
        "NOPE,1,IRA\n"  # line 5
        "US03748R8209,40,brokerage\n"
        "AIVPrG,250,IRA\n"  # line 7: repeats line 4
    )
    return path


def test_1099_skip_bad_counts_the_good_lines_and_lists_the_bad_ones_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = bad_lines_file(tmp_path)
    code, out, err = run(capsys, "1099", str(path), "--skip-bad", "--format", "csv")
    _, expected, _ = run(capsys, "1099", str(DATA / "holdings-by-class.csv"), "--format", "csv")
    assert (code, out) == (0, expected)  # exactly the figures of the good lines
    warning, *skipped = err.splitlines()
    assert warning == (
        f"xl-reit 1099: warning: --skip-bad left out 3 bad lines of {path} (3, 5, 7); nothing "
        "from them is counted:"
    )
    assert skipped[0] == (
        f"{path}, line 3, column 'Shares': Shares 'lots' is not a number of shares; give a "
        "number, 0 or more"
    )
    assert skipped[1].startswith(f"{path}, line 5, column 'CUSIP': CUSIP 'NOPE' is not a CUSIP")
    assert skipped[2] == (
        f"{path}, line 7: repeats line 4 exactly. Lines add up as lots, so this would count "
        "its 250 shares twice; to hold two equal lots, combine them into one line (500 "
        "shares), or tell them apart in another column (an account)"
    )
    assert len(skipped) == 3


def test_1099_skip_bad_says_what_was_left_out_in_the_table_and_the_json_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = bad_lines_file(tmp_path)
    _, out, _ = run(capsys, "1099", str(path), "--skip-bad")
    assert out.endswith(f"Not counted: 3 bad lines of {path} (3, 5, 7), left out by --skip-bad.\n")
    _, out, _ = run(capsys, "1099", str(path), "--skip-bad", "--format", "json")
    skipped = json.loads(out)["skipped"]
    assert [line.split(": ", 1)[0] for line in skipped] == [
        f"{path}, line 3, column 'Shares'",
        f"{path}, line 5, column 'CUSIP'",
        f"{path}, line 7",
    ]


def test_1099_skip_bad_exits_1_when_no_good_line_remains(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("CUSIP,Shares\nNOPE,1\nAIV,-1\n")
    code, out, err = run(capsys, "1099", str(path), "--skip-bad")
    assert (code, out) == (1, "")
    assert err.rstrip("\n").endswith(
        f"{path}: every holdings line is bad; --skip-bad leaves nothing to use"
    )


def test_1099_without_skip_bad_stops_at_a_bad_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "1099", str(bad_lines_file(tmp_path)))
    assert (code, out) == (1, "")
    assert err.count("\n") == 3  # the three bad lines, one message


OUTPUTS = {
    "payments-table": ["payments", "AIVPrG"],
    "payments-csv": ["payments", "--format", "csv"],
    "payments-json": ["payments", "--format", "json"],
    "1099-table": ["1099", str(DATA / "holdings-by-class.csv")],
    "1099-csv": ["1099", str(DATA / "holdings-by-class.csv"), "--format", "csv"],
    "1099-json": ["1099", str(DATA / "holdings-by-class.csv"), "--format", "json"],
}


@pytest.mark.parametrize("argv", OUTPUTS.values(), ids=OUTPUTS.keys())
def test_output_writes_to_the_file_exactly_what_would_be_printed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    _, printed, _ = run(capsys, *argv)
    path = tmp_path / "out.txt"
    assert run(capsys, *argv, "-o", str(path)) == (0, f"wrote {path}\n", "")
    assert path.read_text(encoding="utf-8") == printed


@pytest.mark.parametrize("argv", [OUTPUTS["payments-csv"], OUTPUTS["1099-json"]])
def test_output_never_replaces_a_file_without_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("my own work")
    code, out, err = run(capsys, *argv, "--output", str(path))
    assert (code, out) == (1, "")
    assert err == (
        f"xl-reit {argv[0]}: error: output {str(path)!r}: the file exists; give --force to "
        "replace it, or another path with -o\n"
    )
    assert path.read_text() == "my own work"
    assert run(capsys, *argv, "--output", str(path), "--force")[0] == 0
    assert path.read_text() != "my own work"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.csv"]  # no temporary left


def test_output_is_written_atomically_so_a_full_disk_leaves_the_previous_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "payments.csv"
    path.write_text("the previous export")
    real_write_bytes = Path.write_bytes

    def disk_full_halfway(self: Path, data: bytes) -> int:
        real_write_bytes(self, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_bytes", disk_full_halfway)
    code, out, err = run(capsys, "payments", "--format", "csv", "-o", str(path), "--force")
    assert (code, out) == (1, "")
    assert err.endswith("cannot write the file: No space left on device\n")
    assert path.read_text() == "the previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["payments.csv"]


# ---------------------------------------------------------------- template


def test_template_writes_the_default_file_here_and_says_where(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "template")
    written = tmp_path / "xl-reit-template.xlsx"
    assert (code, err) == (0, "")
    # The latest tax year bundled: Rexford's 2025, five payments (the last the 2025 part of
    # its January 2026 one). The year a user files next is the newest one.
    assert out == f"wrote {written} (1 class, 5 payments, tax year 2025)\n"
    assert openpyxl.load_workbook(written).sheetnames[:3] == ["Payments", "Amounts", "1099-DIV"]


def test_template_never_replaces_a_file_without_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "mine.xlsx"
    path.write_bytes(b"my own work")
    code, out, err = run(capsys, "template", "-o", str(path))
    assert (code, out) == (1, "")
    assert err == (
        f"xl-reit template: error: output {str(path)!r}: the file exists; give --force to "
        "replace it, or another path with -o\n"
    )
    assert path.read_bytes() == b"my own work"
    code, out, _ = run(capsys, "template", "-o", str(path), "--force")
    assert code == 0 and out.startswith(f"wrote {path}")
    assert openpyxl.load_workbook(path).sheetnames[0] == "Payments"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.xlsx"]  # no temporary left


def test_template_for_chosen_classes_in_any_form_keeps_the_tables_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "two.xlsx"
    code, out, _ = run(
        capsys, "template", "-o", str(path), "--cusip", "US03748R8209", "--cusip", "aiv"
    )
    assert code == 0 and "(2 classes, 6 payments" in out
    sheet = openpyxl.load_workbook(path)["Payments"]
    assert [sheet[f"B{row}"].value for row in range(5, 11)] == ["03748R101"] * 4 + ["03748R820"] * 2


def test_template_with_an_unknown_cusip_names_the_option_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "template", "-o", str(tmp_path / "x.xlsx"), "--cusip", "AIVPrZ")
    assert code == 1
    assert err.startswith("xl-reit template: error: --cusip 'AIVPrZ'")
    assert not (tmp_path / "x.xlsx").exists()


def test_template_prefills_shares_from_holdings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "filled.xlsx"
    code, _, _ = run(
        capsys, "template", "-o", str(path), "--holdings", str(DATA / "holdings-by-class.csv")
    )
    assert code == 0
    sheet = openpyxl.load_workbook(path)["Payments"]
    # Every class of the year the holdings name (2004, not the latest bundled year).
    assert [sheet[f"H{row}"].value for row in range(5, 9)] == [100, 100, 100, 100]
    assert sheet["H9"].value is None  # Class D: not held


def test_template_skip_bad_prefills_the_good_lines_and_the_about_sheet_names_the_bad_ones(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "filled.xlsx"
    holdings = bad_lines_file(tmp_path)
    code, out, err = run(
        capsys, "template", "-o", str(path), "--holdings", str(holdings), "--skip-bad"
    )
    assert code == 0 and out.startswith(f"wrote {path}")
    assert err.startswith(
        f"xl-reit template: warning: --skip-bad left out 3 bad lines of {holdings}"
    )
    book = openpyxl.load_workbook(path)
    assert [book["Payments"][f"H{row}"].value for row in range(5, 9)] == [100, 100, 100, 100]
    about = {row[0]: row[1] for row in book["About"].iter_rows(min_row=3, values_only=True)}
    assert about["Shares held"] == (
        "pre-filled from mine.csv; --skip-bad left out its bad lines 3, 5, 7, which are not counted"
    )


def test_template_with_holdings_outside_the_chosen_classes_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(
        capsys,
        "template",
        "-o",
        str(tmp_path / "x.xlsx"),
        "--cusip",
        "AIV",
        "--holdings",
        str(DATA / "holdings-by-class.csv"),
    )
    assert code == 1 and "which the workbook does not hold" in err


# ------------------------------------------------------------ own tables


def test_data_loads_an_own_table_for_every_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    own = EXAMPLE_2019  # a made-up 2019 table with a Section 199A column
    assert run(capsys, "lookup", "--table", str(own), "EXR", "2019-04-15", "5") == (
        0,
        "0.6 (60.0000%)\n",
        "",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("issuer\n")
    code, _, err = run(capsys, "payments", "--data", str(bad))
    assert code == 1 and "missing column(s)" in err


# ------------------------------------------------------------------- import

RELEASES = Path(__file__).parent / "releases"
AIMCO = (
    "--issuer",
    "Apartment Investment and Management Company",
    "--tax-year",
    "2004",
    "--release-date",
    "2005-01-28",
    *("--symbol", "03748R-10-1=AIV"),
    *("--symbol", "03748R-30-9=AIVPrD"),
    *("--symbol", "03748R-40-8=AIVPrG"),
    *("--symbol", "03748R-86-1=AIVPrP"),
    *("--symbol", "03748R-85-3=AIVPrQ"),
    *("--symbol", "03748R-84-6=AIVPrR"),
    *("--symbol", "03748R-83-8=AIVPrT"),
    *("--symbol", "03748R-82-0=AIVPrU"),
)


def test_import_of_the_aimco_text_writes_nothing_without_allow_gaps(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "aimco.csv"
    code, out, err = run(
        capsys, "import", str(RELEASES / "aimco-2004.txt"), *AIMCO, "-o", str(out_file)
    )
    assert code == 1
    assert not out_file.exists()
    assert "Class T" in out  # the report, with -o, goes to standard output
    assert "nothing written" in err and "--allow-gaps" in err


def test_import_with_allow_gaps_gives_the_bundled_table_which_then_answers_lookups(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "aimco.csv"
    code, out, _ = run(
        capsys,
        "import",
        str(RELEASES / "aimco-2004.txt"),
        *AIMCO,
        "-o",
        str(out_file),
        "--allow-gaps",
    )
    assert code == 1  # Class T's inferred dividends are gaps, now written into the notes
    assert "(inferred)" in out_file.read_text()
    code, out, _ = run(
        capsys, "lookup", "--table", str(out_file), "--override", "AIVPrT", "2004-01-15", "1a"
    )
    assert (code, out.strip()) == (0, "0.029856 (2.9856%)")


def test_an_imported_release_works_in_lookup_1099_and_template(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table = tmp_path / "nested.csv"
    code, _, _ = run(capsys, "import", str(RELEASES / "example-nested-2019.txt"), "-o", str(table))
    assert code == 0
    code, out, _ = run(capsys, "lookup", "--table", str(table), "HPRT", "2019-04-15", "box 5")
    assert (code, out.strip()) == (0, "0.76 (76.0000%)")  # Section 199A, box 5 from 2018
    holdings = tmp_path / "holdings.csv"
    holdings.write_text("Symbol,Shares\nHPRT,100\n")
    code, out, _ = run(capsys, "1099", "--table", str(table), str(holdings), "--format", "json")
    assert code == 0 and json.loads(out)["forms"][0]["tax_year"] == 2019
    book = tmp_path / "book.xlsx"
    code, out, _ = run(capsys, "template", "--table", str(table), "-o", str(book))
    assert code == 0 and "tax year 2019" in out


def test_import_refuses_a_malformed_symbol_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "import", str(RELEASES / "example-nested-2019.txt"), "--symbol", "HPRT"
    )
    assert code == 1 and "--symbol 'HPRT': give CUSIP=SYMBOL" in err


def run_import(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    name: str,
    output: str | None,
    *,
    force: bool = False,
    allow_gaps: bool = False,
) -> tuple[int, str, str]:
    """``xl-reit import`` of a release in tests/releases, writing into ``tmp_path``."""
    options = [] if output is None else ["-o", str(tmp_path / output)]
    options += ["--force"] * force + ["--allow-gaps"] * allow_gaps
    return run(capsys, "import", str(RELEASES / f"{name}.txt"), *options)


def test_import_writes_the_table_and_prints_the_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run_import(capsys, tmp_path, "example-spaces-2011", "table.csv")
    assert code == 0 and err == ""
    assert out.startswith("Import of example-spaces-2011.txt: OK")
    expected = (RELEASES / "example-spaces-2011.csv").read_text(encoding="utf-8")
    assert (tmp_path / "table.csv").read_text(encoding="utf-8") == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]  # no temporary file left


def test_import_without_output_prints_the_table_and_reports_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run_import(capsys, tmp_path, "example-spaces-2011", None)
    assert code == 0
    assert out == (RELEASES / "example-spaces-2011.csv").read_text(encoding="utf-8")
    assert err.startswith("Import of example-spaces-2011.txt: OK")


def test_import_never_replaces_a_file_without_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "table.csv").write_text("mine\n")
    code, _, err = run_import(capsys, tmp_path, "example-spaces-2011", "table.csv")
    assert code == 1 and "exists; give --force" in err
    assert (tmp_path / "table.csv").read_text() == "mine\n"
    assert run_import(capsys, tmp_path, "example-spaces-2011", "table.csv", force=True)[0] == 0
    assert (tmp_path / "table.csv").read_text().startswith("issuer,")


def test_import_writes_nothing_when_something_does_not_reconcile(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run_import(capsys, tmp_path, "broken-2016", "table.csv")
    assert code == 1 and "NOT OK" in out
    assert "nothing written: 4 problem(s), 0 gap(s)" in err and "--allow-gaps" in err
    assert list(tmp_path.iterdir()) == []


def test_import_with_allow_gaps_writes_what_reconciles_and_still_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, _ = run_import(capsys, tmp_path, "broken-2016", "table.csv", allow_gaps=True)
    assert code == 1
    expected = (RELEASES / "broken-2016.csv").read_text(encoding="utf-8")
    assert (tmp_path / "table.csv").read_text(encoding="utf-8") == expected


def test_import_reports_a_release_it_cannot_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run_import(capsys, tmp_path, "no-such-release", None)
    assert code == 1 and "cannot read" in err


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252"])
def test_import_reads_a_release_in_the_encodings_editors_save(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, encoding: str
) -> None:
    text = (RELEASES / "example-spaces-2011.txt").read_text(encoding="utf-8")
    release = tmp_path / "example-spaces-2011.txt"
    release.write_bytes(text.encode(encoding))
    code, out, _ = run(capsys, "import", str(release))
    assert code == 0
    assert out == (RELEASES / "example-spaces-2011.csv").read_text(encoding="utf-8")


def test_import_says_when_a_release_is_utf16_without_its_byte_order_mark(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    release = tmp_path / "release.txt"
    release.write_bytes((RELEASES / "example-spaces-2011.txt").read_text().encode("utf-16-le"))
    code, out, err = run(capsys, "import", str(release))
    assert code == 1 and out == ""
    assert "NUL characters" in err and "UTF-16 without a byte-order mark" in err


# ------------------------------------------------------------------- lite


def test_lite_writes_main_py_and_requirements_txt_into_a_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "workbook"
    code, out, err = run(capsys, "lite", "-o", str(folder))
    assert code == 0 and err == ""
    assert sorted(path.name for path in folder.iterdir()) == ["main.py", "requirements.txt"]
    main_py = (folder / "main.py").read_text(encoding="utf-8")
    # main.py carries xl-reit, unpacks it, then imports the functions from it
    *_, unpack, forget, imports = ast.parse(main_py).body
    assert ast.unparse(unpack).startswith("_unpack_xl_reit(_XL_REIT, ")
    assert ast.unparse(forget) == "del _unpack_xl_reit, _XL_REIT"
    assert ast.unparse(imports) == "from xl_reit.udfs import *"
    requirements = (folder / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert requirements == [f"xlwings=={lite.XLWINGS_FOR_LITE}"]
    size = len(main_py.encode("utf-8"))
    assert out.startswith(f"wrote {folder / 'main.py'} ({size:,} bytes) and ")
    assert "PyPI" not in out


def test_lites_main_py_brings_every_reit_function_into_the_workbooks_namespace() -> None:
    namespace: dict[str, object] = {}
    exec(lite.MAIN_PY, namespace)
    assert {name for name in namespace if name.startswith("REIT_")} == set(udfs.__all__)
    assert all(namespace[name] is getattr(udfs, name) for name in udfs.__all__)


def test_lite_from_pypi_has_lite_install_the_release(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "lite", "-o", str(tmp_path), "--from-pypi")
    assert code == 0 and "Lite installs it from PyPI" in out
    assert (tmp_path / "main.py").read_text(encoding="utf-8") == lite.MAIN_PY
    assert (tmp_path / "requirements.txt").read_text().splitlines() == [
        f"xlwings=={lite.XLWINGS_FOR_LITE}",
        f"xl-reit=={xl_reit.__version__}",
    ]


def test_lite_writes_neither_file_when_one_exists_without_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "requirements.txt").write_text("mine\n")
    code, _, err = run(capsys, "lite", "-o", str(tmp_path))
    assert code == 1 and "requirements.txt exist; give --force" in err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["requirements.txt"]
    assert (tmp_path / "requirements.txt").read_text() == "mine\n"
    assert run(capsys, "lite", "-o", str(tmp_path), "--force")[0] == 0
    assert (tmp_path / "requirements.txt").read_text().startswith("xlwings==")
    assert (tmp_path / "main.py").exists()


def test_the_readme_shows_what_lite_writes() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "`from xl_reit.udfs import *`" in readme
    for line in lite.requirements_txt(from_pypi=True).splitlines():
        assert f"`{line}`" in readme, line
    assert "`xl-reit lite --from-pypi`" in readme


#: A release of quarterly percentages and no payment dates: which payment each
#: quarter is cannot be told, so nothing may be written.
QUARTERS = """\
Example Realty Trust Reports Tax Treatment of 2021 Dividends
NEW YORK, Jan. 20, 2022 -- Example Realty Trust (NYSE: EXR) set out its 2021 dividends' tax treatment.
Common Stock (CUSIP 03748R101)
Quarter\tOrdinary Dividends\tCapital Gain\tReturn of Capital
Q1\t80.00%\t5.00%\t15.00%
Q2\t80.00%\t5.00%\t15.00%
Q3\t75.00%\t10.00%\t15.00%
Q4\t75.00%\t10.00%\t15.00%
"""  # noqa: E501


def one_cell_per_line(text: str) -> str:
    """The text as a news-wire reprint gives it: each cell on a line of its own, then '|'."""
    lines = text.splitlines()
    cells = [part for line in lines[3:] for cell in line.split("\t") for part in (cell, "|")]
    return "\n".join([*lines[:3], *cells]) + "\n"


@pytest.mark.parametrize("layout", ["rows", "one cell per line"])
@pytest.mark.parametrize("allow_gaps", [False, True])
def test_import_refuses_quarterly_percentages_without_payment_dates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, layout: str, allow_gaps: bool
) -> None:
    release = tmp_path / "quarters.txt"
    release.write_text(QUARTERS if layout == "rows" else one_cell_per_line(QUARTERS))
    table = tmp_path / "table.csv"
    options = ["--allow-gaps"] * allow_gaps
    assert cli.main(["import", str(release), "-o", str(table), *options]) == 1
    out, err = capsys.readouterr()
    assert "no payment dates" in out and "record and payable dates" in out
    # The last word says nothing was written, and does not offer --allow-gaps,
    # which would write nothing either.
    assert "nothing written" in err and "no class reconciles" in err
    assert "--allow-gaps" not in err
    assert not table.exists()


def test_an_unreadable_header_is_reported_with_the_layout_found_and_what_would_tell(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Four dates a row under a header that names three of them: which is which?
    release = tmp_path / "dates.txt"
    release.write_text(
        QUARTERS.splitlines()[0]
        + "\nCommon Stock (CUSIP 03748R101)\n"
        + "Declared\tRecord Date\tPayable Date\tDividend\tOrdinary\n"
        + "01/02/21\t03/31/21\t04/15/21\t05/01/21\t$0.50\t$0.50\n"
    )
    assert cli.main(["import", str(release), "-o", str(tmp_path / "t.csv")]) == 1
    out = capsys.readouterr().out
    assert (
        "cannot tell which column is which in a table printed row by row: "
        "1 column without a name of its own" in out
    )
    assert "a header with one name over each column would tell" in out
    release.write_text(one_cell_per_line(QUARTERS))
    assert cli.main(["import", str(release), "-o", str(tmp_path / "t.csv")]) == 1
    out = capsys.readouterr().out
    assert "cannot tell which column is which in the table printed column by column" in out
