"""The account manager's home (issue 10): their leads, oldest first, and the new ones nobody owns;
take one, record contact (phone, meeting, declined, converted to a wealth account or a product),
hand it back. Every action is checked again by the store: the screen only offers what the role may do.

Also the small modal for picking one of a few choices by number (an account manager, what a lead
converted to), shared with the board's assignment of a lead."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Header

from lobby_tui.domain.appointments import Appointment
from lobby_tui.domain.errors import InputError
from lobby_tui.domain.models import CONVERTED_TO, Lead
from lobby_tui.domain.privacy import mask_name
from lobby_tui.render import lead_why
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.screens.forms import APP_KEYS, FooterFit
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Button, Static
from lobby_tui.ui.widgets.plain_lists import DataTable

REFRESH_SECONDS = 15.0
COLUMNS = ("made", "customer", "status", "why")


class ChoicePicker(FooterFit, LobbyScreenMixin, ModalScreen[str | None]):
    """One of a few choices, by its number key or a tap; Escape chooses nothing."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="cancel"), *APP_KEYS]
    FOOTER_ORDER = ("cancel", "toggle_lang", "toggle_contrast", "lock")

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices[:9]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="picker-box", classes="dialog"):
            yield Static(self.title_text, classes="form-title", markup=False)
            for n, (_, label) in enumerate(self.choices, start=1):
                yield Button(Text(f"{n} {label}"), id=f"choice-{n}", classes="choice")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        if self.choices:
            self.query_one("#choice-1", Button).focus()

    def on_key(self, event: events.Key) -> None:
        if event.key.isdigit() and 1 <= int(event.key) <= len(self.choices):
            event.stop()
            self.dismiss(self.choices[int(event.key) - 1][0])

    @on(Button.Pressed, ".choice")
    def chosen(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.dismiss(self.choices[int(event.button.id.removeprefix("choice-")) - 1][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


def lead_customer(lead: Lead, lang: str) -> str:
    from lobby_tui.i18n import tr

    if not lead.name:
        return tr("lead.walk_in", lang)
    return f"{mask_name(lead.name)} {lead.phone_masked or ''}".strip()


class AccountManagerHomeScreen(FooterFit, LobbyScreenMixin, Screen[None]):
    BINDINGS = [
        Binding("t", "take", "key.take", id="take"),
        Binding("p", "phone", "key.phone", id="phone"),
        Binding("m", "meeting", "key.meeting", id="meeting"),
        Binding("c", "converted", "key.converted", id="converted"),
        Binding("d", "declined", "key.declined", id="declined"),
        Binding("b", "hand_back", "key.hand_back", id="hand_back"),
        Binding("r", "refresh", "key.refresh", id="refresh"),
        Binding("ctrl+o", "sign_out", "key.sign_out", id="sign_out"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = (
        "take",
        "phone",
        "meeting",
        "converted",
        "declined",
        "hand_back",
        "refresh",
        "sign_out",
        "toggle_lang",
        "toggle_contrast",
        "lock",
    )

    def __init__(self) -> None:
        super().__init__()
        self.leads: list[Lead] | None = None
        self.appointments: list[Appointment] | None = None
        self.arrived: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="am-status")
        yield Static("", id="am-appointments")  # who is booked to meet them today, who is here (issue 11)
        yield DataTable(id="am-leads", cursor_type="row", zebra_stripes=True)
        yield Static(self.t("am.empty"), id="am-empty", classes="hint")
        yield Static("", id="am-detail")
        yield Static(self.t("am.hint"), id="am-hint", classes="hint")
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.after_relabel()
        self.action_refresh()
        self.set_interval(REFRESH_SECONDS, self.action_refresh)
        self.query_one("#am-leads", DataTable).focus()

    def after_relabel(self) -> None:
        table = self.query_one("#am-leads", DataTable)
        for key in COLUMNS:
            table.add_column(self.t(f"leads.col.{key}"), key=key)
        if self.leads is not None:
            self.show(self.leads)
        if self.appointments is not None:
            self.show_appointments(self.appointments)

    def action_refresh(self) -> None:
        store, staff = self.lobby.store, self.lobby.staff
        if staff is None:
            return
        self.db(lambda: store.my_leads(staff.id), self.show, group="leads")
        self.db(lambda: store.staff_appointments(staff.id), self.show_appointments, group="am-appointments")

    def show_appointments(self, appointments: list[Appointment]) -> None:
        """'今日预约：10:30 张*明 已到店 · 14:00 李*海 待到店'; a customer newly checked in is told at once."""
        from lobby_tui.ui.screens.appointments import who

        arrived = {a.id for a in appointments if a.status == "arrived"}
        if self.appointments is not None:
            for a in appointments:
                if a.id in arrived and a.id not in self.arrived:
                    self.notify(self.t("am.appt_arrived", who=who(a), time=a.time), timeout=10, markup=False)
        self.appointments, self.arrived = appointments, arrived
        line = next(self.query("#am-appointments").results(Static), None)
        if line is None or not self.is_attached:
            return
        parts = [f"{a.time} {who(a)} {self.t(f'appt.status.{a.status}')}" for a in appointments]
        line.display = bool(parts)
        line.update(Text(self.t("am.appointments", list=" · ".join(parts))) if parts else "")

    def show(self, leads: list[Lead]) -> None:
        self.leads = leads
        table = next(self.query("#am-leads").results(DataTable), None)
        if not self.is_attached or table is None or not table.columns:
            return
        lang = self.lobby.lang
        staff = self.lobby.staff
        mine = sum(1 for lead in leads if staff and lead.owner == staff.id)
        who = staff.name if staff else ""
        status = f"{who} · {self.t('role.account_manager')}   {self.t('am.title')}: {mine}/{len(leads)}"
        self.query_one("#am-status", Static).update(Text(status))
        selected = self._selected_id()
        table.clear()
        for lead in leads:
            state = self.t(f"lead.status.{lead.status}")
            if lead.contact_kind and lead.status == "contacted":
                state += " · " + self.t(f"lead.contact.{lead.contact_kind}")
            cells = {
                "made": lead.created_ts[5:16].replace("T", " "),
                "customer": lead_customer(lead, lang),
                "status": state,
                "why": lead_why(lead, lang) + " · " + self.t("lead.visits", n=lead.visits),
            }
            table.add_row(*(Text(cells[c]) for c in COLUMNS), key=lead.id)
        if selected is not None and selected in [lead.id for lead in leads]:
            table.move_cursor(row=table.get_row_index(selected))
        table.display = bool(leads)
        self.query_one("#am-empty").display = not leads
        self._show_detail()
        if leads and not isinstance(self.focused, DataTable):
            table.focus()

    @on(DataTable.RowHighlighted, "#am-leads")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted lead in full under the table (a handheld cuts the table's right-hand columns)."""
        lead_id = self._selected_id()
        lead = next((x for x in self.leads or [] if x.id == lead_id), None)
        detail = self.query_one("#am-detail", Static)
        if lead is None:
            detail.update("")
            return
        lang = self.lobby.lang
        line = f"{lead_customer(lead, lang)} · {lead_why(lead, lang)} · {self.t('lead.visits', n=lead.visits)}"
        detail.update(Text(line))

    def _selected_id(self) -> str | None:
        table = self.query_one("#am-leads", DataTable)
        if table.row_count == 0:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return key.value

    def _current(self) -> Lead | None:
        lead_id = self._selected_id()
        lead = next((x for x in self.leads or [] if x.id == lead_id), None)
        if lead is None:
            self.notify(self.t("board.pick_first"), severity="warning")
        return lead

    def _write(self, call, done_key: str, lead: Lead, **params: object) -> None:  # type: ignore[no-untyped-def]
        store, staff = self.lobby.store, self.lobby.staff
        assert staff is not None

        def write() -> list[Lead]:
            call(store, staff.id)
            return store.my_leads(staff.id)

        def written(leads: list[Lead]) -> None:
            self.notify(self.t(done_key, who=lead_customer(lead, self.lobby.lang), **params), markup=False)
            self.show(leads)

        self.db(write, written, on_input_error=self._refused, group="lead-write", hold_keys=True)

    def _refused(self, exc: InputError) -> None:
        self.notify(exc.message(self.lobby.lang), severity="error", markup=False)
        self.action_refresh()

    def action_take(self) -> None:
        lead = self._current()
        if lead is not None:
            self._write(lambda s, by: s.take_lead(lead.id, by), "am.done.taken", lead)

    def action_contact(self, kind: str) -> None:
        lead = self._current()
        if lead is None:
            return
        what = self.t(f"lead.contact.{kind}")
        if kind != "converted":
            self._write(lambda s, by: s.record_contact(lead.id, by, kind), "am.done.contact", lead, what=what)
            return

        def picked(to: str | None) -> None:
            if to is not None:
                shown = f"{what} · {self.t(f'lead.converted.{to}')}"
                self._write(
                    lambda s, by: s.record_contact(lead.id, by, "converted", converted_to=to),
                    "am.done.contact",
                    lead,
                    what=shown,
                )

        choices = [(code, self.t(f"lead.converted.{code}")) for code in CONVERTED_TO]
        self.app.push_screen(ChoicePicker(self.t("am.converted_to"), choices), picked)

    def action_phone(self) -> None:
        self.action_contact("phone")

    def action_meeting(self) -> None:
        self.action_contact("meeting")

    def action_converted(self) -> None:
        self.action_contact("converted")

    def action_declined(self) -> None:
        self.action_contact("declined")

    def action_hand_back(self) -> None:
        lead = self._current()
        if lead is not None:
            self._write(lambda s, by: s.hand_back(lead.id, by), "am.done.hand_back", lead)

    def action_sign_out(self) -> None:
        self.lobby.sign_out()

    def screen_commands(self):  # type: ignore[no-untyped-def]
        yield self.t("key.take"), "T", self.action_take
        yield self.t("key.phone"), "P", self.action_phone
        yield self.t("key.meeting"), "M", self.action_meeting
        yield self.t("key.converted"), "C", self.action_converted
        yield self.t("key.declined"), "D", self.action_declined
        yield self.t("key.hand_back"), "B", self.action_hand_back
        yield self.t("key.refresh"), "R", self.action_refresh
        yield self.t("key.sign_out"), "ctrl+o", self.action_sign_out
