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


# --- more releases, as news wires print them ----------------------------------------
#
# Rexford Industrial, 2025 (PR Newswire, 22 January 2026)
#     "Distribution Per Share" spans two cash columns, "Total" and "Total in 2025",
#     and "2025 Tax Treatment" spans the six parts; "$" sits in a cell of its own
#     before every figure; a "Totals:" row, then a "Form 1099-DIV Box:" row under it
#     naming the boxes of the parts. The 12/31/2025 payment's 2025 part is $0.285022.
# Whitestone REIT, 2021 (GlobeNewswire, 28 January 2022)
#     an Ex-Dividend Date column before Record and Payable, "$" in a cell of its own
#     (the header cell over a dollar column spans the "$" cell and the figure), "-"
#     for a zero part, footnote marks in <sup>; twelve monthly payments.
# KKR Real Estate Finance Trust, 2023 (the company's investor page)
#     Cash Distribution / Adjustment / Total Distribution columns, the January
#     payment's adjustment printed "($0.25)" with a footnote mark (that much of its
#     $0.43 is 2022's), a totals row without a label, month-name dates, no CUSIP.

#: Rexford 2025: record, payable, then dollars per share: total cash, total in 2025
#: (the dividend), ordinary (1a), qualified (1b), capital gain (2a), unrecaptured 1250
#: (2b), return of capital (3), Section 199A (5).
REXFORD_CUSIP = "76169C100"
REXFORD_PAYMENTS: tuple[tuple[str, ...], ...] = (
    ("12/31/2024", "1/15/2025",
     *"0.417500 0.417500 0.332824 0.000000 0.084676 0.008798 0.000000 0.332824".split()),
    *(
        (record, payable,
         *"0.430000 0.430000 0.342789 0.000000 0.087211 0.009061 0.000000 0.342789".split())
        for record, payable in (
            ("3/31/2025", "4/15/2025"), ("6/30/2025", "7/15/2025"), ("9/30/2025", "10/15/2025"),
        )
    ),
    ("12/31/2025", "1/15/2026",
     *"0.430000 0.285022 0.227215 0.000000 0.057807 0.006006 0.000000 0.227215".split()),
)  # fmt: skip
REXFORD_TOTALS = tuple(
    "2.137500 1.992522 1.588406 0.000000 0.404116 0.041987 0.000000 1.588406".split()
)
REXFORD_BOXES = ("1a", "1b", "2a", "2b", "3", "5")

#: Whitestone 2021: ex-dividend, record, payable, then dollars per share: total
#: distribution, ordinary (1a), capital gain (2a), unrecaptured 1250 (2b), return of
#: capital (3), Section 199A (5); "-" is a zero part.
WHITESTONE_CUSIP = "966084204"
WHITESTONE_PAYMENTS: tuple[tuple[str, ...], ...] = tuple(
    (ex, record, payable, amount, ordinary, "-", "-", capital, ordinary)
    for ex, record, payable, amount, ordinary, capital in (
        ("1/4/2021", "1/5/2021", "1/14/2021", "0.035000", "0.028240", "0.006760"),
        ("2/1/2021", "2/2/2021", "2/11/2021", "0.035000", "0.028240", "0.006760"),
        *(
            (ex, record, payable, "0.035833", "0.028912", "0.006921")
            for ex, record, payable in (
                ("3/1/2021", "3/2/2021", "3/11/2021"), ("4/1/2021", "4/5/2021", "4/14/2021"),
                ("5/3/2021", "5/4/2021", "5/13/2021"), ("6/1/2021", "6/2/2021", "6/10/2021"),
                ("7/1/2021", "7/2/2021", "7/14/2021"), ("8/2/2021", "8/3/2021", "8/12/2021"),
                ("9/1/2021", "9/2/2021", "9/14/2021"), ("10/1/2021", "10/4/2021", "10/14/2021"),
                ("11/1/2021", "11/2/2021", "11/12/2021"),
                ("12/1/2021", "12/2/2021", "12/13/2021"),
            )
        ),
    )
)  # fmt: skip
WHITESTONE_BOXES = ("1a", "2a", "2b", "3", "5")

#: KKR Real Estate Finance 2023: record, payment, cash, adjustment, total distribution
#: (the dividend), ordinary (1a), qualified (1b), capital gain (2a), return of capital (3).
KKR_CUSIP = "48251K100"
KKR_PAYMENTS: tuple[tuple[str, ...], ...] = (
    ("Dec 30, 2022", "Jan 13, 2023",
     *"$0.43 ($0.25)<sup>(2)</sup> $0.18 $0.16463 $0.00000 $0.00000 $0.01537".split()),
    *(
        (record, payable, *"$0.43 $0.00 $0.43 $0.39329 $0.00000 $0.00000 $0.03671".split())
        for record, payable in (
            ("Mar 31, 2023", "Apr 14, 2023"), ("Jun 30, 2023", "Jul 14, 2023"),
            ("Sep 29, 2023", "Oct 13, 2023"),
        )
    ),
)  # fmt: skip
KKR_TOTALS = ("", "", *"$1.72 ($0.25) $1.47 $1.34450 $0.00000 $0.00000 $0.12550".split())
KKR_BOXES = ("1a", "1b", "2a", "3")


