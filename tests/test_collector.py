"""The cycle collector is held off while a large file is read, and put back as it was."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest

from xl_reit import collector
from xl_reit.importer import parse_release


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_while_reading_and_on_again_after() -> None:
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_a_reader_that_fails_still_puts_the_collector_back() -> None:
    with pytest.raises(ValueError), collector.paused():
        raise ValueError("a bad file")
    assert gc.isenabled()


def test_the_collector_stays_off_until_the_last_of_several_readers_leaves() -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with collector.paused():
            first_in.set()
            second_in.wait()
        first_out.set()

    def second() -> None:
        first_in.wait()
        with collector.paused():
            second_in.set()
            first_out.wait()
            seen.append(gc.isenabled())  # the first has left; this one still reads

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert seen == [False]
    assert gc.isenabled()


def test_what_a_reader_made_is_in_the_oldest_generation_after() -> None:
    # a young collection after the pause would otherwise walk all of it at once
    with collector.paused():
        made = [[number] for number in range(1000)]
    assert not any(obj is made for obj in gc.get_objects(generation=0))
    assert any(obj is made for obj in gc.get_objects(generation=2))


def test_a_cycle_made_while_reading_is_still_collected() -> None:
    class Node:
        pass

    with collector.paused():
        node = Node()
        node.itself = node  # type: ignore[attr-defined]
        gone = weakref.ref(node)
        del node
    assert gone() is not None  # only the collector frees a cycle
    gc.collect()
    assert gone() is None


def test_objects_a_program_froze_itself_stay_frozen() -> None:
    # (the count itself may fall meanwhile: a frozen object another thread lets go of is freed)
    frozen = [[1], [2]]
    gc.freeze()
    try:
        with collector.paused():
            made = [[3]]
        assert gc.get_freeze_count() > 0
        assert not any(obj is frozen for obj in gc.get_objects())
        assert made
    finally:
        gc.unfreeze()


def test_an_import_leaves_the_collector_as_it_found_it() -> None:
    parse_release("no release here\n", source_name="empty.txt")
    assert gc.isenabled()
