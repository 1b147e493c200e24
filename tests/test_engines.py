"""The workbook computed by real spreadsheet engines, not only read back cell by cell.

Two engines:

* the ``formulas`` package, a Python implementation of Excel's calculation,
  with ``REIT_ALLOC`` and ``REIT_DIVIDEND`` bound to the functions of
  :mod:`xl_reit.udfs` (as the xlwings add-in binds them in Excel). It must
  reproduce the release's printed figures and the command line's 1099 totals,
  and show an error, never a smaller total, when a lookup fails;
* LibreOffice, headless: a real spreadsheet application must open the file and
  show the printed figures without the add-in (its live cells show #NAME?).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from xl_reit import cli
from xl_reit.components import COMPONENTS
from xl_reit.table import set_default_table
from xl_reit.udfs import REIT_ALLOC, REIT_DIVIDEND

import libreoffice
from release_2004 import PAYMENTS

DATA = Path(__file__).parent / "data"
HOLDINGS = [DATA / "holdings-by-class.csv", DATA / "holdings-by-payment.csv"]

# What the release prints on every row of every class, as the workbook's
# 0.0000% format shows it, by the Payments column that holds it.
PRINTED = {
    "G": "1.6588%",  # Ordinary
    "H": "1.3268%",  # Qualified
    "I": "73.6080%",  # Capital gain
    "J": "23.4064%",  # Unrecaptured 1250
    "K": "0.0000%",  # Return of capital
}
FIRST, LAST = 5, 31  # the 27 payment rows of the Payments sheet
CLASS_ROWS, TOTAL_ROW = range(5, 13), 13  # the 1099-DIV table's 8 classes and totals row


def template(tmp_path: Path, holdings: Path | None = None) -> Path:
    """The workbook of Aimco's release (tax year 2004) as the command line writes it."""
    path = tmp_path / "template.xlsx"
    argv = ["template", "-o", str(path), "--year", "2004"]
    if holdings:
        argv += ["--holdings", str(holdings)]
    assert cli.main(argv) == 0
    return path


class EngineError(str):
    """An error value the engine computed (``#VALUE!``, ``#N/A``), unlike text in a cell."""


@pytest.fixture
def engine() -> Any:
    """The ``formulas`` package (only the LibreOffice tests run without it)."""
    return pytest.importorskip("formulas", reason="pip install formulas (in the test extras)")


def plain(argument: Any) -> Any:
    """What xlwings would pass for a ``formulas`` argument: a scalar for one cell."""
    from formulas.ranges import Ranges

    if isinstance(argument, Ranges):
        argument = argument.value
    if isinstance(argument, np.ndarray):
        return argument.item() if argument.size == 1 else argument.tolist()
    return argument


Alloc = Callable[..., Any]


