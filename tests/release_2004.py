"""The figures Aimco's release of 28 January 2005 prints, written out by hand.

These are the golden values the tests compare against. They are transcribed
from the release itself (its two tables per class), independently of the
bundled CSV, so a test that compares the two can fail. Where the OCR'd text
lost a figure, the comment says what the release proves instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from importlib import resources

from xl_reit.model import SecurityClass
from xl_reit.table import AllocationTable

#: The split every row of every class prints, in percent of the payment:
#: "Ordinary Dividends", "Qualified Dividends (15% Rate)", "Capital Gain (15%
#: Rate)", "Unrecaptured Sec. 1250 Gain (25% Rate)", "Return of Capital".
PERCENTAGES = {
    "ordinary": Decimal("1.6588"),
    "qualified": Decimal("1.3268"),
    "capital_gain": Decimal("73.6080"),
    "unrecaptured_1250": Decimal("23.4064"),
    "return_of_capital": Decimal("0.0000"),
}

#: (symbol, CUSIP as printed, class) in the release's order.
CLASSES = [
    ("AIV", "03748R-10-1", "Class A Common Stock"),
    ("AIVPrD", "03748R-30-9", "Class D Cumulative Preferred Stock"),
    ("AIVPrG", "03748R-40-8", "Class G Cumulative Preferred Stock"),
    ("AIVPrP", "03748R-86-1", "Class P Convertible Cumulative Preferred Stock"),
    ("AIVPrQ", "03748R-85-3", "Class Q Cumulative Preferred Stock"),
    ("AIVPrR", "03748R-84-6", "Class R Cumulative Preferred Stock"),
    ("AIVPrT", "03748R-83-8", "Class T Cumulative Preferred Stock"),
    ("AIVPrU", "03748R-82-0", "Class U Cumulative Preferred Stock"),
]

#: (CUSIP, record date, payable date, dividend per share) for all 27 payments.
PAYMENTS = [
    ("03748R-10-1", "2004-02-20", "2004-02-27", "0.600"),
    ("03748R-10-1", "2004-05-18", "2004-05-28", "0.600"),
    ("03748R-10-1", "2004-08-20", "2004-08-31", "0.600"),
    ("03748R-10-1", "2004-11-19", "2004-11-30", "0.600"),
    ("03748R-30-9", "2004-01-01", "2004-01-15", "0.546875"),
    ("03748R-30-9", "2004-04-01", "2004-04-15", "0.546875"),
    ("03748R-30-9", "2004-07-01", "2004-07-15", "0.546875"),
    ("03748R-30-9", "2004-10-01", "2004-10-15", "0.546875"),
    ("03748R-40-8", "2004-01-01", "2004-01-15", "0.5859375"),
    ("03748R-40-8", "2004-04-01", "2004-04-15", "0.5859375"),
    ("03748R-40-8", "2004-07-01", "2004-07-15", "0.5859375"),
    ("03748R-40-8", "2004-10-01", "2004-10-15", "0.5859375"),
    ("03748R-86-1", "2004-04-01", "2004-04-15", "0.5625"),
    ("03748R-85-3", "2004-03-01", "2004-03-15", "0.63125"),
    ("03748R-85-3", "2004-06-01", "2004-06-15", "0.63125"),
    ("03748R-85-3", "2004-09-01", "2004-09-15", "0.63125"),
    ("03748R-85-3", "2004-12-01", "2004-12-15", "0.63125"),
    ("03748R-84-6", "2004-03-01", "2004-03-15", "0.625"),
    ("03748R-84-6", "2004-06-01", "2004-06-15", "0.625"),
    ("03748R-84-6", "2004-09-01", "2004-09-15", "0.625"),
    ("03748R-84-6", "2004-12-01", "2004-12-15", "0.625"),
    # Class T's dividend table lost its dates (they come from its capital-gain
    # table) and all but one dividend figure: $0.50 is printed for 10/15/04.
    ("03748R-83-8", "2004-01-01", "2004-01-15", "0.50"),
    ("03748R-83-8", "2004-04-01", "2004-04-15", "0.50"),
    ("03748R-83-8", "2004-07-01", "2004-07-15", "0.50"),
    ("03748R-83-8", "2004-10-01", "2004-10-15", "0.50"),
    ("03748R-82-0", "2004-07-01", "2004-07-15", "0.5974"),
    ("03748R-82-0", "2004-10-01", "2004-10-15", "0.484375"),
]

#: The "Annual" dividend line of each class's dividend table; None where the
#: release prints none (Class T's was lost with its table).
ANNUAL_DIVIDENDS = {
    "03748R-10-1": "2.40",
    "03748R-30-9": "2.1875",
    "03748R-40-8": "2.34375",
    "03748R-86-1": "0.5625",
    "03748R-85-3": "2.525",
    "03748R-84-6": "2.50",
    "03748R-83-8": None,
    "03748R-82-0": "1.081775",
}


def of_the_release(classes: Iterable[SecurityClass]) -> list[SecurityClass]:
    """This release's classes among others (xl-reit bundles several releases): tax year 2004's."""
    return [security for security in classes if security.tax_year == 2004]


def aimco_table() -> AllocationTable:
    """The bundled table of this release alone, without the other releases bundled beside it."""
    text = (resources.files("xl_reit") / "data" / "aimco-2004.csv").read_text(encoding="utf-8")
    return AllocationTable.from_texts([("aimco-2004.csv", text)])
