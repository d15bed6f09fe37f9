"""The practitioner's details (name, credentials, contact, country): vault-level, sealed, printed on
every document and with every signature."""

from __future__ import annotations

from dataclasses import replace

from notesdesk.core.domain.clients import CONTROL_CHARS, NAME_MAX
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import InvalidInput
from notesdesk.core.reports.crisis_lines import COUNTRIES, known_locale
from notesdesk.core.storage.uow import UnitOfWork

CONTACT_MAX = 1000  # characters: a few lines of address, phone and email


def check_profile(profile: PractitionerProfile) -> PractitionerProfile:
    """The details with spaces trimmed, or InvalidInput naming the field that cannot be stored."""
    for label, value in (("name", profile.name), ("credentials", profile.credentials)):
        if len(value.strip()) > NAME_MAX:
            raise InvalidInput(f"The {label} is longer than {NAME_MAX} characters.")
        if CONTROL_CHARS.search(value):
            raise InvalidInput(f"The {label} contains a control character (such as a line break).")
    if len(profile.contact) > CONTACT_MAX:
        raise InvalidInput(f"The contact details are longer than {CONTACT_MAX} characters.")
    return replace(profile, name=profile.name.strip(), credentials=profile.credentials.strip(),
                   contact=profile.contact.strip())


def country_code(text: str) -> str:
    """The practice's country as stored ("" to unset it), from a code such as US, UK, GB, AU or IE;
    InvalidInput for a country whose crisis lines NotesDesk does not know."""
    if not text.strip():
        return ""
    known = known_locale(text)
    if known is None:
        choices = ", ".join(COUNTRIES)
        raise InvalidInput(f"No crisis lines are known for '{text.strip()}'; use one of: {choices}.")
    return known


def save_profile(uow: UnitOfWork, profile: PractitionerProfile) -> PractitionerProfile:
    """Store new details in one unit of work; the vault keeps them for the documents printed next.
    The unit of work given only names the vault: the vault writes its own sealed settings."""
    profile = check_profile(profile)
    uow.vault.save_profile(profile)
    return profile
