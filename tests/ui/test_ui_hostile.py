"""Text that a person or a CRM file typed is shown as typed, never read as markup (issue 14, item 6).

One database seeded directly with markup-like strings in every free-text field and in the names, then
one app run per role walks the screens that show them, checking each shows literally; and the HTML
report of the same data."""

from __future__ import annotations

import html
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from lobby_tui.domain.guidance import recommend
from lobby_tui.domain.patrol import patrol_checklist
from lobby_tui.domain.tiers import classify
from lobby_tui.store import LobbyStore
from lobby_tui.ui.app import LobbyApp

from .conftest import UI_NOW, settle, until
from .test_ui_i18n import screen_text

MANAGER = ("1001", "Li [/]", "246810")
SUPERVISOR = ("9001", "Chen [b]", "135790")
CUSTOMER = "[@click=app.quit]"  # a Latin name: masked on screen as [****************, revealed with F6
HOSTILE = {
    "notes": "ATM [out of order]",
    "incident": "[link=https://evil.invalid]x[/link]",
    "handover": "hand [/] over",
    "patrol": "lamp [/b]",
    "question": "why [/]?",
    "answer": "so [dim]",
    "comment": "ok [/] ok",
    "override": "asked [u]",
    "correction": "[/i] fixed",
    "reason": "[red] typo",
}
SIZE = (200, 60)


def seed_hostile(path: Path) -> None:
    yesterday = LobbyStore(path, clock=lambda: UI_NOW - timedelta(days=1), device_id="tablet-test")
    yesterday.check()
    yesterday.add_staff(MANAGER[0], MANAGER[1], "lobby_manager", MANAGER[2])
    yesterday.add_staff(SUPERVISOR[0], SUPERVISOR[1], "supervisor", SUPERVISOR[2])
    customer = yesterday.add_customer(name=CUSTOMER, phone="13900000001", assets=Decimal(300000))
    yesterday.add_customer(name="[/]", phone="13900000002", assets=Decimal(1000))
    checklist = patrol_checklist()
    for store in (yesterday, LobbyStore(path, clock=lambda: UI_NOW, device_id="tablet-test")):
        shift = store.open_shift(MANAGER[0])
        result = classify(Decimal(300000))
        rec = recommend(result.tier, "transfer", potential_quality=result.potential_quality)
        visit = store.start_visit(reason="transfer", shift_id=shift.id, staff_id=MANAGER[0], notes=HOSTILE["notes"])
        other = (
            next(d for d in (rec.destination, *rec.alternatives) if d != rec.destination) if rec.alternatives else None
        )
        store.confirm_visit(
            visit,
            classification=result,
            recommendation=rec,
            destination=other or rec.destination,
            customer_id=customer.id,
            override_reason=HOSTILE["override"] if other else None,
        )
        store.set_outcome(visit, "served", staff_id=MANAGER[0])  # served: it stays with its shift when closed
        first = checklist.rounds[0]
        codes = [item.code for item in checklist.items]
        store.add_patrol(shift.id, MANAGER[0], first.code, {c: i > 0 for i, c in enumerate(codes)}, HOSTILE["patrol"])
        incident = store.add_incident(shift.id, MANAGER[0], checklist.incidents[0].code, HOSTILE["incident"])
        store.set_handover(shift.id, MANAGER[0], HOSTILE["handover"])
        store.add_correction(MANAGER[0], incident.id, HOSTILE["correction"], HOSTILE["reason"])
        if store is yesterday:
            store.close_shift(shift.id, MANAGER[0])
            store.return_shift(shift.id, store.sign_in(SUPERVISOR[0], SUPERVISOR[2]).id, HOSTILE["question"])
    yesterday.close()


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.db"
    seed_hostile(path)
    return path


def make(path: Path, apps_made: list[LobbyApp]) -> LobbyApp:
    app = LobbyApp(LobbyStore(path, clock=lambda: UI_NOW, device_id="tablet-test"), lang="en", idle_lock_seconds=180)
    apps_made.append(app)
    return app


async def sign_in(pilot, staff: tuple[str, str, str]) -> None:  # noqa: ANN001
    await settle(pilot)
    await pilot.press(*staff[0], "enter", *staff[2], "enter")
    await settle(pilot)


