"""Each day's figures, kept: what the supervisor's trend and comparison read instead of a month of visits.

The table `daily_figures` holds, for each day, day_figures over all its visits (staff_id '*') and over
each lobby manager's visits (their staff id). It never holds a stale row: triggers on `visits` delete
a day's rows in the same transaction as any insert, change or removal of a visit of that day (a
confirm, an outcome, an undo, an import, a merge from another tablet: every writer, whatever the
code path). A day without rows is computed from its visits with day_figures, the one place a figure
is computed, and kept, inside one write transaction, so no visit committed meanwhile is missed.
Rows computed by a version with other figures (figures_current) are computed again the same way.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from lobby_tui.domain.figures import day_figures, days_between, figures_current, merge_figures, range_figures
from lobby_tui.domain.models import Visit
from lobby_tui.store.base import StoreBase
from lobby_tui.store.database import StoreError

WHOLE_DAY = "*"  # the staff_id of the row with all of a day's visits
DayFigures = dict[str, dict[str, Any]]  # staff id ('*' for all) -> day_figures
_IN_BATCH = 500


class DailyFiguresMixin(StoreBase):
    def kept_figures(self, start: str, end: str) -> dict[str, DayFigures]:
        """day -> {'*': the day's figures, staff id: that lobby manager's}, for every day from `start`
        to `end`; days not kept yet are computed from their visits and kept."""
        days = days_between(start, end)
        kept = self._read_kept(start, end)
        missing = [d for d in days if WHOLE_DAY not in kept.get(d, {}) or not figures_current(kept[d][WHOLE_DAY])]
        if missing:
            try:
                with self.write() as conn:
                    fresh = self._compute_days(conn, missing)
                    conn.executemany(
                        "INSERT OR REPLACE INTO daily_figures(day, staff_id, figures) VALUES (?, ?, ?)",
                        [
                            (day, staff, json.dumps(figures, ensure_ascii=False, separators=(",", ":")))
                            for day, by_staff in fresh.items()
                            for staff, figures in by_staff.items()
                        ],
                    )
            except StoreError as exc:
                if exc.key not in ("db.readonly", "db.locked", "db.full"):
                    raise
                fresh = self._compute_days(self.conn, missing)  # computed, not kept
            kept.update(fresh)
        return {day: kept[day] for day in days}

    def kept_trend(self, start: str, end: str) -> list[dict[str, Any]]:
        """trend_figures(start, end, visits), from the kept figures."""
        return [figures[WHOLE_DAY] for figures in self.kept_figures(start, end).values()]

    def kept_staff_figures(self, start: str, end: str) -> dict[str, dict[str, Any]]:
        """staff_figures(start, end, visits), from the kept figures."""
        parts: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for by_staff in self.kept_figures(start, end).values():
            for staff, figures in by_staff.items():
                if staff != WHOLE_DAY:
                    parts[staff].append(figures)
        days = range_figures(start, end, ())
        return {
            staff: {"from": start, "to": end, "days": days["days"], **merge_figures(parts[staff])}
            for staff in sorted(parts)
        }

    def _read_kept(self, start: str, end: str) -> dict[str, DayFigures]:
        kept: dict[str, DayFigures] = defaultdict(dict)
        for day, staff, text in self.query(
            "SELECT day, staff_id, figures FROM daily_figures WHERE day BETWEEN ? AND ?", (start, end)
        ):
            kept[day][staff] = json.loads(text)
        return kept

    def _compute_days(self, conn: sqlite3.Connection, days: Sequence[str]) -> dict[str, DayFigures]:
        by_day: dict[str, list[Visit]] = {day: [] for day in days}
        for part in range(0, len(days), _IN_BATCH):
            some = days[part : part + _IN_BATCH]
            rows = conn.execute(
                f"SELECT * FROM visits WHERE day IN ({', '.join('?' * len(some))}) ORDER BY day, ts, rowid", some
            )
            for row in rows:
                by_day[row["day"]].append(self._visit(row))
        out: dict[str, DayFigures] = {}
        for day, visits in by_day.items():
            by_staff: dict[str, list[Visit]] = defaultdict(list)
            for v in visits:
                if v.staff_id:
                    by_staff[v.staff_id].append(v)
            out[day] = {WHOLE_DAY: day_figures(day, visits)}
            out[day].update((staff, day_figures(day, mine)) for staff, mine in sorted(by_staff.items()))
        return out

    if TYPE_CHECKING:  # VisitsMixin provides these in LobbyStore

        def _visit(self, r: sqlite3.Row) -> Visit: ...
        def iter_visits(self, start: str, end: str) -> Iterator[Visit]: ...
