"""Session notes, their formats and sections, signatures, addenda and private process notes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Protocol

from notesdesk.core.domain.common import new_id, now


class NoteFormat(StrEnum):
    SOAP = "SOAP"
    DAP = "DAP"
    BIRP = "BIRP"
    GIRP = "GIRP"
    INTAKE = "INTAKE"
    DISCHARGE = "DISCHARGE"
    FREE = "FREE"
    CUSTOM = "CUSTOM"

    @property
    def label(self) -> str:
        """How the app names the format: acronyms upper-case, words as words ("Free text")."""
        return _FORMAT_LABELS.get(self.value, self.value)


# The values are the CLI's and the vault's; these are for people.
_FORMAT_LABELS = {"INTAKE": "Intake", "DISCHARGE": "Discharge", "FREE": "Free text", "CUSTOM": "Own template"}


class SessionType(StrEnum):
    INTAKE = "intake"
    INDIVIDUAL = "individual"
    COUPLE = "couple"
    FAMILY = "family"
    GROUP = "group"
    TELEHEALTH = "telehealth"


class Delivery(StrEnum):
    """Where the session happened: in the room, or by video."""

    IN_PERSON = "in person"
    VIDEO = "video"


class AddendumKind(StrEnum):
    AMENDMENT = "amendment"
    CORRECTION = "correction"
    CLARIFICATION = "clarification"
    LATE_ENTRY = "late entry"
    CO_SIGNATURE = "co-signature"  # a supervisor's, on a supervisee's note (services/cosign.py)


# Section keys are the CLI contract (docs/design-notes.md §2): lower-case section names, in order.
FORMAT_SECTIONS: dict[NoteFormat, tuple[tuple[str, str], ...]] = {
    NoteFormat.SOAP: (
        ("subjective", "Subjective"),
        ("objective", "Objective"),
        ("assessment", "Assessment"),
        ("plan", "Plan"),
    ),
    NoteFormat.DAP: (("data", "Data"), ("assessment", "Assessment"), ("plan", "Plan")),
    NoteFormat.BIRP: (
        ("behavior", "Behavior"),
        ("intervention", "Intervention"),
        ("response", "Response"),
        ("plan", "Plan"),
    ),
    NoteFormat.GIRP: (
        ("goal", "Goal"),
        ("intervention", "Intervention"),
        ("response", "Response"),
        ("plan", "Plan"),
    ),
    NoteFormat.INTAKE: (
        ("reason", "Reason for referral"),
        ("history", "History of the presenting problem"),
        ("background", "Background and relevant history"),
        ("mental_status", "Mental status"),
        ("risk", "Risk assessment"),
        ("formulation", "Formulation"),
        ("plan", "Plan"),
    ),
    NoteFormat.DISCHARGE: (
        ("summary", "Summary of treatment"),
        ("progress", "Progress toward goals"),
        ("reason", "Reason for discharge"),
        ("recommendations", "Recommendations"),
    ),
    NoteFormat.FREE: (("text", "Note"),),
}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    text: str = ""


@dataclass(frozen=True)
class MaintenancePlan:
    """Carried by a discharge note: what keeps the change going and when to come back."""

    what_changed: str = ""
    skills_to_practise: tuple[str, ...] = ()
    early_warning_signs: tuple[str, ...] = ()
    what_to_do: str = ""
    when_to_return: str = ""


class RiskLevel(StrEnum):
    """The clinician's own judgement of risk at this session, recorded rather than inferred from text."""

    NONE = "none"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"

    @property
    def raises_flag(self) -> bool:
        return self in (RiskLevel.MODERATE, RiskLevel.HIGH)


@dataclass(frozen=True)
class RiskAssessment:
    """What the clinician recorded about risk: the level, the factors behind it and what was agreed."""

    level: RiskLevel
    factors: str = ""
    plan: str = ""


