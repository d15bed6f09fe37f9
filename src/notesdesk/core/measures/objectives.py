"""Objectives linked to a measure ('PHQ-9 < 10'): parse the rule and suggest a status from the scores.

It only suggests: the clinician decides whether one score below a line means an objective is achieved.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from notesdesk.core.domain.plans import ObjectiveStatus
from notesdesk.core.errors import InvalidInput, NotFound
from notesdesk.core.measures.library import find_by_name
from notesdesk.core.measures.model import Instrument

# '≤' and '≥' are accepted too: clinicians type them, and they mean the same thing.
_OPS: dict[str, tuple[str, Callable[[float, float], bool]]] = {
    "<": ("<", operator.lt), "<=": ("<=", operator.le), "≤": ("<=", operator.le),
    ">": (">", operator.gt), ">=": (">=", operator.ge), "≥": (">=", operator.ge),
}
_RULE = re.compile(r"^\s*(?P<name>\S.*?)\s*(?P<op><=|>=|≤|≥|<|>)\s*(?P<value>-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class MeasureRule:
    instrument: str  # instrument id
    name: str  # display name, e.g. 'PHQ-9'
    op: str  # one of <, <=, >, >=
    value: float
    text: str  # normalised, e.g. 'PHQ-9 < 10'

    def holds(self, total: float) -> bool:
        return _OPS[self.op][1](total, self.value)

    @property
    def wants_lower(self) -> bool:
        return self.op in ("<", "<=")


def parse_measure_rule(text: str, extra: Iterable[Instrument] = ()) -> MeasureRule:
    """'<instrument> <op> <number>', e.g. 'PHQ-9 < 10' or 'gad7 <= 4'."""
    match = _RULE.match(text)
    if match is None:
        raise InvalidInput(f"linked measure '{text.strip()}' must read '<instrument> <op> <number>' with op "
                           "one of <, <=, >, >=, e.g. 'PHQ-9 < 10'")
    try:
        inst = find_by_name(match["name"], extra)
    except NotFound:
        raise InvalidInput(f"linked measure '{text.strip()}': unknown instrument '{match['name']}'") from None
    op = _OPS[match["op"]][0]
    value = float(match["value"])
    if not inst.range_min <= value <= inst.range_max:
        raise InvalidInput(f"linked measure '{text.strip()}': {inst.name} scores run from "
                           f"{inst.range_min} to {inst.range_max}")
    return MeasureRule(inst.id, inst.name, op, value, f"{inst.name} {op} {value:g}")


def names_instrument(text: str, instrument_id: str, instrument_name: str) -> bool:
    """Whether a linked-measure rule ('PHQ-9 < 10') is about this instrument, by id or name, without
    needing the instrument itself (a report has only the id and name)."""
    match = _RULE.match(text)
    if match is None:
        return False
    wanted = _squash(match["name"])
    return wanted in (_squash(instrument_id), _squash(instrument_name))


def _squash(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


@dataclass(frozen=True)
class ObjectiveSuggestion:
    status: ObjectiveStatus | None  # None: nothing to suggest yet
    met: bool | None
    latest: tuple[date, int] | None
    rule: str
    reason: str


def suggest_objective_status(rule: str | MeasureRule, scores: Sequence[tuple[date, int]],
                             extra: Iterable[Instrument] = ()) -> ObjectiveSuggestion:
    """Suggest a status from the latest score (by date) of the linked instrument."""
    parsed = rule if isinstance(rule, MeasureRule) else parse_measure_rule(rule, extra)
    if not scores:
        return ObjectiveSuggestion(None, None, None, parsed.text, f"no {parsed.name} score yet")
    ordered = sorted(scores, key=lambda s: s[0])
    first, latest = ordered[0], ordered[-1]
    when = latest[0].isoformat()
    if parsed.holds(latest[1]):
        return ObjectiveSuggestion(
            ObjectiveStatus.ACHIEVED, True, latest, parsed.text,
            f"latest {parsed.name} {latest[1]} on {when} meets '{parsed.text}'; confirm it is sustained",
        )
    moved = latest[1] - first[1]
    toward = moved < 0 if parsed.wants_lower else moved > 0
    trend = (f"moving toward the target since {first[0].isoformat()} ({first[1]} → {latest[1]})" if toward
             else "no movement toward the target yet" if len(ordered) > 1 else "first score")
    return ObjectiveSuggestion(
        ObjectiveStatus.IN_PROGRESS, False, latest, parsed.text,
        f"latest {parsed.name} {latest[1]} on {when} does not yet meet '{parsed.text}'; {trend}",
    )
