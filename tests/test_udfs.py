"""The REIT_* functions as Excel calls them: floats, None, Decimal, ranges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from bundled_classes import BUNDLED_CLASSES
from test_cells import JsNull

from xl_reit import lookup
from xl_reit.udfs import REIT_ALLOC, REIT_AMOUNT, REIT_CLASSES, REIT_DIVIDEND, REIT_PAYMENTS

FEB_27 = dt.datetime(2004, 2, 27)  # a date cell arrives as a datetime
FEB_27_SERIAL = 38044.0  # =DATE(2004,2,27) or a General cell arrives as a float


def is_error(value: object) -> bool:
    return isinstance(value, str) and value.startswith("#N/A ")


def test_the_issue_example_returns_the_qualified_fraction() -> None:
    assert REIT_ALLOC("03748R-10-1", "2004-02-27", "qualified") == 0.013268


@pytest.mark.parametrize("payment_date", [FEB_27, FEB_27_SERIAL, Decimal("38044"), "02/27/04"])
def test_excel_shaped_scalars_give_a_float(payment_date: object) -> None:
    result = REIT_ALLOC("03748R-10-1", payment_date, "Box 1b")
    assert type(result) is float and result == 0.013268


def test_a_date_with_no_payment_returns_na_text_listing_the_dates() -> None:
    result = REIT_ALLOC("03748R861", "2004-01-15", "1a")
    assert is_error(result)
    assert "2004-04-15 (payable)" in result


@pytest.mark.parametrize(
    ("arguments", "argument_named"),
    [
        ((None, FEB_27, "1a"), "cusip is blank"),
        (("AIV", None, "1a"), "payment_date is blank"),
        (("AIV", FEB_27, None), "component is blank"),
        (("03748R102", FEB_27, "1a"), "expected '1'"),
        (("AIV", FEB_27, "dividend"), "component 'dividend' is not known"),
    ],
)
def test_blank_and_bad_arguments_return_na_text_naming_the_argument(
    arguments: tuple[object, ...], argument_named: str
) -> None:
    result = REIT_ALLOC(*arguments)
    assert is_error(result) and argument_named in result
    assert "\n" not in result and "Traceback" not in result


def test_a_column_in_gives_a_column_out_with_errors_in_place() -> None:
    # Rows come back as tuples: xlwings writes any sequence of sequences.
    securities = [["AIV"], ["03748R-30-9"], [None], ["AIVPrP"]]
    result = REIT_ALLOC(securities, "annual", "1a", 2004.0)  # AIV has 2013 too
    assert isinstance(result, list) and len(result) == 4
    assert all(isinstance(row, tuple) and len(row) == 1 for row in result)
    assert result[0] == (0.029856,) and result[1] == (0.029856,) and result[3] == (0.029856,)
    assert is_error(result[2][0])


def test_a_row_in_gives_a_row_out() -> None:
    result = REIT_ALLOC([["AIV", "AIVPrD", "AIVPrG"]], "annual", "2b", 2004.0)
    assert result == [(0.234064, 0.234064, 0.234064)]


def test_a_flat_list_from_python_gives_a_flat_list() -> None:
    assert REIT_ALLOC("AIV", FEB_27, ["1a", "1b", "2a", "2b", "3"]) == [
        0.029856,
        0.013268,
        0.970144,
        0.234064,
        0.0,
    ]


def test_a_column_of_dates_broadcasts_against_a_row_of_components() -> None:
    dates = [[FEB_27], [38135.0]]  # 2004-02-27 and 2004-05-28
    components = [["ordinary", "qualified"]]
    assert REIT_ALLOC("AIV", dates, components) == [
        (0.016588, 0.013268),
        (0.016588, 0.013268),
    ]


def test_ranges_of_different_heights_fill_the_gap_with_na_the_excel_way() -> None:
    result = REIT_ALLOC([["AIV"], ["AIV"], ["AIV"]], [[FEB_27], [FEB_27]], "1b")
    assert result[:2] == [(0.013268,), (0.013268,)]
    assert is_error(result[2][0]) and "payment_date: range is smaller" in result[2][0]


def test_a_one_by_one_range_gives_a_scalar() -> None:
    assert REIT_ALLOC([["AIV"]], [[FEB_27]], [["1b"]]) == 0.013268


@pytest.mark.parametrize(
    ("security", "reason"),
    [([], "empty range"), ([["AIV"], ["AIV", "AIV"]], "ragged"), ([["AIV"], "AIV"], "ragged")],
)
def test_malformed_ranges_return_na_text(security: object, reason: str) -> None:
    result = REIT_ALLOC(security, FEB_27, "1b")
    assert is_error(result) and reason in result


def test_a_bug_still_raises_so_it_is_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(lookup, "allocation", broken)
    with pytest.raises(RuntimeError):
        REIT_ALLOC("AIVPrQ", "2004-03-15", "ordinary")


def test_dividend_and_amount_from_excel_shapes() -> None:
    assert REIT_DIVIDEND("AIVPrG", FEB_27_SERIAL - 43) == 0.5859375  # 2004-01-15
    assert REIT_DIVIDEND([["AIVPrU"], ["AIVPrT"]], "annual") == [(1.081775,), (2.0,)]
    assert REIT_AMOUNT("AIV", FEB_27, "1b", 100.0) == pytest.approx(0.79608, abs=1e-12)
    assert REIT_AMOUNT("AIV", FEB_27, "1b", 1.0) == 0.0079608
    assert REIT_AMOUNT("AIV", FEB_27, "1b", [[100.0], [200.0]]) == [(0.79608,), (1.59216,)]
    assert is_error(REIT_AMOUNT("AIV", FEB_27, "1b", None))
    assert is_error(REIT_AMOUNT("AIV", FEB_27, "1b", -5.0))


def test_payments_spill_with_a_header_row_and_real_dates() -> None:
    rows = REIT_PAYMENTS("AIVPrU")
    assert rows[0] == [
        "Record date",
        "Payable date",
        "Dividend per share",
        "Ordinary",
        "Qualified",
        "Capital gain",
        "Unrecaptured 1250",
        "Return of capital",
        "Tax year",
    ]
    assert rows[1] == [
        dt.datetime(2004, 7, 1),
        dt.datetime(2004, 7, 15),
        0.5974,
        0.016588,
        0.013268,
        0.73608,
        0.234064,
        0.0,
        2004,
    ]
    assert rows[2][:3] == [dt.datetime(2004, 10, 1), dt.datetime(2004, 10, 15), 0.484375]
    assert is_error(REIT_PAYMENTS(None))


def test_classes_spill_with_a_header_row() -> None:
    rows = REIT_CLASSES()
    assert rows[0] == ["CUSIP", "Class", "Issuer", "Symbol", "Tax year"]
    assert rows[1:] == BUNDLED_CLASSES
    # Aimco's 8 classes of 2004 and its common of 2013, Developers Diversified's 1, Digital
    # Realty's 1, EPR's 1, Equity Residential's 2,
    # HASI's 1, KKR's 1, Link Parks' 1, MPT's 1, Realty Income's 3 (with Spirit's), Rexford's
    # 1, RPT's 1, Simon's 1, STAG's 1 in each of three years, UMH's 2, Whitestone's 1,
    # W. P. Carey's 1 in each of two.
    assert len(rows) == 1 + 9 + 1 + 1 + 1 + 2 + 1 + 1 + 1 + 1 + 3 + 1 + 1 + 1 + 3 + 2 + 1 + 2
    assert rows[1] == [
        "03748R101",
        "Class A Common Stock",
        "Apartment Investment and Management Company",
        "AIV",
        2004,
    ]


def test_a_whole_column_with_repeats_gives_each_cell_its_own_answer() -> None:
    securities = [["AIV"], ["AIVPrU"], ["bad"], ["AIV"], ["AIVPrU"], ["bad"]]
    result = REIT_DIVIDEND(securities, "annual", 2004.0)
    assert [row[0] for row in result if not is_error(row[0])] == [2.4, 1.081775, 2.4, 1.081775]
    assert is_error(result[2][0]) and result[2] == result[5]


def test_a_boolean_cell_is_not_taken_for_the_number_it_equals() -> None:
    result = REIT_AMOUNT("AIV", FEB_27, "1b", [[1.0], [True], [1]])
    assert result[0] == (0.0079608,) and result[2] == (0.0079608,)
    assert is_error(result[1][0]) and "shares True" in result[1][0]


def test_a_nested_list_in_a_cell_gets_an_error_in_that_cell_only() -> None:
    result = REIT_ALLOC([["AIV"], [["AIV"]]], FEB_27, "1b")
    assert result[0] == (0.013268,)
    assert is_error(result[1][0])


# --- blank and error cells, as each runtime passes them ---------------------------------

AMOUNT_ARGUMENTS = ("cusip", "payment_date", "component", "shares", "tax_year")
AMOUNT_VALID = ("AIV", FEB_27, "1b", 100.0, 2004.0)


def amount_with(argument: str, value: object) -> object:
    """REIT_AMOUNT of 100 AIV shares on 2004-02-27, box 1b, with one argument replaced."""
    arguments = list(AMOUNT_VALID)
    arguments[AMOUNT_ARGUMENTS.index(argument)] = value
    return REIT_AMOUNT(*arguments)


@pytest.mark.parametrize(
    "error",
    ["#DIV/0!", "#N/A", -2146826281, -2146826243],
    ids=["'#DIV/0!' (err_to_str)", "'#N/A'", "#DIV/0! COM code", "#SPILL! COM code"],
)
@pytest.mark.parametrize("argument", AMOUNT_ARGUMENTS)
def test_an_error_cell_in_any_argument_is_reported_as_that_error(
    argument: str, error: object
) -> None:
    name = {-2146826281: "#DIV/0!", -2146826243: "#SPILL!"}.get(error, error)  # type: ignore[call-overload]
    result = amount_with(argument, error)
    assert isinstance(result, str)
    assert result.startswith(f"#N/A {argument} is the error {name}; "), result


@pytest.mark.parametrize("blank", [None, JsNull(), ""], ids=["None", "JsNull", "''"])
@pytest.mark.parametrize("argument", ["cusip", "payment_date", "component", "shares"])
def test_a_blank_cell_in_a_required_argument_is_reported_as_blank(
    argument: str, blank: object
) -> None:
    result = amount_with(argument, blank)
    assert isinstance(result, str)
    assert result.startswith(f"#N/A {argument} is blank; "), result


@pytest.mark.parametrize("blank", [None, JsNull(), ""], ids=["None", "JsNull", "''"])
def test_a_blank_tax_year_means_the_whole_payment(blank: object) -> None:
    assert amount_with("tax_year", blank) == REIT_AMOUNT("AIV", FEB_27, "1b", 100.0)
    assert REIT_ALLOC("AIV", FEB_27, "1b", blank) == 0.013268


def test_a_tax_year_written_with_a_superscript_digit_is_no_year() -> None:
    # Found by the fuzzer (in a table file): "²" is a digit to str.isdigit(), not to int().
    assert amount_with("tax_year", "20²4") == (
        "#N/A tax_year '20²4': give a tax year such as 2023 (the year whose Form 1099-DIV the "
        "figure goes on), or leave it out for the whole payment"
    )


def test_error_cells_in_a_column_are_reported_cell_by_cell() -> None:
    result = REIT_ALLOC([["AIV"], ["#REF!"], [JsNull()]], FEB_27, "1b")
    assert result[0] == (0.013268,)
    assert result[1][0].startswith("#N/A cusip is the error #REF!")
    assert result[2][0].startswith("#N/A cusip is blank")


def test_a_zero_where_some_excel_versions_send_a_blank_cell_says_so() -> None:
    for argument in ("cusip", "payment_date"):
        result = amount_with(argument, 0)
        assert isinstance(result, str) and "is the cell blank?" in result, result


def test_classes_tell_the_common_stocks_of_ten_issuers_apart() -> None:
    common = [row[2:4] for row in REIT_CLASSES()[1:] if row[1] == "Common Stock"]
    assert common == [  # each issuer's own release, and the ticker it trades under
        ["Digital Realty Trust, Inc.", "DLR"],
        ["Hannon Armstrong Sustainable Infrastructure Capital, Inc.", "HASI"],
        ["KKR Real Estate Finance Trust Inc.", "48251K100"],  # no ticker printed: the CUSIP
        ["Medical Properties Trust, Inc.", "MPW"],
        ["Realty Income Corporation", "O"],
        ["Spirit Realty Capital, Inc.", "SRC"],
        ["Rexford Industrial Realty, Inc.", "REXR"],
        ["Simon Property Group, Inc.", "SPG"],
        ["STAG Industrial, Inc.", "STAG"],
        ["STAG Industrial, Inc.", "STAG"],
        ["STAG Industrial, Inc.", "STAG"],
        ["W. P. Carey Inc.", "WPC"],
        ["W. P. Carey Inc.", "WPC"],
    ]
