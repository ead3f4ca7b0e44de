"""How many wait at each destination: six cells, two rows on a handheld, one row on a tablet."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid

from lobby_tui.domain.rules import guidance_rules
from lobby_tui.ui.widgets.plain import Static


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

    def compose(self) -> ComposeResult:
        for code, dest in guidance_rules().destinations.items():
            yield Static(f"{dest.label[self.lang]} ·", id=f"wait-{code}", classes="waiting-cell")

    def show(self, waiting: dict[str, int]) -> None:
        rules = guidance_rules()
        long_queue = rules.settings["long_queue"]
        for code, dest in rules.destinations.items():
            cell = self.query_one(f"#wait-{code}", Static)
            n = waiting.get(code, 0)
            cell.update(f"{dest.label[self.lang]} {n}")
            cell.set_class(dest.counter and n >= long_queue, "-long")
