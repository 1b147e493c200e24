"""Release files that are not text: a saved web page and a PDF, read into the importer's text.

The pages are written by ``release_pages.py`` from real releases' layouts and
figures; the PDFs are those pages printed by LibreOffice. Two layouts import
end to end today, through ``xl-reit import`` and then the lookups: STAG
Industrial's 2024 table (dollars per share, its title rows and CUSIP inside the
table) and Aimco's 2004 Class A table (percentages under a two-row header with
spanning cells). W. P. Carey's 2023 table and STAG's row for a payment that
the next year reports need the importer to read more than it does today, so
they are tested here at the seam: the text the page gives, line by line.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_reit import cli, lookup
from xl_reit.errors import ReleaseFileError
from xl_reit.sources import read_release, release_text
from xl_reit.sources.html import page_text
from xl_reit.table import AllocationTable

import release_pages as pages
from pdf_files import pdf_of, text_pdf


def lines_of(html: str) -> list[str]:
    return page_text(html).splitlines()


# --- web pages: the text the page gives, line by line ---------------------------------


def test_a_page_gives_its_headline_and_paragraphs_as_lines_and_drops_what_is_not_shown() -> None:
    lines = lines_of(pages.stag_2024())
    assert lines[:2] == ["Home News", "STAG Industrial Reports 2024 Dividend Tax Treatment"]
    assert lines[2].startswith("Boston, January 21, 2025. Holders of STAG Industrial, Inc.")
    assert lines[-2:] == [
        "Each holder should ask a tax adviser how these figures apply to them.",
        "Contact: investor relations.",
    ]
    text = "\n".join(lines)
    for dropped in ("Newsroom", "analytics", "01/01/99", "Subscribe", "padding"):
        assert dropped not in text  # the head's title, a script, a hidden div, a style


def test_stag_2024_table_gives_title_rows_then_tab_separated_header_and_figures() -> None:
    lines = lines_of(pages.stag_2024())
    start = lines.index("TAX TREATMENT OF 2024 COMMON DISTRIBUTIONS")
    assert lines[start : start + 5] == [
        "TAX TREATMENT OF 2024 COMMON DISTRIBUTIONS",
        "CUSIP # 85254J102",
        "Ticker Symbol: STAG",
        "Record Date\tPayable Date\tTotal Distribution\t2024 Ordinary Dividends\t"
        "2024 Capital Gain Distributions\t2024 Unrecaptured Sec. 1250 Gain\t"
        "2024 Return of Capital\tSection 199A Dividends",
        "12/29/23\t01/16/24\t$0.106655\t$0.095919\t$0.003192\t$0.003192\t$0.007544\t$0.095919",
    ]
    assert lines[start + 16] == (
        "Total\t\t$1.463318\t$1.316017\t$0.043793\t$0.043793\t$0.103508\t$1.316017"
    )


def test_a_row_printed_without_figures_keeps_its_dates_and_nothing_after() -> None:
    """STAG's 12/31/24 payment, which 2025 reports: the importer today reads it as illegible."""
    lines = lines_of(pages.stag_2024(next_year_row=True))
    total = lines.index(next(line for line in lines if line.startswith("Total\t")))
    assert lines[total - 2 : total] == [
        "11/29/24\t12/16/24\t$0.123333\t$0.110918\t$0.003691\t$0.003691\t$0.008724\t$0.110918",
        "12/31/24\t01/15/25",
    ]


def test_wpc_2023_box_row_stands_over_the_header_and_footnote_marks_stay_glued() -> None:
    lines = lines_of(pages.wpc_2023())
    start = lines.index("CUSIP 92936U109")
    assert lines[start + 1].split("\t") == [
        "FORM 1099-DIV", "Box 1a", "Box 2a", "Box 3", "Box 1b", "Box 2b", "Box 2e", "Box 2f",
        "Box 5",
    ]  # fmt: skip
    header = lines[start + 2].split("\t")
    assert len(header) == 13
    assert header[6:8] == ["Qualified Dividends(1)", "Unrecaptured Section 1250 Gain(2)"]
    assert header[12] == "Section 1061 Three-Year Amounts Disclosure(6)"
    rows = [line.split("\t") for line in lines[start + 3 : start + 8]]
    assert [row[0] for row in rows] == ["12/30/22", "3/31/23", "6/30/23", "9/29/23", "10/19/23(7)"]
    assert rows[4][2:4] == ["$0.762667", "$0.5791675"] and len(rows[4]) == 13
    assert lines[start + 8] == "(1)\tQualified dividends are part of the ordinary dividends."


