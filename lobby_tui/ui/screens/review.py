"""The supervisor's review: home, the shift list (filtered, paged), a shift's detail, sign-off and
sending a shift back with a question. Every action is checked again by the store: the screens only
offer what a supervisor may do."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.screen import Screen
from textual.widgets import Header, Input

from lobby_tui.domain.shiftlog import SHIFT_STATUSES, ShiftLog, ShiftRecord, VisitPage
from lobby_tui.i18n import annotated
from lobby_tui.report import status_text
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.screens.forms import APP_KEYS, BoxedInput, BoxedSelect, Field, FieldError, FooterFit, FormScreen
from lobby_tui.ui.screens.shift_log import VISIT_PAGE, start_correction
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Button, Static
from lobby_tui.ui.widgets.plain_lists import DataTable, Select
from lobby_tui.ui.widgets.shift_view import ShiftView

if TYPE_CHECKING:
    from lobby_tui.ui.screens.trends import TrendsScreen

LIST_PAGE = 50
PREFETCH = 10  # the next page is asked for while this many loaded rows are still below the cursor
ALL = "all"
NARROW = 70  # columns: under this the shift list leaves the device out of the table (it shows below)


def _date_or_error(text: str) -> tuple[str | None, bool]:
    text = text.strip()
    if not text:
        return None, True
    try:
        return date.fromisoformat(text).isoformat(), True
    except ValueError:
        return None, False


# ---------------------------------------------------------------- home


def _new_trends() -> TrendsScreen:
    from lobby_tui.ui.screens.trends import TrendsScreen

    return TrendsScreen()


class SupervisorHomeScreen(FooterFit, LobbyScreenMixin, Screen[None]):
    """Where a supervisor lands after signing in: what waits for them, and each part of their work."""

    BINDINGS = [
        Binding("1", "to_review", "key.to_review", id="to_review", show=False),
        Binding("2", "shifts", "key.shifts", id="shifts", show=False),
        Binding("3", "trends", "key.trends", id="trends", show=False),
        Binding("4", "compare", "key.compare", id="compare", show=False),
        Binding("5", "staff", "key.staff", id="staff", show=False),
        Binding("6", "export", "key.export", id="export", show=False),
        Binding("7", "board", "key.board", id="board", show=False),
        Binding("r", "refresh", "key.refresh", id="refresh"),
        Binding("ctrl+o", "sign_out", "key.sign_out", id="sign_out"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = ("refresh", "sign_out", "toggle_lang", "toggle_contrast", "lock")
    ITEMS = ("to_review", "shifts", "trends", "compare", "staff", "export", "board")

    def __init__(self) -> None:
        super().__init__()
        self.overview: dict[str, int] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="home-status")
        with Grid(id="home-menu"):
            for n, item in enumerate(self.ITEMS, start=1):
                yield Button(f"{n} {self.t('home.' + item)}", id=f"home-{item}", classes="home-item")
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.action_refresh()
        self.query_one(".home-item", Button).focus()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def after_relabel(self) -> None:
        if self.overview is not None:
            self.show(self.overview)

    def action_refresh(self) -> None:
        store, staff = self.lobby.store, self.lobby.staff
        if staff is not None:
            self.db(lambda: store.review_overview(staff.id), self.show, group="overview")

    def show(self, overview: dict[str, int]) -> None:
        self.overview = overview
        staff = self.lobby.staff
        line = self.t("home.status", name=staff.name if staff else "", **overview)
        self.query_one("#home-status", Static).update(line)
        to_review = annotated(self.t("home.to_review"), str(overview["to_review"]), self.lobby.lang)
        self.query_one("#home-to_review", Button).label = f"1 {to_review}"
        staff_label = self.t("home.staff")
        if overview["locked"]:
            staff_label = annotated(staff_label, self.t("home.locked", n=overview["locked"]), self.lobby.lang)
        self.query_one("#home-staff", Button).label = f"5 {staff_label}"

    @on(Button.Pressed, ".home-item")
    def pressed(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        getattr(self, f"action_{event.button.id.removeprefix('home-')}")()

    def action_to_review(self) -> None:
        self.app.push_screen(ShiftListScreen(status="closed"))

    def action_shifts(self) -> None:
        self.app.push_screen(ShiftListScreen())

    def action_trends(self) -> None:
        from lobby_tui.ui.screens.trends import open_trends

        open_trends(self, self.lobby.kept("trends", _new_trends))  # one trends screen (ui/kept.py)

    def action_compare(self) -> None:
        from lobby_tui.ui.screens.trends import CompareScreen

        self.app.push_screen(CompareScreen())

    def action_staff(self) -> None:
        from lobby_tui.ui.screens.staff import StaffScreen

        self.app.push_screen(StaffScreen())

    def action_export(self) -> None:
        from lobby_tui.ui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen())

    def action_board(self) -> None:
        from lobby_tui.ui.screens.board import BoardScreen

        self.app.push_screen(BoardScreen())

    def action_sign_out(self) -> None:
        self.lobby.sign_out()

    def screen_commands(self):  # type: ignore[no-untyped-def]
        for n, item in enumerate(self.ITEMS, start=1):
            yield self.t("home." + item), str(n), getattr(self, f"action_{item}")
        yield self.t("key.refresh"), "R", self.action_refresh
        yield self.t("key.sign_out"), "ctrl+o", self.action_sign_out


# ---------------------------------------------------------------- the shift list


class ShiftListScreen(FooterFit, LobbyScreenMixin, Screen[None]):
    """Shifts newest first, filtered by dates, device, lobby manager and status; 50 at a time. The next
    50 are asked for while the cursor (or the scrolled view) is still PREFETCH rows from the end, so the
    list stays in use while they load: nothing covers or disables it."""

    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("ctrl+f", "filters", "key.filters", id="filters"),
        Binding("ctrl+r", "clear_filters", "key.clear_filters", id="clear_filters"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = ("back", "filters", "clear_filters", "toggle_lang", "toggle_contrast", "lock")

    def __init__(self, status: str | None = None) -> None:
        super().__init__()
        self.status = status
        self.shifts: list[ShiftRecord] = []
        self.done = False
        # A page being fetched. Not `loading`: that is Textual's own Widget.loading, which covers the
        # whole screen with a loading indicator and disables it.
        self.fetching = False
        self.generation = 0  # a reload with other filters: pages asked for before it are dropped
        self.narrow: bool | None = None
        self.choices: tuple[list[str], list[tuple[str, str]]] | None = None
        self.filters: dict[str, str | None] = {
            "start": None,
            "end": None,
            "device": None,
            "staff": None,
            "status": status,
        }

    def compose(self) -> ComposeResult:
        yield Header()
        with Grid(id="list-filters"):
            yield BoxedInput(id="from", placeholder="YYYY-MM-DD", max_length=10, label=self.t("list.from_label"))
            yield BoxedInput(id="to", placeholder="YYYY-MM-DD", max_length=10, label=self.t("list.to_label"))
            yield BoxedSelect(
                [(self.t("list.any"), ALL)] + [(self.t(f"shift.status.{s}"), s) for s in SHIFT_STATUSES],
                id="status",
                value=self.status or ALL,
                allow_blank=False,
                label=self.t("list.col.status"),
            )
            # The choices arrive from the store after the first paint; in a new language they are known.
            devices, managers = self.choices or ([], [])
            yield BoxedSelect(
                [(self.t("list.any"), ALL), *[(Text(f"{name} {sid}"), sid) for sid, name in managers]],
                id="manager",
                value=ALL,
                allow_blank=False,
                label=self.t("list.col.manager"),
            )
            yield BoxedSelect(
                [(self.t("list.any"), ALL), *[(d[:8], d) for d in devices]],
                id="device",
                value=ALL,
                allow_blank=False,
                label=self.t("list.col.device"),
            )
        yield FieldError(id="filter-error")
        yield DataTable(id="shift-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="list-status", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        self._columns()
        store, staff = self.lobby.store, self.lobby.staff
        assert staff is not None
        self.db(lambda: store.shift_choices(staff.id), self.got_choices, group="choices")
        self.load(reset=True)
        table = self.query_one("#shift-table", DataTable)
        self.watch(table, "scroll_y", self._scrolled, init=False)
        table.focus()

    def _columns(self) -> None:
        """The table's columns for the width: under NARROW columns short headers and no device column."""
        self.narrow = self.app.size.width < NARROW
        table = self.query_one("#shift-table", DataTable)
        table.clear(columns=True)
        keys = ["day", "manager", "status", "visits", "patrols", "incidents"] + ([] if self.narrow else ["device"])
        for key in keys:
            short = self.narrow and key in ("visits", "patrols", "incidents")
            table.add_column(self.t(f"list.col.{key}" + ("_short" if short else "")), key=key)

    def on_resize(self, event: events.Resize) -> None:
        # (FooterFit's on_resize runs as well: Textual calls each class's handler)
        if self.narrow is not None and (self.app.size.width < NARROW) != self.narrow:
            table = self.query_one("#shift-table", DataTable)
            row = table.cursor_row
            self._columns()
            self.show(self.shifts)
            if row < table.row_count:
                table.move_cursor(row=row, animate=False)

    def after_relabel(self) -> None:
        self._columns()
        self._fill_choices()
        self.show(self.shifts)
        table = self.query_one("#shift-table", DataTable)
        self.watch(table, "scroll_y", self._scrolled, init=False)

    def got_choices(self, choices: tuple[list[str], list[tuple[str, str]]]) -> None:
        self.choices = choices
        self._fill_choices()

    def _fill_choices(self) -> None:
        if self.choices is None:
            return
        devices, managers = self.choices
        for key, any_key, options in (
            ("manager", "list.any", [(Text(f"{name} {sid}"), sid) for sid, name in managers]),
            ("device", "list.any", [(d[:8], d) for d in devices]),
        ):
            select = self.query_one(f"#{key}", Select)
            chosen = select.value
            with select.prevent(Select.Changed):
                select.set_options([(self.t(any_key), ALL), *options])
                select.value = chosen if chosen in {value for _, value in options} else ALL

    # ------------------------------------------------------------ loading

    def load(self, *, reset: bool = False, keep: str | None = None) -> None:
        """Ask for the next page (or, with reset, the first again: as many rows as were loaded, so
        coming back to the list keeps its place; `keep` is the shift the cursor stays on)."""
        store, staff = self.lobby.store, self.lobby.staff
        if staff is None:  # staff is None while signing out
            return
        if reset:
            self.generation += 1
        elif self.fetching or self.done:
            return
        offset = 0 if reset else len(self.shifts)
        limit = max(LIST_PAGE, len(self.shifts)) if reset and keep else LIST_PAGE
        filters = dict(self.filters)
        generation = self.generation
        self.fetching = True
        self._status()

        def fetch() -> tuple[int, int, int, list[ShiftRecord], str | None]:
            shifts = store.list_shifts(staff.id, limit=limit, offset=offset, **filters)
            return generation, offset, limit, shifts, keep

        self.db(fetch, self.got_page, group=f"shifts-{generation}-{offset}")

    def got_page(self, page: tuple[int, int, int, list[ShiftRecord], str | None]) -> None:
        generation, offset, limit, shifts, keep = page
        if generation != self.generation or not self.is_attached:
            return  # asked for with filters since changed
        self.fetching = False
        self.shifts = self.shifts[:offset] + shifts
        self.done = len(shifts) < limit
        table = self.query_one("#shift-table", DataTable)
        self.show(self.shifts, start=offset)
        if keep is not None and keep in {s.id for s in self.shifts}:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        self._near_end()  # a short page, or a cursor that moved on meanwhile

    def show(self, shifts: list[ShiftRecord], start: int = 0) -> None:
        table = self.query_one("#shift-table", DataTable)
        lang = self.lobby.lang
        if start == 0:
            table.clear()
        for s in shifts[start:]:
            status = status_text(s.status, lang)
            if s.corrections:
                status.append(f" ✎{s.corrections}", style="dim")
            cells: list[Any] = [
                s.day,
                Text(s.staff_name),  # a name a supervisor typed: a DataTable reads a str as markup
                status,
                str(s.visits),
                str(s.patrols),
                Text(str(s.incidents), style="yellow" if s.incidents else ""),
            ]
            if not self.narrow:
                cells.append(s.device_id[:8])
            table.add_row(*cells, key=s.id)
        self._status()

    def _status(self) -> None:
        shifts = self.shifts
        if not shifts:
            text = self.t("summary.loading") if self.fetching else self.t("list.empty")
        else:
            text = self.t("list.shown", n=len(shifts))
            if self.fetching:
                text += " " + self.t("list.loading_more")
            elif not self.done:
                text += " " + self.t("list.more")
        table = self.query_one("#shift-table", DataTable)
        if self.narrow and shifts and 0 <= table.cursor_row < len(shifts):
            text = self.t("list.device", device=shifts[table.cursor_row].device_id[:8]) + " · " + text
        self.query_one("#list-status", Static).update(text)

    def _near_end(self) -> None:
        table = self.query_one("#shift-table", DataTable)
        if self.done or self.fetching or not self.shifts:
            return
        below_cursor = len(self.shifts) - 1 - table.cursor_row
        below_view = len(self.shifts) - (table.scroll_y + table.scrollable_content_region.height)
        if below_cursor < PREFETCH or below_view < PREFETCH:
            self.load()

    def _scrolled(self, _: float) -> None:
        self._near_end()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._near_end()
        if self.narrow:
            self._status()

    @on(DataTable.RowSelected, "#shift-table")
    def open_shift(self, event: DataTable.RowSelected) -> None:
        assert event.row_key.value is not None
        self.app.push_screen(ShiftDetailScreen(event.row_key.value))

    def on_screen_resume(self) -> None:
        if self.shifts:  # a sign-off or a question changed a status: the same rows again, the cursor kept
            table = self.query_one("#shift-table", DataTable)
            row = table.cursor_row
            keep = self.shifts[row].id if 0 <= row < len(self.shifts) else None
            self.load(reset=True, keep=keep)

    # ------------------------------------------------------------ filters

    @on(Input.Submitted, "#from, #to")
    @on(Select.Changed)
    def apply(self, event: Input.Submitted | Select.Changed | None = None) -> None:
        start, ok_start = _date_or_error(self.query_one("#from", Input).value)
        end, ok_end = _date_or_error(self.query_one("#to", Input).value)
        error = self.query_one("#filter-error", Static)
        if not (ok_start and ok_end):
            bad = self.query_one("#from" if not ok_start else "#to", Input)
            error.update(self.t("date.bad", text=bad.value[:20]))
            bad.focus()
            return
        if start and end and start > end:
            error.update(self.t("date.range", start=start, end=end))
            self.query_one("#to", Input).focus()
            return
        error.update("")
        chosen = {key: self.query_one(f"#{key}", Select).value for key in ("status", "manager", "device")}
        filters = {
            "start": start,
            "end": end,
            **{
                name: (v if isinstance(v, str) and v != ALL else None)
                for name, v in (
                    ("status", chosen["status"]),
                    ("staff", chosen["manager"]),
                    ("device", chosen["device"]),
                )
            },
        }
        if filters != self.filters:
            self.filters = filters
            self.shifts, self.done = [], False
            self.load(reset=True)
        if isinstance(event, Input.Submitted):
            if event.input.id == "from":
                self.query_one("#to", Input).focus()
            else:
                self.query_one("#shift-table", DataTable).focus()

    def action_filters(self) -> None:
        self.query_one("#from", Input).focus()

    def action_clear_filters(self) -> None:
        for key in ("from", "to"):
            self.query_one(f"#{key}", Input).value = ""
        for key in ("status", "manager", "device"):
            select = self.query_one(f"#{key}", Select)
            with select.prevent(Select.Changed):
                select.value = ALL
        self.apply()

    def action_back(self) -> None:
        if isinstance(self.focused, (Input, Select)):
            self.query_one("#shift-table", DataTable).focus()
            return
        self.app.pop_screen()

    def screen_commands(self):  # type: ignore[no-untyped-def]
        yield self.t("key.filters"), "ctrl+f", self.action_filters
        yield self.t("key.clear_filters"), "ctrl+r", self.action_clear_filters
        yield self.t("key.back"), "Esc", self.action_back


