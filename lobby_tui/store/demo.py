"""Synthetic demo data: a branch's customer directory and D days of lobby history, fast and repeatable.

`generate_demo(store, customers=N, days=D, seed=S)` creates or fills a database:

- the directory gets customers until it holds N (a directory that already has N or more is left alone);
- each of the D days up to today that has no visits and no shifts yet gets its shifts, visits and
  audit entries (a day that has any is left alone).

So a second run adds nothing, and a run stopped at any point (even by kill -9: every chunk is its own
committed transaction) is completed by running the same command again. The same seed on the same
starting database gives the same rows: every choice comes from random.Random streams derived from the
seed (one for the directory, one per day), ids included. Audit entries are the exception: they are
written through LobbyStore._audit, which gives them fresh ids.

Full phone, ID and card numbers exist only in memory here: the directory keeps the keyed hash
(LobbyStore.hash_of, the same HMAC computed faster) and the display forms, as LobbyStore.customer_row does.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import json
import random
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

from lobby_tui.domain.amounts import from_fen
from lobby_tui.domain.feedback import feedback_rules
from lobby_tui.domain.guidance import Recommendation, recommend
from lobby_tui.domain.idnumber import age_on, check_character
from lobby_tui.domain.patrol import patrol_checklist
from lobby_tui.domain.privacy import mask_phone
from lobby_tui.domain.rules import REASON_CODES, guidance_rules, tier_table
from lobby_tui.domain.tiers import classify
from lobby_tui.store.lobby_store import LobbyStore

Progress = Callable[[str, int, int], None]

DEMO_STAFF: list[tuple[str, str, str, str]] = [
    ("1001", "王丽", "lobby_manager", "246810"),
    ("1002", "李强", "lobby_manager", "357911"),
    ("3001", "赵经理", "account_manager", "468024"),
    ("9001", "陈主管", "supervisor", "135790"),  # last: once a supervisor exists, adding staff needs their PIN
]
LOBBY_MANAGERS = ("1001", "1002")

CUSTOMER_CHUNK = 25_000  # rows per committed transaction
DAYS_PER_TRANSACTION = 31
MAX_CUSTOMERS = 50_000_000  # phone and card numbers are made unique from the customer's position
OPENING, CLOSING = 9, 17  # the branch is open 9:00-17:00, every day of the week
WAITING_AT_END = 5  # today's last arrivals are still waiting, so the board shows customers in the branch


@dataclass(frozen=True)
class DemoResult:
    customers: int  # customers now in the directory
    visits: int  # visits now in the database
    staff: list[tuple[str, str, str, str]]


# ---------------------------------------------------------------- the directory's raw material

# Surname frequencies (per mille, roughly China's), including a few two-character surnames.
_SURNAMES = (
    ("王", 71),
    ("李", 70),
    ("张", 67),
    ("刘", 54),
    ("陈", 45),
    ("杨", 31),
    ("黄", 22),
    ("赵", 20),
    ("吴", 19),
    ("周", 19),
    ("徐", 16),
    ("孙", 15),
    ("马", 14),
    ("朱", 13),
    ("胡", 13),
    ("郭", 12),
    ("何", 12),
    ("高", 11),
    ("林", 11),
    ("罗", 10),
    ("郑", 10),
    ("梁", 9),
    ("谢", 8),
    ("宋", 7.5),
    ("唐", 7),
    ("许", 7),
    ("韩", 6.5),
    ("冯", 6.4),
    ("邓", 6.3),
    ("曹", 6),
    ("彭", 5.8),
    ("曾", 5.6),
    ("肖", 5.5),
    ("田", 5.4),
    ("董", 5.3),
    ("袁", 5.2),
    ("潘", 5),
    ("于", 4.9),
    ("蒋", 4.8),
    ("蔡", 4.7),
    ("余", 4.6),
    ("杜", 4.5),
    ("叶", 4.4),
    ("程", 4.3),
    ("苏", 4.2),
    ("魏", 4.1),
    ("吕", 4),
    ("丁", 3.9),
    ("任", 3.8),
    ("沈", 3.7),
    ("姚", 3.6),
    ("卢", 3.5),
    ("姜", 3.4),
    ("崔", 3.3),
    ("钟", 3.2),
    ("谭", 3.1),
    ("陆", 3),
    ("汪", 3),
    ("范", 2.9),
    ("金", 2.8),
    ("石", 2.7),
    ("廖", 2.6),
    ("贾", 2.5),
    ("夏", 2.4),
    ("韦", 2.3),
    ("付", 2.2),
    ("方", 2.1),
    ("白", 2),
    ("邹", 2),
    ("孟", 1.9),
    ("熊", 1.9),
    ("秦", 1.8),
    ("邱", 1.8),
    ("江", 1.7),
    ("尹", 1.7),
    ("薛", 1.6),
    ("闫", 1.6),
    ("段", 1.5),
    ("雷", 1.5),
    ("侯", 1.4),
    ("龙", 1.4),
    ("史", 1.3),
    ("陶", 1.3),
    ("黎", 1.2),
    ("贺", 1.2),
    ("顾", 1.2),
    ("毛", 1.1),
    ("郝", 1.1),
    ("龚", 1),
    ("邵", 1),
    ("万", 1),
    ("钱", 1),
    ("严", 1),
    ("覃", 0.9),
    ("武", 0.9),
    ("戴", 0.9),
    ("莫", 0.8),
    ("孔", 0.8),
    ("向", 0.8),
    ("汤", 0.8),
    ("欧阳", 0.5),
    ("司马", 0.1),
    ("上官", 0.1),
    ("诸葛", 0.1),
    ("东方", 0.1),
    ("皇甫", 0.1),
    ("司徒", 0.1),
    ("慕容", 0.05),
    ("令狐", 0.05),
    ("尉迟", 0.03),
)
_MALE_CHARS = (
    "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林阳建国志文海亮东峰晨博轩睿泽航鸿嘉诚毅成康振德荣庆祥"
)
_FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英玲桂兰燕萍红梅琳雪婷颖欣慧倩琪晶洁佳悦怡瑶思雨涵萱诗梦月蕾莉丹妍彤璐露薇"
_MIDDLE_CHARS = "晓小海子一春秋云志文玉建国永新家天佳思嘉"

# County-level region codes: a Shanghai branch, so mostly Shanghai, then the neighbours, then the rest.
_REGIONS = (
    ("310101", 8),
    ("310104", 8),
    ("310105", 6),
    ("310106", 5),
    ("310107", 7),
    ("310109", 5),
    ("310110", 7),
    ("310112", 8),
    ("310113", 6),
    ("310115", 12),
    ("320102", 2),
    ("320505", 2),
    ("320602", 1.5),
    ("321002", 1),
    ("330102", 2),
    ("330106", 2),
    ("330203", 1.5),
    ("340103", 2),
    ("340202", 1),
    ("360102", 1),
    ("110101", 1),
    ("110105", 1),
    ("110108", 1),
    ("120101", 0.5),
    ("130102", 0.7),
    ("140105", 0.5),
    ("150102", 0.3),
    ("210102", 0.6),
    ("220102", 0.4),
    ("230102", 0.6),
    ("350102", 0.8),
    ("370102", 0.8),
    ("370202", 0.7),
    ("410105", 1.2),
    ("420102", 1),
    ("430102", 0.9),
    ("440103", 0.6),
    ("440106", 0.8),
    ("440305", 0.8),
    ("450103", 0.4),
    ("460105", 0.2),
    ("500103", 0.8),
    ("510104", 1),
    ("520102", 0.5),
    ("530102", 0.4),
    ("540102", 0.1),
    ("610113", 0.6),
    ("620102", 0.3),
    ("630103", 0.1),
    ("640104", 0.1),
    ("650102", 0.2),
)
_PHONE_PREFIXES = (
    ("130", 3),
    ("131", 3),
    ("132", 3),
    ("133", 3),
    ("134", 3),
    ("135", 5),
    ("136", 5),
    ("137", 5),
    ("138", 6),
    ("139", 7),
    ("147", 1),
    ("150", 3),
    ("151", 3),
    ("152", 3),
    ("153", 2),
    ("155", 2),
    ("156", 2),
    ("157", 2),
    ("158", 3),
    ("159", 3),
    ("166", 1),
    ("173", 1),
    ("176", 1),
    ("177", 1),
    ("180", 2),
    ("181", 2),
    ("182", 2),
    ("183", 2),
    ("185", 2),
    ("186", 3),
    ("187", 2),
    ("188", 2),
    ("189", 3),
    ("191", 1),
    ("198", 1),
    ("199", 1),
)
_DEBIT_BINS = ("621226", "621558", "622202", "622208", "621761")  # 19 digits
_CREDIT_BINS = ("625330", "625331", "622230")  # 16 digits

# (code, share of the directory, (min age, max age) today, education weights by EDUCATION_CODES order)
_TIER_MIX = (
    ("private_banking", 0.003, (40, 80), (0, 0, 0, 15, 15, 40, 22, 8)),
    ("high_end", 0.027, (35, 78), (0, 0, 2, 15, 15, 40, 20, 8)),
    ("mid_end", 0.12, (30, 80), (0, 1, 5, 15, 20, 42, 13, 4)),
    ("mass_affluent", 0.30, (24, 82), (1, 3, 12, 26, 24, 28, 5, 1)),
    ("potential", 0.10, (18, 28), (0, 0, 0, 0, 35, 50, 13, 2)),
    ("ordinary", 0.45, (16, 85), (3, 12, 35, 28, 10, 10, 2, 0)),
)
_YOUNG_ORDINARY_EDUCATION = (0, 5, 45, 50, 0, 0, 0, 0)  # under 29 and ordinary: below associate degree


@dataclass(frozen=True)
class KnownCustomer:
    """The first customers of a new demo directory: one per tier, with numbers easy to type."""

    tier: str
    name: str
    phone: str
    id_number: str
    card: str | None
    education: str
    assets_fen: int
    other_assets_fen: int

    @property
    def birth_date(self) -> str:
        n = self.id_number
        return f"{n[6:10]}-{n[10:12]}-{n[12:14]}"


def _id_number(region: str, birth: date, seq: int) -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


def _luhn(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = ord(ch) - 48
        if not i & 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str(-total % 10)


def _born(today: date, age: int, month: int, day: int) -> date:
    """A birth date that makes someone exactly `age` today."""
    birth = date(today.year - age, month, day)
    return birth if (today.month, today.day) >= (month, day) else date(today.year - age - 1, month, day)


def known_customers(today: date) -> list[KnownCustomer]:
    """Phones 139 0000 0001-0006. 王磊 (mass affluent) qualifies once other banks count."""

    def card(bin_: str, body: str) -> str:
        return bin_ + body + _luhn(bin_ + body)

    rows = [
        (
            "private_banking",
            "欧阳明远",
            "310115",
            58,
            (3, 12),
            111,
            card("622202", "000000000001"),
            "master",
            2_860_000_000,
            50_000_000,
        ),
        ("high_end", "张建国", "310104", 47, (8, 1), 131, card("622202", "000000000002"), "bachelor", 320_000_000, 0),
        ("mid_end", "李秀英", "320102", 39, (11, 23), 242, card("621226", "000000000003"), "bachelor", 56_000_000, 0),
        ("mass_affluent", "王磊", "310107", 33, (6, 6), 153, None, "associate", 12_000_000, 15_000_000),
        ("potential", "刘思琪", "310112", 24, (5, 12), 164, None, "bachelor", 1_850_000, 0),
        ("ordinary", "陈桂兰", "310110", 66, (9, 9), 282, None, "junior_high", 2_350_000, 0),
    ]
    return [
        KnownCustomer(
            tier,
            name,
            f"1390000000{k + 1}",
            _id_number(region, _born(today, age, *md), seq),
            c,
            education,
            assets,
            other,
        )
        for k, (tier, name, region, age, md, seq, c, education, assets, other) in enumerate(rows)
    ]


def _fast_uuid(rng: random.Random) -> str:
    """str(uuid.UUID(int=rng.getrandbits(128), version=4)), without the UUID object."""
    n = (rng.getrandbits(128) & ~(0xF000 << 64) & ~(0xC000 << 48)) | (0x4000 << 64) | (0x8000 << 48)
    h = f"{n:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _cumulative(weights: Iterable[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


# ---------------------------------------------------------------- time of day


class _Clock:
    """Timestamps for the demo's days in the store's own format (store.now(): ISO 8601, seconds, offset)."""

    def __init__(self, store: LobbyStore) -> None:
        now = store.clock()
        self.now = now
        self.today = now.date()
        self.tz = now.tzinfo
        system = datetime.now().astimezone()
        # A clock in the machine's local time (the default) follows the machine's rules on each day
        # (summer time); a fixed offset (a test clock) is kept as it is.
        self.follow_system = isinstance(self.tz, timezone) and now.utcoffset() == system.utcoffset()

    def offset(self, day: date) -> str:
        noon = datetime.combine(day, time(12))
        if self.tz is None:
            return noon.isoformat()[19:]
        if self.follow_system:
            return noon.astimezone().isoformat()[19:]
        return noon.replace(tzinfo=self.tz).isoformat()[19:]

    @staticmethod
    def ts(day: str, offset: str, seconds: int) -> str:
        h, rest = divmod(seconds, 3600)
        return f"{day}T{h:02d}:{rest // 60:02d}:{rest % 60:02d}{offset}"

    def seconds_now(self) -> int:
        return self.now.hour * 3600 + self.now.minute * 60 + self.now.second


# ---------------------------------------------------------------- customers


class _CustomerStream:
    """Customer number i of the seed's directory, the same every time: the known customers first."""

    def __init__(self, store: LobbyStore, seed: int, today: date, created_ts: str) -> None:
        self.rng = rng = random.Random(f"lobby-demo:{seed}:customers")
        self.device_id = store.device_id
        self.created_ts = created_ts
        self.known = known_customers(today)
        key = bytes.fromhex(store.hash_key)
        self._hmac = hmac.new(key, digestmod=hashlib.sha256)
        probe = self.known[0].phone
        if self._hash(probe) != store.hash_of(probe):  # the fast path must stay the store's own hash
            raise RuntimeError("demo: the fast keyed hash no longer matches LobbyStore.hash_of")
        # Phones and cards: a random prefix, then 8 digits that are a bijection of the position
        # (a*i + b mod 10**8 with a coprime to 10), so no two customers share a number.
        self._phone_ab = (self._coprime(rng), rng.randrange(10**8))
        self._card_ab = (self._coprime(rng), rng.randrange(10**8))
        self._seen_ids = {k.id_number[:17] for k in self.known}
        self._tier_cum = _cumulative(share for _, share, _, _ in _TIER_MIX)
        self._surnames = tuple(s for s, _ in _SURNAMES)
        self._surname_cum = _cumulative(w for _, w in _SURNAMES)
        self._regions = tuple(r for r, _ in _REGIONS)
        self._region_cum = _cumulative(w for _, w in _REGIONS)
        self._prefixes = tuple(p for p, _ in _PHONE_PREFIXES)
        self._prefix_cum = _cumulative(w for _, w in _PHONE_PREFIXES)
        self._education = tuple(e.code for e in tier_table().education)
        self._young_cum = _cumulative(_YOUNG_ORDINARY_EDUCATION)
        # Per tier: the range of birth ordinals for its ages today, and its education weights.
        self._tiers = []
        for code, _, (lo, hi), edu in _TIER_MIX:
            youngest = self._years_before(today, lo).toordinal()  # exactly lo today
            oldest = self._years_before(today, hi + 1).toordinal() + 1  # hi, one day short of hi + 1
            young_limit = self._years_before(today, 29).toordinal()  # born after this: 28 or under
            self._tiers.append((code, oldest, youngest, _cumulative(edu), young_limit))

    @staticmethod
    def _coprime(rng: random.Random) -> int:
        a = rng.randrange(10**7, 10**8) | 1
        return a + 2 if a % 5 == 0 else a

    @staticmethod
    def _years_before(today: date, years: int) -> date:
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    def _hash(self, value: str) -> str:
        h = self._hmac.copy()
        h.update(value.encode())
        return h.hexdigest()[:32]

    def rows(self, start: int, stop: int, emit_from: int) -> Iterator[tuple[Any, ...]]:
        """Rows for positions start..stop-1; positions before emit_from are drawn (to keep the stream
        in step) but not hashed nor returned."""
        for i in range(start, stop):
            row = self._known(i) if i < len(self.known) else self._random(i, i >= emit_from)
            if i >= emit_from:
                assert row is not None
                yield row

    def _known(self, i: int) -> tuple[Any, ...]:
        k = self.known[i]
        uid = _fast_uuid(self.rng)  # drawn like every other customer's
        return (
            uid,
            self.device_id,
            k.name,
            self._hash(k.phone),
            k.phone[-4:],
            mask_phone(k.phone),
            self._hash(k.id_number),
            k.id_number[-4:],
            k.birth_date,
            self._hash(k.card) if k.card else None,
            k.card[-4:] if k.card else None,
            k.education,
            k.assets_fen,
            k.other_assets_fen,
            self.created_ts,
            self.created_ts,
        )

    def _random(self, i: int, emit: bool) -> tuple[Any, ...] | None:
        rng = self.rng
        rand = rng.random
        uid = _fast_uuid(rng)
        tier, oldest, youngest, edu_cum, young_limit = self._tiers[bisect.bisect(self._tier_cum, rand())]
        male = rand() < 0.48
        surname = self._surnames[bisect.bisect(self._surname_cum, rand() * self._surname_cum[-1])]
        pool = _MALE_CHARS if male else _FEMALE_CHARS
        if rand() < 0.35:
            given = pool[int(rand() * len(pool))]
        elif rand() < 0.3:
            given = _MIDDLE_CHARS[int(rand() * len(_MIDDLE_CHARS))] + pool[int(rand() * len(pool))]
        else:
            given = pool[int(rand() * len(pool))] + pool[int(rand() * len(pool))]
        # Ages lean to the middle of the tier's range: the mean of two uniform draws.
        birth_ordinal = oldest + int((rand() + rand()) * 0.5 * (youngest - oldest + 1))
        education: str | None
        if tier == "ordinary" and birth_ordinal > young_limit:
            education = self._education[bisect.bisect(self._young_cum, rand() * self._young_cum[-1])]
        else:
            education = self._education[bisect.bisect(edu_cum, rand() * edu_cum[-1])]
        if tier != "potential" and rand() < 0.04:
            education = None  # not recorded: the lookup will ask
        u = rand()
        if tier == "private_banking":
            assets = int(1_000_000_000 * min((1.0 - u) ** -0.7, 50.0))
        elif tier == "high_end":
            assets = int(100_000_000 * 10 ** (u**1.6))
        elif tier == "mid_end":
            assets = int(20_000_000 * 5 ** (u**1.3))
        elif tier == "mass_affluent":
            assets = int(5_000_000 * 4 ** (u**1.3))
        else:
            assets = int(4_999_999 * u * u)
        # Assets at other banks: some non-quality customers reach the quality line with them.
        other = 0
        v = rand()
        if tier in ("mass_affluent", "potential", "ordinary"):
            if v < 0.12:
                other = 20_000_000 - assets + int(rand() * 60_000_000)  # potential quality
            elif v < 0.30:
                other = int(rand() * (19_999_999 - assets))  # still under the line
        elif v < 0.30:
            other = int(assets * rand() * 2)
        has_id = tier == "potential" or rand() < 0.93
        has_phone = rand() < 0.97
        has_card = rand() < 0.6
        region = self._regions[bisect.bisect(self._region_cum, rand() * self._region_cum[-1])]
        seq = int(rand() * 500) * 2 + male
        prefix = self._prefixes[bisect.bisect(self._prefix_cum, rand() * self._prefix_cum[-1])]
        card_bin = rand()
        card_hi = 1000 + int(rand() * 9000)
        if not emit:
            if has_id:  # keep the collision set the same as when the row is made
                birth = date.fromordinal(birth_ordinal)
                first17 = f"{region}{birth.year:04d}{birth.month:02d}{birth.day:02d}{seq:03d}"
                while first17 in self._seen_ids:
                    seq = (seq + 2) % 1000
                    first17 = first17[:14] + f"{seq:03d}"
                self._seen_ids.add(first17)
            return None

        hash_ = self._hash
        birth_iso = None
        id_hash = id_last4 = None
        if has_id:
            birth = date.fromordinal(birth_ordinal)
            birth_iso = birth.isoformat()
            first17 = f"{region}{birth.year:04d}{birth.month:02d}{birth.day:02d}{seq:03d}"
            while first17 in self._seen_ids:  # same region, birthday and sequence: take the next
                seq = (seq + 2) % 1000
                first17 = first17[:14] + f"{seq:03d}"
            self._seen_ids.add(first17)
            number = first17 + check_character(first17)
            id_hash, id_last4 = hash_(number), number[-4:]
        phone_hash = phone_last4 = phone_masked = None
        if has_phone:
            a, b = self._phone_ab
            suffix = (a * i + b) % 100_000_000
            if prefix == "139" and suffix <= 10:
                prefix = "138"  # 139 0000 0001-0006 belong to the known customers
            phone = f"{prefix}{suffix:08d}"
            phone_hash, phone_last4, phone_masked = hash_(phone), phone[-4:], mask_phone(phone)
        card_hash = card_last4 = None
        if has_card:
            a, b = self._card_ab
            body = (a * i + b) % 100_000_000
            if card_bin < 0.8:
                card = f"{_DEBIT_BINS[int(card_bin * 6.25)]}{card_hi:04d}{body:08d}"
            else:
                card = f"{_CREDIT_BINS[int((card_bin - 0.8) * 15)]}{card_hi % 10}{body:08d}"
            card += _luhn(card)
            card_hash, card_last4 = hash_(card), card[-4:]
        return (
            uid,
            self.device_id,
            surname + given,
            phone_hash,
            phone_last4,
            phone_masked,
            id_hash,
            id_last4,
            birth_iso,
            card_hash,
            card_last4,
            education,
            assets,
            other,
            self.created_ts,
            self.created_ts,
        )


