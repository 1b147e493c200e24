"""The allocation table: payments loaded from CSV, validated, indexed.

A table file is a plain CSV, one row per payment (``row_kind`` ``payment``)
plus, optionally, the release's printed annual line of each class
(``row_kind`` ``annual``). Columns:

``issuer, tax_year, class_name, cusip, symbol``
    who paid, for which tax year, which share class.
``row_kind``
    ``payment`` (the default when the column is absent) or ``annual``.
``record_date, payable_date``
    ISO dates (blank on an annual line).
``dividend_per_share``
    dollars, exactly as printed (blank on an annual line that prints none).
one column per published part (see :data:`xl_reit.components.PARTS`)
    the part's percentage of the payment, exactly as printed: ``1.3268``
    means 1.3268%. The parts of a payment add up to exactly 100.
``source, release_date, notes``
    provenance: the document, its date, and every repair made to the row.

Figures stay ``Decimal`` in memory; ``float`` appears only at the Excel edge.
Loading validates everything and raises one :class:`DataFileError` listing
every problem by file, line and column, so a bad table is never half-loaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from . import csvsafe
from . import cusip as cusip_module
from .components import PARTS, Component
from .errors import DataFileError, shown

__all__ = [
    "AllocationTable",
    "Payment",
    "SecurityClass",
    "bundled_table",
    "default_table",
    "environment_tables",
    "load_table",
    "normalise_symbol",
    "set_default_table",
]

HUNDRED = Decimal(100)
IDENTITY_COLUMNS = ("issuer", "tax_year", "class_name", "cusip", "symbol")
DATE_COLUMNS = ("record_date", "payable_date")
PROVENANCE_COLUMNS = ("source", "release_date", "notes")
REQUIRED_COLUMNS = (*IDENTITY_COLUMNS, *DATE_COLUMNS, "dividend_per_share")
KNOWN_COLUMNS = frozenset((*REQUIRED_COLUMNS, "row_kind", *PARTS, *PROVENANCE_COLUMNS))
BUNDLED_FILES = ("aimco-2004.csv",)


@dataclass(frozen=True)
class Payment:
    """One dividend payment of one share class, as the release prints it.

    ``percentages`` maps each published part (``ordinary``, ``qualified`` …)
    to its percentage of the payment. On a class's annual line the dates are
    ``None``; a figure the release does not print is absent.
    """

    issuer: str
    tax_year: int
    class_name: str
    cusip: str
    symbol: str
    record_date: dt.date | None
    payable_date: dt.date | None
    dividend_per_share: Decimal | None
    percentages: Mapping[str, Decimal] = field(hash=False)
    source: str = ""
    release_date: dt.date | None = None
    notes: str = ""
    origin: str = ""

    def fraction(self, component: Component) -> Decimal:
        """The share of the payment that ``component`` is, as a fraction (0.013268)."""
        return (
            sum(
                (self.percentages[part] for part in component.parts if part in self.percentages),
                Decimal(0),
            )
            / HUNDRED
        )


@dataclass(frozen=True)
class SecurityClass:
    """A share class and its payments for one tax year."""

    cusip: str
    class_name: str
    issuer: str
    symbol: str
    tax_year: int
    payments: tuple[Payment, ...]
    printed_annual: Payment | None
    annual: Payment = field(repr=False)
    published: frozenset[str] = field(repr=False)
    by_date: Mapping[dt.date, Payment] = field(repr=False, hash=False)
    by_record: Mapping[dt.date, Payment] = field(repr=False, hash=False, default_factory=dict)
    by_payable: Mapping[dt.date, Payment] = field(repr=False, hash=False, default_factory=dict)
    #: Dates that are one payment's record date and another's payable date (a
    #: monthly payer's, say): a bare date cannot tell which payment is meant.
    ambiguous_dates: frozenset[dt.date] = field(repr=False, default=frozenset())

    def payment_dates(self) -> str:
        """The class's payments as 'record → payable' text, for messages."""
        return ", ".join(
            f"{p.record_date:%Y-%m-%d} (record) / {p.payable_date:%Y-%m-%d} (payable)"
            for p in self.payments
        )


def normalise_symbol(text: str) -> str:
    """Fold the ways people write a preferred symbol to one key.

    ``AIVPrD``, ``AIV-PD``, ``AIV.PR.D``, ``AIV PRD``, ``AIVpD`` and ``AIV^D``
    all become ``AIVPRD`` or ``AIVPD``; :class:`AllocationTable` indexes both.
    """
    return re.sub(r"[^0-9A-Z]", "", text.upper().replace("^", "PR"))


def _symbol_keys(symbol: str) -> set[str]:
    key = normalise_symbol(symbol)
    keys = {key}
    match = re.fullmatch(r"([A-Z]+?)PR?([A-Z])", key)
    if match and "PR" in symbol.upper().replace(".", "").replace("-", ""):
        root, series = match.groups()
        keys |= {f"{root}PR{series}", f"{root}P{series}"}
    return keys


class _Problems:
    """Collects validation problems, each with file, line and column."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.items: list[str] = []

    def add(self, line: int | None, column: str | None, message: str) -> None:
        where = self.name
        if line is not None:
            where += f", line {line}"
        if column:
            where += f", column {column}"
        self.items.append(f"{where}: {message}")


def _parse_decimal(text: str) -> Decimal:
    value = Decimal(text.strip().lstrip("$"))
    if not value.is_finite():
        raise InvalidOperation
    return value


def _weighted(payments: Iterable[Payment], parts: Iterable[str]) -> dict[str, Decimal]:
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


def _rows_or_problem(
    reader: csv.DictReader[str], problems: _Problems
) -> Iterator[dict[str, str | None]]:
    """The reader's rows; a line the csv module cannot read ends them with a problem."""
    try:
        yield from reader
    except csv.Error as error:  # raised on the line after the last one read
        problems.add(reader.line_num + 1, None, f"not readable as CSV: {error}")


def _read_rows(name: str, text: str, problems: _Problems) -> list[Payment]:
    # newline="": a line break inside a quoted cell stays what it was (csv's own rule).
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as error:
        problems.add(reader.line_num, None, f"not readable as CSV: {error}")
        return []
    header = [column.strip() for column in (fieldnames or [])]
    reader.fieldnames = header
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    unknown = [column for column in header if column not in KNOWN_COLUMNS]
    parts = [column for column in header if column in PARTS]
    if missing:
        problems.add(1, None, f"missing column(s) {', '.join(missing)}")
    if unknown:
        problems.add(
            1,
            None,
            f"unknown column(s) {', '.join(map(repr, unknown))}; "
            f"valid: {', '.join(sorted(KNOWN_COLUMNS))}",
        )
    if not parts:
        problems.add(1, None, f"no component columns; give one or more of {', '.join(PARTS)}")
    if missing or unknown or not parts:
        return []

    payments: list[Payment] = []
    for row in _rows_or_problem(reader, problems):
        line = reader.line_num
        if None in row:
            problems.add(line, None, "more fields than the header has columns")
            continue
        # A cell that xl-reit's own CSV output quoted against formula injection loads as it was.
        values = {key: csvsafe.unescape((value or "").strip()) for key, value in row.items()}
        if not any(values.values()):
            continue
        before = len(problems.items)
        kind = values.get("row_kind") or "payment"
        if kind not in ("payment", "annual"):
            problems.add(line, "row_kind", f"{shown(kind)}: must be 'payment' or 'annual'")
            continue
        is_payment = kind == "payment"

        for column in ("issuer", "class_name", "symbol"):
            if not values[column]:
                problems.add(line, column, "is blank")
        try:
            code = cusip_module.validate(values["cusip"], "cusip")
        except ValueError as error:
            problems.add(line, "cusip", str(error))
            code = ""
        try:
            tax_year = int(values["tax_year"])
            if not 1900 <= tax_year <= 9999:
                raise ValueError
        except ValueError:
            problems.add(line, "tax_year", f"{shown(values['tax_year'])} is not a year")
            tax_year = 0

        dates: dict[str, dt.date | None] = {}
        for column in (*DATE_COLUMNS, "release_date"):
            text_value = values.get(column, "")
            dates[column] = None
            if not text_value:
                if is_payment and column in DATE_COLUMNS:
                    problems.add(line, column, "is blank; give an ISO date (YYYY-MM-DD)")
                continue
            if not is_payment and column in DATE_COLUMNS:
                problems.add(line, column, "must be blank on an annual line")
                continue
            try:
                dates[column] = dt.date.fromisoformat(text_value)
            except ValueError:
                problems.add(line, column, f"{shown(text_value)} is not an ISO date (YYYY-MM-DD)")
        record, payable = dates["record_date"], dates["payable_date"]
        if record and payable and record > payable:
            problems.add(line, "record_date", f"{record} is after the payable date {payable}")

        dividend: Decimal | None = None
        if values["dividend_per_share"] or is_payment:
            try:
                dividend = _parse_decimal(values["dividend_per_share"])
                if dividend <= 0:
                    raise InvalidOperation
            except InvalidOperation:
                problems.add(
                    line,
                    "dividend_per_share",
                    f"{shown(values['dividend_per_share'])} is not a positive dollar amount",
                )

        percentages: dict[str, Decimal] = {}
        for part in parts:
            if not values[part]:
                if is_payment:
                    problems.add(line, part, "is blank; give the published percentage")
                continue
            try:
                percentages[part] = _parse_decimal(values[part].rstrip("%"))
                if not 0 <= percentages[part] <= HUNDRED:
                    raise InvalidOperation
            except InvalidOperation:
                problems.add(line, part, f"{shown(values[part])} is not a percentage from 0 to 100")
        if is_payment and len(percentages) == len(parts):
            total = sum(percentages.values(), Decimal(0))
            if total != HUNDRED:
                problems.add(
                    line,
                    ", ".join(parts),
                    f"components add up to {total}%, not 100% (percentages of the payment)",
                )
        if len(problems.items) != before:
            continue
        payments.append(
            Payment(
                issuer=values["issuer"],
                tax_year=tax_year,
                class_name=values["class_name"],
                cusip=code,
                symbol=values["symbol"],
                record_date=record,
                payable_date=payable,
                dividend_per_share=dividend,
                percentages=percentages,
                source=values.get("source", ""),
                release_date=dates["release_date"],
                notes=values.get("notes", ""),
                origin=f"{name}:{line}",
            )
        )
    if not payments and not problems.items:
        problems.add(None, None, "holds no rows below its header; a table needs its payments")
    return payments


