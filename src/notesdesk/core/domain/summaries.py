"""Read models for printed documents: plain frozen data that the PDF renderers consume.

They are assembled by `services.summary` in one unit of work and hold only what a document prints.
`ClientSummary` never carries psychotherapy-note text; only `AccessRecord` can, and only when the
practitioner explicitly includes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING

from notesdesk.core.domain.attachments import Attachment
from notesdesk.core.domain.care import (
    CheckinStatus,
    MeasureAdministration,
    MilestoneStatus,
    Recurrence,
    SafetyPlan,
)
from notesdesk.core.domain.notes import Addendum, MaintenancePlan, PrivateNote, SessionNote
from notesdesk.core.domain.paperwork import Consent, ConsentKind, Letter
from notesdesk.core.domain.plans import TreatmentPlan
from notesdesk.core.domain.visits import Diagnosis

if TYPE_CHECKING:  # billing.py takes PractitionerBlock from here: a type only, no import cycle
    from notesdesk.core.domain.billing import Payment, Receipt


class AuditAction(StrEnum):
    """What the practitioner did with a document; logged in the audit when given."""

    PRINT = "print"
    EXPORT = "export"
    PREVIEW = "preview"


@dataclass(frozen=True)
class PractitionerBlock:
    name: str = ""
    credentials: str = ""
    contact: str = ""
    locale: str = ""  # the practice's country; "" until set in Settings (no crisis number is printed)


@dataclass(frozen=True)
class Identification:
    name: str
    preferred_name: str = ""
    pronouns: str = ""
    date_of_birth: date | None = None
    status: str = ""
    referral: str = ""
    modality: str = ""

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.name


@dataclass(frozen=True)
class EpisodeDates:
    opened_on: date
    closed_on: date | None = None
    reason: str = ""


@dataclass(frozen=True)
class ReviewRow:
    """One review of one plan version."""

    plan_version: int
    review_date: date
    outcome: str
    summary: str = ""


@dataclass(frozen=True)
class PlanVersionRow:
    """When one plan version was in effect: from its effective date until the next version took over (or
    a review closed it). A draft that was never activated has neither date."""

    version: int
    status: str
    in_effect_from: date | None = None
    in_effect_until: date | None = None


@dataclass(frozen=True)
class SessionRow:
    """That a session happened, when, and how; never what was said."""

    session_date: date
    session_type: str
    note_format: str
    start_time: time | None = None
    end_time: time | None = None
    signed: bool = False


@dataclass(frozen=True)
class HomeworkRow:
    description: str
    assigned_on: date
    recurrence: Recurrence = Recurrence.ONCE
    rationale: str = ""
    due_date: date | None = None
    active: bool = True
    checkins: int = 0
    done: int = 0
    last_status: CheckinStatus | None = None

    @property
    def adherence(self) -> float | None:
        return self.done / self.checkins if self.checkins else None


@dataclass(frozen=True)
class StatusStep:
    changed_on: date
    status: MilestoneStatus
    comment: str = ""


@dataclass(frozen=True)
class MilestoneRow:
    title: str
    kind: str
    dimension: str = ""
    criteria: str = ""
    status: MilestoneStatus = MilestoneStatus.PLANNED
    achieved_on: date | None = None
    history: tuple[StatusStep, ...] = ()

    @property
    def reached(self) -> bool:
        return self.status in (MilestoneStatus.ACHIEVED, MilestoneStatus.SUSTAINED)


@dataclass(frozen=True)
class PhaseRow:
    phase: str
    started_on: date
    comment: str = ""


@dataclass(frozen=True)
class MeasureRow:
    """One scored administration, as the measures module reports it (wired in by the caller)."""

    administered_on: date
    instrument: str
    total: float | None = None
    band: str = ""
    change: str = ""
    flag: str = ""


@dataclass(frozen=True)
class MeasureScale:
    """Optional: an instrument's range and bands, so the trend chart can shade them."""

    instrument: str
    range_min: float
    range_max: float
    bands: tuple[tuple[float, float, str], ...] = ()
    higher_is_worse: bool = True
    caseness: float | None = None  # the clinical cut-off, drawn as a dashed line


@dataclass(frozen=True)
class MeasureSection:
    rows: tuple[MeasureRow, ...] = ()
    scales: tuple[MeasureScale, ...] = ()
    changes: tuple[MeasureChange, ...] = ()  # one per outcome instrument, in its latest episode
    across: str = ""  # recovery across PHQ-9 and GAD-7 together, worded with its definition, or ""


@dataclass(frozen=True)
class MeasureChange:
    """How an outcome measure moved from its episode's baseline to its latest score: what lets the client
    copy say 'making progress' about a goal whose objective links this measure."""

    instrument_id: str
    instrument: str  # display name, e.g. 'PHQ-9'
    baseline: int
    latest: int
    improvement: int  # positive = better, whichever way the scale runs
    progressing: bool  # at least the instrument's minimal change (any improvement when it sets none)


# Turns raw answers into scored rows; the measures module provides one. Without it, rows are unscored.
MeasureScorer = Callable[[Sequence[MeasureAdministration]], MeasureSection]


@dataclass(frozen=True)
class RiskFlag:
    noted_on: date
    text: str
    source: str = "session note"


