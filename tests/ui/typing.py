"""Keys as a fast typist or a barcode scanner sends them: all at once, with no settling in between.

`pilot.press` waits for the app to go idle after every key, so it never finds what goes wrong when a
second key arrives while the first one's screen is still being pushed or its database work is still
running. `burst` posts every key into the app's message queue in one go (as the terminal driver does
when one read brings several keys), and only then waits, with `settle`, until the app has done
everything those keys asked for.

    await burst(pilot, "n", "1", "enter", "enter")
    await burst_text(pilot, "1001\\r246810\\r")
"""

from __future__ import annotations

import asyncio
import time
import unicodedata
from collections.abc import Iterable

from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.message_pump import MessagePump
from textual.pilot import Pilot
from textual.worker import WorkerState

SETTLE_TIMEOUT = 15.0  # seconds: a healthy app settles in well under one
WORKER_POLL_S = 0.005
TEXT_KEYS = {"\r": "enter", "\n": "enter", "\t": "tab", "\x1b": "escape", "\x7f": "backspace", " ": "space"}


def key_event(key: str) -> events.Key:
    """The Key event the driver would make for `key` (a key name such as "enter" or "f4", or one
    character), built exactly as textual's App._press_keys builds it for Pilot.press."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    char: str | None
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def post_keys(app: App, keys: Iterable[str]) -> int:
    """Put every key into the app's queue now, in order, without yielding to the app in between.
    Returns how many were queued (none once the app has closed)."""
    queued = 0
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        queued += bool(app.post_message(event))
    return queued


def text_keys(text: str) -> list[str]:
    """Key names for typed text: "\\r" / "\\n" is Enter, "\\t" Tab, "\\x1b" Escape."""
    return [TEXT_KEYS.get(ch, ch) for ch in text]


def busy(app: App) -> list[str]:
    """What the app is still doing: pending or running workers; message pumps (the app, every screen
    on the stack and its widgets) with messages queued or being handled, or callbacks waiting for
    the next idle moment; screens with callbacks waiting for the next refresh."""
    doing: list[str] = []
    for worker in list(app.workers):
        if worker.state in (WorkerState.PENDING, WorkerState.RUNNING):
            doing.append(f"worker {worker.name or worker.group!r} ({worker.state.name.lower()})")
    nodes: list[MessagePump] = [app]
    for screen in list(app.screen_stack):
        if screen._callbacks:
            doing.append(f"after-refresh callbacks of {screen!r}")
        nodes.extend(screen.walk_children(with_self=True))
    for node in nodes:
        queue = node._message_queue
        if queue.qsize() or getattr(queue, "_unfinished_tasks", 0) or node._next_callbacks:
            doing.append(f"messages for {node!r}")
    return doing


async def settle(pilot: Pilot, timeout: float = SETTLE_TIMEOUT) -> None:
    """Wait until no worker is running and every message queue is empty, twice in a row (a worker's
    result can queue new messages, and those can start new workers). Fails the test after `timeout`
    seconds of the app still being busy. Returns at once when the app has stopped (crashed or quit:
    the caller checks app._exception / app.return_code).

    It loops pilot.pause(0): each pause waits for the screen's widgets to handle what is queued and
    refreshes the screen. (pilot.pause() without a delay also waits at least 20 ms for the CPU to go
    idle; a sweep of thousands of keys cannot afford that, and the checks here are exact instead.)
    While only workers run, it sleeps a few milliseconds between looks rather than repainting."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    quiet = 0
    while True:
        if app._exception is not None or not app.is_running:
            return
        doing = busy(app)
        if not doing:
            quiet += 1
            if quiet > 2:
                return
            await pilot.pause(0)
            continue
        quiet = 0
        if time.monotonic() > deadline:
            raise AssertionError(f"the app was still busy after {timeout:.0f} s: {'; '.join(doing[:8])}")
        if all(what.startswith("worker ") for what in doing):
            await asyncio.sleep(WORKER_POLL_S)  # a thread worker needs the GIL more than this loop does
        else:
            await pilot.pause(0)


async def burst(pilot: Pilot, *keys: str, timeout: float = SETTLE_TIMEOUT) -> None:
    """Deliver `keys` (key names or single characters) all at once, then settle."""
    post_keys(pilot.app, keys)
    await settle(pilot, timeout)


async def burst_text(pilot: Pilot, text: str, timeout: float = SETTLE_TIMEOUT) -> None:
    """Type `text` all at once, as a scanner does: burst_text(pilot, "1001\\r246810\\r")."""
    await burst(pilot, *text_keys(text), timeout=timeout)
