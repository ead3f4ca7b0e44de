"""Business rows in the audit chain: each change to a chained table is recorded as a digest of the row
as written, and the audit entry of the same transaction carries a digest over those rows.

- `row_digest(table, values)`: SHA-256 over a canonical JSON list [table, value, value, …] of the row's
  columns in table order, trailing NULLs dropped (so a nullable column added by a later migration
  leaves the digests of older rows as they were). Cheap: one json.dumps and one hash per row.
- `row_chain(seq, tbl, key, digest)`: one line per row changed by the audit entry `seq` (digest NULL:
  the row was deleted). A row's newest line is what the row must be now.
- The entry `seq` carries `rows_n` and `rows_digest` (SHA-256 over its lines, sorted by table and
  key) in its detail, so the lines are covered by the hash chain and, through the anchor, by the key.

A bulk write (an import chunk of 5,000 customers) is one entry carrying a digest over its rows,
not an entry per row. `lobby-tui audit verify` recomputes every entry's rows digest from row_chain and
every current row's digest, and names the first row that differs.

A new table is chained in one line: `CHAINED["leads"] = "id"` here (its primary key column), and
`self.chain_row(conn, "leads", lead_id)` in the store method that writes it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from operator import itemgetter

# table -> its primary key column (a TEXT key: verify walks rows and row_chain in the same key order).
# Every change to these tables goes through chain_row.
CHAINED: dict[str, str] = {
    "staff": "staff_id",
    "customers": "id",
    "shifts": "id",
    "shift_log": "id",
    "visits": "id",
    "leads": "id",
    "appointments": "id",
    "feedback": "id",
}
_IN_BATCH = 900
# json.dumps(..., ensure_ascii=False, separators=(",", ":")) without its per-call set-up.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
canonical_json = _ENCODE  # the JSON row_digest hashes (a bulk writer may build a row's text from parts)


def row_digest(table: str, values: Sequence[object]) -> str:
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    return hashlib.sha256(_ENCODE([table, *values[:end]]).encode()).hexdigest()[:32]


def batch_lines(rows: Iterable[tuple[str, str, str | None]]) -> Iterator[bytes]:
    """The lines a rows digest covers, in the order given (callers sort by table, then key)."""
    for table, key, digest in rows:
        yield f"{table}\t{key}\t{digest or '-'}\n".encode()


def batch_digest(rows: Iterable[tuple[str, str, str | None]]) -> str:
    """SHA-256 over batch_lines of `rows` sorted by table and key (fed in slices: an import's batch
    has 100,000 lines, and one update per line was a second of its time)."""
    h = hashlib.sha256()
    ordered = sorted(rows, key=itemgetter(0, 1))
    for start in range(0, len(ordered), 8192):
        h.update("".join(f"{t}\t{k}\t{d or '-'}\n" for t, k, d in ordered[start : start + 8192]).encode())
    return h.hexdigest()


def current_digests(conn: sqlite3.Connection, table: str, keys: Sequence[str]) -> dict[str, str]:
    """The digest of each of `keys`' rows as they are now (inside the writing transaction)."""
    column = CHAINED[table]
    out: dict[str, str] = {}
    it = iter(keys)
    while part := list(islice(it, _IN_BATCH)):
        cursor = conn.cursor()
        cursor.row_factory = None  # plain tuples: a million rows are read back in an import
        cursor.execute(
            f"SELECT * FROM {table} WHERE {column} IN ({', '.join('?' * len(part))})",  # noqa: S608 - names are ours
            part,
        )
        names = [d[0] for d in cursor.description]
        at = names.index(column)
        for values in cursor:
            out[values[at]] = row_digest(table, values)
    return out


def chain_existing_rows(conn: sqlite3.Connection, seq: int, tables: Iterable[str] | None = None) -> tuple[int, str]:
    """Record every row of every chained table (of `tables`, those the file has yet) under entry
    `seq` (a database's first chaining, by its migration): (rows, rows digest)."""
    h = hashlib.sha256()
    n = 0
    for table in sorted(CHAINED if tables is None else tables):
        column = CHAINED[table]
        cursor = conn.execute(f"SELECT * FROM {table} ORDER BY {column}")  # noqa: S608 - names are ours
        at = [d[0] for d in cursor.description].index(column)
        while batch := cursor.fetchmany(5000):
            lines = [(table, tuple(r)[at], row_digest(table, tuple(r))) for r in batch]
            conn.executemany(
                "INSERT INTO row_chain(seq, tbl, key, digest) VALUES (?, ?, ?, ?)", [(seq, *x) for x in lines]
            )
            for line in batch_lines(lines):
                h.update(line)
            n += len(lines)
    return n, h.hexdigest()
