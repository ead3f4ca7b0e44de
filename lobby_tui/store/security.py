"""PINs (scrypt, salted) and the keyed hash that stands in for phone, ID and card numbers."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path

# n=2**14, r=8: about 50 ms a check here, so trying every 6-digit PIN against a stolen file takes
# most of a day per account, while a sign-in stays quick. PINs are 6 to 8 digits (PIN_RULE).
_N, _R, _P = 2**14, 8, 1


PIN_RULE = re.compile(r"^\d{6,8}$")


def check_pin_rule(pin: str) -> None:
    from lobby_tui.domain.errors import InputError

    if not PIN_RULE.match(pin or ""):
        raise InputError("pin.rule")


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, maxmem=64 * 1024 * 1024)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def check_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), maxmem=64 * 1024 * 1024
    )
    return hmac.compare_digest(candidate.hex(), digest)


def keyed_hash(key: str, value: str) -> str:
    """HMAC-SHA256 with the database's own secret: exact lookup without keeping the number."""
    return hmac.new(bytes.fromhex(key), value.encode(), hashlib.sha256).hexdigest()[:32]


def load_or_create_key(path: Path, has_hashes: Callable[[], bool]) -> str:
    """Read the database's hash key from its key file, creating it (0600) for a database with no
    hashed numbers yet. A database whose key file is gone is refused: lookups would silently fail."""
    from lobby_tui.store.database import StoreError

    try:
        key = path.read_text().strip()
        bytes.fromhex(key)
        if len(key) == 64:
            return key
        raise StoreError("db.key_bad", path.with_suffix(""), keyfile=path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        raise StoreError("db.key_bad", path.with_suffix(""), keyfile=path) from None
    if has_hashes():
        raise StoreError("db.key_missing", path.with_suffix(""), keyfile=path)
    key = secrets.token_hex(32)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # fails if another process made the key first: then use theirs
        except FileExistsError:
            return path.read_text().strip()
        return key
    except OSError as exc:
        raise StoreError("db.missing_dir", path, detail=exc.strerror or str(exc)) from None
    finally:
        tmp.unlink(missing_ok=True)
