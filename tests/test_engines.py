"""The workbook computed by real spreadsheet engines, not only read back cell by cell.

Two engines calculate the default (self-contained) workbook, with shares
filled in, and must give every allocation the library gives (``xl-reit
lookup``) and every Form 1099-DIV box the command line gives (``xl-reit
1099``), for Aimco's 2004 release and for tax year 2023's bundled classes:

* LibreOffice Calc, headless: it opens the file, calculates every formula
  and saves what it calculated;
* the ``formulas`` package, a Python implementation of Excel's calculation.

The ``--live`` workbook is calculated by the ``formulas`` engine with
``REIT_ALLOC`` and ``REIT_DIVIDEND`` bound to the functions of
:mod:`xl_reit.udfs`, as the xlwings add-in binds them in Excel; it must give
the same figures, and an error, never a smaller total, when a lookup fails.
Opened in LibreOffice without the add-in, its live cells show ``#NAME?``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest

from xl_reit import cli, lookup
from xl_reit.components import COMPONENTS
from xl_reit.errors import XlReitError
from xl_reit.table import set_default_table
from xl_reit.udfs import REIT_ALLOC, REIT_DIVIDEND

import libreoffice
from release_2004 import PAYMENTS

DATA = Path(__file__).parent / "data"
HOLDINGS = [DATA / "holdings-by-class.csv", DATA / "holdings-by-payment.csv"]
#: Shares of four of tax year 2023's releases, all year and on one record date.
HOLDINGS_2023 = (
    "Symbol,Record date,Shares\nSTAG,,100\nSTAG,2023-12-29,50\nWPC,,30\nO,,20\nSPG,,10\n"
)

# What Aimco's release prints on every row of every class, as the workbook's
# 0.0000% format shows it, by the Payments column that holds it.
PRINTED = {
    "I": "1.6588%",  # Ordinary
    "J": "1.3268%",  # Qualified
    "K": "73.6080%",  # Capital gain
    "L": "23.4064%",  # Unrecaptured 1250
    "M": "0.0000%",  # Return of capital
}
FIRST, LAST = 5, 31  # the 27 payment rows of the Payments sheet
BY_LABEL = {component.label: name for name, component in COMPONENTS.items()}

Cells = dict[tuple[str, str], Any]


def template(folder: Path, holdings: Path | None, year: int, *options: str) -> Path:
    """The workbook of a tax year's bundled classes as the command line writes it."""
    path = folder / f"template-{year}{'-'.join(('', *options)).replace('--', '')}.xlsx"
    argv = ["template", "-o", str(path), "--year", str(year), "--force", *options]
    if holdings:
        argv += ["--holdings", str(holdings)]
    assert cli.main(argv) == 0
    return path


@pytest.fixture(autouse=True)
def _bundled_table() -> Iterator[None]:
    yield
    set_default_table(None)


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


def _as_written(path: Path) -> Cells:
    """Every cell that holds a value (not a formula) as the file holds it, by (SHEET, cell)."""
    book = openpyxl.load_workbook(path)
    return {
        (sheet.title.upper(), cell.coordinate): cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None and not (isinstance(cell.value, str) and cell.value[:1] == "=")
    }


def calculate(path: Path) -> Cells:
    """Every cell as the ``formulas`` engine computes it, by (SHEET, cell); errors as such."""
    import formulas
    from formulas.tokens.operand import XlError

    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    values = _as_written(path)
    for key, value in solution.items():
        sheet, _, cell = str(key).rpartition("!")
        if "]" not in sheet or ":" in cell:
            continue  # a range, or the engine's own entries
        name = sheet.strip("'").split("]", 1)[1]
        computed = value.value[0, 0] if hasattr(value, "value") else value
        if isinstance(computed, XlError):
            computed = EngineError(computed)
        elif isinstance(computed, np.generic):
            computed = computed.item()
        values[(name, cell)] = computed
    return values


def calculate_in_libreoffice(path: Path, out: Path) -> Cells:
    """Every cell as LibreOffice Calc computes it, by (SHEET, cell); errors as EngineError."""
    saved = libreoffice.recalculate(path, out)
    book = openpyxl.load_workbook(saved, data_only=True)
    values: Cells = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    shown = cell.value
                    if cell.data_type == "e":
                        shown = EngineError(shown)
                    values[(sheet.title.upper(), cell.coordinate)] = shown
    return values


def form_of(capsys: pytest.CaptureFixture[str], holdings: Path, year: int) -> dict[str, Any]:
    """``xl-reit 1099 HOLDINGS --year YEAR --format json``: that year's form."""
    capsys.readouterr()
    assert cli.main(["1099", str(holdings), "--year", str(year), "--format", "json"]) == 0
    (form,) = [f for f in json.loads(capsys.readouterr().out)["forms"] if f["tax_year"] == year]
    return dict(form)


def assert_allocations_are_the_librarys(cells: Cells, year: int) -> int:
    """Every fraction of the Payments sheet is ``xl-reit lookup``'s; the number of rows checked."""
    headings = {column: cells.get(("PAYMENTS", f"{column}4")) for column in "IJKLMNOPQRSTUVWXYZ"}
    figures = {column: BY_LABEL[h] for column, h in headings.items() if h in BY_LABEL}
    row = FIRST
    while isinstance(cusip := cells.get(("PAYMENTS", f"B{row}")), str):
        payable = cells[("PAYMENTS", f"F{row}")]
        day = payable.date() if isinstance(payable, dt.datetime) else payable
        dividend = lookup.dividend(cusip, day, tax_year=year)
        assert cells[("PAYMENTS", f"G{row}")] == pytest.approx(float(dividend), rel=1e-12)
        for column, name in figures.items():
            shown = cells[("PAYMENTS", f"{column}{row}")]
            try:
                fraction = lookup.allocation(cusip, day, name, tax_year=year)
            except XlReitError:
                assert shown in ("not printed", "none this year"), (cusip, day, name, shown)
                continue
            if shown == "none this year":
                assert fraction == 0 and dividend == 0
                continue
            assert shown == pytest.approx(float(fraction), rel=1e-12, abs=1e-15), (cusip, name)
        row += 1
    return row - FIRST


def assert_boxes_are_the_command_lines(cells: Cells, form: dict[str, Any]) -> None:
    """Every box of every class, and the totals, are ``xl-reit 1099``'s.

    A box the release does not print for a class says so; the total adds the
    classes that print it and the row under it names those that do not.
    """
    headings = {column: cells.get(("1099-DIV", f"{column}4")) for column in "EFGHIJKLMNOPQ"}
    keys = {
        column: heading.removeprefix("Box ") if heading.startswith("Box ") else BY_LABEL[heading]
        for column, heading in headings.items()
        if isinstance(heading, str)
    }
    assert list(keys.values()) == list(form["boxes"])
    amounts = {line["cusip"]: line["amounts"] for line in form["classes"]}
    row, total, lacking = 5, dict.fromkeys(keys.values(), Decimal(0)), {}
    while (cusip := cells.get(("1099-DIV", f"B{row}"))) is not None:
        ticker = cells[("1099-DIV", f"C{row}")]
        for column, key in keys.items():
            shown = cells[("1099-DIV", f"{column}{row}")]
            if shown == "not printed":  # the command line has no figure either, if it is held
                assert cusip not in amounts or amounts[cusip][key] is None, (ticker, key)
                lacking.setdefault(key, []).append(ticker)
                continue
            expected = amounts.get(cusip, {}).get(key, "0")  # a class not held: $0
            assert expected is not None, (ticker, key, shown)
            assert shown == pytest.approx(float(Decimal(expected)), rel=1e-12, abs=1e-9)
            total[key] += Decimal(expected)
        row += 1
    assert cells[("1099-DIV", f"A{row}")] == "Total"
    for column, key in keys.items():
        assert cells[("1099-DIV", f"{column}{row}")] == pytest.approx(float(total[key]), rel=1e-12)
        note = cells.get(("1099-DIV", f"{column}{row + 1}"))
        assert note == (f"not printed by {', '.join(lacking[key])}" if key in lacking else None)


