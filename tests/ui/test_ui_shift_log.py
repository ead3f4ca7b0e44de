"""Pilot tests of the shift log (issue 9): the patrol checklist's three marks, handing over a shift while
customers wait, and every key of the shift log and the day summary reachable at 60x20 and 80x24 in both
languages. Keys go in the way a fast lobby manager presses them, several to a pilot.press call; each test
checks what the database holds."""

from __future__ import annotations

import html
import json
import re
import threading

import pytest
from textual.binding import Binding
from textual.widgets import Button, Input
from textual.widgets._footer import FooterKey

from lobby_tui.domain.patrol import patrol_checklist
from lobby_tui.i18n import tr
from lobby_tui.ui.screens.board import BoardScreen
from lobby_tui.ui.screens.forms import ConfirmScreen
from lobby_tui.ui.screens.shift_log import DaySummaryScreen, PatrolItem, PatrolScreen, ShiftLogScreen
from lobby_tui.ui.screens.signin import SignInScreen

from .conftest import MANAGER, settle, sign_in, supervisor, until

SECOND = ("1002", "李强", "357911")
CODES = [item.code for item in patrol_checklist().items]


def screen_text(app) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot())).replace("\xa0", " ")


def marks(screen: PatrolScreen) -> list[bool | None]:
    return [item.state for item in screen.query(PatrolItem).results(PatrolItem)]


def item_lines(screen: PatrolScreen) -> list[str]:
    return [item.line().plain for item in screen.query(PatrolItem).results(PatrolItem)]


def error(screen: PatrolScreen) -> str:
    return str(screen.query_one("#patrol-error").render())


