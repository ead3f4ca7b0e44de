"""lobby-tui sync and hq init on a real PostgreSQL server: idempotent, resumable after kill -9 and a
server restart, several branches at once, and nothing of the customer directory at head office."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from lobby_tui.cli import main
from lobby_tui.hq.schema import HQ_SCHEMA_VERSION
from lobby_tui.hq.sync import STALL_ENV, Syncer
from lobby_tui.hq.tables import SYNC_TABLES
from lobby_tui.store import LobbyStore
from tests.hq.conftest import copy_branch, lobby
from tests.hq.pg import Cluster

pytestmark = pytest.mark.xdist_group("postgres")

TABLES = [t.name for t in SYNC_TABLES]


def branch_counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def hq_counts(dsn: str, branch: str) -> dict[str, int]:
    with psycopg.connect(dsn) as conn:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t} WHERE branch = %s", (branch,)).fetchone()[0]  # type: ignore[index]
            for t in TABLES
        }


def hq_digest(dsn: str) -> dict[str, str]:
    """Each head-office table's content, as one digest (order-independent)."""
    with psycopg.connect(dsn) as conn:
        out = {}
        for t in TABLES:
            row = conn.execute(f"SELECT count(*), md5(string_agg(x::text, ',' ORDER BY x::text)) FROM {t} x").fetchone()
            out[t] = f"{row[0]}:{row[1]}"  # type: ignore[index]
        return out


def marks(db: Path) -> dict[str, tuple[int, int | None]]:
    conn = sqlite3.connect(db)
    try:
        return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT tbl, mark, scan FROM sync_marks")}
    finally:
        conn.close()


def sync(db: Path, dsn: str, branch: str = "B01", *extra: str) -> int:
    return main(["sync", "--to", dsn, "--db", str(db), "--branch", branch, *extra])


