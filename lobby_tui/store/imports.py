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

import hashlib
import hmac
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.exports import VISIT_COLUMNS
from lobby_tui.domain.privacy import mask_phone
from lobby_tui.store.base import StoreBase

if TYPE_CHECKING:
    from lobby_tui.domain.imports import CustomerRecord

T = TypeVar("T")

CUSTOMER_CHUNK = 5_000  # rows per committed transaction: a few tenths of a second of writing
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
_CUSTOMER_INSERT = (
    f"INSERT INTO customers({', '.join(_CUSTOMER_COLUMNS)}) VALUES ({', '.join(':' + c for c in _CUSTOMER_COLUMNS)})"
)
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


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


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


class ImportsMixin(StoreBase):
    # ------------------------------------------------------------ helpers

    def _fast_hash(self) -> Callable[[str], str]:
        """hash_of, without re-keying HMAC for every number (a million rows hash three numbers each)."""
        base = hmac.new(bytes.fromhex(self.hash_key), digestmod=hashlib.sha256)

        def hash_(value: str) -> str:
            h = base.copy()
            h.update(value.encode())
            return h.hexdigest()[:32]

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
        """Insert or update directory rows, one committed transaction per chunk.

        `other_assets` and `education` say whether the file has those columns: a column the file
        lacks leaves what the directory holds; a blank cell in a column it has clears it (education)
        or makes it 0 (other banks' assets)."""
        hash_ = self._fast_hash()
        result = CustomerImport()
        sets = ["name = :name", "assets_fen = :assets_fen"]
        changed = ["name IS NOT :name", "assets_fen IS NOT :assets_fen"]
        for column in _KEEP_IF_NULL:
            sets.append(f"{column} = coalesce(:{column}, {column})")
        for column in ("phone_hash", "id_hash", "card_hash"):
            changed.append(f"(:{column} IS NOT NULL AND {column} IS NOT :{column})")
        for column, present in (("other_assets_fen", other_assets), ("education", education)):
            if present:
                sets.append(f"{column} = :{column}")
                changed.append(f"{column} IS NOT :{column}")
        update_sql = (
            f"UPDATE customers SET {', '.join(sets)}, updated_ts = :updated_ts "
            f"WHERE id = :id AND ({' OR '.join(changed)})"
        )
        conn = self.conn
        cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        try:
            for chunk in _chunks(records, chunk_size):
                rows = [self._customer_import_row(r, hash_) for r in chunk]
                with self.write() as c:
                    created, updated, unchanged = self._write_customer_chunk(c, rows, update_sql)
                result.created += created
                result.updated += updated
                result.unchanged += unchanged
                if progress:
                    progress(result)
        finally:
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

    def _customer_import_row(self, r: CustomerRecord, hash_: Callable[[str], str]) -> dict[str, Any]:
        phone, number, card = r.phone, r.id_number, r.card
        return {
            "name": r.name,
            "education": r.education,
            "assets_fen": r.assets_fen,
            "other_assets_fen": r.other_assets_fen,
            "phone_hash": hash_(phone) if phone else None,
            "phone_last4": phone[-4:] if phone else None,
            "phone_masked": mask_phone(phone) if phone else None,
            "id_hash": hash_(number) if number else None,
            "id_last4": number[-4:] if number else None,
            "birth_date": r.birth_date,
            "card_hash": hash_(card) if card else None,
            "card_last4": card[-4:] if card else None,
        }

    def _write_customer_chunk(
        self, conn: sqlite3.Connection, rows: list[dict[str, Any]], update_sql: str
    ) -> tuple[int, int, int]:
        by_id: dict[str, str] = {}  # id_hash -> customer id
        by_phone: dict[str, list[tuple[str, str | None]]] = {}  # phone_hash -> [(customer id, its id_hash)]
        id_hashes = sorted({r["id_hash"] for r in rows if r["id_hash"]})
        for row in self._select_in(conn, "SELECT id_hash, id FROM customers WHERE id_hash IN ({marks})", id_hashes):
            by_id.setdefault(row[0], row[1])
        phones = sorted({r["phone_hash"] for r in rows if r["phone_hash"] and r["id_hash"] not in by_id})
        for row in self._select_in(
            conn, "SELECT phone_hash, id, id_hash FROM customers WHERE phone_hash IN ({marks}) ORDER BY rowid", phones
        ):
            by_phone.setdefault(row[0], []).append((row[1], row[2]))

        now = self.now()
        device = self.device_id
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for r in rows:
            id_hash, phone_hash = r["id_hash"], r["phone_hash"]
            target = by_id.get(id_hash) if id_hash else None
            target_id_hash = id_hash
            if target is None and phone_hash:
                for customer, their_id_hash in by_phone.get(phone_hash, ()):
                    if id_hash is None or their_id_hash is None:
                        target, target_id_hash = customer, id_hash or their_id_hash
                        break
            if target is None:
                target = str(uuid.uuid4())
                inserts.append(
                    {
                        **r,
                        "id": target,
                        "device_id": device,
                        "created_ts": now,
                        "updated_ts": now,
                        "other_assets_fen": r["other_assets_fen"] or 0,
                    }
                )
            else:
                updates.append({**r, "id": target, "updated_ts": now})
            # Later rows of this chunk see this one (a file may hold the same person twice).
            if id_hash:
                by_id[id_hash] = target
            if phone_hash:
                by_phone[phone_hash] = [(target, target_id_hash), *by_phone.get(phone_hash, ())]
        if inserts:
            conn.executemany(_CUSTOMER_INSERT, inserts)
        updated = conn.executemany(update_sql, updates).rowcount if updates else 0
        # The chunk is one chained batch: one audit entry with a digest over its rows as written.
        self.chain_rows(conn, "customers", [r["id"] for r in inserts], new=True)
        if updated:
            self.chain_rows(conn, "customers", [r["id"] for r in updates])
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
                refused: list[tuple[int, InputError]] = []
                unchanged = 0
                for line, row in chunk:
                    row = {**row, "updated_ts": row["outcome_ts"] or row["ts"]}
                    old = have.get(row["id"])
                    if old is None:
                        inserts.append(row)
                        have[row["id"]] = row  # the same visit twice in one file: the second is an update
                    elif old["device_id"] != row["device_id"]:
                        refused.append((line, InputError("import.visit_taken")))
                    elif row["device_id"] == own or all(old[c] == row[c] for c in VISIT_COLUMNS):
                        unchanged += 1
                    elif self._later(row, old):
                        updates.append(row)
                        have[row["id"]] = row
                    else:
                        unchanged += 1
                # In file order, so a visit's later line wins over its earlier one.
                if inserts:
                    conn.executemany(_VISIT_INSERT, inserts)
                if updates:
                    conn.executemany(_VISIT_UPDATE, updates)
                self.chain_rows(conn, "visits", [r["id"] for r in inserts + updates])
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
        )
        return result

    @staticmethod
    def _later(new: dict[str, Any], old: Any) -> bool:
        """Whether `new` is a later state of the same visit than `old`."""
        new_key = (_OUTCOME_STAGE.get(new["outcome"], 0), new["outcome_ts"] or "")
        old_key = (_OUTCOME_STAGE.get(old["outcome"], 0), old["outcome_ts"] or "")
        return new_key >= old_key
