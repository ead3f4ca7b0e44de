"""The SQLite store: schema and migrations, and the one data-access object the app and CLI use.

Nothing here imports Textual. sqlite-utils is imported only where tables are made or filled in bulk,
so that opening an up-to-date database costs nothing extra at start-up.
"""

from lobby_tui.store.database import StoreError, open_database
from lobby_tui.store.lobby_store import LobbyStore

__all__ = ["LobbyStore", "StoreError", "open_database"]
