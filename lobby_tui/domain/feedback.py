"""The customer's feedback (issue 11): the rating scale and reasons (data/feedback.toml), and the
satisfaction figures (`summary --json` key `satisfaction`).

Whatever scale a branch uses, a rating is kept as a score from 1 to 5 (the three-point scale's 满意 /
一般 / 不满意 are 5 / 3 / 1), so averages and head office's figures compare between branches. A
rating belongs to a visit and carries nothing about the customer; it cannot be changed once given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.patrol import Labelled, _labelled
from lobby_tui.domain.rules import Labels, _load

SCORES = (1, 2, 3, 4, 5)
SCALES = ("five", "three")
SATISFACTION_KEYS = ("responses", "average", "by_score")


@dataclass(frozen=True)
class ScoreButton:
    score: int  # 1 (worst) to 5 (best)
    label: Labels


@dataclass(frozen=True)
class FeedbackRules:
    scale: str  # "five" or "three"
    buttons: tuple[ScoreButton, ...]  # in the order shown; number key n is buttons[n - 1]
    reasons: tuple[Labelled, ...]
    low_at_most: int  # a rating at or below: a shift-log entry for the supervisor
    ask_reason_at_most: int  # a rating at or below: the reasons are offered

    def button(self, score: int) -> ScoreButton:
        for b in self.buttons:
            if b.score == score:
                return b
        raise InputError("feedback.score_bad", text=str(score)[:10])

    def reason(self, code: str) -> Labelled:
        for r in self.reasons:
            if r.code == code:
                return r
        raise InputError("feedback.reason_bad", text=str(code)[:30])

    def is_low(self, score: int) -> bool:
        return score <= self.low_at_most

    def asks_reason(self, score: int) -> bool:
        return score <= self.ask_reason_at_most


@dataclass(frozen=True)
class Feedback:
    """One rating, as stored: the visit it is about, never the customer."""

    id: str
    visit_id: str
    day: str
    ts: str
    score: int
    scale: str
    reason: str | None
    staff_id: str | None  # the lobby manager whose device took it
    ticket: str | None = None  # the visit's, for the shift log


def load_feedback_rules(path: Path | None = None) -> FeedbackRules:
    doc, c = _load(path, "feedback.toml")
    if c.get(doc, "schema", "(top)", int) != 1:
        raise c.fail("schema", "this lobby_tui reads schema 1")
    scale = c.get(doc, "scale", "(top)", str)
    if scale not in SCALES:
        raise c.fail("scale", f"unknown scale {scale}; expected some of {', '.join(SCALES)}")
    rows = doc.get(scale)
    if not isinstance(rows, list) or not rows:
        raise c.fail(scale, "expected at least one entry")
    buttons: list[ScoreButton] = []
    for i, row in enumerate(rows):
        score = c.get(row, "score", f"{scale}[{i}]", int)
        if score not in SCORES:
            raise c.fail(f"{scale}[{i}].score", "expected a score from 1 to 5")
        if score in {b.score for b in buttons}:
            raise c.fail(f"{scale}[{i}].score", f"{score} is listed twice")
        buttons.append(ScoreButton(score, c.labels(row, "label", f"{scale}[{i}]")))
    if len(buttons) > 9:
        raise c.fail(scale, "expected 9 or fewer")
    thresholds = {}
    for key in ("low_at_most", "ask_reason_at_most"):
        value = c.get(doc, key, "(top)", int)
        if not 0 <= value <= 5:
            raise c.fail(key, "expected a score from 0 to 5")
        thresholds[key] = value
    reasons = _labelled(c, doc.get("reason"), "reason")
    if len(reasons) > 9:
        raise c.fail("reason", "expected 9 or fewer")
    return FeedbackRules(scale, tuple(buttons), reasons, thresholds["low_at_most"], thresholds["ask_reason_at_most"])


@cache
def feedback_rules() -> FeedbackRules:
    return load_feedback_rules()


# ---------------------------------------------------------------- the figures


def satisfaction_figures(scores: Iterable[int]) -> dict[str, Any]:
    """`satisfaction`: how many ratings, their average (two decimals; None without any) and the count
    of each score 1-5 (keys "1" to "5", every one present)."""
    by_score = dict.fromkeys((str(s) for s in SCORES), 0)
    for score in scores:
        by_score[str(score)] += 1
    return _from_counts(by_score)


def merge_satisfaction(parts: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The satisfaction of several days or groups together: the counts added, the average again."""
    by_score = dict.fromkeys((str(s) for s in SCORES), 0)
    for part in parts:
        for key, n in part.get("by_score", {}).items():
            by_score[key] = by_score.get(key, 0) + int(n)
    return _from_counts(by_score)


def _from_counts(by_score: dict[str, int]) -> dict[str, Any]:
    responses = sum(by_score.values())
    total = sum(int(score) * n for score, n in by_score.items())
    average = round(total / responses, 2) if responses else None
    return {"responses": responses, "average": average, "by_score": by_score}
