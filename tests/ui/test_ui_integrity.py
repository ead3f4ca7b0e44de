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


async def test_a_damaged_directory_is_found_when_the_shift_opens(tmp_path: Path) -> None:
    import random
    import sqlite3

    from lobby_tui.store.backup import backup_database
    from lobby_tui.store.demo import generate_demo

    db = tmp_path / "lobby.db"
    store = LobbyStore(db, clock=lambda: UI_NOW, device_id="tablet-test")
    store.add_staff("1001", "王丽", "lobby_manager", "246810")
    generate_demo(store, customers=3000, days=0, seed=1)
    backup = tmp_path / "usb" / "friday.db"
    backup_database(store, backup)
    store.close()
    conn = sqlite3.connect(db)
    pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = 'customers' ORDER BY pageno")]
    conn.close()
    rng = random.Random(14)
    with open(db, "r+b") as handle:  # 64 KiB of random bytes over the directory's pages
        for page in pages[1:17]:
            handle.seek((page - 1) * 4096)
            handle.write(rng.randbytes(4096))
    before = db.read_bytes()
    app = LobbyApp(LobbyStore(db, clock=lambda: UI_NOW, device_id="tablet-test"), lang="en", idle_lock_seconds=180)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"1001", "enter", *"246810", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen) and not app.screen.unexpected
        text = message(app)
        assert "damaged" in text and "friday.db" in text and "lobby-tui restore" in text
    wal = Path(str(db) + "-wal")
    assert db.read_bytes() == before and (not wal.exists() or wal.stat().st_size == 0)  # the sign-in wrote nothing