_CUSTOMER_INSERT = (
    "INSERT INTO customers(id, device_id, name, phone_hash, phone_last4, phone_masked, id_hash, id_last4, "
    "birth_date, card_hash, card_last4, education, assets_fen, other_assets_fen, created_ts, updated_ts) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _fill_customers(
    store: LobbyStore, target: int, seed: int, created_ts: str, today: date, progress: Progress | None
) -> None:
    conn = store.conn
    have = conn.execute("SELECT count(*) FROM customers").fetchone()[0]
    if progress:
        progress("customers", min(have, target), target)
    if have >= target:
        return
    stream = _CustomerStream(store, seed, today, created_ts)
    if have:
        for _ in stream.rows(0, have, have):  # draw the existing positions, so the next ones match
            pass
    position = have
    while position < target:
        stop = min(position + CUSTOMER_CHUNK, target)
        rows = list(stream.rows(position, stop, position))
        with store.write() as c:
            c.executemany(_CUSTOMER_INSERT, rows)
            store.chain_rows(c, "customers", [r[0] for r in rows], new=True)
        position = stop
        if progress:
            progress("customers", position, target)


# ---------------------------------------------------------------- visits


_HOUR_WEIGHTS = (0.9, 1.5, 1.65, 0.8, 0.95, 1.55, 1.3, 0.75)  # 9:00 ... 16:00: late morning, early afternoon
_WEEKDAY_BASE = (175, 150, 145, 150, 170, 60, 42)  # Monday ... Sunday
# Reason weights for (other customers, quality customers), in REASON_CODES order.
_REASON_WEIGHTS = {
    "cash_withdrawal": (16, 8),
    "cash_deposit": (10, 6),
    "transfer": (12, 10),
    "bill_payment": (8, 2),
    "balance_statement": (8, 5),
    "card_services": (9, 5),
    "account_opening": (5, 4),
    "account_closing": (2, 2),
    "loss_report": (3, 2),
    "foreign_exchange": (2, 5),
    "wealth_products": (6, 25),
    "loans": (4, 7),
    "insurance": (3, 7),
    "mobile_banking_setup": (6, 2),
    "complaint": (1, 1),
    "other": (5, 4),
}
# The queues (issue 11): each destination's windows open through the day (fewer over lunch, fewer at
# weekends), and its service time, from the call to the window to done: lognormal around this mean in
# minutes, longer in the busy late morning and early afternoon. The customers are called first come,
# first served, each to the window that frees first; one who would wait past their patience leaves.
_WINDOWS = {  # destination: (morning and afternoon, over lunch 12:00-13:30, weekend)
    "cash_counter": (1, 1, 1),
    "non_cash_counter": (2, 1, 1),
    "priority_counter": (1, 1, 1),
    "self_service": (3, 2, 2),
    "e_banking": (1, 1, 1),
    "account_manager": (2, 1, 1),
    "duty_manager": (1, 1, 1),
}
_LUNCH = (12 * 3600, 13 * 3600 + 1800)
_SERVICE_MEAN = {
    "cash_counter": 8.0,
    "non_cash_counter": 12.0,
    "priority_counter": 9.0,
    "self_service": 4.0,
    "e_banking": 6.0,
    "account_manager": 20.0,
    "duty_manager": 12.0,
}
_SERVICE_SIGMA = 0.45  # lognormal spread: most services within half to twice the mean
_BUSY_HOURS = {10: 1.12, 11: 1.15, 14: 1.08}  # the same business takes longer when the lobby is busy


