"""How many wait at each destination: six cells, two rows on a handheld, one row on a tablet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from textual.app import ComposeResult
from textual.containers import Grid

from lobby_tui.domain.rules import guidance_rules
from lobby_tui.domain.waits import whole_minutes
from lobby_tui.ui.widgets.plain import Static

if TYPE_CHECKING:
    from lobby_tui.store.waits import WaitEstimate


class WaitingStrip(Grid):
    DEFAULT_CSS = """
    WaitingStrip {
        grid-size: 3 2;
        grid-gutter: 0 1;
        height: 2;
        padding: 0 1;
    }
    WaitingStrip .waiting-cell { height: 1; width: 1fr; }
    WaitingStrip .waiting-cell.-long { color: $error; text-style: bold; }
    """

    def __init__(self, lang: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lang = lang
        self._shown: tuple[dict[str, int], Mapping[str, WaitEstimate] | None] | None = None

    def compose(self) -> ComposeResult:
        for code, dest in guidance_rules().destinations.items():
            yield Static(f"{dest.label[self.lang]} ·", id=f"wait-{code}", classes="waiting-cell")

    def show(self, waiting: dict[str, int], estimates: Mapping[str, WaitEstimate] | None = None) -> None:
        """Each queue's count and, where known, its estimated wait (≈12分; 暂停 when closed). A long
        one is bold, and its estimate marked `!` (not by colour alone). Where a cell is too narrow,
        the label is cut, never the numbers."""
        from lobby_tui.i18n import tr

        self._shown = (waiting, estimates)
        rules = guidance_rules()
        long_queue, long_wait = rules.settings["long_queue"], rules.settings["long_wait_minutes"]
        for code, dest in rules.destinations.items():
            cell = self.query_one(f"#wait-{code}", Static)
            n = waiting.get(code, 0)
            estimate = (estimates or {}).get(code)
            numbers, long = f" {n}", n >= long_queue
            if estimate is not None:
                minutes = whole_minutes(estimate.minutes)
                long = minutes is None or minutes >= long_wait
                mark = "!" if dest.counter and long else ""
                about = (
                    tr("board.closed", self.lang) if minutes is None else tr("board.about_short", self.lang, n=minutes)
                )
                numbers += f" {mark}{about}"
            label, width = dest.label[self.lang], cell.size.width
            if width and cell_len(label + numbers) > width:
                label = set_cell_size(label, max(1, width - cell_len(numbers) - 1)).rstrip() + "…"
            cell.update(label + numbers, layout=False)  # a cell is 1 line by 1fr: its size never changes
            cell.set_class(dest.counter and long, "-long")

    def on_resize(self) -> None:
        if self._shown is not None:
            self.call_after_refresh(self.show, *self._shown)
