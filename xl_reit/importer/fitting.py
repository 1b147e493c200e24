"""Step 7: a column-by-column table turned into one row per payment.

The number of payments comes from the table's own dates, else from the class's
dated tables. A column that prints more figures than payments is read when they
are all equal or the one extra is the annual figure; a column that prints fewer
is completed only when its printed figures are all equal (which row lost one
cannot be told), as a repair noted on every row it completes.
"""

from __future__ import annotations

from collections.abc import Sequence

from .lines import Token
from .model import (
    FIGURE_KINDS,
    Cell,
    Column,
    NoteRank,
    Row,
    TableRead,
    and_list,
    column_label,
    put,
)
from .report import MAX_EVIDENCE, Findings, clip, some

_NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def _count(number: int) -> str:
    return _NUMBER_WORDS[number] if number < len(_NUMBER_WORDS) else str(number)


def fit_columns(
    read: TableRead, payments: int | None, class_has_annual: bool, findings: Findings
) -> bool:
    """Turn a column-by-column table's columns into rows, one per payment.

    ``payments`` is the class's payment count from its dated tables (used
    when this table has no dates). Each row is read from the whole table and
    cites its lines, unless the table has more than MAX_EVIDENCE lines: then
    a row cites the lines of its own figures. A column with more figures than payments
    is read when they are all equal, or when the one extra is the annual
    figure; a column with fewer is completed when its printed figures (and
    its annual figure) are all equal — which row lost one cannot be told, but
    all rows are equal — and the row must then add up (checked later).
    """
    section = read.text.section
    record = next((c for c in read.columns if c.kind == "record_date"), None)
    payable = next((c for c in read.columns if c.kind == "payable_date"), None)
    count = len(record.values) if record else payments
    if count is None and payable is None:
        return _year_only(read, findings)
    if count is None or (payable and len(payable.values) != count):
        findings.add(
            "problem",
            "the table's dates do not give one record and one payable date per payment",
            read.text.numbers,
            section.class_name,
        )
        return False
    whole = len(read.text.numbers) <= MAX_EVIDENCE  # a row cites the whole table
    read.rows = [Row(lines=set(read.text.numbers) if whole else set()) for _ in range(count)]
    if record and payable:
        for row, day, paid in zip(read.rows, record.values, payable.values, strict=True):
            row.record, row.payable = day, paid
    annual = Row(lines=set(read.text.numbers))
    short: list[Column] = []
    for column in read.columns:
        if column.family == "date" or not column.kind or column.kind == "unsupported":
            continue
        annual_figures = _fit_column(column, count, class_has_annual, read, findings)
        if annual_figures is None:
            return False
        if annual_figures:
            put(annual, column.kind, annual_figures[0])
        if 0 < len(column.values) < count:
            short.append(column)
    if class_has_annual:
        read.annual = annual
    if not whole:  # a long table: each row cites the lines of its own figures
        for row in read.rows:
            row.lines = {t.line for t in (row.record, row.payable) if t}
            row.lines.update(line for cell in row.cells.values() for line in cell.lines)
    _note_short_columns(read, short, count, findings)
    return True


def no_dates(printed: str, what: str) -> str:
    """The problem of a table of ``printed`` (e.g. "4 rows") and no payment dates, and its fix."""
    return (
        f"no payment dates: {printed} and no record or payable date, so which payment each "
        f"{what} is cannot be told (only the year's totals, one {what}, are read without "
        "dates); nothing is written. Add each payment's record and payable dates to the "
        "release text (the issuer's dividend history gives them), one row a payment, and "
        "import it again"
    )


def _year_only(read: TableRead, findings: Findings) -> bool:
    """A table of figures without payment dates: the year's totals, when one figure a column.

    A release of a monthly payer may print only the year's totals of each
    class. Several figures a column without dates are payments that cannot
    be told apart (a problem): nothing is guessed.
    """
    columns = [
        c for c in read.columns if c.family == "figure" and c.kind not in ("", "unsupported")
    ]
    counts = sorted({len(c.values) for c in columns})
    section = read.text.section
    if counts != [1]:
        printed = " or ".join(map(str, counts))
        findings.add(
            "problem",
            no_dates(
                f"the table prints {printed} figures a column" if counts else "the table",
                "figure",
            ),
            read.text.numbers,
            section.class_name,
        )
        return False
    read.annual = Row(lines=set(read.text.numbers))
    for column in columns:
        put(read.annual, column.kind, column.values[0])
    read.has_annual = True
    findings.add(
        "reading",
        "no payment dates and one figure a column: the year's totals",
        read.text.numbers,
        section.class_name,
    )
    return True


