"""What every screen shares: its language, localised key descriptions, and database workers.

Database calls run on the app's one store thread (LobbyApp.in_store), in the order they were asked
for, awaited by a worker so the screen never blocks; a sqlite3 connection belongs to its thread, and
LobbyStore keeps one per thread. A StoreError goes to the app's one error screen; an InputError goes
back to the caller, to be shown next to the field it is about.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import events
from textual.dom import DOMNode
from textual.message import Message

from lobby_tui.domain.errors import InputError
from lobby_tui.i18n import MESSAGES, tr

if TYPE_CHECKING:
    from lobby_tui.ui.app import LobbyApp

T = TypeVar("T")

# How long a key that opens a screen waits for what the screen reads, before it opens without it.
READ_WAIT = 0.15


def localize_bindings(node: DOMNode, lang: str) -> None:
    """Footer text follows the language: each binding's description is the text of key.<action>."""
    bindings_map = node._bindings
    for key, bindings in bindings_map.key_to_bindings.items():
        new = []
        for binding in bindings:
            text_key = "key." + binding.action.split("(")[0]
            new.append(replace(binding, description=tr(text_key, lang)) if text_key in MESSAGES else binding)
        bindings_map.key_to_bindings[key] = new


class LobbyScreenMixin:
    """Mixed into Screen and ModalScreen subclasses.

    A new screen styles each widget once, as it mounts (a restyle costs about half a millisecond a
    widget against app.tcss, so a second one is a tenth of a key's time to a new screen):
    - a screen that focuses a widget of its own in on_mount sets AUTO_FOCUS = "": Textual's own
      first pick (the scroll body, a container) would be focused and blurred again, restyling all
      of it twice. (AUTO_FOCUS naming the widget instead focuses it before the first layout, and
      Textual then scrolls a form to the wrong place: the first-run setup and the walk-in form.)
    - its width class is set before it mounts (LobbyApp._with_breakpoints);
    - Textual's restyle of the whole screen on its first resume is skipped (_on_screen_resume).
    (Its second layout, on the Resize its first layout sends it, is not: skipping it left a form
    scrolled to the wrong place, depending on timing: the first-run setup, walk-in and booking.)"""

    _resumed_before = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Runs before Screen's own handler, which reads refresh_styles. Later resumes (back from
        a dialog, after a theme or a language change) restyle as Textual does."""
        if not self._resumed_before:
            self._resumed_before = True
            event.refresh_styles = False

    async def _dispatch_message(self, message: Message) -> None:
        """A fault in one of this screen's handlers goes to the app's error screen. Textual would
        pass it on too, but then stop this screen's message loop for good (it expects the app to
        end), leaving a screen that no longer answers any key."""
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - shown on the error screen and logged
            self.lobby._handle_exception(error)

    @property
    def lobby(self) -> LobbyApp:
        return cast("LobbyApp", self.app)  # type: ignore[attr-defined]

    def t(self, key: str, **params: object) -> str:
        return tr(key, self.lobby.lang, **params)

    def localize(self) -> None:
        from textual.widgets._select import SelectOverlay

        localize_bindings(cast(DOMNode, self), self.lobby.lang)
        for overlay in cast(Any, self).query(SelectOverlay):  # an open list's Escape ("Dismiss menu")
            localize_bindings(overlay, self.lobby.lang)
        cast(Any, self).refresh_bindings()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A toast from this screen: its text is shown as it is, never read as markup (issue 14)."""
        self.lobby.notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def screen_commands(self) -> Iterable[tuple[str, str, Callable[[], Any]]]:
        """(title, help, callback) for the command palette: the main actions of this screen."""
        return ()

    def open_read(self, call: Callable[[], T], screen: Callable[[T | None], Any], *, group: str) -> None:
        """Open `screen(read)` with what `call` read, once the store has answered: it is laid out
        and drawn once, with it, where opening it first drew it empty ("loading") and then again.
        When the store takes longer than READ_WAIT (a busy file) or fails, `screen(None)` opens
        anyway, and reads for itself: it shows that it is loading, or the error. Keys typed
        meanwhile wait for the new screen, and it never opens over the lock screen."""
        app = self.lobby
        token = app.key_gate.hold()

        async def job() -> None:
            try:
                reading = asyncio.ensure_future(app.in_store(call))
                reading.add_done_callback(lambda done: done.cancelled() or done.exception())  # kept
                try:
                    read: T | None = await asyncio.wait_for(asyncio.shield(reading), READ_WAIT)
                except Exception:  # noqa: BLE001 - slow or failed: the screen reads again and says so
                    read = None
                if self in app.screen_stack:
                    app.when_unlocked(lambda: app.push_screen(screen(read)))
            finally:
                app.key_gate.release(token)

        cast(Any, self).run_worker(job(), group=group)

    def db(
        self,
        call: Callable[[], T],
        then: Callable[[T], Any] | None = None,
        *,
        on_input_error: Callable[[InputError], Any] | None = None,
        group: str = "db",
        exclusive: bool = False,
        hold_keys: bool = False,
    ) -> None:
        """Run `call` on the store thread; hand its result to `then` on the UI thread.

        exclusive: a newer call in the same group supersedes this one's result (a search as you
        type); the call itself still runs, so a write is never lost. hold_keys: keys typed meanwhile
        wait until `then` has run (a PIN check, then the board), so none lands on the old screen.
        A fault in `then` is the app's to show (LobbyApp._handle_exception), like any other. Once
        the screen has been closed, `then` is not run: the call's work is done, its display moot."""
        app = self.lobby
        token = app.key_gate.hold() if hold_keys else None

        async def job() -> None:
            try:
                try:
                    result = await app.in_store(call)
                except InputError as exc:
                    from lobby_tui.store.database import StoreError

                    if isinstance(exc, StoreError) or on_input_error is None:
                        app.show_error(exc)
                    else:
                        on_input_error(exc)
                    return
                except Exception as exc:  # noqa: BLE001 - the database failed: shown, never a traceback
                    app.show_error(exc)
                    return
                if then is not None and self in app.screen_stack:
                    # a screen already closed (Escape while its call ran) has lost its widgets
                    then(result)
            finally:
                if token is not None:
                    app.key_gate.release(token)

        cast(Any, self).run_worker(job(), group=group, exclusive=exclusive)