def test_aimco_2004_spanning_header_cells_keep_every_column_in_place() -> None:
    """colspan: the text, then empty cells; rowspan: an empty cell in the row below."""
    lines = lines_of(pages.aimco_2004())
    start = lines.index("Class A Common Stock (CUSIP 03748R-10-1)")
    assert lines[start + 1 : start + 4] == [
        "Date\t\tDividend per Common Share\tPercent of the dividend",
        "Record\tPayable\t\tTaxable Ordinary Dividends\tQualified Dividends (15% Rate)\t"
        "Capital Gain (15% Rate)\tUnrecaptured Sec. 1250 Gain (25% Rate)\tReturn of Capital",
        "02/20/04\t02/27/04\t$0.600\t1.6588%\t1.3268%\t73.6080%\t23.4064%\t0.0000%",
    ]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # cells and rows left open end where the next one starts, as browsers read them
        ("<table><tr><td>a<td>b<tr><td>c<td>d</table>", ["a\tb", "c\td"]),
        ("<table><td>a<td>b</table>", ["a\tb"]),
        # a rowspan leaves its column empty below; the next cells keep their columns
        (
            "<table><tr><td rowspan=2>01/15<td>1<td>2<tr><td>3<td>4</table>",
            ["01/15\t1\t2", "\t3\t4"],
        ),
        ("<table><tr><td colspan=2>a<td>b<tr><td>c<td>d<td>e</table>", ["a\t\tb", "c\td\te"]),
        ("<table><tr><td colspan=x>a<td colspan=0>b<td colspan=²>c</table>", ["a\tb\tc"]),
        ("<table><tr><td colspan=' 2px'>a<td>b</table>", ["a\t\tb"]),
        (f"<table><tr><td rowspan={'9' * 5000}>a<td colspan=99999>b</table>", ["a\tb"]),
        # a totals row in <tfoot> prints last, wherever the source puts it
        (
            "<table><tfoot><tr><td>Total<td>2</tfoot><tbody><tr><td>x<td>1</tbody></table>",
            ["x\t1", "Total\t2"],
        ),
        (
            "<table><caption>Class A (CUSIP 03748R101)</caption><tr><td>1</table>",
            ["Class A (CUSIP 03748R101)", "1"],
        ),
        # inside a cell: <br> and paragraphs are spaces, whitespace collapses, tabs too
        (
            "<table><tr><td>Sec.\t1250<br>Gain<p>(25%)</p><td>&nbsp;x&amp;y </table>",
            ["Sec. 1250 Gain (25%)\tx&y"],
        ),
        # a soft hyphen or zero-width space inside a word is not text
        ("<p>Unre\u00adcaptured Gain\u200b</p>", ["Unrecaptured Gain"]),
        ("<p>Un&shy;recaptured</p>", ["Unrecaptured"]),
        # inline elements join their text; blocks and <br> break lines; <br><br> is a blank line
        (
            "<p>CUSIP <b>03748R</b>101<sup>(1)</sup><br>Record<div>Next</div>",
            ["CUSIP 03748R101(1)", "Record", "Next"],
        ),
        ("<p>a<br><br>b</p>", ["a", "", "b"]),
        # preformatted text keeps its lines and spacing: old news-wire tables are <pre>
        (
            "<pre>\nRecord    Payable\n02/20/04  02/27/04  \n</pre>",
            ["Record    Payable", "02/20/04  02/27/04"],
        ),
        # a table that holds tables lays out the page: its cells are paragraphs
        (
            "<table><tr><td><p>Heading</p><table><tr><td>1<td>2</table></td>"
            "<td>Side</td></tr></table>",
            ["Heading", "1\t2", "Side"],
        ),
        # hidden elements, hidden rows and cells, and what is never shown are dropped
        (
            '<p hidden>x</p><p style="display:none">y</p><p style="visibility: hidden">z</p>'
            "<noscript>n</noscript><template>t</template><p>shown</p>",
            ["shown"],
        ),
        ('<table><tr><td>a<td style="display:none">b<td>c<tr hidden><td>d</table>', ["a\tc"]),
        # a stray end tag closes nothing outside its table
        ("<table><tr><td><table><tr><td>1</td></td></tr></table>2</table>", ["1", "2"]),
        ("", []),
        ("plain words, no tags", ["plain words, no tags"]),
    ],
)
def test_page_text_reads_html_as_a_browser_shows_it(html: str, expected: list[str]) -> None:
    assert lines_of(html) == expected


