"""The idle lock: a modal over whatever was on screen, so nothing typed is lost."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from lobby_tui.domain.errors import InputError
from lobby_tui.ui.base import LobbyScreenMixin


class LockScreen(LobbyScreenMixin, ModalScreen[bool]):
    BINDINGS = [Binding("ctrl+o", "sign_out", "key.sign_out", id="sign_out")]

    def compose(self) -> ComposeResult:
        staff = self.lobby.staff
        with Vertical(id="lock-box", classes="form"):
            yield Static(self.t("lock.title"), classes="form-title")
            yield Static(self.t("lock.who", name=staff.name if staff else "", staff_id=staff.id if staff else ""))
            yield Input(id="pin", password=True, max_length=8, restrict=r"[0-9]*")
            yield Static("", id="lock-error", classes="field-error")
            yield Button(self.t("lock.button"), id="unlock", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    @on(Button.Pressed, "#unlock")
    def unlock(self) -> None:
        staff = self.lobby.staff
        pin_input = self.query_one("#pin", Input)
        pin = pin_input.value
        if staff is None or not pin:
            return
        store = self.lobby.store
        self.db(lambda: store.unlock(staff.id, pin), lambda _: self.dismiss(True), on_input_error=self._refused)

    def _refused(self, exc: InputError) -> None:
        self.query_one("#lock-error", Static).update(exc.message(self.lobby.lang))
        pin = self.query_one("#pin", Input)
        pin.value = ""
        pin.focus()

    def action_sign_out(self) -> None:
        self.dismiss(False)
        self.lobby.sign_out()
