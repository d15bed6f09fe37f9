"""The full check behind `notesdesk verify`: file integrity, every seal, signatures, audit chain."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from notesdesk.core.domain.flag_inputs import summaries_from
from notesdesk.core.domain.notes import Addendum
from notesdesk.core.errors import VaultDamaged
from notesdesk.core.services.notes import chain_order, verify_note
from notesdesk.core.storage import summaries
from notesdesk.core.storage.uow import UnitOfWork


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
        notes, plans, homework = uow.notes.all(), uow.plans.all(), uow.homework.all()
        measures, episodes, addenda_rows = uow.measures.all(), uow.episodes.all(), uow.addenda.all()
        records = len(notes) + len(plans) + len(homework) + len(measures) + len(episodes) + len(addenda_rows)
        for table in (uow.clients, uow.private_notes, uow.milestones, uow.phases, uow.safety_plans,
                      uow.pending_texts):
            records += len(table.all())
        if summaries.ready(uow.session):
            stored = {s.id: s for s in summaries.read(uow)}
            if stored != summaries_from(notes, plans, homework, measures, episodes):
                raise VaultDamaged(
                    "The client list's summaries do not match the records they are made from."
                )
        addenda: dict[str, list[Addendum]] = defaultdict(list)
        for addendum in addenda_rows:
            addenda[addendum.note_id].append(addendum)
        signed = [n for n in notes if n.is_signed]
        for note in signed:
            chain = chain_order(note, addenda.get(note.id, []))
            if not verify_note(uow, note, chain):
                raise VaultDamaged(
                    f"Signed note {note.id} fails its signature check: it was altered."
                )
        orphans = set(addenda) - {n.id for n in signed}
        if orphans:
            raise VaultDamaged("An addendum is attached to a note that is not signed.")
        entries = uow.vault.audit.verify(uow.session)
        if not uow.vault.read_only:
            uow.record("verify")
            uow.commit()
    return VerifyReport(records=records, signed_notes=len(signed), audit_entries=entries)
