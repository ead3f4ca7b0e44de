"""Faults: kill -9 at varied moments, several writers at once, a busy, read-only, full or damaged file.

Processes are killed at points chosen by a seeded random generator, from what they have reported
(a confirmed visit printed, rows committed), never after a fixed sleep.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

import lobby_tui.store.base as store_base
import lobby_tui.store.database as database
from lobby_tui.domain.errors import InputError
from lobby_tui.domain.idnumber import check_character
from lobby_tui.store import LobbyStore, StoreError, deferred_indexes

COMMIT_CHILD = r"""
import sys
from decimal import Decimal
from lobby_tui.domain.guidance import recommend
from lobby_tui.domain.tiers import classify
from lobby_tui.store import LobbyStore

db, device, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = LobbyStore(db, device_id=device)
for k in range(n):
    result = classify(Decimal(300000 if k % 2 else 1000))
    rec = recommend(result.tier, "transfer", potential_quality=result.potential_quality)
    visit_id = store.start_visit(reason="transfer", shift_id=None, staff_id=None)
    store.confirm_visit(visit_id, classification=result, recommendation=rec, destination=rec.destination)
    print(visit_id, flush=True)  # printed only once confirm_visit has returned: committed
"""


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("LOBBY_TUI_")}


def spawn(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, *args], stdout=stdout, stderr=subprocess.PIPE, text=True, env=env())


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lobby_tui", *args], capture_output=True, text=True, env=env(), timeout=120
    )


def kill(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def count(db: Path, sql: str) -> int:
    """A read on its own connection; 0 while the file or table does not exist yet."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=10)
    try:
        return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def wait_until(condition: Callable[[], bool], proc: subprocess.Popen[str], timeout: float = 60) -> None:
    """Poll `condition` until it holds or the process ends (deadline: a hung child fails the test)."""
    deadline = time.monotonic() + timeout
    while not condition() and proc.poll() is None:
        assert time.monotonic() < deadline, "the child made no progress"
        time.sleep(0.002)


def customers_csv(path: Path, n: int) -> Path:
    lines = ["姓名,手机号,证件号码,金融资产,学历"]
    for i in range(n):
        body = f"310115{1950 + i // 1000:04d}0101{i % 1000:03d}"  # one ID number per row
        number = body + check_character(body) if i % 3 else ""
        lines.append(f"客户{i},139{i:08d},{number},{(i % 500) + 1}万,本科")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- kill -9


def test_kill_during_visit_commits_loses_no_confirmed_visit(tmp_path: Path) -> None:
    db = tmp_path / "lobby.db"
    LobbyStore(db).check()
    rng = random.Random(20261118)
    confirmed: list[str] = []
    for round_ in range(6):
        proc = spawn("-c", COMMIT_CHILD, str(db), f"tablet-{round_}", "100000")
        assert proc.stdout is not None
        for _ in range(rng.choice([0, 1, 3, 7, 15, 30])):
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else ""
            confirmed.append(line.strip())
        kill(proc)  # somewhere inside the next start_visit or confirm_visit
        assert integrity(db) == "ok"
    store = LobbyStore(db)
    waiting = {r["id"] for r in store.query("SELECT id FROM visits WHERE outcome = 'waiting'")}
    assert set(confirmed) <= waiting
    assert len(waiting) - len(confirmed) <= 6  # at most one per round committed just before its print
    tickets = store.query(
        "SELECT day, destination, ticket, count(*) AS n FROM visits WHERE ticket IS NOT NULL "
        "GROUP BY day, destination, ticket HAVING n > 1"
    )
    assert tickets == []


