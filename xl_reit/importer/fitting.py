"""Step 5, the payments: a column-by-column table turned into one row per payment.

The number of payments comes from the table's own dates, else from the class's
dated tables. A column that prints more figures than payments is read when they
are all equal or the one extra is the annual figure; a column that prints fewer
is completed only when its printed figures are all equal (which row lost one
cannot be told), as a repair noted on every row it completes.
"""

from __future__ import annotations

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
from .report import Findings

_NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def _count(number: int) -> str:
    return _NUMBER_WORDS[number] if number < len(_NUMBER_WORDS) else str(number)


def fit_columns(
    read: TableRead, payments: int | None, class_has_annual: bool, findings: Findings
) -> bool:
    """Turn a column-by-column table's columns into rows, one per payment.

    ``payments`` is the class's payment count from its dated tables (used
    when this table has no dates). A column with more figures than payments
    is read when they are all equal, or when the one extra is the annual
    figure; a column with fewer is completed when its printed figures (and
    its annual figure) are all equal — which row lost one cannot be told, but
    all rows are equal — and the row must then add up (checked later).
    """
    section = read.text.section
    record = next((c for c in read.columns if c.kind == "record_date"), None)
    payable = next((c for c in read.columns if c.kind == "payable_date"), None)
    count = len(record.values) if record else payments
    if count is None or (payable and len(payable.values) != count):
        findings.add(
            "problem",
            "the table's dates do not give one record and one payable date per payment",
            read.text.numbers,
            section.class_name,
        )
        return False
    read.rows = [Row(lines=set(read.text.numbers)) for _ in range(count)]
    if record and payable:
        for row, day, paid in zip(read.rows, record.values, payable.values, strict=True):
            row.record, row.payable = day, paid
    annual = Row(lines=set(read.text.numbers))
    short: list[tuple[Column, Token]] = []
    for column in read.columns:
        if column.family == "date" or not column.kind or column.kind == "unsupported":
            continue
        if not _fit_column(column, count, class_has_annual, read, annual, short, findings):
            return False
    if class_has_annual:
        read.annual = annual
    _note_short_columns(read, short, count, findings)
    return True


def _fit_column(
    column: Column,
    count: int,
    class_has_annual: bool,
    read: TableRead,
    annual: Row,
    short: list[tuple[Column, Token]],
    findings: Findings,
) -> bool:
    section = read.text.section
    values = column.values
    amounts = {t.amount for t in values}
    equal = len(amounts) == 1 and None not in amounts
    annual_values = list(column.annual)
    label = column_label(column.kind)
    if len(values) > count:
        if len(values) == count + 1 and class_has_annual and not annual_values:
            annual_values.append(values[-1])
        elif not equal:
            findings.add(
                "problem",
                f"the {label} column prints {len(values)} figures for {count} payments; which "
                "belongs to which cannot be told",
                read.text.numbers,
                section.class_name,
            )
            return False
        extra = len(values) - count - (1 if class_has_annual else 0)
        if extra > 0:
            findings.add(
                "reading",
                f"the {label} column prints {len(values)} figures for {count} payments"
                f"{' and the annual line' if class_has_annual else ''}; all are {values[0].text}, "
                "so every payment's figure is certain",
                read.text.numbers,
                section.class_name,
            )
        if len(values) == count + 1 and class_has_annual and values[-1] not in annual_values:
            annual_values.append(values[-1])
    for row, token in zip(read.rows, values[:count], strict=False):
        put(row, column.kind, token)
    if 0 < len(values) < count:
        annual_amounts = {t.amount for t in annual_values}
        if equal and annual_amounts <= amounts:
            short.append((column, values[0]))
        else:
            findings.add(
                "problem",
                f"the {label} column prints {len(values)} figures for {count} payments and they "
                "differ; which payment lost its figure cannot be told",
                read.text.numbers,
                section.class_name,
            )
            return False
    if len({t.amount for t in annual_values}) > 1:
        findings.add(
            "problem",
            f"two different annual {label} figures: {' and '.join(t.text for t in annual_values)}",
            tuple(t.line for t in annual_values),
            section.class_name,
        )
        return False
    if annual_values:
        put(annual, column.kind, annual_values[0])
    return True


def _note_short_columns(
    read: TableRead, short: list[tuple[Column, Token]], count: int, findings: Findings
) -> None:
    """Complete the columns that print fewer figures than payments, with one note per row."""
    groups: dict[int, list[tuple[Column, Token]]] = {}
    for column, token in short:
        groups.setdefault(len(column.values), []).append((column, token))
    for printed, members in groups.items():
        labels = [column_label(column.kind) for column, _ in members]
        figures = [token.text for _, token in members]
        with_annual = all(column.annual for column, _ in members) and read.annual is not None
        several = len(members) > 1
        text = (
            f"{and_list(labels)} {'columns are' if several else 'column is'} laid out column by "
            f"column and print{'' if several else 's'} {_count(printed)} figures for "
            f"{_count(count)} payments; the missing {and_list(figures)} "
            f"{'are' if several else 'is'} the value printed on every other row"
            f"{' and on the annual line' if with_annual else ''} of the same column (which row "
            f"lost {'them' if several else 'it'} cannot be told; all {_count(count)} are equal)"
        )
        for row in read.rows[printed:]:
            for column, token in members:
                row.cells[column.kind] = Cell(
                    token.amount,
                    token.text,
                    token.unit,
                    tuple(t.line for t in column.values),
                    printed=False,
                )
            order = min(FIGURE_KINDS.index(c.kind) for c, _ in members)
            row.note(NoteRank.REPAIR, order, text)
        findings.add(
            "repair",
            text,
            tuple(sorted({t.line for c, _ in members for t in (*c.values, *c.annual)})),
            read.text.section.class_name,
        )
