"""What the overview tab shows, gathered from the services as plain data (Qt-free)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from notesdesk.core.domain.care import MilestoneStatus
from notesdesk.core.domain.plans import Goal, ObjectiveStatus, PlanStatus
from notesdesk.core.services import care, plans
from notesdesk.core.storage.uow import UnitOfWork

REACHED = (MilestoneStatus.ACHIEVED, MilestoneStatus.SUSTAINED)


@dataclass(frozen=True)
class GoalLine:
    statement: str
    client_words: str
    status: str


@dataclass(frozen=True)
class MilestoneLine:
    kind: str
    dimension: str
    title: str
    reached_on: date | None
    status: str


@dataclass(frozen=True)
class OverviewData:
    phase: str | None
    phase_since: date | None
    plan_label: str
    goals: tuple[GoalLine, ...]
    adherence: float | None
    checkins: int
    overdue: int
    milestones_reached: tuple[MilestoneLine, ...]
    milestones_total: int
    next_review: date | None
    review_overdue: bool
    safety_plan: str


def goal_status(goal: Goal) -> str:
    """A goal's status from its objectives: 'achieved', 'in progress (1 of 3 objectives achieved)'..."""
    statuses = [o.status for o in goal.objectives]
    if not statuses:
        return "no objectives yet"
    achieved = sum(s == ObjectiveStatus.ACHIEVED for s in statuses)
    if achieved == len(statuses):
        return "achieved"
    if all(s == ObjectiveStatus.DISCONTINUED for s in statuses):
        return "discontinued"
    if all(s == ObjectiveStatus.NOT_STARTED for s in statuses):
        return "not started"
    return f"in progress ({achieved} of {len(statuses)} objectives achieved)"


def safety_plan_label(version: int | None, reviewed: date | None) -> str:
    if version is None:
        return "None yet"
    when = reviewed.isoformat() if reviewed else "an unknown date"
    return f"Version {version}, reviewed on {when}"


def load_overview(uow: Callable[[], UnitOfWork], client_id: str, on: date) -> OverviewData:
    """One service call per part, each with its own unit of work (never nested)."""
    phases = care.phase_history(uow(), client_id)
    current = phases[-1] if phases else None
    versions = plans.plan_versions(uow(), client_id)
    active = next((p for p in reversed(versions) if p.status == PlanStatus.ACTIVE), None)
    shown = active or (versions[-1] if versions else None)
    if shown is None:
        plan_label = "No treatment plan yet"
    elif active is not None:
        since = active.effective_date.isoformat() if active.effective_date else "—"
        plan_label = f"Version {active.version}, active since {since}"
    else:
        plan_label = f"Version {shown.version} ({shown.status.value}, not active)"
    goals = tuple(
        GoalLine(g.statement, g.client_words, goal_status(g)) for g in (shown.goals() if shown else [])
    )
    homework = care.list_homework(uow(), client_id)
    start = on - timedelta(days=care.ADHERENCE_WINDOW_DAYS)
    checkins = sum(1 for h in homework for c in h.checkins if start < c.checkin_date <= on)
    milestones = care.list_milestones(uow(), client_id)
    reached = tuple(
        MilestoneLine(m.kind.value, m.dimension, m.title, m.achieved_on, m.status.value)
        for m in milestones
        if m.status in REACHED
    )
    safety = care.safety_plan_versions(uow(), client_id)
    latest = safety[-1] if safety else None
    next_review = active.review_due if active else None
    return OverviewData(
        phase=current.phase if current else None,
        phase_since=current.started_on if current else None,
        plan_label=plan_label,
        goals=goals,
        adherence=care.adherence(homework, on),
        checkins=checkins,
        overdue=len(care.overdue(homework, on)),
        milestones_reached=reached,
        milestones_total=len(milestones),
        next_review=next_review,
        review_overdue=next_review is not None and next_review < on,
        safety_plan=safety_plan_label(
            latest.version if latest else None, latest.last_reviewed if latest else None
        ),
    )