def _line(payment: Payment) -> int:
    return int(payment.origin.rsplit(":", 1)[1])


def _build_class(rows: list[Payment], problems: _Problems) -> SecurityClass | None:
    first = rows[0]
    before = len(problems.items)
    for row in rows[1:]:
        for column in ("issuer", "class_name", "symbol", "tax_year"):
            if getattr(row, column) != getattr(first, column):
                problems.add(
                    _line(row),
                    column,
                    f"{shown(getattr(row, column))} differs from {shown(getattr(first, column))} "
                    f"given for CUSIP {first.cusip} on line {_line(first)}",
                )
    payments = [row for row in rows if row.payable_date is not None]
    annual_rows = [row for row in rows if row.payable_date is None]
    if not payments:
        problems.add(_line(first), "row_kind", f"CUSIP {first.cusip} has no payment rows")
    for extra in annual_rows[1:]:
        problems.add(_line(extra), "row_kind", f"a second annual line for CUSIP {first.cusip}")
    by_kind: dict[str, dict[dt.date, Payment]] = {}
    for column in ("payable_date", "record_date"):
        seen: dict[dt.date, Payment] = {}
        for payment in payments:
            day = getattr(payment, column)
            if day in seen:
                problems.add(
                    _line(payment),
                    column,
                    f"CUSIP {first.cusip} already has a payment with {column} {day} "
                    f"(line {_line(seen[day])})",
                )
            seen[day] = payment
        by_kind[column] = seen
    by_payable, by_record = by_kind["payable_date"], by_kind["record_date"]
    ambiguous = frozenset(
        day for day, payment in by_record.items() if by_payable.get(day, payment) is not payment
    )
    by_date = {
        day: payment
        for day, payment in (*by_record.items(), *by_payable.items())
        if day not in ambiguous
    }
    published = frozenset(part for p in payments for part in p.percentages)
    for payment in payments:
        if frozenset(payment.percentages) != published:
            problems.add(_line(payment), None, "publishes a different set of components")
    printed = annual_rows[0] if annual_rows else None
    computed_dividend = sum((p.dividend_per_share or Decimal(0) for p in payments), Decimal(0))
    weighted = _weighted(payments, sorted(published))
    if printed is not None:
        if (
            printed.dividend_per_share is not None
            and printed.dividend_per_share != computed_dividend
        ):
            problems.add(
                _line(printed),
                "dividend_per_share",
                f"annual line prints {printed.dividend_per_share}, "
                f"the payments add up to {computed_dividend}",
            )
        for part, percentage in printed.percentages.items():
            if part in weighted and weighted[part] != percentage:
                problems.add(
                    _line(printed),
                    part,
                    f"annual line prints {percentage}%, the payments weighted by dividend "
                    f"give {weighted[part]}%",
                )
    if len(problems.items) != before:
        return None
    payments.sort(key=lambda p: (p.payable_date, p.record_date))
    annual = Payment(
        issuer=first.issuer,
        tax_year=first.tax_year,
        class_name=first.class_name,
        cusip=first.cusip,
        symbol=first.symbol,
        record_date=None,
        payable_date=None,
        dividend_per_share=computed_dividend,
        percentages=weighted,
        source=first.source,
        release_date=first.release_date,
        notes="sum of the year's payments; each part weighted by dividend",
        origin=first.origin,
    )
    return SecurityClass(
        cusip=first.cusip,
        class_name=first.class_name,
        issuer=first.issuer,
        symbol=first.symbol,
        tax_year=first.tax_year,
        payments=tuple(payments),
        printed_annual=printed,
        annual=annual,
        published=published,
        by_date=by_date,
        by_record=by_record,
        by_payable=by_payable,
        ambiguous_dates=ambiguous,
    )


