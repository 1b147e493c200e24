"""The fuzzer's oracles catch what they promise to catch.

A fuzzer whose checks cannot fail would find nothing and prove nothing, so
each oracle is shown a reader with a planted fault: a traceback, a hang, a
figure changed in the file that the reader ignores.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest

from xl_reit.errors import XlReitError
from xl_reit.table import AllocationTable

from fuzz import oracles
from fuzz.mutations import CSV_MUTATIONS, LARGE_MUTATIONS, TEXT_MUTATIONS, mutate

DATA = Path(__file__).parent / "data"
RELEASES = Path(__file__).parent / "releases"


def test_a_refusal_keeps_the_promise_a_traceback_and_a_hang_do_not() -> None:
    def refuse() -> None:
        raise XlReitError("bad input")

    def crash() -> None:
        raise KeyError("oops")

    assert oracles.guarded(refuse, 5)[1] is None
    assert str(oracles.guarded(crash, 5)[1]).startswith("traceback:")
    assert oracles.guarded(lambda: time.sleep(5), 0.2)[1] == "hang: no answer within 2 s"


def test_the_time_budget_is_work_so_a_busy_machine_makes_no_hang_of_a_slow_answer() -> None:
    def busy() -> None:
        end = time.process_time() + 5
        while time.process_time() < end:
            pass

    assert oracles.guarded(busy, 0.2)[1] == "hang: more than 0.2 s of work"
    # waiting 0.5 s (on another process's work, a file) is no work: within the budget
    assert oracles.guarded(lambda: time.sleep(0.5), 0.2) == (None, None)


def test_an_import_whose_rows_a_table_file_refuses_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (RELEASES / "aimco-2004.txt").read_text(encoding="utf-8")
    assert oracles.try_release(text, 30) is None  # the real importer
    real = oracles.parse_release

    class Unloadable:
        def __init__(self, *args: object, **kwargs: object) -> None:
            self.rows = real(*args, **kwargs).rows

        def table(self) -> None:
            raise XlReitError("junk.txt, line 1: no component columns")

    monkeypatch.setattr(oracles, "parse_release", Unloadable)
    assert oracles.try_release(text, 30) == (
        "writes rows that do not load: junk.txt, line 1: no component columns"
    )


def test_a_table_reader_that_ignores_a_changed_figure_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (DATA / "aiv-2005.csv").read_text()
    assert oracles.try_table_digit(text, random.Random(1), 10) is None  # the real reader
    real = AllocationTable.from_texts
    monkeypatch.setattr(
        oracles.AllocationTable, "from_texts", lambda texts: real([("fuzz.csv", text)])
    )
    found = oracles.try_table_digit(text, random.Random(1), 10)
    assert found is not None and "loads, but no figure is" in found


def test_a_holdings_reader_that_ignores_a_changed_share_count_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (DATA / "holdings-by-class.csv").read_text()
    assert oracles.try_holdings_digit(text, random.Random(2), 10) is None
    real = oracles.read_holdings

    def stale(path: Path, table: AllocationTable) -> object:
        path.write_text(text, encoding="utf-8")  # as if the change never reached the reader
        return real(path, table)

    monkeypatch.setattr(oracles, "read_holdings", stale)
    found = oracles.try_holdings_digit(text, random.Random(2), 10)
    assert found is not None and "the boxes did not change" in found


def test_an_importer_that_ignores_a_changed_figure_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (RELEASES / "example-nested-2019.txt").read_text()
    assert oracles.try_release_digit(text, random.Random(3), 30) is None
    real = oracles.parse_release
    monkeypatch.setattr(oracles, "parse_release", lambda _text, **options: real(text, **options))
    found = oracles.try_release_digit(text, random.Random(3), 30)
    assert found is not None and "the import is OK and writes the same" in found


def test_a_failed_import_leaves_nothing_in_the_folder() -> None:
    broken = (RELEASES / "broken-2016.txt").read_text()
    assert oracles.try_release_written(broken, 30) is None


def test_every_mutation_returns_text_and_one_seed_replays_the_same_damage() -> None:
    text = (DATA / "aiv-2005.csv").read_text()
    for mutation in (*TEXT_MUTATIONS, *CSV_MUTATIONS, *LARGE_MUTATIONS):
        assert isinstance(mutation(text, random.Random(0)), str)
    first = mutate(text, random.Random(7), csv_file=True)
    assert mutate(text, random.Random(7), csv_file=True) == first


def test_a_page_reader_that_shows_a_hidden_row_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    from fuzz import files

    page = files.page_seeds([])[0]
    assert all(
        files.try_page_hidden(page, random.Random(seed), 30) is None for seed in range(20)
    )  # the real reader
    real = files.release_text

    def ignoring_styles(data: bytes, name: str) -> object:
        shown = re.sub(rb"<style>.*?</style>|\b(?:style|class|id|hidden|data-fz)\b", b"x", data)
        return real(shown, name)

    monkeypatch.setattr(files, "release_text", ignoring_styles)
    found = [files.try_page_hidden(page, random.Random(seed), 30) for seed in range(20)]
    assert any(finding and "is read: 0.987654 is in the text" in finding for finding in found)


def test_a_bulk_reader_that_raises_or_leaves_a_file_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from fuzz import files

    records = files.records_seeds([(DATA / "holdings-by-class.csv").read_text()])[0]
    assert files.try_records(records, random.Random(1), 60) is None  # the real one

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyError("oops")

    monkeypatch.setattr(files.bulk, "write_boxes", crash)
    assert str(files.try_records(records, random.Random(1), 60)).startswith("traceback:")

    def leave_a_file(source: Path, by: object, output: Path, **kwargs: object) -> None:
        output.write_text("half")
        raise XlReitError("refused")

    monkeypatch.setattr(files.bulk, "write_boxes", leave_a_file)
    assert "but left" in str(files.try_records(records, random.Random(1), 60))
