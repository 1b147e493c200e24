"""The allocation table: every loaded share class and tax year, indexed; and where it comes from.

:class:`AllocationTable` is an immutable index over checked share classes
(:mod:`xl_reit.assemble`), by CUSIP and by ticker symbol. It is loaded from
table files (:mod:`xl_reit.tablefile`): the ones bundled with the package,
and users' own, named on the command line or by ``XL_REIT_DATA``.
:func:`default_table` is the table lookups use when none is given, made
once on first use.

Loading validates everything and raises one :class:`DataFileError` listing
every problem by file, line and column, so a bad table is never half-loaded.

The bundled tables are read lazily, so that a workbook's first call costs
the same however many releases the package holds. ``data/index.json`` (the
bundle's index, made by :func:`write_index` and checked against the tables by
the tests) names each bundled file's classes: CUSIP, tax year, issuer, class
and symbol. A table knows every class from it, and reads a class's figures
when a lookup first needs them: the files that hold its CUSIP, with every
file that shares a CUSIP with those (a payment split between two years'
releases is checked across both), each file read and checked whole, with
the same checks and the same errors as when everything was read at once.
Users' own files are read whole when the table is made, with every bundled
file that shares a CUSIP with them.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from . import collector
from . import cusip as cusip_module
from .assemble import across_years, assemble
from .atomic import write_atomically
from .errors import DataFileError, Problem
from .model import Payment, SecurityClass
from .tablefile import read_paths, read_text

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = [  # and BUNDLED_FILES, read from the index on first use (see __getattr__)
    "AllocationTable",
    "Bundle",
    "ClassEntry",
    "bundled_table",
    "default_table",
    "environment_tables",
    "load_table",
    "normalise_symbol",
    "on_default_table_change",
    "set_default_table",
    "write_index",
]

#: The bundle's index, beside its tables in ``xl_reit/data``.
INDEX = "index.json"


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


#: A class-year's key in a table: ``(cusip, tax_year)``.
Key = tuple[str, int]
K = TypeVar("K")
V = TypeVar("V")


class ClassEntry(NamedTuple):
    """A class-year as an index knows it, without its figures: who, which, and from what file."""

    cusip: str
    tax_year: int
    issuer: str
    class_name: str
    symbol: str
    file: str

    @classmethod
    def of(cls, security: SecurityClass) -> ClassEntry:
        """The entry of a loaded class-year."""
        return cls(
            security.cusip,
            security.tax_year,
            security.issuer,
            security.class_name,
            security.symbol,
            security.files[0],
        )


class AllocationTable:
    """Every loaded share class and tax year, indexed by CUSIP and by symbol. Immutable.

    ``classes`` maps ``(cusip, tax_year)`` to its :class:`SecurityClass`, in the
    order the tables list them; ``by_cusip`` maps a CUSIP to its tax years,
    oldest first, so next year's release for the same shares sits beside
    this year's; ``symbols`` maps each spelling key of a symbol to its CUSIP;
    ``index`` maps ``(cusip, tax_year)`` to its :class:`ClassEntry` (issuer,
    class, symbol, file), known without reading any figure; ``sources`` names
    the table files, in the order they were loaded.

    A table made from the bundle reads a bundled class's file when
    ``classes`` or ``by_cusip`` is first asked for one of its class-years (see
    the module's doc); a bad file raises :class:`DataFileError` then, and on
    every later use, and nothing of it is kept.
    """

    def __init__(self, classes: Iterable[SecurityClass], sources: Iterable[str] = ()) -> None:
        loaded = {(c.cusip, c.tax_year): c for c in classes}
        self._start({key: ClassEntry.of(c) for key, c in loaded.items()}, loaded, tuple(sources))

    def _start(
        self,
        entries: dict[Key, ClassEntry],
        loaded: dict[Key, SecurityClass],
        sources: tuple[str, ...],
        pending: Mapping[str, _Group] | None = None,
        bundle: Bundle | None = None,
        override: bool = False,
    ) -> None:
        self.index: Mapping[Key, ClassEntry] = MappingProxyType(entries)
        self.sources: tuple[str, ...] = sources
        self._loaded = loaded
        self._pending: dict[str, _Group] = dict(pending or {})
        self._bundle = bundle
        self._override = override
        self._lock = threading.Lock()
        self._years: dict[str, tuple[SecurityClass, ...]] = {}
        self._tax_years: dict[str, list[int]] = {}
        for cusip, year in entries:
            self._tax_years.setdefault(cusip, []).append(year)
        self.classes: Mapping[Key, SecurityClass] = _Lazy(self.index, loaded, self._class)
        self.by_cusip: Mapping[str, tuple[SecurityClass, ...]] = _Lazy(
            self._tax_years, self._years, self._years_of
        )

    @cached_property
    def symbols(self) -> dict[str, str]:
        """Each spelling key of each class's symbol, to its CUSIP (the first class's, on a tie)."""
        symbols: dict[str, str] = {}
        for entry in self.index.values():
            for key in _symbol_keys(entry.symbol):
                symbols.setdefault(key, entry.cusip)
        return symbols

    def __len__(self) -> int:
        return len(self.index)

    def payments(self) -> Iterable[Payment]:
        """Every payment, class by class in the table's order."""
        for security in self.classes.values():
            yield from security.payments

    def _class(self, key: Key) -> SecurityClass:
        found = self._loaded.get(key)
        if found is None:
            if key not in self.index:
                raise KeyError(key)
            self._read(key[0])
            found = self._loaded[key]
        return found

    def _years_of(self, cusip: str) -> tuple[SecurityClass, ...]:
        years = self._years.get(cusip)
        if years is None:
            if cusip not in self._tax_years:
                raise KeyError(cusip)
            self._read(cusip)
            found = (self._loaded[(cusip, year)] for year in self._tax_years[cusip])
            years = self._years[cusip] = tuple(sorted(found, key=lambda c: c.tax_year))
        return years

    def _read(self, cusip: str) -> None:
        """Read and check the bundled files of ``cusip``'s classes, unless they are read."""
        group = self._pending.get(cusip)
        if group is None:
            return
        with self._lock:
            if self._pending.get(cusip) is not group:  # another thread read them meanwhile
                return
            assert self._bundle is not None
            self._loaded.update(self._bundle.load(group.files, self._override))
            for each in group.cusips:
                del self._pending[each]

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
            files = [_read(name, text) for name, text in texts]
            merged, problems = _combine(files, override)
        if problems:
            raise DataFileError(problems)
        return cls(merged.values(), [name for name, _, _ in files])

    @classmethod
    def from_paths(cls, paths: Iterable[str | Path], *, override: bool = False) -> AllocationTable:
        """Load table files from disk (see :meth:`from_texts`)."""
        return cls.from_texts(read_paths(paths), override=override)


