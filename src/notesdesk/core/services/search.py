"""Building the in-memory search index from the vault in one bulk pass."""

from __future__ import annotations

from collections import defaultdict

from notesdesk.core.domain.notes import Addendum
from notesdesk.core.search.index import SearchIndex
from notesdesk.core.storage.uow import UnitOfWork


def build_index(uow: UnitOfWork) -> SearchIndex:
    index = SearchIndex()
    with uow:
        index.set_clients(uow.clients.all())
        addenda: dict[str, list[Addendum]] = defaultdict(list)
        for addendum in uow.addenda.all():
            addenda[addendum.note_id].append(addendum)
        for note in uow.notes.all():
            index.put_note(note, addenda.get(note.id, []))
        for plan in uow.plans.all():
            index.put_plan(plan)
        for homework in uow.homework.all():
            index.put_homework(homework)
        for safety in uow.safety_plans.all():  # the newest version of each client's stays
            index.put_safety_plan(safety)
    return index
