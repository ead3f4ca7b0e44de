"""StoreBase: the connection (one per thread, opened lazily), transactions, settings and the
hash-chained audit log that every part of LobbyStore writes through."""

from __future__ import annotations

import hmac
import json
import os
import random
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.shiftlog import AuditCheck
from lobby_tui.store.database import open_database, translate_error
from lobby_tui.store.migrations import audit_hash
from lobby_tui.store.security import (
    keyed_hash,
    load_or_create_key,
)

# How long, in all, a write waits for other writers before "busy" reaches a person.
WRITE_PATIENCE_S = 60.0


def _pause(seconds: float) -> None:
    """Between tries of a busy BEGIN (a name of its own, so a test can stand in for the clock)."""
    time.sleep(seconds)


def now_local() -> datetime:
    return datetime.now().astimezone()


def _iso(ts: datetime) -> str:
    return ts.isoformat(timespec="seconds")


class Session(str):
    """A staff member signed in with a right PIN: their staff id (it is a str, so it is written and
    compared as one), with the token that only LobbyStore.sign_in hands out. Supervisor actions and
    staff changes take one (issue 14): a staff id typed as a string, or a Session made by hand, is
    refused, so code cannot act as the supervisor by naming them."""

    token: str

    def __new__(cls, staff_id: str, token: str) -> Session:
        session = super().__new__(cls, staff_id)
        session.token = token
        return session

    @property
    def staff_id(self) -> str:
        return str(self)


# Roles whose work needs a Session: signing shifts off, sending them back, staff and PIN changes,
# reading every lobby manager's shifts, exports.
PRIVILEGED_ROLES = frozenset({"supervisor"})
# token -> (database file, staff id) of every session sign_in handed out in this process: a session
# acts on its own database, through any LobbyStore on it, until it is ended.
_SESSIONS: dict[str, tuple[str, str]] = {}


