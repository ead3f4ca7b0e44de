"""hq summary / hq trends (the branch's figures, counted in SQL) and hq verify (every branch's chain)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import psycopg
import pytest

from lobby_tui.cli import main
from tests.hq.conftest import copy_branch

pytestmark = pytest.mark.xdist_group("postgres")


def demo_days(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT DISTINCT day FROM visits ORDER BY day")]
    finally:
        conn.close()


def run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> object:
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def two_branches(branch_db: Path, second_template: Path, hq_dsn: str, tmp_path: Path) -> dict[str, Path]:
    other = copy_branch(second_template, tmp_path / "b2" / "branch.db")
    branches = {"B01": branch_db, "B02": other}
    for code, db in branches.items():
        assert main(["sync", "--to", hq_dsn, "--db", str(db), "--branch", code]) == 0
    return branches


def test_hq_summary_equals_each_branch_summary(
    two_branches: dict[str, Path], hq_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    days = sorted(set(demo_days(two_branches["B01"])) | set(demo_days(two_branches["B02"])))
    assert len(days) >= 2
    for day in days:
        everyone = run_json(["hq", "summary", "--dsn", hq_dsn, "--date", day, "--json"], capsys)
        assert isinstance(everyone, dict)
        assert set(everyone["branches"]) == {"B01", "B02"}
        for code, db in two_branches.items():
            own = run_json(["summary", "--db", str(db), "--date", day, "--json"], capsys)
            assert everyone["branches"][code] == own
            alone = run_json(["hq", "summary", "--dsn", hq_dsn, "--date", day, "--branch", code, "--json"], capsys)
            assert isinstance(alone, dict)
            assert alone.pop("branches") == {code: own}
            assert alone == own
        keys = [k for k in everyone if k != "branches"]
        assert keys == list(own)  # the same keys, in the same order
        parts = everyone["branches"].values()
        assert everyone["visits"] == sum(p["visits"] for p in parts)
        assert everyone["by_tier"] == {t: sum(p["by_tier"][t] for p in parts) for t in everyone["by_tier"]}


def test_hq_trends_day_by_day(two_branches: dict[str, Path], hq_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    days = demo_days(two_branches["B01"])
    trend = run_json(["hq", "trends", "--dsn", hq_dsn, "--from", days[0], "--to", days[-1], "--json"], capsys)
    assert isinstance(trend, list) and [d["date"] for d in trend] == days
    for entry in trend:
        summary = run_json(["hq", "summary", "--dsn", hq_dsn, "--date", entry["date"], "--json"], capsys)
        assert entry == summary
    assert main(["hq", "trends", "--dsn", hq_dsn, "--from", days[0], "--to", days[-1]]) == 0
    assert days[0] in capsys.readouterr().out
    assert main(["hq", "trends", "--dsn", hq_dsn, "--from", days[-1], "--to", "2000-01-01"]) == 2
    assert "is after the last day" in capsys.readouterr().err


def test_hq_summary_table(two_branches: dict[str, Path], hq_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    day = demo_days(two_branches["B01"])[-1]
    assert main(["--lang", "zh", "hq", "summary", "--dsn", hq_dsn, "--date", day]) == 0
    out = capsys.readouterr().out
    assert "全部网点" in out and "B01" in out and "B02" in out


def test_hq_verify_names_the_first_broken_entry(
    two_branches: dict[str, Path], hq_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["hq", "verify", "--dsn", hq_dsn]) == 0
    out = capsys.readouterr().out
    assert "Branch B01: the audit chain is intact" in out and "Branch B02: the audit chain is intact" in out
    with psycopg.connect(hq_dsn) as conn:
        conn.execute("UPDATE audit SET staff_id = 'forged' WHERE branch = 'B02' AND seq = 5")
        conn.execute("UPDATE audit SET detail = detail || ' ' WHERE branch = 'B02' AND seq = 9")
    assert main(["hq", "verify", "--dsn", hq_dsn]) == 1
    captured = capsys.readouterr()
    assert "Branch B01: the audit chain is intact" in captured.out
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Branch B02: the audit chain breaks at entry 5 (")
    assert "changed after it was written" in lines[0]
    assert main(["hq", "verify", "--dsn", hq_dsn, "--branch", "B01"]) == 0
    with psycopg.connect(hq_dsn) as conn:
        conn.execute("DELETE FROM audit WHERE branch = 'B01' AND seq = 3")
    assert main(["hq", "verify", "--dsn", hq_dsn, "--branch", "B01"]) == 1
    assert "breaks at entry 3: head office does not have it" in capsys.readouterr().err
    assert main(["hq", "verify", "--dsn", hq_dsn, "--branch", "B99"]) == 1
    assert "no audit entries of branch B99" in capsys.readouterr().err


def test_counts_follow_changes_and_an_older_head_office_is_migrated(
    branch_db: Path, hq_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """visit_counts follow a visit's outcome changed after a sync; and a head office at schema version 1
    (before visit_counts) is migrated by hq init, its counts filled from the visits already there."""
    from lobby_tui.domain.rules import REASON_CODES
    from lobby_tui.store import LobbyStore

    assert main(["sync", "--to", hq_dsn, "--db", str(branch_db), "--branch", "B01"]) == 0
    store = LobbyStore(branch_db)
    visit_id = store.start_visit(reason=REASON_CODES[0], shift_id=None, staff_id=None)
    day = store.get_visit(visit_id).day
    assert main(["sync", "--to", hq_dsn, "--db", str(branch_db)]) == 0
    store.set_outcome(visit_id, "cancelled")  # cancelled visits do not count
    store.close()
    assert main(["sync", "--to", hq_dsn, "--db", str(branch_db)]) == 0
    own = run_json(["summary", "--db", str(branch_db), "--date", day, "--json"], capsys)
    at_hq = run_json(["hq", "summary", "--dsn", hq_dsn, "--date", day, "--json"], capsys)
    assert isinstance(at_hq, dict) and at_hq["branches"]["B01"] == own
    with psycopg.connect(hq_dsn) as conn:
        conn.execute("DROP TABLE visit_counts")
        conn.execute("UPDATE hq_meta SET value = '1' WHERE key = 'schema_version'")
    assert main(["hq", "summary", "--dsn", hq_dsn, "--date", day]) == 1
    assert "older than" in capsys.readouterr().err
    assert main(["hq", "init", "--dsn", hq_dsn]) == 0
    assert "migrated from schema version 1" in capsys.readouterr().out
    for d in demo_days(branch_db):
        own = run_json(["summary", "--db", str(branch_db), "--date", d, "--json"], capsys)
        at_hq = run_json(["hq", "summary", "--dsn", hq_dsn, "--date", d, "--branch", "B01", "--json"], capsys)
        assert isinstance(at_hq, dict) and at_hq["branches"]["B01"] == own
