"""Staff, PINs, sign-in and shifts."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import uuid

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.models import ROLES, Shift, Staff
from lobby_tui.store.base import StoreBase
from lobby_tui.store.security import (
    check_pin,
    check_pin_rule,
    hash_pin,
)

MAX_FAILED_PINS = 5
STAFF_ID_RULE = re.compile(r"^[A-Za-z0-9]{1,12}$")


class SignInError(InputError):
    """Wrong staff id or PIN, or an account that may not sign in."""


class StaffMixin(StoreBase):
    # ------------------------------------------------------------ staff and sign-in

    def staff_count(self) -> int:
        n: int = self.query("SELECT count(*) FROM staff")[0][0]
        return n

    def add_staff(self, staff_id: str, name: str, role: str, pin: str, *, by: str | None = None) -> Staff:
        """A new account. `by` is the session of the supervisor adding it (checked here); None only
        while the database has no supervisor yet (the first account of a new database, a demo's)."""
        staff_id = staff_id.strip()
        if not STAFF_ID_RULE.match(staff_id):
            raise InputError("staff.id_rule")
        if not name.strip():
            raise InputError("name.bad")
        check_pin_rule(pin)
        if role not in ROLES:
            raise InputError("role.bad", text=role)
        with self.write() as conn:
            if by is not None:
                self._require_role(conn, by, "supervisor")
            elif conn.execute("SELECT 1 FROM staff WHERE role = 'supervisor' LIMIT 1").fetchone():
                # Without a supervisor's session, only until the first supervisor exists (setting up
                # a new database, a demo's staff): after that, staff changes need a supervisor's PIN.
                raise InputError("role.pin_needed")
            if conn.execute("SELECT 1 FROM staff WHERE staff_id = ?", (staff_id,)).fetchone():
                raise InputError("staff.exists", staff_id=staff_id)
            conn.execute(
                "INSERT INTO staff(staff_id, id, device_id, name, role, pin_hash, created_ts, updated_ts) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    staff_id,
                    str(uuid.uuid4()),
                    self.device_id,
                    name.strip(),
                    role,
                    hash_pin(pin),
                    self.now(),
                    self.now(),
                ),
            )
            self.chain_row(conn, "staff", staff_id)
            self._audit(conn, "staff_added", by, staff=staff_id, role=role)
        return self.get_staff(staff_id)

    def get_staff(self, staff_id: str) -> Staff:
        rows = self.query("SELECT * FROM staff WHERE staff_id = ?", (staff_id,))
        if not rows:
            raise SignInError("signin.bad")
        r = rows[0]
        return Staff(r["staff_id"], r["name"], r["role"], bool(r["active"]), bool(r["locked"]), r["failed_pins"])

    def sign_in(self, staff_id: str, pin: str, *, action: str = "signin") -> Staff:
        """Check the PIN; five wrong PINs in a row lock the account. Every try is audited.

        A PIN that cannot be one (letters, too few or too many digits) is refused before anything
        is checked: a slip of the fingers costs no try.

        The lock-out holds however many tabs or processes try at once: each try first reserves its
        place in the count, in one IMMEDIATE transaction (read the count, refuse a locked account,
        count this try), and only then spends the scrypt check. So at most MAX_FAILED_PINS wrong
        PINs are ever checked between two right ones; a right PIN gives its reservation back."""
        staff_id = staff_id.strip()
        check_pin_rule(pin)
        with self.write() as conn:
            row = conn.execute("SELECT * FROM staff WHERE staff_id = ?", (staff_id,)).fetchone()
            if row is None:
                self._audit(conn, "signin_failed", None, staff=staff_id[:20], why="unknown")
                refused = "signin.bad"
            elif not row["active"]:
                self._audit(conn, "signin_failed", staff_id, why="inactive")
                refused = "signin.inactive"
            elif row["locked"] or row["failed_pins"] >= MAX_FAILED_PINS:
                self._audit(conn, "signin_failed", staff_id, why="locked")
                refused = "signin.locked"
            else:
                refused = ""
                conn.execute(
                    "UPDATE staff SET failed_pins = failed_pins + 1, updated_ts = ? WHERE staff_id = ?",
                    (self.now(), staff_id),
                )
                self.chain_row(conn, "staff", staff_id)
        if refused:
            raise SignInError(refused)
        assert row is not None
        if not check_pin(pin, row["pin_hash"]):
            with self.write() as conn:
                failed: int = conn.execute("SELECT failed_pins FROM staff WHERE staff_id = ?", (staff_id,)).fetchone()[
                    0
                ]
                self._audit(conn, "signin_failed", staff_id, why="pin", failed=failed)
                locked = failed >= MAX_FAILED_PINS
                if (
                    locked
                    and not conn.execute("SELECT locked FROM staff WHERE staff_id = ?", (staff_id,)).fetchone()[0]
                ):
                    conn.execute("UPDATE staff SET locked = 1 WHERE staff_id = ?", (staff_id,))
                    self.chain_row(conn, "staff", staff_id)
                    self._audit(conn, "account_locked", staff_id, failed=failed)
            raise SignInError("signin.locked" if locked else "signin.bad_pin", left=max(MAX_FAILED_PINS - failed, 0))
        with self.write() as conn:
            conn.execute("UPDATE staff SET failed_pins = 0, updated_ts = ? WHERE staff_id = ?", (self.now(), staff_id))
            self.chain_row(conn, "staff", staff_id)
            self._audit(conn, action, staff_id)
        # The staff id as a Session: only a right PIN makes one (supervisor actions need it).
        return dataclasses.replace(self.get_staff(staff_id), id=self.new_session(staff_id))

    def unlock(self, staff_id: str, pin: str) -> Staff:
        """Unlocking the idle screen: the same PIN check (and lock-out) as sign-in, audited as unlock."""
        return self.sign_in(staff_id, pin, action="unlock")

    # ------------------------------------------------------------ shifts

    def _shift(self, r: sqlite3.Row) -> Shift:
        return Shift(r["id"], r["device_id"], r["staff_id"], r["day"], r["opened_ts"], r["closed_ts"], r["status"])

    def open_shift(self, staff_id: str) -> Shift:
        """The staff member's open shift today on this device, opened now if there is none."""
        today = self.today()
        mine = "SELECT * FROM shifts WHERE staff_id = ? AND day = ? AND device_id = ? AND status = 'open'"
        if not self.query(mine, (staff_id, today, self.device_id)):
            # A new shift: SQLite's quick_check first (in the sign-in's worker, off the UI thread),
            # so a damaged file is found before a day's work goes into it.
            self.require_sound()
            self._sound_checked = True
        else:
            self.check_sound_once()  # the shift opens again in this run of the app: checked once
        with self.write() as conn:
            row = conn.execute(
                "SELECT * FROM shifts WHERE staff_id = ? AND day = ? AND device_id = ? AND status = 'open'",
                (staff_id, today, self.device_id),
            ).fetchone()
            if row is None:
                shift_id = str(uuid.uuid4())
                conn.execute(
                    "INSERT INTO shifts(id, device_id, staff_id, day, opened_ts, status) VALUES (?, ?, ?, ?, ?, 'open')",
                    (shift_id, self.device_id, staff_id, today, self.now()),
                )
                self.chain_row(conn, "shifts", shift_id)
                self._audit(conn, "shift_opened", staff_id, shift_id=shift_id)
                row = conn.execute("SELECT * FROM shifts WHERE id = ?", (shift_id,)).fetchone()
        return self._shift(row)
