"""The bundled tables are read lazily: a class's file when a lookup first names it.

Every answer and every error is the one the tables give read at once
(``AllocationTable.from_texts``); what changes is when each file is read.
"""

from __future__ import annotations

import shutil
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from xl_reit import lookup
from xl_reit import table as table_module
from xl_reit.errors import DataFileError, UnknownSecurityError
from xl_reit.table import (
    BUNDLED_FILES,
    AllocationTable,
    Bundle,
    bundled_table,
    index_text,
    load_table,
    write_index,
)

DATA = Path(table_module.__file__).parent / "data"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The bundled files read, in order, from here on."""
    names: list[str] = []
    real = Bundle.text

    def text(bundle: Bundle, name: str) -> str:
        names.append(name)
        return real(bundle, name)

    monkeypatch.setattr(Bundle, "text", text)
    return names


def copy_of_the_bundle(folder: Path) -> Path:
    for path in [*DATA.glob("*.csv"), DATA / "index.json"]:
        shutil.copy(path, folder / path.name)
    return folder


def test_the_committed_index_is_the_one_the_bundled_tables_make() -> None:
    # After changing a bundled table: python -c "import xl_reit.table as t; t.write_index()"
    assert (DATA / "index.json").read_text(encoding="utf-8") == index_text(DATA)
    assert BUNDLED_FILES == tuple(sorted(path.name for path in DATA.glob("*.csv")))


def test_a_lookup_of_one_class_reads_only_its_file(reads: list[str]) -> None:
    table = bundled_table()
    # 28 classes, 32 class-years (STAG in 2020, 2023 and 2024; W. P. Carey in 2023 and 2024;
    # Aimco's common in 2004 and 2013); none read
    assert reads == [] and len(table) == 32
    # MPT paid $0.28 in January 2022, then $0.29 a quarter (its 2022 release)
    assert lookup.dividend("MPW", "annual", table) == Decimal("1.15")
    assert reads == ["mpt-2022.csv"]
    lookup.dividend("03748R-10-1", "2004-02-27", table)  # a CUSIP's years, together
    assert reads == ["mpt-2022.csv", "aimco-2004.csv", "aimco-2013.csv"]
    lookup.allocation("AIVPrD", "annual", "1a", table)  # the same file: not read again
    assert reads == ["mpt-2022.csv", "aimco-2004.csv", "aimco-2013.csv"]


def test_a_class_whose_payment_is_split_between_releases_reads_both_years() -> None:
    # STAG's payment of 2024-01-16 is split between its 2023 and 2024 releases.
    names: list[str] = []
    table = bundled_table()
    real = Bundle.text
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Bundle, "text", lambda bundle, name: names.append(name) or real(bundle, name))
        lookup.dividend("STAG", "2024-01-16", table)
    assert names == ["stag-2020.csv", "stag-2023.csv", "stag-2024.csv"]  # a CUSIP's years


def test_messages_that_list_the_table_read_no_figures(reads: list[str]) -> None:
    with pytest.raises(UnknownSecurityError) as caught:
        lookup.find_class("NOPE", bundled_table())
    assert "STAG (85254J-10-2)" in str(caught.value) and "AIV (03748R-10-1)" in str(caught.value)
    assert reads == []


def test_the_lazy_table_is_the_table_read_at_once() -> None:
    at_once = AllocationTable.from_texts(
        [(name, (DATA / name).read_text(encoding="utf-8")) for name in BUNDLED_FILES]
    )
    lazy = bundled_table()
    assert lazy.symbols == at_once.symbols  # before anything is read
    assert list(lazy.by_cusip) == list(at_once.by_cusip)
    assert list(lazy.classes) == list(at_once.classes)
    assert dict(lazy.by_cusip) == dict(at_once.by_cusip)
    assert lazy.classes == at_once.classes and lazy.sources == at_once.sources


def test_your_own_table_is_read_at_once_with_the_bundled_files_it_shares_a_cusip_with(
    reads: list[str],
) -> None:
    table = load_table([Path(__file__).parent / "data" / "aiv-2005.csv"])  # Aimco's 2005
    assert reads == ["aimco-2004.csv", "aimco-2013.csv"]
    assert [c.tax_year for c in table.by_cusip["03748R101"]] == [2004, 2005, 2013]
    lookup.find_class("WPC", table)
    assert reads == ["aimco-2004.csv", "aimco-2013.csv", "wp-carey-2023.csv", "wp-carey-2024.csv"]


def test_a_bad_bundled_table_fails_as_it_would_read_at_once(tmp_path: Path) -> None:
    folder = copy_of_the_bundle(tmp_path)
    good = (folder / "mpt-2022.csv").read_text(encoding="utf-8")
    bad = good.replace("58463J304", "58463J305")  # a wrong check digit, on every row
    (folder / "mpt-2022.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(DataFileError) as at_once:
        AllocationTable.from_texts([("mpt-2022.csv", bad)])
    table = Bundle.read(folder).table()
    for _ in range(2):  # nothing of it is kept: every use fails the same way
        with pytest.raises(DataFileError) as lazily:
            lookup.find_class("MPW", table)
        assert lazily.value.problems == at_once.value.problems
        assert str(lazily.value).startswith("mpt-2022.csv, line 2, column cusip: cusip '58463J305'")
    assert lookup.find_class("WPC", table).symbol == "WPC"  # another file still answers


def test_a_table_the_index_does_not_describe_is_refused(tmp_path: Path) -> None:
    folder = copy_of_the_bundle(tmp_path)
    path = folder / "realty-income-2023.csv"
    rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(row for row in rows if "84860W201" not in row), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"index\.json: it does not list the classes"):
        lookup.find_class("O", Bundle.read(folder).table())
    write_index(folder)  # made again from the tables, it does
    assert lookup.find_class("O", Bundle.read(folder).table()).symbol == "O"


def test_threads_that_name_one_class_at_once_read_its_files_once(reads: list[str]) -> None:
    table = bundled_table()
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        lookup.find_years("STAG", table)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(reads) == ["stag-2020.csv", "stag-2023.csv", "stag-2024.csv"]
