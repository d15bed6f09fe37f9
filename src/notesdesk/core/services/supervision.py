"""Supervision as the app and the CLI ask about it (docs/design-notes.md §9, Supervision): whether this
vault only supervises a client (then the client is read-only here but for co-signing: the unit of
work refuses every other write, storage/uow.py) and whether a note may be co-signed here. Reads only."""

from __future__ import annotations

from typing import Any

from notesdesk.core.crypto import signing
from notesdesk.core.domain.notes import Addendum, SessionNote
from notesdesk.core.storage.sealer import encode
from notesdesk.core.storage.uow import UnitOfWork, is_co_signature
from notesdesk.core.sync import access, shared


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


def _kept(spec: shared.Spec, obj: Any, row_id: str, bases: dict[str, list[str]], mine: str) -> bool:
    if isinstance(obj, SessionNote | Addendum):  # append-only, sent bare: written here if signed here
        if is_co_signature("addendum", obj):
            return False
        return obj.signature is None or obj.signature.key_fingerprint == mine
    if not spec.enveloped:  # attachments: who added one is not recorded (not counted)
        return False
    # An enveloped row is as last synced (received, here) when its base is its content now.
    return bases.get(shared.row_key(spec.table, row_id)) != [shared.content_token(encode(obj))]


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
        bases = shared.load_bases(uow)
        mine = signing.fingerprint(uow.vault.signing_public_key())
        count = 0
        for table, spec in shared.SPECS.items():
            repository = shared.repository_of(uow, table)
            for client_id in supervising:
                own = table == "client"  # a client row is its own client's
                rows = [repository.find(client_id)] if own else repository.where(client_id=client_id)
                count += sum(_kept(spec, obj, obj.id, bases, mine) for obj in rows if obj is not None)
        return count
