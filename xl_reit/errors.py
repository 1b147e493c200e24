"""The one exception tree of xl-reit, and the values that say where a problem is.

Every problem a user can fix is an :class:`XlReitError`, which is a
:class:`ValueError`. The Python API raises these; the Excel edge
(``xl_reit.udfs``) turns them, and only them, into ``#N/A …`` cell text, so a
bug in xl-reit itself still raises and is seen.

A message names the argument, the value that was given and what would be
valid, so that the person at the keyboard can fix the input without reading
the code.

A problem in a file (a table, a holdings file) is a :class:`Problem`: the
file, the line, the column and the message, as values. Readers collect them;
:func:`render_problems` is the one place that turns them into text, and
:class:`Origin` (file and line) travels with every row loaded, so no caller
ever has to take a message or a ``"file:line"`` string apart again (a
Windows path has a colon of its own)::

    >>> str(Problem(r"C:\\data\\b.csv", 2, "cusip", "check digit is '2', expected '1'"))
    "C:\\\\data\\\\b.csv, line 2, column cusip: check digit is '2', expected '1'"
    >>> Origin(r"C:\\data\\b.csv", 7).name
    'b.csv'
"""

from __future__ import annotations

import ntpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "AmbiguousDateError",
    "DataFileError",
    "HoldingsFileError",
    "InvalidCusipError",
    "InvalidDateError",
    "InvalidSharesError",
    "NoPaymentError",
    "NotPrintedError",
    "Origin",
    "OutputFileError",
    "Problem",
    "ReleaseFileError",
    "TemplateSelectionError",
    "UnknownComponentError",
    "UnknownSecurityError",
    "XlReitError",
    "render_problems",
    "shown",
]

_SHOWN_LIMIT = 60

#: How many problems a message lists before it says how many more there are.
MAX_LISTED_PROBLEMS = 20


def shown(value: object, limit: int = _SHOWN_LIMIT) -> str:
    """``repr(value)`` cut to ``limit`` characters, for quoting user input in a message.

    A cell can hold 32,767 characters and a Python caller can pass anything;
    a message quotes enough to recognise the value, never all of it.

    >>> shown("x" * 100, 10)
    "'xxxxxxxx…"
    """
    try:
        text = repr(value)
    except Exception:  # a user object whose __repr__ fails is still quoted
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Origin:
    """Where something was read: a file and, where known, a line (1 is the first).

    Every row of a loaded table carries its origin, so a message or a report
    can say which file and line a figure came from.
    """

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}, line {self.line}"

    @property
    def name(self) -> str:
        """The file's name without its folder, on any platform's paths."""
        return ntpath.basename(self.file)

    def short(self) -> str:
        """``aimco-2004.csv:12``: the file's name and the line, for a narrow column."""
        return self.name if self.line is None else f"{self.name}:{self.line}"


#: A column written as the table file's own schema names it (``cusip``,
#: ``ordinary, qualified``) is shown as it is; a user's header is quoted.
_SCHEMA_COLUMNS = re.compile(r"[a-z0-9_]+(?:, [a-z0-9_]+)*")


@dataclass(frozen=True)
class Problem:
    """One problem found in a file: where it is, and what is wrong.

    ``line`` and ``column`` are ``None`` for a problem with the file as a
    whole. Render with ``str()``: ``file, line 3, column 'Shares': message``.
    ``unit`` says what ``line`` counts: ``"line"``, the lines of a text file;
    or ``"row"``, the records of a table that has no lines (a Parquet file, a
    DataFrame), counted from 1 below the header::

        >>> str(Problem("big.parquet", 7, "shares", "is blank", unit="row"))
        'big.parquet, row 7, column shares: is blank'
    """

    file: str
    line: int | None
    column: str | None
    message: str
    unit: str = "line"

    @property
    def origin(self) -> Origin:
        """The file and line of the problem."""
        return Origin(self.file, self.line)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, {self.unit} {self.line}"
        if self.column:
            column = self.column if _SCHEMA_COLUMNS.fullmatch(self.column) else repr(self.column)
            where += f", column {column}"
        return f"{where}: {self.message}" if where else self.message


def render_problems(
    problems: Sequence[Problem | str], limit: int = MAX_LISTED_PROBLEMS
) -> list[str]:
    """The lines of a message listing ``problems``: the first ``limit``, then a count.

    A file with a hundred thousand bad lines gives a message of ``limit``
    lines and "… and N more problems", never megabytes.
    """
    lines = [str(problem) for problem in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"… and {len(problems) - limit} more problems")
    return lines


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


class NotPrintedError(UnknownComponentError):
    """A figure the release neither prints for a payment nor determines by its printed ones.

    The message names the payment and lists the figures it does answer.
    """


class InvalidSharesError(XlReitError):
    """A share count that is not a finite number of 0 or more."""


class _ProblemsError(XlReitError):
    """An error that lists problems found in a file, each with file, line and column."""

    def __init__(self, problems: Iterable[Problem | str] | str, *, notes: Sequence[str] = ()):
        items = (problems,) if isinstance(problems, str) else tuple(problems)
        #: Every problem found, so a bad file is rejected whole with one complete report.
        self.problems: tuple[Problem | str, ...] = items
        super().__init__("\n".join([*render_problems(items), *notes]))


class DataFileError(_ProblemsError):
    """An allocation table that fails validation.

    ``problems`` holds every problem found, each a :class:`Problem` naming
    file, line and column (or a plain message for the table as a whole), so
    a bad table is rejected whole with one complete report; the message
    lists the first ones and how many more there are.
    """


class HoldingsFileError(_ProblemsError):
    """A holdings file that cannot be read, or has bad lines (each named by file, line, column)."""


class ReleaseFileError(XlReitError):
    """A release file that ``xl-reit import`` cannot read, and what would work instead.

    A file that is not text, a web page or a PDF (a Word document, an image);
    a web page that holds no HTML; a PDF that is encrypted, damaged, or a scan
    whose pages are images without text. The message names the file.
    """


class OutputFileError(XlReitError):
    """A file a command was asked to write: it exists (without ``--force``) or cannot be written."""


class TemplateSelectionError(XlReitError):
    """Classes or holdings that one workbook cannot hold together."""
