"""The customer's feedback (issue 11): one rating per visit, taken on the board (`v`) at the end of the
visit, counted in the day's summary, the trend and the comparison. See lobby_tui/domain/feedback.py.

A rating is about the visit, never the customer: the row holds the visit's id, the score and a reason
code, nothing typed. It is chained and audited; triggers refuse any change (migration v12). A low
rating makes an entry in the shift log of the lobby manager who took it, for the supervisor.
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import TYPE_CHECKING, Any

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.feedback import Feedback, feedback_rules, merge_satisfaction, satisfaction_figures
from lobby_tui.store.base import StoreBase

if TYPE_CHECKING:
    from lobby_tui.domain.shiftlog import LogEntry

_SELECT = "SELECT f.*, v.ticket AS ticket FROM feedback f LEFT JOIN visits v ON v.id = f.visit_id"


class FeedbackMixin(StoreBase):
    @staticmethod
    def _feedback(r: sqlite3.Row) -> Feedback:
        return Feedback(
            id=r["id"],
            visit_id=r["visit_id"],
            day=r["day"],
            ts=r["ts"],
            score=r["score"],
            scale=r["scale"],
            reason=r["reason"],
            staff_id=r["staff_id"],
            ticket=r["ticket"],
        )

    def feedback_for_visit(self, visit_id: str) -> Feedback | None:
        rows = self.query(_SELECT + " WHERE f.visit_id = ?", (visit_id,))
        return self._feedback(rows[0]) if rows else None

    def check_rateable(self, visit_id: str) -> None:
        """Raise the InputError that says why this visit cannot be rated now (before the screen is
        turned to the customer): unknown, cancelled, of another day, or rated already."""
        rows = self.query("SELECT day, outcome FROM visits WHERE id = ?", (visit_id,))
        if not rows:
            raise InputError("feedback.no_visit")
        if rows[0]["outcome"] == "cancelled":
            raise InputError("feedback.cancelled")
        if rows[0]["day"] != self.today():
            raise InputError("feedback.not_today")
        if self.query("SELECT 1 FROM feedback WHERE visit_id = ?", (visit_id,)):
            raise InputError("feedback.already")

    def record_feedback(
        self,
        visit_id: str,
        score: int,
        reason: str | None = None,
        *,
        staff_id: str | None,
        shift_id: str | None,
    ) -> Feedback:
        """The customer's rating of `visit_id`, committed now. A low one (feedback.toml's low_at_most)
        makes a `feedback` entry in `shift_id`'s log while that shift is open."""
        rules = feedback_rules()
        if isinstance(score, bool) or not isinstance(score, int):
            raise InputError("feedback.score_bad", text=str(score)[:10])
        rules.button(score)  # a score this scale offers
        if reason is not None:
            rules.reason(reason)
        feedback_id = str(uuid.uuid4())
        with self.write() as conn:
            self._require_role(conn, staff_id)
            self.check_rateable(visit_id)
            now = self.now()
            conn.execute(
                "INSERT INTO feedback(id, device_id, visit_id, day, ts, score, scale, reason, staff_id, shift_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (feedback_id, self.device_id, visit_id, now[:10], now, score, rules.scale, reason, staff_id, shift_id),
            )
            self.chain_row(conn, "feedback", feedback_id, new=True)
            entry = None
            if rules.is_low(score) and shift_id is not None and staff_id is not None:
                shift = conn.execute("SELECT * FROM shifts WHERE id = ? AND status = 'open'", (shift_id,)).fetchone()
                if shift is not None:
                    ticket = conn.execute("SELECT ticket FROM visits WHERE id = ?", (visit_id,)).fetchone()[0]
                    entry = self._insert_entry(
                        conn,
                        shift=shift,
                        staff_id=staff_id,
                        kind="feedback",
                        code=str(score),
                        text=ticket,
                        reason=reason,
                    )
            self._audit(
                conn,
                "feedback",
                staff_id,
                visit_id=visit_id,
                score=score,
                reason=reason,
                entry_id=entry.id if entry else None,
            )
        found = self.feedback_for_visit(visit_id)
        assert found is not None
        return found

    # ------------------------------------------------------------ the figures

    def satisfaction_on(self, day: str) -> dict[str, Any]:
        rows = self.query("SELECT score FROM feedback WHERE day = ?", (day,))
        return satisfaction_figures(r[0] for r in rows)

    def satisfaction_by_day(self, start: str, end: str) -> dict[str, dict[str, Any]]:
        """satisfaction_figures for every day from `start` to `end` (the supervisor's trend)."""
        from lobby_tui.domain.figures import days_between

        by_day: dict[str, list[int]] = {}
        for r in self.query("SELECT day, score FROM feedback WHERE day BETWEEN ? AND ?", (start, end)):
            by_day.setdefault(r[0], []).append(r[1])
        return {day: satisfaction_figures(by_day.get(day, ())) for day in days_between(start, end)}

    def satisfaction_by_manager(self, start: str, end: str) -> dict[str, dict[str, Any]]:
        """The ratings of each lobby manager's visits (the one who greeted the customer) in the range."""
        counts: dict[str, dict[str, int]] = {}
        for r in self.query(
            "SELECT v.staff_id, f.score, count(*) FROM feedback f JOIN visits v ON v.id = f.visit_id "
            "WHERE f.day BETWEEN ? AND ? AND v.staff_id IS NOT NULL GROUP BY v.staff_id, f.score",
            (start, end),
        ):
            counts.setdefault(r[0], {})[str(r[1])] = r[2]
        return {staff: merge_satisfaction([{"by_score": c}]) for staff, c in counts.items()}

    if TYPE_CHECKING:  # ShiftLogMixin provides it in LobbyStore

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
            checks: Any = None,
            corrects: str | None = None,
        ) -> LogEntry: ...
