"""Waits (issue 11): tickets called and done, the windows open per destination, and what the wait
estimate needs from the branch's history (lobby_tui/domain/waits.py does the arithmetic).

The board asks for the estimates every 5 seconds: today's queue is read through idx_visits_open
(only visits still waiting), the windows from open_windows (a handful of rows a day), and the
service-time history of the same weekday and hour in the weeks before once per hour and kept
(benchmarks/bench_waits.py measures it).
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.models import Visit
from lobby_tui.domain.rules import MAX_WINDOWS, guidance_rules
from lobby_tui.domain.waits import ServiceSample, estimate_wait, service_minutes
from lobby_tui.store.base import StoreBase

HISTORY_WEEKS = 8  # the same weekday this many weeks back
LONG_WAIT_CHOICES = ("comfort", "redirect", "priority")


@dataclass(frozen=True)
class WaitEstimate:
    """One destination's queue now and its estimated wait (None: closed, no window open)."""

    destination: str
    ahead: int  # waiting, not yet called
    called: int  # called, not yet done
    windows: int
    service: float  # expected minutes of one service
    minutes: float | None


def minutes_between(start: str, end: str) -> float:
    """Minutes from one ISO timestamp to a later one (negative if it is earlier)."""
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 60


class WaitsMixin(StoreBase):
    # ------------------------------------------------------------ tickets

    def find_ticket(self, ticket: str, day: str | None = None) -> Visit:
        """Today's visit holding `ticket` (as printed: A012, a012). Refused (an InputError) when no
        visit holds it today: with the day it was last handed out, if it was on another day."""
        day = day or self.today()
        text = ticket.strip().upper()
        if not text or len(text) > 12:
            raise InputError("ticket.unknown", ticket=ticket.strip()[:12])
        rows = self.query(
            "SELECT * FROM visits WHERE day = ? AND upper(ticket) = ? ORDER BY ts DESC, rowid DESC LIMIT 1", (day, text)
        )
        if rows:
            return self._visit(rows[0])
        other = self.query(
            "SELECT day FROM visits WHERE upper(ticket) = ? AND day != ? ORDER BY day DESC LIMIT 1", (text, day)
        )
        if other:
            raise InputError("ticket.other_day", ticket=text, day=other[0]["day"])
        raise InputError("ticket.unknown", ticket=text)

    def call_visit(self, visit_id: str, *, staff_id: str | None = None, source: str = "board") -> Visit:
        """The visit's ticket called to a window: it stops counting as waiting."""
        with self.write() as conn:
            row = self._open_visit(conn, visit_id)
            if row["called_ts"]:
                raise InputError("ticket.already_called", ticket=row["ticket"], time=row["called_ts"][11:16])
            now = self.now()
            conn.execute("UPDATE visits SET called_ts = ?, updated_ts = ? WHERE id = ?", (now, now, visit_id))
            self.chain_row(conn, "visits", visit_id)
            self._audit(conn, "ticket_called", staff_id, visit_id=visit_id, ticket=row["ticket"], source=source)
        return self.get_visit(visit_id)

    def done_visit(self, visit_id: str, *, staff_id: str | None = None, source: str = "board") -> Visit:
        """The visit's service done at the window: served, now."""
        with self.write() as conn:
            row = self._open_visit(conn, visit_id)
            now = self.now()
            conn.execute(
                "UPDATE visits SET outcome = 'served', outcome_ts = ?, done_ts = ?, updated_ts = ? WHERE id = ?",
                (now, now, now, visit_id),
            )
            self.chain_row(conn, "visits", visit_id)
            self._audit(conn, "ticket_done", staff_id, visit_id=visit_id, ticket=row["ticket"], source=source)
        return self.get_visit(visit_id)

    def call_ticket(self, ticket: str, *, staff_id: str | None = None, source: str = "cli") -> Visit:
        return self.call_visit(self.find_ticket(ticket).id, staff_id=staff_id, source=source)

    def done_ticket(self, ticket: str, *, staff_id: str | None = None, source: str = "cli") -> Visit:
        return self.done_visit(self.find_ticket(ticket).id, staff_id=staff_id, source=source)

    def _open_visit(self, conn: sqlite3.Connection, visit_id: str) -> sqlite3.Row:
        row: sqlite3.Row | None = conn.execute("SELECT * FROM visits WHERE id = ?", (visit_id,)).fetchone()
        if row is None or not row["ticket"]:
            raise InputError("ticket.unknown", ticket=visit_id[:12])
        if row["outcome"] != "waiting":
            raise InputError("ticket.not_waiting", ticket=row["ticket"], outcome=row["outcome"])
        return row

    def long_wait_offer(self, visit_id: str, choice: str, *, minutes: int, staff_id: str | None = None) -> None:
        """What the lobby manager did for a customer waiting long (the board's `o`): comfort,
        redirect or priority; audited (the redirect itself is audited when it is made)."""
        if choice not in LONG_WAIT_CHOICES:
            raise InputError("outcome.bad", text=choice)
        with self.write() as conn:
            row = conn.execute("SELECT ticket FROM visits WHERE id = ?", (visit_id,)).fetchone()
            if row is None:
                raise InputError("ticket.unknown", ticket=visit_id[:12])
            self._audit(
                conn,
                "long_wait_offer",
                staff_id,
                visit_id=visit_id,
                ticket=row["ticket"],
                choice=choice,
                minutes=minutes,
            )

    # ------------------------------------------------------------ windows

    def set_windows(
        self, destination: str, windows: int, *, staff_id: str | None = None, shift_id: str | None = None
    ) -> dict[str, int]:
        """How many windows are open at `destination` from now on today (0: closed); audited."""
        if destination not in guidance_rules().destinations:
            raise InputError("destination.unknown", text=destination)
        if not 0 <= windows <= MAX_WINDOWS:
            raise InputError("windows.bad", n=windows, max=MAX_WINDOWS)
        day, now = self.today(), self.now()
        with self.write() as conn:
            before = self._windows(conn, day).get(destination)
            conn.execute(
                "INSERT INTO open_windows(day, destination, windows, ts, shift_id, staff_id) VALUES (?, ?, ?, ?, ?, ?)",
                (day, destination, windows, now, shift_id, staff_id),
            )
            self._audit(
                conn,
                "windows_set",
                staff_id,
                destination=destination,
                windows=windows,
                previous=before,
                shift_id=shift_id,
            )
        return self.open_windows()

    def open_windows(self, day: str | None = None) -> dict[str, int]:
        """destination -> windows open now (the day's last setting, else data/guidance.toml's)."""
        return self._windows(self.conn, day or self.today())

    def _windows(self, conn: sqlite3.Connection, day: str) -> dict[str, int]:
        windows = {code: d.windows for code, d in guidance_rules().destinations.items()}
        for dest, n in conn.execute(
            "SELECT destination, windows FROM open_windows WHERE id IN "
            "(SELECT max(id) FROM open_windows WHERE day = ? GROUP BY destination)",
            (day,),
        ):
            if dest in windows:
                windows[dest] = n
        return windows

    def window_changes(self, start: str, end: str) -> list[tuple[str, str, int, str]]:
        """(day, destination, windows, ts) of every change from `start` to `end`, in order (the back-test)."""
        return [
            (r["day"], r["destination"], r["windows"], r["ts"])
            for r in self.query(
                "SELECT day, destination, windows, ts FROM open_windows WHERE day BETWEEN ? AND ? ORDER BY id",
                (start, end),
            )
        ]

    # ------------------------------------------------------------ estimates

    def service_history(self, day: str, hour: int) -> dict[str, list[ServiceSample]]:
        """destination -> the service times of the same weekday and hour in the HISTORY_WEEKS before
        `day` (one sample per week that had any). Kept per day and hour: the past does not change."""
        cache_key = (day, hour)
        cache = self.__dict__.setdefault("_service_cache", {})
        lock = self.__dict__.setdefault("_service_lock", threading.Lock())
        with lock:
            if cache_key in cache:
                found: dict[str, list[ServiceSample]] = cache[cache_key]
                return found
        first = date.fromisoformat(day)
        weeks = {(first - timedelta(weeks=w)).isoformat(): w for w in range(1, HISTORY_WEEKS + 1)}
        out: dict[str, list[ServiceSample]] = {code: [] for code in guidance_rules().destinations}
        marks = ", ".join("?" * len(weeks))
        for r in self.query(
            "SELECT day, destination, count(*) AS n, "
            "avg((julianday(done_ts) - julianday(called_ts)) * 1440.0) AS minutes FROM visits "
            f"WHERE day IN ({marks}) AND called_ts IS NOT NULL AND done_ts IS NOT NULL "  # noqa: S608 - marks only
            "AND CAST(substr(called_ts, 12, 2) AS INTEGER) = ? GROUP BY day, destination",
            (*weeks, hour),
        ):
            if r["destination"] in out and r["minutes"] is not None and r["minutes"] >= 0:
                out[r["destination"]].append(ServiceSample(weeks[r["day"]], r["n"], r["minutes"]))
        with lock:
            if len(cache) > 64:
                cache.clear()
            cache[cache_key] = out
        return out

    def wait_estimates(self) -> dict[str, WaitEstimate]:
        """Each destination's queue now and its estimated wait for a customer joining it now."""
        rules = guidance_rules()
        day, now = self.today(), self.now()
        ahead = dict.fromkeys(rules.destinations, 0)
        in_service: dict[str, list[float]] = {code: [] for code in rules.destinations}
        for r in self.query(
            "SELECT destination, called_ts FROM visits WHERE day = ? AND outcome = 'waiting' AND destination IS NOT NULL",
            (day,),
        ):
            dest = r["destination"]
            if dest not in ahead:
                continue
            if r["called_ts"]:
                in_service[dest].append(max(0.0, minutes_between(r["called_ts"], now)))
            else:
                ahead[dest] += 1
        windows = self.open_windows(day)
        history = self.service_history(day, int(now[11:13]))
        out = {}
        for code, dest in rules.destinations.items():
            service = service_minutes(history[code], dest.service_minutes)
            minutes = estimate_wait(ahead[code], windows[code], service, in_service[code])
            out[code] = WaitEstimate(code, ahead[code], len(in_service[code]), windows[code], service, minutes)
        return out

    if TYPE_CHECKING:  # VisitsMixin provides these in LobbyStore

        def _visit(self, r: sqlite3.Row) -> Visit: ...
        def get_visit(self, visit_id: str) -> Visit: ...
