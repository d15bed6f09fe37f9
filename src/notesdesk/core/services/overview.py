"""What the client list shows beside each name: review due, homework overdue, risk noted.

Everything is read in one unit of work with bulk reads (one query per table, never one per client),
then grouped in memory: sorting and filtering happen after decryption (DESIGN §3).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from notesdesk.core.domain.care import Homework
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import SessionNote
from notesdesk.core.domain.plans import PlanStatus, TreatmentPlan
from notesdesk.core.search.index import SearchIndex
from notesdesk.core.services.care import overdue
from notesdesk.core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class ClientFlags:
    """Flags for one client. Words, not colours: they are read aloud by screen readers too."""

    review_due_on: date | None = None  # set when the active plan's review is due or past
    homework_overdue: int = 0
    risk_noted: bool = False

    @property
    def review_due(self) -> bool:
        return self.review_due_on is not None

    @property
    def any(self) -> bool:
        return self.review_due or self.homework_overdue > 0 or self.risk_noted

    def labels(self) -> list[str]:
        out = []
        if self.risk_noted:
            out.append("risk noted")
        if self.review_due:
            out.append("plan review due")
        if self.homework_overdue:
            out.append(
                "homework overdue"
                if self.homework_overdue == 1
                else f"{self.homework_overdue} homework overdue"
            )
        return out


NO_FLAGS = ClientFlags()
FEW_CLIENTS = 3  # up to this many ids, read by client; beyond, one bulk read per table


def flags_from(
    plans: Iterable[TreatmentPlan],
    homework: Iterable[Homework],
    notes: Iterable[SessionNote],
    on: date,
    client_ids: Iterable[str] | None = None,
) -> dict[str, ClientFlags]:
    """Pure part of `client_flags`: group already-loaded records by client and compute flags."""
    review: dict[str, date] = {}
    for plan in plans:
        if plan.status == PlanStatus.ACTIVE and plan.review_due is not None and plan.review_due <= on:
            earlier = review.get(plan.client_id)
            review[plan.client_id] = min(plan.review_due, earlier) if earlier else plan.review_due
    by_client: dict[str, list[Homework]] = defaultdict(list)
    for item in homework:
        by_client[item.client_id].append(item)
    late = {cid: len(overdue(items, on)) for cid, items in by_client.items()}
    latest: dict[str, SessionNote] = {}
    for note in notes:
        seen = latest.get(note.client_id)
        if seen is None or (note.session_date, note.created_at) > (seen.session_date, seen.created_at):
            latest[note.client_id] = note
    risk = {cid for cid, note in latest.items() if note.risk_noted.strip()}
    ids = set(client_ids) if client_ids is not None else {*review, *late, *latest}
    return {
        cid: ClientFlags(
            review_due_on=review.get(cid),
            homework_overdue=late.get(cid, 0),
            risk_noted=cid in risk,
        )
        for cid in ids
    }


def client_flags(
    uow: UnitOfWork, client_ids: Iterable[str] | None = None, on: date | None = None
) -> dict[str, ClientFlags]:
    """Flags per client id. With `client_ids`, every id given gets an entry (possibly NO_FLAGS);
    without, only clients that have plans, homework or notes appear. One unit of work; the whole
    practice is read with one query per table, never one per client."""
    wanted = list(client_ids) if client_ids is not None else None
    with uow:
        if wanted is not None and len(wanted) <= FEW_CLIENTS:
            # One client's record changed (an autosave, a check-in): read just that record.
            plans = [p for cid in wanted for p in uow.plans.where(client_id=cid)]
            homework = [h for cid in wanted for h in uow.homework.where(client_id=cid)]
            notes = [n for cid in wanted for n in uow.notes.where(client_id=cid)]
        else:
            plans = uow.plans.all()
            homework = uow.homework.all()
            notes = uow.notes.all()
    return flags_from(plans, homework, notes, on or today(), wanted)


NOTE_KINDS = frozenset({"note", "session_note"})
PLAN_KINDS = frozenset({"plan", "treatment_plan"})


def refresh_search_entry(uow: UnitOfWork, index: SearchIndex, kind: str, object_id: str) -> None:
    """Bring the in-memory index up to date after one change (kind as in AppContext.notify_changed:
    "note", "addendum", "plan" or "client"). Reads only; records no audit event."""
    with uow:
        if kind == "client":
            index.set_clients(uow.clients.all())
            return
        if kind == "addendum":
            addendum = uow.addenda.find(object_id)
            if addendum is None:
                return
            kind, object_id = "note", addendum.note_id
        if kind in NOTE_KINDS:
            note = uow.notes.find(object_id)
            if note is None:
                index.remove(object_id)
                return
            addenda = sorted(uow.addenda.where(note_id=object_id), key=lambda a: a.created_at)
            index.put_note(note, addenda)
        elif kind in PLAN_KINDS:
            plan = uow.plans.find(object_id)
            if plan is None:
                index.remove(object_id)
            else:
                index.put_plan(plan)
