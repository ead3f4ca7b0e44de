"""StoreBase: the connection (one per thread, opened lazily), transactions, settings and the
hash-chained audit log that every part of LobbyStore writes through."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from lobby_tui.store.database import open_database, translate_error
from lobby_tui.store.migrations import audit_hash
from lobby_tui.store.security import (
    keyed_hash,
    load_or_create_key,
)


def now_local() -> datetime:
    return datetime.now().astimezone()


def _iso(ts: datetime) -> str:
    return ts.isoformat(timespec="seconds")


class StoreBase:
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
