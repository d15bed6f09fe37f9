"""What a backup opened from the desktop shows before any secret: whose vault, when, how much, and
whether the vault it would replace is open elsewhere; every file that is no backup gets one line."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from notesdesk.core.backup import service
from notesdesk.core.backup.preview import preview_backup
from notesdesk.core.domain.clients import Client
from notesdesk.core.errors import NotesdeskError, NotFound
from notesdesk.core.services import clients
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE


@pytest.fixture
def backup(vault_path: Path, tmp_path: Path) -> tuple[Path, str]:
    vault, _key = Vault.create(vault_path, PASSPHRASE)
    with vault:
        clients.add_client(vault.unit_of_work(), Client(name="Ana Lima"))
        return service.make_backup(vault, tmp_path / "backups"), vault.vault_id


def test_the_header_says_whose_backup_it_is_when_it_was_made_and_how_much_it_holds(
    backup: tuple[Path, str], vault_path: Path
) -> None:
    path, vault_id = backup
    before = vault_path.read_bytes()
    preview = preview_backup(path, vault_path)
    assert (preview.path, preview.vault_id, preview.target_vault_id) == (path, vault_id, vault_id)
    assert preview.counts == {"clients": 1, "notes": 0}
    assert preview.created.startswith("20") and preview.app_version
    assert not preview.other_vault and not preview.in_use
    assert vault_path.read_bytes() == before


def test_another_vaults_backup_and_no_vault_yet_are_told_apart(
    backup: tuple[Path, str], tmp_path: Path
) -> None:
    path, vault_id = backup
    other_path = tmp_path / "other" / "practice.notesdesk"
    other_path.parent.mkdir()
    Vault.create(other_path, PASSPHRASE)[0].close()
    other = preview_backup(path, other_path)
    assert other.other_vault and other.target_vault_id not in (None, vault_id)
    fresh = preview_backup(path, tmp_path / "nowhere" / "practice.notesdesk")
    assert fresh.target_vault_id is None and not fresh.other_vault and not fresh.in_use


def test_a_vault_open_in_a_window_or_command_is_reported_in_use(
    backup: tuple[Path, str], vault_path: Path
) -> None:
    path, _vault_id = backup
    with Vault.open(vault_path, passphrase=PASSPHRASE):
        assert preview_backup(path, vault_path).in_use
    assert not preview_backup(path, vault_path).in_use  # and let go again


def _one_line(path: Path, target: Path) -> str:
    with pytest.raises(NotesdeskError) as caught:
        preview_backup(path, target)
    message = caught.value.message
    assert "\n" not in message and len(message) < 300
    return message


def test_a_missing_unreadable_or_foreign_file_gets_one_clear_line(
    backup: tuple[Path, str], vault_path: Path, tmp_path: Path
) -> None:
    path, _vault_id = backup
    before = vault_path.read_bytes()
    with pytest.raises(NotFound):
        preview_backup(tmp_path / "gone.ndbk", vault_path)
    assert "no file at" in _one_line(tmp_path / "gone.ndbk", vault_path)
    assert "is a folder" in _one_line(tmp_path, vault_path)
    letter = tmp_path / "letter.ndbk"
    letter.write_text("Dear colleague, …", encoding="utf-8")
    assert _one_line(letter, vault_path).endswith("is not a NotesDesk backup file.")
    empty = tmp_path / "empty.ndbk"
    empty.write_bytes(b"")
    assert "not a NotesDesk backup" in _one_line(empty, vault_path)
    assert "is a vault" in _one_line(vault_path, vault_path)
    cut = tmp_path / "cut.ndbk"
    cut.write_bytes(path.read_bytes()[:40])  # the start of a backup, its header cut off
    assert "cannot be trusted" in _one_line(cut, vault_path)
    # Unreadable, for any user (root reads a file without permissions): a path through a file.
    assert "could not be read: Not a directory" in _one_line(letter / "x.ndbk", vault_path)
    fifo = tmp_path / "pipe.ndbk"
    os.mkfifo(fifo)
    assert "not a regular file" in _one_line(fifo, vault_path)  # and never blocks on it
    assert vault_path.read_bytes() == before
    conn = sqlite3.connect(vault_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
