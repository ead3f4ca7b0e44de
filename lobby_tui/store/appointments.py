"""Appointments (issue 11): booked in the app or imported, checked in from the greeting, marked late or
no-show at the end of their day, counted in the day's summary. See lobby_tui/domain/appointments.py.

Only a lobby manager or a supervisor books or imports (APPOINTMENT_ROLES); every change is chained
and audited. The customer is a directory UUID: the name and masked phone shown come from the
directory when read.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from lobby_tui.domain.amounts import from_fen, to_fen
from lobby_tui.domain.appointments import (
    DEFAULT_GRACE_MINUTES,
    DUE_MINUTES,
    KINDS,
    Appointment,
    appointment_figures,
    check_kind,
    is_due,
    is_late,
    overdue,
    parse_day,
    parse_time,
)
from lobby_tui.domain.errors import InputError
from lobby_tui.domain.rules import guidance_rules
from lobby_tui.store.base import StoreBase

APPOINTMENT_ROLES = ("lobby_manager", "supervisor")
_SELECT = """
    SELECT a.*, c.name AS name, c.phone_masked AS phone_masked, s.name AS staff_name
    FROM appointments a LEFT JOIN customers c ON c.id = a.customer_id LEFT JOIN staff s ON s.staff_id = a.staff_id
"""


def grace_minutes() -> int:
    value = guidance_rules().settings.get("appointment_grace_minutes", DEFAULT_GRACE_MINUTES)
    return int(value)


@dataclass(frozen=True)
class Booking:
    """One appointment to book, as the form or a CSV row gives it (checked by _check_booking)."""

    customer_id: str
    day: str
    time: str
    kind: str
    reason: str | None = None
    amount: Decimal | None = None
    staff_id: str | None = None


@dataclass(frozen=True)
class ImportedAppointments:
    imported: int
    already: int  # the same customer, day and time were booked already (a re-run)


class AppointmentsMixin(StoreBase):
    # ------------------------------------------------------------ reading

    @staticmethod
    def _appointment(r: sqlite3.Row) -> Appointment:
        return Appointment(
            id=r["id"],
            customer_id=r["customer_id"],
            name=r["name"],
            phone_masked=r["phone_masked"],
            day=r["day"],
            time=r["time"],
            kind=r["kind"],
            reason=r["reason"],
            amount=from_fen(r["amount_fen"]) if r["amount_fen"] is not None else None,
            staff_id=r["staff_id"],
            staff_name=r["staff_name"],
            status=r["status"],
            late=bool(r["late"]),
            visit_id=r["visit_id"],
            checked_in_ts=r["checked_in_ts"],
            source=r["source"],
            created_ts=r["created_ts"],
        )

    def get_appointment(self, appointment_id: str) -> Appointment:
        rows = self.query(_SELECT + " WHERE a.id = ?", (appointment_id,))
        if not rows:
            raise InputError("appt.unknown")
        return self._appointment(rows[0])

    def appointments_on(self, day: str) -> list[Appointment]:
        """A day's appointments, by time (cancelled ones left out)."""
        rows = self.query(_SELECT + " WHERE a.day = ? AND a.status != 'cancelled' ORDER BY a.time, a.rowid", (day,))
        return [self._appointment(r) for r in rows]

    def due_appointments(self, minutes: int = DUE_MINUTES) -> list[Appointment]:
        """Today's customers not here yet who are due within `minutes` (and those overdue), by time:
        the board's list and the greeting's check-in."""
        now = self.clock()
        rows = self.query(
            _SELECT + " WHERE a.day = ? AND a.status = 'booked' ORDER BY a.time, a.rowid", (now.date().isoformat(),)
        )
        return [a for a in map(self._appointment, rows) if is_due(a, now, minutes)]

    def overdue_ids(self, appointments: Iterable[Appointment]) -> set[str]:
        now, grace = self.clock(), grace_minutes()
        return {a.id for a in appointments if overdue(a, now, grace)}

    def appointment_for_visit(self, visit_id: str) -> Appointment | None:
        rows = self.query(_SELECT + " WHERE a.visit_id = ?", (visit_id,))
        return self._appointment(rows[0]) if rows else None

    def staff_appointments(self, staff_id: str) -> list[Appointment]:
        """An account manager's appointments today, by time: who is booked to meet them, who came."""
        rows = self.query(
            _SELECT + " WHERE a.day = ? AND a.staff_id = ? AND a.status != 'cancelled' ORDER BY a.time, a.rowid",
            (self.today(), staff_id),
        )
        return [self._appointment(r) for r in rows]

    def appointment_figures_on(self, day: str) -> dict[str, int]:
        return appointment_figures(self.appointments_on(day), self.today())

    def appointment_figures_by_day(self, start: str, end: str) -> dict[str, dict[str, int]]:
        """appointment_figures for every day from `start` to `end` (the supervisor's trend)."""
        from lobby_tui.domain.figures import days_between

        rows = self.query(_SELECT + " WHERE a.day BETWEEN ? AND ? AND a.status != 'cancelled'", (start, end))
        by_day: dict[str, list[Appointment]] = {}
        for r in rows:
            by_day.setdefault(r["day"], []).append(self._appointment(r))
        today = self.today()
        return {day: appointment_figures(by_day.get(day, ()), today) for day in days_between(start, end)}

    def large_cash_booking(self, customer_id: str | None) -> tuple[str, str | None]:
        """Whether the customer booked a large withdrawal today (大额取现预约): ("booked", "HH:MM"),
        ("none_today", None), or ("unknown", None) for a customer not in the directory. Read from the
        appointments of kind large_cash (booked or already checked in: the booking is true either way)."""
        if customer_id is None:
            return "unknown", None
        rows = self.query(
            "SELECT time FROM appointments WHERE customer_id = ? AND day = ? AND kind = 'large_cash' "
            "AND status IN ('booked', 'arrived') ORDER BY time LIMIT 1",
            (customer_id, self.today()),
        )
        return ("booked", str(rows[0][0])) if rows else ("none_today", None)

    def account_manager_choices(self) -> list[tuple[str, str]]:
        """(staff id, name) of the active account managers, for the booking form."""
        rows = self.query(
            "SELECT staff_id, name FROM staff WHERE role = 'account_manager' AND active = 1 ORDER BY staff_id"
        )
        return [(r["staff_id"], r["name"]) for r in rows]

    # ------------------------------------------------------------ booking

    def _booker(self, conn: sqlite3.Connection, by: str | None) -> None:
        """A lobby manager or supervisor books; nobody only on a file with no staff yet (a first import)."""
        if by is None and conn.execute("SELECT 1 FROM staff LIMIT 1").fetchone() is None:
            return
        self._require_role(conn, by, *APPOINTMENT_ROLES)

    def _check_booking(self, conn: sqlite3.Connection, b: Booking) -> dict[str, Any]:
        """The row to insert for `b`, or the InputError that says what is wrong with it."""
        kind = check_kind(b.kind)
        day = parse_day(b.day, self.clock().date())
        time = parse_time(b.time)
        if day == self.today() and time < self.clock().strftime("%H:%M"):
            raise InputError("appt.time_past", time=time)
        reason = b.reason or KINDS[kind]
        if reason is None:
            raise InputError("appt.reason_needed")
        rules = guidance_rules()
        if reason not in {r.code for r in rules.reasons}:
            raise InputError("appt.reason_bad", text=str(reason)[:30])
        if conn.execute("SELECT 1 FROM customers WHERE id = ?", (b.customer_id,)).fetchone() is None:
            raise InputError("appt.customer_unknown")
        if b.amount is not None and b.amount <= 0:
            raise InputError("appt.amount_bad")
        if kind == "large_cash" and b.amount is None:
            raise InputError("appt.amount_needed")
        if b.staff_id:
            am = conn.execute(
                "SELECT 1 FROM staff WHERE staff_id = ? AND role = 'account_manager' AND active = 1", (b.staff_id,)
            ).fetchone()
            if am is None:
                raise InputError("appt.not_account_manager", staff_id=str(b.staff_id)[:12])
        elif kind == "meeting":
            raise InputError("appt.staff_needed")
        taken = conn.execute(
            "SELECT 1 FROM appointments WHERE customer_id = ? AND day = ? AND time = ? AND status != 'cancelled'",
            (b.customer_id, day, time),
        ).fetchone()
        if taken is not None:
            raise InputError("appt.already_booked", day=day, time=time)
        return {
            "customer_id": b.customer_id,
            "day": day,
            "time": time,
            "kind": kind,
            "reason": reason,
            "amount_fen": to_fen(b.amount) if b.amount is not None else None,
            "staff_id": b.staff_id or None,
        }

    def _insert_appointment(self, conn: sqlite3.Connection, row: dict[str, Any], source: str, by: str | None) -> str:
        appointment_id = str(uuid.uuid4())
        now = self.now()
        conn.execute(
            "INSERT INTO appointments(id, device_id, customer_id, day, time, kind, reason, amount_fen, staff_id, "
            "status, source, created_by, created_ts, updated_ts) VALUES (:id, :device_id, :customer_id, :day, "
            ":time, :kind, :reason, :amount_fen, :staff_id, 'booked', :source, :by, :now, :now)",
            {**row, "id": appointment_id, "device_id": self.device_id, "source": source, "by": by, "now": now},
        )
        self.chain_row(conn, "appointments", appointment_id, new=True)
        return appointment_id

    def book_appointment(self, by: str | None, booking: Booking) -> Appointment:
        """The lobby manager books a customer (the form): committed now, audited."""
        with self.write() as conn:
            self._booker(conn, by)
            row = self._check_booking(conn, booking)
            appointment_id = self._insert_appointment(conn, row, "app", by)
            self._audit(
                conn,
                "appointment_booked",
                by,
                appointment_id=appointment_id,
                day=row["day"],
                time=row["time"],
                kind=row["kind"],
            )
        return self.get_appointment(appointment_id)

    def import_appointments(
        self, by: str | None, bookings: Iterator[tuple[int, Booking | InputError]], refuse: Any
    ) -> ImportedAppointments:
        """Rows of a CSV (line, booking or why its row cannot be read): each good row in, each bad one
        handed to `refuse(line, error)`, all in one transaction with one audit entry. A row booked
        already (same customer, day and time) is counted, not doubled."""
        imported = already = 0
        with self.write() as conn:
            self._booker(conn, by)
            ids = []
            for line, booking in bookings:
                if isinstance(booking, InputError):
                    refuse(line, booking)
                    continue
                try:
                    row = self._check_booking(conn, booking)
                except InputError as exc:
                    if exc.key == "appt.already_booked":
                        already += 1
                    else:
                        refuse(line, exc)
                    continue
                ids.append(self._insert_appointment(conn, row, "import", by))
                imported += 1
            if ids:
                self._audit(conn, "appointments_imported", by, n=len(ids), already=already)
        return ImportedAppointments(imported, already)

    def customer_id_by_phone(self, phone: str) -> str | None:
        """The directory customer with this full phone number (hashed: the number is never kept)."""
        from lobby_tui.domain.privacy import normalize_phone

        rows = self.query(
            "SELECT id FROM customers WHERE phone_hash = ? LIMIT 2", (self.hash_of(normalize_phone(phone)),)
        )
        if len(rows) > 1:
            raise InputError("appt.customer_ambiguous")
        return str(rows[0][0]) if rows else None

    def cancel_appointment(self, appointment_id: str, by: str | None) -> Appointment:
        with self.write() as conn:
            self._booker(conn, by)
            row = conn.execute("SELECT status FROM appointments WHERE id = ?", (appointment_id,)).fetchone()
            if row is None:
                raise InputError("appt.unknown")
            if row["status"] != "booked":
                raise InputError("appt.not_booked")
            conn.execute(
                "UPDATE appointments SET status = 'cancelled', updated_ts = ? WHERE id = ?",
                (self.now(), appointment_id),
            )
            self.chain_row(conn, "appointments", appointment_id)
            self._audit(conn, "appointment_cancelled", by, appointment_id=appointment_id)
        return self.get_appointment(appointment_id)

    # ------------------------------------------------------------ the customer walks in

    def check_in_appointment(
        self, appointment_id: str, *, shift_id: str | None, staff_id: str | None, visit_id: str | None = None
    ) -> tuple[Appointment, str]:
        """The booked customer is here: a visit starts (arrival now) with the booking's customer,
        reason and amount, and the appointment points at it - late when past its time and the grace.
        One transaction: a check-in is never half done. Returns (the appointment, the visit's id)."""
        visit_id = visit_id or str(uuid.uuid4())
        with self.write() as conn:
            row = conn.execute("SELECT * FROM appointments WHERE id = ?", (appointment_id,)).fetchone()
            if row is None:
                raise InputError("appt.unknown")
            if row["day"] != self.today() or row["status"] not in ("booked", "no_show"):
                raise InputError("appt.not_due" if row["status"] in ("booked", "no_show") else "appt.checked_in")
            now = self.now()
            conn.execute(
                "INSERT INTO visits(id, device_id, ts, day, shift_id, staff_id, customer_id, reason, amount_fen, "
                "outcome, updated_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'in_progress', ?)",
                (
                    visit_id,
                    self.device_id,
                    now,
                    now[:10],
                    shift_id,
                    staff_id,
                    row["customer_id"],
                    row["reason"],
                    row["amount_fen"],
                    now,
                ),
            )
            self.chain_row(conn, "visits", visit_id)
            self._arrive(conn, row, visit_id, staff_id)
        return self.get_appointment(appointment_id), visit_id

    def _arrive(self, conn: sqlite3.Connection, row: sqlite3.Row, visit_id: str, by: str | None) -> None:
        late = is_late(row["day"], row["time"], self.clock(), grace_minutes())
        now = self.now()
        conn.execute(
            "UPDATE appointments SET status = 'arrived', late = ?, visit_id = ?, checked_in_ts = ?, updated_ts = ? "
            "WHERE id = ?",
            (int(late), visit_id, now, now, row["id"]),
        )
        self.chain_row(conn, "appointments", row["id"])
        self._audit(conn, "appointment_checked_in", by, appointment_id=row["id"], visit_id=visit_id, late=late)

    def _link_booking(self, conn: sqlite3.Connection, visit: sqlite3.Row, customer_id: str | None, reason: str) -> None:
        """Inside confirm_visit: a booked customer greeted the ordinary way (reason key, lookup) for the
        business they booked is checked in all the same, so the booking is never left a no-show."""
        if customer_id is None:
            return
        if conn.execute("SELECT 1 FROM appointments WHERE visit_id = ?", (visit["id"],)).fetchone():
            return
        row = conn.execute(
            "SELECT * FROM appointments WHERE customer_id = ? AND day = ? AND reason = ? "
            "AND status IN ('booked', 'no_show') ORDER BY time LIMIT 1",
            (customer_id, visit["day"], reason),
        ).fetchone()
        if row is not None and row["day"] == self.today():
            self._arrive(conn, row, visit["id"], visit["staff_id"])

    # ------------------------------------------------------------ the end of the day

    def mark_no_shows(self, by: str | None, conn: sqlite3.Connection | None = None) -> int:
        """Appointments still booked past their time and the grace (today's) or of an earlier day are
        marked no-show; returns how many. Run when a lobby manager closes the shift (in its transaction)."""
        if conn is None:
            with self.write() as own:
                return self.mark_no_shows(by, own)
        now = self.clock()
        grace = grace_minutes()
        rows = conn.execute(
            "SELECT * FROM appointments WHERE status = 'booked' AND day <= ?", (now.date().isoformat(),)
        ).fetchall()
        marked = [
            r["id"]
            for r in rows
            if r["day"] < now.date().isoformat()
            or now > _booked_at(r["day"], r["time"], now) + timedelta(minutes=grace)
        ]
        stamp = self.now()
        for appointment_id in marked:
            conn.execute(
                "UPDATE appointments SET status = 'no_show', marked_ts = ?, updated_ts = ? WHERE id = ?",
                (stamp, stamp, appointment_id),
            )
            self.chain_row(conn, "appointments", appointment_id)
        if marked:
            self._audit(conn, "appointments_no_show", by, appointments=marked)
        return len(marked)


def _booked_at(day: str, time: str, now: datetime) -> datetime:
    return datetime.fromisoformat(f"{day}T{time}:00").replace(tzinfo=now.tzinfo)
