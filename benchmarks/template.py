"""Row 5: the template workbook against openpyxl writing the same values, unstyled."""

from __future__ import annotations

import tempfile
from pathlib import Path

import xl_reit

from .harness import Row, once, seconds
from .synthetic import synthetic_table


def template(quick: bool) -> list[Row]:
    """Row 5: the template workbook against openpyxl writing the same values, unstyled."""
    import openpyxl

    from xl_reit import workbook
    from xl_reit.table import AllocationTable

    rows: list[Row] = []
    bundled = "the bundled tax year 2004 (the committed workbook)"
    sizes = [(bundled, None), ("10,000 classes x 4 payments", 10_000)]
    if quick:
        sizes = [(bundled, None), ("200 classes x 4 payments", 200)]
    with tempfile.TemporaryDirectory() as folder:
        for label, classes in sizes:
            table = (
                xl_reit.default_table()
                if classes is None
                else AllocationTable.from_texts([("synthetic.csv", synthetic_table(classes))])
            )
            chosen = list(
                workbook.classes_for_year(
                    list(table.classes.values()), 2004 if classes is None else None
                )
            )
            book = workbook.build(chosen)
            sheets = [
                (sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)])
                for sheet in book.worksheets
            ]

            def ours(chosen: list[xl_reit.SecurityClass] = chosen) -> None:
                workbook.write_template(Path(folder) / "ours.xlsx", chosen, overwrite=True)

            def plain(sheets: list[tuple[str, list[list[object]]]] = sheets) -> None:
                plain_book = openpyxl.Workbook()
                plain_book.remove(plain_book.active)
                for title, values in sheets:
                    sheet = plain_book.create_sheet(title)
                    for row in values:
                        sheet.append(row)
                plain_book.save(Path(folder) / "plain.xlsx")

            repeats = 3 if classes is None else 1
            ours_time = min(once(ours, 1) for _ in range(repeats))
            plain_time = min(once(plain, 1) for _ in range(repeats))
            rows.append(
                Row(
                    "5",
                    f"xl-reit template, {label}",
                    seconds(ours_time),
                    f"openpyxl, same values, no styling: {seconds(plain_time)}",
                    f"{ours_time / plain_time:.2f}x baseline",
                    "<= 1.5x baseline",
                    ours_time / plain_time <= 1.5,
                )
            )
    return rows
