"""Small modal choices: another destination, and the reason for overriding the recommendation."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from lobby_tui.domain.rules import guidance_rules
from lobby_tui.ui.base import LobbyScreenMixin


class DestinationPicker(LobbyScreenMixin, ModalScreen[str | None]):
    """Pick a destination with its number key or a tap; Escape keeps the current one."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="cancel")]

    def __init__(self, choices: tuple[str, ...]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        labels = guidance_rules().destinations
        with VerticalScroll(id="picker-box", classes="dialog"):
            yield Static(self.t("pick.title"), classes="form-title")
            for i, code in enumerate(self.choices, start=1):
                yield Button(f"{i} {labels[code].label[self.lobby.lang]}", id=f"dest-{code}", classes="choice")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()

    def on_key(self, event: object) -> None:
        key = getattr(event, "key", "")
        if key.isdigit() and 1 <= int(key) <= len(self.choices):
            self.dismiss(self.choices[int(key) - 1])

    @on(Button.Pressed, ".choice")
    def chosen(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.dismiss(event.button.id.removeprefix("dest-"))

    def action_cancel(self) -> None:
        self.dismiss(None)


class OverrideReasonScreen(LobbyScreenMixin, ModalScreen[str | None]):
    """Overriding the recommendation needs a reason: type one, or tap a common one."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="cancel")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="override-box", classes="dialog"):
            yield Static(self.t("override.title"), classes="form-title")
            yield Input(placeholder=self.t("override.placeholder"), id="override-reason", max_length=80)
            yield Static("", id="override-error", classes="field-error")
            for i in (1, 2, 3):
                yield Button(self.t(f"override.common{i}"), id=f"common{i}", classes="choice")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        self.query_one(Input).focus()

    @on(Input.Submitted, "#override-reason")
    def typed(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.query_one("#override-error", Static).update(self.t("override.reason_needed"))
            return
        self.dismiss(text)

    @on(Button.Pressed, ".choice")
    def common(self, event: Button.Pressed) -> None:
        self.dismiss(str(event.button.label))

    def action_cancel(self) -> None:
        self.dismiss(None)
