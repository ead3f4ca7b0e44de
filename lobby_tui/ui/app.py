"""LobbyApp: sign-in, the lobby board and the greeting → lookup → guidance flow."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events, on
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.theme import Theme

from lobby_tui.domain.errors import InputError
from lobby_tui.i18n import tr
from lobby_tui.log import log_event
from lobby_tui.ui import flow_strings, strings  # noqa: F401 - registers the screen text
from lobby_tui.ui.base import LobbyScreenMixin, localize_bindings
from lobby_tui.ui.collector import CHECK_S, QuietCollector
from lobby_tui.ui.crash_log import write_crash
from lobby_tui.ui.typeahead import KeyDone, KeyGate

if TYPE_CHECKING:  # the store's and the rules' imports come after the sign-in screen is painted (benchmarks/README.md)
    from textual.timer import Timer

    from lobby_tui.domain.appointments import Appointment
    from lobby_tui.domain.models import Customer, Shift, Staff
    from lobby_tui.domain.shiftlog import ShiftRecord
    from lobby_tui.domain.tiers import Classification
    from lobby_tui.store import LobbyStore
    from lobby_tui.ui.kept import KeptScreen

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
T = TypeVar("T")
S = TypeVar("S", bound=Screen)  # type: ignore[type-arg]
log = logging.getLogger("lobby_tui.ui")
# More unexpected errors than this within FATAL_WINDOW_S means the error screen itself cannot help
# (a fault in showing it, or in every screen): the app ends, with exit status 1 and one line.
FATAL_BURST = 5
FATAL_WINDOW_S = 3.0


def tell_server(state: str) -> None:
    """Under `lobby-tui serve`, this session's state for the server's caps (serve.py: sessions not
    signed in yet are counted apart). Nothing otherwise."""
    import os

    path = os.environ.get("LOBBY_TUI_SERVE_STATE")
    if path:
        try:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(state)
        except OSError:
            pass  # the server counts this session as not signed in: stricter, never looser


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
    # The estimated wait in minutes at each destination (None: closed); None until known.
    minutes: dict[str, float | None] | None = None
    booking: Appointment | None = None  # checked in from an appointment (issue 11)


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
        self._idle_timer_started = False
        self.key_gate = KeyGate(self)
        self.collector = QuietCollector()
        self._collect_timer: Timer | None = None
        # Every database call runs on this one thread, in the order the screens asked: a greeting's
        # arrival is written before its confirmation even when the keys for both come at once, and
        # the thread's one SQLite connection stays with the thread that opened it.
        self._store_thread: ThreadPoolExecutor | None = None
        self.unexpected_errors: list[BaseException] = []  # tests fail on any; see tests/ui/conftest.py
        self._error_times: list[float] = []
        self._after_unlock: list[Callable[[], object]] = []
        self._kept: dict[str, KeptScreen[Any]] = {}  # screens shown again for each customer (ui/kept.py)

    # ------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = NORMAL_THEME
        self.title = tr("app.title", self.lang)
        localize_bindings(self, self.lang)
        from lobby_tui.ui.screens.signin import SignInScreen

        # The first screen is the one a person uses: sign-in. It opens the database once it is
        # painted (SignInScreen.retry), and gives way to first-run setup on a database without staff.
        self.push_screen(SignInScreen())

    def first_painted(self) -> None:
        """The first screen is on the terminal. `lobby-tui` held the cyclic garbage collector off on
        the way here (commands/app.py): what start-up made (Textual's classes, the stylesheet, the
        first screen's widgets) lives as long as the app, so it is frozen out of the collector's walks
        before the collector starts again. Pilot tests, which keep it on, pass straight through."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
            # and the full collections wait for a pause in the typing (ui/collector.py says why)
            self.collector.take_over()
            self._collect_timer = self.set_interval(CHECK_S, self._collect_if_quiet, name="collector")

    def _collect_if_quiet(self) -> None:
        self.collector.due(self._last_input)

    def _start_idle_lock(self) -> None:
        """The idle lock's timer, once the database is open (nobody is signed in before)."""
        from lobby_tui.domain.rules import guidance_rules

        if self._idle_timer_started:
            return
        self._idle_timer_started = True
        limit = self._idle_lock_seconds
        if limit is None:
            try:
                limit = guidance_rules().settings["idle_lock_minutes"] * 60
            except InputError:  # a bad settings override: the start screen names it; locks as by default
                limit = 180
        self._idle_lock_seconds = limit
        self.set_interval(min(5.0, max(limit / 4, 0.5)), self._check_idle)

    def after_database_check(self, staff_count: int) -> None:
        """The database is open: a first run (no staff yet) goes to setup instead of sign-in."""
        self._start_idle_lock()
        if staff_count == 0:
            from lobby_tui.ui.screens.setup import SetupScreen

            self.switch_screen(SetupScreen())

    def signed_in(self, staff: Staff, shift: Shift, returned: list[ShiftRecord] | None = None) -> None:
        """Home for the role; a lobby manager's shifts sent back with a question come first."""
        from lobby_tui.ui.screens.board import BoardScreen

        self.staff, self.shift = staff, shift
        self._last_input = time.monotonic()
        log_event("sign_in", staff=staff.id, role=staff.role)
        tell_server("signed_in")
        if staff.role == "supervisor":
            from lobby_tui.ui.screens.review import SupervisorHomeScreen

            self.switch_screen(SupervisorHomeScreen())
            return
        if staff.role == "account_manager":
            from lobby_tui.ui.screens.leads import AccountManagerHomeScreen

            self.switch_screen(AccountManagerHomeScreen())
            return
        self.switch_screen(BoardScreen())
        from lobby_tui.ui.screens.shift_log import show_returned_shifts

        show_returned_shifts(self, returned or [])

    # ------------------------------------------------------------ the store thread

    async def in_store(self, call: Callable[[], T]) -> T:
        """Run `call` on the store thread and wait for it without blocking the screen."""
        if self._store_thread is None:
            self._store_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lobby-store")
        return await asyncio.get_running_loop().run_in_executor(self._store_thread, call)

    def in_background(self, call: Callable[[], object]) -> None:
        """A write nobody waits for (an audit entry, a cancelled slip); a failure still shows."""

        async def job() -> None:
            try:
                await self.in_store(call)
            except Exception as exc:  # noqa: BLE001 - shown on the error screen
                self.show_error(exc)

        self.run_worker(job(), group="background")

    def on_unmount(self) -> None:
        self.collector.give_back()
        # The last confirmed visit is on disk before the process ends.
        if self._store_thread is not None:
            self._store_thread.submit(self.store.close)
            self._store_thread.shutdown(wait=True)
            self._store_thread = None

    def notify(  # type: ignore[override]
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A toast; its text (a name, a ticket, a message) is shown as it is, never read as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # ------------------------------------------------------------ errors: one place, one screen

    def show_error(self, exc: BaseException) -> None:
        """The one error screen: a database problem (what to do about it), or a fault in the app."""
        from lobby_tui.domain.errors import RulesError
        from lobby_tui.domain.privacy import mask_numbers
        from lobby_tui.ui.screens.error import ErrorScreen

        settings = isinstance(exc, RulesError)  # the settings, not the database: a title of its own
        if isinstance(exc, InputError):
            message, unexpected = exc.message(self.lang), False
        else:
            detail = mask_numbers(f"{type(exc).__name__}: {exc}")  # never a full number, even in a fault
            message, unexpected = tr("error.unexpected", self.lang, detail=detail), True
        if isinstance(self.screen, ErrorScreen):
            self.screen.message = message
            return
        self.push_screen(ErrorScreen(message, unexpected=unexpected, settings=settings))

    async def _dispatch_message(self, message: Message) -> None:
        """As LobbyScreenMixin's: a fault in a handler run by the app (a key's binding, a callback)
        reaches _handle_exception without stopping the app's own message loop."""
        try:
            await super()._dispatch_message(message)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - shown on the error screen and logged
            self._handle_exception(error)

    def _handle_exception(self, error: Exception) -> None:
        """Textual ends the app on any unhandled exception; here it reaches the error screen instead,
        and the log. Only when that cannot help does the app end, with exit status 1 and one line."""
        from textual.worker import WorkerFailed

        original = error.error if isinstance(error, WorkerFailed) and isinstance(error.error, Exception) else error
        self.unexpected_errors.append(original)
        where = write_crash(original)
        now = time.monotonic()
        self._error_times = [t for t in self._error_times if now - t < FATAL_WINDOW_S] + [now]
        if len(self._error_times) < FATAL_BURST and self.is_running and self.screen_stack:
            try:
                self.show_error(original)
                return
            except Exception as exc:  # noqa: BLE001 - the error screen could not be shown: end below
                write_crash(exc)
        from rich.text import Text

        from lobby_tui.domain.privacy import mask_numbers

        self._return_code = 1
        if self._exception is None:  # a test run (Pilot) raises it at the end
            self._exception = original
            self._exception_event.set()
        line = tr("error.fatal", self.lang, detail=mask_numbers(f"{type(original).__name__}: {original}"), log=where)
        self._exit_renderables.append(Text(f"lobby-tui: {line}"))  # plain text, never markup
        self._close_messages_no_wait()

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
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self.key_gate.key(event)  # one key at a time, each to the screen it was typed for
            return
        await super().on_event(event)

    @on(KeyDone)
    async def _key_done(self, message: KeyDone) -> None:
        message.stop()
        await self.key_gate.marker_back(message)

    def _check_idle(self) -> None:
        from lobby_tui.ui.screens.lock import LockScreen

        if self.locked and not any(isinstance(s, LockScreen) for s in self.screen_stack):
            self.locked = False  # the lock screen is gone without its PIN (never expected): lock again
        if self.staff and not self.locked and self._idle_lock_seconds is not None:
            if time.monotonic() - self._last_input >= self._idle_lock_seconds:
                self.action_lock()

    def action_lock(self) -> None:
        if self.staff is None or self.locked:
            return
        from lobby_tui.ui.screens.lock import LockScreen

        self.locked = True
        staff_id = self.staff.id
        store = self.store
        self.in_background(lambda: store.audit("lock", staff_id))
        self.push_screen(LockScreen(), self._unlocked)

    def _unlocked(self, unlocked: bool | None) -> None:
        self.locked = False
        self._last_input = time.monotonic()
        pending, self._after_unlock = self._after_unlock, []
        if unlocked:  # not when the lock screen was left by signing out
            for callback in pending:
                callback()

    # Only the PIN takes the lock screen away. A dialog dismissed, a screen popped or switched, or a
    # screen pushed while the lock screen is on top (a save or an answer that landed behind the lock)
    # waits, in order, until the PIN has lifted the lock; signing out from the lock drops them.

    def _lock_holds(self) -> bool:
        if not self.locked:  # the lock screen's module is not imported for the unlocked app's first screens
            return False
        from lobby_tui.ui.screens.lock import LockScreen

        top = self.screen_stack[-1] if self.screen_stack else None
        return isinstance(top, LockScreen) and not top.lifting

    def pop_screen(self) -> AwaitComplete:
        if self._lock_holds():
            self._after_unlock.append(self.pop_screen)
            return AwaitComplete.nothing()
        return super().pop_screen()

    def switch_screen(self, screen: Screen | str) -> AwaitComplete:  # type: ignore[type-arg]
        if self._lock_holds():
            self._after_unlock.append(lambda: self.switch_screen(screen))
            return AwaitComplete.nothing()
        return super().switch_screen(self._with_breakpoints(screen))

    def _with_breakpoints(self, screen: T) -> T:
        """A new screen with its -narrow / -wide class already set for the terminal's width. Textual
        sets it on the screen's first Resize, after the screen is styled, and the class's change then
        restyles every widget on it again: a sixth of the time from a key to a new screen drawn."""
        if isinstance(screen, Screen) and not screen.is_attached:
            # As Screen._on_resize chooses them: the screen's own, else the app's.
            own = screen.HORIZONTAL_BREAKPOINTS
            widths = (self.HORIZONTAL_BREAKPOINTS if own is None else own) or []
            breakpoints = dict.fromkeys((name for _, name in widths), False)
            for name in screen._get_breakpoint_classes(self.size.width, widths):
                breakpoints[name] = True
            screen.update_classes(breakpoints, update=False)
        return screen

    def push_screen(self, screen, callback=None, wait_for_dismiss=False, *, mode=None):  # type: ignore[no-untyped-def,override]
        if not wait_for_dismiss and self._lock_holds():
            # Imported only behind the lock: the first push (sign-in) is on the way to the first paint.
            from textual.command import CommandPalette

            from lobby_tui.ui.screens.error import ErrorScreen
            from lobby_tui.ui.screens.lock import LockScreen

            if not isinstance(screen, (LockScreen, ErrorScreen, CommandPalette)):
                self._after_unlock.append(lambda: self.push_screen(screen, callback, mode=mode))
                return AwaitComplete.nothing()
        return super().push_screen(self._with_breakpoints(screen), callback, wait_for_dismiss, mode=mode)

    def when_unlocked(self, callback: Callable[[], object]) -> None:
        """Run `callback` now, or once the PIN has lifted the lock: nothing else removes the lock screen."""
        if self.locked:
            self._after_unlock.append(callback)
        else:
            callback()

    async def action_quit(self) -> None:
        """ctrl+q (and the palette's Quit) asks first; behind the lock it needs the PIN first."""
        from lobby_tui.ui.screens.lock import LockScreen
        from lobby_tui.ui.screens.pickers import YesNoScreen

        if self.locked or isinstance(self.screen, LockScreen):
            self.notify(tr("quit.locked", self.lang), severity="warning")
            return
        if isinstance(self.screen, YesNoScreen) and self.screen.id == "quit-question":
            return  # already asking

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        question = YesNoScreen(tr("quit.question", self.lang), tr("quit.yes", self.lang), tr("quit.no", self.lang))
        question.id = "quit-question"
        self.push_screen(question, answered)

    def kept(self, name: str, make: Callable[[], S]) -> KeptScreen[S]:
        """The screen kept under `name` for this sign-in (made by `make` when first needed); signing
        out drops them all, so nothing of one session is shown in the next."""
        from lobby_tui.ui.kept import KeptScreen  # after sign-in: not on the way to the first paint

        kept = self._kept.get(name)
        if kept is None:
            kept = self._kept[name] = KeptScreen(make)
        return kept

    def sign_out(self) -> None:
        from lobby_tui.ui.screens.signin import SignInScreen

        if self.staff is not None:
            log_event("sign_out", staff=self.staff.id)
            self.store.end_session(self.staff.id)  # the session acts for nobody any more
        self.staff = self.shift = None
        tell_server("signed_out")
        while len(self.screen_stack) > 2:
            self.pop_screen()
        for kept in self._kept.values():
            kept.drop(self)
        self._kept.clear()
        self.switch_screen(SignInScreen())

    # ------------------------------------------------------------ command palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from lobby_tui.ui.screens.lock import LockScreen

        if isinstance(screen, LockScreen):  # behind the lock, the palette offers unlocking and nothing else
            yield from (
                SystemCommand(title, help_text, callback) for title, help_text, callback in screen.screen_commands()
            )
            return
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
                    markup=True,  # the key in bold; the rest is the app's own text
                )
                return
