"""The SQLite store: opening, refusing, migrating, staff, customers, visits and the audit chain."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.guidance import recommend
from lobby_tui.domain.tiers import classify
from lobby_tui.store import LobbyStore, StoreError, open_database
from lobby_tui.store.database import APP_ID
from lobby_tui.store.migrations import SCHEMA_VERSION, audit_hash, migrate
from lobby_tui.store.security import keyed_hash

FIXED_NOW = datetime(2026, 11, 18, 10, 30, tzinfo=timezone(timedelta(hours=8)))  # as in conftest.fixed_clock
DAY = FIXED_NOW.date().isoformat()
PIN = "73914628"  # long enough that it cannot turn up in hex hashes by chance
PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"
CARD = "6222021234567890123"


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def all_bytes(path: Path) -> bytes:
    """The database file and its WAL, as they are on disk now."""
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        data += wal.read_bytes()
    return data


def fresh_connection(path: Path) -> sqlite3.Connection:
    """A connection as open_database makes one, before any migration."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    return conn


def new_visit(
    store: LobbyStore,
    *,
    assets: str = "300000",
    reason: str = "cash_withdrawal",
    destination: str | None = None,
    override_reason: str | None = None,
    potential_quality_other: str = "0",
    amount: Decimal | None = None,
):
    """Greet and confirm one visit; the destination defaults to the recommendation."""
    visit_id = store.start_visit(reason=reason, shift_id=None, staff_id="1001")
    cls = classify(Decimal(assets), Decimal(potential_quality_other), age=40, education="bachelor")
    rec = recommend(cls.tier, reason, amount, potential_quality=cls.potential_quality)
    return store.confirm_visit(
        visit_id,
        classification=cls,
        recommendation=rec,
        destination=destination or rec.destination,
        amount=amount,
        override_reason=override_reason,
    )


# ---------------------------------------------------------------- a new file


def test_new_file_is_marked_and_configured(store: LobbyStore, db_path: Path) -> None:
    conn = store.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APP_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db_path.exists()
    assert len(store.hash_key) == 64
    assert store.key_path.stat().st_mode & 0o077 == 0  # the key file is the owner's alone
    assert store.device_id


def test_new_file_in_a_missing_folder(tmp_path: Path, fixed_clock) -> None:
    path = tmp_path / "a" / "b" / "lobby.db"
    s = LobbyStore(path, clock=fixed_clock)
    s.check()
    s.close()
    assert path.exists()


def test_each_database_has_its_own_hash_key(tmp_path: Path) -> None:
    a, b = LobbyStore(tmp_path / "a.db"), LobbyStore(tmp_path / "b.db")
    try:
        assert a.hash_key != b.hash_key
        assert a.hash_of(PHONE) != b.hash_of(PHONE)
    finally:
        a.close()
        b.close()


# ---------------------------------------------------------------- migrations


def test_migrates_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    conn = open_database(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APP_ID
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"meta", "staff", "customers", "shifts", "visits", "audit"} <= tables
    finally:
        conn.close()


def test_opening_twice_does_not_migrate_again(tmp_path: Path) -> None:
    path = tmp_path / "twice.db"
    open_database(path).close()
    first = LobbyStore(path)
    key = first.hash_key
    first.close()
    again = LobbyStore(path)
    assert again.hash_key == key
    again.close()


