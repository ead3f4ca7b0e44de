"""The customer's feedback (issue 11): the rating rules in data/feedback.toml and their checks, the
satisfaction figures (responses, average, by_score) with a property test, the store's one rating per
visit (refusals, triggers, the audit chain, the supervisor's shift-log entry after a low rating), the
day summary, trend and manager comparison, `summary --json` and `audit verify` run in process, and
the demo's ratings."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import BEIJING
from hypothesis import given
from hypothesis import strategies as st

from lobby_tui.cli import main
from lobby_tui.domain.errors import InputError, RulesError
from lobby_tui.domain.feedback import (
    SATISFACTION_KEYS,
    SCORES,
    feedback_rules,
    load_feedback_rules,
    merge_satisfaction,
    satisfaction_figures,
)
from lobby_tui.domain.figures import trend_average
from lobby_tui.domain.guidance import recommend
from lobby_tui.domain.rules import data_dir
from lobby_tui.domain.tiers import classify
from lobby_tui.report import feedback_entry_text
from lobby_tui.store import LobbyStore

DAY, YESTERDAY = "2026-11-18", "2026-11-17"
LM, LM2, SV = "1001", "1002", "9001"
PIN = "246810"
NO_RATINGS = {"responses": 0, "average": None, "by_score": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}}


class Clock:
    """A clock the test moves: 2026-11-18 09:00 Beijing time to start with."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 18, 9, 0, tzinfo=BEIJING)

    def __call__(self) -> datetime:
        return self.now

    def at(self, hhmm: str, day: str = DAY) -> None:
        self.now = datetime.fromisoformat(f"{day}T{hhmm}:00").replace(tzinfo=BEIJING)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "lobby.db"


@pytest.fixture
def lobby(db: Path, clock: Clock) -> Iterator[LobbyStore]:
    """Two lobby managers and a supervisor on a new database, the clock at 09:00 on the 18th."""
    store = LobbyStore(db, clock=clock, device_id="tablet-a")
    store.check()
    store.add_staff(LM, "王丽", "lobby_manager", PIN)
    store.add_staff(LM2, "李强", "lobby_manager", PIN)
    store.add_staff(SV, "陈主管", "supervisor", PIN)
    yield store
    store.close()


def visit(store: LobbyStore, shift_id: str | None, *, staff_id: str = LM, outcome: str | None = "served") -> str:
    """A customer greeted and sent on (a ticket), then given `outcome` (None: still waiting)."""
    visit_id = store.start_visit(reason="transfer", shift_id=shift_id, staff_id=staff_id)
    result = classify(Decimal("1000"))
    rec = recommend(result.tier, "transfer", potential_quality=result.potential_quality)
    store.confirm_visit(visit_id, classification=result, recommendation=rec, destination=rec.destination)
    if outcome is not None:
        store.set_outcome(visit_id, outcome)
    return visit_id


def refused(key: str, call: Callable[[], Any]) -> InputError:
    with pytest.raises(InputError) as info:
        call()
    assert info.value.key == key, info.value
    return info.value