def _windows_at(destination: str, seconds: int, weekend: bool) -> int:
    normal, lunch, weekend_n = _WINDOWS[destination]
    if weekend:
        return weekend_n
    return lunch if _LUNCH[0] <= seconds < _LUNCH[1] else normal


# Customers' ratings by how long they waited (under 10 minutes, under 20, longer): the cumulative odds
# of 5, 4, 3, 2 (and 1 for the rest). Most are content; a long wait is what brings the low ones.
_RATING_ODDS = ((0.62, 0.90, 0.97, 0.99), (0.45, 0.78, 0.92, 0.97), (0.25, 0.55, 0.77, 0.90))
_LEAVE_CHANCE = {  # about 4% in all: mostly from the counter queues, more at the late-morning peak
    "cash_counter": 0.09,
    "non_cash_counter": 0.085,
    "priority_counter": 0.02,
    "self_service": 0.03,
    "e_banking": 0.03,
    "account_manager": 0.04,
    "duty_manager": 0.05,
}
_NOTES = (
    "需开具存款证明",
    "客户携带代理人身份证件",
    "老年客户，已协助填单",
    "客户咨询养老金到账时间",
    "客户咨询大额存单利率",
    "已递送理财产品宣传册",
    "客户需复印身份证",
    "客户对等候时间有意见",
)
_HANDOVER = (
    "自助设备3号机卡钞，已报修",
    "明日有理财产品到期，客户较多",
    "大额取现预约2笔，已登记",
    None,
    None,
    "填单台笔已补充",
    "叫号机纸卷已更换",
    None,
)


