"""The tables' own behaviour beyond Textual's (lobby_tui/ui/widgets/plain_lists.py)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from lobby_tui.ui.widgets.plain_lists import DataTable


class OneTable(App[None]):
    CSS = "DataTable { width: 1fr; height: 1fr; }"  # as on the lobby's screens: its size is the screen's

    def compose(self) -> ComposeResult:
        yield DataTable(id="t")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Time")
        table.add_column("What")


async def test_columns_widen_even_when_the_table_was_drawn_before_it_measured_the_rows() -> None:
    """Under load a frame can be drawn between adding rows and the table's idle that measures them.
    Textual kept those lines (columns at the headers' widths) and drew them again afterwards: the
    supervisor's shift list and shift detail in CI snapshots."""
    app = OneTable()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(DataTable)
        await pilot.pause()
        table.add_row("08:45", "Opening check: all OK")
        early = [table.render_line(y).text for y in (0, 1)]  # drawn before the idle
        assert "Opening check: all OK" not in early[1]
        await pilot.pause()
        assert not table._require_update_dimensions
        header, row = (table.render_line(y).text for y in (0, 1))
        assert "08:45" in row and "Opening check: all OK" in row
        assert header.index("What") == row.index("Opening")


async def test_rows_measured_to_the_same_widths_keep_the_lines_drawn() -> None:
    """The board is refilled after every visit: when the new rows' widths are the old ones, the
    lines already drawn stay good and are not rendered again (every cell was, twice a refill)."""
    app = OneTable()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(DataTable)
        table.add_row("08:45", "Opening check")
        await pilot.pause()
        await pilot.pause()
        count = table._update_count
        table.clear()
        table.add_row("09:10", "Closing check")  # as wide as before, cell for cell
        after_fill = table._update_count
        await pilot.pause()
        assert not table._require_update_dimensions
        assert table._update_count == after_fill  # measured, unchanged: the caches are kept
        table.add_row("09:30", "A much longer line of text")
        widened = table._update_count
        await pilot.pause()
        assert table._update_count > widened  # a wider column: drawn anew
        assert count <= after_fill


class OneStatic(App[None]):
    def compose(self) -> ComposeResult:
        from lobby_tui.ui.widgets.plain import Static

        yield Static("", id="s")


async def test_the_same_text_again_is_not_laid_out_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The board's status line and queue counts are set on every refresh, mostly to what they
    already say: Textual lays the whole screen out on every update, so the same text is skipped;
    a different one, or a Text changed in place, is shown."""
    from rich.text import Text

    from lobby_tui.ui.widgets.plain import Static

    app = OneStatic()
    async with app.run_test(size=(40, 5)) as pilot:
        static = app.query_one("#s", Static)
        layouts: list[bool] = []
        refresh = static.refresh

        def noting_refresh(*args, layout: bool = False, **kwargs):  # type: ignore[no-untyped-def]
            layouts.append(layout)
            return refresh(*args, layout=layout, **kwargs)

        monkeypatch.setattr(static, "refresh", noting_refresh)
        static.update("3 waiting")
        static.update("3 waiting")
        assert layouts == [True]
        static.update(Text("3 waiting", style="bold"))
        static.update(Text("3 waiting", style="bold"))
        static.update(Text("3 waiting"))  # the style is part of it
        assert layouts == [True, True, True]
        text = static.content
        text.append(" (1 long)")  # the same object, changed in place
        static.update(text)
        assert len(layouts) == 4
        await pilot.pause()
        assert "(1 long)" in static.render_line(0).text  # type: ignore[attr-defined]
