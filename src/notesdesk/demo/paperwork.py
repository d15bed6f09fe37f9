"""The demo practice's paperwork: most clients agreed informed consent at their first session, signed
on paper (some also telehealth, some a release of information to their GP); and, so that the client
list shows each paperwork flag, one active client with no informed consent recorded, one whose
release to the GP expired last week, and one GP letter sent."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from notesdesk.core.domain.paperwork import Consent, ConsentHow, ConsentKind, Letter, LetterTemplate
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.services.letters import letter_body
from notesdesk.demo.client import ClientRecord
from notesdesk.demo.course import at

GP = "Dr. Amara Osei (GP, Alder Court Surgery)"  # invented, like every name in the demo
GP_PURPOSE = "keeping the GP informed of attendance and progress"


@dataclass
class Showcase:
    """Which of the one-off cases are still to be placed (each on the first client it fits)."""

    missing_consent: bool = True
    expired_release: bool = True
    letter: bool = True


def plan_paperwork(record: ClientRecord, active: bool, today: date, profile: PractitionerProfile,
                   rng: random.Random, showcase: Showcase) -> tuple[list[Consent], list[Letter]]:
    signed = sorted(p.note.session_date for p in record.notes if p.signed_at is not None)
    if not record.notes:
        return [], []
    cid = record.client.id
    first = min(p.note.session_date for p in record.notes)
    when = at(first, time(9, 0))
    if active and showcase.missing_consent and signed:
        showcase.missing_consent = False
        consents: list[Consent] = []
    else:
        consents = [Consent(cid, ConsentKind.INFORMED, first, ConsentHow.PAPER, created_at=when)]
        if rng.random() < 0.3:
            consents.append(Consent(cid, ConsentKind.TELEHEALTH, first, ConsentHow.VERBAL,
                                    note="agreed by video before the first remote session", created_at=when))
    expire = active and showcase.expired_release and len(signed) >= 2 and bool(consents)
    if rng.random() < 0.35 or expire:
        until = first + timedelta(days=365)
        if expire:
            showcase.expired_release = False
            until = today - timedelta(days=8)
            first = min(first, until - timedelta(days=60))
        consents.append(Consent(cid, ConsentKind.RELEASE, first, ConsentHow.PAPER, to=GP, purpose=GP_PURPOSE,
                                until=until, created_at=when))
    letters: list[Letter] = []
    if active and showcase.letter and len(signed) >= 3:
        showcase.letter = False
        body = letter_body(LetterTemplate.GP, record.client, profile, signed, [], [], "")
        letters.append(Letter(cid, LetterTemplate.GP, body, sent_on=signed[-1],
                              practitioner_name=profile.name, practitioner_credentials=profile.credentials,
                              practitioner_contact=profile.contact, locale=profile.locale,
                              created_at=at(signed[-1], time(17, 30))))
    return consents, letters
