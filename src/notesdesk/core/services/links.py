"""References from homework, check-ins, measures and milestones to session notes, kept pointing at notes
that exist. These helpers work inside the caller's unit of work (they neither open nor commit one), so a
note's change and the links that follow it are written, and audited, in one transaction."""

from __future__ import annotations

from dataclasses import replace

from notesdesk.core.domain.care import Homework
from notesdesk.core.domain.notes import SessionNote
from notesdesk.core.errors import InvalidInput
from notesdesk.core.storage.uow import UnitOfWork


def latest_assigning_note(uow: UnitOfWork, homework: Homework, excluding: str) -> str | None:
    """The most recent other note of the client that records `homework` as assigned in it (None: none)."""
    found = [
        n for n in uow.notes.where(client_id=homework.client_id)
        if n.id != excluding and homework.id in n.homework_assigned
    ]
    latest = max(found, key=lambda n: (n.session_date, n.created_at), default=None)
    return latest.id if latest else None


def _link_is_stale(uow: UnitOfWork, homework: Homework) -> bool:
    return homework.assigned_in_note is None or uow.notes.find(homework.assigned_in_note) is None


def sync_assigned_homework(uow: UnitOfWork, note: SessionNote, before: tuple[str, ...] = ()) -> None:
    """After a draft is written: homework ticked as assigned in it is linked to it, homework unticked
    since `before` is linked back to the latest other note that assigned it (or to none).

    Homework already linked to another existing note moves here only when newly ticked, so two drafts
    ticking the same homework do not take it from each other at every autosave. An id that no longer
    names any homework is left alone (nothing to link)."""
    ticked = set(note.homework_assigned)
    for homework_id in note.homework_assigned:
        homework = uow.homework.find(homework_id)
        if homework is None or homework.assigned_in_note == note.id:
            continue
        if homework.client_id != note.client_id:
            raise InvalidInput("That homework belongs to another client.")
        newly_ticked = homework_id not in before  # (re-)assigned in this note
        if newly_ticked or _link_is_stale(uow, homework):
            uow.homework.replace(replace(homework, assigned_in_note=note.id))
    for homework_id in dict.fromkeys(before):
        if homework_id in ticked:
            continue
        homework = uow.homework.find(homework_id)
        if homework is not None and homework.assigned_in_note == note.id:
            fallback = latest_assigning_note(uow, homework, excluding=note.id)
            uow.homework.replace(replace(homework, assigned_in_note=fallback))


def clear_note_references(uow: UnitOfWork, note: SessionNote) -> None:
    """Before a draft is deleted: nothing may point at it afterwards. Homework assigned in it goes back
    to the latest other note that assigned it (or to none); check-ins, measures and milestone evidence
    lose the link but are otherwise kept."""
    gone = note.id
    for homework in uow.homework.where(client_id=note.client_id):
        linked = homework.assigned_in_note == gone
        if not linked and all(c.note_id != gone for c in homework.checkins):
            continue
        checkins = tuple(replace(c, note_id=None) if c.note_id == gone else c for c in homework.checkins)
        assigned = homework.assigned_in_note
        if linked:
            assigned = latest_assigning_note(uow, homework, excluding=gone)
        uow.homework.replace(replace(homework, assigned_in_note=assigned, checkins=checkins))
    for administration in uow.measures.where(client_id=note.client_id):
        if administration.note_id == gone:
            uow.measures.replace(replace(administration, note_id=None))
    for milestone in uow.milestones.where(client_id=note.client_id):
        if gone in milestone.evidence_note_ids:
            evidence = tuple(i for i in milestone.evidence_note_ids if i != gone)
            uow.milestones.replace(replace(milestone, evidence_note_ids=evidence))
