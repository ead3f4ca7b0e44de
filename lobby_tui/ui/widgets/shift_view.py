"""A shift's log and its visits (paged), side by side in tabs: the lobby manager's shift log and the
supervisor's shift detail both show a shift this way. The screen loads the data; this only shows it."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import TabbedContent, TabPane

from lobby_tui.domain.models import Visit
from lobby_tui.domain.privacy import mask_name
from lobby_tui.domain.rules import guidance_rules, tier_table
from lobby_tui.domain.shiftlog import LogEntry, ShiftLog, VisitPage
from lobby_tui.i18n import tr
from lobby_tui.report import day_report, entry_kind, entry_text
from lobby_tui.ui.widgets.plain import Static
from lobby_tui.ui.widgets.plain_lists import DataTable

CORRECTED = "✎"


class ShiftView(Vertical):
    DEFAULT_CSS = """
    ShiftView { height: 1fr; }
    ShiftView TabbedContent { height: 1fr; }
    ShiftView DataTable { height: 1fr; }
    ShiftView .hint { padding: 0 1; }
    ShiftView #row-detail { height: auto; max-height: 3; padding: 0 1; background: $panel; }
    """

    class NeedMoreVisits(Message):
        """The cursor reached the last visit loaded and there are more."""

    def __init__(self, lang: str, *, figures: bool = False, empty: str = "log.empty", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        self.empty_key = empty  # what an empty log says (the lobby manager's keys, or the supervisor's)
        self.with_figures = figures
        self.shift_log: ShiftLog | None = None
        self.visits: list[Visit] = []
        self.names: dict[str, str] = {}
        self.total = 0
        self.loading_more = False

    def t(self, key: str, **params: object) -> str:
        return tr(key, self.lang, **params)

    def compose(self) -> ComposeResult:
        with TabbedContent(id="shift-tabs"):
            with TabPane(self.t("log.tab"), id="tab-log"):
                yield DataTable(id="log-table", cursor_type="row", zebra_stripes=True)
                yield Static(self.t(self.empty_key), id="log-empty", classes="hint")
            with TabPane(self.t("log.tab_visits"), id="tab-visits"):
                yield DataTable(id="visit-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="visits-status", classes="hint")
            if self.with_figures:
                with TabPane(self.t("log.tab_figures"), id="tab-figures"), VerticalScroll(id="figures-scroll"):
                    yield Static("", id="figures")
        yield Static("", id="row-detail")

    def next_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        panes = ["tab-log", "tab-visits", *(["tab-figures"] if self.with_figures else [])]
        tabs.active = panes[(panes.index(tabs.active) + 1) % len(panes)] if tabs.active in panes else panes[0]
        self.focus_table()
        self.describe()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.describe()

    def describe(self) -> None:
        """The highlighted entry or visit in full, under the table (a table row is cut at its width)."""
        detail = self.query_one("#row-detail", Static)
        target = self.selected() if self.active in ("tab-log", "tab-visits") else None
        if target is None:
            detail.update("")
            detail.display = False
            return
        kind, target_id, line = target
        if kind == "visit":
            visit = next(v for v in self.visits if v.id == target_id)
            extra = [
                x
                for x in (
                    visit.override_reason and self.t("log.override", reason=visit.override_reason),
                    visit.notes,
                    visit.amount is not None and f"{visit.amount:,}",
                )
                if x
            ]
            line = " · ".join([line, *extra])
        else:
            entry = next(e for e in self.shift_log.entries if e.id == target_id) if self.shift_log else None
            if entry is not None:
                line = f"{line} · {entry.staff_id}"
        detail.update(Text(line))
        detail.display = True

    @property
    def active(self) -> str:
        return self.query_one(TabbedContent).active

    def on_mount(self) -> None:
        log_table = self.query_one("#log-table", DataTable)
        for key in ("time", "kind", "text"):
            log_table.add_column(self.t(f"log.col.{key}"), key=key)
        visit_table = self.query_one("#visit-table", DataTable)
        for key in ("time", "ticket", "customer", "tier", "reason", "dest", "outcome"):
            visit_table.add_column(self.t(f"board.col.{key}"), key=key)
        visit_table.add_column(CORRECTED, key="corrected")

    # ------------------------------------------------------------ showing

    @property
    def corrected(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for e in self.shift_log.entries if self.shift_log else ():
            if e.kind == "correction" and e.corrects:
                counts[e.corrects] = counts.get(e.corrects, 0) + 1
        return counts

    def show_log(self, log: ShiftLog) -> None:
        self.shift_log = log
        table = self.query_one("#log-table", DataTable)
        selected = self._selected(table)
        table.clear()
        corrected = self.corrected
        for e in log.entries:
            mark = f" {CORRECTED}{corrected[e.id]}" if e.id in corrected else ""
            style = "bold magenta" if e.kind in ("question", "answer") else "yellow" if e.problems else ""
            table.add_row(
                e.ts[11:16], entry_kind(e, self.lang) + mark, Text(entry_text(e, self.lang), style=style), key=e.id
            )
        table.display = bool(log.entries)
        self.query_one("#log-empty").display = not log.entries
        if selected and selected in {e.id for e in log.entries}:
            table.move_cursor(row=table.get_row_index(selected))
        if self.visits:
            self._fill_visits(reset=True)
        self.query_one(TabbedContent).get_tab("tab-visits").label = self.t("log.tab_visits_n", n=log.shift.visits)

    def add_visits(self, page: VisitPage) -> None:
        if page.offset == 0:
            self.visits = []
        self.visits = self.visits[: page.offset] + page.visits
        self.names.update(page.names)
        self.total = page.total
        self.loading_more = False
        self._fill_visits(reset=page.offset == 0, start=page.offset)

    def _fill_visits(self, *, reset: bool, start: int = 0) -> None:
        table = self.query_one("#visit-table", DataTable)
        if reset:
            table.clear()
            start = 0
        rules, tiers, corrected = guidance_rules(), tier_table(), self.corrected
        for v in self.visits[start:]:
            name = mask_name(self.names.get(v.customer_id or "", "")) or self.t("walkin.unknown")
            table.add_row(
                v.ts[11:16],
                v.ticket or "",
                Text(name),  # names and the branch's labels: a DataTable reads a str as markup
                Text(tiers.tier(v.tier).short[self.lang] if v.tier else ""),
                Text(rules.reason(v.reason).label[self.lang]),
                Text(rules.destinations[v.destination].label[self.lang] if v.destination else ""),
                self.t(f"outcome.{v.outcome}"),
                f"{CORRECTED}{corrected[v.id]}" if v.id in corrected else "",
                key=v.id,
            )
        status = self.t("log.visits_loaded", shown=len(self.visits), total=self.total)
        if len(self.visits) < self.total:
            status += " " + self.t("log.visits_more")
        self.query_one("#visits-status", Static).update(status)

    def show_figures(self, figures: dict[str, Any]) -> None:
        if self.with_figures:
            self.query_one("#figures", Static).update(Group(*day_report(figures, self.lang)))

    # ------------------------------------------------------------ paging and choosing

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.describe()
        if (
            event.data_table.id == "visit-table"
            and not self.loading_more
            and len(self.visits) < self.total
            and event.cursor_row >= len(self.visits) - 1
        ):
            self.loading_more = True
            self.post_message(self.NeedMoreVisits())

    @staticmethod
    def _selected(table: DataTable) -> str | None:
        if table.row_count == 0:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return key.value

    def selected(self) -> tuple[str, str, str] | None:
        """What a correction would correct: (kind, id, a line describing it), from the active tab."""
        if self.active == "tab-visits":
            visit_id = self._selected(self.query_one("#visit-table", DataTable))
            visit = next((v for v in self.visits if v.id == visit_id), None)
            if visit is None:
                return None
            rules = guidance_rules()
            dest = rules.destinations[visit.destination].label[self.lang] if visit.destination else ""
            line = f"{visit.ts[11:16]} {visit.ticket or ''} {rules.reason(visit.reason).label[self.lang]} → {dest}"
            return "visit", visit.id, line
        entry_id = self._selected(self.query_one("#log-table", DataTable))
        entry: LogEntry | None = (
            next((e for e in self.shift_log.entries if e.id == entry_id), None) if self.shift_log else None
        )
        if entry is None:
            return None
        return (
            entry.kind,
            entry.id,
            f"{entry.ts[11:16]} {entry_kind(entry, self.lang)} · {entry_text(entry, self.lang)}",
        )

    def focus_table(self) -> None:
        if self.active == "tab-figures":
            self.query_one("#figures-scroll").focus()
        else:
            self.query_one("#visit-table" if self.active == "tab-visits" else "#log-table", DataTable).focus()