def assert_checks_all_ok(cells: Cells, payments: int) -> None:
    checks = [value for (sheet, _), value in cells.items() if sheet == "RELEASE"]
    assert checks.count("OK") == payments and "DIFFERS" not in checks
    assert "NO NUMBER" not in checks
    assert cells[("PAYMENTS", "A3")].startswith(f"OK: the figures of all {payments} payments")


def assert_as_the_command_line(
    cells: Cells, capsys: pytest.CaptureFixture[str], holdings: Path, year: int, payments: int
) -> None:
    """Every allocation, box and check of a calculated workbook, against the command line."""
    assert assert_allocations_are_the_librarys(cells, year) == payments
    assert_boxes_are_the_command_lines(cells, form_of(capsys, holdings, year))
    # 2023: STAG's 13 payments, W. P. Carey's 5, Simon's 4, Equity Residential's 4 of its
    # common and 4 of Series K, HASI's 4, KKR's 4, Link Parks' Series Z 4, Realty Income's 3
    # annual lines.
    assert_checks_all_ok(cells, payments)


# ------------------------------------------------- the default workbook, two engines


@pytest.fixture(scope="module")
def holdings_2023(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("holdings") / "holdings-2023.csv"
    path.write_text(HOLDINGS_2023)
    return path


CASES = ["aimco-by-class", "aimco-by-payment", "2023"]


def _cases(holdings_2023: Path) -> list[tuple[Path, int, int]]:
    """(holdings, tax year, payments): Aimco's 2004 release, then tax year 2023's classes."""
    return [(HOLDINGS[0], 2004, 27), (HOLDINGS[1], 2004, 27), (holdings_2023, 2023, 45)]


@pytest.mark.parametrize("case", range(3), ids=CASES)
def test_the_formulas_engine_calculates_the_default_workbook_as_the_command_line_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: Any, holdings_2023: Path, case: int
) -> None:
    holdings, year, payments = _cases(holdings_2023)[case]
    cells = calculate(template(tmp_path, holdings, year))
    assert_as_the_command_line(cells, capsys, holdings, year, payments)


@pytest.mark.slow
@pytest.mark.parametrize("case", range(3), ids=CASES)
def test_libreoffice_calculates_the_default_workbook_as_the_command_line_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], holdings_2023: Path, case: int
) -> None:
    holdings, year, payments = _cases(holdings_2023)[case]
    cells = calculate_in_libreoffice(template(tmp_path, holdings, year), tmp_path / "calc")
    assert_as_the_command_line(cells, capsys, holdings, year, payments)


def test_the_default_workbook_shows_the_printed_figures_of_aimcos_release(
    tmp_path: Path, engine: Any
) -> None:
    cells = calculate(template(tmp_path, HOLDINGS[1], 2004))
    for row, (_, _, _, dividend) in zip(range(FIRST, LAST + 1), PAYMENTS, strict=True):
        assert cells[("PAYMENTS", f"G{row}")] == float(dividend)
        shown = {column: f"{cells[('PAYMENTS', f'{column}{row}')]:.4%}" for column in PRINTED}
        assert shown == PRINTED
        assert f"{cells[('PAYMENTS', f'N{row}')]:.4%}" == "100.0000%"  # the visible 100% check


# ------------------------------------------------------------ the --live workbook


@pytest.mark.parametrize("case", range(3), ids=CASES)
def test_the_live_workbook_through_the_add_ins_functions_gives_the_command_lines_figures(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    bind: Callable[[Alloc], None],
    holdings_2023: Path,
    case: int,
) -> None:
    bind(REIT_ALLOC)
    holdings, year, payments = _cases(holdings_2023)[case]
    path = template(tmp_path, holdings, year, "--live")
    assert openpyxl.load_workbook(path)["Payments"]["I5"].value.startswith("=REIT_ALLOC(")
    assert_as_the_command_line(calculate(path), capsys, holdings, year, payments)


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
    cells = calculate(template(tmp_path, DATA / "holdings-by-payment.csv", 2004, "--live"))
    row = 5 + [p[2] for p in PAYMENTS].index("2004-07-15", 21)  # Class T's third payment
    assert cells[("PAYMENTS", f"J{row}")] == "#N/A a lookup that failed"
    assert isinstance(cells[("PAYMENTS", f"N{row}")], EngineError)  # Total: not 100%
    assert isinstance(cells[("AMOUNTS", f"H{row}")], EngineError)  # Qualified $
    class_t, total = 11, 13
    assert isinstance(cells[("1099-DIV", f"E{class_t}")], EngineError)  # box 1a adds qualified
    assert isinstance(cells[("1099-DIV", f"F{class_t}")], EngineError)  # box 1b is qualified
    assert isinstance(cells[("1099-DIV", f"G{class_t}")], float)  # box 2a does not
    assert isinstance(cells[("1099-DIV", f"E{total}")], EngineError)
    assert isinstance(cells[("1099-DIV", f"F{total}")], EngineError)
    assert isinstance(cells[("1099-DIV", f"G{total}")], float)
    assert isinstance(cells[("1099-DIV", "E5")], float)  # Class A is unaffected
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
    cells = calculate(template(tmp_path, None, 2004, "--live"))
    checks = [value for (sheet, _), value in cells.items() if sheet == "RELEASE"]
    assert checks.count("DIFFERS") == 4 and checks.count("OK") == 23


