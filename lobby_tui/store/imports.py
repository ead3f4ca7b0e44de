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
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice, repeat
from typing import TYPE_CHECKING, Any, TypeVar

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.exports import VISIT_COLUMNS
from lobby_tui.domain.privacy import mask_phone
from lobby_tui.store import deferred_indexes
from lobby_tui.store.base import StoreBase
from lobby_tui.store.chain import canonical_json
from lobby_tui.store.number_shadow import NumberShadow

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


def _unchanged(old: tuple[Any, ...], r: PreparedCustomer, *, other_assets: bool, education: bool) -> bool:
    """Whether the update of the customer `old` (a row of _MATCH_SELECT) with `r` would change
    nothing: _customer_update_sql's condition, false exactly when it is. Only a value equal in Python
    counts as the same (SQLite's IS agrees then); anything else is left to the UPDATE to decide."""
    return (
        old[3] == r[0]
        and old[4] == r[10]
        and (r[1] is None or old[2] == r[1])
        and (r[4] is None or old[1] == r[4])
        and (r[7] is None or old[5] == r[7])
        and (not other_assets or old[6] == r[11])
        and (not education or old[7] == r[9])
    )


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


# A directory row made ready outside the write transaction (CustomerPreparer: numbers hashed, last
# four and masked phone kept; a worker process may do it): the values of _CUSTOMER_COLUMNS from name
# to other_assets_fen (0 when the file has no such column: an insert's default, and an update leaves
# the column alone then), the time it was made ready (its created_ts and updated_ts if it is new),
# its chain digest as row_digest computes it if it is new, and the id it then gets (UUIDv7, ascending
# in file order). _insert_prepared_sql binds such a row as it is. The digest is made here, beside the
# hashing (in the worker process: the writing process is the import's slower half).
PreparedCustomer = tuple[Any, ...]
_CORE = len(_CUSTOMER_COLUMNS) - 4  # name .. other_assets_fen
_P_PHONE_HASH, _P_ID_HASH, _P_TS, _P_DIGEST, _P_NEW_ID = 1, 4, _CORE, _CORE + 1, _CORE + 2


def _insert_prepared_sql(device: str) -> str:
    """INSERT of a new customer from a PreparedCustomer as it is (?14, the digest, is not used),
    the device written in (one statement per batch)."""
    device_literal = "'" + device.replace("'", "''") + "'"
    columns = [*_CUSTOMER_COLUMNS[2:14], "id", "device_id", "created_ts", "updated_ts"]
    ts = f"?{_P_TS + 1}"
    values = [f"?{i}" for i in range(1, _CORE + 1)] + [f"?{_P_NEW_ID + 1}", device_literal, ts, ts]
    return f"INSERT INTO customers({', '.join(columns)}) VALUES ({', '.join(values)})"


# What a re-import compares to decide a row changes nothing (the update's own condition, in Python).
_MATCH_SELECT = (
    "SELECT id, id_hash, phone_hash, name, assets_fen, card_hash, other_assets_fen, education FROM customers"
)


_KNOWN_BITS = 1 << 25  # per kind of number: 4 MiB, about one false "maybe" in thirty at a million numbers
_KNOWN_MASK = _KNOWN_BITS - 1


