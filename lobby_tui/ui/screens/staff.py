"""Staff management for supervisors: add lobby managers and supervisors, reset a PIN, deactivate an
account, unlock one locked after five wrong PINs. The store checks the role and audits each change."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from lobby_tui.domain.models import ROLES
from lobby_tui.domain.shiftlog import StaffRow
from lobby_tui.store.security import PIN_RULE
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.screens.forms import APP_KEYS, ConfirmScreen, Field, FooterFit, FormScreen
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Static
from lobby_tui.ui.widgets.plain_lists import DataTable


def _pin_check(t: Any) -> Any:
    def check(values: dict[str, str]) -> dict[str, str]:
        if not PIN_RULE.match(values["pin"]):
            return {"pin": t("pin.rule")}
        if values["pin2"] != values["pin"]:
            return {"pin2": t("setup.pin_mismatch")}
        return {}

    return check


PIN_FIELDS = [
    Field("pin", "staff.new_pin", "pin.rule", errors=("pin.",), password=True, max_length=8, restrict=r"[0-9]*"),
    Field("pin2", "setup.pin2", "setup.pin_mismatch", password=True, max_length=8, restrict=r"[0-9]*"),
]


class StaffScreen(FooterFit, LobbyScreenMixin, Screen[None]):
    BINDINGS = [
        Binding("a", "add_staff", "key.add_staff", id="add_staff"),
        Binding("p", "reset_pin", "key.reset_pin", id="reset_pin"),
        Binding("u", "unlock_staff", "key.unlock_staff", id="unlock_staff"),
        Binding("d", "deactivate", "key.deactivate", id="deactivate"),
        Binding("escape", "back", "key.back", id="back"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = (
        "add_staff",
        "reset_pin",
        "unlock_staff",
        "back",
        "deactivate",
        "toggle_lang",
        "toggle_contrast",
        "lock",
    )

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[StaffRow] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.t("staff.hint"), id="staff-hint", classes="hint")
        yield DataTable(id="staff-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.after_relabel()
        self.reload()
        self.query_one(DataTable).focus()

    def after_relabel(self) -> None:
        table = self.query_one(DataTable)
        for key in ("id", "name", "role", "state", "last"):
            table.add_column(self.t(f"staff.col.{key}"), key=key)
        if self.rows is not None:
            self.show(self.rows)

    def reload(self, *_: object) -> None:
        store, staff = self.lobby.store, self.lobby.staff
        assert staff is not None
        self.db(lambda: store.list_staff(staff.id), self.show, group="staff")

    def show(self, rows: list[StaffRow]) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        selected = self.selected()
        table.clear()
        for r in rows:
            if not r.active:
                state = Text(self.t("staff.state.inactive"), style="dim")
            elif r.locked:
                state = Text(self.t("staff.state.locked"), style="bold red")
            else:
                state = Text(self.t("staff.state.active"), style="green")
            table.add_row(
                r.staff_id,
                Text(r.name),  # a name a supervisor typed: a DataTable reads a str as markup
                self.t(f"role.{r.role}"),
                state,
                (r.last_signin or "")[:16].replace("T", " "),
                key=r.staff_id,
            )
        if selected and selected.staff_id in {r.staff_id for r in rows}:
            table.move_cursor(row=table.get_row_index(selected.staff_id))

    def selected(self) -> StaffRow | None:
        table = self.query_one(DataTable)
        if table.row_count == 0 or not self.rows:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((r for r in self.rows if r.staff_id == key.value), None)

    def _picked(self) -> StaffRow | None:
        row = self.selected()
        if row is None:
            self.notify(self.t("staff.pick_first"), severity="warning")
        return row

    # ------------------------------------------------------------ actions

    def action_add_staff(self) -> None:
        store, staff = self.lobby.store, self.lobby.staff
        assert staff is not None
        roles = tuple((self.t(f"role.{r}"), r) for r in ROLES)

        def work(values: dict[str, str]) -> Any:
            return lambda: store.add_staff(
                values["staff_id"], values["name"], values["role"], values["pin"], by=staff.id
            )

        check = _pin_check(self.t)
        self.app.push_screen(
            FormScreen(
                "staff.add_title",
                [
                    Field("staff_id", "signin.staff_id", "staff.id_rule", errors=("staff.",), max_length=12),
                    Field("name", "setup.name", "name.bad", errors=("name.",), max_length=20),
                    Field("role", "staff.role", options=roles),
                    *PIN_FIELDS,
                ],
                work,
                check=check,
                box_id="add-staff-box",
            ),
            self._changed,
        )

    def action_reset_pin(self) -> None:
        row = self._picked()
        if row is None:
            return
        store, staff = self.lobby.store, self.lobby.staff
        assert staff is not None

        def work(values: dict[str, str]) -> Any:
            return lambda: store.reset_pin(staff.id, row.staff_id, values["pin"])

        self.app.push_screen(
            FormScreen(
                "staff.reset_title",
                list(PIN_FIELDS),
                work,
                check=_pin_check(self.t),
                intro=self.t("staff.reset_intro", name=row.name, staff_id=row.staff_id),
                box_id="reset-pin-box",
            ),
            self._changed,
        )

    def action_unlock_staff(self) -> None:
        row = self._picked()
        if row is None:
            return
        store, staff = self.lobby.store, self.lobby.staff
        assert staff is not None
        self.db(
            lambda: store.unlock_staff(staff.id, row.staff_id),
            self._changed,
            on_input_error=lambda exc: self.notify(exc.message(self.lobby.lang), severity="warning"),
            group="unlock",
        )

    def action_deactivate(self) -> None:
        row = self._picked()
        if row is None:
            return
        store, staff = self.lobby.store, self.lobby.staff
        assert staff is not None
        self.app.push_screen(
            ConfirmScreen(
                "staff.deactivate_title",
                self.t("staff.deactivate_text", name=row.name, staff_id=row.staff_id),
                lambda: store.deactivate_staff(staff.id, row.staff_id),
                yes="key.deactivate",
            ),
            self._changed,
        )

    def _changed(self, result: Any) -> None:
        if result is None:
            return
        self.app.notify(self.t("staff.saved", name=result.name, staff_id=getattr(result, "staff_id", "") or result.id))
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()

    def screen_commands(self):  # type: ignore[no-untyped-def]
        yield self.t("key.add_staff"), "A", self.action_add_staff
        yield self.t("key.reset_pin"), "P", self.action_reset_pin
        yield self.t("key.unlock_staff"), "U", self.action_unlock_staff
        yield self.t("key.deactivate"), "D", self.action_deactivate
        yield self.t("key.back"), "Esc", self.action_back
