"""Settings that survive an upgrade (issue 12): overrides of data/*.toml in the config folders (site,
user, then $LOBBY_TUI_CONFIG), validated naming their file and key; `config show` and `config check`."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from lobby_tui.cli import main
from lobby_tui.domain.errors import RulesError
from lobby_tui.domain.patrol import load_patrol_checklist
from lobby_tui.domain.rules import data_dir, load_guidance_rules, load_tier_table


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Empty site, user and $LOBBY_TUI_CONFIG folders of this test's own."""
    made = {kind: tmp_path / kind for kind in ("site", "user", "env")}
    for path in made.values():
        path.mkdir()
    (made["site"] / "lobby-tui").mkdir()
    (made["user"] / "lobby-tui").mkdir()
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(made["site"]))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(made["user"]))
    monkeypatch.setenv("LOBBY_TUI_CONFIG", str(made["env"]))
    return {"site": made["site"] / "lobby-tui", "user": made["user"] / "lobby-tui", "env": made["env"]}


def test_any_key_may_be_overridden_and_the_rest_stays_default(folders: dict[str, Path]) -> None:
    default = load_tier_table(data_dir() / "tiers.toml")
    packaged = (data_dir() / "tiers.toml").read_bytes()
    (folders["user"] / "tiers.toml").write_text('[[tier]]\ncode = "high_end"\nmin_assets = "800000"\n', "utf-8")
    (folders["user"] / "patrol.toml").write_text(
        '[[round]]\ncode = "opening"\nlabel = { zh = "开门", en = "Open" }\n', "utf-8"
    )
    table = load_tier_table()
    assert table.tier("high_end").min_assets == Decimal(800_000)
    assert table.tier("high_end").label == default.tier("high_end").label
    assert [t.min_assets for t in table.tiers if t.code != "high_end"] == [
        t.min_assets for t in default.tiers if t.code != "high_end"
    ]
    assert load_patrol_checklist().round("opening").label["en"] == "Open"
    assert (data_dir() / "tiers.toml").read_bytes() == packaged  # the defaults stay as shipped


def test_site_then_user_then_the_environment(folders: dict[str, Path]) -> None:
    for kind, n in (("site", 5), ("user", 6)):
        (folders[kind] / "guidance.toml").write_text(f"[settings]\nlong_queue = {n}\nreveal_seconds = {n}\n", "utf-8")
    (folders["env"] / "guidance.toml").write_text("[settings]\nlong_queue = 7\n", "utf-8")
    settings = load_guidance_rules().settings
    assert settings["long_queue"] == 7 and settings["reveal_seconds"] == 6 and settings["idle_lock_minutes"] == 3


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[settings]\nlong_que = 5\n", "settings.long_que"),  # a typing slip: no such key
        ('[settings]\nlong_queue = "five"\n', "settings.long_queue"),  # checked as the defaults are
        ('[destination.cash_counter]\nprefix = "AB"\n', "destination.cash_counter.prefix"),
        ('[[reason]]\ncode = "no_such"\nkey = "q"\n', "reason.no_such"),
        ("[settings\n", "-"),  # not TOML
    ],
)
def test_a_bad_override_names_its_file_and_key(folders: dict[str, Path], text: str, key: str) -> None:
    bad = folders["env"] / "guidance.toml"
    bad.write_text(text, "utf-8")
    with pytest.raises(RulesError) as caught:
        load_guidance_rules()
    assert caught.value.params["file"] == str(bad) and caught.value.params["where"] == key


def test_a_problem_in_a_default_key_names_the_packaged_file(folders: dict[str, Path]) -> None:
    # The override is fine by itself; the order of the tiers then breaks at the overridden key.
    (folders["env"] / "tiers.toml").write_text('[[tier]]\ncode = "high_end"\nmin_assets = "90000000"\n', "utf-8")
    with pytest.raises(RulesError) as caught:
        load_tier_table()
    assert caught.value.params["file"] == str(folders["env"] / "tiers.toml")


