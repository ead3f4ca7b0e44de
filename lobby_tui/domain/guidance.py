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
    lead: bool = False  # the visit makes or adds to a lead for an account manager
    rule: str = "channel"  # the why key of the rule that fired
    check_booking: bool = False  # large cash: check for a booking (大额取现预约)
    sales: bool = False  # the business is a sales conversation


def _channels_possible(rules: GuidanceRules, reason: Reason, amount: Decimal | None) -> bool:
    limit = rules.limit(reason)
    return bool(reason.channels) and (limit is None or amount is None or amount <= limit)


def _higher(tiers: TierTable, a: str, b: str | None) -> str:
    return a if b is None or tiers.rank(a) <= tiers.rank(b) else b


def recommend(
    tier: str,
    reason: str,
    amount: Decimal | None = None,
    *,
    potential_quality: bool = False,
    tier_with_other_assets: str | None = None,
    waiting: Mapping[str, int] | None = None,
    estimates: Mapping[str, float | None] | None = None,
    tiers: TierTable | None = None,
    rules: GuidanceRules | None = None,
) -> Recommendation:
    """Where to guide this customer, the referral on if any, and why in both languages.

    The rules, first that applies (each a key of [why] in data/guidance.toml):
    every_tier (a complaint: the duty manager) · quality (the reason's quality destination) ·
    potential_quality (quality once other banks' assets count: an account manager for a sales
    conversation, else the quality destination; always a lead) · sales (a `sales_tiers` customer's
    sales conversation: an account manager) · channel · over_limit · counter_only; then a long counter
    queue turns a customer below quality to a channel (long_queue). `tier_with_other_assets` also
    picks the referral (5万 here and 900万 elsewhere: the high-end referral).

    `waiting` is how many customers wait at each destination now; `estimates` the estimated wait in
    minutes at each (domain/waits.py; None: the destination is closed). Where the destination has an
    estimate, the long-queue diversion goes by it (at or over settings.long_wait_minutes, or closed);
    else by the bare count (settings.long_queue).
    """
    tiers = tiers or tier_table()
    rules = rules or guidance_rules()
    r = rules.reason(reason)
    tiers.tier(tier)
    target = _higher(tiers, tier, tier_with_other_assets)
    channel_ok = _channels_possible(rules, r, amount)
    limit = rules.limit(r)
    quality = tiers.is_quality(tier)
    potential_quality = not quality and (potential_quality or tiers.is_quality(target))
    sales = rules.is_sales(r, amount)

    if r.every_tier:
        destination, why_key = r.every_tier, "every_tier"
    elif quality:
        destination, why_key = r.quality, "quality"
    elif potential_quality:
        destination, why_key = ("account_manager" if sales else r.quality), "potential_quality"
    elif sales and target in rules.settings["sales_tiers"]:
        destination, why_key = "account_manager", "sales"
    elif channel_ok:
        destination, why_key = r.channels[0], "channel"
    elif r.channels and limit is not None and amount is not None and amount > limit:
        destination, why_key = r.counter, "over_limit"
    else:
        destination, why_key = r.counter, "counter_only"

    # A long counter queue turns a customer to a channel where the business can be done - except a
    # quality customer, whose priority service the manual puts first.
    if estimates is not None and destination in estimates:
        estimate = estimates[destination]
        long_queue = estimate is None or estimate >= rules.settings["long_wait_minutes"]
    else:
        long_queue = (waiting or {}).get(destination, 0) >= rules.settings["long_queue"]
    if (
        why_key not in ("quality", "every_tier")
        and rules.destinations[destination].counter
        and channel_ok
        and long_queue
    ):
        destination, why_key = r.channels[0], "long_queue"

    lead_for = rules.settings["lead_for"]
    lead = (quality and "quality" in lead_for) or (potential_quality and "potential_quality" in lead_for)
    check_booking = rules.needs_booking_check(r, amount)
    refer_to = rules.referral_for(tier) or rules.referral_for(target)
    line = rules.amount_setting(r.booking_line)
    why = {}
    for lang in ("zh", "en"):
        fill = {
            "tier": tiers.tier(tier).label[lang],
            "target": tiers.tier(target).label[lang],
            "dest": rules.destinations[destination].label[lang],
            "reason": r.label[lang],
            "limit": f"{limit:,.0f}" if limit is not None else "",
            "line": f"{line:,.0f}" if line is not None else "",
        }
        parts = [rules.why[why_key][lang].format(**fill)]
        if target != tier and why_key != "sales":
            parts.append(rules.why["competition"][lang].format(**fill))
        if refer_to:
            parts.append(rules.why["referral"][lang].format(refer=rules.referrals[refer_to].label[lang], **fill))
        if lead and destination != "account_manager":
            parts.append(rules.why["lead"][lang].format(**fill))
        if check_booking:
            parts.append(rules.why["large_cash"][lang].format(**fill))
        why[lang] = ("" if lang == "zh" else " ").join(parts)

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
        "duty_manager",
    ]
    alternatives = tuple(dict.fromkeys(d for d in order if d != destination))
    return Recommendation(destination, refer_to, why, alternatives, lead, why_key, check_booking, sales)