def test_kill_during_an_import_then_a_rerun_completes_it(tmp_path: Path) -> None:
    db = tmp_path / "lobby.db"
    n, chunk = 12_000, 5_000  # store.imports.CUSTOMER_CHUNK
    csv_path = customers_csv(tmp_path / "big.csv", n)

    def rows_at_least(k: int) -> Callable[[], bool]:
        return lambda: count(db, "SELECT count(*) FROM customers") >= k

    points = [
        lambda: True,  # at once: Python still starting
        lambda: Path(str(db) + "-wal").exists(),  # the database open: migrating, or in the first chunk
        rows_at_least(chunk),
        rows_at_least(2 * chunk),
    ]  # in the second chunk; in the third
    for reached in points:
        proc = spawn("-m", "lobby_tui", "import-customers", "--db", str(db), str(csv_path), stdout=subprocess.DEVNULL)
        wait_until(reached, proc)
        kill(proc)
        assert integrity(db) == "ok"
        have = count(db, "SELECT count(*) FROM customers")
        assert have % chunk == 0 or have == n  # whole chunks, never part of one
    done = cli("import-customers", "--db", str(db), str(csv_path))
    assert done.returncode == 0, done.stderr
    store = LobbyStore(db)
    assert store.customer_count() == n
    assert store.query("SELECT count(DISTINCT phone_hash) FROM customers")[0][0] == n
    assert store.lookup(phone="13900011999")[0].name == "客户11999"
    # The indexes an import leaves off from its second batch (deferred_indexes) are all back.
    names = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert set(deferred_indexes.DEFERRABLE) <= names
    assert not store.query("SELECT 1 FROM meta WHERE key = ?", (deferred_indexes.META_KEY,))


def test_kill_during_a_demo_run_then_a_rerun_completes_it(tmp_path: Path) -> None:
    db, clean = tmp_path / "killed.db", tmp_path / "clean.db"
    args = ["--customers", "30000", "--days", "40", "--seed", "7"]
    points = [
        lambda: count(db, "SELECT count(*) FROM customers") >= 25_000,  # between customer chunks
        lambda: count(db, "SELECT count(*) FROM visits") > 0,
    ]  # between the days' transactions
    for reached in points:
        proc = spawn("-m", "lobby_tui", "demo", "--db", str(db), *args, stdout=subprocess.DEVNULL)
        wait_until(reached, proc)
        kill(proc)
        assert integrity(db) == "ok"
    assert cli("demo", "--db", str(db), *args).returncode == 0
    assert cli("demo", "--db", str(clean), *args).returncode == 0
    killed, fresh = LobbyStore(db), LobbyStore(clean)
    assert killed.customer_count() == fresh.customer_count() == 30_000
    today = date.today().isoformat()
    past = "SELECT id FROM visits WHERE day < ? ORDER BY id"
    assert [r[0] for r in killed.query(past, (today,))] == [r[0] for r in fresh.query(past, (today,))]
    assert killed.verify_audit() is None
    assert integrity(db) == "ok"


# ---------------------------------------------------------------- several writers at once


def test_several_processes_confirming_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "lobby.db"
    LobbyStore(db).check()
    csv_path = customers_csv(tmp_path / "c.csv", 12_000)
    importer = spawn("-m", "lobby_tui", "import-customers", "--db", str(db), str(csv_path))
    tablets = [spawn("-c", COMMIT_CHILD, str(db), f"tablet-{k}", "25") for k in range(4)]
    results = [p.communicate(timeout=120) for p in tablets]
    imported = importer.communicate(timeout=120)
    for proc, (out, err) in zip(tablets, results, strict=True):
        assert proc.returncode == 0 and err == "", err
        assert len(out.split()) == 25
    assert importer.returncode == 0 and "locked" not in imported[1] and "busy" not in imported[1]
    store = LobbyStore(db)
    ids = {line for out, _ in results for line in out.split()}
    assert len(ids) == 100
    assert {r[0] for r in store.query("SELECT id FROM visits WHERE outcome = 'waiting'")} == ids
    assert store.customer_count() == 12_000
    per_destination = store.query(
        "SELECT destination, count(*), count(DISTINCT ticket) FROM visits GROUP BY destination"
    )
    assert all(r[1] == r[2] for r in per_destination)  # no queue number handed out twice
    assert integrity(db) == "ok"


