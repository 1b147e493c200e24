"""The corpus releases bundled in ``xl_reit/data`` are what importing their fixtures gives.

Each bundled file must equal, row for row and figure for figure, the table
``xl-reit import`` writes from its fixture in ``tests/releases/corpus`` with the
options ``tests/test_importer_corpus.py`` gives that release (the test that
checks every printed figure of the import); only ``source`` and
``release_date``, written by hand to name the real release, may differ. So the
corpus test's figures, typed from the releases, are the bundle's.

Adding a release is one entry in :data:`BUNDLED` (its options are the corpus
test's). And the bundle loads as one table: Aimco's common of 2004 and 2013
under AIV, STAG's 2020, 2023 and 2024 together, Equity Residential's Series K
with what its figures break said wherever its payments are shown.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from test_importer_corpus import CORPUS, RELEASES, run_import

from xl_reit import cli, lookup
from xl_reit.table import BUNDLED_FILES, bundled_table
from xl_reit.udfs import REIT_DIVIDEND

DATA = Path(__file__).parent.parent / "xl_reit" / "data"

#: The corpus releases bundled, each as ``xl_reit/data/NAME.csv``. Left out (see the data
#: README): stag-2025-partial (one payment of the year), and those the importer refuses or
#: does not read yet.
BUNDLED = [
    "aimco-2013",
    "ddr-2009",
    "dlr-2010",
    "epr-2013",
    "equity-residential-2023",
    "hasi-2023",
    "kkr-reit-2023",
    "linkparks-2023",
    "rexford-2025",
    "rpt-2019",
    "stag-2020",
    "umh-2017",
    "whitestone-2021",
    "wp-carey-2024",
]
#: The columns written by hand: the release's name and date, which the fixture's text
#: (our own words) does not hold as the release prints them.
HAND = ("source", "release_date")


def imported(name: str, folder: Path) -> Path:
    """``xl-reit import`` of the release's fixture with the corpus test's options."""
    done = run_import(CORPUS / f"{name}.txt", folder / f"{name}.csv", RELEASES[name].options)
    assert done.code == 0, done.report
    return done.table


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("name", BUNDLED)
def test_a_bundled_file_is_its_fixture_imported(name: str, tmp_path: Path) -> None:
    bundled, fresh = rows(DATA / f"{name}.csv"), rows(imported(name, tmp_path))
    assert list(bundled[0]) == list(fresh[0])  # the same columns, in the same order
    assert [{k: v for k, v in row.items() if k not in HAND} for row in bundled] == [
        {k: v for k, v in row.items() if k not in HAND} for row in fresh
    ]
    # The source names the release (one for the whole file), not the fixture.
    (source,) = {row["source"] for row in bundled}
    assert source and f"{name}.txt" not in source and {row["source"] for row in fresh} != {source}


def test_every_corpus_file_bundled_is_listed_and_every_listed_one_bundled() -> None:
    corpus = {path.stem for path in CORPUS.glob("*.txt")}
    assert {f"{name}.csv" for name in BUNDLED} <= set(BUNDLED_FILES)
    assert {path.removesuffix(".csv") for path in BUNDLED_FILES} & corpus == set(BUNDLED)


def test_aimcos_common_of_2004_and_2013_load_together_under_aiv() -> None:
    # "(NYSE: AIV and AIVPrZ)": the common is AIV in both releases.
    years = lookup.find_years("AIV", bundled_table())
    assert [(c.tax_year, c.symbol) for c in years] == [(2004, "AIV"), (2013, "AIV")]
    # $0.600 a quarter in 2004, $0.24 in 2013, each as its release prints it.
    assert lookup.dividend("AIV", "2004-02-27") == Decimal("0.600")
    assert lookup.dividend("AIV", "2013-02-28") == Decimal("0.24")
    assert lookup.allocation("AIV", "2013-02-28", "1a") == Decimal("0.1092997")
    assert lookup.dividend("AIV", "annual", tax_year=2004) == Decimal("2.400")


def test_stags_2020_2023_and_2024_load_together_and_split_payments_answer_by_year() -> None:
    years = lookup.find_years("STAG", bundled_table())
    assert [c.tax_year for c in years] == [2020, 2023, 2024]
    # 12/29/23 -> 01/16/24: $0.015845 in 2023, $0.106655 in 2024, $0.1225 in all (README).
    january = dt.datetime(2024, 1, 16)
    assert REIT_DIVIDEND("STAG", january, 2023.0) == 0.015845
    assert REIT_DIVIDEND("STAG", january, 2024.0) == 0.106655
    assert REIT_DIVIDEND("STAG", january) == 0.1225
    # The 2020 release's last row is 2020's part of the payment of 01/15/21: $0.071670.
    assert REIT_DIVIDEND("STAG", dt.datetime(2021, 1, 15), 2020.0) == 0.07167
    assert REIT_DIVIDEND("STAG", "annual", 2020.0) == 1.510837  # its Total line


def test_series_k_is_said_to_break_the_forms_nesting_wherever_its_payments_are_shown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # As printed: box 1b $0.000025 and box 5 $0.736485, both inside box 1a $0.736485.
    said = "add up to $0.000025 more than box 1a $0.736485"
    assert cli.main(["payments", "29476L883"]) == 0
    shown = capsys.readouterr().out
    assert "equity-residential-2023.csv:7,8,9,10: as printed: qualified (1b) $0.000025" in shown
    assert said in shown
    book = tmp_path / "k.xlsx"
    assert cli.main(["template", "--cusip", "29476L883", "-o", str(book)]) == 0
    workbook = openpyxl.load_workbook(book)
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(values_only=True)}
    label = (
        "Note — Preferred Shares Series K (Equity Residential): 2023-03-31, 2023-06-30, "
        "2023-10-02, "
    )
    (note,) = (text for key, text in about.items() if str(key).startswith(label))
    assert said in note
    release = [row[-1] for row in workbook["Release"].iter_rows(values_only=True)]
    assert sum(said in str(cell) for cell in release) == 4  # each payment's Notes cell
    holdings = tmp_path / "k.csv"
    holdings.write_text("CUSIP,Shares\n29476L883,100\n", encoding="utf-8")
    assert cli.main(["1099", str(holdings)]) == 0
    form = capsys.readouterr().out
    # No ticker printed: the issuer tells this class apart; 4 x $0.736485 x 100 in box 1a.
    assert "Preferred Shares Series K (Equity Residential)  29476L-88-3  $294.59" in form
    assert "  Preferred Shares Series K (Equity Residential): as printed: qualified (1b)" in form
    assert said in form


def test_hasis_parts_beyond_its_dividend_are_said_on_the_form_1099_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Bundled as printed: the 2023-01-06 payment: $0.1965 + $0.1566 + $0.0222 = $0.3753, of $0.3750.
    holdings = tmp_path / "hasi.csv"
    holdings.write_text("Symbol,Shares\nHASI,100\n", encoding="utf-8")
    assert cli.main(["1099", str(holdings)]) == 0
    form = capsys.readouterr().out
    assert "Common Stock (HASI): as printed: the parts add up to $0.3753, $0.0003 more" in form
    assert cli.main(["1099", str(holdings), "--format", "json"]) == 0
    (line,) = json.loads(capsys.readouterr().out)["forms"][0]["classes"]
    (note,) = line["notes"]
    assert note.startswith("as printed: the parts add up to $0.3753, $0.0003 more")
