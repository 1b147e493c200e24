"""A table's rows assembled into share classes, and the checks that hold them together.

Rows read from a table file (:mod:`xl_reit.tablefile`), or made by the
importer, become one :class:`~xl_reit.model.SecurityClass` per CUSIP and tax
year. On the way:

* each row's figures are worked out and checked (:mod:`xl_reit.figures`): the
  parts add up to the dividend within the printed digits, a figure inside
  another is at most that one, and so on; the record date comes before the
  payable date, and a printed ex-dividend date is on or before the record date;
* every row of a class names the same issuer, class, symbol and year; a class
  has payments, or only an annual line (a release that prints annual totals
  only); no two payments share a record date or a payable date (a payment
  whose release prints its payable date only has no record date, and is
  found by its payable date);
* a printed annual line equals the year its payments make: the dividends and
  each figure's dollars added up, each percentage weighted by dividend,
  within the printed digits;
* across tax years (:func:`across_years`): one payment's lines in two years'
  tables are its two parts when the two years are those its dates straddle
  (record date's year, payable date's year), or when each line names the
  other's year; a line that names a loaded year finds its other part there;
  and no date names two different payments.

Each problem is a :class:`~xl_reit.errors.Problem` at the origin of the row
it is about, whatever made the row: a table file's line, or the lines of a
release the importer read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from . import cusip as cusip_module
from .components import COMPONENTS
from .errors import Problem, shown
from .figures import half_unit, quotient, resolve, within
from .model import HUNDRED, ZERO, Figure, Payment, SecurityClass

__all__ = [
    "across_years",
    "assemble",
    "date_problems",
    "row_problems",
    "straddled_year",
    "year_of",
]

_IDENTITY = ("issuer", "class_name", "symbol", "tax_year")


def _problem(row: Payment, column: str | None, message: str) -> Problem:
    return Problem(row.origin.file, row.origin.line, column, message)


def date_problems(row: Payment) -> list[Problem]:
    """A record date after the payable date, an ex-dividend date after the record date."""
    record, payable, ex = row.record_date, row.payable_date, row.ex_date
    problems = []
    if record and payable and record > payable:
        message = f"{record} is after the payable date {payable}"
        problems.append(_problem(row, "record_date", message))
    if ex and record and ex > record:
        message = (
            f"{ex} is after the record date {record}; an ex-dividend date is on or before "
            "the record date it serves"
        )
        problems.append(_problem(row, "ex_date", message))
    return problems


# --------------------------------------------------------------------- one row


def _dividend(row: Payment) -> tuple[Decimal | None, str]:
    """The part of the payment the row's year reports, and how it follows when not printed."""
    if row.dividend_per_share is not None:
        return row.dividend_per_share, ""
    if row.distribution is not None:
        if not row.other_year:
            return row.distribution, ""
        return row.distribution - row.other_year, (
            f"the distribution ${row.distribution} less ${row.other_year} allocable to "
            f"{row.other_tax_year or 'another tax year'}"
        )
    if row.is_split and not row.printed:
        return ZERO, f"nothing printed: the payment is reported in {row.other_tax_year}"
    return None, ""


def row_problems(row: Payment) -> list[Problem]:
    """What is wrong with one row on its own: its dates, and what its figures say together."""
    return _checked(row)[1]


def _checked(row: Payment) -> tuple[Payment, list[Problem]]:
    """The row with every figure its printed ones determine, and what is wrong with it."""
    dividend, how = _dividend(row)
    problems = date_problems(row)
    if dividend is not None and dividend < 0:
        message = f"the distribution ${row.distribution} is less than other_year ${row.other_year}"
        return row, [*problems, _problem(row, "other_year", message)]
    resolution = resolve(row.printed, dividend, row.parts_excess)
    figures: Mapping[str, Figure] = resolution.figures
    if dividend is not None and not dividend:  # nothing of the payment is in this tax year
        nil = "nothing of the payment is reported in this tax year"
        figures = {name: Figure(ZERO, None, nil) for name in COMPONENTS}
    problems += [_problem(row, column, message) for column, message in resolution.problems]
    problems += _legacy_problems(row, dividend, problems)
    notes = tuple(resolution.rounding)  # the differences accepted as the issuer's rounding
    if how:
        notes += (f"dividend per share ${dividend}: {how}",)
    return row.but(dividend_per_share=dividend, figures=figures, findings=notes), problems


