"""Supervision: a supervisor co-signs a supervisee's signed note with an addendum of kind
"co-signature", signed with the supervisor's own note key, chained and synced like every addendum and
verified on arrival under the supervisor's key (docs/design-notes.md §9)."""

from __future__ import annotations

from notesdesk.core.crypto import signing
from notesdesk.core.domain.notes import Addendum, AddendumKind
from notesdesk.core.errors import Conflict
from notesdesk.core.services import notes
from notesdesk.core.storage.uow import UnitOfWork, is_co_signature
from notesdesk.core.sync import access

DEFAULT_TEXT = "Reviewed and co-signed by the supervising clinician."


def cosign_note(uow: UnitOfWork, note_id: str, text: str = "") -> Addendum:
    """Co-sign a colleague's signed note (audited as the addendum it is). Refused for a note signed
    with this vault's own key: a co-signature is a second clinician's."""
    with uow:
        note = uow.notes.get(note_id)
        mine = signing.fingerprint(uow.vault.signing_public_key())
        supervising = note.client_id in access.load(uow).supervising
    if note.signature is not None and note.signature.key_fingerprint == mine:
        raise Conflict(
            "You signed this note yourself: a co-signature is a supervisor's, on a colleague's note."
        )

    def held_by_the_clinician(addendum: Addendum) -> bool:
        """An addendum of a client this vault only supervises, signed here, never travels (an earlier
        version let a supervisor write one): a co-signature following it would not verify where the
        note's clinician is, so it follows the last addendum they hold."""
        mine_only = addendum.signature is not None and addendum.signature.key_fingerprint == mine
        return not (supervising and mine_only and not is_co_signature("addendum", addendum))

    return notes.add_addendum(uow, note_id, AddendumKind.CO_SIGNATURE, text.strip() or DEFAULT_TEXT,
                              held=held_by_the_clinician)
