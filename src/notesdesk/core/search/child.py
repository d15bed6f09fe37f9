"""The search index's child process: what runs in it, and nothing the parent's start-up needs.

Started by core/services/search_process.py. This module imports no SQLAlchemy, no migrations and no
service: the child's interpreter starts in a fraction of the time the whole vault stack takes to
import (tests/core/test_search_child.py keeps it that way). It reads the sealed rows the index needs
with sqlite3 itself (read-only, a page of notes per statement so the app's writes never wait long),
opens them with a sealer that holds only the fields key (never the data key, never the psychotherapy
notes' key), and decodes of each note only the fields the index reads (`NoteView`). It builds the
index exactly as `services/search.build_index` does in process, hands it back as a SQLite image
through the pipe, and ends; it writes nothing anywhere.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import msgspec

from notesdesk.core.crypto.cipher import FieldCipher
from notesdesk.core.domain.care import Homework, SafetyPlan
from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.notes import Addendum, RiskLevel, risk_words, sections_text
from notesdesk.core.domain.plans import TreatmentPlan
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.search.index import SearchIndex
from notesdesk.core.storage.sealer import Sealer

# Each sealed table's clear columns, as the associated data binds them (storage/tables.py's
# SEALED_TABLES, which imports SQLAlchemy; tests/core/test_search_child.py checks the two agree).
CLEAR_COLUMNS: dict[str, tuple[str, ...]] = {
    "client": ("rev",),
    "note": ("client_id", "rev", "signed"),
    "addendum": ("note_id", "client_id", "rev", "signed"),
    "plan": ("client_id", "rev"),
    "homework": ("client_id", "rev"),
    "safety_plan": ("client_id", "rev"),
}


@dataclass(frozen=True)
class Order:
    path: str
    vault_id: str
    fields_key: bytes = field(repr=False)
    notes_per_page: int


@dataclass(frozen=True)
class Failed:
    message: str


class SectionView(msgspec.Struct, frozen=True):
    title: str
    text: str = ""


class RiskView(msgspec.Struct, frozen=True):
    level: RiskLevel
    factors: str = ""
    plan: str = ""


class NoteView(msgspec.Struct, frozen=True):
    """The fields of a SessionNote the index reads; the rest of the record is skipped undecoded (its
    signature, times, plan links, maintenance plan). `text` and `risk_text` are SessionNote's own."""

    id: str
    client_id: str
    session_date: date
    created_at: datetime
    sections: tuple[SectionView, ...]
    interventions: tuple[str, ...] = ()
    risk_noted: str = ""
    risk: RiskView | None = None

    @property
    def text(self) -> str:
        return sections_text(self.sections)

    @property
    def risk_text(self) -> str:
        return risk_words(self.risk, self.risk_noted)


class SealedRows:
    """The sealed rows of the vault file at `path`, opened with `sealer`; read-only."""

    def __init__(self, path: Path, sealer: Sealer) -> None:
        self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                   isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA trusted_schema=OFF")
        self._db.execute("PRAGMA temp_store=MEMORY")
        tables = self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        self._tables = {row[0] for row in tables}
        self._sealer = sealer

    def close(self) -> None:
        self._db.close()

    def page[T](self, table: str, kind: type[T], after: int = 0, size: int = -1) -> tuple[list[T], int]:
        """Up to `size` rows (all: -1) after SQLite row number `after`, in storage order, and the row
        number to go on after. One statement, so one short read transaction."""
        if table not in self._tables:  # a table of a later schema than this vault's
            return [], after
        names = CLEAR_COLUMNS[table]
        columns = ", ".join(("id", *names, "data", "rowid"))
        rows = self._db.execute(
            f"SELECT {columns} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?", (after, size)
        ).fetchall()
        opened = [self._sealer.open(table, row[0], dict(zip(names, row[1:-2], strict=True)), row[-2], kind)
                  for row in rows]
        return opened, (int(rows[-1][-1]) if rows else after)

    def all[T](self, table: str, kind: type[T]) -> list[T]:
        return self.page(table, kind)[0]

    def note_pages(self, size: int) -> Iterator[list[NoteView]]:
        after = 0
        while True:
            notes, after = self.page("note", NoteView, after, size)
            yield notes
            if len(notes) < size:
                return


def build_from_file(order: Order) -> SearchIndex:
    """The index of the vault file the order names: the same documents, in the same order, as
    services/search.build_index makes in process."""
    sealer = Sealer(FieldCipher(order.fields_key, order.vault_id), None)
    rows = SealedRows(Path(order.path), sealer)
    index = SearchIndex()
    try:
        with index.bulk():
            index.set_clients(rows.all("client", Client))
            addenda: dict[str, list[Addendum]] = defaultdict(list)
            for addendum in rows.all("addendum", Addendum):
                addenda[addendum.note_id].append(addendum)
            for plan in rows.all("plan", TreatmentPlan):
                index.put_plan(plan)
            for homework in rows.all("homework", Homework):
                index.put_homework(homework)
            for safety in rows.all("safety_plan", SafetyPlan):
                index.put_safety_plan(safety)
            for notes in rows.note_pages(order.notes_per_page):
                for note in sorted(notes, key=lambda n: (n.session_date, n.created_at)):
                    index.put_note(note, addenda.get(note.id, []))
    except BaseException:
        index.close()
        raise
    finally:
        rows.close()
    return index


def _end_with_parent() -> None:
    """If the app ends (even killed) while this child works, end too, at once."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def serve(conn: Any) -> None:
    """The child's whole life: one order in, one index (or one failure) out."""
    _end_with_parent()
    try:
        order = conn.recv()
        index = build_from_file(order)
        image, state = index.image()
        index.close()
        conn.send(state)
        conn.send_bytes(image)
    except NotesdeskError as exc:  # our own messages say what happened and hold no client data
        conn.send(Failed(str(exc)))
    except BaseException as exc:  # never its text: it could quote a record
        conn.send(Failed(type(exc).__name__))
    finally:
        conn.close()