@pytest.mark.slow
def test_libreoffice_without_the_add_in_shows_the_live_workbooks_errors_never_zero_totals(
    tmp_path: Path,
) -> None:
    cells = calculate_in_libreoffice(
        template(tmp_path, HOLDINGS[0], 2004, "--live"), tmp_path / "calc"
    )
    assert cells[("PAYMENTS", "G5")] == "#NAME?"
    assert cells[("PAYMENTS", "H5")] == 100  # the shares held, from the holdings
    assert cells[("PAYMENTS", "A3")].startswith("CHECK: 27 of 27 payments")
    for row in range(5, 14):  # every class and the totals row
        assert all(str(cells[("1099-DIV", f"{c}{row}")]).startswith("#") for c in "EFGHI"), row
    release = [value for (sheet, cell), value in cells.items() if sheet == "RELEASE"]
    assert release.count("NO NUMBER") == 27  # the check sees the add-in is off


# ----------------------------------------------------------------- on paper

#: Each listing sheet's first and last headings, which every page must show when a
#: sheet prints one page wide with its headings repeated.
EDGES = {
    2004: {
        "Payments": ("Class", "Total"),
        "Amounts": ("Class", "Return of capital $"),
        "1099-DIV": ("Class", "Box 3"),
    },
    2023: {
        "Payments": ("Class", "Total"),
        "Amounts": ("Class", "Return of capital $"),
        "1099-DIV": ("Class", "Section 1061 three-year"),
    },
}


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9$.]+", text)


@pytest.mark.slow
@pytest.mark.parametrize("year", [2004, 2023])
def test_libreoffice_prints_every_sheet_one_page_wide_with_whole_headings_and_the_charts(
    tmp_path: Path, holdings_2023: Path, year: int
) -> None:
    pypdf = pytest.importorskip("pypdf", reason="pip install pypdf (in the test extras)")
    holdings = HOLDINGS[1] if year == 2004 else holdings_2023
    path = template(tmp_path, holdings, year)
    printed = pypdf.PdfReader(libreoffice.print_workbook(path, tmp_path / "printed"))
    pages: dict[str, list[str]] = {}
    for page in printed.pages:
        text = page.extract_text()
        footer = re.search(r"^(.+?) — page \d+ of \d+", text, re.MULTILINE)
        pages.setdefault(footer.group(1) if footer else "", []).append(text)
    assert list(pages)[:6] == ["Payments", "Amounts", "1099-DIV", "Release", "Chart", "About"]
    book = openpyxl.load_workbook(path)
    for sheet, (first, last) in EDGES[year].items():
        for text in pages[sheet]:  # every page, the headings repeated, the last column on it
            assert set(words(f"{first} {last}")) <= set(words(text)), (sheet, text[:200])
        headings = [c.value for c in book[sheet][4] if c.value]
        shown = set(words("\n".join(pages[sheet])))
        for heading in headings:  # each heading whole, wrapped between words
            assert set(words(heading)) <= shown, (sheet, heading)
    charts = "\n".join(pages["Chart"])
    assert "Each payment, per share" in charts and "The year, for the shares held" in charts
    assert "Not tax advice" in pages["About"][0]
