"""The tier table (data/tiers.toml) and guidance rules (data/guidance.toml), loaded and validated.

The files ship inside the package (lobby_tui/data in a wheel; data/ beside the package in a checkout).
LOBBY_TUI_DATA may name a folder with a branch's own copies. A file that cannot be used is refused with
a RulesError naming the file, the key and the problem; nothing guesses around a bad file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lobby_tui.domain.errors import InputError, RulesError

if TYPE_CHECKING:
    from lobby_tui.domain.settings import Layered

TIER_CODES = ("private_banking", "high_end", "mid_end", "mass_affluent", "potential", "ordinary")
EDUCATION_CODES = (
    "none",
    "primary",
    "junior_high",
    "senior_high",
    "associate",
    "bachelor",
    "master",
    "doctorate",
)
REASON_CODES = (
    "cash_withdrawal",
    "cash_deposit",
    "transfer",
    "bill_payment",
    "balance_statement",
    "card_services",
    "account_opening",
    "account_closing",
    "loss_report",
    "foreign_exchange",
    "wealth_products",
    "loans",
    "insurance",
    "mobile_banking_setup",
    "complaint",
    "other",
)
DESTINATION_CODES = (
    "cash_counter",
    "non_cash_counter",
    "priority_counter",
    "self_service",
    "e_banking",
    "account_manager",
    "duty_manager",
)
REFERRAL_CODES = ("wealth_management_centre", "private_banking")
PRODUCT_COLUMNS = (
    "cards",
    "cash_management",
    "investment",
    "planning",
    "insurance",
    "loans",
    "added_services",
)
ENTITLEMENT_COLUMNS = ("brand", "outlets", "e_channels", *PRODUCT_COLUMNS)
WHY_KEYS = (
    "quality",
    "potential_quality",
    "referral",
    "channel",
    "over_limit",
    "counter_only",
    "long_queue",
    "sales",
    "every_tier",
    "competition",
    "lead",
    "large_cash",
)
MAX_WINDOWS = 20  # windows open at one destination, at most (data/guidance.toml, the board's `w`)
# Who may become a lead for an account manager (settings.lead_for).
LEAD_FLAGS = ("quality", "potential_quality")
WHY_PLACEHOLDERS = ("tier", "dest", "reason", "limit", "refer", "target", "line")

Labels = dict[str, str]  # {"zh": ..., "en": ...}


@dataclass(frozen=True)
class Tier:
    code: str
    min_assets: Decimal
    label: Labels
    short: Labels
    colour: str
    profile: Labels
    entitlements: dict[str, Any]  # column -> {"zh": str | list, "en": str | list}
    min_education: str | None = None
    min_age: int | None = None
    max_age: int | None = None

    @property
    def conditional(self) -> bool:
        return self.min_education is not None


@dataclass(frozen=True)
class Education:
    code: str
    rank: int
    label: Labels
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class TierTable:
    tiers: tuple[Tier, ...]  # highest first
    quality_line: Decimal
    education: tuple[Education, ...]
    by_code: dict[str, Tier] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_code", {t.code: t for t in self.tiers})

    def tier(self, code: str) -> Tier:
        try:
            return self.by_code[code]
        except KeyError:
            raise InputError("tier.unknown", text=str(code)[:30], choices=", ".join(self.by_code)) from None

    def rank(self, code: str) -> int:
        """0 for the highest tier; larger is lower."""
        return [t.code for t in self.tiers].index(code)

    def is_quality(self, code: str) -> bool:
        tier = self.tier(code)
        return tier.min_assets >= self.quality_line and not tier.conditional

    def education_rank(self, code: str) -> int:
        for level in self.education:
            if level.code == code:
                return level.rank
        raise InputError("education.bad", text=str(code)[:20], choices=", ".join(e.code for e in self.education))


@dataclass(frozen=True)
class Destination:
    code: str
    label: Labels
    prefix: str
    counter: bool
    queue: bool = True  # shown as a queue on the board's waiting strip
    windows: int = 1  # windows (counters, machines, people) open at the start of a shift
    service_minutes: float = 8.0  # the wait estimate's prior: minutes of one service (domain/waits.py)


@dataclass(frozen=True)
class Reason:
    code: str
    key: str
    label: Labels
    channels: tuple[str, ...]
    counter: str
    quality: str
    limit: str | None  # a settings key
    sales: bool = False  # a sales conversation whatever the amount
    sales_above: str | None = None  # a settings key: above it, a sales conversation
    every_tier: str | None = None  # a destination for every tier (a complaint: the duty manager)
    booking_line: str | None = None  # a settings key: at or above it, check for a booking


@dataclass(frozen=True)
class Talking:
    """Talking points for a visit reason: fixed text, then what the tier offers in these columns."""

    text: dict[str, list[str]]
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Referral:
    code: str
    label: Labels
    tiers: tuple[str, ...]


@dataclass(frozen=True)
class GuidanceRules:
    settings: dict[str, Any]
    destinations: dict[str, Destination]
    referrals: dict[str, Referral]
    reasons: tuple[Reason, ...]
    why: dict[str, Labels]
    greetings: tuple[tuple[int, Labels], ...] = ()  # (from_hour, text), earliest first
    talking: dict[str, Talking] = field(default_factory=dict)  # reason code -> its talking points

    def greeting(self, hour: int) -> Labels:
        """The standard greeting for this hour of the day."""
        chosen = self.greetings[0][1]
        for from_hour, text in self.greetings:
            if hour >= from_hour:
                chosen = text
        return chosen

    def reason(self, code: str) -> Reason:
        for r in self.reasons:
            if r.code == code:
                return r
        raise InputError("reason.unknown", text=str(code)[:30], choices=", ".join(r.code for r in self.reasons))

    def limit(self, reason: Reason) -> Decimal | None:
        return Decimal(self.settings[reason.limit]) if reason.limit else None

    def amount_setting(self, key: str | None) -> Decimal | None:
        return Decimal(self.settings[key]) if key else None

    def is_sales(self, reason: Reason, amount: Decimal | None) -> bool:
        """A sales conversation (an account manager's business): always, or above an amount."""
        if reason.sales:
            return True
        line = self.amount_setting(reason.sales_above)
        return line is not None and amount is not None and amount > line

    def needs_booking_check(self, reason: Reason, amount: Decimal | None) -> bool:
        line = self.amount_setting(reason.booking_line)
        return line is not None and amount is not None and amount >= line

    def referral_for(self, tier: str) -> str | None:
        return next((r.code for r in self.referrals.values() if tier in r.tiers), None)


# ---------------------------------------------------------------- locating and reading


def data_dir() -> Path:
    override = os.environ.get("LOBBY_TUI_DATA")
    if override:
        return Path(override)
    packaged = Path(__file__).resolve().parent.parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "data"  # a source checkout


def _read(path: Path) -> dict[str, Any]:
    from lobby_tui.domain.settings import read_toml

    return read_toml(path)


def _load(path: Path | None, name: str) -> tuple[dict[str, Any], _Checker]:
    """The document to check and its checker: `path` itself when given (a test, a file being tried),
    else the packaged file with the branch's overrides from the config folders (domain/settings.py),
    each problem named by the file that set the key."""
    if path is not None:
        return _read(path), _Checker(path)
    from lobby_tui.domain.settings import layered

    result = layered(name, data_dir() / name)
    return result.doc, _Checker(result.default, result)


class _Checker:
    """Small helpers that raise RulesError with the file and key path."""

    def __init__(self, file: Path, layers: Layered | None = None) -> None:
        self.file = str(file)
        self.layers = layers

    def fail(self, key: str, problem: str) -> RulesError:
        file = self.layers.source_of(key) if self.layers is not None else self.file
        return RulesError(file, key, problem)

    def get(self, table: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...]) -> Any:
        if not isinstance(table, dict):
            raise self.fail(where, "expected a table of keys and values")
        if key not in table:
            raise self.fail(f"{where}.{key}", "missing")
        value = table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(f"{where}.{key}", f"expected {getattr(kind, '__name__', kind)}")
        return value

    def labels(self, table: dict[str, Any], key: str, where: str, *, lists: bool = False) -> Labels:
        value = self.get(table, key, where, dict)
        for lang in ("zh", "en"):
            text = value.get(lang)
            ok = (
                isinstance(text, list) and all(isinstance(x, str) for x in text)
                if lists
                else (isinstance(text, str) and text.strip() != "")
            )
            if not ok:
                kind = "a list of text" if lists else "text"
                raise self.fail(f"{where}.{key}.{lang}", f"must be {kind}")
        if lists and len(value["zh"]) != len(value["en"]):
            raise self.fail(f"{where}.{key}", "zh and en lists differ in length")
        return {"zh": value["zh"], "en": value["en"]}

    def amount(self, table: dict[str, Any], key: str, where: str) -> Decimal:
        text = self.get(table, key, where, str)
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise self.fail(f"{where}.{key}", f"not an amount: {text!r}") from None
        if not value.is_finite() or value < 0:
            raise self.fail(f"{where}.{key}", f"not an amount: {text!r}")
        return value


