"""When the cyclic garbage collector walks everything: while nobody is typing, not between two keys.

A full (generation 2) collection walks every object the app holds that start-up did not freeze:
Textual's widgets and line caches of the screens of a shift, 60-100 ms on a lobby tablet. Python
starts one after every ten collections of the middle generation, which is to say in the middle of
a burst of keys, about one key step in six (benchmarks/probe.py keys, with a callback in
gc.callbacks). `lobby-tui` hands full collections to QuietCollector instead: the young generations
are collected as Python always does (a millisecond or two each); the full one waits for a quiet
moment, QUIET_S after the last key, touch or scroll. Between two customers there is always one.
So that memory stays bounded when there is none (a demonstration, keys held down), it also runs
once FORCE_AFTER middle-generation collections have passed without it.

Pure Python, no Textual: LobbyApp asks `due()` on a timer with the time of the last input.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

QUIET_S = 1.0  # seconds without input before a full collection may run
CHECK_S = 0.5  # how often the app asks
FORCE_AFTER = 100  # middle-generation collections without a full one: it runs, quiet or not
_NEVER = 1 << 30  # the full generation's threshold while this collector holds it


class QuietCollector:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._every: int | None = None  # Python's own threshold for a full collection, while held

    @property
    def holding(self) -> bool:
        return self._every is not None

    def take_over(self) -> None:
        """From now on a full collection runs only from due()."""
        if self._every is not None:
            return
        young, middle, full = gc.get_threshold()
        self._every = full
        gc.set_threshold(young, middle, _NEVER)

    def give_back(self) -> None:
        """Python's own thresholds again (the app has ended)."""
        if self._every is None:
            return
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, self._every)
        self._every = None

    def due(self, last_input: float) -> bool:
        """Run a full collection if one is due and the app is quiet (or it has waited too long):
        whether it ran."""
        if self._every is None or not gc.isenabled():
            return False
        waiting = gc.get_count()[2]  # middle-generation collections since the last full one
        if waiting <= self._every:
            return False
        if waiting <= FORCE_AFTER and self._clock() - last_input < QUIET_S:
            return False
        gc.collect(2)
        return True
