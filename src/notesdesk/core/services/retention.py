"""Destroying a client's record once its retention period has passed — never before, never silently."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete

from notesdesk.core.errors import Conflict
from notesdesk.core.services.clients import ensure_deletable, retain_until
from notesdesk.core.storage.entities import destruction_order
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.tables import PurgeRow
from notesdesk.core.storage.uow import UnitOfWork

PURGED_ID = "purged-clients"


@dataclass(frozen=True)
class PurgedClients:
    """The clients whose whole record was deleted here at the end of retention. A practice colleague
    keeps their own copy (each clinician's retention duty is their own), and a sync leaves out what
    they send of it rather than start a partial record again (core/sync/pull.py). Ids only, sealed."""

    clients: list[str] = field(default_factory=list)
    id: str = PURGED_ID


def _purged_table(uow: UnitOfWork) -> SealedTable[PurgedClients]:
    return SealedTable(uow.ctx, "secret", PurgedClients, label="vault setting")


def purged_clients(uow: UnitOfWork) -> frozenset[str]:
    """Inside an entered unit of work: the clients whose record was deleted here."""
    found = _purged_table(uow).find(PURGED_ID)
    return frozenset(found.clients if found is not None else ())


def _remember_purged(uow: UnitOfWork, client_id: str) -> None:
    table = _purged_table(uow)
    found = table.find(PURGED_ID)
    if found is None:
        table.add(PurgedClients([client_id]))
    else:
        table.replace(PurgedClients([*found.clients, client_id]))


@dataclass(frozen=True)
class RetentionStatus:
    client_id: str
    last_service: date | None
    retain_until: date | None


def last_service(uow: UnitOfWork, client_id: str) -> date | None:
    with uow:
        dates = [n.session_date for n in uow.notes.where(client_id=client_id)]
    return max(dates, default=None)


def retention_status(uow: UnitOfWork, client_id: str) -> RetentionStatus:
    last = last_service(uow, client_id)
    with uow:
        client = uow.clients.get(client_id)
    return RetentionStatus(client_id, last, retain_until(client, last, uow.vault.profile()))


def delete_client_record(uow: UnitOfWork, client_id: str, confirmed: bool) -> int:
    """Delete every row of the client's record; returns how many rows went. Refused before the
    retain-until date, and without explicit confirmation. The audit log keeps the fact of deletion."""
    last = last_service(uow, client_id)
    with uow:
        client = uow.clients.get(client_id)
    ensure_deletable(client, last, uow.vault.profile())
    if not confirmed:
        raise Conflict("Deleting a record cannot be undone; confirm to go ahead.")
    removed = 0
    with uow:
        assert uow.session is not None
        uow.lift_supervision_guard()  # the copy held here is this vault's to delete, supervised or not
        uow.session.add(PurgeRow(client_id=client_id))
        uow.session.flush()
        for entity in destruction_order():  # children before parents: foreign keys hold throughout
            table = getattr(uow, entity.repository)
            for row_id in table.ids(client_id=client_id):
                table.remove(row_id)
                removed += 1
        uow.clients.remove(client_id)
        _remember_purged(uow, client_id)
        uow.session.execute(delete(PurgeRow).where(PurgeRow.client_id == client_id))
        uow.record(
            "delete client record", "client", client_id, detail=f"{removed + 1} rows, retention passed"
        )
        uow.commit()
    return removed + 1
