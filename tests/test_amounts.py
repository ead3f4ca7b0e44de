"""parse_amount: amounts as lobby staff type them, always exact Decimals to the fen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lobby_tui.domain.amounts import ABSURD, FEN, from_fen, parse_amount, parse_wan, parse_wan_field, to_fen
from lobby_tui.domain.errors import InputError


def D(text: str) -> Decimal:
    return Decimal(text)


def _refused(text: str | None) -> str:
    with pytest.raises(InputError) as info:
        parse_amount(text)
    return info.value.key


def _exact_fen(value: Decimal) -> bool:
    return value.as_tuple().exponent == -2 and value == value.quantize(FEN)


# ---------------------------------------------------------------- accepted forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("200000", "200000"),
        ("200,000", "200000"),
        ("200，000", "200000"),  # full-width comma
        ("20万", "200000"),
        ("20.5万", "205000"),
        ("1000万", "10000000"),
        ("5千", "5000"),
        ("1.2亿", "120000000"),
        ("0.5", "0.50"),
        ("199999.99", "199999.99"),
        ("0", "0"),
        (".5", "0.50"),
        ("+300", "300"),
    ],
)
def test_plain_and_chinese_units(text: str, expected: str) -> None:
    value = parse_amount(text)
    assert value == D(expected)
    assert isinstance(value, Decimal)
    assert _exact_fen(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("200000元", "200000"),
        ("20万元", "200000"),
        ("1.2亿元", "120000000"),
        ("5千元", "5000"),
        ("200,000元", "200000"),
        ("200000 CNY", "200000"),
        ("200000rmb", "200000"),
    ],
)
def test_with_yuan(text: str, expected: str) -> None:
    assert parse_amount(text) == D(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０万", "200000"),
        ("２００，０００", "200000"),
        ("１．２亿", "120000000"),
        ("２００００００元", "2000000"),
    ],
)
def test_full_width_digits(text: str, expected: str) -> None:
    assert parse_amount(text) == D(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  200000  ", "200000"),
        ("20 万", "200000"),
        (" 20 万 元 ", "200000"),
        ("200 000", "200000"),
        ("\t1.2亿\n", "120000000"),
        ("\u3000２０万\u3000", "200000"),  # ideographic spaces around a full-width number
    ],
)
def test_spaces(text: str, expected: str) -> None:
    assert parse_amount(text) == D(expected)


def test_tier_boundaries_stay_exact() -> None:
    # The point of Decimal: 20万 is exactly the quality line, not a float a hair under it.
    assert parse_amount("20万") == D("200000.00")
    assert parse_amount("19.999999万") == D("199999.99")
    assert parse_amount("0.1万") + parse_amount("0.2万") == D("3000")


def test_at_the_absurd_line_is_still_accepted() -> None:
    assert parse_amount("10000000000000") == ABSURD
    assert parse_amount("100000亿") == ABSURD


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize("text", ["-1", "-200000", "-20万", "−5", "－5", " -0.01 ", "-0"])
def test_negative(text: str) -> None:
    assert _refused(text) == "amount.negative"


@pytest.mark.parametrize("text", [None, "", "   ", "\t\n", "\u3000"])
def test_empty(text: str | None) -> None:
    assert _refused(text) == "amount.empty"


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "二十万",
        "20万万",
        "1.2.3",
        "1.",
        "1,0000",
        "2e5",
        "1_000",
        "万",
        "元",
        "$200",
        "20%",
        "12 34 56a",
        "0x10",
    ],
)
def test_not_a_number(text: str) -> None:
    assert _refused(text) == "amount.not_number"


@pytest.mark.parametrize("text", ["NaN", "nan", "inf", "-inf", "Infinity", "+Infinity", "sNaN", "nan万"])
def test_nan_and_infinity_refused(text: str) -> None:
    assert _refused(text) in ("amount.not_number", "amount.negative")


@pytest.mark.parametrize("text", ["NaN", "inf", "Infinity"])
def test_nan_and_infinity_say_not_a_number(text: str) -> None:
    assert _refused(text) == "amount.not_number"


@pytest.mark.parametrize(
    "text", ["10000000000000.01", "100000000000000", "100001亿", "10000000000万", "99999999999999999999"]
)
def test_absurd(text: str) -> None:
    assert _refused(text) == "amount.absurd"


@pytest.mark.parametrize("text", ["1.001", "0.005", "199999.999", "0.0000001万", "1.234567千"])
def test_finer_than_a_fen(text: str) -> None:
    assert _refused(text) == "amount.too_fine"


# 30 or more significant digits: more than the default Decimal context's 28, so the
# multiplication by the unit in parse_amount rounds the stray last digit away.
TOO_LONG_TO_BE_EXACT = (
    "1.00000000000000000000000000001",
    "0.0100000000000000000000000000001万",
    "199999.9900000000000000000000001",
)


def test_finer_than_a_fen_even_when_long() -> None:
    # BUG (amounts.py, parse_amount: `value = number * _UNITS[...]`): Decimal multiplication
    # rounds to 28 significant digits, so these are accepted as 1.00 / 100.00 / 199999.99
    # instead of being refused as more precise than a fen.
    accepted = {}
    for text in TOO_LONG_TO_BE_EXACT:
        try:
            accepted[text] = parse_amount(text)
        except InputError as exc:
            assert exc.key == "amount.too_fine"
    assert accepted == {}


def test_message_shows_what_was_typed_in_both_languages() -> None:
    with pytest.raises(InputError) as info:
        parse_amount("20万万")
    assert "20万万" in info.value.message("zh")
    assert "20万万" in info.value.message("en")
    assert "20万万" in str(info.value)


# ---------------------------------------------------------------- properties

two_places = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)


@given(two_places)
def test_round_trip_plain(d: Decimal) -> None:
    assert parse_amount(str(d)) == d


@given(two_places)
def test_round_trip_with_thousands_separators(d: Decimal) -> None:
    assert parse_amount(f"{d:,}") == d


@given(two_places)
def test_round_trip_with_yuan_and_full_width(d: Decimal) -> None:
    full_width = str(d).translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert parse_amount(f"{full_width}元") == d


@given(st.integers(min_value=0, max_value=10**9))
def test_wan(n: int) -> None:
    assert parse_amount(f"{n}万") == n * 10_000


@given(st.integers(min_value=0, max_value=10**5))
def test_yi(n: int) -> None:
    assert parse_amount(f"{n}亿") == n * 100_000_000


@given(two_places, st.integers(min_value=1, max_value=9), st.integers(min_value=0, max_value=10))
def test_a_third_decimal_place_is_refused(d: Decimal, digit: int, zeros: int) -> None:
    # Short enough to stay within Decimal's 28 digits; see test_finer_than_a_fen_even_when_long.
    text = f"{d:.2f}" + "0" * zeros + str(digit)
    assert _refused(text) == "amount.too_fine"


@given(st.decimals(min_value=Decimal("0.01"), max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_a_minus_sign_is_always_refused(d: Decimal) -> None:
    assert _refused(f"-{d}") == "amount.negative"


def _check_total(text: str) -> None:
    try:
        value = parse_amount(text)
    except InputError as exc:
        assert exc.key.startswith("amount.")
        assert exc.message("zh") and exc.message("en")
        return
    assert isinstance(value, Decimal)
    assert value.is_finite()
    assert value >= 0
    assert value <= ABSURD
    assert _exact_fen(value)


@given(st.text())
def test_any_text_is_an_amount_or_an_input_error(text: str) -> None:
    _check_total(text)


amountish = st.lists(
    st.sampled_from(
        list("0123456789０１２３４５６７８９.,，+-− 　")
        + [
            "万",
            "千",
            "亿",
            "百万",
            "千万",
            "k",
            "w",
            "K",
            "W",
            "元",
            "CNY",
            "rmb",
            "yuan",
            "e",
            "E",
            "NaN",
            "inf",
            "Infinity",
            "_",
            "'",
            "٣",
            "²",
        ]
    ),
    max_size=25,
).map("".join)


@given(amountish)
def test_amount_like_text_is_an_amount_or_an_input_error(text: str) -> None:
    _check_total(text)


# ---------------------------------------------------------------- fen


def test_to_fen_and_from_fen_examples() -> None:
    assert to_fen(D("200000.00")) == 20_000_000
    assert to_fen(D("0.01")) == 1
    assert to_fen(D("0")) == 0
    assert from_fen(20_000_000) == D("200000.00")
    assert from_fen(1) == D("0.01")
    assert from_fen(0).as_tuple().exponent == -2


@given(two_places)
def test_fen_round_trip_from_decimal(d: Decimal) -> None:
    fen = to_fen(d)
    assert isinstance(fen, int)
    assert from_fen(fen) == d
    assert _exact_fen(from_fen(fen))


@given(st.integers(min_value=0, max_value=10**15))
def test_fen_round_trip_from_int(n: int) -> None:
    assert to_fen(from_fen(n)) == n


# ---------------------------------------------------------------- fields labelled 万元 (issue 9, item 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20", "200000"),
        ("20.5", "205000"),
        ("9999", "99990000"),
        ("1.2亿", "120000000"),
        ("5000元", "5000"),
        ("12000万", "120000000"),
    ],
)
def test_a_wan_field_takes_what_fits_it(text, expected):
    assert parse_wan_field(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["10000", "200000", "200,000", "1000000"])
def test_a_bare_number_of_1_yi_or_more_in_a_wan_field_is_questioned(text):
    with pytest.raises(InputError) as caught:
        parse_wan_field(text)
    assert caught.value.key == "amount.wan_check"
    zh, en = caught.value.message("zh"), caught.value.message("en")
    assert "元" in zh and "亿" in zh and "CNY" in en  # says what it would be, and how to write yuan


def test_a_bad_amount_in_a_wan_field_gives_examples_that_fit_the_field():
    with pytest.raises(InputError) as caught:
        parse_wan_field("abc")
    assert caught.value.key == "amount.not_wan"
    assert "200000" not in caught.value.message("en")  # that example would mean 20亿 here


@given(st.text(max_size=30))
def test_a_wan_field_refuses_only_with_a_message(text):
    try:
        value = parse_wan_field(text)
    except InputError as exc:
        assert exc.message("zh") and exc.message("en")
    else:
        assert value == parse_wan(text)
