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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from notesdesk.core.domain.care import Homework, SafetyPlan
from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.names import name_words
from notesdesk.core.domain.notes import Addendum
from notesdesk.core.domain.plans import TreatmentPlan

HIT_START, HIT_END = "\x02", "\x03"
DEFAULT_LIMIT = 50
# Matches are counted up to this many: past it the count says "more than 500" (a common word's exact
# count costs FTS5 a walk of every match, and nobody reads 5,000 hits: they narrow the search).
COUNT_CAP = 500

# Each document's rowid is its place in the order hits are shown: clients first, then newest day
# first (undated last), so FTS5 hands the first page over in its native rowid order and stops.
# rowid = group << 32 | a counter; the group is the day's ordinal (date.max's is 3,652,059).
_CLIENT_GROUP = 4_000_000
_GROUP_SHIFT = 32


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "client", "note", "plan", "homework" or "safety_plan"
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
    total: int  # every match, however many were shown; COUNT_CAP when there are more (see `more`)
    more: bool = False  # there are more than COUNT_CAP matches: `total` is then a lower bound

    @property
    def truncated(self) -> bool:
        return self.more or self.total > len(self.hits)

    def count_text(self) -> str:
        """The number of matches in words: "62", or "more than 500"."""
        return f"more than {self.total}" if self.more else str(self.total)


class IndexedNote(Protocol):
    """What the index reads of a note: a SessionNote, or the lighter view of one that the child
    process decodes (core/search/child.py), which shares SessionNote's `text` and `risk_text`."""

    @property
    def id(self) -> str: ...
    @property
    def client_id(self) -> str: ...
    @property
    def session_date(self) -> date: ...
    @property
    def text(self) -> str: ...
    @property
    def risk_text(self) -> str: ...
    @property
    def interventions(self) -> tuple[str, ...]: ...


_Row = tuple[int, str, str, str, str, str, str]  # rowid, kind, object_id, client_id, day, body, own_words


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
    """Found by full or preferred name, or by what brought them (the presenting concerns)."""
    return "\n".join(n for n in (client.name, client.preferred_name, client.presenting_concerns) if n)


def _homework_text(homework: Homework) -> str:
    parts = [homework.description, homework.rationale, *(c.client_report for c in homework.checkins)]
    return "\n".join(p for p in parts if p)


def _safety_text(plan: SafetyPlan) -> tuple[str, str]:
    """The plan's lines, and apart from them the client's own words (the reason for living)."""
    parts = [*plan.warning_signs, *plan.coping_strategies, *plan.distractions, *plan.safe_environment]
    for contact in (*plan.people_to_ask, *plan.professionals, *plan.crisis_lines):
        parts += [contact.name, contact.note]
    return "\n".join(p for p in parts if p), plan.reason_for_living


