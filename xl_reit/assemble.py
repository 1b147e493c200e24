"""A table's rows assembled into share classes, and the checks that hold them together.

Rows read from a table file (:mod:`xl_reit.tablefile`), or made by the
importer, become one :class:`~xl_reit.model.SecurityClass` per CUSIP and tax
year. On the way each row's record date must come before its payable date
and a payment's parts must add up to exactly 100%; every row of a class must
name the same issuer, class, symbol and year; a class has payments and at most
one annual line; no two payments share a record date or a payable date; every
payment publishes the same parts; and a printed annual line must equal the
year the payments make: the dividends added up, and each part weighted by
dividend.

Each problem is a :class:`~xl_reit.errors.Problem` at the origin of the row
it is about, whatever made the row: a table file's line, or the lines of a
release the importer read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from . import cusip as cusip_module
from .errors import Problem, shown
from .model import HUNDRED, Payment, SecurityClass

__all__ = ["assemble", "clashing_dates", "date_problems", "part_problems", "weighted"]


_IDENTITY = ("issuer", "class_name", "symbol", "tax_year")


def _problem(row: Payment, column: str | None, message: str) -> Problem:
    return Problem(row.origin.file, row.origin.line, column, message)


def date_problems(row: Payment) -> list[Problem]:
    """A record date after the payable date."""
    record, payable = row.record_date, row.payable_date
    if record and payable and record > payable:
        message = f"{record} is after the payable date {payable}"
        return [_problem(row, "record_date", message)]
    return []


def part_problems(row: Payment) -> list[Problem]:
    """A payment whose parts do not add up to exactly 100% of it."""
    total = sum(row.percentages.values(), Decimal(0))
    if row.is_annual or total == HUNDRED:
        return []
    return [
        _problem(
            row,
            ", ".join(row.percentages),
            f"components add up to {total}%, not 100% (percentages of the payment)",
        )
    ]


def weighted(payments: Iterable[Payment], parts: Iterable[str]) -> dict[str, Decimal]:
    """Each part's percentage of the payments together: weighted by each payment's dividend."""
    payments = tuple(payments)
    total = sum((p.dividend_per_share or Decimal(0) for p in payments), Decimal(0))
    if not total:
        return {}
    return {
        part: sum(
            (
                (p.dividend_per_share or Decimal(0)) * p.percentages.get(part, Decimal(0))
                for p in payments
            ),
            Decimal(0),
        )
        / total
        for part in parts
    }


def _identity_problems(rows: Sequence[Payment]) -> list[Problem]:
    """Rows of one CUSIP and year that name another issuer, class or symbol than the first."""
    first = rows[0]
    return [
        _problem(
            row,
            column,
            f"{shown(getattr(row, column))} differs from {shown(getattr(first, column))} "
            f"given for CUSIP {first.cusip} on line {first.origin.line}",
        )
        for row in rows[1:]
        for column in _IDENTITY
        if getattr(row, column) != getattr(first, column)
    ]


def _by_date(
    payments: Sequence[Payment], column: str, problems: list[Problem]
) -> dict[dt.date, Payment]:
    """The payments by one of their dates; a date taken twice is a problem."""
    seen: dict[dt.date, Payment] = {}
    for payment in payments:
        day = getattr(payment, column)
        if day in seen:
            problems.append(
                _problem(
                    payment,
                    column,
                    f"CUSIP {payment.cusip} already has a payment with {column} {day} "
                    f"(line {seen[day].origin.line})",
                )
            )
        seen[day] = payment
    return seen


def _annual_problems(printed: Payment, year: Payment) -> list[Problem]:
    """Where a printed annual line differs from the year its payments make."""
    problems = []
    if printed.dividend_per_share is not None and printed.dividend_per_share != (
        year.dividend_per_share
    ):
        problems.append(
            _problem(
                printed,
                "dividend_per_share",
                f"annual line prints {printed.dividend_per_share}, "
                f"the payments add up to {year.dividend_per_share}",
            )
        )
    for part, percentage in printed.percentages.items():
        if part in year.percentages and year.percentages[part] != percentage:
            problems.append(
                _problem(
                    printed,
                    part,
                    f"annual line prints {percentage}%, the payments weighted by dividend "
                    f"give {year.percentages[part]}%",
                )
            )
    return problems


def _year(first: Payment, payments: Sequence[Payment], published: frozenset[str]) -> Payment:
    """The class's year as its payments make it: dividends added, parts weighted by dividend."""
    return Payment(
        issuer=first.issuer,
        tax_year=first.tax_year,
        class_name=first.class_name,
        cusip=first.cusip,
        symbol=first.symbol,
        record_date=None,
        payable_date=None,
        dividend_per_share=sum((p.dividend_per_share or Decimal(0) for p in payments), Decimal(0)),
        percentages=weighted(payments, sorted(published)),
        source=first.source,
        release_date=first.release_date,
        notes="sum of the year's payments; each part weighted by dividend",
        origin=first.origin,
    )