def feedback_rows(db: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return [tuple(r) for r in conn.execute("SELECT visit_id, score, reason FROM feedback ORDER BY rowid")]
    finally:
        conn.close()


def feedback_entries(store: LobbyStore, shift_id: str, by: str = LM) -> list[Any]:
    return [e for e in store.shift_log(shift_id, by).entries if e.kind == "feedback"]


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`lobby-tui --lang en ARGS` in process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(["--lang", "en", *args])
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- the rules file

# A small valid feedback.toml that the refusal cases below each damage in one place.
VALID = """schema = 1
scale = "five"
low_at_most = 2
ask_reason_at_most = 3
[[five]]
score = 1
label = { zh = "差", en = "Poor" }
[[five]]
score = 5
label = { zh = "好", en = "Good" }
[[reason]]
code = "waited_long"
label = { zh = "等候时间长", en = "Waited too long" }
"""


def test_the_shipped_rules_have_five_buttons_a_low_line_and_reasons_in_both_languages() -> None:
    """If this broke, the rating screen turned toward the customer would show the wrong buttons or
    blank labels, and the supervisor would get low-rating entries for the wrong scores."""
    rules = load_feedback_rules(data_dir() / "feedback.toml")
    assert rules == feedback_rules()  # no override in the tests' config folders: the shipped file
    assert rules.scale == "five"
    assert [b.score for b in rules.buttons] == [1, 2, 3, 4, 5]
    assert (rules.low_at_most, rules.ask_reason_at_most) == (2, 3)
    assert [rules.is_low(s) for s in SCORES] == [True, True, False, False, False]
    assert [rules.asks_reason(s) for s in SCORES] == [True, True, True, False, False]
    codes = [r.code for r in rules.reasons]
    assert codes[0] == "waited_long" and "other" in codes and len(codes) == len(set(codes)) <= 9
    for labels in [b.label for b in rules.buttons] + [r.label for r in rules.reasons]:
        assert set(labels) == {"zh", "en"} and all(text.strip() for text in labels.values()), labels
    assert rules.button(5).label == {"zh": "非常满意", "en": "Very good"}
    assert rules.reason("attitude").label["en"] == "Staff attitude"
    assert refused("feedback.score_bad", lambda: rules.button(6)).params == {"text": "6"}
    refused("feedback.reason_bad", lambda: rules.reason("too_cold"))


def test_the_three_point_scale_keeps_its_ratings_as_5_3_1(tmp_path: Path) -> None:
    """A branch that chose 满意 / 一般 / 不满意 must still store scores head office can average with
    the five-point branches; a 2 is not a button on that scale."""
    path = tmp_path / "feedback.toml"
    shipped = (data_dir() / "feedback.toml").read_text("utf-8")
    assert 'scale = "five"' in shipped
    path.write_text(shipped.replace('scale = "five"', 'scale = "three"', 1), "utf-8")
    rules = load_feedback_rules(path)
    assert rules.scale == "three"
    assert [(b.score, b.label["zh"]) for b in rules.buttons] == [(5, "满意"), (3, "一般"), (1, "不满意")]
    refused("feedback.score_bad", lambda: rules.button(2))


def test_the_small_valid_file_loads(tmp_path: Path) -> None:
    """The refusal cases below start from this file; if it did not load, they would prove nothing."""
    path = tmp_path / "feedback.toml"
    path.write_text(VALID, "utf-8")
    rules = load_feedback_rules(path)
    assert [b.score for b in rules.buttons] == [1, 5] and [r.code for r in rules.reasons] == ["waited_long"]


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("schema = 1", "schema = 2", "schema"),
        ('scale = "five"', 'scale = "seven"', "scale"),
        ('scale = "five"', 'scale = "three"', "three"),  # the chosen scale has no buttons
        ("low_at_most = 2", "low_at_most = 6", "low_at_most"),
        ("low_at_most = 2", "low_at_most = -1", "low_at_most"),
        ("low_at_most = 2\n", "", "(top).low_at_most"),
        ("ask_reason_at_most = 3", 'ask_reason_at_most = "3"', "(top).ask_reason_at_most"),
        ("score = 1", "score = 0", "five[0].score"),
        ("score = 1", "score = 6", "five[0].score"),
        ("score = 1", 'score = "1"', "five[0].score"),
        ("score = 1", "score = true", "five[0].score"),
        ("score = 5", "score = 1", "five[1].score"),  # listed twice
        ('{ zh = "差", en = "Poor" }', '{ zh = "差" }', "five[0].label.en"),
        ('{ zh = "差", en = "Poor" }', '{ en = "Poor" }', "five[0].label.zh"),
        ('{ zh = "好", en = "Good" }', '{ zh = "好", en = " " }', "five[1].label.en"),
        ('code = "waited_long"', 'code = "Waited long"', "reason[0].code"),
        ('[[reason]]\ncode = "waited_long"\nlabel = { zh = "等候时间长", en = "Waited too long" }\n', "", "reason"),
    ],
)
def test_a_damaged_rules_file_is_refused_naming_the_key(tmp_path: Path, old: str, new: str, where: str) -> None:
    """A branch's mistyped feedback.toml must stop with one clear line naming the file and the key, not
    a traceback at the moment a customer is about to rate."""
    assert old in VALID
    path = tmp_path / "feedback.toml"
    path.write_text(VALID.replace(old, new, 1), "utf-8")
    with pytest.raises(RulesError) as info:
        load_feedback_rules(path)
    error = info.value
    assert isinstance(error, InputError) and error.key == "rules.bad"
    assert error.params["where"] == where and error.params["file"] == str(path)
    assert str(path) in error.message("en") and where in error.message("zh")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (VALID + "".join(f'[[five]]\nscore = {s}\nlabel = {{ zh = "甲", en = "A" }}\n' for s in (2, 3, 4)), None),
        (
            VALID + "".join(f'[[reason]]\ncode = "r{i}"\nlabel = {{ zh = "甲", en = "A" }}\n' for i in range(9)),
            "reason",
        ),
        (
            VALID + '[[reason]]\ncode = "waited_long"\nlabel = { zh = "又一个", en = "Again" }\n',
            "reason[1].code",
        ),
    ],
)
def test_too_many_or_repeated_reasons_are_refused(tmp_path: Path, text: str, where: str | None) -> None:
    """The reason list is meant to fit one screen and keys 1-9: ten reasons, or one code twice (two
    buttons storing the same thing), must be refused; five buttons are fine."""
    path = tmp_path / "feedback.toml"
    path.write_text(text, "utf-8")
    if where is None:
        assert [b.score for b in load_feedback_rules(path).buttons] == [1, 5, 2, 3, 4]
        return
    with pytest.raises(RulesError) as info:
        load_feedback_rules(path)
    assert info.value.params["where"] == where


