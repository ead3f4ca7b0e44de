"""LobbyStore: the one data-access object. Plain dataclasses out, no SQL outside this package.

The database is opened lazily, on first use, in the thread that uses it (a sqlite3 connection belongs
to the thread that opened it), so the UI's thread workers each get their own connection.
Every write that a person confirms is committed before the call returns.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from lobby_tui.domain.amounts import from_fen, to_fen
from lobby_tui.domain.errors import InputError
from lobby_tui.domain.figures import day_figures
from lobby_tui.domain.guidance import Recommendation
from lobby_tui.domain.idnumber import parse_id_number
from lobby_tui.domain.models import ROLES, Customer, Shift, Staff, Visit
from lobby_tui.domain.privacy import (
    mask_phone, normalize_card, normalize_last4, normalize_name, normalize_phone,
)
from lobby_tui.domain.rules import guidance_rules
from lobby_tui.domain.tiers import Classification
from lobby_tui.store.database import StoreError, open_database, translate_error
from lobby_tui.store.migrations import audit_hash
from lobby_tui.store.security import check_pin, check_pin_rule, hash_pin, keyed_hash, load_or_create_key

MAX_FAILED_PINS = 5
LOOKUP_LIMIT = 20


class SignInError(InputError):
    """Wrong staff id or PIN, or an account that may not sign in."""


@dataclass(frozen=True)
class Board:
    """The lobby board: what the lobby manager's home screen shows."""

    day: str
    in_branch: int
    waiting: dict[str, int]
    recent: list[Visit]
    follow_up: list[Visit]  # potential-quality leads for account managers
    names: dict[str, str]  # customer id -> name (shown masked)


def now_local() -> datetime:
    return datetime.now().astimezone()


def _iso(ts: datetime) -> str:
    return ts.isoformat(timespec="seconds")


