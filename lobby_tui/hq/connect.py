"""Reaching head office: the DSN checked, the connection opened, and psycopg's errors put as one line a
person can act on (never the password)."""

from __future__ import annotations

import os
from typing import Any

from lobby_tui.store.database import StoreError

DSN_ENV = "LOBBY_TUI_HQ_DSN"
CONNECT_TIMEOUT_S = 10


class HqError(StoreError):
    """Head office cannot be used (unreachable, refused, wrong schema): exit status 1, one line.

    `path` is where head office is, as a person reads it (user@host:port/database, no password)."""


def resolve_dsn(arg: str | None, option: str = "--dsn") -> str:
    """The DSN of `option` (sync's --to, hq's --dsn), else $LOBBY_TUI_HQ_DSN. Neither is bad usage
    (exit status 2, naming the command's own option), not a head office that cannot be used."""
    from lobby_tui.domain.errors import InputError

    dsn = (arg or os.environ.get(DSN_ENV) or "").strip()
    if not dsn:
        raise InputError("hq.no_dsn", option=option, env=DSN_ENV)
    return dsn


def describe(dsn: str) -> str:
    """Where a DSN points, without its password: user@host:port/dbname."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        info = conninfo_to_dict(dsn)
    except Exception:
        return "?"
    host = str(info.get("host") or "localhost")
    port = str(info.get("port") or "5432")
    user = f"{info['user']}@" if info.get("user") else ""
    return f"{user}{host}:{port}/{info.get('dbname') or info.get('user') or ''}"


def check_dsn(dsn: str) -> None:
    """A postgresql:// (or postgres://) URI, or libpq's key=value form; anything else is refused."""
    lowered = dsn.lower()
    if "://" in dsn:
        if not lowered.startswith(("postgresql://", "postgres://")):
            raise HqError("hq.not_postgres", dsn.split("://", 1)[0][:20] + "://…")
    elif "=" not in dsn:
        raise HqError("hq.not_postgres", dsn[:40])
    try:
        from psycopg.conninfo import conninfo_to_dict

        conninfo_to_dict(dsn)
    except Exception as exc:
        raise HqError("hq.bad_dsn", describe(dsn), detail=first_line(exc)) from None


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0].strip() if text else type(exc).__name__


def connection_error(exc: BaseException, dsn: str) -> HqError:
    """psycopg's error on connecting, as the HqError that says what to do."""
    where = describe(dsn)
    state = getattr(exc, "sqlstate", None)
    text = str(exc).lower()
    if state in ("28P01", "28000") or "password authentication failed" in text or "no password supplied" in text:
        return HqError("hq.auth", where, detail=_libpq_reason(exc))
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return HqError("hq.no_database", where, detail=_libpq_reason(exc))
    return HqError("hq.unreachable", where, detail=_libpq_reason(exc))


def _libpq_reason(exc: BaseException) -> str:
    """libpq puts 'connection failed: connection to server at "…", port … failed:' before the reason:
    keep the reason, one line."""
    line = first_line(exc)
    reason = line.rsplit("failed:", 1)[-1].strip() if "failed:" in line else line
    for prefix in ("FATAL:", "ERROR:"):
        reason = reason.removeprefix(prefix).strip()
    return " ".join(reason.split()) or line


def connect(dsn: str, *, autocommit: bool = False) -> Any:
    """An open psycopg connection to head office, or HqError."""
    check_dsn(dsn)
    import psycopg

    try:
        return psycopg.connect(dsn, autocommit=autocommit, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.Error as exc:
        raise connection_error(exc, dsn) from None


def is_connection_lost(exc: BaseException) -> bool:
    """The server went away mid-way (restart, network): worth trying again, unlike a refusal."""
    import psycopg

    if isinstance(exc, psycopg.OperationalError):
        return True
    state = getattr(exc, "sqlstate", None) or ""
    # 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now; class 08: connection
    return state.startswith("08") or state in ("57P01", "57P02", "57P03")
