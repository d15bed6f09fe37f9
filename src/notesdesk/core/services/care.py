"""Homework and check-ins, milestones, phases of care, safety plans and raw measure answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from notesdesk.core.domain.care import (
    DIMENSIONS,
    Checkin,
    CheckinStatus,
    Homework,
    MeasureAdministration,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    PhaseEntry,
    Recurrence,
    SafetyPlan,
    StatusChange,
)
from notesdesk.core.domain.common import new_id, now, today
from notesdesk.core.errors import Conflict, InvalidInput
from notesdesk.core.measures.alert_rules import alert_rules
from notesdesk.core.storage.uow import UnitOfWork

ADHERENCE_WINDOW_DAYS = 28


# -- homework ------------------------------------------------------------------------------------


def _check_due(homework: Homework) -> None:
    if homework.due_date is not None and homework.due_date < homework.assigned_on:
        raise InvalidInput("The due date is before the day the homework was assigned.")


def add_homework(uow: UnitOfWork, homework: Homework) -> Homework:
    if not homework.description.strip():
        raise InvalidInput("Homework needs a description.")
    _check_due(homework)
    with uow:
        uow.clients.get(homework.client_id)
        uow.homework.add(homework)
        uow.commit()
    return homework


def update_homework(uow: UnitOfWork, edited: Homework) -> Homework:
    """Change what the homework asks (description, rationale, goal and objective, due date, recurrence)
    and whether it is still active. Everything else — client, assignment date and note, check-ins — is
    kept as stored, so an edit never loses a check-in recorded meanwhile. Audited as an edit."""
    if not edited.description.strip():
        raise InvalidInput("Homework needs a description.")
    with uow:
        stored = uow.homework.get(edited.id)
        homework = replace(
            stored,
            description=edited.description.strip(),
            rationale=edited.rationale.strip(),
            goal_id=edited.goal_id,
            objective_id=edited.objective_id,
            due_date=edited.due_date,
            recurrence=edited.recurrence,
            active=edited.active,
        )
        _check_due(homework)
        if homework != stored:
            uow.homework.replace(homework)
            uow.commit()
    return homework


def link_homework(uow: UnitOfWork, homework_id: str, note_id: str | None) -> Homework:
    """Record the homework as assigned in a session note of the same client (None: in no note).

    A draft note's "homework assigned" list follows in the same transaction. A signed note is read-only:
    homework can be linked to it only if the note lists it already; homework assigned in a signed note
    can be re-assigned in another note (the signed one keeps its record) but not linked to none."""
    with uow:
        homework = uow.homework.get(homework_id)
        current = uow.notes.find(homework.assigned_in_note) if homework.assigned_in_note else None
        if note_id == homework.assigned_in_note and (note_id is None or current is not None):
            return homework
        if current is not None and current.is_signed:
            if note_id is None and homework.id in current.homework_assigned:
                raise Conflict("This homework was assigned in a signed note, which cannot be changed.")
        elif current is not None:
            kept = tuple(i for i in current.homework_assigned if i != homework.id)
            uow.notes.replace(replace(current, homework_assigned=kept, updated_at=now()))
        if note_id is not None:
            note = uow.notes.get(note_id)
            if note.client_id != homework.client_id:
                raise InvalidInput("That session note belongs to another client.")
            if note.is_signed and homework.id not in note.homework_assigned:
                raise Conflict("That note is signed and locked; homework cannot be added to it.")
            if not note.is_signed and homework.id not in note.homework_assigned:
                ticked = (*note.homework_assigned, homework.id)
                uow.notes.replace(replace(note, homework_assigned=ticked, updated_at=now()))
        homework = replace(homework, assigned_in_note=note_id)
        uow.homework.replace(homework)
        uow.commit()
    return homework


def check_in(
    uow: UnitOfWork,
    homework_id: str,
    status: CheckinStatus,
    on: date | None = None,
    client_report: str = "",
    note_id: str | None = None,
) -> Homework:
    with uow:
        homework = uow.homework.get(homework_id)
        checkin = Checkin(on or today(), status, client_report, note_id)
        homework = replace(
            homework,
            checkins=(*homework.checkins, checkin),
            active=homework.active and status != CheckinStatus.DROPPED,
        )
        uow.homework.replace(homework)
        uow.commit()
    return homework


def list_homework(uow: UnitOfWork, client_id: str) -> list[Homework]:
    with uow:
        found = uow.homework.where(client_id=client_id)
    return sorted(found, key=lambda h: h.assigned_on, reverse=True)


def _window(homework: list[Homework], end: date | None, days: int) -> list[CheckinStatus]:
    end = end or today()
    start = end - timedelta(days=days)
    return [c.status for h in homework for c in h.checkins if start < c.checkin_date <= end]


def adherence(
    homework: list[Homework], end: date | None = None, days: int = ADHERENCE_WINDOW_DAYS
) -> float | None:
    """Share of check-ins done over the window (None when there were no check-ins); a 'partial' check-in
    earns partial credit (rules/alerts.json, 'homework_partial', with why)."""
    statuses = _window(homework, end, days)
    if not statuses:
        return None
    credit = alert_rules().homework_partial.credit
    done = sum(1.0 if s == CheckinStatus.DONE else credit if s == CheckinStatus.PARTIAL else 0.0
               for s in statuses)
    return done / len(statuses)


def checkin_counts(
    homework: list[Homework], end: date | None = None, days: int = ADHERENCE_WINDOW_DAYS
) -> dict[CheckinStatus, int]:
    """How many check-ins of each status over the window, in the order of CheckinStatus (zeros left out)."""
    statuses = _window(homework, end, days)
    return {s: statuses.count(s) for s in CheckinStatus if s in statuses}


def counts_text(counts: dict[CheckinStatus, int]) -> str:
    """'2 done, 1 partial': what the adherence share is made of, so a partial is never read as done."""
    return ", ".join(f"{n} {status.value}" for status, n in counts.items())


def adherence_rule() -> str:
    """How the share is counted, in words, for beside the share."""
    credit = alert_rules().homework_partial.credit
    return f"a partial check-in counts as {credit:g} of a done one"


def overdue(homework: list[Homework], on: date | None = None) -> list[Homework]:
    """Active homework that needs following up: a one-off task past its due date with no check-in,
    or a recurring practice with no check-in for two weeks."""
    on = on or today()
    stale = timedelta(days=14)
    found = []
    for h in homework:
        if not h.active:
            continue
        if h.recurrence == Recurrence.ONCE:
            if h.due_date is not None and h.due_date < on and not h.checkins:
                found.append(h)
        else:
            last = max((c.checkin_date for c in h.checkins), default=h.assigned_on)
            if on - last > stale:
                found.append(h)
    return found


# -- milestones and phases ----------------------------------------------------------------------


def add_milestone(uow: UnitOfWork, milestone: Milestone) -> Milestone:
    allowed = DIMENSIONS[milestone.kind]
    if milestone.kind != MilestoneKind.CUSTOM and milestone.dimension not in allowed:
        raise InvalidInput(
            f"A {milestone.kind.value} milestone's dimension is one of: {', '.join(allowed)}."
        )
    if not milestone.title.strip():
        raise InvalidInput("A milestone needs a title.")
    start = StatusChange(today(), milestone.status, "created")
    milestone = replace(milestone, history=milestone.history or (start,))
    with uow:
        uow.clients.get(milestone.client_id)
        uow.milestones.add(milestone)
        uow.commit()
    return milestone


def set_milestone_status(
    uow: UnitOfWork,
    milestone_id: str,
    status: MilestoneStatus,
    on: date | None = None,
    comment: str = "",
    evidence_note_id: str | None = None,
) -> Milestone:
    """Any move is allowed, back as well as forward: setbacks are recorded, not hidden."""
    with uow:
        milestone = uow.milestones.get(milestone_id)
        evidence = milestone.evidence_note_ids
        if evidence_note_id:
            uow.notes.get(evidence_note_id)
            evidence = (*evidence, evidence_note_id)
        milestone = replace(
            milestone,
            status=status,
            history=(*milestone.history, StatusChange(on or today(), status, comment)),
            evidence_note_ids=evidence,
        )
        uow.milestones.replace(milestone)
        uow.commit()
    return milestone


def list_milestones(uow: UnitOfWork, client_id: str) -> list[Milestone]:
    with uow:
        found = uow.milestones.where(client_id=client_id)
    return sorted(found, key=lambda m: (m.kind.value, m.dimension, m.created_at))


def set_phase(uow: UnitOfWork, entry: PhaseEntry) -> PhaseEntry:
    if not entry.phase.strip():
        raise InvalidInput("Name the phase of care.")
    with uow:
        uow.clients.get(entry.client_id)
        uow.phases.add(entry)
        uow.commit()
    return entry


def phase_history(uow: UnitOfWork, client_id: str) -> list[PhaseEntry]:
    with uow:
        found = uow.phases.where(client_id=client_id)
    return sorted(found, key=lambda p: (p.started_on, p.created_at))


# -- safety plans --------------------------------------------------------------------------------


def save_safety_plan(
    uow: UnitOfWork, plan: SafetyPlan, *, reviewed_today_if_unset: bool = True
) -> SafetyPlan:
    """Every save is a new version; earlier versions stay readable. A plan without a review date is
    recorded as reviewed today unless `reviewed_today_if_unset=False` (the app, where the clinician says
    whether and when it was reviewed with the client: an edit is not a review)."""
    with uow:
        uow.clients.get(plan.client_id)
        versions = uow.safety_plans.where(client_id=plan.client_id)
        version = max((p.version for p in versions), default=0) + 1
        reviewed = plan.last_reviewed or (today() if reviewed_today_if_unset else None)
        plan = replace(plan, version=version, last_reviewed=reviewed)
        if any(p.id == plan.id for p in versions):
            plan = replace(plan, id=new_id())
        uow.safety_plans.add(plan)
        uow.commit()
    return plan


def mark_safety_plan_reviewed(uow: UnitOfWork, client_id: str, on: date | None = None) -> SafetyPlan:
    """Record that the current safety plan was reviewed with the client on `on` (today by default): a new
    version with the same content and that review date, so the earlier review stays on record. This is
    what answers the 'safety plan not reviewed' flag (measures.risk_loop)."""
    on = on or today()
    if on > today():
        raise InvalidInput("A review cannot be dated in the future.")
    with uow:
        uow.clients.get(client_id)
        versions = uow.safety_plans.where(client_id=client_id)
        if not versions:
            raise InvalidInput("There is no safety plan to mark as reviewed; write one with the client "
                               "first.")
        current = max(versions, key=lambda p: p.version)
        if current.last_reviewed is not None and on < current.last_reviewed:
            raise InvalidInput(f"The plan was already reviewed on {current.last_reviewed.isoformat()}; a "
                               "review cannot be dated before it.")
        reviewed = replace(current, id=new_id(), version=current.version + 1, last_reviewed=on,
                           created_at=now())
        uow.safety_plans.add(reviewed)
        uow.commit()
    return reviewed


def safety_plan_versions(uow: UnitOfWork, client_id: str) -> list[SafetyPlan]:
    with uow:
        found = uow.safety_plans.where(client_id=client_id)
    return sorted(found, key=lambda p: p.version)


# -- measures (raw answers; scoring lives in core.measures) ---------------------------------------


def add_measure(uow: UnitOfWork, administration: MeasureAdministration) -> MeasureAdministration:
    with uow:
        uow.clients.get(administration.client_id)
        if administration.episode_id is None:
            # The episode that covered the day it was given (a back-dated entry goes to its own).
            day = administration.administered_on
            covering = [
                e
                for e in uow.episodes.where(client_id=administration.client_id)
                if e.opened_on <= day and (e.closed_on is None or day <= e.closed_on)
            ]
            episode = max(covering, key=lambda e: e.opened_on, default=None)
            administration = replace(administration, episode_id=episode.id if episode else None)
        uow.measures.add(administration)
        uow.commit()
    return administration


def list_measures(uow: UnitOfWork, client_id: str) -> list[MeasureAdministration]:
    with uow:
        found = uow.measures.where(client_id=client_id)
    return sorted(found, key=lambda m: (m.administered_on, m.created_at))
