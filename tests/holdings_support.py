"""What the holdings tests share: write a file, read its shares or its problems.

The holdings tests mirror the package: ``test_holdings.py`` for what lines
mean, ``test_holdings_files.py`` for what a file is (encodings, delimiters,
bytes against names) and ``test_holdings_xlsx.py`` for workbooks.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from xl_reit.errors import HoldingsFileError
from xl_reit.holdings import Holdings, read_holdings

DATA = Path(__file__).parent / "data"

# Payable dates of the release's payments, for the classes these tests hold.
CLASS_A = ["2004-02-27", "2004-05-28", "2004-08-31", "2004-11-30"]
CLASS_G = ["2004-01-15", "2004-04-15", "2004-07-15", "2004-10-15"]
CLASS_U = ["2004-07-15", "2004-10-15"]


def shares(holdings: Holdings, cusip: str) -> dict[str, Decimal]:
    """The shares a holdings file gives one class, by payable date."""
    return {
        day.isoformat(): count
        for (code, day), count in sorted(holdings.shares.items())
        if code == cusip
    }


def write(tmp_path: Path, text: str, name: str = "holdings.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(HoldingsFileError) as caught:
        read_holdings(path)
    return str(caught.value).splitlines()


def xlsx_bytes(*rows: list[Any]) -> bytes:
    """A real .xlsx workbook with these rows on its first sheet."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
