"""Screens composed once and shown again for each customer, instead of composed anew each time.

A new screen costs its compose, styling and first layout before it is drawn: most of the time from
a key to the next screen (the greeting after `n` was 40-60 ms on a handheld). A kept screen is
installed in the app, so popping it leaves it mounted, and pushed again it is only drawn, after
the screen made it ready for the next customer (`next_customer`, `for_visit`, `again`: every
field of the last one cleared). It is kept while it still fits: the same language and terminal
size as when it was made (either changes what it composes); otherwise a new one is made and the
old one uninstalled. The app keeps them per sign-in (`LobbyApp.kept`: the greeting, the lookup,
the guidance in its two shapes, the day summary and the trends) and drops them all at sign-out,
so nothing of one manager's session is shown in the next one's.

A kept screen's class takes `Reshown` too: Textual restyles every widget of a screen pushed again
(17 ms of the greeting's 34 here), which a kept screen needs only when the app's CSS has changed
since it was last shown (the high-contrast theme toggled meanwhile)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar, cast

from textual import events
from textual.app import App
from textual.geometry import Size
from textual.screen import Screen

S = TypeVar("S", bound=Screen)  # type: ignore[type-arg]


class KeptScreen(Generic[S]):
    def __init__(self, make: Callable[[], S]) -> None:
        self._make = make
        self._screen: S | None = None
        self._made_for: tuple[str, Size] | None = None

    def get(self, app: App, lang: str) -> tuple[S, bool]:  # type: ignore[type-arg]
        """The screen to push, and whether it is the kept one (to be made ready for reuse)."""
        screen = self._screen
        if screen is not None and _in_a_stack(app, screen):
            return self._make(), False  # it is showing already: this once, a screen of its own
        if screen is not None and self._made_for == (lang, app.size):
            from textual.widgets import Button

            # A button pressed for the last customer stays "-active" for 0.2 s, and Textual's
            # Button ignores a press meanwhile: the next customer's Enter on Confirm, typed fast.
            for button in screen.query(Button):
                button.remove_class("-active")
            return screen, True
        self.drop(app)
        screen = self._make()
        app.install_screen(screen, f"kept-{id(screen)}")
        self._screen, self._made_for = screen, (lang, app.size)
        return screen, False

    def drop(self, app: App) -> None:  # type: ignore[type-arg]
        """Uninstall and remove the kept screen (called with it off every stack: get() never drops
        one that is showing, and sign-out pops them all first)."""
        screen, self._screen = self._screen, None
        if screen is not None and not _in_a_stack(app, screen):
            app.uninstall_screen(screen)
            if screen.is_attached:
                screen.remove()


def _in_a_stack(app: App, screen: Screen) -> bool:  # type: ignore[type-arg]
    return any(screen in stack for stack in app._screen_stacks.values())


class Reshown:
    """For a screen class a KeptScreen keeps: shown again, it is restyled only if the app's CSS
    changed meanwhile. Textual counts CSS changes (App._css_update_count, bumped by a theme change)
    and notes on each screen in a stack the count its styles are from; a screen off every stack
    keeps the count it was last styled at, so a difference is exactly "restyle". Focus and hover
    restyle their own widgets as they change, and the size is the same (KeptScreen)."""

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        screen = cast(Screen, self)  # type: ignore[type-arg]
        current = screen.app._css_update_count
        if screen._css_update_count == current:
            event.refresh_styles = False
        screen._css_update_count = current  # Screen's own handler, next in the MRO, restyles now
