"""LobbyApp: sign-in, the lobby board and the greeting → lookup → guidance flow."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.theme import Theme

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.models import Customer, Shift, Staff
from lobby_tui.domain.rules import guidance_rules
from lobby_tui.domain.tiers import Classification
from lobby_tui.i18n import tr
from lobby_tui.ui import strings  # noqa: F401 - registers the screen text
from lobby_tui.ui.base import LobbyScreenMixin, localize_bindings

if TYPE_CHECKING:  # the store's imports come after the first screen is painted (benchmarks/README.md)
    from lobby_tui.store import LobbyStore

HIGH_CONTRAST = Theme(
    name="lobby-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffffff",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    success="#00ff00",
    warning="#ffff00",
    error="#ff4040",
    dark=True,
)
NORMAL_THEME = "textual-dark"


@dataclass
class VisitDraft:
    """One customer's visit while the lobby manager walks through greeting → lookup → guidance."""

    visit_id: str
    reason: str
    notes: str | None = None
    customer: Customer | None = None
    classification: Classification | None = None
    amount: Decimal | None = None
    waiting: dict[str, int] = field(default_factory=dict)


class LobbyApp(App[None]):
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    # Screens get -narrow under 70 columns (the 60x20 handheld) and -wide from 70 on.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]
    BINDINGS = [
        Binding("f2", "toggle_lang", "key.toggle_lang", id="toggle_lang"),
        Binding("f3", "toggle_contrast", "key.toggle_contrast", id="toggle_contrast"),
        Binding("ctrl+l", "lock", "key.lock", id="lock"),
        # Textual's own ctrl+p binding, declared here so that its Footer label (and tooltip) is key.command_palette
        Binding("ctrl+p", "command_palette", "key.command_palette", show=False, priority=True, id="command_palette"),
    ]

    lang: reactive[str] = reactive("en", init=False)

    def __init__(self, store: LobbyStore, *, lang: str = "en", idle_lock_seconds: float | None = None) -> None:
        super().__init__()
        self.store = store
        self.set_reactive(LobbyApp.lang, lang)
        self.staff: Staff | None = None
        self.shift: Shift | None = None
        self.locked = False
        self._last_input = time.monotonic()
        self._idle_lock_seconds = idle_lock_seconds

    # ------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = NORMAL_THEME
        self.title = tr("app.title", self.lang)
        localize_bindings(self, self.lang)
        from lobby_tui.ui.screens.start import StartScreen

        self.push_screen(StartScreen())
        limit = self._idle_lock_seconds
        if limit is None:
            limit = guidance_rules().settings["idle_lock_minutes"] * 60
        self._idle_lock_seconds = limit
        self.set_interval(min(5.0, max(limit / 4, 0.5)), self._check_idle)

    def after_database_check(self, staff_count: int) -> None:
        from lobby_tui.ui.screens.setup import SetupScreen
        from lobby_tui.ui.screens.signin import SignInScreen

        self.switch_screen(SetupScreen() if staff_count == 0 else SignInScreen())

    def signed_in(self, staff: Staff, shift: Shift) -> None:
        from lobby_tui.ui.screens.board import BoardScreen

        self.staff, self.shift = staff, shift
        self._last_input = time.monotonic()
        if staff.role == "supervisor":
            from lobby_tui.ui.screens.review import SupervisorHomeScreen

            self.switch_screen(SupervisorHomeScreen())
            return
        self.switch_screen(BoardScreen())
        from lobby_tui.ui.screens.shift_log import show_returned_shifts

        show_returned_shifts(self)  # a shift sent back with a question: the question comes first

    # ------------------------------------------------------------ errors: one place, one screen

    def show_error(self, exc: BaseException) -> None:
        from lobby_tui.ui.screens.error import ErrorScreen

        if isinstance(exc, InputError):
            message = exc.message(self.lang)
        else:
            message = tr("error.unexpected", self.lang, detail=f"{type(exc).__name__}: {exc}")
        if isinstance(self.screen, ErrorScreen):
            self.screen.message = message
            return
        self.push_screen(ErrorScreen(message))

    # ------------------------------------------------------------ language and contrast

    def action_toggle_lang(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"

    async def watch_lang(self, lang: str) -> None:
        self.title = tr("app.title", lang)
        localize_bindings(self, lang)
        for screen in self.screen_stack:
            if isinstance(screen, LobbyScreenMixin):
                await self._relabel(screen)
        self.refresh_bindings()

    async def _relabel(self, screen: Screen) -> None:
        """Recompose a screen in the new language, keeping whatever was typed and where focus was."""
        from textual.widgets import Input, Select

        typed = {w.id: w.value for w in screen.query(Input) if w.id}
        chosen = {w.id: w.value for w in screen.query(Select) if w.id}
        focused = screen.focused.id if screen.focused else None
        screen.localize()  # type: ignore[attr-defined]
        await screen.recompose()
        for widget in screen.query(Input):
            if widget.id in typed:
                widget.value = typed[widget.id]
        for select in screen.query(Select):
            if select.id in chosen:
                select.value = chosen[select.id]
        if focused and screen.query(f"#{focused}"):
            screen.set_focus(screen.query_one(f"#{focused}"))
        refresh = getattr(screen, "after_relabel", None)
        if callable(refresh):
            refresh()

    def action_toggle_contrast(self) -> None:
        self.theme = NORMAL_THEME if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    # ------------------------------------------------------------ idle lock

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def _check_idle(self) -> None:
        if self.staff and not self.locked and self._idle_lock_seconds is not None:
            if time.monotonic() - self._last_input >= self._idle_lock_seconds:
                self.action_lock()

    def action_lock(self) -> None:
        if self.staff is None or self.locked:
            return
        from lobby_tui.ui.screens.lock import LockScreen

        self.locked = True
        staff_id = self.staff.id
        self.run_worker(lambda: self.store.audit("lock", staff_id), thread=True, group="audit", exit_on_error=False)
        self.push_screen(LockScreen(), self._unlocked)

    def _unlocked(self, _: bool | None) -> None:
        self.locked = False
        self._last_input = time.monotonic()

    def sign_out(self) -> None:
        from lobby_tui.ui.screens.signin import SignInScreen

        self.staff = self.shift = None
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(SignInScreen())

    # ------------------------------------------------------------ command palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if isinstance(screen, LobbyScreenMixin):
            for title, help_text, callback in screen.screen_commands():
                yield SystemCommand(title, help_text, callback)
        lang = self.lang
        yield SystemCommand(tr("key.toggle_lang", lang), tr("palette.toggle_lang.help", lang), self.action_toggle_lang)
        yield SystemCommand(
            tr("key.toggle_contrast", lang), tr("palette.toggle_contrast.help", lang), self.action_toggle_contrast
        )
        if self.staff:
            yield SystemCommand(tr("key.lock", lang), tr("palette.lock.help", lang), self.action_lock)
        from lobby_tui.ui.palette import system_commands

        yield from system_commands(self, screen)  # Textual's own (keys, maximize, theme, quit), localised

    # Textual's palette, keys panel and ctrl+c hint, with their texts in the app's language (ui/palette.py)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from lobby_tui.ui.palette import LobbyCommandPalette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(LobbyCommandPalette(id="--command-palette"))

    def action_show_help_panel(self) -> None:
        from lobby_tui.ui.palette import show_help_panel

        show_help_panel(self)

    def action_help_quit(self) -> None:
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(
                    tr("palette.quit_hint", self.lang, keys=f"[b]{key}[/b]"),
                    title=tr("palette.quit_hint.title", self.lang),
                )
                return
