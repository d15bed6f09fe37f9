"""Finding the record a user named: clients by id or name prefix, the rest by id or id prefix."""

from __future__ import annotations

from notesdesk.core.domain.clients import Client
from notesdesk.core.errors import InvalidInput, NotFound
from notesdesk.core.services import lookup
from notesdesk.core.storage.vault import Vault

TABLES = {
    "note": "notes",
    "psychotherapy note": "private_notes",
    "homework": "homework",
    "milestone": "milestones",
    "diagnosis": "diagnoses",
}
MIN_PREFIX = 6
"""The shortest start of an id that lookup.resolve_id accepts (tests/cli check the two agree)."""

LISTS = {
    "note": "note list CLIENT",
    "psychotherapy note": "note list CLIENT --private",
    "homework": "homework list CLIENT",
    "milestone": "milestone list CLIENT",
    "diagnosis": "diagnosis list CLIENT",
}


def find_client(vault: Vault, query: str) -> Client:
    with vault.unit_of_work() as uow:
        return lookup.resolve_client(uow, query)


def resolve(ids: list[str], query: str, label: str) -> str:
    """lookup.resolve_id, saying how ids may be shortened when nothing matches."""
    try:
        return lookup.resolve_id(ids, query, label)
    except NotFound:
        wanted = query.strip()
        if len(wanted) < MIN_PREFIX and any(i.startswith(wanted) for i in ids):
            raise InvalidInput(
                f"'{wanted}' is too short: give at least {MIN_PREFIX} characters of the {label} id."
            ) from None
        where = f" ('notesdesk {LISTS[label]}' shows them)" if label in LISTS else ""
        raise NotFound(
            f"No {label} with id {wanted}. Give the id in full or its first {MIN_PREFIX} characters "
            f"or more{where}."
        ) from None


def find_id(vault: Vault, label: str, query: str) -> str:
    """The full id of the note / homework / milestone the user named by id or unique prefix."""
    with vault.unit_of_work() as uow:
        ids = getattr(uow, TABLES[label]).ids()
    return resolve(ids, query, label)


def client_names(vault: Vault) -> dict[str, str]:
    with vault.unit_of_work() as uow:
        return {c.id: c.name for c in uow.clients.all()}