ROW_CHAIN_VERSION = 8  # migrations.py: _v8_row_chain


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_migrates_from_each_earlier_version(tmp_path: Path, version: int) -> None:
    path = tmp_path / f"v{version}.db"
    conn = fresh_connection(path)
    migrate(conn, target=version)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    audit_columns = {r[1] for r in conn.execute("PRAGMA table_info(audit)")}
    rows = [
        {
            "id": "a-1",
            "device_id": "old-tablet",
            "ts": "2026-01-05T09:00:00+08:00",
            "staff_id": "1001",
            "action": "signin",
            "detail": "{}",
        },
        {
            "id": "a-2",
            "device_id": "old-tablet",
            "ts": "2026-01-05T09:01:00+08:00",
            "staff_id": None,
            "action": "override",
            "detail": json.dumps({"reason": "客户坚持"}, ensure_ascii=False),
        },
        {
            "id": "a-3",
            "device_id": "old-tablet",
            "ts": "2026-01-05T09:02:00+08:00",
            "staff_id": "1001",
            "action": "signin_failed",
            "detail": '{"why": "pin"}',
        },
    ]
    prev = ""
    for row in rows:
        if "hash" in audit_columns:  # a later version that already chains
            row = {**row, "prev_hash": prev, "hash": audit_hash(prev, row)}
            prev = row["hash"]
        cols = ", ".join(row)
        conn.execute(f"INSERT INTO audit({cols}) VALUES ({', '.join(':' + k for k in row)})", row)
    conn.execute(
        "INSERT INTO visits(id, device_id, ts, day, reason, outcome) "
        "VALUES ('v-1', 'old-tablet', '2026-01-05T09:00:00+08:00', '2026-01-05', 'transfer', 'served')"
    )
    conn.close()

    store = LobbyStore(path)
    try:
        store.check()
        conn = store.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APP_ID
        chained = conn.execute("SELECT seq, prev_hash, hash, action FROM audit ORDER BY seq").fetchall()
        if version < ROW_CHAIN_VERSION:  # the rows there, chained by that migration under one entry
            assert len(chained) == 4 and chained[-1]["action"] == "rows_chained"
        else:
            assert len(chained) == 3
        assert all(r["hash"] for r in chained)
        assert chained[0]["prev_hash"] == ""
        assert [r["prev_hash"] for r in chained[1:]] == [r["hash"] for r in chained[:-1]]
        assert store.verify_audit() is None
        assert store.get_visit("v-1").reason == "transfer"  # old data survives
        store.audit("after_upgrade", None, note="chain continues")
        assert store.verify_audit() is None
        # A file already chaining rows (v8 on) holds no row the app did not chain: the visit this
        # test wrote there by hand is one, and is named as such.
        status = store.audit_status()
        assert status.ok if version < ROW_CHAIN_VERSION else (status.problem, status.row) == ("row_added", "v-1")
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "idx_customers_name" in indexes
    finally:
        store.close()


def test_a_failing_migration_leaves_the_file_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import lobby_tui.store.migrations as migrations

    path = tmp_path / "half.db"
    path.write_bytes(b"")
    last = migrations.MIGRATIONS[-1]

    def broken(conn: sqlite3.Connection) -> None:
        last(conn)
        raise RuntimeError("power cut")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS[:-1], broken])
    with pytest.raises(RuntimeError):
        open_database(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    finally:
        conn.close()


# ---------------------------------------------------------------- files that are not ours


def _refuse(path: Path, key: str) -> StoreError:
    before = file_hash(path)
    with pytest.raises(StoreError) as info:
        open_database(path)
    assert info.value.key == key
    assert str(path) in str(info.value)
    assert "not changed" in str(info.value)
    assert file_hash(path) == before
    # and the same through the store, which is what the app calls
    with pytest.raises(StoreError) as again:
        LobbyStore(path).check()
    assert again.value.key == key
    assert file_hash(path) == before
    return info.value


def test_newer_file_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    made = LobbyStore(path)  # a real lobby_tui file...
    made.check()
    made.close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")  # ...from a later release
    conn.close()
    assert not path.with_name("newer.db-wal").exists()  # checkpointed: the main file holds it all
    err = _refuse(path, "db.newer")
    assert err.params["found"] == SCHEMA_VERSION + 1
    assert err.params["supported"] == SCHEMA_VERSION


def test_foreign_sqlite_file_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "music.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs(title TEXT, artist TEXT)")
    conn.execute("INSERT INTO songs VALUES ('茉莉花', '民歌')")
    conn.commit()
    conn.close()
    _refuse(path, "db.foreign")


def test_foreign_sqlite_file_with_another_application_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    _refuse(path, "db.foreign")


def test_text_file_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库 / this is not a database\n" * 100, encoding="utf-8")
    _refuse(path, "db.damaged")


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        open_database(tmp_path)
    assert info.value.key == "db.foreign"


# ---------------------------------------------------------------- staff and sign-in


def test_add_staff_and_sign_in(store: LobbyStore) -> None:
    added = store.add_staff("1001", "王芳", "lobby_manager", PIN)
    assert (added.id, added.name, added.role, added.active, added.locked, added.failed_pins) == (
        "1001",
        "王芳",
        "lobby_manager",
        True,
        False,
        0,
    )
    assert store.staff_count() == 1
    assert store.sign_in("1001", PIN).id == "1001"
    assert store.sign_in(" 1001 ", PIN).id == "1001"
    actions = [e["action"] for e in store.audit_entries()]
    assert "staff_added" in actions and "signin" in actions


