"""The Footer every screen shows: Textual's, with its keys made in their final style.

Textual's Footer recomposes whenever the screen's bindings change (each screen opened, each focus
move, each refresh_bindings), making new FooterKey widgets. A FooterKey starts compact (its reactive
defaults to True: the class -compact is added and the key's styles worked out) and is then bound to
the Footer's own value (not compact here: the class removed, styles worked out again). Those two
restyles per key were a fifth of the CPU of a lobby manager's step from one screen to the next
(benchmarks/probe.py keys under cProfile: 5,596 calls, 6.5 of 29 s). Here each key is given the
Footer's value (the command palette's key: compact, as Textual leaves it) before it is mounted,
so it is styled once, as it will be shown: the screens look exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterator

from textual import widgets
from textual.widget import Widget
from textual.widgets._footer import FooterKey


class Footer(widgets.Footer):
    def compose(self) -> Iterator[Widget]:  # type: ignore[override]
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # The command palette's key is not bound to the Footer: Textual leaves it compact.
                compact = True if widget.has_class("-command-palette") else self.compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget
