"""The lobby manager's end of day: the day's summary, and the shift log (patrol checks, incidents, the
handover note, corrections, closing the shift); and the supervisor's question, shown at sign-in.

Closing the shift locks it in the store; after that a correction is the only way to put something right.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Input

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.patrol import patrol_checklist
from lobby_tui.domain.shiftlog import LogEntry, ShiftLog, ShiftRecord, VisitPage
from lobby_tui.i18n import annotated, tr
from lobby_tui.report import day_report, status_text
from lobby_tui.ui.base import LobbyScreenMixin, localize_bindings
from lobby_tui.ui.kept import KeptScreen, Reshown
from lobby_tui.ui.screens.forms import APP_KEYS, BoxedInput, ConfirmScreen, Field, FieldError, FooterFit, FormScreen
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Button, Static
from lobby_tui.ui.widgets.plain_lists import Option, OptionList, Select
from lobby_tui.ui.widgets.rich_once import RichOnce
from lobby_tui.ui.widgets.shift_view import ShiftView

if TYPE_CHECKING:
    from lobby_tui.ui.app import LobbyApp

VISIT_PAGE = 100
# report.day_report: the head, referrals, by tier, by destination, by reason, by hour, leads, appointments,
# the customers' ratings
SUMMARY_PARTS = 9


# ---------------------------------------------------------------- the day's summary


class DaySummaryScreen(FooterFit, LobbyScreenMixin, Reshown, Screen[None]):
    """Today's figures: the same function and tables as `lobby-tui summary` (the screen does not name
    the command: a lobby manager has no use for it), and the referrals."""

    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("r", "refresh", "key.refresh", id="refresh"),
        Binding("l", "shift_log", "key.shift_log", id="shift_log"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = ("back", "shift_log", "refresh", "toggle_lang", "toggle_contrast", "lock")

    def __init__(self, day: str | None = None, figures: dict[str, Any] | None = None) -> None:
        """figures: the day's, read before the screen opened (open_summary); else it reads them."""
        super().__init__()
        self.day = day
        self.figures = figures

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary-body"):
            yield Static(self.t("summary.loading"), id="summary-head", classes="hint")
            with Grid(id="summary-grid"):
                for n in range(SUMMARY_PARTS):
                    yield Static("", id=f"summary-part-{n}", classes="summary-part")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        if self.figures is None:
            self.action_refresh()
        else:
            self.show(self.figures)
        self.query_one("#summary-body").focus()

    def after_relabel(self) -> None:
        if self.figures is not None:
            self.show(self.figures)

    def action_refresh(self) -> None:
        store = self.lobby.store
        day = self.day or store.today()
        self.db(lambda: store.day_summary(day), self.show, group="summary")

    def show(self, figures: dict[str, Any]) -> None:
        self.figures = figures
        self.query_one("#summary-head", Static).update(self.t("shiftlog.summary_hint"))
        grid = self.query_one("#summary-grid", Grid)
        for n, part in enumerate(day_report(figures, self.lobby.lang)):
            found = self.query(f"#summary-part-{n}").results(Static)
            slot = next(found, None)
            if slot is None:  # a figure added since SUMMARY_PARTS was counted: a part more, not an error
                slot = Static("", id=f"summary-part-{n}", classes="summary-part")
                grid.mount(slot)
            slot.update(RichOnce(slot, part))

    def again(self, figures: dict[str, Any] | None) -> None:
        """Shown again (a kept screen, ui/kept.py) with today's figures, or reading them."""
        self.query_one("#summary-body", VerticalScroll).scroll_home(animate=False)
        self.query_one("#summary-body").focus()
        if figures is None:
            self.figures = None
            self.query_one("#summary-head", Static).update(self.t("summary.loading"))
            self.action_refresh()
        else:
            self.show(figures)

    def action_shift_log(self) -> None:
        stack = self.app.screen_stack
        if len(stack) > 1 and isinstance(stack[-2], ShiftLogScreen) and stack[-2].shift_id is None:
            self.app.pop_screen()  # came from the shift log: back to it
        else:
            self.app.switch_screen(ShiftLogScreen())

    def action_back(self) -> None:
        self.app.pop_screen()

    def screen_commands(self):  # type: ignore[no-untyped-def]
        yield self.t("key.shift_log"), "L", self.action_shift_log
        yield self.t("key.refresh"), "R", self.action_refresh
        yield self.t("key.back"), "Esc", self.action_back


def open_summary(screen: Any, kept: KeptScreen[DaySummaryScreen] | None = None) -> None:
    """Today's summary, from `screen` (a LobbyScreenMixin): opened with the figures read first.
    With `kept`, the summary screen it keeps is shown again with them (ui/kept.py)."""
    store = screen.lobby.store

    def summary(figures: dict[str, Any] | None) -> DaySummaryScreen:
        if kept is None:
            return DaySummaryScreen(figures=figures)
        shown, again = kept.get(screen.app, screen.lobby.lang)
        if again:
            shown.again(figures)
        else:
            shown.figures = figures
        return shown

    screen.open_read(lambda: store.day_summary(store.today()), summary, group="summary")


# ---------------------------------------------------------------- patrol

# Each item's mark: the sign, the word beside it, the colour (only ever in addition to the word).
MARKS: dict[bool | None, tuple[str, str, str]] = {
    None: ("☐", "shiftlog.item.unchecked", "bold"),
    True: ("✓", "shiftlog.item.ok", "bold green"),
    False: ("✗", "shiftlog.item.fault", "bold reverse red"),
}


class PatrolItem(Static, can_focus=True):
    """One checklist item, marked ☐ not checked yet, ✓ all right or ✗ a fault, in a sign and a word so
    that it reads the same without colour. Space or Enter: ✓ (again: back to ☐); X (on the screen): ✗;
    a tap goes ☐ → ✓ → ✗ → ☐."""

    DEFAULT_CSS = """
    PatrolItem { width: 100%; height: auto; }
    PatrolItem:focus { background: $boost; text-style: bold; }
    PatrolItem:focus .patrol-pointer { color: $accent; }
    """
    BINDINGS = [
        Binding("space,enter", "mark_ok", "key.mark_ok", show=False, id="mark_ok"),
        Binding("up", "previous_item", "key.previous_item", show=False, id="previous_item"),
        Binding("down", "next_item", "key.next_item", show=False, id="next_item"),
    ]

    class Marked(Message):
        def __init__(self, item: PatrolItem) -> None:
            super().__init__()
            self.item = item

    def __init__(self, code: str, number: int, label: str, lang: str, state: bool | None) -> None:
        self.code, self.number, self.label, self.lang = code, number, label, lang
        self.state = state
        super().__init__(self.line(), id=f"item-{code}", classes="patrol-item")

    def on_mount(self) -> None:
        localize_bindings(self, self.lang)

    def line(self, focused: bool = False) -> Text:
        words = [tr(MARKS[state][1], self.lang) for state in MARKS]
        width = max(cell_len(w) for w in words)
        sign, word_key, style = MARKS[self.state]
        word = tr(word_key, self.lang)
        return Text.assemble(
            "▸" if focused else " ",  # where Space and X act, without relying on colour
            (f"{sign} {word}", style),
            " " * (width - cell_len(word) + 1),
            f"{self.number} {self.label}",
        )

    def on_focus(self) -> None:
        self.update(self.line(True))

    def on_blur(self) -> None:
        self.update(self.line())

    def mark(self, state: bool | None) -> None:
        self.state = state
        self.update(self.line(self.has_focus))
        self.post_message(self.Marked(self))

    def action_mark_ok(self) -> None:
        self.mark(None if self.state is True else True)

    def action_previous_item(self) -> None:
        self.screen.focus_previous()

    def action_next_item(self) -> None:
        self.screen.focus_next()

    def mark_fault(self) -> None:
        self.mark(None if self.state is False else False)

    def on_click(self) -> None:
        self.mark({None: True, True: False, False: None}[self.state])


class PatrolScreen(FooterFit, LobbyScreenMixin, ModalScreen[LogEntry | None]):
    """One patrol round: each item marked ✓ all right or ✗ a fault; none may be left ☐ unchecked, and a
    fault needs a note. A refused submit says why and leaves the focus where it was, so the next key
    never types into the note by surprise."""

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", id="cancel"),
        Binding("ctrl+s", "submit", "key.submit", id="submit"),
        Binding("a", "rest_fine", "key.rest_fine", id="rest_fine"),
        Binding("x", "mark_fault", "key.mark_fault", id="mark_fault"),
        Binding("n", "to_note", "key.to_note", id="to_note"),
        *APP_KEYS,  # a dialog's bindings are all there are: ctrl+l (lock), F2 and F3 here too
    ]
    FOOTER_ORDER = ("submit", "rest_fine", "mark_fault", "to_note", "cancel")

    def __init__(self, shift_id: str, round_code: str | None) -> None:
        super().__init__()
        self.shift_id = shift_id
        checklist = patrol_checklist()
        self.round_code = round_code or checklist.rounds[0].code
        self.checks: dict[str, bool | None] = {item.code: None for item in checklist.items}

    def compose(self) -> ComposeResult:
        lang = self.lobby.lang
        checklist = patrol_checklist()
        with VerticalScroll(id="patrol-box", classes="dialog review-form"):
            yield Static(self.t("patrol.title"), classes="form-title")
            yield Select(
                [(f"{r.at} {r.label[lang]}", r.code) for r in checklist.rounds],
                id="round",
                value=self.round_code,
                allow_blank=False,
                compact=True,
            )
            yield Static(self.t("shiftlog.patrol_hint"), classes="hint")
            for n, item in enumerate(checklist.items, start=1):
                yield PatrolItem(item.code, n, item.label[lang], lang, self.checks[item.code])
            yield BoxedInput(
                id="note",
                max_length=500,
                label=self.t("shiftlog.patrol_note"),
                placeholder=self.t("patrol.note_placeholder"),
            )
            yield FieldError(id="patrol-error")
            with Horizontal(classes="buttons"):
                yield Button(self.t("key.submit"), id="submit", variant="primary")
                yield Button(self.t("shiftlog.with_key", text=self.t("key.rest_fine"), hotkey="A"), id="all-ok")
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.query_one(PatrolItem).focus()

    def item(self, number: int) -> PatrolItem:
        return list(self.query(PatrolItem).results(PatrolItem))[number - 1]

    def on_key(self, event: Any) -> None:
        key = getattr(event, "key", "")
        count = len(self.checks)
        if key.isdigit() and 1 <= int(key) <= count and not isinstance(self.focused, Input):
            event.stop()
            item = self.item(int(key))
            item.focus()
            item.action_mark_ok()

    @on(PatrolItem.Marked)
    def marked(self, event: PatrolItem.Marked) -> None:
        self.checks[event.item.code] = event.item.state
        self.query_one("#patrol-error", FieldError).update("")

    @on(Select.Changed, "#round")
    def round_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.round_code = event.value

    def action_mark_fault(self) -> None:
        if isinstance(self.focused, PatrolItem):
            self.focused.mark_fault()
        else:
            self.query_one("#patrol-error", FieldError).update(self.t("shiftlog.patrol_pick_item"))

    @on(Button.Pressed, "#all-ok")
    def action_rest_fine(self) -> None:
        """What the key says: every item not marked yet is marked ✓; a ✗ fault stays a fault."""
        for item in self.query(PatrolItem).results(PatrolItem):
            if item.state is None:
                item.mark(True)
        self.query_one("#submit", Button).focus()

    def action_to_note(self) -> None:
        self.query_one("#note", Input).focus()

    def _numbers(self, numbers: list[int]) -> str:
        return ("、" if self.lobby.lang == "zh" else ", ").join(str(n) for n in numbers)

    @on(Input.Submitted, "#note")
    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        note = self.query_one("#note", Input).value
        error = self.query_one("#patrol-error", FieldError)
        checklist = patrol_checklist()
        unchecked = [n for n, _ in checklist.unchecked(self.checks)]
        faults = [n for n, item in enumerate(checklist.items, start=1) if self.checks[item.code] is False]
        # Refused: say why, and leave the focus where it is (the next key must not type into the note).
        if unchecked:
            error.update(self.t("shiftlog.patrol_still_to_check", items=self._numbers(unchecked)))
            return
        if faults and not note.strip():
            error.update(self.t("shiftlog.patrol_fault_note", items=self._numbers(faults)))
            return
        error.update("")
        store, staff = self.lobby.store, self.lobby.staff
        assert staff is not None
        shift_id, round_code = self.shift_id, self.round_code
        checks = {code: state is True for code, state in self.checks.items()}
        self.db(
            lambda: store.add_patrol(shift_id, staff.id, round_code, checks, note),
            self.dismiss,
            on_input_error=self.refused,
            group="patrol",
        )

    def refused(self, exc: InputError) -> None:
        self.query_one("#patrol-error", FieldError).update(exc.message(self.lobby.lang))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def screen_commands(self):  # type: ignore[no-untyped-def]
        yield self.t("key.rest_fine"), "A", self.action_rest_fine
        yield self.t("key.mark_fault"), "X", self.action_mark_fault
        yield self.t("key.to_note"), "N", self.action_to_note
        yield self.t("key.submit"), "ctrl+s", self.action_submit
        yield self.t("key.cancel"), "Esc", self.action_cancel


# ---------------------------------------------------------------- the shift log


def plural(key: str, n: int, lang: str) -> str:
    """`key`_one for one, `key`_many otherwise (English needs both; Chinese has the same text)."""
    return tr(f"{key}_one" if n == 1 else f"{key}_many", lang, n=n)


def carry_text(s: ShiftRecord, lang: str) -> str:
    """Customers this shift took over from an earlier one, and those it carried over when it closed."""
    parts = []
    if s.carried_in:
        parts.append(plural("shiftlog.carried_in", s.carried_in, lang))
    if s.carried_out:
        out = plural("shiftlog.carried_out", s.carried_out, lang)
        if s.carried_pending:
            out += tr("shiftlog.carried_pending", lang, n=s.carried_pending)
        parts.append(out)
    return "\n".join(parts)


def start_correction(screen: Any, on_saved: Any) -> None:
    """Correct the entry selected in `screen`'s ShiftView (the lobby manager's log and the
    supervisor's shift detail both do this); a question or its answer is not corrected."""
    target = screen.query_one(ShiftView).selected()
    if target is None:
        screen.notify(screen.t("correction.pick_first"), severity="warning")
        return
    if target[0] in ("question", "answer"):
        screen.notify(screen.t("correction.not_correctable"), severity="warning")
        return
    screen.app.push_screen(correction_form(screen.lobby, target), on_saved)


def correction_form(app: LobbyApp, target: tuple[str, str, str]) -> FormScreen:
    """What is right, and why: a new entry pointing at the visit or entry it corrects."""
    kind, target_id, line = target
    store, staff = app.store, app.staff
    assert staff is not None

    def work(values: dict[str, str]) -> Any:
        return lambda: store.add_correction(staff.id, target_id, values["text"], values["reason"])

    return FormScreen(
        "correction.title",
        [
            Field(
                "text",
                "correction.text",
                "correction.text_needed",
                errors=("correction.text", "text."),
                placeholder="correction.text_placeholder",
            ),
            Field(
                "reason",
                "correction.reason",
                "correction.reason_needed",
                errors=("correction.reason",),
                placeholder="correction.reason_placeholder",
            ),
        ],
        work,
        intro=tr("correction.intro", app.lang, what=tr(f"log.target.{kind}", app.lang), line=line),
        box_id="correction-box",
    )


