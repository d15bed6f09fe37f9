"""A client's summary (domain/flag_inputs.py) updated from the stored one plus the rows one unit of
work changed, so that saving a note costs one summary opened, not the client's ~70 notes decrypted
(docs/design-notes.md §3). Equal by construction to `summaries.summary_of`, the recomputation from
every record, which `verify` and the summary tests compare it with.

Notes are the large part of a client's records and only they are updated in place. The summary
keeps of them the drafts and the newest note: a note added or edited is folded in; when the newest
note is deleted, moved back in time or given to another client, which note is newest now needs them
all, and the caller recomputes the summary (None). The other flag-input tables are small per client
(a few plans, some homework and questionnaires): a change to one of them rereads that table only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from notesdesk.core.domain.flag_inputs import (
    ClientSummary,
    NoteMark,
    flag_homework,
    flag_notes,
    note_mark,
    risk_notes,
    slim_plan,
    slim_safety_plan,
)
from notesdesk.core.domain.notes import SessionNote
from notesdesk.core.domain.plans import plans_with_reviews
from notesdesk.core.storage.repositories import Repositories
from notesdesk.core.storage.store import SealedRow


def _plans(repos: Repositories, client_id: str) -> tuple[Any, ...]:
    """The client's plans as summary_of reads them: with their signed reviews folded in."""
    found = plans_with_reviews(repos.plans.where(client_id=client_id),
                               repos.plan_reviews.where(client_id=client_id))
    return tuple(slim_plan(p) for p in found)


# Each small flag-input table: the summary's field and that field from the client's rows, as stored.
_REREAD: dict[str, tuple[str, Callable[[Repositories, str], tuple[Any, ...]]]] = {
    "plan": ("plans", _plans),
    "plan_review": ("plans", _plans),  # a review changes what the plans field holds
    "homework": ("homework", lambda r, cid: flag_homework(r.homework.where(client_id=cid))),
    "episode": ("episodes", lambda r, cid: tuple(r.episodes.where(client_id=cid))),
    "safety_plan": ("safety_plans", lambda r, cid: slim_safety_plan(r.safety_plans.where(client_id=cid))),
}


# Flag-input tables the summary keeps no field of, only the standing scored from them.
SCORED_ONLY = frozenset({"measure"})


def incremental_update(
    repos: Repositories, stored: ClientSummary, changed: Mapping[tuple[str, str], SealedRow | None]
) -> ClientSummary | None:
    """`stored` (the client's summary before this unit of work) with `changed` applied; None when
    it cannot be told without reading all the client's notes."""
    fields: dict[str, Any] = {}
    notes: dict[str, SessionNote | None] = {}
    for (table, row_id), row in changed.items():
        if table == "note":
            notes[row_id] = None if row is None else _opened(repos, table, row_id, row)
        elif table in SCORED_ONLY:
            continue  # no field of the summary: its standing is scored again (summaries.refresh)
        elif table in _REREAD:
            name, reread = _REREAD[table]
            if name not in fields:
                fields[name] = reread(repos, stored.id)
        else:  # a flag-input table this module does not know: recompute rather than guess
            return None
    if notes:
        marks = _note_marks(stored.notes, notes)
        if marks is None:
            return None
        fields["notes"] = marks
        fields["risk_notes"] = _risk_notes(repos, stored, notes)
    return replace(stored, **fields)


def _opened(repos: Repositories, table: str, row_id: str, row: SealedRow) -> Any:
    """The row as a read of the table gives it: decoded from the bytes sealed, not the object given
    (sealing decodes them once already: Sealer.seal_checked)."""
    if row.opened is not None:
        return row.opened
    return repos.ctx.sealer.open(table, row_id, row.clear, row.sealed, row.kind)


def _note_marks(
    kept: tuple[NoteMark, ...], changed: Mapping[str, SessionNote | None]
) -> tuple[NoteMark, ...] | None:
    """flag_notes() of the client's notes after the change, from those it kept before (the drafts
    and the newest note, newest last). The newest of all is the newest of these as long as the
    newest one is not taken away or moved back; then None."""
    marks = {m.id: m for m in kept}
    newest = kept[-1] if kept else None
    for note_id, note in changed.items():
        mark = None if note is None else note_mark(note)
        if newest is not None and newest.id == note_id and (mark is None or mark.order < newest.order):
            return None
        marks.pop(note_id, None)
        if mark is not None:
            marks[note_id] = mark
            if newest is None or newest.id == note_id or mark.order > newest.order:
                newest = mark  # one pass, however many notes an import writes for one client
    return flag_notes(marks.values())


def _risk_notes(
    repos: Repositories, stored: ClientSummary, changed: Mapping[str, SessionNote | None]
) -> tuple[SessionNote, ...]:
    """The signed notes with a risk level, in the order the notes are stored (as a full read gives
    them: the rules break ties by it), from the stored ones and the changed notes."""
    risky = {n.id: n for n in stored.risk_notes}
    for note_id, note in changed.items():
        risky.pop(note_id, None)
        slim = risk_notes([note]) if note is not None else ()
        if slim:
            risky[note_id] = slim[0]
    if not risky:
        return ()
    place = {note_id: i for i, note_id in enumerate(repos.notes.ids(client_id=stored.id))}
    return tuple(sorted(risky.values(), key=lambda n: place[n.id]))