class AllocationTable:
    """Every loaded share class and tax year, indexed by CUSIP and by symbol. Immutable.

    ``classes`` maps ``(cusip, tax_year)`` to its :class:`SecurityClass`, in the
    order the tables list them; ``by_cusip`` maps a CUSIP to its tax years,
    oldest first, so next year's release for the same shares sits beside
    this year's.
    """

    def __init__(self, classes: Iterable[SecurityClass], sources: Iterable[str] = ()) -> None:
        self.classes: dict[tuple[str, int], SecurityClass] = {
            (c.cusip, c.tax_year): c for c in classes
        }
        self.sources: tuple[str, ...] = tuple(sources)
        years: dict[str, list[SecurityClass]] = {}
        for security in self.classes.values():
            years.setdefault(security.cusip, []).append(security)
        self.by_cusip: dict[str, tuple[SecurityClass, ...]] = {
            cusip: tuple(sorted(group, key=lambda c: c.tax_year)) for cusip, group in years.items()
        }
        self.symbols: dict[str, str] = {}
        for security in self.classes.values():
            for key in _symbol_keys(security.symbol):
                self.symbols.setdefault(key, security.cusip)
        #: What each security argument seen so far resolved to (see lookup.find_years).
        self.resolved: dict[Any, tuple[SecurityClass, ...]] = {}

    def __len__(self) -> int:
        return len(self.classes)

    def payments(self) -> Iterable[Payment]:
        """Every payment, class by class in the table's order."""
        for security in self.classes.values():
            yield from security.payments

    @classmethod
    def from_texts(
        cls, texts: Iterable[tuple[str, str]], *, override: bool = False
    ) -> AllocationTable:
        """Load and validate ``(name, csv_text)`` pairs, in order, into one table.

        A share class's tax year may come from one file only: a later file
        that repeats it is an error, unless ``override`` is true, in which case
        the later file's rows replace the earlier ones whole (each payment's
        ``origin`` names the file and line it came from). Raises
        :class:`DataFileError` listing every problem in every file, so a bad
        table is never half-loaded.
        """
        all_problems: list[str] = []
        merged: dict[tuple[str, int], SecurityClass] = {}
        names: list[str] = []
        for name, text in texts:
            names.append(name)
            problems = _Problems(name)
            grouped: dict[tuple[str, int], list[Payment]] = {}
            for payment in _read_rows(name, text, problems):
                grouped.setdefault((payment.cusip, payment.tax_year), []).append(payment)
            for key, rows in grouped.items():
                security = _build_class(rows, problems)
                if security is None:
                    continue
                earlier = merged.get(key)
                if earlier is not None and not override:
                    problems.add(
                        _line(rows[0]),
                        "cusip",
                        f"CUSIP {cusip_module.format(key[0])} tax year {key[1]} is already "
                        f"loaded from {_file(earlier)}; remove one, or ask to override "
                        "(--override, or XL_REIT_OVERRIDE=1) so this file replaces it",
                    )
                    continue
                merged[key] = security
            all_problems += problems.items
        all_problems += _clashing_dates(merged.values())
        if all_problems:
            raise DataFileError(all_problems)
        return cls(merged.values(), names)

    @classmethod
    def from_paths(cls, paths: Iterable[str | Path], *, override: bool = False) -> AllocationTable:
        """Load table files from disk (see :meth:`from_texts`)."""
        return cls.from_texts(_read_paths(paths), override=override)


