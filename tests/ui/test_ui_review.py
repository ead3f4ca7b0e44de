"""Pilot tests of the end of day, the shift log and the supervisor's review, checked against the database."""

from __future__ import annotations

import re
from pathlib import Path

from lobby_tui.domain.patrol import patrol_checklist
from lobby_tui.store import LobbyStore
from lobby_tui.ui.screens.board import BoardScreen
from lobby_tui.ui.screens.export import ExportScreen
from lobby_tui.ui.screens.forms import ConfirmScreen, FormScreen
from lobby_tui.ui.screens.review import (
    ShiftDetailScreen,
    ShiftListScreen,
    SupervisorHomeScreen,
)
from lobby_tui.ui.screens.shift_log import (
    DaySummaryScreen,
    EarlierShiftsScreen,
    PatrolScreen,
    QuestionScreen,
    ShiftLogScreen,
)
from lobby_tui.ui.screens.signin import SignInScreen
from lobby_tui.ui.screens.staff import StaffScreen
from lobby_tui.ui.screens.trends import CompareScreen, TrendsScreen

from .conftest import MANAGER, SUPERVISOR, UI_NOW, settle, sign_in

ALL_OK = {item.code: True for item in patrol_checklist().items}


def closed_shift(path: Path) -> str:
    """Yesterday's shift of the lobby manager: a patrol and a served visit, closed."""
    from datetime import timedelta

    store = LobbyStore(path, clock=lambda: UI_NOW - timedelta(days=1), device_id="tablet-test")
    shift = store.open_shift(MANAGER[0])
    store.add_patrol(shift.id, MANAGER[0], "opening", ALL_OK)
    visit_id = store.start_visit(reason="other", shift_id=shift.id, staff_id=MANAGER[0])
    store.set_outcome(visit_id, "served")
    store.close_shift(shift.id, MANAGER[0])
    store.close()
    return shift.id


def screen_text(app) -> str:
    """The screen's text, as a person reads it."""
    import html

    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg))


async def answer_question_later(pilot) -> None:
    """The demo history sends the lobby manager's last shift back: leave its question for later."""
    if isinstance(pilot.app.screen, QuestionScreen):
        await pilot.press("escape")
        await settle(pilot)


# ---------------------------------------------------------------- the lobby manager


async def test_shift_log_patrol_incident_handover_and_close(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, ShiftLogScreen)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PatrolScreen)
        await pilot.press("ctrl+s")  # nothing ticked: a note is needed, beside the field
        await settle(pilot)
        assert "not right" in str(app.screen.query_one("#note-error").render())
        assert check_store.query("SELECT count(*) FROM shift_log")[0][0] == 0
        await pilot.click("#all-ok")  # the note has the focus now: the button ticks every item
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ShiftLogScreen)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("tab", *"machine 3 jammed", "enter")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press(*"vendor comes at 9", "enter")
        await settle(pilot)
        assert "vendor comes at 9" in str(app.screen.query_one("#handover-line").render())
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)  # the day's work on this tablet is over
    shift = check_store.query("SELECT * FROM shifts WHERE staff_id = ?", (MANAGER[0],))[0]
    assert (shift["status"], shift["closed_by"], shift["handover_note"]) == ("closed", MANAGER[0], "vendor comes at 9")
    entries = check_store.query("SELECT kind, code, text, checks FROM shift_log ORDER BY rowid")
    assert [(e["kind"], e["code"]) for e in entries] == [
        ("patrol", "opening"),
        ("incident", "machine_fault"),
        ("handover", None),
    ]
    assert entries[1]["text"] == "machine 3 jammed" and '"safety": true' in entries[0]["checks"]
    assert check_store.verify_audit() is None


async def test_a_closed_shift_is_corrected_not_changed(make_app, ui_db, check_store):
    shift_id = closed_shift(ui_db)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("l", "o")
        await settle(pilot)
        assert isinstance(app.screen, EarlierShiftsScreen)
        await pilot.press("down", "enter")  # today's shift first, then yesterday's
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ShiftLogScreen) and screen.shift_id == shift_id
        await pilot.press("p")  # locked: nothing opens
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("enter", "enter")  # both fields are needed
        await settle(pilot)
        assert "Write what is right" in str(app.screen.query_one("#text-error").render())
        await pilot.press(*"paper was low", "enter", *"ticked by mistake", "enter")
        await settle(pilot)
        assert app.screen is screen
    patrol, correction = check_store.query("SELECT * FROM shift_log WHERE shift_id = ? ORDER BY rowid", (shift_id,))
    assert (correction["kind"], correction["corrects"], correction["staff_id"]) == (
        "correction",
        patrol["id"],
        MANAGER[0],
    )
    assert (correction["text"], correction["reason"]) == ("paper was low", "ticked by mistake")
    assert patrol["text"] is None  # the patrol itself is unchanged


