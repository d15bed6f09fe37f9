"""Row-level attacks by someone with the file but not the key are each detected (security.md §5 #8)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from notesdesk.core.errors import VaultDamaged
from notesdesk.core.services.verify import verify_vault
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.security.conftest import Attacker, Practice


def assert_detected(path: Path) -> None:
    """Detected at unlock, or at the latest by a full verify; never silently accepted."""
    try:
        vault = Vault.open(path, passphrase=PASSPHRASE)
    except VaultDamaged:
        return
    try:
        with pytest.raises(VaultDamaged):
            verify_vault(vault.unit_of_work())
    finally:
        vault.close()


def test_untouched_practice_verifies(practice: Practice) -> None:
    with Vault.open(practice.path, passphrase=PASSPHRASE) as vault:
        report = verify_vault(vault.unit_of_work())
    assert report.signed_notes == 2 and report.audit_entries > 5


def test_swapping_two_notes_ciphertexts(practice: Practice, attacker: Callable[[], Attacker]) -> None:
    a = attacker()
    first = a.one("SELECT data FROM note WHERE id=?", practice.signed_a)[0]
    second = a.one("SELECT data FROM note WHERE id=?", practice.note_b)[0]
    a.run("UPDATE note SET data=? WHERE id=?", second, practice.signed_a)
    a.run("UPDATE note SET data=? WHERE id=?", first, practice.note_b)
    a.close()
    assert_detected(practice.path)


def test_moving_a_note_to_another_client(practice: Practice, attacker: Callable[[], Attacker]) -> None:
    a = attacker()
    a.run("UPDATE note SET client_id=? WHERE id=?", practice.client_b, practice.signed_a)
    a.close()
    assert_detected(practice.path)


def test_replaying_an_old_revision(practice: Practice, attacker: Callable[[], Attacker]) -> None:
    # Keep a copy of the draft as it is, let the app save a newer revision, then put the old
    # ciphertext back under the current revision number.
    a = attacker()
    old = a.one("SELECT data FROM note WHERE id=?", practice.draft_a)[0]
    a.close()
    _resave_draft(practice)
    a = attacker()
    a.run("UPDATE note SET data=? WHERE id=?", old, practice.draft_a)
    a.close()
    assert_detected(practice.path)


def test_rolling_a_whole_row_back(practice: Practice, attacker: Callable[[], Attacker]) -> None:
    a = attacker()
    old = a.one("SELECT rev, data FROM note WHERE id=?", practice.draft_a)
    a.close()
    _resave_draft(practice)
    a = attacker()
    a.run("UPDATE note SET rev=?, data=? WHERE id=?", old[0], old[1], practice.draft_a)
    a.close()
    assert_detected(practice.path)


def test_deleting_a_note(practice: Practice, attacker: Callable[[], Attacker]) -> None:
    a = attacker()
    a.run("DELETE FROM note WHERE id=?", practice.draft_a)
    a.close()
    assert_detected(practice.path)


def test_unsigning_and_editing_a_signed_note(practice: Practice, attacker: Callable[[], Attacker]) -> None:
    a = attacker()
    a.run("UPDATE note SET signed=0 WHERE id=?", practice.signed_a)
    a.close()
    assert_detected(practice.path)


def test_truncating_the_audit_log(practice: Practice, attacker: Callable[[], Attacker]) -> None:
    a = attacker()
    a.run("DELETE FROM audit WHERE seq > (SELECT max(seq) - 6 FROM audit)")
    a.close()
    assert_detected(practice.path)


def test_editing_an_audit_entry(practice: Practice, attacker: Callable[[], Attacker]) -> None:
    a = attacker()
    a.run("UPDATE audit SET data = CAST(data || x'00' AS BLOB) WHERE seq = 3")
    a.close()
    assert_detected(practice.path)


def test_inserting_a_copied_row(practice: Practice, attacker: Callable[[], Attacker]) -> None:
    a = attacker()
    a.run(
        "INSERT INTO note (id, client_id, rev, signed, data) "
        "SELECT 'aaaaaaaa-0000-4000-8000-000000000000', client_id, rev, signed, data FROM note WHERE id=?",
        practice.signed_a,
    )
    a.close()
    assert_detected(practice.path)


def test_ciphertext_from_another_vault(practice: Practice, tmp_path: Path) -> None:
    other_path = tmp_path / "other.notesdesk"
    other, _ = Vault.create(other_path, PASSPHRASE)
    other.close()
    conn = sqlite3.connect(other_path)
    foreign = conn.execute("SELECT data FROM secret").fetchone()[0]
    conn.close()
    a = Attacker(practice.path)
    a.run("UPDATE secret SET data=?", foreign)
    a.close()
    assert_detected(practice.path)


def test_a_signed_note_cannot_change_through_sql_while_triggers_stand(practice: Practice) -> None:
    conn = sqlite3.connect(practice.path)
    with pytest.raises(sqlite3.IntegrityError, match="signed and locked"):
        conn.execute("UPDATE note SET data = x'00' WHERE id=?", (practice.signed_a,))
    with pytest.raises(sqlite3.IntegrityError, match="signed and locked"):
        conn.execute("DELETE FROM note WHERE id=?", (practice.signed_a,))
    conn.close()


def _resave_draft(practice: Practice) -> None:
    from dataclasses import replace

    from notesdesk.core.domain.notes import NoteFormat
    from notesdesk.core.services import notes

    with Vault.open(practice.path, passphrase=PASSPHRASE) as vault:
        draft, _ = notes.get_note(vault.unit_of_work(), practice.draft_a)
        sections = notes.build_sections(NoteFormat.DAP, {"data": "Third version of the draft"})
        notes.save_draft(vault.unit_of_work(), replace(draft, sections=sections))
