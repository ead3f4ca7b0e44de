"""The lobby board (home): who is in the branch, the queues, recent visits, follow-up leads.

`v` turns the rating screen toward the customer for the highlighted visit (issue 11).
`s`, `x` and `r` act on the highlighted visit, say what they did, and can be taken back with `u`
for a few seconds; the cursor then moves on to the next customer still waiting. Enter on a greeting
still in progress continues it where it stopped (also one left open when the app was closed).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, TabbedContent, TabPane

from lobby_tui.domain.appointments import Appointment
from lobby_tui.domain.errors import InputError
from lobby_tui.domain.feedback import Feedback
from lobby_tui.domain.models import Customer, Visit
from lobby_tui.domain.privacy import mask_name
from lobby_tui.domain.rules import guidance_rules, tier_table
from lobby_tui.domain.tiers import Classification
from lobby_tui.domain.waits import whole_minutes
from lobby_tui.store.lobby_store import Board
from lobby_tui.store.waits import minutes_between
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.screens.forms import APP_KEYS, FooterFit
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Static
from lobby_tui.ui.widgets.plain_lists import DataTable
from lobby_tui.ui.widgets.waiting_strip import WaitingStrip

if TYPE_CHECKING:
    from lobby_tui.ui.screens.greet import GreetScreen
    from lobby_tui.ui.screens.guidance import GuidanceFacts
    from lobby_tui.ui.screens.shift_log import DaySummaryScreen

REFRESH_SECONDS = 5.0
HANDED_FRESH_S = 1.0  # a board handed over (hand_over) is shown if the screen is back within this
UNDO_SECONDS = 10.0
# Status comes third: at 60 columns the columns on the right are the ones cut, never the one that
# `s` and `x` change.
# The minutes waited come next: a customer waiting long is marked `!` (not by colour alone).
COLUMNS = ("time", "ticket", "outcome", "wait", "customer", "tier", "dest", "reason")
# The leads tab: open leads for account managers, newest first, with who owns each (issue 10).
LEAD_COLUMNS = ("made", "customer", "status", "why")


@dataclass(frozen=True)
class Undoable:
    """The last outcome set on the board, and the visit as it was before it, for `u`."""

    before: Visit
    after: Visit
    until: float


def _new_greeting() -> GreetScreen:
    from lobby_tui.ui.screens.greet import GreetScreen

    return GreetScreen()


def _new_summary() -> DaySummaryScreen:
    from lobby_tui.ui.screens.shift_log import DaySummaryScreen

    return DaySummaryScreen()


class BoardScreen(FooterFit, LobbyScreenMixin, Screen[None]):
    BINDINGS = [
        Binding("n", "new_customer", "key.new_customer", id="new_customer"),
        Binding("s", "served", "key.served", id="served"),
        Binding("x", "left", "key.left", id="left"),
        Binding("r", "redirect", "key.redirect", id="redirect"),
        Binding("c", "call", "key.call", id="call"),
        Binding("d", "done", "key.done", id="done"),
        Binding("u", "undo", "key.undo", id="undo"),
        Binding("v", "rate", "key.rate", id="rate"),
        Binding("o", "offer", "key.offer", id="offer"),
        Binding("w", "windows", "key.windows", id="windows"),
        Binding("e", "day_summary", "key.day_summary", id="day_summary"),
        Binding("l", "shift_log", "key.shift_log", id="shift_log"),
        Binding("f", "follow_up", "key.follow_up", id="follow_up"),
        Binding("g", "assign", "key.assign", id="assign", show=False),
        Binding("b", "check_in", "key.check_in", id="check_in"),
        Binding("a", "book", "key.book", id="book"),
        Binding("ctrl+o", "sign_out", "key.sign_out", id="sign_out"),
        # A supervisor opens the board from their home screen: Escape goes back there.
        Binding("escape", "home", "key.home", id="home", show=False),
        *APP_KEYS,
    ]
    # Most used first: at 60 columns the Footer shows what fits; ctrl+p offers every action.
    FOOTER_ORDER = (
        "new_customer",
        "served",
        "left",
        "redirect",
        "check_in",
        "call",
        "done",
        "undo",
        "rate",
        "offer",
        "windows",
        "book",
        "day_summary",
        "shift_log",
        "follow_up",
        "sign_out",
        "toggle_lang",
        "toggle_contrast",
        "lock",
    )

    def __init__(self) -> None:
        super().__init__()
        self.board: Board | None = None
        self._cursor_to_top = False
        self._cursor_after: str | None = None  # a visit just acted on: move on to the next one waiting
        self._handed: tuple[Board, list[Appointment], float] | None = None  # hand_over()
        self.undoable: Undoable | None = None
        self.due: list[Appointment] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="board-status")
        yield WaitingStrip(self.lobby.lang, id="waiting")
        yield Static("", id="due-strip")  # who is due in the next hour (issue 11); hidden while nobody is
        with TabbedContent(id="board-tabs"):
            with TabPane(self.t("board.recent"), id="tab-recent"):
                yield DataTable(id="recent", cursor_type="row", zebra_stripes=True)
                yield Static(self.t("board.empty"), id="recent-empty", classes="hint")
            with TabPane(self.t("board.follow_up"), id="tab-follow"):
                yield DataTable(id="follow", cursor_type="row", zebra_stripes=True)
                yield Static(self.t("leads.none"), id="follow-empty", classes="hint")
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.after_relabel()
        self.refresh_board()
        self.set_interval(REFRESH_SECONDS, self.refresh_board)
        self.query_one("#recent", DataTable).focus()

    def after_relabel(self) -> None:
        """Columns in the current language, and the last board shown again (no new query)."""
        table = self.query_one("#recent", DataTable)
        for key in COLUMNS:
            table.add_column(self.t(f"board.col.{key}"), key=key)
        leads = self.query_one("#follow", DataTable)
        for key in LEAD_COLUMNS:
            leads.add_column(self.t(f"leads.col.{key}"), key=key)
        if self.board is not None:
            self.show(self.board)
        self.show_due(self.due)

    def on_resize(self, event: events.Resize) -> None:  # FooterFit's own runs too (Textual calls each class's)
        self.show_due(self.due)

    def hand_over(self, board: Board, due: list[Appointment]) -> None:
        """The board and who is due, as read just now with the visit it returns from (guidance's
        confirm): shown as this screen comes back, in its first frame, instead of the old board
        first and then a new read. Kept for HANDED_FRESH_S at most (it is not shown stale)."""
        self._handed = (board, due, time.monotonic())

    def on_screen_resume(self) -> None:
        # Back from greeting a customer: the newest visit, at the top, is the one to act on next.
        # (A periodic refresh keeps the cursor on whatever visit it was on.)
        self._cursor_to_top = True
        handed, self._handed = self._handed, None
        if handed is not None and time.monotonic() - handed[2] < HANDED_FRESH_S:
            self.show(handed[0])
            self.show_due(handed[1])
            return
        # Keys typed right after the confirming Enter (`s` by habit) wait for the board that has the
        # new visit: on the old one they would act on the customer before (found under load).
        self.refresh_board(hold_keys=True)

    def refresh_board(self, *, hold_keys: bool = False) -> None:
        store = self.lobby.store
        self.db(store.board, self.show, group="board", hold_keys=hold_keys)
        self.db(store.due_appointments, self.show_due, group="due-strip")

    def show_due(self, due: list[Appointment]) -> None:
        from lobby_tui.ui.screens.appointments import due_line

        self.due = due
        strips = self.query("#due-strip").results(Static)
        strip = next(strips, None)
        if not self.is_attached or strip is None:
            return
        strip.display = bool(due)
        strip.update(Text(due_line(due, self.size.width - 2, self.lobby.lang)) if due else "")

    def show(self, board: Board) -> None:
        self.board = board
        # A refresh that lands after sign-out (the board gone), or while F2 recomposes it (the tables
        # not yet given their columns again): kept, and shown by after_relabel or not at all.
        tables = self.query("#recent").results(DataTable)
        table = next(tables, None)
        if not self.is_attached or table is None or not table.columns:
            return
        lobby = self.lobby
        staff, shift = lobby.staff, lobby.shift
        who = self.t("board.shift", name=staff.name, time=shift.opened_ts[11:16]) if staff and shift else ""
        status = Text(f"{who}   {self.t('board.in_branch', n=board.in_branch)}")
        long = self._long_waits(board)
        if long:
            status.append("  ")
            status.append(self.t("board.long_waits", n=len(long)), style="bold reverse")
        self.query_one("#board-status", Static).update(status, layout=False)  # one line, full width
        self.query_one(WaitingStrip).show(board.waiting, board.estimates)
        self._fill("#recent", board.recent, board)
        self._fill_leads(board)
        self._cursor_to_top = False
        # An empty table would push its hint to the bottom of the screen: show the hint instead.
        rows_of: tuple[tuple[str, list[Any]], ...] = (("recent", board.recent), ("follow", board.leads))
        for name, rows in rows_of:
            self.query_one(f"#{name}").display = bool(rows)
            self.query_one(f"#{name}-empty").display = not rows
        # A table hidden while empty cannot hold focus; once it has rows, the arrow keys are for it.
        table = self._table()
        if table.display and not isinstance(self.focused, DataTable):
            table.focus()
        if self._cursor_after is not None:
            self._move_to_next_waiting(self._cursor_after)
            self._cursor_after = None

    def _fill(self, table_id: str, visits: list[Visit], board: Board) -> None:
        table = self.query_one(table_id, DataTable)
        lang = self.lobby.lang
        rules, tiers = guidance_rules(), tier_table()
        selected = None if self._cursor_to_top else self._selected_id(table)
        long_wait = rules.settings["long_wait_minutes"]
        rows: list[tuple[str, tuple[Text, ...]]] = []
        for v in visits:
            name = mask_name(board.names.get(v.customer_id or "", "")) or self.t("walkin.unknown")
            waited = self._waited(v, board)
            wait = self.t("board.wait_min", n=waited) if waited is not None else ""
            long = waited is not None and waited >= long_wait and not v.called_ts
            called = v.outcome == "waiting" and v.called_ts
            cells = {
                "time": v.ts[11:16] if table_id == "#recent" else v.ts[5:10],
                "ticket": v.ticket or "",
                "outcome": self.t("outcome.called" if called else f"outcome.{v.outcome}"),
                "wait": f"!{wait}" if long else wait,
                "customer": name,
                "tier": tiers.tier(v.tier).short[lang] if v.tier else "",
                "dest": rules.destinations[v.destination].label[lang] if v.destination else "",
                "reason": rules.reason(v.reason).label[lang],
            }
            styles = {"wait": "bold reverse"} if long else {}
            rows.append((v.id, tuple(Text(cells[c], style=styles.get(c, "")) for c in COLUMNS)))
        self._refill(table, rows, selected)

    @staticmethod
    def _waited(visit: Visit, board: Board) -> int | None:
        """Whole minutes a waiting customer has waited (to their call, once called); None otherwise."""
        if visit.outcome != "waiting" or not board.now:
            return None
        return max(0, int(minutes_between(visit.waiting_since, visit.called_ts or board.now)))

    def _long_waits(self, board: Board) -> list[tuple[int, Visit]]:
        """(minutes, visit) of the customers waiting past settings.long_wait_minutes, longest first."""
        long_wait = guidance_rules().settings["long_wait_minutes"]
        found = []
        for v in board.recent:
            waited = self._waited(v, board)
            if waited is not None and waited >= long_wait and not v.called_ts:
                found.append((waited, v))
        return sorted(found, key=lambda x: -x[0])

    def _fill_leads(self, board: Board) -> None:
        from lobby_tui.render import lead_owner, lead_why
        from lobby_tui.ui.screens.leads import lead_customer

        table = self.query_one("#follow", DataTable)
        lang = self.lobby.lang
        selected = self._selected_id(table)
        rows: list[tuple[str, tuple[Text, ...]]] = []
        for lead in board.leads:
            cells = {
                "made": lead.created_ts[5:10],
                "customer": lead_customer(lead, lang),
                "status": self.t(
                    "board.lead_owner", status=self.t(f"lead.status.{lead.status}"), owner=lead_owner(lead, lang)
                ),
                "why": lead_why(lead, lang),
            }
            rows.append((lead.id, tuple(Text(cells[c]) for c in LEAD_COLUMNS)))
        self._refill(table, rows, selected)

    def _refill(self, table: DataTable[Text], rows: list[tuple[str, tuple[Text, ...]]], selected: str | None) -> None:
        """The table's rows (key, cells) as given, the cursor on `selected` if it is still there (else
        on top). The refresh every REFRESH_SECONDS mostly finds the rows as shown: DataTable.set_rows
        leaves them alone then."""
        if not table.set_rows(rows):
            if selected is None and table.row_count:
                table.move_cursor(row=0)
        elif selected is not None and selected in [key for key, _ in rows]:
            table.move_cursor(row=table.get_row_index(selected))

    @staticmethod
    def _selected_id(table: DataTable[Text]) -> str | None:
        if table.row_count == 0:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return key.value

    def _table(self) -> DataTable[Text]:
        tabs = self.query_one(TabbedContent)
        return self.query_one("#follow" if tabs.active == "tab-follow" else "#recent", DataTable)

    def _visits_shown(self) -> list[Visit]:
        if self.board is None:
            return []
        return [] if self.query_one(TabbedContent).active == "tab-follow" else self.board.recent

    def _move_to_next_waiting(self, after_id: str) -> None:
        """After acting on a visit, the next customer still waiting below it (or from the top)."""
        visits = self._visits_shown()
        ids = [v.id for v in visits]
        start = ids.index(after_id) + 1 if after_id in ids else 0
        order = visits[start:] + visits[:start]
        for visit in order:
            if visit.outcome == "waiting":
                self._table().move_cursor(row=ids.index(visit.id))
                return

    # ------------------------------------------------------------ actions

    def action_new_customer(self) -> None:
        # One greeting screen for every customer of the sign-in (ui/kept.py).
        greet, kept = self.lobby.kept("greeting", _new_greeting).get(self.app, self.lobby.lang)
        if kept:
            greet.next_customer()
        self.app.push_screen(greet)

    def _current_visit(self) -> Visit | None:
        visit_id = self._selected_id(self._table())
        visit = next((v for v in self._visits_shown() if v.id == visit_id), None)
        if visit is None:
            self.notify(self.t("board.pick_first"), severity="warning")
        return visit

    def _set_outcome(self, visit: Visit, outcome: str, destination: str | None = None) -> None:
        store, staff = self.lobby.store, self.lobby.staff
        staff_id = staff.id if staff else None

        def write() -> tuple[Visit, Visit, Board]:
            before = store.get_visit(visit.id)
            after = store.set_outcome(visit.id, outcome, staff_id=staff_id, destination=destination)
            return before, after, store.board()

        self._cursor_after = visit.id
        # Keys typed meanwhile (a second `s`) wait for the board with the cursor on the next customer.
        self.db(write, self._outcome_set, group="outcome", hold_keys=True)

    def _outcome_set(self, change: tuple[Visit, Visit, Board]) -> None:
        before, after, board = change
        self.undoable = Undoable(before, after, time.monotonic() + UNDO_SECONDS)
        self.set_timer(UNDO_SECONDS, self._undo_expired)
        self.refresh_bindings()
        if after.redirected_from != before.redirected_from or after.ticket != before.ticket:
            what = self.t("board.did.redirected")
        elif after.done_ts and not before.done_ts:
            what = self.t("board.did.done")
        elif after.called_ts and not before.called_ts:
            what = self.t("board.did.called")
        else:
            what = self.t(f"board.did.{after.outcome}")
        dest = guidance_rules().destinations[after.destination].label[self.lobby.lang] if after.destination else ""
        self.notify(
            self.t("board.did_undo", what=what, ticket=after.ticket or "—", dest=dest, n=int(UNDO_SECONDS)),
            timeout=UNDO_SECONDS,
            markup=False,
        )
        self.show(board)

    def _undo_expired(self) -> None:
        if self.undoable is not None and time.monotonic() >= self.undoable.until:
            self.undoable = None
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":  # in the Footer only while there is something to take back (False hides it)
            return self.undoable is not None and time.monotonic() < self.undoable.until
        return True

    def action_undo(self) -> None:
        undo = self.undoable
        if undo is None or time.monotonic() >= undo.until:
            return
        self.undoable = None
        self.refresh_bindings()
        store, staff = self.lobby.store, self.lobby.staff
        staff_id = staff.id if staff else None
        self._cursor_after = None

        def undo_now() -> tuple[Visit, Board]:
            return store.undo_outcome(undo.before, staff_id=staff_id), store.board()

        def undone(result: tuple[Visit, Board]) -> None:
            visit, board = result
            self.notify(self.t("board.undone", ticket=visit.ticket or "—"), markup=False)
            self.show(board)

        self.db(undo_now, undone, group="outcome", hold_keys=True)

    def action_served(self) -> None:
        visit = self._current_visit()
        if visit is not None:
            self._set_outcome(visit, "served")

    def _ticket_step(self, step: str) -> None:
        """`c` (called to a window) or `d` (done) on the highlighted visit; `u` takes it back."""
        visit = self._current_visit()
        if visit is None:
            return
        if visit.outcome != "waiting" or (step == "call" and visit.called_ts):
            key = "ticket.already_called" if visit.called_ts and visit.outcome == "waiting" else "board.not_waiting"
            time = (visit.called_ts or "")[11:16]
            self.notify(self.t(key, ticket=visit.ticket or "—", time=time), severity="warning", markup=False)
            return
        store, staff = self.lobby.store, self.lobby.staff
        staff_id = staff.id if staff else None

        def write() -> tuple[Visit, Visit, Board]:
            before = store.get_visit(visit.id)
            if step == "call":
                after = store.call_visit(visit.id, staff_id=staff_id, source="board")
            else:
                after = store.done_visit(visit.id, staff_id=staff_id, source="board")
            return before, after, store.board()

        self._cursor_after = visit.id
        self.db(write, self._outcome_set, on_input_error=self._refused, group="outcome", hold_keys=True)

    def action_call(self) -> None:
        self._ticket_step("call")

    def action_done(self) -> None:
        self._ticket_step("done")

    def action_offer(self) -> None:
        """A customer waiting long (the highlighted one, else whoever has waited longest): comfort
        them, send them elsewhere, or give them priority - `o` then 1, 2 or 3; audited."""
        from lobby_tui.ui.screens.leads import ChoicePicker

        board = self.board
        if board is None:
            return
        long = self._long_waits(board)
        chosen_id = self._selected_id(self._table())
        target = next(((m, v) for m, v in long if v.id == chosen_id), long[0] if long else None)
        if target is None:
            n = guidance_rules().settings["long_wait_minutes"]
            current = next((v for v in self._visits_shown() if v.id == chosen_id), None)
            ticket = current.ticket if current and current.ticket else "—"
            self.notify(self.t("board.offer_not_long", ticket=ticket, n=n), severity="warning", markup=False)
            return
        minutes, visit = target
        store, staff = self.lobby.store, self.lobby.staff
        staff_id = staff.id if staff else None

        def picked(choice: str | None) -> None:
            if choice is None:
                return
            self.db(
                lambda: store.long_wait_offer(visit.id, choice, minutes=minutes, staff_id=staff_id),
                lambda _: None,
                group="offer",
            )
            if choice == "comfort":
                self.notify(self.t("board.offered.comfort", ticket=visit.ticket or "—"), markup=False)
            elif choice == "redirect":
                self._redirect(visit)
            elif visit.destination != "priority_counter":
                self._set_outcome(visit, "redirected", "priority_counter")

        choices = [(c, self.t(f"board.offer.{c}")) for c in ("comfort", "redirect", "priority")]
        title = self.t("board.offer_title", ticket=visit.ticket or "—", n=minutes)
        self.app.push_screen(ChoicePicker(title, choices), picked)

    def action_rate(self) -> None:
        """The customer rates the highlighted visit: the rating screen, turned toward them (`v`)."""
        from lobby_tui.ui.screens.feedback import Rating, RatingScreen

        visit = self._current_visit()
        if visit is None:
            return
        store, staff, shift = self.lobby.store, self.lobby.staff, self.lobby.shift

        def rated(rating: Rating | None) -> None:
            if rating is None:
                return
            self.db(
                lambda: store.record_feedback(
                    visit.id,
                    rating.score,
                    rating.reason,
                    staff_id=staff.id if staff else None,
                    shift_id=shift.id if shift else None,
                ),
                self._rated,
                on_input_error=self._refused,
                group="rate",
            )

        self.db(
            lambda: store.check_rateable(visit.id),
            lambda _: self.app.push_screen(RatingScreen(), rated),
            on_input_error=self._refused,
            group="rate",
            hold_keys=True,
        )

    def _rated(self, feedback: Feedback) -> None:
        from lobby_tui.domain.feedback import feedback_rules
        from lobby_tui.i18n import annotated

        label = annotated(
            str(feedback.score), feedback_rules().button(feedback.score).label[self.lobby.lang], self.lobby.lang
        )
        self.notify(self.t("feedback.thanks", label=label), markup=False)

    def action_windows(self) -> None:
        from lobby_tui.ui.screens.windows import WindowsScreen

        store = self.lobby.store

        def closed(_: None) -> None:
            self.refresh_board()

        self.db(
            store.open_windows,
            lambda w: self.app.push_screen(WindowsScreen(w), closed),
            group="windows",
            hold_keys=True,
        )

    def action_left(self) -> None:
        from lobby_tui.ui.screens.pickers import YesNoScreen

        visit = self._current_visit()
        if visit is None:
            return
        if visit.outcome != "served":
            self._set_outcome(visit, "left")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._set_outcome(visit, "left")

        question = self.t("board.left_served", ticket=visit.ticket or "—")
        self.app.push_screen(YesNoScreen(question, self.t("board.left_yes"), self.t("board.left_no")), answered)

    def action_redirect(self) -> None:
        visit = self._current_visit()
        if visit is not None:
            self._redirect(visit)

    def _redirect(self, visit: Visit) -> None:
        from lobby_tui.ui.screens.pickers import DestinationPicker

        estimates = self.board.estimates if self.board else {}

        def picked(destination: str | None) -> None:
            if destination and destination != visit.destination:
                self._set_outcome(visit, "redirected", destination)

        minutes = {code: whole_minutes(e.minutes) for code, e in estimates.items()}
        self.app.push_screen(
            DestinationPicker(tuple(guidance_rules().destinations), visit.destination, minutes), picked
        )

    @on(DataTable.RowSelected)
    def row_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter (or a tap) on a greeting in progress continues it; on any other visit, says what keys do."""
        visit = next((v for v in self._visits_shown() if v.id == event.row_key.value), None)
        if visit is None:
            return
        if visit.outcome != "in_progress":
            self.notify(self.t("board.row_keys"), markup=False)
            return
        self.resume(visit)

    def resume(self, visit: Visit) -> None:
        """Back into the greeting where it stopped: the guidance when the customer was identified or
        classified, else the lookup. Nothing about the visit is lost or counted twice."""
        from lobby_tui.ui.app import VisitDraft
        from lobby_tui.ui.screens.lookup import LookupScreen, classify_customer

        draft = VisitDraft(visit.id, visit.reason, visit.notes)
        store = self.lobby.store

        def customer() -> tuple[Customer | None, GuidanceFacts]:
            from lobby_tui.ui.screens.guidance import guidance_facts

            found = store.get_customer(visit.customer_id) if visit.customer_id else None
            return found, guidance_facts(store, found.id if found else None)

        def go(result: tuple[Customer | None, GuidanceFacts]) -> None:
            from lobby_tui.ui.screens.guidance import GuidanceScreen

            found, facts = result
            if found is not None:
                draft.customer = found
                draft.classification = classify_customer(found, store.clock().date())
            elif visit.tier:  # a walk-in classified by assets: what was worked out then
                draft.classification = Classification(
                    visit.tier, visit.tier, visit.quality, visit.potential_quality, age=None
                )
            self.app.push_screen(LookupScreen(draft, resumed=True))
            if draft.classification is not None:
                self.app.push_screen(GuidanceScreen(draft, facts))

        self.db(customer, go, group="resume", hold_keys=True)

    def action_follow_up(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "tab-recent" if tabs.active == "tab-follow" else "tab-follow"
        self._table().focus()

    def action_assign(self) -> None:
        """The highlighted lead (leads tab) to an account manager: the one on duty is offered first."""
        from lobby_tui.ui.screens.leads import ChoicePicker, lead_customer

        tabs = self.query_one(TabbedContent)
        if tabs.active != "tab-follow":
            self.action_follow_up()
            return
        lead_id = self._selected_id(self._table())
        lead = next((x for x in (self.board.leads if self.board else []) if x.id == lead_id), None)
        if lead is None:
            self.notify(self.t("board.pick_first"), severity="warning")
            return
        if lead.status != "new":
            self.notify(self.t("board.lead_not_new"), severity="warning")
            return
        store, staff = self.lobby.store, self.lobby.staff
        assert staff is not None

        def chosen(to: str | None) -> None:
            if to is None:
                return

            def write() -> Board:
                store.assign_lead(lead.id, staff.id, to)
                return store.board()

            def done(board: Board) -> None:
                who = next((x.owner_name for x in board.leads if x.id == lead.id), None) or to
                self.notify(self.t("board.assigned", who=who), markup=False)
                self.show(board)

            self.db(write, done, on_input_error=self._refused, group="assign", hold_keys=True)

        def managers(found: list[tuple[str, str, bool]]) -> None:
            if not found:
                self.notify(self.t("board.no_account_manager"), severity="warning")
                return
            choices = [
                (sid, f"{name} {sid}" + (f" ({self.t('pick.on_duty')})" if on_duty else ""))
                for sid, name, on_duty in found
            ]
            title = f"{self.t('board.assign_to')} {lead_customer(lead, self.lobby.lang)}"
            self.app.push_screen(ChoicePicker(title, choices), chosen)

        self.db(lambda: store.account_managers(staff.id), managers, on_input_error=self._refused, group="assign")

    def _refused(self, exc: InputError) -> None:
        self.notify(exc.message(self.lobby.lang), severity="error", markup=False)
        self.refresh_board()

    def action_check_in(self) -> None:
        """B: a booked customer is here - the due list, Enter checks them in (issue 11)."""
        from lobby_tui.ui.screens.appointments import open_due_list

        open_due_list(self)

    def action_book(self) -> None:
        """A: book an appointment for a customer of the directory."""
        from lobby_tui.ui.screens.appointments import start_booking

        start_booking(self)

    def action_sign_out(self) -> None:
        self.lobby.sign_out()

    def action_day_summary(self) -> None:
        from lobby_tui.ui.screens.shift_log import open_summary

        open_summary(self, self.lobby.kept("day_summary", _new_summary))

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
        yield self.t("key.call"), "C", self.action_call
        yield self.t("key.done"), "D", self.action_done
        yield self.t("key.rate"), "V", self.action_rate
        yield self.t("key.offer"), "O", self.action_offer
        yield self.t("key.windows"), "W", self.action_windows
        if self.check_action("undo", ()) is True:
            yield self.t("key.undo"), "U", self.action_undo
        yield self.t("key.check_in"), "B", self.action_check_in
        yield self.t("key.book"), "A", self.action_book
        yield self.t("key.follow_up"), "F", self.action_follow_up
        yield self.t("key.assign"), "G", self.action_assign
        yield self.t("key.day_summary"), "E", self.action_day_summary
        yield self.t("key.shift_log"), "L", self.action_shift_log
        yield self.t("key.sign_out"), "ctrl+o", self.action_sign_out
