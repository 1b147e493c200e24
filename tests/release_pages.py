"""Release web pages written by the tests: real releases' table layouts and figures, our words.

Each page keeps a real release's table as its web page prints it (which cells
span which columns, which rows are headers, where the CUSIP and the footnote
marks sit) and its printed figures, copied figure for figure from the
release; every sentence around the tables is our own. The tests write these
pages to ``.html`` files, print them to PDF, import both and compare the
figures with the ones below.

STAG Industrial, 2024 (news-wire reprint of 21 January 2025)
    one table that holds its own title rows, the CUSIP and the ticker (each a
    cell spanning the table), header cells whose second line is a ``<br>``
    away, twelve payments in dollars per share (nested Form 1099-DIV
    columns: Section 199A within ordinary, unrecaptured 1250 within capital
    gain), a row for the 12/31/24 payment that 2025 reports (no figures), a
    Total row. The reprint misprints the CUSIP ("8524J 102"); the page here
    prints the class's real one, 85254J102.
W. P. Carey, 2023 (news-wire reprint of 29 January 2024)
    a "FORM 1099-DIV / Box 1a / Box 2a …" row over the header row, columns
    not in box order, footnote marks in ``<sup>`` (one glued to a date,
    "10/19/23(7)"), Section 897 and Section 1061 columns, and the footnotes
    as a two-column table.
Aimco, 2004 (PR Newswire, 28 January 2005)
    Class A Common Stock's payments, its dividend and capital-gain columns
    in one table under a two-row header: "Date" spans Record and Payable,
    "Dividend per Common Share" spans both header rows, "Percent of the
    dividend" spans the five percentage columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

#: STAG 2024: record, payable, then dollars per share: total distribution, ordinary
#: (box 1a), capital gain (box 2a), unrecaptured 1250 gain (box 2b), return of
#: capital (box 3), Section 199A (box 5).
STAG_CUSIP = "85254J102"
STAG_PAYMENTS: tuple[tuple[str, ...], ...] = (
    ("12/29/23", "01/16/24",
     *"$0.106655 $0.095919 $0.003192 $0.003192 $0.007544 $0.095919".split()),
    *(
        (record, payable, *"$0.123333 $0.110918 $0.003691 $0.003691 $0.008724 $0.110918".split())
        for record, payable in (
            ("01/31/24", "02/15/24"), ("02/29/24", "03/15/24"), ("03/28/24", "04/15/24"),
            ("04/30/24", "05/15/24"), ("05/31/24", "06/17/24"), ("06/28/24", "07/15/24"),
            ("07/31/24", "08/15/24"), ("08/30/24", "09/16/24"), ("09/30/24", "10/15/24"),
            ("10/31/24", "11/15/24"), ("11/29/24", "12/16/24"),
        )
    ),
)  # fmt: skip
STAG_TOTAL = ("Total", "", *"$1.463318 $1.316017 $0.043793 $0.043793 $0.103508 $1.316017".split())
#: The payment of 12/31/24, wholly reported in 2025: the page prints its dates only.
STAG_NEXT_YEAR = ("12/31/24", "01/15/25")
STAG_HEADER = (
    "Record<br>Date",
    "Payable<br>Date",
    "Total<br>Distribution",
    "2024 Ordinary<br>Dividends",
    "2024 Capital Gain<br>Distributions",
    "2024 Unrecaptured<br>Sec. 1250 Gain",
    "2024 Return of<br>Capital",
    "Section 199A<br>Dividends",
)

#: W. P. Carey 2023: the box row, the header row (with its footnote marks) and the
#: payments in dollars per share, in the release's column order.
WPC_CUSIP = "92936U109"
WPC_BOXES = ("FORM 1099-DIV", *"Box 1a|Box 2a|Box 3|Box 1b|Box 2b|Box 2e|Box 2f|Box 5".split("|"))
WPC_HEADER = (
    "Record Date",
    "Payment Date",
    "Distribution Per Share",
    "Ordinary Dividends",
    "Capital Gain Distributions",
    "Nondividend Distributions",
    "Qualified Dividends<sup>(1)</sup>",
    "Unrecaptured Section 1250 Gain<sup>(2)</sup>",
    "Section 897 Ordinary Dividends<sup>(3)</sup>",
    "Section 897 Capital Gain<sup>(4)</sup>",
    "Section 199A Dividends<sup>(5)</sup>",
    "Section 1061 One-Year Amounts Disclosure<sup>(6)</sup>",
    "Section 1061 Three-Year Amounts Disclosure<sup>(6)</sup>",
)
WPC_PAYMENTS: tuple[tuple[str, ...], ...] = tuple(
    (*first.split(), *second.split())
    for first, second in (
        (
            "12/30/22 1/13/23 $1.065000 $0.8087588 $0.0728316 $0.1834096 $0.0024786",
            "$0.0728316 $0.0648595 $0.0728316 $0.8062802 $0.0000000 $0.0000000",
        ),
        (
            "3/31/23 4/14/23 $1.067000 $0.8102776 $0.0729684 $0.1837540 $0.0024832",
            "$0.0729684 $0.0649813 $0.0729684 $0.8077944 $0.0000000 $0.0000000",
        ),
        (
            "6/30/23 7/14/23 $1.069000 $0.8117964 $0.0731051 $0.1840985 $0.0024879",
            "$0.0731051 $0.0651031 $0.0731051 $0.8093085 $0.0000000 $0.0000000",
        ),
        (
            "9/29/23 10/16/23 $1.071000 $0.8133152 $0.0732419 $0.1844429 $0.0024925",
            "$0.0732419 $0.0652249 $0.0732419 $0.8108227 $0.0000000 $0.0000000",
        ),
        (
            "10/19/23<sup>(7)</sup> 11/1/23 $0.762667 $0.5791675 $0.0521561 $0.1313431 $0.0017749",
            "$0.0521561 $0.0464471 $0.0521561 $0.5773926 $0.0000000 $0.0000000",
        ),
    )
)

#: Aimco 2004, Class A Common Stock: record, payable, dividend, then percent of the
#: dividend: taxable ordinary, qualified (15% rate), capital gain (15% rate),
#: unrecaptured Sec. 1250 gain (25% rate), return of capital.
AIMCO_CUSIP = "03748R-10-1"
AIMCO_PAYMENTS: tuple[tuple[str, ...], ...] = tuple(
    (record, payable, "$0.600", "1.6588%", "1.3268%", "73.6080%", "23.4064%", "0.0000%")
    for record, payable in (
        ("02/20/04", "02/27/04"),
        ("05/18/04", "05/28/04"),
        ("08/20/04", "08/31/04"),
        ("11/19/04", "11/30/04"),
    )
)
AIMCO_ANNUAL = ("Annual", "", "$2.40", "1.6588%", "1.3268%", "73.6080%", "23.4064%", "0.0000%")


def _cells(tag: str, cells: Sequence[str]) -> str:
    """A row of cells whose text is already HTML (``<br>``, ``<sup>`` and all).

    Figure cells do not wrap (``nowrap``), as release pages keep a date or a
    figure on one line; header cells wrap their words.
    """
    opening = f"<{tag}>" if tag == "th" else f"<{tag} nowrap>"
    return "<tr>" + "".join(f"{opening}{cell}</{tag}>" for cell in cells) + "</tr>"


def _spanning(text: str, columns: int) -> str:
    return f'<tr><td colspan="{columns}">{escape(text)}</td></tr>'


def page(title: str, body: str, *, charset: str = "utf-8") -> str:
    """A whole web page, as a browser saves it: head, styles, a script, the body."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}"><title>{escape(title)} | Newsroom</title>
