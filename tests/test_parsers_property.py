"""Property-based tests over every parser of typed or imported text (amounts and ID numbers have their
own in test_amounts.py and test_idnumber.py; here are the rest, and the totality of those two).

Each parser either returns a well-formed value or raises InputError with a message in both languages:
nothing else, whatever it is given.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lobby_tui.commands.import_customers import csv_rows
from lobby_tui.domain.amounts import ABSURD, parse_amount, parse_wan, to_fen
from lobby_tui.domain.errors import InputError
from lobby_tui.domain.idnumber import check_character, parse_id_number
from lobby_tui.domain.imports import (
    CUSTOMER_HEADERS,
    VISIT_FIELDS,
    CustomerParser,
    customer_header,
    parse_visit,
)
from lobby_tui.domain.models import OUTCOMES
from lobby_tui.domain.privacy import (
    mask_name,
    mask_phone,
    normalize_card,
    normalize_last4,
    normalize_name,
    normalize_phone,
)
from lobby_tui.domain.rules import (
    DESTINATION_CODES,
    EDUCATION_CODES,
    REASON_CODES,
    TIER_CODES,
    tier_table,
)
from lobby_tui.domain.search import search_kind
from lobby_tui.domain.tiers import parse_education

TODAY = date(2026, 11, 18)
REGIONS = ["110105", "310104", "320102", "440305", "650102"]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def refused_properly(exc: InputError) -> None:
    assert exc.message("zh").strip() and exc.message("en").strip()
    assert exc.message("zh") != exc.key and exc.message("en") != exc.key  # a known message, not the bare key


def total(parse, text):  # noqa: ANN001, ANN201 - any parser, any input
    """parse(text), or None after checking that the refusal is a proper InputError."""
    try:
        return parse(text)
    except InputError as exc:
        refused_properly(exc)
        return None


messy_text = st.text(st.characters(codec="utf-8"), max_size=40)
digits = st.text("0123456789", min_size=1, max_size=22)
separators = st.sampled_from(["", " ", "-", "  ", "\u3000"])


def spaced(draw: st.DrawFn, number: str) -> str:
    """The number as people type it: groups split by spaces or dashes, maybe full-width."""
    out, i = "", 0
    while i < len(number):
        step = draw(st.integers(min_value=1, max_value=5))
        out += number[i : i + step] + draw(separators)
        i += step
    if draw(st.booleans()):
        out = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in out)  # full-width digits
    return out.strip()


# ---------------------------------------------------------------- phone, card, last four, names


phones = st.builds(
    lambda second, rest: f"1{second}{rest:09d}",
    st.sampled_from("3456789"),
    st.integers(min_value=0, max_value=10**9 - 1),
)


@st.composite
def typed_phones(draw: st.DrawFn) -> tuple[str, str]:
    phone = draw(phones)
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "0086"]))
    return phone, prefix + spaced(draw, phone)


@given(typed_phones())
def test_a_typed_phone_normalises_to_its_digits(case: tuple[str, str]) -> None:
    phone, typed = case
    assert normalize_phone(typed) == phone
    assert mask_phone(phone) == phone[:3] + "****" + phone[-4:]


@given(messy_text)
def test_normalize_phone_is_total(text: str) -> None:
    phone = total(normalize_phone, text)
    if phone is not None:
        assert len(phone) == 11 and phone.isascii() and phone.isdigit() and phone[0] == "1"


@st.composite
def typed_cards(draw: st.DrawFn) -> tuple[str, str]:
    card = draw(st.text("0123456789", min_size=12, max_size=19))
    return card, spaced(draw, card)


@given(typed_cards())
def test_a_typed_card_normalises_to_its_digits(case: tuple[str, str]) -> None:
    card, typed = case
    assume("\u3000" not in typed)  # an ideographic space is not a card separator
    assert normalize_card(typed) == card


@given(st.one_of(messy_text, digits))
def test_normalize_card_and_last4_are_total(text: str) -> None:
    card = total(normalize_card, text)
    if card is not None:
        assert 12 <= len(card) <= 19 and card.isascii() and card.isdigit()
    last4 = total(normalize_last4, text)
    if last4 is not None:
        assert len(last4) == 4 and last4.isascii() and last4.isdigit()


@given(messy_text)
def test_names_normalise_and_mask_without_revealing_the_middle(text: str) -> None:
    name = total(normalize_name, text)
    if name is None:
        return
    assert name == name.strip() and "  " not in name and 0 < len(name) <= 40
    masked = mask_name(name)
    assert masked
    wide = [c for c in name if not c.isspace()]
    if any(unicodedata.east_asian_width(c) in "WF" for c in name) and len(wide) >= 3:
        assert masked[0] == wide[0] and set(masked[1:-1]) == {"*"}
        assert len(masked) == len(wide)


# ---------------------------------------------------------------- the one search box


@given(st.one_of(messy_text, digits, st.from_regex(r"\+86\d{11}", fullmatch=True)))
def test_search_kind_is_total(text: str) -> None:
    try:
        found = search_kind(text)
    except InputError as exc:
        refused_properly(exc)
        return
    if found is None:
        assert not "".join(unicodedata.normalize("NFKC", text).split()).replace("-", "")
        return
    kind, value = found
    assert kind in {"phone_last4", "phone", "id_number", "card", "name"}
    assert value


@given(st.text("0123456789", min_size=4, max_size=4))
def test_four_digits_are_a_phone_last4(text: str) -> None:
    assert search_kind(text) == ("phone_last4", text)


@given(typed_phones())
def test_a_phone_is_a_phone(case: tuple[str, str]) -> None:
    phone, _ = case
    assert search_kind(phone) == ("phone", phone)


@given(
    st.sampled_from(REGIONS),
    st.dates(min_value=date(1900, 1, 1), max_value=date.today()),
    st.integers(min_value=0, max_value=999),
)
def test_a_valid_id_number_is_an_id_number(region: str, born: date, seq: int) -> None:
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    number = body + check_character(body)
    assert search_kind(number) == ("id_number", number)
    assert search_kind(number.lower()) == ("id_number", number.lower())


@given(st.text("0123456789", min_size=12, max_size=19))
def test_twelve_to_nineteen_digits_are_a_card_unless_a_valid_id(text: str) -> None:
    kind, _ = search_kind(text)
    assert kind in ("card", "id_number")
    assert kind == "card" or len(text) == 18


# ---------------------------------------------------------------- amounts, ID numbers, education


@given(messy_text)
def test_parse_wan_is_total(text: str) -> None:
    value = total(parse_wan, text)
    if value is not None:
        assert 0 <= value <= ABSURD and value == value.quantize(Decimal("0.01"))


@given(st.integers(min_value=0, max_value=10**8))
def test_a_bare_number_in_a_wan_column_is_ten_thousand_times(n: int) -> None:
    assert parse_wan(str(n)) == Decimal(n) * 10_000


@given(st.one_of(messy_text, st.text("0123456789Xx", min_size=17, max_size=19)))
def test_parse_id_number_is_total(text: str) -> None:
    parsed = total(lambda t: parse_id_number(t, TODAY), text)
    if parsed is not None:
        assert len(parsed.number) == 18 and parsed.birth_date <= TODAY
        assert check_character(parsed.number[:17]) == parsed.number[17]


EDUCATION_WORDS = [w for level in tier_table().education for w in (level.code, level.label["zh"], *level.aliases)]


@given(st.one_of(messy_text, st.sampled_from(EDUCATION_WORDS)))
def test_parse_education_is_total(text: str) -> None:
    code = total(parse_education, text)
    assert code is None or code in EDUCATION_CODES
    if text in EDUCATION_WORDS:
        assert code in EDUCATION_CODES


# ---------------------------------------------------------------- CSV rows of the customer directory


ALIASES = [(column, alias) for column, names in CUSTOMER_HEADERS.items() for alias in names]


@st.composite
def headers(draw: st.DrawFn) -> tuple[list[str], dict[str, int]]:
    """A header naming each column by one of its names (cased and spaced anyhow), among other columns."""
    columns = ["name", "assets", draw(st.sampled_from(["phone", "id_number"]))]
    columns += draw(
        st.lists(st.sampled_from(["card_number", "other_bank_assets", "education", "phone", "id_number"]), unique=True)
    )
    columns = list(dict.fromkeys(columns))
    cells = []
    for column in columns:
        alias = draw(st.sampled_from(CUSTOMER_HEADERS[column]))
        alias = draw(st.sampled_from([alias, alias.upper(), f" {alias} ", alias.replace("_", " ")]))
        cells.append(alias)
    extra = draw(st.lists(st.sampled_from(["备注", "branch", "开户日期", "客户经理"]), unique=True))
    order = draw(st.permutations(cells + extra))
    return list(order), {c: order.index(cells[k]) for k, c in enumerate(columns)}


@given(headers())
def test_any_header_spelling_finds_its_columns(case: tuple[list[str], dict[str, int]]) -> None:
    fields, expected = case
    header = customer_header(fields)
    assert header.index == expected and header.width == len(fields)


@given(st.lists(messy_text, max_size=8))
def test_customer_header_is_total(fields: list[str]) -> None:
    header = total(customer_header, fields)
    if header is not None:
        assert {"name", "assets"} <= set(header.index)


@st.composite
def customer_rows(draw: st.DrawFn) -> tuple[dict[str, str], dict[str, object]]:
    """A good row as staff write it, and what it must become."""
    name = draw(st.text(st.sampled_from("张王李赵欧阳明远思琪桂兰 "), min_size=1, max_size=6).filter(str.strip))
    phone = draw(st.one_of(st.none(), phones))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    body = f"{draw(st.sampled_from(REGIONS))}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    number = body + check_character(body) if phone is None or draw(st.booleans()) else None
    fen = draw(st.integers(min_value=0, max_value=10**12))
    yuan = Decimal(fen) / 100
    form = draw(st.sampled_from(["plain", "comma", "wan", "yuan"]))
    if form == "comma":
        assets = f"{yuan:,.2f}"
    elif form == "wan" and fen % 100 == 0:
        assets = f"{Decimal(fen) / 1_000_000:f}万"
    elif form == "yuan":
        assets = f"{yuan:.2f}元"
    else:
        assets = f"{yuan:.2f}"
    education = draw(st.sampled_from(["", *EDUCATION_WORDS]))
    row = {"name": name, "phone": phone or "", "id_number": number or "", "assets": assets, "education": education}
    expected = {
        "name": " ".join(name.split()),
        "phone": phone,
        "id_number": number,
        "birth_date": born.isoformat() if number else None,
        "assets_fen": fen,
        "education": parse_education(education),
    }
    return row, expected


@given(customer_rows())
def test_a_good_row_becomes_its_record(case: tuple[dict[str, str], dict[str, object]]) -> None:
    row, expected = case
    columns = list(row)
    parser = CustomerParser(customer_header(columns), TODAY)
    record = parser.parse([row[c] for c in columns])
    assert {k: getattr(record, k) for k in expected} == expected
    assert record.other_assets_fen is None and record.card is None


@given(st.lists(messy_text, min_size=5, max_size=5))
def test_any_row_is_a_record_or_a_reason(cells: list[str]) -> None:
    parser = CustomerParser(customer_header(["姓名", "手机号", "证件号码", "金融资产", "学历"]), TODAY)
    record = total(parser.parse, cells)
    if record is not None:
        assert record.name and (record.phone or record.id_number) and record.assets_fen >= 0


cell_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\r\x00"), max_size=12)


# Cells near the forms the import's short path takes (CustomerParser._parse_common): ASCII digits
# of every length, 万, thousands commas, ID numbers good and one character off, blanks, full-width.
def _near_id(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1880, 1, 1), max_value=date(2030, 12, 31)))
    body = f"{draw(st.sampled_from([*REGIONS, '990101', '000000']))}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    check = check_character(body) if draw(st.booleans()) else draw(st.sampled_from("0123456789Xx"))
    return draw(st.sampled_from([body + check, body + check.lower(), f" {body}{check}", body, body + check + "1"]))


near_cells = st.one_of(
    st.just(""),
    st.text("0123456789", min_size=1, max_size=20),
    st.text("0123456789,", min_size=1, max_size=12),
    st.builds(lambda n, u: f"{n}{u}", st.integers(0, 10**14), st.sampled_from(["", "万", "万元", ".5", "亿", " 万"])),
    st.builds(lambda n: f"{n:,}", st.integers(0, 10**15)),
    st.builds(lambda n: f"1{n:010d}", st.integers(0, 10**10 - 1)),
    st.builds(lambda n: f"6222{n:015d}"[: 12 + n % 9], st.integers(0, 10**15)),
    st.composite(_near_id)(),
    st.sampled_from(["本科", "大专", "高中", "硕士", "none", "？", "１３８００１３８０００", "\u3000", "客户 1"]),
    cell_text,
)


@FAST
@given(
    st.sampled_from(
        [
            ["姓名", "手机号", "证件号码", "卡号", "金融资产", "他行资产", "学历"],
            ["name", "phone", "id_number", "assets（万元）", "other_bank_assets_wan"],
            ["姓名", "证件号码", "金融资产"],
        ]
    ),
    st.lists(st.lists(near_cells, min_size=3, max_size=8), min_size=1, max_size=6),
)
def test_the_import_short_path_agrees_with_every_check(header: list[str], rows: list[list[str]]) -> None:
    parser = CustomerParser(customer_header(header), TODAY)
    for row in rows:
        try:
            checked = parser.parse_checked(row)
        except InputError:
            checked = None
        short = parser._parse_common(row)
        assert short is None or short == checked, row  # the short path never takes what the checks refuse
        assert total(parser.parse, row) == checked


@given(
    st.lists(st.lists(cell_text, min_size=1, max_size=4), min_size=1, max_size=8),
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
)
def test_csv_records_come_back_with_the_line_they_start_on(rows: list[list[str]], newline: str, quoting: int) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=newline, quoting=quoting)
    starts, line = [], 1
    for row in rows:
        text = io.StringIO(newline="")
        csv.writer(text, lineterminator=newline, quoting=quoting).writerow(row)
        written = text.getvalue()
        writer.writerow(row)
        if any(cell.strip() for cell in row):
            starts.append((line, row))
        line += written.count("\n")
    reader = csv.reader(io.StringIO(buffer.getvalue(), newline=""))
    got = list(csv_rows(reader, "utf-8"))
    assert [(n, r) for n, r in got] == starts


# ---------------------------------------------------------------- JSON lines of exported visits


BEIJING = timezone(timedelta(hours=8))


@st.composite
def exported_visits(draw: st.DrawFn) -> dict[str, object]:
    ts = draw(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1))).replace(tzinfo=BEIJING)
    ts_text = ts.isoformat(timespec="seconds")
    optional = st.one_of(st.none(), st.text(min_size=1, max_size=30))
    fen = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=10**12)))
    return {
        "id": str(draw(st.uuids())),
        "device_id": draw(st.text(min_size=1, max_size=20).filter(str.strip)),
        "ts": ts_text,
        "day": ts_text[:10],
        "shift_id": draw(optional),
        "staff_id": draw(optional),
        "customer_id": draw(optional),
        "tier": draw(st.sampled_from([None, *TIER_CODES])),
        "quality": draw(st.booleans()),
        "potential_quality": draw(st.booleans()),
        "reason": draw(st.sampled_from(REASON_CODES)),
        "amount": None if fen is None else str(Decimal(fen) / 100),
        "recommended_destination": draw(st.sampled_from([None, *DESTINATION_CODES])),
        "destination": draw(st.sampled_from([None, *DESTINATION_CODES])),
        "refer_to": draw(st.sampled_from([None, "wealth_management_centre", "private_banking"])),
        "override_reason": draw(optional),
        "redirected_from": draw(st.sampled_from([None, *DESTINATION_CODES])),
        "ticket": draw(st.one_of(st.none(), st.from_regex(r"[A-Z]\d{3}", fullmatch=True))),
        "outcome": draw(st.sampled_from(OUTCOMES)),
        "outcome_ts": draw(st.sampled_from([None, (ts + timedelta(minutes=9)).isoformat(timespec="seconds")])),
        "notes": draw(optional),
    }


def test_the_visit_fields_are_defined_once() -> None:
    from lobby_tui.domain import exports
    from lobby_tui.store import imports

    assert VISIT_FIELDS is exports.VISIT_FIELDS
    assert imports.VISIT_COLUMNS == tuple("amount_fen" if f == "amount" else f for f in VISIT_FIELDS)


@FAST
@given(exported_visits())
def test_an_exported_visit_round_trips_through_its_json_line(visit: dict[str, object]) -> None:
    line = json.dumps(visit, ensure_ascii=False)
    row = parse_visit(json.loads(line, parse_float=Decimal))
    for field in VISIT_FIELDS:
        if field == "amount":
            assert row["amount_fen"] == (None if visit["amount"] is None else to_fen(Decimal(visit["amount"])))
        else:
            assert row[field] == visit[field], field


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.decimals(allow_nan=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)


@FAST
@given(exported_visits(), st.sampled_from(VISIT_FIELDS), json_values)
def test_any_field_of_a_visit_can_be_anything(visit: dict[str, object], field: str, value: object) -> None:
    row = total(parse_visit, {**visit, field: value})
    if row is not None:
        assert row["reason"] in REASON_CODES and row["outcome"] in OUTCOMES
        assert row["day"] == row["ts"][:10]


@given(json_values)
def test_parse_visit_is_total(value: object) -> None:
    total(parse_visit, value)


@pytest.mark.parametrize("amount", ["1e999", "-5", "0.001", "NaN", True, 1.5])
def test_odd_amounts_in_a_visit_are_refused(amount: object) -> None:
    visit = {
        "id": "3f1c3a52-5b8e-4a8e-9a51-3c8a2d1e9f00",
        "device_id": "t",
        "ts": "2026-11-18T10:00:00+08:00",
        "reason": "transfer",
        "outcome": "waiting",
        "amount": amount,
    }
    with pytest.raises(InputError):
        parse_visit(visit)
    assert parse_amount("0.01") == Decimal("0.01")


@pytest.mark.parametrize(
    ("born", "taken"),
    [
        ("18900101", False),
        (f"{TODAY.year - 131}0101", False),
        (f"{TODAY.year - 131}1231", True),
        (f"{TODAY.year - 129}0101", True),
    ],
)
def test_the_short_path_refuses_an_id_number_over_the_oldest_age(born: str, taken: bool) -> None:
    """An ID number giving an age over MAX_AGE (130) is refused by parse_checked (id.too_old); the
    short path once took those born from 1890 on, with no reason given for the difference."""
    body = f"310115{born}123"
    row = ["张三", body + check_character(body), "100"]
    parser = CustomerParser(customer_header(["姓名", "证件号码", "金融资产"]), TODAY)
    assert (parser._parse_common(row) is not None) is taken
    if taken:
        assert parser.parse(row) == parser.parse_checked(row)
    else:
        with pytest.raises(InputError) as refused:
            parser.parse(row)
        assert "over 130" in refused.value.message("en")