def test_duplicate_staff_id_is_refused(store: LobbyStore) -> None:
    store.add_staff("1001", "王芳", "lobby_manager", PIN)
    with pytest.raises(InputError) as info:
        store.add_staff("1001", "李强", "supervisor", "24681357")
    assert info.value.key == "staff.exists"
    assert store.get_staff("1001").name == "王芳"


def test_unknown_staff_is_refused(store: LobbyStore) -> None:
    with pytest.raises(InputError) as info:
        store.sign_in("9999", PIN)
    assert info.value.key == "signin.bad"


def test_wrong_pins_count_and_five_lock(store: LobbyStore) -> None:
    store.add_staff("1001", "王芳", "lobby_manager", PIN)
    for attempt in range(1, 5):
        with pytest.raises(InputError) as info:
            store.sign_in("1001", "00000000")
        assert info.value.key == "signin.bad_pin"
        assert info.value.params["left"] == 5 - attempt
        assert store.get_staff("1001").failed_pins == attempt
        assert not store.get_staff("1001").locked
    with pytest.raises(InputError) as info:
        store.sign_in("1001", "00000000")
    assert info.value.key == "signin.locked"
    assert store.get_staff("1001").locked
    with pytest.raises(InputError) as info:  # the right PIN no longer helps
        store.sign_in("1001", PIN)
    assert info.value.key == "signin.locked"
    actions = [e["action"] for e in store.audit_entries()]
    assert actions.count("signin_failed") == 6
    assert actions.count("account_locked") == 1
    assert store.verify_audit() is None


def test_a_right_pin_resets_the_count(store: LobbyStore) -> None:
    store.add_staff("1001", "王芳", "lobby_manager", PIN)
    for _ in range(4):
        with pytest.raises(InputError):
            store.sign_in("1001", "11111111")
    store.sign_in("1001", PIN)
    assert store.get_staff("1001").failed_pins == 0
    with pytest.raises(InputError) as info:
        store.sign_in("1001", "11111111")
    assert info.value.key == "signin.bad_pin"
    assert not store.get_staff("1001").locked


def test_pin_is_stored_only_as_scrypt(store: LobbyStore, db_path: Path) -> None:
    store.add_staff("1001", "王芳", "lobby_manager", PIN)
    store.add_staff("1002", "李强", "supervisor", PIN)
    stored = [r["pin_hash"] for r in store.query("SELECT pin_hash FROM staff")]
    assert all(h.startswith("scrypt$") for h in stored)
    assert stored[0] != stored[1]  # salted
    assert PIN not in "".join(stored)
    assert PIN.encode() not in all_bytes(db_path)


# ---------------------------------------------------------------- customers


@pytest.fixture
def customers(store: LobbyStore):
    zhang = store.add_customer(
        name="张三明",
        phone=PHONE,
        id_number=ID_NUMBER,
        card=CARD,
        assets=Decimal("250000"),
        other_assets=Decimal("10000.5"),
        education="bachelor",
    )
    wei = store.add_customer(name="张伟", phone="+86 139-8765-4321", assets=Decimal("1000"))
    li = store.add_customer(name="李四", phone="13700005678", assets=Decimal("0.01"))
    return zhang, wei, li


def test_customer_is_stored_masked(customers) -> None:
    zhang, _, _ = customers
    assert zhang.phone_masked == "138****5678"
    assert zhang.id_last4 == "002X"
    assert zhang.card_last4 == "0123"
    assert zhang.birth_date == "1949-12-31"
    assert zhang.assets == Decimal("250000.00")
    assert zhang.other_assets == Decimal("10000.50")
    assert zhang.education == "bachelor"


def test_no_full_number_anywhere_in_the_file(customers, store: LobbyStore, db_path: Path) -> None:
    store.lookup(phone=PHONE)
    store.lookup(id_number=ID_NUMBER)
    store.lookup(card=CARD)
    data = all_bytes(db_path)
    for number in (PHONE, "13987654321", "13700005678", ID_NUMBER, ID_NUMBER[:17], ID_NUMBER.lower(), CARD, CARD[:12]):
        assert number.encode("utf-8") not in data, number
        assert number.encode("utf-16-le") not in data, number


