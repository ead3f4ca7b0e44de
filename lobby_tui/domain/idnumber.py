"""PRC resident ID numbers (GB 11643-1999): 18 characters, birth date in 7-14, ISO 7064 MOD 11-2.

A wrong number is refused with the reason, never guessed or corrected.
"""

from __future__ import annotations

import operator
import unicodedata
from dataclasses import dataclass
from datetime import date

from lobby_tui.domain.errors import InputError

# The oldest age taken from anyone: `--age 136` is refused, and so is an ID number whose birth date
# gives an age over this on the day it is read (one rule for both, manual §4.5).
MAX_AGE = 130

_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_CHECK = "10X98765432"
# Province-level codes (first two digits) in use, plus 83 (Taiwan) and 81/82 (HK/Macao residence IDs).
PROVINCES = {
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
    "83",
}


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: date

    @property
    def last4(self) -> str:
        return self.number[-4:]

    @property
    def masked(self) -> str:
        return mask_id_last4(self.last4)

    def age_on(self, on: date) -> int:
        return age_on(self.birth_date, on)


_DIGIT_OFFSET = ord("0") * sum(_WEIGHTS)


def check_character(first17: str) -> str:
    if len(first17) == 17 and first17.isascii() and first17.isdigit():
        # The same sum over the bytes, in C (an import checks a million numbers).
        return _CHECK[(sum(map(operator.mul, first17.encode(), _WEIGHTS)) - _DIGIT_OFFSET) % 11]
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalize_id(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().replace(" ", "").upper()


def parse_id_number(text: str | None, today: date | None = None) -> IdNumber:
    raw = normalize_id(text or "")
    if not raw:
        raise InputError("id.empty")
    if len(raw) != 18:
        raise InputError("id.length", n=len(raw))
    if not raw[:17].isdigit() or not (raw[17].isdigit() or raw[17] == "X") or not raw.isascii():
        raise InputError("id.chars")
    if raw[:2] not in PROVINCES:
        raise InputError("id.region", region=raw[:6])
    birth_text = raw[6:14]
    try:
        birth = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:8]))
    except ValueError:
        raise InputError("id.birth", birth=birth_text) from None
    if birth.year < 1890:
        raise InputError("id.birth", birth=birth_text)
    on = today or date.today()
    if birth > on:
        raise InputError("id.future", birth=birth_text)
    if age_on(birth, on) > MAX_AGE:
        raise InputError("id.too_old", birth=birth_text, max=MAX_AGE)
    if check_character(raw[:17]) != raw[17]:
        raise InputError("id.check")
    return IdNumber(raw, birth)


def age_on(birth: date, on: date) -> int:
    """Whole years on `on`; someone born on 29 February turns a year older on 1 March."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def mask_id_last4(last4: str) -> str:
    return "*" * 14 + last4
