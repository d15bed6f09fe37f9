"""Exports: the encrypted whole-practice export imports back losslessly; the client JSON record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from notesdesk.core.backup.container import BackupDamaged
from notesdesk.core.domain.care import CheckinStatus
from notesdesk.core.domain.notes import AddendumKind
from notesdesk.core.errors import Conflict, NotesdeskError, WrongPassphrase
from notesdesk.core.exports import practice, record
from notesdesk.core.exports.snapshot import take
from notesdesk.core.services import care, clients, notes, plans
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import records

EXPORT_PASSPHRASE = "export passphrase for the move"


def fill(vault: Vault) -> str:
    client = clients.add_client(vault.unit_of_work(), records.client("Ngozi "))
    note = notes.create_note(vault.unit_of_work(), records.note(client.id, "session "))
    notes.sign_note(vault.unit_of_work(), note.id)
    notes.add_addendum(vault.unit_of_work(), note.id, AddendumKind.CORRECTION, "fixed a date")
    notes.add_private_note(vault.unit_of_work(), records.private_note(client.id, "PROCESS-ONLY "))
    plan = plans.save_plan(vault.unit_of_work(), records.plan(client.id, "plan "))
    plans.activate_plan(vault.unit_of_work(), plan.id)
    hw = care.add_homework(vault.unit_of_work(), records.homework(client.id, "hw "))
    care.check_in(vault.unit_of_work(), hw.id, CheckinStatus.DONE)
    care.add_milestone(vault.unit_of_work(), records.milestone(client.id, "m "))
    care.set_phase(vault.unit_of_work(), records.phase(client.id, "ph "))
    care.save_safety_plan(vault.unit_of_work(), records.safety_plan(client.id, "sp "))
    care.add_measure(vault.unit_of_work(), records.measure(client.id, "me "))
    return client.id


def test_practice_export_round_trips_into_a_new_vault(vault: Vault, tmp_path: Path) -> None:
    fill(vault)
    data = practice.export_practice(vault, EXPORT_PASSPHRASE)
    assert b"Ngozi" not in data and b"PROCESS-ONLY" not in data
    before = take(vault.unit_of_work())
    target, _ = Vault.create(tmp_path / "new.notesdesk", "a different passphrase")
    counts = practice.import_practice(target, data, EXPORT_PASSPHRASE)
    assert counts["notes"] == 1 and counts["private_notes"] == 1
    after = take(target.unit_of_work())
    assert after == before
    # Signed notes still verify in the new vault.
    note, addenda = notes.get_note(target.unit_of_work(), after.notes[0].id)
    assert notes.verify_note(target.unit_of_work(), note, addenda)
    target.close()
    with Vault.open(tmp_path / "new.notesdesk", passphrase="a different passphrase") as reopened:
        assert take(reopened.unit_of_work()) == before


def test_import_refuses_a_vault_that_already_has_clients(vault: Vault) -> None:
    fill(vault)
    data = practice.export_practice(vault, EXPORT_PASSPHRASE)
    with pytest.raises(Conflict):
        practice.import_practice(vault, data, EXPORT_PASSPHRASE)


def test_import_with_the_wrong_passphrase_or_a_damaged_file_changes_nothing(
    vault: Vault, tmp_path: Path
) -> None:
    fill(vault)
    data = practice.export_practice(vault, EXPORT_PASSPHRASE)
    target, _ = Vault.create(tmp_path / "new.notesdesk", PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        practice.import_practice(target, data, "wrong passphrase here")
    damaged = bytearray(data)
    damaged[-100] ^= 1
    with pytest.raises(BackupDamaged):
        practice.import_practice(target, bytes(damaged), EXPORT_PASSPHRASE)
    for garbage in (b"", b"NDBK", b"\x00" * 1000, data[: len(data) // 2]):
        with pytest.raises(NotesdeskError):
            practice.import_practice(target, garbage, EXPORT_PASSPHRASE)
    assert take(target.unit_of_work()).clients == ()
    target.close()


def test_client_json_record_leaves_out_psychotherapy_notes_unless_included(vault: Vault) -> None:
    client_id = fill(vault)
    plain = json.loads(record.client_record_json(vault.unit_of_work(), client_id))
    assert plain["schema"] == "notesdesk.client-record/1"
    assert plain["client"]["name"].startswith("Ngozi")
    assert "private_notes" not in plain and "PROCESS-ONLY" not in json.dumps(plain)
    assert plain["notes"][0]["signature"]["key_fingerprint"]
    assert plain["measures"][0]["answers"][2] is None
    assert {"episodes", "addenda", "plans", "homework", "milestones", "phases", "safety_plans"} <= set(plain)
    full = json.loads(record.client_record_json(vault.unit_of_work(), client_id, include_private=True))
    assert full["private_notes"][0]["text"].startswith("PROCESS-ONLY")


def test_vault_settings_travel_with_the_practice_export(vault: Vault, tmp_path: Path) -> None:
    from notesdesk.core.storage.store import SealedTable

    fill(vault)
    with vault.unit_of_work() as uow:
        SealedTable[Any](uow.ctx, "secret", dict).put_raw("templates", b'{"templates": ["speech"]}')
        uow.commit()
    data = practice.export_practice(vault, EXPORT_PASSPHRASE)
    target, _ = Vault.create(tmp_path / "new.notesdesk", PASSPHRASE)
    practice.import_practice(target, data, EXPORT_PASSPHRASE)
    with target.unit_of_work() as uow:
        rows = dict(SealedTable[Any](uow.ctx, "secret", dict).all_raw())
    assert rows["templates"] == b'{"templates": ["speech"]}'
    target.close()