@pytest.fixture
def bind(engine: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[[Alloc], None]:
    """Register REIT_ALLOC (as given) and REIT_DIVIDEND with the engine, for one test."""
    functions = engine.get_functions()  # cached: the engine's own table of functions

    def register(alloc: Alloc) -> None:
        monkeypatch.setitem(functions, "REIT_ALLOC", lambda *a: alloc(*map(plain, a)))
        monkeypatch.setitem(functions, "REIT_DIVIDEND", lambda *a: REIT_DIVIDEND(*map(plain, a)))

    return register


def calculate(path: Path) -> dict[tuple[str, str], Any]:
    """Every computed cell of the workbook, by (sheet, cell); errors as :class:`EngineError`."""
    import formulas
    from formulas.tokens.operand import XlError

    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    values = {}
    for key, value in solution.items():
        sheet, _, cell = str(key).rpartition("!")
        if "]" not in sheet or ":" in cell:
            continue  # a range, or the engine's own entries
        name = sheet.strip("'").split("]", 1)[1]
        computed = value.value[0, 0] if hasattr(value, "value") else value
        values[(name, cell)] = EngineError(computed) if isinstance(computed, XlError) else computed
    return values


def cli_json(capsys: pytest.CaptureFixture[str], holdings: Path) -> dict[str, Any]:
    capsys.readouterr()
    assert cli.main(["1099", str(holdings), "--format", "json"]) == 0
    (form,) = json.loads(capsys.readouterr().out)["forms"]
    return dict(form)


@pytest.mark.parametrize("holdings", HOLDINGS, ids=lambda path: path.stem)
def test_the_engine_reproduces_the_release_and_the_command_lines_1099(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    bind: Callable[[Alloc], None],
    holdings: Path,
) -> None:
    bind(REIT_ALLOC)
    cells = calculate(template(tmp_path, holdings))

    def at(cell: str, sheet: str = "PAYMENTS") -> Any:
        return cells[(sheet, cell)]

    for row, (_, _, _, dividend) in zip(range(FIRST, LAST + 1), PAYMENTS, strict=True):
        assert at(f"E{row}") == float(dividend)
        assert {column: f"{at(f'{column}{row}'):.4%}" for column in PRINTED} == PRINTED
        assert f"{at(f'L{row}'):.4%}" == "100.0000%"  # the visible 100% check
    assert at("A3").startswith("OK: the live figures of all 27 payments match the release")

    form = cli_json(capsys, holdings)
    amounts = {line["cusip"]: line["amounts"] for line in form["classes"]}
    for row in CLASS_ROWS:
        cusip = at(f"B{row}", "1099-DIV")
        expected = amounts.get(cusip, dict.fromkeys(form["boxes"], "0"))
        shown = dict(
            zip(form["boxes"], (at(f"{c}{row}", "1099-DIV") for c in "CDEFG"), strict=True)
        )
        assert shown == {
            box: pytest.approx(float(Decimal(v)), rel=1e-12) for box, v in expected.items()
        }
    total = dict(
        zip(form["boxes"], (at(f"{c}{TOTAL_ROW}", "1099-DIV") for c in "CDEFG"), strict=True)
    )
    assert total == {
        box: pytest.approx(float(Decimal(v)), rel=1e-12) for box, v in form["total"].items()
    }
    assert total["1a"] > 0


def test_a_failed_lookup_makes_its_totals_errors_and_flags_the_check(
    tmp_path: Path, bind: Callable[[Alloc], None]
) -> None:
    def alloc(cusip: Any, payment_date: Any, component: Any, tax_year: Any = None) -> Any:
        # Class T's qualified figure of its 2004-07-15 payment (Excel serial 38183)
        # comes back as the text an XlReitError gives in a cell.
        if (cusip, payment_date, component) == ("03748R838", 38183, "qualified"):
            return "#N/A a lookup that failed"
        return REIT_ALLOC(cusip, payment_date, component, tax_year)

    bind(alloc)
    cells = calculate(template(tmp_path, DATA / "holdings-by-payment.csv"))
    row = 5 + [p[2] for p in PAYMENTS].index("2004-07-15", 21)  # Class T's third payment
    assert cells[("PAYMENTS", f"H{row}")] == "#N/A a lookup that failed"
    assert isinstance(cells[("PAYMENTS", f"L{row}")], EngineError)  # Total: not 100%
    assert isinstance(cells[("PAYMENTS", f"N{row}")], EngineError)  # Qualified $
    class_t = 11
    assert isinstance(cells[("1099-DIV", f"C{class_t}")], EngineError)  # box 1a adds qualified
    assert isinstance(cells[("1099-DIV", f"D{class_t}")], EngineError)  # box 1b is qualified
    assert isinstance(cells[("1099-DIV", f"E{class_t}")], float)  # box 2a does not
    assert isinstance(cells[("1099-DIV", f"C{TOTAL_ROW}")], EngineError)
    assert isinstance(cells[("1099-DIV", f"D{TOTAL_ROW}")], EngineError)
    assert isinstance(cells[("1099-DIV", f"E{TOTAL_ROW}")], float)
    assert isinstance(cells[("1099-DIV", "C5")], float)  # Class A is unaffected
    checks = [value for (sheet, _), value in cells.items() if sheet == "RELEASE"]
    assert checks.count("NO NUMBER") == 1 and checks.count("OK") == 26
    assert cells[("PAYMENTS", "A3")].startswith("CHECK: 1 of 27 payments")


def test_a_live_figure_that_differs_from_the_release_is_flagged(
    tmp_path: Path, bind: Callable[[Alloc], None]
) -> None:
    def alloc(cusip: Any, payment_date: Any, component: Any, tax_year: Any = None) -> Any:
        value = REIT_ALLOC(cusip, payment_date, component, tax_year)
        return value + 0.0001 if (cusip, component) == ("03748R101", "ordinary") else value

    bind(alloc)
    cells = calculate(template(tmp_path))
    checks = [value for (sheet, _), value in cells.items() if sheet == "RELEASE"]
    assert checks.count("DIFFERS") == 4 and checks.count("OK") == 23


# ------------------------------------------------------------ today's releases


@pytest.fixture
def today_template(tmp_path: Path) -> Iterator[Path]:
    """A tax-year 2023 workbook of four real releases' classes, with shares held."""
    holdings = tmp_path / "holdings.csv"
    holdings.write_text(
        "Symbol,Record date,Shares\nSTAG,,100\nSTAG,2023-12-29,50\nWPC,,30\nO,,20\nSPG,,10\n"
    )
    path = tmp_path / "today.xlsx"
    argv = ["template", "-o", str(path), "--year", "2023", "--holdings", str(holdings)]
    assert cli.main(argv) == 0
    yield path
    set_default_table(None)


def test_the_engine_computes_todays_boxes_as_the_command_line_does(
    today_template: Path, capsys: pytest.CaptureFixture[str], bind: Callable[[Alloc], None]
) -> None:
    bind(REIT_ALLOC)
    cells = calculate(today_template)
    holdings = today_template.parent / "holdings.csv"
    capsys.readouterr()
    assert cli.main(["1099", str(holdings), "--year", "2023", "--format", "json"]) == 0
    (form,) = [f for f in json.loads(capsys.readouterr().out)["forms"] if f["tax_year"] == 2023]
    headings = [cells.get(("1099-DIV", f"{c}4")) for c in "CDEFGHIJKLMN"]
    columns = {
        heading: column for heading, column in zip(headings, "CDEFGHIJKLMN", strict=True) if heading
    }
    rows = {
        cells[("1099-DIV", f"B{row}")]: row
        for row in range(5, 20)
        if isinstance(cells.get(("1099-DIV", f"B{row}")), str)
    }
    for line in form["classes"]:
        row = rows[line["cusip"]]
        for box, amount in line["amounts"].items():
            heading = f"Box {box}" if box[0].isdigit() else COMPONENTS[box].label
            shown = cells[("1099-DIV", f"{columns[heading]}{row}")]
            if amount is None:
                assert shown == "not printed", (line["symbol"], box)
            else:
                assert shown == pytest.approx(float(Decimal(amount)), rel=1e-12), (line, box)
    checks = [value for (sheet, _), value in cells.items() if sheet == "RELEASE"]
    # STAG's 13 payments of 2023, W. P. Carey's 5, Simon's 4, Realty Income's 3 annual lines.
    assert checks.count("OK") == 25 and "DIFFERS" not in checks and "NO NUMBER" not in checks
    assert cells[("PAYMENTS", "A3")].startswith("OK: the live figures of all 25 payments")


# -------------------------------------------------------------- LibreOffice


def open_in_libreoffice(path: Path, out: Path) -> dict[str, list[list[str]]]:
    """Every sheet as LibreOffice shows it (number formats applied), via CSV export."""
    done = libreoffice.convert(
        [path],
        out,
        "--convert-to",
        # comma, quote, UTF-8, from line 1, English, "as shown", every sheet (-1)
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true,false,false,-1",
    )
    assert done.returncode == 0, done.stderr
    sheets = {}
    for sheet in ("Payments", "1099-DIV", "Release", "About", "xlwings.conf"):
        exported = out / f"{path.stem}-{sheet}.csv"
        assert exported.exists(), f"LibreOffice wrote no {exported.name}: {done.stdout}"
        with exported.open(encoding="utf-8", newline="") as stream:
            sheets[sheet] = list(csv.reader(stream))
    return sheets


@pytest.fixture(scope="module")
def shown(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, list[list[str]]]]:
    folder = tmp_path_factory.mktemp("libreoffice")
    path = folder / "template.xlsx"
    assert cli.main(["template", "-o", str(path), "--holdings", str(HOLDINGS[0])]) == 0
    yield open_in_libreoffice(path, folder)


