"""The course of one demo client's care: session dates, how severity moves, the treatment plan's
versions and reviews, and milestones and phases that follow the severity (setbacks included).

Change follows the usual shape: little in the first weeks, first change around weeks 3–4, more
substantial change by weeks 8–12, then consolidation; some clients stay flat, some slip back.
Integration milestones are never reached while the client is still in the first phase of care.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from notesdesk.core.domain.care import (
    PHASE_MODELS,
    MilestoneKind,
    MilestoneStatus,
    PhaseEntry,
    StatusChange,
)
from notesdesk.core.domain.clients import Modality
from notesdesk.core.domain.common import new_id
from notesdesk.core.domain.plans import (
    Goal,
    Intervention,
    Objective,
    ObjectiveStatus,
    PlanReview,
    PlanStatus,
    Problem,
    ReviewOutcome,
    TreatmentPlan,
)
from notesdesk.demo import text as t
from notesdesk.demo.cases import HIGH, LOW, MID, Case
from notesdesk.demo.modalities import usable

REVIEW_DAYS = 90


def at(day: date, clock: time = time(9, 0)) -> datetime:
    return datetime.combine(day, clock, tzinfo=UTC)


# -- schedule and trajectory --------------------------------------------------------------------


def schedule(sessions: int, end: date, rng: random.Random) -> list[date]:
    """Weekly to begin with, more fortnightly gaps later, the odd missed week; one weekday."""
    gaps = []
    for i in range(sessions - 1):
        late = i > 0.6 * sessions
        roll = rng.random()
        gaps.append(14 if roll < (0.35 if late else 0.1) else 21 if roll < (0.4 if late else 0.14) else 7)
    while end.weekday() >= 5:
        end -= timedelta(days=1)
    day = end - timedelta(days=sum(gaps))
    dates = [day]
    for gap in gaps:
        day += timedelta(days=gap)
        dates.append(day)
    return dates


@dataclass(frozen=True)
class Course:
    kind: str  # improving / flat / setback
    severity: tuple[float, ...]
    setback_at: int | None

    def band(self, i: int) -> int:
        s = self.severity[i]
        return HIGH if s > 0.72 else MID if s > 0.42 else LOW

    def stage(self, i: int, week: int) -> str:
        if week < 3:
            return "early"
        if self.setback_at is not None and self.setback_at <= i < self.setback_at + 3:
            return "setback"
        if self.kind in ("flat", "worsening"):
            return self.kind
        if week < 8:
            return "first change"
        return "working" if self.band(i) != LOW else "consolidating"


def course(dates: list[date], slow: bool, rng: random.Random, shape: str | None = None) -> Course:
    """Severity per session (1 = as at intake). Longer treatments, and trauma work, change more
    slowly: the 3–4 and 8–12 week marks are typical, not universal.

    `shape` forces the kind ('flat', or 'worsening': 70 % worse by week 3) for the clients that
    show the practice's alerts; the random draws are the same either way, so other clients and the rest
    of this client's record do not shift."""
    n = len(dates)
    span_weeks = (dates[-1] - dates[0]).days / 7
    centre = 7 + min(12.0, max(0.0, span_weeks - 20) * 0.2) + (3 if slow else 0) + rng.uniform(-1, 2)
    width = 2.5 + centre / 8
    kind = rng.choices(("improving", "flat", "setback"), (70, 14, 16))[0]
    if kind == "setback" and n < 8:
        kind = "improving"
    setback_at = rng.randint(int(0.4 * n), int(0.7 * n)) if kind == "setback" else None
    if shape is not None:
        kind, setback_at = shape, None
    gain = rng.uniform(0.55, 0.88)
    floor = 1 / (1 + math.exp(centre / width))
    values = []
    for i, day in enumerate(dates):
        week = (day - dates[0]).days / 7
        if kind == "flat":
            progress = 0.1 * week / (week + 10)
        elif kind == "worsening":
            progress = -min(1.0, week / 3) * 0.7 / gain  # severity 1.7 from week 3
        else:
            progress = (1 / (1 + math.exp(-(week - centre) / width)) - floor) / (1 - floor)
        if setback_at is not None and setback_at <= i < setback_at + 3:
            progress -= 0.55
        top = 1.8 if kind == "worsening" else 1.1
        values.append(min(top, max(0.05, 1 - gain * progress + rng.gauss(0, 0.04))))
    return Course(kind, tuple(values), setback_at)


