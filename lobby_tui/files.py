"""Files the app makes are the owner's alone: they hold names, birth dates and assets.

Files are created 0600 and folders 0700 (whatever the umask says); SQLite's own files (the database,
its -wal and -shm) follow the database file's mode, so the database is made 0600 before SQLite opens
it. Nothing here changes a file or folder the app did not make, except to take group and world
access away from its own database files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: str | os.PathLike[str]) -> None:
    """Make `path` and any missing parents, each new one 0700 (an existing folder is left as it is)."""
    path = Path(path)
    missing = []
    while not path.exists():
        missing.append(path)
        if path.parent == path:
            break
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask


def create_private(path: str | os.PathLike[str]) -> None:
    """An empty owner-only file at `path` if there is none; an existing one made owner-only."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass
    make_private(path)


def make_private(path: str | os.PathLike[str]) -> None:
    try:
        if os.stat(path).st_mode & 0o077:
            os.chmod(path, FILE_MODE)
    except OSError:
        pass  # not ours to change (another user's file): SQLite will say what it can do with it


def open_private(path: str | os.PathLike[str], *, append: bool = False) -> TextIO:
    """A text file opened for writing (or appending), created 0600; an existing one made 0600."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    except OSError:
        pass
    return os.fdopen(fd, "a" if append else "w", encoding="utf-8", newline="")


def write_private(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` to a new or existing owner-only file, durably."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), FILE_MODE)
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def fsync_dir(path: str | os.PathLike[str]) -> None:
    """A rename in `path` survives a power cut once its folder is synced."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
