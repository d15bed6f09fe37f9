"""The risk loop: risk recorded by the clinician in signed notes, and the safety plan it calls for.

A note's risk is its `RiskAssessment` (a level with the factors and the plan), never its free text, and
only signed notes count: a draft is work in progress, and opening one must neither raise nor clear a
flag. A critical questionnaire item endorsed (PHQ-9 item 9 at 1 or more) or a signed note at a flagged
level is a *risk event*; after the latest event of the current episode, the client needs a safety plan
on file, reviewed on or after that day. Rules and sources: rules/alerts.json (`risk_recorded`,
`safety_plan_review`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from notesdesk.core.domain.care import SafetyPlan
from notesdesk.core.domain.notes import RiskLevel, SessionNote
from notesdesk.core.measures.alert_rules import alert_rules
from notesdesk.core.measures.model import Flag, FlagKind


@dataclass(frozen=True)
class RiskEvent:
    """Something that calls for the safety plan: when, and in words (no client text)."""

    on: date
    what: str


def flagged_levels() -> frozenset[RiskLevel]:
    return frozenset(RiskLevel(level) for level in alert_rules().risk_recorded.levels)


def _assessed(notes: Iterable[SessionNote]) -> list[SessionNote]:
    """Signed notes that record a risk level, oldest session first."""
    found = [n for n in notes if n.is_signed and n.risk is not None]
    return sorted(found, key=lambda n: (n.session_date, n.created_at))


def recorded_risk_flag(notes: Iterable[SessionNote]) -> Flag | None:
    """The latest signed note that records a level decides: a flagged level raises the flag, a later
    signed note at a lower level clears it. Notes without a level (and every draft) are not read."""
    assessed = _assessed(notes)
    if not assessed:
        return None
    latest = assessed[-1]
    assert latest.risk is not None
    level = latest.risk.level
    if level not in flagged_levels():
        return None
    rule = alert_rules().risk_recorded
    return Flag(
        FlagKind.RISK_RECORDED,
        f"Risk recorded as {level.value} in the signed note of {latest.session_date.isoformat()}: see its "
        "risk factors and plan.",
        f"The latest signed note recording a risk level decides; flagged levels: {', '.join(rule.levels)}",
        rule.source,
    )


def risk_events(notes: Iterable[SessionNote], item_flags: Iterable[tuple[date, str, Flag]]
                ) -> list[RiskEvent]:
    """Signed notes at a flagged level, and critical items endorsed (`item_flags`: the day, the
    instrument's name and each flag its answers raised), oldest first."""
    levels = flagged_levels()
    events = [RiskEvent(n.session_date, f"risk recorded as {n.risk.level.value}")
              for n in _assessed(notes) if n.risk is not None and n.risk.level in levels]
    events += [RiskEvent(on, f"{name} item {flag.item} endorsed" if flag.item else f"{name} risk item "
                         "endorsed") for on, name, flag in item_flags if flag.kind is FlagKind.RISK]
    return sorted(events, key=lambda e: e.on)


def safety_plan_flag(events: Sequence[RiskEvent], plans: Iterable[SafetyPlan]) -> Flag | None:
    """No plan on file, or the current version last reviewed before the latest risk event. A review on
    the day of the event counts: the plan is often reviewed in the same session."""
    if not events:
        return None
    latest = max(events, key=lambda e: e.on)
    current = max(plans, key=lambda p: p.version, default=None)
    rule, when = alert_rules().safety_plan_review, latest.on.isoformat()
    if current is None:
        return Flag(FlagKind.NO_SAFETY_PLAN,
                    f"No safety plan on file after {latest.what} on {when}: write one with the client.",
                    "A risk event in this episode calls for a safety plan on file", rule.source)
    reviewed = current.last_reviewed
    if reviewed is not None and reviewed >= latest.on:
        return None
    before = f"last reviewed {reviewed.isoformat()}" if reviewed else "never marked as reviewed"
    return Flag(FlagKind.SAFETY_PLAN_NOT_REVIEWED,
                f"Safety plan not reviewed since {latest.what} on {when} ({before}): review it with the "
                "client and mark it reviewed.",
                "The safety plan must be reviewed on or after the latest risk event of this episode",
                rule.source)


def risk_loop_flags(notes: Sequence[SessionNote], item_flags: Sequence[tuple[date, str, Flag]],
                    plans: Sequence[SafetyPlan]) -> list[Flag]:
    """Pure: the recorded-risk flag and the safety-plan flag for one client's current episode."""
    found = [recorded_risk_flag(notes), safety_plan_flag(risk_events(notes, item_flags), plans)]
    return [f for f in found if f is not None]
