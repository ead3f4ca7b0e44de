"""The three directory indexes a big import leaves off while it writes (store/deferred_indexes.py):
dropped from its second batch, built at its end however it ends, and built when the file is next
opened if the import was killed first. What was stored is found all along."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from lobby_tui.domain.imports import CustomerRecord
from lobby_tui.store import LobbyStore, deferred_indexes
from lobby_tui.store import imports as store_imports

DEFERRED = set(deferred_indexes.DEFERRABLE)


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


def test_an_import_past_its_first_batch_leaves_three_indexes_off_and_builds_them_at_its_end(tmp_path: Path) -> None:
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
        assert names == set(before) - DEFERRED and kept, created
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
