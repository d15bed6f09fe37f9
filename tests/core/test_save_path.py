"""Saving a note on the lean path: the note row, its audit entry, the audit head and the client's
summary are written with plain SQL on the vault's connection (storage/raw.py), all in the save's one
transaction. So a save stopped anywhere leaves nothing half-written, and the authenticated head covers
every row a save writes: unlock and `verify` stay clean after many saves and refuse one undone."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import timedelta

import pytest

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import SessionNote
from notesdesk.core.errors import VaultDamaged
from notesdesk.core.services import care, clients, notes
from notesdesk.core.services.overview import client_flags, flags_from_records
from notesdesk.core.services.verify import verify_vault
from notesdesk.core.storage import summaries
from notesdesk.core.storage.audit import AuditLog
from notesdesk.core.storage.head import HeadKeeper
from notesdesk.core.storage.vault import Vault
from tests.attacker import edit_one
from tests.conftest import PASSPHRASE
from tests.core import records


def _draft(vault: Vault) -> SessionNote:
    client = clients.add_client(vault.unit_of_work(), Client(name="Tomás Ó Súilleabháin"))
    return notes.create_note(vault.unit_of_work(), records.note(client.id, "first "))


def _edited(note: SessionNote, text: str) -> SessionNote:
    return replace(note, sections=notes.build_sections(note.format, {"plan": text}))


def _text(vault: Vault, note_id: str) -> str:
    return notes.get_note(vault.unit_of_work(), note_id)[0].text


_sql = edit_one  # as a key-less attacker edits the file


def _stop(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("stopped here")


def _stop_at_the_note_entry(self: AuditLog, session: object, action: str, table: str = "", *args: object,
                            **kwargs: object) -> object:
    if table == "note":
        raise RuntimeError("stopped here")
    return REAL_RECORD(self, session, action, table, *args, **kwargs)  # type: ignore[arg-type]


REAL_RECORD = AuditLog.record
STOPS = {
    # after the note row is written, before its audit entry
    "audit entry": (AuditLog, "record", _stop_at_the_note_entry),
    # after the audit entry, before the head that vouches for it
    "audit head": (HeadKeeper, "write", _stop),
    # after the note, its entry and the head, before the client's summary
    "summary": (summaries, "incremental_update", _stop),
}


@pytest.mark.parametrize("where", list(STOPS))
def test_a_save_stopped_part_way_leaves_no_stored_byte_changed(
    vault: Vault, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    draft = _draft(vault)
    before = vault.path.read_bytes()
    owner, name, stop = STOPS[where]
    with monkeypatch.context() as patched, pytest.raises(RuntimeError, match="stopped here"):
        patched.setattr(owner, name, stop)
        notes.save_draft(vault.unit_of_work(), _edited(draft, "typed after the stop"))
    assert vault.path.read_bytes() == before
    assert "typed after the stop" not in _text(vault, draft.id)
    vault.close()
    with Vault.open(vault.path, passphrase=PASSPHRASE) as again:
        verify_vault(again.unit_of_work())
        notes.save_draft(again.unit_of_work(), _edited(draft, "saved once the fault is gone"))
        assert "saved once the fault is gone" in _text(again, draft.id)


KILLED_SAVE = """
import os, sys
from dataclasses import replace
from pathlib import Path
from notesdesk.core.services import notes
from notesdesk.core.storage.audit import AuditLog
from notesdesk.core.storage.vault import Vault

vault = Vault.open(Path(sys.argv[1]), passphrase=sys.argv[2])
note = notes.get_note(vault.unit_of_work(), sys.argv[3])[0]
real = AuditLog.record

def killed(self, session, action, table="", *args, **kwargs):
    if table == "note":
        os._exit(9)  # the process dies between the note row and its audit entry
    return real(self, session, action, table, *args, **kwargs)

