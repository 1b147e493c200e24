"""The About sheet (source, provenance, repairs, how to use it, not tax advice) and xlwings.conf.

About says which kind of workbook it is: the workbook's own (the default),
whose every figure is calculated by the spreadsheet from the printed figures
on its Release sheet, so that it works in any spreadsheet without an add-in;
or ``--live``, whose cells call the ``REIT_*`` functions of the xlwings add-in
and follow the tables it has loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet

from .._version import __version__
from ..holdings import Holdings
from ..model import SecurityClass, named
from ..table import BUNDLED_FILES
from . import styles
from .layout import (
    AMOUNTS_SHEET,
    CHART_SHEET,
    CONFIG_SHEET,
    FORM_SHEET,
    PAYMENTS_SHEET,
    RELEASE_SHEET,
    UDF_MODULES,
    Layout,
    iso,
)


def _line_facts(classes: Sequence[SecurityClass]) -> list[tuple[str, str]]:
    """Each distinct note of the table (a repair, figures that break the form's nesting, a
    ticker not printed), issuer rounding and split of the data, with the lines it is on.

    Each is labelled with its class's name and ticker: "Common Stock" is several issuers'.
    """
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for security in classes:
        shown = named(security)
        for line in security.lines:
            where = iso(line.payable_date) if line.payable_date else "annual line"
            facts = [("Note", line.notes)] if line.notes else []
            facts += [("Checked on loading", note) for note in line.findings]
            if line.is_split:
                rest = f"the rest of the payment is reported in tax year {line.other_tax_year}"
                facts.append(("Split payment", rest))
            for kind, text in facts:
                grouped.setdefault((kind, shown, text), []).append(where)
    return [
        (f"{kind} — {class_name}: {', '.join(where)}", text)
        for (kind, class_name, text), where in grouped.items()
    ]


def _shares_note(holdings: Holdings | None) -> str:
    """Where Shares held came from, and which lines of the file ``--skip-bad`` left out."""
    if holdings is None:
        return "blank: type your own on the Payments sheet"
    note = f"pre-filled from {Path(holdings.source).name}"
    if holdings.amounts:
        note += (
            "; dollars received (Amount) count as the shares they are the dividend of: "
            "Shares held = shares + dollars ÷ dividend per share, a formula"
        )
    if holdings.skipped_lines:
        lines = "lines" if len(holdings.skipped_lines) > 1 else "line"
        note += (
            f"; --skip-bad left out its bad {lines} {', '.join(map(str, holdings.skipped_lines))},"
            " which are not counted"
        )
    return note


_DISCLAIMER = (
    "Not tax advice",
    "This workbook restates figures that the issuer published. It is not tax advice: "
    "check it against your broker's Form 1099-DIV and the issuer's release, and ask a "
    "tax adviser about your own return.",
)
_CHECKS = (
    "Transcribed from the release exactly as printed: dollars per share and each part's "
    "percentage of the payment. Checked when loaded: every CUSIP's check digit; each payment's "
    "parts add up to exactly 100%; each printed annual dividend equals the sum of the class's "
    "payments; each printed annual percentage equals the payments' dividend-weighted average. "
    "Where the copy of the release was damaged, only what the release itself proves was "
    "repaired; each repair, and every other note of the table, is listed below and in the "
    "Notes column of the Release sheet. Full provenance: the README of xl_reit/data in the "
    "xl-reit package."
)
_OWN_KIND = (
    "Self-contained (made by xl-reit template): every figure is calculated by the "
    f"spreadsheet's own formulas (plain arithmetic, SUMIFS, SUM) from the printed figures on "
    f"the {RELEASE_SHEET} sheet, so it calculates the same in Excel (any edition), "
    "LibreOffice, Google Sheets and Numbers, with no add-in: send it to anyone. "
    "xl-reit template --live writes the other kind, whose cells call the REIT_* functions "
    "of the xl-reit add-in and follow the tables it has loaded."
)
_LIVE_KIND = (
    "Live (made by xl-reit template --live): the figures on the Payments sheet call the "
    "REIT_* functions of the xl-reit add-in (xlwings, or xlwings Lite) and follow the tables "
    "it has loaded. Without the add-in they show #NAME? and the totals an error; the "
    f"{RELEASE_SHEET} sheet still shows every printed figure. xl-reit template without "
    "--live writes a self-contained workbook that needs no add-in."
)
_SHEETS = (
    "Sheets",
    f"{PAYMENTS_SHEET}: one row per payment; type Shares held. {AMOUNTS_SHEET}: their "
    f"dollars in each figure. {FORM_SHEET}: your Form "
    f"1099-DIV boxes. {RELEASE_SHEET}: the figures as printed, with checks. {CHART_SHEET}: "
    f"each payment's split, and the year's for your shares. {CONFIG_SHEET}: tells the "
    "xlwings add-in where the functions are.",
)
_FUNCTIONS: tuple[tuple[str, str], ...] = (
    (
        "Functions",
        "=REIT_ALLOC(cusip, date, component) gives the fraction of a payment, e.g. "
        '=REIT_ALLOC("03748R-10-1", "2004-02-27", "qualified") = 1.3268%; '
        "=REIT_DIVIDEND(cusip, date) the dividend per share; also REIT_AMOUNT, "
        "REIT_PAYMENTS and REIT_CLASSES (category xl-reit in the function wizard).",
    ),
    (
        "On Mac and the web",
        "Excel for Mac, Excel on the web and Excel on Windows: add the free xlwings Lite "
        "add-in (Home > Add-ins); run xl-reit lite in a terminal; put the main.py and "
        "requirements.txt it writes into the add-in's two tabs and choose Restart. Details: "
        "the README's 'Excel on Mac and the web'.",
    ),
    ("On Windows", "classic xlwings, with Python installed on the PC:"),
    (
        "1.",
        "Install xl-reit into the Python that xlwings uses: pip install . in the "
        "xl-reit folder, or pip install on its wheel file.",
    ),
    ("2.", "xlwings addin install — adds the xlwings tab to Excel."),
    ("3.", f"This workbook's {CONFIG_SHEET} sheet already sets UDF Modules to {UDF_MODULES}."),
    (
        "4.",
        "On the xlwings tab click Import Functions (Excel may ask you to trust access to "
        "the VBA project object model: File > Options > Trust Center). Save as .xlsm to "
        "keep the imported functions.",
    ),
)
_PROTECTION = (
    "Protection",
    "Sheets are protected, without a password, so that formulas are not overwritten by "
    "accident: Review > Unprotect Sheet.",
)


def _provenance(classes: Sequence[SecurityClass]) -> list[tuple[str, str]]:
    """The About sheet's rows on where the figures come from: sources, files and repairs."""
    sources = dict.fromkeys((s.issuer, s.lines[0].source, s.lines[0].release_date) for s in classes)
    files: dict[str, list[str]] = {}
    for security in classes:
        for file in security.files:
            files.setdefault(file, []).append(security.class_name)
    return [
        *(
            ("Source", f"{issuer}: {source}, released {iso(released)}")
            for issuer, source, released in sources
        ),
        *(
            (
                "Data file",
                f"{file} ({'bundled with xl-reit' if file in BUNDLED_FILES else 'your own'}): "
                + ", ".join(names),
            )
            for file, names in files.items()
        ),
        ("How the data was made", _CHECKS),
        *_line_facts(classes),
    ]