@pytest.mark.parametrize(
    ("text", "english"),
    [
        (VALID.replace("score = 1", "score = 9", 1), "expected a score from 1 to 5"),
        (VALID.replace("low_at_most = 2", "low_at_most = 8", 1), "expected a score from 0 to 5"),
        (
            VALID + "".join(f'[[reason]]\ncode = "r{i}"\nlabel = {{ zh = "甲", en = "A" }}\n' for i in range(9)),
            "expected 9 or fewer",
        ),
    ],
)
def test_the_feedback_problems_are_worded_in_chinese_too(tmp_path: Path, text: str, english: str) -> None:
    """A Chinese-speaking branch administrator must read what is wrong in Chinese, not the English check."""
    path = tmp_path / "feedback.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(RulesError) as info:
        load_feedback_rules(path)
    assert english in info.value.message("en")
    zh = info.value.message("zh")
    assert "expected" not in zh and ("分数" in zh or "最多" in zh), zh


def test_a_file_that_is_not_toml_is_refused_with_a_rules_error(tmp_path: Path) -> None:
    """Half a file (a copy cut short) must give the clear error too."""
    path = tmp_path / "feedback.toml"
    path.write_text('schema = 1\nscale = "five\n[[five]', "utf-8")
    with pytest.raises(RulesError) as info:
        load_feedback_rules(path)
    assert info.value.params["file"] == str(path) and "Traceback" not in info.value.message("en")


# ---------------------------------------------------------------- config check with an override


@pytest.fixture
def user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """This test's own user config folder (lobby-tui/ under XDG_CONFIG_HOME), the rules cache cleared
    before and after so an override is read and never leaks into another test."""
    folder = tmp_path / "user"
    (folder / "lobby-tui").mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "site"))
    monkeypatch.delenv("LOBBY_TUI_CONFIG", raising=False)
    monkeypatch.delenv("LOBBY_TUI_DATA", raising=False)
    feedback_rules.cache_clear()
    yield folder / "lobby-tui"
    feedback_rules.cache_clear()


