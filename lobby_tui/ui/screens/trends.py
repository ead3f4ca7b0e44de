"""The supervisor's trends (visits, diversion rate, quality customers and leads per day over the last 30
days, as charts) and the comparison of lobby managers over a range of days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input

from lobby_tui.domain.shiftlog import ManagerFigures
from lobby_tui.render import lead_compare_table
from lobby_tui.report import TREND_METRICS, compare_table, trend_chart
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.kept import KeptScreen, Reshown
from lobby_tui.ui.screens.forms import APP_KEYS, BoxedInput, FieldError, FooterFit
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Static
from lobby_tui.ui.widgets.rich_once import RichOnce

TREND_DAYS = 30
# The lead figures as charts of their own (issue 10), from each day's `leads`.
LEAD_METRICS = ("leads_made", "leads_converted")
# The customers' ratings (issue 11), from each day's `satisfaction`: the day's average.
RATING_METRICS = ("satisfaction_average",)


def lead_trend(trend: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each day's lead figures as plain metrics, for trend_chart."""
    return [
        {
            "date": day["date"],
            "visits": day["visits"],  # the days the branch was open, for the averages (trend_average)
            "leads_made": day.get("leads", {}).get("made", 0),
            "leads_converted": day.get("leads", {}).get("converted", 0),
        }
        for day in trend
    ]


