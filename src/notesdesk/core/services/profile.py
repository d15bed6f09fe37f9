"""The practitioner's details (name, credentials, contact, locale): vault-level, sealed, printed on
every document."""

from __future__ import annotations

from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.storage.uow import UnitOfWork


def save_profile(uow: UnitOfWork, profile: PractitionerProfile) -> PractitionerProfile:
    """Store new details in one unit of work; the vault keeps them for the documents printed next.
    The unit of work given only names the vault: the vault writes its own sealed settings."""
    uow.vault.save_profile(profile)
    return profile