# -- treatment plan -------------------------------------------------------------------------------


def _status_for(j: int, severity: float) -> ObjectiveStatus:
    if severity < 0.3 or (severity < 0.45 and j == 0):
        return ObjectiveStatus.ACHIEVED
    if severity < 0.8 or j == 0:
        return ObjectiveStatus.IN_PROGRESS
    return ObjectiveStatus.NOT_STARTED


def _instrument(rule: str) -> str:
    """'PHQ-9 < 10' -> 'PHQ-9'."""
    return rule.split()[0] if rule.strip() else ""


def discharge_criteria(case: Case) -> str:
    """'All objectives met', with the first linked measure's line when an objective has one."""
    rules = [o.measure for g in case.goals for o in g.objectives if o.measure]
    if not rules:
        return "All objectives met"
    name, op, value = rules[0].split()
    return f"All objectives met and {name} {'below' if op == '<' else op} {value} on two occasions"


def first_plan(
    case: Case, client_id: str, words: dict[str, str], modality: Modality, effective: date,
    child: bool, diagnoses: tuple[str, ...], intake_scores: dict[str, int], strengths: str,
    rng: random.Random,
) -> TreatmentPlan:
    """Version 1. Interventions are the objective's techniques that belong to the client's modality,
    labelled with it; an objective linked to a measure starts from the intake score."""
    problems = []
    for spec in case.goals:
        objectives = tuple(
            Objective(
                description=o.description,
                measurable_criterion=o.criterion,
                baseline=(f"{_instrument(o.measure)} {intake_scores[_instrument(o.measure)]}"
                          if _instrument(o.measure) in intake_scores else o.baseline),
                target=o.target,
                target_date=effective + timedelta(weeks=10 + 4 * j),
                linked_measure=o.measure,
                status=_status_for(j, 1.0),
                interventions=tuple(
                    Intervention(tech, modality=modality.value,
                                 frequency=rng.choice(("weekly in session", "every session",
                                                       "in session and daily at home")))
                    for tech in usable(o.techniques, modality)
                ),
            )
            for j, o in enumerate(spec.objectives)
        )
        goal = Goal(t.fill(spec.statement, words, rng), client_words=rng.choice(spec.client_words),
                    agreed_with_client=True, objectives=objectives)
        problems.append(Problem(spec.problem, behavioral_definition=spec.definition, goals=(goal,)))
    return TreatmentPlan(
        client_id=client_id,
        status=PlanStatus.ACTIVE,
        effective_date=effective,
        diagnoses=diagnoses,
        strengths=strengths.removeprefix("Strengths: ").capitalize(),
        service_type="individual with caregiver sessions" if child else "individual",
        session_length_minutes=case.minutes,
        frequency=rng.choice(("weekly", "weekly, then fortnightly")),
        expected_duration=rng.choice(("12–16 sessions", "6 months", "4–6 months", "20 sessions")),
        discharge_criteria=discharge_criteria(case),
        client_agreement_date=effective,
        client_agreement_how=("caregiver and client signed" if child else
                              rng.choice(("signed in session", "agreed verbally, recorded in note"))),
        problems=tuple(problems),
        created_at=at(effective, time(17, 30)),
    )


def _restated(plan: TreatmentPlan, day: date, severity: float, add_step: bool,
              case: Case) -> tuple[Problem, ...]:
    problems = []
    for p_index, problem in enumerate(plan.problems):
        goals = []
        for goal in problem.goals:
            objectives = []
            for j, obj in enumerate(goal.objectives):
                status = _status_for(j, severity)
                target = obj.target_date
                if target and target <= day and status != ObjectiveStatus.ACHIEVED:
                    target = day + timedelta(weeks=8)
                objectives.append(replace(obj, status=status, target_date=target))
            if add_step and p_index == 0 and not any(o.description.startswith("Keep") for o in objectives):
                home = "home programme" if case.metric else "relapse-prevention plan"
                technique = "home programme review" if case.metric else "relapse-prevention planning"
                modality = next((i.modality for g in problem.goals for o in g.objectives
                                 for i in o.interventions if i.modality), "")
                objectives.append(Objective(
                    description=f"Keep the gains: write and rehearse a {home}",
                    measurable_criterion="Written plan reviewed in session",
                    baseline="none", target="plan in place", target_date=day + timedelta(weeks=8),
                    status=ObjectiveStatus.IN_PROGRESS,
                    interventions=(Intervention(technique, modality=modality, frequency="every session"),),
                ))
            goals.append(replace(goal, objectives=tuple(objectives)))
        problems.append(replace(problem, goals=tuple(goals)))
    return tuple(problems)


