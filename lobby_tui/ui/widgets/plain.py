"""Widgets that never read their text as markup (issue 14): names, notes, questions, a CRM file's
fields and every message shown in the app are text as typed. A customer named `[/]` is shown as
`[/]`, `ATM [out of order]` keeps its brackets, and `[@click=app.quit]` is never a live action.

The app's messages carry no markup of their own, so every Static, Label, DataTable cell, OptionList
option and Button label in lobby_tui/ui comes from here (tests/test_layers.py checks the imports).
Styling is done with Rich Text / Textual Content objects, which pass through untouched."""

from __future__ import annotations

from typing import Any, TypeVar

from rich.text import Text
from textual import widgets
from textual.content import Content
from textual.widgets.option_list import Option as _Option


def plain(value: Any) -> Any:
    """A str as literal text (a Content, styled by nothing); anything else (Text, Content, a Rich
    renderable, a number) as it is."""
    return Content(value) if isinstance(value, str) else value


class Static(widgets.Static):
    def __init__(self, content: Any = "", *, markup: bool = False, **kwargs: Any) -> None:
        super().__init__(content, markup=markup, **kwargs)


class Label(widgets.Label):
    def __init__(self, content: Any = "", *, markup: bool = False, **kwargs: Any) -> None:
        super().__init__(content, markup=markup, **kwargs)


class Button(widgets.Button):
    def __init__(self, label: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(plain(label), *args, **kwargs)

    def validate_label(self, label: Any) -> Content:
        return super().validate_label(plain(label))


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

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell(row_key, column_key, _cell(value), **kwargs)

    def update_cell_at(self, coordinate: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell_at(coordinate, _cell(value), **kwargs)
