"""Opening a lobby_tui database: recognise it, refuse what is not ours, migrate, set the pragmas.

A lobby_tui file carries PRAGMA application_id = APP_ID and its schema version in PRAGMA user_version.
A file from a newer version, or any other SQLite file, or something that is not SQLite at all, is
refused with a clear message and left exactly as it was (nothing is written before those checks).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from lobby_tui.domain.errors import InputError

APP_ID = 0x4C4F4259  # "LOBY"
BUSY_TIMEOUT_MS = 10_000


class StoreError(InputError):
    """A database that cannot be used; its message says what is wrong and what to do."""

    def __init__(self, key: str, path: str | os.PathLike[str], detail: str = "", **params: object) -> None:
        super().__init__(key, path=str(path), detail=detail, **params)


def last_backup_path(path: str | os.PathLike[str]) -> Path:
    """Where `lobby-tui backup` notes the newest backup of the database at `path` (beside it, not in
    it: a damaged database cannot say where its backup is)."""
    return Path(str(path) + ".lastbackup")


def damaged(path: str | os.PathLike[str], detail: str) -> StoreError:
    """The error for a damaged file, naming the newest backup to restore from when one is known."""
    import json

    try:
        note = json.loads(last_backup_path(path).read_text(encoding="utf-8"))
        backup, when = str(note["path"]), str(note["ts"])
    except (OSError, ValueError, KeyError, TypeError):
        return StoreError("db.damaged", path, detail=detail)
    return StoreError("db.damaged_backup", path, detail=detail, backup=backup, when=when)


FULL_BELOW_BYTES = 1 << 20  # less free than this, where the database lives: the disk is full


def _disk_full(path: str | os.PathLike[str]) -> bool:
    try:
        return shutil.disk_usage(Path(path).resolve().parent).free < FULL_BELOW_BYTES
    except OSError:
        return False


def translate_error(exc: sqlite3.Error, path: str | os.PathLike[str]) -> InputError:
    """sqlite3's exceptions, as something a person can act on."""
    text = str(exc).lower()
    if text.startswith("lobby_tui."):  # a trigger's refusal (migration v4): a closed shift is locked
        return InputError(text.removeprefix("lobby_tui.").replace("_", ".", 1))
    if "locked" in text or "busy" in text:
        return StoreError("db.locked", path)
    if "readonly" in text or "read-only" in text:
        return StoreError("db.readonly", path)
    if "full" in text or ("i/o error" in text and _disk_full(path)):
        # A read on a full disk fails as "disk I/O error" (the WAL index cannot grow): say what it is.
        return StoreError("db.full", path)
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return damaged(path, str(exc))
    if "unable to open" in text:
        return StoreError("db.missing_dir", path, detail=str(exc))
    return StoreError("db.error", path, detail=str(exc))


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we say BEGIN and COMMIT ourselves, so a commit is exactly where we mean it.
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def open_database(path: str | os.PathLike[str], *, create: bool = True) -> sqlite3.Connection:
    """A connection to an up-to-date lobby_tui database at `path`, for the calling thread only."""
    from lobby_tui.files import create_private, make_private, private_dir
    from lobby_tui.store import deferred_indexes
    from lobby_tui.store.migrations import SCHEMA_VERSION, migrate

    path = Path(path)
    if not path.exists():
        if not create:
            raise StoreError("db.missing_dir", path, detail="no such file")
        try:
            # Folders 0700 and the file 0600 before SQLite opens it: SQLite gives the -wal and -shm
            # files the database file's mode, so they are the owner's alone too.
            private_dir(path.parent)
            create_private(path)
        except OSError as exc:
            raise StoreError("db.missing_dir", path, detail=exc.strerror or str(exc)) from None
    elif path.is_dir():
        raise StoreError("db.foreign", path)
    try:
        conn = _connect(path)
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from None
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        if app_id != APP_ID and (app_id != 0 or has_tables or version != 0):
            raise StoreError("db.foreign", path)
        if version > SCHEMA_VERSION:
            raise StoreError("db.newer", path, found=version, supported=SCHEMA_VERSION)
        for suffix in ("", "-wal", "-shm"):  # ours: a file made world-readable before is made private
            make_private(f"{path}{suffix}")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        # FULL: a confirmed visit survives a power cut, not only a crash of the app.
        conn.execute("PRAGMA synchronous = FULL")
        if version > 0:
            deferred_indexes.restore(conn)  # what an import killed before its end left off
        if version < SCHEMA_VERSION:
            migrate(conn)  # before WAL: a migration that fails leaves the file exactly as it was
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    except StoreError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise translate_error(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return conn
