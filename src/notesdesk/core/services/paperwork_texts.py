"""NotesDesk's generic starting texts for the practice's agreements, written for NotesDesk (no published
form is copied), and the placeholders filled from the practice profile and the client's record.

A practice edits each text once (Settings → Paperwork, or `notesdesk paperwork set`); these are what a
new vault prints until then. They are starting points, not legal advice: the rules on confidentiality
and its limits differ between countries and professions, which the texts say."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

from notesdesk.core.domain.paperwork import TEMPLATE_MAX, ConsentKind
from notesdesk.core.errors import InvalidInput

PLACEHOLDERS: dict[str, str] = {
    "practitioner": "your name as in Settings → About you",
    "credentials": "your credentials",
    "contact": "your contact details",
    "client": "the client's name",
    "date_of_birth": "the client's date of birth",
    "date": "the date printed",
    "release_to": "a release's recipient",
    "release_purpose": "a release's purpose",
    "release_until": "a release's last day",
}
"""Each {name} a template may use, and what fills it."""

_INFORMED = """\
This agreement explains how I work with you, {client}, and what you can expect from me, \
{practitioner} ({credentials}). Please read it, ask me about anything that is unclear, and keep a copy.

What therapy involves. We will agree goals together and review them as we go. Therapy can bring up \
uncomfortable feelings; it usually helps, but no result can be promised. You may ask questions about \
the approach I use, ask for a referral elsewhere, or stop at any time.

Records. I keep notes of our sessions in an encrypted record on my own computer. You may ask to see \
what I hold about you.

Confidentiality and its limits. What you tell me stays between us, with these exceptions, which the \
law or my professional duties may require where I practise:
- when I believe that you or someone else is at serious risk of harm;
- when a child or a vulnerable adult may be at risk of abuse or neglect;
- when a court orders me to disclose information;
- when you ask me in writing to share information (a release of information);
- when I discuss my work, without your name, in clinical supervision.
If I ever need to share information without your agreement, I will tell you first where I can.

Contact between sessions. {contact}
I do not provide an emergency service. In an emergency, call your local emergency number.

I have read this agreement, had the chance to ask questions, and agree to start therapy on these terms.
"""

_FEES = """\
Fees and cancellation, between {practitioner} and {client}.

The fee for each session is agreed at the start and reviewed with notice. Payment is due at each \
session unless we agree otherwise; I give a receipt for every payment.

If you cannot come, please tell me at least 24 hours before the session. A session cancelled later, or \
missed without notice, may be charged in full, except in an emergency or illness.

I will give you at least 30 days' notice of any change to fees.

I have read and agree to these terms.
"""

_TELEHEALTH = """\
Consent to telehealth sessions, between {practitioner} and {client}.

Some of our sessions may take place by video or telephone. I use a service that encrypts the call, and \
I take the call from a private room. Please join from a place where you cannot be overheard.

If the connection fails, I will call you back on the number you have given me. If I am worried about \
your safety during a remote session, I may contact the emergency services where you are, so please tell \
me where you are at the start of each session.

Telehealth may not suit every situation; either of us may suggest meeting in person instead.

I agree to sessions by video or telephone on these terms.
"""

_RELEASE = """\
I, {client} (date of birth {date_of_birth}), allow {practitioner} to share information about my \
therapy with {release_to}, for this purpose only: {release_purpose}.

Only what is needed for that purpose will be shared; private notes are never shared. This release is \
valid until {release_until}. I may withdraw it at any time by telling {practitioner} in writing; \
information shared before then cannot be recalled.
"""

STARTING_TEXTS: dict[ConsentKind, str] = {
    ConsentKind.INFORMED: _INFORMED,
    ConsentKind.FEES: _FEES,
    ConsentKind.TELEHEALTH: _TELEHEALTH,
    ConsentKind.RELEASE: _RELEASE,
}

_FIELD = re.compile(r"\{([^{}]*)\}")


def check_template(text: str) -> str:
    """The text as it will be stored, or InvalidInput naming what cannot be filled in."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("A paperwork template needs some text.")
    if len(cleaned) > TEMPLATE_MAX:
        raise InvalidInput(f"A paperwork template is at most {TEMPLATE_MAX} characters.")
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(cleaned) if name is not None]
    except ValueError:
        raise InvalidInput("A '{' or '}' in the template is not closed; write {{ or }} for a brace "
                           "itself.") from None
    unknown = sorted({name for name in names if name not in PLACEHOLDERS})
    if unknown:
        known = ", ".join("{" + key + "}" for key in PLACEHOLDERS)
        raise InvalidInput(f"The template uses {{{unknown[0]}}}, which NotesDesk cannot fill; use {known}.")
    return cleaned


def fill(text: str, values: Mapping[str, str]) -> str:
    """The template with each placeholder replaced; an empty value leaves a line to write on."""
    return text.format_map({key: values.get(key) or "________________" for key in PLACEHOLDERS})
