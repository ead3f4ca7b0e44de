"""The Footer every screen shows: Textual's, with its keys made in their final style.

Textual's Footer recomposes whenever the screen's bindings change (each screen opened, each focus
move, each refresh_bindings), making new FooterKey widgets. A FooterKey starts compact (its reactive
defaults to True: the class -compact is added and the key's styles worked out) and is then bound to
the Footer's own value (not compact here: the class removed, styles worked out again). Those two
restyles per key were a fifth of the CPU of a lobby manager's step from one screen to the next
(benchmarks/probe.py keys under cProfile: 5,596 calls, 6.5 of 29 s). Here each key is given the
Footer's value (the command palette's key: compact, as Textual leaves it) before it is mounted,
so it is styled once, as it will be shown: the screens look exactly as before.

It also recomposes only when what it shows has changed, and once however many times the bindings
were refreshed before the next frame. Textual queues a recompose for every bindings change (a screen
opened refreshes them several times: focus, localize, fitting the footer to the width), each making
every key again: about thirteen per screen change in benchmarks/probe.py keys, a sixth of its CPU.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Any

from textual import widgets
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets._footer import FooterKey


class Footer(widgets.Footer):
    _shown: Hashable = None  # what the keys on show were made from (shows())
    _recompose_queued = False

    def shows(self) -> Hashable:
        """All that compose() makes the keys from: the screen's shown bindings (key, label, action,
        enabled, tooltip, group) in order, and the Footer's own settings."""
        app: Any = self.app
        bindings = tuple(
            (key, app.get_key_display(binding), binding.description, binding.action, enabled, tooltip, binding.group)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == app.COMMAND_PALETTE_BINDING
        )
        return bindings, self.compact, self.show_command_palette, app.ENABLE_COMMAND_PALETTE, self._bindings_ready

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._recompose_queued:
            self._recompose_queued = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._recompose_queued = False
        if self.is_attached and self.shows() != self._shown:
            await self.recompose()

    def compose(self) -> Iterator[Widget]:  # type: ignore[override]
        self._shown = self.shows()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # The command palette's key is not bound to the Footer: Textual leaves it compact.
                compact = True if widget.has_class("-command-palette") else self.compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget
