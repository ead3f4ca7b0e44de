"""Bulk imports: the customer directory from a bank's CRM export, and visits from another tablet.

Rows arrive checked (lobby_tui.domain.imports) and are written in chunks, each chunk one committed
transaction: a process killed at any moment leaves whole chunks and nothing half-written, and running
the same import again completes it. Re-importing never doubles anything:

- a customer is matched by ID number, else by phone (but never to a customer holding a different ID
  number: two people may share a family phone), and updated in place;
- a visit is matched by its id. Another tablet's visit already here is updated only when the file has
  a later state of it (waiting -> served); this tablet's own visits are never changed from outside.
"""

from __future__ import annotations

import hmac
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice, repeat
from typing import TYPE_CHECKING, Any, TypeVar

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.exports import VISIT_COLUMNS
from lobby_tui.domain.privacy import mask_phone
from lobby_tui.store.base import StoreBase

if TYPE_CHECKING:
    from lobby_tui.domain.imports import CustomerRecord

T = TypeVar("T")

CUSTOMER_CHUNK = 5_000  # rows in the first committed transaction (a batch)
# Later batches grow with the directory, up to this: each commit writes every index page its rows
# touch, and the numbers' hashes land all over their indexes, so 5,000-row commits into a directory
# of a million rewrote its indexes 200 times (81 s for a million rows). Batches as large as the
# directory (at most this) write each index page about twice in all; one still commits in about a second.
CUSTOMER_CHUNK_MAX = 100_000
VISIT_CHUNK = 2_000
_IN_BATCH = 900  # ids per IN (...) query
IMPORT_CACHE_KIB = 131_072  # page cache while importing: the directory's indexes take random keys

_CUSTOMER_COLUMNS = (
    "id",
    "device_id",
    "name",
    "phone_hash",
    "phone_last4",
    "phone_masked",
    "id_hash",
    "id_last4",
    "birth_date",
    "card_hash",
    "card_last4",
    "education",
    "assets_fen",
    "other_assets_fen",
    "created_ts",
    "updated_ts",
)
_CUSTOMER_INSERT = f"INSERT INTO customers({', '.join(_CUSTOMER_COLUMNS)}) VALUES ({', '.join('?' * 16)})"
# Positions in a row of _CUSTOMER_COLUMNS.
_COL = {c: i for i, c in enumerate(_CUSTOMER_COLUMNS)}
_PHONE_HASH, _ID_HASH, _OTHER_ASSETS = _COL["phone_hash"], _COL["id_hash"], _COL["other_assets_fen"]
_CREATED_TS, _UPDATED_TS = _COL["created_ts"], _COL["updated_ts"]
# Numbers not given in the file keep what the directory has.
_KEEP_IF_NULL = (
    "phone_hash",
    "phone_last4",
    "phone_masked",
    "id_hash",
    "id_last4",
    "birth_date",
    "card_hash",
    "card_last4",
)

_VISIT_INSERT = (
    f"INSERT INTO visits({', '.join(VISIT_COLUMNS)}, updated_ts) "
    f"VALUES ({', '.join(':' + c for c in VISIT_COLUMNS)}, :updated_ts)"
)
_VISIT_UPDATE = (
    f"UPDATE visits SET {', '.join(f'{c} = :{c}' for c in VISIT_COLUMNS[1:])}, updated_ts = :updated_ts WHERE id = :id"
)
# How far along a visit is: a later export of the same visit may move it on, never back.
_OUTCOME_STAGE = {"in_progress": 0, "waiting": 1, "redirected": 1, "served": 2, "left": 2, "cancelled": 2}


