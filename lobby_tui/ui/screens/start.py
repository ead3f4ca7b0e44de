"""The first screen: opens (and if need be migrates) the database off the UI thread."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from lobby_tui.ui.base import LobbyScreenMixin


class StartScreen(LobbyScreenMixin, Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("…", id="start-message")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        self.retry()

    def retry(self) -> None:
        store = self.lobby.store

        def check() -> int:
            store.check()
            return store.staff_count()

        self.db(check, self.lobby.after_database_check)
