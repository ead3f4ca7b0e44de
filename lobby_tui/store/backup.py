"""Backups and restores that keep everything: the database as one consistent snapshot (SQLite's online
backup API, so what is still in the WAL is in the copy), its key file and an audit anchor that fits
the copy, each checked before the backup or the restore counts as done.

Copying lobby.db with the file manager while the app runs misses what sits in lobby.db-wal (recent
visits) and leaves an anchor that is ahead of the copy; these functions are what the README tells a
branch to use instead.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.shiftlog import AuditCheck
from lobby_tui.files import fsync_dir, private_dir, write_private
from lobby_tui.store.base import StoreBase
from lobby_tui.store.database import APP_ID, StoreError, last_backup_path, translate_error


@dataclass(frozen=True)
class BackupResult:
    path: Path
    key: Path
    anchor: Path
    check: AuditCheck


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    source: Path
    kept: Path | None  # where the database that was there before is kept
    check: AuditCheck


def sidecars(path: Path) -> tuple[Path, Path]:
    """The key file and the anchor file that belong with the database at `path`."""
    return Path(str(path) + ".key"), Path(str(path) + ".anchor")


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _temp(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _remove(*paths: Path) -> None:
    for path in paths:
        for suffix in ("", "-wal", "-shm", "-journal", ".key", ".anchor"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def _copy_pages(source: sqlite3.Connection, dest: Path, where: Path) -> None:
    """All pages of `source` into a new owner-only file at `dest`, in one step: the copy is one
    read transaction of the source, so it is one consistent snapshot however many writers commit."""
    os.close(os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    target = sqlite3.connect(dest, isolation_level=None)
    try:
        source.backup(target)
    except sqlite3.Error as exc:
        raise translate_error(exc, where) from None
    finally:
        target.close()


def _checked(path: Path) -> tuple[AuditCheck, str]:
    """Open the copy at `path` with its own key and anchor, and check it: SQLite's quick_check, the
    key's check value, the audit chain with the rows it covers, and the anchor."""
    from lobby_tui.store import LobbyStore

    store = LobbyStore(path)
    try:
        store.check()
        store.require_sound()
        check = store.audit_status()
        newest = store.query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        return check, f"{newest[0][0]}:{newest[0][1]}" if newest else ""
    finally:
        store.close()


def backup_database(store: StoreBase, dest: str | os.PathLike[str]) -> BackupResult:
    """Write a checked backup of `store`'s database to `dest` (a file name, or a folder to put a
    dated one in), with `dest`.key and `dest`.anchor beside it. Nothing is left at `dest` unless the
    copy checked out: its chain and rows intact, and the source's anchor found in it."""
    folder = str(dest).endswith(os.sep)  # "usb/": a folder, made if need be
    dest = Path(dest).expanduser()
    if folder:
        private_dir(dest)
    if dest.is_dir():
        dest = dest / f"{Path(store.path).stem}-{_stamp()}.db"
    key, anchor = sidecars(dest)
    for path in (dest, key, anchor):
        if path.exists():
            raise InputError("backup.exists", path=path)
    private_dir(dest.parent)
    store.check()  # the source opens, and its key is its own
    tmp = _temp(dest)
    tmp_key, tmp_anchor = sidecars(tmp)
    try:
        # The anchor before the snapshot: it is only written after its entry committed, so the
        # snapshot holds that entry (as `audit verify` reads them).
        source_anchor = store.anchor_path.read_bytes() if store.anchor_path.exists() else None
        _copy_pages(store.conn, tmp, Path(store.path))
        write_private(tmp_key, store.hash_key + "\n")
        if source_anchor is not None:
            write_private(tmp_anchor, source_anchor.decode())
        check, _ = _checked(tmp)
        if not check.ok:
            raise StoreError("backup.bad", Path(store.path), problem=check.problem or "", seq=check.first_broken)
        # The copy vouches for everything it holds: its anchor now names its own newest entry.
        from lobby_tui.store import LobbyStore

        copy = LobbyStore(tmp)
        try:
            newest = copy.query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
            if newest:
                copy._write_anchor(newest[0][0], newest[0][1])
            copy.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            copy.close()
        for done, final in ((tmp_key, key), (tmp_anchor, anchor), (tmp, dest)):  # the database last
            if done.exists():
                os.replace(done, final)
        fsync_dir(dest.parent)
    except BaseException:
        _remove(tmp)
        raise
    note = {"path": str(dest.resolve()), "ts": datetime.now().astimezone().isoformat(timespec="seconds")}
    try:  # so that a damaged database can name the backup to restore from
        write_private(last_backup_path(store.path), json.dumps(note, ensure_ascii=False) + "\n")
    except OSError:
        pass
    return BackupResult(dest, key, anchor, check)


def restore_database(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> RestoreResult:
    """Put the backup at `source` (with its .key and .anchor) in place at `target`.

    The backup is copied beside the target and checked there first; only then is the database that
    was at `target` (if any) moved aside, kept under a dated name, and the copy moved in. A target
    still open in the app is refused: close the app first."""
    source, target = Path(source).expanduser(), Path(target).expanduser()
    source_key, source_anchor = sidecars(source)
    if not source.is_file():
        raise StoreError("db.missing_dir", source, detail="no such file")
    if not source_key.is_file():
        raise StoreError("db.key_missing", source, keyfile=source_key)
    private_dir(target.parent)
    tmp = _temp(target)
    tmp_key, tmp_anchor = sidecars(tmp)
    kept: Path | None = None
    try:
        try:
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, isolation_level=None)
        except sqlite3.Error as exc:
            raise translate_error(exc, source) from None
        try:
            try:
                if src.execute("PRAGMA application_id").fetchone()[0] != APP_ID:
                    raise StoreError("db.foreign", source)
            except sqlite3.Error as exc:
                raise translate_error(exc, source) from None
            _copy_pages(src, tmp, source)
        finally:
            src.close()
        write_private(tmp_key, source_key.read_text())
        if source_anchor.exists():
            write_private(tmp_anchor, source_anchor.read_text())
        check, _ = _checked(tmp)
        if not check.ok:
            raise StoreError("restore.bad", source, problem=check.problem or "", seq=check.first_broken)
        if target.exists():
            _release(target)
            kept = target.with_name(f"{target.stem}-before-restore-{_stamp()}{target.suffix}")
            for suffix in ("", ".key", ".anchor"):
                if Path(str(target) + suffix).exists():
                    os.replace(str(target) + suffix, str(kept) + suffix)
        for done, final in ((tmp_key, sidecars(target)[0]), (tmp_anchor, sidecars(target)[1]), (tmp, target)):
            if done.exists():
                os.replace(done, final)
        fsync_dir(target.parent)
    except BaseException:
        _remove(tmp)
        raise
    return RestoreResult(target, source, kept, check)


def _release(target: Path) -> None:
    """Make sure nobody has `target` open, and fold its WAL into the file so that the copy kept
    aside is whole: leaving WAL mode needs the only connection to the database."""
    try:
        conn = sqlite3.connect(target, timeout=1, isolation_level=None)
    except sqlite3.Error as exc:
        raise translate_error(exc, target) from None
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.Error as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise StoreError("restore.in_use", target) from None
        raise translate_error(exc, target) from None
    finally:
        conn.close()
    if str(mode).lower() != "delete":
        raise StoreError("restore.in_use", target)


__all__ = ["BackupResult", "RestoreResult", "backup_database", "restore_database"]
