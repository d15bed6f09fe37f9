"""The full check behind `notesdesk verify`: file integrity, every seal, signatures, audit chain."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from notesdesk.core.crypto import signing
from notesdesk.core.domain.flag_inputs import agree, summaries_from
from notesdesk.core.domain.notes import Addendum, SessionNote
from notesdesk.core.domain.plans import plans_with_reviews
from notesdesk.core.errors import VaultDamaged
from notesdesk.core.services import attachments
from notesdesk.core.services.notes import chain_claims, chain_order, signer_keys
from notesdesk.core.services.plan_checks import plan_signature_problem
from notesdesk.core.storage import summaries
from notesdesk.core.storage.entities import ENTITIES
from notesdesk.core.storage.instruments import stored_instruments
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.tables import DERIVED_TABLES
from notesdesk.core.storage.uow import UnitOfWork

STREAMED = frozenset({"attachment_chunks"})
"""Read chunk by chunk (services/attachments.check_all), never all at once: they can be large."""


@dataclass(frozen=True)
class VerifyReport:
    records: int
    signed_notes: int
    audit_entries: int
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_vault(uow: UnitOfWork) -> VerifyReport:
    """Raises VaultDamaged with a plain explanation at the first failure."""
    if uow.vault.integrity_problems():
        raise VaultDamaged("The vault file is damaged (SQLite integrity check failed).")
    with uow:
        assert uow.session is not None
        # Opening every seal checks every ciphertext; each table is read (and decrypted) once.
        rows: dict[str, list[Any]] = {}
        for entity in ENTITIES:
            if entity.repository in STREAMED:
                continue
            if entity.repository:  # a repository also checks each row's shape
                rows[entity.repository] = getattr(uow, entity.repository).all()
            elif entity.table not in DERIVED_TABLES:  # vault settings: seals checked, not counted
                SealedTable(uow.ctx, entity.table, entity.kind, label=entity.label).all_raw()
        # Attachments' chunks are opened one at a time and checked against their files' SHA-256.
        records = sum(len(found) for found in rows.values()) + attachments.check_all(uow)
        notes: list[SessionNote] = rows["notes"]
        if summaries.ready(uow.session):  # derived rows: opened, and compared with a recomputation
            stored = {s.id: s for s in summaries.read(uow)}
            recomputed = summaries_from(notes, plans_with_reviews(rows["plans"], rows["plan_reviews"]),
                                        rows["homework"], rows["measures"],
                                        rows["episodes"], rows["safety_plans"], stored_instruments(uow))
            if stored.keys() != recomputed.keys() or not all(agree(stored[c], recomputed[c]) for c in stored):
                raise VaultDamaged("The client list's summaries do not match the records they are made from.")
        addenda: dict[str, list[Addendum]] = defaultdict(list)
        for addendum in rows["addenda"]:
            addenda[addendum.note_id].append(addendum)
        signed = [n for n in notes if n.is_signed]
        # Every content hash and chain link first (Python), then every signature together, over
        # both cores (signing.verify_many); a note fails if either part of its check does.
        # Grouped by signing key: this vault's, and in a group practice each colleague's (an unknown
        # key verifies nothing, so its notes fail).
        by_key: dict[str, tuple[list[str], list[tuple[bytes, bytes]]]] = defaultdict(lambda: ([], []))
        for note in signed:
            chain = chain_claims(note, chain_order(note, addenda.get(note.id, [])))
            if chain is None:
                raise VaultDamaged(f"Signed note {note.id} fails its signature check: it was altered.")
            for key, sig, digest in chain:
                owners, claims = by_key[key]
                owners.append(note.id)
                claims.append((sig, digest))
        keys = signer_keys(uow)
        for key, (owners, claims) in by_key.items():
            results = signing.verify_many(keys.get(key, b""), claims)
            for owner, ok in zip(owners, results, strict=True):
                if not ok:
                    raise VaultDamaged(f"Signed note {owner} fails its signature check: it was altered.")
        orphans = set(addenda) - {n.id for n in signed}
        if orphans:
            raise VaultDamaged("An addendum is attached to a note that is not signed.")
        plan_problem = plan_signature_problem(rows["plans"], rows["plan_reviews"], rows["plan_agreements"],
                                              keys)
        if plan_problem:
            raise VaultDamaged(plan_problem)
        entries = uow.vault.audit.verify(uow.session)
        if not uow.vault.read_only:
            uow.record("verify")
            uow.commit()
    return VerifyReport(records=records, signed_notes=len(signed), audit_entries=entries)
