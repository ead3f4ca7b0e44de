"""The Textual app. Knows no SQL: everything goes through LobbyStore, in thread workers."""
