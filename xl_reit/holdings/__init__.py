"""A shareholder's holdings: how many shares of which class on which payment.

:func:`read_holdings` reads a holdings file in the steps its modules name:

:mod:`~xl_reit.holdings.files`
    what the file *is*, from its bytes: a workbook or text, which encoding
    and delimiter (see there for the CSV files spreadsheets write);
:mod:`~xl_reit.holdings.xlsx`
    the rows of a workbook's first sheet, read as untrusted;
:mod:`~xl_reit.holdings.lines`
    what each line *means*: its columns, the shares it holds and the payments
    it holds them on (see there for the columns a file may have).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .. import collector
from ..table import AllocationTable
from . import files
from .lines import (
    ACQUIRED_COLUMNS,
    AMOUNT_COLUMNS,
    AMOUNT_DISAGREES,
    AMOUNT_NEGATIVE,
    COST_COLUMNS,
    DATE_COLUMNS,
    SECURITY_COLUMNS,
    SHARES_COLUMNS,
    SOLD_COLUMNS,
    Held,
    Holdings,
    Lot,
    LotTerms,
    TextFormat,
    amount_disagrees,
    amount_key,
    amount_parts,
    amount_whole,
    dollars,
    parse_rows,
    share_key,
)

__all__ = [
    "ACQUIRED_COLUMNS",
    "AMOUNT_COLUMNS",
    "AMOUNT_DISAGREES",
    "AMOUNT_NEGATIVE",
    "COST_COLUMNS",
    "DATE_COLUMNS",
    "SECURITY_COLUMNS",
    "SHARES_COLUMNS",
    "SOLD_COLUMNS",
    "Held",
    "Holdings",
    "Lot",
    "LotTerms",
    "TextFormat",
    "amount_disagrees",
    "amount_key",
    "amount_parts",
    "amount_whole",
    "dollars",
    "file_rows",
    "parse_rows",
    "read_holdings",
    "share_key",
]


def read_holdings(
    path: str | Path,
    table: AllocationTable | None = None,
    *,
    skip_bad: bool = False,
    tax_year: int | None = None,
    every_year: bool = False,
) -> Holdings:
    """Read a holdings file: an ``.xlsx``/``.xlsm`` workbook (first sheet) or CSV text.

    What the file is, is checked from its bytes against its name; see
    :mod:`~xl_reit.holdings.files` for encodings and delimiters, and
    :func:`parse_rows` for ``skip_bad``. A line without a date holds its
    shares in ``tax_year``'s payments (default: the latest year the table
    holds for the class; with ``every_year``, every year it holds, for
    :meth:`Holdings.for_year` to choose from). Raises
    :class:`~xl_reit.errors.HoldingsFileError`.
    """
    with collector.paused():  # a million lines' keys, all alive to the end
        return _read(Path(path), str(path), table, skip_bad, tax_year, every_year)


def _read(
    file: Path,
    source: str,
    table: AllocationTable | None,
    skip_bad: bool,
    tax_year: int | None,
    every_year: bool,
) -> Holdings:
    rows, text_format = file_rows(file, source)
    return parse_rows(
        rows,
        source,
        table,
        text_format=text_format,
        skip_bad=skip_bad,
        tax_year=tax_year,
        every_year=every_year,
    )


def file_rows(
    file: Path, source: str, what: str = "the holdings file"
) -> tuple[Iterable[tuple[int, Sequence[Any]]], TextFormat | None]:
    """A holdings-like file's ``(line, cells)`` rows, and how its text is written.

    A workbook's first sheet (``None``: no text format) or CSV text, told
    apart by its bytes and checked against its name (see
    :mod:`~xl_reit.holdings.files`); ``what`` names the file in messages.
    """
    try:
        data = file.read_bytes()
    except OSError as error:
        raise files.file_error(source, f"cannot read {what}: {error.strerror or error}") from None
    mismatch = files.content_error(source, file, data)
    if mismatch is not None:
        raise mismatch
    if not files.is_workbook(data):
        text, encoding = files.decode(data, source)
        text, hinted = files.separator_hint(text)
        text_format = TextFormat(encoding, hinted or files.sniff_delimiter(text))
        return files.csv_rows(text, text_format.delimiter, source), text_format
    from .xlsx import read_sheet_rows  # openpyxl only where a workbook is read

    try:
        return read_sheet_rows(io.BytesIO(data)), None
    except ValueError as error:
        raise files.file_error(source, f"cannot read {what}: {error}") from None
