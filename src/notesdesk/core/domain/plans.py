"""Versioned treatment plans: problems -> goals -> SMART objectives -> interventions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from notesdesk.core.domain.common import new_id, now
from notesdesk.core.domain.notes import Signature

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
    """A review as the flags and lists read it. Reviews recorded before plans were signed are stored
    inside their plan; later ones are SignedReview records, shown here through `with_reviews`."""

    review_date: date
    outcome: ReviewOutcome = ReviewOutcome.CONTINUE
    summary: str = ""
    id: str = field(default_factory=new_id)


class AgreementHow(StrEnum):
    PAPER = "paper"
    VERBAL = "verbal"
    SCREEN = "screen"

    @property
    def label(self) -> str:
        return {"paper": "on paper", "verbal": "verbally", "screen": "in person, on screen"}[self.value]


@dataclass(frozen=True)
class SignedReview:
    """A review of a signed plan version: its own signed, append-only record (like an addendum),
    chained to the version's content hash by `review_of`; the version itself never changes."""

    plan_id: str
    client_id: str
    review_date: date
    outcome: ReviewOutcome
    summary: str
    next_due: date
    review_of: str
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=now)
    signature: Signature | None = None

    @property
    def as_review(self) -> PlanReview:
        return PlanReview(self.review_date, self.outcome, self.summary, self.id)


@dataclass(frozen=True)
class PlanAgreement:
    """The client's agreement to a signed plan version (date and how), recorded after signing. Append
    only: a correction is a newer record that `follows` the content hash of the one it replaces (as an
    addendum follows its note), so the current one is the end of that chain, whatever the clock says."""

    plan_id: str
    client_id: str
    agreed_on: date
    how: AgreementHow
    agreement_of: str
    follows: str = ""  # the content hash of the agreement this one replaces; "" for the first
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=now)
    signature: Signature | None = None


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
    signature: Signature | None = None  # set when the version is activated (or, made before, signed)

    @property
    def is_signed(self) -> bool:
        return self.signature is not None

    @property
    def unsigned_active(self) -> bool:
        """Active but made before plans were signed: shown so, and it can be signed once."""
        return self.status is PlanStatus.ACTIVE and self.signature is None

    def goals(self) -> list[Goal]:
        return [goal for problem in self.problems for goal in problem.goals]

    def objectives(self) -> list[Objective]:
        return [obj for goal in self.goals() for obj in goal.objectives]

    def interventions(self) -> list[Intervention]:
        return [i for obj in self.objectives() for i in obj.interventions]


def with_reviews(plan: TreatmentPlan, records: Iterable[SignedReview]) -> TreatmentPlan:
    """The plan as the flags, lists and reports read it: the reviews stored inside it (recorded before
    plans were signed) followed by its signed review records, the review-due date moved on by the
    newest of them. The stored version is not changed (a review that closes a plan changes only its
    status, which is not part of what was signed)."""
    mine = sorted((r for r in records if r.plan_id == plan.id), key=lambda r: (r.review_date, r.created_at))
    if not mine:
        return plan
    return replace(plan, reviews=(*plan.reviews, *(r.as_review for r in mine)), review_due=mine[-1].next_due)


def plans_with_reviews(plans: Iterable[TreatmentPlan], records: Iterable[SignedReview]
                       ) -> list[TreatmentPlan]:
    """with_reviews for many plans (of one client or of the whole practice), in their order."""
    by_plan: dict[str, list[SignedReview]] = {}
    for record in records:
        by_plan.setdefault(record.plan_id, []).append(record)
    return [with_reviews(plan, by_plan.get(plan.id, ())) for plan in plans]


def current_agreement(plan_id: str, records: Iterable[PlanAgreement]) -> PlanAgreement | None:
    """The current agreement for a plan version: the end of its chain of corrections, if any."""
    mine = [a for a in records if a.plan_id == plan_id]
    current, previous = None, ""
    while (following := next((a for a in mine if a.follows == previous), None)) is not None:
        current = following
        if following.signature is None:
            break
        previous = following.signature.content_hash
        mine.remove(following)
    return current


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
