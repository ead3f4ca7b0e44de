"""First run on a new database: create the first supervisor account, then sign in with it."""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.models import Shift, Staff
from lobby_tui.store.security import PIN_RULE  # one rule for the screen and the store
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Button, Label, Static

ID_RULE = re.compile(r"^[A-Za-z0-9]{1,12}$")


class SetupScreen(LobbyScreenMixin, Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        with Center():
            with VerticalScroll(id="setup-box", classes="form"):
                yield Static(self.t("setup.title"), classes="form-title")
                yield Static(self.t("setup.intro"), classes="hint")
                yield Label(self.t("signin.staff_id"))
                yield Input(id="staff-id", max_length=12)
                yield Static("", id="staff-id-error", classes="field-error")
                yield Label(self.t("setup.name"))
                yield Input(id="name", max_length=20)
                yield Static("", id="name-error", classes="field-error")
                yield Label(self.t("signin.pin"))
                yield Input(id="pin", password=True, max_length=8, restrict=r"[0-9]*")
                yield Static("", id="pin-error", classes="field-error")
                yield Label(self.t("setup.pin2"))
                yield Input(id="pin2", password=True, max_length=8, restrict=r"[0-9]*")
                yield Static("", id="pin2-error", classes="field-error")
                yield Button(self.t("setup.button"), id="create", variant="primary")
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.query_one("#staff-id", Input).focus()

    @on(Input.Submitted)
    def next_or_submit(self, event: Input.Submitted) -> None:
        order = ["staff-id", "name", "pin", "pin2"]
        if event.input.id == "pin2":
            self.submit()
        elif event.input.id in order:
            self.query_one("#" + order[order.index(event.input.id) + 1], Input).focus()

    @on(Button.Pressed, "#create")
    def submit(self) -> None:
        values = {key: self.query_one(f"#{key}", Input).value for key in ("staff-id", "name", "pin", "pin2")}
        errors = {
            "staff-id": "" if ID_RULE.match(values["staff-id"].strip()) else self.t("setup.id_rule"),
            "name": "" if values["name"].strip() else self.t("name.bad"),
            "pin": "" if PIN_RULE.match(values["pin"]) else self.t("setup.pin_rule"),
            "pin2": "" if values["pin2"] == values["pin"] else self.t("setup.pin_mismatch"),
        }
        for key, text in errors.items():
            self.query_one(f"#{key}-error", Static).update(text)
        if any(errors.values()):
            return
        store = self.lobby.store

        def create() -> tuple[Staff, Shift]:
            staff = store.add_staff(values["staff-id"].strip(), values["name"], "supervisor", values["pin"])
            staff = store.sign_in(staff.id, values["pin"])
            return staff, store.open_shift(staff.id)

        self.db(create, lambda result: self.lobby.signed_in(*result), on_input_error=self.refused)

    def refused(self, exc: InputError) -> None:
        self.query_one("#staff-id-error", Static).update(exc.message(self.lobby.lang))
