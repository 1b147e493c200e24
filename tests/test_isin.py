"""ISINs that wrap a CUSIP."""

from __future__ import annotations

import pytest

from xl_reit import isin
from xl_reit.errors import InvalidCusipError


def test_aimco_class_a_isin_wraps_its_cusip() -> None:
    assert isin.from_cusip("03748R-10-1") == "US03748R1014"
    assert isin.to_cusip("US03748R1014") == "03748R101"


def test_a_widely_published_isin_checks() -> None:
    # Apple Inc.: US0378331005.
    assert isin.calc_check_digit("US037833100") == "5"


def test_wrong_isin_check_digit_is_refused() -> None:
    with pytest.raises(InvalidCusipError, match="expected '4'"):
        isin.to_cusip("US03748R1015")


def test_isin_of_a_country_without_cusips_is_refused() -> None:
    code = "GB" + "03748R101"
    with pytest.raises(InvalidCusipError, match="do not carry a CUSIP"):
        isin.to_cusip(code + isin.calc_check_digit(code))
