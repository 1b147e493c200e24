"""What a distribution record means: its columns, its shares, and the class-years it holds.

Expected dollars are worked out by hand from the printed figures, never by
the code under test: Aimco Class A pays $0.600 four times in 2004 with 1.3268%
qualified; STAG's payment of 2024-01-16 is split, $0.013268 of box 1a in
2023's release and $0.095919 in 2024's; Realty Income prints only the year's
totals, $2.8434500 of box 1a.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from xl_reit.errors import HoldingsFileError, InvalidSharesError
from xl_reit.records import RecordColumns, Resolver, layout, share_count
from xl_reit.table import bundled_table, default_table

from release_2004 import aimco_table


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    columns = RecordColumns.find(["Account", "CUSIP", "Record date", "Shares"], ["account"], "r")
    return Resolver(columns, bundled_table())


def box(resolver: Resolver, key: tuple[object, ...], column: str) -> list[tuple[int, Decimal]]:
    """Each target's tax year and dollars per share in one box column, for a key."""
    meaning = resolver.meaning(key)
    assert meaning.problem is None, meaning.problem
    index = resolver.layout.columns.index(column)
    return [(target.tax_year, target.dollars[index]) for target in meaning.targets]


# ------------------------------------------------------------------ shares


@pytest.mark.parametrize(
    ("value", "shares"),
    [
        ("100", Decimal(100)),
        (" 1,000.5 ", Decimal("1000.5")),
        ("+.5", Decimal("0.5")),
        ("0.123456789", Decimal("0.123456789")),
        ("2.5000000000000", Decimal("2.5")),  # trailing zeros are no more places
        (7, Decimal(7)),
        (0.1, Decimal("0.1")),  # as Python prints the float, not its binary expansion
        (Decimal("1E+3"), Decimal(1000)),
        (10**15, Decimal(10**15)),
    ],
)
def test_a_share_count_is_read_exactly(value: object, shares: Decimal) -> None:
    assert share_count(value) == shares


@pytest.mark.parametrize(
    "value",
    [
        "-5",
        "-0",
        "1.0000000001",  # a tenth of a billionth: more places than bulk keeps
        "1e-05",  # text says plain digits
        "12,34",
        "1,000,00",
        "ten",
        ".",
        -0.0,
        float("nan"),
        float("inf"),
        10**15 + 1,
        True,
    ],
)
def test_a_share_count_that_is_not_one_is_refused(value: object) -> None:
    with pytest.raises(InvalidSharesError, match="give a number of shares from 0 to"):
        share_count(value, "Shares")


@pytest.mark.parametrize("value", [None, "", "  "])
def test_a_blank_share_count_says_blank(value: object) -> None:
    with pytest.raises(InvalidSharesError, match="Shares is blank"):
        share_count(value, "Shares")


# ----------------------------------------------------------------- columns


def test_columns_are_found_by_the_names_holdings_files_use() -> None:
    columns = RecordColumns.find(
        ["Branch", "Acct", "ISIN", "Symbol", "Shares Held", "Payable date", "date"],
        ["branch", "Acct"],
        "records.csv",
    )
    assert columns.security == ("ISIN", "Symbol")
    assert columns.shares == "Shares Held"
    assert columns.dates == (("Payable date", "payable"), ("date", None))
    assert columns.by == ("Branch", "Acct")
    assert columns.key == ("ISIN", "Symbol", "Payable date", "date")


def test_missing_columns_are_named_with_what_was_found() -> None:
    with pytest.raises(HoldingsFileError) as caught:
        RecordColumns.find(["account", "value"], ["acct", "cusip"], "big.parquet")
    assert str(caught.value).splitlines() == [
        "big.parquet: no security column; name one cusip, isin, symbol, ticker, security "
        "(found: 'account', 'value')",
        "big.parquet: no shares column; name one shares, shares held, quantity, qty, units, "
        "or an amount column amount, amount received, dollars received, dividends received "
        "(found: 'account', 'value')",
        "big.parquet: no column 'acct' to group by; the records have 'account', 'value'",
        "big.parquet: cannot group by 'cusip': the output has a column of that name; rename "
        "the column in the records",
    ]


# --------------------------------------------------------------- meanings


def test_an_undated_record_holds_every_payment_of_the_year(resolver: Resolver) -> None:
    # Class G (2004 only): 4 × $0.5859375 × 1.3268% = $0.031096875 of box 1b per share.
    assert box(resolver, ("AIVPrG", None), "box_1b") == [(2004, Decimal("0.031096875"))]


def test_a_dated_record_holds_that_payment_only(resolver: Resolver) -> None:
    assert box(resolver, ("03748R-10-1", "2004-02-20"), "box_1b") == [(2004, Decimal("0.0079608"))]


def test_a_dated_record_holds_each_loaded_part_of_a_split_payment(resolver: Resolver) -> None:
    assert box(resolver, ("STAG", "2023-12-29"), "box_1a") == [
        (2023, Decimal("0.013268")),
        (2024, Decimal("0.095919")),
    ]