# ---------------------------------------------------------------- the tier table


def load_tier_table(path: Path | None = None) -> TierTable:
    doc, c = _load(path, "tiers.toml")
    quality_line = c.amount(doc, "quality_line", "(top)")
    education = []
    for i, row in enumerate(c.get(doc, "education", "(top)", list)):
        where = f"education[{i}]"
        code = c.get(row, "code", where, str)
        expected = EDUCATION_CODES[i] if i < len(EDUCATION_CODES) else None
        if code != expected:
            raise c.fail(f"{where}.code", f"expected {expected or 'no more levels'} (lowest first)")
        aliases = tuple(c.get(row, "aliases", where, list)) if "aliases" in row else ()
        education.append(Education(code, i, c.labels(row, "label", where), aliases))
    if len(education) != len(EDUCATION_CODES):
        raise c.fail("education", f"expected {len(EDUCATION_CODES)} levels: {', '.join(EDUCATION_CODES)}")

    tiers = []
    for i, row in enumerate(c.get(doc, "tier", "(top)", list)):
        where = f"tier[{i}]"
        code = c.get(row, "code", where, str)
        if code not in TIER_CODES:
            raise c.fail(f"{where}.code", f"unknown tier {code!r}; expected one of {', '.join(TIER_CODES)}")
        where = f"tier.{code}"
        entitlements: dict[str, Any] = {"brand": c.labels(row, "brand", where)}
        for column in ENTITLEMENT_COLUMNS[1:]:
            entitlements[column] = c.labels(row, column, where, lists=True)
        min_education = row.get("min_education")
        if min_education is not None and min_education not in EDUCATION_CODES:
            raise c.fail(f"{where}.min_education", f"unknown level {min_education!r}")
        ages = [row.get("min_age"), row.get("max_age")]
        if min_education is not None:
            ages = [c.get(row, k, where, int) for k in ("min_age", "max_age")]
            if not 0 <= ages[0] <= ages[1] <= 130:
                raise c.fail(f"{where}.min_age", "ages must satisfy 0 <= min_age <= max_age <= 130")
        colour = c.get(row, "colour", where, str)
        if not (len(colour) == 7 and colour.startswith("#")):
            raise c.fail(f"{where}.colour", "expected #rrggbb")
        tiers.append(
            Tier(
                code=code,
                min_assets=c.amount(row, "min_assets", where),
                label=c.labels(row, "label", where),
                short=c.labels(row, "short", where),
                colour=colour,
                profile=c.labels(row, "profile", where),
                entitlements=entitlements,
                min_education=min_education,
                min_age=ages[0],
                max_age=ages[1],
            )
        )
    codes = [t.code for t in tiers]
    if sorted(codes) != sorted(TIER_CODES):
        raise c.fail("tier", f"expected each of {', '.join(TIER_CODES)} once; found {', '.join(codes)}")
    for higher, lower in zip(tiers, tiers[1:], strict=False):
        if lower.min_assets > higher.min_assets:
            raise c.fail(f"tier.{lower.code}.min_assets", "tiers must be listed highest first")
    if tiers[-1].min_assets != 0 or tiers[-1].conditional:
        raise c.fail(f"tier.{tiers[-1].code}", "the last tier must take everyone left (min_assets 0, no conditions)")
    return TierTable(tuple(tiers), quality_line, tuple(education))


