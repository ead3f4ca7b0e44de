"""The one error screen: what is wrong with the database, and what to do. Nothing typed is lost:
it sits on top of the screen that was in use, and Retry goes back to it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen

from lobby_tui.i18n import annotated
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.screens.forms import APP_KEYS, FooterFit
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Button, Static


class ErrorScreen(FooterFit, LobbyScreenMixin, ModalScreen[None]):
    BINDINGS = [
        Binding("r", "retry", "key.retry", id="retry"),
        Binding("q", "quit_app", "key.quit", id="quit"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = ("retry", "quit", "toggle_lang", "toggle_contrast", "lock")
    message: reactive[str] = reactive("")

    def __init__(self, message: str, *, unexpected: bool = False, settings: bool = False) -> None:
        super().__init__()
        self.unexpected = unexpected  # a fault in the app rather than a problem with the database
        self.settings = settings  # a data file or a settings override that cannot be used (RulesError)
        self.set_reactive(ErrorScreen.message, message)

    def compose(self) -> ComposeResult:
        if self.unexpected:
            title, help_text = "error.unexpected_title", "error.unexpected_help"
        elif self.settings:
            title, help_text = "error.settings_title", "error.settings_help"
        else:
            title, help_text = "error.title", "error.what_to_do"
        with Vertical(id="error-box"):
            yield Static(self.t(title), id="error-title")
            yield Static(self.message, id="error-message", markup=False)
            yield Static(self.t(help_text), id="error-help")
            if self.unexpected:
                from lobby_tui.log import log_path

                yield Static(self.t("error.log_at", path=log_path()), id="error-log", markup=False)
            yield Button(annotated(self.t("key.retry"), "R", self.lobby.lang), id="retry", variant="primary")
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
