"""StoreBase: the connection (one per thread, opened lazily), transactions, settings and the
hash-chained audit log that every part of LobbyStore writes through."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import random
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from itertools import repeat
from pathlib import Path
from typing import Any

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.shiftlog import AuditCheck
from lobby_tui.files import write_private
from lobby_tui.store.chain import CHAINED, batch_digest, current_digests, row_digest
from lobby_tui.store.database import StoreError, open_database, translate_error
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


def walk_chain(rows: Iterable[Mapping[str, Any]]) -> tuple[int, int | None, str | None, int | None]:
    """Walk an audit chain in seq order: (entries read, first broken seq, "removed" or "changed" or
    None, the seq the next entry would have). A changed entry breaks its own hash, a removed one the
    next entry's link or the run of seq numbers. The head office's `hq verify` walks each branch's
    copy of the chain with this too, so both check the same way."""
    prev = ""
    expected_seq = None
    count = 0
    for row in rows:
        count += 1
        if expected_seq is not None and row["seq"] != expected_seq:
            return count, expected_seq, "removed", expected_seq  # a row was removed
        if row["prev_hash"] != prev or row["hash"] != audit_hash(prev, dict(row)):
            return count, row["seq"], "changed", expected_seq
        prev = row["hash"]
        expected_seq = row["seq"] + 1
    return count, None, None, expected_seq


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
        self._key_unrecorded = False  # the key's check value is not in the database yet
        self._sound_checked = False  # quick_check has passed in this run (StaffMixin.open_shift)

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
        if self.key_path.exists() or self._has_hashes():
            self.hash_key  # noqa: B018 - a missing, damaged or foreign key file is refused now, not later

    def quick_check(self) -> str | None:
        """SQLite's quick_check over the whole file: None when it is sound, else what it found first
        (a damaged page in the directory, say). Reads every page: run it off the UI thread."""
        try:
            rows = self.conn.execute("PRAGMA quick_check(1)").fetchall()
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path) from None
        found = [" ".join(str(r[0]).replace("*** in database main ***", "").split()) for r in rows]  # one line
        return None if found == ["ok"] else "; ".join(found)[:160]

    def require_sound(self) -> None:
        """quick_check, and a damaged file refused with the error that names the backup to restore."""
        from lobby_tui.store.database import damaged

        found = self.quick_check()
        if found:
            raise damaged(self.path, found)

    def check_sound_once(self) -> None:
        """require_sound, once in this run (the sign-in screen calls it before anything is written)."""
        if not self._sound_checked:
            self.require_sound()
            self._sound_checked = True

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
        self.hash_key  # noqa: B018 - a key file of another database is refused before anything is written
        self._begin_immediate(conn)
        self._local.audit_head = None
        self._local.chain = {}
        self._local.chain_known = {}  # (table, key) -> digest of a row just inserted (chain_inserted)
        self._local.chain_bulk = []  # (table, keys, digests) of rows just inserted (chain_new_digests)
        try:
            if self._key_unrecorded:
                conn.execute(
                    "INSERT OR IGNORE INTO meta(key, value) VALUES ('key_check', ?)", (self._key_check(self.hash_key),)
                )
            yield conn
            if self._local.chain or self._local.chain_bulk:
                self._chain_flush(conn)
            conn.execute("COMMIT")
            self._key_unrecorded = False
        except sqlite3.Error as exc:
            self._local.audit_head = None
            self._local.chain = None
            self._local.chain_bulk = []
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise translate_error(exc, self.path) from None
        except BaseException:
            self._local.audit_head = None
            self._local.chain = None
            self._local.chain_bulk = []
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self._local.chain = None  # chain_row outside write() is a mistake, and says so
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
            key = load_or_create_key(self.key_path, self._has_hashes)
            recorded = self.query("SELECT value FROM meta WHERE key = 'key_check'")
            if recorded and not hmac.compare_digest(recorded[0][0], self._key_check(key)):
                raise StoreError("db.key_wrong", self.path, keyfile=self.key_path)
            self._key_unrecorded = not recorded  # recorded with the next write (a database made before it)
            self._hash_key = key
        return self._hash_key

    @staticmethod
    def _key_check(key: str) -> str:
        """The key's check value, kept in the database (meta.key_check): it tells whether a key file
        belongs to this database without revealing the key (a keyed hash of a fixed text)."""
        return keyed_hash(key, "lobby_tui:key-check")

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
        enforced where the work is done, not only by which screens offer it. A privileged member (a
        supervisor) acts only through the Session a right PIN gave, not by their staff id alone,
        whatever the action; work a lobby manager may also do takes a lobby manager's id as before."""
        row: sqlite3.Row | None = conn.execute("SELECT * FROM staff WHERE staff_id = ?", (staff_id or "",)).fetchone()
        if row is None or not row["active"]:
            raise InputError("role.not_signed_in")
        if roles and row["role"] not in roles:
            raise InputError("role.supervisor_only" if roles == ("supervisor",) else "role.not_allowed")
        if row["role"] in PRIVILEGED_ROLES and not self.is_session(staff_id):
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

    # ------------------------------------------------------------ business rows in the chain

    def chain_row(self, conn: sqlite3.Connection, table: str, key: str, *, new: bool = False) -> None:
        """Chain the row `key` of `table` (inserted, changed or deleted) in this write transaction: at
        its commit the row's digest as written goes into row_chain, covered by the transaction's audit
        entry. Every store method that writes a chained table calls this (or chain_rows). `new`: the
        row was just inserted (a bulk write then need not look for its earlier digest)."""
        pending: dict[tuple[str, str], bool] | None = getattr(self._local, "chain", None)
        if pending is None or not conn.in_transaction:
            raise RuntimeError("chain_row is called inside LobbyStore.write()")
        if table not in CHAINED:
            raise KeyError(f"{table} is not a chained table (lobby_tui.store.chain.CHAINED)")
        pending[(table, key)] = new and pending.get((table, key), True)
        self._local.chain_known.pop((table, key), None)  # changed since it was inserted: read it back

    def chain_inserted(
        self, conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        """chain_rows(new=True) for rows just inserted with every column of `table`, in `columns`
        order: their digests are taken from the values written instead of being read back (a third of
        a million-row import's time). When `columns` is not the table's own column list, in its order
        (a later migration added one), the rows are read back as usual, so a digest is never wrong."""
        key_at = columns.index(CHAINED[table])
        if tuple(columns) != self._table_columns(conn, table):
            self.chain_rows(conn, table, [r[key_at] for r in rows], new=True)
            return
        pending: dict[tuple[str, str], bool] = self._local.chain
        known: dict[tuple[str, str], str] = self._local.chain_known
        for r in rows:
            key = (table, r[key_at])
            pending[key] = pending.get(key, True)
            known[key] = row_digest(table, r)

    def chain_new_digests(self, conn: sqlite3.Connection, table: str, keys: list[str], digests: list[str]) -> None:
        """chain_inserted for rows whose digests the caller has worked out (row_digest of every
        column of `table`, in the table's order: the caller checks _table_columns first). Kept as
        lists, not per row: an import chains 100,000 new rows a batch. A key also passed to chain_row
        in the same transaction (changed after it was inserted) is read back at the commit instead."""
        if getattr(self._local, "chain", None) is None or not conn.in_transaction:
            raise RuntimeError("chain_new_digests is called inside LobbyStore.write()")
        if table not in CHAINED:
            raise KeyError(f"{table} is not a chained table (lobby_tui.store.chain.CHAINED)")
        if len(keys) != len(digests):
            raise ValueError("chain_new_digests: one digest per key")
        self._local.chain_bulk.append((table, keys, digests))

    def _table_columns(self, conn: sqlite3.Connection, table: str) -> tuple[str, ...]:
        """The table's columns in order, as SELECT * gives them (asked each time: a cheap pragma, and
        always the schema of the file in hand)."""
        return tuple(r[1] for r in conn.execute(f"PRAGMA table_info({table})"))  # noqa: S608 - our names

    def chain_rows(self, conn: sqlite3.Connection, table: str, keys: Iterable[str], *, new: bool = False) -> None:
        for key in keys:
            self.chain_row(conn, table, key, new=new)

    def _chain_flush(self, conn: sqlite3.Connection) -> None:
        """The pending rows' digests into row_chain, under this transaction's newest audit entry (its
        detail gains rows_n and rows_digest, its hash is made again: it is not committed yet), or
        under a new `rows` entry when the transaction wrote none."""
        by_table: dict[str, list[str]] = {}
        changed: dict[str, list[str]] = {}  # keys of rows that were there before this transaction
        for (table, key), new in self._local.chain.items():
            by_table.setdefault(table, []).append(key)
            if not new:
                changed.setdefault(table, []).append(key)
        lines: list[tuple[str, str, str | None]] = []
        pending = self._local.chain
        for table, bulk_keys, bulk_digests in self._local.chain_bulk:
            if pending:  # rows changed again after they were inserted are read back below
                lines += [
                    (table, k, d) for k, d in zip(bulk_keys, bulk_digests, strict=True) if (table, k) not in pending
                ]
            else:
                lines += zip(repeat(table), bulk_keys, bulk_digests, strict=False)  # repeat() is endless
        self._local.chain_bulk = []
        known: dict[tuple[str, str], str] = self._local.chain_known
        for table, keys in by_table.items():
            digests = {key: known[(table, key)] for key in keys if (table, key) in known}
            digests.update(current_digests(conn, table, [k for k in keys if k not in digests]))
            if len(changed.get(table, ())) > 64:  # a bulk update: rows an import left as they were need no line
                latest = self._latest_digests(conn, table, changed[table])
                keys = [k for k in keys if latest.get(k, "") != digests.get(k)]
            lines += [(table, key, digests.get(key)) for key in keys]
        self._local.chain = {}
        self._local.chain_known = {}
        if not lines:
            return
        extra: dict[str, Any] = {"rows_n": len(lines), "rows_digest": batch_digest(lines)}
        head = self._local.audit_head
        newest = conn.execute("SELECT * FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        if head is not None and newest is not None and newest["seq"] == head[0]:
            row = {k: newest[k] for k in ("id", "device_id", "ts", "staff_id", "action")}
            row["detail"] = json.dumps({**json.loads(newest["detail"]), **extra}, ensure_ascii=False, sort_keys=True)
            digest = audit_hash(newest["prev_hash"], row)
            conn.execute("UPDATE audit SET detail = ?, hash = ? WHERE seq = ?", (row["detail"], digest, head[0]))
            self._local.audit_head = (head[0], digest)
            seq = head[0]
        else:
            self._audit(conn, "rows", None, **extra)
            seq = self._local.audit_head[0]
        # The lines as they are (seq, an int of ours, written in: an import's batch has 100,000 lines).
        conn.executemany(f"INSERT INTO row_chain(seq, tbl, key, digest) VALUES ({int(seq)}, ?, ?, ?)", lines)

    @staticmethod
    def _latest_digests(conn: sqlite3.Connection, table: str, keys: list[str]) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for start in range(0, len(keys), 900):
            part = keys[start : start + 900]
            for row in conn.execute(
                "SELECT key, digest, max(seq) FROM row_chain WHERE tbl = ? AND key IN "
                f"({', '.join('?' * len(part))}) GROUP BY key",
                (table, *part),
            ):
                out[row[0]] = row[1]
        return out

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
        # The anchor first, then the chain in one read transaction (one snapshot): the anchor is only
        # ever written after its entry committed, so the snapshot taken after reading it holds that
        # entry, however many commits land meanwhile. (Chain first, anchor second raised false alarms
        # on a live database: a commit in between made the anchor look ahead of the log.)
        anchor = self._read_anchor()
        conn = self.conn
        own = not conn.in_transaction
        try:
            if own:
                conn.execute("BEGIN")
            try:
                return self._walk_audit(conn, anchor)
            finally:
                if own and conn.in_transaction:
                    conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path) from None

    def _walk_audit(self, conn: sqlite3.Connection, anchor: tuple[int, str] | str | None) -> AuditCheck:
        prev = ""
        expected_seq = None
        count = 0
        claims: dict[int, tuple[int, str]] = {}  # seq -> (rows_n, rows_digest) the entry carries
        for row in conn.execute("SELECT * FROM audit ORDER BY seq"):  # a cursor: a year stays small
            count += 1
            if expected_seq is not None and row["seq"] != expected_seq:
                return AuditCheck(count, expected_seq, "removed", False)  # a row was removed
            if row["prev_hash"] != prev or row["hash"] != audit_hash(prev, dict(row)):
                return AuditCheck(count, row["seq"], "changed", False)
            if '"rows_digest"' in (row["detail"] or ""):
                detail = json.loads(row["detail"])
                claims[row["seq"]] = (int(detail["rows_n"]), str(detail["rows_digest"]))
            prev = row["hash"]
            expected_seq = row["seq"] + 1
        anchored = anchor is not None
        if anchor is not None:
            newest = (expected_seq or 1) - 1
            if isinstance(anchor, str):  # "bad": the anchor file was changed: the newest entries cannot be vouched for
                return AuditCheck(count, newest, "anchor_bad", True)
            seq, digest = anchor
            if seq > newest:
                return AuditCheck(count, newest + 1, "removed_newest", True)
            row = conn.execute("SELECT hash FROM audit WHERE seq = ?", (seq,)).fetchone()
            if row is None or row["hash"] != digest:
                return AuditCheck(count, seq, "changed", True)
        problem = self._check_row_chain(conn, claims) or self._check_rows(conn)
        if problem is not None:
            at, kind, table, key = problem
            return AuditCheck(count, at, kind, anchored, table, key)
        if anchor is None and count:
            # Entries and no anchor: the newest entries (and the rows they chain) may have been cut off.
            return AuditCheck(count, None, "anchor_missing", False)
        return AuditCheck(count, None, None, anchored)

    @staticmethod
    def _check_row_chain(
        conn: sqlite3.Connection, claims: dict[int, tuple[int, str]]
    ) -> tuple[int | None, str, str, str] | None:
        """Every entry's rows digest recomputed from its row_chain lines: a line changed, added or
        removed outside the app shows here, naming its row."""
        current: int | None = None
        n, h = 0, hashlib.sha256()
        first: tuple[str, str] | None = None

        def settle() -> tuple[int | None, str, str, str] | None:
            claim = claims.pop(current, None) if current is not None else None
            if claim is None or claim != (n, h.hexdigest()):
                assert first is not None
                return current, "row_changed", first[0], first[1]
            return None

        lines = conn.cursor()
        lines.row_factory = None
        lines.execute("SELECT seq, tbl, key, digest FROM row_chain ORDER BY seq, tbl, key")
        for seq, table, key, digest in lines:
            if seq != current:
                if current is not None and (found := settle()):
                    return found
                current, n, h, first = seq, 0, hashlib.sha256(), (table, key)
            n += 1
            h.update(f"{table}\t{key}\t{digest or '-'}\n".encode())  # as chain.batch_lines
        if current is not None and (found := settle()):
            return found
        for seq in sorted(claims):  # an entry whose rows' lines are all gone
            if claims[seq][0]:
                return seq, "row_changed", "row_chain", str(seq)
        return None

    @staticmethod
    def _check_rows(conn: sqlite3.Connection) -> tuple[int | None, str, str, str] | None:
        """Each chained table's rows now against their newest row_chain line (both in key order)."""
        for table, column in CHAINED.items():
            rows = conn.cursor()
            rows.row_factory = None  # plain tuples: a directory has a million rows
            rows.execute(f"SELECT * FROM {table} ORDER BY {column}")  # noqa: S608 - names are ours
            at = [d[0] for d in rows.description].index(column)
            chained = conn.cursor()
            chained.row_factory = None
            chained.execute(
                "SELECT key, digest, max(seq) FROM row_chain WHERE tbl = ? GROUP BY key ORDER BY key", (table,)
            )
            expect = next(chained, None)
            for values in rows:
                key = values[at]
                while expect is not None and expect[0] < key:  # chained, and no such row now
                    if expect[1] is not None:
                        return expect[2], "row_deleted", table, expect[0]
                    expect = next(chained, None)
                if expect is None or expect[0] != key or expect[1] is None:
                    return None, "row_added", table, key
                if expect[1] != row_digest(table, values):
                    return expect[2], "row_changed", table, key
                expect = next(chained, None)
            while expect is not None:
                if expect[1] is not None:
                    return expect[2], "row_deleted", table, expect[0]
                expect = next(chained, None)
        return None

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
            write_private(tmp, body + "\n")
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
