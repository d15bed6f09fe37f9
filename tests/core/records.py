"""One fully filled record of every kind, with a marker string in every text field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from notesdesk.core.domain.care import (
    Contact,
    Homework,
    MeasureAdministration,
    Milestone,
    MilestoneKind,
    PhaseEntry,
    Recurrence,
    SafetyPlan,
)
from notesdesk.core.domain.clients import Client, Modality
from notesdesk.core.domain.notes import (
    FORMAT_SECTIONS,
    MaintenancePlan,
    NoteFormat,
    PrivateNote,
    RiskAssessment,
    RiskLevel,
    SessionNote,
    SessionType,
)
from notesdesk.core.domain.plans import Goal, Intervention, Objective, Problem, TreatmentPlan
from notesdesk.core.services import notes
from notesdesk.core.storage.vault import Vault

SIGNER_NAME, SIGNER_CREDENTIALS = "Dr Test Signer", "PsyD"


def with_signer(vault: Vault) -> Vault:
    """Give the vault a practitioner name and credentials: activating a plan version signs it, and a
    signature names its signer (tests/core/test_plan_signing.py). Returns the vault."""
    vault.save_profile(replace(vault.profile(), name=SIGNER_NAME, credentials=SIGNER_CREDENTIALS))
    return vault


def client(mark: str) -> Client:
    return Client(
        name=f"{mark}name Ó Briain",
        preferred_name=f"{mark}pref",
        pronouns=f"{mark}pron",
        date_of_birth=date(1988, 2, 29),
        phone=f"{mark}phone",
        email=f"{mark}@mail.example",
        address=f"{mark}addr",
        emergency_contact=f"{mark}emerg",
        referral=f"{mark}ref",
        presenting_concerns=f"{mark}concern",
        modality=Modality.TF_CBT,
        intake_date=date(2026, 9, 1),
    )


def note(client_id: str, mark: str, fmt: NoteFormat = NoteFormat.SOAP) -> SessionNote:
    keys = [key for key, _ in FORMAT_SECTIONS[fmt]]
    return SessionNote(
        client_id=client_id,
        session_date=date(2026, 10, 6),
        format=fmt,
        sections=notes.build_sections(fmt, {k: f"{mark}{k}" for k in keys}),
        session_type=SessionType.TELEHEALTH,
        start_time=time(9, 0),
        end_time=time(9, 50),
        interventions=(f"{mark}intervention",),
        risk_noted=f"{mark}risk",
        risk=RiskAssessment(RiskLevel.HIGH, f"{mark}riskfactors", f"{mark}riskplan"),
        maintenance_plan=MaintenancePlan(
            what_changed=f"{mark}changed",
            skills_to_practise=(f"{mark}skill",),
            early_warning_signs=(f"{mark}warning",),
            what_to_do=f"{mark}todo",
            when_to_return=f"{mark}return",
        )
        if fmt == NoteFormat.DISCHARGE
        else None,
    )


def private_note(client_id: str, mark: str) -> PrivateNote:
    return PrivateNote(client_id=client_id, note_date=date(2026, 10, 6), text=f"{mark}private")


def plan(client_id: str, mark: str) -> TreatmentPlan:
    intervention = Intervention(f"{mark}technique", modality="CBT", frequency=f"{mark}freq")
    objective = Objective(
        f"{mark}objective",
        measurable_criterion=f"{mark}criterion",
        baseline=f"{mark}baseline",
        target=f"{mark}target",
        target_date=date(2037, 1, 15),  # after any day the tests run: activation needs a later one
        linked_measure="PHQ-9 < 10",
        interventions=(intervention,),
    )
    goal = Goal(
        f"{mark}goal", client_words=f"{mark}own words", agreed_with_client=True, objectives=(objective,)
    )
    problem = Problem(f"{mark}problem", behavioral_definition=f"{mark}definition", goals=(goal,))
    return TreatmentPlan(
        client_id=client_id,
        diagnoses=(f"{mark}F41.0",),
        strengths=f"{mark}strengths",
        service_type="individual",
        session_length_minutes=50,
        frequency="weekly",
        expected_duration="16 weeks",
        discharge_criteria=f"{mark}discharge",
        client_agreement_how=f"{mark}verbal",
        problems=(problem,),
    )


def homework(client_id: str, mark: str) -> Homework:
    return Homework(
        client_id=client_id,
        description=f"{mark}homework",
        rationale=f"{mark}rationale",
        assigned_on=date(2026, 10, 6),
        due_date=date(2026, 10, 13),
        recurrence=Recurrence.DAILY,
    )


def milestone(client_id: str, mark: str) -> Milestone:
    return Milestone(
        client_id=client_id,
        kind=MilestoneKind.SAFETY,
        dimension="relational",
        title=f"{mark}milestone",
        criteria=f"{mark}criteria",
    )


def phase(client_id: str, mark: str) -> PhaseEntry:
    return PhaseEntry(
        client_id=client_id, phase=f"{mark}phase", started_on=date(2026, 9, 1), comment=f"{mark}why"
    )


def safety_plan(client_id: str, mark: str) -> SafetyPlan:
    return SafetyPlan(
        client_id=client_id,
        warning_signs=(f"{mark}sign",),
        coping_strategies=(f"{mark}coping",),
        distractions=(f"{mark}distraction",),
        people_to_ask=(Contact(f"{mark}friend", "555-0100"),),
        professionals=(Contact(f"{mark}therapist", "555-0101"),),
        crisis_lines=(Contact("988 Suicide & Crisis Lifeline", "988"),),
        safe_environment=(f"{mark}safe",),
        reason_for_living=f"{mark}reason",
    )


def measure(client_id: str, mark: str) -> MeasureAdministration:
    return MeasureAdministration(
        client_id=client_id,
        instrument="PHQ-9",
        administered_on=date(2026, 10, 6),
        answers=(1, 2, None, 0, 3, 1, 1, 0, 0),
        comment=f"{mark}comment",
    )
