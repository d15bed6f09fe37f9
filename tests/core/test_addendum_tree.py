"""Two addenda may follow the same item (written on two computers, or a co-signature that follows what
the clinician holds): the chain verifies as a tree, and an addendum another follows cannot be removed
unnoticed (docs/design-notes.md §9, Supervision)."""

from __future__ import annotations

from notesdesk.core.domain.notes import AddendumKind
from notesdesk.core.services import clients, notes
from notesdesk.core.storage.vault import Vault
from tests.core import records


def test_two_addenda_following_the_note_verify_and_one_followed_cannot_go_unnoticed(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    note = notes.create_note(vault.unit_of_work(), records.note(client.id, "x"))
    signed = notes.sign_note(vault.unit_of_work(), note.id)
    first = notes.add_addendum(vault.unit_of_work(), note.id, AddendumKind.CORRECTION, "first")
    beside = notes.add_addendum(vault.unit_of_work(), note.id, AddendumKind.CLARIFICATION, "beside",
                                held=lambda _addendum: False)  # follows the note, as one written apart
    last = notes.add_addendum(vault.unit_of_work(), note.id, AddendumKind.LATE_ENTRY, "last")
    assert signed.signature is not None
    assert beside.addendum_of == first.addendum_of == signed.signature.content_hash
    stored, chain = notes.get_note(vault.unit_of_work(), note.id)
    assert [a.text for a in chain][-1] == "last"  # each shown after what it follows
    assert notes.verify_note(vault.unit_of_work(), stored, chain)
    followed = next(a for a in chain if a.signature and a.signature.content_hash == last.addendum_of)
    without = [a for a in chain if a.id != followed.id]
    assert not notes.verify_note(vault.unit_of_work(), stored, notes.chain_order(stored, without))
