"""Row 11: the readers of untrusted files (releases, table files) on very large inputs."""

from __future__ import annotations

import tempfile
from pathlib import Path

from xl_reit.components import COMPONENTS

from .harness import ROOT, Row, once, seconds
from .synthetic import synthetic_table


def _words_floor(text: str) -> float:
    """Seconds to split ``text`` into lines and words with one regex: reading it at all."""
    import re

    pattern = re.compile(r"\S+")
    return once(lambda: [pattern.findall(line) for line in text.splitlines()], 3)


def large_files(quick: bool) -> list[Row]:
    """Row 11: the readers of untrusted files on very large inputs, in seconds each."""
    from xl_reit.importer import parse_release
    from xl_reit.table import load_table

    scale = 100 if quick else 1
    release = (ROOT / "tests" / "releases" / "aimco-2004.txt").read_text(encoding="utf-8")
    lines = release.splitlines()
    long_release = "\n".join((lines * (100_000 // scale // len(lines) + 1))[: 100_000 // scale])
    head = "Example Trust 2020 Dividend Tax Allocation\nCommon Stock (CUSIP 41196Q100)\n"
    dates = " ".join(["03/31/2020 04/15/2020 $0.25"] * (1_000_000 // scale // 28))
    long_line = head + "Record Date\tPayable Date\tDividend per Share\n" + dates + "\n"
    found = []
    for what, text in (
        (f"a release with one {len(dates):,}-character line of payments", long_line),
        (f"a {len(long_release.splitlines()):,}-line release", long_release),
    ):
        took = once(lambda text=text: parse_release(text, source_name="large.txt"), 1)
        floor = _words_floor(text)
        found.append(_large_row(f"xl-reit import, {what}", took, floor, "split into words"))

    table_text = synthetic_table(25_000 // scale)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.csv"
        path.write_text(table_text, encoding="utf-8")
        took = once(lambda: load_table([path], override=True), 1)
    floor = once(lambda: _csv_floor(table_text), 3)
    rows = table_text.count("\n") - 1
    found.append(
        _large_row(f"loading a {rows:,}-line table file", took, floor, "csv + Decimal figures")
    )
    return found


def _csv_floor(text: str) -> None:
    """Read a table file's rows with csv and every figure cell as a Decimal."""
    import csv
    import io
    from decimal import Decimal

    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    figures = [i for i, name in enumerate(header) if name in COMPONENTS or name.startswith("divid")]
    for row in reader:
        for i in figures:
            Decimal(row[i])


def _large_row(what: str, took: float, floor: float, floor_what: str) -> Row:
    return Row(
        "11",
        what,
        seconds(took),
        f"{floor_what}: {seconds(floor)}",
        f"{took / floor:,.0f}x floor",
        "<= 5 s",  # a few seconds (#14); a run of hours or minutes was the fault
        took <= 5,
    )
