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
