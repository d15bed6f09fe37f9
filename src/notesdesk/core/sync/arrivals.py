"""The rows of one pulled push taken in together (docs/design-notes.md §9, "Speed").

A new device receives the whole practice: tens of thousands of rows, nearly all of them new here. Asking
for each row whether it is stored (a decrypting read), whether its client is, and then writing it with
its own audit entry and head cost milliseconds a row. Here, instead: which of the push's rows are stored
is asked once, by id (nothing opened); a parent received earlier in the same pull is remembered; and a
new row waits to be inserted with the others of its push, in one statement per table, their audit
entries (still one per row) chained together and the head written once (store.SealedTable.add_many).

The waiting rows are inserted before anything reads what they would change (`settle`): any row that is
not simply new here goes the one-by-one way of shared.incoming, after them. Everything stays in the
pull's unit of work, so a push cut off anywhere is applied whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from notesdesk.core.storage.entities import BY_TABLE, ENTITIES
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.uow import UnitOfWork


class Arrivals:
    """What one push brings, as far as this vault has taken it in; `settle` before reading the vault."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._known: dict[str, dict[str, bool]] = {}  # table -> row id -> stored here or waiting
        self._waiting: dict[str, list[Any]] = {}  # table -> new rows not inserted yet
        self._conflicts: bool | None = None  # whether any received version waits for a person

    def _repository(self, table: str) -> SealedTable[Any]:
        repository: SealedTable[Any] = getattr(self._uow, BY_TABLE[table].repository)
        return repository

    def expect(self, rows: Iterable[tuple[str, str]]) -> None:
        """Ask once, by id, which of these (table, row id) are stored here already."""
        by_table: dict[str, list[str]] = {}
        for table, row_id in rows:
            if table in BY_TABLE and BY_TABLE[table].repository:
                by_table.setdefault(table, []).append(row_id)
        for table, row_ids in by_table.items():
            known = self._known.setdefault(table, {})
            fresh = [row_id for row_id in dict.fromkeys(row_ids) if row_id not in known]
            found = self._repository(table).stored(fresh)
            known.update({row_id: row_id in found for row_id in fresh})

    def exists(self, table: str, row_id: str) -> bool:
        """Stored here, or waiting to be (a row not asked about before is looked up by id)."""
        known = self._known.setdefault(table, {})
        if row_id not in known:
            known[row_id] = bool(self._repository(table).stored([row_id]))
        return known[row_id]

    def add(self, table: str, obj: Any) -> None:
        """A row new here: inserted with the others at the next `settle`."""
        self._waiting.setdefault(table, []).append(obj)
        self._known.setdefault(table, {})[obj.id] = True

    def waiting(self, table: str) -> list[Any]:
        """The rows of a table waiting to be inserted."""
        return self._waiting.get(table, [])

    def forget(self, table: str, row_id: str) -> None:
        """A row written (or not) one by one: asked about again, by id, when next needed."""
        self._known.get(table, {}).pop(row_id, None)

    def conflicts_waiting(self) -> bool:
        """Whether any received version waits for a person here (asked by id, once until `settle`)."""
        if self._conflicts is None:
            self._conflicts = bool(self._uow.sync_conflicts.ids())
        return self._conflicts

    def settle(self) -> None:
        """Insert the waiting rows, each table's in one go, parents before children (the registry's
        order, which the foreign keys follow)."""
        self._conflicts = None
        for table in sorted(self._waiting, key=_ORDER.__getitem__):
            self._repository(table).add_many(self._waiting[table], action="receive", decoded=True)
        self._waiting.clear()


_ORDER = {entity.table: n for n, entity in enumerate(ENTITIES)}
