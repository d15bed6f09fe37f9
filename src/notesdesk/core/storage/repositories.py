"""Typed repositories over the sealed tables. They take a session (via StoreContext), never commit."""

from __future__ import annotations

from typing import Protocol

from notesdesk.core.domain.care import (
    Homework,
    MeasureAdministration,
    Milestone,
    PhaseEntry,
    SafetyPlan,
)
from notesdesk.core.domain.clients import Client, Episode
from notesdesk.core.domain.notes import Addendum, PrivateNote, SessionNote
from notesdesk.core.domain.pending import PendingText
from notesdesk.core.domain.plans import TreatmentPlan
from notesdesk.core.storage.store import SealedTable, StoreContext


class _OfClient(Protocol):
    @property
    def client_id(self) -> str: ...


def _by_client(obj: _OfClient) -> dict[str, str]:
    return {"client_id": obj.client_id}


class Repositories:
    """Mixed into the unit of work: one SealedTable per entity, bound to the current session."""

    ctx: StoreContext
    clients: SealedTable[Client]
    episodes: SealedTable[Episode]
    notes: SealedTable[SessionNote]
    addenda: SealedTable[Addendum]
    private_notes: SealedTable[PrivateNote]
    plans: SealedTable[TreatmentPlan]
    homework: SealedTable[Homework]
    milestones: SealedTable[Milestone]
    phases: SealedTable[PhaseEntry]
    safety_plans: SealedTable[SafetyPlan]
    measures: SealedTable[MeasureAdministration]
    pending_texts: SealedTable[PendingText]

    def _bind(self, ctx: StoreContext) -> None:
        self.ctx = ctx
        self.clients = SealedTable(ctx, "client", Client, label="client")
        self.episodes = SealedTable(ctx, "episode", Episode, _by_client, "episode of care")
        self.notes = SealedTable(
            ctx,
            "note",
            SessionNote,
            lambda n: {"client_id": n.client_id, "signed": int(n.is_signed)},
            "note",
        )
        self.addenda = SealedTable(
            ctx,
            "addendum",
            Addendum,
            lambda a: {"note_id": a.note_id, "client_id": a.client_id, "signed": 1},
            "addendum",
        )
        self.private_notes = SealedTable(
            ctx, "private_note", PrivateNote, _by_client, "psychotherapy note"
        )
        self.plans = SealedTable(ctx, "plan", TreatmentPlan, _by_client, "treatment plan")
        self.homework = SealedTable(ctx, "homework", Homework, _by_client, "homework")
        self.milestones = SealedTable(ctx, "milestone", Milestone, _by_client, "milestone")
        self.phases = SealedTable(ctx, "phase", PhaseEntry, _by_client, "phase entry")
        self.safety_plans = SealedTable(ctx, "safety_plan", SafetyPlan, _by_client, "safety plan")
        self.measures = SealedTable(ctx, "measure", MeasureAdministration, _by_client, "measure")
        self.pending_texts = SealedTable(ctx, "pending_text", PendingText, _by_client, "unsent text")