def shows(app: LobbyApp, *texts: str) -> None:
    shown = screen_text(app)
    missing = [t for t in texts if t not in shown]
    assert not missing, f"{type(app.screen).__name__} does not show {missing} literally:\n{shown}"
    assert app.is_running and not app.unexpected_errors


async def test_the_lobby_managers_screens_show_typed_text_literally(hostile_db: Path, apps_made) -> None:
    app = make(hostile_db, apps_made)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER)
        await until(pilot, lambda: type(app.screen).__name__ == "QuestionScreen")
        shows(app, HOSTILE["question"])
        await pilot.press(*HOSTILE["answer"], "enter")  # typed into the answer, sent
        await settle(pilot)
        await until(pilot, lambda: type(app.screen).__name__ == "BoardScreen")
        shows(app, MANAGER[1])
        await pilot.press("ctrl+l")
        await settle(pilot)
        shows(app, MANAGER[1])
        app.screen._shown -= 5
        await pilot.press(*MANAGER[2], "enter")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        shows(
            app, HOSTILE["incident"], HOSTILE["handover"], HOSTILE["patrol"], HOSTILE["correction"], HOSTILE["reason"]
        )
        await pilot.press("escape", "n", "1")
        await settle(pilot)
        await pilot.press(*"0001")
        app.screen.search("0001")
        await settle(pilot)
        shows(app, "[" + "*" * (len(CUSTOMER) - 1))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        shows(app, CUSTOMER)
    assert not app.return_code


async def test_the_supervisors_screens_show_typed_text_literally(hostile_db: Path, apps_made) -> None:
    store = LobbyStore(hostile_db, clock=lambda: UI_NOW, device_id="tablet-test")
    returned = store.query("SELECT id FROM shifts WHERE status = 'returned'")[0][0]
    store.answer_question(returned, MANAGER[0], HOSTILE["answer"])
    store.close()
    app = make(hostile_db, apps_made)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, SUPERVISOR)
        shows(app, SUPERVISOR[1])
        await pilot.press("1")
        await settle(pilot)
        shows(app, MANAGER[1])
        manager = app.screen.query_one("#manager")  # the filter's choices: each manager by name
        manager.expanded = True
        await settle(pilot)
        shows(app, f"{MANAGER[1]} {MANAGER[0]}")
        manager.expanded = False
        await settle(pilot)
        app.screen.query_one("#shift-table").focus()
        await pilot.press("enter")
        await settle(pilot)
        shows(app, MANAGER[1], HOSTILE["incident"], HOSTILE["handover"], HOSTILE["question"], HOSTILE["answer"])
        await pilot.press("t")  # the visits, the highlighted one in full
        await settle(pilot)
        shows(app, HOSTILE["notes"], HOSTILE["override"])
        await pilot.press("t", "t")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press(*HOSTILE["comment"], "ctrl+s")
        await settle(pilot)
        shows(app, HOSTILE["comment"])  # the toast and the shift's review
        await pilot.press("escape", "escape", "3")
        await settle(pilot)
        await pilot.press("escape", "4")
        await settle(pilot)
        shows(app, MANAGER[1])
        await pilot.press("escape", "5")
        await settle(pilot)
        shows(app, MANAGER[1], SUPERVISOR[1])
    assert not app.return_code


def test_the_html_report_shows_typed_text_literally(hostile_db: Path, tmp_path: Path) -> None:
    from lobby_tui.report import write_export

    store = LobbyStore(hostile_db, clock=lambda: UI_NOW, device_id="tablet-test")
    bundle = store.export_bundle(
        store.sign_in(SUPERVISOR[0], SUPERVISOR[2]).id,
        fmt="html",
        start=(UI_NOW - timedelta(days=1)).date().isoformat(),
        end=UI_NOW.date().isoformat(),
    )
    (path,) = write_export(bundle, tmp_path / "out", "html", "en")
    text = html.unescape(path.read_text(encoding="utf-8"))
    for value in (MANAGER[1], HOSTILE["incident"], HOSTILE["handover"], HOSTILE["question"], HOSTILE["correction"]):
        assert value in text
    assert "evil.invalid" not in text.replace(HOSTILE["incident"], "")  # no live link anywhere