def test_config_check_refuses_a_bad_feedback_override(user_config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`lobby-tui config check` is how a branch finds its mistake before opening: a low line of 7 must
    fail it with exit 2 and one line naming the file and key, in Chinese without English left in."""
    assert run_cli(capsys, "config", "check")[0] == 0
    bad = user_config / "feedback.toml"
    bad.write_text("low_at_most = 7\n", "utf-8")
    code, _, err = run_cli(capsys, "config", "check")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert str(bad) in err and "low_at_most" in err and "Traceback" not in err
    capsys.readouterr()
    assert main(["config", "check", "--lang", "zh"]) == 2
    zh = capsys.readouterr().err
    assert "分数" in zh and "expected" not in zh, zh


# ---------------------------------------------------------------- the figures (domain)


def test_no_ratings_give_zero_responses_no_average_and_every_score_at_zero() -> None:
    """A day nobody rated must read "no ratings", not an average of 0 that looks like a disaster."""
    assert satisfaction_figures([]) == NO_RATINGS
    assert merge_satisfaction([]) == NO_RATINGS
    assert merge_satisfaction([{}, satisfaction_figures(())]) == NO_RATINGS
    assert tuple(satisfaction_figures([]).keys()) == SATISFACTION_KEYS


@pytest.mark.parametrize(
    ("scores", "average", "by_score"),
    [
        ([5], 5.0, {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1}),
        ([5, 4, 4, 1], 3.5, {"1": 1, "2": 0, "3": 0, "4": 2, "5": 1}),
        ([5, 4, 4], 4.33, {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1}),  # 13 / 3 = 4.333...
        ([1, 2, 2], 1.67, {"1": 1, "2": 2, "3": 0, "4": 0, "5": 0}),  # 5 / 3 = 1.666...
        ([3, 3, 5, 1, 1, 2], 2.5, {"1": 2, "2": 1, "3": 2, "4": 0, "5": 1}),
    ],
)
def test_known_scores_give_their_count_average_and_breakdown(
    scores: list[int], average: float, by_score: dict[str, int]
) -> None:
    """The figures the supervisor reads must be the arithmetic of the ratings: two decimals, and
    string keys "1"-"5" (as in the JSON) with every score present, zeros included."""
    figures = satisfaction_figures(scores)
    assert figures == {"responses": len(scores), "average": average, "by_score": by_score}
    assert list(figures["by_score"]) == ["1", "2", "3", "4", "5"]


@given(st.lists(st.sampled_from(SCORES), max_size=300), st.data())
def test_satisfaction_figures_add_up_and_halves_merge_into_the_whole(scores: list[int], data: st.DataObject) -> None:
    """For any ratings: as many responses as ratings, the breakdown adding up to them, the average
    between the lowest and highest score; and two days (or two tablets) merged give what all the
    ratings together give, so a range's figure never drifts from its days'."""
    figures = satisfaction_figures(scores)
    assert figures["responses"] == len(scores)
    assert sum(figures["by_score"].values()) == figures["responses"]
    assert set(figures["by_score"]) == {"1", "2", "3", "4", "5"}
    for score in SCORES:
        assert figures["by_score"][str(score)] == scores.count(score)
    if scores:
        assert min(scores) <= figures["average"] <= max(scores)
        assert figures["average"] == round(sum(scores) / len(scores), 2)
    else:
        assert figures["average"] is None
    cut = data.draw(st.integers(0, len(scores)))
    halves = merge_satisfaction([satisfaction_figures(scores[:cut]), satisfaction_figures(scores[cut:])])
    assert halves == figures
    assert merge_satisfaction([figures]) == figures


def test_the_trend_average_rating_is_weighted_by_each_days_ratings() -> None:
    """One grumpy rating on a quiet day must not weigh as much as a busy day's thirty good ones in
    the trend's average line; days without ratings count for nothing."""
    trend = [
        {"date": "2026-11-16", "visits": 40, "responses": 1, "satisfaction_average": 1.0},
        {"date": "2026-11-17", "visits": 90, "responses": 3, "satisfaction_average": 5.0},
        {"date": "2026-11-18", "visits": 10, "responses": 0, "satisfaction_average": 0},
    ]
    assert trend_average(trend, "satisfaction_average") == pytest.approx(4.0)  # (1 + 15) / 4
    assert trend_average([{**trend[2]}], "satisfaction_average") == 0.0


# ---------------------------------------------------------------- the store: rating a visit


def test_rating_a_served_visit_stores_one_row_about_the_visit_only(lobby: LobbyStore, db: Path, clock: Clock) -> None:
    """The lobby manager turns the tablet to the customer after service: one row, with the visit, the
    score, the scale and who took it - and no column that could say who the customer is."""
    shift = lobby.open_shift(LM)
    visit_id = visit(lobby, shift.id)
    clock.at("09:20")
    lobby.check_rateable(visit_id)  # the board's check before the screen is turned: no objection
    rated = lobby.record_feedback(visit_id, 4, staff_id=LM, shift_id=shift.id)
    ticket = lobby.get_visit(visit_id).ticket
    assert (rated.visit_id, rated.day, rated.ts, rated.score, rated.scale, rated.reason, rated.staff_id) == (
        visit_id,
        DAY,
        "2026-11-18T09:20:00+08:00",
        4,
        "five",
        None,
        LM,
    )
    assert rated.ticket == ticket and ticket
    assert lobby.feedback_for_visit(visit_id) == rated
    assert feedback_rows(db) == [(visit_id, 4, None)]
    columns = {r["name"] for r in lobby.query("PRAGMA table_info(feedback)")}
    assert columns == {"id", "device_id", "visit_id", "day", "ts", "score", "scale", "reason", "staff_id", "shift_id"}
    row = lobby.query("SELECT device_id, shift_id FROM feedback")[0]
    assert (row["device_id"], row["shift_id"]) == ("tablet-a", shift.id)
    audit = lobby.query("SELECT staff_id, detail FROM audit WHERE action = 'feedback'")
    assert len(audit) == 1 and audit[0]["staff_id"] == LM
    detail = json.loads(audit[0]["detail"])
    assert detail["visit_id"] == visit_id and detail["score"] == 4 and detail["entry_id"] is None


def test_a_reason_is_kept_with_the_rating(lobby: LobbyStore, db: Path) -> None:
    """What the customer said could be better is what the branch acts on: it must be kept as chosen."""
    shift = lobby.open_shift(LM)
    visit_id = visit(lobby, shift.id)
    assert lobby.record_feedback(visit_id, 3, "slow_service", staff_id=LM, shift_id=shift.id).reason == "slow_service"
    assert feedback_rows(db) == [(visit_id, 3, "slow_service")]


def test_a_visit_that_does_not_exist_cannot_be_rated(lobby: LobbyStore, db: Path) -> None:
    """A stale board line (a visit undone on another tablet) must give the clear refusal, not a crash."""
    shift = lobby.open_shift(LM)
    refused("feedback.no_visit", lambda: lobby.check_rateable("no-such-visit"))
    error = refused(
        "feedback.no_visit", lambda: lobby.record_feedback("no-such-visit", 5, staff_id=LM, shift_id=shift.id)
    )
    assert error.message("en") == "No such visit" and error.message("zh") == "找不到这次来访"
    assert feedback_rows(db) == []


def test_a_cancelled_visit_cannot_be_rated(lobby: LobbyStore, db: Path) -> None:
    """A visit entered by mistake and cancelled was never a customer's visit: no rating may count it."""
    shift = lobby.open_shift(LM)
    visit_id = visit(lobby, shift.id, outcome="cancelled")
    refused("feedback.cancelled", lambda: lobby.check_rateable(visit_id))
    refused("feedback.cancelled", lambda: lobby.record_feedback(visit_id, 1, staff_id=LM, shift_id=shift.id))
    assert feedback_rows(db) == [] and feedback_entries(lobby, shift.id) == []


def test_a_visit_of_another_day_cannot_be_rated(db: Path, clock: Clock, lobby: LobbyStore) -> None:
    """Yesterday's customer is gone: a rating today would be made up, and would land in the wrong
    day's figures."""
    clock.at("16:00", YESTERDAY)
    old_shift = lobby.open_shift(LM)
    old = visit(lobby, old_shift.id)
    lobby.close_shift(old_shift.id, LM)
    clock.at("09:30")
    shift = lobby.open_shift(LM)
    refused("feedback.not_today", lambda: lobby.check_rateable(old))
    error = refused("feedback.not_today", lambda: lobby.record_feedback(old, 5, staff_id=LM, shift_id=shift.id))
    assert error.message("en") == "Only today's visits can be rated"
    assert feedback_rows(db) == []


def test_a_visit_is_rated_once_and_the_first_rating_stands(lobby: LobbyStore, db: Path) -> None:
    """A second tap (or a second tablet) must not replace or double the customer's rating."""
    shift = lobby.open_shift(LM)
    visit_id = visit(lobby, shift.id)
    lobby.record_feedback(visit_id, 5, staff_id=LM, shift_id=shift.id)
    refused("feedback.already", lambda: lobby.check_rateable(visit_id))
    refused("feedback.already", lambda: lobby.record_feedback(visit_id, 1, staff_id=LM, shift_id=shift.id))
    other = LobbyStore(db, clock=lambda: datetime(2026, 11, 18, 9, 5, tzinfo=BEIJING), device_id="tablet-b")
    try:
        refused("feedback.already", lambda: other.record_feedback(visit_id, 2, staff_id=LM2, shift_id=None))
    finally:
        other.close()
    assert feedback_rows(db) == [(visit_id, 5, None)]
    assert lobby.satisfaction_on(DAY)["responses"] == 1
    assert feedback_entries(lobby, shift.id) == []  # the refused low ratings wrote nothing either


@pytest.mark.parametrize("score", [0, 6, -1, 10, True, "5", 4.0, None])
def test_a_score_the_scale_does_not_offer_is_refused(lobby: LobbyStore, db: Path, score: Any) -> None:
    """Only the buttons' scores may be stored, or the averages would be meaningless."""
    shift = lobby.open_shift(LM)
    visit_id = visit(lobby, shift.id)
    refused("feedback.score_bad", lambda: lobby.record_feedback(visit_id, score, staff_id=LM, shift_id=shift.id))
    assert feedback_rows(db) == []
    lobby.check_rateable(visit_id)  # still rateable: nothing was half written


def test_an_unknown_reason_is_refused(lobby: LobbyStore, db: Path) -> None:
    """A reason outside the list would be an unlabelled code in every report."""
    shift = lobby.open_shift(LM)
    visit_id = visit(lobby, shift.id)
    error = refused(
        "feedback.reason_bad", lambda: lobby.record_feedback(visit_id, 2, "rude", staff_id=LM, shift_id=shift.id)
    )
    assert "rude" in error.message("en")
    assert feedback_rows(db) == [] and feedback_entries(lobby, shift.id) == []


def test_nobody_signed_in_cannot_record_a_rating(lobby: LobbyStore, db: Path) -> None:
    """A rating is taken on a signed-in lobby manager's tablet; an unknown or missing account writes nothing."""
    visit_id = visit(lobby, None)
    refused("role.not_signed_in", lambda: lobby.record_feedback(visit_id, 5, staff_id=None, shift_id=None))
    refused("role.not_signed_in", lambda: lobby.record_feedback(visit_id, 5, staff_id="7777", shift_id=None))
    assert feedback_rows(db) == []


def test_a_three_point_branch_stores_its_scale_and_refuses_a_two(
    user_config: Path, db: Path, clock: Clock, lobby: LobbyStore
) -> None:
    """On a 满意 / 一般 / 不满意 branch a 2 is no button; 不满意 is kept as 1, with the scale, and is low."""
    (user_config / "feedback.toml").write_text('scale = "three"\n', "utf-8")
    shift = lobby.open_shift(LM)
    first, second = visit(lobby, shift.id), visit(lobby, shift.id)
    refused("feedback.score_bad", lambda: lobby.record_feedback(first, 2, staff_id=LM, shift_id=shift.id))
    rated = lobby.record_feedback(first, 1, staff_id=LM, shift_id=shift.id)
    assert (rated.score, rated.scale) == (1, "three")
    assert lobby.record_feedback(second, 5, staff_id=LM, shift_id=shift.id).scale == "three"
    assert [e.code for e in feedback_entries(lobby, shift.id)] == ["1"]


# ---------------------------------------------------------------- the triggers


@pytest.fixture
def rated(lobby: LobbyStore, db: Path) -> tuple[Path, str]:
    """A database with one rating (a 4); returns the file and the visit's id."""
    shift = lobby.open_shift(LM)
    visit_id = visit(lobby, shift.id)
    lobby.record_feedback(visit_id, 4, staff_id=LM, shift_id=shift.id)
    return db, visit_id


@pytest.mark.parametrize(
    "sql", ["UPDATE feedback SET score = 5", "UPDATE feedback SET reason = 'other'", "DELETE FROM feedback"]
)
def test_a_rating_cannot_be_changed_or_removed_even_with_a_sqlite_tool(rated: tuple[Path, str], sql: str) -> None:
    """Someone improving the branch's figures with a SQLite tool must be stopped by the file itself."""
    db, visit_id = rated
    conn = sqlite3.connect(db)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="lobby_tui.feedback_locked"):
            conn.execute(sql)
        conn.rollback()
    finally:
        conn.close()
    assert feedback_rows(db) == [(visit_id, 4, None)]