def _assemble_class(rows: Sequence[Payment]) -> tuple[SecurityClass | None, list[Problem]]:
    """One CUSIP's rows for one tax year as a class, or ``None`` and the problems."""
    first = rows[0]
    problems = _identity_problems(rows)
    payments = [row for row in rows if not row.is_annual]
    annual_rows = [row for row in rows if row.is_annual]
    if not payments:
        problems.append(_problem(first, "row_kind", f"CUSIP {first.cusip} has no payment rows"))
    problems += [
        _problem(extra, "row_kind", f"a second annual line for CUSIP {first.cusip}")
        for extra in annual_rows[1:]
    ]
    by_payable = _by_date(payments, "payable_date", problems)
    by_record = _by_date(payments, "record_date", problems)
    ambiguous = frozenset(
        day for day, payment in by_record.items() if by_payable.get(day, payment) is not payment
    )
    published = frozenset(part for p in payments for part in p.percentages)
    problems += [
        _problem(payment, None, "publishes a different set of components")
        for payment in payments
        if frozenset(payment.percentages) != published
    ]
    printed = annual_rows[0] if annual_rows else None
    year = _year(first, payments, published)
    if printed is not None:
        problems += _annual_problems(printed, year)
    if problems:
        return None, problems
    payments.sort(key=lambda p: (p.payable_date, p.record_date))
    return (
        SecurityClass(
            cusip=first.cusip,
            class_name=first.class_name,
            issuer=first.issuer,
            symbol=first.symbol,
            tax_year=first.tax_year,
            payments=tuple(payments),
            printed_annual=printed,
            annual=year,
            published=published,
            by_date={
                day: payment
                for day, payment in (*by_record.items(), *by_payable.items())
                if day not in ambiguous
            },
            by_record=by_record,
            by_payable=by_payable,
            ambiguous_dates=ambiguous,
        ),
        [],
    )


def assemble(rows: Iterable[Payment]) -> tuple[list[SecurityClass], list[Problem]]:
    """The rows as one class per CUSIP and tax year (in the rows' order), and every problem.

    A class with a problem is left out; the problems say why, each at the
    origin of the row it is about.
    """
    grouped: dict[tuple[str, int], list[Payment]] = {}
    problems: list[Problem] = []
    for row in rows:
        found = date_problems(row) + part_problems(row)
        problems += found
        if not found:
            grouped.setdefault((row.cusip, row.tax_year), []).append(row)
    classes: list[SecurityClass] = []
    for class_rows in grouped.values():
        security, found = _assemble_class(class_rows)
        problems += found
        if security is not None:
            classes.append(security)
    return classes, problems


def clashing_dates(classes: Iterable[SecurityClass]) -> list[Problem]:
    """Problems where two tax years of one CUSIP claim the same date (lookups would be torn)."""
    problems: list[Problem] = []
    seen: dict[tuple[str, dt.date], Payment] = {}
    for security in classes:
        for day, payment in (*security.by_record.items(), *security.by_payable.items()):
            other = seen.setdefault((security.cusip, day), payment)
            if other is not payment and other.tax_year != payment.tax_year:
                problems.append(
                    _problem(
                        payment,
                        None,
                        f"CUSIP {cusip_module.format(security.cusip)} has a payment dated {day} "
                        f"in tax year {other.tax_year} too ({other.origin}); a date must pick "
                        "one payment",
                    )
                )
    return problems
