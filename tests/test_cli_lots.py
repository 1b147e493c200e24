"""``xl-reit 1099`` with lots and one tax year, ``--check`` of a broker's form, ``xl-reit basis``.

Expected amounts are worked by hand from STAG's printed 2023 figures for the
payment of record date 2023-05-31 (payable 2023-06-15): $0.1225 a share, of
which box 1a $0.102579, box 2a $0.019921, box 2b $0.007410, box 3 $0.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xl_reit.cli import main

from holdings_support import xlsx_bytes

STAG = "85254J102"
HOLDINGS = "Symbol,Shares,Record date\nSTAG,100,2023-05-31\n"


def _write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _check(folder: Path, broker: str, *more: str) -> int:
    """``xl-reit 1099`` of 100 STAG shares on one payment, checked against ``broker``'s text."""
    holdings = _write(folder, "holdings.csv", HOLDINGS)
    return main(["1099", holdings, "--check", _write(folder, "broker.csv", broker), *more])


def test_a_mixed_year_holdings_file_without_year_is_an_error_naming_the_years(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holdings = _write(
        tmp_path,
        "mixed.csv",
        "Symbol,Shares,Record date\nSTAG,100,2023-05-31\nSTAG,50,2024-05-31\n",
    )
    assert main(["1099", holdings]) == 1
    error = capsys.readouterr().err
    assert "mix tax years (Common Stock (STAG): 2023, 2024)" in error
    assert main(["1099", holdings, "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "Form 1099-DIV, tax year 2024" in out
    assert "tax year 2023" not in out


def test_a_broker_form_that_agrees_to_the_cent_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 100 × $0.102579 = $10.2579 → $10.26; 100 × $0.019921 = $1.9921 → $1.99
    broker = (
        "CUSIP,Description,Box 1a Total Ordinary Dividends,Box 2a Total Capital Gain Distr.,"
        "Nondividend Distributions\n85254J102,STAG INDUSTRIAL INC,10.26,$1.99,0.00\n"
    )
    assert _check(tmp_path, broker) == 0
    assert "every box agrees with ours to the cent" in capsys.readouterr().out


def test_a_broker_form_with_one_wrong_box_is_caught_with_both_amounts_and_our_payments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # box 1a: the whole dividend
    assert _check(tmp_path, "Symbol,Box 1a,Box 2a,Box 3\nSTAG,12.25,1.99,0\n") == 1
    out = capsys.readouterr().out
    assert "1 box differ" in out
    assert "85254J-10-2 Box 1a: broker $12.25, ours $10.26 (exactly 10.2579)" in out
    assert "the payment of 2023-06-15: 100 shares: $10.2579" in out
    assert "Box 2a" not in out.split("differ:")[1]


def test_the_1099_output_says_which_rule_placed_each_lot_and_its_basis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A lot bought 2024-05-30: the payment of record date 2024-05-31 (T+1: ex-date 05-31) is
    # its first; $0.008724 of return of capital a share on it and on each of the six after it
    # through record date 2024-11-29: 100 × 7 × $0.008724 = $6.1068 off a cost of $2,500.
    holdings = _write(
        tmp_path, "lots.csv", "Symbol,Shares,Acquired,Cost\nSTAG,100,2024-05-30,2500\n"
    )
    assert main(["1099", holdings, "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "not   the payment of 2024-05-15: ex-date 2024-04-29 from record date 2024-04-30" in out
    assert (
        "holds the payment of 2024-06-17: ex-date 2024-05-31 from record date 2024-05-31 "
        "under T+1" in out
    )
    assert "2024 $2,500.00 $6.11 $2,493.89 $0.00" in " ".join(out.split())
    assert main(["1099", holdings, "--year", "2024", "--format", "json"]) == 0
    (lot,) = json.loads(capsys.readouterr().out)["lots"]
    placed = {p["payable_date"]: (p["ex_date"], p["held"]) for p in lot["payments"]}
    assert placed["2024-05-15"] == ("2024-04-29", False)
    assert placed["2024-06-17"] == ("2024-05-31", True)
    assert main(["basis", holdings, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"return_of_capital": "6.1068"' in out
    assert '"basis_after": "2493.8932"' in out


def test_a_check_in_json_lists_the_box_both_amounts_and_the_payments_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holdings = _write(tmp_path, "holdings.csv", HOLDINGS)
    broker = tmp_path / "broker.xlsx"
    broker.write_bytes(xlsx_bytes(["CUSIP", "Qualified Dividends", "Box 3"], [STAG, 1.5, 0.0]))
    assert main(["1099", holdings, "--check", str(broker), "--format", "json"]) == 1
    (difference,) = json.loads(capsys.readouterr().out)["check"]
    # STAG's release prints no qualified dividends (box 1b): ours is not printed.
    assert difference["box"] == "1b"
    assert (difference["broker"], difference["ours"]) == ("1.5", None)
    assert difference["payments"][0]["shares"] == "100"


def test_a_bad_broker_file_is_refused_by_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _check(tmp_path, "Symbol,Box 1a\nSTAG,ten dollars\nNOPE,1\n") == 1
    error = capsys.readouterr().err
    assert "broker.csv, line 2, column 'Box 1a': Box 1a 'ten dollars' is not an amount" in error
    assert "broker.csv, line 3, column 'Symbol':" in error
    assert _check(tmp_path, "Symbol,Total\nSTAG,1\n") == 1
    assert "a broker's file names a security column" in capsys.readouterr().err
