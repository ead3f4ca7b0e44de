"""The directory's ID-number and phone hashes, for an import's matching while their own indexes are
left off.

A first import of a million people gave each batch's commit nearly every page of those two indexes
to write again (their keys are hashes: each batch lands all over them), 2.2 GB of writes where the
rows themselves take 0.6 GB. While an import runs alone on a directory it read whole at its start
(imports._KnownHashes), it drops them with the other deferred indexes (deferred_indexes) and finds
the numbers here instead: two temp tables of its own connection (never written to the file), each
row the first 16 hex digits of a hash and the rowid of a customer holding it. A row here only says
where to look: the customer's row itself is read and matched as before, so a prefix two hashes
share, or a number a customer no longer holds, can only make the import read one row more.

Another connection's write ends it (imports.py builds the indexes again and looks numbers up in
them from that batch on): its customers are not in here."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

PREFIX = 16  # hex digits of a hash kept: 64 bits, so a shared prefix is rare and costs one row read
CACHE_KIB = 65_536  # the temp tables' page cache: two million numbers fit in it
_TABLES = {"id_hash": "import_id_hashes", "phone_hash": "import_phone_hashes"}
_IN_BATCH = 900


class NumberShadow:
    """The temp tables, made inside the write transaction that drops the indexes (so what they
    hold and the directory agree), filled with the whole directory as it then is."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        conn.execute(f"PRAGMA temp.cache_size = -{CACHE_KIB}")
        # The temp database's rollback journal in memory: on a file it took the original of every
        # temp page a batch changed (hashes land all over both tables), 272 MB written for a million
        # people. A batch that fails still rolls the tables back with the directory.
        conn.execute("PRAGMA temp.journal_mode = MEMORY")
        for table in _TABLES.values():
            conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
            conn.execute(
                f"CREATE TABLE temp.{table}(hash TEXT NOT NULL, customer INTEGER NOT NULL, "
                "PRIMARY KEY (hash, customer)) WITHOUT ROWID"
            )
        self._add(conn, "1", ())

    def _add(self, conn: sqlite3.Connection, where: str, params: Sequence[object]) -> None:
        for column, table in _TABLES.items():
            conn.execute(
                f"INSERT OR IGNORE INTO temp.{table} SELECT substr({column}, 1, {PREFIX}), rowid FROM customers "
                f"WHERE {column} IS NOT NULL AND ({where}) ORDER BY 1",
                params,
            )

    @staticmethod
    def last_rowid(conn: sqlite3.Connection) -> int:
        """Where the directory ends now: the rows a batch then inserts come after it."""
        return int(conn.execute("SELECT coalesce(max(rowid), 0) FROM customers").fetchone()[0])

    def inserted_after(self, conn: sqlite3.Connection, rowid: int) -> None:
        """Take in the customers a batch inserted (rowids past `rowid`, as last_rowid said)."""
        self._add(conn, "rowid > ?", (rowid,))

    def updated(self, conn: sqlite3.Connection, ids: Sequence[str]) -> None:
        """Take in the numbers of customers a batch updated (it may have given them new ones)."""
        for start in range(0, len(ids), _IN_BATCH):
            part = ids[start : start + _IN_BATCH]
            self._add(conn, f"id IN ({', '.join('?' * len(part))})", part)

    @staticmethod
    def where(column: str) -> str:
        """A WHERE clause on customers for the rows holding a hash of `column` (id_hash or
        phone_hash) in {marks}, bound to prefixes() of the hashes."""
        return f"rowid IN (SELECT customer FROM temp.{_TABLES[column]} WHERE hash IN ({{marks}}))"

    @staticmethod
    def prefixes(hashes: Sequence[str]) -> list[str]:
        return list({h[:PREFIX] for h in hashes})

    def drop(self, conn: sqlite3.Connection) -> None:
        for table in _TABLES.values():
            conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
