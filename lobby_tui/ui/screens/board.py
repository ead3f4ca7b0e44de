"""The lobby board (home): who is in the branch, the queues, recent visits, follow-up leads."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from lobby_tui.domain.models import Visit
from lobby_tui.domain.privacy import mask_name
from lobby_tui.domain.rules import guidance_rules, tier_table
from lobby_tui.store.lobby_store import Board
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.widgets.waiting_strip import WaitingStrip

REFRESH_SECONDS = 5.0


class BoardScreen(LobbyScreenMixin, Screen[None]):
    BINDINGS = [
        Binding("n", "new_customer", "key.new_customer", id="new_customer"),
        Binding("s", "served", "key.served", id="served"),
        Binding("x", "left", "key.left", id="left"),
        Binding("r", "redirect", "key.redirect", id="redirect"),
        Binding("f", "follow_up", "key.follow_up", id="follow_up"),
        Binding("e", "day_summary", "key.day_summary", id="day_summary"),
        Binding("l", "shift_log", "key.shift_log", id="shift_log"),
        Binding("ctrl+o", "sign_out", "key.sign_out", id="sign_out"),
        # A supervisor opens the board from their home screen: Escape goes back there.
        Binding("escape", "home", "key.home", id="home", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.board: Board | None = None
        self._cursor_to_top = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="board-status")
        yield WaitingStrip(self.lobby.lang, id="waiting")
        with TabbedContent(id="board-tabs"):
            with TabPane(self.t("board.recent"), id="tab-recent"):
                yield DataTable(id="recent", cursor_type="row", zebra_stripes=True)
                yield Static(self.t("board.empty"), id="recent-empty", classes="hint")
            with TabPane(self.t("board.follow_up"), id="tab-follow"):
                yield DataTable(id="follow", cursor_type="row", zebra_stripes=True)
                yield Static(self.t("board.follow_empty"), id="follow-empty", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        self.after_relabel()
        self.refresh_board()
        self.set_interval(REFRESH_SECONDS, self.refresh_board)
        self.query_one("#recent", DataTable).focus()

    def after_relabel(self) -> None:
        """Columns in the current language, and the last board shown again (no new query)."""
        for table_id in ("#recent", "#follow"):
            table = self.query_one(table_id, DataTable)
            for key in ("time", "ticket", "customer", "tier", "reason", "dest", "outcome"):
                table.add_column(self.t(f"board.col.{key}"), key=key)
        if self.board is not None:
            self.show(self.board)

    def on_screen_resume(self) -> None:
        # Back from greeting a customer: the newest visit, at the top, is the one to act on next.
        # (A periodic refresh keeps the cursor on whatever visit it was on.)
        self._cursor_to_top = True
        self.refresh_board()

    def refresh_board(self) -> None:
        store = self.lobby.store
        self.db(store.board, self.show, group="board")

    def show(self, board: Board) -> None:
        self.board = board
        lobby = self.lobby
        staff, shift = lobby.staff, lobby.shift
        who = self.t("board.shift", name=staff.name, time=shift.opened_ts[11:16]) if staff and shift else ""
        self.query_one("#board-status", Static).update(f"{who}   {self.t('board.in_branch', n=board.in_branch)}")
        self.query_one(WaitingStrip).show(board.waiting)
        self._fill("#recent", board.recent, board)
        self._fill("#follow", board.follow_up, board)
        self._cursor_to_top = False
        # An empty table would push its hint to the bottom of the screen: show the hint instead.
        for name, rows in (("recent", board.recent), ("follow", board.follow_up)):
            self.query_one(f"#{name}").display = bool(rows)
            self.query_one(f"#{name}-empty").display = not rows
        # A table hidden while empty cannot hold focus; once it has rows, the arrow keys are for it.
        active = "#follow" if self.query_one(TabbedContent).active == "tab-follow" else "#recent"
        table = self.query_one(active, DataTable)
        if table.display and not isinstance(self.focused, DataTable):
            table.focus()

    def _fill(self, table_id: str, visits: list[Visit], board: Board) -> None:
        table = self.query_one(table_id, DataTable)
        lang = self.lobby.lang
        rules, tiers = guidance_rules(), tier_table()
        selected = None if self._cursor_to_top else self._selected_id(table)
        table.clear()
        for v in visits:
            name = mask_name(board.names.get(v.customer_id or "", "")) or self.t("walkin.unknown")
            when = v.ts[11:16] if table_id == "#recent" else v.ts[5:10]
            table.add_row(
                when,
                v.ticket or "",
                name,
                tiers.tier(v.tier).short[lang] if v.tier else "",
                rules.reason(v.reason).label[lang],
                rules.destinations[v.destination].label[lang] if v.destination else "",
                self.t(f"outcome.{v.outcome}"),
                key=v.id,
            )
        if selected is not None and selected in [v.id for v in visits]:
            table.move_cursor(row=table.get_row_index(selected))

    @staticmethod
    def _selected_id(table: DataTable) -> str | None:
        if table.row_count == 0:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return key.value

    # ------------------------------------------------------------ actions

    def action_new_customer(self) -> None:
        from lobby_tui.ui.screens.greet import GreetScreen

        self.app.push_screen(GreetScreen())

    def _current_visit(self) -> str | None:
        tabs = self.query_one(TabbedContent)
        table = self.query_one("#follow" if tabs.active == "tab-follow" else "#recent", DataTable)
        visit_id = self._selected_id(table)
        if visit_id is None:
            self.notify(self.t("board.pick_first"), severity="warning")
        return visit_id

    def _set_outcome(self, outcome: str, destination: str | None = None) -> None:
        visit_id = self._current_visit()
        if visit_id is None:
            return
        store, staff = self.lobby.store, self.lobby.staff
        staff_id = staff.id if staff else None
        self.db(
            lambda: store.set_outcome(visit_id, outcome, staff_id=staff_id, destination=destination),
            lambda _: self.refresh_board(),
            group="outcome",
        )

    def action_served(self) -> None:
        self._set_outcome("served")

    def action_left(self) -> None:
        self._set_outcome("left")

    def action_redirect(self) -> None:
        from lobby_tui.ui.screens.pickers import DestinationPicker

        if self._current_visit() is None:
            return

        def picked(destination: str | None) -> None:
            if destination:
                self._set_outcome("redirected", destination)

        self.app.push_screen(DestinationPicker(tuple(guidance_rules().destinations)), picked)

    def action_follow_up(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "tab-recent" if tabs.active == "tab-follow" else "tab-follow"
        self.query_one("#follow" if tabs.active == "tab-follow" else "#recent", DataTable).focus()

    def action_sign_out(self) -> None:
        self.lobby.sign_out()

    def action_day_summary(self) -> None:
        from lobby_tui.ui.screens.shift_log import DaySummaryScreen

        self.app.push_screen(DaySummaryScreen())

    def action_shift_log(self) -> None:
        from lobby_tui.ui.screens.shift_log import ShiftLogScreen

        self.app.push_screen(ShiftLogScreen())

    def action_home(self) -> None:
        from lobby_tui.ui.screens.review import SupervisorHomeScreen

        if len(self.app.screen_stack) > 2 and isinstance(self.app.screen_stack[-2], SupervisorHomeScreen):
            self.app.pop_screen()

    def screen_commands(self):  # type: ignore[no-untyped-def]
        yield self.t("key.new_customer"), "N", self.action_new_customer
        yield self.t("key.served"), "S", self.action_served
        yield self.t("key.left"), "X", self.action_left
        yield self.t("key.redirect"), "R", self.action_redirect
        yield self.t("key.follow_up"), "F", self.action_follow_up
        yield self.t("key.day_summary"), "E", self.action_day_summary
        yield self.t("key.shift_log"), "L", self.action_shift_log
        yield self.t("key.sign_out"), "ctrl+o", self.action_sign_out