def test_a_page_that_never_closes_its_tags_is_read_without_running_out_of_stack(
    hang_guard: None,
) -> None:
    html = "<font>" * 20_000 + "Record Date<table><tr><td>1<td>2</table>"
    assert lines_of(html) == ["Record Date", "1\t2"]


# --- web pages: what a browser would not show never reaches the table ------------------

HIDDEN_ROW_PAGE = (
    "{style}<table id=t><tr><td>Record Date<td>Ordinary"
    "<tr><td>03/31/23<td>$0.25"
    "<tr {hidden}><td>06/30/23<td>$9.99"
    "<tr><td>09/29/23<td>$0.26</table>"
)


@pytest.mark.parametrize(
    ("style", "hidden"),
    [
        ("", 'style="visibility:collapse"'),
        ("", 'style="VISIBILITY: Collapse !important"'),
        ("", 'style="content-visibility: hidden"'),
        ("<style>.gone{display:none}</style>", 'class="gone"'),
        ("<style>\n  /* rows of last year */\n  tr.old { display : none }\n</style>", "class=old"),
        ("<style>p{color:red} .x, .gone{visibility:hidden;}</style>", 'class="row gone"'),
        ("<style>body #t .gone{display:none}</style>", "class=gone"),
        ("<style>#t>tr[data-year='2022']{display:none}</style>", "data-year=2022"),
        ("<style>@media screen{.gone{display:none}}</style>", "class=gone"),
        ("<style>#row3{display:none}</style>", "id=row3"),
    ],
)
def test_a_row_hidden_by_the_pages_styles_never_reaches_the_table(style: str, hidden: str) -> None:
    lines = lines_of(HIDDEN_ROW_PAGE.format(style=style, hidden=hidden))
    assert lines == ["Record Date\tOrdinary", "03/31/23\t$0.25", "09/29/23\t$0.26"]


@pytest.mark.parametrize(
    ("nested", "hidden"),
    [
        ("<table><tr><td>" * 200, '<tr style="visibility:collapse">'),  # 600 table tags
        ("<font>" * 500, "<div hidden>"),
        ("<font>" * 500, "<script>"),
        ("<font>" * 500, '<p class="gone">'),
    ],
)
def test_content_hidden_past_the_depth_followed_is_refused_not_read(
    nested: str, hidden: str
) -> None:
    """Found by the fuzzer: past 200 unclosed elements (400 of a table's) further tags are
    ignored, and an ignored tag that hides what it holds would have shown it."""
    page = f"<style>.gone{{display:none}}</style>{nested}{hidden}$0.987654"
    with pytest.raises(ReleaseFileError, match="hides content inside elements nested more"):
        page_text(page)
    if nested.startswith("<font>"):
        assert lines_of(nested + "<b>$0.25</b>") == ["$0.25"]  # shown, as before
    assert lines_of(f"<div hidden>{nested}{hidden}$0.98") == []  # hidden all along


def test_a_stylesheet_after_the_table_hides_its_rows_too() -> None:
    page = HIDDEN_ROW_PAGE.format(style="", hidden="class=gone") + "<style>.gone{display:none}"
    assert "$9.99" not in page_text(page)


@pytest.mark.parametrize(
    "style",
    [
        "@media print { .gone { display: none } }",  # on paper only
        ".gone:hover { display: none }",  # only under the pointer
        ".gone::before { display: none }",  # generated text only
        ".gone { display: table-row }",  # shows it
        ".other .gone { display: none }",  # no .other around it
    ],
)
def test_a_rule_that_does_not_hide_the_row_on_screen_leaves_it_in(style: str) -> None:
    page = HIDDEN_ROW_PAGE.format(style=f"<style>{style}</style>", hidden="class=gone")
    assert "06/30/23\t$9.99" in lines_of(page)