def _dollar_cells(figures: Sequence[str]) -> list[str]:
    """Each figure as two cells, "$" and the figure, as a news wire prints a dollar column."""
    return [cell for figure in figures for cell in ("$", figure)]


def rexford_2025() -> str:
    """Rexford's 2025 common table: spanning header cells, "$" cells, the box row below."""
    header = (
        '<tr><th colspan="2"></th><th colspan="4">Distribution Per Share</th>'
        '<th colspan="12">2025 Tax Treatment</th></tr>'
        "<tr><th>Record<br>Date</th><th>Payable<br>Date</th>"
        '<th colspan="2">Total</th><th colspan="2">Total<br>in 2025</th>'
        '<th colspan="2">Total Ordinary<br>Dividends</th>'
        '<th colspan="2">Qualified<br>Dividends<sup>(1)</sup></th>'
        '<th colspan="2">Total Capital Gain<br>Distributions</th>'
        '<th colspan="2">Unrecaptured Section<br>1250 Gain<sup>(2)</sup></th>'
        '<th colspan="2">Return of Capital<br>(Nondividend Distributions)</th>'
        '<th colspan="2">Section 199A<br>Dividends<sup>(3)</sup></th></tr>'
    )
    rows = [
        _cells("td", (record, payable, *_dollar_cells(figures)))
        for record, payable, *figures in REXFORD_PAYMENTS
    ]
    rows.append(_cells("td", ("Totals:", "", *_dollar_cells(REXFORD_TOTALS))))
    boxes = [f'<td colspan="2">{box}</td>' for box in REXFORD_BOXES]
    rows.append('<tr><td colspan="6">Form 1099-DIV Box:</td>' + "".join(boxes) + "</tr>")
    return page(
        "Rexford Industrial Reports 2025 Dividend Tax Treatment",
        f"""<h1>Rexford Industrial Reports 2025 Dividend Tax Treatment</h1>
<p>Los Angeles, January 22, 2026. Rexford Industrial Realty, Inc. (NYSE: REXR) sets out
how its 2025 common and preferred dividends are treated for federal income tax. Holders
should ask their own tax advisers about their case.</p>
<p><b>Common Stock - CUSIP Number {REXFORD_CUSIP}</b></p>
<table><thead>{header}</thead><tbody>{"".join(rows)}</tbody></table>""",
    )


def whitestone_2021() -> str:
    """Whitestone's 2021 table: "$" in its own cell under a header cell spanning both."""
    words = (
        "Total Distribution Per Share",
        "Ordinary Dividends",
        "Total Capital Gain Distribution",
        "Unrecaptured Sec 1250 Gain<sup>(1)</sup>",
        "Return of Capital (Nontaxable Distribution)",
        "Section 199A Dividends<sup>(2)</sup>",
    )
    header = (
        "<tr><th>Ex-Dividend Date</th><th>Record Date</th><th>Payable Date</th>"
        + "".join(f'<th colspan="2">{word}</th>' for word in words)
        + "</tr>"
    )
    rows = "".join(
        _cells("td", (ex, record, payable, *_dollar_cells(figures)))
        for ex, record, payable, *figures in WHITESTONE_PAYMENTS
    )
    return page(
        "Whitestone REIT Reports the Tax Character of Its 2021 Distributions",
        f"""<h1>Whitestone REIT Reports the Tax Character of Its 2021 Distributions</h1>
<p>Houston, January 28, 2022. Whitestone REIT (NYSE: WSR) gives the federal income tax
treatment of its 2021 cash distributions on its common shares (CUSIP {WHITESTONE_CUSIP}),
as Form 1099-DIV will report them:</p>
<table><thead>{header}</thead><tbody>{rows}</tbody></table>
<p><sup>(1)</sup> Part of the capital gain distribution.</p>""",
    )


def kkr_reit_2023() -> str:
    """KKR Real Estate Finance's 2023 table: an adjustment column, an unlabelled total."""
    header = (
        '<tr><th colspan="9">Tax Treatment of 2023 Dividends</th></tr>'
        "<tr><th>Record Date</th><th>Payment Date</th><th>Cash Distribution</th>"
        "<th>Adjustment</th><th>Total Distribution</th>"
        "<th>Ordinary Dividends<sup>(1)</sup></th><th>Qualified Dividends</th>"
        "<th>Capital Gain Dividends</th><th>Return of Capital</th></tr>"
    )
    rows = "".join(_cells("td", payment) for payment in (*KKR_PAYMENTS, KKR_TOTALS))
    return page(
        "Dividend Tax Treatment | KKR Real Estate Finance Trust",
        f"""<h1>Dividend Tax Treatment</h1>
<table><thead>{header}</thead><tbody>{rows}</tbody></table>
<p>(1) Ordinary dividends may qualify for the Section 199A deduction; ask a tax adviser.</p>
<p>(2) The $0.43 paid on January 13, 2023 (record date December 30, 2022) spans two tax
years: $0.25 of it counts in 2022 and the other $0.18 in 2023.</p>""",
    )
