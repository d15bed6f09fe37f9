"""Removals travel between devices as tombstones (docs/design-notes.md §9, "Removals").

A removal of a row of a synced kind marked `removable` in shared.SPECS (a diagnosis, payment or consent
recorded in error, the next session cleared) is audited here as "delete", naming the row's client
(store.SealedTable.remove). The next push sends it as a row of table `tombstone`: the removed row's
table, id and client and the revision it was last synced at (its `base`), sealed under the client's key
through access.seal like any shared row, in the device's signed log. A receiving vault removes the row
through its repository (the unit of work rewrites the client's summary), audited "receive-delete",
which never goes back.

Rules: a removal of a row this vault does not hold (never had it, removed already) is a no-op, so a
replay changes nothing. A removal of a row edited since the remover last synced it is not applied: the
edit wins, on both devices (the remover's vault takes the edit back in as it would any new row), and
the vault counts it held; nothing is lost. A removal under another client than the row's, of a kind
that is never removed, or from a device whose clinician may not write the client (a supervisor) is
refused or not taken, as any row is. A client's whole record deleted at the end of retention does not
travel: each clinician's retention duty is their own (`purged` below)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import msgspec

from notesdesk.core.storage.sealer import decode, encode
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.sync import shared
from notesdesk.core.sync.access import client_of
from notesdesk.core.sync.arrivals import Arrivals

TABLE = "tombstone"
REMOVED = "delete"  # the audit action of a removal made here (a received one is "receive-delete")
RECEIVED = "receive-delete"
SENT = shared.REMOVED_HERE  # a row's base once its removal has gone out: it is not sent again


@dataclass(frozen=True)
class Tombstone:
    """A removal as it travels: `id` is the removed row's (so a replay names the same row)."""

    table: str
    id: str
    client_id: str
    base: tuple[str, ...] = ()


def removable(table: str) -> bool:
    spec = shared.SPECS.get(table)
    return spec is not None and spec.removable


def client_named(detail: str) -> str:
    """The client an audited removal names ("client ID"); "" for one audited before removals synced,
    which cannot be sealed under its client's key and so stays here (docs/design-notes.md §9)."""
    prefix, _space, client_id = detail.partition(" ")
    return client_id if prefix == "client" else ""


def outgoing(
    uow: UnitOfWork, table: str, row_id: str, client_id: str, bases: Mapping[str, list[str]]
) -> tuple[bytes, Tombstone] | None:
    """The removal's payload, or None when it does not travel: the row is back (never: ids are not
    reused, but a removal must not hide a row that is here), its client is unknown, or the client's
    whole record was deleted here (retention)."""
    if not client_id or shared.repository_of(uow, table).stored([row_id]):
        return None
    if not uow.clients.stored([client_id]):
        return None
    base = bases.get(shared.row_key(table, row_id), [])
    if base == [SENT]:  # sent already (a batch cut by bytes makes the next one read its entry again)
        return None
    stone = Tombstone(table, row_id, client_id, tuple(base))
    return encode(stone), stone


def opened(row_id: str, payload: bytes) -> shared.Opened:
    """A received tombstone decoded (Refused when it does not decode or names another row)."""
    try:
        stone = decode(payload, Tombstone)
    except msgspec.DecodeError as exc:
        raise shared.Refused("holds a removal that fails its seal") from exc
    if stone.id != row_id:
        raise shared.Refused("holds a removal filed under another row's id")
    return shared.Opened(TABLE, stone, payload, stone.base)


def incoming(uow: UnitOfWork, stone: Tombstone, bases: dict[str, list[str]], arrivals: Arrivals) -> str:
    """Apply a verified removal: "removed", "same" (nothing here to remove) or "held" (edited here
    since the remover last synced it: the edit wins)."""
    if not removable(stone.table):
        raise shared.Refused("holds a removal of a kind of record that is never removed")
    arrivals.settle()  # rows of the same push waiting to be inserted are in before anything is removed
    arrivals.forget(stone.table, stone.id)
    repository = shared.repository_of(uow, stone.table)
    local = repository.find(stone.id)
    if local is None:
        return "same"
    if client_of(stone.table, local) != stone.client_id:
        raise shared.Refused("holds a removal filed under another client")
    # An empty base: the remover had no synced revision on record (a row synced before revisions
    # were kept); it removes what it knew, as a removal here would.
    if stone.base and shared.content_token(encode(local)) not in stone.base:
        uow.record("sync-removal-held", stone.table, stone.id, detail="edited here since; kept")
        return "held"
    if stone.table in ("attachment", "attachment_chunk"):
        # An attachment is only ever deleted whole: the first of its removals to arrive (its parts' go
        # first, perhaps in an earlier pull) takes it all, so no pull leaves a part missing, and parts
        # the remover never received go too.
        whole = stone.id if stone.table == "attachment" else local.attachment_id
        for chunk_id in uow.attachment_chunks.ids(attachment_id=whole):
            uow.attachment_chunks.remove(chunk_id, action=RECEIVED)
            arrivals.forget("attachment_chunk", chunk_id)
        uow.attachments.remove(whole, action=RECEIVED)
        arrivals.forget("attachment", whole)
        return "removed"
    repository.remove(stone.id, action=RECEIVED)
    bases.pop(shared.row_key(stone.table, stone.id), None)
    return "removed"