def test_stored_phone_cannot_be_recovered_from_the_file(customers, db_path: Path) -> None:
    """The file holds 138****5678 and a keyed hash, but not the key: without the key file beside
    it, no guess of the hidden digits can be checked."""
    conn = sqlite3.connect(db_path)
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        masked, digest = conn.execute("SELECT phone_masked, phone_hash FROM customers WHERE name = '张三明'").fetchone()
    finally:
        conn.close()
    key = Path(str(db_path) + ".key").read_text().strip()
    assert key not in db_path.read_bytes().decode("latin-1") and key not in meta.values()
    for candidate in meta.values():  # nothing in the file works as the key
        if len(candidate) == 64:
            guesses = (f"{masked[:3]}{n:04d}{masked[-4:]}" for n in range(10_000))
            assert not any(keyed_hash(candidate, g) == digest for g in guesses)


def test_a_missing_key_file_is_refused_once_numbers_are_hashed(customers, db_path: Path, fixed_clock) -> None:
    Path(str(db_path) + ".key").unlink()
    again = LobbyStore(db_path, clock=fixed_clock)
    with pytest.raises(StoreError) as info:
        again.lookup(phone=PHONE)
    assert info.value.key == "db.key_missing"
    again.close()


@pytest.mark.parametrize(
    ("key", "value", "names"),
    [
        ("phone", PHONE, ["张三明"]),
        ("phone", "138 1234 5678", ["张三明"]),
        ("phone", "13987654321", ["张伟"]),
        ("phone", "13800000000", []),
        ("phone_last4", "5678", ["张三明", "李四"]),
        ("phone_last4", "4321", ["张伟"]),
        ("id_number", ID_NUMBER, ["张三明"]),
        ("id_number", ID_NUMBER.lower(), ["张三明"]),
        ("card", CARD, ["张三明"]),
        ("card", "6222 0212 3456 7890 123", ["张三明"]),
        ("name", "张", ["张三明", "张伟"]),
        ("name", "张三", ["张三明"]),
        ("name", "张三明", ["张三明"]),
        ("name", "李", ["李四"]),
        ("name", "王", []),
    ],
)
def test_lookup(customers, store: LobbyStore, key: str, value: str, names: list[str]) -> None:
    assert sorted(c.name for c in store.lookup(**{key: value})) == sorted(names)


@pytest.mark.parametrize(
    ("key", "value", "error"),
    [
        ("phone", "12345", "phone.bad"),
        ("phone_last4", "56789", "last4.bad"),
        ("card", "1234", "card.bad"),
        ("id_number", "110105194912310021", "id.check"),
        ("name", "  ", "name.bad"),
    ],
)
def test_lookup_refuses_bad_keys(store: LobbyStore, key: str, value: str, error: str) -> None:
    with pytest.raises(InputError) as info:
        store.lookup(**{key: value})
    assert info.value.key == error


def test_same_id_number_updates_the_customer(customers, store: LobbyStore) -> None:
    zhang, _, _ = customers
    again = store.add_customer(name="张三明", id_number=ID_NUMBER, assets=Decimal("1200000"))
    assert again.id == zhang.id
    assert again.assets == Decimal("1200000.00")
    assert again.phone_masked == "138****5678"  # what was not given is kept
    assert len(store.lookup(name="张三明")) == 1


# ---------------------------------------------------------------- visits


def test_start_visit_is_in_progress(store: LobbyStore) -> None:
    visit_id = store.start_visit(reason="transfer", shift_id=None, staff_id="1001")
    visit = store.get_visit(visit_id)
    assert visit.outcome == "in_progress"
    assert visit.ts == FIXED_NOW.isoformat(timespec="seconds")
    assert visit.day == DAY
    assert visit.ticket is None and visit.destination is None


def test_start_visit_with_an_unknown_reason(store: LobbyStore) -> None:
    # BUG (store/lobby_store.py start_visit -> domain/rules.py GuidanceRules.reason): an unknown
    # reason code raises a bare StopIteration from `next(...)` instead of InputError("reason.unknown").
    with pytest.raises(InputError) as info:
        store.start_visit(reason="no_such_reason", shift_id=None, staff_id="1001")
    assert info.value.key == "reason.unknown"


