"""Directory indexes a big import leaves off while it writes, and builds once at its end.

The directory's card-hash, phone-last-four and name indexes take random keys: every batch of a
first import touched nearly every page of each, and its commit wrote them out again. They are
dropped once an import is past its first batch and built at its end from sorted keys. So are the
ID-number and phone-hash indexes the import itself matches by, when it runs alone on a directory it
read whole at its start: it finds the numbers in a shadow of its own meanwhile (number_shadow.py).

The indexes' own CREATE statements are kept in `meta` in the same transaction that drops them, so a
database whose import was killed (kill -9, a power cut) gets them back the next time it is opened
(`restore`), exactly as they were. Until then, a lookup by name, number or last four still works:
it reads the whole directory."""

from __future__ import annotations

import json
import sqlite3

DEFERRABLE = ("idx_customers_card_hash", "idx_customers_name", "idx_customers_phone_last4")
NUMBERS = ("idx_customers_id_hash", "idx_customers_phone_hash")  # the import matches by these
META_KEY = "deferred_indexes"


def _pending(conn: sqlite3.Connection) -> list[str]:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
    return list(json.loads(row[0])) if row else []


def defer(conn: sqlite3.Connection, *, numbers: bool = False) -> None:
    """Drop the deferrable indexes (with `numbers`, the ID-number and phone-hash ones too), their
    statements kept in meta: inside a write transaction."""
    names = DEFERRABLE + NUMBERS if numbers else DEFERRABLE
    found = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers' "
        f"AND name IN ({','.join('?' * len(names))})",
        names,
    ).fetchall()
    if not found:
        return
    statements = _pending(conn) + [sql for _, sql in found]
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (META_KEY, json.dumps(statements)))
    for name, _ in found:
        conn.execute(f'DROP INDEX "{name}"')


def build(conn: sqlite3.Connection) -> None:
    """Build the indexes meta says were left off, and forget them: inside a write transaction."""
    statements = _pending(conn)
    if not statements:
        return
    have = {row[0] for row in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    for sql in statements:
        if sql not in have:
            conn.execute(sql)
    conn.execute("DELETE FROM meta WHERE key = ?", (META_KEY,))


def restore(conn: sqlite3.Connection) -> None:
    """On opening: build what an import that never finished left off (one transaction of its own).
    Costs one read of meta when there is nothing to build. Nothing is wrong without them, only
    slower, so a file that cannot be written now (another process holding the write lock past the
    busy timeout, an import in its batch say; a read-only file; a full disk) is opened as it is, and
    they are built at that import's end or at a later opening."""
    if not _pending(conn):
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return
    try:
        build(conn)  # read again inside the transaction: another process may have built them
        conn.execute("COMMIT")
    except sqlite3.OperationalError:
        _roll_back(conn)
    except BaseException:
        _roll_back(conn)
        raise


def _roll_back(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:  # SQLite may have rolled back itself (a full disk)
        conn.execute("ROLLBACK")