AuditLog.record = killed
lost = notes.build_sections(note.format, {"plan": "lost"})
notes.save_draft(vault.unit_of_work(), replace(note, sections=lost))
"""


def test_a_save_killed_between_the_note_row_and_its_audit_entry_is_undone_at_the_next_open(
    vault: Vault,
) -> None:
    draft = _draft(vault)
    vault.close()
    child = subprocess.run([sys.executable, "-c", KILLED_SAVE, str(vault.path), PASSPHRASE, draft.id],
                           capture_output=True, text=True, check=False, timeout=120)
    assert child.returncode == 9, child.stderr
    with Vault.open(vault.path, passphrase=PASSPHRASE) as again:
        assert "lost" not in _text(again, draft.id)
        assert "first plan" in _text(again, draft.id)
        verify_vault(again.unit_of_work())


def test_after_many_saves_unlock_and_verify_are_clean_and_an_undone_save_is_refused(vault: Vault) -> None:
    draft = _draft(vault)
    homework = care.add_homework(vault.unit_of_work(), records.homework(draft.client_id, "hw "))
    kept: list[tuple[object, ...]] = []
    for i in range(40):
        note = _edited(draft, f"autosave {i}")
        if i % 8 == 0:  # a new session date: what the list's flags read of the note changes
            note = replace(note, session_date=today() - timedelta(days=40 - i))
        if 10 <= i < 20:  # homework ticked as assigned in the draft, then unticked
            note = replace(note, homework_assigned=(homework.id,))
        draft = notes.save_draft(vault.unit_of_work(), note)
        assert client_flags(vault.unit_of_work(), [draft.client_id]) == flags_from_records(
            vault.unit_of_work(), [draft.client_id]
        )
        if i == 30:
            kept = _sql(vault.path, "SELECT rev, data FROM note WHERE id = ?", draft.id)
    vault.close()
    with Vault.open(vault.path, passphrase=PASSPHRASE) as again:
        verify_vault(again.unit_of_work())
        assert _text(again, draft.id).endswith("autosave 39")

    # The note put back as it was nine saves ago, as a copy of the file from then would have it.
    newest = _sql(vault.path, "SELECT rev, data FROM note WHERE id = ?", draft.id)
    _sql(vault.path, "UPDATE note SET rev = ?, data = ? WHERE id = ?", *kept[0], draft.id)
    with pytest.raises(VaultDamaged, match="rolled back"):
        Vault.open(vault.path, passphrase=PASSPHRASE)
    _sql(vault.path, "UPDATE note SET rev = ?, data = ? WHERE id = ?", *newest[0], draft.id)

    # The newest save's audit entry cut from the end of the log.
    _sql(vault.path, "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)")
    with pytest.raises(VaultDamaged, match="entries were cut"):
        Vault.open(vault.path, passphrase=PASSPHRASE)


def test_a_saved_draft_whose_flag_inputs_did_not_change_leaves_its_clients_summary_as_it_was(
    vault: Vault,
) -> None:
    draft = _draft(vault)
    summary_rev = "SELECT rev FROM client_summary WHERE id = ?"
    [(rev,)] = _sql(vault.path, summary_rev, draft.client_id)
    notes.save_draft(vault.unit_of_work(), _edited(draft, "only the text changed"))
    assert _sql(vault.path, summary_rev, draft.client_id) == [(rev,)]
    moved = replace(draft, session_date=draft.session_date - timedelta(days=1))
    notes.save_draft(vault.unit_of_work(), moved)
    assert _sql(vault.path, summary_rev, draft.client_id) == [(int(str(rev)) + 1,)]
    assert client_flags(vault.unit_of_work(), [draft.client_id]) == flags_from_records(
        vault.unit_of_work(), [draft.client_id]
    )


def test_a_vault_read_after_it_was_closed_reads_on_its_new_connection(vault: Vault) -> None:
    """Closing a vault closes its SQLite connection; a unit of work afterwards (the app reads once
    more as it locks) gets a new one, never the closed one (storage/sqlite.py keeps them apart)."""
    draft = _draft(vault)
    vault.close()
    assert notes.list_notes(vault.unit_of_work(), draft.client_id)[0].id == draft.id
