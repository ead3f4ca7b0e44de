"""The shift log and its review: patrols, incidents, handover notes, closing a shift, corrections; the
supervisor's review (sign-off, questions back), trends, comparisons, staff management and exports.

Roles are checked here, in the methods that do the work (StoreBase._require_role), not only by which
screens offer an action: a lobby manager cannot open review, sign off, manage staff or change a closed
shift. Log entries are append-only (triggers refuse any change); closing a shift locks its patrols,
incidents, handover note and visits; a correction is a new entry pointing at what it corrects.
Reads are paged or per shift, so a year of history stays instant.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.feedback import satisfaction_figures
from lobby_tui.domain.figures import (
    day_figures,
    lead_figures,
    range_figures,
    trend_figures,
)
from lobby_tui.domain.models import Shift, Visit
from lobby_tui.domain.patrol import patrol_checklist
from lobby_tui.domain.shiftlog import (
    ExportBundle,
    LogEntry,
    ManagerFigures,
    ShiftLog,
    ShiftRecord,
    StaffRow,
    VisitPage,
)
from lobby_tui.store.daily import DailyFiguresMixin
from lobby_tui.store.database import translate_error
from lobby_tui.store.security import check_pin_rule, hash_pin
from lobby_tui.store.staff import StaffMixin

TEXT_LIMIT = 500  # characters in a note, an incident, a handover, a correction, a question
PAGE = 50

_SHIFT_SELECT = """
    SELECT s.*, coalesce(st.name, s.staff_id) AS staff_name,
      (SELECT name FROM staff r WHERE r.staff_id = s.review_by) AS review_name,
      (SELECT count(*) FROM visits v WHERE v.shift_id = s.id AND v.outcome != 'cancelled') AS n_visits,
      (SELECT count(*) FROM shift_log l WHERE l.shift_id = s.id AND l.kind = 'patrol') AS n_patrols,
      (SELECT count(*) FROM shift_log l WHERE l.shift_id = s.id AND l.kind = 'incident') AS n_incidents,
      (SELECT count(*) FROM shift_log l WHERE l.shift_id = s.id AND l.kind = 'correction') AS n_corrections,
      (SELECT count(*) FROM visits v WHERE v.shift_id = s.id AND v.outcome IN ('in_progress', 'waiting')) AS n_waiting,
      (SELECT count(*) FROM visit_carryovers c WHERE c.to_shift = s.id) AS n_carried_in,
      (SELECT count(*) FROM visit_carryovers c WHERE c.from_shift = s.id) AS n_carried_out,
      (SELECT count(*) FROM visit_carryovers c WHERE c.from_shift = s.id AND c.to_shift IS NULL) AS n_carried_pending,
      (SELECT l.text FROM shift_log l WHERE l.shift_id = s.id AND l.kind = 'question'
       ORDER BY l.rowid DESC LIMIT 1) AS question
    FROM shifts s LEFT JOIN staff st ON st.staff_id = s.staff_id
