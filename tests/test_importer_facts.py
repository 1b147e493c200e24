"""The release's facts as today's releases print them: issuer, tax year, date, symbols, CUSIPs.

Headlines, datelines, prose and captions are written here in our own words in
the forms real releases use (a news-wire reprint, an issuer's page): the forms
are what is tested, not any release's sentences.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from xl_reit import cli, lookup
from xl_reit.importer import GivenCusip, ImportResult, parse_release

TABLE = """
Record Date | Payable Date | Distribution per Share | Ordinary Dividends | Return of Capital
03/31/2023 | 04/14/2023 | $0.50 | $0.40 | $0.10
"""
HEADING = "Common Stock (CUSIP 41196Q100)"


def release(*lines: str, cusips: tuple[GivenCusip, ...] = ()) -> ImportResult:
    """A release of ``lines``, then TABLE; "|" stands for a tab."""
    text = "\n".join((*lines, *TABLE.strip().splitlines()))
    text = "\n".join(re.sub(r"\s*\|\s*", "\t", line) for line in text.splitlines())
    return parse_release(text, source_name="facts.txt", cusips=cusips)


def messages(result: ImportResult, kind: str) -> list[str]:
    return [finding.message for finding in result.report.of_kind(kind)]  # type: ignore[arg-type]


# --- headlines, datelines, prose, captions --------------------------------------------


@pytest.mark.parametrize(
    ("headline", "issuer", "year"),
    [
        ("Example Net Lease Announces Tax Treatment of 2020 Dividends", "Example Net Lease", 2020),
        ("Example Towers Reports 2023 Dividend Income Tax Treatment", "Example Towers", 2023),
        (
            "Example Malls Announces Reporting Information For 2023 Distributions",
            "Example Malls",
            2023,
        ),
        ("Example Trust Announces 2004 Dividend Income Tax Allocation", "Example Trust", 2004),
        ("Example Trust Releases Its 2019 Year-End Tax Information", "Example Trust", 2019),
    ],
)
def test_the_headline_gives_the_issuer_and_the_year(headline: str, issuer: str, year: int) -> None:
    result = release(headline, "(NYSE: EXT)", HEADING)
    assert (result.report.issuer, result.report.tax_year) == (issuer, year)
    assert result.ok, result.report_text()


def test_a_headline_wrapped_after_a_menu_line_gives_the_issuer_without_the_menu() -> None:
    # A PDF printed from a news wire's page: the menu's line, the headline over two lines
    # (its year on the second) and the dateline's, with no break between them.
    result = release(
        "Home News",
        "Example Retail Trust Reports the Tax Character of Its",
        "2021 Distributions",
        "Houston, January 28, 2022. Example Retail Trust (NYSE: ERT) gives the tax treatment",
        "of its cash distributions on its common shares:",
        HEADING,
    )
    assert result.ok, result.report_text()
    assert (result.report.issuer, result.report.tax_year) == ("Example Retail Trust", 2021)


@pytest.mark.parametrize(
    "lines",
    [
        # the sentence on one line, as a web page gives it
        [
            "Example Retail Trust (NYSE: ERT) gives the tax treatment of its 2021 cash "
            "distributions on its common shares (CUSIP 41196Q100), as Form 1099-DIV reports them:"
        ],
        # wrapped, as a PDF gives it: the CUSIP's line starts in the middle of the sentence
        [
            "Example Retail Trust (NYSE: ERT) gives the tax treatment of its 2021",
            "cash distributions on its common shares (CUSIP 41196Q100), as Form 1099-DIV",
            "reports them:",
        ],
    ],
)
def test_a_cusip_in_a_sentence_names_the_class_the_sentence_does(lines: list[str]) -> None:
    result = release("Example Retail Trust Reports 2021 Dividend Tax Treatment", *lines)
    assert result.ok, result.report_text()
    assert {row["class_name"] for row in result.rows} == {"Common Shares"}


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        # short, but an amount per share of the class: a sentence, not a heading
        ("Paid in 2021: $0.50 per Common Share (CUSIP 41196Q100)", "Common Shares"),
        ("In all, $0.50 per common share (CUSIP 41196Q100):", "Common Shares"),
        (
            "Paid in 2021: $0.50 per Series A Preferred Unit (CUSIP 41196Q100)",
            "Series A Preferred Units",
        ),
        # prose that names a class whose noun has no plural: kept as it is
        (
            "Our 2021 dividends paid on each holder's Common Stock (CUSIP 41196Q100) were these",
            "Common Stock",
        ),
    ],
)
def test_a_class_named_in_a_sentence_is_its_noun_phrase_in_the_plural(
    sentence: str, name: str
) -> None:
    result = release("Example Retail Trust Reports 2021 Dividend Tax Treatment", sentence)
    assert result.ok, result.report_text()
    assert {row["class_name"] for row in result.rows} == {name}


def test_a_dateline_broken_over_lines_gives_the_issuer_the_date_and_the_prose_the_year() -> None:
    result = release(
        "CHICAGO, Jan. 16,",
        "2024 /PRNewswire/ -- Example Industrial, Inc. (the",
        '"Company") (NYSE:NYSE:EXI) today said how its',
        "2023 dividends to holders of its common stock are taxed: the tax treatment of its",
        "2023 dividends is below.",
        HEADING,
    )
    assert result.ok, result.report_text()
    assert (result.report.issuer, result.report.tax_year) == ("Example Industrial, Inc.", 2023)
    assert {row["release_date"] for row in result.rows} == {"2024-01-16"}
    assert {row["symbol"] for row in result.rows} == {"EXI"}


def test_the_issuer_is_written_in_the_legal_name_the_dateline_gives_the_headlines_one() -> None:
    result = release(
        "Example Net Lease Announces Tax Treatment of 2023 Dividends",
        "NEW YORK, Jan. 29, 2024 /PRNewswire/ -- Example Net Lease Inc. ((Example Net Lease, "
        "NYSE:ENL) said how its dividends are reported.",
        HEADING,
    )
    assert result.ok, result.report_text()
    assert result.report.issuer == "Example Net Lease Inc."
    assert {row["symbol"] for row in result.rows} == {"ENL"}


@pytest.mark.parametrize("wire", ["BUSINESS WIRE", "GLOBE NEWSWIRE", "PRNewswire"])
def test_a_short_name_the_first_sentence_defines_is_the_issuer_its_legal_name_gives(
    wire: str,
) -> None:
    # a wire's dateline without a date, then the legal name and the short one it defines
    result = release(
        "EXGF Announces 2023 Dividend Income Tax Treatment",
        f'BALTIMORE, Md.--({wire})-- Example Green Finance Capital, Inc. ("EXGF" or the '
        '"Company") (NYSE: EXGF), a lender to solar farms, today gave its 2023 figures.',
        HEADING,
    )
    assert result.ok, result.report_text()
    assert result.report.issuer == "Example Green Finance Capital, Inc."
    assert {row["symbol"] for row in result.rows} == {"EXGF"}


def test_a_short_name_the_sentence_does_not_define_keeps_the_headlines_issuer() -> None:
    result = release(
        "EXGF Announces 2023 Dividend Income Tax Treatment",
        "BALTIMORE, Md.--(BUSINESS WIRE)-- Example Green Finance Capital, Inc. (the "
        '"Company") (NYSE: EXGF), a lender to solar farms, today gave its 2023 figures.',
        HEADING,
    )
    assert result.report.issuer == "EXGF"


@pytest.mark.parametrize(
    "sentence",
    [
        "Example Green Finance Capital, Inc. (NYSE: EXGF) today gave the Federal income tax "
        "treatment of the Company's 2023 distributions on its common stock.",
        "Example Green Finance Capital, Inc. (NYSE: EXGF) today classified its distributions "
        "for the calendar year ended December 31, 2023, as below.",
        # the issuer speaking for itself
        "Example Green Finance Capital, Inc. (NYSE: EXGF) today announced the tax treatment "
        "of our 2023 common and preferred share distributions.",
        # the allocations, without the word "tax"
        "Example Green Finance Capital, Inc. (NYSE: EXGF) announced today the allocations "
        "of the Company's 2023 dividend distributions on its common stock.",
    ],
)
def test_prose_without_a_headline_gives_the_year_in_either_way_releases_say_it(
    sentence: str,
) -> None:
    result = release(sentence, HEADING)
    assert result.report.tax_year == 2023, result.report_text()
    assert result.ok, result.report_text()


def test_prose_that_names_the_payer_gives_the_issuer_and_its_figures_drop_nothing() -> None:
    result = release(
        "TAX TREATMENT OF 2022 DIVIDENDS",
        "",
        "In 2022, Example Hospital Trust, Inc. paid dividends of $1.15 a share and declared "
        "$1.16 a share, as below:",
        HEADING,
        "Our tax adviser says $0.50 of the $1.15 is as shown below.",
    )
    assert (result.report.issuer, result.report.tax_year) == ("Example Hospital Trust, Inc.", 2022)
    assert result.rows and result.report.of_kind("problem") == ()
    assert "prose that quotes figures (a sentence, a footnote), not a table" in messages(
        result, "reading"
    )


def test_a_stale_caption_year_loses_to_the_headline_and_is_reported() -> None:
    result = release(
        "Example Trust Announces Tax Treatment of 2023 Dividends (NYSE: EXT)",
        "TAX TREATMENT OF 2022 COMMON DISTRIBUTIONS",
        HEADING,
    )
    assert result.report.tax_year == 2023
    assert (
        "the caption prints 2022: the headline's 2023 is taken (give --tax-year if the release "
        "is for another year)" in messages(result, "reading")
    )


def test_a_caption_alone_gives_the_year() -> None:
    result = release("Example Trust (NYSE: EXT)", "TAX TREATMENT OF 2022 DIVIDENDS", HEADING)
    assert result.report.tax_year == 2022
    assert "tax year 2022 read from the caption" in messages(result, "reading")


# --- symbols ------------------------------------------------------------------------


def test_a_ticker_line_in_the_classs_section_gives_its_symbol() -> None:
    result = release(
        "Example Trust Announces Tax Treatment of 2023 Dividends",
        HEADING,
        "Ticker Symbol: EXT",
    )
    assert result.ok, result.report_text()
    assert {row["symbol"] for row in result.rows} == {"EXT"}


def test_listings_that_name_their_class_give_each_class_its_symbol() -> None:
    text = (
        "Example Realty Announces 2023 Dividend Tax Allocation\n"
        "Example Realty Corporation (Example Realty, NYSE: EXR) and Brook Capital, Inc. "
        "(Brook, formerly NYSE: BRK) and its Series A Preferred Stock (Series A Preferred "
        "Stock, formerly NYSE: BRK.PRA) said how their dividends are taxed.\n"
        "Example Realty Corporation Common Stock (CUSIP: 41196Q100)\n"
        "Total Dividends Paid in 2023\n$ 0.50\nReturn of capital\n$ 0.50 (100.000%)\n"
        "Brook Capital, Inc. Common Stock (CUSIP 41196Q209)\n"
        "Brook Capital, Inc. Series A Preferred Stock (CUSIP 037833100)\n"
    )
    result = parse_release(text, source_name="listings.txt")
    assert [c.symbol for c in result.report.classes] == ["EXR", "BRK", "BRK.PRA"]


@pytest.mark.parametrize("joined", ["EXQ and EXQPrZ", "EXQ, EXQPrZ", "EXQPrZ & EXQ"])
def test_a_listing_of_several_symbols_gives_the_common_stock_the_plain_one(joined: str) -> None:
    # A listing of the common's symbol and a preferred's, joined as releases join them
    # ("(NYSE: AIV and AIVPrZ)"): each is a symbol, and the common class takes the root.
    result = release(
        "Example Trust Announces Tax Treatment of 2023 Dividends",
        f"Example Trust (NYSE: {joined}) told its holders how its dividends are taxed.",
        "Class A Common Stock (CUSIP 41196Q100)",
    )
    assert result.ok, result.report_text()
    assert {row["symbol"] for row in result.rows} == {"EXQ"}


def test_a_class_with_no_symbol_printed_is_no_gap() -> None:
    result = release("Example Trust Announces Tax Treatment of 2023 Dividends", HEADING)
    assert result.ok, result.report_text()
    assert {row["symbol"] for row in result.rows} == {"41196Q100"}


@pytest.mark.parametrize(
    ("heading", "symbol"),
    [
        (["Series B Preferred Shares (NYSE: EXB); CUSIP 41196Q100"], "EXB"),
        (["Series B Preferred Shares (NYSE:EXB)", "CUSIP: 41196Q100"], "EXB"),  # line above
        (["Series B Preferred Shares (CUSIP 41196Q100) (NASDAQ: EXB)"], "EXB"),  # after it
        # which of two symbols is the class's, the heading does not say: the CUSIP stands in
        (["Series B Preferred Shares (NYSE: EXB, EXC) (CUSIP 41196Q100)"], "41196Q100"),
    ],
)
def test_an_exchange_listing_in_a_class_heading_is_its_symbol_and_no_part_of_its_name(
    heading: list[str], symbol: str
) -> None:
    # The prose lists the common's symbol only: EXB is printed in the preferred's heading
    # alone, and no convention makes it from EXT.
    result = release(
        "Example Trust Announces Tax Treatment of 2023 Dividends",
        "Example Trust (NYSE: EXT) told its holders how its 2023 dividends are taxed.",
        *heading,
    )
    assert result.ok, result.report_text()
    assert {(row["class_name"], row["symbol"]) for row in result.rows} == {
        ("Series B Preferred Shares", symbol)
    }
    said = f"symbol {symbol} read from the class's heading" in messages(result, "reading")
    assert said == (symbol == "EXB")


@pytest.mark.parametrize(
    "heading",
    [
        # one cell a line, each ending " |", with a line of separators between them
        "Common Shares |\n||||||\nCUSIP: 41196Q100 |",
        "| Common Shares | CUSIP 41196Q100 |",
        "CUSIP 41196Q100 | Common Shares ||",
    ],
)
def test_cell_separators_are_no_part_of_a_class_name(heading: str) -> None:
    text = f"Example Trust Announces Tax Treatment of 2023 Dividends\n{heading}\n{TABLE}"
    result = parse_release(text, source_name="cells.txt")
    assert result.ok, result.report_text()
    assert {row["class_name"] for row in result.rows} == {"Common Shares"}


# --- each class's issuer: a heading that begins with a company's name ---------------

#: A year's totals under a class heading: $0.50, all of it a return of capital.
TOTALS = "Total Dividends Paid in 2023\n$ 0.50\nReturn of capital\n$ 0.50 (100.000%)\n"


def classes_of(*headings: str, front: str) -> list[tuple[str, str, str]]:
    """Each class's CUSIP, issuer and name as the rows write them, for TOTALS under each."""
    text = front + "".join(f"{heading}\n{TOTALS}" for heading in headings)
    result = parse_release(text, source_name="issuers.txt")
    assert result.ok, result.report_text()
    return [(row["cusip"], row["issuer"], row["class_name"]) for row in result.rows]


