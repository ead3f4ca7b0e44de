"""ui/collector.py: full garbage collections wait for a pause in the typing, and never wait forever."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from lobby_tui.ui import collector
from lobby_tui.ui.collector import QuietCollector


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def held() -> Iterator[tuple[QuietCollector, Clock, list[int]]]:
    """A collector holding the full collections, with a clock of the test's and a record of every
    collection's generation; Python's thresholds and callbacks are put back afterwards."""
    thresholds = gc.get_threshold()
    ran: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            ran.append(info["generation"])

    clock = Clock()
    quiet = QuietCollector(clock)
    gc.collect()
    gc.callbacks.append(note)
    try:
        quiet.take_over()
        yield quiet, clock, ran
    finally:
        gc.callbacks.remove(note)
        quiet.give_back()
        gc.set_threshold(*thresholds)


def middle_collections(n: int) -> None:
    """n collections of the middle generation, as Python makes them while objects are made."""
    for _ in range(n):
        gc.collect(1)


def test_python_never_starts_a_full_collection_while_it_is_held(held) -> None:  # type: ignore[no-untyped-def]
    quiet, _, ran = held
    assert quiet.holding
    young, middle, full = gc.get_threshold()
    assert full > 10**6
    kept = []  # objects that live on, as a shift's screens and caches do: Python would walk them all
    for _ in range(200):
        loops = [[] for _ in range(5000)]
        for loop in loops:
            loop.append(loop)
        kept.append(loops)
    assert 2 not in ran and 1 in ran  # the young ones as ever, no full one
    assert gc.get_count()[2] > 10  # though Python would have started one by now


def test_a_full_collection_waits_for_a_pause_in_the_typing(held) -> None:  # type: ignore[no-untyped-def]
    quiet, clock, ran = held
    middle_collections(5)
    assert not quiet.due(last_input=clock.now - 60)  # not due yet: Python's own ten have not passed
    middle_collections(10)
    ran.clear()
    assert not quiet.due(last_input=clock.now - collector.QUIET_S / 2)  # a key just now: later
    assert 2 not in ran
    assert quiet.due(last_input=clock.now - collector.QUIET_S)  # quiet long enough
    assert ran == [2] and gc.get_count()[2] == 0
    assert not quiet.due(last_input=clock.now - 60)  # and not again until ten more


def test_without_a_pause_it_runs_anyway_after_force_after(held) -> None:  # type: ignore[no-untyped-def]
    quiet, clock, ran = held
    middle_collections(collector.FORCE_AFTER)
    assert not quiet.due(last_input=clock.now)
    middle_collections(1)
    ran.clear()
    assert quiet.due(last_input=clock.now)  # keys still coming, but memory is not left to grow
    assert ran == [2]


def test_given_back_python_decides_again() -> None:
    before = gc.get_threshold()
    quiet = QuietCollector()
    quiet.take_over()
    quiet.take_over()  # twice is once
    assert gc.get_threshold()[2] != before[2]
    quiet.give_back()
    assert gc.get_threshold() == before and not quiet.holding
    assert not quiet.due(last_input=0.0)  # not holding: never collects
