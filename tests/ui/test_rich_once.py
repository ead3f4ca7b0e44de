"""Rich parts drawn once per content (ui/widgets/rich_once.py): the summary's and the trends' tables
keep their segments while what they are drawn from is unchanged, and only then."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from lobby_tui.report import day_report
from lobby_tui.ui.app import LobbyApp
from lobby_tui.ui.screens.board import BoardScreen
from lobby_tui.ui.widgets.rich_once import RichOnce, content_key

from .conftest import settle, sign_in, until


@pytest.fixture
def figures(tmp_path):  # type: ignore[no-untyped-def]
    """A day's figures as the summary gets them (an empty day), with `visits` set."""
    from lobby_tui.store import LobbyStore

    empty = LobbyStore(tmp_path / "lobby.db").day_summary("2026-12-03")
    return lambda visits: {**empty, "visits": visits}


def test_parts_built_alike_have_one_key_and_a_changed_figure_changes_its_part(figures) -> None:  # type: ignore[no-untyped-def]
    one, again, more = day_report(figures(3), "en"), day_report(figures(3), "en"), day_report(figures(4), "en")
    keys = [content_key(p) for p in one]
    assert None not in keys and keys == [content_key(p) for p in again]
    changed = [a != b for a, b in zip(keys, (content_key(p) for p in more), strict=True)]
    assert changed[0] and not all(changed)  # the head says 4 visits; other parts are as they were
    assert content_key(day_report(figures(3), "zh")[0]) != keys[0]


def test_a_style_or_a_span_is_part_of_the_key_and_an_unknown_renderable_has_none() -> None:
    def table(cell: Text) -> Table:
        t = Table(title="T")
        t.add_column("a")
        t.add_row(cell)
        return t

    plain = content_key(table(Text("5")))
    assert plain == content_key(table(Text("5")))
    assert plain != content_key(table(Text("5", style="bold")))
    bold_part = Text("55")
    bold_part.stylize("bold", 0, 1)
    assert plain != content_key(table(bold_part)) != content_key(table(Text("55")))
    assert content_key(Panel("x")) == content_key(Panel("x")) != content_key(Panel("y"))
    holder = Table()
    holder.add_column("a")
    holder.add_row(Markdown("x"))  # no key: always rendered
    assert content_key(Markdown("x")) is None and content_key(holder) is None


async def test_a_summary_shown_again_unchanged_renders_no_part_again(
    make_app: Callable[..., LobbyApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    from lobby_tui.ui.screens.shift_log import DaySummaryScreen

    misses: list[int] = []
    segments = RichOnce._segments

    def noting(self: RichOnce, width: int) -> object:
        if width not in self._rendered:
            misses.append(width)
        return segments(self, width)

    monkeypatch.setattr(RichOnce, "_segments", noting)
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        for _ in range(2):
            misses.clear()
            await pilot.press("e")
            await until(pilot, lambda: isinstance(app.screen, DaySummaryScreen) and app.screen.figures is not None)
            await settle(pilot)
            drawn = app.screen.query_one("#summary-part-0").render_line(2).text
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, BoardScreen))
        assert misses == [] and "Visits" in drawn  # the second time: every part from its kept segments