@dataclass(frozen=True)
class Signature:
    signed_at: datetime
    signer: str
    credentials: str
    content_hash: str
    signature: str
    key_fingerprint: str


class Titled(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def text(self) -> str: ...


class Assessed(Protocol):
    @property
    def level(self) -> RiskLevel: ...
    @property
    def factors(self) -> str: ...
    @property
    def plan(self) -> str: ...


def sections_text(sections: Iterable[Titled]) -> str:
    """A note's sections as one text (SessionNote.text; also the search index's lighter view of a
    note, core/search/child.py)."""
    return "\n\n".join(f"{s.title}\n{s.text}" for s in sections if s.text)


def risk_words(risk: Assessed | None, noted: str) -> str:
    """SessionNote.risk_text, from the recorded risk and the free-text line."""
    lines = []
    if risk is not None:
        lines.append(f"Risk level: {risk.level.value}")
        lines += [f"{label}: {text.strip()}" for label, text in
                  (("Factors", risk.factors), ("Plan", risk.plan)) if text.strip()]
    if noted.strip():
        lines.append(f"Noted: {noted.strip()}")
    return "\n".join(lines)


@dataclass(frozen=True)
class SessionNote:
    client_id: str
    session_date: date
    format: NoteFormat
    sections: tuple[Section, ...]
    id: str = field(default_factory=new_id)
    episode_id: str | None = None
    session_type: SessionType = SessionType.INDIVIDUAL
    template_name: str = ""
    start_time: time | None = None
    end_time: time | None = None
    objectives_addressed: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()
    homework_reviewed: tuple[str, ...] = ()
    homework_assigned: tuple[str, ...] = ()
    risk_noted: str = ""
    maintenance_plan: MaintenancePlan | None = None
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)
    signature: Signature | None = None
    # Added after notes were first signed, so they come last and stay out of the signed content while
    # they hold their defaults (services/signatures.py): a note signed before them still verifies.
    delivery: Delivery = Delivery.IN_PERSON
    cpt_code: str = ""
    risk: RiskAssessment | None = None  # None: no risk level was recorded in this note

    @property
    def is_signed(self) -> bool:
        return self.signature is not None

    @property
    def minutes(self) -> int | None:
        """The session's length from its start and end (None when either is missing)."""
        if self.start_time is None or self.end_time is None:
            return None
        start = self.start_time.hour * 60 + self.start_time.minute
        end = self.end_time.hour * 60 + self.end_time.minute
        return end - start

    @property
    def has_times(self) -> bool:
        return self.start_time is not None and self.end_time is not None

    def section_text(self, key: str) -> str:
        return next((s.text for s in self.sections if s.key == key), "")

    @property
    def text(self) -> str:
        return sections_text(self.sections)

    @property
    def risk_text(self) -> str:
        """The note's risk in words: the recorded level, its factors and plan, and any free-text risk
        line written before levels existed (shown as it was; flags read only the level)."""
        return risk_words(self.risk, self.risk_noted)


@dataclass(frozen=True)
class Addendum:
    """A signed addition to a signed note; `addendum_of` is the hash of the item it follows."""

    note_id: str
    client_id: str
    kind: AddendumKind
    text: str
    addendum_of: str
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=now)
    signature: Signature | None = None


@dataclass(frozen=True)
class PrivateNote:
    """A psychotherapy (process) note: its own table and key, excluded from every output by default."""

    client_id: str
    note_date: date
    text: str
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)


@dataclass(frozen=True)
class NoteTemplate:
    """A practitioner's own note format (speech, physical or other therapies)."""

    name: str
    sections: tuple[tuple[str, str], ...]
    id: str = field(default_factory=new_id)


def blank_sections(fmt: NoteFormat, template: NoteTemplate | None = None) -> tuple[Section, ...]:
    layout = template.sections if template else FORMAT_SECTIONS.get(fmt, ())
    return tuple(Section(key, title) for key, title in layout)
