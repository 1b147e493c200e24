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
    "DataFileError",
    "InvalidCusipError",
    "InvalidDateError",
    "InvalidSharesError",
    "NoPaymentError",
    "UnknownComponentError",
    "UnknownSecurityError",
    "XlReitError",
]


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