def test_the_app_says_in_words_that_a_rating_is_locked(rated: tuple[Path, str], lobby: LobbyStore) -> None:
    """If app code ever tried to change a rating, the person would read why it was refused."""
    error = refused("feedback.locked", lambda: lobby.query("DELETE FROM feedback"))
    assert error.message("en") == "A customer's rating cannot be changed or removed"
    assert error.message("zh") == "客户的评价不能修改或删除"


@pytest.mark.parametrize(
    ("values", "why"),
    [
        (
            "('x1', 'tablet-a', :visit, '2026-11-18', '2026-11-18T10:00:00+08:00', 5, 'five', NULL, NULL, NULL)",
            "UNIQUE",
        ),
        (
            "('x2', 'tablet-a', 'v-other', '2026-11-18', '2026-11-18T10:00:00+08:00', 6, 'five', NULL, NULL, NULL)",
            "CHECK",
        ),
        (
            "('x3', 'tablet-a', 'v-other', '2026-11-18', '2026-11-18T10:00:00+08:00', 0, 'five', NULL, NULL, NULL)",
            "CHECK",
        ),
    ],
)
def test_the_table_refuses_a_second_rating_or_a_score_outside_1_to_5(
    rated: tuple[Path, str], values: str, why: str
) -> None:
    """Even written past the app, a visit has one rating and every score is 1 to 5."""
    db, visit_id = rated
    conn = sqlite3.connect(db)
    try:
        with pytest.raises(sqlite3.IntegrityError, match=why):
            conn.execute(f"INSERT INTO feedback VALUES {values}", {"visit": visit_id})
    finally:
        conn.close()


