"""The corpus of real releases, imported as a user gets them: every printed figure comes back.

``tests/releases/corpus`` keeps seventeen real releases' layouts, figures and
dates as their texts come, with every sentence in our own words (see the
folder's README). Each release the importer reads (:data:`READ`) is imported
with ``xl-reit import`` and only the options its text makes necessary, and
must exit 0 and give, for the release's tax year, every payment and figure its
table prints: through the loaded table's payments, and through
``REIT_DIVIDEND`` / ``REIT_AMOUNT`` as Excel calls them (dates as
``datetime``, years and shares as floats). Each release it must refuse
(:data:`REFUSED_READY`) exits 1, writes nothing and says why. Every other
fixture is in :data:`NOT_YET` with a reason, so none is silently untested.

And every printed digit is load-bearing: a digit of a printed figure changed
in the text either makes the import refuse or comes back as the new figure in
the place of the old one, never the old figure and never another one.

The expected figures below are typed from the releases' printed tables (a
comment on each says which), not read from the fixtures or from any file.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import io
import random
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest

from xl_reit import cli
from xl_reit.components import boxes_for_year
from xl_reit.model import Payment
from xl_reit.table import AllocationTable, set_default_table
from xl_reit.tablefile import read_paths
from xl_reit.udfs import REIT_ALLOC, REIT_AMOUNT, REIT_DIVIDEND

CORPUS = Path(__file__).parent / "releases" / "corpus"

#: Releases the importer reads, each to every figure it prints.
READ: list[str] = [
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
    "stag-2025-partial",
    "umh-2017",
    "whitestone-2021",
    "wp-carey-2024",
]
#: Releases the importer refuses as it must (see :data:`REFUSALS`).
REFUSED_READY: set[str] = {"cf-income-trust", "public-storage-2022"}
#: Every other fixture, and why it has no test yet.
NOT_YET: dict[str, str] = {}


# --- what each release prints -----------------------------------------------------------


class Row(NamedTuple):
    """One printed payment (or the annual line: ``payable`` None) as the expected table holds it.

    ``dividend`` is the part of the payment that is the release's tax year's; ``figures``
    the printed boxes' dollars (or percentages, ending in ``%``) in :attr:`Release.boxes`'
    order; ``whole`` the whole payment where the release prints it beside a part of it;
    ``excess`` what its printed parts add up to beyond its dividend, where they disagree.
    """

    cusip: str
    record: dt.date | None
    payable: dt.date | None
    dividend: str
    figures: tuple[str, ...]
    whole: str | None = None
    excess: str | None = None


@dataclass(frozen=True)
class Release:
    """A release's tax year, the options its text makes necessary, and its printed rows."""

    tax_year: int
    boxes: tuple[str, ...]  # each printed box (or a disclosure's name), in the order typed
    rows: tuple[Row, ...]
    options: tuple[str, ...] = ()
    #: Text the import's notes must hold on each payment of a class, by CUSIP.
    notes: Mapping[str, str] = field(default_factory=dict)

    def expected(self) -> dict[tuple[str, dt.date | None], Row]:
        return {(row.cusip, row.payable): row for row in self.rows}

    def figures(self, row: Row) -> dict[str, str]:
        return dict(zip(self.boxes, row.figures, strict=True))


