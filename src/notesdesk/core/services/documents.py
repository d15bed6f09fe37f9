"""Which of a client's documents can be made now: read cheaply, for the Reports menu to grey out the
ones that would only end in 'this client has no … yet'."""

from __future__ import annotations

from dataclasses import dataclass

from notesdesk.core.domain.notes import NoteFormat
from notesdesk.core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class DocumentSources:
    """Whether the records behind the documents that need one exist; the others can always be made."""

    safety_plan: bool
    maintenance_plan: bool


def document_sources(uow: UnitOfWork, client_id: str) -> DocumentSources:
    """One unit of work, no audit entry. Whether a safety plan exists is read from row ids alone, without
    decrypting anything. A maintenance plan is part of a discharge note and a note's format is sealed, so
    this client's notes are read (only theirs, and only when the client has notes at all)."""
    with uow:
        safety = bool(uow.safety_plans.ids(client_id=client_id))
        maintenance = False
        if uow.notes.ids(client_id=client_id):
            maintenance = any(
                n.format == NoteFormat.DISCHARGE and n.maintenance_plan is not None
                for n in uow.notes.where(client_id=client_id)
            )
    return DocumentSources(safety_plan=safety, maintenance_plan=maintenance)