async def test_day_summary_shows_the_same_figures_as_the_command(make_review_app, review_store):
    app = make_review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await answer_question_later(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, DaySummaryScreen)
        figures = review_store.day_summary(UI_NOW.date().isoformat())
        assert app.screen.figures == figures and figures["visits"] > 0
        shown = screen_text(app)
        assert re.search(rf"Visits[│\s]+{figures['visits']}│", shown.replace("\xa0", " "))


async def test_the_manager_sees_a_returned_shifts_question_at_sign_in_and_answers(make_review_app, review_store):
    (returned,) = review_store.returned_shifts(MANAGER[0])
    app = make_review_app("zh")
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        assert returned.question in str(screen.query_one("#question-text").render())
        await pilot.press("enter")  # an empty answer is refused beside the field
        await settle(pilot)
        assert "请填写回答" in str(screen.query_one("#answer-error").render())
        await pilot.press(*"客户坚持", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    assert review_store.returned_shifts(MANAGER[0]) == []
    answer = review_store.shift_log(returned.id, MANAGER[0]).entries[-1]
    assert (answer.kind, answer.text) == ("answer", "客户坚持")


# ---------------------------------------------------------------- the supervisor


async def test_supervisor_reviews_and_signs_off_a_shift(make_review_app, review_store):
    app = make_review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, SUPERVISOR)
        assert isinstance(app.screen, SupervisorHomeScreen)
        await pilot.press("1")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ShiftListScreen)
        assert screen.shifts and {s.status for s in screen.shifts} == {"closed"}
        first = screen.shifts[0]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ShiftDetailScreen) and app.screen.shift_id == first.id
        await pilot.press("t")  # the visits, a page at a time
        await settle(pilot)
        table = app.screen.query_one("#visit-table")
        assert len(table.rows) == min(first.visits, 100) < first.visits
        await pilot.press("ctrl+end")  # the end of the page loads the next
        await settle(pilot)
        assert len(table.rows) == first.visits
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"complete log", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ShiftDetailScreen)
        assert "complete log" in str(app.screen.query_one("#detail-review").render())
        await pilot.press("escape")
        await settle(pilot)
        assert first.id not in {s.id for s in app.screen.shifts}  # no longer waiting for review
    signed = review_store.shift_log(first.id, SUPERVISOR[0]).shift
    assert (signed.status, signed.review_by, signed.review_comment) == ("signed_off", SUPERVISOR[0], "complete log")
    assert (
        review_store.query(
            "SELECT count(*) FROM audit WHERE action = 'shift_signed_off' AND detail LIKE ?", ("%complete log%",)
        )[0][0]
        == 1
    )


async def test_supervisor_sends_a_shift_back_and_the_manager_sees_the_question(make_app, ui_db, check_store):
    shift_id = closed_shift(ui_db)
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot, SUPERVISOR)
        await pilot.press("2")
        await settle(pilot)
        assert [s.id for s in app.screen.shifts] == [shift_id]
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("enter")  # a question is needed
        await settle(pilot)
        assert "Write your question" in str(app.screen.query_one("#question-error").render())
        await pilot.press(*"why was the patrol late?", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ShiftDetailScreen)
        app.sign_out()
        await settle(pilot)
        await sign_in(pilot, MANAGER)
        assert isinstance(app.screen, QuestionScreen)
        assert "why was the patrol late?" in str(app.screen.query_one("#question-text").render())
        await pilot.press(*"a customer needed help", "enter")
        await settle(pilot)
    shift = check_store.query("SELECT status FROM shifts WHERE id = ?", (shift_id,))[0]
    assert shift["status"] == "closed"  # answered: back with the supervisor
    kinds = [
        r["kind"]
        for r in check_store.query("SELECT kind FROM shift_log WHERE shift_id = ? ORDER BY rowid", (shift_id,))
    ]
    assert kinds[-2:] == ["question", "answer"]