def rating_trend(trend: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each day's average rating as a plain metric (0 on a day without ratings, left out of the average)."""
    out = []
    for day in trend:
        satisfaction = day.get("satisfaction") or {}
        out.append(
            {
                "date": day["date"],
                "responses": satisfaction.get("responses", 0),
                "satisfaction_average": satisfaction.get("average") or 0,
            }
        )
    return out


class TrendsScreen(FooterFit, LobbyScreenMixin, Reshown, Screen[None]):
    """Four charts, a column a day: two side by side on a tablet, one under the other on a handheld.
    [ and ] move the 30 days back and forth."""

    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("left_square_bracket", "earlier_days", "key.earlier_days", id="earlier_days"),
        Binding("right_square_bracket", "later_days", "key.later_days", id="later_days"),
        Binding("r", "refresh", "key.refresh", id="refresh"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = ("back", "earlier_days", "later_days", "toggle_lang", "refresh", "toggle_contrast", "lock")

    def __init__(self, end: str | None = None, trend: list[dict[str, Any]] | None = None) -> None:
        """trend: the days up to `end`, read before the screen opened (open_trends); else it reads them."""
        super().__init__()
        self.end = end
        self.trend = trend

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.t("summary.loading"), id="trend-head", classes="hint")
        with VerticalScroll(id="trend-body"), Grid(id="trend-grid"):
            for metric in (*TREND_METRICS, *LEAD_METRICS, *RATING_METRICS):
                yield Static("", id=f"trend-{metric}", classes="trend-chart")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        if self.trend is None:
            self.action_refresh()
        else:
            self.show(self.trend)
        self.query_one("#trend-body").focus()

    def after_relabel(self) -> None:
        if self.trend is not None:
            self.show(self.trend)

    def action_refresh(self) -> None:
        store, staff = self.lobby.store, self.lobby.staff
        assert staff is not None
        end = self.end or store.today()
        self.end = end
        self.db(lambda: store.trend(staff.id, end=end, days=TREND_DAYS), self.show, group="trend")

    def show(self, trend: list[dict[str, Any]]) -> None:
        self.trend = trend
        lang = self.lobby.lang
        if trend:
            self.query_one("#trend-head", Static).update(
                Text(self.t("trend.head", start=trend[0]["date"], end=trend[-1]["date"], days=len(trend)))
            )
        leads, ratings = lead_trend(trend), rating_trend(trend)
        for days, metrics in ((trend, TREND_METRICS), (leads, LEAD_METRICS), (ratings, RATING_METRICS)):
            for metric in metrics:
                chart = self.query_one(f"#trend-{metric}", Static)
                chart.update(RichOnce(chart, trend_chart(days, metric, lang, height=3)))

    def again(self, end: str, trend: list[dict[str, Any]] | None) -> None:
        """Shown again (a kept screen, ui/kept.py): the days up to `end`, or reading them."""
        self.end = end
        self.query_one("#trend-body", VerticalScroll).scroll_home(animate=False)
        self.query_one("#trend-body").focus()
        if trend is None:
            self.trend = None
            self.query_one("#trend-head", Static).update(self.t("summary.loading"))
            self.action_refresh()
        else:
            self.show(trend)

    def _move(self, days: int) -> None:
        store = self.lobby.store
        end = date.fromisoformat(self.end or store.today()) + timedelta(days=days)
        self.end = min(end.isoformat(), store.today())
        self.action_refresh()

    def action_earlier_days(self) -> None:
        self._move(-TREND_DAYS)

    def action_later_days(self) -> None:
        self._move(TREND_DAYS)

    def action_back(self) -> None:
        self.app.pop_screen()

    def screen_commands(self):  # type: ignore[no-untyped-def]
        yield self.t("key.earlier_days"), "[", self.action_earlier_days
        yield self.t("key.later_days"), "]", self.action_later_days
        yield self.t("key.refresh"), "R", self.action_refresh
        yield self.t("key.back"), "Esc", self.action_back


def open_trends(screen: Any, kept: KeptScreen[TrendsScreen] | None = None) -> None:
    """The signed-in supervisor's last TREND_DAYS days, from `screen` (a LobbyScreenMixin): opened
    with the days read first. With `kept`, the trends screen it keeps is shown again with them."""
    store, staff = screen.lobby.store, screen.lobby.staff
    assert staff is not None
    end = store.today()

    def trends(trend: list[dict[str, Any]] | None) -> TrendsScreen:
        if kept is None:
            return TrendsScreen(end, trend)
        shown, again = kept.get(screen.app, screen.lobby.lang)
        if again:
            shown.again(end, trend)
        else:
            shown.end, shown.trend = end, trend
        return shown

    screen.open_read(lambda: store.trend(staff.id, end=end, days=TREND_DAYS), trends, group="trend")


class CompareScreen(FooterFit, LobbyScreenMixin, Screen[None]):
    """Lobby managers side by side over a range of days (the last 30 by default)."""

    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("ctrl+f", "filters", "key.filters", id="filters"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = ("back", "filters", "toggle_lang", "toggle_contrast", "lock")

    def __init__(self) -> None:
        super().__init__()
        self.managers: list[ManagerFigures] | None = None
        self.range: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        start, end = self.range or ("", "")
        yield Header()
        with Horizontal(id="compare-range"):
            yield BoxedInput(
                value=start, id="from", placeholder="YYYY-MM-DD", max_length=10, label=self.t("list.from_label")
            )
            yield BoxedInput(value=end, id="to", placeholder="YYYY-MM-DD", max_length=10, label=self.t("list.to_label"))
        yield FieldError(id="range-error")
        with VerticalScroll(id="compare-body"):
            yield Static(self.t("summary.loading"), id="compare-table")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        today = date.fromisoformat(self.lobby.store.today())
        self.range = ((today - timedelta(days=TREND_DAYS - 1)).isoformat(), today.isoformat())
        self.query_one("#from", Input).value, self.query_one("#to", Input).value = self.range
        self.load()
        self.query_one("#compare-body").focus()

    def after_relabel(self) -> None:
        if self.managers is not None:
            self.show(self.managers)

    def load(self) -> None:
        store, staff = self.lobby.store, self.lobby.staff
        assert staff is not None and self.range is not None
        start, end = self.range
        self.db(
            lambda: store.compare_managers(staff.id, start=start, end=end),
            self.show,
            on_input_error=lambda exc: self.query_one("#range-error", Static).update(exc.message(self.lobby.lang)),
            group="compare",
        )

    def show(self, managers: list[ManagerFigures]) -> None:
        self.managers = managers
        assert self.range is not None
        self.query_one("#range-error", Static).update("")
        if not managers:
            self.query_one("#compare-table", Static).update(self.t("compare.none"))
            return
        lang = self.lobby.lang
        body = compare_table(managers, lang, *self.range)
        self.query_one("#compare-table", Static).update(Group(body, lead_compare_table(managers, lang)))

    @on(Input.Submitted)
    def apply(self, event: Input.Submitted) -> None:
        """Enter in the first day moves to the last; Enter in the last shows the range."""
        values = []
        for key in ("from", "to"):
            text = self.query_one(f"#{key}", Input).value.strip()
            try:
                values.append(date.fromisoformat(text).isoformat())
            except ValueError:
                self.query_one("#range-error", Static).update(self.t("date.bad", text=text[:20]))
                self.query_one(f"#{key}", Input).focus()
                return
        self.query_one("#range-error", Static).update("")
        if event.input.id == "from":
            self.query_one("#to", Input).focus()
            return
        if values[0] > values[1]:
            self.query_one("#range-error", Static).update(self.t("date.range", start=values[0], end=values[1]))
            return
        self.range = (values[0], values[1])
        self.load()
        self.query_one("#compare-body").focus()

    def action_filters(self) -> None:
        self.query_one("#from", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):  # Escape in a date box leaves it, as on the shift list
            self.query_one("#compare-body").focus()
            return
        self.app.pop_screen()

    def screen_commands(self):  # type: ignore[no-untyped-def]
        yield self.t("key.filters"), "ctrl+f", self.action_filters
        yield self.t("key.back"), "Esc", self.action_back