def _file(security: SecurityClass) -> str:
    return security.payments[0].origin.rsplit(":", 1)[0]


def _clashing_dates(classes: Iterable[SecurityClass]) -> list[str]:
    """Problems where two tax years of one CUSIP claim the same date (lookups would be torn)."""
    problems: list[str] = []
    seen: dict[tuple[str, dt.date], Payment] = {}
    for security in classes:
        for day, payment in (*security.by_record.items(), *security.by_payable.items()):
            other = seen.setdefault((security.cusip, day), payment)
            if other is not payment and other.tax_year != payment.tax_year:
                problems.append(
                    f"{payment.origin.replace(':', ', line ', 1)}: CUSIP "
                    f"{cusip_module.format(security.cusip)} has a payment dated {day} in tax "
                    f"year {other.tax_year} too ({other.origin}); a date must pick one payment"
                )
    return problems


def _read_paths(paths: Iterable[str | Path]) -> list[tuple[str, str]]:
    texts = []
    for path in paths:
        try:
            texts.append((str(path), Path(path).read_bytes().decode("utf-8-sig")))
        except (OSError, UnicodeDecodeError) as error:
            raise DataFileError(f"{path}: cannot read the table: {error}") from None
    return texts


def _bundled_texts() -> list[tuple[str, str]]:
    folder = resources.files("xl_reit") / "data"
    return [(name, (folder / name).read_text(encoding="utf-8")) for name in BUNDLED_FILES]


def bundled_table() -> AllocationTable:
    """Load the tables shipped inside the package (validated; not cached)."""
    return AllocationTable.from_texts(_bundled_texts())


def load_table(extra: Iterable[str | Path] = (), *, override: bool = False) -> AllocationTable:
    """The bundled tables plus users' own table files, validated together.

    ``extra`` files come after the bundled ones; see
    :meth:`AllocationTable.from_texts` for what ``override`` allows.
    """
    return AllocationTable.from_texts([*_bundled_texts(), *_read_paths(extra)], override=override)


def environment_tables() -> tuple[list[str], bool]:
    """The table files named by ``XL_REIT_DATA`` and whether ``XL_REIT_OVERRIDE`` is set.

    ``XL_REIT_DATA`` holds one or more paths separated by ``os.pathsep``
    (``:`` on macOS and Linux, ``;`` on Windows).
    """
    paths = [p for p in os.environ.get("XL_REIT_DATA", "").split(os.pathsep) if p.strip()]
    override = os.environ.get("XL_REIT_OVERRIDE", "").strip().lower() in ("1", "true", "yes")
    return paths, override


_default: AllocationTable | None = None
_default_lock = threading.Lock()
_listeners: list[Callable[[], None]] = []


def default_table() -> AllocationTable:
    """The table lookups use, loaded once on first use.

    The bundled data plus any files ``XL_REIT_DATA`` names (see
    :func:`environment_tables`). A bad file raises :class:`DataFileError`
    on every call until it is fixed; nothing is half-loaded.
    """
    global _default
    table = _default
    if table is None:
        with _default_lock:
            if _default is None:
                paths, override = environment_tables()
                _default = load_table(paths, override=override)
            table = _default
    return table


def set_default_table(table: AllocationTable | None) -> None:
    """Replace the table lookups use (``None``: load it again on next use)."""
    global _default
    with _default_lock:
        _default = table
    for listener in _listeners:
        listener()


def on_default_table_change(listener: Callable[[], None]) -> None:
    """Call ``listener`` whenever :func:`set_default_table` replaces the table (clears caches)."""
    _listeners.append(listener)