def test_a_busy_begin_is_tried_again_beyond_the_busy_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "lobby.db"
    store = LobbyStore(db)
    store.check()
    store.conn.execute("PRAGMA busy_timeout = 0")  # every try that meets the lock fails at once
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    pauses: list[float] = []

    def pause(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 3:
            holder.execute("COMMIT")  # the other writer finishes while we wait

    monkeypatch.setattr(store_base, "_pause", pause)
    store.audit("test", None)
    assert len(pauses) == 3 and all(0 <= p < 1 for p in pauses)
    assert store.audit_entries(1)[0]["action"] == "test"


def test_a_writer_that_never_finishes_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "lobby.db"
    store = LobbyStore(db)
    store.check()
    store.conn.execute("PRAGMA busy_timeout = 0")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(store_base, "WRITE_PATIENCE_S", 0.0)
    with pytest.raises(StoreError) as caught:
        store.audit("test", None)
    assert caught.value.key == "db.locked"
    assert "busy in another program" in caught.value.message("en") and "占用" in caught.value.message("zh")
    holder.execute("ROLLBACK")


# ---------------------------------------------------------------- read-only, full, damaged


@pytest.fixture
def in_process(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, str, str]]:
    from lobby_tui.cli import main

    for var in [v for v in os.environ if v.startswith("LOBBY_TUI_")]:
        monkeypatch.delenv(var)

    def call(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([*args, "--lang", "en"])
        out, err = capsys.readouterr()
        return code, out, err

    return call


def _connect_with(monkeypatch: pytest.MonkeyPatch, setup: Callable[[str], sqlite3.Connection]) -> None:
    monkeypatch.setattr(database, "_connect", setup)


def _seeded(tmp_path: Path) -> tuple[Path, Path, int]:
    """A database holding a few imported customers, and a CSV of more."""
    db = tmp_path / "lobby.db"
    first = customers_csv(tmp_path / "first.csv", 50)
    assert cli("import-customers", "--db", str(db), str(first)).returncode == 0
    return db, customers_csv(tmp_path / "more.csv", 12_000), 50


@pytest.mark.parametrize("how", ["uri mode=ro", "query_only"])
def test_a_read_only_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_process, how: str) -> None:
    db, more, have = _seeded(tmp_path)
    plain = database._connect

    def read_only(path: str) -> sqlite3.Connection:
        if how == "query_only":
            conn = plain(path)
            conn.execute("PRAGMA query_only = 1")
            return conn
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        conn.row_factory = sqlite3.Row
        return conn

    _connect_with(monkeypatch, read_only)
    code, out, err = in_process("import-customers", "--db", str(db), str(more))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "read-only" in err
    assert "Traceback" not in err
    code, out, err = in_process("lookup", "--db", str(db), "--phone", "13900000049", "--json")
    assert code == 0 and '"name": "客**9"' in out  # reading still works
    monkeypatch.undo()
    assert LobbyStore(db).customer_count() == have and integrity(db) == "ok"


def test_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_process) -> None:
    db, more, have = _seeded(tmp_path)
    plain = database._connect
    pages = count(db, "PRAGMA page_count")

    def small_disk(path: str) -> sqlite3.Connection:
        conn = plain(path)
        conn.execute(f"PRAGMA max_page_count = {pages + 1200}")  # room for a chunk or two of 5,000, not all
        return conn

    _connect_with(monkeypatch, small_disk)
    code, out, err = in_process("import-customers", "--db", str(db), str(more))
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "disk is full" in err and "already saved is safe" in err and "Traceback" not in err
    monkeypatch.undo()
    store = LobbyStore(db)
    kept = store.customer_count()
    assert have < kept < 12_000 and kept % 5_000 == 0 and integrity(db) == "ok"  # whole chunks, then full
    assert store.lookup(phone="13900000049")[0].name == "客户49"
    assert cli("import-customers", "--db", str(db), str(more)).returncode == 0  # room again: it completes
    assert store.customer_count() == 12_000


def test_a_full_disk_while_confirming_a_visit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from decimal import Decimal

    from lobby_tui.domain.guidance import recommend
    from lobby_tui.domain.tiers import classify

    db = tmp_path / "lobby.db"
    store = LobbyStore(db)
    result = classify(Decimal(1000))
    rec = recommend(result.tier, "transfer")
    kept = store.start_visit(reason="transfer", shift_id=None, staff_id=None)
    store.confirm_visit(kept, classification=result, recommendation=rec, destination=rec.destination)
    pages = store.query("PRAGMA page_count")[0][0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError) as caught:
        for _ in range(500):  # until the pages there are fill up
            store.start_visit(reason="transfer", shift_id=None, staff_id=None, notes="x" * 500)
    assert caught.value.key == "db.full"
    store.close()
    again = LobbyStore(db)
    assert again.get_visit(kept).outcome == "waiting" and integrity(db) == "ok"


