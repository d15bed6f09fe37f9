"""In-memory full-text search over decrypted notes, plans and client names: built at unlock, never on disk.

An FTS5 table in a private `:memory:` SQLite connection with temp_store=MEMORY, so no page of the
index can reach a temp file. Dropped when the vault locks (the process ends).

Clients come first (their names are what people type to find them), then notes and plans newest first:
a clinical record is read by date, and every hit already contains every word typed. The client's own
words (a goal 'in the client's words') sit in a column of their own, so privacy mode can hide a snippet
taken from them.
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
DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "client", "note" or "plan"
    object_id: str
    client_id: str
    client_name: str
    day: date | None
    snippet: str  # matched words wrapped in HIT_START/HIT_END
    client_words: tuple[str, ...] = ()  # the words of the client's names, to mask them in privacy mode
    in_own_words: bool = False  # the snippet quotes the client's own words (a goal's 'client_words')

    def plain_snippet(self, start: str = "[", end: str = "]") -> str:
        return self.snippet.replace(HIT_START, start).replace(HIT_END, end)


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]  # at most the limit asked for
    total: int  # every match, however many were shown

    @property
    def truncated(self) -> bool:
        return self.total > len(self.hits)


def _plan_text(plan: TreatmentPlan) -> tuple[str, str]:
    """The plan's text, and apart from it the client's own words."""
    parts = [*plan.diagnoses, plan.strengths, plan.discharge_criteria]
    own: list[str] = []
    for problem in plan.problems:
        parts += [problem.title, problem.behavioral_definition]
        for goal in problem.goals:
            parts.append(goal.statement)
            own.append(goal.client_words)
            for objective in goal.objectives:
                parts += [objective.description, objective.measurable_criterion]
                parts += [i.technique for i in objective.interventions]
    return "\n".join(p for p in parts if p), "\n".join(w for w in own if w)


def _client_text(client: Client) -> str:
    return "\n".join(n for n in (client.name, client.preferred_name) if n)


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
            "client_id UNINDEXED, day UNINDEXED, body, own_words, "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        self._names: dict[str, str] = {}
        self._words: dict[str, tuple[str, ...]] = {}
        # object id -> FTS rowid: deleting by an UNINDEXED column would scan the whole table.
        self._rowids: dict[str, int] = {}
        self._kinds: dict[str, str] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def set_clients(self, clients: list[Client]) -> None:
        """Names for the hits' headings, and each client as a hit of its own (found by full or preferred
        name); clients no longer in the list are dropped."""
        self._names = {c.id: c.name for c in clients}
        self._words = {c.id: name_words(c) for c in clients}
        with self._lock:
            gone = [object_id for object_id, kind in self._kinds.items()
                    if kind == "client" and object_id not in self._names]
            for object_id in gone:
                self._forget(object_id)
        for c in clients:
            self._put("client", c.id, c.id, None, _client_text(c))

    def put_note(self, note: SessionNote, addenda: list[Addendum] = ()) -> None:  # type: ignore[assignment]
        body = "\n".join([note.text, note.risk_text, *note.interventions, *(a.text for a in addenda)])
        self._put("note", note.id, note.client_id, note.session_date, body)

    def put_plan(self, plan: TreatmentPlan) -> None:
        body, own_words = _plan_text(plan)
        self._put("plan", plan.id, plan.client_id, plan.effective_date, body, own_words)

    def remove(self, object_id: str) -> None:
        with self._lock:
            self._forget(object_id)

    def _forget(self, object_id: str) -> None:
        self._kinds.pop(object_id, None)
        rowid = self._rowids.pop(object_id, None)
        if rowid is not None:
            self._db.execute("DELETE FROM doc WHERE rowid = ?", (rowid,))

    def _put(self, kind: str, object_id: str, client_id: str, day: date | None, body: str,
             own_words: str = "") -> None:
        with self._lock:
            self._forget(object_id)
            cursor = self._db.execute(
                "INSERT INTO doc(kind, object_id, client_id, day, body, own_words) VALUES (?, ?, ?, ?, ?, ?)",
                (kind, object_id, client_id, day.isoformat() if day else "", body, own_words),
            )
            self._rowids[object_id] = int(cursor.lastrowid or 0)
            self._kinds[object_id] = kind

    def search(self, text: str, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
        return self.find(text, limit).hits

    def find(self, text: str, limit: int = DEFAULT_LIMIT) -> SearchResults:
        """Hits for `text` (clients first, then newest first) and how many there are in all."""
        query = _query(text)
        if not query:
            return SearchResults([], 0)
        with self._lock:
            counted = self._db.execute("SELECT count(*) FROM doc WHERE doc MATCH ?", (query,)).fetchone()
            total = int(counted[0])
            rows = self._db.execute(
                "SELECT kind, object_id, client_id, day, "
                f"snippet(doc, 4, '{HIT_START}', '{HIT_END}', '…', 12), "
                f"snippet(doc, 5, '{HIT_START}', '{HIT_END}', '…', 12) "
                "FROM doc WHERE doc MATCH ? ORDER BY kind = 'client' DESC, day DESC, rank LIMIT ?",
                (query, limit),
            ).fetchall()
        hits = []
        for kind, object_id, client_id, day, body, own_words in rows:
            in_own_words = HIT_START in own_words and HIT_START not in body
            hits.append(SearchHit(
                kind=kind,
                object_id=object_id,
                client_id=client_id,
                client_name=self._names.get(client_id, ""),
                day=date.fromisoformat(day) if day else None,
                snippet=own_words if in_own_words else body,
                client_words=self._words.get(client_id, ()),
                in_own_words=in_own_words,
            ))
        return SearchResults(hits, total)

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM doc").fetchone()[0])