def _fit_column(
    column: Column, count: int, class_has_annual: bool, read: TableRead, findings: Findings
) -> list[Token] | None:
    """Put a column's figures on the payment rows; its annual figures, or None (a problem).

    A column with fewer figures than payments is completed later, by
    :func:`_note_short_columns`, when its figures are all equal.
    """
    values = column.values
    amounts = {t.amount for t in values}
    annual = _annual_figures(column, count, class_has_annual, read, findings)
    if annual is None:
        return None
    for row, token in zip(read.rows, values[:count], strict=False):
        put(row, column.kind, token)
    label = column_label(column.kind)
    equal = len(amounts) == 1 and None not in amounts
    if 0 < len(values) < count and not (equal and {t.amount for t in annual} <= amounts):
        findings.add(
            "problem",
            f"the {label} column prints {len(values)} figures for {count} payments and they "
            "differ; which payment lost its figure cannot be told",
            read.text.numbers,
            read.text.section.class_name,
        )
        return None
    if len({t.amount for t in annual}) > 1:
        findings.add(
            "problem",
            f"two different annual {label} figures: "
            f"{some(annual, lambda t: clip(t.text, 60), ' and ')}",
            tuple(t.line for t in annual),
            read.text.section.class_name,
        )
        return None
    return annual


def _annual_figures(
    column: Column, count: int, class_has_annual: bool, read: TableRead, findings: Findings
) -> list[Token] | None:
    """A column's annual figures: those after an annual label, and the one after the payments'.

    A column that prints more figures than payments (and the annual line) is
    read only when they are all equal; else it is a problem (None).
    """
    values = column.values
    annual = list(column.annual)
    if len(values) <= count:
        return annual
    label = column_label(column.kind)
    amounts = {t.amount for t in values}
    if len(values) == count + 1 and class_has_annual and not annual:
        annual.append(values[-1])
    elif len(amounts) != 1 or None in amounts:
        findings.add(
            "problem",
            f"the {label} column prints {len(values)} figures for {count} payments; which "
            "belongs to which cannot be told",
            read.text.numbers,
            read.text.section.class_name,
        )
        return None
    if len(values) - count - (1 if class_has_annual else 0) > 0:
        findings.add(
            "reading",
            f"the {label} column prints {len(values)} figures for {count} payments"
            f"{' and the annual line' if class_has_annual else ''}; all are "
            f"{clip(values[0].text, 60)}, "
            "so every payment's figure is certain",
            read.text.numbers,
            read.text.section.class_name,
        )
    if len(values) == count + 1 and class_has_annual and values[-1] not in annual:
        annual.append(values[-1])
    return annual


def _note_short_columns(
    read: TableRead, short: Sequence[Column], count: int, findings: Findings
) -> None:
    """Complete the columns that print fewer figures than payments, with one note per row.

    Their figures are all equal (:func:`_fit_column` checked): the missing ones
    are that figure.
    """
    groups: dict[int, list[Column]] = {}
    for column in short:
        groups.setdefault(len(column.values), []).append(column)
    for printed, members in groups.items():
        labels = [column_label(column.kind) for column in members]
        figures = [clip(column.values[0].text, 60) for column in members]
        with_annual = all(column.annual for column in members) and read.annual is not None
        several = len(members) > 1
        text = (
            f"{and_list(labels)} {'columns are' if several else 'column is'} laid out column by "
            f"column and print{'' if several else 's'} {_count(printed)} figures for "
            f"{_count(count)} payments; the missing {and_list(figures)} "
            f"{'are' if several else 'is'} the value printed on every other row"
            f"{' and on the annual line' if with_annual else ''} of the same column (which row "
            f"lost {'them' if several else 'it'} cannot be told; all {_count(count)} are equal)"
        )
        cells = {
            column.kind: Cell(
                column.values[0].amount,
                column.values[0].text,
                column.values[0].unit,
                tuple(t.line for t in column.values[:MAX_EVIDENCE]),
                printed=False,
            )
            for column in members
        }
        order = min(FIGURE_KINDS.index(c.kind) for c in members)
        for row in read.rows[printed:]:
            row.cells.update(cells)
            row.note(NoteRank.REPAIR, order, text)
        findings.add(
            "repair",
            text,
            {t.line for c in members for t in (*c.values, *c.annual)},
            read.text.section.class_name,
        )
