"""Guidance (manual §3, §4.6): from tier, flags, visit reason and amount to where the customer goes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from lobby_tui.domain.rules import (
    GuidanceRules,
    Reason,
    TierTable,
    guidance_rules,
    tier_table,
)


@dataclass(frozen=True)
class Recommendation:
    destination: str
    refer_to: str | None
    why: dict[str, str]  # {"zh": ..., "en": ...}
    alternatives: tuple[str, ...]  # other destinations, most sensible first


def _channels_possible(rules: GuidanceRules, reason: Reason, amount: Decimal | None) -> bool:
    limit = rules.limit(reason)
    return bool(reason.channels) and (limit is None or amount is None or amount <= limit)


def recommend(
    tier: str,
    reason: str,
    amount: Decimal | None = None,
    *,
    potential_quality: bool = False,
    waiting: Mapping[str, int] | None = None,
    tiers: TierTable | None = None,
    rules: GuidanceRules | None = None,
) -> Recommendation:
    """Where to guide this customer, the referral on if any, and why in both languages.

    `waiting` is how many customers wait at each destination now; a long counter queue turns the
    recommendation to a channel where the business can be done.
    """
    tiers = tiers or tier_table()
    rules = rules or guidance_rules()
    r = rules.reason(reason)
    channel_ok = _channels_possible(rules, r, amount)
    limit = rules.limit(r)

    if tiers.is_quality(tier):
        destination, why_key = r.quality, "quality"
    elif potential_quality:
        destination, why_key = r.quality, "potential_quality"
    elif channel_ok:
        destination, why_key = r.channels[0], "channel"
    elif r.channels and limit is not None and amount is not None and amount > limit:
        destination, why_key = r.counter, "over_limit"
    else:
        destination, why_key = r.counter, "counter_only"

    # A long counter queue turns a customer to a channel where the business can be done - except a
    # quality customer, whose priority service the manual puts first.
    queue = (waiting or {}).get(destination, 0)
    if (
        why_key != "quality"
        and rules.destinations[destination].counter
        and channel_ok
        and queue >= rules.settings["long_queue"]
    ):
        destination, why_key = r.channels[0], "long_queue"

    refer_to = rules.referral_for(tier)
    why = {}
    for lang in ("zh", "en"):
        fill = {
            "tier": tiers.tier(tier).label[lang],
            "dest": rules.destinations[destination].label[lang],
            "reason": r.label[lang],
            "limit": f"{limit:,.0f}" if limit is not None else "",
        }
        text = rules.why[why_key][lang].format(**fill)
        if refer_to:
            sep = "" if lang == "zh" else " "
            text += sep + rules.why["referral"][lang].format(refer=rules.referrals[refer_to].label[lang])
        why[lang] = text

    order = [
        r.quality,
        *r.channels,
        r.counter,
        "priority_counter",
        "account_manager",
        "non_cash_counter",
        "cash_counter",
        "self_service",
        "e_banking",
    ]
    alternatives = tuple(dict.fromkeys(d for d in order if d != destination))
    return Recommendation(destination, refer_to, why, alternatives)
