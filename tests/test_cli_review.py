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


@pytest.mark.parametrize(
    ("args", "zh"),
    [
        (["frob"], "参数 COMMAND：无效的选择：'frob'（可选：'demo'、"),
        (["export", "--bogus"], "缺少必需的参数：--format"),
        (["export", "--format", "csv", "--bogus"], "无法识别的参数：--bogus"),
        (["export", "--format", "xyz"], "参数 --format：无效的选择：'xyz'（可选：'csv'、'jsonl'、'xlsx'、'html'）"),
        (["tier", "--assets"], "参数 --assets：需要一个值"),
        (["sync", "--batch", "x"], "参数 --batch：应为整数：'x'"),
        (["hq"], "请说明要做什么"),
        (["audit"], "请说明要做什么"),
        (["export", "--format", "csv"], "须给出 --date，或 --from 加 --to"),
        (["export", "--format", "csv", "--date", "2026-01-01", "--from", "2026-01-01"], "不要同时使用"),
    ],
)
def test_usage_errors_are_in_chinese_for_a_chinese_user(args, zh):
    done = run(*args, env={"LOBBY_TUI_LANG": "zh"})
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert zh in done.stderr, done.stderr
    for english in ("argument", "invalid choice", "required", "unrecognized", "expected", "say what", "whole number"):
        assert english not in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_usage_errors_stay_english_for_an_english_user():
    done = run("export", "--format", "xyz", env={"LOBBY_TUI_LANG": "en"})
    assert done.returncode == 2
    assert "argument --format: invalid choice: 'xyz' (choose from 'csv', 'jsonl', 'xlsx', 'html')" in done.stderr


@pytest.mark.parametrize(
    ("args", "option"), [(["sync"], "--to"), (["hq", "summary"], "--dsn"), (["hq", "init"], "--dsn")]
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_head_office_address_is_bad_usage_naming_the_commands_option(demo_db, args, option, lang):
    done = run(*args, "--db", str(demo_db), env={"LOBBY_TUI_LANG": lang})
    assert done.returncode == 2, done.stderr  # README: 2 for bad arguments
    assert f"{option} postgresql://" in done.stderr and "LOBBY_TUI_HQ_DSN" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