# ---------------------------------------------------------------- a low rating in the shift log


@pytest.mark.parametrize("score", SCORES)
def test_a_low_rating_makes_one_shift_log_entry_for_the_supervisor(lobby: LobbyStore, score: int) -> None:
    """A 1 or 2 must reach the supervisor through the lobby manager's shift log - once, with the ticket
    and the reason; a 3 or better must not fill the log."""
    shift = lobby.open_shift(LM)
    visit_id = visit(lobby, shift.id)
    ticket = lobby.get_visit(visit_id).ticket
    lobby.record_feedback(visit_id, score, "waited_long", staff_id=LM, shift_id=shift.id)
    entries = feedback_entries(lobby, shift.id)
    if score > feedback_rules().low_at_most:
        assert entries == []
        return
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.shift_id, entry.staff_id, entry.code, entry.text, entry.reason) == (
        shift.id,
        LM,
        str(score),
        ticket,
        "waited_long",
    )
    detail = json.loads(lobby.query("SELECT detail FROM audit WHERE action = 'feedback'")[0]["detail"])
    assert detail["entry_id"] == entry.id
    label = feedback_rules().button(score).label["en"]
    assert (
        feedback_entry_text(entry, "en")
        == f"The customer rated the visit {score} ({label}), ticket {ticket}; why: Waited too long"
    )
    zh = feedback_entry_text(entry, "zh")
    assert ticket is not None and ticket in zh and "等候时间长" in zh


def test_a_low_rating_without_an_open_shift_is_kept_but_logs_nothing(lobby: LobbyStore, clock: Clock) -> None:
    """After the shift closed (or with none open) the rating still counts in the figures; no entry is
    slipped into a closed shift's log."""
    shift = lobby.open_shift(LM)
    first, second = visit(lobby, shift.id), visit(lobby, shift.id)
    lobby.close_shift(shift.id, LM)
    clock.at("18:10")
    lobby.record_feedback(first, 1, staff_id=LM, shift_id=shift.id)
    lobby.record_feedback(second, 2, staff_id=LM, shift_id=None)
    assert feedback_entries(lobby, shift.id) == []
    assert lobby.satisfaction_on(DAY)["by_score"] == {"1": 1, "2": 1, "3": 0, "4": 0, "5": 0}


# ---------------------------------------------------------------- the audit chain


