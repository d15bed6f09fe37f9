"""Where damage to the vault file is found (docs/design-notes.md §3, SECURITY.md "Integrity checks"):
an unlock reads every record's page and refuses a damaged one; a page no unlock reads is found by the
full integrity check in `verify` and before every backup, so it never reaches a backup unnoticed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from notesdesk.core.backup.service import make_backup
from notesdesk.core.domain.clients import Client
from notesdesk.core.errors import VaultDamaged
from notesdesk.core.services import clients, notes
from notesdesk.core.services.verify import verify_vault
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import records


@pytest.fixture
def practice(vault_path: Path) -> Path:
    vault, _key = Vault.create(vault_path, PASSPHRASE)
    with vault:
        client = clients.add_client(vault.unit_of_work(), Client(name="Page Damage"))
        for _ in range(3):
            notes.create_note(vault.unit_of_work(), records.note(client.id, "p"))
    return vault_path


def _break_page_of(path: Path, name: str) -> None:
    """Give the b-tree page at the root of table or index `name` an invalid page type."""
    conn = sqlite3.connect(path)
    try:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * size] = 0x00  # the page's type byte: none of 2, 5, 10, 13 any more
    path.write_bytes(bytes(data))


def test_a_damaged_record_page_is_refused_at_unlock_and_nothing_is_written(practice: Path) -> None:
    _break_page_of(practice, "note")
    before = practice.read_bytes()
    with pytest.raises(VaultDamaged, match="damaged"):
        Vault.open(practice, passphrase=PASSPHRASE)
    assert practice.read_bytes() == before


def test_a_damaged_page_the_unlock_does_not_read_is_found_by_verify_and_before_a_backup(
    practice: Path, tmp_path: Path
) -> None:
    _break_page_of(practice, "ix_note_client_id")
    folder = tmp_path / "backups"
    with Vault.open(practice, passphrase=PASSPHRASE) as vault:
        with pytest.raises(VaultDamaged, match="integrity"):
            verify_vault(vault.unit_of_work())
        with pytest.raises(VaultDamaged, match="no backup was made"):
            make_backup(vault, folder)
    assert not folder.exists() or not list(folder.iterdir())