class LobbyStore:
    def __init__(self, path: str | os.PathLike[str], *, clock: Callable[[], datetime] = now_local,
                 device_id: str | None = None) -> None:
        self.path = os.fspath(path)
        self.clock = clock
        self._device_override = device_id or os.environ.get("LOBBY_TUI_DEVICE") or None
        self._local = threading.local()
        self._meta: dict[str, str] | None = None
        self._hash_key: str | None = None

    # ------------------------------------------------------------ connection and transactions

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = open_database(self.path)
            self._local.conn = conn
        return conn

    def check(self) -> None:
        """Open (and migrate) now, so a bad file is reported before anyone types anything."""
        self.conn  # noqa: B018 - opening is the point
        self.meta("device_id")

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction, committed (durably: synchronous=FULL) when the block ends."""
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path) from None
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise translate_error(exc, self.path) from None
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path) from None

    def meta(self, key: str) -> str:
        if self._meta is None:
            self._meta = {r["key"]: r["value"] for r in self.query("SELECT key, value FROM meta")}
        return self._meta[key]

    @property
    def device_id(self) -> str:
        return self._device_override or self.meta("device_id")

    @property
    def key_path(self) -> Path:
        return Path(self.path + ".key")

    @property
    def hash_key(self) -> str:
        """The secret behind the keyed hashes of phone, ID and card numbers.

        It lives in a file beside the database (lobby.db.key), never inside it: a copy of the
        database alone cannot be brute-forced back into phone numbers. Back up both files."""
        if self._hash_key is None:
            self._hash_key = load_or_create_key(self.key_path, self._has_hashes)
        return self._hash_key

    def _has_hashes(self) -> bool:
        return bool(self.query("SELECT 1 FROM customers WHERE phone_hash IS NOT NULL OR id_hash IS NOT NULL "
                               "OR card_hash IS NOT NULL LIMIT 1"))

    def hash_of(self, value: str) -> str:
        return keyed_hash(self.hash_key, value)

    def now(self) -> str:
        return _iso(self.clock())

    def today(self) -> str:
        return self.clock().date().isoformat()

    # ------------------------------------------------------------ audit log (hash-chained)

    def _audit(self, conn: sqlite3.Connection, action: str, staff_id: str | None, *, ts: str | None = None,
               **detail: Any) -> None:
        """Append one entry to the hash chain, inside the caller's transaction.

        `ts` is for entries written after the fact (the demo generator's history); it defaults to now.
        """
        last = conn.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        row = {"id": str(uuid.uuid4()), "device_id": self.device_id, "ts": ts or self.now(),
               "staff_id": staff_id, "action": action,
               "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True)}
        prev = last["hash"] if last else ""
        conn.execute(
            "INSERT INTO audit(id, device_id, ts, staff_id, action, detail, prev_hash, hash) "
            "VALUES (:id, :device_id, :ts, :staff_id, :action, :detail, :prev, :hash)",
            {**row, "prev": prev, "hash": audit_hash(prev, row)},
        )

    def audit(self, action: str, staff_id: str | None, **detail: Any) -> None:
        with self.write() as conn:
            self._audit(conn, action, staff_id, **detail)

    def audit_entries(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.query("SELECT * FROM audit ORDER BY seq DESC LIMIT ?", (limit,))
        return [dict(r) for r in rows]

    def verify_audit(self) -> int | None:
        """The seq of the first entry whose chain is broken, or None when the log is intact."""
        prev = ""
        expected_seq = None
        for row in self.query("SELECT * FROM audit ORDER BY seq"):
            if expected_seq is not None and row["seq"] != expected_seq:
                return expected_seq  # a row was removed
            if row["prev_hash"] != prev or row["hash"] != audit_hash(prev, dict(row)):
                return row["seq"]
            prev = row["hash"]
            expected_seq = row["seq"] + 1
        return None

    # ------------------------------------------------------------ staff and sign-in

    def staff_count(self) -> int:
        return self.query("SELECT count(*) FROM staff")[0][0]

    def add_staff(self, staff_id: str, name: str, role: str, pin: str, *, by: str | None = None) -> Staff:
        staff_id = staff_id.strip()
        check_pin_rule(pin)
        if role not in ROLES:
            raise InputError("role.bad", text=role)
        with self.write() as conn:
            if conn.execute("SELECT 1 FROM staff WHERE staff_id = ?", (staff_id,)).fetchone():
                raise InputError("staff.exists", staff_id=staff_id)
            conn.execute(
                "INSERT INTO staff(staff_id, id, device_id, name, role, pin_hash, created_ts, updated_ts) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (staff_id, str(uuid.uuid4()), self.device_id, name.strip(), role, hash_pin(pin),
                 self.now(), self.now()),
            )
            self._audit(conn, "staff_added", by, staff=staff_id, role=role)
        return self.get_staff(staff_id)

    def get_staff(self, staff_id: str) -> Staff:
        rows = self.query("SELECT * FROM staff WHERE staff_id = ?", (staff_id,))
        if not rows:
            raise SignInError("signin.bad")
        r = rows[0]
        return Staff(r["staff_id"], r["name"], r["role"], bool(r["active"]), bool(r["locked"]), r["failed_pins"])

    def sign_in(self, staff_id: str, pin: str, *, action: str = "signin") -> Staff:
        """Check the PIN; five wrong PINs in a row lock the account. Every try is audited."""
        staff_id = staff_id.strip()
        rows = self.query("SELECT * FROM staff WHERE staff_id = ?", (staff_id,))
        if not rows:
            self.audit("signin_failed", None, staff=staff_id[:20], why="unknown")
            raise SignInError("signin.bad")
        row = rows[0]
        if not row["active"]:
            self.audit("signin_failed", staff_id, why="inactive")
            raise SignInError("signin.inactive")
        if row["locked"]:
            self.audit("signin_failed", staff_id, why="locked")
            raise SignInError("signin.locked")
        if not check_pin(pin, row["pin_hash"]):
            with self.write() as conn:
                failed = row["failed_pins"] + 1
                locked = int(failed >= MAX_FAILED_PINS)
                conn.execute("UPDATE staff SET failed_pins = ?, locked = ?, updated_ts = ? WHERE staff_id = ?",
                             (failed, locked, self.now(), staff_id))
                self._audit(conn, "signin_failed", staff_id, why="pin", failed=failed)
                if locked:
                    self._audit(conn, "account_locked", staff_id, failed=failed)
            raise SignInError("signin.locked" if locked else "signin.bad_pin", left=MAX_FAILED_PINS - failed)
        with self.write() as conn:
            conn.execute("UPDATE staff SET failed_pins = 0, updated_ts = ? WHERE staff_id = ?", (self.now(), staff_id))
            self._audit(conn, action, staff_id)
        return self.get_staff(staff_id)

    def unlock(self, staff_id: str, pin: str) -> Staff:
        """Unlocking the idle screen: the same PIN check (and lock-out) as sign-in, audited as unlock."""
        return self.sign_in(staff_id, pin, action="unlock")

    # ------------------------------------------------------------ shifts

    def _shift(self, r: sqlite3.Row) -> Shift:
        return Shift(r["id"], r["device_id"], r["staff_id"], r["day"], r["opened_ts"], r["closed_ts"], r["status"])

    def open_shift(self, staff_id: str) -> Shift:
        """The staff member's open shift today on this device, opened now if there is none."""
        today = self.today()
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
                self._audit(conn, "shift_opened", staff_id, shift_id=shift_id)
                row = conn.execute("SELECT * FROM shifts WHERE id = ?", (shift_id,)).fetchone()
        return self._shift(row)

    # ------------------------------------------------------------ customers

    def _customer(self, r: sqlite3.Row) -> Customer:
        return Customer(
            id=r["id"], name=r["name"], phone_masked=r["phone_masked"] or "",
            id_last4=r["id_last4"], card_last4=r["card_last4"], birth_date=r["birth_date"],
            education=r["education"], assets=from_fen(r["assets_fen"]),
            other_assets=from_fen(r["other_assets_fen"] or 0),
        )

    def customer_row(self, *, name: str, phone: str | None = None, id_number: str | None = None,
                     card: str | None = None, assets: Decimal, other_assets: Decimal = Decimal(0),
                     education: str | None = None) -> dict[str, Any]:
        """A directory row ready to insert: numbers become keyed hashes and display forms here."""
        row: dict[str, Any] = {
            "name": normalize_name(name), "education": education,
            "assets_fen": to_fen(assets), "other_assets_fen": to_fen(other_assets),
            "phone_hash": None, "phone_last4": None, "phone_masked": None,
            "id_hash": None, "id_last4": None, "birth_date": None, "card_hash": None, "card_last4": None,
        }
        if phone:
            digits = normalize_phone(phone)
            row.update(phone_hash=self.hash_of(digits), phone_last4=digits[-4:], phone_masked=mask_phone(digits))
        if id_number:
            parsed = parse_id_number(id_number, self.clock().date())
            row.update(id_hash=self.hash_of(parsed.number), id_last4=parsed.last4,
                       birth_date=parsed.birth_date.isoformat())
        if card:
            digits = normalize_card(card)
            row.update(card_hash=self.hash_of(digits), card_last4=digits[-4:])
        return row

    def upsert_customer(self, row: dict[str, Any], conn: sqlite3.Connection | None = None) -> tuple[str, bool]:
        """Insert, or update the customer with the same ID number (else phone): (id, created)."""
        def run(c: sqlite3.Connection) -> tuple[str, bool]:
            existing = None
            for key in ("id_hash", "phone_hash"):
                if row.get(key):
                    existing = c.execute(f"SELECT id FROM customers WHERE {key} = ?", (row[key],)).fetchone()
                    if existing:
                        break
            values = {**row, "updated_ts": self.now()}
            if existing:
                sets = ", ".join(f"{k} = :{k}" for k in values if values[k] is not None or k in ("education",))
                c.execute(f"UPDATE customers SET {sets} WHERE id = :id", {**values, "id": existing["id"]})
                return existing["id"], False
            values.update(id=str(uuid.uuid4()), device_id=self.device_id, created_ts=self.now())
            cols = ", ".join(values)
            c.execute(f"INSERT INTO customers({cols}) VALUES ({', '.join(':' + k for k in values)})", values)
            return values["id"], True

        if conn is not None:
            return run(conn)
        with self.write() as c:
            return run(c)

    def add_customer(self, **fields: Any) -> Customer:
        customer_id, _ = self.upsert_customer(self.customer_row(**fields))
        return self.get_customer(customer_id)

    def get_customer(self, customer_id: str) -> Customer:
        return self._customer(self.query("SELECT * FROM customers WHERE id = ?", (customer_id,))[0])

    def lookup(self, *, phone: str | None = None, phone_last4: str | None = None,
               id_number: str | None = None, card: str | None = None, name: str | None = None,
               limit: int = LOOKUP_LIMIT) -> list[Customer]:
        """Directory search by exactly one key; every path is an index lookup."""
        if phone is not None:
            where, value = "phone_hash = ?", self.hash_of(normalize_phone(phone))
        elif phone_last4 is not None:
            where, value = "phone_last4 = ?", normalize_last4(phone_last4)
        elif id_number is not None:
            where, value = "id_hash = ?", self.hash_of(parse_id_number(id_number, self.clock().date()).number)
        elif card is not None:
            where, value = "card_hash = ?", self.hash_of(normalize_card(card))
        elif name is not None:
            # Exact name or a prefix of it (张 finds 张三明), through the name index.
            prefix = normalize_name(name)
            rows = self.query(
                "SELECT * FROM customers WHERE name >= ? AND name < ? ORDER BY name LIMIT ?",
                (prefix, prefix + "\U0010ffff", limit),
            )
            return [self._customer(r) for r in rows]
        else:
            raise InputError("name.bad")
        rows = self.query(f"SELECT * FROM customers WHERE {where} LIMIT ?", (value, limit))
        return [self._customer(r) for r in rows]

    def customer_count(self) -> int:
        return self.query("SELECT count(*) FROM customers")[0][0]

    # ------------------------------------------------------------ visits

    def _visit(self, r: sqlite3.Row) -> Visit:
        return Visit(
            id=r["id"], device_id=r["device_id"], ts=r["ts"], shift_id=r["shift_id"],
            staff_id=r["staff_id"], customer_id=r["customer_id"], tier=r["tier"],
            quality=bool(r["quality"]), potential_quality=bool(r["potential_quality"]),
            reason=r["reason"], amount=from_fen(r["amount_fen"]) if r["amount_fen"] is not None else None,
            recommended_destination=r["recommended_destination"], destination=r["destination"],
            refer_to=r["refer_to"], override_reason=r["override_reason"], ticket=r["ticket"],
            outcome=r["outcome"], outcome_ts=r["outcome_ts"], notes=r["notes"],
            redirected_from=r["redirected_from"],
        )

    def start_visit(self, *, reason: str, shift_id: str | None, staff_id: str | None,
                    notes: str | None = None) -> str:
        """A customer greeted: the visit exists from its arrival time on, in progress."""
        guidance_rules().reason(reason)
        ts = self.now()
        visit_id = str(uuid.uuid4())
        with self.write() as conn:
            conn.execute(
                "INSERT INTO visits(id, device_id, ts, day, shift_id, staff_id, reason, notes, outcome, updated_ts) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'in_progress', ?)",
                (visit_id, self.device_id, ts, ts[:10], shift_id, staff_id, reason, notes or None, ts),
            )
        return visit_id

    def next_ticket(self, conn: sqlite3.Connection, day: str, destination: str) -> str:
        """The next queue number at `destination` today: never one handed out before that day."""
        prefix = guidance_rules().destinations[destination].prefix
        n = conn.execute(
            "INSERT INTO ticket_counters(day, destination, last) VALUES (?, ?, 1) "
            "ON CONFLICT(day, destination) DO UPDATE SET last = last + 1 RETURNING last",
            (day, destination),
        ).fetchone()[0]
        return f"{prefix}{n:03d}"

    def confirm_visit(self, visit_id: str, *, classification: Classification | None,
                      recommendation: Recommendation, destination: str, customer_id: str | None = None,
                      amount: Decimal | None = None, reason: str | None = None,
                      override_reason: str | None = None, notes: str | None = None) -> Visit:
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
                (customer_id, tier, int(bool(classification and classification.quality)),
                 int(bool(classification and classification.potential_quality)), reason or row["reason"],
                 to_fen(amount) if amount is not None else None, recommendation.destination, destination,
                 recommendation.refer_to, override_reason.strip() if overridden and override_reason else None,
                 ticket, notes or None, self.now(), self.now(), visit_id),
            )
            if overridden:
                self._audit(conn, "override", row["staff_id"], visit_id=visit_id,
                            recommended=recommendation.destination, destination=destination,
                            reason=(override_reason or "").strip())
        return self.get_visit(visit_id)

    def set_outcome(self, visit_id: str, outcome: str, *, staff_id: str | None = None,
                    destination: str | None = None) -> Visit:
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
                ticket = self.next_ticket(conn, row["day"], destination)
                conn.execute(
                    "UPDATE visits SET redirected_from = coalesce(redirected_from, destination), "
                    "destination = ?, ticket = ? WHERE id = ?", (destination, ticket, visit_id))
                self._audit(conn, "redirected", staff_id, visit_id=visit_id, destination=destination,
                            previous=row["destination"])
                outcome = "waiting"
            conn.execute("UPDATE visits SET outcome = ?, outcome_ts = ?, updated_ts = ? WHERE id = ?",
                         (outcome, self.now(), self.now(), visit_id))
        return self.get_visit(visit_id)

    def get_visit(self, visit_id: str) -> Visit:
        rows = self.query("SELECT * FROM visits WHERE id = ?", (visit_id,))
        if not rows:
            raise StoreError("db.no_such_visit", self.path, id=visit_id)
        return self._visit(rows[0])

    def visits_on(self, day: str) -> list[Visit]:
        return [self._visit(r) for r in self.query("SELECT * FROM visits WHERE day = ? ORDER BY ts", (day,))]

    def iter_visits(self, start: str, end: str) -> Iterator[Visit]:
        """Visits from `start` to `end` inclusive (ISO dates), oldest first, without loading them all."""
        try:
            cursor = self.conn.execute("SELECT * FROM visits WHERE day BETWEEN ? AND ? ORDER BY day, ts", (start, end))
            for row in cursor:
                yield self._visit(row)
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path) from None

    def day_summary(self, day: str) -> dict[str, Any]:
        return day_figures(day, self.visits_on(day))

    def board(self, *, recent: int = 8) -> Board:
        day = self.today()
        waiting = {code: 0 for code in guidance_rules().destinations}
        in_branch = 0
        for r in self.query(
            "SELECT outcome, destination, count(*) AS n FROM visits "
            "WHERE outcome IN ('in_progress', 'waiting') AND day = ? GROUP BY outcome, destination", (day,),
        ):
            in_branch += r["n"]
            if r["outcome"] == "waiting" and r["destination"]:
                waiting[r["destination"]] += r["n"]
        recent_rows = self.query(
            "SELECT * FROM visits WHERE day = ? AND outcome != 'cancelled' ORDER BY ts DESC LIMIT ?", (day, recent))
        since = (date.fromisoformat(day) - timedelta(days=6)).isoformat()
        follow = self.query(
            "SELECT * FROM visits WHERE potential_quality = 1 AND day >= ? AND outcome != 'cancelled' "
            "ORDER BY ts DESC LIMIT 20", (since,))
        visits = [self._visit(r) for r in recent_rows], [self._visit(r) for r in follow]
        ids = sorted({v.customer_id for group in visits for v in group if v.customer_id})
        names = {}
        if ids:
            marks = ", ".join("?" for _ in ids)
            names = {r["id"]: r["name"] for r in self.query(f"SELECT id, name FROM customers WHERE id IN ({marks})", tuple(ids))}
        return Board(day, in_branch, waiting, visits[0], visits[1], names)

    def waiting_counts(self) -> dict[str, int]:
        return self.board(recent=0).waiting