class _Lazy(Mapping[K, V]):
    """A read-only mapping whose keys are known at once and whose values are read on first use.

    ``ready`` holds the values read so far; ``read`` reads the one of a key not
    in it (and raises :class:`KeyError` for a key not in ``keys``).
    """

    __slots__ = ("_keys", "_read", "_ready")

    def __init__(self, keys: Mapping[K, object], ready: dict[K, V], read: Callable[[K], V]):
        self._keys = keys
        self._ready = ready
        self._read = read

    def __getitem__(self, key: K) -> V:
        try:
            return self._ready[key]
        except KeyError:
            return self._read(key)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[K]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


#: A table file read: its name, the classes assembled from it, and its problems.
_Read = tuple[str, list[SecurityClass], list[Problem]]


def _read(name: str, text: str) -> _Read:
    rows, found = read_text(name, text)
    classes, assembled = assemble(rows)
    return name, classes, found + assembled


def _combine(
    files: Iterable[_Read], override: bool
) -> tuple[dict[Key, SecurityClass], list[Problem]]:
    """The class-years of table files read, merged in order, and every problem, in order."""
    problems: list[Problem] = []
    merged: dict[Key, SecurityClass] = {}
    for _, classes, found in files:
        problems += found
        for security in classes:
            problems += _merge(merged, security, override)
    problems += across_years(merged.values())
    return merged, problems