class StoreBase:
    def __init__(
        self, path: str | os.PathLike[str], *, clock: Callable[[], datetime] = now_local, device_id: str | None = None
    ) -> None:
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

    def _begin_immediate(self, conn: sqlite3.Connection) -> None:
        """BEGIN IMMEDIATE, waiting for another writer (another tablet, an import's chunk) as long as
        WRITE_PATIENCE_S in all: SQLite's busy_timeout covers each try, and a busy answer that skips
        it (a WAL being recovered) is tried again after a short, jittered pause. Only after that does
        "busy" reach a person, as db.locked."""
        deadline = time.monotonic() + WRITE_PATIENCE_S
        delay = 0.002
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.Error as exc:
                error = translate_error(exc, self.path)
                if error.key != "db.locked" or time.monotonic() >= deadline:
                    raise error from None
            _pause(min(delay, max(deadline - time.monotonic(), 0.0)) * (0.5 + random.random()))
            delay = min(delay * 2, 0.1)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction, committed (durably: synchronous=FULL) when the block ends."""
        conn = self.conn
        self._begin_immediate(conn)
        self._local.audit_head = None
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._local.audit_head = None
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise translate_error(exc, self.path) from None
        except BaseException:
            self._local.audit_head = None
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        head, self._local.audit_head = self._local.audit_head, None
        if head is not None:
            self._write_anchor(*head)

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path) from None

    def meta(self, key: str) -> str:
        if self._meta is None:
            self._meta = {r["key"]: r["value"] for r in self.query("SELECT key, value FROM meta")}
        return self._meta[key]

    def mark_demo(self, staff: list[tuple[str, str, str, str]]) -> None:
        """A demo database says so, with its sign-ins, so its sign-in screen can show them: a demo
        is for someone who has read nothing yet. Never set on a real branch's database."""
        value = json.dumps([[s[0], s[2], s[3]] for s in staff])
        with self.write() as conn:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('demo_staff', ?)", (value,))
        self._meta = None

    def demo_staff(self) -> list[tuple[str, str, str]]:
        """(staff id, role, PIN) of a demo database's staff; empty for a real database."""
        self.meta("device_id")  # loads the table
        assert self._meta is not None
        return [tuple(s) for s in json.loads(self._meta.get("demo_staff", "[]"))]

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
        return bool(
            self.query(
                "SELECT 1 FROM customers WHERE phone_hash IS NOT NULL OR id_hash IS NOT NULL "
                "OR card_hash IS NOT NULL LIMIT 1"
            )
        )

    def hash_of(self, value: str) -> str:
        return keyed_hash(self.hash_key, value)

    def now(self) -> str:
        return _iso(self.clock())

    def today(self) -> str:
        return self.clock().date().isoformat()

    # ------------------------------------------------------------ roles

    def new_session(self, staff_id: str) -> Session:
        """Only for sign_in (after the PIN was checked) and the command line's sign-in (the same)."""
        session = Session(staff_id, secrets.token_hex(16))
        _SESSIONS[session.token] = (os.path.realpath(self.path), staff_id)
        return session

    def end_session(self, session: str | None) -> None:
        """Signing out: the session no longer acts for anyone."""
        _SESSIONS.pop(getattr(session, "token", ""), None)

    def is_session(self, by: object) -> bool:
        if not isinstance(by, Session):
            return False
        return _SESSIONS.get(getattr(by, "token", "")) == (os.path.realpath(self.path), str(by))

    def _require_role(self, conn: sqlite3.Connection, staff_id: str | None, *roles: str) -> sqlite3.Row:
        """The acting staff member's row, if they are an active account with one of `roles`.

        Every method that does a supervisor's work (or a lobby manager's) checks here, so a role is
        enforced where the work is done, not only by which screens offer it. Acting in a privileged
        role (a supervisor) needs the Session a right PIN gave, not the staff id alone."""
        row: sqlite3.Row | None = conn.execute("SELECT * FROM staff WHERE staff_id = ?", (staff_id or "",)).fetchone()
        if row is None or not row["active"]:
            raise InputError("role.not_signed_in")
        if roles and row["role"] not in roles:
            raise InputError("role.supervisor_only" if roles == ("supervisor",) else "role.not_allowed")
        if (row["role"] in PRIVILEGED_ROLES or PRIVILEGED_ROLES & set(roles)) and not self.is_session(staff_id):
            raise InputError("role.pin_needed")
        return row

    # ------------------------------------------------------------ audit log (hash-chained)

    def _audit(
        self, conn: sqlite3.Connection, action: str, staff_id: str | None, *, ts: str | None = None, **detail: Any
    ) -> None:
        """Append one entry to the hash chain, inside the caller's transaction.

        `ts` is for entries written after the fact (the demo generator's history); it defaults to now.
        """
        last = conn.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        row = {
            "id": str(uuid.uuid4()),
            "device_id": self.device_id,
            "ts": ts or self.now(),
            "staff_id": staff_id,
            "action": action,
            "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True),
        }
        prev = last["hash"] if last else ""
        digest = audit_hash(prev, row)
        cursor = conn.execute(
            "INSERT INTO audit(id, device_id, ts, staff_id, action, detail, prev_hash, hash) "
            "VALUES (:id, :device_id, :ts, :staff_id, :action, :detail, :prev, :hash)",
            {**row, "prev": prev, "hash": digest},
        )
        self._local.audit_head = (cursor.lastrowid, digest)  # anchored once the transaction commits

    def audit(self, action: str, staff_id: str | None, **detail: Any) -> None:
        with self.write() as conn:
            self._audit(conn, action, staff_id, **detail)

    def audit_entries(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.query("SELECT * FROM audit ORDER BY seq DESC LIMIT ?", (limit,))
        return [dict(r) for r in rows]

    def verify_audit(self) -> int | None:
        """The seq of the first entry whose chain is broken, or None when the log is intact."""
        return self.audit_status().first_broken

    def audit_status(self) -> AuditCheck:
        """Walk the chain: a changed entry breaks its own hash, a removed one the next entry's link or
        the run of seq numbers. Removing the newest entries breaks no link, so the newest entry is
        also checked against the anchor file beside the database (lobby.db.anchor).

        What the anchor can and cannot do: it is written after each audited commit and keyed with the
        database's secret (lobby.db.key), so someone who edits the database alone - with any SQLite
        tool - cannot cut the tail off unnoticed, nor forge a new anchor. It cannot stop someone who
        holds the key file too, or who puts back an older copy of the anchor together with a database
        cut back to match it; only a copy kept elsewhere (an export, a report) can show that. With no
        anchor file at all (a database copied without it) the chain is still checked, and the check
        says the newest entries could not be."""
        try:
            return self._walk_audit()
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path) from None

    def _walk_audit(self) -> AuditCheck:
        prev = ""
        expected_seq = None
        count = 0
        for row in self.conn.execute("SELECT * FROM audit ORDER BY seq"):  # a cursor: a year stays small
            count += 1
            if expected_seq is not None and row["seq"] != expected_seq:
                return AuditCheck(count, expected_seq, "removed", False)  # a row was removed
            if row["prev_hash"] != prev or row["hash"] != audit_hash(prev, dict(row)):
                return AuditCheck(count, row["seq"], "changed", False)
            prev = row["hash"]
            expected_seq = row["seq"] + 1
        anchor = self._read_anchor()
        if anchor is None:
            return AuditCheck(count, None, None, False)
        newest = (expected_seq or 1) - 1
        if isinstance(anchor, str):  # "bad": the anchor file was changed: the newest entries cannot be vouched for
            return AuditCheck(count, newest, "anchor_bad", True)
        seq, digest = anchor
        if seq > newest:
            return AuditCheck(count, newest + 1, "removed_newest", True)
        row = self.conn.execute("SELECT hash FROM audit WHERE seq = ?", (seq,)).fetchone()
        if row is None or row["hash"] != digest:
            return AuditCheck(count, seq, "changed", True)
        return AuditCheck(count, None, None, True)

    # ------------------------------------------------------------ the audit anchor

    @property
    def anchor_path(self) -> Path:
        return Path(self.path + ".anchor")

    def _anchor_mac(self, seq: int, digest: str) -> str:
        return keyed_hash(self.hash_key, f"audit-anchor:{seq}:{digest}")

    def _write_anchor(self, seq: int, digest: str) -> None:
        """Keep the newest committed entry's seq and hash (keyed with the database's secret) beside the
        database. Written after the commit, so it is never ahead of the log; a later writer may leave
        an older anchor, which checks less but never raises a false alarm."""
        try:
            current = self._read_anchor()
            if isinstance(current, tuple) and current[0] > seq:
                return  # another connection anchored a newer entry already
            body = json.dumps({"seq": seq, "hash": digest, "mac": self._anchor_mac(seq, digest)})
            tmp = self.anchor_path.with_name(f".{self.anchor_path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write(body + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.anchor_path)
        except (OSError, InputError):
            # The log itself is committed; an anchor that could not be written only checks less.
            return

    def _read_anchor(self) -> tuple[int, str] | str | None:
        """(seq, hash) from the anchor file; None when there is none; "bad" when it was tampered with."""
        try:
            data = json.loads(self.anchor_path.read_text(encoding="utf-8"))
            seq, digest, mac = int(data["seq"]), str(data["hash"]), str(data["mac"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return "bad"
        try:
            if not hmac.compare_digest(mac, self._anchor_mac(seq, digest)):
                return "bad"
        except InputError:
            return "bad"  # no key file to check it with
        return seq, digest
