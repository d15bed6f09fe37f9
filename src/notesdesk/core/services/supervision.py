"""Supervision as the app and the CLI ask about it (docs/design-notes.md §9, Supervision): whether this
vault only supervises a client (then the client is read-only here but for co-signing: the unit of
work refuses every other write, storage/uow.py) and whether a note may be co-signed here. Reads only."""

from __future__ import annotations

from notesdesk.core.crypto import signing
from notesdesk.core.domain.notes import SessionNote
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import access, kept_rows


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


KEPT_HERE = (
    "{count} records of clients you only supervise were written on this computer: they stay here and "
    "never reach their clinician."
)


def kept_here(uow: UnitOfWork) -> int:
    """Records of clients this vault only supervises written or changed here, which will never reach
    their clinician: written before this client became supervised-only here (or by a version that
    let a supervisor write), drafts included. They stay in this vault; `practice status` and File ▸
    Practice… count them."""
    with uow:
        supervising = access.load(uow).supervising
        if not supervising:
            return 0
        return kept_rows.count(uow, supervising)  # opening only the rows written since the last sync