<style>td, th {{ padding: 2px 8px; border: 1px solid #999; }} .menu {{ color: gray; }}</style>
<script>window.analytics = "Record Date 01/01/99 $9.99";</script></head>
<body><nav class="menu"><a href="/">Home</a> <a href="/news">News</a></nav>
<div style="display: none">Subscribe to our 2024 dividend alerts</div>
{body}
<footer><p>Contact: investor relations.</p></footer></body></html>
"""


def stag_2024(*, next_year_row: bool = False) -> str:
    """STAG Industrial's 2024 table; with ``next_year_row``, the 12/31/24 row as printed."""
    rows = [
        _spanning("TAX TREATMENT OF 2024 COMMON DISTRIBUTIONS", 8),
        _spanning(f"CUSIP # {STAG_CUSIP}", 8),
        _spanning("Ticker Symbol: STAG", 8),
        _cells("th", STAG_HEADER),
        *(_cells("td", payment) for payment in STAG_PAYMENTS),
        *([_cells("td", (*STAG_NEXT_YEAR, *[""] * 6))] if next_year_row else []),
        _cells("td", STAG_TOTAL),
    ]
    return page(
        "STAG Industrial Reports 2024 Dividend Tax Treatment",
        f"""<h1>STAG Industrial Reports 2024 Dividend Tax Treatment</h1>
<p>Boston, January 21, 2025. Holders of STAG Industrial, Inc. (NYSE: STAG) common stock can
find below how the company's 2024 dividends are characterized for federal income tax.</p>
<table>{"".join(rows)}</table>
<p>Each holder should ask a tax adviser how these figures apply to them.</p>""",
    )


def wpc_2023() -> str:
    """W. P. Carey's 2023 table: the box row over the header row, footnotes in a table."""
    footnotes = (
        ("(1)", "Qualified dividends are part of the ordinary dividends."),
        ("(2)", "Unrecaptured Section 1250 gain is part of the capital gain distributions."),
        ("(3)", "Section 897 ordinary dividends are part of the ordinary dividends."),
    )
    return page(
        "W. P. Carey Reports 2023 Dividend Tax Treatment",
        f"""<h1>W. P. Carey Reports 2023 Dividend Tax Treatment</h1>
<p>New York, January 29, 2024. W. P. Carey Inc. (NYSE: WPC) gives the federal income tax
character of its 2023 dividends, as Form 1099-DIV reports them.</p>
<p><b>CUSIP</b>&nbsp;{WPC_CUSIP}</p>
<table><thead>{_cells("td", WPC_BOXES)}{_cells("th", WPC_HEADER)}</thead>
<tbody>{"".join(_cells("td", payment) for payment in WPC_PAYMENTS)}</tbody></table>
<table>{"".join(_cells("td", (mark, escape(note))) for mark, note in footnotes)}</table>""",
    )


def aimco_2004() -> str:
    """Aimco's 2004 Class A table under a two-row header with spanning cells."""
    header = (
        '<tr><th colspan="2">Date</th><th rowspan="2">Dividend per<br>Common Share</th>'
        '<th colspan="5">Percent of the dividend</th></tr>'
        "<tr><th>Record</th><th>Payable</th><th>Taxable Ordinary<br>Dividends</th>"
        "<th>Qualified Dividends<br>(15% Rate)</th><th>Capital Gain<br>(15% Rate)</th>"
        "<th>Unrecaptured Sec. 1250<br>Gain (25% Rate)</th><th>Return of<br>Capital</th></tr>"
    )
    rows = "".join(_cells("td", payment) for payment in (*AIMCO_PAYMENTS, AIMCO_ANNUAL))
    return page(
        "Aimco Reports 2004 Dividend Tax Allocation",
        f"""<h1>Aimco Reports 2004 Dividend Tax Allocation</h1>
<p>Denver, January 28, 2005. Apartment Investment and Management Company (NYSE: AIV) sets
out how its 2004 dividends divide for federal income tax.</p>
<h3>Class A Common Stock (CUSIP {AIMCO_CUSIP})</h3>
<table><thead>{header}</thead><tbody>{rows}</tbody></table>""",
    )