def _merge(
    merged: dict[Key, SecurityClass], security: SecurityClass, override: bool
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


class _Group:
    """Bundled files that share CUSIPs, so that they are read and checked together."""

    __slots__ = ("cusips", "files")

    def __init__(self, files: tuple[str, ...], cusips: frozenset[str]) -> None:
        self.files = files
        self.cusips = cusips


class Bundle:
    """Table files shipped together in one folder, and the index of their classes.

    ``entries`` names each file's class-years as its index (``index.json`` in
    the folder) lists them, files in load order. :meth:`table` makes a table
    that reads a file only when a lookup first needs one of its classes.
    """

    def __init__(self, folder: Path | Traversable, entries: Mapping[str, Sequence[ClassEntry]]):
        self.folder = folder
        self.entries: dict[str, tuple[ClassEntry, ...]] = {
            name: tuple(found) for name, found in entries.items()
        }
        self.files: tuple[str, ...] = tuple(self.entries)

    @classmethod
    def read(cls, folder: Path | Traversable) -> Bundle:
        """The bundle of a folder, from its index."""
        index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
        return cls(
            folder,
            {
                name: [
                    ClassEntry(cusip, tax_year, issuer, class_name, symbol, name)
                    for cusip, tax_year, issuer, class_name, symbol in rows
                ]
                for name, rows in index["files"].items()
            },
        )

    def text(self, name: str) -> str:
        """A bundled file's text."""
        return (self.folder / name).read_text(encoding="utf-8")

    @cached_property
    def groups(self) -> dict[str, _Group]:
        """Each CUSIP's group: its files and every file linked to them by a CUSIP they share."""
        parent = {name: name for name in self.files}

        def root(name: str) -> str:
            while parent[name] != name:
                name = parent[name]
            return name

        first: dict[str, str] = {}
        for name, entries in self.entries.items():
            for entry in entries:
                one, other = root(name), root(first.setdefault(entry.cusip, name))
                if one != other:
                    parent[one] = other
        members: dict[str, list[str]] = {}
        for name in self.files:
            members.setdefault(root(name), []).append(name)
        groups: dict[str, _Group] = {}
        for files in members.values():
            cusips = frozenset(entry.cusip for name in files for entry in self.entries[name])
            group = _Group(tuple(files), cusips)
            groups.update(dict.fromkeys(cusips, group))
        return groups

    def load(self, files: Sequence[str], override: bool = False) -> dict[Key, SecurityClass]:
        """The class-years of some bundled files, each file read and checked whole, together.

        Raises :class:`DataFileError` for any problem, as :meth:`AllocationTable.from_texts`
        would, or when the files do not hold the classes the index lists.
        """
        with collector.paused():
            merged, problems = _combine([_read(name, self.text(name)) for name in files], override)
        if problems:
            raise DataFileError(problems)
        listed = [entry for name in files for entry in self.entries[name]]
        if [ClassEntry.of(security) for security in merged.values()] != listed:
            raise DataFileError(
                f"{self.folder / INDEX}: it does not list the classes {', '.join(files)} hold; "
                "make it again from the tables with xl_reit.table.write_index()"
            )
        return merged

    def table(
        self, texts: Sequence[tuple[str, str]] = (), *, override: bool = False
    ) -> AllocationTable:
        """The bundle's tables, then ``(name, csv_text)`` pairs (as in ``from_texts``).

        The pairs are read and checked now, with every bundled file that shares
        a CUSIP with them; the other bundled files when first used.
        """
        with collector.paused():
            theirs = [_read(name, text) for name, text in texts]
            named = {security.cusip for _, classes, _ in theirs for security in classes}
            now = {
                name for cusip in named if cusip in self.groups for name in self.groups[cusip].files
            }
            ours = [_read(name, self.text(name)) for name in self.files if name in now]
            merged, problems = _combine([*ours, *theirs], override)
        if problems:
            raise DataFileError(problems)
        read = {name: classes for name, classes, _ in ours}
        keys: list[Key] = []
        for name in self.files:
            if name in now:
                keys += [(security.cusip, security.tax_year) for security in read[name]]
            else:
                keys += [(entry.cusip, entry.tax_year) for entry in self.entries[name]]
        keys += [(c.cusip, c.tax_year) for _, classes, _ in theirs for c in classes]
        listed = {(e.cusip, e.tax_year): e for found in self.entries.values() for e in found}
        entries = {
            key: ClassEntry.of(merged[key]) if key in merged else listed[key] for key in keys
        }
        later = {cusip: group for cusip, group in self.groups.items() if group.files[0] not in now}
        table = AllocationTable.__new__(AllocationTable)
        sources = (*self.files, *(name for name, _ in texts))
        table._start(entries, merged, sources, later, self, override)
        return table


def index_text(folder: Path) -> str:
    """The index of the table files in ``folder`` (every ``*.csv``, by name), as JSON text.

    Raises :class:`DataFileError` if the tables, loaded together, have any problem.
    """
    names = sorted(path.name for path in folder.glob("*.csv"))
    with collector.paused():
        files = [_read(name, (folder / name).read_text(encoding="utf-8")) for name in names]
        _, problems = _combine(files, False)
    if problems:
        raise DataFileError(problems)
    lines = [
        "{",
        '  "about": "The classes of each bundled table file, for reading the files lazily '
        '(xl_reit.table). Made from the tables by xl_reit.table.write_index(); do not edit.",',
        '  "files": {',
    ]
    for number, (name, classes, _) in enumerate(files):
        rows = [
            json.dumps([c.cusip, c.tax_year, c.issuer, c.class_name, c.symbol], ensure_ascii=False)
            for c in classes
        ]
        end = "," if number < len(files) - 1 else ""
        lines += [f"    {json.dumps(name)}: [", *(f"      {row}," for row in rows[:-1])]
        lines += [f"      {rows[-1]}", f"    ]{end}"]
    return "\n".join([*lines, "  }", "}", ""])


def write_index(folder: str | os.PathLike[str] | None = None) -> Path:
    """Write ``index.json`` for the table files of ``folder`` (by default the bundled ones).

    Run it after adding, removing or changing a bundled table::

        python -c "import xl_reit.table as t; t.write_index()"
    """
    chosen = Path(folder) if folder is not None else Path(__file__).parent / "data"
    text = index_text(chosen)

    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    return write_atomically(chosen / INDEX, write, overwrite=True)


@cache
def packaged() -> Bundle:
    """The tables shipped inside the package, as their index lists them (read once)."""
    return Bundle.read(resources.files("xl_reit") / "data")


def __getattr__(name: str) -> tuple[str, ...]:
    """``BUNDLED_FILES``: the names of the bundled table files, in load order (from the index)."""
    if name == "BUNDLED_FILES":
        return packaged().files
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def bundled_table() -> AllocationTable:
    """The tables shipped inside the package (each file checked whole on first use; not cached)."""
    return packaged().table()


def load_table(extra: Iterable[str | Path] = (), *, override: bool = False) -> AllocationTable:
    """The bundled tables plus users' own table files, validated together.

    ``extra`` files come after the bundled ones; see
    :meth:`AllocationTable.from_texts` for what ``override`` allows. They are
    read and checked now, with the bundled files that share a CUSIP with them;
    the other bundled files when a lookup first needs them.
    """
    return packaged().table(read_paths(extra), override=override)


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
