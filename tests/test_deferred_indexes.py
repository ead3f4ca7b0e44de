"""The directory indexes a big import leaves off while it writes (store/deferred_indexes.py): three
dropped from its second batch, and the two it matches by as well while it runs alone
(store/number_shadow.py); built at its end however it ends, built as soon as another connection
writes, and built when the file is next opened if the import was killed first. What was stored is
found all along, and a person already there is matched, not added again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from lobby_tui.domain.imports import CustomerRecord
from lobby_tui.store import LobbyStore, deferred_indexes
from lobby_tui.store import imports as store_imports

DEFERRED = set(deferred_indexes.DEFERRABLE)
NUMBERS = set(deferred_indexes.NUMBERS)


def people(n: int, start: int = 0) -> list[CustomerRecord]:
    return [
        CustomerRecord(f"客户{i}", f"139{i:08d}", None, None, f"62220200{i:08d}", (i + 1) * 100_000, None, None)
        for i in range(start, start + n)
    ]


def indexes(db: Path) -> dict[str, str]:
    """The customers table's indexes as the file holds them, on a connection of its own (a raw
    one: opening through the store would build what is missing)."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers'")
        return {name: sql for name, sql in rows}
    finally:
        conn.close()


def pending(db: Path) -> bool:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM meta WHERE key = ?", (deferred_indexes.META_KEY,)).fetchone()[0] == 1
    finally:
        conn.close()


def test_an_import_past_its_first_batch_leaves_five_indexes_off_and_builds_them_at_its_end(tmp_path: Path) -> None:
    store = LobbyStore(tmp_path / "lobby.db")
    store.check()
    before = indexes(store.path)
    assert DEFERRED <= set(before)
    seen: list[tuple[int, set[str], bool]] = []
    indexing: list[int] = []

    def progress(result: store_imports.CustomerImport) -> None:
        seen.append((result.created, set(indexes(store.path)), pending(store.path)))

    result = store.import_customers(
        people(35),
        other_assets=False,
        education=False,
        chunk_size=10,
        progress=progress,
        indexing=lambda: indexing.append(len(seen)),
    )
    assert result.created == 35
    assert seen[0] == (10, set(before), False)  # the first batch writes with every index
    for created, names, kept in seen[1:]:
        assert names == set(before) - DEFERRED - NUMBERS and kept, created
    assert indexing == [4]  # once, after the last batch
    assert indexes(store.path) == before  # built again exactly as they were
    assert not pending(store.path)
    assert [c.name for c in store.lookup(phone="13900000034")] == ["客户34"]


def test_an_import_of_one_batch_leaves_every_index_on(tmp_path: Path) -> None:
    store = LobbyStore(tmp_path / "lobby.db")
    store.check()
    before = indexes(store.path)
    seen: list[set[str]] = []
    store.import_customers(
        people(8),
        other_assets=False,
        education=False,
        chunk_size=10,
        progress=lambda _: seen.append(set(indexes(store.path))),
        indexing=lambda: pytest.fail("nothing to build"),
    )
    assert seen == [set(before)] and indexes(store.path) == before


def test_a_directory_bigger_than_a_batch_cap_keeps_its_indexes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = LobbyStore(tmp_path / "lobby.db")
    store.import_customers(people(12), other_assets=False, education=False)
    before = indexes(store.path)
    monkeypatch.setattr(store_imports, "CUSTOMER_CHUNK_MAX", 10)  # 12 there: rebuilding would cost more
    seen: list[set[str]] = []
    store.import_customers(
        people(30, start=100),
        other_assets=False,
        education=False,
        chunk_size=10,
        progress=lambda _: seen.append(set(indexes(store.path))),
    )
    assert len(seen) == 3 and all(names == set(before) for names in seen)


def test_an_import_stopped_by_an_error_builds_them_all_the_same(tmp_path: Path) -> None:
    store = LobbyStore(tmp_path / "lobby.db")
    store.check()
    before = indexes(store.path)

    def progress(result: store_imports.CustomerImport) -> None:
        if result.created == 30:
            raise KeyboardInterrupt  # ctrl+c in the third batch's progress

    with pytest.raises(KeyboardInterrupt):
        store.import_customers(people(50), other_assets=False, education=False, chunk_size=10, progress=progress)
    assert indexes(store.path) == before and not pending(store.path)
    assert store.customer_count() == 30


def killed_mid_import(db: Path) -> LobbyStore:
    """The file as a kill -9 leaves it after an import's second batch: the three indexes off, their
    statements in meta (the import's own transaction, committed)."""
    store = LobbyStore(db)
    store.import_customers(people(5), other_assets=False, education=False)
    with store.write() as conn:
        deferred_indexes.defer(conn)
    assert DEFERRED.isdisjoint(indexes(db)) and pending(db)
    return store


