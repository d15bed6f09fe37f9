"""Finding clients and notes the way people type them: by id or an unambiguous name prefix."""

from __future__ import annotations

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.names import fold
from notesdesk.core.errors import InvalidInput, NotFound
from notesdesk.core.storage.entities import by_label
from notesdesk.core.storage.uow import UnitOfWork

__all__ = ["fold", "record_ids", "resolve_client", "resolve_id"]


def resolve_client(uow: UnitOfWork, query: str) -> Client:
    """The one client `query` names (an id, the start of one, or the start of a name); one unit of
    work, no audit entry (finding is not viewing: what is then shown is audited)."""
    query = query.strip()
    if not query:
        raise InvalidInput("Name a client by id or by the start of their name.")
    with uow:
        found = uow.clients.find(query)
        if found is not None:
            return found
        clients = uow.clients.all()
    matches = [c for c in clients if c.id.startswith(query)] if len(query) >= 8 else []
    if not matches:
        wanted = fold(query)
        matches = [
            c
            for c in clients
            if fold(c.name).startswith(wanted)
            or fold(c.preferred_name).startswith(wanted)
            or any(fold(part).startswith(wanted) for part in c.name.split())
        ]
        exact = [c for c in matches if fold(c.name) == wanted]
        matches = exact or matches
    if not matches:
        raise NotFound("No client matches that name or id.")
    if len(matches) > 1:
        raise InvalidInput(
            f"{len(matches)} clients match; type more of the name or use the id "
            "(see 'notesdesk client list')."
        )
    return matches[0]


def resolve_id(ids: list[str], query: str, label: str) -> str:
    """A full id or a unique prefix of at least 6 characters."""
    query = query.strip()
    if query in ids:
        return query
    matches = [i for i in ids if len(query) >= 6 and i.startswith(query)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"No {label} with id {query}.")
    raise InvalidInput(f"Several {label}s start with {query}; give more of the id.")


def record_ids(uow: UnitOfWork, label: str) -> list[str]:
    """Every id of the kind of record messages call `label` ("note", "homework", ...), to resolve a
    typed id or prefix against (resolve_id)."""
    repository = by_label(label).repository
    with uow:
        ids: list[str] = getattr(uow, repository).ids()
    return ids