# ---------------------------------------------------------------- the patrol checklist


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_checklist_marks_fine_unchecked_and_fault_in_words_and_a_refusal_keeps_the_focus(
    make_app, check_store, lang
):
    app = make_app(lang)
    sep = "、" if lang == "zh" else ", "
    ok, unchecked, fault = (tr(f"shiftlog.item.{w}", lang) for w in ("ok", "unchecked", "fault"))
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await pilot.press("l", "p")  # as fast as that: the patrol opens once the log is read
        await until(pilot, lambda: isinstance(app.screen, PatrolScreen))
        screen = app.screen
        assert marks(screen) == [None] * 5 and all(f"☐ {unchecked}" in line for line in item_lines(screen))

        # 1 fine; 2 fine, then unticked again; 3 fine, then a fault; and submit at once
        await pilot.press("1", "2", "2", "3", "x", "ctrl+s")
        await settle(pilot)
        assert marks(screen) == [True, None, False, None, None]
        lines = item_lines(screen)
        assert f"✓ {ok}" in lines[0] and f"☐ {unchecked}" in lines[1] and f"✗ {fault}" in lines[2]
        assert len({line[:4] for line in lines[:3]}) == 3  # the three marks differ in their text, not colour
        assert tr("shiftlog.patrol_still_to_check", lang, items=sep.join(["2", "4", "5"])) in error(screen)
        assert screen.focused is screen.query_one("#item-brochures")  # not moved into the note

        # "all others fine" does what it says: the unchecked ones become fine, the fault stays a fault
        assert tr("key.rest_fine", lang) in str(screen.query_one("#all-ok", Button).label)
        await pilot.press("a", "b", "c", "ctrl+s", "d")  # the letters after it type nothing anywhere
        await settle(pilot)
        assert marks(screen) == [True, True, False, True, True]
        assert screen.query_one("#note", Input).value == ""
        assert tr("shiftlog.patrol_fault_note", lang, items="3") in error(screen)
        assert screen.focused is screen.query_one("#submit")
        assert check_store.query("SELECT count(*) FROM shift_log")[0][0] == 0  # nothing stored when refused

        await pilot.press("n", *"leaflets ran out", "enter")  # N goes to the note; Enter submits
        await settle(pilot)
        assert isinstance(app.screen, ShiftLogScreen)
    (entry,) = check_store.query("SELECT kind, code, text, checks FROM shift_log")
    assert (entry["kind"], entry["code"], entry["text"]) == ("patrol", "opening", "leaflets ran out")
    assert json.loads(entry["checks"]) == {code: code != "brochures" for code in CODES}


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_all_fine_then_submit_records_every_item_fine(make_app, check_store, lang):
    app = make_app(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("l", "p")
        await until(pilot, lambda: isinstance(app.screen, PatrolScreen))
        await pilot.press("5", "x", "5", "a", "enter")  # 5: fault, then fine again; all others fine; Submit
        await settle(pilot)
        assert isinstance(app.screen, ShiftLogScreen)
    (entry,) = check_store.query("SELECT text, checks FROM shift_log")
    assert entry["text"] is None and json.loads(entry["checks"]) == dict.fromkeys(CODES, True)


# ---------------------------------------------------------------- handing over while customers wait


async def test_closing_with_two_customers_waiting_hands_them_over_to_the_next_lobby_manager(make_app, check_store):
    check_store.add_staff(*SECOND[:2], "lobby_manager", SECOND[2], by=supervisor(check_store))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        for _ in range(2):  # two walk-ins, unidentified, sent on and waiting
            for key in ("n", "1", "enter", "enter"):
                await pilot.press(key)
                await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        shift_id = app.shift.id
        waiting = [r["id"] for r in check_store.query("SELECT id FROM visits WHERE outcome = 'waiting' ORDER BY ts")]
        assert len(waiting) == 2

        await pilot.press("l", "k")  # the warning comes with the question, before anything is closed
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await settle(pilot)
        text = str(app.screen.query_one("#confirm-text").render())
        assert text.startswith(tr("shiftlog.close_waiting_many", "en", n=2))
        assert check_store.query("SELECT status FROM shifts WHERE id = ?", (shift_id,))[0][0] == "open"
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        closed = check_store.query("SELECT status, closed_by FROM shifts WHERE id = ?", (shift_id,))[0]
        assert tuple(closed) == ("closed", MANAGER[0])
        assert [r[0] for r in check_store.query("SELECT shift_id FROM visits")] == [None, None]

        await sign_in(pilot, SECOND)  # the next lobby manager takes over
        assert isinstance(app.screen, BoardScreen)
        second_shift = app.shift.id
        assert "In the branch: 2" in screen_text(app)  # nothing lost: both still in the branch
        await pilot.press("l")
        await settle(pilot)
        assert tr("shiftlog.carried_in_many", "en", n=2) in str(app.screen.query_one("#carry-line").render())
    on_shift = check_store.query("SELECT id, shift_id, outcome FROM visits ORDER BY ts")
    assert [tuple(r) for r in on_shift] == [(v, second_shift, "waiting") for v in waiting]
    carried = check_store.query("SELECT visit_id, from_shift, to_shift FROM visit_carryovers ORDER BY rowid")
    assert [tuple(r) for r in carried] == [(v, shift_id, second_shift) for v in waiting]
    actions = [r[0] for r in check_store.query("SELECT action FROM audit WHERE action LIKE 'visits_%' ORDER BY seq")]
    assert actions == ["visits_carried_over", "visits_taken_over"]
    assert check_store.verify_audit() is None


# ---------------------------------------------------------------- every key reachable, nothing cut


def palette_titles(app) -> set[str]:
    return {command.title for command in app.get_system_commands(app.screen)}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
@pytest.mark.parametrize("keys", [("l",), ("e",), ("l", "p")], ids=["shift_log", "day_summary", "patrol"])
async def test_every_key_is_in_the_footer_or_the_palette_and_nothing_is_cut(make_app, lang, size, keys):
    app = make_app(lang)
    async with app.run_test(size=size) as pilot:
        await sign_in(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        screen = app.screen
        assert isinstance(screen, (ShiftLogScreen, DaySummaryScreen, PatrolScreen))
        footer = list(screen.query(FooterKey))
        assert footer and all(k.region.right <= size[0] for k in footer)  # no key cut at the edge
        shown = {k.description for k in footer}
        titles = palette_titles(app)
        ours = {b.id for b in type(screen).BINDINGS if isinstance(b, Binding)}  # Textual's tab, shift+tab aside
        for bindings in screen._bindings.key_to_bindings.values():
            for binding in (b for b in bindings if b.id in ours):
                assert binding.description == tr(f"key.{binding.id}", lang), binding
                assert binding.description in shown | titles, (binding.id, binding.description)
        assert len(ours) == len(type(screen).BINDINGS)  # every binding has an id
        if isinstance(screen, ShiftLogScreen):
            assert tr("key.close_shift", lang) in shown  # the hidden key: always on show
        text = screen_text(app)
        assert "lobby-tui" not in text
        if isinstance(screen, DaySummaryScreen):
            hint = re.sub(r"\s", "", tr("shiftlog.summary_hint", lang))
            assert hint in re.sub(r"[\s│]", "", text)  # wrapped, but whole


async def test_leaving_the_log_before_it_is_read_is_quietly_fine(make_app):
    """A manager opens the log and backs out at once while the database is busy: the log's answer
    arrives for a screen already closed, and must not turn into an error. (The monkey test once hit
    a NoMatches on '#log-status' here: an answer landing between the pop and the screen's removal,
    a race this cannot force; base.db now drops answers for screens no longer on the stack.)"""
    from lobby_tui.ui.screens.error import ErrorScreen

    app = make_app("en")
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        busy = threading.Event()
        held = app._store_thread.submit(busy.wait)  # the store thread busy: the log's reads queue behind
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, ShiftLogScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen))
        busy.set()
        held.result(timeout=5)
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert not any(isinstance(s, ErrorScreen) for s in app.screen_stack)
        await pilot.press("l")  # and the log still opens and shows its status line
        await until(pilot, lambda: isinstance(app.screen, ShiftLogScreen) and app.screen.shift_log is not None)
        assert app.screen.shift_log.shift.staff_id == MANAGER[0]
