"""Every kind of sealed record, once: the one list the rest derive from.

The tables' clear columns (tables.SEALED_TABLES), the unit of work's repositories (repositories.py),
`notesdesk verify` (services/verify.py), the order in which a client's record is destroyed after
retention (services/retention.py), the export snapshot (exports/snapshot.py) and the CLI's records
(services/lookup.record_ids) all read ENTITIES. tests/core/test_entities.py compares it with
SQLAlchemy's metadata and fails, saying what to add, when a table is missing here.

Adding a sealed table: its row class in tables.py, its migration, and one line below, in dependency
order (a table after the tables its foreign keys point to). A client's record is destroyed in the
reverse of this order, so children always go before their parents.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from notesdesk.core.crypto.cipher import ClearValue
from notesdesk.core.domain.attachments import Attachment, AttachmentChunk
from notesdesk.core.domain.billing import Payment, Receipt
from notesdesk.core.domain.care import Homework, MeasureAdministration, Milestone, PhaseEntry, SafetyPlan
from notesdesk.core.domain.clients import Client, Episode
from notesdesk.core.domain.flag_inputs import ClientSummary
from notesdesk.core.domain.notes import Addendum, PrivateNote, SessionNote
from notesdesk.core.domain.paperwork import Consent, Letter
from notesdesk.core.domain.pending import PendingText
from notesdesk.core.domain.plans import PlanAgreement, SignedReview, TreatmentPlan
from notesdesk.core.domain.sync_conflicts import SyncConflict
from notesdesk.core.domain.visits import Diagnosis, NextSession

CLIENT_OWNED = ("client_id", "rev")
"""The clear columns of most tables: the owning client's id and the revision."""


def _owner_of(obj: Any) -> Mapping[str, ClearValue]:
    # Every client-owned domain object carries its client's id; the seal binds it.
    return {"client_id": obj.client_id}


def _nothing(_obj: Any) -> Mapping[str, ClearValue]:
    return {}


def _note_clear(note: SessionNote) -> Mapping[str, ClearValue]:
    return {"client_id": note.client_id, "signed": int(note.is_signed)}


def _chunk_clear(chunk: AttachmentChunk) -> Mapping[str, ClearValue]:
    # The seal binds the chunk to its attachment and its place in the file.
    return {"attachment_id": chunk.attachment_id, "client_id": chunk.client_id, "part": chunk.part}


def _addendum_clear(addendum: Addendum) -> Mapping[str, ClearValue]:
    # An addendum exists only on a signed note and is signed as it is written.
    return {"note_id": addendum.note_id, "client_id": addendum.client_id, "signed": 1}


def _plan_child_clear(item: SignedReview | PlanAgreement) -> Mapping[str, ClearValue]:
    return {"plan_id": item.plan_id, "client_id": item.client_id}


@dataclass(frozen=True)
class Entity:
    """One sealed table and what it holds.

    table: the SQL table's name. repository: the unit of work's attribute for it; "" for a table
    read by its own module instead (the vault-level settings in `secret`, read through the vault's
    accessors; derived data kept by its own module), which is verified but neither counted among the
    records nor exported as such. kind: the domain type a row
    opens into. label: how messages name one row. clear: the columns kept in clear, in the order the
    seal binds them (changing the order would break every stored seal). clear_of: an object's clear
    columns other than `rev`. in_client_record: part of a client's record (the JSON record, FHIR
    bundle); False for text not yet added, which only the lossless practice export carries. later:
    added by a migration after 0001, so an older vault opened read-only may not have it yet.
    """

    table: str
    repository: str
    kind: type[Any]
    label: str
    clear: tuple[str, ...] = CLIENT_OWNED
    clear_of: Callable[[Any], Mapping[str, ClearValue]] = _owner_of
    in_client_record: bool = True
    later: bool = False

    @property
    def client_owned(self) -> bool:
        """Rows belong to one client (and go when that client's record is destroyed)."""
        return "client_id" in self.clear


