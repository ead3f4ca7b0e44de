"""The PostgreSQL server for the head-office tests: one throwaway cluster per test session (in the one
xdist worker that runs the `postgres` group), a fresh database per test.

Outside CI, a machine without PostgreSQL's server says so loudly and these tests do not run; in CI
(CI=true) that is a failure, never a skip: `make test` installs the server first
(scripts/ensure-postgres.sh)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hq.pg import Cluster

pytestmark = pytest.mark.xdist_group("postgres")


@pytest.fixture(scope="session")
def pg() -> Iterator[Cluster]:
    try:
        cluster = Cluster()
        cluster.start()
    except Exception as exc:
        message = f"PostgreSQL could not start, so the head-office tests did NOT run: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message)
        print(f"\n*** {message} ***\n", file=sys.stderr)
        pytest.skip(message)
    yield cluster
    cluster.stop()


@pytest.fixture
def hq_dsn(pg: Cluster) -> str:
    """A fresh head-office database, initialised (`lobby-tui hq init`)."""
    from lobby_tui.cli import main

    dsn = pg.new_database()
    assert main(["hq", "init", "--dsn", dsn]) == 0
    return dsn


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo branch file (300 customers, 3 days), made once; tests copy it."""
    from lobby_tui.cli import main

    path = tmp_path_factory.mktemp("demo") / "branch.db"
    assert main(["demo", "--db", str(path), "--customers", "300", "--days", "3", "--seed", "7"]) == 0
    return path


def copy_branch(template: Path, dest: Path) -> Path:
    """The template's database with its key and anchor files (WAL checkpointed first)."""
    import sqlite3

    conn = sqlite3.connect(template)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    dest.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", ".key", ".anchor"):
        source = Path(str(template) + suffix)
        if source.exists():
            shutil.copy(source, str(dest) + suffix)
    return dest


@pytest.fixture(scope="session")
def second_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second branch's demo file (other customers, other ids)."""
    from lobby_tui.cli import main

    path = tmp_path_factory.mktemp("demo2") / "branch2.db"
    assert main(["demo", "--db", str(path), "--customers", "250", "--days", "3", "--seed", "11"]) == 0
    return path


@pytest.fixture
def branch_db(demo_template: Path, tmp_path: Path) -> Path:
    return copy_branch(demo_template, tmp_path / "branch.db")


def lobby(*argv: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """lobby-tui as a separate process (for kill -9 and concurrency)."""
    return subprocess.run(
        [sys.executable, "-m", "lobby_tui", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )
