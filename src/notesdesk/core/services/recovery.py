"""What a run that ended unexpectedly left saved: the drafts autosaved and the unsent text kept while
it ran, so the next start can tell the therapist what is there (and for whom) instead of leaving her
to wonder what was lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from notesdesk.core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Recovered:
    note_drafts: int
    private_notes: int
    unsent_texts: int
    client_ids: tuple[str, ...]  # whose record holds them, most recent first
    latest: datetime | None  # the last moment something was saved

    @property
    def anything(self) -> bool:
        return bool(self.note_drafts or self.private_notes or self.unsent_texts)


def saved_since(uow: UnitOfWork, since: datetime) -> Recovered:
    """Unsigned note drafts, psychotherapy notes and unsent text (addenda, plan reviews) saved at or
    after `since`. Reads only what can have changed: signed notes are never drafts, so they are
    skipped by their clear `signed` column without being decrypted."""
    since = since.replace(microsecond=0)  # stored times are to the second
    with uow:
        drafts = [n for n in uow.notes.where(signed=0) if n.updated_at >= since]
        private = [p for p in uow.private_notes.all() if p.updated_at >= since]
        unsent = [t for t in uow.pending_texts.all() if t.updated_at >= since]
    touched = sorted(
        [(n.updated_at, n.client_id) for n in drafts]
        + [(p.updated_at, p.client_id) for p in private]
        + [(t.updated_at, t.client_id) for t in unsent],
        reverse=True,
    )
    clients = tuple(dict.fromkeys(client_id for _when, client_id in touched))
    return Recovered(len(drafts), len(private), len(unsent), clients, touched[0][0] if touched else None)