FRONT = (
    "Example Realty Announces 2023 Dividend Tax Allocation, Also for Brook Capital, Inc.\n"
    "SAN DIEGO, Jan. 26, 2024 /PRNewswire/ -- Example Realty Corporation (Example Realty, "
    "NYSE: EXR) gave the tax status of its 2023 dividends, and of those of Brook Capital, Inc. "
    "(Brook, formerly NYSE: BRK) on its common and its Series A Preferred Stock.\n"
)


def test_a_heading_that_begins_with_a_company_name_gives_its_class_that_issuer() -> None:
    assert classes_of(
        "Example Realty Corporation Common Stock (CUSIP: 41196Q100)",
        "Brook Capital, Inc. Common Stock (CUSIP: 41196Q209)",
        "Brook Capital, Inc. Preferred Series A Preferred Stock (CUSIP: 037833100)",
        front=FRONT,
    ) == [
        ("41196Q100", "Example Realty Corporation", "Common Stock"),
        ("41196Q209", "Brook Capital, Inc.", "Common Stock"),
        ("037833100", "Brook Capital, Inc.", "Preferred Series A Preferred Stock"),
    ]


def test_a_heading_may_name_its_company_as_the_text_before_it_does() -> None:
    # "Brook" is the short name the dateline gives Brook Capital, Inc.; "Example Realty"
    # the headline's and the dateline's for Example Realty Corporation.
    assert classes_of(
        "Example Realty Common Stock (CUSIP: 41196Q100)",
        "Brook Common Stock (CUSIP: 41196Q209)",
        front=FRONT,
    ) == [
        ("41196Q100", "Example Realty Corporation", "Common Stock"),
        ("41196Q209", "Brook Capital, Inc.", "Common Stock"),
    ]