def _iso(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def rows(
    cusip: str, dividend: str, figures: str, *dates: str, whole: str | None = None
) -> list[Row]:
    """One row for each payment printed with the same figures; ``dates`` are "RECORD PAYABLE"
    (ISO), or "PAYABLE" alone where the release prints payment dates only."""
    made = []
    for pair in dates:
        *record, payable = pair.split()
        made.append(
            Row(
                cusip,
                _iso(record[0]) if record else None,
                _iso(payable),
                dividend,
                tuple(figures.split()),
                whole,
            )
        )
    return made


def annual(cusip: str, dividend: str, figures: str) -> list[Row]:
    """The annual (totals) line as printed."""
    return [Row(cusip, None, None, dividend, tuple(figures.split()))]


KKR = "48251K100"
REXR = "76169C100"
STAG = "85254J102"
WSR = "966084204"
AIV = "03748R101"
DDR = "251591103"
DLR = "253868103"
EPR = "26884U109"
EQR, EQR_K = "29476L107", "29476L883"
LINK_Z = "69360J552"
RPT = "74971D101"
UMH, UMH_A = "903002103", "903002202"
WPC = "92936U109"
HASI = "41068X100"

RELEASES: dict[str, Release] = {
    # KKR Real Estate Finance Trust, "Tax Treatment of 2023 Dividends": the Ordinary,
    # Qualified, Capital Gain and Return of Capital columns; the dividend is the "Total
    # Distribution" column ($0.18 of the Jan 13 payment's $0.43 cash, footnote 2); the
    # unlabelled last line is the year's totals.
    "kkr-reit-2023": Release(
        2023,
        ("1a", "1b", "2a", "3"),
        (
            *rows(
                KKR,
                "0.18",
                "0.16463 0.00000 0.00000 0.01537",
                "2022-12-30 2023-01-13",
                whole="0.43",
            ),
            *rows(
                KKR,
                "0.43",
                "0.39329 0.00000 0.00000 0.03671",
                "2023-03-31 2023-04-14",
                "2023-06-30 2023-07-14",
                "2023-09-29 2023-10-13",
            ),
            *annual(KKR, "1.47", "1.34450 0.00000 0.00000 0.12550"),
        ),
        ("--cusip", KKR, "--issuer", "KKR Real Estate Finance Trust Inc."),
    ),
    # Rexford Industrial, common stock table: the "Dividends in 2025" column is the dividend,
    # "Total" the cash payment; boxes as its "Form 1099-DIV Box: 1a 1b 2a 2b 3 5" row names
    # them (199A is box 5); "Totals:" is the annual line.
    "rexford-2025": Release(
        2025,
        ("1a", "1b", "2a", "2b", "3", "5"),
        (
            *rows(
                REXR,
                "0.417500",
                "0.332824 0.000000 0.084676 0.008798 0.000000 0.332824",
                "2024-12-31 2025-01-15",
            ),
            *rows(
                REXR,
                "0.430000",
                "0.342789 0.000000 0.087211 0.009061 0.000000 0.342789",
                "2025-03-31 2025-04-15",
                "2025-06-30 2025-07-15",
                "2025-09-30 2025-10-15",
            ),
            *rows(
                REXR,
                "0.285022",
                "0.227215 0.000000 0.057807 0.006006 0.000000 0.227215",
                "2025-12-31 2026-01-15",
                whole="0.430000",
            ),
            *annual(REXR, "1.992522", "1.588406 0.000000 0.404116 0.041987 0.000000 1.588406"),
        ),
    ),
    # STAG Industrial, "TAX TREATMENT OF 2020 COMMON DISTRIBUTIONS": Ordinary Taxable (1a),
    # Capital Gain (2a), Unrecaptured 1250 (2b, inside 2a: footnote 1), Return of Capital
    # (3), Section 199A (5); the 01/15/21 row is 2020's part of that payment; "Total" line.
    "stag-2020": Release(
        2020,
        ("1a", "2a", "2b", "3", "5"),
        (
            *rows(
                STAG,
                "0.119167",
                "0.093596 0.025571 0.006961 0.000000 0.093596",
                "2019-12-31 2020-01-15",
            ),
            *rows(
                STAG,
                "0.120000",
                "0.094251 0.025749 0.007009 0.000000 0.094251",
                "2020-01-31 2020-02-18",
                "2020-02-28 2020-03-16",
                "2020-03-31 2020-04-15",
                "2020-04-30 2020-05-15",
                "2020-05-29 2020-06-15",
                "2020-06-30 2020-07-15",
                "2020-07-31 2020-08-17",
                "2020-08-31 2020-09-15",
                "2020-09-30 2020-10-15",
                "2020-10-30 2020-11-16",
                "2020-11-30 2020-12-15",
            ),
            *rows(
                STAG,
                "0.071670",
                "0.056291 0.015379 0.004186 0.000000 0.056291",
                "2020-12-31 2021-01-15",
            ),
            *annual(STAG, "1.510837", "1.186648 0.324189 0.088246 0.000000 1.186648"),
        ),
        ("--cusip", STAG),  # prints "8524J 102": a character is missing
    ),
    # Whitestone REIT, common shares: Ordinary (1a), Capital Gain (2a, printed "-"),
    # Unrecaptured 1250 (2b, "-"), Return of Capital (3), Section 199A (5); the copy ends
    # before the Total row.
    "whitestone-2021": Release(
        2021,
        ("1a", "2a", "2b", "3", "5"),
        (
            *rows(
                WSR,
                "0.035000",
                "0.028240 0 0 0.006760 0.028240",
                "2021-01-05 2021-01-14",
                "2021-02-02 2021-02-11",
            ),
            *rows(
                WSR,
                "0.035833",
                "0.028912 0 0 0.006921 0.028912",
                "2021-03-02 2021-03-11",
                "2021-04-05 2021-04-14",
                "2021-05-04 2021-05-13",
                "2021-06-02 2021-06-10",
                "2021-07-02 2021-07-14",
                "2021-08-03 2021-08-12",
                "2021-09-02 2021-09-14",
                "2021-10-04 2021-10-14",
                "2021-11-02 2021-11-12",
                "2021-12-02 2021-12-13",
            ),
        ),
    ),
    # STAG Industrial, "TAX TREATMENT OF 2025 COMMON DISTRIBUTIONS": its one row the copy
    # keeps, columns as in 2020's release.
    "stag-2025-partial": Release(
        2025,
        ("1a", "2a", "2b", "3", "5"),
        tuple(
            rows(
                STAG,
                "0.123333",
                "0.113932 0.009401 0.002483 0.000000 0.113932",
                "2024-12-31 2025-01-15",
            )
        ),
        ("--cusip", STAG),
    ),
    # Aimco, Class A Common Stock: percentages of the $0.24 dividend, printed as disjoint
    # parts and typed here as boxes: 1a = Taxable Ordinary + Qualified, 1b = Qualified,
    # 2a = Capital Gain (20% Rate) + Unrecaptured Sec. 1250 Gain (25% Rate), 2b = the
    # latter, 3 = Return of Capital.
    "aimco-2013": Release(
        2013,
        ("1a", "1b", "2a", "2b", "3"),
        (
            *rows(
                AIV,
                "0.24",
                "10.92997% 0.00000% 89.07003% 62.44642% 0.00000%",
                "2013-02-15 2013-02-28",
            ),
            *rows(
                AIV,
                "0.24",
                "20.20270% 0.00000% 79.79730% 70.08297% 0.00000%",
                "2013-05-17 2013-05-31",
                "2013-08-16 2013-08-30",
                "2013-11-15 2013-11-29",
            ),
        ),
    ),
    # Developers Diversified, common shares: Ordinary Dividends (1a), Total Capital Gain
    # (2a), Return of Capital (3), Unrecaptured Sec. 1250 (2b), the dividend from "Total
    # Dividends"; 4Q09 (paid 1/6/2010, all zeros) is 2010's; "Total" line.
    "ddr-2009": Release(
        2009,
        ("1a", "2a", "3", "2b"),
        (
            *rows(
                DDR,
                "0.200000",
                "0.200000 0.000000 0.000000 0.000000",
                "2009-03-12 2009-04-21",
                "2009-06-11 2009-07-21",
            ),
            *rows(DDR, "0.020000", "0.020000 0.000000 0.000000 0.000000", "2009-09-23 2009-10-15"),
            *annual(DDR, "0.420000", "0.420000 0.000000 0.000000 0.000000"),
        ),
    ),
    # Digital Realty, common stock: "2010 Taxable Ordinary Dividend" (1a, all of it) beside
    # the cash dividend; split at both ends; "2010 Totals".
    "dlr-2010": Release(
        2010,
        ("1a",),
        (
            *rows(DLR, "0.28955", "0.28955", "2009-12-15 2010-01-15", whole="0.450000"),
            *rows(DLR, "0.480000", "0.480000", "2010-03-15 2010-03-31", "2010-06-15 2010-06-30"),
            *rows(DLR, "0.530000", "0.530000", "2010-09-15 2010-09-30"),
            *rows(DLR, "0.223456", "0.223456", "2010-12-15 2011-01-14", whole="0.530000"),
            *annual(DLR, "2.003006", "2.003006"),
        ),
    ),
    # EPR Properties, common shares: Taxable Ordinary (1a), Return of Capital (3), Total
    # Capital Gain (2a), Unrecaptured 1250 (2b) beside the cash distribution; "Total for 2013".
    "epr-2013": Release(
        2013,
        ("1a", "3", "2a", "2b"),
        (
            *rows(EPR, "0.750000", "0.534657 0.215343 0.000000 0.000000", "2012-12-31 2013-01-15"),
            *rows(EPR, "0.790000", "0.563172 0.226828 0.000000 0.000000", "2013-03-28 2013-04-15"),
            *rows(
                EPR,
                "0.263300",
                "0.187700 0.075600 0.000000 0.000000",
                "2013-04-30 2013-05-15",
                "2013-05-31 2013-06-17",
                "2013-06-28 2013-07-15",
                "2013-07-31 2013-08-15",
                "2013-08-30 2013-09-16",
                "2013-09-30 2013-10-15",
                "2013-10-31 2013-11-15",
                "2013-11-29 2013-12-16",
            ),
            *annual(EPR, "3.646400", "2.599429 1.046971 0.000000 0.000000"),
        ),
    ),
    # Equity Residential, "Common Shares:" and "Preferred Shares Series K:": boxes as its
    # "Box 1a Total Box 1b Box 2a Box 2b Box 2e Box 2f Box3 Box 5" line names them; a
    # "Total" line for each class. Series K's 199A equals 1a though 1b is $0.000025.
    "equity-residential-2023": Release(
        2023,
        ("1a", "1b", "2a", "2b", "2e", "2f", "3", "5"),
        (
            *rows(
                EQR,
                "0.625000",
                "0.444201 0.000015 0.180799 0.042384 0.000000 0.180799 0.000000 0.444186",
                "2023-01-03 2023-01-13",
            ),
            *rows(
                EQR,
                "0.662500",
                "0.470853 0.000016 0.191647 0.044927 0.000000 0.191647 0.000000 0.470837",
                "2023-03-27 2023-04-14",
                "2023-06-26 2023-07-14",
                "2023-09-26 2023-10-13",
            ),
            *annual(
                EQR,
                "2.612500",
                "1.856760 0.000063 0.755740 0.177165 0.000000 0.755740 0.000000 1.856697",
            ),
            *rows(
                EQR_K,
                "1.036250",
                "0.736485 0.000025 0.299765 0.070272 0.000000 0.299765 0.000000 0.736485",
                "2023-03-20 2023-03-31",
                "2023-06-16 2023-06-30",
                "2023-09-19 2023-10-02",
                "2023-12-22 2024-01-02",
            ),
            *annual(
                EQR_K,
                "4.145000",
                "2.945940 0.000100 1.199060 0.281088 0.000000 1.199060 0.000000 2.945940",
            ),
        ),
        ("--cusip", f"Common={EQR}", "--cusip", f"Series K={EQR_K}"),
        notes={EQR_K: "0.000025"},  # an import that writes Series K must say what is off
    ),
    # Link Parks, Series Z preferred: boxes as its "Form 1099-div box Box 1A Box 1B Box 2A
    # Box 2B Box 2F Box 3 Box 5" row names them; "Totals:" line.
    "linkparks-2023": Release(
        2023,
        ("1a", "1b", "2a", "2b", "2f", "3", "5"),
        (
            *rows(
                LINK_Z,
                "0.304688",
                "0.000000 0.000000 0.304688 0.159220 0.304688 0.000000 0.000000",
                "2023-03-15 2023-03-31",
                "2023-06-15 2023-06-30",
                "2023-09-15 2023-10-02",
                "2023-12-15 2023-12-31",
            ),
            *annual(
                LINK_Z,
                "1.218752",
                "0.000000 0.000000 1.218752 0.636880 1.218752 0.000000 0.000000",
            ),
        ),
    ),
    # RPT Realty, common shares (the first of its three CUSIPs): Total Ordinary (1a),
    # Return of Capital (3), Total Capital Gain (2a), Unrecaptured 1250 (2b), Section 199A
    # (5) beside the gross distribution; "Total" line.
    "rpt-2019": Release(
        2019,
        ("1a", "3", "2a", "2b", "5"),
        (
            *rows(
                RPT,
                "0.220000",
                "0.062499 0.063553 0.093948 0.036901 0.062499",
                "2018-12-20 2019-01-02",
                "2019-03-20 2019-04-01",
                "2019-06-20 2019-07-01",
                "2019-09-20 2019-10-01",
            ),
            *annual(RPT, "0.880000", "0.249996 0.254212 0.375792 0.147604 0.249996"),
        ),
    ),
    # UMH Properties, the "Shown as Dollars ($)" tables: Non-Qualifying Ord. Income (1a),
    # Long-Term Capital Gain (2a), Unrecaptured 1250 (2b), Return of Capital (3); payment
    # dates only; Series A's 12/15/17 row is all "-" (redeemed); "TOTAL" lines.
    "umh-2017": Release(
        2017,
        ("1a", "2a", "2b", "3"),
        (
            *rows(
                UMH,
                "0.180000",
                "0.000000 0.000000 0.000000 0.180000",
                "2017-03-15",
                "2017-06-15",
                "2017-09-15",
                "2017-12-15",
            ),
            *annual(UMH, "0.720000", "0.000000 0.000000 0.000000 0.720000"),
            *rows(
                UMH_A,
                "0.515625",
                "0.164716 0.046068 0.000000 0.304841",
                "2017-03-15",
                "2017-06-15",
                "2017-09-15",
            ),
            *annual(UMH_A, "1.546875", ".494148 0.138204 0.000000 0.914523"),
        ),
    ),
    # W. P. Carey, 2024: boxes as its "FORM 1099-DIV Box 1a Box 2a Box 3 Box 1b Box 2b Box
    # 2f Box 5" row names them, then the two Section 1061 disclosures (no box).
    "wp-carey-2024": Release(
        2024,
        (
            "1a",
            "2a",
            "3",
            "1b",
            "2b",
            "2f",
            "5",
            *("section_1061_one_year", "section_1061_three_year"),
        ),
        (
            *rows(
                WPC,
                "0.8600000",
                "0.7610916 0.0585543 0.0403541 0.0010442 0.0383228 0.0535645 0.7600474 "
                "0.0029650 0.0029650",
                "2023-12-29 2024-01-16",
            ),
            *rows(
                WPC,
                "0.8650000",
                "0.7655165 0.0588947 0.0405888 0.0010503 0.0385456 0.0538759 0.7644663 "
                "0.0029823 0.0029823",
                "2024-03-28 2024-04-15",
            ),
            *rows(
                WPC,
                "0.8700000",
                "0.7699415 0.0592351 0.0408234 0.0010563 0.0387684 0.0541873 0.7688851 "
                "0.0029995 0.0029995",
                "2024-06-28 2024-07-15",
            ),
            *rows(
                WPC,
                "0.8750000",
                "0.7743664 0.0595756 0.0410580 0.0010624 0.0389912 0.0544987 0.7733040 "
                "0.0030167 0.0030167",
                "2024-09-30 2024-10-15",
            ),
        ),
        ("--tax-year", "2024"),  # its caption says "2021 Tax Results table"
    ),
    # HASI (Hannon Armstrong), common stock: Total Distribution, Ordinary Income (1a),
    # Return of Capital (3), Long-Term Capital Gain (2a), Section 199A (5). Its 12/28/2022
    # row's parts add up to $0.3753 against its $0.3750 dividend: the issuer's own figures,
    # kept as printed only when asked (--as-printed); the 2023 Total line agrees.
    "hasi-2023": Release(
        2023,
        ("1a", "2a", "3", "5"),
        (
            Row(
                HASI,
                _iso("2022-12-28"),
                _iso("2023-01-06"),
                "0.3750",
                ("0.1965", "0.1566", "0.0222", "0.1965"),
                excess="0.0003",
            ),
            *rows(
                HASI,
                "0.3950",
                "0.2069 0.1649 0.0231 0.2069",
                "2023-04-03 2023-04-10",
                "2023-07-05 2023-07-12",
                "2023-10-04 2023-10-11",
            ),
            *annual(HASI, "1.5600", "0.8172 0.6513 0.0915 0.8172"),
        ),
        ("--as-printed",),
    ),
}


class Refusal(NamedTuple):
    """What a refused release is given, and what its report must say (any case)."""

    options: tuple[str, ...]
    says: tuple[str, ...]


REFUSALS: dict[str, Refusal] = {
    # Percentages by quarter and a special, no payment dates, no amounts.
    "public-storage-2022": Refusal((), ("percent", "date")),
    # Percentages by year, no payment dates, no amounts; the text names no issuer.
    "cf-income-trust": Refusal(("--issuer", "Cantor Fitzgerald Income Trust"), ("percent", "date")),
    # The 12/28/2022 row's parts add up to $0.3753 against its $0.3750 dividend.
}


# --- importing ----------------------------------------------------------------------------


class Imported(NamedTuple):
    code: int
    report: str
    table: Path


def run_import(release: Path, table: Path, options: Sequence[str]) -> Imported:
    """``xl-reit import RELEASE -o TABLE OPTIONS``: its exit code and everything it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main(["import", str(release), "-o", str(table), *options])
    return Imported(code, out.getvalue(), table)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Imported]]:
    """Each release of :data:`READ` imported once, on first use."""
    folder = tmp_path_factory.mktemp("corpus")

    class Imports(dict[str, Imported]):
        def __missing__(self, name: str) -> Imported:
            done = run_import(
                CORPUS / f"{name}.txt", folder / f"{name}.csv", RELEASES[name].options
            )
            assert done.code == 0, done.report
            self[name] = done
            return done

    yield Imports()


def only(path: Path) -> AllocationTable:
    """The table of this file alone, without the bundled ones."""
    return AllocationTable.from_texts(read_paths([path]))


def lines_of(table: AllocationTable) -> dict[tuple[str, int, dt.date | None], Payment]:
    """Every line of every class, by CUSIP, tax year and payable date (None: annual)."""
    return {
        (security.cusip, security.tax_year, line.payable_date): line
        for security in table.classes.values()
        for line in security.lines
    }


def component(box: str, tax_year: int) -> str:
    """The figure a box holds in the tax year's edition of the form (a disclosure: itself)."""
    return boxes_for_year(tax_year).get(box, box)


def percent(figure: str) -> Decimal | None:
    return Decimal(figure[:-1]) / 100 if figure.endswith("%") else None


# --- the corpus is accounted for ----------------------------------------------------------


def test_every_fixture_is_read_refused_or_said_not_yet() -> None:
    fixtures = sorted(path.stem for path in CORPUS.glob("*.txt"))
    listed = [*READ, *REFUSED_READY, *NOT_YET]
    assert sorted(listed) == fixtures  # each once, none missing, none unknown
    assert all(reason.strip() for reason in NOT_YET.values())
    assert set(READ) <= set(RELEASES)
    assert REFUSED_READY <= set(REFUSALS)
    assert set(RELEASES) | set(REFUSALS) == set(fixtures)


@pytest.mark.parametrize("name", sorted(RELEASES))
def test_typed_figures_add_up_as_the_form_says(name: str) -> None:
    """A check of the typing, not of the importer: the printed 1a + 2a + 3 is each row's
    dividend (or 100%) within the printed rounding, each part is within its box, and a
    whole payment is more than its part that is this year's."""
    release = RELEASES[name]
    for row in release.rows:
        figures = release.figures(row)
        pct = any(value.endswith("%") for value in figures.values())
        value = {box: Decimal(text.rstrip("%")) for box, text in figures.items()}
        whole = Decimal(100) if pct else Decimal(row.dividend)
        total = sum((value.get(box, Decimal(0)) for box in ("1a", "2a", "3")), Decimal(0))
        total -= Decimal(row.excess or 0)
        # each printed figure rounds by half its last digit: four decimals may miss by $0.0001
        halves = [
            Decimal(5).scaleb(Decimal(t.rstrip("%")).as_tuple().exponent - 1)
            for t in (row.dividend, *(figures[box] for box in ("1a", "2a", "3") if box in figures))
        ]
        assert abs(total - whole) <= max(Decimal("0.0000021"), sum(halves)), (name, row)
        for part, box in (("1b", "1a"), ("5", "1a"), ("2e", "1a"), ("2b", "2a"), ("2f", "2a")):
            if part in value:
                assert value[part] <= value[box] + Decimal("0.0000001"), (name, row, part)
        if row.whole is not None:
            assert Decimal(row.whole) > Decimal(row.dividend), (name, row)


# --- every printed figure, from the table and from Excel ----------------------------------


@pytest.mark.parametrize("name", READ)
def test_release_imports_every_printed_payment_and_figure(
    name: str, imported: dict[str, Imported]
) -> None:
    release = RELEASES[name]
    lines = lines_of(only(imported[name].table))
    assert {year for (_, year, _) in lines} == {release.tax_year}
    got = {(cusip, payable): line for (cusip, _, payable), line in lines.items()}
    expected = release.expected()
    assert expected.keys() <= got.keys(), sorted(expected.keys() - got.keys(), key=str)
    for key in got.keys() - expected.keys():
        # A payment printed that is wholly another year's: in the table as nothing of this year.
        assert got[key].dividend_per_share == 0 and key[1] is not None, key
    for key, row in expected.items():
        line = got[key]
        assert line.record_date == row.record, key
        assert line.dividend_per_share == Decimal(row.dividend), key
        if row.whole is not None:
            assert line.distribution == Decimal(row.whole), key
        assert line.parts_excess == (None if row.excess is None else Decimal(row.excess)), key
        for box, figure in release.figures(row).items():
            name_of = component(box, release.tax_year)
            share = percent(figure)
            if share is None:
                assert line.dollars(name_of) == Decimal(figure), (key, box)
            else:
                assert line.fraction(name_of) == share, (key, box)
        if row.cusip in release.notes and row.payable is not None:
            assert release.notes[row.cusip] in line.notes, (key, line.notes)


@pytest.fixture
def excel() -> Iterator[None]:
    yield
    set_default_table(None)


@pytest.mark.parametrize("name", READ)
def test_release_answers_every_printed_figure_in_excel(
    name: str, imported: dict[str, Imported], excel: None
) -> None:
    release = RELEASES[name]
    set_default_table(only(imported[name].table))
    year = float(release.tax_year)
    for row in release.rows:
        when: object = "annual"
        if row.payable is not None:
            when = dt.datetime(row.payable.year, row.payable.month, row.payable.day)
        assert REIT_DIVIDEND(row.cusip, when, year) == float(row.dividend), (row.cusip, when)
        for box, figure in release.figures(row).items():
            share = percent(figure)
            if share is None:
                assert REIT_AMOUNT(row.cusip, when, box, 1.0, year) == float(figure), (when, box)
            else:
                assert REIT_ALLOC(row.cusip, when, box, year) == pytest.approx(float(share))
                assert REIT_AMOUNT(row.cusip, when, box, 1.0, year) == pytest.approx(
                    float(share * Decimal(row.dividend))
                ), (when, box)


def _options(options: Sequence[str]) -> list[list[str]]:
    """Each option with its value, if it takes one: ``--cusip X --as-printed``."""
    grouped: list[list[str]] = []
    for part in options:
        if part.startswith("--"):
            grouped.append([part])
        else:
            grouped[-1].append(part)
    return grouped


def _needed() -> list[tuple[str, str]]:
    return [
        (name, flag)
        for name in READ
        for flag in dict.fromkeys(o[0] for o in _options(RELEASES[name].options))  # once each
    ]


@pytest.mark.parametrize(("name", "flag"), _needed())
def test_each_option_given_is_one_the_text_makes_necessary(
    name: str, flag: str, tmp_path: Path
) -> None:
    options = _options(RELEASES[name].options)
    without = [part for option in options if option[0] != flag for part in option]
    done = run_import(CORPUS / f"{name}.txt", tmp_path / "t.csv", without)
    assert done.code == 1, done.report
    assert flag in done.report
    assert not done.table.exists()


def test_each_release_refused_is_refused_saying_why(tmp_path: Path) -> None:
    for name in sorted(REFUSED_READY):  # one loop, so that no test is generated and skipped
        refusal = REFUSALS[name]
        done = run_import(CORPUS / f"{name}.txt", tmp_path / "t.csv", refusal.options)
        assert done.code == 1, (name, done.report)
        assert not done.table.exists(), name
        for words in refusal.says:
            assert words.lower() in done.report.lower(), (name, words, done.report)
        assert ": OK" not in done.report, name


def test_a_release_whose_own_figures_disagree_is_refused_unless_kept_as_printed(
    tmp_path: Path,
) -> None:
    # HASI's 12/28/2022 row: $0.1965 + $0.1566 + $0.0222 = $0.3753 against its $0.3750
    done = run_import(CORPUS / "hasi-2023.txt", tmp_path / "t.csv", ())
    assert done.code == 1 and not done.table.exists()
    assert "own figures disagree" in done.report
    assert "$0.3753" in done.report and "$0.3750" in done.report
    assert "--as-printed" in done.report  # and what keeps them
    kept = run_import(CORPUS / "hasi-2023.txt", tmp_path / "t.csv", ("--as-printed",))
    assert kept.code == 0, kept.report
    assert "kept as printed (--as-printed), its parts $0.0003 beyond its dividend" in kept.report
    (january, *_) = only(kept.table).payments()
    assert any("$0.3753" in note and "as printed" in note for note in january.findings)


#: What the report of each release not read yet says of why, in its words: a release not
#: read is refused saying so, never written wrong.
NOT_YET_SAYS: dict[str, tuple[str, ...]] = {}


def test_each_release_not_read_yet_is_refused_saying_why(tmp_path: Path) -> None:
    assert sorted(NOT_YET_SAYS) == sorted(NOT_YET)
    for name, says in sorted(NOT_YET_SAYS.items()):
        done = run_import(CORPUS / f"{name}.txt", tmp_path / "t.csv", RELEASES[name].options)
        assert done.code == 1, (name, done.report)
        assert not done.table.exists(), name
        for words in says:
            assert words in done.report, (name, words, done.report)
        assert ": OK" not in done.report, name


# --- every printed digit is load-bearing --------------------------------------------------

#: How many printed figures of each release get one digit changed.
MUTATIONS = 5
#: A figure: digits with a decimal point, or a percentage ("$0.417500", "$.494148", "100%").
_FIGURE = re.compile(r"(?<![\w./-])(?:\d*\.\d+%?|\d+%)(?![\w./])")
#: A table's line has at most a few words ("Totals:", "Dec 30, 2022"); a sentence has more,
#: and the figures it quotes are not the table's.
_WORD = re.compile(r"[A-Za-z]{2,}")


class Mutation(NamedTuple):
    line: int
    old: Decimal
    new: Decimal
    text: str  # the release with that one digit changed

    def __str__(self) -> str:
        return f"line {self.line}: {self.old} -> {self.new}"


@functools.cache
def mutations(name: str) -> tuple[Mutation, ...]:
    """A seeded sample of the release's printed figures, each with one digit changed."""
    text = (CORPUS / f"{name}.txt").read_text("utf-8")
    lines = text.splitlines(keepends=True)
    spots = [
        (number, offset + match.start(), match.group())
        for number, (offset, line) in enumerate(_offsets(lines), 1)
        if len(_WORD.findall(line)) <= 3
        for match in _FIGURE.finditer(line)
    ]
    rng = random.Random(f"corpus {name}")
    made = []
    for number, start, figure in rng.sample(spots, min(MUTATIONS, len(spots))):
        digits = [i for i, char in enumerate(figure) if char.isdigit()]
        at = rng.choice(digits)
        digit = rng.choice([d for d in "0123456789" if d != figure[at]])
        changed = figure[:at] + digit + figure[at + 1 :]
        made.append(
            Mutation(
                number,
                Decimal(figure.rstrip("%")),
                Decimal(changed.rstrip("%")),
                text[:start] + changed + text[start + len(figure) :],
            )
        )
    return tuple(made)


def _offsets(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    offset = 0
    for line in lines:
        yield offset, line
        offset += len(line)


#: A cell of a table: a line (CUSIP, tax year, payable date) and what of it ("other_year",
#: or a printed figure's name and "$" or "%").
Cell = tuple[tuple[str, int, "dt.date | None"], tuple[str, ...]]


def cells(table: AllocationTable) -> dict[Cell, object]:
    """Everything the table holds of each line: dates, amounts and every printed figure."""
    held: dict[Cell, object] = {}
    for key, line in lines_of(table).items():
        held[key, ("record_date",)] = line.record_date
        held[key, ("dividend_per_share",)] = line.dividend_per_share
        held[key, ("distribution",)] = line.distribution
        held[key, ("other_year",)] = line.other_year
        held[key, ("other_tax_year",)] = line.other_tax_year
        for figure, printed in line.printed.items():
            held[key, (figure, "$")] = printed.dollars
            held[key, (figure, "%")] = printed.percent
    return {key: value for key, value in held.items() if value is not None}


def _magnitude(value: object) -> object:
    return abs(value) if isinstance(value, Decimal) else value


def _amount(held: Mapping[Cell, object], key: Cell) -> Decimal:
    value = held.get(key, Decimal(0))
    assert isinstance(value, Decimal), key
    return value


def _follows(
    key: Cell, before: Mapping[Cell, object], after: Mapping[Cell, object], mutation: Mutation
) -> bool:
    """Whether a changed cell holds the changed figure where the original was, or follows
    from it by the release's own arithmetic.

    Beside the printed figure itself, two cells may follow: a whole payment printed equal to
    its dividend is not written apart from it, so a changed whole payment is a new
    ``distribution`` where the dividend held the original figure; and the part of a whole
    payment that is not the dividend is another year's (``other_year``, ``other_tax_year``).
    """
    line, (cell, *_) = key
    if (_magnitude(before.get(key)), _magnitude(after.get(key))) == (mutation.old, mutation.new):
        return True
    dividend = before.get((line, ("dividend_per_share",)))
    if cell == "distribution" and before.get(key) is None and dividend == mutation.old:
        return after.get(key) == mutation.new
    if cell in ("other_year", "other_tax_year"):
        whole: Cell = (line, ("distribution",))
        moved = before.get(whole) != after.get(whole) and _follows(whole, before, after, mutation)
        rest = _amount(after, whole) - _amount(after, (line, ("dividend_per_share",)))
        return moved and after.get((line, ("other_year",))) == rest
    return False


@pytest.mark.parametrize(
    ("name", "index"), [(name, index) for name in READ for index in range(MUTATIONS)]
)
def test_every_printed_digit_is_load_bearing(
    name: str, index: int, imported: dict[str, Imported], tmp_path: Path
) -> None:
    baseline = imported[name]  # the release as printed imports: a refusal below says something
    sample = mutations(name)
    if index >= len(sample):
        return  # the release prints fewer figures than MUTATIONS
    mutation = sample[index]
    release = tmp_path / f"{name}.txt"
    release.write_text(mutation.text, "utf-8")
    done = run_import(release, tmp_path / "t.csv", RELEASES[name].options)
    if done.code != 0:
        assert done.code == 1, done.report
        assert not done.table.exists(), "refused, yet a table was written"
        return
    before, after = cells(only(baseline.table)), cells(only(done.table))
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    assert changed, f"{mutation}: imported as before, the changed digit ignored"
    for key in changed:
        assert _follows(key, before, after, mutation), (
            f"{mutation}: {key} went from {before.get(key)} to {after.get(key)}"
        )


def test_qualified_and_199a_beyond_box_1a_are_said_in_plain_dollars(
    imported: dict[str, Imported],
) -> None:
    # W. P. Carey's 2024-04-15 payment: 1b $0.0010503 + 5 $0.7644663 = $0.7655166, a
    # ten-millionth more than its 1a $0.7655165 (the other payments' add up to 1a).
    with imported["wp-carey-2024"].table.open(newline="", encoding="utf-8") as f:
        notes = {row["payable_date"]: row["notes"] for row in csv.DictReader(f)}
    assert "add up to $0.0000001 more than box 1a $0.7655165" in notes["2024-04-15"]
    assert "1E-7" not in "".join(notes.values())
