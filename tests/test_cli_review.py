"""Command-line faults found in review: a closed pipe, argparse's own lines, config check, write errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lobby_tui.store import LobbyStore

DEMO_STAFF = {"LOBBY_TUI_STAFF": "9001", "LOBBY_TUI_PIN": "135790"}


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOBBY_TUI_")}
    env.update(extra or {})
    return env


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lobby_tui", *args], capture_output=True, text=True, env=_env(env), timeout=120
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    done = run("demo", "--db", str(db), "--customers", "200", "--days", "3")
    assert done.returncode == 0, done.stderr
    return db


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_into_a_closed_pipe_exits_quietly(demo_db, fmt):
    """`lobby-tui export … | head`: the reader goes away; no traceback, no 'Cannot write None'."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the first write: every write is EPIPE
    try:
        done = subprocess.run(
            [sys.executable, "-m", "lobby_tui", "export", "--db", str(demo_db)]
            + ["--from", "2000-01-01", "--to", "2100-01-01", "--format", fmt],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(DEMO_STAFF),
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr
    store = LobbyStore(demo_db)
    newest = store.audit_entries(5)
    store.close()
    assert any(e["action"] == "export" and "cut_short" in str(e.get("detail")) for e in newest), newest