def plan_versions(
    first: TreatmentPlan, dates: list[date], sev: tuple[float, ...], discharged: bool,
    case: Case, rng: random.Random, reviewed: bool = True,
) -> list[TreatmentPlan]:
    """v1, then a review every 90 days; the first review often revises (a new version). With
    `reviewed=False` no review has been recorded yet (it is overdue), as for the client who shows
    'no reliable improvement by week 12 — review the plan'."""
    assert first.effective_date is not None
    versions = [first]
    due = first.effective_date + timedelta(days=REVIEW_DAYS)
    for i, day in enumerate(dates):
        if day < due or (discharged and i == len(dates) - 1) or not reviewed:
            continue
        current = versions[-1]
        revise = rng.random() < (0.5 if len(versions) == 1 else 0.15)
        if revise:
            summary = "Reviewed with the client: progress on the first objective; plan revised."
            outcome = ReviewOutcome.REVISE
        else:
            summary = f"Reviewed on {day:%d %b %Y}: goals still relevant; continue."
            outcome = ReviewOutcome.CONTINUE
        review = PlanReview(day, outcome, summary)
        due = day + timedelta(days=REVIEW_DAYS)
        versions[-1] = replace(current, reviews=(*current.reviews, review), review_due=due)
        if revise:
            versions[-1] = replace(versions[-1], status=PlanStatus.SUPERSEDED)
            versions.append(replace(
                current, id=new_id(), version=current.version + 1,
                status=PlanStatus.ACTIVE, effective_date=day, review_due=due, reviews=(),
                client_agreement_date=day,
                problems=_restated(current, day, sev[i], sev[i] < 0.6, case),
                created_at=at(day, time(18, 0)),
            ))
    last = versions[-1]
    if last.review_due is None:
        last = replace(last, review_due=first.effective_date + timedelta(days=REVIEW_DAYS))
    if discharged:
        end = dates[-1]
        review = PlanReview(end, ReviewOutcome.CLOSE, "Goals reviewed at discharge; plan closed.")
        last = replace(last, status=PlanStatus.CLOSED, reviews=(*last.reviews, review),
                       problems=_restated(last, end, sev[-1], False, case))
    versions[-1] = last
    return versions


def version_at(versions: list[TreatmentPlan], day: date) -> TreatmentPlan | None:
    live = [v for v in versions if v.effective_date and v.effective_date <= day]
    return live[-1] if live else None


# -- milestones and phases ----------------------------------------------------------------------

FORWARD = {
    MilestoneStatus.EMERGING: ("First signs: used it once without prompting.",
                               "Beginning to show outside sessions."),
    MilestoneStatus.ACHIEVED: ("Criteria met over the last few weeks.",
                               "Criteria met and confirmed in session."),
    MilestoneStatus.SUSTAINED: ("Held for more than a month.", "Sustained through a stressful period."),
}
LEVELS = (MilestoneStatus.PLANNED, MilestoneStatus.EMERGING, MilestoneStatus.ACHIEVED,
          MilestoneStatus.SUSTAINED)


