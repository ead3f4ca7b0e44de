"""Sign-in with staff id and PIN; the first sign-in of the day opens the shift."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Header, Input

from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Button, Label, Static

if TYPE_CHECKING:
    from lobby_tui.domain.errors import InputError
    from lobby_tui.domain.models import Shift, Staff
    from lobby_tui.domain.shiftlog import ShiftRecord


class SignInScreen(LobbyScreenMixin, Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        with Center():
            with Vertical(id="signin-box", classes="form"):
                yield Static(self.t("signin.title"), classes="form-title")
                demo = Static("", id="demo-hint", classes="hint")
                demo.display = False  # shown only on a demo database, first: a demo is for someone who has read nothing
                yield demo
                yield Label(self.t("signin.staff_id"))
                yield Input(id="staff-id", max_length=12)
                yield Label(self.t("signin.pin"))
                yield Input(id="pin", password=True, max_length=8, restrict=r"[0-9]*")
                yield Static("", id="signin-error", classes="field-error")
                yield Button(self.t("signin.button"), id="signin", variant="primary")
                yield Static(self.t("signin.hint"), classes="hint")
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.query_one("#staff-id", Input).focus()
        # Once this screen is painted: opening (maybe migrating) the database, and importing the
        # store, are not on the way to the first paint (benchmarks: start_pty, start_headless). Keys
        # typed meanwhile are kept; a sign-in waits for the store thread, which opens it first.
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        self.lobby.first_painted()
        self.retry()

    def retry(self) -> None:
        """Open the database (again, from the error screen's Retry): setup on a database without
        staff, else the demo's sign-ins on a demo database."""
        store = self.lobby.store

        def check() -> int:
            store.check()
            return store.staff_count()

        def checked(staff_count: int) -> None:
            self.lobby.after_database_check(staff_count)
            if staff_count:
                self.db(store.demo_staff, self._show_demo_staff, group="demo")

        self.db(check, checked)

    def after_relabel(self) -> None:
        self.db(self.lobby.store.demo_staff, self._show_demo_staff, group="demo")

    def _show_demo_staff(self, staff: list[tuple[str, str, str]]) -> None:
        import os

        if os.environ.get("LOBBY_TUI_HIDE_DEMO"):  # served beyond this machine (lobby-tui serve)
            staff = []
        hint = self.query_one("#demo-hint", Static)
        hint.display = bool(staff)
        if staff:
            who = "; ".join(f"{self.t('role.' + role)} {sid} / {pin}" for sid, role, pin in staff)
            hint.update(self.t("signin.demo", who=who))

    @on(Input.Submitted, "#staff-id")
    def next_field(self) -> None:
        if not self.query_one("#staff-id", Input).value.strip():  # stays: the PIN typed next is no staff id
            self.query_one("#signin-error", Static).update(self.t("signin.needed"))
            return
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    @on(Button.Pressed, "#signin")
    def submit(self) -> None:
        staff_id = self.query_one("#staff-id", Input).value.strip()
        pin = self.query_one("#pin", Input).value
        error = self.query_one("#signin-error", Static)
        if not staff_id or not pin:
            error.update(self.t("signin.needed"))
            self.query_one("#pin" if staff_id else "#staff-id", Input).focus()  # the field still empty
            return
        error.update("")
        store = self.lobby.store

        def sign_in() -> tuple[Staff, Shift, list[ShiftRecord]]:
            store.check_sound_once()  # quick_check before the sign-in writes anything (issue 14)
            staff = store.sign_in(staff_id, pin)
            shift = store.open_shift(staff.id)
            returned = store.returned_shifts(staff.id) if staff.role == "lobby_manager" else []
            return staff, shift, returned

        self.db(sign_in, lambda result: self.lobby.signed_in(*result), on_input_error=self.refused, hold_keys=True)

    def refused(self, exc: InputError) -> None:
        self.query_one("#signin-error", Static).update(exc.message(self.lobby.lang))
        pin = self.query_one("#pin", Input)
        pin.value = ""
        pin.focus()
