"""The Footer's keys are styled once, as they are shown (lobby_tui/ui/widgets/footer.py)."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from lobby_tui.ui.widgets.footer import Footer

from .conftest import settle, sign_in
from .typing import burst


async def test_footer_keys_are_not_restyled_as_they_mount(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    restyled: list[FooterKey] = []
    original = FooterKey.update_node_styles

    def counted(self: FooterKey, animate: bool = True) -> None:
        restyled.append(self)
        original(self, animate=animate)

    monkeypatch.setattr(FooterKey, "update_node_styles", counted)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await burst(pilot, "n", "1")  # board -> greeting -> lookup: three screens, many footers made
        await settle(pilot)
        keys = list(app.screen.query_one(Footer).query(FooterKey))
        assert keys, "the lookup's Footer shows its keys"
        # As Textual shows them: the screen's keys spaced, the command palette's key compact.
        assert all(key.has_class("-compact") == key.has_class("-command-palette") for key in keys)
        assert restyled == []


async def test_footer_recomposes_only_when_what_it_shows_changes(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    """A screen opened refreshes its bindings several times (focus, localize, fitting the width);
    its Footer makes its keys once (twice: its bindings known, then fitted), not eight times."""
    recomposed: list[Footer] = []
    original = Footer.recompose

    async def counted(self: Footer) -> None:
        recomposed.append(self)
        await original(self)

    monkeypatch.setattr(Footer, "recompose", counted)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "n")
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        assert type(app.screen).__name__ == "GreetScreen"
        opened = recomposed.count(footer)
        assert opened <= 2  # once its bindings are known, once fitted to the width; Textual's own: 8
        labels = lambda: " ".join(str(k.description) for k in app.screen.query_one(Footer).query(FooterKey))  # noqa: E731
        assert "Back" in labels()
        app.screen.refresh_bindings()
        app.screen.refresh_bindings()
        await settle(pilot)
        assert recomposed.count(footer) == opened  # the same keys: nothing made again
        await pilot.press("f2")
        await settle(pilot)
        assert "返回" in labels()  # the language changed: the screen (and so its Footer) is made again
        assert "Back" not in labels()


async def test_footer_follows_a_key_that_turns_off_and_on(make_app) -> None:
    """Typing a note on the greeting turns B (check in) off: its key leaves the Footer, and comes back."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await burst(pilot, "n")
        await settle(pilot)

        def actions() -> list[str]:
            return [k.action for k in app.screen.query_one(Footer).query(FooterKey)]

        assert "check_in" in actions()
        app.screen.query_one("#notes").focus()
        await settle(pilot)
        assert "check_in" not in actions() and "back" in actions()
        app.screen.query_one("#reasons Button").focus()
        await settle(pilot)
        assert "check_in" in actions()
