"""Unsent text: an addendum or a plan-review summary being typed, kept sealed in the vault until it
is added, recorded or discarded, so that a lock (which ends the process) or a crash never loses it.

Keeping text never signs or records anything: adding an addendum signs it, so that stays the user's
explicit act. Each box keeps one text: an addendum box one per note, the review box one per client
(reviews are recorded on whichever plan is active). Every write is audited like any other.
"""

from __future__ import annotations

from dataclasses import replace

from notesdesk.core.domain.common import now
from notesdesk.core.domain.pending import PendingKind, PendingText
from notesdesk.core.errors import InvalidInput
from notesdesk.core.storage.uow import UnitOfWork


def _same_box(kept: PendingText, kind: PendingKind, target_id: str) -> bool:
    return kept.kind == kind and (kind == PendingKind.PLAN_REVIEW or kept.target_id == target_id)


def find_within(uow: UnitOfWork, client_id: str, kind: PendingKind, target_id: str) -> PendingText | None:
    """What is kept for this box, read inside a unit of work that is already open."""
    kept = [p for p in uow.pending_texts.where(client_id=client_id) if _same_box(p, kind, target_id)]
    return max(kept, key=lambda p: (p.updated_at, p.id), default=None)


def drop_within(uow: UnitOfWork, client_id: str, kind: PendingKind, target_id: str) -> bool:
    """Remove what is kept for this box inside an open unit of work (the one that adds the addendum
    or records the review, so the text goes exactly when it was used). True when something went."""
    dropped = False
    for kept in uow.pending_texts.where(client_id=client_id):
        if _same_box(kept, kind, target_id):
            uow.pending_texts.remove(kept.id)
            dropped = True
    return dropped


def _check_target(uow: UnitOfWork, client_id: str, kind: PendingKind, target_id: str) -> None:
    if kind == PendingKind.ADDENDUM:
        owner = uow.notes.get(target_id).client_id
    elif target_id:
        owner = uow.plans.get(target_id).client_id
    else:
        owner = uow.clients.get(client_id).id  # a review typed while no plan is active
    if owner != client_id:
        raise InvalidInput("This text belongs to another client's record.")


def save_pending(
    uow: UnitOfWork, client_id: str, kind: PendingKind, target_id: str, text: str, choice: str = ""
) -> PendingText | None:
    """Keep the box's text as typed (replacing what was kept for it); blank text discards what was
    kept. Returns what is kept now. Unchanged text writes nothing."""
    kind = PendingKind(kind)
    if not text.strip():
        discard_pending(uow, client_id, kind, target_id)
        return None
    with uow:
        _check_target(uow, client_id, kind, target_id)
        stored = find_within(uow, client_id, kind, target_id)
        if stored is not None and (stored.target_id, stored.text, stored.choice) == (target_id, text, choice):
            return stored
        if stored is None:
            kept = uow.pending_texts.add(PendingText(client_id, kind, target_id, text, choice))
        else:
            kept = replace(stored, target_id=target_id, text=text, choice=choice, updated_at=now())
            uow.pending_texts.replace(kept)
        uow.commit()
    return kept


def get_pending(
    uow: UnitOfWork, client_id: str, kind: PendingKind, target_id: str = ""
) -> PendingText | None:
    with uow:
        return find_within(uow, client_id, PendingKind(kind), target_id)


def list_pending(uow: UnitOfWork, client_id: str) -> list[PendingText]:
    with uow:
        kept = uow.pending_texts.where(client_id=client_id)
    return sorted(kept, key=lambda p: (p.updated_at, p.id))


def discard_pending(uow: UnitOfWork, client_id: str, kind: PendingKind, target_id: str = "") -> bool:
    """The user threw the text away (or cleared the box). True when something kept was removed."""
    with uow:
        dropped = drop_within(uow, client_id, PendingKind(kind), target_id)
        if dropped:
            uow.commit()
    return dropped
