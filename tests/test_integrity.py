"""Issue 14 (integrity): verify exact on a live database, the key's check value, backup and restore,
quick_check, owner-only files, and business rows in the hash chain."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from lobby_tui.store import LobbyStore

AUDIT_CHILD = r"""
import sys
from lobby_tui.store import LobbyStore

store = LobbyStore(sys.argv[1])
print("ready", flush=True)
k = 0
while True:
    k += 1
    store.audit("tick", None, k=k)
"""


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("LOBBY_TUI_")}


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env()
    )


def stop(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait(timeout=30)
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()


def customers_file(tmp_path: Path, n: int = 20) -> Path:
    path = tmp_path / "customers.csv"
    lines = ["姓名,手机号,金融资产"] + [f"客户{i},139{i:08d},{i + 1}万" for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- 1. verify on a live database


def test_verify_while_a_writer_commits_raises_no_false_alarm(tmp_path: Path) -> None:
    db = tmp_path / "lobby.db"
    store = LobbyStore(db)
    with store.write() as conn:  # a chain long enough that walking it takes a while
        for k in range(2000):
            store._audit(conn, "seed", None, k=k)
    writer = spawn("-c", AUDIT_CHILD, str(db))
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        alarms = []
        for _ in range(100):
            check = LobbyStore(db).audit_status()
            if not check.ok:
                alarms.append(check)
        assert writer.poll() is None, writer.stderr.read() if writer.stderr else ""
    finally:
        stop(writer)
    assert alarms == []
    assert LobbyStore(db).audit_status().entries > 2000  # the writer did write meanwhile


# ---------------------------------------------------------------- 3. a key file from another database


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lobby_tui", *args], capture_output=True, text=True, env=env(), timeout=120
    )


def all_bytes(db: Path) -> bytes:
    return b"".join(
        Path(str(db) + suffix).read_bytes() for suffix in ("", "-wal", ".anchor") if Path(str(db) + suffix).exists()
    )


def test_a_key_file_from_another_database_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    db, other = tmp_path / "lobby.db", tmp_path / "other.db"
    store = LobbyStore(db)
    store.add_customer(name="王小明", phone="13812345678", assets=Decimal(600000))
    store.audit("test", None)
    store.close()
    LobbyStore(other).add_customer(name="李四", phone="13900000001", assets=Decimal(1000))
    Path(str(db) + ".key").write_bytes(Path(str(other) + ".key").read_bytes())
    before = all_bytes(db)
    for args in (
        ["lookup", "--phone", "13812345678"],
        ["import-customers", str(customers_file(tmp_path))],
        ["audit", "verify"],
    ):
        done = cli(*args, "--db", str(db), "--lang", "en")
        assert done.returncode == 1, (args, done)
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
        assert "key file" in done.stderr and "does not belong" in done.stderr, done.stderr
        assert all_bytes(db) == before, args  # nothing written: no row, no re-signed anchor
    zh = cli("lookup", "--phone", "13812345678", "--db", str(db), "--lang", "zh")
    assert zh.returncode == 1 and "密钥" in zh.stderr and "不属于" in zh.stderr


def test_the_right_key_passes_and_an_older_database_gets_its_check_value(tmp_path: Path) -> None:
    db = tmp_path / "lobby.db"
    store = LobbyStore(db)
    store.add_customer(name="王小明", phone="13812345678", assets=Decimal(600000))
    with store.write() as conn:
        conn.execute("DELETE FROM meta WHERE key = 'key_check'")  # as a database made before the check value
    store.close()
    again = LobbyStore(db)
    assert again.lookup(phone="13812345678")[0].name == "王小明"
    again.audit("test", None)
    assert again.query("SELECT value FROM meta WHERE key = 'key_check'")[0][0]


# ---------------------------------------------------------------- 2. backup and restore

VISIT_CHILD = r"""
import sys
from decimal import Decimal
from lobby_tui.domain.guidance import recommend
from lobby_tui.domain.tiers import classify
from lobby_tui.store import LobbyStore