@pytest.mark.slow
def test_libreoffice_shows_the_printed_figures_without_the_add_in(
    shown: dict[str, list[list[str]]],
) -> None:
    rows = [row for row in shown["Release"] if row[1][:2] == "20"]  # the payment lines
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (cusip.replace("-", ""), record, payable) for cusip, record, payable, _ in PAYMENTS
    ]
    assert [r[3] for r in rows] == [f"${Decimal(d):.7f}" for *_, d in PAYMENTS]
    assert {tuple(r[4:9]) for r in rows} == {tuple(PRINTED.values())}
    assert {r[9] for r in rows} == {"NO NUMBER"}  # the check sees the add-in is off
    annual = {row[0]: row for row in shown["Release"] if row[1] == "Annual"}
    assert annual["03748R101"][3:9] == ["$2.4000000", *PRINTED.values()]
    assert annual["03748R838"][3:5] == ["", ""]  # Class T: annual dividend not printed


@pytest.mark.slow
def test_libreoffice_shows_errors_not_zero_totals_without_the_add_in(
    shown: dict[str, list[list[str]]],
) -> None:
    payments = shown["Payments"]
    assert payments[3][:6] == [
        "Class",
        "CUSIP",
        "Record date",
        "Payable date",
        "Dividend per share",
        "Shares held",
    ]
    assert payments[4][:6] == [
        "Class A Common Stock",
        "03748R101",
        "2004-02-20",
        "2004-02-27",
        "#NAME?",
        "100",
    ]
    assert set(payments[4][6:]) == {"#NAME?"}
    assert payments[2][0].startswith("CHECK: 27 of 27 payments")
    form = shown["1099-DIV"]
    assert form[3] == ["Class", "CUSIP", "Box 1a", "Box 1b", "Box 2a", "Box 2b", "Box 3"]
    assert form[12][0] == "Total"
    for row in form[4:13]:
        assert all(cell.startswith("#") for cell in row[2:7]), row  # never a silent $0.00


@pytest.mark.slow
def test_libreoffice_reads_the_config_and_about_sheets(
    shown: dict[str, list[list[str]]],
) -> None:
    assert shown["xlwings.conf"][0][:2] == ["UDF Modules", "xl_reit.udfs"]
    about = {row[0]: row[1] for row in shown["About"] if row and row[0]}
    assert "not tax advice" in about["Not tax advice"]
