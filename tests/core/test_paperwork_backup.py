"""Diagnoses, the next session and a note's session details survive a backup and its restore."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from pathlib import Path

from notesdesk.core.backup import service
from notesdesk.core.domain.notes import Delivery
from notesdesk.core.exports.snapshot import take
from notesdesk.core.services import clients, diagnoses, notes, verify, visits
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import records


def test_backup_and_restore_keep_the_paperwork(vault: Vault, vault_path: Path, tmp_path: Path) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("B ")).id
    diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F43.10", "since the accident")
    visits.set_next_session(vault.unit_of_work(), cid, date(2026, 11, 2), every_days=14)
    note = replace(records.note(cid, "n"), start_time=time(10, 0), end_time=time(10, 50),
                   delivery=Delivery.VIDEO, cpt_code="90834")
    notes.sign_note(vault.unit_of_work(), notes.create_note(vault.unit_of_work(), note).id)
    before = take(vault.unit_of_work())
    backup = service.make_backup(vault, tmp_path / "backups")
    diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F41.1")  # after the backup: gone on restore
    vault.close()
    service.restore(backup, vault_path, passphrase=PASSPHRASE)
    with Vault.open(vault_path, passphrase=PASSPHRASE) as restored:
        after = take(restored.unit_of_work())
        assert after.diagnoses == before.diagnoses and [d.code for d in after.diagnoses] == ["F43.10"]
        assert after.next_sessions == before.next_sessions
        assert after.notes == before.notes and after.notes[0].cpt_code == "90834"
        assert verify.verify_vault(restored.unit_of_work()).signed_notes == 1
