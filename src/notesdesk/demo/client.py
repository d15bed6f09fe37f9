"""One demo client's whole record, planned in memory before anything is written: the client and
episode, notes (with what to sign and which addenda follow), plan versions, homework with
check-ins, measures, milestones, phases, safety plans and psychotherapy notes.

The record hangs together: plan interventions, session techniques and homework belong to the
client's modality; the intake's working diagnosis is the plan's first; contacts' names agree with
their relation; integration milestones are reached only once the client is past the first phase."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from notesdesk.core.domain.care import (
    Checkin,
    CheckinStatus,
    Contact,
    Homework,
    MeasureAdministration,
    Milestone,
    MilestoneKind,
    PhaseEntry,
    Recurrence,
    SafetyPlan,
)
from notesdesk.core.domain.clients import Client, ClientStatus, Episode, Modality
from notesdesk.core.domain.common import new_id
from notesdesk.core.domain.notes import (
    FORMAT_SECTIONS,
    AddendumKind,
    NoteFormat,
    PrivateNote,
    RiskAssessment,
    RiskLevel,
    Section,
    SessionNote,
    SessionType,
)
from notesdesk.core.domain.plans import ObjectiveStatus, TreatmentPlan
from notesdesk.demo import course as dc
from notesdesk.demo import names as dn
from notesdesk.demo import text as t
from notesdesk.demo import text_body as tb
from notesdesk.demo.cases import HIGH, Case
from notesdesk.demo.compose import (
    Visit,
    check_sections,
    checkin_report,
    discharge_sections,
    intake_sections,
    session_sections,
)
from notesdesk.demo.modalities import usable

AUTHOR_KINDS = [kind for kind in AddendumKind if kind is not AddendumKind.CO_SIGNATURE]
"""A demo practice has one clinician: no supervisor co-signs (and the demo's draws stay the same)."""

ITEMS = {"PHQ-9": 9, "GAD-7": 7, "PCL-5": 20}
TOP = {"PHQ-9": 3, "GAD-7": 3, "PCL-5": 4}  # the highest answer of each item
NOTE_FORMATS = (NoteFormat.SOAP, NoteFormat.DAP, NoteFormat.BIRP, NoteFormat.GIRP)
PHASE_TECHNIQUES = {
    # each phase has techniques of both trauma modalities (trauma-focused CBT and somatic work)
    "trauma": (("grounding", "window of tolerance psychoeducation", "resourcing",
                "pendulation and titration"),
               ("trauma narrative", "cognitive processing of stuck points", "imagery rehearsal",
                "grounding", "pendulation and titration", "completing defensive responses"),
               ("graded in-vivo exposure", "cognitive processing of stuck points", "resourcing",
                "grounding")),
    "child trauma": (("psychoeducation about trauma", "parenting skills", "relaxation skills",
                      "affect modulation", "cognitive coping"),
                     ("trauma narrative", "relaxation skills", "conjoint caregiver session"),
                     ("in-vivo mastery", "conjoint caregiver session", "enhancing safety")),
}


@dataclass
class PlannedNote:
    note: SessionNote
    signed_at: datetime | None
    addenda: list[tuple[AddendumKind, str, datetime]] = field(default_factory=list)


@dataclass
class ClientRecord:
    client: Client
    episode: Episode
    notes: list[PlannedNote] = field(default_factory=list)
    plans: list[TreatmentPlan] = field(default_factory=list)
    homework: list[Homework] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    phases: list[PhaseEntry] = field(default_factory=list)
    safety_plans: list[SafetyPlan] = field(default_factory=list)
    measures: list[MeasureAdministration] = field(default_factory=list)
    private_notes: list[PrivateNote] = field(default_factory=list)


def answers_for(total: int, items: int, item9: int, rng: random.Random, top: int = 3) -> tuple[int, ...]:
    """Item answers 0–`top` adding up to `total` (PHQ-9 item 9 fixed to `item9`)."""
    values = [0] * items
    if items == 9:
        values[8] = item9
    free = [i for i in range(items) if not (items == 9 and i == 8)]
    remaining = min(total - sum(values), top * len(free))
    while remaining > 0:
        i = rng.choice(free)
        if values[i] < top:
            values[i] += 1
            remaining -= 1
    return tuple(values)


def _risk(text: str, intake: bool) -> RiskAssessment | None:
    """The level a session's risk text records; an adult intake without risk records a negative screen
    (level none), which raises no flag."""
    level, factors, plan = t.RISK_LEVELS.get(text) or (t.RISK_NONE if intake else (None, "", ""))
    return RiskAssessment(RiskLevel(level), factors, plan) if level else None


def _client(person: dn.Person, case: Case, status: ClientStatus, dates: list[date], today: date,
            modality: Modality, rng: random.Random) -> tuple[Client, int]:
    """The client, and their age at intake."""
    span_years = (today - dates[0]).days // 365
    low, high = case.ages
    age = rng.randint(low + span_years, max(high, low + span_years))
    child = age - span_years < 16
    nick = dn.NICKNAMES.get(person.given) if rng.random() < 0.6 else None
    # a child's contact is the caregiver who brings them (the children's case is about the father)
    relation = rng.choice(("mother", "grandmother")) if child else rng.choice(dn.RELATIONS)
    client = Client(
        name=person.name,
        preferred_name=f"{nick} {person.family}" if nick else "",
        pronouns=person.pronouns,
        date_of_birth=date(today.year - age, rng.randint(1, 12), rng.randint(1, 28)),
        phone=dn.phone(rng),
        email="" if child else dn.email(person, rng),
        address=dn.address(rng),
        emergency_contact=f"{dn.relative(relation, rng)} ({relation}) {dn.phone(rng)}",
        referral=rng.choice(case.referrals),
        presenting_concerns=case.concern,
        modality=modality,
        status=status,
        intake_date=dates[0],
        discharge_date=dates[-1] if status == ClientStatus.DISCHARGED else None,
        created_at=dc.at(dates[0], time(8, 30)),
    )
    return client, age - span_years


def _safety_plan(client_id: str, day: date, version: int, therapist: str, rng: random.Random,
                 previous: SafetyPlan | None = None) -> SafetyPlan:
    if previous is not None:
        extra = rng.choice([c for c in t.SAFETY_COPING if c not in previous.coping_strategies])
        return SafetyPlan(
            client_id, version=version, warning_signs=previous.warning_signs,
            coping_strategies=(*previous.coping_strategies, extra), distractions=previous.distractions,
            people_to_ask=previous.people_to_ask, professionals=previous.professionals,
            crisis_lines=previous.crisis_lines, safe_environment=previous.safe_environment,
            reason_for_living=previous.reason_for_living, last_reviewed=day,
            created_at=dc.at(day, time(18, 15)),
        )
    return SafetyPlan(
        client_id,
        version=version,
        warning_signs=tuple(t.pick(rng, t.SAFETY_WARNING, 3)),
        coping_strategies=tuple(t.pick(rng, t.SAFETY_COPING, 3)),
        distractions=(f"Call {dn.contact_person(rng)} for a chat", *t.pick(rng, t.SAFETY_PLACES, 2)),
        people_to_ask=tuple(Contact(dn.relative(rel, rng), dn.phone(rng), rel)
                            for rel in t.pick(rng, dn.RELATIONS, 2)),
        professionals=(Contact(therapist, dn.phone(rng), "weekdays 9–5"),
                       Contact("Riverside Urgent Care (fictional)", dn.phone(rng), "24 hours")),
        crisis_lines=(Contact("988 Suicide & Crisis Lifeline", "988", "call or text, 24/7"),),
        safe_environment=tuple(t.pick(rng, t.SAFETY_MEANS, rng.randint(1, 2))),
        reason_for_living=rng.choice(t.SAFETY_REASONS),
        last_reviewed=day,
        created_at=dc.at(day, time(18, 15)),
    )


def plan_client(person: dn.Person, case: Case, sessions: int, status: ClientStatus, drafts: int,
                today: date, ceiling: datetime, therapist: str, rng: random.Random,
                shape: str | None = None) -> ClientRecord:
    """One client's whole record. `shape` ('worsening' or 'flat') forces the course for the clients who
    show the practice's alerts; a 'flat' client's plan review is still outstanding."""
    words = person.words
    modality_kind = rng.choice(case.modalities)
    modality = modality_kind.value
    own_techniques = usable(case.techniques, modality_kind)
    diagnoses = tuple(case.diagnoses[: rng.choice((1, 1, 2))])
    end_offset = {ClientStatus.ACTIVE: (1, 6), ClientStatus.ON_HOLD: (21, 80),
                  ClientStatus.DISCHARGED: (10, 420)}[status]
    dates = dc.schedule(sessions, today - timedelta(days=rng.randint(*end_offset)), rng)
    n, discharged = len(dates), status == ClientStatus.DISCHARGED
    client, age = _client(person, case, status, dates, today, modality_kind, rng)
    child = age < 16
    strengths = rng.choice(tb.STRENGTHS_CHILD if child else t.STRENGTHS)  # in the intake and the plan
    cid = client.id
    episode = Episode(cid, dates[0], closed_on=dates[-1] if discharged else None,
                      reason="discharged" if discharged else "")
    rec = ClientRecord(client, episode)
    crs = dc.course(dates, case.trauma, rng, shape)
    sev = crs.severity
    note_ids = [new_id() for _ in dates]
    instruments = case.measures if age >= 12 else ()
    baselines = {i: rng.randint(*case.baselines[i]) for i in instruments}
    if n >= 2:
        first = dc.first_plan(case, cid, words, modality_kind, dates[1], child, diagnoses, baselines,
                              strengths, rng)
        rec.plans = dc.plan_versions(first, dates, sev, discharged, case, rng, reviewed=shape != "flat")
    model = dc.phase_model(case)
    rec.phases = dc.phase_history(cid, dates, sev, model)
    has_safety = rng.random() < case.risk

    # measures: primary every 4th session, the second instrument every 8th, both at the ends
    scores: dict[int, list[tuple[str, int, int]]] = {}
    raised = {i for i in range(n) if has_safety and crs.band(i) == HIGH and rng.random() < 0.35}
    if has_safety and rng.random() < 0.7:
        raised.add(0)
    for i, day in enumerate(dates):
        ends = i == 0 or (discharged and i == n - 1)
        for rank, instrument in enumerate(instruments):
            if not (ends or i % (4 if rank == 0 else 8) == 0):
                continue
            base, items = baselines[instrument], ITEMS[instrument]
            total = base if i == 0 else round(base * sev[i] + rng.gauss(0, 1.2))
            total = max(0, min(TOP[instrument] * items, total))
            item9 = 1 if i in raised and instrument == "PHQ-9" else 0
            answers = answers_for(max(total, item9), items, item9, rng, TOP[instrument])
            rec.measures.append(MeasureAdministration(
                cid, instrument, day, answers, episode_id=episode.id, note_id=note_ids[i],
                created_at=dc.at(day, time(8, 50)),
            ))
            scores.setdefault(i, []).append((instrument, sum(answers), base))

    # homework, assigned in a session and checked in at the following ones
    adherence = rng.choice((0.85, 0.65, 0.4))
    assigned: dict[int, list[Homework]] = {}
    reviewed: dict[int, list[tuple[Homework, CheckinStatus]]] = {}
    last_assignable = n - 1 if discharged else n
    busy: dict[str, int] = {}  # task -> last session it is checked in at (no duplicates running)
    for i in range(1, last_assignable):
        if rng.random() >= (0.55 if i < 0.7 * n else 0.3):
            continue
        phase = dc.phase_on(rec.phases, dates[i])
        current = model.index(phase) if phase else -1
        options = [h for h in case.homework if h.phase in (-1, current) and busy.get(h.description, 0) < i
                   and (not h.modalities or modality_kind in h.modalities)]
        if not options:
            continue
        spec = rng.choice(options)
        plan = dc.version_at(rec.plans, dates[i])
        goal = rng.choice(plan.goals()) if plan else None
        objective = rng.choice(goal.objectives) if goal else None
        checks = []
        for j in range(i + 1, min(n, i + 1 + (1 if spec.recurrence == "once" else rng.randint(1, 3)))):
            likely = min(0.95, adherence + 0.12 * (1 - sev[j]))
            roll = rng.random()
            if spec.recurrence != "once" and roll > 0.97:
                state = CheckinStatus.DROPPED
            elif roll < likely:
                state = CheckinStatus.DONE
            else:
                state = CheckinStatus.PARTIAL if rng.random() < 0.5 else CheckinStatus.NOT_DONE
            checks.append(Checkin(dates[j], state, checkin_report(state, rng), note_ids[j]))
            if state == CheckinStatus.DROPPED:
                break
        busy[spec.description] = dates.index(checks[-1].checkin_date) if checks else n
        dropped = any(c.status == CheckinStatus.DROPPED for c in checks)
        recurring = spec.recurrence != "once"
        homework = Homework(
            cid, spec.description, dates[i], rationale=spec.rationale,
            goal_id=goal.id if goal else None, objective_id=objective.id if objective else None,
            assigned_in_note=note_ids[i],
            due_date=None if recurring else (dates[i + 1] if i + 1 < n else dates[i] + timedelta(7)),
            recurrence=Recurrence(spec.recurrence),
            active=not discharged and not dropped and (not checks or (recurring and i >= n - 4)),
            checkins=tuple(checks),
            created_at=dc.at(dates[i], time(18, 0)),
        )
        rec.homework.append(homework)
        assigned.setdefault(i, []).append(homework)
        for check in checks:
            reviewed.setdefault(dates.index(check.checkin_date), []).append((homework, check.status))

    # the notes themselves
    main_format = rng.choices(NOTE_FORMATS, (60, 0, 0, 40) if case.metric else (35, 25, 20, 20))[0]
    slot = time(rng.randint(8, 17), rng.choice((0, 0, 30)))
    first_signed = n - drafts
    for i, day in enumerate(dates):
        week = (day - dates[0]).days // 7
        plan = dc.version_at(rec.plans, day)
        objectives = [o for o in (plan.objectives() if plan else []) if
                      o.status != ObjectiveStatus.ACHIEVED] or (plan.objectives() if plan else [])
        objective = rng.choice(objectives) if objectives else None
        goal = next((g for g in plan.goals() if objective in g.objectives), None) if plan else None
        phase = dc.phase_on(rec.phases, day)
        if case.key in PHASE_TECHNIQUES and phase:
            pool = usable(PHASE_TECHNIQUES[case.key][model.index(phase)], modality_kind)
        else:
            linked = [iv.technique for iv in objective.interventions] if objective else []
            pool = list(dict.fromkeys(linked)) or list(own_techniques)
            pool += [k for k in own_techniques if k not in pool][: rng.randint(0, 2)]
        techniques = tuple(rng.sample(pool, min(len(pool), rng.randint(1, 3))))
        visit = Visit(
            i, day, week, sev[i], crs.band(i), crs.stage(i, week), techniques,
            goal=goal.statement if goal else "", client_words=goal.client_words if goal else "",
            objective=objective.description if objective else "", scores=scores.get(i, []),
            reviewed=[(h.description, s) for h, s in reviewed.get(i, [])],
            assigned=[h.description for h in assigned.get(i, [])], risk_raised=i in raised,
            child=child,
            risk_text=(t.RISK_INTAKE if i == 0 else rng.choice(t.RISK_RAISED)) if i in raised else "",
            plan_review=any(r.review_date == day for p in rec.plans for r in p.reviews),
            next_gap=((dates[i + 1] - day).days // 7) if i + 1 < n else 1,
        )
        maintenance = None
        minutes = 80 if i == 0 else case.minutes
        session_type = SessionType.INTAKE if i == 0 else SessionType.INDIVIDUAL
        if i == 0:
            fmt = NoteFormat.INTAKE
            texts = intake_sections(case, words, client.referral, visit.scores, i in raised,
                                    modality, diagnoses[0], age, strengths, rng)
        elif discharged and i == n - 1:
            fmt = NoteFormat.DISCHARGE
            achieved = [o.description for o in rec.plans[-1].objectives()
                        if o.status == ObjectiveStatus.ACHIEVED] if rec.plans else []
            used = [iv.technique for iv in rec.plans[-1].interventions()] if rec.plans else []
            texts, maintenance = discharge_sections(case, words, n, dates[0], day, visit.scores,
                                                    achieved, modality, child,
                                                    list(dict.fromkeys(used)) or own_techniques, rng)
        else:
            fmt = main_format if rng.random() < 0.9 else rng.choice(NOTE_FORMATS)
            texts = session_sections(fmt, case, visit, words, rng)
            if "conjoint caregiver session" in techniques:
                session_type = SessionType.FAMILY
            elif not case.metric and rng.random() < 0.15:
                session_type = SessionType.TELEHEALTH
        if i == n - 1 and i >= first_signed and rng.random() < 0.4:
            texts[FORMAT_SECTIONS[fmt][-1][0]] = ""  # an unfinished draft
        check_sections(fmt, texts)
        start = dc.at(day, slot)
        end = start + timedelta(minutes=minutes)
        note = SessionNote(
            cid, day, fmt,
            tuple(Section(key, title, texts.get(key, "")) for key, title in FORMAT_SECTIONS[fmt]),
            id=note_ids[i], episode_id=episode.id, session_type=session_type,
            start_time=start.time(), end_time=end.time(),
            objectives_addressed=(objective.id,) if objective and i > 0 else (),
            interventions=techniques if i > 0 else (),
            homework_reviewed=tuple(h.id for h, _ in reviewed.get(i, [])),
            homework_assigned=tuple(h.id for h in assigned.get(i, [])),
            risk=_risk(visit.risk_text, i == 0 and not child and not case.metric),
            maintenance_plan=maintenance,
            created_at=start, updated_at=end + timedelta(minutes=rng.randint(5, 40)),
        )
        signed_at = None
        if i < first_signed:
            delay = timedelta(minutes=rng.randint(15, 180))
            if rng.random() < 0.12:
                delay = timedelta(hours=rng.randint(14, 40))
            signed_at = min(note.updated_at + delay, ceiling - timedelta(minutes=1))
        planned = PlannedNote(note, signed_at)
        if signed_at is not None and rng.random() < 0.015:
            when = signed_at
            for _ in range(1 if rng.random() < 0.85 else 2):
                kind = rng.choice(AUTHOR_KINDS)
                # strictly later each time: verification orders a note's addenda by created_at
                when += timedelta(days=rng.randint(1, 5), minutes=rng.randint(1, 600))
                if when < ceiling:
                    text = t.fill(rng.choice(t.ADDENDA[kind.value]), words, rng)
                    planned.addenda.append((kind, text, when))
        rec.notes.append(planned)
        if i > 0 and not case.metric and rng.random() < case.private + 0.02:
            text = " ".join(t.fill(p, words, rng) for p in t.pick(rng, t.PRIVATE, rng.randint(1, 2)))
            when = end + timedelta(minutes=20)
            rec.private_notes.append(PrivateNote(cid, day, text, created_at=when, updated_at=when))

    # milestones, following severity; safety plans for clients at risk
    start_index = 1 if n > 1 else 0
    # no integration milestone is reached while the client is still in the first phase of care
    first_phase = [bool(model) and dc.phase_on(rec.phases, day) == model[0] for day in dates]
    integration_cap = [1 if early else len(dc.LEVELS) - 1 for early in first_phase]
    for milestone_kind, dimension, title, criteria in dc.milestone_kinds(case, has_safety, rng):
        cap = integration_cap if milestone_kind == MilestoneKind.INTEGRATION else None
        history, evidence = dc.milestone_history(dates, sev, note_ids, start_index, rng, cap)
        rec.milestones.append(Milestone(
            cid, milestone_kind, title, dimension=dimension,
            custom_kind="functional" if milestone_kind == MilestoneKind.CUSTOM else "", criteria=criteria,
            status=history[-1].status, history=history, evidence_note_ids=evidence,
            created_at=dc.at(dates[start_index], time(18, 5)),
        ))
    if has_safety:
        rec.safety_plans.append(_safety_plan(cid, dates[0], 1, therapist, rng))
        if n >= 10 and rng.random() < 0.6:
            later = crs.setback_at or rng.randint(n // 3, n - 1)
            rec.safety_plans.append(
                _safety_plan(cid, dates[later], 2, therapist, rng, rec.safety_plans[0])
            )
    return rec