def _customer_update_sql(*, other_assets: bool, education: bool) -> str:
    """UPDATE of one customer from a row of _CUSTOMER_COLUMNS (?N is the row's N-th value), only
    when something in it changed."""

    def p(column: str) -> str:
        return f"?{_COL[column] + 1}"

    sets = [f"name = {p('name')}", f"assets_fen = {p('assets_fen')}"]
    changed = [f"name IS NOT {p('name')}", f"assets_fen IS NOT {p('assets_fen')}"]
    for column in _KEEP_IF_NULL:
        sets.append(f"{column} = coalesce({p(column)}, {column})")
    for column in ("phone_hash", "id_hash", "card_hash"):
        changed.append(f"({p(column)} IS NOT NULL AND {column} IS NOT {p(column)})")
    for column, present in (("other_assets_fen", other_assets), ("education", education)):
        if present:
            sets.append(f"{column} = {p(column)}")
            changed.append(f"{column} IS NOT {p(column)}")
    return (
        f"UPDATE customers SET {', '.join(sets)}, updated_ts = {p('updated_ts')} "
        f"WHERE id = ?1 AND ({' OR '.join(changed)})"
    )


def _customer_rows(records: Sequence[CustomerRecord], hash_: Callable[[str], str]) -> list[list[Any]]:
    """Checked records as rows of _CUSTOMER_COLUMNS: numbers hashed, last four and masked phone kept,
    id, device and times left for _write_customer_chunk."""
    rows = []
    for name, phone, number, birth, card, assets, other, education in records:
        rows.append(
            [
                None,
                None,
                name,
                hash_(phone) if phone else None,
                phone[-4:] if phone else None,
                mask_phone(phone) if phone else None,
                hash_(number) if number else None,
                number[-4:] if number else None,
                birth,
                hash_(card) if card else None,
                card[-4:] if card else None,
                education,
                assets,
                other,
                None,
                None,
            ]
        )
    return rows


_VARIANT = {f"{n:x}": f"{8 | (n & 3):x}" for n in range(16)}


def _uuid7s(n: int) -> list[str]:
    """n new customer ids: UUIDs of version 7 (RFC 9562: the time in ms, then random bits), in
    ascending order, as str(uuid.UUID) writes them. A random id (uuid4) lands anywhere in the primary
    key's index; these append to it."""
    ms = f"{time.time_ns() // 1_000_000:012x}"
    pool = os.urandom(16 * n).hex()
    out = []
    for k in range(0, 32 * n, 32):
        h = pool[k : k + 32]
        out.append(f"{ms[:8]}-{ms[8:]}-7{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}")
    out.sort(reverse=True)  # taken from the end (list.pop), so used in ascending order
    return out


def _chunks(items: Iterable[T], size: int | Iterator[int]) -> Iterator[list[T]]:
    """Lists of `size` items (or of each size in turn) until the items run out."""
    it = iter(items)
    sizes = size if isinstance(size, Iterator) else repeat(size)
    while chunk := list(islice(it, next(sizes))):
        yield chunk


