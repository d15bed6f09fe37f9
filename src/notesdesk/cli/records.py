"""Finding the record a user named: clients by id or name prefix, the rest by id or id prefix."""

from __future__ import annotations

from notesdesk.core.domain.clients import Client
from notesdesk.core.services import lookup
from notesdesk.core.storage.vault import Vault

TABLES = {
    "note": "notes",
    "psychotherapy note": "private_notes",
    "homework": "homework",
    "milestone": "milestones",
}


def find_client(vault: Vault, query: str) -> Client:
    with vault.unit_of_work() as uow:
        return lookup.resolve_client(uow, query)


def find_id(vault: Vault, label: str, query: str) -> str:
    """The full id of the note / homework / milestone the user named by id or unique prefix."""
    with vault.unit_of_work() as uow:
        ids = getattr(uow, TABLES[label]).ids()
    return lookup.resolve_id(ids, query, label)


def client_names(vault: Vault) -> dict[str, str]:
    with vault.unit_of_work() as uow:
        return {c.id: c.name for c in uow.clients.all()}
