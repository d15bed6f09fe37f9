"""Who can read each client this vault holds, as of the last sync (docs/design-notes.md §9): the
clinicians holding a certified copy of the key each client's new records are sealed under, and as what
(clinician or supervisor). Every sync refreshes it from the certified client-key copies its key
exchange already reads for all clients at once (access.receive), with one more query, on the same
connection, only for keys the sync itself drew; a share or a stop made here updates that client's entry,
so the overview's "Shared with" line is known without asking the server, away from the office too.

Sealed in the vault's `secret` table like the rest of the sync state. It holds clinician ids, roles
and which clinician each certified note-signing key belongs to (to name a colleague by their signature
when their profile name has not arrived): no name, and of a client only its id, which the vault's
own rows are filed under already."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Engine

from notesdesk.core.crypto import signing
from notesdesk.core.domain.common import now
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import access, crypto
from notesdesk.core.sync import state as st
from notesdesk.core.sync.crypto import DeviceKeys
from notesdesk.core.sync.server import connected

KNOWN_READERS_ID = st.KNOWN_READERS_ID


@dataclass(frozen=True)
class KnownReaders:
    # client id -> clinician id -> crypto.CLINICIAN or crypto.SUPERVISOR (the recovery key left out)
    readers: dict[str, dict[str, str]] = field(default_factory=dict)
    # note-signing key fingerprint -> the clinician it was certified for
    note_keys: dict[str, str] = field(default_factory=dict)
    filled_at: datetime | None = None  # the sync that last filled it; None: never filled
    failed_since: datetime | None = None  # the first sync attempt since then that failed
    id: str = KNOWN_READERS_ID

    @property
    def outdated(self) -> bool:
        """Never filled, or a sync has failed since: what it says may have changed on the server."""
        return self.filled_at is None or self.failed_since is not None


def _table(uow: UnitOfWork) -> SealedTable[KnownReaders]:
    return SealedTable(uow.ctx, "secret", KnownReaders, label="vault setting")


def load(uow: UnitOfWork) -> KnownReaders:
    """Inside an entered unit of work."""
    return _table(uow).find(KNOWN_READERS_ID) or KnownReaders()


def save(uow: UnitOfWork, found: KnownReaders) -> None:
    table = _table(uow)
    if table.find(KNOWN_READERS_ID) is None:
        table.add(found)
    else:
        table.replace(found)


def _without_recovery(holding: dict[str, str]) -> dict[str, str]:
    return {who: role for who, role in holding.items() if who != crypto.RECOVERY}


def read(
    engine: Engine,
    ident: st.SyncIdentity,
    keys: access.ClientKeys,
    trusted: dict[str, DeviceKeys],
    copies: dict[tuple[str, str], dict[str, str]],
) -> KnownReaders:
    """The copy as the server lists it now, certified copies only (the server can add no reader of its
    own). `copies`: the certified copies the sync's key exchange read at its start (access.receive);
    the clients whose current key is not among them (drawn by this sync: a new client's first key, a
    new one after a removal) are read now, in one query on `engine` (the sync's kept connection).
    `trusted`: the devices certified under the
    practice key (roster.certified), as the pull just read them."""
    holding = {
        client_id: copies[(client_id, name)]
        for client_id in keys.keys
        if (name := access.current(keys, client_id)) and (client_id, name) in copies
    }
    drawn = [client_id for client_id in keys.keys if client_id not in holding]
    if drawn:
        with connected(engine) as connection:
            holding |= access.current_holders(connection, ident, keys, drawn)
    return KnownReaders(
        {client_id: _without_recovery(found) for client_id, found in holding.items()},
        {signing.fingerprint(k.note_public): k.clinician_id for k in trusted.values()},
        filled_at=now(),
    )


def set_client(uow: UnitOfWork, client_id: str, holding: dict[str, str]) -> None:
    """Inside an entered unit of work: one client's readers after a share or a stop made here."""
    found = load(uow)
    save(uow, replace(found, readers={**found.readers, client_id: _without_recovery(holding)}))


def drop_clinician(uow: UnitOfWork, clinician_id: str) -> None:
    """Inside an entered unit of work: a clinician removed from the practice here reads no new record of
    the clients held here (each has a new key already, wrapped for everyone but them)."""
    found = load(uow)
    kept = {c: {w: r for w, r in held.items() if w != clinician_id} for c, held in found.readers.items()}
    save(uow, replace(found, readers=kept))


def mark_failed(uow: UnitOfWork) -> None:
    """A sync attempt failed: the copy says so until a sync fills it again."""
    with uow:
        found = load(uow)
        if found.failed_since is None:
            save(uow, replace(found, failed_since=now()))
            uow.commit()
