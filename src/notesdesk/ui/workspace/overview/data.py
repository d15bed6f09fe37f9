"""What the overview tab shows, gathered from the services as plain data (Qt-free)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from notesdesk.core.domain.care import Milestone, MilestoneStatus
from notesdesk.core.domain.names import name_words
from notesdesk.core.domain.plans import Goal, ObjectiveStatus, PlanStatus
from notesdesk.core.services import care, clients, measures, notes, plans
from notesdesk.core.services.overview import (
    SAFETY_PLAN_KINDS,
    UNSIGNED_AFTER_DAYS,
    late_drafts,
    unsigned_notes,
)

if TYPE_CHECKING:  # a type in signatures only: the composition roots open the vault (docs/architecture.md)
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
    status: str
    since: date | None  # when it took its current status
    first_reached: date | None  # when it was first achieved or sustained

    @classmethod
    def of(cls, m: Milestone) -> MilestoneLine:
        return cls(m.kind.value, m.dimension, m.title, m.status.value, m.status_since, m.achieved_on)

    def status_text(self) -> str:
        """'sustained since 2026-09-18 (first reached 2026-06-12)', 'achieved on 2026-08-07'."""
        if self.since is None:
            return self.status
        word = "on" if self.status == MilestoneStatus.ACHIEVED.value else "since"
        text = f"{self.status} {word} {self.since.isoformat()}"
        if self.first_reached is not None and self.first_reached != self.since:
            text += f" (first reached {self.first_reached.isoformat()})"
        return text


@dataclass(frozen=True)
class ClientHeader:
    """Who the client is, at the top of the overview."""

    name: str
    preferred_name: str = ""
    initials: str = ""
    age: int | None = None
    pronouns: str = ""
    phone: str = ""
    emergency_contact: str = ""


def age_on(born: date | None, on: date) -> int | None:
    if born is None or born > on:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass(frozen=True)
class OverviewData:
    phase: str | None
    phase_since: date | None
    plan_label: str
    goals: tuple[GoalLine, ...]
    adherence: float | None
    checkins: int
    checkin_counts: str  # '2 done, 1 partial' over the same 4 weeks
    overdue: int
    milestones_reached: tuple[MilestoneLine, ...]
    milestones_total: int
    next_review: date | None
    review_overdue: bool
    safety_plan: str
    drafts: tuple[date, ...] = ()  # session dates of the unsigned notes, oldest first
    late_drafts: int = 0  # of those, how many are UNSIGNED_AFTER_DAYS or more past their session
    name_words: tuple[str, ...] = ()  # the client's names, masked in privacy mode
    notes_total: int = 0  # session notes, signed or not
    header: ClientHeader | None = None
    safety_flags: tuple[str, ...] = ()  # the risk loop: no safety plan, or not reviewed since a risk event
    agreement: str = ""  # the active plan's: "Agreed with the client on … (on paper)", or not yet


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


def drafts_text(drafts: tuple[date, ...], late: int, on: date, total: int | None = None) -> str:
    """What the overview says about unsigned notes (plain text; the tab adds the emphasis). With no
    notes at all there is nothing to call signed."""
    if not drafts and total == 0:
        return "No session notes yet"
    if not drafts:
        return "Every session note is signed"
    count = "1 note is" if len(drafts) == 1 else f"{len(drafts)} notes are"
    oldest = drafts[0]
    days = (on - oldest).days
    ago = "today" if days == 0 else ("1 day ago" if days == 1 else f"{days} days ago")
    if days < 0:
        ago = "a future date"
    text = f"{count} not signed yet; the oldest is for the session of {oldest.isoformat()} ({ago})"
    if late:
        text += f". Flagged once a draft is {UNSIGNED_AFTER_DAYS} days past its session"
    return text


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
        if active.unsigned_active:
            plan_label += " (made before plans were signed)"
    else:
        plan_label = f"Version {shown.version} ({shown.status.value}, not active)"
    goals = tuple(
        GoalLine(g.statement, g.client_words, goal_status(g)) for g in (shown.goals() if shown else [])
    )
    homework = care.list_homework(uow(), client_id)
    start = on - timedelta(days=care.ADHERENCE_WINDOW_DAYS)
    checkins = sum(1 for h in homework for c in h.checkins if start < c.checkin_date <= on)
    milestones = care.list_milestones(uow(), client_id)
    reached = tuple(MilestoneLine.of(m) for m in milestones if m.status in REACHED)
    unsigned = unsigned_notes(uow(), client_id)
    client = clients.get_client(uow(), client_id, audit_view=False)
    safety = care.safety_plan_versions(uow(), client_id)
    latest = safety[-1] if safety else None
    loop = measures.client_measure_flags(uow(), [client_id], on)[client_id]
    next_review = active.review_due if active else None
    agreement = plans.agreement_line(active, plans.agreement_of(uow(), active)) if active else ""
    return OverviewData(
        phase=current.phase if current else None,
        phase_since=current.started_on if current else None,
        plan_label=plan_label,
        goals=goals,
        adherence=care.adherence(homework, on),
        checkins=checkins,
        checkin_counts=care.counts_text(care.checkin_counts(homework, on)),
        overdue=len(care.overdue(homework, on)),
        milestones_reached=reached,
        milestones_total=len(milestones),
        next_review=next_review,
        review_overdue=next_review is not None and next_review < on,
        safety_plan=safety_plan_label(
            latest.version if latest else None, latest.last_reviewed if latest else None
        ),
        drafts=tuple(n.session_date for n in unsigned),
        late_drafts=len(late_drafts(unsigned, on)),
        name_words=name_words(client),
        notes_total=notes.count_notes(uow(), client_id),
        header=ClientHeader(client.name, client.preferred_name, client.initials,
                            age_on(client.date_of_birth, on), client.pronouns, client.phone,
                            client.emergency_contact),
        safety_flags=tuple(f.message for f in loop if f.kind in SAFETY_PLAN_KINDS),
        agreement=agreement,
    )
