"""The app's log: one rotating file in the user's log folder (placeholder; see the next commit)."""

from __future__ import annotations


def log_event(event: str, **fields: object) -> None:
    """Write one line about `event` (counts and codes only, never a name, phone, ID or card)."""
