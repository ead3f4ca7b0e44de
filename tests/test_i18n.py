"""Every message in both languages with the same placeholders; the choice of language."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import lobby_tui
from lobby_tui import i18n
from lobby_tui.i18n import LANGS, MESSAGES, detect_lang, tr

LOCALE_VARS = ("LOBBY_TUI_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(key: str) -> None:
    pair = MESSAGES[key]
    assert isinstance(pair, tuple) and len(pair) == 2
    zh, en = pair
    assert isinstance(zh, str) and zh.strip(), f"{key}: empty zh"
    assert isinstance(en, str) and en.strip(), f"{key}: empty en"
    assert _placeholders(zh) == _placeholders(en), key
    assert all(p and p.isidentifier() for p in _placeholders(zh)), key


def test_tr_fills_placeholders_in_each_language() -> None:
    assert tr("id.length", "zh", n=17) == "身份证号码应为18位（当前17位）"
    assert tr("id.length", "en", n=17) == "A resident ID number has 18 characters (this has 17)"
    assert tr("amount.empty", "en") == "Enter an amount"
    assert tr("no.such.key", "zh") == "no.such.key"


def test_every_key_raised_by_the_domain_and_store_exists() -> None:
    root = Path(lobby_tui.__file__).parent
    pattern = re.compile(r'(?:InputError|StoreError|SignInError|\btr)\(\s*"([a-z_]+\.[a-z_.]+)"')
    used = set()
    for folder in ("domain", "store"):
        for path in (root / folder).rglob("*.py"):
            used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert used, "the pattern found no keys at all"
    assert sorted(used - set(MESSAGES)) == []


# ---------------------------------------------------------------- detect_lang


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for var in LOCALE_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(i18n.locale, "getlocale", lambda *a: ("en_US", "UTF-8"))
    return monkeypatch


def test_explicit_wins_over_everything(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LOBBY_TUI_LANG", "en")
    clean_env.setenv("LC_ALL", "en_US.UTF-8")
    clean_env.setenv("LANG", "en_US.UTF-8")
    assert detect_lang("zh") == "zh"
    clean_env.setenv("LOBBY_TUI_LANG", "zh")
    clean_env.setenv("LC_ALL", "zh_CN.UTF-8")
    assert detect_lang("en") == "en"


def test_explicit_is_read_leniently(clean_env: pytest.MonkeyPatch) -> None:
    assert detect_lang(" ZH-cn ") == "zh"
    assert detect_lang("EN") == "en"


def test_lobby_tui_lang_wins_over_the_locale(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LOBBY_TUI_LANG", "en")
    clean_env.setenv("LC_ALL", "zh_CN.UTF-8")
    clean_env.setenv("LANG", "zh_CN.UTF-8")
    assert detect_lang() == "en"
    assert detect_lang(None) == "en"
    clean_env.setenv("LOBBY_TUI_LANG", "zh_CN")
    clean_env.setenv("LC_ALL", "en_US.UTF-8")
    assert detect_lang() == "zh"


def test_an_unknown_explicit_language_falls_through(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LOBBY_TUI_LANG", "zh")
    assert detect_lang("fr") == "zh"
    assert detect_lang("") == "zh"


def test_lc_all_wins_over_lang(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LC_ALL", "en_US.UTF-8")
    clean_env.setenv("LANG", "zh_CN.UTF-8")
    assert detect_lang() == "en"
    clean_env.setenv("LC_ALL", "zh_CN.UTF-8")
    clean_env.setenv("LANG", "en_US.UTF-8")
    assert detect_lang() == "zh"


def test_lang_alone(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LANG", "zh_TW.UTF-8")
    assert detect_lang() == "zh"
    clean_env.setenv("LANG", "de_DE.UTF-8")
    assert detect_lang() == "en"


def test_empty_variables_are_skipped(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LOBBY_TUI_LANG", "")
    clean_env.setenv("LC_ALL", "")
    clean_env.setenv("LANG", "zh_CN.UTF-8")
    assert detect_lang() == "zh"


def test_nothing_set_uses_the_system_locale(clean_env: pytest.MonkeyPatch) -> None:
    assert detect_lang() == "en"
    clean_env.setattr(i18n.locale, "getlocale", lambda *a: ("zh_CN", "UTF-8"))
    assert detect_lang() == "zh"
    clean_env.setattr(i18n.locale, "getlocale", lambda *a: (None, None))
    assert detect_lang() == "en"


def test_always_a_known_language(clean_env: pytest.MonkeyPatch) -> None:
    for value in ("C", "POSIX", "C.UTF-8", "zh", "xx"):
        clean_env.setenv("LANG", value)
        assert detect_lang() in LANGS
