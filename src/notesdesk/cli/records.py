"""Finding the record a user named: clients by id or name prefix, the rest by id or id prefix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from notesdesk.core.domain.clients import Client
from notesdesk.core.errors import InvalidInput, NotFound
from notesdesk.core.services import lookup

if TYPE_CHECKING:  # the CLI opens the vault in one place (cli/io.py); here it is only a type
    from notesdesk.core.storage.vault import Vault

MIN_PREFIX = 6
"""The shortest start of an id that lookup.resolve_id accepts (tests/cli check the two agree)."""

LISTS = {
    "note": "note list CLIENT",
    "psychotherapy note": "note list CLIENT --private",
    "homework": "homework list CLIENT",
    "milestone": "milestone list CLIENT",
    "diagnosis": "diagnosis list CLIENT",
    "attachment": "attach list CLIENT",
    "payment": "payment list CLIENT",
}


def find_client(vault: Vault, query: str) -> Client:
    return lookup.resolve_client(vault.unit_of_work(), query)


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
    return resolve(lookup.record_ids(vault.unit_of_work(), label), query, label)
