"""Shared fixtures. Keep each one small and clearly named: other test modules add theirs here too."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from lobby_tui.store import LobbyStore

# Never the developer's settings or log: the config folders (site, user) and the log folder that
# platformdirs finds are empty ones of this run's own (subprocesses inherit them), and no
# $LOBBY_TUI_CONFIG. A test that wants an override sets LOBBY_TUI_CONFIG itself.
_HOME = Path(tempfile.mkdtemp(prefix="lobby-tui-tests-"))
os.environ.update(
    XDG_CONFIG_HOME=str(_HOME / "config"), XDG_CONFIG_DIRS=str(_HOME / "site"), XDG_STATE_HOME=str(_HOME / "state")
)
os.environ.pop("LOBBY_TUI_CONFIG", None)

BEIJING = timezone(timedelta(hours=8))
FIXED_NOW = datetime(2026, 11, 18, 10, 30, tzinfo=BEIJING)


@pytest.fixture
def fixed_clock() -> Callable[[], datetime]:
    """A clock stuck at 2026-11-18 10:30 Beijing time (a Wednesday morning in the lobby)."""
    return lambda: FIXED_NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database file lives (created on first use)."""
    return tmp_path / "lobby.db"


@pytest.fixture
def store(db_path: Path, fixed_clock: Callable[[], datetime]) -> Iterator[LobbyStore]:
    """A LobbyStore on a fresh file in tmp_path with the fixed clock; closed afterwards."""
    s = LobbyStore(db_path, clock=fixed_clock)
    s.check()
    yield s
    s.close()
