"""The model's values: a payment, and a copy of one with some fields changed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from xl_reit.errors import Origin
from xl_reit.model import Figure, Payment, Printed

# Aimco's Class D preferred payment of 2004-01-15 (2004 release), as a table row reads it.
CLASS_D_JANUARY = Payment(
    issuer="Apartment Investment and Management Company",
    tax_year=2004,
    class_name="Class D Cumulative Preferred Stock",
    cusip="03748R309",
    symbol="AIVPrD",
    record_date=dt.date(2003, 12, 31),
    payable_date=dt.date(2004, 1, 15),
    dividend_per_share=Decimal("0.546875"),
    printed={"ordinary": Printed(percent=Decimal("1.6588"))},
    origin=Origin("aimco-2004.csv", 2),
)


def test_a_copy_with_changes_is_what_dataclasses_replace_makes() -> None:
    figures = {"ordinary": Figure(Decimal("0.0090716"), Decimal("0.016588"))}
    changes = {"dividend_per_share": Decimal("0.5"), "figures": figures, "findings": ("x",)}

    copy = CLASS_D_JANUARY.but(**changes)

    expected = dataclasses.replace(CLASS_D_JANUARY, **changes)
    assert copy == expected
    assert {f.name: getattr(copy, f.name) for f in dataclasses.fields(Payment)} == {
        f.name: getattr(expected, f.name) for f in dataclasses.fields(Payment)
    }
    assert hash(copy) == hash(expected)


def test_a_copy_leaves_the_payment_it_was_made_from_as_it_was() -> None:
    copy = CLASS_D_JANUARY.but(findings=("rounding",))

    assert copy is not CLASS_D_JANUARY
    assert CLASS_D_JANUARY.findings == ()
    assert copy.findings == ("rounding",)
    assert copy.payable_date == dt.date(2004, 1, 15)
