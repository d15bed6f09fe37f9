"""Issue 15 item 1, in the core: no signature (note or addendum) until the practitioner's name and
credentials are set, whoever asks (the app, the CLI, a script); the refusal changes no stored byte."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.notes import AddendumKind, NoteFormat, SessionNote
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import SignerUnknown
from notesdesk.core.services import clients, notes
from notesdesk.core.storage.vault import Vault
from tests.signer import SIGNER, ready_to_sign


def _draft(vault: Vault) -> SessionNote:
    client = clients.add_client(vault.unit_of_work(), Client(name="Synthetic Client"))
    note = SessionNote(client_id=client.id, session_date=date(2026, 10, 5), format=NoteFormat.FREE,
                       sections=notes.build_sections(NoteFormat.FREE, {"text": "Synthetic session"}))
    return notes.create_note(vault.unit_of_work(), note)


@pytest.mark.parametrize("details", [
    PractitionerProfile(),
    PractitionerProfile(name="Dr Ada Byrne"),
    PractitionerProfile(credentials="PsyD"),
    PractitionerProfile(name="   ", credentials="  "),
], ids=["nothing", "name only", "credentials only", "blanks"])
def test_a_note_is_not_signed_without_a_name_and_credentials(
    vault: Vault, vault_path: Path, details: PractitionerProfile
) -> None:
    vault.save_profile(details)
    draft = _draft(vault)
    before = vault_path.read_bytes()
    with pytest.raises(SignerUnknown, match="your name and credentials are not set"):
        notes.sign_note(vault.unit_of_work(), draft.id)
    assert vault_path.read_bytes() == before
    assert not notes.get_note(vault.unit_of_work(), draft.id)[0].is_signed


def test_an_addendum_is_refused_too_once_the_details_are_gone(vault: Vault) -> None:
    ready_to_sign(vault)
    signed = notes.sign_note(vault.unit_of_work(), _draft(vault).id)
    vault.save_profile(replace(vault.profile(), credentials=""))
    with pytest.raises(SignerUnknown):
        notes.add_addendum(vault.unit_of_work(), signed.id, AddendumKind.CORRECTION, "Late entry")
    assert notes.get_note(vault.unit_of_work(), signed.id)[1] == []


def test_with_both_set_the_signature_names_the_signer(vault: Vault) -> None:
    ready_to_sign(vault)
    signed = notes.sign_note(vault.unit_of_work(), _draft(vault).id)
    assert signed.signature is not None
    assert (signed.signature.signer, signed.signature.credentials) == (SIGNER.name, SIGNER.credentials)
    addendum = notes.add_addendum(vault.unit_of_work(), signed.id, AddendumKind.CLARIFICATION, "Added")
    assert addendum.signature is not None and addendum.signature.signer == SIGNER.name
