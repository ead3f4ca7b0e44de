"""The tables' own behaviour beyond Textual's (lobby_tui/ui/widgets/plain_lists.py)."""

from __future__ import annotations

from rich.text import Text
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


class TwoTables(App[None]):
    """Ours and Textual's own, filled alike: whatever ours keeps, it draws what Textual draws."""

    CSS = "DataTable { width: 1fr; height: 1fr; }"

    def compose(self) -> ComposeResult:
        from textual import widgets

        yield DataTable(id="ours", cursor_type="row", zebra_stripes=True)
        yield widgets.DataTable(id="textuals", cursor_type="row", zebra_stripes=True)

    def fill(self, rows: list[tuple[str, tuple[Text, ...]]]) -> None:
        for table in self.query("DataTable").results(widgets_DataTable()):
            table.clear(columns=True)
            table.add_columns("Time", "Who", "Status")
            for key, cells in rows:
                table.add_row(*cells, key=key)


def widgets_DataTable() -> type:  # noqa: N802 - the class it names
    from textual import widgets

    return widgets.DataTable


def lines(table) -> list[list[tuple[str, object, object]]]:  # type: ignore[no-untyped-def]
    """What the table draws, segment by segment, with each segment's row and column (the mouse's)."""
    out = []
    for y in range(table.size.height):
        strip = table.render_line(y)
        out.append(
            [(s.text, s.style.without_color if s.style else None, s.style.meta if s.style else None) for s in strip]
        )
    return out


def board_rows(n: int, start: int = 0) -> list[tuple[str, tuple[Text, ...]]]:
    return [
        (
            f"v{i}",
            (Text(f"09:{i:02d}"), Text(f"张*{i}", style="bold"), Text("waiting" if i % 2 else "served", style="green")),
        )
        for i in range(start, start + n)
    ]


async def test_cells_kept_by_content_draw_exactly_what_textual_draws_across_refills() -> None:
    """plain_lists.DataTable keeps each cell's rendering by its content across refills (the board
    puts each new visit on top): every line, style and mouse position is still Textual's, focused
    (the cursor's own style) or not."""
    app = TwoTables()
    async with app.run_test(size=(50, 24)) as pilot:
        ours, textuals = app.query_one("#ours"), app.query_one("#textuals")

        async def drawn(table, focused: bool) -> list[list[tuple[str, object, object]]]:  # type: ignore[no-untyped-def]
            if focused:
                table.focus()
            else:
                app.set_focus(None)
            await pilot.pause()
            await pilot.pause()
            return lines(table)

        app.fill(board_rows(6))
        for focused in (True, False):
            assert await drawn(ours, focused) == await drawn(textuals, focused)
        app.fill(board_rows(1, start=20) + board_rows(6))  # a new visit on top: every row moves down
        ours.move_cursor(row=2)
        textuals.move_cursor(row=2)
        for focused in (True, False, True):
            mine = await drawn(ours, focused)
            assert mine == await drawn(textuals, focused)
        assert "09:20" in "".join(text for text, _, _ in mine[1])  # the new row first, under the header
        metas = [meta for _, _, meta in mine[3] if meta and "row" in meta]
        assert metas and all(meta["row"] == 2 for meta in metas)  # the row a click there selects