# ---------------------------------------------------------------- the guidance rules


def load_guidance_rules(path: Path | None = None) -> GuidanceRules:
    doc, c = _load(path, "guidance.toml")
    settings = dict(c.get(doc, "settings", "(top)", dict))
    for key in ("self_service_cash_limit", "e_banking_limit", "large_cash_line", "fx_sales_line"):
        c.amount(settings, key, "settings")
    for key, allowed in (("sales_tiers", TIER_CODES), ("lead_for", LEAD_FLAGS)):
        for item in c.get(settings, key, "settings", list):
            if item not in allowed:
                raise c.fail(f"settings.{key}", f"unknown {item!r}; expected some of {', '.join(allowed)}")
    if "branch_name" in settings:
        name = c.get(settings, "branch_name", "settings", str)
        if len(name) > 60 or any(ch in name for ch in "\n\r\t"):
            raise c.fail("settings.branch_name", "at most 60 characters on one line")
    settings.setdefault("long_wait_minutes", 20)  # a rules file from before issue 11
    for key in ("long_queue", "long_wait_minutes", "idle_lock_minutes", "reveal_seconds"):
        if c.get(settings, key, "settings", int) <= 0:
            raise c.fail(f"settings.{key}", "must be a positive whole number")
    if "appointment_grace_minutes" in settings:
        grace = c.get(settings, "appointment_grace_minutes", "settings", int)
        if not 0 <= grace <= 240:
            raise c.fail("settings.appointment_grace_minutes", "must be a whole number from 0 to 240")

    destinations = {}
    table = c.get(doc, "destination", "(top)", dict)
    for code in DESTINATION_CODES:
        row = c.get(table, code, "destination", dict)
        where = f"destination.{code}"
        prefix = c.get(row, "prefix", where, str)
        if not (len(prefix) == 1 and prefix.isascii() and prefix.isalpha()):
            raise c.fail(f"{where}.prefix", "must be one letter")
        queue = c.get(row, "queue", where, bool) if "queue" in row else True
        windows = c.get(row, "windows", where, int) if "windows" in row else 1
        if not 0 <= windows <= MAX_WINDOWS:
            raise c.fail(f"{where}.windows", f"must be a whole number from 0 to {MAX_WINDOWS}")
        service = c.get(row, "service_minutes", where, (int, float)) if "service_minutes" in row else 8
        if not 0 < service <= 240:
            raise c.fail(f"{where}.service_minutes", "must be more than 0 and at most 240")
        destinations[code] = Destination(
            code,
            c.labels(row, "label", where),
            prefix.upper(),
            bool(c.get(row, "counter", where, bool)),
            queue,
            windows,
            float(service),
        )
    extra = set(table) - set(DESTINATION_CODES)
    if extra:
        raise c.fail("destination", f"unknown destination {sorted(extra)[0]!r}")

    referrals = {}
    table = c.get(doc, "referral", "(top)", dict)
    for code in REFERRAL_CODES:
        row = c.get(table, code, "referral", dict)
        tiers = c.get(row, "tiers", f"referral.{code}", list)
        for tier in tiers:
            if tier not in TIER_CODES:
                raise c.fail(f"referral.{code}.tiers", f"unknown tier {tier!r}")
        referrals[code] = Referral(code, c.labels(row, "label", f"referral.{code}"), tuple(tiers))

    reasons = []
    keys_seen: dict[str, str] = {}
    for i, row in enumerate(c.get(doc, "reason", "(top)", list)):
        code = c.get(row, "code", f"reason[{i}]", str)
        where = f"reason.{code}"
        if code not in REASON_CODES:
            raise c.fail(f"reason[{i}].code", f"unknown reason {code!r}")
        key = c.get(row, "key", where, str)
        if len(key) != 1 or not key.isascii() or not key.isalnum() or key.lower() != key:
            raise c.fail(f"{where}.key", "must be one lower-case letter or digit")
        if key in keys_seen:
            raise c.fail(f"{where}.key", f"key {key!r} is already used by {keys_seen[key]}")
        keys_seen[key] = code
        channels = tuple(c.get(row, "channels", where, list))
        for dest in channels:
            if dest not in ("self_service", "e_banking"):
                raise c.fail(f"{where}.channels", f"{dest!r} is not a channel (self_service, e_banking)")
        for dkey in ("counter", "quality"):
            if c.get(row, dkey, where, str) not in DESTINATION_CODES:
                raise c.fail(f"{where}.{dkey}", f"unknown destination {row[dkey]!r}")
        amount_keys: dict[str, str | None] = {}
        for akey in ("limit", "sales_above", "booking_line"):
            value = row.get(akey)
            if value is not None:
                if not isinstance(value, str) or value not in settings:
                    raise c.fail(f"{where}.{akey}", f"no setting called {value!r}")
                c.amount(settings, value, "settings")
            amount_keys[akey] = value
        sales = c.get(row, "sales", where, bool) if "sales" in row else False
        if sales and amount_keys["sales_above"]:
            raise c.fail(f"{where}.sales_above", "a reason is a sales conversation always (sales) or above an amount")
        every_tier = row.get("every_tier")
        if every_tier is not None and every_tier not in DESTINATION_CODES:
            raise c.fail(f"{where}.every_tier", f"unknown destination {every_tier!r}")
        reasons.append(
            Reason(
                code,
                key,
                c.labels(row, "label", where),
                channels,
                row["counter"],
                row["quality"],
                amount_keys["limit"],
                sales=sales,
                sales_above=amount_keys["sales_above"],
                every_tier=every_tier,
                booking_line=amount_keys["booking_line"],
            )
        )
    found = [r.code for r in reasons]
    if sorted(found) != sorted(REASON_CODES):
        missing = sorted(set(REASON_CODES) - set(found)) or sorted(found)
        raise c.fail("reason", f"expected each reason once; check {missing[0]!r}")

    why_table = c.get(doc, "why", "(top)", dict)
    why = {key: c.labels(why_table, key, "why") for key in WHY_KEYS}
    sample = dict.fromkeys(WHY_PLACEHOLDERS, "X")
    for key, labels in why.items():
        for lang, text in labels.items():
            try:
                text.format(**sample)
            except (KeyError, IndexError, ValueError) as exc:
                raise c.fail(
                    f"why.{key}.{lang}",
                    f"unknown or broken placeholder {exc}; use " + ", ".join("{" + p + "}" for p in WHY_PLACEHOLDERS),
                ) from None
    greetings: list[tuple[int, Labels]] = []
    for i, row in enumerate(c.get(doc, "greeting", "(top)", list)):
        hour = c.get(row, "from_hour", f"greeting[{i}]", int)
        if not 0 <= hour <= 23 or (greetings and hour <= greetings[-1][0]):
            raise c.fail(f"greeting[{i}].from_hour", "hours must run 0-23, earliest first")
        greetings.append((hour, c.labels(row, "text", f"greeting[{i}]")))
    if not greetings or greetings[0][0] != 0:
        raise c.fail("greeting", "the first greeting must start at from_hour = 0")
    talking: dict[str, Talking] = {}
    for code, row in c.get(doc, "talking", "(top)", dict).items():
        where = f"talking.{code}"
        if code not in REASON_CODES:
            raise c.fail(where, f"unknown reason {code!r}")
        columns = tuple(c.get(row, "columns", where, list))
        for column in columns:
            if column not in ENTITLEMENT_COLUMNS or column == "brand":
                raise c.fail(
                    f"{where}.columns",
                    f"unknown column {column!r}; expected some of {', '.join(ENTITLEMENT_COLUMNS[1:])}",
                )
        fixed: dict[str, list[str]] = {"zh": [], "en": []}
        if "text" in row:
            lists: dict[str, Any] = c.labels(row, "text", where, lists=True)
            fixed = {lang: list(lists[lang]) for lang in ("zh", "en")}
        if not columns and not fixed["zh"]:
            raise c.fail(where, "needs text or columns")
        talking[code] = Talking(fixed, columns)
    return GuidanceRules(settings, destinations, referrals, tuple(reasons), why, tuple(greetings), talking)


@cache
def tier_table() -> TierTable:
    return load_tier_table()


@cache
def guidance_rules() -> GuidanceRules:
    return load_guidance_rules()
