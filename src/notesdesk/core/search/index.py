"""In-memory full-text search over decrypted notes and plans: built at unlock, never on disk.

An FTS5 table in a private `:memory:` SQLite connection with temp_store=MEMORY, so no page of the
index can reach a temp file. Dropped when the vault locks (the process ends).
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import date

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.names import name_words
from notesdesk.core.domain.notes import Addendum, SessionNote
from notesdesk.core.domain.plans import TreatmentPlan

HIT_START, HIT_END = "\x02", "\x03"


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "note" or "plan"
    object_id: str
    client_id: str
    client_name: str
    day: date | None
    snippet: str  # matched words wrapped in HIT_START/HIT_END
    client_words: tuple[str, ...] = ()  # the words of the client's names, to mask them in privacy mode

    def plain_snippet(self, start: str = "[", end: str = "]") -> str:
        return self.snippet.replace(HIT_START, start).replace(HIT_END, end)


def _plan_text(plan: TreatmentPlan) -> str:
    parts = [*plan.diagnoses, plan.strengths, plan.discharge_criteria]
    for problem in plan.problems:
        parts += [problem.title, problem.behavioral_definition]
        for goal in problem.goals:
            parts += [goal.statement, goal.client_words]
            for objective in goal.objectives:
                parts += [objective.description, objective.measurable_criterion]
                parts += [i.technique for i in objective.interventions]
    return "\n".join(p for p in parts if p)


def _query(text: str) -> str:
    """Turn what someone typed into a safe FTS5 query: every word must match, as a prefix."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if w]
    return " ".join(f'"{w}"*' for w in words)


class SearchIndex:
    def __init__(self) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute("PRAGMA temp_store=MEMORY")
        self._db.execute(
            "CREATE VIRTUAL TABLE doc USING fts5(kind UNINDEXED, object_id UNINDEXED, "
            "client_id UNINDEXED, day UNINDEXED, body, tokenize='unicode61 remove_diacritics 2')"
        )
        self._names: dict[str, str] = {}
        self._words: dict[str, tuple[str, ...]] = {}
        # object id -> FTS rowid: deleting by an UNINDEXED column would scan the whole table.
        self._rowids: dict[str, int] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def set_clients(self, clients: list[Client]) -> None:
        self._names = {c.id: c.name for c in clients}
        self._words = {c.id: name_words(c) for c in clients}

    def put_note(self, note: SessionNote, addenda: list[Addendum] = ()) -> None:  # type: ignore[assignment]
        body = "\n".join([note.text, note.risk_noted, *note.interventions, *(a.text for a in addenda)])
        self._put("note", note.id, note.client_id, note.session_date, body)

    def put_plan(self, plan: TreatmentPlan) -> None:
        self._put("plan", plan.id, plan.client_id, plan.effective_date, _plan_text(plan))

    def remove(self, object_id: str) -> None:
        with self._lock:
            self._forget(object_id)

    def _forget(self, object_id: str) -> None:
        rowid = self._rowids.pop(object_id, None)
        if rowid is not None:
            self._db.execute("DELETE FROM doc WHERE rowid = ?", (rowid,))

    def _put(self, kind: str, object_id: str, client_id: str, day: date | None, body: str) -> None:
        with self._lock:
            self._forget(object_id)
            cursor = self._db.execute(
                "INSERT INTO doc(kind, object_id, client_id, day, body) VALUES (?, ?, ?, ?, ?)",
                (kind, object_id, client_id, day.isoformat() if day else "", body),
            )
            self._rowids[object_id] = int(cursor.lastrowid or 0)

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        query = _query(text)
        if not query:
            return []
        with self._lock:
            rows = self._db.execute(
                "SELECT kind, object_id, client_id, day, "
                f"snippet(doc, 4, '{HIT_START}', '{HIT_END}', '…', 12) "
                "FROM doc WHERE doc MATCH ? ORDER BY rank LIMIT ?",
                (query, limit),
            ).fetchall()
        return [
            SearchHit(
                kind=kind,
                object_id=object_id,
                client_id=client_id,
                client_name=self._names.get(client_id, ""),
                day=date.fromisoformat(day) if day else None,
                snippet=snippet,
                client_words=self._words.get(client_id, ()),
            )
            for kind, object_id, client_id, day, snippet in rows
        ]

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM doc").fetchone()[0])
