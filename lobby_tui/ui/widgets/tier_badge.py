"""A tier's badge in its own colour (colours come from data/tiers.toml)."""

from __future__ import annotations

from rich.text import Text

from lobby_tui.domain.rules import tier_table
from lobby_tui.ui.widgets.plain import Static


class TierBadge(Static):
    DEFAULT_CSS = """
    TierBadge {
        width: auto;
        height: 1;
        text-style: bold;
    }
    """

    def __init__(self, tier: str, lang: str, **kwargs: object) -> None:
        super().__init__(self.badge(tier, lang), **kwargs)  # type: ignore[arg-type]

    @staticmethod
    def badge(tier: str, lang: str) -> Text:
        row = tier_table().tier(tier)
        return Text(f" {row.label[lang]} ", style=f"bold #ffffff on {row.colour}")