def build_about(sheet: Worksheet, layout: Layout, holdings: Holdings | None) -> None:
    command = "xl-reit template --live" if layout.live else "xl-reit template"
    lines: list[tuple[str, str]] = [
        _DISCLAIMER,
        ("", ""),
        ("This workbook", _LIVE_KIND if layout.live else _OWN_KIND),
        ("Made by", f"xl-reit {__version__} (command: {command})"),
        ("Tax year", str(layout.tax_year)),
        *_provenance(layout.classes),
        ("", ""),
        ("Shares held", _shares_note(holdings)),
        ("", ""),
        _SHEETS,
        *_FUNCTIONS,
        _PROTECTION,
    ]
    styles.text(sheet["A1"], "About this workbook").font = styles.TITLE_FONT
    for row, (label, text) in enumerate(lines, 3):
        label_cell = styles.text(sheet.cell(row, 1), label)
        label_cell.font = styles.BOLD
        label_cell.alignment = styles.WRAP
        styles.text(sheet.cell(row, 2), text).alignment = styles.WRAP
    styles.set_widths(sheet, {"A": 26, "B": 100})
    styles.fit_rows(sheet, [cell for row in sheet.iter_rows(max_col=2) for cell in row])
    styles.print_on_page_width(sheet)


def build_config(sheet: Worksheet) -> None:
    """The xlwings add-in reads key/value pairs from A1 down (``read_config_sheet``)."""
    styles.text(sheet["A1"], "UDF Modules")
    styles.text(sheet["B1"], UDF_MODULES)
    styles.set_widths(sheet, {"A": 16, "B": 16})
