"""A small synthetic practice for the report tests (helpers only; no tests in this module)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, time
from typing import Any

from pypdf import PdfReader

from notesdesk.core.domain.care import (
    Checkin,
    CheckinStatus,
    Contact,
    Homework,
    MeasureAdministration,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    PhaseEntry,
    Recurrence,
    SafetyPlan,
)
from notesdesk.core.domain.clients import Client, Modality
from notesdesk.core.domain.notes import (
    AddendumKind,
    MaintenancePlan,
    NoteFormat,
    PrivateNote,
    SessionNote,
    SessionType,
)
from notesdesk.core.domain.plans import (
    Goal,
    Intervention,
    Objective,
    ObjectiveStatus,
    Problem,
    ReviewOutcome,
    TreatmentPlan,
)
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.domain.summaries import MeasureRow, MeasureScale, MeasureSection
from notesdesk.core.services import care, clients, notes, plans
from notesdesk.core.storage.vault import Vault

NAME = "Łukasz Wiśniewski"
PRIVATE_TEXT = "PSYNOTE-zebra-quartz process note"
DIAGNOSIS = "F41.1 Generalised anxiety disorder"
CLIENT_WORDS = "I want to stop dreading Mondays"
ADDENDUM_TEXT = "Late entry: client phoned to confirm the exposure plan."
PROFILE = PractitionerProfile(
    name="Dr. Zoë Ó Briain",
    credentials="PhD, Clinical Psychologist",
    contact="12 Harbour St, Cork · 021 555 0100",
    locale="US",
)


@dataclass(frozen=True)
class Practice:
    vault: Vault
    client_id: str
    bare_id: str


def _note(
    client_id: str, day: date, text: str, fmt: NoteFormat = NoteFormat.SOAP, **kw: Any
) -> SessionNote:
    keys = (
        {
            "subjective": text,
            "objective": "Calm, engaged.",
            "assessment": "Improving.",
            "plan": "Continue weekly.",
        }
        if fmt == NoteFormat.SOAP
        else {
            "summary": text,
            "progress": "Goals met.",
            "reason": "Planned ending.",
            "recommendations": "Keep practising.",
        }
    )
    return SessionNote(
        client_id=client_id,
        session_date=day,
        format=fmt,
        sections=notes.build_sections(fmt, keys),
        start_time=time(16, 0),
        end_time=time(16, 50),
        **kw,
    )


def build_practice(vault: Vault, sessions: int = 6, sign: bool = True) -> Practice:
    vault.save_profile(PROFILE)
    uow = vault.unit_of_work
    client = clients.add_client(
        uow(),
        Client(
            name=NAME,
            pronouns="he/him",
            date_of_birth=date(1990, 4, 2),
            modality=Modality.CBT,
            presenting_concerns="Worry most days; avoids meetings.",
            referral="GP",
            intake_date=date(2026, 1, 5),
        ),
    )
    cid = client.id
    objective = Objective(
        "Attend the weekly team meeting",
        measurable_criterion="self-report",
        target_date=date(2026, 6, 1),
        status=ObjectiveStatus.IN_PROGRESS,
        interventions=(Intervention("graded exposure", modality="CBT"),),
    )
    plan = plans.save_plan(
        uow(),
        TreatmentPlan(
            client_id=cid,
            diagnoses=(DIAGNOSIS,),
            service_type="individual",
            session_length_minutes=50,
            frequency="weekly",
            expected_duration="16 weeks",
            problems=(
                Problem(
                    "Worry", goals=(Goal("Reduce worry", client_words=CLIENT_WORDS, objectives=(objective,)),)
                ),
            ),
        ),
    )
    plans.activate_plan(uow(), plan.id, date(2026, 1, 12))
    plans.record_review(uow(), cid, date(2026, 3, 2), ReviewOutcome.CONTINUE, "Goals still relevant.")
    first_signed = None
    for i in range(sessions):
        day = date(2026, 1, 5 + 7 * i) if i < 4 else date(2026, 2, 2 + 7 * (i - 4))
        note = notes.create_note(
            uow(),
            _note(
                cid,
                day,
                f"Session {i + 1} report.",
                session_type=SessionType.TELEHEALTH if i % 3 else SessionType.INDIVIDUAL,
                risk_noted="Passive thoughts, no plan." if i == 1 else "",
            ),
        )
        if sign:
            notes.sign_note(uow(), note.id)
            first_signed = first_signed or note.id
    discharge = notes.create_note(
        uow(),
        _note(
            cid,
            date(2026, 4, 20),
            "Treatment summary text.",
            NoteFormat.DISCHARGE,
            maintenance_plan=MaintenancePlan(
                what_changed="Goes to meetings again.",
                skills_to_practise=("Worry time at 6 pm",),
                early_warning_signs=("Skipping meetings",),
                what_to_do="Restart worry time.",
                when_to_return="If it lasts two weeks.",
            ),
        ),
    )
    if sign:
        notes.sign_note(uow(), discharge.id)
    if first_signed:
        notes.add_addendum(uow(), first_signed, AddendumKind.LATE_ENTRY, ADDENDUM_TEXT)
    notes.add_private_note(uow(), PrivateNote(client_id=cid, note_date=date(2026, 1, 12), text=PRIVATE_TEXT))
    care.add_homework(
        uow(),
        Homework(
            client_id=cid,
            description="Worry time, 15 minutes",
            assigned_on=date(2026, 1, 5),
            recurrence=Recurrence.DAILY,
            rationale="Contain the worry.",
            checkins=(
                Checkin(date(2026, 1, 12), CheckinStatus.DONE),
                Checkin(date(2026, 1, 19), CheckinStatus.PARTIAL),
            ),
        ),
    )
    care.add_homework(
        uow(),
        Homework(
            client_id=cid,
            description="Book the dentist",
            assigned_on=date(2026, 1, 5),
            due_date=date(2026, 1, 9),
        ),
    )
    milestone = care.add_milestone(
        uow(),
        Milestone(
            client_id=cid, kind=MilestoneKind.SAFETY, dimension="emotional", title="Names the worry out loud"
        ),
    )
    care.set_milestone_status(uow(), milestone.id, MilestoneStatus.ACHIEVED, on=date(2026, 2, 9))
    care.set_phase(uow(), PhaseEntry(client_id=cid, phase="active work", started_on=date(2026, 1, 12)))
    care.save_safety_plan(
        uow(),
        SafetyPlan(
            client_id=cid,
            warning_signs=("Not sleeping",),
            coping_strategies=("Walk the dog",),
            people_to_ask=(Contact("Ania", "555-0100", "sister"),),
            professionals=(Contact(PROFILE.name, "555-0101"),),
            safe_environment=("Pills kept by Ania",),
            reason_for_living="My daughter",
        ),
    )
    for day, answers in (
        (date(2026, 1, 5), (2, 2, 2, 2, 2, 2, 1, 1, 0)),
        (date(2026, 3, 2), (1, 1, 1, 1, 0, 0, 0, 0, 0)),
    ):
        care.add_measure(
            uow(),
            MeasureAdministration(client_id=cid, instrument="PHQ-9", administered_on=day, answers=answers),
        )
    bare = clients.add_client(uow(), Client(name="Ann <Smith> & Co"))
    return Practice(vault, cid, bare.id)


def phq_scorer(administrations: Sequence[MeasureAdministration]) -> MeasureSection:
    """A stand-in for the measures module: sums, PHQ-9 bands, a change label."""
    bands = (
        (0, 4, "minimal"),
        (5, 9, "mild"),
        (10, 14, "moderate"),
        (15, 19, "moderately severe"),
        (20, 27, "severe"),
    )
    rows = []
    for i, m in enumerate(administrations):
        total = sum(a for a in m.answers if a is not None)
        band = next(label for lo, hi, label in bands if lo <= total <= hi)
        rows.append(
            MeasureRow(
                m.administered_on, m.instrument, total, band, "baseline" if i == 0 else "reliable improvement"
            )
        )
    return MeasureSection(tuple(rows), (MeasureScale("PHQ-9", 0, 27, bands),))


def pdf_text(data: bytes, password: str | None = None) -> str:
    reader = PdfReader(io.BytesIO(data))
    if password is not None:
        reader.decrypt(password)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def flat(text: str) -> str:
    """Extracted text with line breaks folded to spaces (wrapped lines join up again)."""
    return " ".join(text.split())


def without_profile(vault: Vault) -> None:
    vault.save_profile(replace(PROFILE, name="", credentials="", contact=""))