class ShiftLogScreen(FooterFit, LobbyScreenMixin, Screen[None]):
    """The lobby manager's shift log: the current shift by default, or an earlier one (read-only but for
    corrections).

    The Footer shows the keys of FOOTER_ORDER that fit (closing the shift among the first); every key
    is also in the command palette (ctrl+p)."""

    BINDINGS = [
        Binding("p", "patrol", "key.patrol", id="patrol"),
        Binding("i", "incident", "key.incident", id="incident"),
        Binding("h", "handover", "key.handover", id="handover"),
        Binding("k", "close_shift", "key.close_shift", id="close_shift"),
        Binding("c", "correct", "key.correct", id="correct"),
        Binding("t", "next_tab", "key.next_tab", id="next_tab"),
        Binding("o", "earlier", "key.earlier", id="earlier"),
        Binding("e", "day_summary", "key.day_summary", id="day_summary"),
        Binding("escape", "back", "key.back", id="back"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = ("patrol", "close_shift", "incident", "handover", "back", "correct", "day_summary", "next_tab")
    DEFAULT_CSS = """
    ShiftLogScreen #carry-line { height: auto; padding: 0 1; }
    """
    OPEN_ONLY = ("patrol", "incident", "handover", "close_shift")

    def __init__(self, shift_id: str | None = None) -> None:
        super().__init__()
        self.shift_id = shift_id
        self.shift_log: ShiftLog | None = None
        self.pages: list[VisitPage] = []
        self.pending: str | None = None  # an action asked for before the log was loaded: it runs then

    @property
    def current_id(self) -> str | None:
        shift = self.lobby.shift
        return self.shift_id or (shift.id if shift else None)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="log-status")
        yield Static("", id="rounds")
        yield Static("", id="handover-line")
        yield Static("", id="carry-line")
        yield ShiftView(self.lobby.lang, id="shift-view")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        self.reload(visits=True)
        self.query_one(ShiftView).focus_table()

    def after_relabel(self) -> None:
        if self.shift_log is not None:
            self.show(self.shift_log)
        view = self.query_one(ShiftView)
        for page in self.pages:
            view.add_visits(page)

    def on_screen_resume(self) -> None:
        if self.shift_log is not None:  # back from the board or the summary: visits may have changed
            self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.OPEN_ONLY and self.shift_log is not None and self.shift_log.shift.locked:
            return None  # shown, but disabled: a closed shift is locked
        return True

    # ------------------------------------------------------------ loading

    def reload(self, *, visits: bool = False) -> None:
        store, staff, shift_id = self.lobby.store, self.lobby.staff, self.current_id
        if staff is None or shift_id is None:
            return
        self.db(lambda: store.shift_log(shift_id, staff.id), self.show, group="log")
        if visits:
            self.more_visits(0)

    def more_visits(self, offset: int) -> None:
        store, staff, shift_id = self.lobby.store, self.lobby.staff, self.current_id
        assert staff is not None and shift_id is not None
        self.db(
            lambda: store.shift_visits(shift_id, staff.id, offset=offset, limit=VISIT_PAGE),
            self.got_visits,
            group="visits",
        )

    def got_visits(self, page: VisitPage) -> None:
        self.pages = [p for p in self.pages if p.offset < page.offset] + [page]
        self.query_one(ShiftView).add_visits(page)

    @on(ShiftView.NeedMoreVisits)
    def need_more(self) -> None:
        self.more_visits(len(self.query_one(ShiftView).visits))

    def show(self, log: ShiftLog) -> None:
        self.shift_log = log
        lang = self.lobby.lang
        s = log.shift
        status = status_text(s.status, lang)
        head = self.t("log.head", name=s.staff_name, day=s.day, time=s.opened_ts[11:16])
        store = self.lobby.store
        if store.device_id != store.meta("device_id"):  # a tablet of `lobby-tui serve`: which one
            head += " · " + self.t("list.device", device=s.device_id[:8])
        self.query_one("#log-status", Static).update(Text.assemble(head + "  ", status))
        checklist = patrol_checklist()
        done = log.rounds_done
        marks = Text()
        for r in checklist.rounds:
            marks.append(f"✓{r.at} " if r.code in done else f"·{r.at} ", style="green" if r.code in done else "")
        upcoming = checklist.next_round(self.lobby.store.clock().strftime("%H:%M"), done)
        if upcoming is not None and not s.locked:
            marks.append(self.t("log.next_round", round=upcoming.label[lang]), style="bold")
        self.query_one("#rounds", Static).update(Text.assemble(self.t("log.rounds"), marks))
        note = s.handover_note or self.t("log.no_handover")
        self.query_one("#handover-line", Static).update(self.t("log.handover", text=note))
        carry = self.query_one("#carry-line", Static)
        carry.update(carry_text(s, lang))
        carry.display = bool(s.carried_in or s.carried_out)
        self.query_one(ShiftView).show_log(log)
        self.refresh_bindings()
        pending, self.pending = self.pending, None
        if pending is not None:
            getattr(self, f"action_{pending}")()

    # ------------------------------------------------------------ actions

    def _open_shift_id(self, action: str) -> str | None:
        if self.shift_log is None:  # a fast key before the log is read: done once it is
            self.pending = action
            return None
        if self.shift_log.shift.locked:
            self.notify(self.t("shift.closed"), severity="warning")
            return None
        return self.shift_log.shift.id

    def action_patrol(self) -> None:
        shift_id = self._open_shift_id("patrol")
        if shift_id is None or self.shift_log is None:
            return
        now = self.lobby.store.clock().strftime("%H:%M")
        upcoming = patrol_checklist().next_round(now, self.shift_log.rounds_done)
        self.app.push_screen(PatrolScreen(shift_id, upcoming.code if upcoming else None), self._saved)

    def action_incident(self) -> None:
        shift_id = self._open_shift_id("incident")
        if shift_id is None:
            return
        lang, store, staff = self.lobby.lang, self.lobby.store, self.lobby.staff
        assert staff is not None
        kinds = tuple((k.label[lang], k.code) for k in patrol_checklist().incidents)

        def work(values: dict[str, str]) -> Any:
            return lambda: store.add_incident(shift_id, staff.id, values["kind"], values["text"])

        self.app.push_screen(
            FormScreen(
                "incident.title",
                [
                    Field("kind", "incident.kind", options=kinds),
                    Field(
                        "text",
                        "incident.text",
                        "incident.text_needed",
                        errors=("incident.", "text."),
                        placeholder="incident.placeholder",
                    ),
                ],
                work,
                box_id="incident-box",
            ),
            self._saved,
        )

    def action_handover(self) -> None:
        shift_id = self._open_shift_id("handover")
        if shift_id is None or self.shift_log is None:
            return
        store, staff = self.lobby.store, self.lobby.staff
        assert staff is not None

        def work(values: dict[str, str]) -> Any:
            return lambda: store.set_handover(shift_id, staff.id, values["text"])

        self.app.push_screen(
            FormScreen(
                "handover.title",
                [
                    Field(
                        "text",
                        "handover.text",
                        "handover.text_needed",
                        errors=("handover.", "text."),
                        value=self.shift_log.shift.handover_note or "",
                        placeholder="handover.placeholder",
                    )
                ],
                work,
                intro=self.t("handover.intro"),
                box_id="handover-box",
            ),
            self._saved,
        )

    def action_next_tab(self) -> None:
        self.query_one(ShiftView).next_tab()

    def action_correct(self) -> None:
        start_correction(self, self._saved)

    def close_text(self, log: ShiftLog) -> str:
        """The confirmation's text: customers still waiting first (they carry over), then what closing
        does, then what is missing."""
        lang, s = self.lobby.lang, log.shift
        lines = []
        if s.waiting:
            today = s.day == self.lobby.store.today()
            lines.append(plural(("shiftlog.close_waiting" if today else "shiftlog.close_stale"), s.waiting, lang))
        lines.append(self.t("close.text"))
        if not s.handover_note:
            lines.append(self.t("close.no_handover"))
        missing = [r.label[lang] for r in patrol_checklist().rounds if r.code not in log.rounds_done]
        if missing:
            lines.append(self.t("close.missing_rounds", rounds=("、" if lang == "zh" else ", ").join(missing)))
        return "\n".join(lines)

    def action_close_shift(self) -> None:
        shift_id = self._open_shift_id("close_shift")
        if shift_id is None or self.shift_log is None:
            return
        store, staff = self.lobby.store, self.lobby.staff
        assert staff is not None
        confirm = ConfirmScreen(
            "close.title",
            self.close_text(self.shift_log),
            lambda: store.close_shift(shift_id, staff.id),
            yes="key.close_shift",
        )
        self.app.push_screen(confirm, self._shift_closed)

        def fresh(log: ShiftLog) -> None:  # customers may have come or gone since the log was read
            self.show(log)
            text = self.close_text(log)
            if confirm.is_attached and text != confirm.text:
                confirm.text = text
                confirm.query_one("#confirm-text", Static).update(text)

        self.db(lambda: store.shift_log(shift_id, staff.id), fresh, group="close-check")

    # Not "_closed": Textual's MessagePump has an attribute of that name (found by test_ui_monkey).
    def _shift_closed(self, record: ShiftRecord | None) -> None:
        if record is None:
            return
        if record.carried_out:
            self.app.notify(plural("shiftlog.close_done_carried", record.carried_out, self.lobby.lang), timeout=8)
        else:
            self.app.notify(self.t("close.done"), timeout=8)
        if self.shift_id is None:  # the current shift: its day's work is over on this tablet
            self.lobby.sign_out()
        else:
            self.reload()

    def _saved(self, result: Any) -> None:
        if result is not None:
            self.reload(visits=isinstance(result, LogEntry) and result.kind == "correction")

    def action_earlier(self) -> None:
        store, staff = self.lobby.store, self.lobby.staff
        assert staff is not None

        def picked(shift_id: str | None) -> None:
            if shift_id:
                self.app.push_screen(ShiftLogScreen(shift_id))

        self.db(
            lambda: store.my_shifts(staff.id), lambda shifts: self.app.push_screen(EarlierShiftsScreen(shifts), picked)
        )

    def action_day_summary(self) -> None:
        stack = self.app.screen_stack
        if len(stack) > 1 and isinstance(stack[-2], DaySummaryScreen):
            self.app.pop_screen()  # came from the summary: back to it
        else:
            open_summary(self)

    def action_back(self) -> None:
        self.app.pop_screen()

    def screen_commands(self):  # type: ignore[no-untyped-def]
        yield self.t("key.patrol"), "P", self.action_patrol
        yield self.t("key.incident"), "I", self.action_incident
        yield self.t("key.handover"), "H", self.action_handover
        yield self.t("key.close_shift"), "K", self.action_close_shift
        yield self.t("key.correct"), "C", self.action_correct
        yield self.t("key.next_tab"), "T", self.action_next_tab
        yield self.t("key.earlier"), "O", self.action_earlier
        yield self.t("key.day_summary"), "E", self.action_day_summary
        yield self.t("key.back"), "Esc", self.action_back


class EarlierShiftsScreen(LobbyScreenMixin, ModalScreen[str | None]):
    """The lobby manager's own latest shifts, to read one or correct it."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="cancel")]

    def __init__(self, shifts: list[ShiftRecord]) -> None:
        super().__init__()
        self.shifts = shifts

    def compose(self) -> ComposeResult:
        lang = self.lobby.lang
        with VerticalScroll(id="earlier-box", classes="dialog review-form"):
            yield Static(self.t("earlier.title"), classes="form-title")
            options = OptionList(id="earlier-list")
            for s in self.shifts:
                label = Text.assemble(
                    f"{s.day} {s.opened_ts[11:16]}  ",
                    status_text(s.status, lang),
                    f"  {self.t('log.tab_visits_n', n=s.visits)}",
                )
                options.add_option(Option(label, id=s.id))
            yield options
            if not self.shifts:
                yield Static(self.t("earlier.none"), classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        options = self.query_one(OptionList)
        if self.shifts:
            options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


# ---------------------------------------------------------------- the supervisor's question, at sign-in


class QuestionScreen(LobbyScreenMixin, ModalScreen[ShiftRecord | None]):
    """A shift the supervisor sent back: their question, and the lobby manager's answer."""

    BINDINGS = [
        Binding("escape", "later", "key.later", id="later"),
        Binding("ctrl+s", "submit", "key.submit", id="submit"),
        Binding("f7", "open_shift", "key.open_shift", id="open_shift"),
    ]

    def __init__(self, shift: ShiftRecord, remaining: int = 0) -> None:
        super().__init__()
        self.shift = shift
        self.remaining = remaining

    def compose(self) -> ComposeResult:
        s = self.shift
        with VerticalScroll(id="question-box", classes="dialog review-form"):
            yield Static(self.t("question.title"), classes="form-title")
            yield Static(self.t("question.which", day=s.day, time=s.opened_ts[11:16]), classes="hint")
            yield Static(s.question or "", id="question-text", markup=False)
            yield BoxedInput(id="answer", max_length=500, label=self.t("question.answer"))
            yield FieldError(id="answer-error")
            if self.remaining:
                yield Static(self.t("question.more", n=self.remaining), classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(self.t("key.submit"), id="submit", variant="primary")
                yield Button(annotated(self.t("key.open_shift"), "F7", self.lobby.lang), id="open-shift")
                yield Button(self.t("key.later"), id="later")
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.query_one("#answer", Input).focus()

    @on(Input.Submitted, "#answer")
    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        text = self.query_one("#answer", Input).value
        if not text.strip():
            self.query_one("#answer-error", Static).update(self.t("answer.text_needed"))
            return
        store, staff, shift_id = self.lobby.store, self.lobby.staff, self.shift.id
        assert staff is not None
        self.db(
            lambda: store.answer_question(shift_id, staff.id, text),
            self.answered,
            on_input_error=self.refused,
            group="answer",
        )

    def answered(self, record: ShiftRecord) -> None:
        self.app.notify(self.t("question.sent"))
        self.dismiss(record)

    def refused(self, exc: InputError) -> None:
        self.query_one("#answer-error", Static).update(exc.message(self.lobby.lang))

    @on(Button.Pressed, "#open-shift")
    def action_open_shift(self) -> None:
        self.app.push_screen(ShiftLogScreen(self.shift.id))

    @on(Button.Pressed, "#later")
    def action_later(self) -> None:
        self.dismiss(None)


def show_returned_shifts(app: LobbyApp, shifts: list[ShiftRecord]) -> None:
    """At a lobby manager's sign-in: each shift sent back with a question, one after another.

    The sign-in reads them with the PIN check, so the first question is on screen before any key
    typed after the PIN is taken: those keys go to the question, never to the board beneath it."""
    staff = app.staff
    if staff is None:
        return

    def ask(shifts: list[ShiftRecord]) -> None:
        if shifts and app.staff is not None and app.staff.id == staff.id:
            app.push_screen(
                QuestionScreen(shifts[0], len(shifts) - 1),
                lambda answered: ask(shifts[1:]) if answered is not None else None,
            )

    ask(shifts)
