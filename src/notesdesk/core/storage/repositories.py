"""Typed repositories over the sealed tables. They take a session (via StoreContext), never commit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from notesdesk.core.domain.attachments import Attachment, AttachmentChunk
from notesdesk.core.domain.billing import Payment, Receipt
from notesdesk.core.domain.care import (
    Homework,
    MeasureAdministration,
    Milestone,
    PhaseEntry,
    SafetyPlan,
)
from notesdesk.core.domain.clients import Client, Episode
from notesdesk.core.domain.notes import Addendum, PrivateNote, SessionNote
from notesdesk.core.domain.paperwork import Consent, Letter
from notesdesk.core.domain.pending import PendingText
from notesdesk.core.domain.plans import PlanAgreement, SignedReview, TreatmentPlan
from notesdesk.core.domain.sync_conflicts import SyncConflict
from notesdesk.core.domain.visits import Diagnosis, NextSession
from notesdesk.core.storage.entities import REPOSITORIES
from notesdesk.core.storage.store import SealedTable, StoreContext


class Repositories:
    """Mixed into the unit of work: one SealedTable per entity, bound to the current session.

    The repositories are made from the registry (entities.py); each is also named here, with its
    type, for the type checker (tests/core/test_entities.py checks the two agree)."""

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
    diagnoses: SealedTable[Diagnosis]
    next_sessions: SealedTable[NextSession]
    attachments: SealedTable[Attachment]
    attachment_chunks: SealedTable[AttachmentChunk]
    consents: SealedTable[Consent]
    letters: SealedTable[Letter]
    payments: SealedTable[Payment]
    receipts: SealedTable[Receipt]
    plan_reviews: SealedTable[SignedReview]
    plan_agreements: SealedTable[PlanAgreement]
    pending_texts: SealedTable[PendingText]
    sync_conflicts: SealedTable[SyncConflict]

    def _bind(self, ctx: StoreContext) -> None:
        """Bind to a unit of work's context; each repository is made when first used (__getattr__):
        a save uses two or three of the twenty-odd, and a unit of work is entered per user action."""
        self.ctx = ctx
        for name in [name for name in vars(self) if name in _BY_REPOSITORY]:
            delattr(self, name)  # made for an earlier context

    if not TYPE_CHECKING:  # at run time only: the type checker keeps flagging a misspelt attribute

        def __getattr__(self, name: str) -> SealedTable[Any]:
            # Only called for an attribute not found: a repository not yet made for this context.
            entity = _BY_REPOSITORY.get(name)
            if entity is None or "ctx" not in vars(self):
                raise AttributeError(name)
            table = SealedTable(self.ctx, entity.table, entity.kind, entity.clear_of, entity.label)
            setattr(self, name, table)
            return table


_BY_REPOSITORY = {entity.repository: entity for entity in REPOSITORIES}
