"""Lots and dollars received in the workbook, calculated by real engines.

The Basis sheet: each lot's basis after box 3.

Worked by hand from STAG's printed return of capital per share: none in
2023; in 2024, $0.007544 on the payment of record date 2023-12-29 (its 2024
part) and $0.008724 on each of the next eleven (the year: $0.103508).

- line 2, 100 shares held all of 2024, cost $3,000: 100 × $0.103508 =
  $10.3508 of return of capital, a basis of $2,989.6492;
- line 3, sold 2024-06-15, six payments held: 100 × (0.007544 + 5 ×
  0.008724) = $5.1164, a basis of $2,994.8836;
- line 4, a cost of $5: $10.3508 of return of capital takes the basis to $0,
  and the $5.3508 beyond it is capital gain.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_engines import calculate, calculate_in_libreoffice

from xl_reit import cli

LOTS = (
    "Symbol,Shares,Acquired,Sold,Cost\n"
    "STAG,100,2022-12-01,,3000\n"
    "STAG,100,2023-03-15,2024-06-15,3000\n"
    "STAG,100,2022-12-02,,5\n"
)
#: By row of the Basis sheet: start of 2024, return of capital, basis after, capital gain.
EXPECTED = {
    5: (3000, 10.3508, 2989.6492, 0),
    6: (3000, 5.1164, 2994.8836, 0),
    7: (5, 10.3508, 0, 5.3508),
}
#: The Basis sheet's columns of those four.
COLUMNS = ("K", "L", "M", "N")


def _template(folder: Path, lots: str = LOTS) -> Path:
    holdings = folder / "lots.csv"
    holdings.write_text(lots, encoding="utf-8")
    path = folder / "basis.xlsx"
    argv = ["template", "-o", str(path), "--year", "2024", "--cusip", "STAG"]
    assert cli.main([*argv, "--holdings", str(holdings), "--force"]) == 0
    return path


def _assert_figures(cells: dict[tuple[str, str], Any]) -> None:
    for row, expected in EXPECTED.items():
        found = [float(cells[("BASIS", f"{column}{row}")]) for column in COLUMNS]
        assert found == pytest.approx(expected, abs=1e-9), row


def test_the_basis_sheet_is_live_formulas_over_the_workbooks_own_cells(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_template(tmp_path))
    # Shares held: all three lots on the payment of record date 2023-12-29 (row 5); the lot
    # sold 2024-06-15 not on that of 2024-06-28 (row 11), its ex-date under T+1.
    payments = book["Payments"]
    assert (payments["H5"].value, payments["H11"].value) == (300, 200)
    sheet = book["Basis"]
    headings = [cell.value for cell in sheet[4]]
    assert headings[8:] == [
        "Cost",
        "Earlier return of capital $",
        "Basis at start of 2024",
        "Return of capital $",
        "Basis after",
        "Capital gain",
    ]
    assert sheet["K5"].value == "=MAX(0,I5-J5)"
    assert sheet["M5"].value == "=MAX(0,K5-L5)" and sheet["N5"].value == "=MAX(0,L5-K5)"
    # The lot sold 2024-06-15 holds the first six payments' rows of the Payments sheet.
    assert sheet["L6"].value.startswith("=H6*(Payments!G5*Payments!")
    assert sheet["L6"].value.count("Payments!G") == 6
    assert "REIT_" not in "".join(str(cell.value) for row in sheet.iter_rows() for cell in row)


def test_the_formulas_engine_calculates_each_lots_basis_and_capital_gain(tmp_path: Path) -> None:
    pytest.importorskip("formulas", reason="pip install formulas (in the test extras)")
    _assert_figures(calculate(_template(tmp_path)))


@pytest.mark.slow
def test_libreoffice_calculates_each_lots_basis_and_capital_gain(tmp_path: Path) -> None:
    cells = calculate_in_libreoffice(_template(tmp_path), tmp_path / "calc")
    _assert_figures(cells)


def test_a_cost_typed_over_flows_through_to_the_basis(tmp_path: Path) -> None:
    pytest.importorskip("formulas", reason="pip install formulas (in the test extras)")
    path = _template(tmp_path)
    book = openpyxl.load_workbook(path)
    book["Basis"]["I5"] = 8  # line 2's cost: $8, less than its $10.3508 of return of capital
    book.save(path)
    cells = calculate(path)
    assert float(cells[("BASIS", "M5")]) == 0
    assert float(cells[("BASIS", "N5")]) == pytest.approx(2.3508, abs=1e-9)


def test_no_lot_with_a_cost_no_basis_sheet(tmp_path: Path) -> None:
    path = _template(tmp_path, "Symbol,Shares\nSTAG,100\n")
    assert "Basis" not in openpyxl.load_workbook(path).sheetnames


def test_dollars_received_count_in_the_workbook_as_the_shares_they_are_the_dividend_of(
    tmp_path: Path,
) -> None:
    # Realty Income 2023 (annual totals only): $305.10 of a $3.051 dividend whose box 1a is
    # $2.84345 a share is $284.345 of box 1a. STAG's payment of record date 2023-05-31 pays
    # $0.1225, box 1a $0.102579: $12.25 received and 100 shares are 2 × $10.2579 = $20.5158.
    pytest.importorskip("formulas", reason="pip install formulas (in the test extras)")
    holdings = tmp_path / "amounts.csv"
    holdings.write_text(
        "Symbol,Shares,Amount,Record date\nO,,305.10,\nSTAG,,12.25,2023-05-31\n"
        "STAG,100,,2023-05-31\n",
        encoding="utf-8",
    )
    path = tmp_path / "amounts.xlsx"
    argv = ["template", "-o", str(path), "--year", "2023", "--cusip", "O", "--cusip", "STAG"]
    assert cli.main([*argv, "--holdings", str(holdings)]) == 0
    form = openpyxl.load_workbook(path)["1099-DIV"]
    rows = {form.cell(row, 3).value: row for row in range(5, 7)}
    assert form.cell(4, 5).value == "Box 1a"
    cells = calculate(path)
    assert float(cells[("1099-DIV", f"E{rows['O']}")]) == pytest.approx(284.345, abs=1e-9)
    assert float(cells[("1099-DIV", f"E{rows['STAG']}")]) == pytest.approx(20.5158, abs=1e-9)
