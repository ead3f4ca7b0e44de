"""Leads: from the lobby to the account manager and back (manual §3: identify & guide gives account
managers face-to-face time with quality customers and those pending follow-up).

A lead is per customer, not per visit: a confirmed visit whose guidance says `lead` makes the
customer's one open lead, or adds to it (the visit's business, a visit more). It is assigned when it
is made to the account manager on duty (signed in today), and the lobby manager may assign it to
another until it is taken. The account manager takes it, records contact (phone, meeting, declined,
converted to a wealth account or a product) and may hand it back. Every change is audited.

Who may do what is LEAD_ACTIONS, checked in one place (_lead_actor) through StoreBase._require_role.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import date, timedelta
from typing import Any, NamedTuple

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.figures import lead_figures
from lobby_tui.domain.guidance import Recommendation
from lobby_tui.domain.models import CONTACT_KINDS, CONVERTED_TO, LEAD_STATUSES, OPEN_LEAD_STATUSES, Lead
from lobby_tui.domain.tiers import Classification
from lobby_tui.store.base import StoreBase

# Who may do what with a lead: the one table a role check reads (issue 14 may add a PIN session here).
LEAD_ACTIONS: dict[str, tuple[str, ...]] = {
    "assign": ("lobby_manager", "supervisor"),
    "take": ("account_manager",),
    "contact": ("account_manager",),
    "hand_back": ("account_manager",),
    "read_own": ("account_manager",),
    "read": ("lobby_manager", "supervisor", "account_manager"),
}
NOTE_LIMIT = 300
_OPEN = "('new', 'taken', 'contacted')"
_SELECT = """
    SELECT l.*, c.name AS name, c.phone_masked AS phone_masked, o.name AS owner_name
    FROM leads l LEFT JOIN customers c ON c.id = l.customer_id LEFT JOIN staff o ON o.staff_id = l.owner
