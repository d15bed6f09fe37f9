"""What a run that ended unexpectedly left saved: drafts, psychotherapy notes and unsent text saved
since it began, and whose they are; signed notes and anything older are not "recovered"."""

from __future__ import annotations

from datetime import date, timedelta

from notesdesk.core.domain.common import now
from notesdesk.core.domain.notes import PrivateNote
from notesdesk.core.domain.pending import PendingKind
from notesdesk.core.services import clients, notes, pending
from notesdesk.core.services.recovery import saved_since
from notesdesk.core.storage.vault import Vault
from tests.core import records


def test_counts_what_was_saved_since_the_run_began_and_whose_it_is(vault: Vault) -> None:
    began = now()
    ana = clients.add_client(vault.unit_of_work(), records.client("Ana "))
    ben = clients.add_client(vault.unit_of_work(), records.client("Ben "))
    signed = notes.create_note(vault.unit_of_work(), records.note(ana.id, "s "))
    notes.sign_note(vault.unit_of_work(), signed.id)
    notes.create_note(vault.unit_of_work(), records.note(ben.id, "draft "))
    notes.add_private_note(vault.unit_of_work(), PrivateNote(ana.id, date(2026, 10, 6), "process"))
    unsent = PendingKind.ADDENDUM
    pending.save_pending(vault.unit_of_work(), ana.id, unsent, signed.id, "unsent", "correction")

    kept = saved_since(vault.unit_of_work(), began)
    assert (kept.note_drafts, kept.private_notes, kept.unsent_texts) == (1, 1, 1)  # not the signed note
    assert set(kept.client_ids) == {ana.id, ben.id}
    assert kept.latest is not None and kept.latest >= began.replace(microsecond=0)
    assert kept.anything


def test_nothing_saved_since_then_is_nothing_recovered(vault: Vault) -> None:
    ana = clients.add_client(vault.unit_of_work(), records.client("Ana "))
    notes.create_note(vault.unit_of_work(), records.note(ana.id, "draft "))
    kept = saved_since(vault.unit_of_work(), now() + timedelta(minutes=1))
    assert (kept.note_drafts, kept.private_notes, kept.unsent_texts, kept.client_ids) == (0, 0, 0, ())
    assert kept.latest is None and not kept.anything