def _legacy_problems(
    row: Payment, dividend: Decimal | None, problems: Sequence[Problem]
) -> list[Problem]:
    """How to convert a file that wrote Section 199A dividends as a part of their own.

    Files written before Section 199A dividends were read as a figure inside
    total ordinary dividends (box 5 within box 1a) made them a sixth part,
    and took them out of ``ordinary``.
    """
    section_199a = row.printed.get("section_199a")
    ordinary = row.printed.get("ordinary")
    if not problems or section_199a is None or section_199a.percent is None or ordinary is None:
        return []
    if ordinary.percent is None:
        return []
    added = sum((p.percent for p in row.printed.values() if p.percent is not None), ZERO)
    if added != HUNDRED:
        return []
    converted = ordinary.percent + section_199a.percent
    return [
        _problem(
            row,
            "ordinary, section_199a",
            "Section 199A dividends are a figure inside total ordinary dividends (box 5 is part "
            "of box 1a), not a part of their own as earlier tables wrote them: add them to "
            f"ordinary ({ordinary.percent} + {section_199a.percent} = {converted}) to convert "
            "this row",
        )
    ]


# ------------------------------------------------------------------ the year


def year_of(first: Payment, payments: Sequence[Payment]) -> Payment:
    """A class's year as its payments make it: dividends and each figure's dollars added up.

    A figure's fraction of the year is its dollars over the year's dividend;
    a figure some payment does not determine is not known for the year.
    """
    dividend = sum([p.dividend_per_share or ZERO for p in payments], ZERO)
    figures = {}
    # Only a figure the first payment knows can be known by all (most figures are known by none).
    for name in payments[0].figures if payments else ():
        amounts = _amounts(payments, name)
        if amounts is None:
            continue
        dollars = sum(amounts, ZERO)
        figures[name] = Figure(dollars, quotient(dollars, dividend), "the year's payments added")
    return Payment(
        issuer=first.issuer,
        tax_year=first.tax_year,
        class_name=first.class_name,
        cusip=first.cusip,
        symbol=first.symbol,
        record_date=None,
        payable_date=None,
        dividend_per_share=dividend,
        source=first.source,
        release_date=first.release_date,
        notes="sum of the year's payments; each part weighted by dividend",
        origin=first.origin,
        figures=figures,
    )


def _amounts(payments: Sequence[Payment], name: str) -> list[Decimal] | None:
    """Each payment's dollars of a figure, or ``None`` as soon as one payment does not know them."""
    amounts = []
    for payment in payments:
        figure = payment.figures.get(name)
        if figure is None or figure.dollars is None:
            return None
        amounts.append(figure.dollars)
    return amounts


def _digits(payments: Sequence[Payment], name: str, unit: str) -> Decimal:
    """The largest rounding of a figure among the payments, in dollars or in percent."""
    allowed = ZERO
    for payment in payments:
        printed = payment.printed.get(name)
        value = None
        if printed is not None:
            value = printed.dollars if unit == "$" else printed.percent
        if value is not None:
            allowed = max(allowed, half_unit(value))
    return allowed


def _fraction_text(value: Decimal) -> str:
    """A computed percentage for a message: as exact as it is, or to ten decimals."""
    return format(
        value.quantize(Decimal("1e-10")).normalize() if len(str(value)) > 14 else value, "f"
    )


#: What a problem of an annual line that its payments do not add up to says.
ANNUAL_DISAGREES = "annual line prints "


