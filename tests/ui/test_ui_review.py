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

from .conftest import MANAGER, SUPERVISOR, UI_NOW, settle, sign_in, supervisor, until

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
        await pilot.press("ctrl+s")  # nothing checked yet: refused, saying which items
        await settle(pilot)
        assert "Still to check: 1, 2, 3, 4, 5" in str(app.screen.query_one("#patrol-error").render())
        assert check_store.query("SELECT count(*) FROM shift_log")[0][0] == 0
        await pilot.click("#all-ok")  # the button marks every item fine
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
    signed = review_store.shift_log(first.id, supervisor(review_store)).shift
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
        # Enter moves on through every field, the role's choice too (kept as it is), and submits
        await pilot.press(*"1003", "enter", *"张敏", "enter", "enter", *"1357", "enter", *"1357", "enter")
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
        assert screen.trend == review_store.trend(supervisor(review_store), end=UI_NOW.date().isoformat(), days=30)
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
                assert len(app.screen.query_one("#staff-table").rows) == 4  # the demo account manager too
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


# ---------------------------------------------------------------- lobby-ready (issue 9)


async def test_the_shift_list_pages_while_it_stays_in_use(make_review_app, monkeypatch):
    """More rows load at the end of a long list, and nothing covers or disables the list meanwhile:
    the page's state is not Textual's Widget.loading (which puts a loading indicator over the screen)."""
    import threading

    from textual.widgets import DataTable, LoadingIndicator

    from lobby_tui.ui.screens import review

    monkeypatch.setattr(review, "LIST_PAGE", 20)  # the template's 60-odd shifts make three pages
    monkeypatch.setattr(review, "PREFETCH", 3)
    app = make_review_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot, SUPERVISOR)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ShiftListScreen)
        table = screen.query_one("#shift-table", DataTable)
        assert table.row_count == 20 and not screen.done
        total = len(app.store.list_shifts(app.staff.id, limit=1000))
        assert total > 40

        # the next page is held back in the store until the test lets it go
        release = threading.Event()
        list_shifts = app.store.list_shifts

        def slow_list_shifts(*args, **kwargs):
            if kwargs.get("offset"):
                assert release.wait(30)
            return list_shifts(*args, **kwargs)

        monkeypatch.setattr(app.store, "list_shifts", slow_list_shifts)
        await pilot.press("ctrl+end")  # the cursor to the last row loaded
        await until(pilot, lambda: screen.fetching)
        for _ in range(3):
            await pilot.pause()
            assert screen.loading is False and not screen.disabled and not table.disabled
            assert not screen.query(LoadingIndicator) and table.has_focus
        await pilot.press("up", "up")  # the list is in use meanwhile
        assert table.cursor_row == 17
        release.set()
        await until(pilot, lambda: table.row_count == 40)
        await settle(pilot)
        assert table.cursor_row == 17 and table.has_focus and screen.loading is False

        # scrolling to the end with the mouse wheel (the cursor stays) loads the rest as well
        table.scroll_end(animate=False)
        await until(pilot, lambda: screen.done)
        await settle(pilot)
        assert table.row_count == total == len(screen.shifts)
        assert len({s.id for s in screen.shifts}) == total  # nothing loaded twice
        assert table.cursor_row == 17 and table.has_focus and screen.loading is False

        # back from a shift, the same rows and the same one under the cursor
        chosen = screen.shifts[17].id
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and table.row_count == total
        assert screen.shifts[table.cursor_row].id == chosen and table.has_focus
    assert app.unexpected_errors == []


SUPERVISOR_SCREENS = (
    (("1",), ShiftListScreen),
    (("enter",), ShiftDetailScreen),
    (("s",), FormScreen),  # sign-off
    (("escape", "b"), FormScreen),  # send back
    (("escape", "x"), ExportScreen),  # a shift's export
    (("escape", "escape", "escape", "3"), TrendsScreen),
    (("escape", "4"), CompareScreen),
    (("escape", "5"), StaffScreen),
    (("a",), FormScreen),  # add staff
    (("escape", "p"), FormScreen),  # reset a PIN
    (("escape", "d"), ConfirmScreen),  # deactivate
    (("escape", "escape", "6"), ExportScreen),
    (("escape",), SupervisorHomeScreen),
)


