"""ISIN: the twelve-character International Securities Identification Number.

A US or Canadian ISIN wraps a CUSIP: country code, the nine CUSIP characters,
then a Luhn check digit over the whole, letters counted as two digits
(A=10 … Z=35). Aimco's Class A common stock ``03748R-10-1`` is
``US03748R1014``.

>>> from_cusip("03748R101")
'US03748R1014'
>>> to_cusip("US03748R1014")
'03748R101'
"""

from __future__ import annotations

from . import cusip
from .errors import InvalidCusipError, shown

__all__ = ["calc_check_digit", "from_cusip", "to_cusip", "validate"]

#: Countries whose ISINs carry a CUSIP (CUSIP Global Services' own range).
CUSIP_COUNTRIES = frozenset({"US", "CA", "BM", "KY", "VG", "PR", "VI", "GU", "AS"})


def calc_check_digit(base: str) -> str:
    """Return the Luhn check digit for the first eleven characters of an ISIN."""
    digits = "".join(str(int(character, 36)) for character in base[:11])
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit)
        if position % 2 == 0:
            value *= 2
        total += value // 10 + value % 10
    return str((10 - total % 10) % 10)


def validate(text: str, argument: str = "cusip") -> str:
    """Return the compact ISIN, or raise :class:`InvalidCusipError`."""
    code = cusip.compact(text)
    if len(code) != 12 or not code[:2].isalpha() or not code.isalnum() or not code.isascii():
        raise InvalidCusipError(f"{argument} {shown(text)}: an ISIN has 12 letters and digits")
    expected = calc_check_digit(code)
    if code[11] != expected:
        raise InvalidCusipError(
            f"{argument} {shown(text)}: ISIN check digit is '{code[11]}', expected '{expected}'"
        )
    return code


def to_cusip(text: str, argument: str = "cusip") -> str:
    """Return the CUSIP inside a North American ISIN, checking both check digits."""
    code = validate(text, argument)
    if code[:2] not in CUSIP_COUNTRIES:
        raise InvalidCusipError(
            f"{argument} {shown(text)}: ISINs from {code[:2]} do not carry a CUSIP"
        )
    return cusip.validate(code[2:11], argument)


def from_cusip(code: str, country: str = "US") -> str:
    """Return the ISIN for a CUSIP (``03748R101`` → ``US03748R1014``)."""
    base = country + cusip.compact(code)
    return base + calc_check_digit(base)
