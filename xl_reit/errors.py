"""The one exception tree of xl-reit.

Every problem a user can fix is an :class:`XlReitError`, which is a
:class:`ValueError`. The Python API raises these; the Excel edge
(``xl_reit.udfs``) turns them, and only them, into ``#N/A …`` cell text, so a
bug in xl-reit itself still raises and is seen.

A message names the argument, the value that was given and what would be
valid, so that the person at the keyboard can fix the input without reading
the code.
"""

from __future__ import annotations

__all__ = [
    "AmbiguousDateError",
    "DataFileError",
    "InvalidCusipError",
    "InvalidDateError",
    "InvalidSharesError",
    "NoPaymentError",
    "UnknownComponentError",
    "UnknownSecurityError",
    "XlReitError",
    "shown",
]

_SHOWN_LIMIT = 60


def shown(value: object, limit: int = _SHOWN_LIMIT) -> str:
    """``repr(value)`` cut to ``limit`` characters, for quoting user input in a message.

    A cell can hold 32,767 characters and a Python caller can pass anything;
    a message quotes enough to recognise the value, never all of it.
    """
    try:
        text = repr(value)
    except Exception:  # a user object whose __repr__ fails is still quoted
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


class XlReitError(ValueError):
    """Any problem with the input or the data that the user can fix."""


class InvalidCusipError(XlReitError):
    """A security identifier that is not a well-formed CUSIP or ISIN.

    Covers the wrong length, characters a CUSIP cannot hold, and a wrong
    check digit (the message says which digit was expected).
    """


class UnknownSecurityError(XlReitError):
    """A well-formed identifier or symbol that no loaded table holds."""


class InvalidDateError(XlReitError):
    """A date argument that cannot be read as a calendar date."""


class NoPaymentError(XlReitError):
    """A valid date on which the security made no payment.

    The message lists the class's record and payable dates.
    """


class AmbiguousDateError(NoPaymentError):
    """A date that is one payment's record date and another's payable date.

    The message names both payments and asks for the payable date of the one
    meant.
    """


class UnknownComponentError(XlReitError):
    """A component name, alias or 1099-DIV box that is not known.

    The message lists the valid names.
    """


class InvalidSharesError(XlReitError):
    """A share count that is not a finite number of 0 or more."""


class DataFileError(XlReitError):
    """An allocation table that fails validation.

    ``problems`` holds every problem found, each naming file, line and
    column, so a bad table is rejected whole with one complete report.
    """

    def __init__(self, problems: list[str] | str) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))
