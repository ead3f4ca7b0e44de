"""`lobby-tui sync --to DSN [--db PATH] [--branch CODE]`: push this branch's rows to head office.

Safe to run again at any time (after a crash, kill -9, a lost connection): see lobby_tui/hq/sync.py.
Exit status 0 when everything is at head office; 1 when head office cannot be used (one line); 2 with
no --to and no $LOBBY_TUI_HQ_DSN.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from lobby_tui.commands.common import existing_store, positive_int
from lobby_tui.i18n import list_text, tr


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("sync", parents=[common], help="push this branch's rows to head office (PostgreSQL)")
    parser.add_argument("--to", dest="dsn", help="head office: postgresql://… (default: $LOBBY_TUI_HQ_DSN)")
    parser.add_argument("--branch", help="this branch's code at head office (kept after the first sync)")
    parser.add_argument("--batch", type=positive_int, default=None, help="rows per batch (default 5000)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, lang: str) -> int:
    from lobby_tui.hq.connect import resolve_dsn
    from lobby_tui.hq.sync import BATCH_ROWS, Syncer

    dsn = resolve_dsn(args.dsn, "--to")

    def notify(key: str, params: dict[str, Any]) -> None:
        print(f"lobby-tui: {tr(key, lang, **params)}", file=sys.stderr, flush=True)

    store = existing_store(args)  # a sync never makes an empty branch file
    try:
        result = Syncer(store, dsn, args.branch, batch=args.batch or BATCH_ROWS, notify=notify).run()
    finally:
        store.close()
    counts = list_text((tr("hq.sync_count", lang, table=t, n=n) for t, n in result.sent.items()), lang)
    print(tr("hq.sync_done", lang, branch=result.branch, hq=result.hq, counts=counts))
    return 0
