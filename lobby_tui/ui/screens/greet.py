"""Greeting: the standard greeting for the time of day and the visit reason, one key or tap each.

Choosing a reason records the visit (arrival time) at once and moves on to identifying the customer.
"""

from __future__ import annotations

import uuid

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input

from lobby_tui.domain.appointments import Appointment
from lobby_tui.domain.rules import guidance_rules
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.kept import Reshown
from lobby_tui.ui.screens.forms import APP_KEYS, FooterFit
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Button, Static


class GreetScreen(FooterFit, LobbyScreenMixin, Reshown, Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("ctrl+n", "notes", "key.notes", id="notes"),
        Binding("b", "check_in", "key.check_in", id="check_in"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = ("back", "check_in", "notes", "toggle_lang", "toggle_contrast", "lock")
    due: list[Appointment] = []

    _starting = False

    def compose(self) -> ComposeResult:
        rules = guidance_rules()
        lang = self.lobby.lang
        hour = self.lobby.store.clock().hour
        yield Header()
        with VerticalScroll(id="greet-body"):
            yield Static(rules.greeting(hour)[lang], id="greeting")
            yield Static("", id="greet-due")  # booked customers due now (issue 11): B checks one in
            yield Static(self.t("greet.pick"), classes="hint")
            with Grid(id="reasons"):
                for reason in rules.reasons:
                    yield Button(
                        f"{reason.key.upper()} {reason.label[lang]}", id=f"reason-{reason.code}", classes="reason"
                    )
            yield Input(placeholder=self.t("greet.notes"), id="notes", max_length=200)
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.query_one("#reasons Button").focus()
        self.db(self.lobby.store.due_appointments, self.show_due, group="greet-due")

    def next_customer(self) -> None:
        """Ready again, for the next customer (the app keeps one greeting screen, ui/kept.py):
        no note of the last one, the first reason focused, the greeting for this hour, and who is
        due read again."""
        self._starting = False
        self.query_one("#notes", Input).value = ""
        self.query_one("#greeting", Static).update(
            guidance_rules().greeting(self.lobby.store.clock().hour)[self.lobby.lang]
        )
        self.query_one("#greet-body", VerticalScroll).scroll_home(animate=False)
        self.query_one("#reasons Button").focus()
        self.db(self.lobby.store.due_appointments, self.show_due, group="greet-due")

    def show_due(self, due: list[Appointment]) -> None:
        from lobby_tui.ui.screens.appointments import due_line

        self.due = due
        line = next(self.query("#greet-due").results(Static), None)
        if line is None or not self.is_attached:
            return
        line.display = bool(due)
        line.update(Text(due_line(due, self.size.width - 2, self.lobby.lang, "greet.due")) if due else "")

    def after_relabel(self) -> None:
        self.show_due(self.due)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "check_in" and isinstance(self.focused, Input):
            return False  # typing a note: B is a letter
        return True

    def action_check_in(self) -> None:
        """B: a booked customer is here - the due list; Enter checks them in, Enter confirms."""
        from lobby_tui.ui.screens.appointments import open_due_list

        if self._starting:
            return
        open_due_list(self)

    def on_key(self, event: events.Key) -> None:
        if isinstance(self.focused, Input):
            return
        for reason in guidance_rules().reasons:
            if event.character and event.character.lower() == reason.key:
                event.stop()
                self.choose(reason.code)
                return

    @on(Button.Pressed, ".reason")
    def pressed(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.choose(event.button.id.removeprefix("reason-"))

    def choose(self, reason: str) -> None:
        """The arrival is written behind the lookup screen, which opens at once: the manager's next
        keys (four digits, Enter) are for the lookup, however fast they come."""
        from lobby_tui.ui.app import VisitDraft
        from lobby_tui.ui.screens.lookup import lookup_screen

        if self._starting:  # one customer, one visit: a second reason key is not a second visit
            return
        self._starting = True
        lobby = self.lobby
        notes = self.query_one("#notes", Input).value.strip() or None
        store, staff, shift = lobby.store, lobby.staff, lobby.shift
        draft = VisitDraft(str(uuid.uuid4()), reason, notes)
        arrived = store.now()
        lobby.in_background(
            lambda: store.start_visit(
                reason=reason,
                shift_id=shift.id if shift else None,
                staff_id=staff.id if staff else None,
                notes=notes,
                visit_id=draft.visit_id,
                ts=arrived,
            )
        )
        self.app.push_screen(lookup_screen(lobby, draft))

    def on_screen_resume(self) -> None:
        self._starting = False  # back from the lookup (Escape): the next reason is a new visit

    def action_notes(self) -> None:
        self.query_one("#notes", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#reasons Button").focus()
            return
        self.app.pop_screen()

    def screen_commands(self):  # type: ignore[no-untyped-def]
        yield self.t("key.check_in"), "B", self.action_check_in
        lang = self.lobby.lang
        for reason in guidance_rules().reasons:
            yield reason.label[lang], reason.key.upper(), lambda code=reason.code: self.choose(code)
