"""A client returned to care on two devices while offline (docs/design-notes.md §9, *Episodes of
care*): each device opened an episode, so after syncing the client would have two current ones. Every
vault that finds this after a pull keeps the earliest reopening open (then the smaller id) and closes
each later one on the day it opened, saying where care went on. Each vault makes the same edit from the
same rows, so the copies it sends of it arrive where they are already held ("same"): all converge,
nothing is deleted, and the folded episode's notes and measures stay linked to it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from notesdesk.core.domain.clients import Episode
from notesdesk.core.storage.uow import UnitOfWork


def folded_reason(current: Episode) -> str:
    return f"reopened on two devices: care went on in the episode opened {current.opened_on.isoformat()}"


def fold_reopened(uow: UnitOfWork, client_ids: Iterable[str]) -> int:
    """Inside the pull's unit of work: one open episode per client; returns the episodes closed."""
    closed = 0
    for client_id in sorted(set(client_ids)):
        held = uow.episodes.where(client_id=client_id)
        still_open = sorted((e for e in held if e.is_open), key=lambda e: (e.opened_on, e.id))
        for episode in still_open[1:]:
            reason = folded_reason(still_open[0])
            uow.episodes.replace(replace(episode, closed_on=episode.opened_on, reason=reason))
            closed += 1
    return closed
