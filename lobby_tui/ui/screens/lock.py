"""The idle lock: a modal over whatever was on screen, so nothing typed is lost."""

from __future__ import annotations

import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from lobby_tui.domain.errors import InputError
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.screens.forms import APP_KEYS, FooterFit
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Button, Static

# Keys that reach the PIN box this soon after the lock appeared were typed for the screen before it
# (the manager was typing as it locked, or keys typed ahead were still on their way): not a PIN try.
TYPING_GRACE_S = 1.0


class LockScreen(FooterFit, LobbyScreenMixin, ModalScreen[bool]):
    BINDINGS = [Binding("ctrl+o", "sign_out", "key.sign_out", id="sign_out"), *APP_KEYS]
    FOOTER_ORDER = ("sign_out", "toggle_lang", "toggle_contrast")

    def compose(self) -> ComposeResult:
        staff = self.lobby.staff
        with Vertical(id="lock-box", classes="form"):
            yield Static(self.t("lock.title"), classes="form-title")
            yield Static(self.t("lock.who", name=staff.name if staff else "", staff_id=staff.id if staff else ""))
            yield Input(id="pin", password=True, max_length=8, restrict=r"[0-9]*")
            yield Static("", id="lock-error", classes="field-error")
            yield Button(self.t("lock.button"), id="unlock", variant="primary")
        yield Footer()

    lifting = False  # set only by the PIN's check (or signing out): LobbyApp lets this pop through

    def lift(self, unlocked: bool) -> None:
        self.lifting = True
        self.dismiss(unlocked)

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.query_one("#pin", Input).focus()
        self._shown = time.monotonic()
        self._first_key: float | None = None

    @on(Input.Changed, "#pin")
    def typed(self, event: Input.Changed) -> None:
        if event.value and self._first_key is None:
            self._first_key = time.monotonic()
        elif not event.value:
            self._first_key = None

    @on(Input.Submitted, "#pin")
    @on(Button.Pressed, "#unlock")
    def unlock(self) -> None:
        staff = self.lobby.staff
        pin_input = self.query_one("#pin", Input)
        pin = pin_input.value
        if staff is None:
            return
        if not pin:  # Enter on the empty box: say what it wants (costs no try)
            self.query_one("#lock-error", Static).update(self.t("lock.empty"))
            return
        if self._first_key is not None and self._first_key - self._shown < TYPING_GRACE_S:
            pin_input.value = ""
            self.query_one("#lock-error", Static).update(self.t("lock.typing"))
            return
        store = self.lobby.store
        self.db(
            lambda: store.unlock(staff.id, pin),
            lambda _: self.lift(True),
            on_input_error=self._refused,
            hold_keys=True,
        )

    def _refused(self, exc: InputError) -> None:
        self.query_one("#lock-error", Static).update(exc.message(self.lobby.lang))
        pin = self.query_one("#pin", Input)
        pin.value = ""
        pin.focus()

    def screen_commands(self):  # type: ignore[no-untyped-def]
        yield self.t("lock.button"), self.t("lock.title"), lambda: self.query_one("#pin", Input).focus()

    def action_sign_out(self) -> None:
        self.lift(False)
        self.lobby.sign_out()
