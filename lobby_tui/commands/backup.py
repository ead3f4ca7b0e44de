"""`lobby-tui backup DEST`, `lobby-tui restore SOURCE` and `lobby-tui check`.

backup: the database as one consistent snapshot (what is still in the WAL included), with its key
file and an anchor that fits it, checked after writing; safe while the app runs.
restore: a backup checked first, then put in place; the database that was there is kept aside.
check: SQLite's quick_check, the key and the audit chain with the rows it covers.
Exit status 0 when done and sound, 1 when not (one line on stderr saying what to do).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from lobby_tui.commands.common import existing_store, require_staff, resolve_db, store_for
from lobby_tui.i18n import tr


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("backup", parents=[common], help="back the database up, with its key and anchor")
    parser.add_argument("dest", metavar="DEST", help="the backup's file name, or a folder for a dated one")
    parser.set_defaults(run=run_backup)
    parser = sub.add_parser("restore", parents=[common], help="put a backup in place of the database")
    parser.add_argument("source", metavar="SOURCE", help="a backup made by lobby-tui backup")
    parser.set_defaults(run=run_restore)
    parser = sub.add_parser("check", parents=[common], help="check the file for damage and the audit log")
    parser.set_defaults(run=run_check)


def run_backup(args: argparse.Namespace, lang: str) -> int:
    from lobby_tui.store.backup import backup_database

    store = existing_store(args)  # a backup of nothing makes nothing
    require_staff(store, lang, "backup")  # a supervisor's: the copy holds the whole directory
    done = backup_database(store, args.dest)
    print(tr("cli.backup.done", lang, path=done.path, keyfile=done.key, anchor=done.anchor, n=done.check.entries))
    return 0


def run_restore(args: argparse.Namespace, lang: str) -> int:
    from lobby_tui.store import LobbyStore
    from lobby_tui.store.backup import restore_database
    from lobby_tui.store.database import StoreError

    target = resolve_db(getattr(args, "db", None))
    # A supervisor of the database being replaced says so with their PIN; when that database cannot
    # be opened (it is damaged: why one restores), a supervisor of the backup being put in place.
    try:
        judge = LobbyStore(target) if target.is_file() else None
        if judge is not None:
            judge.check()
    except StoreError:
        judge = None
    if judge is None:
        judge = LobbyStore(args.source)
    try:
        require_staff(judge, lang, "restore")
    finally:
        judge.close()
    done = restore_database(args.source, target)
    print(tr("cli.restore.done", lang, path=done.path, source=done.source, n=done.check.entries))
    if done.kept is not None:
        print(tr("cli.restore.kept", lang, kept=done.kept))
    return 0


def run_check(args: argparse.Namespace, lang: str) -> int:
    store = store_for(args)
    store.check()
    store.require_sound()
    check = store.audit_status()
    if not check.ok:
        print(tr("cli.check.audit", lang, path=store.path), file=sys.stderr)
        return 1
    print(tr("cli.check.ok", lang, path=store.path, n=check.entries))
    return 0