def _annual_problems(printed: Payment, year: Payment, payments: Sequence[Payment]) -> list[Problem]:
    """Where a printed annual line differs from the year its payments make, beyond the digits."""
    problems = []
    dividend = printed.dividend_per_share
    added = year.dividend_per_share
    if dividend is not None and added is not None:
        allowed = max(
            half_unit(dividend), *(half_unit(p.dividend_per_share or ZERO) for p in payments)
        )
        if not within(dividend - added, allowed):
            message = f"{ANNUAL_DISAGREES}{dividend}, the payments add up to {added}"
            problems.append(_problem(printed, "dividend_per_share", message))
    for name, figure in printed.printed.items():
        known = year.figures.get(name)
        if known is None:
            continue
        if figure.percent is not None and known.fraction is not None:
            weighted = known.fraction * HUNDRED
            allowed = max(half_unit(figure.percent), _digits(payments, name, "%"))
            if not within(figure.percent - weighted, allowed):
                problems.append(
                    _problem(
                        printed,
                        name,
                        f"{ANNUAL_DISAGREES}{figure.percent}%, the payments weighted by "
                        f"dividend give {_fraction_text(weighted)}%",
                    )
                )
        if figure.dollars is not None and known.dollars is not None:
            allowed = max(half_unit(figure.dollars), _digits(payments, name, "$"))
            if not within(figure.dollars - known.dollars, allowed):
                problems.append(
                    _problem(
                        printed,
                        name,
                        f"{ANNUAL_DISAGREES}${figure.dollars}, the payments add up to "
                        f"${known.dollars}",
                    )
                )
    return problems


# ----------------------------------------------------------------- one class


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
    """The payments by one of their dates (those that have it); a date taken twice is a problem."""
    seen: dict[dt.date, Payment] = {}
    for payment in payments:
        day = getattr(payment, column)
        if day is None:  # a payment printed with its payable date only: no record date
            continue
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


def _assemble_class(rows: Sequence[Payment]) -> tuple[SecurityClass | None, list[Problem]]:
    """One CUSIP's checked rows for one tax year as a class, or ``None`` and the problems."""
    first = rows[0]
    problems = _identity_problems(rows)
    payments = [row for row in rows if not row.is_annual]
    annual_rows = [row for row in rows if row.is_annual]
    problems += [
        _problem(extra, "row_kind", f"a second annual line for CUSIP {first.cusip}")
        for extra in annual_rows[1:]
    ]
    by_payable = _by_date(payments, "payable_date", problems)
    by_record = _by_date(payments, "record_date", problems)
    ambiguous = frozenset(
        day for day, payment in by_record.items() if by_payable.get(day, payment) is not payment
    )
    printed = annual_rows[0] if annual_rows else None
    year = year_of(first, payments) if payments else printed
    assert year is not None  # a class has a row
    if printed is not None and payments:
        problems += _annual_problems(printed, year, payments)
    if problems:
        return None, problems
    payments.sort(key=lambda p: p.payable_date or dt.date.min)  # payable dates are unique
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
            published=frozenset(name for row in rows for name in row.printed),
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
        checked, found = _checked(row)
        problems += found
        if not found:
            grouped.setdefault((row.cusip, row.tax_year), []).append(checked)
    classes: list[SecurityClass] = []
    for class_rows in grouped.values():
        security, found = _assemble_class(class_rows)
        problems += found
        if security is not None:
            classes.append(security)
    return classes, problems


# ------------------------------------------------------------ across years


def straddled_year(payment: Payment) -> int | None:
    """The other tax year a line's payment straddles, or ``None`` when it straddles none.

    A payment whose record date falls in one year and payable date in the next
    (a December record date paid in January) may be reported partly in each
    year's Form 1099-DIV. For a line in one of those two years this is the
    other; for a payment whose dates fall in one year, or a line in neither of
    its years, there is none.
    """
    record, payable = payment.record_date, payment.payable_date
    if record is None or payable is None or record.year == payable.year:
        return None
    if payment.tax_year == record.year:
        return payable.year
    return record.year if payment.tax_year == payable.year else None