def test_tickets_count_per_destination_per_day(store: LobbyStore, db_path: Path) -> None:
    first = new_visit(store)
    second = new_visit(store)
    cash = new_visit(store, assets="1000", amount=Decimal("80000"))
    third = new_visit(store)
    assert (first.destination, first.ticket) == ("priority_counter", "V001")
    assert (second.destination, second.ticket) == ("priority_counter", "V002")
    assert (cash.destination, cash.ticket) == ("cash_counter", "A001")
    assert third.ticket == "V003"
    assert first.outcome == "waiting"
    assert first.tier == "mid_end" and first.quality

    tomorrow = LobbyStore(db_path, clock=lambda: FIXED_NOW + timedelta(days=1))
    try:
        assert new_visit(tomorrow).ticket == "V001"
    finally:
        tomorrow.close()


def test_tickets_are_not_reused_after_a_redirect(store: LobbyStore) -> None:
    # BUG (store/lobby_store.py next_ticket): the next number is count(visits with a ticket at that
    # destination today) + 1. Once a visit is redirected away its old destination's count drops, so
    # the next customer there gets a ticket that is already in someone's hand: V001, V002; V001 is
    # redirected to the cash counter; the next priority customer is given V002 again.
    first = new_visit(store)
    second = new_visit(store)
    assert (first.ticket, second.ticket) == ("V001", "V002")
    moved = store.set_outcome(first.id, "redirected", staff_id="1001", destination="cash_counter")
    assert moved.ticket == "A001"
    third = new_visit(store)
    tickets = [v.ticket for v in store.visits_on(DAY)]
    assert len(tickets) == len(set(tickets)), f"duplicate tickets today: {sorted(tickets)}"
    assert third.ticket not in ("V001", "V002")


def test_override_needs_a_reason(store: LobbyStore) -> None:
    visit_id = store.start_visit(reason="cash_withdrawal", shift_id=None, staff_id="1001")
    cls = classify(Decimal(1000), age=40, education="bachelor")
    rec = recommend(cls.tier, "cash_withdrawal")
    assert rec.destination == "self_service"
    audit_before = len(store.audit_entries())
    for blank in (None, "", "   "):
        with pytest.raises(InputError) as info:
            store.confirm_visit(
                visit_id, classification=cls, recommendation=rec, destination="cash_counter", override_reason=blank
            )
        assert info.value.key == "override.reason_needed"
    visit = store.get_visit(visit_id)
    assert visit.outcome == "in_progress" and visit.ticket is None  # nothing was written
    assert len(store.audit_entries()) == audit_before


def test_override_with_a_reason_is_audited(store: LobbyStore) -> None:
    visit_id = store.start_visit(reason="cash_withdrawal", shift_id=None, staff_id="1001")
    cls = classify(Decimal(1000), age=40, education="bachelor")
    rec = recommend(cls.tier, "cash_withdrawal")
    visit = store.confirm_visit(
        visit_id, classification=cls, recommendation=rec, destination="cash_counter", override_reason="  不会用自助机  "
    )
    assert visit.destination == "cash_counter"
    assert visit.recommended_destination == "self_service"
    assert visit.override_reason == "不会用自助机"
    assert visit.ticket == "A001"
    entry = store.audit_entries(limit=1)[0]
    assert entry["action"] == "override"
    assert entry["staff_id"] == "1001"
    detail = {k: v for k, v in json.loads(entry["detail"]).items() if not k.startswith("rows_")}
    assert detail == {
        "visit_id": visit_id,
        "recommended": "self_service",
        "destination": "cash_counter",
        "reason": "不会用自助机",
    }
    assert store.verify_audit() is None


def test_following_the_recommendation_writes_no_override(store: LobbyStore) -> None:
    visit = new_visit(store, override_reason="ignored")
    assert visit.override_reason is None
    assert "override" not in [e["action"] for e in store.audit_entries()]


def test_confirm_refuses_an_unknown_destination_or_visit(store: LobbyStore) -> None:
    visit_id = store.start_visit(reason="transfer", shift_id=None, staff_id="1001")
    rec = recommend("ordinary", "transfer")
    with pytest.raises(InputError) as info:
        store.confirm_visit(visit_id, classification=None, recommendation=rec, destination="roof", override_reason="x")
    assert info.value.key == "destination.unknown"
    with pytest.raises(StoreError) as missing:
        store.confirm_visit("no-such-id", classification=None, recommendation=rec, destination=rec.destination)
    assert missing.value.key == "db.no_such_visit"


