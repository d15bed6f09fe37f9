"""A plain, complete snapshot of the practice (or one client) as domain objects, read in bulk."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from notesdesk.core.domain.attachments import Attachment, AttachmentChunk
from notesdesk.core.domain.billing import Payment, Receipt
from notesdesk.core.domain.care import Homework, MeasureAdministration, Milestone, PhaseEntry, SafetyPlan
from notesdesk.core.domain.clients import Client, Episode
from notesdesk.core.domain.notes import Addendum, PrivateNote, SessionNote
from notesdesk.core.domain.paperwork import Consent, Letter
from notesdesk.core.domain.pending import PendingText
from notesdesk.core.domain.plans import PlanAgreement, SignedReview, TreatmentPlan
from notesdesk.core.domain.sync_conflicts import SyncConflict
from notesdesk.core.domain.visits import Diagnosis, NextSession
from notesdesk.core.storage.entities import REPOSITORIES
from notesdesk.core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Snapshot:
    """One field per repository in the registry (entities.py), in its order: the export's schema
    (docs/export-schema.md), written out for the type checker; tests/core/test_entities.py checks it."""

    clients: tuple[Client, ...] = ()
    episodes: tuple[Episode, ...] = ()
    notes: tuple[SessionNote, ...] = ()
    addenda: tuple[Addendum, ...] = ()
    private_notes: tuple[PrivateNote, ...] = ()
    plans: tuple[TreatmentPlan, ...] = ()
    homework: tuple[Homework, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    phases: tuple[PhaseEntry, ...] = ()
    safety_plans: tuple[SafetyPlan, ...] = ()
    measures: tuple[MeasureAdministration, ...] = ()
    diagnoses: tuple[Diagnosis, ...] = ()
    next_sessions: tuple[NextSession, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    # The attachments' bytes, base64 in the JSON: in the lossless practice export only.
    attachment_chunks: tuple[AttachmentChunk, ...] = ()
    consents: tuple[Consent, ...] = ()
    letters: tuple[Letter, ...] = ()
    payments: tuple[Payment, ...] = ()
    receipts: tuple[Receipt, ...] = ()
    plan_reviews: tuple[SignedReview, ...] = ()
    plan_agreements: tuple[PlanAgreement, ...] = ()
    # Both versions of a record edited on two devices of a practice, kept until a person chose.
    sync_conflicts: tuple[SyncConflict, ...] = ()
    # Unsent text (addenda, review summaries being typed): in the lossless practice export only.
    pending_texts: tuple[PendingText, ...] = ()


# What a client's record is made of (the client JSON record and FHIR bundle take these).
TABLES = tuple(entity.repository for entity in REPOSITORIES if entity.in_client_record)
# What the practice export carries: the record and text typed but not yet added or recorded.
PRACTICE_TABLES = tuple(entity.repository for entity in REPOSITORIES)


def _in_stored_order(items: Iterable[Any]) -> tuple[Any, ...]:
    """Rows as the vault holds them, in the order they were recorded: an import writes them in this
    order, so whatever lists records "in the order recorded" (diagnoses, agreements, letters, payments,
    receipts, attachments: timestamps have whole seconds) lists them the same after a move. Sorting by
    the random ids here once swapped records made within one second."""
    return tuple(items)


def take(
    uow: UnitOfWork, client_id: str | None = None, include_private: bool = True, include_unsent: bool = False
) -> Snapshot:
    """Everything (or one client's record) in one unit of work; psychotherapy notes only if asked,
    unsent text only if asked."""
    with uow:
        parts: dict[str, tuple[Any, ...]] = {}
        for name in PRACTICE_TABLES if include_unsent else TABLES:
            if name == "private_notes" and not include_private:
                parts[name] = ()
                continue
            table = getattr(uow, name)
            if client_id is None:
                parts[name] = _in_stored_order(table.all())
            elif name == "clients":
                parts[name] = (table.get(client_id),)
            else:
                parts[name] = _in_stored_order(table.where(client_id=client_id))
        return Snapshot(**parts)