def footer_problems(app) -> list[str]:
    """Footer keys cut off or hidden under the palette key, and bindings neither shown nor offered in
    the command palette."""
    from textual.widgets._footer import FooterKey

    screen = app.screen
    keys = list(screen.query(FooterKey))
    palette = [k for k in keys if k.has_class("-command-palette")]
    limit = palette[0].region.x if palette else app.size.width
    problems = [
        f"{k.key} {k.description!r} cut at {k.region}" for k in keys if k not in palette and k.region.right > limit
    ]
    shown = {k.action for k in keys}
    offered = {getattr(callback, "__name__", "") for _, _, callback in screen.screen_commands()}
    for key, binding in ((k, b) for k, bs in screen._bindings.key_to_bindings.items() for b in bs):
        if binding.action in shown or binding.action.startswith("app.") or binding.id is None:
            continue
        if f"action_{binding.action}" not in offered:
            problems.append(f"{key} ({binding.id}) neither in the Footer nor in the palette")
    return problems


async def test_every_supervisor_screen_fits_and_every_key_is_reachable(make_review_app):
    for size in ((60, 20), (80, 24)):
        for lang in ("zh", "en"):
            app = make_review_app(lang)
            async with app.run_test(size=size) as pilot:
                await sign_in(pilot, SUPERVISOR)
                assert isinstance(app.screen, SupervisorHomeScreen)
                assert footer_problems(app) == [], (size, lang, "home")
                for keys, kind in SUPERVISOR_SCREENS:
                    await pilot.press(*keys)
                    await settle(pilot)
                    assert isinstance(app.screen, kind), (size, lang, keys, app.screen)
                    assert footer_problems(app) == [], (size, lang, kind.__name__)
                    if kind is ShiftListScreen:  # every column on screen, none cut at the right
                        table = app.screen.query_one("#shift-table")
                        assert table.virtual_size.width <= table.scrollable_content_region.width, (size, lang)
                        assert app.screen.query_one("#list-status").render()
                    if kind is ShiftDetailScreen and size == (60, 20):
                        # the shortest Footer still offers sign-off, the tab key and the way back
                        shown = {k.action for k in app.screen.query("FooterKey")}
                        assert {"sign_off", "send_back", "next_tab", "back"} <= shown, (lang, shown)
                assert app.unexpected_errors == []


async def test_dialog_fields_show_a_border_and_a_clear_focus_in_both_themes(make_review_app):
    from textual.widgets import Input, Select

    def frame(widget) -> tuple[str, object]:
        kind, color = widget.styles.border_top
        return kind, color

    app = make_review_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot, SUPERVISOR)
        await pilot.press("5", "a")
        await settle(pilot)
        for theme in ("normal", "contrast"):
            if theme == "contrast":
                await pilot.press("f3")
                await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, FormScreen)
            fields = list(dialog.query(Input)) + list(dialog.query(Select))
            assert {f.id for f in fields} == {"staff_id", "name", "role", "pin", "pin2"}
            background = dialog.query_one(".dialog").styles.background
            for field in fields:
                field.focus()
                await pilot.pause()
                kind, color = frame(field)
                assert kind == "heavy" and field.border_title, (theme, field.id)
                accent = app.current_theme.to_color_system().accent.rgb
                assert sum(abs(a - b) for a, b in zip(color.rgb, accent, strict=True)) <= 6, (theme, color, accent)
                others = [f for f in fields if f is not field]
                for other in others:
                    other_kind, other_color = frame(other)
                    assert other_kind == "round", (theme, other.id)  # a frame, in a colour that shows
                    contrast = sum(abs(a - b) for a, b in zip(other_color.rgb, background.rgb, strict=True))
                    assert contrast > 120, (theme, other.id, other_color, background)
    assert app.unexpected_errors == []