def test_confirm_without_classification_counts_as_ordinary(store: LobbyStore) -> None:
    visit_id = store.start_visit(reason="transfer", shift_id=None, staff_id=None)
    rec = recommend("ordinary", "transfer", Decimal("1000.50"))
    visit = store.confirm_visit(
        visit_id, classification=None, recommendation=rec, destination=rec.destination, amount=Decimal("1000.50")
    )
    assert (visit.tier, visit.quality, visit.potential_quality) == ("ordinary", False, False)
    assert visit.amount == Decimal("1000.50")
    assert visit.destination == "e_banking"


def test_set_outcome(store: LobbyStore) -> None:
    visit = new_visit(store)
    served = store.set_outcome(visit.id, "served", staff_id="1001")
    assert served.outcome == "served"
    assert served.outcome_ts == FIXED_NOW.isoformat(timespec="seconds")
    assert store.set_outcome(visit.id, "left").outcome == "left"
    assert store.set_outcome(visit.id, "cancelled").outcome == "cancelled"
    with pytest.raises(InputError) as info:
        store.set_outcome(visit.id, "teleported")
    assert info.value.key == "outcome.bad"
    with pytest.raises(StoreError) as missing:
        store.set_outcome("no-such-id", "served")
    assert missing.value.key == "db.no_such_visit"


def test_redirect_moves_the_customer_and_is_audited(store: LobbyStore) -> None:
    visit = new_visit(store, assets="1000", reason="transfer")
    assert visit.destination == "e_banking"
    moved = store.set_outcome(visit.id, "redirected", staff_id="1001", destination="non_cash_counter")
    assert (moved.destination, moved.ticket, moved.outcome) == ("non_cash_counter", "B001", "waiting")
    entry = store.audit_entries(limit=1)[0]
    assert entry["action"] == "redirected"
    assert {k: v for k, v in json.loads(entry["detail"]).items() if not k.startswith("rows_")} == {
        "visit_id": visit.id,
        "destination": "non_cash_counter",
        "previous": "e_banking",
    }
    assert moved.redirected_from == "e_banking" and moved.override_reason is None
    assert store.day_summary(DAY)["redirected"] == 1 and store.day_summary(DAY)["overrides"] == 0
    with pytest.raises(InputError) as info:
        store.set_outcome(visit.id, "redirected", destination="the_moon")
    assert info.value.key == "destination.unknown"


def test_board_counts(store: LobbyStore) -> None:
    in_progress = store.start_visit(reason="transfer", shift_id=None, staff_id="1001")
    a = new_visit(store)
    b = new_visit(store)
    c = new_visit(store, assets="1000")  # self-service
    d = new_visit(store, assets="150000", potential_quality_other="60000")  # potential quality
    store.set_outcome(b.id, "served")
    cancelled = new_visit(store, assets="1000")
    store.set_outcome(cancelled.id, "cancelled")
    board = store.board()
    assert board.day == DAY
    assert board.in_branch == 4  # in progress + waiting a, c, d
    assert board.waiting["priority_counter"] == 2  # a and d
    assert board.waiting["self_service"] == 1
    assert board.waiting["cash_counter"] == 0
    assert set(board.waiting) >= {
        "cash_counter",
        "non_cash_counter",
        "priority_counter",
        "self_service",
        "e_banking",
        "account_manager",
    }
    recent_ids = {v.id for v in board.recent}
    assert {in_progress, a.id, b.id, c.id, d.id} <= recent_ids
    assert cancelled.id not in recent_ids
    assert [v.id for v in board.follow_up] == [d.id]
    assert store.waiting_counts() == board.waiting


def test_day_summary_reads_the_days_visits(store: LobbyStore) -> None:
    new_visit(store)
    new_visit(store, assets="1000")
    gone = new_visit(store, assets="1000")
    store.set_outcome(gone.id, "cancelled")
    summary = store.day_summary(DAY)
    assert summary["visits"] == 2
    assert summary["quality_customers"] == 1
    assert summary["diversion_rate"] == 0.5
    assert store.day_summary("2026-11-17")["visits"] == 0


# ---------------------------------------------------------------- the audit chain


