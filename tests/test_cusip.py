"""CUSIP reading and checking (no REIT knowledge involved)."""

from __future__ import annotations

import pytest

from xl_reit import cusip
from xl_reit.errors import InvalidCusipError, XlReitError

# The release's eight CUSIPs, as printed (hyphenated).
PRINTED = [
    "03748R-10-1",
    "03748R-30-9",
    "03748R-40-8",
    "03748R-86-1",
    "03748R-85-3",
    "03748R-84-6",
    "03748R-83-8",
    "03748R-82-0",
]


@pytest.mark.parametrize("printed", PRINTED)
def test_every_cusip_the_release_prints_has_a_valid_check_digit(printed: str) -> None:
    code = printed.replace("-", "")
    assert cusip.calc_check_digit(code[:8]) == code[8]
    assert cusip.validate(printed) == code
    assert cusip.format(code) == printed


@pytest.mark.parametrize("spelling", ["03748R-10-1", "03748R101", "03748r101", " 03748R 10 1 "])
def test_compact_accepts_hyphens_spaces_and_any_case(spelling: str) -> None:
    assert cusip.validate(spelling) == "03748R101"
    assert cusip.is_valid(spelling)


def test_known_third_party_cusip_check_digit() -> None:
    # Apple Inc. common stock, 037833100: a widely published CUSIP.
    assert cusip.calc_check_digit("03783310") == "0"


def test_wrong_check_digit_says_which_digit_was_expected() -> None:
    with pytest.raises(InvalidCusipError, match=r"check digit is '2', expected '1'"):
        cusip.validate("03748R102")


def test_eight_characters_suggest_the_complete_cusip() -> None:
    with pytest.raises(InvalidCusipError, match="would be 03748R101"):
        cusip.validate("03748R10")


@pytest.mark.parametrize("junk", ["", "1234", "03748R1011", "03748R!01"])
def test_malformed_cusips_are_refused_naming_the_argument(junk: str) -> None:
    with pytest.raises(InvalidCusipError, match=r"^security "):
        cusip.validate(junk, argument="security")
    assert not cusip.is_valid(junk)


def test_invalid_cusip_is_a_value_error_users_can_catch() -> None:
    assert issubclass(InvalidCusipError, XlReitError)
    assert issubclass(XlReitError, ValueError)
