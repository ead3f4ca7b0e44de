"""The one error screen: what is wrong with the database, and what to do. Nothing typed is lost:
it sits on top of the screen that was in use, and Retry goes back to it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from lobby_tui.ui.base import LobbyScreenMixin


class ErrorScreen(LobbyScreenMixin, ModalScreen[None]):
    BINDINGS = [
        Binding("r", "retry", "key.retry", id="retry"),
        Binding("q", "quit_app", "key.quit", id="quit"),
    ]
    message: reactive[str] = reactive("")

    def __init__(self, message: str) -> None:
        super().__init__()
        self.set_reactive(ErrorScreen.message, message)

    def compose(self) -> ComposeResult:
        with Vertical(id="error-box"):
            yield Static(self.t("error.title"), id="error-title")
            yield Static(self.message, id="error-message")
            yield Static(self.t("error.what_to_do"), id="error-help")
            yield Button(self.t("key.retry") + " (R)", id="retry", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()

    def watch_message(self, message: str) -> None:
        if self.is_mounted:
            self.query_one("#error-message", Static).update(message)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_retry()

    def action_retry(self) -> None:
        self.dismiss()
        retry = getattr(self.app.screen, "retry", None)
        if callable(retry):
            retry()

    def action_quit_app(self) -> None:
        self.app.exit()
