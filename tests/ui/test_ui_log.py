"""The log (issue 12): after a full flow (import, sign-in, a customer found by phone and guided, a
fault, sign-out, an export) it holds start, sign-ins, the error's traceback, the import's and the
export's counts, and never a customer's name, phone, ID or card number."""

from __future__ import annotations

from pathlib import Path

import pytest

from lobby_tui.cli import main
from lobby_tui.store import LobbyStore
from lobby_tui.ui.app import LobbyApp
from lobby_tui.ui.screens.board import BoardScreen
from lobby_tui.ui.screens.error import ErrorScreen
from lobby_tui.ui.screens.guidance import GuidanceScreen

from .conftest import CUSTOMERS, MANAGER, UI_NOW, id_number
from .typing import burst, settle

IMPORTED = [("欧阳娜娜", "13611112222", id_number("19800101", "237"), "6222021234567890123")]


async def test_the_log_after_a_full_flow_names_no_customer(
    ui_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli_staff: tuple[str, str]
) -> None:
    log = tmp_path / "lobby-tui.log"
    crm = tmp_path / "crm.csv"
    crm.write_text(
        "姓名,手机号,证件号码,卡号,金融资产\n" + "".join(f"{n},{p},{i},{c},30万\n" for n, p, i, c in IMPORTED),
        encoding="utf-8",
    )
    assert main(["import-customers", "--db", str(ui_db), str(crm)]) == 0
    known = next(c for c in CUSTOMERS if c.phone.startswith("139"))

    def broken(self: GuidanceScreen) -> None:  # a fault whose message carries a phone number
        raise RuntimeError(f"a planted fault while serving {known.phone}")

    app = LobbyApp(LobbyStore(ui_db, clock=lambda: UI_NOW, device_id="tablet-test"), idle_lock_seconds=180)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, *MANAGER[0], "enter", *MANAGER[2], "enter", "n", "1", *known.phone, "enter")
        assert isinstance(app.screen, GuidanceScreen)
        monkeypatch.setattr(GuidanceScreen, "action_details", broken)
        await burst(pilot, "e")
        assert isinstance(app.screen, ErrorScreen)
        assert str(log) in str(app.screen.query_one("#error-log").render())  # the screen says where the log is
        await burst(pilot, "r", "enter")
        assert isinstance(app.screen, BoardScreen)
        app.sign_out()
        await settle(pilot)
    out = tmp_path / "week.csv"
    assert (
        main(["export", "--db", str(ui_db), "--date", UI_NOW.date().isoformat(), "--format", "csv", "-o", str(out)])
        == 0
    )
    assert known.phone in "".join(c.phone for c in CUSTOMERS) and out.stat().st_size > 0

    text = log.read_text(encoding="utf-8")
    for expected in (
        "import.customers imported=1",
        f"sign_in staff={MANAGER[0]} role=lobby_manager",
        f"sign_out staff={MANAGER[0]}",
        "Traceback",
        "a planted fault while serving ###########",
        "export via=cli format=csv",
        "visits=1",
    ):
        assert expected in text, expected
    secrets = [MANAGER[2]]  # the PIN, too
    for c in CUSTOMERS:
        secrets += [c.name, c.phone, c.phone[-8:]] + ([c.id_number] if c.id_number else [])
    for name, phone, number, card in IMPORTED:
        secrets += [name, phone, number, card, card[-8:]]
    leaked = [s for s in secrets if s in text]
    assert not leaked, leaked
