"""PINs (scrypt, salted) and the keyed hash that stands in for phone, ID and card numbers."""

from __future__ import annotations

import hashlib
import hmac
import secrets

# n=2**14, r=8: about 50 ms a check here, slow enough to make guessing a 6-digit PIN from a stolen
# file costly, quick enough for a sign-in.
_N, _R, _P = 2**14, 8, 1


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
    candidate = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                               maxmem=64 * 1024 * 1024)
    return hmac.compare_digest(candidate.hex(), digest)


def keyed_hash(key: str, value: str) -> str:
    """HMAC-SHA256 with the database's own secret: exact lookup without keeping the number."""
    return hmac.new(bytes.fromhex(key), value.encode(), hashlib.sha256).hexdigest()[:32]
