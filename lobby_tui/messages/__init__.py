"""Message catalogues of the larger features, each merged into lobby_tui.i18n.MESSAGES on import.

One file per feature so that work on different features never edits the same catalogue."""