def test_audit_verify_passes_after_ratings(
    rated: tuple[Path, str], lobby: LobbyStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ratings are part of the chain the auditor checks: an honest day's ratings must verify."""
    db, _ = rated
    shift = lobby.open_shift(LM2)
    lobby.record_feedback(visit(lobby, shift.id, staff_id=LM2), 1, "attitude", staff_id=LM2, shift_id=shift.id)
    assert lobby.audit_status().ok
    chained = lobby.query("SELECT count(*) FROM row_chain WHERE tbl = 'feedback'")[0][0]
    assert chained == 2
    code, out, err = run_cli(capsys, "audit", "verify", "--db", str(db))
    assert code == 0 and "intact" in out and err == ""


def _tamper(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def _feedback_id(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("SELECT id FROM feedback").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("statements", "says"),
    [
        (("DROP TRIGGER feedback_no_update", "UPDATE feedback SET score = 5"), "changed outside the app"),
        (("DROP TRIGGER feedback_no_delete", "DELETE FROM feedback"), "deleted outside the app"),
    ],
)
def test_audit_verify_names_a_rating_changed_or_removed_outside_the_app(
    rated: tuple[Path, str], capsys: pytest.CaptureFixture[str], statements: tuple[str, ...], says: str
) -> None:
    """A 4 turned into a 5 (or a bad rating deleted) with the triggers dropped must still be found,
    naming the rating's id."""
    db, _ = rated
    feedback_id = _feedback_id(db)
    _tamper(db, *statements)
    code, _, err = run_cli(capsys, "audit", "verify", "--db", str(db))
    assert code == 1 and feedback_id in err and says in err and "Traceback" not in err


def test_audit_verify_names_a_rating_slipped_in_outside_the_app(
    rated: tuple[Path, str], lobby: LobbyStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """Five-star ratings inserted by hand for visits nobody rated must be found as added."""
    db, _ = rated
    other = visit(lobby, None)
    _tamper(
        db,
        "INSERT INTO feedback VALUES ('forged-rating', 'tablet-a', "
        f"'{other}', '2026-11-18', '2026-11-18T10:00:00+08:00', 5, 'five', NULL, '1001', NULL)",
    )
    code, _, err = run_cli(capsys, "audit", "verify", "--db", str(db))
    assert code == 1 and "forged-rating" in err and "added outside the app" in err


@pytest.mark.parametrize(("lang", "table_word"), [("en", "feedback"), ("zh", "评价")])
def test_audit_verify_names_the_ratings_table_in_words(
    rated: tuple[Path, str], capsys: pytest.CaptureFixture[str], lang: str, table_word: str
) -> None:
    """The auditor reads "the feedback row ... was changed", as for visits or shifts - not the raw
    message key "chain.table.feedback"."""
    db, _ = rated
    _tamper(db, "DROP TRIGGER feedback_no_update", "UPDATE feedback SET score = 5")
    capsys.readouterr()
    assert main(["--lang", lang, "audit", "verify", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "chain.table." not in err, err
    assert table_word in err, err


# ---------------------------------------------------------------- the day summary, trend and comparison


@pytest.fixture
def rated_days(lobby: LobbyStore, clock: Clock) -> LobbyStore:
    """The 17th: LM's customer rates 2. The 18th: LM's two customers rate 5 and 4, LM2's rates 1;
    one more served visit of LM's is not rated."""
    clock.at("10:00", YESTERDAY)
    shift = lobby.open_shift(LM)
    lobby.record_feedback(visit(lobby, shift.id), 2, "waited_long", staff_id=LM, shift_id=shift.id)
    lobby.close_shift(shift.id, LM)
    clock.at("09:00")
    shift, shift2 = lobby.open_shift(LM), lobby.open_shift(LM2)
    for score in (5, 4):
        lobby.record_feedback(visit(lobby, shift.id), score, staff_id=LM, shift_id=shift.id)
    lobby.record_feedback(visit(lobby, shift2.id, staff_id=LM2), 1, staff_id=LM2, shift_id=shift2.id)
    visit(lobby, shift.id)
    clock.at("11:00")
    return lobby


TODAY_SATISFACTION = {"responses": 3, "average": 3.33, "by_score": {"1": 1, "2": 0, "3": 0, "4": 1, "5": 1}}
YESTERDAY_SATISFACTION = {"responses": 1, "average": 2.0, "by_score": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 0}}


def test_the_day_summary_counts_that_days_ratings(rated_days: LobbyStore) -> None:
    """The day summary's satisfaction is what the supervisor reports upward: that day's ratings only."""
    assert rated_days.day_summary(DAY)["satisfaction"] == TODAY_SATISFACTION
    assert rated_days.day_summary(YESTERDAY)["satisfaction"] == YESTERDAY_SATISFACTION
    assert rated_days.day_summary("2026-11-16")["satisfaction"] == NO_RATINGS
    assert rated_days.satisfaction_on(DAY) == TODAY_SATISFACTION


def test_the_trend_has_each_days_satisfaction(rated_days: LobbyStore, db: Path) -> None:
    """The supervisor's trend must show each day's ratings on that day, and nothing on a day without."""
    supervisor = rated_days.sign_in(SV, PIN).id
    trend = rated_days.trend(supervisor, end=DAY, days=3)
    assert [day["date"] for day in trend] == ["2026-11-16", YESTERDAY, DAY]
    assert [day["satisfaction"] for day in trend] == [NO_RATINGS, YESTERDAY_SATISFACTION, TODAY_SATISFACTION]
    assert trend[-1] == rated_days.day_summary(DAY)
    assert rated_days.satisfaction_by_day("2026-11-16", DAY) == {
        "2026-11-16": NO_RATINGS,
        YESTERDAY: YESTERDAY_SATISFACTION,
        DAY: TODAY_SATISFACTION,
    }


def test_the_manager_comparison_credits_each_managers_customers_ratings(rated_days: LobbyStore) -> None:
    """Comparing lobby managers, each sees the ratings of the customers they greeted over the range;
    a range with none of theirs reads "no ratings", not zero stars."""
    supervisor = rated_days.sign_in(SV, PIN).id
    both = {
        m.staff_id: m.figures["satisfaction"] for m in rated_days.compare_managers(supervisor, start=YESTERDAY, end=DAY)
    }
    assert both == {
        LM: {"responses": 3, "average": 3.67, "by_score": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}},
        LM2: {"responses": 1, "average": 1.0, "by_score": {"1": 1, "2": 0, "3": 0, "4": 0, "5": 0}},
    }
    before = {
        m.staff_id: m.figures["satisfaction"]
        for m in rated_days.compare_managers(None, start="2026-11-16", end="2026-11-16")
    }
    assert before == {LM: NO_RATINGS, LM2: NO_RATINGS}
    # The managers' ratings together are the days' ratings together.
    assert merge_satisfaction(both.values()) == merge_satisfaction([TODAY_SATISFACTION, YESTERDAY_SATISFACTION])


# ---------------------------------------------------------------- lobby-tui summary --json


def test_summary_json_has_the_days_satisfaction(
    rated_days: LobbyStore, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Head office's scripts read `satisfaction` from `summary --json`: exactly responses, average and
    by_score, with the day's numbers."""
    rated_days.close()
    code, out, err = run_cli(capsys, "summary", "--db", str(db), "--date", DAY, "--json")
    assert code == 0, err
    satisfaction = json.loads(out)["satisfaction"]
    assert set(satisfaction) == {"responses", "average", "by_score"}
    assert satisfaction == TODAY_SATISFACTION
    code, out, _ = run_cli(capsys, "summary", "--db", str(db), "--date", "2026-11-16", "--json")
    assert code == 0 and json.loads(out)["satisfaction"] == NO_RATINGS
    code, out, _ = run_cli(capsys, "summary", "--db", str(db), "--date", DAY)
    assert code == 0 and "Customer ratings" in out
    assert re.search(r"Average rating\s*│\s*3\.3 │", out) and re.search(r"│ Ratings\s*│\s*3 │", out), out


def test_summary_json_on_a_database_without_ratings(
    lobby: LobbyStore, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A branch that has not rated anything yet must get responses 0 and no average, not an error."""
    visit(lobby, None)
    lobby.close()
    code, out, err = run_cli(capsys, "summary", "--db", str(db), "--date", DAY, "--json")
    assert code == 0, err
    assert json.loads(out)["satisfaction"] == NO_RATINGS


# ---------------------------------------------------------------- the demo


def test_the_demos_ratings_follow_the_rules(tmp_path: Path) -> None:
    """The demo is what a new branch looks at first: its ratings must be of served visits, one each,
    on the visit's day, with a shift-log entry for each low one, and the whole file must verify."""
    from lobby_tui.store.demo import generate_demo

    now = datetime(2026, 11, 18, 15, 30, tzinfo=BEIJING)
    store = LobbyStore(tmp_path / "demo.db", clock=lambda: now)
    try:
        generate_demo(store, customers=300, days=4, seed=5)
        rows = store.query(
            "SELECT f.score, f.reason, f.day, v.day AS visit_day, v.outcome FROM feedback f JOIN visits v ON v.id = f.visit_id"
        )
        assert rows and len(rows) == store.query("SELECT count(*) FROM feedback")[0][0]
        rules = feedback_rules()
        assert {r["outcome"] for r in rows} == {"served"}
        assert all(r["day"] == r["visit_day"] for r in rows)
        assert all(r["score"] in {b.score for b in rules.buttons} for r in rows)
        assert all(r["reason"] is None or rules.reason(r["reason"]) for r in rows)
        low = sum(1 for r in rows if rules.is_low(r["score"]))
        assert store.query("SELECT count(*) FROM shift_log WHERE kind = 'feedback'")[0][0] == low
        days = {r["day"] for r in rows}
        assert sum(store.day_summary(day)["satisfaction"]["responses"] for day in days) == len(rows)
        assert store.audit_status().ok
    finally:
        store.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chained_table_has_a_name_in_words(lang: str) -> None:
    """`audit verify` names the table of a row changed outside the app: every chained table (a new one
    added to CHAINED too) needs its words in both languages, or the auditor reads a message key."""
    from lobby_tui.i18n import tr
    from lobby_tui.store.chain import CHAINED

    for table in CHAINED:
        key = f"chain.table.{table}"
        assert tr(key, lang) != key, table
