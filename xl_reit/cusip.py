"""CUSIP: the nine-character identifier of a North American security.

A CUSIP is six characters naming the issuer, two naming the issue and a check
digit computed from the first eight ("modulus 10 double add double"). Aimco's
Class A common stock is ``03748R-10-1``: issuer ``03748R``, issue ``10``,
check digit ``1``. People write CUSIPs with hyphens or spaces and in any case;
:func:`compact` removes all of that.

This module knows nothing about REITs: it only reads and checks identifiers.
The verbs follow python-stdnum: ``compact``, ``calc_check_digit``,
``validate``, ``is_valid``, ``format``.

>>> validate("03748r-10-1")
'03748R101'
>>> calc_check_digit("03748R10")
'1'
>>> format("03748R101")
'03748R-10-1'
>>> validate("03748R-10-2")
Traceback (most recent call last):
    ...
xl_reit.errors.InvalidCusipError: cusip '03748R-10-2': check digit is '2', expected '1' (03748R101)
>>> is_valid("03748R10")
False
"""

from __future__ import annotations

from .errors import InvalidCusipError, shown

__all__ = ["calc_check_digit", "compact", "format", "is_valid", "validate"]

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*@#"
_VALUES = {character: value for value, character in enumerate(_ALPHABET)}
_SEPARATORS = str.maketrans("", "", " -\t")


def compact(text: str) -> str:
    """Return ``text`` without spaces and hyphens, in upper case."""
    return text.translate(_SEPARATORS).strip().upper()


def calc_check_digit(base: str) -> str:
    """Return the check digit for the first eight characters of a CUSIP."""
    total = 0
    for position, character in enumerate(base[:8]):
        value = _VALUES[character]
        if position % 2:
            value *= 2
        total += value // 10 + value % 10
    return str((10 - total % 10) % 10)


def validate(text: str, argument: str = "cusip") -> str:
    """Return the compact form of a CUSIP, or raise :class:`InvalidCusipError`.

    The message names ``argument`` and says what is wrong: the length, the
    first character a CUSIP cannot hold, or which check digit was expected.
    """
    code = compact(text)
    if len(code) != 9:
        hint = ""
        if len(code) == 8 and all(c in _VALUES for c in code):
            hint = f" (with its check digit it would be {code}{calc_check_digit(code)})"
        raise InvalidCusipError(
            f"{argument} {shown(text)}: a CUSIP has 9 characters, this has {len(code)}{hint}"
        )
    for character in code[:8]:
        if character not in _VALUES:
            raise InvalidCusipError(
                f"{argument} {shown(text)}: {shown(character)} cannot appear in a CUSIP "
                "(valid: digits, letters A-Z, * @ #)"
            )
    expected = calc_check_digit(code)
    if code[8] != expected:
        raise InvalidCusipError(
            f"{argument} {shown(text)}: check digit is '{code[8]}', expected '{expected}' "
            f"({code[:8]}{expected})"
        )
    return code


def is_valid(text: str) -> bool:
    """Whether ``text`` is a valid CUSIP (hyphens, spaces and case allowed)."""
    try:
        validate(text)
    except InvalidCusipError:
        return False
    return True


def format(text: str) -> str:
    """Return the CUSIP in the printed form ``03748R-10-1``."""
    code = compact(text)
    return f"{code[:6]}-{code[6:8]}-{code[8:]}"
