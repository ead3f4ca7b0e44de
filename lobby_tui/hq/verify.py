"""`lobby-tui hq verify`: walk every branch's audit chain as head office holds it.

The walk is the branch's own (lobby_tui.store.base.walk_chain), fed from PostgreSQL a cursor at a time,
so head office checks a chain exactly as the branch does, and follows when the chain's rules change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lobby_tui.hq.tables import SYNC_TABLES
from lobby_tui.store.base import walk_chain

AUDIT_COLUMNS = next(t.columns for t in SYNC_TABLES if t.name == "audit")


@dataclass(frozen=True)
class ChainCheck:
    branch: str
    entries: int
    first_broken: int | None  # seq
    problem: str | None  # "changed" or "removed"
    ts: str | None = None  # of the broken entry, when it is there
    action: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def branches_with_audit(conn: Any, branch: str | None = None) -> list[str]:
    with conn.cursor() as cur:
        if branch is not None:
            cur.execute("SELECT DISTINCT branch FROM audit WHERE branch = %s", (branch,))
        else:
            cur.execute("SELECT DISTINCT branch FROM audit ORDER BY branch")
        return [r[0] for r in cur.fetchall()]


def check_chain(conn: Any, branch: str) -> ChainCheck:
    from psycopg.rows import dict_row

    cols = ", ".join(AUDIT_COLUMNS)
    with conn.transaction(), conn.cursor(name="hq_verify", row_factory=dict_row) as cur:
        cur.itersize = 5000
        cur.execute(f"SELECT {cols} FROM audit WHERE branch = %s ORDER BY seq", (branch,))
        count, broken, problem, _ = walk_chain(cur)
    if problem is None:
        return ChainCheck(branch, count, None, None)
    with conn.cursor() as cur:
        cur.execute("SELECT ts, action FROM audit WHERE branch = %s AND seq = %s", (branch, broken))
        row = cur.fetchone()
    conn.commit()
    return ChainCheck(branch, count, broken, problem, row[0] if row else None, row[1] if row else None)


def verify(conn: Any, branch: str | None = None) -> list[ChainCheck]:
    return [check_chain(conn, code) for code in branches_with_audit(conn, branch)]
