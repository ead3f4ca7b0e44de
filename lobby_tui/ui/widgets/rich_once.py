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

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
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


_WIDTHS_KEPT = 4  # a resize brings new widths; the few of one layout are what is worth keeping


class RichOnce(RichVisual):
    def __init__(self, widget: Widget, renderable: RenderableType) -> None:
        super().__init__(widget, renderable)
        self._source = renderable
        self._rendered: dict[int, list[Segment]] = {}  # width -> segments

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
