"""A Rich renderable (a table, a chart) rendered once for each width it is laid out at.

Textual wraps a Rich renderable in a RichVisual, which renders it in full to measure its height and
again to draw it, at every layout. The day summary's and the trends' tables and charts are most of
the time from a key to those screens drawn (issue 15), so they are shown through RichOnce: the
renderable's segments are kept for each width they were rendered at (a grid lays a part out at more
than one width before it settles: a one-width cache rendered a summary's tables 26 times per
opening), and drawing styles those same segments exactly as Textual's own RichVisual does (it is
that class, handed the kept segments)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.box import Box
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.table import Column, Row, Table
from rich.text import Text
from textual._context import active_app
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RichVisual
from textual.widget import Widget


class _Rendered:
    """Segments already rendered, as a renderable of their own."""

    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        return self.segments


_ATOMS = (str, int, float, bool, type(None), RichStyle, Box)


def content_key(renderable: object) -> object | None:
    """Everything a table, a grid, a panel or a group of them and their texts is drawn from, as one hashable
    value: two equal keys render alike. The summary and the trends are built anew each time they
    are shown, from figures of which most are as they were (a visit more changes a few tables), so
    the parts whose keys are unchanged keep their segments. A renderable of any other kind (or an
    attribute holding one) has no key and is always rendered: the walk goes through every attribute
    of the objects it knows, so one added in a Rich release is part of the key, never skipped."""
    if isinstance(renderable, _ATOMS):
        return renderable
    if isinstance(renderable, Text):
        return (
            Text,
            renderable.plain,
            renderable.style,
            tuple(renderable.spans),
            renderable.justify,
            renderable.overflow,
            renderable.no_wrap,
            renderable.end,
            renderable.tab_size,
        )
    if isinstance(renderable, (list, tuple)):
        parts = [content_key(item) for item in renderable]
        return (
            None
            if any(p is None and item is not None for p, item in zip(parts, renderable, strict=True))
            else tuple(parts)
        )
    if isinstance(renderable, (Table, Column, Row, Group, Panel, Padding)):
        items = []
        for name, value in sorted(vars(renderable).items()):
            key = content_key(value)
            if key is None and value is not None:
                return None
            items.append((name, key))
        return (type(renderable), tuple(items))
    return None


_WIDTHS_KEPT = 4  # a resize brings new widths; the few of one layout are what is worth keeping


class RichOnce(RichVisual):
    def __init__(self, widget: Widget, renderable: RenderableType) -> None:
        super().__init__(widget, renderable)
        self._source = renderable
        self._rendered: dict[int, list[Segment]] = {}  # width -> segments
        # The segments of what the widget showed before, if this is drawn from the same content.
        key = content_key(renderable)
        kept: tuple[object, dict[int, list[Segment]]] | None = widget.__dict__.get("_rich_once_kept")
        if key is not None and kept is not None and kept[0] == key:
            self._rendered = kept[1]
        widget.__dict__["_rich_once_kept"] = (key, self._rendered) if key is not None else None

    def _segments(self, width: int) -> list[Segment]:
        segments = self._rendered.get(width)
        if segments is None:
            app = active_app.get()
            options = app.console_options.update_width(width).update(highlight=False)
            segments = list(app.console.render(self._source, options))
            if len(self._rendered) >= _WIDTHS_KEPT:
                self._rendered.pop(next(iter(self._rendered)))  # the oldest
            self._rendered[width] = segments
        return segments

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(text.count("\n") for text, _, _ in self._segments(width))

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        self._renderable = _Rendered(self._segments(width))
        try:
            return super().render_strips(width, height, style, options)
        finally:
            self._renderable = self._source
