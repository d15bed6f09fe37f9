"""Building the in-memory search index from the vault: one decryption pass, a page of notes at a time."""

from __future__ import annotations

from collections import defaultdict

from notesdesk.core.domain.notes import Addendum
from notesdesk.core.search.index import SearchIndex
from notesdesk.core.storage.uow import UnitOfWork

# Notes decrypted per unit of work. Each page is some tens of milliseconds of the vault's one
# connection, so a read on the UI thread (opening a client) waits for one page, never for the whole
# build, and the build never holds more than one page of decrypted notes besides the index itself.
NOTES_PER_PAGE = 1000


def build_index(uow: UnitOfWork, notes_per_page: int = NOTES_PER_PAGE) -> SearchIndex:
    """Every client, plan, homework, current safety plan and note (with its addenda) in a new index.
    Run off the UI thread by the app, which also applies the changes announced while it ran
    (ui/keepers/search.py): a note written between two pages is put in the index by that change if
    its page was already read."""
    index = SearchIndex()
    with index.bulk():
        _read_into(uow, index, notes_per_page)
    return index


def _read_into(uow: UnitOfWork, index: SearchIndex, notes_per_page: int) -> None:
    with uow:
        index.set_clients(uow.clients.all())
        addenda: dict[str, list[Addendum]] = defaultdict(list)
        for addendum in uow.addenda.all():
            addenda[addendum.note_id].append(addendum)
        for plan in uow.plans.all():
            index.put_plan(plan)
        for homework in uow.homework.all():
            index.put_homework(homework)
        for safety in uow.safety_plans.all():  # the newest version of each client's stays
            index.put_safety_plan(safety)
    after = 0
    while True:
        with uow:
            notes, after = uow.notes.page(after, notes_per_page)
        # Oldest session first: documents are numbered in date order (core/search/index.py); the
        # child process (core/search/child.py) reads the same pages in the same order.
        for note in sorted(notes, key=lambda n: (n.session_date, n.created_at)):
            index.put_note(note, addenda.get(note.id, []))
        if len(notes) < notes_per_page:
            return