def test_config_show_says_where_each_setting_came_from(
    folders: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    override = folders["site"] / "guidance.toml"
    override.write_text('[settings]\nlong_queue = 5\nbranch_name = "城西支行"\n', "utf-8")
    assert main(["config", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [f["kind"] for f in shown["folders"]] == ["site", "user", "env"]
    guidance = shown["files"]["guidance.toml"]
    assert guidance["overrides"] == [str(override)]
    assert guidance["settings"]["settings.long_queue"] == {"value": 5, "source": str(override)}
    assert guidance["settings"]["settings.idle_lock_minutes"]["source"] == guidance["default"]
    assert main(["config", "show", "--lang", "zh"]) == 0
    text = capsys.readouterr().out
    assert f"settings.long_queue = 5  [{override}]" in text and "settings.idle_lock_minutes = 3  [默认]" in text


def test_config_check_exits_2_on_an_error(folders: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "check", "--lang", "en"]) == 0
    assert "Every setting is valid" in capsys.readouterr().out
    bad = folders["user"] / "patrol.toml"
    bad.write_text('[[round]]\ncode = "opening"\nat = "25:00"\n', "utf-8")
    assert main(["config", "check", "--lang", "en"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(bad) in err[0] and "round.opening.at" in err[0]
    assert main(["config"]) == 2


def test_the_folders_are_platformdirs(folders: dict[str, Path]) -> None:
    import platformdirs

    from lobby_tui.domain.settings import config_dirs

    assert config_dirs() == [
        ("site", Path(platformdirs.site_config_dir("lobby-tui", appauthor=False))),
        ("user", Path(platformdirs.user_config_dir("lobby-tui", appauthor=False))),
        ("env", folders["env"]),
    ]


def test_summary_tables_print_labels_and_names_as_text_not_markup(
    folders: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The day summary (command and screen) and the comparison of lobby managers: a bracketed label
    from the branch's data or a staff name a supervisor typed was read as a Rich tag."""
    from rich.console import Console

    from lobby_tui.domain import rules
    from lobby_tui.domain.figures import day_figures
    from lobby_tui.domain.shiftlog import ManagerFigures
    from lobby_tui.render import summary_tables
    from lobby_tui.report import compare_table

    (folders["env"] / "guidance.toml").write_text(
        '[destination.cash_counter]\nlabel.en = "Cash counter [windows 1-3]"\n', "utf-8"
    )
    rules.guidance_rules.cache_clear()
    try:
        figures = day_figures("2026-11-18", [])
        console = Console(width=200, record=True)
        for part in summary_tables(figures, "en"):
            console.print(part)
        manager = ManagerFigures("1003", "[b]张三[/b]", 1, figures, 0, 0, 0, 0)
        console.print(compare_table([manager], "en", "2026-11-18", "2026-11-18"))
    finally:
        rules.guidance_rules.cache_clear()
    text = console.export_text()
    assert "Cash counter [windows 1-3]" in text and "[b]张三[/b]" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("what", ["file", "nothing"])
def test_config_check_refuses_a_lobby_tui_config_that_is_not_a_folder(
    folders: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    what: str,
) -> None:
    """A file (or nothing) at $LOBBY_TUI_CONFIG was passed over in silence: 'every setting is valid'."""
    target = folders["env"].parent / "overrides.toml"
    if what == "file":
        target.write_text("[settings]\nlong_queue = 5\n", "utf-8")
    monkeypatch.setenv("LOBBY_TUI_CONFIG", str(target))
    assert main(["config", "check", "--lang", lang]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and str(target) in err[0] and "$LOBBY_TUI_CONFIG" in err[0], err
    words = {("zh", "file"): "是文件", ("zh", "nothing"): "不存在", ("en", "file"): "is a file"}
    assert words.get((lang, what), "does not exist") in err[0]
    assert "所有设置均正确" not in captured.out and "Every setting is valid" not in captured.out


@pytest.mark.parametrize(
    ("name", "text", "zh"),
    [
        ("guidance.toml", "[settings]\nlong_que = 5\n", "settings.long_que：未知的键：程序自带的文件中没有此键"),
        ("guidance.toml", '[settings]\nlong_queue = "five"\n', "settings.long_queue：应为整数"),
        ("guidance.toml", "[settings]\nlong_queue = -1\n", "settings.long_queue：应为正整数"),
        (
            "guidance.toml",
            '[destination.cash_counter]\nprefix = "AB"\n',
            "destination.cash_counter.prefix：应为一个英文字母",
        ),
        ("guidance.toml", "[settings\n", "有误：不是有效的 TOML 文件"),
        ("patrol.toml", '[[round]]\ncode = "opening"\nat = "25:00"\n', "round.opening.at：应为 HH:MM 格式的时间"),
        ("tiers.toml", '[[tier]]\ncode = "high_end"\nmin_assets = "90000000"\n', "层级须由高到低排列"),
        (
            "tiers.toml",
            '[[tier]]\ncode = "high_end"\ncolour = "red"\n',
            "tier.high_end.colour：应为 #rrggbb 格式的颜色",
        ),
    ],
)
def test_config_check_problems_are_in_chinese_for_a_chinese_user(
    folders: dict[str, Path], capsys: pytest.CaptureFixture[str], name: str, text: str, zh: str
) -> None:
    from lobby_tui.i18n import zh_punctuation_problems

    bad = folders["env"] / name
    bad.write_text(text, "utf-8")
    assert main(["config", "check", "--lang", "zh"]) == 2
    err = capsys.readouterr().err.strip()
    assert zh in err and str(bad) in err, err
    assert not zh_punctuation_problems(err.removeprefix("lobby-tui: ")), err
    for english in ("expected", "must", "unknown", "not valid", "tiers must"):
        assert english not in err, err
    assert main(["config", "check", "--lang", "en"]) == 2  # and English for an English one
    assert "Data file" in capsys.readouterr().err


def test_every_problem_pattern_reads_its_own_english_message() -> None:
    """Each pattern of messages/rules.py matches the English of its own message, so a check that words
    a problem as that message does is found (and a pattern that drifted from it is caught here)."""
    from lobby_tui.i18n import MESSAGES
    from lobby_tui.messages.rules import problems

    samples = {"n": "7", "kind": "int"}
    for pattern, key in problems():
        english = MESSAGES[key][1]
        filled = re.sub(r"\{(\w+)\}", lambda m: samples.get(m.group(1), f"'{m.group(1)}'"), english)
        assert pattern.fullmatch(filled), (key, filled)