def _damage(db: Path) -> bytes:
    """Overwrite everything after the first page (the header and schema stay readable)."""
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    rng = random.Random(5)
    for i in range(page, len(data)):
        data[i] = rng.randrange(256)
    db.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize(
    "args",
    [
        ["lookup", "--name", "客户"],
        ["summary", "--date", "2026-11-18", "--json"],
        ["import-customers", "{csv}"],
        ["import-visits", "{jsonl}"],
    ],
)
def test_a_damaged_database(tmp_path: Path, args: list[str]) -> None:
    db, more, _ = _seeded(tmp_path)
    store = LobbyStore(db)
    store.check()
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    before = _damage(db)
    jsonl = tmp_path / "v.jsonl"
    jsonl.write_text("")
    full = [a.format(csv=more, jsonl=jsonl) for a in args]
    result = cli(*full, "--db", str(db), "--lang", "en")
    assert result.returncode == 1, result
    assert len(result.stderr.strip().splitlines()) == 1 and "damaged" in result.stderr
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == before  # nothing written to it


def test_a_truncated_database(tmp_path: Path) -> None:
    db, _, _ = _seeded(tmp_path)
    LobbyStore(db).close()
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    result = cli("lookup", "--db", str(db), "--name", "客户", "--lang", "zh")
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "已损坏" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- PIN lockout across processes


def _guess_pins(db: str, start: object, tries: int, out: object) -> None:
    """One browser tab (a process of its own) guessing PINs as fast as it can, from the barrier on."""
    store = LobbyStore(db)
    store.check()
    start.wait()  # type: ignore[attr-defined]
    keys = []
    for k in range(tries):
        try:
            store.sign_in("1001", f"{k:06d}")
            keys.append("in")
        except InputError as exc:
            keys.append(exc.key)
    out.put(keys)  # type: ignore[attr-defined]


def test_five_wrong_pins_lock_the_account_however_many_processes_try_at_once(tmp_path: Path) -> None:
    import multiprocessing

    db = tmp_path / "lobby.db"
    store = LobbyStore(db)
    store.add_staff("1001", "王芳", "lobby_manager", "24681357")
    store.close()
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Barrier(8), ctx.Queue()
    tabs = [ctx.Process(target=_guess_pins, args=(str(db), start, 3, out)) for _ in range(8)]
    for tab in tabs:
        tab.start()
    answers = [key for _ in tabs for key in out.get(timeout=120)]
    for tab in tabs:
        tab.join(timeout=30)
    assert len(answers) == 24 and "in" not in answers
    store = LobbyStore(db)
    checked = [e for e in store.audit_entries(200) if e["action"] == "signin_failed" and '"pin"' in e["detail"]]
    assert len(checked) == 5  # five PINs checked against the hash, however many tabs: then locked
    assert set(answers) <= {"signin.bad_pin", "signin.locked"} and answers.count("signin.locked") >= 19
    assert store.get_staff("1001").locked and store.get_staff("1001").failed_pins == 5
    assert [e["action"] for e in store.audit_entries(200)].count("account_locked") == 1
    assert store.verify_audit() is None
    with pytest.raises(InputError) as info:  # the right PIN no longer helps
        store.sign_in("1001", "24681357")
    assert info.value.key == "signin.locked"


def test_a_read_on_a_full_disk_says_the_disk_is_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite reports a read that cannot grow the WAL index on a full disk as "disk I/O error"; the
    message says what it is: the disk is full. With room on the disk it stays a disk error."""
    from collections import namedtuple

    db = tmp_path / "lobby.db"
    LobbyStore(db).check()
    usage = namedtuple("usage", "total used free")
    error = sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(database.shutil, "disk_usage", lambda _: usage(10**9, 10**9, 0))
    full = database.translate_error(error, db)
    assert full.key == "db.full" and "disk is full" in full.message("en")
    monkeypatch.setattr(database.shutil, "disk_usage", lambda _: usage(10**9, 10**6, 10**9 - 10**6))
    assert database.translate_error(error, db).key != "db.full"
