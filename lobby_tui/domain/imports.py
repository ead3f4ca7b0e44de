"""The rows of the files `lobby-tui import-customers` and `import-visits` read, checked one at a time.

Pure checking: no files, no SQLite. A good row becomes a record the store can write (it hashes the
numbers); a bad one raises InputError with the reason, which the command reports with the line number.

Customer CSV headers (English or Chinese; case, spaces and full-width brackets do not matter):

    name / 姓名                      required
    phone / 手机号                   a phone or an ID number is required in each row
    id_number / 证件号码              (18-character resident ID: birth date, so age, comes from it)
    card_number / 卡号               optional
    assets / 金融资产                 required: 200000, 200,000 (quoted), 20万, 1.2亿, 20万元 ...
    other_bank_assets / 他行资产      optional, same forms
    education / 学历                 optional: codes (bachelor ...) or words (本科, 大专, 高中 ...)

A header such as 金融资产(万元) or assets_wan says that bare numbers in that column are in 万.
Other columns are ignored. Rows are matched to the directory by ID number, else phone, so importing
the same file again updates those customers instead of adding them twice.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from lobby_tui.domain.amounts import ABSURD, parse_amount, parse_wan, to_fen
from lobby_tui.domain.errors import InputError
from lobby_tui.domain.exports import VISIT_FIELDS as VISIT_FIELDS  # the one list; re-exported
from lobby_tui.domain.idnumber import MAX_AGE, PROVINCES, age_on, check_character, parse_id_number
from lobby_tui.domain.models import OUTCOMES
from lobby_tui.domain.privacy import normalize_card, normalize_name, normalize_phone
from lobby_tui.domain.rules import (
    DESTINATION_CODES,
    REASON_CODES,
    REFERRAL_CODES,
    TIER_CODES,
    TierTable,
    tier_table,
)

# column -> the header names that mean it (compared after _header_key)
CUSTOMER_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "姓名", "客户姓名", "客户名称"),
    "phone": ("phone", "mobile", "手机号", "手机号码", "手机", "联系电话"),
    "id_number": ("id_number", "证件号码", "证件号", "身份证号", "身份证号码"),
    "card_number": ("card_number", "card", "卡号", "银行卡号"),
    "assets": ("assets", "金融资产", "本行金融资产", "本行资产"),
    "other_bank_assets": ("other_bank_assets", "他行资产", "他行金融资产"),
    "education": ("education", "学历"),
}
REQUIRED_COLUMNS = ("name", "assets")
KEY_COLUMNS = ("phone", "id_number")  # at least one in the header, and a value in each row
AMOUNT_COLUMNS = ("assets", "other_bank_assets")
_WAN_MARKS = ("(万元)", "(万)", "_wan")


def _header_key(text: str) -> str:
    key = unicodedata.normalize("NFKC", text or "").replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-]+", "_", key)


_ALIASES = {_header_key(alias): column for column, names in CUSTOMER_HEADERS.items() for alias in names}


@dataclass(frozen=True)
class CustomerHeader:
    """Which field of a row holds which column, as the file names it."""

    index: dict[str, int]  # column -> position
    names: dict[str, str]  # column -> the header text in the file (for messages)
    in_wan: frozenset[str]  # amount columns whose bare numbers are in 万
    width: int

    def has(self, column: str) -> bool:
        return column in self.index


def customer_header(fields: Sequence[str]) -> CustomerHeader:
    """The header row: InputError when a required column is missing or one is named twice."""
    index: dict[str, int] = {}
    names: dict[str, str] = {}
    in_wan: set[str] = set()
    for position, text in enumerate(fields):
        key = _header_key(text)
        wan = False
        for mark in _WAN_MARKS:
            if key.endswith(mark) and key != mark:
                key, wan = key[: -len(mark)].strip("_"), True
                break
        column = _ALIASES.get(key)
        if column is None:
            continue  # a CRM export has many more columns; they are not ours
        if column in index:
            raise InputError("import.header_twice", column=column, first=names[column], second=text.strip())
        if wan and column not in AMOUNT_COLUMNS:
            continue
        index[column] = position
        names[column] = unicodedata.normalize("NFKC", text).replace("\ufeff", "").strip()
        if wan:
            in_wan.add(column)
    missing = [c for c in REQUIRED_COLUMNS if c not in index]
    if not any(c in index for c in KEY_COLUMNS):
        missing.append("phone / id_number")
    if missing:
        found = ", ".join(t.strip() for t in fields)[:120]
        raise InputError("import.header_missing", columns=", ".join(missing), found=found or "-")
    return CustomerHeader(index, names, frozenset(in_wan), len(fields))


class CustomerRecord(NamedTuple):
    """One checked directory row (a named tuple: an import makes a million). Numbers are still whole
    here: only the store sees them, and it keeps keyed hashes and display forms. None means "not given"; other_assets_fen and education
    are None also when the file has no such column (the store then leaves them as they were)."""

    name: str
    phone: str | None
    id_number: str | None
    birth_date: str | None
    card: str | None
    assets_fen: int
    other_assets_fen: int | None
    education: str | None


_new_record = tuple.__new__
_ROW_COLUMNS = ("phone", "id_number", "card_number", "other_bank_assets", "education")
_ABSURD_YUAN = int(ABSURD)


class FieldError(InputError):
    """A bad value in one column: the message names the column as the file does."""

    def __init__(self, column: str, cause: InputError) -> None:
        super().__init__("import.field", column=column, reason=cause)
        self.cause = cause

    def message(self, lang: str) -> str:
        from lobby_tui.i18n import tr

        return tr("import.field", lang, column=self.params["column"], reason=self.cause.message(lang))


class CustomerParser:
    """Checks the rows of one file against its header. Reused for every row, so the lookups it
    needs (education words) are made once."""

    def __init__(self, header: CustomerHeader, today: date, table: TierTable | None = None) -> None:
        self.header = header
        self.today = today
        self.table = table or tier_table()
        self._education: dict[str, str | None] = {}
        self._get = {c: header.index.get(c) for c in CUSTOMER_HEADERS}
        self._name_at, self._assets_at = header.index["name"], header.index["assets"]  # required columns
        self._positions = tuple(self._get[c] for c in _ROW_COLUMNS)
        self._assets_in_wan = "assets" in header.in_wan
        self._other_in_wan = "other_bank_assets" in header.in_wan
        self._births: dict[str, str] = {}  # YYYYMMDD in an ID number -> ISO date, for good dates only
        self._width = header.width

    def _field(self, row: Sequence[str], column: str) -> str:
        i = self._get[column]
        if i is None or i >= len(row):
            return ""
        return row[i].strip()

    def _amount(self, row: Sequence[str], column: str) -> Decimal:
        text = self._field(row, column)
        try:
            return parse_wan(text) if column in self.header.in_wan else parse_amount(text)
        except InputError as exc:
            raise FieldError(self.header.names[column], exc) from None

    def parse(self, row: Sequence[str]) -> CustomerRecord:
        """The checked record, or InputError with the reason. Rows in the forms a CRM export almost
        always has (plain digits, 20万, "1,234,567", ASCII numbers) take a short path; anything else,
        and every refusal, goes through parse_checked, which the short path must always agree with
        (tests/test_parsers_property.py)."""
        return self._parse_common(row) or self.parse_checked(row)

    def _parse_common(self, row: Sequence[str]) -> CustomerRecord | None:
        """The record for a row in the common forms, or None for parse_checked to decide."""
        if len(row) != self._width:
            return None
        i_phone, i_id, i_card, i_other, i_education = self._positions
        name = " ".join(unicodedata.normalize("NFKC", row[self._name_at]).split())[:40]
        if not name:
            return None
        phone: str | None = row[i_phone].strip() if i_phone is not None else ""
        if phone:
            if not (len(phone) == 11 and phone.isascii() and phone.isdigit() and phone[0] == "1" and phone[1] > "2"):
                return None
        else:
            phone = None
        id_number: str | None = row[i_id].strip() if i_id is not None else ""
        birth = None
        if id_number:
            if not (len(id_number) == 18 and id_number.isascii() and id_number[:17].isdigit()):
                return None
            birth = self._birth(id_number[6:14])
            if birth is None or id_number[:2] not in PROVINCES or check_character(id_number[:17]) != id_number[17]:
                return None
        else:
            if phone is None:
                return None
            id_number = None
        card: str | None = row[i_card].strip() if i_card is not None else ""
        if card:
            if not (12 <= len(card) <= 19 and card.isascii() and card.isdigit()):
                return None
        else:
            card = None
        assets = self._fen(row[self._assets_at].strip(), self._assets_in_wan)
        if assets is None:
            return None
        other = None
        if i_other is not None:
            text = row[i_other].strip()
            other = self._fen(text, self._other_in_wan) if text else 0
            if other is None:
                return None
        education = None
        if i_education is not None:
            text = row[i_education].strip()
            if text not in self._education:
                return None
            education = self._education[text]
        # tuple.__new__ as CustomerRecord(...) calls it, without the generated __new__'s own frame.
        return _new_record(CustomerRecord, (name, phone, id_number, birth, card, assets, other, education))

    def _birth(self, text: str) -> str | None:
        """The ISO birth date in an ID number (YYYYMMDD), or None when it is not a plain good one."""
        iso = self._births.get(text)
        if iso is None and text.isdigit():
            try:
                born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
            except ValueError:
                return None
            if born.year < 1890 or born > self.today or age_on(born, self.today) > MAX_AGE:
                return None  # parse_checked refuses it, with the reason
            iso = self._births[text] = born.isoformat()
        return iso

    @staticmethod
    def _fen(text: str, in_wan: bool) -> int | None:
        """Whole fen for 200000, 200,000, 20万 (ASCII digits), as parse_amount / parse_wan give
        them; None for any other form (parse_checked decides)."""
        if not text.isascii():
            if not (text.endswith("万") and text[:-1].isascii() and text[:-1].isdigit() and len(text) < 12):
                return None
            yuan = int(text[:-1]) * 10_000
        else:
            digits = text
            if "," in text:
                head, *groups = text.split(",")
                if not (0 < len(head) <= 3 and all(len(g) == 3 for g in groups)):
                    return None
                digits = head + "".join(groups)
            if not (digits.isdigit() and len(digits) < 16):
                return None
            yuan = int(digits) * (10_000 if in_wan else 1)
        return yuan * 100 if yuan <= _ABSURD_YUAN else None

    def parse_checked(self, row: Sequence[str]) -> CustomerRecord:
        """Every check, one column at a time, with the reason for a refusal."""
        header = self.header
        if len(row) != header.width:
            raise InputError("import.row_width", found=len(row), expected=header.width)
        names = header.names
        try:
            name = normalize_name(self._field(row, "name"))
        except InputError as exc:
            raise FieldError(names["name"], exc) from None

        phone = None
        text = self._field(row, "phone")
        if text:
            try:
                phone = normalize_phone(text)
            except InputError:
                # Said without echoing the value: it may be a real number with one digit wrong.
                raise FieldError(names["phone"], InputError("import.phone_bad")) from None

        id_number = birth = None
        text = self._field(row, "id_number")
        if text:
            try:
                parsed = parse_id_number(text, self.today)
            except InputError as exc:
                raise FieldError(names["id_number"], exc) from None
            id_number, birth = parsed.number, parsed.birth_date.isoformat()
        if phone is None and id_number is None:
            raise InputError("import.row_needs_key")

        card = None
        text = self._field(row, "card_number")
        if text:
            try:
                card = normalize_card(text)
            except InputError as exc:
                raise FieldError(names["card_number"], exc) from None

        assets = self._amount(row, "assets")
        other: int | None = None
        if header.has("other_bank_assets"):
            other = to_fen(self._amount(row, "other_bank_assets")) if self._field(row, "other_bank_assets") else 0

        education = None
        if header.has("education"):
            text = self._field(row, "education")
            if text in self._education:
                education = self._education[text]
            else:
                from lobby_tui.domain.tiers import parse_education

                try:
                    education = parse_education(text, self.table)
                except InputError as exc:
                    raise FieldError(names["education"], exc) from None
                if len(self._education) < 1000:
                    self._education[text] = education
        return CustomerRecord(name, phone, id_number, birth, card, to_fen(assets), other, education)


# ---------------------------------------------------------------- visits (another tablet's export)

# The fields of an exported visit: VISIT_FIELDS, lobby_tui.domain.exports' one list.
VISIT_REQUIRED = ("id", "device_id", "ts", "reason", "outcome")
_TEXT_LIMITS = {
    "device_id": 64,
    "shift_id": 64,
    "staff_id": 64,
    "customer_id": 64,
    "ticket": 16,
    "override_reason": 500,
    "notes": 500,
}
_CODES: dict[str, tuple[str, ...]] = {
    "tier": TIER_CODES,
    "reason": REASON_CODES,
    "recommended_destination": DESTINATION_CODES,
    "destination": DESTINATION_CODES,
    "redirected_from": DESTINATION_CODES,
    "refer_to": REFERRAL_CODES,
    "outcome": OUTCOMES,
}


def _bad(field: str, value: object) -> InputError:
    return InputError("import.visit_field", field=field, text=repr(value)[:40])


def _timestamp(field: str, value: object) -> str:
    if not isinstance(value, str):
        raise _bad(field, value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _bad(field, value) from None
    if parsed.tzinfo is None or len(value) < 19:
        raise _bad(field, value)  # a visit's times carry their UTC offset, as the app writes them
    return value


def parse_visit(obj: object) -> dict[str, Any]:
    """One exported visit (a decoded JSON line) as a row of the visits table; InputError if bad."""
    if not isinstance(obj, Mapping):
        raise InputError("import.json_object")
    for key in VISIT_REQUIRED:
        if obj.get(key) in (None, ""):
            raise InputError("import.visit_missing", field=key)
    row: dict[str, Any] = {}
    visit_id = obj["id"]
    try:
        if not isinstance(visit_id, str):
            raise ValueError
        uuid.UUID(visit_id)
    except ValueError:
        raise _bad("id", visit_id) from None
    if len(visit_id) != 36:
        raise _bad("id", visit_id)
    row["id"] = visit_id
    row["ts"] = _timestamp("ts", obj["ts"])
    day = obj.get("day")
    if day is not None and day != row["ts"][:10]:
        raise _bad("day", day)
    row["day"] = row["ts"][:10]
    for field, limit in _TEXT_LIMITS.items():
        value = obj.get(field)
        if value is not None and (
            not isinstance(value, str) or len(value) > limit or (field == "device_id" and not value.strip())
        ):
            raise _bad(field, value)
        row[field] = value if value != "" or field in ("notes", "override_reason") else None
    for field, codes in _CODES.items():
        value = obj.get(field)
        if value is not None and value not in codes:
            raise _bad(field, value)
        row[field] = value
    for field in ("quality", "potential_quality"):
        value = obj.get(field, False)
        if value not in (True, False, 0, 1) or isinstance(value, Decimal):
            raise _bad(field, value)
        row[field] = int(value)
    amount = obj.get("amount")
    if amount is None or amount == "":
        row["amount_fen"] = None
    else:
        if isinstance(amount, bool) or not isinstance(amount, (str, int, Decimal)):
            raise _bad("amount", amount)
        try:
            row["amount_fen"] = to_fen(parse_amount(str(amount)))
        except InputError as exc:
            raise FieldError("amount", exc) from None
    outcome_ts = obj.get("outcome_ts")
    row["outcome_ts"] = None if outcome_ts is None else _timestamp("outcome_ts", outcome_ts)
    return row
