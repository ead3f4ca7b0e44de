"""The customer rates the visit (issue 11; the board's `v`): big buttons, meant to be turned toward the
customer on a tablet. The scale (1-5, or 满意 / 一般 / 不满意) and the reasons come from
data/feedback.toml. A low rating asks, optionally, what could be better.

Nothing personal is asked or shown: no name, no number, not even the ticket. A number key or a tap
picks; Escape skips the rating (nothing is stored) or, once a score is picked, the reason (the score
is kept). The screen covers the board behind it, so the customer sees only the question.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen

from lobby_tui.domain.feedback import FeedbackRules, feedback_rules
from lobby_tui.ui.base import LobbyScreenMixin
from lobby_tui.ui.screens.forms import APP_KEYS, FooterFit
from lobby_tui.ui.widgets.footer import Footer
from lobby_tui.ui.widgets.plain import Button, Static


@dataclass(frozen=True)
class Rating:
    """What the customer chose: a score 1-5 and, after a low one, maybe a reason code."""

    score: int
    reason: str | None = None


class RatingScreen(FooterFit, LobbyScreenMixin, ModalScreen[Rating | None]):
    BINDINGS = [
        Binding("escape", "skip", "key.skip_rating", id="skip_rating"),
        *APP_KEYS,
    ]
    FOOTER_ORDER = ("skip_rating", "toggle_lang", "toggle_contrast", "lock")

    def __init__(self, rules: FeedbackRules | None = None) -> None:
        super().__init__()
        self.rules = rules or feedback_rules()
        self.score: int | None = None  # picked: the reasons are showing

    def compose(self) -> ComposeResult:
        with Vertical(id="rating-box"):
            yield Static("", id="rating-title", classes="form-title")
            with Vertical(id="rating-scores"):
                for button in self.rules.buttons:
                    yield Button("", id=f"score-{button.score}", classes="rating-score")
            with Grid(id="rating-reasons"):
                for reason in self.rules.reasons:
                    yield Button("", id=f"reason-{reason.code}", classes="rating-reason")
                yield Button("", id="reason-none", classes="rating-reason")
            yield Static("", id="rating-hint", classes="hint")
        yield Footer()

    AUTO_FOCUS = ""  # focused in on_mount (LobbyScreenMixin says why)

    def on_mount(self) -> None:
        self.localize()
        self.query_one("#rating-reasons").display = False
        self.after_relabel()
        self.query(".rating-score").first(Button).focus()

    def after_relabel(self) -> None:
        lang = self.lobby.lang
        asking_reason = self.score is not None
        self.query_one("#rating-title", Static).update(
            Text(self.t("feedback.reason_title" if asking_reason else "feedback.title"))
        )
        self.query_one("#rating-hint", Static).update(Text(self.t("feedback.hint")))
        for n, button in enumerate(self.rules.buttons, start=1):
            self.query_one(f"#score-{button.score}", Button).label = Text(f"{n}  {button.label[lang]}")
        for n, reason in enumerate(self.rules.reasons, start=1):
            self.query_one(f"#reason-{reason.code}", Button).label = Text(f"{n} {reason.label[lang]}")
        self.query_one("#reason-none", Button).label = Text(f"0 {self.t('feedback.no_reason')}")

    # ------------------------------------------------------------ choosing

    def on_key(self, event: events.Key) -> None:
        if event.character is None or not event.character.isdigit():
            return
        n = int(event.character)
        event.stop()
        if self.score is None:
            if 1 <= n <= len(self.rules.buttons):
                self._picked_score(self.rules.buttons[n - 1].score)
        elif n == 0:
            self.dismiss(Rating(self.score))
        elif n <= len(self.rules.reasons):
            self.dismiss(Rating(self.score, self.rules.reasons[n - 1].code))

    @on(Button.Pressed, ".rating-score")
    def score_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self.score is None and event.button.id:
            self._picked_score(int(event.button.id.removeprefix("score-")))

    @on(Button.Pressed, ".rating-reason")
    def reason_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self.score is None or not event.button.id:
            return
        code = event.button.id.removeprefix("reason-")
        self.dismiss(Rating(self.score, None if code == "none" else code))

    def _picked_score(self, score: int) -> None:
        if not self.rules.asks_reason(score):
            self.dismiss(Rating(score))
            return
        self.score = score
        self.query_one("#rating-scores").display = False
        self.query_one("#rating-reasons").display = True
        self.after_relabel()
        self.query(".rating-reason").first(Button).focus()

    def action_skip(self) -> None:
        """Before a score: no rating at all. After a low score: the score without a reason."""
        self.dismiss(None if self.score is None else Rating(self.score))
