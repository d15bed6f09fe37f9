"""Homework, milestones, phases of care and safety plans."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from notesdesk.core.domain.common import new_id, now


class CheckinStatus(StrEnum):
    DONE = "done"
    PARTIAL = "partial"
    NOT_DONE = "not done"
    DROPPED = "dropped"


class Recurrence(StrEnum):
    ONCE = "once"
    DAILY = "daily"
    WEEKLY = "weekly"


@dataclass(frozen=True)
class Checkin:
    checkin_date: date
    status: CheckinStatus
    client_report: str = ""
    note_id: str | None = None
    id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class Homework:
    client_id: str
    description: str
    assigned_on: date
    id: str = field(default_factory=new_id)
    rationale: str = ""
    goal_id: str | None = None
    objective_id: str | None = None
    assigned_in_note: str | None = None
    due_date: date | None = None
    recurrence: Recurrence = Recurrence.ONCE
    active: bool = True
    checkins: tuple[Checkin, ...] = ()
    created_at: datetime = field(default_factory=now)


class MilestoneKind(StrEnum):
    SAFETY = "safety"
    INTEGRATION = "integration"
    CUSTOM = "custom"


class MilestoneStatus(StrEnum):
    PLANNED = "planned"
    EMERGING = "emerging"
    ACHIEVED = "achieved"
    SUSTAINED = "sustained"


DIMENSIONS: dict[MilestoneKind, tuple[str, ...]] = {
    MilestoneKind.SAFETY: ("physical", "emotional", "social", "relational"),
    MilestoneKind.INTEGRATION: ("cognitive", "emotional", "behavioural"),
    MilestoneKind.CUSTOM: (),
}


@dataclass(frozen=True)
class StatusChange:
    changed_on: date
    status: MilestoneStatus
    comment: str = ""


@dataclass(frozen=True)
class Milestone:
    """Status may move back as well as forward: setbacks are real and are recorded, not hidden."""

    client_id: str
    kind: MilestoneKind
    title: str
    id: str = field(default_factory=new_id)
    dimension: str = ""
    custom_kind: str = ""
    criteria: str = ""
    status: MilestoneStatus = MilestoneStatus.PLANNED
    history: tuple[StatusChange, ...] = ()
    evidence_note_ids: tuple[str, ...] = ()
    created_at: datetime = field(default_factory=now)

    @property
    def achieved_on(self) -> date | None:
        reached = (MilestoneStatus.ACHIEVED, MilestoneStatus.SUSTAINED)
        dates = [c.changed_on for c in self.history if c.status in reached]
        return min(dates) if dates else None

    @property
    def status_since(self) -> date | None:
        """When the milestone took its current status: the first entry of the latest unbroken run of
        that status in the history (a later entry repeating it, say with a comment, does not move it)."""
        since = None
        for change in reversed(self.history):
            if change.status != self.status:
                break
            since = change.changed_on
        return since


PHASE_MODELS: dict[str, tuple[str, ...]] = {
    "trauma": ("safety and stabilisation", "processing", "integration"),
    "preparation": ("preparation", "active work", "integration"),
}


@dataclass(frozen=True)
class PhaseEntry:
    """One entry in a client's phase history; the latest by date is the current phase."""

    client_id: str
    phase: str
    started_on: date
    id: str = field(default_factory=new_id)
    comment: str = ""
    created_at: datetime = field(default_factory=now)


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str = ""
    note: str = ""


@dataclass(frozen=True)
class SafetyPlan:
    """Our own wording of the published components of a safety plan (not the Stanley-Brown form)."""

    client_id: str
    id: str = field(default_factory=new_id)
    version: int = 1
    warning_signs: tuple[str, ...] = ()
    coping_strategies: tuple[str, ...] = ()
    distractions: tuple[str, ...] = ()
    people_to_ask: tuple[Contact, ...] = ()
    professionals: tuple[Contact, ...] = ()
    crisis_lines: tuple[Contact, ...] = ()
    safe_environment: tuple[str, ...] = ()
    reason_for_living: str = ""
    last_reviewed: date | None = None
    created_at: datetime = field(default_factory=now)


SAFETY_PLAN_SECTIONS: tuple[tuple[str, str], ...] = (
    ("warning_signs", "Warning signs that a crisis may be building"),
    ("coping_strategies", "Things I can do on my own to cope"),
    ("distractions", "People and places that take my mind off things"),
    ("people_to_ask", "People I can ask for help"),
    ("professionals", "Professionals and crisis lines"),
    ("safe_environment", "Making my surroundings safer"),
    ("reason_for_living", "The thing most worth living for"),
)


@dataclass(frozen=True)
class MeasureAdministration:
    """Raw answers as given; None marks an unanswered item (never counted as 0)."""

    client_id: str
    instrument: str
    administered_on: date
    answers: tuple[int | None, ...]
    id: str = field(default_factory=new_id)
    episode_id: str | None = None
    note_id: str | None = None
    comment: str = ""
    created_at: datetime = field(default_factory=now)
    functional: int | None = None  # the unscored "how difficult" answer, when the instrument asks it
