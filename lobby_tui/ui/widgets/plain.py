"""Widgets that never read their text as markup (issue 14): names, notes, questions, a CRM file's
fields and every message shown in the app are text as typed. A customer named `[/]` is shown as
`[/]`, `ATM [out of order]` keeps its brackets, and `[@click=app.quit]` is never a live action.

The app's messages carry no markup of their own, so every Static, Label and Button label in
lobby_tui/ui comes from here, and every DataTable cell, OptionList option and Select choice from
plain_lists.py (tests/test_layers.py checks the imports). The two are apart so that the sign-in
screen, the first one painted, does not wait for the lists' and tables' imports.
Styling is done with Rich Text / Textual Content objects, which pass through untouched."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import widgets
from textual.content import Content


def plain(value: Any) -> Any:
    """A str as literal text (a Content, styled by nothing); anything else (Text, Content, a Rich
    renderable, a number) as it is."""
    return Content(value) if isinstance(value, str) else value


class Static(widgets.Static):
    def __init__(self, content: Any = "", *, markup: bool = False, **kwargs: Any) -> None:
        super().__init__(content, markup=markup, **kwargs)

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        """The same text again (the board's status and queues, on every refresh) is not drawn again:
        Textual's update lays the whole screen out anew, 15-25 ms on the board."""
        if _same_text(content, self.content):
            return
        super().update(content, layout=layout)


def _same_text(new: Any, old: Any) -> bool:
    """Whether `new` shows exactly what `old` does (str, or Text with its styles). The same Text
    object is never the same: it may have been changed in place."""
    if type(new) is not type(old):
        return False
    if isinstance(new, str):
        return bool(new == old)
    if isinstance(new, Text) and new is not old:
        return (new.plain, new.spans, new.style, new.justify, new.overflow, new.no_wrap, new.end) == (
            old.plain,
            old.spans,
            old.style,
            old.justify,
            old.overflow,
            old.no_wrap,
            old.end,
        )
    return False


class Label(widgets.Label):
    def __init__(self, content: Any = "", *, markup: bool = False, **kwargs: Any) -> None:
        super().__init__(content, markup=markup, **kwargs)


class Button(widgets.Button):
    def __init__(self, label: Any = None, *args: Any, **kwargs: Any) -> None:
        # Textual's Button sets its -style-default / -style-flat class from a watcher as it mounts,
        # after it was styled: a second restyle of every button (a greeting has 16). Given here,
        # the watcher finds the class already set and does nothing.
        style = "-style-flat" if kwargs.get("flat") else "-style-default"
        kwargs["classes"] = f"{kwargs['classes']} {style}" if kwargs.get("classes") else style
        super().__init__(plain(label), *args, **kwargs)

    def validate_label(self, label: Any) -> Content:
        return super().validate_label(plain(label))
