"""DataTable, OptionList, Option and Select that never read their text as markup (issue 14); see
plain.py. Apart from it so that the first screen's imports stay small (benchmarks: start-up)."""

from __future__ import annotations

from typing import Any, TypeVar

from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import widgets
from textual.renderables.styled import Styled
from textual.widgets.option_list import Option as _Option


class OptionList(widgets.OptionList):
    def __init__(self, *content: Any, markup: bool = False, **kwargs: Any) -> None:
        super().__init__(*content, markup=markup, **kwargs)


def Option(prompt: Any, id: str | None = None, disabled: bool = False) -> _Option:  # noqa: N802, A002 - Textual's names
    return _Option(Text(prompt) if isinstance(prompt, str) else prompt, id=id, disabled=disabled)


CellType = TypeVar("CellType")
SelectType = TypeVar("SelectType")


def _options(options: Any) -> list[tuple[Any, Any]]:
    return [(Text(prompt) if isinstance(prompt, str) else prompt, value) for prompt, value in options]


class Select(widgets.Select[SelectType]):
    """Choices given as str (a manager's name, a device) are literal text in the list and the box."""

    def __init__(self, options: Any = (), **kwargs: Any) -> None:
        super().__init__(_options(options), **kwargs)

    def set_options(self, options: Any) -> Any:
        return super().set_options(_options(options))


def _cell(value: Any) -> Any:
    return Text(value) if isinstance(value, str) else value


class DataTable(widgets.DataTable[CellType]):
    """Cells given as str are literal text (Textual's own DataTable parses them as markup)."""

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        return super().add_row(*(_cell(c) for c in cells), **kwargs)

    _shown: tuple[Any, ...] | None = None  # what set_rows last filled the table with

    def set_rows(self, rows: list[tuple[str, tuple[Text, ...]]]) -> bool:
        """The table's rows (key, cells), unless they are exactly what set_rows last gave it (text
        and style; clear() forgets it): a refill renders every cell again. Whether it refilled.
        For a table filled only this way."""
        shown = tuple((key, tuple((cell.plain, str(cell.style)) for cell in cells)) for key, cells in rows)
        if shown == self._shown:
            return False
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        self._shown = shown
        return True

    def clear(self, columns: bool = False) -> Any:
        self._shown = None
        return super().clear(columns)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell(row_key, column_key, _cell(value), **kwargs)

    def update_cell_at(self, coordinate: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell_at(coordinate, _cell(value), **kwargs)

    def _update_dimensions(self, new_rows: Any) -> None:
        """Textual measures new rows' cells on an idle after they were added, and widens the columns;
        but lines it drew before that idle (a frame drawn first, under load) stay in its line caches,
        whose keys hold the table's width, not its columns': a table as wide as the screen then
        drew them again as they were, every column at its header's width, until the cursor moved
        (the shift list and detail, in CI snapshots). Once the widths are known, it draws anew if
        they changed (not when they did not: the board, refilled after every visit, would render
        every cell again for nothing)."""
        before = self._widths()
        super()._update_dimensions(new_rows)
        if self._widths() != before:
            self._update_count += 1  # part of every line cache key
            self.refresh()

    _CONTENT_CACHE_MOST = 4096  # rendered cells kept by content (a board of 50 rows of 7 is 350)

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> Any:
        """A body cell of one line rendered once for each content it shows, across refills.

        Textual keeps a cell's rendering under its row's key and the table's update count, which
        every add_row, clear and sort changes: the board, refilled with each new visit on top,
        rendered all of its cells again through Rich (most of the time from confirming a visit to
        the board drawn). Here a cell's lines are kept under what decides them (its text, spans
        and style, the width, the styles around it), without the row and column meta Textual adds
        for the mouse, which is added to the kept lines as they are handed out, as Textual does to
        the lines it renders. Headers, labels, fixed cells, rows taller than one line and cells
        that are not Text go Textual's own way."""
        if row_index < self.fixed_rows or column_index < self.fixed_columns:  # -1: header, label
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        row = self.rows.get(row_key) if row_key is not None else None
        cell = self._get_row_renderables(row_index)[1][column_index]
        if row is None or row.height != 1 or type(cell) is not Text:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        key = (
            cell.plain,
            tuple(cell.spans),
            cell.style,
            cell.justify,
            cell.overflow,
            width,
            self.cell_padding,
            base_style,
            component_style,
            post_style,
        )
        cache = self._content_cache
        lines = cache.get(key)
        if lines is None:
            options = self.app.console_options.update_dimensions(width, 1).update(no_wrap=True)
            styled = Styled(
                Padding(cell, (0, self.cell_padding)), pre_style=base_style + component_style, post_style=post_style
            )
            lines = self.app.console.render_lines(styled, options)
            if len(cache) >= self._CONTENT_CACHE_MOST:
                cache.clear()
            cache[key] = lines
        meta = Style.from_meta({"row": row_index, "column": column_index})
        return [
            [Segment(text, style + meta if style else meta, control) for text, style, control in line] for line in lines
        ]

    @property
    def _content_cache(self) -> dict[tuple[Any, ...], list[list[Segment]]]:
        cache: dict[tuple[Any, ...], list[list[Segment]]] | None = self.__dict__.get("_cells_by_content")
        if cache is None:
            cache = self.__dict__["_cells_by_content"] = {}
        return cache

    def _widths(self) -> tuple[int, ...]:
        return (self._label_column.content_width, *(c.content_width for c in self.columns.values()))