def test_a_heading_without_a_company_name_keeps_the_releases_issuer() -> None:
    assert classes_of(
        "Common Stock (CUSIP: 41196Q100)",
        "Series A Preferred Stock (CUSIP: 037833100)",
        "Brook Capital, Inc. Common Stock (CUSIP: 41196Q209)",
        front=FRONT,
    ) == [
        ("41196Q100", "Example Realty Corporation", "Common Stock"),
        ("037833100", "Example Realty Corporation", "Series A Preferred Stock"),
        ("41196Q209", "Brook Capital, Inc.", "Common Stock"),
    ]


def test_a_heading_that_names_the_releases_issuer_gives_its_legal_name() -> None:
    # The headline names "Example Malls"; the heading, the company's full name.
    front = "Example Malls Announces Reporting Information For 2023 Distributions\n"
    assert classes_of("Example Malls, Inc. Common Stock (CUSIP 41196Q100)", front=front) == [
        ("41196Q100", "Example Malls, Inc.", "Common Stock")
    ]


def test_the_report_names_a_classs_issuer_where_it_is_not_the_releases() -> None:
    text = FRONT + "".join(
        f"{heading}\n{TOTALS}"
        for heading in (
            "Example Realty Corporation Common Stock (CUSIP: 41196Q100)",
            "Brook Capital, Inc. Common Stock (CUSIP: 41196Q209)",
        )
    )
    result = parse_release(text, source_name="issuers.txt")
    assert [(c.class_name, c.issuer) for c in result.report.classes] == [
        ("Common Stock", ""),
        ("Common Stock", "Brook Capital, Inc."),
    ]
    lines = result.report_text().splitlines()
    assert "Common Stock  CUSIP 41196Q-10-0  symbol EXR  (heading line 3)" in lines
    assert (
        "Common Stock  issuer Brook Capital, Inc.  CUSIP 41196Q-20-9  symbol BRK  "
        "(heading line 8)" in lines
    )


