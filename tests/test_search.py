"""The one search box: what was typed becomes the right directory lookup."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.search import search_terms


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("5678", {"phone_last4": "5678"}),
        (" 5678 ", {"phone_last4": "5678"}),
        ("13812345678", {"phone": "13812345678"}),
        ("138 1234 5678", {"phone": "13812345678"}),
        ("11010519491231002X", {"id_number": "11010519491231002X"}),
        ("6222021234567890123", {"card": "6222021234567890123"}),
        ("张三", {"name": "张三"}),
        ("0001 王", {"phone_last4": "0001", "name": "王"}),
        ("王 0001", {"phone_last4": "0001", "name": "王"}),
        ("０００１王", {"phone_last4": "0001", "name": "王"}),  # full-width digits from a CJK keyboard
        ("", None),
        ("   ", None),
    ],
)
def test_search_terms(text, terms):
    assert search_terms(text) == terms


@pytest.mark.parametrize("text", ["12345", "123456789"])
def test_digits_that_fit_nothing_are_refused(text):
    with pytest.raises(InputError) as info:
        search_terms(text)
    assert info.value.key == "search.digits"


@given(st.text(max_size=30))
def test_any_text_gives_terms_none_or_a_message(text):
    try:
        terms = search_terms(text)
    except InputError as exc:
        assert exc.message("zh") and exc.message("en")
        return
    assert terms is None or set(terms) <= {"phone_last4", "phone", "id_number", "card", "name"}


def test_last_four_and_a_surname_narrow_the_matches(store):
    for name, phone in (
        ("王磊", "13900000001"),
        ("王芳", "13500000001"),
        ("李娜", "13700000001"),
        ("王磊", "13800002222"),
    ):
        store.add_customer(name=name, phone=phone, assets=Decimal(1000))
    assert len(store.lookup(phone_last4="0001")) == 3
    assert sorted(c.phone_masked for c in store.lookup(**search_terms("0001 王"))) == ["135****0001", "139****0001"]
    assert [c.name for c in store.lookup(**search_terms("李 0001"))] == ["李娜"]
