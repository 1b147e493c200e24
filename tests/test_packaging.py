"""A real install: build the wheel, install it in a fresh virtual environment, use it."""

from __future__ import annotations

import subprocess
import venv
import zipfile
from pathlib import Path

import pytest
from bulk_dataset import as_boxes, generate, parquet_rows, reference, to_parquet, write_csv

from xl_reit.table import default_table

pytestmark = pytest.mark.slow


def test_the_wheel_ships_the_data_and_its_provenance(xl_reit_wheel: Path) -> None:
    names = set(zipfile.ZipFile(xl_reit_wheel).namelist())
    assert "xl_reit/data/aimco-2004.csv" in names
    assert "xl_reit/data/README.md" in names
    assert "xl_reit/py.typed" in names
    assert "xl_reit/importer/__init__.py" in names
    assert "xl_reit/importer.py" not in names  # the module the package replaced
    assert "xl_reit/holdings/__init__.py" in names
    assert "xl_reit/holdings.py" not in names
    assert not any(name.startswith("tests/") for name in names)


def test_an_installed_wheel_answers_a_lookup_from_outside_the_repository(
    xl_reit_wheel: Path, tmp_path: Path
) -> None:
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*install, str(xl_reit_wheel)], check=True)
    code = (
        "from xl_reit.udfs import REIT_ALLOC; "
        "print(REIT_ALLOC('03748R-10-1', '2004-02-27', 'qualified'))"
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = subprocess.run(
        [str(python), "-I", "-c", code], cwd=outside, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0.013268"
    located = subprocess.run(
        [str(python), "-I", "-c", "import xl_reit; print(xl_reit.__file__)"],
        cwd=outside,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(environment) in located.stdout


def test_the_readmes_bulk_command_works_from_the_install(
    xl_reit_wheel: Path, tmp_path: Path
) -> None:
    """``xl-reit 1099 big.parquet --by account -o boxes.parquet`` gives the pure path's boxes.

    Installed as the README installs it, so DuckDB and its Parquet support come with it.
    """
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    install = [str(environment / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*install, "--disable-pip-version-check", str(xl_reit_wheel)], check=True)
    records = generate(default_table(), records=2000, seed=2004)
    to_parquet(write_csv(records, tmp_path / "big.csv"), tmp_path / "big.parquet")
    command = ["1099", "big.parquet", "--by", "account", "-o", "boxes.parquet"]
    xl_reit = str(environment / "bin" / "xl-reit")
    subprocess.run([xl_reit, *command], cwd=tmp_path, check=True, capture_output=True)
    expected = reference(records, default_table(), by=["account"])
    found = as_boxes(parquet_rows(tmp_path / "boxes.parquet"), default_table(), by=["account"])
    assert found == expected