@pytest.mark.parametrize(
    "rule",
    [
        "tr:nth-child(3) { display: none }",
        "tr + tr { visibility: hidden }",
        "tr:not(.shown) { display: none }",
        ".a { .gone { display: none } }",
    ],
)
def test_a_page_hiding_content_by_rules_that_cannot_be_resolved_is_refused(rule: str) -> None:
    page = HIDDEN_ROW_PAGE.format(style=f"<style>{rule}</style>", hidden="class=gone")
    with pytest.raises(ReleaseFileError) as error:
        release_text(page.encode(), "r.html")
    message = str(error.value)
    assert message.startswith("'r.html' hides content with a style rule xl-reit cannot resolve")
    assert "cannot be told from those it shows" in message and "into a .txt file" in message


def test_a_page_whose_spans_make_millions_of_cells_is_refused_naming_the_limit(
    hang_guard: None,
) -> None:
    """One cell over 1000 columns and 65534 rows, then rows of one cell each (1.1 MB)."""
    page = "<table><tr><td colspan=1000 rowspan=65534>a" + "<tr><td>x" * 60_000 + "</table>"
    with pytest.raises(ReleaseFileError, match=r"'s\.html' is refused: its table cells span "):
        release_text(page.encode(), "s.html")
    wide = "<table>" + ("<tr>" + "<td colspan=1000>1" * 1000) * 100 + "</table>"
    with pytest.raises(ReleaseFileError, match=r"span more than 1,000,000 cells"):
        page_text(wide)


def test_a_page_of_millions_of_elements_is_refused_naming_the_limit(hang_guard: None) -> None:
    with pytest.raises(ReleaseFileError, match=r"more than 1,000,000 elements"):
        page_text("<p>" + "<b>1</b>" * 1_000_001)


def test_a_page_of_more_text_than_any_release_is_refused_naming_the_limit() -> None:
    with pytest.raises(ReleaseFileError, match=r"its text runs past 10,000,000 characters"):
        page_text("<pre>" + "0.25 " * 2_000_001)


# --- web pages: bytes and encodings ----------------------------------------------------


def test_a_page_is_decoded_with_the_charset_its_meta_declares() -> None:
    body = "<p>Société – 2023</p>"
    for meta in (
        '<meta charset="windows-1252">',
        '<meta charset="ISO-8859-1">',
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
    ):
        release = release_text((meta + body).encode("cp1252"), "r.html")
        assert release.text == "Société – 2023\n" and release.notes == ()
    shift_jis = '<meta charset="shift_jis"><p>配当 2023</p>'.encode("shift_jis")
    assert release_text(shift_jis, "r.html").text == "配当 2023\n"


def test_a_page_without_a_charset_is_decoded_as_any_text_and_says_so() -> None:
    assert release_text("<p>Société</p>".encode(), "r.htm").text == "Société\n"
    assert release_text("<p>Société</p>".encode("utf-16"), "r.htm").text == "Société\n"
    release = release_text("<p>Société</p>".encode("cp1252"), "r.htm")
    assert release.text == "Société\n"
    assert release.notes == ("r.htm is not UTF-8; read as Windows-1252",)
    wrong = release_text('<meta charset="utf-8"><p>Soci\xe9t\xe9</p>'.encode("cp1252"), "r.htm")
    assert wrong.text == "Société\n" and wrong.notes == (
        "r.htm is not UTF-8; read as Windows-1252",
    )


@pytest.mark.parametrize(
    "charset", ["rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri", "punycode", "idna"]
)
def test_a_charset_that_is_no_text_encoding_is_ignored_as_browsers_do_and_a_note_says_so(
    charset: str,
) -> None:
    release = release_text(f"<meta charset={charset}><p>Société 2023</p>".encode(), "r.html")
    assert release.text == "Société 2023\n"
    assert release.notes == (
        f"r.html declares its charset as {charset!r}, which is no text encoding of web pages "
        "(as a browser does, xl-reit ignores it)",
    )


# --- what a file is, from its bytes ----------------------------------------------------


