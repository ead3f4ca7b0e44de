"""Faults found in review, on screen: punctuation, titles, texts of Textual's in the user's language."""

from __future__ import annotations

import pytest
from textual.widgets import Button

from lobby_tui.i18n import zh_punctuation_problems
from lobby_tui.ui.screens.pickers import DestinationPicker

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