# --- CUSIPs -------------------------------------------------------------------------

TITLE = "Example Trust Announces Tax Treatment of 2023 Dividends (NYSE: EXT)"


def test_a_cusip_printed_with_spaces_is_read_when_its_check_digit_proves_it() -> None:
    result = release(TITLE, "CUSIP # 41196Q 10 0")
    assert result.ok, result.report_text()
    assert {row["cusip"] for row in result.rows} == {"41196Q100"}


def test_a_misprinted_cusip_says_to_give_it_with_the_cusip_option() -> None:
    result = release(TITLE, "CUSIP # 1196Q 100")
    (problem,) = result.report.of_kind("problem")
    assert problem.message == (
        "the CUSIP '1196Q 100' is misprinted (a CUSIP has 9 characters, this has 8): give the "
        "class's CUSIP with --cusip CUSIP (or --cusip 'CLASS=CUSIP', CLASS being part of its "
        "heading); its tables are not read"
    )
    assert result.rows == ()


def test_a_given_cusip_replaces_the_misprint() -> None:
    result = release(TITLE, "CUSIP # 1196Q 100", cusips=(GivenCusip(None, "41196Q100"),))
    assert result.ok, result.report_text()
    assert {row["cusip"] for row in result.rows} == {"41196Q100"}
    assert (
        "the heading's CUSIP '1196Q 100' is misprinted; CUSIP 41196Q-10-0 as given "
        "(--cusip 41196Q100)" in messages(result, "reading")
    )


