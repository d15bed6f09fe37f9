"""When the app speaks up about measures: the alert rules as validated data with their sources.

The numbers and timetables live in `rules/alerts.json`, each beside the `source` that justifies it (or
that says it is our own default), and are checked on load as strictly as an instrument file: a typo in a
week count would silently move every alert. Thresholds that belong to one instrument (reliable change,
caseness, minimal change) stay in that instrument's file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from notesdesk.core.measures.fields import Checker, InstrumentInvalid

SCHEMA_VERSION = 1
RULES_FILE = "alerts.json"


class RulesInvalid(InstrumentInvalid):
    """The alert rules file failed validation; `problems` names each field."""


@dataclass(frozen=True)
class Rule:
    """One rule's settings, with the source shown beside every flag it raises."""

    source: str


@dataclass(frozen=True)
class Deterioration(Rule):
    when: str


@dataclass(frozen=True)
class Checkpoint(Rule):
    weeks: int
    sessions: int | None = None


@dataclass(frozen=True)
class JointRecovery(Rule):
    instruments: tuple[str, ...]


@dataclass(frozen=True)
class AllianceDecline(Rule):
    checks: int


@dataclass(frozen=True)
class HomeworkPartial(Rule):
    credit: float


@dataclass(frozen=True)
class RiskRecorded(Rule):
    levels: tuple[str, ...]


@dataclass(frozen=True)
class PlanActivation(Rule):
    medicare_fields_countries: tuple[str, ...]


@dataclass(frozen=True)
class AlertRules:
    deterioration: Deterioration
    early_change: Checkpoint
    reliable_improvement: Checkpoint
    elevated_only: Rule
    joint_recovery: JointRecovery
    alliance_decline: AllianceDecline
    homework_partial: HomeworkPartial
    risk_recorded: RiskRecorded
    safety_plan_review: Rule
    plan_activation: PlanActivation


_SECTIONS = {
    "deterioration": {"when", "source"},
    "early_change": {"weeks", "sessions", "source"},
    "reliable_improvement": {"weeks", "source"},
    "elevated_only": {"source"},
    "joint_recovery": {"instruments", "source"},
    "alliance_decline": {"checks", "source"},
    "homework_partial": {"credit", "source"},
    "risk_recorded": {"levels", "source"},
    "safety_plan_review": {"source"},
    "plan_activation": {"medicare_fields_countries", "source"},
}
RISK_LEVELS = ("none", "low", "moderate", "high")


def parse_rules(data: Any, source: str = RULES_FILE) -> AlertRules:
    """Validate the rules file; raise RulesInvalid naming every offending field."""
    c = Checker()
    top = c.obj(data, "(top level)", {"schema_version", *_SECTIONS})
    if top is None:
        raise RulesInvalid(source, c.problems)
    if top.get("schema_version") != SCHEMA_VERSION:
        c.fail("schema_version", f"must be {SCHEMA_VERSION}")
    d: dict[str, dict[str, Any]] = {}
    for name, keys in _SECTIONS.items():
        found = c.obj(top.get(name), name, keys) if name in top else None
        if name not in top:
            c.fail(name, "is missing")
        d[name] = found or {}
        # Every rule cites its source or says it is our own choice: no unexplained number.
        c.text(d[name], "source", name)
    early_weeks = c.integer(d["early_change"], "weeks", "early_change", lo=1, hi=52)
    early_sessions = c.integer(d["early_change"], "sessions", "early_change", lo=1, hi=52)
    late_weeks = c.integer(d["reliable_improvement"], "weeks", "reliable_improvement", lo=1, hi=104)
    if early_weeks is not None and late_weeks is not None and late_weeks <= early_weeks:
        c.fail("reliable_improvement.weeks", "must be later than early_change.weeks")
    instruments = c.items(d["joint_recovery"], "instruments", "joint_recovery")
    if instruments and (len(instruments) < 2 or not all(isinstance(i, str) and i for i in instruments)):
        c.fail("joint_recovery.instruments", "must name at least two instrument ids")
    checks = c.integer(d["alliance_decline"], "checks", "alliance_decline", lo=3, hi=20)
    credit = c.number(d["homework_partial"], "credit", "homework_partial", lo=0, hi=1, lo_open=True)
    when = c.text(d["deterioration"], "when", "deterioration")
    levels = c.items(d["risk_recorded"], "levels", "risk_recorded")
    if levels and not all(level in RISK_LEVELS for level in levels):
        c.fail("risk_recorded.levels", f"must be among {', '.join(RISK_LEVELS)}")
    countries = c.items(d["plan_activation"], "medicare_fields_countries", "plan_activation", required=False)
    if not all(isinstance(code, str) and len(code) == 2 and code.isupper() for code in countries):
        c.fail("plan_activation.medicare_fields_countries", "must be two-letter country codes, e.g. US")
    if c.problems:
        raise RulesInvalid(source, c.problems)
    assert early_weeks and early_sessions and late_weeks and checks and credit and when  # for type checkers
    src = {name: str(d[name]["source"]).strip() for name in _SECTIONS}
    return AlertRules(
        deterioration=Deterioration(src["deterioration"], when),
        early_change=Checkpoint(src["early_change"], early_weeks, early_sessions),
        reliable_improvement=Checkpoint(src["reliable_improvement"], late_weeks),
        elevated_only=Rule(src["elevated_only"]),
        joint_recovery=JointRecovery(src["joint_recovery"], tuple(instruments)),
        alliance_decline=AllianceDecline(src["alliance_decline"], checks),
        homework_partial=HomeworkPartial(src["homework_partial"], credit),
        risk_recorded=RiskRecorded(src["risk_recorded"], tuple(levels)),
        safety_plan_review=Rule(src["safety_plan_review"]),
        plan_activation=PlanActivation(src["plan_activation"], tuple(countries)),
    )


@cache
def alert_rules() -> AlertRules:
    """The shipped rules, validated once per process."""
    entry = resources.files(__package__).joinpath("rules", RULES_FILE)
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RulesInvalid(RULES_FILE, [f"is not valid JSON (line {exc.lineno}: {exc.msg})"]) from None
    return parse_rules(data)
