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


# ---------------------------------------------------------------- Chinese punctuation


def _zh_texts() -> list[tuple[str, str]]:
    """(where, text) for every Chinese message and every zh value of the data files, a message's
    placeholders filled with a Chinese stand-in (what fills them in Chinese is Chinese)."""
    import tomllib

    import lobby_tui.ui.strings  # noqa: F401 - registers the screen text

    texts = []
    for key, (zh, _) in sorted(MESSAGES.items()):
        if key.startswith("fmt."):
            continue  # the punctuation that joins parts, tested below
        filled = "".join(
            literal + ("" if field is None else "中") for literal, field, _, _ in string.Formatter().parse(zh)
        )
        texts.append((key, filled))

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "zh":
                    for n, s in enumerate(v if isinstance(v, list) else [v]):
                        texts.append((f"{where}.zh[{n}]", s))
                else:
                    walk(v, f"{where}.{k}")
        elif isinstance(node, list):
            for n, v in enumerate(node):
                walk(v, f"{where}[{n}]")

    data = Path(lobby_tui.__file__).parent.parent / "data"
    for name in ("guidance.toml", "tiers.toml", "patrol.toml"):
        walk(tomllib.loads((data / name).read_text(encoding="utf-8")), name)
    return texts


def test_the_punctuation_rule_is_precise() -> None:
    from lobby_tui.i18n import zh_punctuation_problems as problems

    for bad in (
        "学历, 年龄",
        "可介绍: 理财",
        "结班 (Y)",
        "推介:私人银行",
        "好!",
        "（可用：a）;",
        "（x）\n，y",
        "，开头",
    ):
        assert problems(bad), bad
    for good in ("学历、年龄", "可介绍：理财", "结班（Y）", "班次自 09:30", "20.5万", "1,200万元", "（可用：zh, en）"):
        assert problems(good) == [], good
    assert problems("--port 8000，YYYY-MM-DD：{text}") == []


def test_chinese_texts_use_full_width_punctuation() -> None:
    from lobby_tui.i18n import zh_punctuation_problems

    bad = {where: found for where, text in _zh_texts() if (found := zh_punctuation_problems(text))}
    assert bad == {}


def test_no_chinese_text_starts_with_a_full_width_comma() -> None:
    texts = _zh_texts()
    assert len(texts) > 300
    starts = [
        where for where, text in texts if any(line.lstrip().startswith(("，", "、")) for line in text.split("\n"))
    ]
    assert starts == []


def test_list_label_and_bracket_helpers_punctuate_by_language() -> None:
    from lobby_tui.i18n import annotated, bracketed, labelled, list_text

    assert list_text(["学历", "年龄"], "zh") == "学历、年龄"
    assert list_text(["education", "age"], "en") == "education, age"
    assert labelled("可介绍", "理财", "zh") == "可介绍：理财"
    assert labelled("Talking points", "loans", "en") == "Talking points: loans"
    assert annotated("结班", "Y", "zh") == "结班（Y）"
    assert annotated("Close", "Y", "en") == "Close (Y)"
    assert bracketed("推荐去向：贵宾柜台", "zh") == "（推荐去向：贵宾柜台）"


# ---------------------------------------------------------------- English plurals


def test_tr_picks_the_singular_for_one_and_the_plural_otherwise() -> None:
    assert tr("signin.bad_pin", "en", left=1) == "Wrong PIN; 1 try left before the account locks"
    assert tr("signin.bad_pin", "en", left=2) == "Wrong PIN; 2 tries left before the account locks"
    assert tr("signin.bad_pin", "en", left=0) == "Wrong PIN; 0 tries left before the account locks"
    assert tr("signin.bad_pin", "zh", left=1) == "密码不正确，还可尝试 1 次"
    assert tr("cli.demo.done", "en", path="d.db", customers=1, visits=2) == (
        "Demo database ready: d.db (1 customer, 2 visits)"
    )
    assert tr("cli.export.done", "en", n=1) == "Exported 1 visit"
    assert tr("cli.export.done", "en", n="1,000") == "Exported 1,000 visits"
    assert tr("import.refused", "en", refused=1).startswith("1 row was not imported (see above); correct it and")
    assert tr("import.refused", "en", refused=3).startswith("3 rows were not imported (see above); correct them and")


def test_a_plural_word_needs_its_count() -> None:
    MESSAGES["test.plural"] = ("{n} 次", "{n} {n:visit|visits}")
    try:
        assert tr("test.plural", "en", n=1) == "1 visit"
        with pytest.raises(KeyError):
            tr("test.plural", "en", m=1)
    finally:
        del MESSAGES["test.plural"]


COUNTED = re.compile(
    r"\b1 (?:more |new )?(visits|tries|customers|rows|entries|shifts|questions|days|sessions|lines|fields|digits"
    r"|characters|patrols|incidents|corrections|staff members|items|minutes|seconds)\b"
    r"|\b2 (?:more |new )?(visit|try|customer|row|entry|shift|question|day|session|line|field|digit|character"
    r"|patrol|incident|correction|item|minute|second)\b(?![-']| \d)"
)


@pytest.mark.parametrize("count", [1, 2])
def test_english_counts_agree_with_their_nouns(count: int) -> None:
    import lobby_tui.ui.strings  # noqa: F401 - registers the screen text

    wrong = {}
    for key, (_, en) in sorted(MESSAGES.items()):
        fields = _placeholders(en)
        # A pair of keys x_one / x_many is the other way to write a plural (the code picks the key).
        if not fields or key.endswith("_many" if count == 1 else "_one"):
            continue
        text = tr(key, "en", **{f: count for f in fields})
        if COUNTED.search(text):
            wrong[key] = text
    assert wrong == {}


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("13812345678", "138****5678"),
        ("call 138 1234 5678 now", "call 138****5678 now"),
        ("11010519491231002X", "****002X"),
        ("6222020000000000011", "****0011"),
        ("1381234567", "****4567"),  # a digit short: still masked
        ("2026-11-18, 10:30, 20万, 1001, S001", "2026-11-18, 10:30, 20万, 1001, S001"),  # dates, amounts, ids
    ],
)
def test_messages_mask_phone_id_and_card_numbers(text: str, shown: str) -> None:
    from lobby_tui.domain.errors import InputError
    from lobby_tui.domain.privacy import mask_numbers

    assert mask_numbers(text) == shown
    assert InputError("phone.bad", text=text).message("en").endswith(shown)
    assert InputError("date.bad", text=text).message("en").endswith(shown)


def test_an_amount_keeps_its_digits_but_not_a_phone_typed_into_it() -> None:
    from lobby_tui.domain.errors import InputError

    assert InputError("amount.absurd", text="5000000").message("en").endswith("5000000")
    assert InputError("amount.absurd", text="13812345678").message("en").endswith("138****5678")