def test_text_is_read_as_text_whatever_it_holds() -> None:
    text = "Acme Realty Reports 2019 Dividend Tax Treatment\n<b>not a tag to us</b>\n"
    assert release_text(text.encode(), "r.txt").text == text
    assert release_text(text.encode(), "release").kind == "text"


def test_a_web_page_named_txt_is_read_as_a_web_page_and_a_note_says_so() -> None:
    release = release_text(b"<!-- saved from url=(0014)about:internet -->\n<html><p>a", "r.txt")
    assert (release.kind, release.text) == ("web page", "a\n")
    assert release.notes == ("r.txt is a web page, whatever its name; read as one",)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"PK\x03\x04\x14\x00", "r.docx", "'r.docx' is a zip archive (a Word .docx or an Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "r.doc", "is a Word or Excel 97-2003 file"),
        (b"\x89PNG\r\n\x1a\n", "r.html", "'r.html' is a PNG image, not a release"),
        (b"{\\rtf1\\ansi Record Date}", "r.txt", "is a Rich Text (.rtf) document"),
        (b"Record Date\t02/20/04\n", "r.html", "'r.html' holds no HTML: a saved web page starts"),
        (b"Record Date\t02/20/04\n", "r.pdf", "'r.pdf' is not a PDF: a PDF starts with %PDF-"),
        (b"<!DOCTYPE html><p>Sign in", "r.pdf", "this is a web page (a download that failed?)"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_what_is_needed_is_refused_saying_what_would_work(
    data: bytes, name: str, message: str
) -> None:
    with pytest.raises(
        ReleaseFileError, match=r"import the release as|Save the page again"
    ) as error:
        release_text(data, name)
    assert message in str(error.value)


def test_a_missing_release_file_is_a_release_file_error(tmp_path: Path) -> None:
    with pytest.raises(ReleaseFileError, match=r"cannot read .*no-such\.html"):
        read_release(tmp_path / "no-such.html")


# --- end to end: xl-reit import of a web page and of its PDF ---------------------------


def import_release(path: Path, out: Path, *options: str) -> AllocationTable:
    """``xl-reit import PATH -o OUT`` must succeed; the table it wrote, loaded on its own."""
    assert cli.main(["import", str(path), "-o", str(out), *options]) == 0
    return AllocationTable.from_texts([(out.name, out.read_text(encoding="utf-8"))])


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The release pages written to .html files."""
    folder = tmp_path_factory.mktemp("pages")
    files = {}
    for name, html in (("stag-2024", pages.stag_2024()), ("aimco-2004", pages.aimco_2004())):
        files[name] = folder / f"{name}.html"
        files[name].write_text(html, encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def printed(written: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The release pages printed to PDF by LibreOffice, as a person prints a page."""
    from libreoffice import print_to_pdf

    folder = tmp_path_factory.mktemp("printed")
    return dict(zip(written, print_to_pdf(list(written.values()), folder), strict=True))


@pytest.fixture(params=["html", "pdf"])
def release_file(request: pytest.FixtureRequest) -> dict[str, Path]:
    """The release pages as web pages, then as PDFs."""
    fixture = "written" if request.param == "html" else "printed"
    return request.getfixturevalue(fixture)  # type: ignore[no-any-return]


@pytest.mark.slow
def test_stag_2024_imports_and_every_printed_dollar_comes_back(
    release_file: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = import_release(
        release_file["stag-2024"], tmp_path / "stag.csv", "--symbol", f"{pages.STAG_CUSIP}=STAG"
    )
    out = capsys.readouterr().out
    assert f"Import of {release_file['stag-2024'].name}: OK" in out
    (security,) = table.classes.values()
    assert (security.issuer, security.tax_year, security.cusip) == (
        "STAG Industrial",
        2024,
        pages.STAG_CUSIP,
    )
    boxes = ("box 1a", "box 2a", "box 2b", "box 3", "box 5")
    # The figures are 2024's parts: the first payment's rest is 2023's (its record date
    # is in 2023 and the columns say "2024"), so it is asked for by tax year.
    for record, payable, dividend, *figures in pages.STAG_PAYMENTS:
        got = lookup.dividend("STAG", payable, table, tax_year=2024)
        assert got == Decimal(dividend.strip("$"))
        for box, printed in zip(boxes, figures, strict=True):
            answer = lookup.amount("STAG", payable, box, 1, table, tax_year=2024)
            assert answer == Decimal(printed.strip("$")), (record, box)
    _, _, dividend, *annual = pages.STAG_TOTAL
    assert lookup.dividend("STAG", "annual", table) == Decimal(dividend.strip("$"))
    for box, printed in zip(boxes, annual, strict=True):
        assert round(lookup.amount("STAG", "annual", box, 1, table), 6) == Decimal(printed[1:])


@pytest.mark.slow
def test_aimco_2004_imports_and_every_printed_percentage_comes_back(
    release_file: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = import_release(release_file["aimco-2004"], tmp_path / "aimco.csv")
    assert f"Import of {release_file['aimco-2004'].name}: OK" in capsys.readouterr().out
    (security,) = table.classes.values()
    assert (security.issuer, security.tax_year, security.symbol) == ("Aimco", 2004, "AIV")
    parts = ("ordinary", "qualified", "capital_gain", "unrecaptured_1250", "return_of_capital")
    for _, payable, dividend, *percentages in pages.AIMCO_PAYMENTS:
        assert lookup.dividend(pages.AIMCO_CUSIP, payable, table) == Decimal(dividend[1:])
        for part, printed in zip(parts, percentages, strict=True):
            answer = lookup.allocation(pages.AIMCO_CUSIP, payable, part, table)
            assert answer == Decimal(printed.rstrip("%")) / 100, (payable, part)
    assert lookup.dividend(pages.AIMCO_CUSIP, "annual", table) == Decimal("2.40")


# --- PDFs that cannot be read -------------------------------------------------------------


def scanned_pdf() -> bytes:
    """A one-page PDF as a scanner writes it: the page is an image, with no text at all."""
    width, height = 200, 100
    pixels = bytes(
        0 if (x // 10 + y // 10) % 2 else 255 for y in range(height) for x in range(width)
    )
    image = (
        (
            f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} "
            f"/ColorSpace /DeviceGray /BitsPerComponent 8 /Length {len(pixels)} >>\nstream\n"
        ).encode()
        + pixels
        + b"\nendstream"
    )
    drawing = b"q 500 0 0 250 50 450 cm /Scan Do Q"
    return pdf_of(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /XObject << /Scan 4 0 R >> >> /Contents 5 0 R >>",
            image,
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(drawing), drawing),
        ]
    )


UPRIGHT = b"BT /F1 12 Tf 72 700 Td (Record Date   Payable Date   Ordinary) Tj ET"
#: The same line turned a quarter to the left (its text matrix rotates it 90 degrees).
SIDEWAYS = b"BT /F1 12 Tf 0 1 -1 0 300 100 Tm (Record Date   Payable Date   Ordinary) Tj ET"


def test_a_pdf_whose_text_is_turned_sideways_is_refused_as_such_not_as_a_scan() -> None:
    with pytest.raises(ReleaseFileError) as error:
        release_text(text_pdf(SIDEWAYS, SIDEWAYS), "landscape.pdf")
    message = str(error.value)
    assert message.startswith(
        "'landscape.pdf' is a PDF whose text is turned sideways (page 1, 2), and xl-reit reads "
        "text laid upright: turn its pages upright"
    )
    assert "scan" not in message and "OCR" not in message


def test_a_page_turned_sideways_among_upright_ones_is_named_as_turned_not_as_scanned() -> None:
    release = release_text(text_pdf(UPRIGHT, SIDEWAYS), "mixed.pdf")
    assert "Record Date   Payable Date   Ordinary" in release.text
    assert release.notes == ("mixed.pdf: the text of page 2 is turned sideways, so not read",)


def test_a_pdf_of_many_pages_each_inflating_to_70_mb_is_refused_naming_the_limit(
    hang_guard: None,
) -> None:
    """Each page's stream stays under pypdf's own limit for one stream (75 MB); 8 together
    would inflate to 560 MB, and pypdf reads drawing operators at about a megabyte a second."""
    import zlib

    bomb = zlib.compress(b"0 0 m 1 1 l S\n" * 5_000_000, 9)  # 70 MB of drawing
    pdf = text_pdf(*[bomb] * 8, filters=b"/Filter /FlateDecode")
    assert len(pdf) < 2_000_000  # a small file
    with pytest.raises(ReleaseFileError) as error:
        release_text(pdf, "bomb.pdf")
    assert str(error.value) == (
        "'bomb.pdf' is a PDF whose pages draw with more than 5 MB of content (a release's draw "
        "with some kilobytes a page), so it is not read: copy its text into a .txt file and "
        "import that"
    )
    twice = text_pdf(zlib.compress(bomb), filters=b"/Filter [/FlateDecode /FlateDecode]")
    with pytest.raises(ReleaseFileError, match="draw with more than 5 MB"):
        release_text(twice, "twice.pdf")
    # 8 pages of 1.4 MB each: 2 s a page for pypdf, each under the limit, together over it
    pages = text_pdf(*[zlib.compress(b"0 0 m 1 1 l S\n" * 100_000)] * 8, filters=b"/Filter /Fl")
    with pytest.raises(ReleaseFileError, match="draw with more than 5 MB"):
        release_text(pages, "pages.pdf")


def test_a_pdf_whose_other_streams_inflate_past_50_mb_in_all_is_refused_naming_the_limit(
    hang_guard: None,
) -> None:
    """Streams no page draws with (a font file here) count toward the file's total."""
    import zlib

    font = zlib.compress(b"\0" * 10_000_000)
    stream = b"<< /Length %d /Length1 10000000 /Filter /FlateDecode >>\nstream\n%s\nendstream"

    def with_fonts(count: int) -> bytes:
        return pdf_of(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font "
                b"<< /F1 5 0 R >> >> /Contents 4 0 R >>",
                b"<< /Length %d >>\nstream\n%s\nendstream" % (len(UPRIGHT), UPRIGHT),
                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                *[stream % (len(font), font)] * count,
            ]
        )

    with pytest.raises(ReleaseFileError) as error:
        release_text(with_fonts(6), "fonts.pdf")
    assert str(error.value).startswith(
        "'fonts.pdf' is a PDF whose compressed streams inflate to more than 50 MB in all"
    )
    assert "Record Date" in release_text(with_fonts(2), "two.pdf").text  # 20 MB: read


