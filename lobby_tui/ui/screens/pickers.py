"""Small modal choices: another destination, the reason for overriding the recommendation, yes or no."""

from __future__ import annotations

from collections.abc import Mapping

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input

from lobby_tui.domain.rules import guidance_rules
from lobby_tui.i18n import annotated
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.screens.forms import APP_KEYS
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Button, Static


def destination_number(code: str) -> int:
    """A destination's number is its place in data/guidance.toml, the same in every picker, so
    that the manager's fingers learn one number per destination."""
    return list(guidance_rules().destinations).index(code) + 1


def wait_text(minutes: int | None, lang: str) -> str:
    """An estimated wait as shown beside a destination: 约12分钟 / about 12 min, no wait, closed."""
    from lobby_tui.i18n import tr

    if minutes is None:
        return tr("board.closed", lang)
    return tr("board.about", lang, n=minutes) if minutes > 0 else tr("board.no_wait", lang)


class DestinationPicker(LobbyScreenMixin, ModalScreen[str | None]):
    """Pick a destination with its number key or a tap; Escape keeps the current one."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="cancel"), *APP_KEYS]

    def __init__(
        self, choices: tuple[str, ...], current: str | None = None, minutes: Mapping[str, int | None] | None = None
    ) -> None:
        super().__init__()
        self.choices = tuple(sorted(dict.fromkeys(choices), key=destination_number))
        self.current = current
        self.minutes = minutes  # the estimated wait at each (None: closed), shown beside it

    def compose(self) -> ComposeResult:
        labels = guidance_rules().destinations
        with VerticalScroll(id="picker-box", classes="dialog"):
            yield Static(self.t("pick.title"), classes="form-title")
            for code in self.choices:
                text = f"{destination_number(code)} {labels[code].label[self.lobby.lang]}"
                if self.minutes is not None and code in self.minutes:
                    m = self.minutes[code]
                    text += "  " + wait_text(m, self.lobby.lang)
                if code == self.current:
                    text = annotated(text, self.t("pick.current"), self.lobby.lang)  # …（当前） / … (now)
                yield Button(text, id=f"dest-{code}", classes="choice")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()

    def on_key(self, event: events.Key) -> None:
        for code in self.choices:
            if event.key == str(destination_number(code)):
                event.stop()
                self.dismiss(code)
                return

    @on(Button.Pressed, ".choice")
    def chosen(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.dismiss(event.button.id.removeprefix("dest-"))

    def action_cancel(self) -> None:
        self.dismiss(None)


class OverrideReasonScreen(LobbyScreenMixin, ModalScreen[str | None]):
    """Overriding the recommendation needs a reason: type one, or tap a common one."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="cancel"), *APP_KEYS]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="override-box", classes="dialog"):
            yield Static(self.t("override.title"), classes="form-title")
            yield Input(placeholder=self.t("override.placeholder"), id="override-reason", max_length=80)
            yield Static("", id="override-error", classes="field-error")
            for i in (1, 2, 3):
                yield Button(self.t(f"override.common{i}"), id=f"common{i}", classes="choice")
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

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


class YesNoScreen(LobbyScreenMixin, ModalScreen[bool]):
    """A question before something that cannot be taken back: Enter or Y for yes, Escape or N for no."""

    BINDINGS = [
        Binding("y", "yes", "key.yes", id="yes"),
        Binding("n,escape", "no", "key.no", id="no"),
        *APP_KEYS,
    ]

    def __init__(self, question: str, yes: str, no: str) -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="yesno-box", classes="dialog"):
            yield Static(self.question, id="yesno-question", markup=False)
            yield Button(f"Y {self.yes}", id="yes", variant="error", classes="choice")
            yield Button(f"N {self.no}", id="no", classes="choice")
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.query_one("#no", Button).focus()  # Enter by habit keeps things as they are

    @on(Button.Pressed, "#yes")
    def pressed_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def pressed_no(self) -> None:
        self.dismiss(False)

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)
