"""CSV cells that a spreadsheet will not run as formulas, and the way back.

Excel, LibreOffice and Google Sheets treat a CSV cell that starts with ``=``,
``+``, ``-`` or ``@`` as a formula, and some strip a leading tab or carriage
return first: a class name such as ``=HYPERLINK("http://x","y")`` or
``+cmd|' /C calc'!A0`` in a table someone sent would run when the CSV is
opened ("CSV injection"). Following OWASP's advice, :func:`escape` puts a
single quote before such a cell, which makes it text. A figure stays a
figure: ``-2.5`` is a plain number, not a formula, and keeps its form.

:func:`to_csv` writes rows so. The table file reader (:mod:`xl_reit.tablefile`) calls
:func:`unescape`, so that ``xl-reit payments --format csv`` still loads back
as the same table. The two are exact inverses: a text that already starts
with quotes before one of those characters gets one quote more, and loses
exactly one on the way back. The one cost: a hand-written table cell of the
form ``'=…`` loads without its first quote.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

__all__ = ["escape", "escape_sql", "to_csv", "unescape"]

#: Characters that make a spreadsheet read a cell as a formula (or skip to one).
TRIGGERS = "=+-@\t\r"
_NEEDS_QUOTE = re.compile(f"'*[{re.escape(TRIGGERS)}]")
_ESCAPED = re.compile(f"'+[{re.escape(TRIGGERS)}]")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def escape(cell: str) -> str:
    """``cell`` as a CSV cell that no spreadsheet evaluates: ``'=1+1`` for ``=1+1``.

    Plain numbers (``-2.5``, ``+3``) are left as they are; so is any text that
    does not start with ``= + - @``, a tab or a carriage return (after any quotes).
    """
    if _NEEDS_QUOTE.match(cell) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def escape_sql(expression: str) -> str:
    """A SQL expression that escapes the text of ``expression`` as :func:`escape` does.

    For the bulk engine (DuckDB), which writes CSV itself; its regular
    expressions (RE2) read these two patterns as Python does.
    """
    needs_quote = _NEEDS_QUOTE.pattern.replace("'", "''")
    return (
        f"CASE WHEN regexp_matches({expression}, '^{needs_quote}') "
        f"AND NOT regexp_full_match({expression}, '{_PLAIN_NUMBER.pattern}') "
        f"THEN '''' || {expression} ELSE {expression} END"
    )


def unescape(cell: str) -> str:
    """Undo :func:`escape`: drop the one quote it put before ``= + - @``, tab or CR."""
    return cell[1:] if _ESCAPED.match(cell) else cell


def to_csv(rows: Iterable[Sequence[str]]) -> str:
    """``rows`` as CSV text, lines ending in ``\\n`` (none after the last), every cell escaped.

    Each row is written with a CRLF terminator that is then cut: the csv
    module quotes a cell holding a line break only when the break is in its
    terminator, and a bare carriage return left unquoted makes the text
    unreadable as CSV.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    lines = []
    for row in rows:
        writer.writerow([escape(cell) for cell in row])
        lines.append(buffer.getvalue().removesuffix("\r\n"))
        buffer.seek(0)
        buffer.truncate()
    return "\n".join(lines)
