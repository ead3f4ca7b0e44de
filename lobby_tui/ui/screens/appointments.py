"""Appointments on screen (issue 11): the due list and check-in, and booking.

- DueListScreen (B on the board or the greeting): today's customers due in the next hour and those
  overdue, by time, the cursor on the next one due; Enter checks the customer in and opens the
  guidance with the booking (its business, amount and, for a meeting, the account manager as the
  destination). From the greeting: B, Enter, Enter - checked in and confirmed in three keys.
- Booking (A on the board): the customer by the lookup's own search (phone last four, name, phone,
  card or ID number), then a form: kind, date, time, business, amount, the account manager met.
- due_line: the due customers on one line (masked names), cut to the width in terminal cells.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from lobby_tui.domain.amounts import parse_wan_field
from lobby_tui.domain.appointments import KINDS, Appointment
from lobby_tui.domain.models import Customer
from lobby_tui.domain.privacy import mask_name
from lobby_tui.domain.rules import guidance_rules
from lobby_tui.i18n import tr
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.screens.forms import APP_KEYS, Field, FooterFit, FormScreen
from lobby_tui.ui.screens.lookup import LookupScreen, classify_customer
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Static
from lobby_tui.ui.widgets.plain_lists import DataTable

if TYPE_CHECKING:
    from lobby_tui.ui.screens.guidance import GuidanceFacts

COLUMNS = ("time", "customer", "state", "what", "with")  # the state before what a handheld cuts


def who(appt: Appointment) -> str:
    return mask_name(appt.name or "") or "—"


def what(appt: Appointment, lang: str) -> str:
    """The business booked: the kind, and for a booked business its reason."""
    if appt.kind == "business":
        return guidance_rules().reason(appt.reason).label[lang]
    return tr(f"appt.kind.{appt.kind}", lang)


def due_line(appointments: list[Appointment], width: int, lang: str, key: str = "board.due") -> str:
    """'预约：10:40 张*明 · 11:05 李*海 等2位' in at most `width` cells (CJK is two cells a character)."""
    parts = [f"{a.time} {who(a)}" for a in appointments]
    sep = " · "
    for shown in range(len(parts), 0, -1):
        more = len(parts) - shown
        listed = sep.join(parts[:shown]) + (" " + tr("appt.more", lang, n=more) if more else "")
        line = tr(key, lang, list=listed)
        if cell_len(line) <= width:
            return line
    line = tr(key, lang, list=tr("appt.more", lang, n=len(parts)))
    return line if cell_len(line) <= width else set_cell_size(line, max(width, 0))


class DueListScreen(FooterFit, LobbyScreenMixin, ModalScreen[Appointment | None]):
    """Who is due: Enter (or a tap) on a row checks that customer in; Escape closes."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="cancel"), *APP_KEYS]
    FOOTER_ORDER = ("cancel", "toggle_lang", "toggle_contrast", "lock")

    def __init__(self, due: list[Appointment], overdue: set[str]) -> None:
        super().__init__()
        self.due = due
        self.overdue = overdue

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="due-box", classes="dialog"):
            yield Static(self.t("appt.due_title"), classes="form-title")
            yield DataTable(id="due", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        self.after_relabel()
        table = self.query_one("#due", DataTable)
        # The cursor on the first customer not yet overdue: the one most likely at the door.
        start = next((n for n, a in enumerate(self.due) if a.id not in self.overdue), 0)
        table.move_cursor(row=start)
        table.focus()

    def after_relabel(self) -> None:
        table = self.query_one("#due", DataTable)
        lang = self.lobby.lang
        row = table.cursor_row
        table.clear(columns=True)
        for key in COLUMNS:
            table.add_column(self.t(f"appt.col.{key}"), key=key)
        for a in self.due:
            state = self.t("appt.status.overdue" if a.id in self.overdue else "appt.status.booked")
            cells = (a.time, who(a), state, what(a, lang), a.staff_name or "")
            table.add_row(*(Text(c) for c in cells), key=a.id)
        if self.due:
            table.move_cursor(row=min(row, len(self.due) - 1))

    @on(DataTable.RowSelected, "#due")
    def chosen(self, event: DataTable.RowSelected) -> None:
        appt = next((a for a in self.due if a.id == event.row_key.value), None)
        if appt is not None and self.is_current:
            self.dismiss(appt)

    def action_cancel(self) -> None:
        if self.is_current:
            self.dismiss(None)


def open_due_list(screen: Any) -> None:
    """B: the due list over `screen` (the board or the greeting); a choice is checked in."""
    store = screen.lobby.store

    def found(result: tuple[list[Appointment], set[str]]) -> None:
        due, overdue = result
        if not due:
            screen.notify(screen.t("appt.none_due"), markup=False)
            return

        def picked(appt: Appointment | None) -> None:
            if appt is not None:
                check_in(screen, appt)

        screen.app.push_screen(DueListScreen(due, overdue), picked)

    def read() -> tuple[list[Appointment], set[str]]:
        due = store.due_appointments()
        return due, store.overdue_ids(due)

    screen.db(read, found, group="due", hold_keys=True)


def check_in(screen: Any, appt: Appointment) -> None:
    """Check the booked customer in and guide them with the booking: the visit is written and the
    guidance opens at once; Enter then confirms the destination the booking preselected."""
    from lobby_tui.ui.app import VisitDraft
    from lobby_tui.ui.screens.guidance import GuidanceScreen, guidance_facts

    lobby = screen.lobby
    store, staff, shift = lobby.store, lobby.staff, lobby.shift
    draft = VisitDraft(str(uuid.uuid4()), appt.reason)

    def work() -> tuple[Appointment, Customer, GuidanceFacts]:
        checked, _ = store.check_in_appointment(
            appt.id,
            shift_id=shift.id if shift else None,
            staff_id=staff.id if staff else None,
            visit_id=draft.visit_id,
        )
        customer = store.get_customer(checked.customer_id)
        return checked, customer, guidance_facts(store, customer.id)

    def go(result: tuple[Appointment, Customer, GuidanceFacts]) -> None:
        checked, customer, facts = result
        draft.customer = customer
        draft.classification = classify_customer(customer, store.clock().date())
        draft.amount = checked.amount
        draft.booking = checked
        classification = draft.classification
        lobby.in_background(
            lambda: store.record_progress(draft.visit_id, customer_id=customer.id, classification=classification)
        )
        done = "appt.checked_in_late" if checked.late else "appt.checked_in_done"
        lobby.notify(tr(done, lobby.lang, who=who(checked), time=checked.time), markup=False)
        lobby.push_screen(LookupScreen(draft, resumed=True))
        lobby.push_screen(GuidanceScreen(draft, facts))

    def refused(exc: Any) -> None:
        screen.notify(exc.message(lobby.lang), severity="error", markup=False)

    screen.db(work, go, on_input_error=refused, group="check-in", hold_keys=True)


# ---------------------------------------------------------------- booking


class BookingLookup(LookupScreen):
    """The lookup's own search, to pick whom to book: Enter (or a tap) takes the customer."""

    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("f6", "reveal", "key.reveal", id="reveal"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = ("back", "reveal", "toggle_lang", "toggle_contrast", "lock")  # type: ignore[assignment]

    def __init__(self, done: Callable[[Customer], None]) -> None:
        from lobby_tui.ui.app import VisitDraft

        super().__init__(VisitDraft("", "other"), resumed=True)
        self.done = done

    def on_mount(self) -> None:
        super().on_mount()
        self.after_relabel()

    def after_relabel(self) -> None:
        super().after_relabel()
        self.query_one("#lookup-title", Static).update(self.t("appt.lookup_title"))
        self.query_one("#lookup-buttons").display = False

    def take(self, customer: Customer) -> None:
        if self.is_current:
            self.app.pop_screen()
            self.done(customer)

    def action_skip(self) -> None:  # Enter on an empty box: nobody to book yet
        self.notify(self.t("appt.pick_customer"), severity="warning", markup=False)

    def action_walk_in(self) -> None:
        self.action_skip()

    def action_back(self) -> None:
        if self.is_current:
            self.app.pop_screen()

    def screen_commands(self):  # type: ignore[no-untyped-def]
        yield self.t("key.reveal"), "F6", self.action_reveal
        yield self.t("key.back"), "Esc", self.action_back


def booking_form(lobby: Any, customer: Customer, managers: list[tuple[str, str]]) -> FormScreen:
    """The form for one customer's booking; it saves through the store and is dismissed with the
    Appointment (None when cancelled)."""
    from lobby_tui.store.appointments import Booking

    lang = lobby.lang
    store, staff = lobby.store, lobby.staff
    rules = guidance_rules()
    tomorrow = (store.clock().date() + timedelta(days=1)).isoformat()
    kinds = tuple((tr(f"appt.kind.{k}", lang), k) for k in KINDS)
    reasons = ((tr("appt.reason_default", lang), ""), *((r.label[lang], r.code) for r in rules.reasons))
    people = ((tr("appt.staff_none", lang), ""), *((f"{name} {sid}", sid) for sid, name in managers))
    fields = [
        Field("kind", "appt.field.kind", options=kinds, errors=("appt.kind",)),
        Field("day", "appt.field.day", value=tomorrow, max_length=10, errors=("appt.day",)),
        Field(
            "time", "appt.field.time", required="appt.time_needed", max_length=5, errors=("appt.time", "appt.already")
        ),
        Field("reason", "appt.field.reason", options=reasons, errors=("appt.reason",)),
        Field("amount", "appt.field.amount", max_length=20, placeholder="", errors=("amount.", "appt.amount")),
        Field("staff", "appt.field.staff", options=people, errors=("appt.staff", "appt.not_account_manager")),
    ]

    def work(values: dict[str, str]) -> Callable[[], Any]:
        def save() -> Any:
            amount: Decimal | None = parse_wan_field(values["amount"]) if values["amount"].strip() else None
            booking = Booking(
                customer_id=customer.id,
                day=values["day"],
                time=values["time"],
                kind=values["kind"],
                reason=values["reason"] or None,
                amount=amount,
                staff_id=values["staff"] or None,
            )
            return store.book_appointment(staff.id if staff else None, booking)

        return save

    def check(values: dict[str, str]) -> dict[str, str]:
        """What can be told as soon as Enter leaves a field: a date or time not in its form, an amount."""
        from lobby_tui.domain.appointments import parse_day, parse_time
        from lobby_tui.domain.errors import InputError

        errors: dict[str, str] = {}
        for name, parse in (
            ("day", lambda v: parse_day(v, store.clock().date())),
            ("time", parse_time),
            ("amount", parse_wan_field),
        ):
            if values[name].strip():
                try:
                    parse(values[name])
                except InputError as exc:
                    errors[name] = exc.message(lobby.lang)
        return errors

    intro = tr("appt.for", lang, who=f"{mask_name(customer.name)} {customer.phone_masked}")
    return FormScreen(
        "appt.book_title", fields, work, intro=intro, submit="key.book", check=check, box_id="booking-box"
    )


def start_booking(screen: Any) -> None:
    """A: find the customer, then the booking form; the board says what was booked."""
    lobby = screen.lobby
    store = lobby.store

    def picked(customer: Customer) -> None:
        def booked(appt: Appointment | None) -> None:
            if appt is not None:
                lobby.notify(
                    tr("appt.booked_done", lobby.lang, who=who(appt), day=appt.day, time=appt.time), markup=False
                )
                refresh = getattr(lobby.screen, "refresh_board", None)
                if callable(refresh):
                    refresh()

        def managers(found: list[tuple[str, str]]) -> None:
            lobby.push_screen(booking_form(lobby, customer, found), booked)

        screen.db(store.account_manager_choices, managers, group="book", hold_keys=True)

    lobby.push_screen(BookingLookup(picked))