def test_a_release_that_prints_no_cusip_says_so_first_and_once() -> None:
    result = release(TITLE, "Common Stock")
    problems = messages(result, "problem")
    assert problems == [
        "the release prints no CUSIP (its figures on line 4 are not read): give its class's "
        "CUSIP with --cusip CUSIP, or --cusip 'CLASS=CUSIP' for each class (CLASS being part of "
        "the class's heading)"
    ]


def test_a_release_that_prints_no_cusip_is_its_only_class_with_the_cusip_given() -> None:
    result = release(TITLE, "Common Stock", cusips=(GivenCusip(None, "41196Q100"),))
    assert result.ok, result.report_text()
    assert {(row["class_name"], row["cusip"]) for row in result.rows} == {
        ("Common Stock", "41196Q100")
    }


def test_a_given_class_matches_part_of_its_heading_in_any_case() -> None:
    text = [TITLE, "Series A Preferred Stock", *TABLE.strip().splitlines()[:1], "03/31/2023 | "
            "04/14/2023 | $0.40 | $0.40 | $0"]  # fmt: skip
    result = release(
        *text,
        "Common Shares",
        cusips=(GivenCusip("series a", "41196Q209"), GivenCusip("COMMON", "41196Q100")),
    )
    assert result.ok, result.report_text()
    assert [(c.class_name, c.cusip) for c in result.report.classes] == [
        ("Series A Preferred Stock", "41196Q209"),
        ("Common Shares", "41196Q100"),
    ]