def _same_payment(one: Payment, other: Payment) -> bool:
    return (one.record_date, one.payable_date) == (other.record_date, other.payable_date)


def _are_parts(one: Payment, other: Payment) -> bool:
    """Whether two lines of one payment, in two tax years, are its two parts.

    They are when they are in the two years the payment's dates straddle, or
    when each names the other's year in ``other_tax_year``; a line that names
    a third year is no part of this pair.
    """
    if one.other_tax_year not in (None, other.tax_year):
        return False
    if other.other_tax_year not in (None, one.tax_year):
        return False
    named = one.other_tax_year is not None and other.other_tax_year is not None
    return named or straddled_year(one) == other.tax_year


def _split_problems(
    payment: Payment, classes: dict[tuple[str, int], SecurityClass]
) -> list[Problem]:
    """A line that names its other year, where that year is loaded, must find its other part."""
    year = payment.other_tax_year
    other = classes.get((payment.cusip, year)) if year is not None else None
    if year is None or other is None:
        return []
    assert payment.payable_date is not None
    twin = other.by_payable.get(payment.payable_date)
    if twin is not None and _same_payment(twin, payment) and _are_parts(payment, twin):
        return []
    return [
        _problem(
            payment,
            "other_tax_year",
            f"the payment of {payment.payable_date} is split with tax year {year}, but tax year "
            f"{year}'s table for CUSIP {cusip_module.format(payment.cusip)} "
            f"({other.files[0]}) has no line for it that is its other part",
        )
    ]


def across_years(classes: Iterable[SecurityClass]) -> list[Problem]:
    """Problems between the tax years of one CUSIP: torn dates, split payments that do not match.

    A date may name one payment only, whatever year's table holds it. One
    payment may have a line in two years' tables when they are its two parts
    (:func:`_are_parts`): the two years its dates straddle, with or without
    ``other_tax_year``, or two years that each name the other there. A line
    whose ``other_tax_year`` is loaded must find its other part in that
    year's table.
    """
    by_key = {(c.cusip, c.tax_year): c for c in classes}
    problems: list[Problem] = []
    seen: dict[tuple[str, dt.date], Payment] = {}
    for security in by_key.values():
        for payment in security.payments:
            problems += _split_problems(payment, by_key)
        for day, payment in (*security.by_record.items(), *security.by_payable.items()):
            other = seen.setdefault((security.cusip, day), payment)
            if other is payment or other.tax_year == payment.tax_year:
                continue
            if _same_payment(other, payment):
                if _are_parts(payment, other):
                    continue
                message = (
                    f"the payment of {payment.payable_date} is in tax year {other.tax_year}'s "
                    f"table too ({other.origin}); a date must pick one payment: "
                    f"{_not_parts(payment, other)}"
                )
            else:
                message = (
                    f"CUSIP {cusip_module.format(security.cusip)} has a payment dated {day} in "
                    f"tax year {other.tax_year} too ({other.origin}); a date must pick one payment"
                )
            problems.append(_problem(payment, None, message))
    return list(dict.fromkeys(problems))


def _not_parts(payment: Payment, other: Payment) -> str:
    """Why two lines of one payment in two tax years are not its two parts, and what to do."""
    for line, named in ((payment, other), (other, payment)):
        if line.other_tax_year not in (None, named.tax_year):
            return (
                f"its line in {line.tax_year} names {line.other_tax_year} in other_tax_year, "
                f"not {named.tax_year}"
            )
    assert payment.payable_date is not None
    payable = payment.payable_date.year
    record = payment.record_date.year if payment.record_date else None
    dates = (
        f"its payable date falls in {payable} (no record date printed)"
        if record is None
        else f"its dates fall in {record} alone"
        if record == payable
        else f"its dates straddle {record} and {payable}, not these two years"
    )
    return (
        f"{dates}; if it is split between {other.tax_year} and {payment.tax_year}, give each "
        "line the other's year in other_tax_year, else remove one"
    )