"""


class LeadTimesRow(NamedTuple):
    """A lead as its figures read it (domain.figures.LeadTimes), with its day and maker."""

    created_day: str
    made_by: str | None
    status: str
    created_ts: str
    taken_ts: str | None
    contacted_ts: str | None
    closed_ts: str | None


class LeadsMixin(StoreBase):
    # ------------------------------------------------------------ reading

    @staticmethod
    def _lead(r: sqlite3.Row) -> Lead:
        return Lead(
            id=r["id"],
            customer_id=r["customer_id"],
            name=r["name"],
            phone_masked=r["phone_masked"],
            status=r["status"],
            owner=r["owner"],
            owner_name=r["owner_name"],
            flag=r["flag"],
            tier=r["tier"],
            tier_with_other_assets=r["tier_with_other_assets"],
            reasons=tuple(json.loads(r["reasons"] or "[]")),
            visits=r["visits"],
            made_by=r["made_by"],
            created_ts=r["created_ts"],
            updated_ts=r["updated_ts"],
            taken_ts=r["taken_ts"],
            contacted_ts=r["contacted_ts"],
            contact_kind=r["contact_kind"],
            closed_ts=r["closed_ts"],
            converted_to=r["converted_to"],
            note=r["note"],
        )

    def _lead_actor(self, conn: sqlite3.Connection, by: str | None, action: str) -> sqlite3.Row:
        """The one role check of every lead action (LEAD_ACTIONS)."""
        return self._require_role(conn, by, *LEAD_ACTIONS[action])

    def _lead_row(self, conn: sqlite3.Connection, lead_id: str) -> sqlite3.Row:
        row: sqlite3.Row | None = conn.execute(_SELECT + " WHERE l.id = ?", (lead_id,)).fetchone()
        if row is None:
            raise InputError("lead.unknown")
        return row

    def get_lead(self, lead_id: str) -> Lead:
        return self._lead(self._lead_row(self.conn, lead_id))

    def list_leads(self, status: str | None = None, *, limit: int = 500) -> list[Lead]:
        """Leads, oldest first (what `lobby-tui leads` prints; whoever holds the file may read it)."""
        if status is not None and status not in LEAD_STATUSES:
            raise InputError("lead.status_bad", text=status[:20], choices=", ".join(LEAD_STATUSES))
        where, params = ("WHERE l.status = ?", (status,)) if status else ("", ())
        rows = self.query(_SELECT + f" {where} ORDER BY l.created_ts, l.rowid LIMIT ?", (*params, limit))
        return [self._lead(r) for r in rows]

    def my_leads(self, by: str, *, limit: int = 200) -> list[Lead]:
        """An account manager's home: their open leads and the new ones nobody owns, oldest first."""
        rows = self._read_leads(
            by,
            "read_own",
            f" WHERE l.id IN (SELECT id FROM leads WHERE status IN {_OPEN} AND (owner = ? OR owner IS NULL) "
            "ORDER BY created_ts, rowid LIMIT ?) ORDER BY l.created_ts, l.rowid",
            (by, limit),
        )
        return [self._lead(r) for r in rows]

    def open_leads(self, by: str, *, limit: int = 20) -> list[Lead]:
        """The board's list: open leads, newest first, with their owner."""
        rows = self._read_leads(
            by,
            "read",
            f" WHERE l.id IN (SELECT id FROM leads WHERE status IN {_OPEN} ORDER BY updated_ts DESC, rowid DESC "
            "LIMIT ?) ORDER BY l.updated_ts DESC, l.rowid DESC",
            (limit,),
        )
        return [self._lead(r) for r in rows]

    def _read_leads(self, by: str, action: str, tail: str, params: tuple[Any, ...]) -> list[sqlite3.Row]:
        conn = self.conn
        self._lead_actor(conn, by, action)
        return self.query(_SELECT + tail, params)

    def account_managers(self, by: str) -> list[tuple[str, str, bool]]:
        """(staff id, name, on duty today) of the active account managers, the one on duty first."""
        conn = self.conn
        self._lead_actor(conn, by, "assign")
        on_duty = self._on_duty(conn)
        rows = self.query("SELECT staff_id, name FROM staff WHERE role = 'account_manager' AND active = 1")
        managers = [(r["staff_id"], r["name"], r["staff_id"] == on_duty) for r in rows]
        return sorted(managers, key=lambda m: (not m[2], m[0]))

    def _on_duty(self, conn: sqlite3.Connection) -> str | None:
        """The account manager on duty: active, with a shift open today; of several, the one with
        the fewest open leads (then the earliest to sign in). None when nobody is on duty."""
        row = conn.execute(
            "SELECT st.staff_id FROM staff st JOIN shifts s ON s.staff_id = st.staff_id "
            "WHERE st.role = 'account_manager' AND st.active = 1 AND s.day = ? AND s.status = 'open' "
            f"GROUP BY st.staff_id ORDER BY (SELECT count(*) FROM leads l WHERE l.owner = st.staff_id "
            f"AND l.status IN {_OPEN}), min(s.opened_ts), st.staff_id LIMIT 1",
            (self.today(),),
        ).fetchone()
        return row[0] if row else None

    def lead_preview(self, customer_id: str | None) -> tuple[str | None, str | None]:
        """For the guidance screen, before the visit is confirmed: (the name of the account manager
        whom this customer's lead is with or would go to, the open lead's status or None for a new one)."""
        conn = self.conn
        if customer_id is not None:
            row = conn.execute(
                f"SELECT l.status, o.name FROM leads l LEFT JOIN staff o ON o.staff_id = l.owner "
                f"WHERE l.customer_id = ? AND l.status IN {_OPEN}",
                (customer_id,),
            ).fetchone()
            if row is not None:
                return row["name"], row["status"]
        on_duty = self._on_duty(conn)
        if on_duty is None:
            return None, None
        name = conn.execute("SELECT name FROM staff WHERE staff_id = ?", (on_duty,)).fetchone()
        return (name[0] if name else on_duty), None

    # ------------------------------------------------------------ made in the lobby

    def _add_to_lead(
        self,
        conn: sqlite3.Connection,
        *,
        visit: sqlite3.Row,
        customer_id: str | None,
        classification: Classification | None,
        recommendation: Recommendation,
        reason: str,
    ) -> str | None:
        """Inside confirm_visit's transaction: make the customer's open lead, or add this visit to it.
        Returns the lead's id (None when the guidance makes no lead)."""
        if not recommendation.lead:
            return None
        tier = classification.tier if classification else "ordinary"
        return self._lead_for_visit(
            conn,
            visit_id=visit["id"],
            by=visit["staff_id"],
            customer_id=customer_id,
            tier=tier,
            with_other=classification.tier_with_other_assets if classification else tier,
            flag="quality" if classification and classification.quality else "potential_quality",
            reason=reason,
            now=self.now(),
        )

    def _leads_for_imported(self, conn: sqlite3.Connection, visits: list[dict[str, Any]]) -> int:
        """Inside import_visits' transaction: the leads of visits merged from another tablet's export,
        as confirm_visit makes them on the tablet that recorded them (the guidance's rule: a quality
        or potential-quality customer, settings.lead_for), so this tablet's account managers get them
        too. `visits` are the rows just confirmed here - new, or no longer in progress - so a file
        merged twice makes no lead twice. Each lead is dated by its visit. Returns how many visits
        made or added to a lead."""
        from lobby_tui.domain.rules import guidance_rules

        lead_for = guidance_rules().settings["lead_for"]
        made = 0
        for v in sorted(visits, key=lambda row: str(row["ts"])):
            if v["outcome"] in ("in_progress", "cancelled"):
                continue
            quality, potential = bool(v["quality"]), bool(v["potential_quality"])
            if not ((quality and "quality" in lead_for) or (potential and "potential_quality" in lead_for)):
                continue
            tier = v["tier"] or "ordinary"
            self._lead_for_visit(
                conn,
                visit_id=v["id"],
                by=v["staff_id"],
                customer_id=v["customer_id"],
                tier=tier,
                with_other=tier,  # the export does not carry it
                flag="quality" if quality else "potential_quality",
                reason=v["reason"],
                now=str(v["ts"]),
            )
            made += 1
        return made

    def _lead_for_visit(
        self,
        conn: sqlite3.Connection,
        *,
        visit_id: str,
        by: str | None,
        customer_id: str | None,
        tier: str,
        with_other: str,
        flag: str,
        reason: str,
        now: str,
    ) -> str:
        """Make the customer's open lead, or add the visit to it; the lead's id."""
        row = None
        if customer_id is not None:
            row = conn.execute(
                f"SELECT * FROM leads WHERE customer_id = ? AND status IN {_OPEN}", (customer_id,)
            ).fetchone()
        if row is not None:
            reasons = json.loads(row["reasons"] or "[]")
            if reason not in reasons:
                reasons.append(reason)
            conn.execute(
                "UPDATE leads SET visits = visits + 1, reasons = ?, last_visit_id = ?, flag = ?, tier = ?, "
                "tier_with_other_assets = ?, updated_ts = ? WHERE id = ?",
                (json.dumps(reasons), visit_id, flag, tier, with_other, now, row["id"]),
            )
            self.chain_row(conn, "leads", row["id"])
            self._audit(conn, "lead_visit", by, lead_id=row["id"], visit_id=visit_id, reason=reason)
            return str(row["id"])
        lead_id = str(uuid.uuid4())
        owner = self._on_duty(conn)
        conn.execute(
            "INSERT INTO leads(id, device_id, customer_id, status, owner, flag, tier, tier_with_other_assets, "
            "reasons, visits, first_visit_id, last_visit_id, made_by, assigned_by, assigned_ts, created_day, "
            "created_ts, updated_ts) VALUES (?, ?, ?, 'new', ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                lead_id,
                self.device_id,
                customer_id,
                owner,
                flag,
                tier,
                with_other,
                json.dumps([reason]),
                visit_id,
                visit_id,
                by,
                by if owner else None,
                now if owner else None,
                now[:10],
                now,
                now,
            ),
        )
        self.chain_row(conn, "leads", lead_id)
        self._audit(conn, "lead_made", by, lead_id=lead_id, visit_id=visit_id, flag=flag, owner=owner)
        return lead_id

    # ------------------------------------------------------------ the lobby manager assigns

    def assign_lead(self, lead_id: str, by: str, to: str) -> Lead:
        """The lobby manager (or supervisor) assigns a lead nobody has taken yet to an account manager."""
        with self.write() as conn:
            self._lead_actor(conn, by, "assign")
            row = self._lead_row(conn, lead_id)
            if row["status"] != "new":
                raise InputError("lead.already_taken", who=row["owner_name"] or row["owner"] or "")
            target = conn.execute(
                "SELECT * FROM staff WHERE staff_id = ? AND role = 'account_manager' AND active = 1", (to,)
            ).fetchone()
            if target is None:
                raise InputError("lead.not_account_manager", staff_id=str(to)[:12])
            conn.execute(
                "UPDATE leads SET owner = ?, assigned_by = ?, assigned_ts = ?, updated_ts = ? WHERE id = ?",
                (to, by, self.now(), self.now(), lead_id),
            )
            self.chain_row(conn, "leads", lead_id)
            self._audit(conn, "lead_assigned", by, lead_id=lead_id, to=to, previous=row["owner"])
            return self._lead(self._lead_row(conn, lead_id))

    # ------------------------------------------------------------ the account manager works it

    def _own_lead(self, conn: sqlite3.Connection, lead_id: str, by: str, action: str) -> sqlite3.Row:
        self._lead_actor(conn, by, action)
        row = self._lead_row(conn, lead_id)
        if row["status"] not in OPEN_LEAD_STATUSES:
            raise InputError("lead.closed")
        if action == "take":
            if row["status"] != "new" or (row["owner"] not in (None, by)):
                raise InputError("lead.already_taken", who=row["owner_name"] or row["owner"] or "")
        elif row["owner"] != by or row["status"] == "new":
            raise InputError("lead.not_yours")
        return row

    def take_lead(self, lead_id: str, by: str) -> Lead:
        with self.write() as conn:
            self._own_lead(conn, lead_id, by, "take")
            now = self.now()
            conn.execute(
                "UPDATE leads SET status = 'taken', owner = ?, taken_ts = coalesce(taken_ts, ?), updated_ts = ? "
                "WHERE id = ?",
                (by, now, now, lead_id),
            )
            self.chain_row(conn, "leads", lead_id)
            self._audit(conn, "lead_taken", by, lead_id=lead_id)
            return self._lead(self._lead_row(conn, lead_id))

    def record_contact(
        self, lead_id: str, by: str, kind: str, *, converted_to: str | None = None, note: str | None = None
    ) -> Lead:
        """phone or meeting (the lead stays open, contacted), declined or converted (it closes;
        converted names what to: a wealth account or a product)."""
        if kind not in CONTACT_KINDS:
            raise InputError("lead.contact_bad", text=str(kind)[:20], choices=", ".join(CONTACT_KINDS))
        if kind == "converted" and converted_to not in CONVERTED_TO:
            raise InputError("lead.converted_to_bad", choices=", ".join(CONVERTED_TO))
        text = (note or "").strip() or None
        if text is not None and len(text) > NOTE_LIMIT:
            raise InputError("text.too_long", n=NOTE_LIMIT)
        with self.write() as conn:
            self._own_lead(conn, lead_id, by, "contact")
            now = self.now()
            status = "contacted" if kind in ("phone", "meeting") else kind
            closed = now if kind in ("declined", "converted") else None
            conn.execute(
                "UPDATE leads SET status = ?, contacted_ts = coalesce(contacted_ts, ?), contact_kind = ?, "
                "contacts = contacts + 1, closed_ts = ?, converted_to = ?, note = coalesce(?, note), updated_ts = ? "
                "WHERE id = ?",
                (status, now, kind, closed, converted_to if kind == "converted" else None, text, now, lead_id),
            )
            self.chain_row(conn, "leads", lead_id)
            self._audit(conn, "lead_contact", by, lead_id=lead_id, kind=kind, converted_to=converted_to)
            return self._lead(self._lead_row(conn, lead_id))

    def hand_back(self, lead_id: str, by: str) -> Lead:
        """The account manager gives a lead back: new again, nobody's, for the lobby to assign."""
        with self.write() as conn:
            self._own_lead(conn, lead_id, by, "hand_back")
            conn.execute(
                "UPDATE leads SET status = 'new', owner = NULL, assigned_by = NULL, assigned_ts = NULL, "
                "updated_ts = ? WHERE id = ?",
                (self.now(), lead_id),
            )
            self.chain_row(conn, "leads", lead_id)
            self._audit(conn, "lead_handed_back", by, lead_id=lead_id)
            return self._lead(self._lead_row(conn, lead_id))

    # ------------------------------------------------------------ figures

    def _lead_times(self, start: str, end: str, *, made_by: str | None = None) -> list[LeadTimesRow]:
        """The leads made from `start` to `end`, only what the figures read: no customer or staff join,
        no Lead built (the supervisor's 30-day trend spent two thirds of its time on those)."""
        extra, params = (" AND made_by = ?", (made_by,)) if made_by else ("", ())
        rows = self.query(
            "SELECT created_day, made_by, status, created_ts, taken_ts, contacted_ts, closed_ts FROM leads"
            " WHERE created_day BETWEEN ? AND ?" + extra,
            (start, end, *params),
        )
        return [LeadTimesRow(*r) for r in rows]

    def lead_figures_between(self, start: str, end: str, *, made_by: str | None = None) -> dict[str, int]:
        """lead_figures of the leads made from `start` to `end` (ISO dates), by one lobby manager or all."""
        return lead_figures(self._lead_times(start, end, made_by=made_by))

    def lead_figures_by_day(self, start: str, end: str) -> dict[str, dict[str, int]]:
        by_day: dict[str, list[LeadTimesRow]] = {}
        for lead in self._lead_times(start, end):
            by_day.setdefault(lead.created_day, []).append(lead)
        first, last = date.fromisoformat(start), date.fromisoformat(end)
        days = [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
        return {day: lead_figures(by_day.get(day, ())) for day in days}

    def lead_figures_by_maker(self, start: str, end: str) -> dict[str, dict[str, int]]:
        by_maker: dict[str, list[LeadTimesRow]] = {}
        for lead in self._lead_times(start, end):
            by_maker.setdefault(lead.made_by or "", []).append(lead)
        return {maker: lead_figures(leads) for maker, leads in by_maker.items()}
