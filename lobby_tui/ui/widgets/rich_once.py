"""A Rich renderable (a table, a chart) rendered once for each width it is laid out at.

Textual wraps a Rich renderable in a RichVisual, which renders it in full to measure its height and
again to draw it, at every layout. The day summary's and the trends' tables and charts are most of
the time from a key to those screens drawn (issue 15), so they are shown through RichOnce: the
renderable's segments are kept for the width they were rendered at, and drawing styles those same
segments exactly as Textual's own RichVisual does (it is that class, handed the kept segments)."""

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


class RichOnce(RichVisual):
    def __init__(self, widget: Widget, renderable: RenderableType) -> None:
        super().__init__(widget, renderable)
        self._source = renderable
        self._rendered: tuple[int, list[Segment]] | None = None

    def _segments(self, width: int) -> list[Segment]:
        if self._rendered is None or self._rendered[0] != width:
            app = active_app.get()
            options = app.console_options.update_width(width).update(highlight=False)
            self._rendered = (width, list(app.console.render(self._source, options)))
        return self._rendered[1]

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(text.count("\n") for text, _, _ in self._segments(width))

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        self._renderable = _Rendered(self._segments(width))
        try:
            return super().render_strips(width, height, style, options)
        finally:
            self._renderable = self._source
