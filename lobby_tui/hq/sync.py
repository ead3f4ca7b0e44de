"""`lobby-tui sync`: push a branch file's rows to head office, in batches, nothing lost or doubled.

For each table of hq/tables.py, batch by batch: read rows past the table's high-water mark in the
branch file, COPY them into a staging table at head office and insert them from there (ON CONFLICT DO
NOTHING, or an update for a row that changed), COMMIT at head office, and only then move the mark in
the branch file. A crash (kill -9) between the two commits sends that batch again, which changes
nothing; a crash before head office commits leaves nothing there. So running it again is always safe,
and running it twice sends nothing the second time.

Changing tables (visits, shifts) are first read whole, by rowid (`scan`); from then on their outbox says
which rows changed. The marks are kept per head office (its hq_id): a new head-office database is
synced from the start.

A connection lost mid-way (a PostgreSQL restart) is retried, saying so on stderr; a head office that
cannot be reached at the start, refuses the credentials or has another schema version is an HqError.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from lobby_tui.hq.connect import HqError, connect, connection_error, describe, first_line, is_connection_lost
from lobby_tui.hq.figures import refresh_counts
from lobby_tui.hq.schema import ensure_partitions, require_current
from lobby_tui.hq.tables import SYNC_TABLES, SyncTable

BATCH_ROWS = 5000
RETRIES = 8  # connection lost mid-way: this many tries again, waits doubling from RETRY_PAUSE_S
RETRY_PAUSE_S = 0.5
RETRY_PAUSE_MAX_S = 8.0
BRANCH_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
COUNTS_LOCK = 0x10B7  # pg_advisory_xact_lock(COUNTS_LOCK, hashtext(branch)): one recount of a branch at a time
STALL_ENV = "LOBBY_TUI_SYNC_STALL"  # tests: "point:batch:file" stops there (to be killed with -9)


@dataclass
class SyncResult:
    branch: str
    hq: str
    sent: dict[str, int] = field(default_factory=dict)
    retries: int = 0


class Syncer:
    def __init__(
        self,
        store: Any,
        dsn: str,
        branch: str | None = None,
        *,
        batch: int = BATCH_ROWS,
        retries: int = RETRIES,
        pause: float = RETRY_PAUSE_S,
        notify: Callable[[str, dict[str, Any]], None] | None = None,
        on_batch: Callable[[str, int], None] | None = None,
    ) -> None:
        self.store = store
        self.dsn = dsn
        self.where = describe(dsn)
        self.branch_arg = branch
        self.batch = max(1, batch)
        self.retries = retries
        self.pause = pause
        self.notify = notify or (lambda key, params: None)
        self.on_batch = on_batch
        self.conn: Any = None
        self.staged: set[str] = set()
        self.months: set[str] = set()
        self.batches = 0
        self.hq_id = ""

    # ------------------------------------------------------------ the run

    def run(self) -> SyncResult:
        self.store.check()
        self.conn = connect(self.dsn)
        try:
            self.hq_id = require_current(self.conn, self.dsn)
            branch = self._branch_code()
            result = SyncResult(branch, self.where)
            self._retrying(partial(self._register, branch), result)
            present = {r["name"] for r in self.store.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table in SYNC_TABLES:
                if table.name in present:
                    result.sent[table.name] = self._sync_table(table, branch, result)
            self._prune()
            self._retrying(partial(self._finish, branch), result)
            return result
        finally:
            self._close()

    def _close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass
            self.conn = None

    def _branch_code(self) -> str:
        rows = self.store.query("SELECT DISTINCT branch FROM sync_marks WHERE hq = ?", (self.hq_id,))
        stored = rows[0]["branch"] if rows else None
        code = (self.branch_arg or "").strip() or stored or self.store.meta("device_id")[:8]
        if not BRANCH_CODE.match(code):
            raise HqError("hq.branch_bad", self.where, code=code[:40])
        if stored and stored != code:
            raise HqError("hq.branch_changed", self.where, code=code, stored=stored)
        return code

    def _register(self, branch: str) -> None:
        file_id = self.store.meta("device_id")
        with self.conn.transaction(), self.conn.cursor() as cur:
            cur.execute(
                "INSERT INTO branches(code, file_id) VALUES (%s, %s) ON CONFLICT (code) DO NOTHING", (branch, file_id)
            )
            cur.execute("SELECT file_id FROM branches WHERE code = %s", (branch,))
            owner = cur.fetchone()[0]
        if owner != file_id:
            raise HqError("hq.branch_taken", self.where, code=branch)

    def _finish(self, branch: str) -> None:
        with self.conn.transaction(), self.conn.cursor() as cur:
            cur.execute("UPDATE branches SET last_sync = now() WHERE code = %s", (branch,))

    # ------------------------------------------------------------ retrying a lost connection

    def _retrying(self, work: Callable[[], None], result: SyncResult) -> None:
        import psycopg

        delay = self.pause
        attempt = 0
        while True:
            try:
                if self.conn is None:
                    self._reconnect()
                work()
                return
            except HqError as exc:
                if exc.key != "hq.unreachable" or attempt >= self.retries:
                    raise
                detail = str(exc.params.get("detail", ""))
            except psycopg.Error as exc:
                if not is_connection_lost(exc):
                    raise HqError("hq.failed", self.where, detail=first_line(exc)) from None
                if attempt >= self.retries:
                    raise HqError("hq.lost", self.where, detail=first_line(exc), n=attempt) from None
                detail = first_line(exc)
            attempt += 1
            result.retries += 1
            self._close()
            self.notify("hq.retrying", {"detail": detail, "seconds": f"{delay:g}", "n": attempt, "total": self.retries})
            time.sleep(delay)
            delay = min(delay * 2, RETRY_PAUSE_MAX_S)

    def _reconnect(self) -> None:
        import psycopg

        try:
            self.conn = psycopg.connect(self.dsn, connect_timeout=10)
        except psycopg.Error as exc:
            raise connection_error(exc, self.dsn) from None
        self.staged = set()
        self.months = set()
        require_current(self.conn, self.dsn)

    # ------------------------------------------------------------ one table

    def _state(self, table: SyncTable) -> tuple[int, int | None] | None:
        rows = self.store.query("SELECT mark, scan FROM sync_marks WHERE hq = ? AND tbl = ?", (self.hq_id, table.name))
        return (rows[0]["mark"], rows[0]["scan"]) if rows else None

    def _save(self, table: SyncTable, branch: str, mark: int, scan: int | None) -> None:
        with self.store.write() as conn:
            conn.execute(
                "INSERT INTO sync_marks(hq, tbl, mark, scan, branch, updated_ts) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(hq, tbl) DO UPDATE SET mark = excluded.mark, scan = excluded.scan, "
                "updated_ts = excluded.updated_ts",
                (self.hq_id, table.name, mark, scan, branch, self.store.now()),
            )

    def _sync_table(self, table: SyncTable, branch: str, result: SyncResult) -> int:
        cols = ", ".join(table.columns)
        sent = 0
        state = self._state(table)
        if table.changes and state is None:
            # From now on the outbox records this table's changes; the whole table is read first.
            # Written before any row is read, so a change made during the read is in the outbox too.
            top = self.store.query("SELECT coalesce(max(seq), 0) AS top FROM sync_outbox")[0]["top"]
            self._save(table, branch, top, 0)
            state = (top, 0)
        mark, scan = state if state is not None else (0, None)
        while True:
            if table.changes and scan is not None:
                rows = self.store.query(
                    f"SELECT rowid AS _m, {cols} FROM {table.name} WHERE rowid > ? ORDER BY rowid LIMIT ?",
                    (scan, self.batch),
                )
                if not rows:
                    self._save(table, branch, mark, None)
                    scan = None
                    continue
                new_mark, new_scan = mark, rows[-1]["_m"]
                values = [tuple(r)[1:] for r in rows]
            elif table.changes:
                entries = self.store.query(
                    "SELECT seq, row_id FROM sync_outbox WHERE tbl = ? AND seq > ? ORDER BY seq LIMIT ?",
                    (table.name, mark, self.batch),
                )
                if not entries:
                    return sent
                ids = list(dict.fromkeys(e["row_id"] for e in entries))
                marks = ", ".join("?" for _ in ids)
                values = [
                    tuple(r) for r in self.store.query(f"SELECT {cols} FROM {table.name} WHERE id IN ({marks})", ids)
                ]
                new_mark, new_scan = entries[-1]["seq"], None
            else:
                rows = self.store.query(
                    f"SELECT {table.mark} AS _m, {cols} FROM {table.name} WHERE {table.mark} > ? "
                    f"ORDER BY {table.mark} LIMIT ?",
                    (mark, self.batch),
                )
                if not rows:
                    return sent
                new_mark, new_scan = rows[-1]["_m"], None
                values = [tuple(r)[1:] for r in rows]
            self.batches += 1
            self._retrying(partial(self._push, table, branch, values), result)
            self._stall("committed")
            self._save(table, branch, new_mark, new_scan)
            mark, scan = new_mark, new_scan
            sent += len(values)
            if self.on_batch is not None:
                self.on_batch(table.name, self.batches)

    def _push(self, table: SyncTable, branch: str, values: list[tuple[Any, ...]]) -> None:
        """One batch into head office, committed; nothing of it there if this fails."""
        if not values:
            return
        conn = self.conn
        at = table.columns.index(table.day) if table.day is not None else 0
        if table.day is not None:
            ensure_partitions(conn, {str(v[at]) for v in values}, self.months)
        stage = f"stage_{table.name}"
        cols = ", ".join(("branch", *table.columns))
        with conn.transaction(), conn.cursor() as cur:
            if table.day is not None:  # its day counts are recounted below: one run per branch at a time
                cur.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (COUNTS_LOCK, branch))
            if stage not in self.staged:
                cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {table.name}) ON COMMIT DELETE ROWS")
                self.staged.add(stage)
            with cur.copy(f"COPY {stage} ({cols}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row((branch, *row))
            self._stall("copied")
            key = ", ".join(table.key)
            if table.changes:
                update = table.update_columns
                sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in update)
                old = ", ".join(f"{table.name}.{c}" for c in update)
                new = ", ".join(f"EXCLUDED.{c}" for c in update)
                conflict = f"DO UPDATE SET {sets} WHERE ({old}) IS DISTINCT FROM ({new})"
            else:
                conflict = "DO NOTHING"
            cur.execute(f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM {stage} ON CONFLICT ({key}) {conflict}")
            if table.day is not None:
                refresh_counts(cur, branch, sorted({str(v[at])[:10] for v in values}))

    def _prune(self) -> None:
        """Outbox entries every head office has taken are not needed any more."""
        with self.store.write() as conn:
            conn.execute(
                "DELETE FROM sync_outbox WHERE seq <= (SELECT min(mark) FROM sync_marks m "
                "WHERE m.tbl = sync_outbox.tbl)"
            )

    # ------------------------------------------------------------ tests: stop at a chosen point

    def _stall(self, point: str) -> None:
        spec = os.environ.get(STALL_ENV)
        if not spec:
            return
        where, batch, path = spec.split(":", 2)
        if where != point or int(batch) != self.batches:
            return
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(str(os.getpid()))
        while True:  # until killed
            time.sleep(60)
