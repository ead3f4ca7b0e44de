"""`lobby-tui audit verify`: check the hash chain of the audit log.

Exit status 0 when the chain is intact and every chained row (visits, shifts, shift-log entries,
staff, customers) is as the chain recorded it; 1 naming the first entry or row that was changed,
added or removed outside the app, or when the newest entries are gone (the anchor file beside the
database remembers the newest entry the app wrote), or when there are entries and no anchor file.
One line either way.
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
    verify = actions.add_parser("verify", parents=[common], help="exit 0 when the hash chain is intact, 1 when not")
    verify.add_argument(
        "--expect",
        metavar="SEQ:HASH",
        help="an entry noted off this PC (a report, head office): exit 1 unless the log still reaches it",
    )
    parser.set_defaults(run=run)


def _expected(text: str | None, lang: str) -> tuple[int, str] | None:
    """--expect SEQ:HASH (the hash's first 16 hex digits or more), as printed by a verify that passed."""
    if text is None:
        return None
    seq, _, digest = text.strip().partition(":")
    digest = digest.lower()
    if not seq.isdigit() or len(digest) < 16 or any(c not in "0123456789abcdef" for c in digest):
        raise UsageError(f"lobby-tui audit verify: {tr('cli.audit.expect', lang)}")
    return int(seq), digest


def run(args: argparse.Namespace, lang: str) -> int:
    if getattr(args, "audit_action", None) != "verify":
        raise UsageError(f"lobby-tui audit: {tr('cli.audit.action', lang)}")
    store = existing_store(args)
    expect = _expected(getattr(args, "expect", None), lang)
    check = store.audit_status()
    if check.ok:
        newest = store.query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        if expect is not None:
            found = store.query("SELECT hash FROM audit WHERE seq = ?", (expect[0],))
            if not found or not found[0][0].startswith(expect[1]):
                print(tr("cli.audit.expect_missing", lang, mark=f"{expect[0]}:{expect[1]}"), file=sys.stderr)
                return 1
        if newest and check.anchored:
            mark = f"{newest[0][0]}:{newest[0][1][:16]}"
            print(tr("cli.audit.ok_mark", lang, n=check.entries, anchor=store.anchor_path, mark=mark))
            return 0
        key = (
            "cli.audit.empty" if not check.entries else "cli.audit.ok" if check.anchored else "cli.audit.ok_unanchored"
        )
        print(tr(key, lang, n=check.entries, anchor=store.anchor_path))
        return 0
    if check.problem == "anchor_missing":
        print(tr("cli.audit.anchor_missing", lang, n=check.entries, anchor=store.anchor_path), file=sys.stderr)
        return 1
    if check.problem in ("row_changed", "row_deleted", "row_added"):
        from lobby_tui.store.chain import CHAINED  # here, not at the top: the parser loads every command

        table = tr(f"chain.table.{check.table}", lang) if check.table in CHAINED else check.table
        print(tr(f"cli.audit.{check.problem}", lang, table=table, row=check.row), file=sys.stderr)
        return 1
    seq = check.first_broken
    entry = store.query("SELECT * FROM audit WHERE seq = ?", (seq,)) if seq is not None else []
    where = (
        tr("cli.audit.entry", lang, seq=seq, ts=entry[0]["ts"], action=entry[0]["action"])
        if entry
        else tr("cli.audit.entry_gone", lang, seq=seq)
    )
    print(tr(f"cli.audit.{check.problem}", lang, where=where, anchor=store.anchor_path), file=sys.stderr)
    return 1
