"""`lobby-tui` with no command: the app on the chosen database."""

from __future__ import annotations

import argparse

from lobby_tui.commands.common import store_for


def run(args: argparse.Namespace, lang: str) -> int:
    store = store_for(args)
    from lobby_tui.ui.app import LobbyApp

    LobbyApp(store, lang=lang).run()
    return 0