def milestone_history(
    dates: list[date], sev: tuple[float, ...], note_ids: list[str], start: int, rng: random.Random,
    cap: list[int] | None = None,
) -> tuple[tuple[StatusChange, ...], tuple[str, ...]]:
    """Status follows severity with hysteresis; a rise in severity moves it back (a setback).
    `cap[i]`, when given, is the highest level (an index of LEVELS) allowed at session i."""
    emerge, achieve = rng.uniform(0.78, 0.92), rng.uniform(0.42, 0.6)
    sev_here = list(sev)
    if len(sev_here) > start + 8 and rng.random() < 0.25:  # a life event knocks this one back
        hit = rng.randint((len(sev_here) + start) // 2, len(sev_here) - 2)
        sev_here[hit] = sev_here[hit + 1] = max(sev_here[hit], achieve + 0.2)
    history = [StatusChange(dates[start], MilestoneStatus.PLANNED, "created")]
    evidence: list[str] = []
    level, achieved_since = 0, None
    for i in range(start + 1, len(dates)):
        s = sev_here[i]
        want = 2 if s < achieve else 1 if s < emerge else 0
        if want == 2 and level >= 2 and achieved_since is not None and i - achieved_since >= 6:
            want = 3
        if want >= level:
            new = max(level, want)
        else:
            new = want if s > (achieve if level >= 2 else emerge) + 0.12 else level
        if cap is not None:
            new = min(new, cap[i])
        if new == level:
            continue
        status = LEVELS[new]
        comment = rng.choice(FORWARD[status]) if new > level else rng.choice(t.SETBACKS)
        history.append(StatusChange(dates[i], status, comment))
        evidence.append(note_ids[i])
        if new >= 2 and level < 2:
            achieved_since = i
        level = new
    return tuple(history), tuple(evidence)


def milestone_kinds(
    case: Case, at_risk: bool, rng: random.Random
) -> list[tuple[MilestoneKind, str, str, str]]:
    """(kind, dimension, title, criteria) for the client's milestones."""
    if case.custom_milestones:
        return [(MilestoneKind.CUSTOM, "", title, criteria) for title, criteria in case.custom_milestones]
    safety = ["physical", "emotional", "social", "relational"]
    integration = ["cognitive", "emotional", "behavioural"]
    if not (case.trauma or case.risk > 0.5):
        safety = rng.sample(safety, rng.randint(1, 2))
        integration = rng.sample(integration, rng.randint(1, 2))
    chosen = []
    for kind, dims in ((MilestoneKind.SAFETY, safety), (MilestoneKind.INTEGRATION, integration)):
        for dim in dims:
            options = t.MILESTONES[(kind.value, dim)]
            if kind == MilestoneKind.SAFETY and dim == "physical" and not at_risk:
                options = options[:1]  # "no self-harm" criteria only where there is a risk
            if not case.trauma:
                options = tuple(o for o in options if o[0] not in t.TRAUMA_MILESTONES) or options
            title, criteria = rng.choice(options)
            chosen.append((kind, dim, title, criteria))
    return chosen


PHASES = PHASE_MODELS["trauma"]  # safety and stabilisation, processing, integration
STEPS = PHASE_MODELS["preparation"]  # preparation, active work, integration


def phase_model(case: Case) -> tuple[str, ...]:
    """Trauma work in Herman's three phases; other talking therapies with safety and integration
    milestones in preparation, active work and integration; speech and physical therapy in none."""
    if case.trauma:
        return PHASES
    return () if case.custom_milestones else STEPS


def _trauma_step(current: int, severity: float, week: float) -> tuple[int, str] | None:
    if current == 0 and severity < 0.7 and week >= 6:
        return 1, "Stable enough to begin processing; window of tolerance wider."
    if current == 1 and severity > 0.85:
        return 0, "Back to stabilisation after a crisis; processing paused."
    if current == 1 and severity < 0.4:
        return 2, "Memory processed; moving to reconnection and integration."
    return None


def _work_step(current: int, severity: float, week: float) -> tuple[int, str] | None:
    if current == 0 and week >= 1:
        return 1, "Formulation shared and goals agreed; starting the active work."
    if current == 1 and severity < 0.4 and week >= 8:
        return 2, "Gains holding; consolidating and planning for the ending."
    if current == 2 and severity > 0.75:
        return 1, "Back to active work after a setback."
    return None


def phase_history(client_id: str, dates: list[date], sev: tuple[float, ...],
                  model: tuple[str, ...] = PHASES) -> list[PhaseEntry]:
    """Work in phases, non-linear: trauma work goes back to stabilisation when distress climbs
    again, other work back from integration to active work after a setback."""
    if not model:
        return []
    first = ("Starting with safety and stabilisation." if model == PHASES
             else "Assessment, formulation and agreeing goals.")
    entries = [PhaseEntry(client_id, model[0], dates[0], comment=first, created_at=at(dates[0], time(18, 0)))]
    step = _trauma_step if model == PHASES else _work_step
    current = 0
    for i, day in enumerate(dates[1:], start=1):
        change = step(current, sev[i], (day - dates[0]).days / 7)
        if change is None:
            continue
        current, comment = change
        entries.append(PhaseEntry(client_id, model[current], day, comment=comment,
                                  created_at=at(day, time(18, 0))))
    return entries


def phase_on(entries: list[PhaseEntry], day: date) -> str:
    live = [e.phase for e in entries if e.started_on <= day]
    return live[-1] if live else ""
