"""The package's shape: imports run one way, down the layers, with no loop anywhere.

The layers are the ones the README's Development section lists, from the
ground up. A module may import from its own layer or any below it, never from
one above; heavy libraries stay in the edges that need them. Every import
counts, including one inside a function: a late import is still a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "xl_reit"

#: Each layer's modules (a package stands for all of its modules), ground first.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("_version", "errors"),
    (
        "cusip",
        "isin",
        "cells",
        "dates",
        "settlement",
        "components",
        "csvsafe",
        "encodings",
        "atomic",
        "broadcast",
        "collector",
    ),
    ("model",),
    ("figures",),
    ("assemble", "tablefile"),
    ("table",),
    ("lookup",),
    ("form1099", "holdings", "importer", "sources", "records"),
    ("basis",),
    ("udfs", "lite", "workbook", "cli", "frames", "bulk", "spark"),
    ("__init__", "__main__"),
)

#: The template builder's package: its __init__ and a module per sheet, style and layout.
WORKBOOK_PARTS = (
    *("", ".about", ".amounts", ".basis", ".chart", ".form"),
    *(".layout", ".payments", ".release", ".styles"),
)
#: Third-party libraries only some modules may import (at any depth of the module).
HEAVY = {
    "xlwings": {"udfs"},
    "openpyxl": {"holdings.xlsx"} | {f"workbook{part}" for part in WORKBOOK_PARTS},
    "pandas": {"frames"},
    "duckdb": {"bulk"},
    "pyspark": {"spark"},
    "numpy": set(),
    "holidays": {"settlement"},
}


def modules() -> Iterator[tuple[str, Path]]:
    """Every module of the package as a dotted name below ``xl_reit`` and its file."""
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        yield ".".join(parts), path


def layer(module: str) -> int:
    for number, names in enumerate(LAYERS):
        if any(module == name or module.startswith(name + ".") for name in names):
            return number
    raise AssertionError(f"xl_reit.{module} is in no layer: add it to LAYERS and the README")


@cache
def imports(module: str, path: Path) -> tuple[tuple[str, int], ...]:
    """``(imported name, line)`` for every import of a module; package-relative names resolved.

    A name inside ``xl_reit`` is given below the package (``table``); another
    package by its dotted name (``openpyxl.styles``).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    here = module.split(".") if module != "__init__" else []
    base = here if is_package else here[:-1]
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                assert node.module is not None
                names = [node.module]
            else:
                parent = base[: len(base) - (node.level - 1)]
                prefix = ".".join([*parent, *(node.module.split(".") if node.module else [])])
                # "from . import lookup" imports a module; "from .errors import X" a name.
                names = [
                    ".".join(p for p in (prefix, alias.name) if p)
                    if node.module is None
                    else prefix
                    for alias in node.names
                ]
                names = ["xl_reit." + name if name else "xl_reit" for name in names]
            found += [(name, node.lineno) for name in names]
    return tuple(found)


def internal(name: str) -> str | None:
    """The module below ``xl_reit`` that an imported name is in, or ``None`` for another package."""
    if name == "xl_reit":
        return "__init__"
    if not name.startswith("xl_reit."):
        return None
    known = {module for module, _ in modules()}
    parts = name.removeprefix("xl_reit.").split(".")
    while parts and ".".join(parts) not in known:
        parts.pop()  # "from .errors import shown" names errors.shown: the module is errors
    return ".".join(parts) if parts else "__init__"


def graph() -> dict[str, set[str]]:
    """Which modules of the package each module imports."""
    return {
        module: {
            target
            for name, _ in imports(module, path)
            if (target := internal(name)) is not None and target != module
        }
        for module, path in modules()
    }


def test_every_module_is_in_a_layer() -> None:
    for module, _ in modules():
        layer(module)


def test_no_import_runs_from_a_lower_layer_to_a_higher_one() -> None:
    upward = [
        f"xl_reit.{module} (layer {layer(module)}) imports xl_reit.{target} "
        f"(layer {layer(target)}) on line {line}"
        for module, path in modules()
        for name, line in imports(module, path)
        if (target := internal(name)) is not None and layer(target) > layer(module)
    ]
    assert upward == []


def looping(edges: dict[str, set[str]]) -> list[str]:
    """The modules that can reach themselves through their imports (each is in a loop)."""
    found = []
    for start in sorted(edges):
        seen: set[str] = set()
        todo = list(edges[start])
        while todo:
            module = todo.pop()
            if module == start:
                found.append(start)
                break
            if module not in seen:
                seen.add(module)
                todo += edges.get(module, ())
    return found


def test_the_imports_form_no_loop() -> None:
    assert looping(graph()) == []


@pytest.mark.parametrize("library", sorted(HEAVY))
def test_heavy_libraries_stay_in_the_edges_that_need_them(library: str) -> None:
    users = {
        module
        for module, path in modules()
        for name, _ in imports(module, path)
        if name == library or name.startswith(library + ".")
    }
    assert users <= HEAVY[library]


def test_the_checks_can_fail() -> None:
    """The guard itself: a made-up upward import and a made-up loop are both caught."""
    assert layer("errors") < layer("table") < layer("cli")
    assert internal("xl_reit.errors") == "errors"
    assert internal("xl_reit.importer.report") == "importer.report"
    assert internal("xl_reit.table.normalise_symbol") == "table"
    assert internal("openpyxl.styles") is None
    with pytest.raises(AssertionError, match="in no layer"):
        layer("newmodule")
    assert looping({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c"]
    assert looping({"a": {"b"}, "b": set()}) == []
