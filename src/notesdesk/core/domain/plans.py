"""Versioned treatment plans: problems -> goals -> SMART objectives -> interventions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from notesdesk.core.domain.common import new_id, now

REVIEW_INTERVAL_DAYS = 90


class PlanStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    SUPERSEDED = "superseded"
    CLOSED = "closed"


class ObjectiveStatus(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    ACHIEVED = "achieved"
    PARTIALLY_ACHIEVED = "partially achieved"
    DISCONTINUED = "discontinued"


class ReviewOutcome(StrEnum):
    CONTINUE = "continue"
    REVISE = "revise"
    CLOSE = "close"


@dataclass(frozen=True)
class Intervention:
    technique: str
    id: str = field(default_factory=new_id)
    modality: str = ""
    frequency: str = ""


@dataclass(frozen=True)
class Objective:
    """A SMART objective. `linked_measure` is a rule such as 'PHQ-9 < 10'."""

    description: str
    id: str = field(default_factory=new_id)
    measurable_criterion: str = ""
    baseline: str = ""
    target: str = ""
    target_date: date | None = None
    linked_measure: str = ""
    status: ObjectiveStatus = ObjectiveStatus.NOT_STARTED
    interventions: tuple[Intervention, ...] = ()


@dataclass(frozen=True)
class Goal:
    statement: str
    id: str = field(default_factory=new_id)
    client_words: str = ""
    agreed_with_client: bool = False
    objectives: tuple[Objective, ...] = ()


@dataclass(frozen=True)
class Problem:
    title: str
    id: str = field(default_factory=new_id)
    behavioral_definition: str = ""
    goals: tuple[Goal, ...] = ()


@dataclass(frozen=True)
class PlanReview:
    review_date: date
    outcome: ReviewOutcome = ReviewOutcome.CONTINUE
    summary: str = ""
    id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class TreatmentPlan:
    client_id: str
    id: str = field(default_factory=new_id)
    version: int = 1
    status: PlanStatus = PlanStatus.DRAFT
    effective_date: date | None = None
    review_due: date | None = None
    diagnoses: tuple[str, ...] = ()
    strengths: str = ""
    service_type: str = ""
    session_length_minutes: int | None = None
    frequency: str = ""
    expected_duration: str = ""
    discharge_criteria: str = ""
    client_agreement_date: date | None = None
    client_agreement_how: str = ""
    problems: tuple[Problem, ...] = ()
    reviews: tuple[PlanReview, ...] = ()
    created_at: datetime = field(default_factory=now)

    def goals(self) -> list[Goal]:
        return [goal for problem in self.problems for goal in problem.goals]

    def objectives(self) -> list[Objective]:
        return [obj for goal in self.goals() for obj in goal.objectives]

    def interventions(self) -> list[Intervention]:
        return [i for obj in self.objectives() for i in obj.interventions]


SESSION_MINUTES = range(1, 601)  # the plan form's spin box allows up to 600 minutes too


def default_review_due(effective: date) -> date:
    return effective + timedelta(days=REVIEW_INTERVAL_DAYS)


def missing_required_fields(plan: TreatmentPlan) -> list[str]:
    """Fields Medicare (NGS, LCD L33632) expects before a plan is used: type, amount, frequency,
    duration, diagnoses, goals with target dates (docs/clinical-sources.md)."""
    missing = []
    if not plan.service_type.strip():
        missing.append("type of service (individual, group...)")
    if not plan.session_length_minutes:
        missing.append("session length")
    if not plan.frequency.strip():
        missing.append("frequency")
    if not plan.expected_duration.strip():
        missing.append("expected duration")
    if not plan.diagnoses:
        missing.append("diagnoses")
    if not plan.goals():
        missing.append("at least one goal")
    if any(obj.target_date is None for obj in plan.objectives()):
        missing.append("a target date for every objective")
    return missing