def test_a_scanned_pdf_is_refused_with_a_message_to_ocr_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scanned_pdf())
    assert cli.main(["import", str(scan)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"xl-reit import: error: {str(scan)!r} is a PDF without text")
    assert "its pages are images, as a scan's are. OCR it" in err
    assert "import the text it gives, saved as a .txt file" in err
    assert "Traceback" not in err


def encrypted_pdf(user_password: str) -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(scanned_pdf())))
    writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_that_needs_a_password_is_refused_saying_how_to_get_one_that_does_not() -> None:
    with pytest.raises(ReleaseFileError, match="opens only with a password: open it, print it"):
        release_text(encrypted_pdf("secret"), "locked.pdf")


def test_a_pdf_encrypted_without_a_user_password_is_read_like_any_pdf() -> None:
    """It opens without a password; being a scan, it is then refused as one."""
    with pytest.raises(ReleaseFileError, match="without text: its pages are images"):
        release_text(encrypted_pdf(""), "restricted.pdf")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\nnothing else",
        scanned_pdf()[:300],
        scanned_pdf().replace(b"/Kids [3 0 R]", b"/Kids 3 0 R"),
    ],
)
def test_a_damaged_pdf_is_refused_without_a_traceback(
    data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(data)
    assert cli.main(["import", str(damaged)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"xl-reit import: error: {str(damaged)!r} is a PDF")
    assert "download or save it again, or copy its text into a .txt file" in err
    assert err.count("\n") == 1  # the one message: no traceback, none of pypdf's warnings


def test_without_pypdf_a_pdf_is_refused_saying_how_to_install_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pypdf", None)  # import pypdf now raises ImportError
    with pytest.raises(
        ReleaseFileError, match=r"needs the pypdf library: pip install 'xl-reit\[pdf\]'"
    ):
        release_text(scanned_pdf(), "r.pdf")


def test_a_pdf_named_html_is_read_as_a_pdf_and_a_note_says_so(
    printed: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    renamed = tmp_path / "stag-2024.html"
    renamed.write_bytes(printed["stag-2024"].read_bytes())
    release = read_release(renamed)
    assert release.kind == "PDF" and "12/29/23" in release.text
    assert release.notes == ("stag-2024.html is a PDF, whatever its name; read as one",)
    cli.main(["import", str(renamed), "--symbol", f"{pages.STAG_CUSIP}=STAG"])
    assert "xl-reit import: stag-2024.html is a PDF, whatever its name" in capsys.readouterr().err


def test_import_help_lists_the_release_files_it_reads(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["import", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "its text (.txt), its saved web page (.html, .htm) or its PDF (.pdf)" in help_text
    assert "pip install 'xl-reit[pdf]'" in help_text


# --- any bytes: text, or a message; never a traceback -----------------------------------


@settings(max_examples=300, deadline=None)
@given(
    start=st.sampled_from([b"", b"%PDF-1.4\n", b"<html>", b"<table><tr><td>", b"\xff\xfe"]),
    rest=st.binary(max_size=600),
    name=st.sampled_from(["r.txt", "r.html", "r.pdf", "r"]),
)
def test_any_bytes_are_read_or_refused_with_a_release_file_error(
    start: bytes, rest: bytes, name: str
) -> None:
    try:
        release = release_text(start + rest, name)
    except ReleaseFileError as error:
        assert repr(name) in str(error)
    else:
        assert isinstance(release.text, str)


def test_a_pdf_damaged_byte_by_byte_is_read_or_refused_with_a_release_file_error(
    printed: dict[str, Path], hang_guard: None
) -> None:
    """Mutations of a real PDF: the errors pypdf raises on them become one message."""
    original = printed["aimco-2004"].read_bytes()
    chance = random.Random(2025)
    for _ in range(60):
        damaged = bytearray(original)
        for _ in range(chance.randint(1, 30)):
            damaged[chance.randrange(len(damaged))] = chance.randrange(256)
        try:
            release_text(bytes(damaged[: chance.randint(len(damaged) // 2, len(damaged))]), "d.pdf")
        except ReleaseFileError as error:
            assert str(error).startswith("'d.pdf' is a PDF")


def _twice(second: list[tuple[str, ...]]) -> str:
    """A page printing a class's table twice: the first with a run of stray ``<tr>`` tags in
    its last row (found by the fuzzer), the second as given."""
    header = (
        "<tr><th>Record<br>Date</th><th>Payable<br>Date</th><th>Total<br>Distribution</th>"
        "<th>Ordinary<br>Dividends</th><th>Return of<br>Capital</th></tr>"
    )

    def table(rows: list[tuple[str, ...]], stray: str = "") -> str:
        cells = ["<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows]
        cells[-1] = cells[-1].replace("</td><td>", f"{stray}</td><td>", 3)
        return (
            f"<table><tr><td colspan=5>CUSIP # 41196Q100</td></tr>{header}{''.join(cells)}</table>"
        )

    return (
        "<html><body><h1>Example Trust Announces 2020 Dividend Tax Allocation (NYSE: EXT)</h1>"
        + table(TWICE, "<tr>" * 40)
        + table(second)
        + "</body></html>"
    )


TWICE = [
    ("03/31/20", "04/15/20", "$0.25", "$0.20", "$0.05"),
    ("06/30/20", "07/15/20", "$0.25", "$0.15", "$0.10"),
]


def test_a_class_whose_table_a_page_prints_twice_is_written_once(tmp_path: Path) -> None:
    page, table = tmp_path / "twice.html", tmp_path / "twice.csv"
    page.write_text(_twice(TWICE), encoding="utf-8")
    assert cli.main(["import", str(page), "-o", str(table)]) == 0
    (loaded,) = AllocationTable.from_paths([table]).classes.values()  # no payment twice
    assert [(p.payable_date, p.dividend_per_share) for p in loaded.payments] == [
        (dt.date(2020, 4, 15), Decimal("0.25")),
        (dt.date(2020, 7, 15), Decimal("0.25")),
    ]


def test_a_table_printed_twice_with_another_figure_is_not_written(tmp_path: Path) -> None:
    page, table = tmp_path / "twice.html", tmp_path / "twice.csv"
    page.write_text(_twice([TWICE[0], ("06/30/20", "07/15/20", "$0.25", "$0.16", "$0.09")]))
    assert cli.main(["import", str(page), "-o", str(table)]) == 1
    assert not table.exists()