def test_a_given_class_that_no_heading_holds_is_refused_naming_the_headings() -> None:
    result = release(TITLE, "CUSIP # 1196Q 100", cusips=(GivenCusip("Class B", "41196Q100"),))
    assert (
        "--cusip Class B=41196Q100: no class heading holds 'Class B'; CLASS is part of a class "
        "heading as printed, one of: 'Common Stock'" in messages(result, "problem")
    )


def test_a_cusip_given_without_class_for_a_release_of_two_classes_is_refused() -> None:
    text = (f"{TITLE}\nCommon Stock (CUSIP 1196Q 100)\n{TABLE}\n"
            f"Series A Preferred Stock (CUSIP 1196Q 209)\n{TABLE}")  # fmt: skip
    text = "\n".join(re.sub(r"\s*\|\s*", "\t", line) for line in text.splitlines())
    result = parse_release(text, source_name="two.txt", cusips=(GivenCusip(None, "41196Q100"),))
    assert (
        "--cusip 41196Q100: without CLASS= it is the CUSIP of the release's only class, but the "
        "release has 2 ('Common Stock', 'Series A Preferred Stock'); give --cusip "
        "'CLASS=CUSIP' for each" in messages(result, "problem")
    )


# --- the command line's --cusip -----------------------------------------------------


def write_release(folder: Path, *lines: str) -> Path:
    path = folder / "release.txt"
    text = "\n".join((*lines, *TABLE.strip().splitlines()))
    path.write_text(re.sub(r" *\| *", "\t", text), encoding="utf-8")
    return path


def test_import_takes_a_cusip_option_for_a_misprinted_cusip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_release(tmp_path, TITLE, "CUSIP # 1196Q 100")
    table = tmp_path / "out.csv"
    assert cli.main(["import", str(path), "-o", str(table)]) == 1
    assert "--cusip" in capsys.readouterr().out
    assert cli.main(["import", str(path), "-o", str(table), "--cusip", "common=41196Q100"]) == 0
    loaded = lookup.dividend("EXT", "2023-04-14", table=_load(table))
    assert str(loaded) == "0.50"


def _load(path: Path) -> lookup.AllocationTable:
    from xl_reit.table import load_table

    return load_table([path])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("41196Q101", "--cusip '41196Q101': check digit is '1', expected '0' (41196Q100)"),
        ("=41196Q100", "--cusip '=41196Q100': CLASS before '=' is empty; give CLASS=CUSIP or "),
        ("Common=", "--cusip 'Common=': a CUSIP has 9 characters, this has 0"),
    ],
)
def test_import_refuses_a_bad_cusip_option_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    path = write_release(tmp_path, TITLE, "CUSIP # 1196Q 100")
    assert cli.main(["import", str(path), "--cusip", value]) == 1
    assert message in capsys.readouterr().err


def test_the_release_date_given_wins_over_the_datelines() -> None:
    result = parse_release(
        "CHICAGO, Jan. 16, 2024 /PRNewswire/ -- Example Trust, Inc. (NYSE: EXT) said so.\n"
        + HEADING
        + "\n"
        + re.sub(r"\s*\|\s*", "\t", TABLE.strip()),
        source_name="dated.txt",
        release_date=dt.date(2024, 2, 1),
        tax_year=2023,
    )
    assert {row["release_date"] for row in result.rows} == {"2024-02-01"}
