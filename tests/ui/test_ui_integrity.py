"""Issue 14 (integrity) on screen: a foreign key file and a damaged database reach the error screen."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from lobby_tui.store import LobbyStore
from lobby_tui.ui.app import LobbyApp
from lobby_tui.ui.screens.error import ErrorScreen

from .conftest import UI_NOW, settle


def message(app: LobbyApp) -> str:
    return str(app.screen.query_one("#error-message").render())


async def test_a_key_file_of_another_database_gets_the_error_screen(ui_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    LobbyStore(other).add_customer(name="李四", phone="13900000001", assets=Decimal(1000))
    shutil.copy(str(other) + ".key", str(ui_db) + ".key")
    before = ui_db.read_bytes()
    app = LobbyApp(LobbyStore(ui_db, clock=lambda: UI_NOW, device_id="tablet-test"), idle_lock_seconds=180)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen) and not app.screen.unexpected
        assert "does not belong" in message(app)
    assert ui_db.read_bytes() == before
