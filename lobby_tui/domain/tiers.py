"""Classification (manual §4): the tier here, the tier once other banks count, quality, potential quality."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.idnumber import MAX_AGE
from lobby_tui.domain.rules import GuidanceRules, TierTable, guidance_rules, tier_table


@dataclass(frozen=True)
class Classification:
    tier: str
    tier_with_other_assets: str
    quality: bool
    potential_quality: bool
    age: int | None
    # What the lookup should still ask for (age, education): unknown facts are never guessed, and
    # until they are known a customer under the asset line counts as ordinary.
    missing: tuple[str, ...] = ()

    @property
    def competition_target(self) -> bool:
        """Higher once other banks' assets count (manual §4.4): a target for that tier."""
        return self.tier_with_other_assets != self.tier


def parse_education(text: str | None, table: TierTable | None = None) -> str | None:
    """An education code from a code or a Chinese word (本科, 大专, 高中); None when blank."""
    table = table or tier_table()
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw:
        return None
    lowered = raw.lower().replace("-", "_").replace(" ", "_")
    for level in table.education:
        if (
            lowered == level.code
            or raw in level.aliases
            or raw == level.label["zh"]
            or raw.lower() == level.label["en"].lower()
        ):
            return level.code
    raise InputError("education.bad", text=raw[:20], choices=", ".join(e.code for e in table.education))


def _tier_for(table: TierTable, assets: Decimal, age: int | None, education: str | None) -> tuple[str, tuple[str, ...]]:
    missing: list[str] = []
    for tier in table.tiers:
        if assets < tier.min_assets:
            continue
        if not tier.conditional:
            return tier.code, tuple(missing)
        if education is None:
            missing.append("education")
        if age is None:
            missing.append("age")
        if missing:
            continue
        assert education is not None and age is not None  # else `missing` would name them
        assert tier.min_education is not None and tier.min_age is not None and tier.max_age is not None
        if (
            table.education_rank(education) >= table.education_rank(tier.min_education)
            and tier.min_age <= age <= tier.max_age
        ):
            return tier.code, ()
    raise AssertionError("the last tier takes everyone")  # checked when the table is loaded


def classify(
    assets: Decimal,
    other_assets: Decimal = Decimal(0),
    *,
    age: int | None = None,
    education: str | None = None,
    table: TierTable | None = None,
) -> Classification:
    table = table or tier_table()
    tier, missing = _tier_for(table, assets, age, education)
    with_other, _ = _tier_for(table, assets + other_assets, age, education)
    quality = table.is_quality(tier)
    potential_quality = not quality and assets + other_assets >= table.quality_line
    return Classification(tier, with_other, quality, potential_quality, age, missing)


def parse_age(text: str | int | None) -> int | None:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        age = int(str(text).strip())
    except ValueError:
        raise InputError("age.bad", text=str(text)[:20]) from None
    if not 0 <= age <= MAX_AGE:
        raise InputError("age.bad", text=str(text)[:20])
    return age


TALKING_COLUMNS = ("planning", "investment", "added_services", "cards", "loans", "e_channels")


def talking_points(
    tier: str,
    lang: str,
    table: TierTable | None = None,
    limit: int = 3,
    *,
    reason: str | None = None,
    rules: GuidanceRules | None = None,
) -> list[str]:
    """Two or three things worth mentioning, from the visit's business and the tier together.

    A reason with talking points in data/guidance.toml ([talking.<reason>]) gets its own text first,
    then what this tier offers in that reason's columns (a wealth enquiry: planning and investment;
    a card loss: the e-channels that would have stopped it), what the tier below lacks first. Any
    other reason gets what this tier's row offers that the row below does not."""
    table = table or tier_table()
    codes = [t.code for t in table.tiers]
    row = table.tier(tier).entitlements
    below = table.tier(codes[codes.index(tier) + 1]).entitlements if tier != codes[-1] else None
    talking = (rules or guidance_rules()).talking.get(reason) if reason else None
    points: list[str] = []
    columns: tuple[str, ...] = TALKING_COLUMNS
    if talking is not None:
        points.extend(talking.text[lang][:limit])
        columns = talking.columns
    for column in columns:  # one per column: what the tier below lacks (for a reason: else the first)
        lower = set(below[column]["zh"]) if below else set()
        pairs = [
            (zh, text) for zh, text in zip(row[column]["zh"], row[column][lang], strict=True) if text not in points
        ]
        pick = next((text for zh, text in pairs if zh not in lower), None)
        if pick is None and talking is not None and pairs:
            pick = pairs[0][1]
        if pick is not None:
            points.append(pick)
        if len(points) >= limit:
            return points[:limit]
    for column in columns:  # then the tier's own offer, in order
        for text in row[column][lang]:
            if len(points) >= limit:
                return points
            if text not in points:
                points.append(text)
                if talking is None:
                    break  # the tier's own points: the first of each column
    return points[:limit]
