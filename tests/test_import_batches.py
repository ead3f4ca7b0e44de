"""The customer import's batches and new ids (store/imports.py): batch sizes in whole multiples of the
first (a kill leaves whole batches), growing with the directory up to the cap; ids that are UUIDs of
version 7, in ascending order as they are handed out."""

from __future__ import annotations

import uuid
from decimal import Decimal
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


def test_a_batch_of_only_new_people_is_written_and_chained_as_any_other(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A batch where no number is there already nor given twice skips the per-row matching (a first
    import's batches): its rows, digests and counts must be what the matching would have made, and
    the next batch must still find them."""
    from lobby_tui.domain.imports import CustomerRecord
    from lobby_tui.store import LobbyStore

    store = LobbyStore(tmp_path / "lobby.db")
    first = [
        CustomerRecord("王小明", "13900000001", None, None, None, 20_000_000, None, None),
        CustomerRecord("李四", None, "11010519491231002X", "1949-12-31", "6222020000000001", 0, 0, "本科"),
        CustomerRecord("赵六", None, None, None, None, 100, None, None),  # no number at all
        CustomerRecord("赵六", None, None, None, None, 100, None, None),  # nothing to match on: another customer
    ]
    result = store.import_customers(first, other_assets=True, education=True)
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    recorded, current = _recorded_and_current(store)
    assert len(current) == 4 and recorded == current
    again = [
        CustomerRecord("王小明", "13900000001", None, None, None, 30_000_000, None, None),  # found by phone
        CustomerRecord("李四", None, "11010519491231002X", "1949-12-31", "6222020000000001", 0, 0, "本科"),
    ]
    result = store.import_customers(again, other_assets=True, education=True)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert store.customer_count() == 4
    recorded, current = _recorded_and_current(store)
    assert recorded == current and store.audit_status().ok


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


def _people(n: int, start: int = 0) -> list:  # type: ignore[type-arg]
    from lobby_tui.domain.imports import CustomerRecord

    return [
        CustomerRecord(f"客户{i}", f"139{i:08d}", None, None, None, 100 * i, None, None)
        for i in range(start, start + n)
    ]


def test_a_person_seen_in_an_earlier_batch_is_matched_not_added_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The import looks up only the numbers its bitmap says the directory may hold (store/imports.py
    _KnownHashes): one it wrote in an earlier batch must be found, by ID number and by phone."""
    from lobby_tui.domain.imports import CustomerRecord
    from lobby_tui.store import LobbyStore

    store = LobbyStore(tmp_path / "lobby.db")
    store.import_customers(_people(3), other_assets=False, education=False)  # already there
    number = "11010519491231002X"
    records = [
        *_people(12, start=10),
        CustomerRecord("李四", None, number, "1949-12-31", None, 1, None, None),
        *_people(7, start=30),
        CustomerRecord("李四", None, number, "1949-12-31", None, 2, None, None),  # batches later: the same
        CustomerRecord("客户11", "13900000011", None, None, None, 5, None, None),  # by phone, from batch 1
        CustomerRecord("客户1", "13900000001", None, None, None, 100, None, None),  # from before: unchanged
    ]
    result = store.import_customers(records, other_assets=False, education=False, chunk_size=5)
    assert (result.created, result.updated, result.unchanged) == (20, 2, 1)
    assert store.customer_count() == 23
    assert [c.assets for c in store.lookup(id_number=number)] == [Decimal("0.02")]
    recorded, current = _recorded_and_current(store)
    assert recorded == current and store.audit_status().ok


def test_a_customer_added_by_another_connection_mid_import_is_matched(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Another connection's commit between two batches (the app adding a customer, say) moves
    PRAGMA data_version: the import then looks every number up again, so it finds that customer."""
    from lobby_tui.domain.imports import CustomerRecord
    from lobby_tui.store import LobbyStore

    path = tmp_path / "lobby.db"
    store = LobbyStore(path)
    store.check()

    def records():  # type: ignore[no-untyped-def]
        yield from _people(5)
        # Read while the import collects its second batch, after its first committed.
        LobbyStore(path).import_customers(
            [CustomerRecord("王五", "13800000555", None, None, None, 7, None, None)],
            other_assets=False,
            education=False,
        )
        yield from _people(4, start=5)
        yield CustomerRecord("王五", "13800000555", None, None, None, 8, None, None)

    result = store.import_customers(records(), other_assets=False, education=False, chunk_size=5)
    assert (result.created, result.updated) == (9, 1)
    assert [c.assets for c in store.lookup(phone="13800000555")] == [Decimal("0.08")]
