"""Keys typed ahead reach the screen they were typed for.

Textual hands a key to whatever has focus at the moment the app takes the key from its queue. What
the key causes (Enter in the staff-id box moving to the PIN box, a reason key opening the lookup)
runs later, in the widget's and the screen's own queues. A lobby manager typing `1001⏎246810⏎` in
one burst, or a keyboard-wedge scanner, gets ahead of those handlers, and keys land in the box or on
the screen they were not meant for.

The gate lets one key through at a time. After each key it posts a marker to the same widget; the
marker follows the key through that widget's queue and bubbles up to the app behind it. A key's
binding runs when the key reaches the app (Enter in an Input: its `submit` action), and what that
posts (Input.Submitted) is handled on the way up again, so the marker makes a second round behind
it, and one more into any screen the key opened (after it has composed, mounted and taken focus).
Then everything the key caused has run, and only then does the next key go. Work that takes longer than that (a PIN check, a search the
manager pressed Enter on) holds the gate explicitly until its result is on screen. Keys that arrive
meanwhile wait in order; none is dropped.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from itertools import count
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.timer import Timer

log = logging.getLogger("lobby_tui.ui")

# A marker normally returns within milliseconds; these bound the wait when it cannot (its widget
# was removed with its queue, a hold whose work never reports back), so the keyboard never stays shut.
# A marker that is merely slow (a loaded handheld, a busy lobby PC serving several tablets) must not
# be given up on: going on early lets the next key overtake the screen it was typed for. A marker whose
# widget went away is resent at once (see _check), so the patience only bounds a real loss.
WATCH_INTERVAL_S = 0.05
MARKER_PATIENCE_S = 6.0
HOLD_PATIENCE_S = 20.0
ROUNDS = 2  # the key's own way up, then what its binding posted (see the module docstring)


class KeyDone(Message):
    """Posted behind a key to the widget that received it; back at the app, the key has been handled."""

    def __init__(self, target: MessagePump, round_: int) -> None:
        super().__init__()
        self.target = target
        self.round = round_
        self.sent = time.monotonic()


def _screen_of(node: MessagePump) -> Screen[object] | None:
    if isinstance(node, Screen):
        return node
    if isinstance(node, Widget):
        try:
            return node.screen
        except Exception:  # noqa: BLE001 - a widget already taken off its screen
            return None
    return None


class KeyGate:
    """One key at a time, in order; see the module docstring."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.waiting: deque[events.Key] = deque()
        self.marker: KeyDone | None = None
        self.holds: dict[int, float] = {}
        self._tokens = count(1)
        self._watch: Timer | None = None

    @property
    def is_open(self) -> bool:
        return self.marker is None and not self.holds

    async def key(self, event: events.Key) -> None:
        """A key from the terminal (or a test's Pilot): through now, or after the keys before it."""
        if self.waiting or not self.is_open:
            self.waiting.append(event)
            return
        await self._dispatch(event)

    def hold(self) -> int:
        """Keep later keys back until release(token): the next screen is being prepared."""
        token = next(self._tokens)
        self.holds[token] = time.monotonic()
        self._ensure_watch()
        return token

    def release(self, token: int) -> None:
        if self.holds.pop(token, None) is None or self.holds or self.marker is not None:
            return
        # Whatever the held work did (a screen pushed, focus moved) settles before the next key.
        self._send_marker()

    async def marker_back(self, marker: KeyDone) -> None:
        if marker is not self.marker:
            return  # an old marker, replaced after its widget went away
        if marker.round < ROUNDS:
            self._send_marker(marker.round + 1)  # behind what the key's binding posted
            return
        if _screen_of(marker.target) is not self.app.screen:
            # The key opened or closed a screen: wait for the one now on top to mount and take focus.
            self._send_marker(marker.round)
            return
        self.marker = None
        await self._drain()

    # ------------------------------------------------------------ internals

    async def _dispatch(self, event: events.Key) -> None:
        await App.on_event(self.app, event)  # Textual's own routing: priority bindings, then focus
        self._send_marker()

    async def _drain(self) -> None:
        while self.waiting and self.is_open:
            await self._dispatch(self.waiting.popleft())

    def _send_marker(self, round_: int = 1) -> None:
        app = self.app
        target: MessagePump = app.focused or app.screen
        marker = KeyDone(target, round_)
        # Sent by the app, wherever this runs: a message stops bubbling at the node that sent it,
        # and one made in a screen's worker (a hold released there) stopped at that screen, never
        # came back, and shut the keyboard for MARKER_PATIENCE_S (the board after the summary).
        marker.set_sender(app)
        self.marker = marker
        if not target.post_message(marker):
            marker.target = app.screen
            app.screen.post_message(marker)
        self._ensure_watch()

    def _ensure_watch(self) -> None:
        if self._watch is None:
            self._watch = self.app.set_interval(WATCH_INTERVAL_S, self._check, name="key-gate")

    async def _check(self) -> None:
        now = time.monotonic()
        for token, since in list(self.holds.items()):
            if now - since > HOLD_PATIENCE_S:
                log.warning("key gate: hold %s released after %.0f s", token, now - since)
                self.release(token)
        marker = self.marker
        if marker is not None:
            screen = _screen_of(marker.target)
            lost = screen is None or screen not in self.app.screen_stack
            if isinstance(marker.target, Widget) and not marker.target.is_attached:
                lost = True
            if lost:
                self._send_marker(marker.round)  # its widget went away with the marker in its queue
            elif now - marker.sent > MARKER_PATIENCE_S:
                log.warning("key gate: marker not back after %.1f s; going on", now - marker.sent)
                self.marker = None
                await self._drain()
        if self.is_open and not self.waiting and self._watch is not None:
            self._watch.stop()
            self._watch = None