def test_a_killed_imports_indexes_are_built_when_the_file_is_next_opened(tmp_path: Path) -> None:
    db = tmp_path / "lobby.db"
    fresh = LobbyStore(tmp_path / "fresh.db")
    fresh.check()
    old = killed_mid_import(db)
    # Until then, what is there is found (the whole directory read instead).
    assert [c.name for c in old.lookup(phone_last4="0003")] == ["客户3"]
    assert [c.name for c in old.lookup(name="客户4")] == ["客户4"]
    reopened = LobbyStore(db)
    reopened.check()
    assert indexes(db) == indexes(fresh.path) and not pending(db)
    assert [c.name for c in reopened.lookup(phone_last4="0003")] == ["客户3"]
    assert reopened.verify_audit() is None


def test_an_opening_that_cannot_write_now_opens_all_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lobby_tui.store import database

    db = tmp_path / "lobby.db"
    killed_mid_import(db)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in its write (an import's batch, say)
    try:
        meanwhile = LobbyStore(db)
        meanwhile.check()
        assert [c.name for c in meanwhile.lookup(phone_last4="0002")] == ["客户2"]
        assert DEFERRED.isdisjoint(indexes(db)) and pending(db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    LobbyStore(db).check()
    assert DEFERRED <= set(indexes(db)) and not pending(db)


def test_numbers_moved_and_seen_again_batches_later_are_matched_while_their_indexes_are_off(tmp_path: Path) -> None:
    """Matching by ID number and by phone through the import's own shadow of them: a customer from
    before the import, one from an earlier batch, and one whose phone an earlier batch changed."""
    from decimal import Decimal

    store = LobbyStore(tmp_path / "lobby.db")
    store.import_customers(people(3), other_assets=False, education=False)  # there before
    number = "11010519491231002X"
    records = [
        CustomerRecord("李四", "13811110000", number, "1949-12-31", None, 1, None, None),
        *people(9, start=10),
        CustomerRecord("李四", "13822220000", number, "1949-12-31", None, 2, None, None),  # a new phone
        *people(9, start=20),
        CustomerRecord("李四", "13822220000", None, None, None, 3, None, None),  # by the new phone
        CustomerRecord("张三", "13811110000", None, None, None, 4, None, None),  # the old one: nobody's now
        CustomerRecord("客户1", "13900000001", None, None, None, 7, None, None),  # from before, by phone
        CustomerRecord("客户12", "13900000012", None, None, "6222020000000012", 1_300_000, None, None),  # batch 1
    ]
    shadowed: list[bool] = []
    result = store.import_customers(
        records,
        other_assets=False,
        education=False,
        chunk_size=10,
        progress=lambda _: shadowed.append(NUMBERS.isdisjoint(indexes(store.path))),
    )
    assert shadowed == [False, True, True]  # the numbers' indexes off from the second batch on
    assert (result.created, result.updated, result.unchanged) == (20, 3, 1)  # 李四 twice, 客户1
    assert store.customer_count() == 23
    assert [c.assets for c in store.lookup(id_number=number)] == [Decimal("0.03")]
    assert [c.name for c in store.lookup(phone="13811110000")] == ["张三"]
    assert [c.assets for c in store.lookup(phone="13900000001")] == [Decimal("0.07")]
    assert NUMBERS <= set(indexes(store.path)) and store.audit_status().ok


@pytest.mark.parametrize("opened_by_the_app", [True, False])
def test_another_connections_write_brings_the_number_indexes_back_at_once(
    tmp_path: Path, opened_by_the_app: bool
) -> None:
    """Its customers are not in the import's shadow: from the next batch on the import looks every
    number up in the directory's own indexes, built first (by the other store opening the file, or
    by the import itself when the writer was something else)."""
    from decimal import Decimal

    path = tmp_path / "lobby.db"
    store = LobbyStore(path)
    store.check()
    before = indexes(path)

    prepare = store.customer_preparer()

    def rows() -> Iterator[store_imports.PreparedCustomer]:
        # Prepared rows, read a batch at a time: the other write comes between the second batch
        # and the third (import_customers would read its whole input ahead, in parts of 5,000).
        yield from prepare(people(20))  # two batches: the second with the indexes off
        if opened_by_the_app:
            LobbyStore(path).import_customers(
                [CustomerRecord("王五", "13800000555", None, None, None, 7, None, None)],
                other_assets=False,
                education=False,
            )
        else:
            raw = sqlite3.connect(path, isolation_level=None)
            raw.execute("INSERT INTO meta(key, value) VALUES ('another_writer', 'x')")  # any commit at all
            raw.close()
        yield from prepare(
            [
                *people(5, start=20),
                CustomerRecord("王五", "13800000555", None, None, None, 8, None, None),
                CustomerRecord("客户3", "13900000003", None, None, None, 99, None, None),  # from batch 1
            ]
        )

    seen: list[set[str]] = []
    result = store.import_prepared_customers(
        rows(), other_assets=False, education=False, chunk_size=10, progress=lambda _: seen.append(set(indexes(path)))
    )
    assert seen[1] == set(before) - DEFERRED - NUMBERS
    assert seen[2] == set(before) and not pending(path)  # built before the third batch was matched
    assert (result.created, result.updated) == (25 if opened_by_the_app else 26, 2 if opened_by_the_app else 1)
    assert [c.assets for c in store.lookup(phone="13900000003")] == [Decimal("0.99")]
    assert indexes(path) == before and store.audit_status().ok
