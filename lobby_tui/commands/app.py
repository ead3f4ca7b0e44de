"""`lobby-tui` with no command: the app on the chosen database."""

from __future__ import annotations

import argparse
import gc
import threading
from typing import TYPE_CHECKING, Any, cast

from lobby_tui.commands.common import store_for

if TYPE_CHECKING:
    from lobby_tui.store import LobbyStore


class StoreOnFirstUse:
    """The app's LobbyStore, imported and made on its first use: that is in the start screen's
    worker, once the first screen is painted, so the store's imports (sqlite3, hashing, most of the
    domain) are not on the way to the first paint. Every attribute is the real store's."""

    def __init__(self, args: argparse.Namespace) -> None:
        self._args = args
        self._store: Any = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        with self._lock:
            if self._store is None:
                self._store = store_for(self._args)
        return getattr(self._store, name)


def run(args: argparse.Namespace, lang: str) -> int:
    # The proxy stands in for the store: every attribute is the real LobbyStore's.
    # Up to the first screen, Textual's import, the stylesheet and the first frame make a few hundred
    # thousand objects, and the cyclic collector walked them all several times on the way: about a
    # sixth of the time to sign-in. It waits till sign-in is painted (LobbyApp.first_painted), which
    # then freezes what start-up made out of its reach for good.
    gc.disable()
    from lobby_tui.log import log_event
    from lobby_tui.ui.app import LobbyApp

    app = LobbyApp(cast("LobbyStore", StoreOnFirstUse(args)), lang=lang)
    log_event("app.start", lang=lang)
    try:
        app.run()
    finally:
        gc.enable()  # had the first screen never been painted
        log_event("app.stop", status=app.return_code or 0)
    return app.return_code or 0  # 1 after a fault the error screen could not help with
