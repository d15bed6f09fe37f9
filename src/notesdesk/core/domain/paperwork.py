"""Consent and agreements on a client (what was agreed, when, how; for a release of information, to
whom, for what and until when), the practice's paperwork templates, and letters kept exactly as sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from notesdesk.core.domain.common import new_id, now, today

NOTE_MAX = 2000  # characters of a note beside an agreement
RECIPIENT_MAX = 300  # a release's recipient: a name and, perhaps, their role
PURPOSE_MAX = 1000
TEMPLATE_MAX = 20_000  # characters of one paperwork template
LETTER_MAX = 20_000  # characters of a letter's body


class ConsentKind(StrEnum):
    INFORMED = "informed"  # informed consent to treatment, with the limits of confidentiality
    FEES = "fees"  # fees and cancellation
    TELEHEALTH = "telehealth"
    RELEASE = "release"  # release of information to a named person, for a purpose, until a date


CONSENT_TITLES: dict[ConsentKind, str] = {
    ConsentKind.INFORMED: "Informed consent to treatment",
    ConsentKind.FEES: "Fees and cancellation",
    ConsentKind.TELEHEALTH: "Consent to telehealth sessions",
    ConsentKind.RELEASE: "Release of information",
}


class ConsentHow(StrEnum):
    PAPER = "paper"  # signed on paper (a scan may be attached)
    VERBAL = "verbal"
    SCREEN = "screen"  # agreed on screen, in the session


HOW_WORDS: dict[ConsentHow, str] = {
    ConsentHow.PAPER: "signed on paper",
    ConsentHow.VERBAL: "agreed verbally",
    ConsentHow.SCREEN: "agreed on screen",
}


@dataclass(frozen=True)
class Consent:
    """One agreement recorded on a client. A release names its recipient, purpose and last day."""

    client_id: str
    kind: ConsentKind
    agreed_on: date = field(default_factory=today)
    how: ConsentHow = ConsentHow.PAPER
    id: str = field(default_factory=new_id)
    note: str = ""
    to: str = ""  # release only
    purpose: str = ""  # release only
    until: date | None = None  # release only: valid up to and including this day
    created_at: datetime = field(default_factory=now)
    withdrawn_on: date | None = None  # the client withdrew it: not in force from this day

    def expired_on(self, day: date) -> bool:
        """A release is valid through its `until` day and expired from the day after."""
        return self.until is not None and self.until < day

    def withdrawn_by(self, day: date) -> bool:
        """Withdrawn on or before `day`: from its withdrawal day it is no longer in force."""
        return self.withdrawn_on is not None and self.withdrawn_on <= day


@dataclass(frozen=True)
class PaperworkTemplates:
    """The practice's own wording of each agreement, kept sealed as one vault setting. A kind not
    here prints NotesDesk's generic starting text (services/paperwork_texts.py)."""

    texts: tuple[tuple[ConsentKind, str], ...] = ()
    id: str = "paperwork-templates"

    def text_of(self, kind: ConsentKind) -> str | None:
        return next((text for k, text in self.texts if k == kind), None)


class LetterTemplate(StrEnum):
    GP = "gp"  # to a GP or the referrer
    ATTENDANCE = "attendance"  # confirmation of the dates attended
    WHOM = "whom"  # "to whom it may concern"


LETTER_TITLES: dict[LetterTemplate, str] = {
    LetterTemplate.GP: "Letter to a GP or referrer",
    LetterTemplate.ATTENDANCE: "Confirmation of attendance",
    LetterTemplate.WHOM: "Letter to whom it may concern",
}


@dataclass(frozen=True)
class Letter:
    """A letter as it was printed, sealed: printing it again gives the same text. The letterhead is
    kept too, so a later change of the practice's details does not change a letter already sent."""

    client_id: str
    template: LetterTemplate
    body: str
    sent_on: date = field(default_factory=today)
    id: str = field(default_factory=new_id)
    with_diagnosis: bool = False
    practitioner_name: str = ""
    practitioner_credentials: str = ""
    practitioner_contact: str = ""
    locale: str = ""
    created_at: datetime = field(default_factory=now)

    @property
    def title(self) -> str:
        return LETTER_TITLES[self.template]