def test_a_class_with_annual_totals_only_is_held_all_year(resolver: Resolver) -> None:
    assert box(resolver, ("O", None), "box_1a") == [(2023, Decimal("2.8434500"))]
    [target] = resolver.meaning(("O", None)).targets
    assert not target.lacking
    # Realty Income's release prints no qualified dividends: box 1b is unknown, held or not.
    assert target.missing(Decimal(0)) & 1 << resolver.layout.columns.index("box_1b")


def test_a_box_the_years_form_lacks_is_unknown(resolver: Resolver) -> None:
    [target] = resolver.meaning(("AIV", None)).targets
    unknown = {
        column
        for index, column in enumerate(resolver.layout.columns)
        if target.unknown >> index & 1
    }
    # The 2004 form has no boxes 2e, 2f or 5 for a REIT's figures, and Aimco discloses no 1061.
    assert unknown == {
        "box_2c",
        "box_2d",
        "box_2e",
        "box_2f",
        "box_5",
        "section_1061_one_year",
        "section_1061_three_year",
    }


def test_an_undated_record_holds_the_year_asked_for() -> None:
    columns = RecordColumns.find(["cusip", "shares"], [], "r")
    table = bundled_table()
    assert box(Resolver(columns, table, tax_year=2023), ("STAG",), "box_1a")[0][0] == 2023
    assert box(Resolver(columns, table), ("STAG",), "box_1a")[0][0] == 2024
    meaning = Resolver(columns, table, tax_year=2022).meaning(("STAG",))
    assert meaning.problem == (
        "Common Stock has no table for tax year 2022; give the payment's date, or another year"
    )


@pytest.mark.parametrize(
    ("key", "column", "message"),
    [
        (("03748R102", None), "CUSIP", "check digit is '2', expected '1'"),
        (("ZZZZ", None), "CUSIP", "'ZZZZ' is not a CUSIP, ISIN or symbol"),
        ((None, "2004-02-20"), None, "'CUSIP' is blank"),
        (("AIV", "2004-02-21"), "Record date", "paid nothing on that date"),
        (("AIV", "2004-02-27"), "Record date", "paid nothing on that date"),  # a payable date
        (("AIV", "next week"), "Record date", "next week"),
    ],
)
def test_a_key_that_means_nothing_names_its_column(
    resolver: Resolver, key: tuple[object, ...], column: str | None, message: str
) -> None:
    meaning = resolver.meaning(key)
    assert meaning.targets == ()
    assert meaning.column == column
    assert meaning.problem is not None and message in meaning.problem


def test_two_security_columns_must_name_one_class() -> None:
    columns = RecordColumns.find(["cusip", "symbol", "shares"], [], "r")
    resolver = Resolver(columns, default_table())
    assert resolver.meaning(("03748R101", "AIV")).problem is None
    assert resolver.meaning(("03748R101", "AIVPrG")).problem == (
        "'AIVPrG' is Class G Cumulative Preferred Stock, but the record also names "
        "Class A Common Stock"
    )


def test_the_layout_keeps_every_box_of_every_edition_in_the_forms_order() -> None:
    table = bundled_table()
    assert layout(table).columns == (
        "box_1a",
        "box_1b",
        "box_2a",
        "box_2b",
        "box_2c",
        "box_2d",
        "box_2e",
        "box_2f",
        "box_3",
        "box_5",
        "section_1061_one_year",
        "section_1061_three_year",
    )
    # Aimco's Class G: $0.5859375 × 1.3268% = $0.00777421875, eleven places.
    assert layout(table).places == 11
    # Aimco's table alone: the boxes of the 2004 form it prints.
    assert layout(aimco_table()).columns == ("box_1a", "box_1b", "box_2a", "box_2b", "box_3")


def test_a_payment_wholly_of_the_next_year_makes_no_box_its_release_never_prints(
    resolver: Resolver,
) -> None:
    """MPT's payment of 2022-12-08 is all 2023's: its 2022 release prints '-' for each figure.

    Its 2022 row is $0 in the boxes MPT's release prints (1a, 2a, 2b, 2f, 3, 5: the
    columns of its table) and empty in those it never prints, as MPT's other
    payments leave them.
    """
    [target] = resolver.meaning(("58463J304", "2022-12-08")).targets
    boxes = {
        column: None if target.missing(Decimal(100)) >> index & 1 else target.dollars[index]
        for index, column in enumerate(resolver.layout.columns)
    }
    assert (target.tax_year, boxes) == (
        2022,
        {
            "box_1a": 0,
            "box_1b": None,
            "box_2a": 0,
            "box_2b": 0,
            "box_2c": None,
            "box_2d": None,
            "box_2e": None,
            "box_2f": 0,
            "box_3": 0,
            "box_5": 0,
            "section_1061_one_year": None,
            "section_1061_three_year": None,
        },
    )


def test_a_32_bit_float_is_read_by_its_own_shortest_digits() -> None:
    """pandas reads a Parquet FLOAT as NumPy's float32: 0.1 there is one tenth."""
    import numpy as np

    assert share_count(np.float32(0.1)) == Decimal("0.1")
    assert share_count(np.float32(1e-05)) == Decimal("0.00001")
    with pytest.raises(InvalidSharesError):
        share_count(np.float32(-0.0))
