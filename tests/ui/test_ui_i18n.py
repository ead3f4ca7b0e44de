"""Chinese mode is Chinese all through: Textual's own palette, keys panel and hints, and the screens'
punctuation (lobby_tui/ui/palette.py; the rules in lobby_tui/i18n.py)."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from textual.command import CommandInput, CommandList
from textual.widgets import Footer

from lobby_tui.i18n import zh_punctuation_problems
from lobby_tui.ui.app import LobbyApp
from lobby_tui.ui.palette import LobbyBindingsTable, LobbyCommandPalette

from .conftest import SUPERVISOR, settle, sign_in, until

TEXTUAL_ENGLISH = {"Keys", "Theme", "Quit", "Screenshot", "Maximize", "Minimize"}


def screen_text(app: LobbyApp) -> str:
    """What the terminal shows, as plain text (as Textual's own screenshot renders it)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


async def open_palette(pilot) -> LobbyCommandPalette:
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(pilot.app.screen, LobbyCommandPalette))
    palette = pilot.app.screen
    await until(pilot, lambda: palette.query_one(CommandList).option_count > 0)
    return palette


def titles(palette: LobbyCommandPalette) -> set[str]:
    options = palette.query_one(CommandList)
    return {str(options.get_option_at_index(n).hit.text) for n in range(options.option_count)}


async def test_the_palette_on_the_sign_in_screen_is_chinese(make_app):
    app = make_app("zh")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        palette = await open_palette(pilot)
        assert palette.query_one(CommandInput).placeholder == "搜索命令…"
        shown = titles(palette)
        assert {"按键说明", "配色主题", "退出程序", "English", "高对比度"} <= shown
        assert not shown & TEXTUAL_ENGLISH
        assert "锁屏" not in shown  # nobody is signed in: nothing to lock
        assert "搜索命令…" in screen_text(app)


async def test_the_palette_on_the_board_is_chinese_and_follows_f2(make_app):
    app = make_app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        footer_palette = app.screen.query_one(Footer).query_one(".-command-palette")
        assert footer_palette.description == "命令"
        palette = await open_palette(pilot)
        assert palette.query_one(CommandInput).placeholder == "搜索命令…"
        shown = titles(palette)
        assert {"新客户", "已办理", "锁屏", "按键说明", "配色主题", "退出程序"} <= shown
        assert not shown & TEXTUAL_ENGLISH
        await pilot.press(*"xyzq")
        await until(pilot, lambda: "没有匹配的命令" in screen_text(app))
        assert "No matches" not in screen_text(app)
        for _ in range(4):
            await pilot.press("backspace")
        await pilot.press("f2")  # inside the palette too
        await until(pilot, lambda: palette.query_one(CommandInput).placeholder == "Search for commands…")
        await until(pilot, lambda: {"Keys", "Theme", "Quit", "New customer"} <= titles(palette))
        assert app.lang == "en"


async def test_the_keys_panel_is_chinese(make_app):
    app = make_app("zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        await open_palette(pilot)
        await pilot.press(*"按键说明")
        await until(pilot, lambda: titles(app.screen) == {"按键说明"})
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.screen.query(LobbyBindingsTable)))
        await settle(pilot)
        assert "下一项" in screen_text(app)
        table = app.screen.query_one(LobbyBindingsTable).render_bindings_table()
        described = [cell.plain for cell in table.columns[1]._cells if hasattr(cell, "plain")]
        assert {"新客户", "下一项", "命令", "退出程序 关闭程序，回到命令行"} <= set(described)
        english = [text for text in described if re.search("[A-Za-z]{3}", text) and text != "English"]
        assert english == []
        await open_palette(pilot)
        assert "隐藏按键说明" in titles(app.screen)


async def test_the_quit_hint_of_ctrl_c_is_chinese(make_app):
    app = make_app("zh")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        app.action_help_quit()
        await pilot.pause()
        assert [(n.title, n.message) for n in app._notifications] == [("要退出程序吗？", "按 [b]ctrl+q[/b] 退出程序")]


def punctuation(app: LobbyApp) -> list[str]:
    text = screen_text(app)
    return [
        f"{problem!r} in {line.strip()!r}" for line in text.splitlines() for problem in zh_punctuation_problems(line)
    ]


@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
async def test_the_guidance_screen_punctuates_chinese_in_full_width(make_app, size):
    app = make_app("zh")
    async with app.run_test(size=size) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "1")
        await settle(pilot)
        await pilot.press(*"13900000002", "enter")  # a high-end customer: a referral and talking points
        await settle(pilot)
        text = screen_text(app)
        assert "推介：" in text and "可介绍：" in text and "本行金融资产：" in text
        assert punctuation(app) == []
        await pilot.press("o", "2")  # another destination, and why
        await settle(pilot)
        await pilot.press(*"test", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "（推荐去向：" in text and "：test" in text
        assert punctuation(app) == []
        await pilot.press("e")  # the entitlements
        await settle(pilot)
        assert "服务品牌：" in screen_text(app)
        assert punctuation(app) == []


async def test_the_shift_and_review_screens_punctuate_chinese_in_full_width(make_review_app):
    app = make_review_app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)  # a question from the supervisor comes first
        assert "查看班次（F7）" in screen_text(app)
        assert punctuation(app) == []
        await pilot.press("escape")
        await settle(pilot)
        for keys, shown in ((("l", "p"), "全部正常（A）"), (("escape", "k"), "结班（Y）")):
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            assert shown in screen_text(app)
            assert punctuation(app) == []
    app = make_review_app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, SUPERVISOR)
        assert "待签核班次（" in screen_text(app)
        assert punctuation(app) == []
