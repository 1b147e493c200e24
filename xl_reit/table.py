"""The allocation table: every loaded share class and tax year, indexed; and where it comes from.

:class:`AllocationTable` is an immutable index over checked share classes
(:mod:`xl_reit.assemble`), by CUSIP and by ticker symbol. It is loaded from
table files (:mod:`xl_reit.tablefile`): the ones bundled with the package,
and users' own, named on the command line or by ``XL_REIT_DATA``.
:func:`default_table` is the table lookups use when none is given, loaded
once on first use.

Loading validates everything and raises one :class:`DataFileError` listing
every problem by file, line and column, so a bad table is never half-loaded.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path

from . import collector
from . import cusip as cusip_module
from .assemble import across_years, assemble
from .errors import DataFileError, Problem
from .model import Payment, SecurityClass
from .tablefile import read_paths, read_text

__all__ = [
    "BUNDLED_FILES",
    "AllocationTable",
    "bundled_table",
    "default_table",
    "environment_tables",
    "load_table",
    "normalise_symbol",
    "on_default_table_change",
    "set_default_table",
]

BUNDLED_FILES = (
    "aimco-2004.csv",
    "mpt-2022.csv",
    "realty-income-2023.csv",
    "simon-2023.csv",
    "stag-2023.csv",
    "stag-2024.csv",
    "wp-carey-2023.csv",
)


def normalise_symbol(text: str) -> str:
    """Fold the ways people write a preferred symbol to one key.

    ``AIVPrD``, ``AIV-PD``, ``AIV.PR.D``, ``AIV PRD``, ``AIVpD`` and ``AIV^D``
    all become ``AIVPRD`` or ``AIVPD``; :class:`AllocationTable` indexes both.

    >>> normalise_symbol("AIV.PR.D"), normalise_symbol("AIV^D")
    ('AIVPRD', 'AIVPRD')
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


class AllocationTable:
    """Every loaded share class and tax year, indexed by CUSIP and by symbol. Immutable.

    ``classes`` maps ``(cusip, tax_year)`` to its :class:`SecurityClass`, in the
    order the tables list them; ``by_cusip`` maps a CUSIP to its tax years,
    oldest first, so next year's release for the same shares sits beside
    this year's; ``symbols`` maps each spelling key of a symbol to its CUSIP;
    ``sources`` names the table files, in the order they were loaded.
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
        with collector.paused():  # every line's figures, all alive to the end
            return cls._load(texts, override)

    @classmethod
    def _load(cls, texts: Iterable[tuple[str, str]], override: bool) -> AllocationTable:
        problems: list[Problem] = []
        merged: dict[tuple[str, int], SecurityClass] = {}
        names: list[str] = []
        for name, text in texts:
            names.append(name)
            rows, found = read_text(name, text)
            classes, assembled = assemble(rows)
            problems += found + assembled
            for security in classes:
                problems += _merge(merged, security, override)
        problems += across_years(merged.values())
        if problems:
            raise DataFileError(problems)
        return cls(merged.values(), names)

    @classmethod
    def from_paths(cls, paths: Iterable[str | Path], *, override: bool = False) -> AllocationTable:
        """Load table files from disk (see :meth:`from_texts`)."""
        return cls.from_texts(read_paths(paths), override=override)


def _merge(
    merged: dict[tuple[str, int], SecurityClass], security: SecurityClass, override: bool
) -> list[Problem]:
    """Add a class-year to ``merged``; one already there is a problem unless overridden."""
    key = (security.cusip, security.tax_year)
    earlier = merged.get(key)
    if earlier is not None and not override:
        first = security.lines[0].origin
        return [
            Problem(
                first.file,
                first.line,
                "cusip",
                f"CUSIP {cusip_module.format(key[0])} tax year {key[1]} is already loaded from "
                f"{earlier.files[0]}; remove one, or ask to override (--override, or "
                "XL_REIT_OVERRIDE=1) so this file replaces it",
            )
        ]
    merged[key] = security
    return []


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
    return AllocationTable.from_texts([*_bundled_texts(), *read_paths(extra)], override=override)


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
