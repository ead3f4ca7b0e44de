"""`lobby-tui audit verify`: check the hash chain of the audit log.

Exit status 0 when the chain is intact, 1 naming the first entry that was changed or removed outside
the app (or when the newest entries are gone: the anchor file beside the database remembers the newest
entry the app wrote). One line either way.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from lobby_tui.commands.common import UsageError, existing_store
from lobby_tui.i18n import tr


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("audit", parents=[common], help="check the audit log")
    actions = parser.add_subparsers(dest="audit_action", parser_class=type(parser))
    actions.add_parser("verify", parents=[common], help="exit 0 when the hash chain is intact, 1 when not")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, lang: str) -> int:
    if getattr(args, "audit_action", None) != "verify":
        raise UsageError("lobby-tui audit: say what to do: lobby-tui audit verify [--db PATH]")
    store = existing_store(args)
    check = store.audit_status()
    if check.ok:
        key = (
            "cli.audit.empty" if not check.entries else "cli.audit.ok" if check.anchored else "cli.audit.ok_unanchored"
        )
        print(tr(key, lang, n=check.entries, anchor=store.anchor_path))
        return 0
    seq = check.first_broken
    entry = store.query("SELECT * FROM audit WHERE seq = ?", (seq,)) if seq is not None else []
    where = (
        tr("cli.audit.entry", lang, seq=seq, ts=entry[0]["ts"], action=entry[0]["action"])
        if entry
        else tr("cli.audit.entry_gone", lang, seq=seq)
    )
    print(tr(f"cli.audit.{check.problem}", lang, where=where, anchor=store.anchor_path), file=sys.stderr)
    return 1
