"""Faults found in review, on screen: punctuation, titles, texts of Textual's in the user's language."""

from __future__ import annotations

import pytest
from textual.widgets import Button

from lobby_tui.i18n import zh_punctuation_problems
from lobby_tui.ui.screens.pickers import DestinationPicker
from lobby_tui.ui.widgets.plain import Static

from .conftest import settle, sign_in


@pytest.mark.parametrize(("lang", "mark"), [("zh", "（当前）"), ("en", " (now)")])
async def test_the_current_destination_is_marked_in_the_languages_brackets(make_app, lang, mark):
    app = make_app(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        app.push_screen(DestinationPicker(("cash_counter", "self_service"), current="self_service"))
        await settle(pilot)
        labels = {b.id: str(b.label) for b in app.screen.query(Button)}
        assert labels["dest-self_service"].endswith(mark), labels
        assert not labels["dest-cash_counter"].endswith(mark)
        if lang == "zh":
            assert not any(zh_punctuation_problems(text) for text in labels.values()), labels


@pytest.mark.parametrize(("lang", "title"), [("zh", "设置有误"), ("en", "The settings cannot be used")])
async def test_a_settings_problem_has_a_title_of_its_own(make_app, lang, title):
    """A bad override is not a database that cannot be used ('无法使用数据库' sent people to the backup)."""
    from lobby_tui.domain.errors import RulesError
    from lobby_tui.ui.screens.error import ErrorScreen

    app = make_app(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        app.show_error(RulesError("/etc/xdg/lobby-tui/guidance.toml", "settings.long_queue", "missing"))
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        shown = str(app.screen.query_one("#error-title", Static).render())
        assert shown == title
        message = str(app.screen.query_one("#error-message", Static).render())
        assert "guidance.toml" in message and ("缺少此项" if lang == "zh" else "missing") in message
        help_text = str(app.screen.query_one("#error-help", Static).render())
        assert "config check" in help_text


def _dialogs():  # type: ignore[no-untyped-def]
    """Every ModalScreen of lobby_tui/ui (but the lock and the error screen), built with little."""
    from lobby_tui.ui.screens.forms import ConfirmScreen, Field, FormScreen
    from lobby_tui.ui.screens.leads import ChoicePicker
    from lobby_tui.ui.screens.pickers import OverrideReasonScreen, YesNoScreen
    from lobby_tui.ui.screens.shift_log import PatrolScreen
    from lobby_tui.ui.screens.walkin import WalkInScreen

    return {
        "DestinationPicker": lambda: DestinationPicker(("cash_counter", "self_service")),
        "OverrideReasonScreen": lambda: OverrideReasonScreen("?", "yes", "no"),
        "YesNoScreen": lambda: YesNoScreen("?", "yes", "no"),
        "ChoicePicker": lambda: ChoicePicker("?", [("a", "A"), ("b", "B")]),
        "WalkInScreen": WalkInScreen,
        "PatrolScreen": lambda: PatrolScreen("no-shift", None),
        "FormScreen": lambda: FormScreen("key.submit", [Field("name", "key.submit")], lambda v: lambda: None),
        "FormScreen-select": lambda: FormScreen(
            "key.submit", [Field("pick", "key.submit", options=(("A", "a"), ("B", "b")))], lambda v: lambda: None
        ),
        "ConfirmScreen": lambda: ConfirmScreen("key.submit", "?", lambda: None),
    }


@pytest.mark.parametrize("name", list(_dialogs()))
async def test_ctrl_l_locks_in_every_dialog(make_app, name):
    from lobby_tui.ui.screens.lock import LockScreen

    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        app.push_screen(_dialogs()[name]())
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen), app.screen