async def test_a_lobby_manager_gets_no_review(make_app, check_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert isinstance(app.screen, BoardScreen)
        titles = [title for title, _, _ in app.screen.screen_commands()]
        assert "Shifts to review" not in titles and "Staff" not in titles
        await pilot.press("1", "2", "5")  # the supervisor's keys do nothing here
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        # and a review screen forced open gets the store's refusal on the error screen, no traceback
        app.push_screen(ShiftListScreen())
        await settle(pilot)
        assert "Only a supervisor" in str(app.screen.query_one("#error-message").render())


async def test_staff_management(make_app, check_store):
    for _ in range(5):  # five wrong PINs lock the account
        try:
            check_store.sign_in(MANAGER[0], "00000000")
        except Exception:  # noqa: BLE001, S110 - the refusal is the point
            pass
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, SUPERVISOR)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, StaffScreen)
        await pilot.press("u")  # 1001, the first row, is locked
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"1003", "enter", *"张敏", "enter", *"1357", "enter", *"1357", "enter")
        await settle(pilot)
        assert "6 to 8 digits" in str(app.screen.query_one("#pin-error").render())
        assert app.screen.query_one("#pin").has_focus
        await pilot.press(*"13572468", "enter", *"13572468", "enter")  # focus selects what was typed
        await settle(pilot)
        assert isinstance(app.screen, StaffScreen)
        assert "1003" in [r.staff_id for r in app.screen.rows]
    assert not check_store.get_staff(MANAGER[0]).locked
    assert check_store.sign_in("1003", "13572468").role == "lobby_manager"
    logged = [r["action"] for r in check_store.query("SELECT action FROM audit")]
    assert "account_unlocked" in logged and "staff_added" in logged


async def test_export_of_a_shift(make_app, ui_db, check_store, tmp_path):
    closed_shift(ui_db)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, SUPERVISOR)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        screen.query_one("#folder").value = str(tmp_path / "out")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Written" in str(screen.query_one("#export-result").render())
    (report,) = (tmp_path / "out").iterdir()
    assert report.suffix == ".html" and "Shift report" in report.read_text(encoding="utf-8")
    assert check_store.query("SELECT count(*) FROM audit WHERE action = 'export'")[0][0] == 1


async def test_trends_and_comparison(make_review_app, review_store):
    app = make_review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, SUPERVISOR)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        assert screen.trend == review_store.trend(SUPERVISOR[0], end=UI_NOW.date().isoformat(), days=30)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.trend[-1]["date"] == "2026-10-19"
        await pilot.press("escape", "4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert [m.staff_id for m in screen.managers] == ["1001", "1002"]
        assert all(m.shifts > 10 for m in screen.managers)
        await pilot.press("ctrl+f", "ctrl+a", "ctrl+k", *"2026-13-01", "enter")
        await settle(pilot)
        assert "YYYY-MM-DD" in str(screen.query_one("#range-error").render())


async def test_every_review_screen_switches_language_and_keeps_its_state(make_review_app):
    app = make_review_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot, SUPERVISOR)
        for keys, kind in (
            (("2",), ShiftListScreen),
            (("enter",), ShiftDetailScreen),
            (("escape", "escape", "3"), TrendsScreen),
            (("escape", "4"), CompareScreen),
            (("escape", "5"), StaffScreen),
            (("escape", "6"), ExportScreen),
        ):
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            assert isinstance(app.screen, kind)
            if kind is ShiftListScreen:
                app.screen.query_one("#manager").value = "1002"  # a filter chosen before the switch
                await settle(pilot)
            for lang in ("zh", "en"):
                await pilot.press("f2")
                await settle(pilot)
                assert app.lang == lang and isinstance(app.screen, kind), (kind, app.lang)
            if kind is ShiftListScreen:
                assert app.screen.query_one("#manager").value == "1002"
                assert {s.staff_id for s in app.screen.shifts} == {"1002"}
            if kind is ShiftDetailScreen:
                assert len(app.screen.query_one("#log-table").rows) == len(app.screen.shift_log.entries) > 0
            if kind is StaffScreen:
                assert len(app.screen.query_one("#staff-table").rows) == 3
        app.sign_out()
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("escape", "l")
        await settle(pilot)
        for _lang in ("zh", "en"):
            await pilot.press("f2")
            await settle(pilot)
        assert isinstance(app.screen, ShiftLogScreen)
        assert len(app.screen.query_one("#log-table").rows) == len(app.screen.shift_log.entries) > 0
        assert "Patrols" in str(app.screen.query_one("#rounds").render())