"""
# Supervisors sign in too, which opens a shift for them; only shifts with lobby work are reviewed.
_REVIEWABLE = (
    "(coalesce(st.role, '') NOT IN ('supervisor', 'account_manager') OR EXISTS (SELECT 1 FROM visits v WHERE v.shift_id = s.id) "
    "OR EXISTS (SELECT 1 FROM shift_log l WHERE l.shift_id = s.id))"
)


def _text(value: str | None, empty_key: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InputError(empty_key)
    if len(text) > TEXT_LIMIT:
        raise InputError("text.too_long", n=TEXT_LIMIT)
    return text


class ShiftLogMixin(DailyFiguresMixin, StaffMixin):
    """The shift log and its review. Built on StaffMixin: opening a shift also takes over customers
    carried over from a shift closed while they waited (open_shift below)."""

    # ------------------------------------------------------------ rows into records

    @staticmethod
    def _entry(r: sqlite3.Row) -> LogEntry:
        return LogEntry(
            id=r["id"],
            device_id=r["device_id"],
            shift_id=r["shift_id"],
            staff_id=r["staff_id"],
            ts=r["ts"],
            kind=r["kind"],
            code=r["code"],
            text=r["text"],
            reason=r["reason"],
            checks=json.loads(r["checks"]) if r["checks"] else {},
            corrects=r["corrects"],
        )

    @staticmethod
    def _record(r: sqlite3.Row) -> ShiftRecord:
        return ShiftRecord(
            id=r["id"],
            device_id=r["device_id"],
            staff_id=r["staff_id"],
            staff_name=r["staff_name"],
            day=r["day"],
            opened_ts=r["opened_ts"],
            closed_ts=r["closed_ts"],
            status=r["status"],
            handover_note=r["handover_note"],
            closed_by=r["closed_by"],
            review_by=r["review_by"],
            review_name=r["review_name"],
            review_ts=r["review_ts"],
            review_comment=r["review_comment"],
            question=r["question"] if r["status"] == "returned" else None,
            visits=r["n_visits"],
            patrols=r["n_patrols"],
            incidents=r["n_incidents"],
            corrections=r["n_corrections"],
            waiting=r["n_waiting"],
            carried_in=r["n_carried_in"],
            carried_out=r["n_carried_out"],
            carried_pending=r["n_carried_pending"],
        )

    def _shift_row(self, conn: sqlite3.Connection, shift_id: str) -> sqlite3.Row:
        row: sqlite3.Row | None = conn.execute("SELECT * FROM shifts WHERE id = ?", (shift_id,)).fetchone()
        if row is None:
            raise InputError("shift.unknown")
        return row

    def _shift_record(self, conn: sqlite3.Connection, shift_id: str) -> ShiftRecord:
        row = conn.execute(_SHIFT_SELECT + " WHERE s.id = ?", (shift_id,)).fetchone()
        if row is None:
            raise InputError("shift.unknown")
        return self._record(row)

    def _insert_entry(
        self,
        conn: sqlite3.Connection,
        *,
        shift: sqlite3.Row,
        staff_id: str,
        kind: str,
        code: str | None = None,
        text: str | None = None,
        reason: str | None = None,
        checks: Mapping[str, bool] | None = None,
        corrects: str | None = None,
    ) -> LogEntry:
        entry_id = str(uuid.uuid4())
        conn.execute(
            "INSERT INTO shift_log(id, device_id, shift_id, staff_id, ts, kind, code, text, reason, checks, corrects) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry_id,
                self.device_id,
                shift["id"],
                staff_id,
                self.now(),
                kind,
                code,
                text,
                reason,
                json.dumps(dict(checks), sort_keys=False) if checks is not None else None,
                corrects,
            ),
        )
        self.chain_row(conn, "shift_log", entry_id)
        return self._entry(conn.execute("SELECT * FROM shift_log WHERE id = ?", (entry_id,)).fetchone())

    def _own_open_shift(self, conn: sqlite3.Connection, shift_id: str, by: str) -> sqlite3.Row:
        self._require_role(conn, by)
        shift = self._shift_row(conn, shift_id)
        if shift["staff_id"] != by:
            raise InputError("shift.not_yours")
        if shift["status"] != "open":
            raise InputError("shift.closed")
        return shift

    def _readable_shift(self, conn: sqlite3.Connection, shift_id: str, by: str) -> sqlite3.Row:
        """A lobby manager reads their own shifts; a supervisor reads every shift."""
        actor = self._require_role(conn, by)
        shift = self._shift_row(conn, shift_id)
        if actor["role"] != "supervisor" and shift["staff_id"] != by:
            raise InputError("shift.not_yours")
        return shift

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A read transaction (deferred: it never holds up a writer), with errors made readable."""
        conn = self.conn
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path) from None

    # ------------------------------------------------------------ the lobby manager's shift log

    def add_patrol(
        self, shift_id: str, by: str, round_code: str, checks: Mapping[str, bool], note: str | None = None
    ) -> LogEntry:
        """One patrol round: each checklist item all right or not; a problem needs a note."""
        checklist = patrol_checklist()
        checklist.round(round_code)
        for code in checks:
            checklist.item(code)
        # An item left out is not checked yet, never a fault: the round is refused until each is marked.
        unchecked = checklist.unchecked(checks)
        if unchecked:
            raise InputError("shiftlog.patrol_unchecked", items=", ".join(str(n) for n, _ in unchecked))
        full = {item.code: checks[item.code] is True for item in checklist.items}
        text = (note or "").strip() or None
        if not all(full.values()) and not text:
            raise InputError("patrol.note_needed")
        if text and len(text) > TEXT_LIMIT:
            raise InputError("text.too_long", n=TEXT_LIMIT)
        with self.write() as conn:
            shift = self._own_open_shift(conn, shift_id, by)
            entry = self._insert_entry(
                conn, shift=shift, staff_id=by, kind="patrol", code=round_code, text=text, checks=full
            )
            self._audit(
                conn,
                "patrol",
                by,
                shift_id=shift_id,
                round=round_code,
                problems=[code for code, ok in full.items() if not ok],
            )
        return entry

    def add_incident(self, shift_id: str, by: str, kind: str, text: str) -> LogEntry:
        """A self-service machine fault, a complaint, a customer assisted at a machine, …"""
        patrol_checklist().incident(kind)
        body = _text(text, "incident.text_needed")
        with self.write() as conn:
            shift = self._own_open_shift(conn, shift_id, by)
            entry = self._insert_entry(conn, shift=shift, staff_id=by, kind="incident", code=kind, text=body)
            self._audit(conn, "incident", by, shift_id=shift_id, kind=kind, entry_id=entry.id)
        return entry

    def set_handover(self, shift_id: str, by: str, text: str) -> LogEntry:
        """The note for the next shift; written again while the shift is open, each version kept."""
        body = _text(text, "handover.text_needed")
        with self.write() as conn:
            shift = self._own_open_shift(conn, shift_id, by)
            conn.execute(
                "UPDATE shifts SET handover_note = ?, updated_ts = ? WHERE id = ?", (body, self.now(), shift_id)
            )
            self.chain_row(conn, "shifts", shift_id)
            entry = self._insert_entry(conn, shift=shift, staff_id=by, kind="handover", text=body)
            self._audit(conn, "handover", by, shift_id=shift_id, entry_id=entry.id)
        return entry

    def close_shift(self, shift_id: str, by: str) -> ShiftRecord:
        """Close (and so lock) the shift, also while customers wait (a mid-day handover).

        Customers of today's shift still waiting or being greeted carry over: they leave this shift
        before it locks (so they can still be served), each recorded in visit_carryovers, and the next
        lobby manager to sign in today takes them over onto their shift (take_over_waiting). An earlier
        day's waiting visits stay where they are: nobody is in the branch for them any more."""
        with self.write() as conn:
            actor = self._require_role(conn, by)
            shift = self._shift_row(conn, shift_id)
            if shift["staff_id"] != by and actor["role"] != "supervisor":
                raise InputError("shift.not_yours")
            if shift["status"] != "open":
                raise InputError("shift.closed")
            now = self.now()
            if shift["day"] == self.today():
                waiting = conn.execute(
                    "SELECT id, day FROM visits WHERE shift_id = ? AND outcome IN ('in_progress', 'waiting') "
                    "ORDER BY ts, rowid",
                    (shift_id,),
                ).fetchall()
                for visit in waiting:
                    conn.execute(
                        "INSERT INTO visit_carryovers(visit_id, from_shift, device_id, day, carried_ts) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (visit["id"], shift_id, self.device_id, visit["day"], now),
                    )
                    conn.execute("UPDATE visits SET shift_id = NULL, updated_ts = ? WHERE id = ?", (now, visit["id"]))
                    self.chain_row(conn, "visits", visit["id"])
                if waiting:
                    self._audit(conn, "visits_carried_over", by, shift_id=shift_id, visits=[v["id"] for v in waiting])
            self.mark_no_shows(by, conn)  # the end of the day (or of a handover): who never came
            conn.execute(
                "UPDATE shifts SET status = 'closed', closed_ts = ?, closed_by = ?, updated_ts = ? WHERE id = ?",
                (now, by, now, shift_id),
            )
            self.chain_row(conn, "shifts", shift_id)
            self._audit(conn, "shift_closed", by, shift_id=shift_id)
            return self._shift_record(conn, shift_id)

    def open_shift(self, staff_id: str) -> Shift:
        """StaffMixin.open_shift, and then a lobby manager takes over the customers carried over from a
        shift closed earlier today while they waited."""
        shift = super().open_shift(staff_id)
        self.take_over_waiting(shift.id, staff_id)
        return shift

    def take_over_waiting(self, shift_id: str, by: str) -> list[str]:
        """Onto this lobby manager's open shift: today's visits carried over from shifts closed while
        those customers waited, and not taken over yet. Returns their ids (oldest first); a supervisor's
        shift takes none."""
        day = self.today()
        pending = "SELECT visit_id, from_shift FROM visit_carryovers WHERE to_shift IS NULL AND day = ?"
        if not self.query(pending + " LIMIT 1", (day,)):
            return []
        with self.write() as conn:
            actor = self._require_role(conn, by)
            if actor["role"] != "lobby_manager":
                return []
            shift = self._own_open_shift(conn, shift_id, by)
            rows = conn.execute(pending + " ORDER BY carried_ts, rowid", (shift["day"],)).fetchall()
            now = self.now()
            for r in rows:
                conn.execute(
                    "UPDATE visit_carryovers SET to_shift = ?, taken_ts = ? WHERE visit_id = ? AND from_shift = ?",
                    (shift_id, now, r["visit_id"], r["from_shift"]),
                )
                conn.execute(
                    "UPDATE visits SET shift_id = ?, updated_ts = ? WHERE id = ? AND shift_id IS NULL",
                    (shift_id, now, r["visit_id"]),
                )
                self.chain_row(conn, "visits", r["visit_id"])
            ids = [r["visit_id"] for r in rows]
            if ids:
                self._audit(
                    conn,
                    "visits_taken_over",
                    by,
                    shift_id=shift_id,
                    visits=ids,
                    from_shifts=sorted({r["from_shift"] for r in rows}),
                )
        return ids

    def add_correction(self, by: str, target_id: str, text: str, reason: str) -> LogEntry:
        """A correction of a visit or a log entry: what is right, and why. Nothing is edited; the
        correction is a new entry in the shift of what it corrects, pointing at it."""
        body = _text(text, "correction.text_needed")
        why = _text(reason, "correction.reason_needed")
        with self.write() as conn:
            actor = self._require_role(conn, by)
            target = conn.execute("SELECT shift_id, kind FROM shift_log WHERE id = ?", (target_id,)).fetchone()
            if target is not None:
                kind, shift_id = target["kind"], target["shift_id"]
                if kind not in ("patrol", "incident", "handover", "correction"):
                    raise InputError("correction.not_correctable")
            else:
                visit = conn.execute("SELECT shift_id FROM visits WHERE id = ?", (target_id,)).fetchone()
                if visit is None:
                    raise InputError("correction.unknown")
                if visit["shift_id"] is None:
                    raise InputError("correction.no_shift")
                kind, shift_id = "visit", visit["shift_id"]
            shift = self._shift_row(conn, shift_id)
            if actor["role"] != "supervisor":
                if shift["staff_id"] != by:
                    raise InputError("shift.not_yours")
                if shift["status"] == "signed_off":
                    raise InputError("shift.signed_off")
            entry = self._insert_entry(
                conn, shift=shift, staff_id=by, kind="correction", code=kind, text=body, reason=why, corrects=target_id
            )
            self._audit(conn, "correction", by, shift_id=shift_id, corrects=target_id, what=kind, text=body, reason=why)
        return entry

    def shift_log(self, shift_id: str, by: str) -> ShiftLog:
        """A shift and its whole log, oldest entry first (a shift has tens of entries, not thousands)."""
        with self._reading() as conn:
            self._readable_shift(conn, shift_id, by)
            record = self._shift_record(conn, shift_id)
            rows = conn.execute("SELECT * FROM shift_log WHERE shift_id = ? ORDER BY ts, rowid", (shift_id,)).fetchall()
        return ShiftLog(record, [self._entry(r) for r in rows])

    def my_shifts(self, by: str, limit: int = 14) -> list[ShiftRecord]:
        """The lobby manager's own latest shifts, newest first."""
        with self._reading() as conn:
            self._require_role(conn, by)
            rows = conn.execute(
                _SHIFT_SELECT + " WHERE s.staff_id = ? ORDER BY s.day DESC, s.opened_ts DESC LIMIT ?", (by, limit)
            ).fetchall()
        return [self._record(r) for r in rows]

    def returned_shifts(self, by: str) -> list[ShiftRecord]:
        """The lobby manager's shifts sent back with a question, oldest first: shown at sign-in."""
        rows = self.query(_SHIFT_SELECT + " WHERE s.staff_id = ? AND s.status = 'returned' ORDER BY s.day", (by,))
        return [self._record(r) for r in rows]

    def answer_question(self, shift_id: str, by: str, text: str) -> ShiftRecord:
        """The lobby manager's answer to a returned shift's question; the shift goes back for review."""
        body = _text(text, "answer.text_needed")
        with self.write() as conn:
            self._require_role(conn, by)
            shift = self._shift_row(conn, shift_id)
            if shift["staff_id"] != by:
                raise InputError("shift.not_yours")
            if shift["status"] != "returned":
                raise InputError("shift.not_returned")
            self._insert_entry(conn, shift=shift, staff_id=by, kind="answer", text=body)
            conn.execute("UPDATE shifts SET status = 'closed', updated_ts = ? WHERE id = ?", (self.now(), shift_id))
            self.chain_row(conn, "shifts", shift_id)
            self._audit(conn, "shift_answered", by, shift_id=shift_id, text=body)
            return self._shift_record(conn, shift_id)

    # ------------------------------------------------------------ the supervisor's review

    def list_shifts(
        self,
        by: str,
        *,
        start: str | None = None,
        end: str | None = None,
        device: str | None = None,
        staff: str | None = None,
        status: str | None = None,
        limit: int = PAGE,
        offset: int = 0,
    ) -> list[ShiftRecord]:
        """One page of shifts, newest first, filtered by dates, device, lobby manager and status."""
        where, params = [_REVIEWABLE], []
        for clause, value in (
            ("s.day >= ?", start),
            ("s.day <= ?", end),
            ("s.device_id = ?", device),
            ("s.staff_id = ?", staff),
            ("s.status = ?", status),
        ):
            if value:
                where.append(clause)
                params.append(value)
        with self._reading() as conn:
            self._require_role(conn, by, "supervisor")
            # The page's shifts first, then the counts for those only: a sort over _SHIFT_SELECT
            # would count visits and log entries for every shift skipped by OFFSET too.
            order = " ORDER BY s.day DESC, s.opened_ts DESC, s.id"
            rows = conn.execute(
                _SHIFT_SELECT
                + " WHERE s.rowid IN (SELECT s.rowid FROM shifts s LEFT JOIN staff st ON st.staff_id = s.staff_id"
                + " WHERE "
                + " AND ".join(where)
                + order
                + " LIMIT ? OFFSET ?)"
                + order,
                (*params, limit, offset),
            ).fetchall()
        return [self._record(r) for r in rows]

    def review_overview(self, by: str) -> dict[str, int]:
        """What waits for the supervisor: shifts to review, shifts sent back, open shifts, locked accounts."""
        with self._reading() as conn:
            self._require_role(conn, by, "supervisor")
            counts = dict(
                conn.execute(
                    "SELECT s.status, count(*) FROM shifts s LEFT JOIN staff st ON st.staff_id = s.staff_id "
                    "WHERE " + _REVIEWABLE + " GROUP BY s.status"
                ).fetchall()
            )
            locked = conn.execute("SELECT count(*) FROM staff WHERE locked = 1 AND active = 1").fetchone()[0]
        return {
            "to_review": counts.get("closed", 0),
            "returned": counts.get("returned", 0),
            "open": counts.get("open", 0),
            "locked": locked,
        }

    def shift_choices(self, by: str) -> tuple[list[str], list[tuple[str, str]]]:
        """The devices and the lobby managers (id, name) the shift list can be filtered by."""
        with self._reading() as conn:
            self._require_role(conn, by, "supervisor")
            devices = [r[0] for r in conn.execute("SELECT DISTINCT device_id FROM shifts ORDER BY device_id")]
            staff = [
                (r["staff_id"], r["name"])
                for r in conn.execute("SELECT staff_id, name FROM staff WHERE role = 'lobby_manager' ORDER BY staff_id")
            ]
        return devices, staff

    def shift_visits(self, shift_id: str, by: str, *, offset: int = 0, limit: int = 100) -> VisitPage:
        """One page of a shift's visits in arrival order, with the customers' names (shown masked)."""
        with self._reading() as conn:
            self._readable_shift(conn, shift_id, by)
            total = conn.execute("SELECT count(*) FROM visits WHERE shift_id = ?", (shift_id,)).fetchone()[0]
            rows = conn.execute(
                "SELECT * FROM visits WHERE shift_id = ? ORDER BY ts, id LIMIT ? OFFSET ?", (shift_id, limit, offset)
            ).fetchall()
            visits = [self._visit(r) for r in rows]
            ids = sorted({v.customer_id for v in visits if v.customer_id})
            names = {}
            if ids:
                marks = ", ".join("?" for _ in ids)
                names = {
                    r["id"]: r["name"]
                    for r in conn.execute(f"SELECT id, name FROM customers WHERE id IN ({marks})", ids)
                }
        return VisitPage(visits, names, total, offset)

    def _shift_visits_all(self, conn: sqlite3.Connection, shift_id: str) -> list[Visit]:
        rows = conn.execute("SELECT * FROM visits WHERE shift_id = ? ORDER BY ts", (shift_id,)).fetchall()
        return [self._visit(r) for r in rows]

    def shift_figures(self, shift_id: str, by: str) -> dict[str, Any]:
        """The shift's own figures: day_figures over the visits of this shift."""
        with self._reading() as conn:
            shift = self._readable_shift(conn, shift_id, by)
            visits = self._shift_visits_all(conn, shift_id)
        return day_figures(shift["day"], visits)

    def _review_target(self, conn: sqlite3.Connection, shift_id: str, by: str) -> sqlite3.Row:
        self._require_role(conn, by, "supervisor")
        shift = self._shift_row(conn, shift_id)
        if shift["staff_id"] == by:
            raise InputError("review.own_shift")
        if shift["status"] == "open":
            raise InputError("review.still_open")
        if shift["status"] == "signed_off":
            raise InputError("review.signed_off")
        return shift

    def sign_off(self, shift_id: str, by: str, comment: str | None = None) -> ShiftRecord:
        """The supervisor signs a closed shift off, with an optional comment. Final: nothing changes after."""
        text = (comment or "").strip() or None
        if text and len(text) > TEXT_LIMIT:
            raise InputError("text.too_long", n=TEXT_LIMIT)
        with self.write() as conn:
            self._review_target(conn, shift_id, by)
            now = self.now()
            conn.execute(
                "UPDATE shifts SET status = 'signed_off', review_by = ?, review_ts = ?, review_comment = ?, "
                "updated_ts = ? WHERE id = ?",
                (by, now, text, now, shift_id),
            )
            self.chain_row(conn, "shifts", shift_id)
            self._audit(conn, "shift_signed_off", by, shift_id=shift_id, comment=text)
            return self._shift_record(conn, shift_id)

    def return_shift(self, shift_id: str, by: str, question: str) -> ShiftRecord:
        """Send a closed shift back with a question; the lobby manager sees it at their next sign-in."""
        body = _text(question, "review.question_needed")
        with self.write() as conn:
            shift = self._review_target(conn, shift_id, by)
            self._insert_entry(conn, shift=shift, staff_id=by, kind="question", text=body)
            conn.execute("UPDATE shifts SET status = 'returned', updated_ts = ? WHERE id = ?", (self.now(), shift_id))
            self.chain_row(conn, "shifts", shift_id)
            self._audit(conn, "shift_returned", by, shift_id=shift_id, question=body)
            return self._shift_record(conn, shift_id)

    def trend(self, by: str, *, end: str | None = None, days: int = 30) -> list[dict[str, Any]]:
        """day_figures for each of the last `days` days up to `end` (today), oldest first."""
        end = end or self.today()
        start = (date.fromisoformat(end) - timedelta(days=days - 1)).isoformat()
        with self._reading() as conn:
            self._require_role(conn, by, "supervisor")
        per_day = self.kept_trend(start, end)  # trend_figures over the visits, from the kept days
        leads = self.lead_figures_by_day(start, end)
        appointments = self.appointment_figures_by_day(start, end)
        satisfaction = self.satisfaction_by_day(start, end)
        shown = ({k: v for k, v in figures.items() if k != "wait_histogram"} for figures in per_day)  # as day_summary
        return [
            {
                **figures,
                "leads": leads[figures["date"]],
                "appointments": appointments[figures["date"]],
                "satisfaction": satisfaction[figures["date"]],
            }
            for figures in shown
        ]

    def compare_managers(self, by: str | None, *, start: str, end: str) -> list[ManagerFigures]:
        """Each lobby manager's figures, shifts and shift-log activity from `start` to `end`.
        `by` None: the command line (whoever holds the database file), as for export_bundle."""
        if start > end:
            raise InputError("date.range", start=start, end=end)
        with self._reading() as conn:
            if by is not None:
                self._require_role(conn, by, "supervisor")
            managers = conn.execute(
                "SELECT staff_id, name FROM staff WHERE role = 'lobby_manager' ORDER BY staff_id"
            ).fetchall()
            shifts = {
                r[0]: (r[1], r[2])
                for r in conn.execute(
                    "SELECT staff_id, count(*), sum(status = 'returned') FROM shifts WHERE day BETWEEN ? AND ? "
                    "GROUP BY staff_id",
                    (start, end),
                )
            }
            log = {
                (r[0], r[1]): r[2]
                for r in conn.execute(
                    "SELECT s.staff_id, l.kind, count(*) FROM shift_log l JOIN shifts s ON s.id = l.shift_id "
                    "WHERE s.day BETWEEN ? AND ? GROUP BY s.staff_id, l.kind",
                    (start, end),
                )
            }
        figures = self.kept_staff_figures(start, end)  # staff_figures over the visits, from the kept days
        leads = self.lead_figures_by_maker(start, end)
        no_leads = lead_figures(())
        satisfaction = self.satisfaction_by_manager(start, end)
        no_ratings = satisfaction_figures(())
        empty = range_figures(start, end, ())
        return [
            ManagerFigures(
                staff_id=m["staff_id"],
                name=m["name"],
                shifts=shifts.get(m["staff_id"], (0, 0))[0],
                figures={
                    **figures.get(m["staff_id"], empty),
                    "leads": leads.get(m["staff_id"], no_leads),
                    "satisfaction": satisfaction.get(m["staff_id"], no_ratings),
                },
                patrols=log.get((m["staff_id"], "patrol"), 0),
                incidents=log.get((m["staff_id"], "incident"), 0),
                corrections=log.get((m["staff_id"], "correction"), 0),
                returned=shifts.get(m["staff_id"], (0, 0))[1] or 0,
            )
            for m in managers
        ]

    # ------------------------------------------------------------ staff management

    def _staff_row(self, conn: sqlite3.Connection, staff_id: str) -> StaffRow:
        r = conn.execute("SELECT * FROM staff WHERE staff_id = ?", (staff_id,)).fetchone()
        if r is None:
            raise InputError("staff.unknown", staff_id=staff_id)
        last = conn.execute(
            "SELECT max(ts) FROM audit WHERE action = 'signin' AND staff_id = ?", (staff_id,)
        ).fetchone()[0]
        return StaffRow(
            r["staff_id"], r["name"], r["role"], bool(r["active"]), bool(r["locked"]), r["failed_pins"], last
        )

    def list_staff(self, by: str) -> list[StaffRow]:
        with self._reading() as conn:
            self._require_role(conn, by, "supervisor")
            ids = [r[0] for r in conn.execute("SELECT staff_id FROM staff ORDER BY active DESC, role, staff_id")]
            return [self._staff_row(conn, staff_id) for staff_id in ids]

    def reset_pin(self, by: str, staff_id: str, pin: str) -> StaffRow:
        """A new PIN for a colleague who forgot theirs; it also unlocks the account."""
        check_pin_rule(pin)
        with self.write() as conn:
            self._require_role(conn, by, "supervisor")
            self._staff_row(conn, staff_id)
            now = self.now()
            conn.execute(
                "UPDATE staff SET pin_hash = ?, failed_pins = 0, locked = 0, pin_reset_ts = ?, "
                "updated_ts = ? WHERE staff_id = ?",
                (hash_pin(pin), now, now, staff_id),
            )
            self.chain_row(conn, "staff", staff_id)
            self._audit(conn, "pin_reset", by, staff=staff_id)
            return self._staff_row(conn, staff_id)

    def deactivate_staff(self, by: str, staff_id: str) -> StaffRow:
        """The account can no longer sign in; its shifts and entries stay as they were. Nobody deactivates
        themselves, so a database always keeps an active supervisor."""
        with self.write() as conn:
            self._require_role(conn, by, "supervisor")
            if staff_id == by:
                raise InputError("staff.self")
            target = self._staff_row(conn, staff_id)
            if not target.active:
                raise InputError("staff.inactive", staff_id=staff_id)
            now = self.now()
            conn.execute(
                "UPDATE staff SET active = 0, deactivated_ts = ?, updated_ts = ? WHERE staff_id = ?",
                (now, now, staff_id),
            )
            self.chain_row(conn, "staff", staff_id)
            self._audit(conn, "staff_deactivated", by, staff=staff_id)
            return self._staff_row(conn, staff_id)

    def unlock_staff(self, by: str, staff_id: str) -> StaffRow:
        """Unlock an account locked after five wrong PINs."""
        with self.write() as conn:
            self._require_role(conn, by, "supervisor")
            target = self._staff_row(conn, staff_id)
            if not target.locked:
                raise InputError("staff.not_locked", staff_id=staff_id)
            conn.execute(
                "UPDATE staff SET locked = 0, failed_pins = 0, updated_ts = ? WHERE staff_id = ?",
                (self.now(), staff_id),
            )
            self.chain_row(conn, "staff", staff_id)
            self._audit(conn, "account_unlocked", by, staff=staff_id)
            return self._staff_row(conn, staff_id)

    # ------------------------------------------------------------ exports

    def export_bundle(
        self,
        by: str | None,
        *,
        fmt: str,
        start: str | None = None,
        end: str | None = None,
        shift_id: str | None = None,
    ) -> ExportBundle:
        """What an export of one shift, or of the days from `start` to `end`, writes; audited.
        `by` is the supervisor signed in; None only for `lobby-tui export` (the command line holds the
        database file itself, as for the visits' CSV), audited without a staff id."""
        with self.write() as conn:
            if by is not None:
                self._require_role(conn, by, "supervisor")
            if shift_id:
                record = self._shift_record(conn, shift_id)
                start = end = record.day
                shifts = [record]
            else:
                if not start or not end:
                    raise InputError("export.range_needed")
                if start > end:
                    raise InputError("date.range", start=start, end=end)
                shifts = [
                    self._record(r)
                    for r in conn.execute(
                        _SHIFT_SELECT
                        + " WHERE s.day BETWEEN ? AND ? AND "
                        + _REVIEWABLE
                        + " ORDER BY s.day, s.opened_ts",
                        (start, end),
                    )
                ]
            ids = {s.id for s in shifts}
            entries = [
                self._entry(r)
                for r in conn.execute(
                    "SELECT l.* FROM shift_log l JOIN shifts s ON s.id = l.shift_id WHERE s.day BETWEEN ? AND ? "
                    "ORDER BY s.day, l.shift_id, l.ts, l.rowid",
                    (start, end),
                )
                if r["shift_id"] in ids
            ]
            self._audit(conn, "export", by, format=fmt, start=start, end=end, shift_id=shift_id, shifts=len(shifts))
        assert start is not None and end is not None
        first, last = start, end

        def visits() -> Iterator[Visit]:
            if shift_id:
                yield from (v for v in self.iter_visits(first, last) if v.shift_id == shift_id)
            else:
                yield from self.iter_visits(first, last)

        if fmt != "html":  # the data files carry the rows; only the report needs the figures
            return ExportBundle(first, last, shift_id, shifts, entries, visits, {}, [], [])
        newest = self.query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        mark = f"{newest[0][0]}:{newest[0][1][:16]}" if newest else ""
        figures = range_figures(first, last, visits())
        trend = trend_figures(first, last, visits()) if first != last else []
        managers = [] if shift_id else self.compare_managers(by, start=first, end=last)
        return ExportBundle(first, last, shift_id, shifts, entries, visits, figures, trend, managers, mark)

    if TYPE_CHECKING:  # VisitsMixin provides these in LobbyStore

        def mark_no_shows(self, by: str | None, conn: sqlite3.Connection | None = None) -> int: ...
        def appointment_figures_by_day(self, start: str, end: str) -> dict[str, dict[str, int]]: ...
        def iter_visits(self, start: str, end: str) -> Iterator[Visit]: ...
        def _visit(self, r: sqlite3.Row) -> Visit: ...
        def lead_figures_by_day(self, start: str, end: str) -> dict[str, dict[str, int]]: ...
        def lead_figures_by_maker(self, start: str, end: str) -> dict[str, dict[str, int]]: ...
        def satisfaction_by_day(self, start: str, end: str) -> dict[str, dict[str, Any]]: ...
        def satisfaction_by_manager(self, start: str, end: str) -> dict[str, dict[str, Any]]: ...
