"""The first screen: opens (and if need be migrates) the database off the UI thread."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header

from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.widgets.plain import Static


class StartScreen(LobbyScreenMixin, Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("…", id="start-message")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        # Once this screen is painted: opening the database (and importing the store) is not on
        # the way to the first paint (benchmarks: start_ratio).
        self.call_after_refresh(self.retry)

    def retry(self) -> None:
        store = self.lobby.store

        def check() -> int:
            from lobby_tui.domain.patrol import patrol_checklist
            from lobby_tui.domain.rules import guidance_rules, tier_table

            # The branch's settings (data/*.toml and its overrides) too: a bad override is told here,
            # naming its file and key, and R tries again once it is mended.
            guidance_rules(), tier_table(), patrol_checklist()
            store.check()
            return store.staff_count()

        self.db(check, self.lobby.after_database_check)