class _KnownHashes:
    """Which ID-number and phone hashes the directory may hold, so that a batch looks up only those:
    a number whose bit is clear is certainly not there (a first import of a million rows made two
    million index lookups that found nothing). One bit per value of hash(h) & _KNOWN_MASK, set from
    the directory as the import found it and from every row it writes; a set bit is a "maybe" and is
    looked up as before. Good only while no other connection writes: PRAGMA data_version moves with
    any other connection's commit, and from then on every number is looked up again."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.ids = bytearray(_KNOWN_BITS // 8)
        self.phones = bytearray(_KNOWN_BITS // 8)
        cursor = conn.cursor()
        cursor.row_factory = None
        cursor.execute("BEGIN")  # the rows read and the version they are at, from one snapshot
        try:
            for id_hash, phone_hash in cursor.execute("SELECT id_hash, phone_hash FROM customers"):
                self.add(id_hash, phone_hash)
            self.version = cursor.execute("PRAGMA data_version").fetchone()[0]
        finally:
            cursor.execute("COMMIT")

    def current(self, conn: sqlite3.Connection) -> bool:
        """Whether the bits still cover the directory (inside the batch's write transaction)."""
        return bool(conn.execute("PRAGMA data_version").fetchone()[0] == self.version)

    def add(self, id_hash: str | None, phone_hash: str | None) -> None:
        if id_hash:
            i = hash(id_hash) & _KNOWN_MASK
            self.ids[i >> 3] |= 1 << (i & 7)
        if phone_hash:
            i = hash(phone_hash) & _KNOWN_MASK
            self.phones[i >> 3] |= 1 << (i & 7)

    def add_all(self, id_hashes: Iterable[str], phone_hashes: Iterable[str]) -> None:
        """add() for many at once (a batch's worth)."""
        for bits, values in ((self.ids, id_hashes), (self.phones, phone_hashes)):
            for h in values:
                i = hash(h) & _KNOWN_MASK
                bits[i >> 3] |= 1 << (i & 7)

    @staticmethod
    def maybe(bits: bytearray, values: Iterable[str]) -> list[str]:
        """Those of `values` whose bit is set in `bits` (self.ids or self.phones)."""
        out = []
        for h in values:
            i = hash(h) & _KNOWN_MASK
            if bits[i >> 3] >> (i & 7) & 1:
                out.append(h)
        return out


def _prepare_customers(
    records: Iterable[CustomerRecord], hash_: Callable[[str], str], now: str, device: str
) -> list[PreparedCustomer]:
    out: list[PreparedCustomer] = []
    # row_digest's text for a new customer: the table, its id, the device, the values, the times.
    head, tail = f"[{canonical_json('customers')},", f",{canonical_json(now)},{canonical_json(now)}]"
    device_json = canonical_json(device)
    sha256 = hashlib.sha256
    append = out.append
    phone_hash: str | None
    phone_last4: str | None
    masked: str | None
    id_hash: str | None
    id_last4: str | None
    card_hash: str | None
    card_last4: str | None
    records = list(records)
    new_ids = _uuid7s(len(records))
    for name, phone, number, birth, card, assets, other, education in records:
        # Each value with its JSON text (as canonical_json writes it when nothing needs escaping).
        if phone:
            phone_hash, phone_last4, masked = hash_(phone), phone[-4:], mask_phone(phone)
            phone_json = f'"{phone_hash}","{phone_last4}","{masked}"'
        else:
            phone_hash = phone_last4 = masked = None
            phone_json = "null,null,null"
        if number:
            id_hash, id_last4 = hash_(number), number[-4:]
            id_json = f'"{id_hash}","{id_last4}"'
        else:
            id_hash = id_last4 = None
            id_json = "null,null"
        if card:
            card_hash, card_last4 = hash_(card), card[-4:]
            card_json = f'"{card_hash}","{card_last4}"'
        else:
            card_hash = card_last4 = None
            card_json = "null,null"
        if other is None:
            other = 0
        fields = (
            name,
            phone_hash,
            phone_last4,
            masked,
            id_hash,
            id_last4,
            birth,
            card_hash,
            card_last4,
            education,
            assets,
            other,
        )
        if (
            type(assets) is int
            and type(other) is int
            and type(name) is str
            and (birth is None or type(birth) is str)
            and (education is None or type(education) is str)
            and not needs_escape(f"{name}{phone}{number}{birth}{card}{education}")
        ):  # canonical_json's very text, without its per-value dispatch (a third of the time)
            birth_json = "null" if birth is None else f'"{birth}"'
            education_json = "null" if education is None else f'"{education}"'
            text = f'"{name}",{phone_json},{id_json},{birth_json},{card_json},{education_json},{assets},{other}'
        else:
            text = canonical_json(fields)[1:-1]
        new_id = new_ids.pop()
        digest = sha256(f'{head}"{new_id}",{device_json},{text}{tail}'.encode()).hexdigest()[:32]
        append((*fields, now, digest, new_id))
    return out


# What JSON (ensure_ascii=False) escapes in a string: a row's strings without any (the hashes are
# hex) are written as they are, in quotes.
needs_escape = re.compile(r'[\x00-\x1f"\\]').search


class CustomerPreparer:
    """Checked records -> PreparedCustomer rows: the hashing, with the store's key, and nothing that
    touches the database, so a worker process (forked after the store is open) can do it while the
    store writes the rows before. `now` is the store's clock, read once per call."""

    def __init__(self, hash_: Callable[[str], str], now: Callable[[], str], device: str) -> None:
        self._hash = hash_
        self._now = now
        self._device = device

    def __call__(self, records: Iterable[CustomerRecord]) -> list[PreparedCustomer]:
        return _prepare_customers(records, self._hash, self._now(), self._device)


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
        """hash_of, fast: HMAC-SHA256 with the key's inner and outer states worked out once (a
        million rows hash up to three numbers each; hmac.digest sets the key up on every call)."""
        key = bytes.fromhex(self.hash_key)
        if len(key) > 64:  # longer than SHA-256's block: HMAC uses its hash (RFC 2104)
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

        def hash_(value: str) -> str:
            h = inner.copy()
            h.update(value.encode())
            o = outer.copy()
            o.update(h.digest())
            return o.hexdigest()[:32]

        for probe in ("13900000001", "11010519491231002X", "6222020000000001"):
            if hash_(probe) != self.hash_of(probe):  # must stay the store's own hash
                raise RuntimeError("imports: the fast keyed hash no longer matches LobbyStore.hash_of")
        return hash_

    def customer_preparer(self) -> CustomerPreparer:
        """What makes checked records into rows for import_prepared_customers (it holds the hash
        key: for this process and its forked worker only)."""
        return CustomerPreparer(self._fast_hash(), self.now, self.device_id)

    def _select_in(
        self, conn: sqlite3.Connection, sql: str, values: Sequence[str], *, tuples: bool = False
    ) -> list[Any]:
        """Rows of `sql` (with one {marks} for an IN list) for all `values`, in batches: sqlite3.Row,
        or plain tuples (`tuples`: cheaper, for a million rows)."""
        out: list[Any] = []
        cursor = conn.cursor()
        if tuples:
            cursor.row_factory = None
        marks = ", ".join("?" * _IN_BATCH)
        for part in _chunks(values, _IN_BATCH):
            text = sql.format(marks=marks if len(part) == _IN_BATCH else ", ".join("?" * len(part)))
            out += cursor.execute(text, part).fetchall()
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
        indexing: Callable[[], None] | None = None,
    ) -> CustomerImport:
        """Insert or update directory rows, one committed transaction per chunk (a batch): the rows
        are made ready (hashed, masked) outside the transaction, then _write_customer_chunk matches
        and writes the whole batch inside it.

        `other_assets` and `education` say whether the file has those columns: a column the file
        lacks leaves what the directory holds; a blank cell in a column it has clears it (education)
        or makes it 0 (other banks' assets)."""
        prepare = self.customer_preparer()
        rows = (row for part in _chunks(records, CUSTOMER_CHUNK) for row in prepare(part))
        return self.import_prepared_customers(
            rows,
            other_assets=other_assets,
            education=education,
            progress=progress,
            chunk_size=chunk_size,
            source=source,
            indexing=indexing,
        )

    def import_prepared_customers(
        self,
        rows: Iterable[PreparedCustomer],
        *,
        other_assets: bool,
        education: bool,
        progress: Callable[[CustomerImport], None] | None = None,
        chunk_size: int = CUSTOMER_CHUNK,
        source: str = "",
        indexing: Callable[[], None] | None = None,
    ) -> CustomerImport:
        """import_customers of rows already made ready by customer_preparer() (in a worker process,
        say: `lobby-tui import-customers` prepares the next rows while these are written).

        Into a directory of at most CUSTOMER_CHUNK_MAX customers, an import of more than one batch
        leaves three indexes off from its second batch on and builds them at its end
        (deferred_indexes; `indexing` is called as that starts); while no other connection writes,
        the two it matches by as well (number_shadow)."""
        result = CustomerImport()
        update_sql = _customer_update_sql(other_assets=other_assets, education=education)
        conn = self.conn
        cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        # Each chunk's commit survives the process being killed at any moment (WAL), without an
        # fsync per chunk; a power cut may take back the last chunks whole, which a re-run restores.
        # The last commit (the audit entry below) is made durable as every other write is.
        conn.execute("PRAGMA synchronous = NORMAL")
        deferred = False
        shadow: NumberShadow | None = None
        try:
            have = conn.execute("SELECT count(*) FROM customers").fetchone()[0]
            # A small directory is read once so that numbers new to it need no lookup (a big one
            # would take longer to read than the lookups it saves on a file of mostly known people).
            known = _KnownHashes(conn) if have <= CUSTOMER_CHUNK_MAX else None
            sizes = _growing(chunk_size, have, CUSTOMER_CHUNK_MAX if chunk_size == CUSTOMER_CHUNK else chunk_size)
            for n, chunk in enumerate(_chunks(rows, sizes)):
                with self.write() as c:
                    if known is not None and not known.current(c):
                        known = None  # another connection wrote: look every number up from now on
                        if shadow is not None:  # in the directory's own indexes: theirs are not in it
                            deferred_indexes.build(c)
                            shadow.drop(c)
                            shadow, deferred = None, False
                    if n == 1 and have <= CUSTOMER_CHUNK_MAX:
                        deferred_indexes.defer(c, numbers=known is not None)
                        deferred = True
                        if known is not None:
                            shadow = NumberShadow(c)
                    created, updated, unchanged = self._write_customer_chunk(
                        c, chunk, update_sql, other_assets=other_assets, education=education, known=known, shadow=shadow
                    )
                result.created += created
                result.updated += updated
                result.unchanged += unchanged
                if progress:
                    progress(result)
        finally:
            try:
                if deferred:  # also when stopped early: what was written is found as fast as before
                    if indexing:
                        indexing()
                    with self.write() as c:
                        deferred_indexes.build(c)
            finally:
                if shadow is not None:
                    shadow.drop(conn)
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
        self,
        conn: sqlite3.Connection,
        rows: list[PreparedCustomer],
        update_sql: str,
        *,
        other_assets: bool,
        education: bool,
        known: _KnownHashes | None = None,
        shadow: NumberShadow | None = None,
    ) -> tuple[int, int, int]:
        """Match one batch of prepared rows to the directory and write it: new customers inserted,
        known ones updated where something changed. With `known`, only the numbers it says the
        directory may hold are looked up; the batch's own are added to it. With `shadow`, they are
        looked up there (the directory's number indexes are off), and the batch's own added."""
        by_id: dict[str, str] = {}  # id_hash -> customer id
        by_phone: dict[str, list[tuple[str, str | None]]] = {}  # phone_hash -> [(customer id, its id_hash)]
        before: dict[str, tuple[Any, ...]] = {}  # customer id -> its row as the batch found it (_MATCH_SELECT)
        batch_ids = [r[_P_ID_HASH] for r in rows if r[_P_ID_HASH]]
        batch_phones = [r[_P_PHONE_HASH] for r in rows if r[_P_PHONE_HASH]]
        id_hashes = list(set(batch_ids))
        # No number twice in the batch: no row of it can match another row of it.
        distinct = len(id_hashes) == len(batch_ids) and len(set(batch_phones)) == len(batch_phones)
        if known is not None:
            id_hashes = known.maybe(known.ids, id_hashes)
        where_id, where_phone = "id_hash IN ({marks})", "phone_hash IN ({marks})"
        if shadow is not None:
            where_id, where_phone = shadow.where("id_hash"), shadow.where("phone_hash")
            id_hashes = shadow.prefixes(id_hashes)
        for row in self._select_in(conn, f"{_MATCH_SELECT} WHERE {where_id}", id_hashes, tuples=True):
            by_id.setdefault(row[1], row[0])
            before.setdefault(row[0], row)
        phones = list({r[_P_PHONE_HASH] for r in rows if r[_P_PHONE_HASH] and r[_P_ID_HASH] not in by_id})
        if known is not None:
            phones = known.maybe(known.phones, phones)
        if shadow is not None:
            phones = shadow.prefixes(phones)
        for row in self._select_in(conn, f"{_MATCH_SELECT} WHERE {where_phone} ORDER BY rowid", phones, tuples=True):
            by_phone.setdefault(row[2], []).append((row[0], row[1]))
            before.setdefault(row[0], row)

        now = self.now()
        device = self.device_id
        inserts: list[tuple[Any, ...]] = []
        new_keys: list[str] = []
        digests: list[str] = []
        updates: list[tuple[Any, ...]] = []
        same = 0  # rows matched to a customer they would not change (no UPDATE needed)
        if distinct and not by_id and not by_phone:
            # Nobody in the directory and no row before it: every row is a new customer (a first
            # import's batches), so the per-row matching below has nothing to find.
            inserts = rows
            new_keys = [r[_P_NEW_ID] for r in rows]
            digests = [r[_P_DIGEST] for r in rows]
            rows = []  # nothing left for the loop
        for r in rows:
            id_hash, phone_hash = r[_P_ID_HASH], r[_P_PHONE_HASH]
            target = by_id.get(id_hash) if id_hash else None
            target_id_hash = id_hash
            if target is None and phone_hash:
                for customer, their_id_hash in by_phone.get(phone_hash, ()):
                    if id_hash is None or their_id_hash is None:
                        target, target_id_hash = customer, id_hash or their_id_hash
                        break
            if target is None:
                target = r[_P_NEW_ID]
                inserts.append(r)
                new_keys.append(target)
                digests.append(r[_P_DIGEST])
            else:
                # The customer as the batch found it, the first time a row matches them (a later row
                # for the same customer is compared by the UPDATE itself, after the earlier one's).
                old = before.pop(target, None)
                if old is not None and _unchanged(old, r, other_assets=other_assets, education=education):
                    same += 1
                else:
                    updates.append((target, None, *r[:_CORE], None, now))
            # Later rows of this chunk see this one (a file may hold the same person twice).
            if id_hash:
                by_id[id_hash] = target
            if phone_hash:
                by_phone[phone_hash] = [(target, target_id_hash), *by_phone.get(phone_hash, ())]
        if inserts:
            last = shadow.last_rowid(conn) if shadow is not None else 0
            conn.executemany(_insert_prepared_sql(device), inserts)
            if shadow is not None:
                shadow.inserted_after(conn, last)
        updated = conn.executemany(update_sql, updates).rowcount if updates else 0
        updated_ids = [u[0] for u in updates] if updated else []
        if updated_ids and shadow is not None:
            shadow.updated(conn, updated_ids)
        # The chunk is one chained batch: one audit entry with a digest over its rows as written.
        if inserts:
            if self._table_columns(conn, "customers") == _CUSTOMER_COLUMNS:
                self.chain_new_digests(conn, "customers", new_keys, digests)
            else:  # a later migration added a column: the rows are read back, so a digest is never wrong
                self.chain_rows(conn, "customers", new_keys, new=True)
        if updated:
            self.chain_rows(conn, "customers", updated_ids)
        if known is not None:
            known.add_all(batch_ids, batch_phones)
        return len(inserts), updated, len(updates) - updated + same

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
