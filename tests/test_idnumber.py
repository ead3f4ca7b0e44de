"""PRC resident ID numbers (GB 11643): refused with a reason when wrong, never guessed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.idnumber import age_on, check_character, parse_id_number

TODAY = date(2026, 11, 18)
KNOWN_GOOD = "11010519491231002X"  # the standard's own example: Beijing Chaoyang, born 1949-12-31

# Province-level codes that certainly exist (a subset, so the tests do not copy the code's table).
REGIONS = ["110105", "120101", "130102", "310104", "320102", "330106", "440305", "500103", "510104", "650102"]


def make_id(region: str = "440305", birth: date = date(1995, 3, 8), seq: str = "123") -> str:
    body = f"{region}{birth:%Y%m%d}{seq}"
    assert len(body) == 17
    return body + check_character(body)


def _refused(text: str | None, today: date = TODAY) -> InputError:
    with pytest.raises(InputError) as info:
        parse_id_number(text, today)
    return info.value


# ---------------------------------------------------------------- accepted


def test_known_good_example() -> None:
    parsed = parse_id_number(KNOWN_GOOD, TODAY)
    assert parsed.number == KNOWN_GOOD
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.last4 == "002X"
    assert parsed.masked.endswith("002X")
    assert KNOWN_GOOD[:14] not in parsed.masked
    assert len(parsed.masked) == 18


def test_check_character_of_known_example() -> None:
    assert check_character(KNOWN_GOOD[:17]) == "X"


def test_lower_case_x_is_accepted_and_upper_cased() -> None:
    parsed = parse_id_number(KNOWN_GOOD.lower(), TODAY)
    assert parsed.number == KNOWN_GOOD


def test_full_width_and_spaces_are_accepted() -> None:
    typed = " 110105 19491231 002X "
    assert parse_id_number(typed, TODAY).number == KNOWN_GOOD
    full_width = KNOWN_GOOD.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert parse_id_number(full_width, TODAY).number == KNOWN_GOOD


@pytest.mark.parametrize("region", REGIONS)
def test_built_numbers_are_accepted(region: str) -> None:
    number = make_id(region, date(2001, 7, 1), "045")
    parsed = parse_id_number(number, TODAY)
    assert parsed.number == number
    assert parsed.birth_date == date(2001, 7, 1)


def test_a_number_whose_check_character_is_x() -> None:
    # Find a body whose check is X, then it must be accepted with X and refused with any digit.
    for seq in range(1000):
        body = f"440305{date(1990, 1, 1):%Y%m%d}{seq:03d}"
        if check_character(body) == "X":
            break
    else:  # pragma: no cover
        pytest.fail("no X check character in 1000 sequence numbers")
    assert parse_id_number(body + "X", TODAY).number == body + "X"
    assert parse_id_number(body + "x", TODAY).number == body + "X"
    for digit in "0123456789":
        assert _refused(body + digit).key == "id.check"


def test_born_today_is_accepted_with_age_zero() -> None:
    parsed = parse_id_number(make_id(birth=TODAY), TODAY)
    assert parsed.age_on(TODAY) == 0


# ---------------------------------------------------------------- refused


def test_wrong_check_character() -> None:
    good = make_id()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert _refused(wrong).key == "id.check"
    assert _refused("110105194912310021").key == "id.check"


@pytest.mark.parametrize("text", [KNOWN_GOOD[:17], KNOWN_GOOD + "1", KNOWN_GOOD[:15], "1"])
def test_wrong_length(text: str) -> None:
    err = _refused(text)
    assert err.key == "id.length"
    assert err.params["n"] == len(text)
    assert str(len(text)) in err.message("en") and str(len(text)) in err.message("zh")


@pytest.mark.parametrize("text", [None, "", "   "])
def test_empty(text: str | None) -> None:
    assert _refused(text).key == "id.empty"


@pytest.mark.parametrize(
    "text",
    [
        "11010519491231002Y",
        "1101051949123100AX",
        "A1010519491231002X",
        "110105-9491231002X",
        "11010519491231002?",
        "110105١٩491231002X",
    ],  # the last has Arabic-Indic digits
)
def test_letters_and_other_characters(text: str) -> None:
    assert _refused(text).key == "id.chars"


@pytest.mark.parametrize("region", ["000000", "990101", "100101", "200101", "700101", "900101"])
def test_bad_region(region: str) -> None:
    err = _refused(make_id(region=region))
    assert err.key == "id.region"
    assert region in err.message("en")


@pytest.mark.parametrize("birth", ["20000230", "19990229", "19901301", "19900001", "19900100", "19900431", "18890101"])
def test_impossible_birth_date(birth: str) -> None:
    body = f"110105{birth}123"
    err = _refused(body + check_character(body))
    assert err.key == "id.birth"
    assert birth in err.message("en") and birth in err.message("zh")


def test_future_birth_date() -> None:
    err = _refused(make_id(birth=TODAY + timedelta(days=1)))
    assert err.key == "id.future"
    assert _refused(make_id(birth=date(2030, 1, 1))).key == "id.future"


def test_an_id_number_giving_an_age_over_130_is_refused_like_age_136() -> None:
    from lobby_tui.domain.tiers import parse_age

    oldest = date(TODAY.year - 131, TODAY.month, TODAY.day + 1)  # 130 today, 131 tomorrow
    assert parse_id_number(make_id(birth=oldest), TODAY).age_on(TODAY) == 130
    err = _refused(make_id(birth=oldest - timedelta(days=1)))
    assert err.key == "id.too_old"
    assert "130" in err.message("en") and "130" in err.message("zh")
    with pytest.raises(InputError):
        parse_age("131")
    assert parse_age("130") == 130


def test_feb_29_is_a_date_only_in_leap_years() -> None:
    assert parse_id_number(make_id(birth=date(2000, 2, 29)), TODAY).birth_date == date(2000, 2, 29)
    body = "11010519000229123"  # 1900 was not a leap year
    assert _refused(body + check_character(body)).key == "id.birth"


# ---------------------------------------------------------------- age


def test_age_on_birthday_and_the_day_before() -> None:
    parsed = parse_id_number(make_id(birth=date(1990, 6, 15)), TODAY)
    assert parsed.age_on(date(2026, 6, 15)) == 36
    assert parsed.age_on(date(2026, 6, 14)) == 35
    assert parsed.age_on(date(2026, 6, 16)) == 36
    assert age_on(date(1990, 6, 15), date(1990, 6, 15)) == 0
    assert age_on(date(2010, 11, 18), TODAY) == 16
    assert age_on(date(2010, 11, 19), TODAY) == 15


def test_age_on_feb_29_births() -> None:
    born = date(2000, 2, 29)
    assert age_on(born, date(2001, 2, 28)) == 0  # not yet: turns 1 on 1 March
    assert age_on(born, date(2001, 3, 1)) == 1
    assert age_on(born, date(2004, 2, 28)) == 3
    assert age_on(born, date(2004, 2, 29)) == 4
    assert age_on(born, date(2016, 2, 28)) == 15
    assert age_on(born, date(2016, 2, 29)) == 16


def _reference_age(born: date, on: date) -> int:
    def birthday(year: int) -> date:
        try:
            return born.replace(year=year)
        except ValueError:  # 29 February in a common year: 1 March
            return date(year, 3, 1)

    years = on.year - born.year
    return years - 1 if birthday(on.year) > on else years


@given(st.dates(min_value=date(1890, 1, 1), max_value=date(2100, 1, 1)), st.integers(min_value=0, max_value=60000))
def test_age_on_matches_counting_birthdays(born: date, days: int) -> None:
    on = born + timedelta(days=days)
    assert age_on(born, on) == _reference_age(born, on)


# ---------------------------------------------------------------- properties

bodies = st.builds(
    lambda region, born, seq: f"{region}{born:%Y%m%d}{seq:03d}",
    st.sampled_from(REGIONS),
    st.dates(min_value=date(TODAY.year - 130, TODAY.month, TODAY.day + 1), max_value=TODAY),
    st.integers(min_value=0, max_value=999),
)


@given(bodies)
def test_any_valid_body_with_its_check_character_is_accepted(body: str) -> None:
    number = body + check_character(body)
    parsed = parse_id_number(number, TODAY)
    assert parsed.number == number
    assert parsed.birth_date == date(int(body[6:10]), int(body[10:12]), int(body[12:14]))


@given(bodies, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10))
def test_changing_any_one_character_is_refused(body: str, position: int, shift: int) -> None:
    number = body + check_character(body)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    current = alphabet.index(number[position])
    replacement = alphabet[(current + shift) % len(alphabet)]
    if replacement == number[position]:  # shift == len(alphabet) for the last position
        replacement = alphabet[(current + 1) % len(alphabet)]
    changed = number[:position] + replacement + number[position + 1 :]
    assert changed != number
    with pytest.raises(InputError):
        parse_id_number(changed, TODAY)


@given(bodies, st.integers(min_value=0, max_value=15))
def test_swapping_two_adjacent_different_digits_is_refused(body: str, position: int) -> None:
    # MOD 11-2 also catches transpositions of neighbouring digits.
    number = body + check_character(body)
    a, b = number[position], number[position + 1]
    assume(a != b)
    swapped = number[:position] + b + a + number[position + 2 :]
    with pytest.raises(InputError):
        parse_id_number(swapped, TODAY)
