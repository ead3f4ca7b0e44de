"""Visits: arrival, confirmation with its ticket, outcomes; the board and the day's figures."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lobby_tui.domain.amounts import from_fen, to_fen
from lobby_tui.domain.errors import InputError
from lobby_tui.domain.figures import day_figures
from lobby_tui.domain.guidance import Recommendation
from lobby_tui.domain.models import Lead, Visit
from lobby_tui.domain.rules import guidance_rules
from lobby_tui.domain.tiers import Classification
from lobby_tui.store.appointments import AppointmentsMixin
from lobby_tui.store.database import StoreError, translate_error
from lobby_tui.store.leads import _OPEN, LeadsMixin
from lobby_tui.store.leads import _SELECT as _LEAD_SELECT
from lobby_tui.store.waits import WaitEstimate

# The newest 20 open leads picked first, then joined (joining every open lead before sorting would
# cost the board's 5-second refresh milliseconds per thousand open leads).
_OPEN_LEADS = (
    _LEAD_SELECT
    + f" WHERE l.id IN (SELECT id FROM leads WHERE status IN {_OPEN} ORDER BY updated_ts DESC, rowid DESC LIMIT 20)"
    + " ORDER BY l.updated_ts DESC, l.rowid DESC"
)


QUEUE_SHOWN = 60  # customers still waiting shown on the board besides the newest visits


@dataclass(frozen=True)
class Board:
    """The lobby board: what the lobby manager's home screen shows."""

    day: str
    in_branch: int
    waiting: dict[str, int]
    recent: list[Visit]
    follow_up: list[Visit]  # potential-quality leads for account managers
    names: dict[str, str]  # customer id -> name (shown masked)
    leads: list[Lead] = field(default_factory=list)  # open leads for account managers, with their owner
    now: str = ""  # when the board was read: minutes waited are counted to here
    estimates: dict[str, WaitEstimate] = field(default_factory=dict)  # destination -> its queue and wait


