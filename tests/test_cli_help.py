"""The command line in the user's language (issue 12): --help of every command with every option
described in both languages; demo's ranges checked before anything is made; 亿 in Chinese."""

from __future__ import annotations

import argparse
import re
from decimal import Decimal
from pathlib import Path

import pytest

from lobby_tui.cli import build_parser, main
from lobby_tui.domain.amounts import format_amount

CJK = re.compile(r"[\u4e00-\u9fff]")


def parsers(parser: argparse.ArgumentParser, name: str = "lobby-tui") -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(name, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                found += parsers(sub, f"{name} {sub_name}")
    return found


def test_every_option_of_every_command_is_described_in_both_languages() -> None:
    zh, en = parsers(build_parser("zh")), parsers(build_parser("en"))
    assert [n for n, _ in zh] == [n for n, _ in en]
    assert {"lobby-tui export", "lobby-tui config show", "lobby-tui audit verify", "lobby-tui serve"} <= {
        n for n, _ in zh
    }
    for (name, in_zh), (_, in_en) in zip(zh, en, strict=True):
        assert in_zh.description and CJK.search(in_zh.description), name
        assert in_en.description and in_en.description != in_zh.description, name
        for a_zh, a_en in zip(in_zh._actions, in_en._actions, strict=True):
            what = f"{name} {a_zh.option_strings or a_zh.dest}"
            assert a_zh.help and a_zh.help != argparse.SUPPRESS and CJK.search(a_zh.help), what
            assert a_en.help and a_en.help != a_zh.help, what


def test_help_is_in_the_users_language(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["export", "--help", "--lang", "zh"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "选项：" in out and "表头和取值" in out and "show this help" not in out
    with pytest.raises(SystemExit):
        main(["--lang", "en", "config", "check", "--help"])
    assert "exit 2 on an error" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["--customers", "-1"], "--customers"),
        (["--customers", "9999999999"], "--customers"),
        (["--days", "5000"], "--days"),
        (["--days", "x"], "--days"),
    ],
)
def test_demo_out_of_range_exits_2_before_making_anything(
    args: list[str], word: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = tmp_path / "new" / "demo.db"
    assert main(["demo", "--db", str(where), "--lang", "zh", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and word in err[0] and "应为" in err[0]
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    ("amount", "zh", "en"),
    [
        ("120000000", "1.2亿", "120,000,000"),
        ("100000000", "1亿", "100,000,000"),
        ("99990000", "9999万", "99,990,000"),
        ("205000", "20.5万", "205,000"),
        ("1234567890000", "12345.68亿", "1,234,567,890,000"),
    ],
)
def test_amounts_of_a_hundred_million_and_more_read_as_yi(amount: str, zh: str, en: str) -> None:
    assert format_amount(Decimal(amount), "zh") == zh and format_amount(Decimal(amount), "en") == en