def _growing(first: int, have: int, most: int) -> Iterator[int]:
    """Batch sizes: `first`, then about as many rows as the directory then holds (in whole multiples
    of `first`, at most `most`)."""
    size = first
    while True:
        yield size
        have += size
        size = first * max(1, min(most, have) // first)


@dataclass
class CustomerImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class VisitImport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[tuple[int, InputError]] = field(default_factory=list)
    leads: int = 0  # visits that made or added to a lead here (LeadsMixin._leads_for_imported)


class ImportsMixin(StoreBase):
    # ------------------------------------------------------------ helpers

    def _fast_hash(self) -> Callable[[str], str]:
        """hash_of in one C call per number (hmac.digest): a million rows hash up to three each."""
        key = bytes.fromhex(self.hash_key)
        try:  # hmac.digest's own fast path, without its Python wrapper
            from _hashlib import hmac_digest as digest
        except ImportError:  # pragma: no cover - a Python built without OpenSSL
            digest = hmac.digest

        def hash_(value: str) -> str:
            return digest(key, value.encode(), "sha256").hex()[:32]

        if hash_("13900000001") != self.hash_of("13900000001"):  # must stay the store's own hash
            raise RuntimeError("imports: the fast keyed hash no longer matches LobbyStore.hash_of")
        return hash_

    def _select_in(self, conn: sqlite3.Connection, sql: str, values: Sequence[str]) -> list[sqlite3.Row]:
        """Rows of `sql` (with one {marks} for an IN list) for all `values`, in batches."""
        out: list[sqlite3.Row] = []
        for part in _chunks(values, _IN_BATCH):
            out += conn.execute(sql.format(marks=", ".join("?" * len(part))), part).fetchall()
        return out

    # ------------------------------------------------------------ customers

    def import_customers(
        self,
        records: Iterable[CustomerRecord],
        *,
        other_assets: bool,
        education: bool,
        progress: Callable[[CustomerImport], None] | None = None,
        chunk_size: int = CUSTOMER_CHUNK,
        source: str = "",
    ) -> CustomerImport:
        """Insert or update directory rows, one committed transaction per chunk (a batch): the rows
        are made ready (hashed, masked) outside the transaction, then _write_customer_chunk matches
        and writes the whole batch inside it.

        `other_assets` and `education` say whether the file has those columns: a column the file
        lacks leaves what the directory holds; a blank cell in a column it has clears it (education)
        or makes it 0 (other banks' assets)."""
        hash_ = self._fast_hash()
        result = CustomerImport()
        update_sql = _customer_update_sql(other_assets=other_assets, education=education)
        conn = self.conn
        cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        # Each chunk's commit survives the process being killed at any moment (WAL), without an
        # fsync per chunk; a power cut may take back the last chunks whole, which a re-run restores.
        # The last commit (the audit entry below) is made durable as every other write is.
        conn.execute("PRAGMA synchronous = NORMAL")
        try:
            have = conn.execute("SELECT count(*) FROM customers").fetchone()[0]
            sizes = _growing(chunk_size, have, CUSTOMER_CHUNK_MAX if chunk_size == CUSTOMER_CHUNK else chunk_size)
            for chunk in _chunks(records, sizes):
                rows = _customer_rows(chunk, hash_)
                with self.write() as c:
                    created, updated, unchanged = self._write_customer_chunk(c, rows, update_sql)
                result.created += created
                result.updated += updated
                result.unchanged += unchanged
                if progress:
                    progress(result)
        finally:
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
        self.audit(
            "customers_imported",
            None,
            file=source[-80:],
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        )
        return result

    def _write_customer_chunk(
        self, conn: sqlite3.Connection, rows: list[list[Any]], update_sql: str
    ) -> tuple[int, int, int]:
        """Match one batch of rows (in _CUSTOMER_COLUMNS order, id not yet set) to the directory and
        write it: new customers inserted, known ones updated where something changed."""
        by_id: dict[str, str] = {}  # id_hash -> customer id
        by_phone: dict[str, list[tuple[str, str | None]]] = {}  # phone_hash -> [(customer id, its id_hash)]
        id_hashes = list({r[_ID_HASH] for r in rows if r[_ID_HASH]})
        for row in self._select_in(conn, "SELECT id_hash, id FROM customers WHERE id_hash IN ({marks})", id_hashes):
            by_id.setdefault(row[0], row[1])
        phones = list({r[_PHONE_HASH] for r in rows if r[_PHONE_HASH] and r[_ID_HASH] not in by_id})
        for row in self._select_in(
            conn, "SELECT phone_hash, id, id_hash FROM customers WHERE phone_hash IN ({marks}) ORDER BY rowid", phones
        ):
            by_phone.setdefault(row[0], []).append((row[1], row[2]))

        now = self.now()
        device = self.device_id
        new_ids = _uuid7s(len(rows))
        inserts: list[list[Any]] = []
        updates: list[list[Any]] = []
        for r in rows:
            id_hash, phone_hash = r[_ID_HASH], r[_PHONE_HASH]
            target = by_id.get(id_hash) if id_hash else None
            target_id_hash = id_hash
            if target is None and phone_hash:
                for customer, their_id_hash in by_phone.get(phone_hash, ()):
                    if id_hash is None or their_id_hash is None:
                        target, target_id_hash = customer, id_hash or their_id_hash
                        break
            r[_UPDATED_TS] = now
            if target is None:
                target = r[0] = new_ids.pop()
                r[1], r[_CREATED_TS] = device, now
                inserts.append(r)
            else:
                r[0] = target
                updates.append(r)
            # Later rows of this chunk see this one (a file may hold the same person twice).
            if id_hash:
                by_id[id_hash] = target
            if phone_hash:
                by_phone[phone_hash] = [(target, target_id_hash), *by_phone.get(phone_hash, ())]
        if inserts:
            for r in inserts:
                if r[_OTHER_ASSETS] is None:
                    r[_OTHER_ASSETS] = 0
            conn.executemany(_CUSTOMER_INSERT, inserts)
        updated = conn.executemany(update_sql, updates).rowcount if updates else 0
        # The chunk is one chained batch: one audit entry with a digest over its rows as written.
        self.chain_inserted(conn, "customers", _CUSTOMER_COLUMNS, inserts)
        if updated:
            self.chain_rows(conn, "customers", [r[0] for r in updates])
        return len(inserts), updated, len(updates) - updated

    # ------------------------------------------------------------ visits

    def import_visits(
        self,
        rows: Iterable[tuple[int, dict[str, Any]]],
        *,
        progress: Callable[[VisitImport], None] | None = None,
        chunk_size: int = VISIT_CHUNK,
        source: str = "",
    ) -> VisitImport:
        """Merge checked visit rows (line number, row) from another tablet's export."""
        result = VisitImport()
        own = self.device_id
        for chunk in _chunks(rows, chunk_size):
            with self.write() as conn:
                have: dict[str, sqlite3.Row | dict[str, Any]] = {
                    r["id"]: r
                    for r in self._select_in(
                        conn,
                        f"SELECT {', '.join(VISIT_COLUMNS)} FROM visits WHERE id IN ({{marks}})",
                        sorted({row["id"] for _, row in chunk}),
                    )
                }
                inserts, updates = [], []
                confirmed: list[dict[str, Any]] = []  # confirmed here for the first time: their leads
                refused: list[tuple[int, InputError]] = []
                unchanged = 0
                for line, row in chunk:
                    row = {**row, "updated_ts": row["outcome_ts"] or row["ts"]}
                    old = have.get(row["id"])
                    if old is None:
                        inserts.append(row)
                        confirmed.append(row)
                        have[row["id"]] = row  # the same visit twice in one file: the second is an update
                    elif old["device_id"] != row["device_id"]:
                        refused.append((line, InputError("import.visit_taken")))
                    elif row["device_id"] == own or all(old[c] == row[c] for c in VISIT_COLUMNS):
                        unchanged += 1
                    elif self._later(row, old):
                        updates.append(row)
                        if old["outcome"] == "in_progress":  # a greeting confirmed since the last merge
                            confirmed.append(row)
                        have[row["id"]] = row
                    else:
                        unchanged += 1
                # In file order, so a visit's later line wins over its earlier one.
                if inserts:
                    conn.executemany(_VISIT_INSERT, inserts)
                if updates:
                    conn.executemany(_VISIT_UPDATE, updates)
                self.chain_rows(conn, "visits", [r["id"] for r in inserts + updates])
                # A row confirmed twice in one file (its later line) makes its lead once.
                firsts = {r["id"]: r for r in reversed(confirmed) if r["outcome"] != "in_progress"}
                result.leads += self._leads_for_imported(conn, list(firsts.values()))
            result.added += len(inserts)
            result.updated += len(updates)
            result.unchanged += unchanged
            result.refused += refused
            if progress:
                progress(result)
        self.audit(
            "visits_imported",
            None,
            file=source[-80:],
            added=result.added,
            updated=result.updated,
            unchanged=result.unchanged,
            refused=len(result.refused),
            leads=result.leads,
        )
        return result

    if TYPE_CHECKING:  # LeadsMixin provides it in LobbyStore

        def _leads_for_imported(self, conn: sqlite3.Connection, visits: list[dict[str, Any]]) -> int: ...

    @staticmethod
    def _later(new: dict[str, Any], old: Any) -> bool:
        """Whether `new` is a later state of the same visit than `old`."""
        new_key = (_OUTCOME_STAGE.get(new["outcome"], 0), new["outcome_ts"] or "")
        old_key = (_OUTCOME_STAGE.get(old["outcome"], 0), old["outcome_ts"] or "")
        return new_key >= old_key