def test_sync_twice_changes_nothing(branch_db: Path, hq_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert sync(branch_db, hq_dsn) == 0
    first = capsys.readouterr().out
    assert hq_counts(hq_dsn, "B01") == branch_counts(branch_db)
    assert "visits 0 rows" not in first
    before = hq_digest(hq_dsn)
    assert sync(branch_db, hq_dsn, "B01", "--batch", "7") == 0
    out = capsys.readouterr().out
    assert (
        "visits 0 rows, shifts 0 rows, leads 0 rows, appointments 0 rows, feedback 0 rows, shift_log 0 rows, audit 0 rows"
        in out
    )
    assert hq_digest(hq_dsn) == before
    assert all(scan is None for _, scan in marks(branch_db).values())


def test_changes_after_a_sync_go_as_updates(branch_db: Path, hq_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    """An outcome set after the first sync reaches head office as an update of the same row; the
    outbox entries head office has taken are pruned."""
    assert sync(branch_db, hq_dsn) == 0
    from lobby_tui.domain.rules import REASON_CODES

    store = LobbyStore(branch_db)
    visit_id = store.start_visit(reason=REASON_CODES[0], shift_id=None, staff_id=None)
    capsys.readouterr()
    assert sync(branch_db, hq_dsn) == 0
    assert "visits 1 row," in capsys.readouterr().out
    store.set_outcome(visit_id, "left")
    store.close()
    assert sync(branch_db, hq_dsn) == 0
    out = capsys.readouterr().out
    assert "visits 1 row," in out and "audit 1 row" in out  # the change's own entry (its row chained)
    with psycopg.connect(hq_dsn) as conn:
        rows = conn.execute("SELECT outcome, count(*) OVER () FROM visits WHERE id = %s", (visit_id,)).fetchall()
    assert rows == [("left", 1)]
    assert hq_counts(hq_dsn, "B01") == branch_counts(branch_db)
    conn2 = sqlite3.connect(branch_db)
    assert conn2.execute("SELECT count(*) FROM sync_outbox").fetchone()[0] == 0
    conn2.close()


@pytest.mark.parametrize("point", ["copied", "committed"])
def test_kill_9_mid_sync_then_again(branch_db: Path, hq_dsn: str, tmp_path: Path, point: str) -> None:
    """Killed inside head office's transaction (copied, not committed) or between head office's commit
    and the branch's mark: the next run ends with every row there exactly once."""
    flag = tmp_path / "stalled"
    proc = subprocess.Popen(
        [sys.executable, "-m", "lobby_tui", "sync", "--to", hq_dsn, "--db", str(branch_db), "--branch", "B01"]
        + ["--batch", "40"],
        env={**os.environ, STALL_ENV: f"{point}:4:{flag}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not flag.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # waiting for the child to reach the point, not pacing the test
    assert flag.exists(), proc.stderr.read() if proc.stderr else ""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    at_hq = hq_counts(hq_dsn, "B01")
    assert at_hq["visits"] == (160 if point == "committed" else 120)  # batches of 40: 4 or 3 committed
    assert marks(branch_db)["visits"][1] == 120  # the mark says 3 batches either way
    result = lobby("sync", "--to", hq_dsn, "--db", str(branch_db), "--batch", "40")
    assert result.returncode == 0, result.stderr
    assert hq_counts(hq_dsn, "B01") == branch_counts(branch_db)
    with psycopg.connect(hq_dsn) as conn:
        dupes = conn.execute("SELECT count(*) - count(DISTINCT id) FROM visits").fetchone()
    assert dupes == (0,)


def test_server_restart_mid_sync(pg: Cluster, branch_db: Path, hq_dsn: str) -> None:
    """PostgreSQL restarts between two batches: the sync says so, reconnects and finishes."""
    said: list[tuple[str, dict[str, object]]] = []

    def restart_once(table: str, batch: int) -> None:
        if batch == 2:
            pg.restart()

    store = LobbyStore(branch_db)
    syncer = Syncer(
        store, hq_dsn, "B01", batch=50, pause=0.05, notify=lambda k, p: said.append((k, p)), on_batch=restart_once
    )
    result = syncer.run()
    store.close()
    assert result.retries >= 1
    assert said and said[0][0] == "hq.retrying"
    from lobby_tui.i18n import tr

    line = tr(said[0][0], "en", **said[0][1])
    assert line.startswith("Lost the connection to head office (") and "trying again in" in line
    assert hq_counts(hq_dsn, "B01") == branch_counts(branch_db)


def test_two_branches_sync_at_once(branch_db: Path, second_template: Path, hq_dsn: str, tmp_path: Path) -> None:
    other = copy_branch(second_template, tmp_path / "other" / "branch.db")
    argv = [sys.executable, "-m", "lobby_tui", "sync", "--to", hq_dsn, "--batch", "25"]
    procs = [
        subprocess.Popen([*argv, "--db", str(db), "--branch", code], stderr=subprocess.PIPE, text=True)
        for db, code in ((branch_db, "B01"), (other, "B02"))
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    assert hq_counts(hq_dsn, "B01") == branch_counts(branch_db)
    assert hq_counts(hq_dsn, "B02") == branch_counts(other)
    # A branch code belongs to one branch file.
    result = lobby("sync", "--to", hq_dsn, "--db", str(other), "--branch", "B01")
    assert result.returncode == 1
    assert "belongs to another branch file" in result.stderr or "cannot change" in result.stderr


def test_visits_are_partitioned_by_month(branch_db: Path, hq_dsn: str) -> None:
    assert sync(branch_db, hq_dsn) == 0
    with psycopg.connect(hq_dsn) as conn:
        kind = conn.execute("SELECT relkind FROM pg_class WHERE relname = 'visits'").fetchone()
        parts = conn.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'visits'::regclass ORDER BY 1"
        ).fetchall()
        months = conn.execute('SELECT DISTINCT to_char(day, \'"visits_y"YYYY"m"MM\') FROM visits ORDER BY 1').fetchall()
    assert kind == ("p",)
    assert parts == months and parts


def test_no_customer_detail_leaves_the_branch(branch_db: Path, hq_dsn: str) -> None:
    assert sync(branch_db, hq_dsn) == 0
    conn = sqlite3.connect(branch_db)
    people = conn.execute(
        "SELECT name, phone_hash, phone_last4, id_hash, card_hash FROM customers WHERE phone_hash IS NOT NULL LIMIT 20"
    ).fetchall()
    conn.close()
    assert people
    with psycopg.connect(hq_dsn) as pg_conn:
        tables = [r[0] for r in pg_conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        assert not any("customer" in t for t in tables)
        columns = {
            r[0]
            for r in pg_conn.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'")
        }
        assert not columns & {"name", "phone_hash", "phone_last4", "id_hash", "card_hash", "notes", "pin_hash"}
        for t in TABLES:
            text = pg_conn.execute(f"SELECT coalesce(string_agg(x::text, ' '), '') FROM {t} x").fetchone()[0]  # type: ignore[index]
            for name, phone_hash, _, id_hash, _ in people:
                assert name not in text
                assert phone_hash not in text and (id_hash is None or id_hash not in text)


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """main(argv) in this process: its exit status and what it wrote to stderr."""
    capsys.readouterr()
    status = main(argv)
    return status, capsys.readouterr().err


def test_hq_init_versions(pg: Cluster, branch_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A new head office starts at the newest version; init again changes nothing; a newer schema is refused by
    init and by sync, and sync to an uninitialised database says to run hq init."""
    dsn = pg.new_database()
    status, err = run_cli(["sync", "--to", dsn, "--db", str(branch_db)], capsys)
    assert status == 1 and "hq init" in err and len(err.splitlines()) == 1
    assert main(["hq", "init", "--dsn", dsn]) == 0
    assert main(["hq", "init", "--dsn", dsn]) == 0
    assert f"is up to date (schema version {HQ_SCHEMA_VERSION})" in capsys.readouterr().out
    with psycopg.connect(dsn) as conn:
        conn.execute("UPDATE hq_meta SET value = '99' WHERE key = 'schema_version'")
    for argv in (["hq", "init", "--dsn", dsn], ["sync", "--to", dsn, "--db", str(branch_db)]):
        status, err = run_cli(argv, capsys)
        assert status == 1
        assert f"schema version 99, newer than this lobby-tui knows ({HQ_SCHEMA_VERSION})" in err
        assert len(err.strip().splitlines()) == 1
    assert marks(branch_db) == {}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("password", "refused the user name or password"),
        ("port", "Cannot reach head office"),
        ("scheme", "Not a PostgreSQL database address"),
        ("database", "has no such database"),
    ],
)
def test_bad_head_office_is_one_line_and_marks_nothing(
    pg: Cluster, branch_db: Path, kind: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.hq.pg import free_port

    dsn = {
        "password": pg.dsn(password="wrong"),
        "port": f"postgresql://hq:x@127.0.0.1:{free_port()}/postgres",
        "scheme": "mysql://hq@127.0.0.1/lobby",
        "database": pg.dsn("no_such_db"),
    }[kind]
    status, err = run_cli(["sync", "--to", dsn, "--db", str(branch_db)], capsys)
    assert status == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and "Traceback" not in err
    assert "wrong" not in lines[0]  # never the password
    assert marks(branch_db) == {}
    status, err = run_cli(["hq", "summary", "--dsn", dsn], capsys)
    assert status == 1 and expected in err


def test_dsn_from_the_environment(
    branch_db: Path, hq_dsn: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOBBY_TUI_HQ_DSN", hq_dsn)
    assert main(["sync", "--db", str(branch_db)]) == 0
    default_code = LobbyStore(branch_db).meta("device_id")[:8]  # no --branch: the file's own id, shortened
    assert f"Branch {default_code} synced" in capsys.readouterr().out
    assert hq_counts(hq_dsn, default_code) == branch_counts(branch_db)
    monkeypatch.delenv("LOBBY_TUI_HQ_DSN")
    status, err = run_cli(["sync", "--db", str(branch_db)], capsys)
    assert status == 2 and "LOBBY_TUI_HQ_DSN" in err and "--to" in err  # bad usage, naming sync's option


def test_appointments_reach_head_office_as_uuids_and_count_the_same(
    branch_db: Path, hq_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 11: a day's appointments (arrived, late, no-show, cancelled) sync, a check-in later goes as
    an update, and hq summary's `appointments` equals the branch's; no name or phone at head office."""
    import json
    import uuid

    store = LobbyStore(branch_db)
    day = store.query("SELECT min(day) FROM visits")[0][0]
    people = [r[0] for r in store.query("SELECT id FROM customers LIMIT 5")]
    rows = [  # (status, late)
        ("arrived", 0),
        ("arrived", 1),
        ("no_show", 0),
        ("booked", 0),  # its day is over: a no-show in the figures too
        ("cancelled", 0),
    ]
    ids = []
    with store.write() as conn:
        for n, (status, late) in enumerate(rows):
            ids.append(str(uuid.uuid4()))
            conn.execute(
                "INSERT INTO appointments(id, device_id, customer_id, day, time, kind, reason, status, late, source, "
                "created_ts, updated_ts) VALUES (?, ?, ?, ?, ?, 'business', 'loans', ?, ?, 'import', ?, ?)",
                (ids[-1], store.device_id, people[n], day, f"1{n}:00", status, late, store.now(), store.now()),
            )
        store.chain_rows(conn, "appointments", ids)
    store.close()
    assert sync(branch_db, hq_dsn) == 0
    assert hq_counts(hq_dsn, "B01") == branch_counts(branch_db)
    capsys.readouterr()
    assert main(["summary", "--db", str(branch_db), "--date", day, "--json"]) == 0
    own = json.loads(capsys.readouterr().out)
    assert own["appointments"] == {"booked": 4, "arrived": 2, "late": 1, "no_show": 2}
    assert main(["hq", "summary", "--dsn", hq_dsn, "--date", day, "--branch", "B01", "--json"]) == 0
    at_hq = json.loads(capsys.readouterr().out)
    assert at_hq["appointments"] == own["appointments"]
    store = LobbyStore(branch_db)
    with store.write() as conn:  # marked at the end of the day: an update, not a second row
        conn.execute("UPDATE appointments SET status = 'no_show', updated_ts = ? WHERE id = ?", (store.now(), ids[3]))
        store.chain_row(conn, "appointments", ids[3])
    store.close()
    assert sync(branch_db, hq_dsn) == 0
    assert "appointments 1 row," in capsys.readouterr().out
    with psycopg.connect(hq_dsn) as conn:
        assert conn.execute("SELECT status FROM appointments WHERE id = %s", (ids[3],)).fetchall() == [("no_show",)]
        columns = {
            r[0]
            for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'appointments'"
            )
        }
    assert not columns & {"name", "phone", "phone_hash", "phone_masked", "phone_last4", "note", "notes"}


def test_ratings_reach_head_office_once_and_count_the_same(
    branch_db: Path, hq_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 11: the customers' ratings go to head office once each (append-only: a new one later is one
    row more), hq summary's `satisfaction` equals the branch's on every day, and nothing personal goes."""
    import json
    import uuid

    store = LobbyStore(branch_db)
    assert store.query("SELECT count(*) FROM feedback")[0][0] > 0  # the demo rates about a third of served visits
    assert sync(branch_db, hq_dsn) == 0
    assert hq_counts(hq_dsn, "B01") == branch_counts(branch_db)
    days = [r[0] for r in store.query("SELECT DISTINCT day FROM feedback ORDER BY day")]
    capsys.readouterr()
    for day in days:
        assert main(["summary", "--db", str(branch_db), "--date", day, "--json"]) == 0
        own = json.loads(capsys.readouterr().out)["satisfaction"]
        assert main(["hq", "summary", "--dsn", hq_dsn, "--date", day, "--branch", "B01", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["satisfaction"] == own
        assert own["responses"] > 0
    # one more rating, of a visit not yet rated: one row on the next sync, and the day's figures follow
    visit_id, day = store.query(
        "SELECT id, day FROM visits WHERE outcome = 'served' AND id NOT IN (SELECT visit_id FROM feedback) LIMIT 1"
    )[0]
    rating = str(uuid.uuid4())
    with store.write() as conn:
        conn.execute(
            "INSERT INTO feedback(id, device_id, visit_id, day, ts, score, scale, reason) "
            "VALUES (?, ?, ?, ?, ?, 1, 'five', NULL)",
            (rating, store.device_id, visit_id, day, f"{day}T12:00:00+08:00"),
        )
        store.chain_rows(conn, "feedback", [rating])
    store.close()
    assert sync(branch_db, hq_dsn) == 0
    assert "feedback 1 row," in capsys.readouterr().out
    assert main(["summary", "--db", str(branch_db), "--date", day, "--json"]) == 0
    own = json.loads(capsys.readouterr().out)["satisfaction"]
    assert main(["hq", "summary", "--dsn", hq_dsn, "--date", day, "--json"]) == 0
    everyone = json.loads(capsys.readouterr().out)
    assert everyone["branches"]["B01"]["satisfaction"] == own == everyone["satisfaction"]
    with psycopg.connect(hq_dsn) as conn:
        columns = {
            r[0]
            for r in conn.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'feedback'")
        }
    assert columns == {
        "branch",
        "id",
        "device_id",
        "visit_id",
        "day",
        "ts",
        "score",
        "scale",
        "reason",
        "staff_id",
        "shift_id",
    }
