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
