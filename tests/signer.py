"""The practitioner every signing test signs as. The signing service refuses a signature until a name
and credentials are set (nothing is signed "by Practitioner"), so a fixture that signs calls
`ready_to_sign` on its vault first."""

from __future__ import annotations

from dataclasses import replace

from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.storage.vault import Vault

SIGNER = PractitionerProfile(name="Dr Ada Byrne", credentials="PsyD, Lic. Psychologist")


def ready_to_sign(vault: Vault, signer: PractitionerProfile = SIGNER) -> Vault:
    """The vault with the signer's name and credentials set; its country and contact are kept."""
    vault.save_profile(replace(vault.profile(), name=signer.name, credentials=signer.credentials))
    return vault
