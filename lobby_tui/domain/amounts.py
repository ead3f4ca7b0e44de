"""Amounts as bank staff type them: 200000, 200,000, 20万, 20.5万, 1000万, 5千, 1.2亿, with or without 元.

Always Decimal, never float: a tier boundary at 200,000.00 must not become 199,999.9999.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation, localcontext

from lobby_tui.domain.errors import InputError

FEN = Decimal("0.01")
# Nothing a lobby sees is above 10 trillion CNY (10万亿); anything larger is a typing slip.
ABSURD = Decimal("10000000000000")

_UNITS = {
    "": Decimal(1),
    "千": Decimal(1_000),
    "k": Decimal(1_000),
    "万": Decimal(10_000),
    "w": Decimal(10_000),
    "百万": Decimal(1_000_000),
    "千万": Decimal(10_000_000),
    "亿": Decimal(100_000_000),
}
_NUMBER = r"(?P<num>\d+(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\.\d+)"
_PATTERN = re.compile(rf"^{_NUMBER}\s*(?P<unit>百万|千万|千|万|亿|k|w)?\s*(?:元|rmb|cny|yuan)?$", re.IGNORECASE)


def parse_amount(text: str | None) -> Decimal:
    """The amount in CNY, exact to the fen; InputError with a message for anything else."""
    if text is None:
        raise InputError("amount.empty")
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    if not raw:
        raise InputError("amount.empty")
    shown = raw[:40]
    compact = raw.replace("，", ",").replace(" ", "")
    if compact.startswith("-") or compact.startswith("−"):
        raise InputError("amount.negative", text=shown)
    compact = compact.lstrip("+")
    match = _PATTERN.match(compact)
    if not match:
        raise InputError("amount.not_number", text=shown)
    try:
        with localcontext() as ctx:
            ctx.prec = 80
            number = Decimal(match["num"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise InputError("amount.not_number", text=shown) from None
    if len(match["num"]) > 40:
        raise InputError("amount.too_fine" if "." in match["num"] else "amount.absurd", text=shown)
    return _checked(number, _UNITS[(match["unit"] or "").lower()], shown)


def _checked(number: Decimal, unit: Decimal, shown: str) -> Decimal:
    # Enough precision that no digit typed is ever rounded away before the fen check.
    with localcontext() as ctx:
        ctx.prec = 80
        value = number * unit
        if value > ABSURD:
            raise InputError("amount.absurd", text=shown)
        if value != value.quantize(FEN):
            raise InputError("amount.too_fine", text=shown)
        return value.quantize(FEN)


def parse_wan(text: str | None) -> Decimal:
    """An amount typed in a field labelled 万元: a bare number is in 万 (20 → 200,000);
    with a unit (元, 千, 万, 亿) it means what it says."""
    raw = unicodedata.normalize("NFKC", str(text or "")).strip()
    value = parse_amount(raw)
    bare = not re.search(r"[^\d.,，\s+]", raw)
    return _checked(value, Decimal(10_000), raw[:40]) if bare else value


# A bare number this large in a field labelled 万元 is 1亿 or more: far more often an amount in 元
# typed into the 万 field (200000 for 20万) than a real one, so it is questioned, not taken.
WAN_QUESTIONED = Decimal(10_000)


def parse_wan_field(text: str | None) -> Decimal:
    """What a person typed in a field labelled 万元 (assets, an amount on the guidance screen).

    Like parse_wan, with messages whose examples fit the field, and a bare number of 10,000 or
    more refused with a question: 12000万 or 1.2亿 says such a sum on purpose."""
    raw = unicodedata.normalize("NFKC", str(text or "")).strip()
    try:
        value = parse_wan(raw)
    except InputError as exc:
        if exc.key == "amount.not_number":
            raise InputError("amount.not_wan", text=raw[:40]) from None
        raise
    bare = not re.search(r"[^\d.,，\s+]", raw)
    if bare and value >= WAN_QUESTIONED * 10_000:
        yi = (value / 100_000_000).normalize()
        raise InputError(
            "amount.wan_check", text=raw[:40], shown=f"{yi:f}亿", unit_form=f"{(value / 10_000).normalize():f}万"
        )
    return value


def to_fen(amount: Decimal) -> int:
    """Whole fen, for storing: exact, and fast to compare in SQLite."""
    return int((amount * 100).to_integral_value())


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


def format_amount(amount: Decimal, lang: str) -> str:
    """How a person reads it: 20.5万 or 1.2亿 in Chinese, 205,000 in English."""
    if lang == "zh" and amount >= 100_000_000:
        yi = (amount / 100_000_000).quantize(Decimal("0.01")).normalize()
        return f"{yi:f}亿"
    if lang == "zh" and amount >= 10_000:
        wan = (amount / 10_000).quantize(Decimal("0.01")).normalize()
        return f"{wan:f}万"
    whole = amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount
    return f"{whole:,}"