def _some_audit(store: LobbyStore, n: int = 5) -> list[int]:
    for i in range(n):
        store.audit("note", "1001", n=i, text=f"第{i}条")
    return [r["seq"] for r in store.query("SELECT seq FROM audit ORDER BY seq")]


def test_intact_chain(store: LobbyStore) -> None:
    assert store.verify_audit() is None  # empty
    _some_audit(store)
    assert store.verify_audit() is None


def test_verify_audit_finds_a_changed_row(store: LobbyStore, db_path: Path) -> None:
    seqs = _some_audit(store)
    target = seqs[2]
    tamper = sqlite3.connect(db_path)
    tamper.execute("UPDATE audit SET detail = ? WHERE seq = ?", ('{"n": 99}', target))
    tamper.commit()
    tamper.close()
    assert store.verify_audit() == target


def test_verify_audit_finds_a_changed_row_even_with_its_hash_recomputed(store: LobbyStore, db_path: Path) -> None:
    seqs = _some_audit(store)
    target = seqs[1]
    tamper = sqlite3.connect(db_path)
    tamper.row_factory = sqlite3.Row
    row = dict(tamper.execute("SELECT * FROM audit WHERE seq = ?", (target,)).fetchone())
    row["action"] = "nothing_happened"
    tamper.execute(
        "UPDATE audit SET action = ?, hash = ? WHERE seq = ?",
        (row["action"], audit_hash(row["prev_hash"], row), target),
    )
    tamper.commit()
    tamper.close()
    assert store.verify_audit() == seqs[2]  # the next entry no longer points at it


def test_verify_audit_finds_a_removed_row(store: LobbyStore, db_path: Path) -> None:
    seqs = _some_audit(store)
    target = seqs[2]
    tamper = sqlite3.connect(db_path)
    tamper.execute("DELETE FROM audit WHERE seq = ?", (target,))
    tamper.commit()
    tamper.close()
    assert store.verify_audit() == target


def test_verify_audit_finds_the_first_row_removed(store: LobbyStore, db_path: Path) -> None:
    seqs = _some_audit(store)
    tamper = sqlite3.connect(db_path)
    tamper.execute("DELETE FROM audit WHERE seq = ?", (seqs[0],))
    tamper.commit()
    tamper.close()
    assert store.verify_audit() is not None


# ---------------------------------------------------------------- durability


def test_confirmed_visit_survives_without_close(db_path: Path, fixed_clock) -> None:
    first = LobbyStore(db_path, clock=fixed_clock)
    visit = new_visit(first)
    # no first.close(): a second store (its own connection) sees the committed visit
    second = LobbyStore(db_path, clock=fixed_clock)
    try:
        seen = second.get_visit(visit.id)
        assert (seen.ticket, seen.outcome, seen.destination) == ("V001", "waiting", "priority_counter")
    finally:
        second.close()
        first.close()


def test_confirmed_visit_survives_the_process_dying(db_path: Path) -> None:
    # The process ends with os._exit: no close, no atexit, no WAL checkpoint.
    script = textwrap.dedent(f"""
        import os
        from datetime import datetime, timedelta, timezone
        from decimal import Decimal
        from lobby_tui.store import LobbyStore
        from lobby_tui.domain.guidance import recommend
        store = LobbyStore({str(db_path)!r},
                           clock=lambda: datetime(2026, 11, 18, 10, 30, tzinfo=timezone(timedelta(hours=8))))
        vid = store.start_visit(reason="cash_withdrawal", shift_id=None, staff_id="1001")
        rec = recommend("ordinary", "cash_withdrawal")
        store.confirm_visit(vid, classification=None, recommendation=rec, destination=rec.destination)
        print(vid, flush=True)
        os._exit(0)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    visit_id = done.stdout.strip()
    store = LobbyStore(db_path)
    try:
        visit = store.get_visit(visit_id)
        assert (visit.ticket, visit.outcome, visit.destination) == ("S001", "waiting", "self_service")
    finally:
        store.close()


def test_visits_written_at_one_time_are_read_back_exactly(store: LobbyStore) -> None:
    visit = new_visit(store, assets="1000", amount=Decimal("49999.99"))
    again = store.get_visit(visit.id)
    assert again == visit
    assert again.amount == Decimal("49999.99")
    assert datetime.fromisoformat(again.ts) == FIXED_NOW
