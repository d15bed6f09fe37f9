"""Supervision as the app and the CLI ask about it (docs/design-notes.md §9, Supervision): whether this
vault only supervises a client (then the client is read-only here but for co-signing: the unit of
work refuses every other write, storage/uow.py) and whether a note may be co-signed here. Reads only."""

from __future__ import annotations

from notesdesk.core.crypto import signing
from notesdesk.core.domain.notes import SessionNote
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import access


def supervised_only(uow: UnitOfWork, client_id: str) -> bool:
    """This vault holds the client's key as supervisor only (as of the last sync)."""
    with uow:
        return client_id in access.load(uow).supervising


def may_cosign(uow: UnitOfWork, note: SessionNote) -> bool:
    """A signed note of another clinician: one signed with this vault's own key is never co-signed
    here (services/cosign.py refuses it)."""
    if note.signature is None:
        return False
    with uow:
        mine = signing.fingerprint(uow.vault.signing_public_key())
    return note.signature.key_fingerprint != mine
