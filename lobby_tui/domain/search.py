"""What a lobby manager typed in the one search box: phone last four, phone, card, ID number or name."""

from __future__ import annotations

import re
import unicodedata

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.idnumber import parse_id_number


def search_terms(text: str) -> dict[str, str] | None:
    """Keyword arguments for LobbyStore.lookup from what was typed in the one search box:
    phone_last4, phone, id_number, card or name — or phone last four and a name prefix together
    ("0001 王", "王 0001"), which narrows a hundred matches in a large directory to a handful.

    None for an empty box; InputError for digits that fit nothing (5 digits, say)."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    both = re.fullmatch(r"(\d{4})\s*([^\d\s].*)|([^\d\s][^\d]*?)\s*(\d{4})", raw)
    if both:
        last4 = both.group(1) or both.group(4)
        name = (both.group(2) or both.group(3)).strip()
        return {"phone_last4": last4, "name": name}
    kind = search_kind(raw)
    return None if kind is None else {kind[0]: kind[1]}


def search_kind(text: str) -> tuple[str, str] | None:
    """(kind, value) for LobbyStore.lookup: kind is phone_last4, phone, id_number, card or name.

    None for an empty box; InputError for digits that fit nothing (5 digits, say)."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    compact = re.sub(r"[\s\-]", "", raw)
    if not compact:
        return None
    if re.fullmatch(r"\d{17}[\dXx]", compact):
        try:
            parse_id_number(compact)
            return "id_number", compact
        except InputError:
            if compact.isdigit():
                return "card", compact  # 18-digit card numbers exist
            raise
    if compact.isdigit():
        if len(compact) == 4:
            return "phone_last4", compact
        if len(compact) == 11 and compact.startswith("1"):
            return "phone", compact
        if 12 <= len(compact) <= 19:
            return "card", compact
        raise InputError("search.digits", n=len(compact))
    if compact.startswith("+86") and compact[3:].isdigit():
        return "phone", compact
    return "name", raw
