"""The windows open per destination (issue 11; the board's `w`): ↑↓ picks a destination, a digit or
+/- sets how many of its windows are open (0: closed). Each change is written at once (audited,
remembered for the rest of the day, the next shift included) and the wait estimates follow it."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from lobby_tui.domain.rules import MAX_WINDOWS, guidance_rules
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.screens.forms import APP_KEYS, FooterFit
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Button, Static


class WindowsScreen(FooterFit, LobbyScreenMixin, ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "key.back", id="close"),
        Binding("up", "app.focus_previous", "key.up", id="up", show=False, priority=True),
        Binding("down", "app.focus_next", "key.down", id="down", show=False, priority=True),
        Binding("plus,equals_sign", "more", "key.more", id="more", show=False),
        Binding("minus", "fewer", "key.fewer", id="fewer", show=False),
        *APP_KEYS,
    ]
    FOOTER_ORDER = ("close", "toggle_lang", "toggle_contrast", "lock")

    def __init__(self, windows: dict[str, int]) -> None:
        super().__init__()
        self.windows = dict(windows)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="windows-box", classes="dialog"):
            yield Static(self.t("windows.title"), classes="form-title")
            yield Static(self.t("windows.hint"), classes="hint")
            for code in guidance_rules().destinations:
                yield Button(self._label(code), id=f"win-{code}", classes="choice")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        first = next(iter(guidance_rules().destinations))
        self.query_one(f"#win-{first}", Button).focus()

    def after_relabel(self) -> None:
        for code in guidance_rules().destinations:
            self.query_one(f"#win-{code}", Button).label = self._label(code)

    def _label(self, code: str) -> Text:
        dest = guidance_rules().destinations[code].label[self.lobby.lang]
        n = self.windows.get(code, 0)
        key = "windows.row" if n else "windows.row_closed"
        return Text(self.t(key, dest=dest, n=n))

    def _focused_code(self) -> str | None:
        focused = self.focused
        if isinstance(focused, Button) and focused.id and focused.id.startswith("win-"):
            return focused.id.removeprefix("win-")
        return None

    def on_key(self, event: events.Key) -> None:
        if event.character is not None and event.character.isdigit():
            event.stop()
            self._set(int(event.character))

    @on(Button.Pressed, ".choice")
    def pressed(self, event: Button.Pressed) -> None:  # Enter or a tap: one more window
        event.stop()
        self.action_more()

    def action_more(self) -> None:
        code = self._focused_code()
        if code is not None:
            self._set(min(self.windows.get(code, 0) + 1, MAX_WINDOWS))

    def action_fewer(self) -> None:
        code = self._focused_code()
        if code is not None:
            self._set(max(self.windows.get(code, 0) - 1, 0))

    def _set(self, n: int) -> None:
        code = self._focused_code()
        if code is None or self.windows.get(code) == n:
            return
        self.windows[code] = n
        self.query_one(f"#win-{code}", Button).label = self._label(code)
        store, staff, shift = self.lobby.store, self.lobby.staff, self.lobby.shift
        dest = guidance_rules().destinations[code].label[self.lobby.lang]

        def saved(windows: dict[str, int]) -> None:
            self.windows = dict(windows)
            self.notify(self.t("windows.set", dest=dest, n=windows[code]), markup=False)

        self.db(
            lambda: store.set_windows(
                code, n, staff_id=staff.id if staff else None, shift_id=shift.id if shift else None
            ),
            saved,
            group="windows",
            hold_keys=True,
        )

    def action_close(self) -> None:
        self.dismiss(None)