# ---------------------------------------------------------------- a shift's detail


class ShiftDetailScreen(FooterFit, LobbyScreenMixin, Screen[None]):
    BINDINGS = [
        Binding("s", "sign_off", "key.sign_off", id="sign_off"),
        Binding("b", "send_back", "key.send_back", id="send_back"),
        Binding("c", "correct", "key.correct", id="correct"),
        Binding("t", "next_tab", "key.next_tab", id="next_tab"),
        Binding("x", "export", "key.export", id="export"),
        Binding("escape", "back", "key.back", id="back"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = (
        "sign_off",
        "send_back",
        "next_tab",
        "back",
        "toggle_lang",
        "correct",
        "export",
        "toggle_contrast",
        "lock",
    )
    REVIEW = ("sign_off", "send_back")

    def __init__(self, shift_id: str) -> None:
        super().__init__()
        self.shift_id = shift_id
        self.shift_log: ShiftLog | None = None
        self.pages: list[VisitPage] = []
        self.figures: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="detail-head")
        yield Static("", id="detail-review")
        yield ShiftView(self.lobby.lang, figures=True, empty="detail.log_empty", id="shift-view")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        self.reload(visits=True)
        self.query_one(ShiftView).focus_table()

    def after_relabel(self) -> None:
        view = self.query_one(ShiftView)
        if self.shift_log is not None:
            self.show(self.shift_log)
        for page in self.pages:
            view.add_visits(page)
        if self.figures is not None:
            view.show_figures(self.figures)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.REVIEW:
            staff = self.lobby.staff
            s = self.shift_log.shift if self.shift_log else None
            if s is None or s.status in ("open", "signed_off") or (staff and s.staff_id == staff.id):
                return None
        return True

    def reload(self, *, visits: bool = False) -> None:
        store, staff, shift_id = self.lobby.store, self.lobby.staff, self.shift_id
        assert staff is not None
        self.db(lambda: store.shift_log(shift_id, staff.id), self.show, group="log")
        self.db(lambda: store.shift_figures(shift_id, staff.id), self.got_figures, group="figures")
        if visits:
            self.more_visits(0)

    def more_visits(self, offset: int) -> None:
        store, staff, shift_id = self.lobby.store, self.lobby.staff, self.shift_id
        assert staff is not None
        self.db(
            lambda: store.shift_visits(shift_id, staff.id, offset=offset, limit=VISIT_PAGE),
            self.got_visits,
            group="visits",
        )

    def got_visits(self, page: VisitPage) -> None:
        self.pages = [p for p in self.pages if p.offset < page.offset] + [page]
        self.query_one(ShiftView).add_visits(page)

    def got_figures(self, figures: dict[str, Any]) -> None:
        self.figures = figures
        self.query_one(ShiftView).show_figures(figures)

    @on(ShiftView.NeedMoreVisits)
    def need_more(self) -> None:
        self.more_visits(len(self.query_one(ShiftView).visits))

    def show(self, log: ShiftLog) -> None:
        self.shift_log = log
        s = log.shift
        lang = self.lobby.lang
        span = f"{s.opened_ts[11:16]}–{s.closed_ts[11:16] if s.closed_ts else '…'}"
        head = Text.assemble(
            (f"{s.staff_name} {s.staff_id}", "bold"),
            f" · {s.day} {span} · {s.device_id[:8]}  ",
            status_text(s.status, lang),
        )
        self.query_one("#detail-head", Static).update(head)
        review = []
        if s.status == "signed_off":
            review.append(
                self.t(
                    "detail.signed_off",
                    who=s.review_name or s.review_by or "",
                    time=(s.review_ts or "")[:16].replace("T", " "),
                    comment=s.review_comment or "—",
                )
            )
        elif s.status == "returned":
            review.append(self.t("detail.returned", question=s.question or ""))
        elif s.status == "closed":
            review.append(self.t("detail.to_review"))
        else:
            review.append(self.t("detail.open"))
        review.append(self.t("log.handover", text=s.handover_note or self.t("log.no_handover")))
        self.query_one("#detail-review", Static).update("\n".join(review))
        self.query_one(ShiftView).show_log(log)
        self.refresh_bindings()

    # ------------------------------------------------------------ actions

    def _reviewable(self) -> ShiftRecord | None:
        if self.shift_log is None:
            return None
        if self.check_action("sign_off", ()) is None:
            key = {"open": "review.still_open", "signed_off": "review.signed_off"}.get(
                self.shift_log.shift.status, "review.own_shift"
            )
            self.notify(self.t(key), severity="warning")
            return None
        return self.shift_log.shift

    def action_sign_off(self) -> None:
        shift = self._reviewable()
        if shift is None:
            return
        store, staff = self.lobby.store, self.lobby.staff
        assert staff is not None

        def work(values: dict[str, str]) -> Any:
            return lambda: store.sign_off(shift.id, staff.id, values["comment"])

        intro = self.t(
            "signoff.intro",
            name=shift.staff_name,
            day=shift.day,
            visits=shift.visits,
            patrols=shift.patrols,
            incidents=shift.incidents,
            corrections=shift.corrections,
        )
        self.app.push_screen(
            FormScreen(
                "signoff.title",
                [Field("comment", "signoff.comment", errors=("text.",), placeholder="signoff.placeholder")],
                work,
                intro=intro,
                submit="key.sign_off",
                box_id="signoff-box",
            ),
            self._reviewed,
        )

    def action_send_back(self) -> None:
        shift = self._reviewable()
        if shift is None:
            return
        store, staff = self.lobby.store, self.lobby.staff
        assert staff is not None

        def work(values: dict[str, str]) -> Any:
            return lambda: store.return_shift(shift.id, staff.id, values["question"])

        self.app.push_screen(
            FormScreen(
                "sendback.title",
                [
                    Field(
                        "question",
                        "sendback.question",
                        "review.question_needed",
                        errors=("review.question", "text."),
                        placeholder="sendback.placeholder",
                    )
                ],
                work,
                intro=self.t("sendback.intro", name=shift.staff_name),
                submit="key.send_back",
                box_id="sendback-box",
            ),
            self._reviewed,
        )

    def _reviewed(self, record: ShiftRecord | None) -> None:
        if record is not None:
            self.app.notify(self.t(f"review.done_{record.status}", name=record.staff_name, day=record.day))
            self.reload()

    def action_next_tab(self) -> None:
        self.query_one(ShiftView).next_tab()

    def action_correct(self) -> None:
        start_correction(self, lambda entry: self.reload(visits=True) if entry is not None else None)

    def action_export(self) -> None:
        from lobby_tui.ui.screens.export import ExportScreen

        if self.shift_log is not None:
            self.app.push_screen(ExportScreen(shift=self.shift_log.shift))

    def action_back(self) -> None:
        self.app.pop_screen()

    def screen_commands(self):  # type: ignore[no-untyped-def]
        yield self.t("key.sign_off"), "S", self.action_sign_off
        yield self.t("key.send_back"), "B", self.action_send_back
        yield self.t("key.correct"), "C", self.action_correct
        yield self.t("key.next_tab"), "T", self.action_next_tab
        yield self.t("key.export"), "X", self.action_export
        yield self.t("key.back"), "Esc", self.action_back