_PATROL_NOTES = {
    "self_service": "2号自助取款机吞卡，已报修",
    "paper_cash": "凭条纸不足，已更换",
    "brochures": "理财宣传折页已补充",
    "queue_machine": "叫号机卡纸，已处理",
    "safety": "消防通道堆放纸箱，已清理",
}
_INCIDENT_KINDS = ("machine_fault", "complaint", "assisted", "assisted", "other")
_INCIDENTS = {
    "machine_fault": ("3号自助取款机卡钞，已联系厂商维修", "存折补登机无法读取存折，已报修"),
    "complaint": ("客户对等候时间不满，已致歉并引导至自助设备", "客户对转账手续费有异议，已请柜台主管解释"),
    "assisted": ("协助老年客户在自助机上转账", "协助客户在自助机上打印流水", "协助客户开通手机银行"),
    "other": ("客户遗失雨伞，已登记保管", "快递员误入营业厅，已引导离开"),
}
_CORRECTIONS = (
    ("自助设备当时正常，误勾为故障", "巡检时误勾"),
    ("宣传折页实际不足，已补充", "巡检时漏记"),
)
_QUESTIONS = ("请说明今天改推荐去向的原因", "未办离开的客户较多，是什么原因？", "交接中提到的事项是否已处理？")
_ANSWERS = ("多为客户坚持柜台办理", "上午高峰等候较长，已增加引导", "已处理完毕")
_SIGN_OFF_COMMENTS = ("已阅", "记录完整", None, "请继续关注自助设备", None)
SUPERVISOR = "9001"