def _query(text: str) -> str:
    """Turn what someone typed into a safe FTS5 query: every word must match, as a prefix."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if w]
    return " ".join(f'"{w}"*' for w in words)


# Every word typed is searched as a prefix. FTS5 answers a prefix of one of these lengths from a
# doclist of its own, instead of merging the doclists of every term that begins with it (for a common
# short prefix, thousands); longer prefixes match few terms. Measured in bench/RESULTS.md.
PREFIX_LENGTHS: tuple[int, ...] = (4,)


# Measured on the heavy practice (bench/RESULTS.md): the whole build's inserts took 30 % less
# processor time than with FTS5's 1 MB; the memory is the builder's, for the build's duration.
PENDING_BYTES = 16 * 1024 * 1024


def _prefix_option(lengths: tuple[int, ...]) -> str:
    return f", prefix='{' '.join(str(n) for n in lengths)}'" if lengths else ""


@dataclass(frozen=True)
class IndexState:
    """What an index keeps beside its FTS5 table: handed over with the table's image by the child
    process that builds it (core/search/process.py)."""

    names: dict[str, str]
    words: dict[str, tuple[str, ...]]
    rowids: dict[str, int]
    kinds: dict[str, str]
    counter: int
    safety: dict[str, tuple[str, int]]


class SearchIndex:
    def __init__(self, image: bytes | None = None) -> None:
        """A new empty index, or (`image`) the table of one built elsewhere: see `restore`."""
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute("PRAGMA temp_store=MEMORY")
        if image is not None:
            self._db.deserialize(image)  # copied into this connection's own memory, never a file
            self._db.execute("PRAGMA temp_store=MEMORY")
        else:
            self._db.execute(
                "CREATE VIRTUAL TABLE doc USING fts5(kind UNINDEXED, object_id UNINDEXED, "
                "client_id UNINDEXED, day UNINDEXED, body, own_words, "
                f"tokenize='unicode61 remove_diacritics 2'{_prefix_option(PREFIX_LENGTHS)})"
            )
            # FTS5 writes its pending terms out as a new segment each time they pass this many bytes
            # (1 MB unless set): fewer, larger segments to write and merge while a practice is built.
            self._db.execute("INSERT INTO doc(doc, rank) VALUES ('hashsize', ?)", (PENDING_BYTES,))
        self._names: dict[str, str] = {}
        self._words: dict[str, tuple[str, ...]] = {}
        # object id -> FTS rowid: deleting by an UNINDEXED column would scan the whole table.
        self._rowids: dict[str, int] = {}
        self._kinds: dict[str, str] = {}
        self._counter = 0
        self._safety: dict[str, tuple[str, int]] = {}  # client id -> (indexed plan id, version)
        # While `bulk` runs: the rows to insert when it ends, by object id.
        self._held: dict[str, _Row] | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def image(self) -> tuple[bytes, IndexState]:
        """The FTS5 table as a SQLite image and the rest of the index: `restore` makes the index again."""
        with self._lock:
            state = IndexState(dict(self._names), dict(self._words), dict(self._rowids), dict(self._kinds),
                               self._counter, dict(self._safety))
            # FTS5 keeps the newest terms in memory until the transaction ends: into the pages first.
            self._db.commit()
            return self._db.serialize(), state

    @classmethod
    def restore(cls, image: bytes, state: IndexState) -> SearchIndex:
        index = cls(image)
        index._names, index._words = state.names, state.words
        index._rowids, index._kinds = state.rowids, state.kinds
        index._counter, index._safety = state.counter, state.safety
        return index

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Puts made inside are inserted together when it ends, in rising rowid order and in one
        statement: FTS5 then appends each document's terms to its pending lists without flushing
        them, and the interpreter makes one call instead of one per document (a whole build's inserts
        cost about a third of what they did one by one: bench/RESULTS.md). Searches meanwhile see
        what was there before."""
        with self._lock:
            self._held = {}
        try:
            yield
        finally:
            with self._lock:
                held, self._held = self._held or {}, None
                self._db.executemany(
                    "INSERT INTO doc(rowid, kind, object_id, client_id, day, body, own_words) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    sorted(held.values()),
                )
                self._db.commit()

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

    def put_note(self, note: IndexedNote, addenda: Sequence[Addendum] = ()) -> None:
        body = "\n".join([note.text, note.risk_text, *note.interventions, *(a.text for a in addenda)])
        self._put("note", note.id, note.client_id, note.session_date, body)

    def put_plan(self, plan: TreatmentPlan) -> None:
        body, own_words = _plan_text(plan)
        self._put("plan", plan.id, plan.client_id, plan.effective_date, body, own_words)

    def put_homework(self, homework: Homework) -> None:
        self._put("homework", homework.id, homework.client_id, homework.assigned_on, _homework_text(homework))

    def put_safety_plan(self, plan: SafetyPlan) -> None:
        """The client's current safety plan: a newer version takes the older one's place."""
        current = self._safety.get(plan.client_id)
        if current is not None and current[1] > plan.version:
            return
        if current is not None and current[0] != plan.id:
            self.remove(current[0])
        self._safety[plan.client_id] = (plan.id, plan.version)
        body, own_words = _safety_text(plan)
        self._put("safety_plan", plan.id, plan.client_id, plan.last_reviewed, body, own_words)

    def remove(self, object_id: str) -> None:
        with self._lock:
            self._forget(object_id)

    def _forget(self, object_id: str) -> None:
        self._kinds.pop(object_id, None)
        rowid = self._rowids.pop(object_id, None)
        if self._held is not None and self._held.pop(object_id, None) is not None:
            return  # not inserted yet
        if rowid is not None:
            self._db.execute("DELETE FROM doc WHERE rowid = ?", (rowid,))

    def _put(self, kind: str, object_id: str, client_id: str, day: date | None, body: str,
             own_words: str = "") -> None:
        with self._lock:
            self._forget(object_id)
            self._counter += 1
            group = _CLIENT_GROUP if kind == "client" else (day.toordinal() if day else 0)
            rowid = group << _GROUP_SHIFT | self._counter
            row = (rowid, kind, object_id, client_id, day.isoformat() if day else "", body, own_words)
            if self._held is not None:
                self._held[object_id] = row
            else:
                self._db.execute(
                    "INSERT INTO doc(rowid, kind, object_id, client_id, day, body, own_words) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
            self._rowids[object_id] = rowid
            self._kinds[object_id] = kind

    def search(self, text: str, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
        return self.find(text, limit).hits

    def find(self, text: str, limit: int = DEFAULT_LIMIT) -> SearchResults:
        """Hits for `text` (clients first, then newest first, the best match first within a day) and
        how many there are in all (up to COUNT_CAP). Snippets are made for the page shown only."""
        query = _query(text)
        if not query or limit < 1:
            return SearchResults([], 0)
        with self._lock:
            counted = self._db.execute(
                "SELECT count(*) FROM (SELECT 1 FROM doc WHERE doc MATCH ? LIMIT ?)", (query, COUNT_CAP + 1)
            ).fetchone()
            total = int(counted[0])
            page = self._db.execute(
                "SELECT rowid FROM doc WHERE doc MATCH ? ORDER BY rowid DESC LIMIT ?", (query, limit)
            ).fetchall()
            if not page:
                return SearchResults([], 0)
            # The page's groups (days) in full: within a day the best match comes first, so the last
            # day on the page may have matches beyond it that rank higher than those on it.
            lowest = (int(page[-1][0]) >> _GROUP_SHIFT) << _GROUP_SHIFT
            found = self._db.execute(
                "SELECT rowid, rank, kind, object_id, client_id, day, "
                f"snippet(doc, 4, '{HIT_START}', '{HIT_END}', '…', 12), "
                f"snippet(doc, 5, '{HIT_START}', '{HIT_END}', '…', 12) "
                "FROM doc WHERE doc MATCH ? AND rowid >= ?",
                (query, lowest),
            ).fetchall()
        found.sort(key=lambda row: (-(int(row[0]) >> _GROUP_SHIFT), row[1], -int(row[0])))
        rows = [row[2:] for row in found[:limit]]
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
        if total > COUNT_CAP:
            return SearchResults(hits, COUNT_CAP, more=True)
        return SearchResults(hits, total)

    def __len__(self) -> int:
        # Every document has its rowid kept here: counting FTS5's rows would read the whole table.
        with self._lock:
            return len(self._rowids)