class VisitsMixin(LeadsMixin, AppointmentsMixin):
    # ------------------------------------------------------------ visits

    def _visit(self, r: sqlite3.Row) -> Visit:
        return Visit(
            id=r["id"],
            device_id=r["device_id"],
            ts=r["ts"],
            shift_id=r["shift_id"],
            staff_id=r["staff_id"],
            customer_id=r["customer_id"],
            tier=r["tier"],
            quality=bool(r["quality"]),
            potential_quality=bool(r["potential_quality"]),
            reason=r["reason"],
            amount=from_fen(r["amount_fen"]) if r["amount_fen"] is not None else None,
            recommended_destination=r["recommended_destination"],
            destination=r["destination"],
            refer_to=r["refer_to"],
            override_reason=r["override_reason"],
            ticket=r["ticket"],
            outcome=r["outcome"],
            outcome_ts=r["outcome_ts"],
            notes=r["notes"],
            redirected_from=r["redirected_from"],
            called_ts=r["called_ts"],
            done_ts=r["done_ts"],
            confirmed_ts=r["confirmed_ts"],
        )

    def start_visit(
        self,
        *,
        reason: str,
        shift_id: str | None,
        staff_id: str | None,
        notes: str | None = None,
        visit_id: str | None = None,
        ts: str | None = None,
    ) -> str:
        """A customer greeted: the visit exists from its arrival time on, in progress.

        The screen may name the visit (`visit_id`) and its arrival (`ts`) itself, so that it can move
        on to the lookup at once while this is written behind it."""
        guidance_rules().reason(reason)
        ts = ts or self.now()
        visit_id = visit_id or str(uuid.uuid4())
        with self.write() as conn:
            conn.execute(
                "INSERT INTO visits(id, device_id, ts, day, shift_id, staff_id, reason, notes, outcome, updated_ts) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'in_progress', ?)",
                (visit_id, self.device_id, ts, ts[:10], shift_id, staff_id, reason, notes or None, ts),
            )
            self.chain_row(conn, "visits", visit_id)
        return visit_id

    def record_progress(self, visit_id: str, *, customer_id: str | None, classification: Classification | None) -> None:
        """Who the customer in progress turned out to be, kept so that the greeting can be resumed
        where it stopped (after an interruption, or after the app was closed mid-flow)."""
        with self.write() as conn:
            conn.execute(
                "UPDATE visits SET customer_id = ?, tier = ?, quality = ?, potential_quality = ?, updated_ts = ? "
                "WHERE id = ? AND outcome = 'in_progress'",
                (
                    customer_id,
                    classification.tier if classification else None,
                    int(bool(classification and classification.quality)),
                    int(bool(classification and classification.potential_quality)),
                    self.now(),
                    visit_id,
                ),
            )
            self.chain_row(conn, "visits", visit_id)

    def next_ticket(self, conn: sqlite3.Connection, day: str, destination: str) -> str:
        """The next queue number at `destination` today: never one handed out before that day."""
        prefix = guidance_rules().destinations[destination].prefix
        n = conn.execute(
            "INSERT INTO ticket_counters(day, destination, last) VALUES (?, ?, 1) "
            "ON CONFLICT(day, destination) DO UPDATE SET last = last + 1 RETURNING last",
            (day, destination),
        ).fetchone()[0]
        return f"{prefix}{n:03d}"

    def confirm_visit(
        self,
        visit_id: str,
        *,
        classification: Classification | None,
        recommendation: Recommendation,
        destination: str,
        customer_id: str | None = None,
        amount: Decimal | None = None,
        reason: str | None = None,
        override_reason: str | None = None,
        notes: str | None = None,
    ) -> Visit:
        """The lobby manager's confirm: tier, recommendation and destination, committed now."""
        if destination not in guidance_rules().destinations:
            raise InputError("destination.unknown", text=destination)
        overridden = destination != recommendation.destination
        if overridden and not (override_reason or "").strip():
            raise InputError("override.reason_needed")
        with self.write() as conn:
            row = conn.execute("SELECT * FROM visits WHERE id = ?", (visit_id,)).fetchone()
            if row is None:
                raise StoreError("db.no_such_visit", self.path, id=visit_id)
            ticket = self.next_ticket(conn, row["day"], destination)
            tier = classification.tier if classification else "ordinary"
            conn.execute(
                "UPDATE visits SET customer_id = ?, tier = ?, quality = ?, potential_quality = ?, reason = ?, "
                "amount_fen = ?, recommended_destination = ?, destination = ?, refer_to = ?, "
                "override_reason = ?, ticket = ?, outcome = 'waiting', notes = coalesce(?, notes), "
                "confirmed_ts = ?, updated_ts = ? WHERE id = ?",
                (
                    customer_id,
                    tier,
                    int(bool(classification and classification.quality)),
                    int(bool(classification and classification.potential_quality)),
                    reason or row["reason"],
                    to_fen(amount) if amount is not None else None,
                    recommendation.destination,
                    destination,
                    recommendation.refer_to,
                    override_reason.strip() if overridden and override_reason else None,
                    ticket,
                    notes or None,
                    self.now(),
                    self.now(),
                    visit_id,
                ),
            )
            self.chain_row(conn, "visits", visit_id)
            self._add_to_lead(
                conn,
                visit=row,
                customer_id=customer_id,
                classification=classification,
                recommendation=recommendation,
                reason=reason or row["reason"],
            )
            self._link_booking(conn, row, customer_id, reason or row["reason"])
            if overridden:
                self._audit(
                    conn,
                    "override",
                    row["staff_id"],
                    visit_id=visit_id,
                    recommended=recommendation.destination,
                    destination=destination,
                    reason=(override_reason or "").strip(),
                )
        return self.get_visit(visit_id)

    def set_outcome(
        self, visit_id: str, outcome: str, *, staff_id: str | None = None, destination: str | None = None
    ) -> Visit:
        """Served, left without service, redirected (to `destination`), or cancelled (a slip)."""
        if outcome not in ("served", "left", "redirected", "cancelled", "waiting"):
            raise InputError("outcome.bad", text=outcome)
        if outcome == "redirected" and destination not in guidance_rules().destinations:
            raise InputError("destination.unknown", text=str(destination))
        with self.write() as conn:
            row = conn.execute("SELECT * FROM visits WHERE id = ?", (visit_id,)).fetchone()
            if row is None:
                raise StoreError("db.no_such_visit", self.path, id=visit_id)
            if outcome == "redirected":
                # The customer waits again, at the new destination, with a new number; where they
                # were first sent stays in redirected_from.
                assert destination is not None  # checked above: a redirect names a known destination
                ticket = self.next_ticket(conn, row["day"], destination)
                conn.execute(
                    "UPDATE visits SET redirected_from = coalesce(redirected_from, destination), "
                    "destination = ?, ticket = ?, called_ts = NULL WHERE id = ?",
                    (destination, ticket, visit_id),
                )
                self._audit(
                    conn,
                    "redirected",
                    staff_id,
                    visit_id=visit_id,
                    destination=destination,
                    previous=row["destination"],
                )
                outcome = "waiting"
            conn.execute(
                "UPDATE visits SET outcome = ?, outcome_ts = ?, updated_ts = ? WHERE id = ?",
                (outcome, self.now(), self.now(), visit_id),
            )
            self.chain_row(conn, "visits", visit_id)
        return self.get_visit(visit_id)

    def undo_outcome(self, before: Visit, *, staff_id: str | None = None) -> Visit:
        """Put a visit back as it was before an outcome the lobby manager took back within seconds
        (served, left or redirected by mistake). The ticket numbers handed out stay used."""
        with self.write() as conn:
            conn.execute(
                "UPDATE visits SET outcome = ?, outcome_ts = ?, destination = ?, ticket = ?, redirected_from = ?, "
                "called_ts = ?, done_ts = ?, updated_ts = ? WHERE id = ?",
                (
                    before.outcome,
                    before.outcome_ts,
                    before.destination,
                    before.ticket,
                    before.redirected_from,
                    before.called_ts,
                    before.done_ts,
                    self.now(),
                    before.id,
                ),
            )
            self.chain_row(conn, "visits", before.id)
            self._audit(conn, "outcome_undone", staff_id, visit_id=before.id, outcome=before.outcome)
        return self.get_visit(before.id)

    def get_visit(self, visit_id: str) -> Visit:
        rows = self.query("SELECT * FROM visits WHERE id = ?", (visit_id,))
        if not rows:
            raise StoreError("db.no_such_visit", self.path, id=visit_id)
        return self._visit(rows[0])

    def visits_on(self, day: str) -> list[Visit]:
        return [self._visit(r) for r in self.query("SELECT * FROM visits WHERE day = ? ORDER BY ts, rowid", (day,))]

    def iter_visits(self, start: str, end: str) -> Iterator[Visit]:
        """Visits from `start` to `end` inclusive (ISO dates), oldest first, without loading them all."""
        try:
            cursor = self.conn.execute(
                "SELECT * FROM visits WHERE day BETWEEN ? AND ? ORDER BY day, ts, rowid", (start, end)
            )
            for row in cursor:
                yield self._visit(row)
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path) from None

    def day_summary(self, day: str) -> dict[str, Any]:
        figures = day_figures(day, self.visits_on(day))
        figures.pop("wait_histogram", None)  # what `waits` is merged from: not a figure to show
        return {
            **figures,
            "leads": self.lead_figures_between(day, day),
            "appointments": self.appointment_figures_on(day),
            "satisfaction": self.satisfaction_on(day),
        }

    def board(self, *, recent: int = 8) -> Board:
        day = self.today()
        waiting = {code: 0 for code in guidance_rules().destinations}
        in_branch = 0
        for r in self.query(
            "SELECT outcome, destination, called_ts IS NOT NULL AS called, count(*) AS n FROM visits "
            "WHERE outcome IN ('in_progress', 'waiting') AND day = ? GROUP BY outcome, destination, called",
            (day,),
        ):
            in_branch += r["n"]
            # A called ticket is at a window, no longer waiting (still in the branch).
            if r["outcome"] == "waiting" and r["destination"] in waiting and not r["called"]:
                waiting[r["destination"]] += r["n"]
        # The newest visits, and every customer still waiting however long ago they came (the queue):
        # each shows the minutes waited.
        recent_rows = self.query(
            "SELECT * FROM visits WHERE rowid IN (SELECT rowid FROM visits WHERE day = ? AND outcome != 'cancelled' "
            "ORDER BY ts DESC, rowid DESC LIMIT ?) OR rowid IN (SELECT rowid FROM visits WHERE day = ? "
            "AND outcome = 'waiting' ORDER BY ts LIMIT ?) ORDER BY ts DESC, rowid DESC",
            (day, recent, day, QUEUE_SHOWN if recent else 0),
        )
        since = (date.fromisoformat(day) - timedelta(days=6)).isoformat()
        follow = self.query(
            "SELECT * FROM visits WHERE potential_quality = 1 AND day >= ? AND outcome != 'cancelled' "
            "ORDER BY ts DESC, rowid DESC LIMIT 20",
            (since,),
        )
        visits = [self._visit(r) for r in recent_rows], [self._visit(r) for r in follow]
        ids = sorted({v.customer_id for group in visits for v in group if v.customer_id})
        names = {}
        if ids:
            marks = ", ".join("?" for _ in ids)
            names = {
                r["id"]: r["name"]
                for r in self.query(f"SELECT id, name FROM customers WHERE id IN ({marks})", tuple(ids))
            }
        leads = [self._lead(r) for r in self.query(_OPEN_LEADS)]
        now = self.now()
        estimates = self.wait_estimates() if recent else {}
        return Board(day, in_branch, waiting, visits[0], visits[1], names, leads, now, estimates)

    def waiting_counts(self) -> dict[str, int]:
        return self.board(recent=0).waiting

    if TYPE_CHECKING:  # WaitsMixin provides it in LobbyStore

        def wait_estimates(self) -> dict[str, WaitEstimate]: ...
        def satisfaction_on(self, day: str) -> dict[str, Any]: ...