store = LobbyStore(sys.argv[1], device_id="tablet-1")
k = 0
while True:
    k += 1
    result = classify(Decimal(300000 if k % 2 else 1000))
    rec = recommend(result.tier, "transfer", potential_quality=result.potential_quality)
    visit_id = store.start_visit(reason="transfer", shift_id=None, staff_id=None)
    store.confirm_visit(visit_id, classification=result, recommendation=rec, destination=rec.destination)
    store.audit("tick", None, k=k)
    print(visit_id, flush=True)  # only once committed
"""


def visit_ids(db: Path) -> set[str]:
    store = LobbyStore(db)
    try:
        return {r[0] for r in store.query("SELECT id FROM visits")}
    finally:
        store.close()


def test_a_backup_taken_while_a_writer_runs_holds_every_confirmed_visit_and_verifies(tmp_path: Path) -> None:
    db, dest = tmp_path / "lobby.db", tmp_path / "usb" / "lobby-backup.db"
    LobbyStore(db).add_customer(name="王小明", phone="13812345678", assets=Decimal(600000))
    writer = spawn("-c", VISIT_CHILD, str(db))
    confirmed: list[str] = []
    try:
        assert writer.stdout is not None
        while len(confirmed) < 30:
            line = writer.stdout.readline()
            assert line, writer.stderr.read() if writer.stderr else ""
            confirmed.append(line.strip())
        done = cli("backup", "--db", str(db), str(dest), "--lang", "en")  # the writer keeps writing
        assert writer.poll() is None
    finally:
        stop(writer)
    assert done.returncode == 0, done.stderr
    assert "Backed up to" in done.stdout and "intact" in done.stdout
    assert set(confirmed) <= visit_ids(dest)
    for suffix in (".key", ".anchor"):
        assert Path(str(dest) + suffix).exists()
    verify = cli("audit", "verify", "--db", str(dest), "--lang", "en")
    assert verify.returncode == 0 and "anchor" in verify.stdout, verify
    assert cli("check", "--db", str(dest)).returncode == 0
    assert [p.name for p in dest.parent.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_restore_puts_a_backup_in_place_and_keeps_what_was_there(tmp_path: Path) -> None:
    db, dest = tmp_path / "lobby.db", tmp_path / "backup.db"
    store = LobbyStore(db)
    kept_visit = store.start_visit(reason="transfer", shift_id=None, staff_id=None)
    store.close()
    assert cli("backup", "--db", str(db), str(dest)).returncode == 0
    assert cli("backup", "--db", str(db), str(dest)).returncode == 2  # never overwrites
    store = LobbyStore(db)
    later = store.start_visit(reason="transfer", shift_id=None, staff_id=None)
    store.close()
    done = cli("restore", "--db", str(db), str(dest), "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert visit_ids(db) == {kept_visit}
    kept = [p for p in tmp_path.iterdir() if "before-restore" in p.name and p.suffix == ".db"]
    assert len(kept) == 1 and str(kept[0]) in done.stdout
    assert visit_ids(kept[0]) == {kept_visit, later}  # nothing lost: the replaced database is kept
    assert cli("audit", "verify", "--db", str(db)).returncode == 0
    assert cli("audit", "verify", "--db", str(kept[0])).returncode == 0
    fresh = tmp_path / "new" / "lobby.db"
    assert cli("restore", "--db", str(fresh), str(dest)).returncode == 0
    assert visit_ids(fresh) == {kept_visit}


def test_a_backup_that_does_not_check_out_is_not_restored(tmp_path: Path) -> None:
    db, dest = tmp_path / "lobby.db", tmp_path / "backup.db"
    store = LobbyStore(db)
    store.audit("one", None)
    store.audit("two", None)
    store.close()
    assert cli("backup", "--db", str(db), str(dest)).returncode == 0
    tamper = sqlite3.connect(dest)
    tamper.execute("UPDATE audit SET action = 'nothing' WHERE seq = 1")
    tamper.commit()
    tamper.close()
    before = all_bytes(db)
    done = cli("restore", "--db", str(db), str(dest), "--lang", "en")
    assert done.returncode == 1 and "does not check out" in done.stderr and "Traceback" not in done.stderr
    assert all_bytes(db) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_restore_refuses_a_database_the_app_has_open(tmp_path: Path) -> None:
    db, dest = tmp_path / "lobby.db", tmp_path / "backup.db"
    app = LobbyStore(db)
    app.audit("one", None)
    assert cli("backup", "--db", str(db), str(dest)).returncode == 0
    done = cli("restore", "--db", str(db), str(dest), "--lang", "en")
    assert done.returncode == 1 and "in use" in done.stderr
    app.audit("two", None)  # the app's database is untouched and still works
    assert app.audit_status().ok
    app.close()


# ---------------------------------------------------------------- 10. damage found by quick_check


def customer_pages(db: Path) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = 'customers' ORDER BY pageno")]
    finally:
        conn.close()


def damage_customer_pages(db: Path, size: int = 64 * 1024) -> None:
    """`size` random bytes over the directory's pages (the header and schema stay readable)."""
    pages = customer_pages(db)
    page_size = int.from_bytes(db.read_bytes()[16:18], "big")
    assert len(pages) * page_size >= size, "a directory too small to damage 64 KiB of it"
    rng = random.Random(14)
    with open(db, "r+b") as handle:
        for page in pages[1 : 1 + size // page_size]:
            handle.seek((page - 1) * page_size)
            handle.write(rng.randbytes(page_size))


def directory_db(tmp_path: Path, n: int = 3000) -> Path:
    db = tmp_path / "lobby.db"
    done = cli("import-customers", "--db", str(db), str(customers_file(tmp_path, n)))
    assert done.returncode == 0, done.stderr
    return db


def test_check_finds_random_bytes_in_the_directory_and_names_the_backup(tmp_path: Path) -> None:
    db = directory_db(tmp_path)
    assert cli("check", "--db", str(db)).returncode == 0
    backup = tmp_path / "backups" / "monday.db"
    assert cli("backup", "--db", str(db), str(backup)).returncode == 0
    LobbyStore(db).close()  # the WAL folded into the file
    damage_customer_pages(db)
    before = db.read_bytes()
    for lang, words in (("en", "damaged"), ("zh", "损坏")):
        done = cli("check", "--db", str(db), "--lang", lang)
        assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1, done
        assert words in done.stderr and str(backup) in done.stderr and "lobby-tui restore" in done.stderr
        assert "Traceback" not in done.stderr
    assert db.read_bytes() == before
    assert cli("restore", "--db", str(db), str(backup)).returncode == 0  # what the message says to do
    assert cli("check", "--db", str(db)).returncode == 0


def test_opening_a_shift_on_a_damaged_file_is_refused(tmp_path: Path) -> None:
    from lobby_tui.store import StoreError

    db = directory_db(tmp_path)
    store = LobbyStore(db)
    store.add_staff("1001", "王丽", "lobby_manager", "246810")
    store.close()
    damage_customer_pages(db)
    store = LobbyStore(db)
    staff = store.sign_in("1001", "246810")
    with pytest.raises(StoreError) as caught:
        store.open_shift(staff.id)
    assert caught.value.key.startswith("db.damaged") and "damaged" in caught.value.message("en")
    assert store.query("SELECT count(*) FROM shifts")[0][0] == 0


def test_the_first_sign_in_of_a_run_checks_an_already_open_shift_too(tmp_path: Path) -> None:
    from lobby_tui.store import StoreError

    db = directory_db(tmp_path)
    store = LobbyStore(db)
    store.add_staff("1001", "王丽", "lobby_manager", "246810")
    store.open_shift("1001")  # opened this morning; the app is started again later
    store.close()
    damage_customer_pages(db)
    again = LobbyStore(db)
    with pytest.raises(StoreError) as caught:
        again.open_shift("1001")
    assert caught.value.key.startswith("db.damaged")


# ---------------------------------------------------------------- 9. files are the owner's alone


def test_every_file_the_app_makes_is_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lobby_tui.report import write_export
    from lobby_tui.store.backup import backup_database
    from lobby_tui.ui.crash_log import write_crash

    old = os.umask(0o022)  # the usual umask: files 0644, folders 0755 unless the app says otherwise
    try:
        home = tmp_path / "home"
        home.mkdir(mode=0o700)
        db = home / "data" / "lobby_tui" / "lobby.db"
        store = LobbyStore(db)
        store.add_staff("9001", "陈主管", "supervisor", "135790")
        sv = store.sign_in("9001", "135790").id
        store.add_customer(name="王小明", phone="13812345678", assets=Decimal(600000))
        store.start_visit(reason="transfer", shift_id=None, staff_id=None)
        shift = store.open_shift("9001")
        made = {Path(str(db) + s) for s in ("", "-wal", "-shm", ".key", ".anchor")}
        assert all(p.exists() for p in made)
        modes = {p: p.stat().st_mode & 0o777 for p in made}  # while the app has it open: WAL and SHM
        bundle = store.export_bundle(sv, fmt="csv", shift_id=shift.id)
        exports = write_export(bundle, home / "exports" / "today", "csv", "en")
        html = write_export(store.export_bundle(sv, fmt="html", shift_id=shift.id), home / "exports", "html", "en")
        backup = backup_database(store, home / "usb" / "backups" / "b.db")
        monkeypatch.setenv("LOBBY_TUI_LOG", str(home / "logs" / "lobby-tui.log"))
        write_crash(RuntimeError("planted"))
        store.close()
    finally:
        os.umask(old)
    for path in [*exports, *html, backup.path, backup.key, backup.anchor, home / "logs" / "lobby-tui.log"]:
        modes[path] = path.stat().st_mode & 0o777
    for path in home.rglob("*"):
        if path.is_file():
            modes.setdefault(path, path.stat().st_mode & 0o777)
    assert {str(p.relative_to(home)): oct(m) for p, m in modes.items() if m != 0o600} == {}
    folders = [p for p in home.rglob("*") if p.is_dir()]
    assert len(folders) >= 7
    assert {str(p.relative_to(home)): oct(p.stat().st_mode & 0o777) for p in folders if p.stat().st_mode & 0o077} == {}


def test_an_existing_database_made_world_readable_is_made_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "lobby.db"
    LobbyStore(db).audit("one", None)
    for suffix in ("", ".anchor"):
        os.chmod(str(db) + suffix, 0o644)
    store = LobbyStore(db)
    store.audit("two", None)
    assert {s: oct(Path(str(db) + s).stat().st_mode & 0o777) for s in ("", "-wal", ".anchor")} == {
        "": "0o600",
        "-wal": "0o600",
        ".anchor": "0o600",
    }
    store.close()


# ---------------------------------------------------------------- 7. business rows in the chain


@pytest.fixture(scope="module")
def _business_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Staff, an imported directory, a closed shift with its log and visits: made once, copied per test."""
    from lobby_tui.domain.guidance import recommend
    from lobby_tui.domain.patrol import patrol_checklist
    from lobby_tui.domain.tiers import classify

    folder = tmp_path_factory.mktemp("business")
    db = folder / "lobby.db"
    assert cli("import-customers", "--db", str(db), str(customers_file(folder, 300))).returncode == 0
    store = LobbyStore(db, device_id="tablet-a")
    store.add_staff("1001", "王丽", "lobby_manager", "246810")
    store.add_staff("9001", "陈主管", "supervisor", "135790")
    shift = store.open_shift("1001")
    store.add_patrol(shift.id, "1001", "opening", {i.code: True for i in patrol_checklist().items})
    for assets in ("1000", "3000000"):
        visit_id = store.start_visit(reason="transfer", shift_id=shift.id, staff_id="1001")
        result = classify(Decimal(assets))
        rec = recommend(result.tier, "transfer", potential_quality=result.potential_quality)
        store.confirm_visit(visit_id, classification=result, recommendation=rec, destination=rec.destination)
        store.set_outcome(visit_id, "served")
    store.set_handover(shift.id, "1001", "明天有大额预约")
    store.close_shift(shift.id, "1001")
    store.close()
    assert cli("audit", "verify", "--db", str(db)).returncode == 0
    return db


@pytest.fixture
def business(_business_template: Path, tmp_path: Path) -> Path:
    import shutil

    db = tmp_path / "lobby.db"
    for suffix in ("", ".key", ".anchor"):
        shutil.copy(str(_business_template) + suffix, str(db) + suffix)
    return db


def tamper(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def one(db: Path, sql: str) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def verify(db: Path, lang: str = "en") -> subprocess.CompletedProcess[str]:
    done = cli("audit", "verify", "--db", str(db), "--lang", lang)
    assert "Traceback" not in done.stderr and len((done.stderr or done.stdout).strip().splitlines()) == 1
    return done


def test_an_untouched_business_database_verifies(business: Path) -> None:
    done = verify(business)
    assert done.returncode == 0 and "intact" in done.stdout


def test_a_visits_tier_changed_outside_the_app_is_named(business: Path) -> None:
    visit_id = one(business, "SELECT id FROM visits WHERE tier = 'ordinary' LIMIT 1")
    tamper(
        business,
        "DROP TRIGGER visits_closed_update",  # the visit's shift is closed: the app itself refuses this
        f"UPDATE visits SET tier = 'private_banking' WHERE id = '{visit_id}'",
    )
    done = verify(business)
    assert done.returncode == 1 and "visits row" in done.stderr and visit_id in done.stderr
    assert "changed outside the app" in done.stderr
    zh = verify(business, "zh")
    assert zh.returncode == 1 and "来访记录" in zh.stderr and visit_id in zh.stderr


def test_a_deleted_visit_is_named(business: Path) -> None:
    visit_id = one(business, "SELECT id FROM visits LIMIT 1")
    tamper(business, "DROP TRIGGER visits_closed_update", f"DELETE FROM visits WHERE id = '{visit_id}'")
    done = verify(business)
    assert done.returncode == 1 and visit_id in done.stderr and "deleted outside the app" in done.stderr


def test_a_lobby_manager_made_a_supervisor_is_named(business: Path) -> None:
    tamper(business, "UPDATE staff SET role = 'supervisor' WHERE staff_id = '1001'")
    done = verify(business)
    assert done.returncode == 1 and "staff row 1001" in done.stderr


def test_an_edited_closed_shift_is_named(business: Path) -> None:
    shift_id = one(business, "SELECT id FROM shifts WHERE status = 'closed'")
    tamper(
        business,
        "DROP TRIGGER shifts_closed",  # what the app refuses, a SQLite tool can still do
        f"UPDATE shifts SET handover_note = '一切正常' WHERE id = '{shift_id}'",
    )
    done = verify(business)
    assert done.returncode == 1 and "shifts row" in done.stderr and shift_id in done.stderr


def test_a_shift_log_entry_slipped_in_is_named(business: Path) -> None:
    shift_id = one(business, "SELECT id FROM shifts WHERE status = 'closed'")
    tamper(
        business,
        "DROP TRIGGER shift_log_closed",
        "INSERT INTO shift_log(id, device_id, shift_id, staff_id, ts, kind, code, text) VALUES "
        f"('fake-entry', 'tablet-a', '{shift_id}', '1001', '2026-11-18T09:00:00+08:00', 'incident', 'other', 'x')",
    )
    done = verify(business)
    assert done.returncode == 1 and "fake-entry" in done.stderr and "added outside the app" in done.stderr


def test_an_imported_customers_assets_changed_is_named(business: Path) -> None:
    customer = one(business, "SELECT id FROM customers WHERE name = '客户150'")
    tamper(business, f"UPDATE customers SET assets_fen = 99999999900 WHERE id = '{customer}'")
    done = verify(business)
    assert done.returncode == 1 and "customers row" in done.stderr and customer in done.stderr


def test_a_row_changed_together_with_its_digest_is_still_found(business: Path) -> None:
    from lobby_tui.store.chain import row_digest

    conn = sqlite3.connect(business)
    conn.execute("UPDATE staff SET role = 'supervisor' WHERE staff_id = '1001'")
    values = conn.execute("SELECT * FROM staff WHERE staff_id = '1001'").fetchone()
    conn.execute(
        "UPDATE row_chain SET digest = ? WHERE tbl = 'staff' AND key = '1001' "
        "AND seq = (SELECT max(seq) FROM row_chain WHERE tbl = 'staff' AND key = '1001')",
        (row_digest("staff", values),),
    )
    conn.commit()
    conn.close()
    done = verify(business)
    assert done.returncode == 1 and "1001" in done.stderr  # the entry's rows digest no longer fits


def test_the_row_chain_covers_import_batches_not_rows(business: Path) -> None:
    """300 imported customers: one audit entry for the chunk, carrying a digest over its rows."""
    conn = sqlite3.connect(business)
    try:
        chunks = conn.execute("SELECT count(*) FROM audit WHERE detail LIKE '%rows_n\": 300%'").fetchone()[0]
        lines = conn.execute("SELECT count(*) FROM row_chain WHERE tbl = 'customers'").fetchone()[0]
    finally:
        conn.close()
    assert chunks == 1 and lines == 300


def test_app_writes_after_tampering_keep_the_tampering_visible(business: Path) -> None:
    visit_id = one(business, "SELECT id FROM visits LIMIT 1")
    tamper(
        business,
        "DROP TRIGGER visits_closed_update",
        f"UPDATE visits SET tier = 'private_banking' WHERE id = '{visit_id}'",  # neither visit's own tier
    )
    store = LobbyStore(business, device_id="tablet-a")
    store.open_shift("1001")
    store.start_visit(reason="transfer", shift_id=None, staff_id="1001")
    check = store.audit_status()
    store.close()
    assert (check.problem, check.table, check.row) == ("row_changed", "visits", visit_id)


def test_a_rollback_of_database_and_anchor_together_is_found_with_a_mark_kept_elsewhere(business: Path) -> None:
    import re
    import shutil

    old = business.with_name("old.db")
    for suffix in ("", ".key", ".anchor"):
        shutil.copy(str(business) + suffix, str(old) + suffix)  # yesterday's copy, anchor and all
    store = LobbyStore(business, device_id="tablet-a")
    store.open_shift("1001")
    store.start_visit(reason="transfer", shift_id=None, staff_id="1001")
    store.close()
    done = verify(business)
    assert done.returncode == 0
    mark = re.search(r"newest entry (\d+:[0-9a-f]{16})", done.stdout)
    assert mark, done.stdout  # the mark that goes into a report, or to head office
    for suffix in ("", ".anchor"):
        shutil.copy(str(old) + suffix, str(business) + suffix)  # rolled back, together
    Path(str(business) + "-wal").unlink(missing_ok=True)
    Path(str(business) + "-shm").unlink(missing_ok=True)
    assert verify(business).returncode == 0  # consistent on its own: the PC alone cannot tell
    rolled = cli("audit", "verify", "--db", str(business), "--expect", mark.group(1), "--lang", "en")
    assert rolled.returncode == 1 and "rolled back" in rolled.stderr
    assert cli("audit", "verify", "--db", str(business), "--expect", "12:xyz").returncode == 2


def test_a_backup_into_a_new_folder_named_with_a_slash(tmp_path: Path) -> None:
    db = tmp_path / "lobby.db"
    LobbyStore(db).audit("one", None)
    done = cli("backup", "--db", str(db), str(tmp_path / "usb") + "/")
    assert done.returncode == 0, done.stderr
    made = list((tmp_path / "usb").glob("lobby-*.db"))
    assert len(made) == 1 and Path(str(made[0]) + ".key").exists() and Path(str(made[0]) + ".anchor").exists()


def test_the_printed_report_carries_the_audit_mark_that_verify_expect_checks(business: Path, tmp_path: Path) -> None:
    """The report a supervisor prints takes a copy of the anchor off the PC: its audit mark is one
    that `audit verify --expect` accepts while the log still reaches it."""
    import re

    from lobby_tui.report import write_export

    store = LobbyStore(business, device_id="tablet-a")
    sv = store.sign_in("9001", "135790").id
    day = store.query("SELECT day FROM shifts ORDER BY day LIMIT 1")[0][0]
    (html,) = write_export(store.export_bundle(sv, fmt="html", start=day, end=day), tmp_path / "r", "html", "en")
    store.close()
    mark = re.search(r'<dd class="mark">(\d+:[0-9a-f]{16})</dd>', html.read_text(encoding="utf-8"))
    assert mark, "no audit mark on the report"
    checked = cli("audit", "verify", "--db", str(business), "--expect", mark.group(1), "--lang", "en")
    assert checked.returncode == 0, checked.stderr
