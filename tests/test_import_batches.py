"""The customer import's batches and new ids (store/imports.py): batch sizes in whole multiples of the
first (a kill leaves whole batches), growing with the directory up to the cap; ids that are UUIDs of
version 7, in ascending order as they are handed out."""

from __future__ import annotations

import uuid
from itertools import islice

from lobby_tui.store.imports import CUSTOMER_CHUNK, CUSTOMER_CHUNK_MAX, _chunks, _growing, _uuid7s


def test_batches_grow_with_the_directory_in_whole_first_batches() -> None:
    sizes = list(islice(_growing(CUSTOMER_CHUNK, 50, CUSTOMER_CHUNK_MAX), 12))
    assert sizes[:4] == [5_000, 5_000, 10_000, 20_000]
    assert all(s % CUSTOMER_CHUNK == 0 for s in sizes) and max(sizes) == CUSTOMER_CHUNK_MAX
    assert list(islice(_growing(5_000, 2_000_000, 100_000), 3)) == [5_000, 100_000, 100_000]
    assert [len(c) for c in _chunks(range(23), _growing(5, 0, 10))] == [5, 5, 10, 3]
    assert [len(c) for c in _chunks(range(7), 3)] == [3, 3, 1]


def test_new_ids_are_uuid7_handed_out_in_ascending_order() -> None:
    ids = _uuid7s(500)
    handed = [ids.pop() for _ in range(500)]
    assert handed == sorted(handed) and len(set(handed)) == 500
    for text in handed[:50]:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 7 and parsed.variant == uuid.RFC_4122


def _recorded_and_current(store) -> tuple[dict[str, str], dict[str, str]]:  # type: ignore[no-untyped-def]
    from lobby_tui.store.chain import current_digests

    ids = [r[0] for r in store.query("SELECT id FROM customers")]
    recorded = {
        r[0]: r[1]
        for r in store.query(
            "SELECT key, digest FROM row_chain WHERE tbl = 'customers' AND seq = "
            "(SELECT max(seq) FROM row_chain c WHERE c.tbl = 'customers' AND c.key = row_chain.key)"
        )
    }
    return recorded, current_digests(store.conn, "customers", ids)


def test_an_imports_new_rows_are_chained_with_the_digest_of_the_row_as_stored(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The import takes its new rows' digests from the values it inserted, not from reading them
    back (store/base.py chain_inserted): each must be exactly what `audit verify` recomputes from
    the row, blanks, zeros and a row given twice in one file included."""
    from lobby_tui.domain.imports import CustomerRecord
    from lobby_tui.store import LobbyStore

    store = LobbyStore(tmp_path / "lobby.db")
    records = [
        CustomerRecord("王小明", "13900000001", None, None, None, 20_000_000, None, None),
        CustomerRecord("李四", None, "11010519491231002X", "1949-12-31", "6222020000000001", 0, 0, "本科"),
        CustomerRecord("王小明", "13900000001", None, None, None, 30_000_000, 500_000, "大专"),  # the same person again
    ]
    result = store.import_customers(records, other_assets=True, education=True)
    assert (result.created, result.updated) == (2, 1)
    recorded, current = _recorded_and_current(store)
    assert len(current) == 2 and recorded == current
    assert store.audit_status().ok  # and the whole chain checks, as `audit verify` does


def test_a_table_with_a_column_the_import_does_not_know_is_read_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A later migration that adds a column to customers must not make the import record digests of
    rows without it: when the columns differ the rows are read back as before."""
    from lobby_tui.domain.imports import CustomerRecord
    from lobby_tui.store import LobbyStore

    store = LobbyStore(tmp_path / "lobby.db")
    store.conn.execute("ALTER TABLE customers ADD COLUMN segment TEXT DEFAULT 'retail'")
    store.import_customers(
        [CustomerRecord("赵六", "13900000009", None, None, None, 100, None, None)], other_assets=False, education=False
    )
    recorded, current = _recorded_and_current(store)
    assert len(current) == 1 and recorded == current
