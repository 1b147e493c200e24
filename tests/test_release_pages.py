"""More real releases' web pages, imported as a user saves them and as a PDF printed from
them: every printed figure comes back.

The pages are written by ``release_pages.py`` (STAG Industrial 2024, Aimco 2004,
W. P. Carey 2023, Rexford Industrial 2025, Whitestone REIT 2021, KKR Real Estate
Finance Trust 2023) with each release's table layout and figures and our own
prose; each of the six imports to the same table from its web page and from its
PDF, and STAG's and Aimco's figures are checked in ``test_sources.py``. Each page is
imported as it is (.html) and as LibreOffice Writer prints it to PDF, landscape
on Letter paper shrunk to its width, as a person prints a wide news-wire table from
the browser
(``libreoffice.py``), with ``xl-reit import`` and only the options its text makes
necessary, and every figure it prints must come back, through the loaded table
and through ``REIT_DIVIDEND`` / ``REIT_AMOUNT`` as Excel calls them (dates as
``datetime``, years and shares as floats).

The expected figures below are typed from the releases' printed tables, not
read from the pages' module.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from xl_reit import cli, lookup
from xl_reit.model import SecurityClass
from xl_reit.sources import read_release
from xl_reit.table import AllocationTable, set_default_table
from xl_reit.udfs import REIT_AMOUNT, REIT_DIVIDEND

import release_pages as pages

#: Each page, how it is written, and the options its text makes necessary.
PAGES = {
    "stag-2024": (pages.stag_2024, []),
    "aimco-2004": (pages.aimco_2004, []),
    "wpc-2023": (pages.wpc_2023, []),
    "rexford-2025": (pages.rexford_2025, []),
    "whitestone-2021": (pages.whitestone_2021, []),
    # The page prints neither a CUSIP nor the issuer's name.
    "kkr-reit-2023": (
        pages.kkr_reit_2023,
        ["--cusip", "48251K100", "--issuer", "KKR Real Estate Finance Trust"],
    ),
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The release pages written to .html files."""
    folder = tmp_path_factory.mktemp("pages")
    files = {}
    for name, (build, _) in PAGES.items():
        files[name] = folder / f"{name}.html"
        files[name].write_text(build(), encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def printed(written: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The release pages printed to PDF by LibreOffice, landscape, as a browser shows them."""
    from libreoffice import LANDSCAPE, print_to_pdf

    folder = tmp_path_factory.mktemp("printed")
    pdfs = print_to_pdf(list(written.values()), folder, page_style=LANDSCAPE)
    return dict(zip(written, pdfs, strict=True))


#: The pages whose table fits a portrait page's width, at full size.
NARROW = ("stag-2024", "aimco-2004", "whitestone-2021", "kkr-reit-2023")


@pytest.fixture(scope="module")
def portrait(written: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The narrow pages printed portrait at full size: headlines and sentences wrap."""
    from libreoffice import PORTRAIT, print_to_pdf

    folder = tmp_path_factory.mktemp("portrait")
    pdfs = print_to_pdf([written[name] for name in NARROW], folder, page_style=PORTRAIT)
    return dict(zip(NARROW, pdfs, strict=True))


@pytest.fixture(params=["html", "pdf"])
def release_file(request: pytest.FixtureRequest) -> dict[str, Path]:
    """The release pages as web pages, then as PDFs."""
    fixture = "written" if request.param == "html" else "printed"
    return request.getfixturevalue(fixture)  # type: ignore[no-any-return]


#: The last column's header words of each page's table, as they print.
LAST_COLUMNS = {
    "stag-2024": "Section 199A",
    "aimco-2004": "Return of",
    "wpc-2023": "Three-Year",
    "rexford-2025": "Section 199A",
    "whitestone-2021": "Section 199A",
    "kkr-reit-2023": "Return of",
}


@pytest.mark.slow
def test_each_page_prints_as_a_browser_shows_it_every_column_and_no_hidden_text(
    printed: dict[str, Path],
) -> None:
    for name, pdf in printed.items():
        text = " ".join(read_release(pdf).text.split())
        assert "Subscribe" not in text, name  # the page's hidden line
        assert LAST_COLUMNS[name] in text, name  # the table is not cut off at the margin


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "printing"),
    [*((name, "printed") for name in PAGES), *((name, "portrait") for name in NARROW)],
)
def test_each_page_imports_to_the_same_table_from_its_pdf(
    name: str,
    printing: str,
    written: dict[str, Path],
    request: pytest.FixtureRequest,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Row for row and figure for figure, with the same notes: only the source file differs
    (and the columns a table leaves empty, which its file may or may not print). Printed
    portrait, a page's headline and sentences wrap where the web page's do not."""
    pdfs: dict[str, Path] = request.getfixturevalue(printing)
    tables = []
    for kind, files in (("html", written), ("pdf", pdfs)):
        out = tmp_path / f"{name}-{kind}.csv"
        assert cli.main(["import", str(files[name]), "-o", str(out), *PAGES[name][1]]) == 0
        with out.open(encoding="utf-8", newline="") as file:
            rows = [
                {column: value for column, value in row.items() if value and column != "source"}
                for row in csv.DictReader(file)
            ]
        tables.append(rows)
    capsys.readouterr()
    web, pdf = tables
    assert len(web) == len(pdf) > 1
    assert web == pdf


def imported(
    name: str,
    files: dict[str, Path],
    out: Path,
    capsys: pytest.CaptureFixture[str],
    facts: tuple[str, int, str, str],
) -> tuple[AllocationTable, SecurityClass]:
    """``xl-reit import`` of the page must succeed and say OK; the table it wrote, loaded on
    its own, and its one class, whose issuer, tax year, CUSIP and symbol are ``facts``."""
    table = out / f"{name}.csv"
    assert cli.main(["import", str(files[name]), "-o", str(table), *PAGES[name][1]]) == 0
    assert f"Import of {files[name].name}: OK" in capsys.readouterr().out
    loaded = AllocationTable.from_texts([(table.name, table.read_text(encoding="utf-8"))])
    (security,) = loaded.classes.values()
    assert (security.issuer, security.tax_year, security.cusip, security.symbol) == facts
    return loaded, security


def check(
    table: AllocationTable,
    cusip: str,
    year: int,
    boxes: tuple[str, ...],
    printed: list[tuple[str, str, str]],
) -> None:
    """Each payment's dividend and boxes, from the table and from the Excel functions; the
    table holds these payments and no other."""
    (security,) = table.classes.values()
    assert len([line for line in security.lines if line.payable_date]) == len(printed)
    set_default_table(table)
    try:
        for payable, dividend, figures in printed:
            month, day, full_year = (int(part) for part in payable.split("/"))
            when = dt.datetime(full_year, month, day)
            amounts = dict(zip(boxes, figures.split(), strict=True))
            assert lookup.dividend(cusip, when.date(), table, tax_year=year) == Decimal(dividend)
            assert REIT_DIVIDEND(cusip, when, float(year)) == float(dividend), payable
            for box, dollars in amounts.items():
                got = lookup.amount(cusip, when.date(), f"box {box}", 1, table, tax_year=year)
                assert got == Decimal(dollars), (payable, box)
                answer = REIT_AMOUNT(cusip, when, box, 1.0, float(year))
                assert answer == float(dollars), (payable, box)
    finally:
        set_default_table(None)


WPC = "92936U109"
WPC_BOXES = ("1a", "1b", "2a", "2b", "3", "5", "2e", "2f")
WPC_2023 = [
    # the release prints its columns in another order: 1a 2a 3 1b 2b 2e 2f 5
    ("1/13/2023", "1.065000",
     "0.8087588 0.0024786 0.0728316 0.0728316 0.1834096 0.8062802 0.0648595 0.0728316"),
    ("4/14/2023", "1.067000",
     "0.8102776 0.0024832 0.0729684 0.0729684 0.1837540 0.8077944 0.0649813 0.0729684"),
    ("7/14/2023", "1.069000",
     "0.8117964 0.0024879 0.0731051 0.0731051 0.1840985 0.8093085 0.0651031 0.0731051"),
    ("10/16/2023", "1.071000",
     "0.8133152 0.0024925 0.0732419 0.0732419 0.1844429 0.8108227 0.0652249 0.0732419"),
    ("11/1/2023", "0.762667",
     "0.5791675 0.0017749 0.0521561 0.0521561 0.1313431 0.5773926 0.0464471 0.0521561"),
]  # fmt: skip


@pytest.mark.slow
def test_wpc_2023_page_imports_and_every_printed_dollar_comes_back(
    release_file: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = ("W. P. Carey", 2023, WPC, "WPC")
    table, security = imported("wpc-2023", release_file, tmp_path, capsys, facts)
    check(table, WPC, 2023, WPC_BOXES, WPC_2023)
    # The 10/19/23 record date, its footnote mark "(7)" read as no digit.
    last = max(security.lines, key=lambda line: line.payable_date or dt.date.min)
    assert last.record_date == dt.date(2023, 10, 19)


REXFORD = "76169C100"
REXFORD_BOXES = ("1a", "1b", "2a", "2b", "3", "5")
REXFORD_2025 = [
    ("1/15/2025", "0.417500", "0.332824 0.000000 0.084676 0.008798 0.000000 0.332824"),
    ("4/15/2025", "0.430000", "0.342789 0.000000 0.087211 0.009061 0.000000 0.342789"),
    ("7/15/2025", "0.430000", "0.342789 0.000000 0.087211 0.009061 0.000000 0.342789"),
    ("10/15/2025", "0.430000", "0.342789 0.000000 0.087211 0.009061 0.000000 0.342789"),
    # "Total" $0.430000 beside "Total in 2025" $0.285022: 2025's part of the payment.
    ("1/15/2026", "0.285022", "0.227215 0.000000 0.057807 0.006006 0.000000 0.227215"),
]


@pytest.mark.slow
def test_rexford_2025_page_imports_and_every_printed_dollar_comes_back(
    release_file: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = ("Rexford Industrial", 2025, REXFORD, "REXR")
    table, _ = imported("rexford-2025", release_file, tmp_path, capsys, facts)
    check(table, REXFORD, 2025, REXFORD_BOXES, REXFORD_2025)
    # The Totals row: "Total in 2025" and each box.
    assert lookup.dividend(REXFORD, "annual", table) == Decimal("1.992522")
    totals = "1.588406 0.000000 0.404116 0.041987 0.000000 1.588406".split()
    for box, dollars in zip(REXFORD_BOXES, totals, strict=True):
        got = lookup.amount(REXFORD, "annual", f"box {box}", 1, table)
        assert round(got, 6) == Decimal(dollars), box


WHITESTONE = "966084204"
WHITESTONE_BOXES = ("1a", "2a", "2b", "3", "5")
WHITESTONE_2021 = [
    ("1/14/2021", "0.035000", "0.028240 0 0 0.006760 0.028240"),  # "-" is a zero
    ("2/11/2021", "0.035000", "0.028240 0 0 0.006760 0.028240"),
    *(
        (payable, "0.035833", "0.028912 0 0 0.006921 0.028912")
        for payable in (
            "3/11/2021 4/14/2021 5/13/2021 6/10/2021 7/14/2021 8/12/2021 9/14/2021 10/14/2021 "
            "11/12/2021 12/13/2021"
        ).split()
    ),
]


@pytest.mark.slow
def test_whitestone_2021_page_imports_and_every_printed_dollar_comes_back(
    release_file: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = ("Whitestone REIT", 2021, WHITESTONE, "WSR")
    table, security = imported("whitestone-2021", release_file, tmp_path, capsys, facts)
    check(table, WHITESTONE, 2021, WHITESTONE_BOXES, WHITESTONE_2021)
    # The record dates, not the ex-dividend dates beside them.
    first = min(security.lines, key=lambda line: line.payable_date or dt.date.max)
    assert first.record_date == dt.date(2021, 1, 5)


KKR = "48251K100"
KKR_BOXES = ("1a", "1b", "2a", "3")
KKR_2023 = [
    # $0.43 cash, "($0.25)" of it 2022's: the Total Distribution $0.18 is 2023's.
    ("1/13/2023", "0.18", "0.16463 0.00000 0.00000 0.01537"),
    ("4/14/2023", "0.43", "0.39329 0.00000 0.00000 0.03671"),
    ("7/14/2023", "0.43", "0.39329 0.00000 0.00000 0.03671"),
    ("10/13/2023", "0.43", "0.39329 0.00000 0.00000 0.03671"),
]


@pytest.mark.slow
def test_kkr_reit_2023_page_imports_and_every_printed_dollar_comes_back(
    release_file: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # no symbol printed: the CUSIP stands in for it
    facts = ("KKR Real Estate Finance Trust", 2023, KKR, KKR)
    table, _ = imported("kkr-reit-2023", release_file, tmp_path, capsys, facts)
    check(table, KKR, 2023, KKR_BOXES, KKR_2023)
    # The unlabelled totals row: $1.47 in all, each box's total.
    assert lookup.dividend(KKR, "annual", table) == Decimal("1.47")
    for box, dollars in zip(KKR_BOXES, "1.34450 0.00000 0.00000 0.12550".split(), strict=True):
        assert round(lookup.amount(KKR, "annual", f"box {box}", 1, table), 5) == Decimal(dollars)


def test_a_page_without_the_options_it_needs_is_refused_naming_them(
    written: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "kkr.csv")
    assert cli.main(["import", str(written["kkr-reit-2023"]), "-o", out]) == 1
    report = capsys.readouterr().out
    assert "--cusip" in report and "--issuer" in report
    assert not Path(out).exists()
