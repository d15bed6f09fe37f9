"""Unsent text (an addendum or plan review being typed): sealed, audited, survives reopening, goes
when it is added, recorded, discarded or the record is destroyed; older vaults gain the table."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from notesdesk.core.backup.service import vault_image
from notesdesk.core.domain.clients import ClientStatus
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import AddendumKind
from notesdesk.core.domain.pending import PendingKind
from notesdesk.core.domain.plans import ReviewOutcome
from notesdesk.core.errors import InvalidInput, VaultDamaged
from notesdesk.core.exports import practice, record
from notesdesk.core.services import clients, notes, pending, plans, retention
from notesdesk.core.services.verify import verify_vault
from notesdesk.core.storage import migrate
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import records

TYPED = "UNSENTzq4 The second attack was on Friday, not Thursday."
ADD = PendingKind.ADDENDUM
REVIEW = PendingKind.PLAN_REVIEW


def signed_note(vault: Vault, client_id: str) -> str:
    note = notes.create_note(vault.unit_of_work(), records.note(client_id, "n "))
    return notes.sign_note(vault.unit_of_work(), note.id).id


def active_plan(vault: Vault, client_id: str) -> str:
    plan = plans.save_plan(vault.unit_of_work(), records.plan(client_id, "p "))
    return plans.activate_plan(vault.unit_of_work(), plan.id).id


def audit_count(vault: Vault) -> int:
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        return vault.audit.count(uow.session)


def audited(vault: Vault) -> list[tuple[str, str]]:
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        return [(e.action, e.table) for e in vault.audit.entries(uow.session)]


def test_unsent_text_is_sealed_audited_and_survives_reopening(vault: Vault, vault_path: Path) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A "))
    note_id = signed_note(vault, client.id)
    kept = pending.save_pending(vault.unit_of_work(), client.id, ADD, note_id, TYPED, "correction")
    assert kept is not None and ("create", "pending_text") in audited(vault)
    vault.close()
    assert b"UNSENTzq4" not in vault_path.read_bytes()

    with Vault.open(vault_path, passphrase=PASSPHRASE) as reopened:  # the audit cross-check holds
        back = pending.get_pending(reopened.unit_of_work(), client.id, ADD, note_id)
        assert back is not None and (back.text, back.choice) == (TYPED, "correction")
        assert pending.get_pending(reopened.unit_of_work(), client.id, ADD, "another note") is None
        # Nothing was signed by keeping it.
        assert notes.get_note(reopened.unit_of_work(), note_id)[1] == []
        assert verify_vault(reopened.unit_of_work()).ok


def test_one_text_per_box_and_unchanged_text_writes_nothing(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A "))
    first, second = signed_note(vault, client.id), signed_note(vault, client.id)
    pending.save_pending(vault.unit_of_work(), client.id, ADD, first, "one")
    pending.save_pending(vault.unit_of_work(), client.id, ADD, second, "two")
    pending.save_pending(vault.unit_of_work(), client.id, ADD, first, "one, longer")
    before = audit_count(vault)
    pending.save_pending(vault.unit_of_work(), client.id, ADD, first, "one, longer")
    assert audit_count(vault) == before
    kept = pending.list_pending(vault.unit_of_work(), client.id)
    assert sorted((p.target_id == first, p.text) for p in kept) == [(False, "two"), (True, "one, longer")]


def test_blank_text_or_discard_removes_what_was_kept(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A "))
    note_id = signed_note(vault, client.id)
    pending.save_pending(vault.unit_of_work(), client.id, ADD, note_id, TYPED)
    assert pending.save_pending(vault.unit_of_work(), client.id, ADD, note_id, "  \n") is None
    assert pending.list_pending(vault.unit_of_work(), client.id) == []
    pending.save_pending(vault.unit_of_work(), client.id, ADD, note_id, TYPED)
    assert pending.discard_pending(vault.unit_of_work(), client.id, ADD, note_id) is True
    assert pending.discard_pending(vault.unit_of_work(), client.id, ADD, note_id) is False
    assert pending.list_pending(vault.unit_of_work(), client.id) == []
    assert ("delete", "pending_text") in audited(vault)


def test_text_cannot_be_kept_against_another_clients_note(vault: Vault) -> None:
    a = clients.add_client(vault.unit_of_work(), records.client("A "))
    b = clients.add_client(vault.unit_of_work(), records.client("B "))
    with pytest.raises(InvalidInput):
        pending.save_pending(vault.unit_of_work(), b.id, ADD, signed_note(vault, a.id), TYPED)


def test_adding_the_addendum_from_the_box_discards_its_text_in_the_same_step(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A "))
    note_id = signed_note(vault, client.id)
    pending.save_pending(vault.unit_of_work(), client.id, ADD, note_id, TYPED)
    # An addendum added elsewhere (the command line) leaves the box's text alone...
    notes.add_addendum(vault.unit_of_work(), note_id, AddendumKind.CLARIFICATION, "from the CLI")
    assert pending.get_pending(vault.unit_of_work(), client.id, ADD, note_id) is not None
    # ...adding it from the box takes it away.
    notes.add_addendum(vault.unit_of_work(), note_id, AddendumKind.CORRECTION, TYPED, discard_unsent=True)
    assert pending.get_pending(vault.unit_of_work(), client.id, ADD, note_id) is None
    assert [a.text for a in notes.get_note(vault.unit_of_work(), note_id)[1]] == ["from the CLI", TYPED]


def test_recording_the_review_discards_the_kept_summary(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A "))
    plan_id = active_plan(vault, client.id)
    pending.save_pending(vault.unit_of_work(), client.id, REVIEW, plan_id, "Goals still fit", "revise")
    # One review box per client, whichever plan it was typed for.
    kept = pending.get_pending(vault.unit_of_work(), client.id, REVIEW)
    assert kept is not None and kept.text == "Goals still fit"
    plans.record_review(vault.unit_of_work(), client.id, today(), ReviewOutcome.CONTINUE,
                        "Goals still fit", discard_unsent=True)
    assert pending.list_pending(vault.unit_of_work(), client.id) == []


def test_a_kept_text_deleted_behind_the_apps_back_is_found_at_unlock(vault: Vault, vault_path: Path) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A "))
    pending.save_pending(vault.unit_of_work(), client.id, ADD, signed_note(vault, client.id), TYPED)
    vault.close()
    conn = sqlite3.connect(vault_path)
    conn.execute("DELETE FROM pending_text")
    conn.commit()
    conn.close()
    with pytest.raises(VaultDamaged, match="deleted"):
        Vault.open(vault_path, passphrase=PASSPHRASE)


def test_destroying_a_record_after_retention_takes_its_unsent_text(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered = datetime(2011, 9, 1, 12, tzinfo=UTC)  # entered then: retention cannot start later
    old = replace(records.client("Old "), intake_date=date(2011, 9, 1), created_at=entered)
    old = clients.add_client(vault.unit_of_work(), old)
    note = replace(records.note(old.id, "n"), session_date=date(2012, 1, 9))
    note = notes.create_note(vault.unit_of_work(), note)
    notes.sign_note(vault.unit_of_work(), note.id)
    pending.save_pending(vault.unit_of_work(), old.id, ADD, note.id, TYPED)
    with monkeypatch.context() as then:  # discharged and recorded in 2012
        then.setattr(clients, "today", lambda: date(2012, 6, 2))
        clients.set_status(vault.unit_of_work(), old.id, ClientStatus.DISCHARGED, date(2012, 6, 1))
    assert retention.delete_client_record(vault.unit_of_work(), old.id, confirmed=True) == 4
    with vault.unit_of_work() as uow:
        assert uow.pending_texts.all() == []


def test_the_practice_export_carries_unsent_text_and_the_client_record_does_not(
    vault: Vault, tmp_path: Path
) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A "))
    note_id = signed_note(vault, client.id)
    kept = pending.save_pending(vault.unit_of_work(), client.id, ADD, note_id, TYPED, "amendment")
    data = practice.export_practice(vault, "export passphrase for the move")
    assert b"UNSENTzq4" not in data
    target, _ = Vault.create(tmp_path / "new.notesdesk", "a different passphrase")
    with target:
        counts = practice.import_practice(target, data, "export passphrase for the move")
        assert counts["pending_texts"] == 1
        assert pending.list_pending(target.unit_of_work(), client.id) == [kept]
    assert "pending_texts" not in record.client_record(vault.unit_of_work(), client.id)


def downgrade_to_0002(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript("DROP TABLE pending_text; UPDATE alembic_version SET version_num = '0002';")
    conn.close()


def test_a_0002_vault_gains_the_table_and_its_copy_still_opens_read_only(
    legacy_vault: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    vault_path = legacy_vault
    downgrade_to_0002(vault_path)
    with Vault.open(vault_path, passphrase=PASSPHRASE, read_only=True) as before:
        [client] = clients.list_clients(before.unit_of_work())
        with before.unit_of_work() as uow:
            [note_id] = [n.id for n in uow.notes.where(client_id=client.id) if n.is_signed]
        dek = before.data_key()

    # A backup of the older vault is still checked in full (nothing migrates a backup image).
    image = Vault.open_image(vault_image(vault_path), dek)
    try:
        assert verify_vault(image.unit_of_work()).ok
        assert pending.list_pending(image.unit_of_work(), client.id) == []
    finally:
        image.close()

    with Vault.open(vault_path, passphrase=PASSPHRASE) as upgraded:
        assert migrate.current_revision(upgraded.engine) == migrate.head_revision()
        pending.save_pending(upgraded.unit_of_work(), client.id, ADD, note_id, TYPED)
    with Vault.open(vault_path, passphrase=PASSPHRASE) as again:
        kept = pending.get_pending(again.unit_of_work(), client.id, ADD, note_id)
        assert kept is not None and kept.text == TYPED
    copy = vault_path.with_name(vault_path.name + ".pre-0002.bak")
    monkeypatch.setenv("NOTESDESK_ANCHOR_DIR", str(tmp_path / "another-computer"))  # see test_vault
    with Vault.open(copy, passphrase=PASSPHRASE, read_only=True) as old:
        assert migrate.current_revision(old.engine) == "0002"
        assert pending.get_pending(old.unit_of_work(), client.id, ADD, note_id) is None
        assert [c.id for c in clients.list_clients(old.unit_of_work())] == [client.id]
