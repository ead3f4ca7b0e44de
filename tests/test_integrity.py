"""Issue 14 (integrity): verify exact on a live database, the key's check value, backup and restore,
quick_check, owner-only files, and business rows in the hash chain."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
