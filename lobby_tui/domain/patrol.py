"""The patrol checklist (data/patrol.toml), loaded and validated like the guidance rules.

Rounds at opening and at set times, the items checked on each round, and the kinds of incident the
shift log records. On a round each item is marked all right (✓) or a fault (✗); one not marked yet
(☐) is neither, and the round cannot be recorded until none is left. A file that cannot be used is
refused with a RulesError naming the file, the key and the problem.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lobby_tui.domain.errors import InputError
from lobby_tui.domain.rules import Labels, _Checker, _load

_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class PatrolRound:
    code: str
    at: str  # HH:MM, when the round is due
    label: Labels


@dataclass(frozen=True)
class Labelled:
    code: str
    label: Labels


@dataclass(frozen=True)
class PatrolChecklist:
    rounds: tuple[PatrolRound, ...]  # earliest first; the first is the opening check
    items: tuple[Labelled, ...]
    incidents: tuple[Labelled, ...]

    def round(self, code: str) -> PatrolRound:
        for r in self.rounds:
            if r.code == code:
                return r
        raise InputError("patrol.round_unknown", text=str(code)[:30])

    def item(self, code: str) -> Labelled:
        for item in self.items:
            if item.code == code:
                return item
        raise InputError("patrol.item_unknown", text=str(code)[:30])

    def incident(self, code: str) -> Labelled:
        for kind in self.incidents:
            if kind.code == code:
                return kind
        raise InputError("incident.kind_unknown", text=str(code)[:30])

    def unchecked(self, checks: Mapping[str, bool | None]) -> list[tuple[int, Labelled]]:
        """The items (numbered from 1, as the checklist shows them) neither marked all right (True) nor
        a fault (False): a round is recorded only once every item is one or the other, so an item
        nobody looked at is never recorded as a fault."""
        return [(n, item) for n, item in enumerate(self.items, start=1) if not isinstance(checks.get(item.code), bool)]

    def due(self, hhmm: str, done: set[str] | frozenset[str]) -> list[PatrolRound]:
        """Rounds whose time has come (at or before `hhmm`) and that are not done yet."""
        return [r for r in self.rounds if r.at <= hhmm and r.code not in done]

    def next_round(self, hhmm: str, done: set[str] | frozenset[str]) -> PatrolRound | None:
        """The round to do now: the earliest one due, else the next one to come, else None."""
        due = self.due(hhmm, done)
        if due:
            return due[0]
        return next((r for r in self.rounds if r.code not in done), None)


def _labelled(c: _Checker, rows: object, where: str) -> tuple[Labelled, ...]:
    if not isinstance(rows, list) or not rows:
        raise c.fail(where, "expected at least one entry")
    out: list[Labelled] = []
    for i, row in enumerate(rows):
        code = c.get(row, "code", f"{where}[{i}]", str)
        if not _CODE.match(code):
            raise c.fail(f"{where}[{i}].code", "lower-case letters, digits and _ only, starting with a letter")
        if code in {x.code for x in out}:
            raise c.fail(f"{where}[{i}].code", f"{code!r} is listed twice")
        out.append(Labelled(code, c.labels(row, "label", f"{where}.{code}")))
    return tuple(out)


def load_patrol_checklist(path: Path | None = None) -> PatrolChecklist:
    doc, c = _load(path, "patrol.toml")
    if c.get(doc, "schema", "(top)", int) != 1:
        raise c.fail("schema", "this lobby_tui reads schema 1")
    rounds: list[PatrolRound] = []
    for item in _labelled(c, doc.get("round"), "round"):
        row = next(r for r in doc["round"] if r.get("code") == item.code)
        at = c.get(row, "at", f"round.{item.code}", str)
        if not _TIME.match(at):
            raise c.fail(f"round.{item.code}.at", f"expected a time of day HH:MM, found {at!r}")
        if rounds and at <= rounds[-1].at:
            raise c.fail(f"round.{item.code}.at", "rounds must be listed earliest first")
        rounds.append(PatrolRound(item.code, at, item.label))
    return PatrolChecklist(
        rounds=tuple(rounds),
        items=_labelled(c, doc.get("item"), "item"),
        incidents=_labelled(c, doc.get("incident"), "incident"),
    )


@cache
def patrol_checklist() -> PatrolChecklist:
    return load_patrol_checklist()