async def test_careless_input_in_supervisor_dialogs(make_review_app, review_store, tmp_path):
    """Enter moves on and submits, Escape cancels, a bad value is told beside its field in the user's
    language; nothing crashes."""
    app = make_review_app("zh")
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot, SUPERVISOR)
        await pilot.press("5", "a")
        await settle(pilot)
        dialog = app.screen
        await pilot.press("enter")  # an empty staff id
        await settle(pilot)
        assert "工号" in str(dialog.query_one("#staff_id-error").render()) and dialog.query_one("#staff_id").has_focus
        await pilot.press(*"1001", "enter", *"新人", "enter", "enter", *"24681012", "enter", *"24681013", "enter")
        await settle(pilot)
        assert "不一致" in str(dialog.query_one("#pin2-error").render()) and dialog.query_one("#pin2").has_focus
        await pilot.press("ctrl+a", "ctrl+k", *"24681012", "enter")  # 1001 is taken: told beside the id
        await settle(pilot)
        assert app.screen is dialog and dialog.query_one("#staff_id").has_focus
        assert "1001" in str(dialog.query_one("#staff_id-error").render())
        await pilot.press("down")  # a choice opened with a key, closed with Escape: the dialog stays
        await settle(pilot)
        dialog.query_one("#role").focus()
        await pilot.press("down")
        await settle(pilot)
        assert dialog.query_one("#role").expanded
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is dialog and not dialog.query_one("#role").expanded
        await pilot.press("escape")  # Escape cancels the dialog
        await settle(pilot)
        assert isinstance(app.screen, StaffScreen)
        assert [r.staff_id for r in app.screen.rows].count("1001") == 1

        await pilot.press("escape", "6")  # the export: bad dates are told beside the days
        await settle(pilot)
        export = app.screen
        assert isinstance(export, ExportScreen)
        export.query_one("#from").focus()
        await pilot.press("ctrl+a", "ctrl+k", *"2026-13-40", "enter")
        await settle(pilot)
        assert "YYYY-MM-DD" in str(export.query_one("#range-error").render()) and export.query_one("#from").has_focus
        await pilot.press("ctrl+a", "ctrl+k", *"2026-11-10", "enter")  # Enter: on to the next field
        assert export.query_one("#to").has_focus
        await pilot.press("enter")
        assert export.query_one("#format").has_focus
        await pilot.press("enter")
        assert export.query_one("#folder").has_focus
        await pilot.press("ctrl+a", "ctrl+k", "enter")
        await settle(pilot)
        assert "文件夹" in str(export.query_one("#folder-error").render())
        await pilot.press(*str(tmp_path / "out"), "enter")
        await settle(pilot)
        assert "已写入" in str(export.query_one("#export-result").render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SupervisorHomeScreen)
    assert app.unexpected_errors == []
    assert review_store.query("SELECT count(*) FROM staff WHERE staff_id = '1001'")[0][0] == 1


async def test_the_supervisors_lock_screen_speaks_of_no_shift(make_review_app):
    for lang, shift_word in (("en", "shift"), ("zh", "班次")):
        app = make_review_app(lang)
        async with app.run_test(size=(60, 20)) as pilot:
            await sign_in(pilot, SUPERVISOR)
            await pilot.press("ctrl+l")
            await settle(pilot)
            text = screen_text(app)
            assert SUPERVISOR[1] in text and shift_word not in text.lower(), text


async def test_an_open_list_says_its_escape_in_the_screens_language(make_review_app):
    """The shift list's drop-downs: open, the Footer's Escape was Textual's English "Dismiss menu"
    on a Chinese screen."""
    from textual.widgets._footer import FooterKey

    app = make_review_app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, SUPERVISOR)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, ShiftListScreen)
        app.screen.query_one("#status").focus()
        await pilot.press("enter")  # the list opens
        await settle(pilot)
        shown = [str(k.description) for k in app.screen.query(FooterKey)]
        assert "收起列表" in shown and "Dismiss menu" not in shown, shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ShiftListScreen)
