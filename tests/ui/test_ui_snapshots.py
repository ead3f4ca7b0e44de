"""Snapshots of every screen at the handheld (60x20) and tablet (80x24) sizes, in both languages.

Update only on purpose: look at the report first (pytest --snapshot-report), then --snapshot-update,
and say in the commit why the pictures changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lobby_tui.domain.guidance import recommend
from lobby_tui.domain.tiers import classify
from lobby_tui.store import LobbyStore
from lobby_tui.ui.app import LobbyApp

from .conftest import UI_NOW, search_now, settle, sign_in

SIZES = [(60, 20), (80, 24)]
LANGS = ["zh", "en"]
matrix = pytest.mark.parametrize("lang", LANGS)
sizes = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")


def add_visits(path: Path) -> None:
    """A few confirmed visits today, one of them a potential-quality lead, so the board has rows."""
    store = LobbyStore(path, clock=lambda: UI_NOW, device_id="tablet-test")
    customers = {c.name: c for c in (store.lookup(name="孙") + store.lookup(name="郑") + store.lookup(name="吴"))}
    for name, reason in (("孙三明", "cash_withdrawal"), ("郑七", "wealth_products"), ("吴六", "transfer")):
        c = customers[name]
        result = classify(c.assets, c.other_assets, age=None, education=c.education)
        rec = recommend(result.tier, reason, potential_quality=result.potential_quality)
        visit_id = store.start_visit(reason=reason, shift_id=None, staff_id="1001")
        store.confirm_visit(
            visit_id, classification=result, recommendation=rec, destination=rec.destination, customer_id=c.id
        )
    store.close()


@matrix
@sizes
def test_sign_in(snap_compare, make_app, lang, size):
    async def run_before(pilot):
        await settle(pilot)

    assert snap_compare(make_app(lang), terminal_size=size, run_before=run_before)


@matrix
@sizes
def test_first_run_setup(snap_compare, tmp_path, lang, size):
    app = LobbyApp(LobbyStore(tmp_path / "new.db", clock=lambda: UI_NOW), lang=lang)

    async def run_before(pilot):
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@matrix
@sizes
def test_board(snap_compare, make_app, ui_db, lang, size):
    add_visits(ui_db)

    async def run_before(pilot):
        await sign_in(pilot)

    assert snap_compare(make_app(lang), terminal_size=size, run_before=run_before)


@matrix
@sizes
def test_greeting(snap_compare, make_app, lang, size):
    async def run_before(pilot):
        await sign_in(pilot)
        await pilot.press("n")
        await settle(pilot)

    assert snap_compare(make_app(lang), terminal_size=size, run_before=run_before)


@matrix
@sizes
def test_lookup_with_matches(snap_compare, make_app, lang, size):
    async def run_before(pilot):
        await sign_in(pilot)
        await pilot.press("n", "3")
        await settle(pilot)
        await search_now(pilot, "5678")

    assert snap_compare(make_app(lang), terminal_size=size, run_before=run_before)


@matrix
@sizes
def test_walk_in_form_with_an_error(snap_compare, make_app, lang, size):
    async def run_before(pilot):
        await sign_in(pilot)
        await pilot.press("n", "1")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press(*"2o", "enter", "enter", *"25", "enter")

    assert snap_compare(make_app(lang), terminal_size=size, run_before=run_before)


@matrix
@sizes
def test_guidance_for_a_high_end_customer(snap_compare, make_app, lang, size):
    async def run_before(pilot):
        await sign_in(pilot)
        await pilot.press("n", "1")
        await settle(pilot)
        await pilot.press(*"13900000002", "enter")
        await settle(pilot)

    assert snap_compare(make_app(lang), terminal_size=size, run_before=run_before)


@matrix
@sizes
def test_destination_picker(snap_compare, make_app, lang, size):
    async def run_before(pilot):
        await sign_in(pilot)
        await pilot.press("n", "1", "enter")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)

    assert snap_compare(make_app(lang), terminal_size=size, run_before=run_before)


@matrix
@sizes
def test_override_reason(snap_compare, make_app, lang, size):
    async def run_before(pilot):
        await sign_in(pilot)
        await pilot.press("n", "1", "enter")
        await settle(pilot)
        await pilot.press("o", "2")
        await settle(pilot)

    assert snap_compare(make_app(lang), terminal_size=size, run_before=run_before)


@matrix
@sizes
def test_lock(snap_compare, make_app, lang, size):
    async def run_before(pilot):
        await sign_in(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)

    assert snap_compare(make_app(lang), terminal_size=size, run_before=run_before)


@matrix
@sizes
def test_error_screen_for_a_foreign_file(snap_compare, tmp_path, monkeypatch, lang, size):
    monkeypatch.chdir(tmp_path)
    Path("notes.db").write_text("this is not a database\n" * 100)
    app = LobbyApp(LobbyStore("notes.db", clock=lambda: UI_NOW), lang=lang)

    async def run_before(pilot):
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