@dataclass(frozen=True)
class SafetyPlanStatus:
    exists: bool = False
    version: int = 0
    last_reviewed: date | None = None
    sections_filled: int = 0
    sections_total: int = 7
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClientSummary:
    """Everything the two treatment summaries print (clinician copy and client copy)."""

    identification: Identification
    practitioner: PractitionerBlock
    prepared_on: date
    episodes: tuple[EpisodeDates, ...] = ()
    presenting_concerns: str = ""
    plan: TreatmentPlan | None = None
    plan_versions: tuple[PlanVersionRow, ...] = ()
    reviews: tuple[ReviewRow, ...] = ()
    sessions: tuple[SessionRow, ...] = ()
    homework: tuple[HomeworkRow, ...] = ()
    adherence_recent: float | None = None  # share of check-ins done in the 28 days to ...
    adherence_until: date | None = None  # ... this day (the discharge date once discharged)
    checkins_recent: str = ""  # what that share is made of ('2 done, 1 partial') ...
    adherence_rule: str = ""  # ... and how a partial check-in counts
    milestones: tuple[MilestoneRow, ...] = ()
    phases: tuple[PhaseRow, ...] = ()
    measures: MeasureSection = field(default_factory=MeasureSection)
    risk_flags: tuple[RiskFlag, ...] = ()
    safety_plan: SafetyPlanStatus = field(default_factory=SafetyPlanStatus)
    key_fingerprint: str = ""
    # ICD-10-CM diagnoses on the client: the clinician's summary only, never the client's copy.
    coded_diagnoses: tuple[Diagnosis, ...] = ()

    @property
    def diagnoses(self) -> tuple[str, ...]:
        """The plan's diagnoses as written in it (what the client's copy may show when ticked)."""
        return self.plan.diagnoses if self.plan else ()

    @property
    def clinician_diagnoses(self) -> tuple[str, ...]:
        """Coded diagnoses ("F41.1 Generalized anxiety disorder — the clinician's words"), then the
        plan's own lines that are not the same code again."""
        coded = tuple(
            f"{d.code} {d.description}" + (f" — {d.text}" if d.text else "") for d in self.coded_diagnoses
        )
        codes = {d.code.casefold() for d in self.coded_diagnoses}
        written = tuple(line for line in self.diagnoses
                        if line.split(" ", 1)[0].strip(" :—-").casefold() not in codes)
        return coded + written

    @property
    def current_phase(self) -> PhaseRow | None:
        return self.phases[-1] if self.phases else None

    @property
    def current_episode(self) -> EpisodeDates | None:
        return self.episodes[-1] if self.episodes else None


@dataclass(frozen=True)
class ClientCopyOptions:
    """What the clinician ticks in for the client's copy; clinical detail is off by default."""

    include_diagnoses: bool = False
    include_assessment: bool = False
    next_steps: tuple[str, ...] = ()
    message: str = ""


@dataclass(frozen=True)
class SafetyPlanSheet:
    client_name: str
    plan: SafetyPlan
    practitioner: PractitionerBlock
    prepared_on: date


@dataclass(frozen=True)
class HomeworkTask:
    description: str
    recurrence: Recurrence = Recurrence.ONCE
    rationale: str = ""
    due_date: date | None = None


@dataclass(frozen=True)
class HomeworkSheet:
    client_name: str
    week_start: date
    tasks: tuple[HomeworkTask, ...]
    practitioner: PractitionerBlock
    prepared_on: date


@dataclass(frozen=True)
class RecoverySheet:
    """Printed at vault creation; holds no client data."""

    recovery_key: str
    vault_id: str
    created_on: date
    practitioner: PractitionerBlock = field(default_factory=PractitionerBlock)


@dataclass(frozen=True)
class NoteEntry:
    note: SessionNote
    addenda: tuple[Addendum, ...] = ()
    verified: bool = False


@dataclass(frozen=True)
class AccessRecord:
    """The record for a client's access request: signed progress notes, plans, measures.

    `private_notes` stays empty unless the practitioner explicitly includes psychotherapy notes.
    """

    identification: Identification
    practitioner: PractitionerBlock
    prepared_on: date
    episodes: tuple[EpisodeDates, ...] = ()
    notes: tuple[NoteEntry, ...] = ()
    drafts_left_out: int = 0
    plans: tuple[TreatmentPlan, ...] = ()
    measures: MeasureSection = field(default_factory=MeasureSection)
    private_notes: tuple[PrivateNote, ...] = ()
    includes_private: bool = False
    key_fingerprint: str = ""
    diagnoses: tuple[Diagnosis, ...] = ()  # ICD-10-CM codes on the client, in the order recorded
    attachments: tuple[Attachment, ...] = ()  # listed (what, when, type, size); copies go out apart
    consents: tuple[Consent, ...] = ()  # what the client agreed, in the order agreed
    letters: tuple[Letter, ...] = ()  # letters sent, as sent
    # Billing records are part of the record a client may ask for (45 CFR 164.501, designated record set).
    payments: tuple[Payment, ...] = ()
    receipts: tuple[Receipt, ...] = ()


@dataclass(frozen=True)
class MaintenanceSheet:
    client_name: str
    discharged_on: date
    plan: MaintenancePlan
    practitioner: PractitionerBlock
    prepared_on: date
    signed_at: datetime | None = None


@dataclass(frozen=True)
class ConsentForm:
    """An agreement to print for one client: the practice's text with the client's details filled in,
    and what has been recorded of that kind so far (empty: to be signed)."""

    kind: ConsentKind
    title: str
    body: str
    client_name: str
    practitioner: PractitionerBlock
    recorded: tuple[Consent, ...] = ()
