"""What may be shown of a person: names masked, phone and ID numbers never whole.

Full phone, ID and card numbers are never stored: the store keeps a keyed hash for exact lookup and
these display forms (the manual's 138****5678), which cannot be turned back into the number.
"""

from __future__ import annotations

import re
import unicodedata

from lobby_tui.domain.errors import InputError

_PHONE = re.compile(r"^1[3-9]\d{9}$")  # mainland mobile numbers: 13x to 19x


def normalize_phone(text: str) -> str:
    digits = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", text or ""))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not _PHONE.match(digits):
        raise InputError("phone.bad", text=(text or "")[:20])
    return digits


def normalize_last4(text: str) -> str:
    digits = unicodedata.normalize("NFKC", text or "").strip()
    if not (len(digits) == 4 and digits.isdigit() and digits.isascii()):
        raise InputError("last4.bad")
    return digits


def normalize_card(text: str) -> str:
    digits = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text or ""))
    if not (12 <= len(digits) <= 19 and digits.isdigit() and digits.isascii()):
        raise InputError("card.bad")
    return digits


def normalize_name(text: str) -> str:
    name = " ".join(unicodedata.normalize("NFKC", text or "").split())
    if not name:
        raise InputError("name.bad")
    return name[:40]


def mask_phone(phone: str) -> str:
    """138****5678: the first three and last four digits, as the manual shows them."""
    return f"{phone[:3]}****{phone[-4:]}"


def mask_card(last4: str) -> str:
    return f"**** {last4}"


# A run of digits long enough to be a phone, ID or card number, or a mistyped one: seven or more in a
# row, or eleven or more with single spaces or dashes between groups (138 1234 5678); an ID's final X
# with it. A date (2026-11-18) is neither.
_LONG_NUMBER = re.compile(r"(?<![0-9])(?:[0-9]{7,}|[0-9](?:[ -]?[0-9]){10,})(?:[Xx](?![0-9A-Za-z]))?(?![0-9])")
# In an amount, seven digits are a sum (5000000 yuan): only a phone's eleven digits and more are masked.
_LONGER_NUMBER = re.compile(r"(?<![0-9])(?:[0-9]{11,}|[0-9](?:[ -]?[0-9]){10,})(?:[Xx](?![0-9A-Za-z]))?(?![0-9])")


def _mask_number(match: re.Match[str]) -> str:
    digits = re.sub(r"[ -]", "", match.group(0))
    if len(digits) == 11 and digits[0] == "1":
        return mask_phone(digits)
    return "****" + digits[-4:]


def mask_numbers(text: str, *, amount: bool = False) -> str:
    """`text` with every phone, ID or card number in it (whole, or mistyped) masked as the screens
    show them: 138****5678, or the last four (****1234). For messages that echo what was typed or
    what a file held: a full number never reaches a screen, a terminal or a log. In an `amount`,
    only runs of eleven digits or more (a sum that large is refused anyway)."""
    return (_LONGER_NUMBER if amount else _LONG_NUMBER).sub(_mask_number, text)


def mask_name(name: str) -> str:
    """张*明, 张*, 欧阳**; Latin names keep each word's first letter: J*** S****."""
    name = name.strip()
    if not name:
        return ""
    if any(unicodedata.east_asian_width(ch) in "WF" for ch in name):
        chars = [ch for ch in name if not ch.isspace()]
        if len(chars) == 1:
            return chars[0]
        if len(chars) == 2:
            return chars[0] + "*"
        if len(chars) == 3:
            return chars[0] + "*" + chars[2]
        return chars[0] + "*" * (len(chars) - 2) + chars[-1]
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())