# fmt: off
ENTITIES: tuple[Entity, ...] = (
    Entity("secret", "", dict, "vault setting", ("rev",), _nothing, in_client_record=False),
    Entity("client", "clients", Client, "client", ("rev",), _nothing),
    Entity("episode", "episodes", Episode, "episode of care"),
    Entity("note", "notes", SessionNote, "note", ("client_id", "rev", "signed"), _note_clear),
    Entity("addendum", "addenda", Addendum, "addendum", ("note_id", "client_id", "rev", "signed"),
           _addendum_clear),
    Entity("private_note", "private_notes", PrivateNote, "psychotherapy note"),
    Entity("plan", "plans", TreatmentPlan, "treatment plan"),
    Entity("homework", "homework", Homework, "homework"),
    Entity("milestone", "milestones", Milestone, "milestone"),
    Entity("phase", "phases", PhaseEntry, "phase entry"),
    Entity("safety_plan", "safety_plans", SafetyPlan, "safety plan"),
    Entity("measure", "measures", MeasureAdministration, "measure"),
    Entity("diagnosis", "diagnoses", Diagnosis, "diagnosis", later=True),
    Entity("next_session", "next_sessions", NextSession, "next session", later=True),
    Entity("attachment", "attachments", Attachment, "attachment", later=True),
    # The client JSON record and FHIR bundle list attachments; their bytes go in the lossless practice
    # export (and backups), and out one at a time with `notesdesk attach get`.
    Entity("attachment_chunk", "attachment_chunks", AttachmentChunk, "attachment chunk",
           ("attachment_id", "client_id", "part", "rev"), _chunk_clear, in_client_record=False, later=True),
    Entity("consent", "consents", Consent, "consent", later=True),
    Entity("letter", "letters", Letter, "letter", later=True),
    Entity("payment", "payments", Payment, "payment", later=True),
    Entity("receipt", "receipts", Receipt, "receipt", later=True),
    Entity("plan_review", "plan_reviews", SignedReview, "plan review", ("plan_id", "client_id", "rev"),
           _plan_child_clear, later=True),
    Entity("plan_agreement", "plan_agreements", PlanAgreement, "plan agreement",
           ("plan_id", "client_id", "rev"), _plan_child_clear, later=True),
    # A received edit kept beside this vault's own until a person chooses (core/sync/shared.py).
    Entity("sync_conflict", "sync_conflicts", SyncConflict, "sync conflict", in_client_record=False,
           later=True),
    Entity("pending_text", "pending_texts", PendingText, "unsent text", in_client_record=False, later=True),
    # Derived from the records above (storage/summaries.py): its row's id is its client's id.
    Entity("client_summary", "", ClientSummary, "client summary", ("rev",), _nothing, in_client_record=False,
           later=True),
)
# fmt: on

NOT_RECORDS: dict[str, str] = {
    "meta": "vault metadata in clear (vault id, format, public key); the header MAC covers it",
    "keyslot": "the wrapped data key, one row per way to unlock; checked by unwrapping at unlock",
    "audit": "the MAC-chained audit log; `verify` walks the chain, deletion only ever appends to it",
    "purge": "present only inside the transaction that destroys a record after retention",
}
"""Tables that hold no sealed records, and why each needs no entry in ENTITIES."""

BY_TABLE: dict[str, Entity] = {entity.table: entity for entity in ENTITIES}
REPOSITORIES: tuple[Entity, ...] = tuple(entity for entity in ENTITIES if entity.repository)
"""The entities the unit of work has a repository for (every one but the vault-level settings)."""


def by_label(label: str) -> Entity:
    """The entity a message or a CLI argument calls `label` ("note", "psychotherapy note", ...)."""
    for entity in ENTITIES:
        if entity.label == label:
            return entity
    raise KeyError(label)


def destruction_order() -> tuple[Entity, ...]:
    """A client's rows, children before parents, so foreign keys hold at every step; the client
    row itself goes last, apart."""
    return tuple(entity for entity in reversed(ENTITIES) if entity.client_owned)