def _on_duty(day: date) -> list[str]:
    """Both lobby managers on weekdays, one (alternate weeks) at weekends."""
    if day.weekday() < 5:
        return list(LOBBY_MANAGERS)
    return [LOBBY_MANAGERS[(day.toordinal() // 7) % 2]]


class _DayMaker:
    """One day's shifts, visits and audit events, from that day's own random stream."""

    def __init__(self, store: LobbyStore, seed: int, clock: _Clock, max_rowid: int) -> None:
        self.store = store
        self.seed = seed
        self.clock = clock
        self.max_rowid = max_rowid
        self.device_id = store.device_id
        self.rules = guidance_rules()
        self.tiers = tier_table()
        self.hour_cum = _cumulative(_HOUR_WEIGHTS)
        self.reasons = REASON_CODES
        self.reason_cum = (
            _cumulative(_REASON_WEIGHTS[r][0] for r in REASON_CODES),
            _cumulative(_REASON_WEIGHTS[r][1] for r in REASON_CODES),
        )
        self.limits = {r.code: self.rules.limit(r) for r in self.rules.reasons}
        # The amounts a recommendation turns on: over the channel limit, over the sales line, at or
        # over the large-cash line (so a cached recommendation is the one the amount would get).
        self.lines = {
            r.code: (self.rules.amount_setting(r.sales_above), self.rules.amount_setting(r.booking_line))
            for r in self.rules.reasons
        }
        self._recommendations: dict[tuple[Any, ...], Recommendation] = {}
        self.patrol = patrol_checklist()
        self.feedback = feedback_rules()
        # Each lobby manager's latest shift before today waits with a supervisor's question, so the
        # next sign-in shows one; older shifts are signed off, the last two days' wait for review.
        self._returned_days_ago = {}
        for staff_id in LOBBY_MANAGERS:
            for days_ago in range(1, 15):
                if staff_id in _on_duty(clock.today - timedelta(days=days_ago)):
                    self._returned_days_ago[staff_id] = days_ago
                    break

    def _status(self, day: date, staff_id: str) -> str:
        days_ago = (self.clock.today - day).days
        if days_ago == self._returned_days_ago.get(staff_id):
            return "returned"
        return "closed" if days_ago < 3 else "signed_off"

    def _recommend(self, tier: str, reason: str, amount: int | None, pq: bool) -> Recommendation:
        limit = self.limits[reason]
        over = None if amount is None else (limit is not None and amount > limit)
        sales_line, booking_line = self.lines[reason]
        sales = amount is not None and sales_line is not None and amount > sales_line
        booking = amount is not None and booking_line is not None and amount >= booking_line
        key = (tier, reason, pq, over, sales, booking)
        rec = self._recommendations.get(key)
        if rec is None:
            rec = recommend(tier, reason, None if amount is None else Decimal(amount), potential_quality=pq)
            self._recommendations[key] = rec
        return rec

    def _amount(self, rng: random.Random, reason: str, quality: bool) -> int | None:
        """The amount in CNY for the reasons that have one; some are over the channel limits."""
        u = rng.random()
        if reason in ("cash_withdrawal", "cash_deposit"):
            if u < (0.35 if quality else 0.07):
                return int(rng.uniform(50_100, 300_000 if quality else 150_000)) // 100 * 100
            return rng.choice((500, 1_000, 2_000, 3_000, 5_000, 5_000, 10_000, 20_000, 30_000, 50_000))
        if reason == "transfer":
            if u < 0.04:
                return int(rng.uniform(500_001, 3_000_000)) // 1000 * 1000
            return int(1_000 * 200 ** rng.random()) // 100 * 100
        if reason == "foreign_exchange":
            if u < 0.1:
                return int(rng.uniform(500_001, 1_000_000)) // 1000 * 1000
            return int(rng.uniform(5_000, 100_000)) // 100 * 100
        if reason == "wealth_products" and u < 0.6:
            return int(rng.uniform(100_000, 2_000_000) if quality else rng.uniform(10_000, 100_000)) // 10_000 * 10_000
        return None

    def _override(self, rng: random.Random, reason: str, rec: str, quality: bool) -> tuple[str, str] | None:
        r = self.rules.reason(reason)
        counter = r.counter if r.counter != rec else "non_cash_counter"
        options: list[tuple[str, str]]
        if rec == "self_service":
            options = [
                ("自助设备故障", counter),
                ("客户坚持柜台办理", counter),
                ("客户年纪较大，不会使用自助设备", counter),
            ]
        elif rec == "e_banking":
            options = [
                ("客户不会使用手机银行", counter),
                ("客户坚持柜台办理", counter),
                ("客户未开通网上银行", counter),
            ]
        elif rec == "priority_counter":
            options = [("贵宾柜台暂停服务", counter), ("客户要求见客户经理", "account_manager")]
        elif rec == "account_manager":
            options = [
                ("客户经理外出，改至贵宾柜台", "priority_counter" if quality else counter),
                ("客户只办理简单业务", counter),
            ]
        else:
            options = [("客户要求见客户经理", "account_manager")]
            if r.channels:
                options.append(("客户赶时间，愿意自助办理", r.channels[0]))
        reason_text, destination = options[int(rng.random() * len(options))]
        return None if destination == rec else (reason_text, destination)

    def make(self, conn: sqlite3.Connection, day: date) -> int:
        """Write the day's shifts, visits and audit entries in the caller's transaction; the visit count."""
        rng = random.Random(f"lobby-demo:{self.seed}:day:{day.isoformat()}")
        rand = rng.random
        iso = day.isoformat()
        offset = self.clock.offset(day)
        ts = _Clock.ts
        is_today = day == self.clock.today
        now_s = self.clock.seconds_now() if is_today else 24 * 3600
        weekday = day.weekday()

        on_duty = _on_duty(day)
        # (id, device_id, staff_id, day, opened_ts, closed_ts, status, handover_note)
        shifts: list[tuple[str, str, str, str, str, str | None, str, str | None]] = []
        opened_at: dict[str, int] = {}
        events: list[tuple[int, str, str, dict[str, Any]]] = []  # (seconds, action, staff, detail)
        for staff_id in on_duty:
            shift_id = _fast_uuid(rng)
            opened = 8 * 3600 + 30 * 60 + int(rand() * 20 * 60)
            closed = CLOSING * 3600 + 15 * 60 + int(rand() * 30 * 60)
            note = _HANDOVER[int(rand() * len(_HANDOVER))]
            if is_today:
                opened = min(opened, now_s)
                shifts.append((shift_id, self.device_id, staff_id, iso, ts(iso, offset, opened), None, "open", None))
            else:
                shifts.append(
                    (
                        shift_id,
                        self.device_id,
                        staff_id,
                        iso,
                        ts(iso, offset, opened),
                        ts(iso, offset, closed),
                        self._status(day, staff_id),
                        note,
                    )
                )
                events.append((closed, "shift_closed", staff_id, {"shift_id": shift_id}))
            opened_at[shift_id] = opened
            if rand() < 0.05:  # a fumbled PIN before the sign-in
                events.append((max(opened - 50, 0), "signin_failed", staff_id, {"why": "pin", "failed": 1}))
            events.append((max(opened - 30, 0), "signin", staff_id, {}))
            events.append((opened, "shift_opened", staff_id, {"shift_id": shift_id}))

        # How many come: quieter at weekends, busier mid-month and around pay days.
        expected: float = _WEEKDAY_BASE[weekday]
        if 10 <= day.day <= 20:
            expected *= 1.25
        elif day.day <= 3 or (day + timedelta(days=2)).month != day.month:
            expected *= 1.1
        count = int(expected * (0.85 + 0.3 * rand()))
        count = max(80, min(250, count)) if weekday < 5 else max(25, min(100, count))
        arrivals = sorted(
            (OPENING + bisect.bisect(self.hour_cum, rand() * self.hour_cum[-1])) * 3600 + int(rand() * 3600)
            for _ in range(count)
        )
        if is_today:
            arrivals = [s for s in arrivals if s <= now_s - 150]  # greeted and confirmed by now

        tickets = dict.fromkeys(self.rules.destinations, 0)
        weekend = weekday >= 5
        # Each destination's windows: when each frees next (seconds of the day).
        free: dict[str, list[int]] = {code: [0] * max(_WINDOWS[code]) for code in self.rules.destinations}
        window_rows = self._window_changes(iso, offset, weekend, now_s, shifts)
        prefixes = {code: d.prefix for code, d in self.rules.destinations.items()}
        visits = []
        served: list[tuple[str, str, str, str, int, int, int]] = []  # for the customers' ratings
        lookup = conn.execute
        n = len(arrivals)
        for k, arrival in enumerate(arrivals):
            visit_id = _fast_uuid(rng)
            shift = shifts[int(rand() * len(shifts))]
            customer = None
            if self.max_rowid and rand() < 0.86:
                customer = lookup(
                    "SELECT id, birth_date, education, assets_fen, other_assets_fen FROM customers WHERE rowid = ?",
                    (1 + int(rand() * self.max_rowid),),
                ).fetchone()
            if customer is None:  # a walk-in, not (yet) in the directory: ordinary until identified
                customer_id, tier, quality, pq = None, "ordinary", False, False
            else:
                customer_id = customer[0]
                birth = customer[1]
                age = age_on(date.fromisoformat(birth), day) if birth else None
                c = classify(
                    from_fen(customer[3]), from_fen(customer[4] or 0), age=age, education=customer[2], table=self.tiers
                )
                tier, quality, pq = c.tier, c.quality, c.potential_quality
            reason = self.reasons[bisect.bisect(self.reason_cum[quality], rand() * self.reason_cum[quality][-1])]
            amount = self._amount(rng, reason, quality)
            rec = self._recommend(tier, reason, amount, pq)
            destination, override_reason = rec.destination, None
            if rand() < 0.03:
                chosen = self._override(rng, reason, rec.destination, quality)
                if chosen:
                    override_reason, destination = chosen
            tickets[destination] += 1
            ticket = f"{prefixes[destination]}{tickets[destination]:03d}"
            confirmed = arrival + 20 + int(rand() * 130)
            patience = 600 + int(rand() * 2100)
            impatient = rand() < _LEAVE_CHANCE[destination] * (1.4 if 10 <= arrival // 3600 <= 11 else 1.0)
            windows = free[destination][: _windows_at(destination, confirmed, weekend)]
            at = min(range(len(windows)), key=windows.__getitem__)
            called = max(confirmed, windows[at])
            service = 60 * _SERVICE_MEAN[destination] * _BUSY_HOURS.get(confirmed // 3600, 1.0)
            service *= rng.lognormvariate(-(_SERVICE_SIGMA**2) / 2, _SERVICE_SIGMA)
            called_s: int | None = called
            if impatient or called - confirmed > 3600:
                # Tired of waiting (or of an hour's queue): gone before their number was called.
                outcome, done, called_s = "left", confirmed + patience, None
            else:
                done = called + max(60, int(service))
                free[destination][at] = done
                outcome = "served"
            notes = _NOTES[int(rand() * len(_NOTES))] if rand() < 0.04 else None
            called_ts = done_ts = None
            if is_today and (done > now_s or k >= n - WAITING_AT_END):
                outcome, outcome_ts = "waiting", None
                if called_s is not None and called_s <= now_s and k < n - WAITING_AT_END:
                    called_ts = ts(iso, offset, called_s)  # at a window now
            else:
                outcome_ts = ts(iso, offset, done)
                if outcome == "served":
                    called_ts, done_ts = ts(iso, offset, called), outcome_ts
                    served.append((visit_id, shift[0], shift[2], ticket, confirmed, called, done))
            confirmed_ts = ts(iso, offset, confirmed)
            visits.append(
                (
                    visit_id,
                    self.device_id,
                    ts(iso, offset, arrival),
                    iso,
                    shift[0],
                    shift[2],
                    customer_id,
                    tier,
                    int(quality),
                    int(pq),
                    reason,
                    None if amount is None else amount * 100,
                    rec.destination,
                    destination,
                    rec.refer_to,
                    override_reason,
                    ticket,
                    outcome,
                    outcome_ts,
                    notes,
                    confirmed_ts,
                    outcome_ts or confirmed_ts,
                    called_ts,
                    done_ts,
                )
            )
            if override_reason:
                events.append(
                    (
                        confirmed,
                        "override",
                        shift[2],
                        {
                            "visit_id": visit_id,
                            "recommended": rec.destination,
                            "destination": destination,
                            "reason": override_reason,
                        },
                    )
                )
        conn.executemany(
            "INSERT INTO visits(id, device_id, ts, day, shift_id, staff_id, customer_id, tier, quality, "
            "potential_quality, reason, amount_fen, recommended_destination, destination, refer_to, "
            "override_reason, ticket, outcome, outcome_ts, notes, confirmed_ts, updated_ts, called_ts, done_ts) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            visits,
        )
        conn.executemany(
            "INSERT INTO open_windows(day, destination, windows, ts, shift_id, staff_id) VALUES (?, ?, ?, ?, ?, ?)",
            [row for _, row in window_rows],
        )
        for seconds, (_, destination, open_n, _, shift_id, staff_id) in window_rows:
            events.append(
                (
                    seconds,
                    "windows_set",
                    staff_id,
                    {"destination": destination, "windows": open_n, "shift_id": shift_id},
                )
            )
        # The shift log, then the shifts with their final state: a closed shift locks its log and its
        # visits (migration v4's triggers), so they go in first.
        rows = [self._shift_log(day, shift, opened_at[shift[0]], events) for shift in shifts]
        ratings, low = self._ratings(iso, offset, served, events)
        conn.executemany(
            "INSERT INTO feedback(id, device_id, visit_id, day, ts, score, scale, reason, staff_id, shift_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ratings,
        )
        self.store.chain_rows(conn, "feedback", [r[0] for r in ratings], new=True)
        conn.executemany(
            "INSERT INTO shift_log(id, device_id, shift_id, staff_id, ts, kind, code, text, reason, checks, corrects) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [entry for log, _ in rows for entry in log],
        )
        conn.executemany(  # the low ratings' entries, in the shifts that took them
            "INSERT INTO shift_log(id, device_id, shift_id, staff_id, ts, kind, code, text, reason, checks, corrects) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            low,
        )
        conn.executemany(
            "INSERT INTO shifts(id, device_id, staff_id, day, opened_ts, closed_ts, status, handover_note, "
            "closed_by, review_by, review_ts, review_comment, updated_ts) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*shift, *review) for shift, (_, review) in zip(shifts, rows, strict=True)],
        )
        self.store.chain_rows(conn, "visits", [v[0] for v in visits], new=True)
        self.store.chain_rows(conn, "shift_log", [entry[0] for log, _ in rows for entry in log], new=True)
        self.store.chain_rows(conn, "shift_log", [entry[0] for entry in low], new=True)
        self.store.chain_rows(conn, "shifts", [shift[0] for shift in shifts], new=True)
        for seconds, action, staff_id, detail in sorted(events, key=lambda e: e[0]):
            self.store._audit(conn, action, staff_id, ts=ts(iso, offset, seconds), **detail)
        return len(visits)

    def _ratings(
        self,
        iso: str,
        offset: str,
        served: list[tuple[str, str, str, str, int, int, int]],
        events: list[Any],
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """About a third of the served customers rate their visit as they leave, lower the longer they
        waited; a low rating names a reason now and then, and makes its shift-log entry. A random
        stream of its own, so the rest of the demo draws as it did before ratings."""
        rng = random.Random(f"lobby-demo:{self.seed}:feedback:{iso}")
        rand = rng.random
        ratings, low = [], []
        reasons = [r.code for r in self.feedback.reasons]
        scores = [b.score for b in self.feedback.buttons]
        for visit_id, shift_id, staff_id, ticket, confirmed, called, done in served:
            if rand() >= 0.35:
                continue
            waited = (called - confirmed) / 60
            odds = _RATING_ODDS[0 if waited < 10 else 1 if waited < 20 else 2]
            score = 5 - bisect.bisect(odds, rand())
            score = min(scores, key=lambda s: (abs(s - score), -s))  # the nearest this branch's scale offers
            reason = None
            if self.feedback.asks_reason(score) and rand() < 0.7:
                reason = "waited_long" if waited >= 20 and rand() < 0.6 else reasons[int(rand() * len(reasons))]
            at = done + 30 + int(rand() * 60)
            rating_id = _fast_uuid(rng)
            stamp = _Clock.ts(iso, offset, at)
            ratings.append(
                (
                    rating_id,
                    self.device_id,
                    visit_id,
                    iso,
                    stamp,
                    score,
                    self.feedback.scale,
                    reason,
                    staff_id,
                    shift_id,
                )
            )
            entry_id = None
            if self.feedback.is_low(score):
                entry_id = _fast_uuid(rng)
                low.append(
                    (
                        entry_id,
                        self.device_id,
                        shift_id,
                        staff_id,
                        stamp,
                        "feedback",
                        str(score),
                        ticket,
                        reason,
                        None,
                        None,
                    )
                )
            detail = {"visit_id": visit_id, "score": score, "reason": reason, "entry_id": entry_id}
            events.append((at, "feedback", staff_id, detail))
        return ratings, low

    def _window_changes(
        self, iso: str, offset: str, weekend: bool, now_s: int, shifts: list[Any]
    ) -> list[tuple[int, tuple[str, str, int, str, str, str]]]:
        """The day's window settings as the lobby manager on duty made them: each destination at
        opening where it differs from data/guidance.toml, then over lunch and after it (up to now, today)."""
        if not shifts:
            return []
        shift_id, staff_id = shifts[0][0], shifts[0][2]
        rows = []
        current = {code: d.windows for code, d in self.rules.destinations.items()}
        for seconds in (OPENING * 3600 - 300, *_LUNCH):
            if seconds > now_s:
                break
            for code in self.rules.destinations:
                n = _windows_at(code, max(seconds, OPENING * 3600), weekend)
                if n != current[code]:
                    current[code] = n
                    rows.append((seconds, (iso, code, n, _Clock.ts(iso, offset, seconds), shift_id, staff_id)))
        return rows

    def _shift_log(
        self, day: date, shift: tuple[Any, ...], opened: int, events: list[tuple[int, str, str, dict[str, Any]]]
    ) -> tuple[list[tuple[Any, ...]], tuple[Any, ...]]:
        """One shift's patrols, incidents, handover, corrections and review, from its own random stream;
        the log rows, and the shift's (closed_by, review_by, review_ts, review_comment, updated_ts)."""
        shift_id, _, staff_id, iso, _, closed_ts, status, note = shift
        rng = random.Random(f"lobby-demo:{self.seed}:log:{shift_id}")
        rand = rng.random
        offset = self.clock.offset(day)
        ts = _Clock.ts
        is_today = status == "open"
        closed = int(closed_ts[11:13]) * 3600 + int(closed_ts[14:16]) * 60 + int(closed_ts[17:19]) if closed_ts else 0
        end = self.clock.seconds_now() if is_today else closed
        log: list[tuple[Any, ...]] = []
        patrols: list[str] = []

        def entry(
            seconds: int,
            kind: str,
            code: str | None = None,
            text: str | None = None,
            reason: str | None = None,
            checks: dict[str, bool] | None = None,
            corrects: str | None = None,
            by: str = staff_id,
        ) -> str:
            entry_id = _fast_uuid(rng)
            log.append(
                (
                    entry_id,
                    self.device_id,
                    shift_id,
                    by,
                    ts(iso, offset, seconds),
                    kind,
                    code,
                    text,
                    reason,
                    json.dumps(checks) if checks is not None else None,
                    corrects,
                )
            )
            return entry_id

        for round_ in self.patrol.rounds:
            h, m = map(int, round_.at.split(":"))
            at = max(h * 3600 + m * 60 + int(rand() * 15 * 60), opened + 60)
            if at > end - 60:
                break
            checks = {item.code: rand() > 0.06 for item in self.patrol.items}
            problems = [code for code, ok in checks.items() if not ok]
            text = "；".join(_PATROL_NOTES[code] for code in problems) or None
            patrols.append(entry(at, "patrol", round_.code, text, checks=checks))
            events.append((at, "patrol", staff_id, {"shift_id": shift_id, "round": round_.code, "problems": problems}))
            if rand() < 0.3:  # stepped away from the tablet: it locked itself
                lock = at + 300 + int(rand() * 1800)
                if lock < end - 120:
                    events.append((lock, "lock", staff_id, {}))
                    events.append((lock + 60 + int(rand() * 600), "unlock", staff_id, {}))
        for _ in range(int(rand() * 2.6) if end - opened > 3600 else 0):
            at = opened + 1800 + int(rand() * max(end - opened - 3600, 60))
            kind = _INCIDENT_KINDS[int(rand() * len(_INCIDENT_KINDS))]
            texts = _INCIDENTS[kind]
            entry_id = entry(min(at, end - 30), "incident", kind, texts[int(rand() * len(texts))])
            events.append(
                (min(at, end - 30), "incident", staff_id, {"shift_id": shift_id, "kind": kind, "entry_id": entry_id})
            )
        if is_today:
            return log, (None, None, None, None, ts(iso, offset, opened))
        if note:
            at = closed - 300
            entry_id = entry(at, "handover", text=note)
            events.append((at, "handover", staff_id, {"shift_id": shift_id, "entry_id": entry_id}))
        if patrols and rand() < 0.06:  # a slip found after closing: corrected, never edited
            at = closed + 600
            target = patrols[int(rand() * len(patrols))]
            text, reason = _CORRECTIONS[int(rand() * len(_CORRECTIONS))]
            entry(at, "correction", "patrol", text, reason, corrects=target)
            events.append(
                (
                    at,
                    "correction",
                    staff_id,
                    {"shift_id": shift_id, "corrects": target, "what": "patrol", "text": text, "reason": reason},
                )
            )
        days_ago = (self.clock.today - day).days
        supervisor = SUPERVISOR
        if days_ago == self._returned_days_ago.get(staff_id):
            at = closed + 1800
            question = _QUESTIONS[int(rand() * len(_QUESTIONS))]
            entry(at, "question", text=question, by=supervisor)
            events.append((at, "shift_returned", supervisor, {"shift_id": shift_id, "question": question}))
            return log, (staff_id, None, None, None, ts(iso, offset, at))
        if days_ago < 3:  # waiting for the supervisor's review
            return log, (staff_id, None, None, None, ts(iso, offset, closed))
        at = closed + 2700
        if rand() < 0.05:  # asked, answered, then signed off
            question = _QUESTIONS[int(rand() * len(_QUESTIONS))]
            entry(closed + 1200, "question", text=question, by=supervisor)
            events.append((closed + 1200, "shift_returned", supervisor, {"shift_id": shift_id, "question": question}))
            answer = _ANSWERS[int(rand() * len(_ANSWERS))]
            entry(closed + 1800, "answer", text=answer)
            events.append((closed + 1800, "shift_answered", staff_id, {"shift_id": shift_id, "text": answer}))
        comment = _SIGN_OFF_COMMENTS[int(rand() * len(_SIGN_OFF_COMMENTS))]
        events.append((at, "shift_signed_off", supervisor, {"shift_id": shift_id, "comment": comment}))
        return log, (staff_id, supervisor, ts(iso, offset, at), comment, ts(iso, offset, at))


def _fill_days(store: LobbyStore, days: int, seed: int, clock: _Clock, progress: Progress | None) -> None:
    conn = store.conn
    max_rowid = conn.execute("SELECT max(rowid) FROM customers").fetchone()[0] or 0
    maker = _DayMaker(store, seed, clock, max_rowid)
    all_days = [clock.today - timedelta(days=n) for n in range(days - 1, -1, -1)]
    if progress:
        progress("visits", 0, len(all_days))
    for start in range(0, len(all_days), DAYS_PER_TRANSACTION):
        group = all_days[start : start + DAYS_PER_TRANSACTION]
        with store.write() as c:
            for day in group:
                iso = day.isoformat()
                if (
                    c.execute("SELECT 1 FROM visits WHERE day = ? LIMIT 1", (iso,)).fetchone()
                    or c.execute("SELECT 1 FROM shifts WHERE day = ? LIMIT 1", (iso,)).fetchone()
                ):
                    continue  # already there (an earlier run, or the app itself): left alone
                maker.make(c, day)
        if progress:
            progress("visits", start + len(group), len(all_days))


# ---------------------------------------------------------------- the entry point


ACCOUNT_MANAGER = "3001"


def _fill_leads(store: LobbyStore, seed: int, clock: _Clock) -> None:
    """Leads from the history's visits, as confirming them would have made (one per customer, from
    their first quality or potential-quality visit, later visits adding to it), worked by the demo
    account manager: most taken within hours, many contacted within a day, some converted or declined.
    Today's leads are left new for the account manager to take. Ids follow from the customer, so a
    second run adds only what is missing."""
    today = clock.today.isoformat()
    rows = store.query(
        "SELECT id, ts, day, staff_id, customer_id, reason, tier, quality FROM visits "
        "WHERE customer_id IS NOT NULL AND (quality = 1 OR potential_quality = 1) AND outcome != 'cancelled' "
        "ORDER BY ts, rowid"
    )
    if not rows:
        return
    customers = {
        r["id"]: r
        for r in store.query(
            "SELECT id, assets_fen, other_assets_fen FROM customers WHERE id IN "
            "(SELECT DISTINCT customer_id FROM visits WHERE customer_id IS NOT NULL AND "
            "(quality = 1 OR potential_quality = 1))"
        )
    }
    tiers = tier_table()
    leads: dict[str, dict[str, Any]] = {}
    for v in rows:
        lead = leads.get(v["customer_id"])
        if lead is None:
            c = customers.get(v["customer_id"])
            total = from_fen((c["assets_fen"] or 0) + (c["other_assets_fen"] or 0)) if c else Decimal(0)
            with_other = next((t.code for t in tiers.tiers if total >= t.min_assets and not t.conditional), v["tier"])
            if tiers.rank(with_other) > tiers.rank(v["tier"]):
                with_other = v["tier"]
            leads[v["customer_id"]] = {
                "first": v,
                "last": v,
                "reasons": [v["reason"]],
                "visits": 1,
                "flag": "quality" if v["quality"] else "potential_quality",
                "tier": v["tier"],
                "with_other": with_other,
            }
            continue
        lead["last"], lead["visits"] = v, lead["visits"] + 1
        if v["reason"] not in lead["reasons"]:
            lead["reasons"].append(v["reason"])
    rng = random.Random(f"{seed}-leads")
    values = []
    for customer_id, lead in leads.items():
        first = lead["first"]
        made = datetime.fromisoformat(first["ts"])
        roll = rng.random()
        taken = contacted = closed = kind = converted_to = None
        status, owner = "new", ACCOUNT_MANAGER
        if first["day"] < today:
            if roll < 0.8:
                status, taken = "taken", made + timedelta(minutes=20 + int(rng.random() * 300))
                if roll < 0.6:
                    contacted = taken + timedelta(hours=1 + rng.random() * (30 if roll < 0.45 else 60))
                    status, kind = "contacted", "phone" if rng.random() < 0.7 else "meeting"
                    if roll < 0.12:
                        status, kind, closed = "converted", "converted", contacted
                        converted_to = "wealth_account" if rng.random() < 0.6 else "product"
                    elif roll < 0.2:
                        status, kind, closed = "declined", "declined", contacted
            updated = max(t for t in (made, taken, contacted) if t is not None)
        else:
            updated = made

        def iso(t: Any) -> str | None:
            return None if t is None else t.isoformat(timespec="seconds")

        values.append(
            (
                str(uuid.uuid5(uuid.NAMESPACE_URL, f"lobby-tui-demo-lead:{customer_id}")),
                store.device_id,
                customer_id,
                status,
                owner,
                lead["flag"],
                lead["tier"],
                lead["with_other"],
                json.dumps(lead["reasons"]),
                lead["visits"],
                first["id"],
                lead["last"]["id"],
                first["staff_id"],
                first["staff_id"],
                first["ts"],
                iso(taken),
                iso(contacted),
                kind,
                iso(closed),
                converted_to,
                first["day"],
                first["ts"],
                iso(updated),
            )
        )
    with store.write() as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO leads(id, device_id, customer_id, status, owner, flag, tier, "
            "tier_with_other_assets, reasons, visits, first_visit_id, last_visit_id, made_by, assigned_by, "
            "assigned_ts, taken_ts, contacted_ts, contact_kind, closed_ts, converted_to, created_day, created_ts, "
            "updated_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            values,
        )
        store.chain_rows(conn, "leads", (row[0] for row in values))  # in the audit chain like every lead


def generate_demo(
    store: LobbyStore, *, customers: int, days: int, seed: int, progress: Progress | None = None
) -> DemoResult:
    """Create or fill the store's database with demo staff, a directory of `customers` and `days` of
    history up to today. Idempotent: what is there already is kept, only what is missing is added."""
    if not 0 <= customers <= MAX_CUSTOMERS:
        raise ValueError(f"customers must be between 0 and {MAX_CUSTOMERS:,}")
    if days < 0:
        raise ValueError("days must not be negative")
    store.check()
    session = None
    for staff_id, name, role, pin in DEMO_STAFF:
        if not store.query("SELECT 1 FROM staff WHERE staff_id = ?", (staff_id,)):
            if session is None and store.query("SELECT 1 FROM staff WHERE role = 'supervisor' LIMIT 1"):
                # An older demo file (a sign-in added since): its demo supervisor adds it, with the
                # demo's PIN; a real branch's supervisor has another PIN, and nothing is added there.
                supervisor = next(s for s in DEMO_STAFF if s[2] == "supervisor")
                session = store.sign_in(supervisor[0], supervisor[3]).id
            store.add_staff(staff_id, name, role, pin, by=session)
    store.mark_demo(DEMO_STAFF)

    clock = _Clock(store)
    first_day = clock.today - timedelta(days=max(days, 1))
    created_ts = _Clock.ts(first_day.isoformat(), clock.offset(first_day), 8 * 3600)

    conn = store.conn
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("PRAGMA cache_size = -262144")  # 256 MiB while the indexes take a million random keys
    try:
        _fill_customers(store, customers, seed, created_ts, clock.today, progress)
        _fill_days(store, days, seed, clock, progress)
        _fill_leads(store, seed, clock)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
    counts = store.query("SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM visits)")[0]
    return DemoResult(customers=counts[0], visits=counts[1], staff=list(DEMO_STAFF))
