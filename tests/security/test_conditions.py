"""Bad conditions: a full disk, a read-only vault, a synced or network folder."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from notesdesk.core.domain.clients import Client
from notesdesk.core.errors import ReadOnlyVault, StorageFull
from notesdesk.core.services import clients, notes
from notesdesk.core.storage.location import location_warning
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import records


def test_a_full_disk_refuses_the_save_keeps_earlier_commits_and_recovers(vault_path: Path) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    client = clients.add_client(vault.unit_of_work(), Client(name="Ayşe Demir"))
    with vault.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
        conn.exec_driver_sql(f"PRAGMA max_page_count={pages + 2}")
    saved = []
    draft = records.note(client.id, "big ")
    with pytest.raises(StorageFull, match="nothing was saved"):
        for i in range(200):
            text = f"note {i} " + "words " * 800
            note = replace(
                draft, id=f"n-{i:04d}", sections=notes.build_sections(draft.format, {"plan": text})
            )
            notes.create_note(vault.unit_of_work(), note)
            saved.append(note.id)
    # The text the user typed is still theirs (the caller keeps it), and everything acknowledged is there.
    with vault.unit_of_work() as uow:
        assert set(saved) <= set(uow.notes.ids())
    with vault.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA max_page_count=1073741823")
    notes.create_note(vault.unit_of_work(), replace(draft, id="after-space-freed"))
    vault.close()
    with Vault.open(vault_path, passphrase=PASSPHRASE) as reopened, reopened.unit_of_work() as uow:
        assert "after-space-freed" in uow.notes.ids()


def test_a_read_only_vault_opens_for_reading_and_refuses_writes(vault_path: Path) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    clients.add_client(vault.unit_of_work(), Client(name="Chloé Martin"))
    vault.close()
    before = vault_path.read_bytes()
    with Vault.open(vault_path, passphrase=PASSPHRASE, read_only=True) as ro:
        assert ro.read_only
        assert [c.name for c in clients.list_clients(ro.unit_of_work())] == ["Chloé Martin"]
        with pytest.raises(ReadOnlyVault):
            clients.add_client(ro.unit_of_work(), Client(name="Nobody"))
    assert vault_path.read_bytes() == before


def test_sqlite_itself_refuses_writes_on_a_read_only_open(vault_path: Path) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    vault.close()
    with (
        Vault.open(vault_path, passphrase=PASSPHRASE, read_only=True) as ro,
        pytest.raises(sqlite3.OperationalError),
        ro.engine.connect() as conn,
    ):
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("DELETE FROM meta")


@pytest.mark.parametrize("folder", ["Dropbox/practice", "OneDrive - Clinic", "Library/Mobile Documents/x"])
def test_synced_folders_get_a_warning(tmp_path: Path, folder: str) -> None:
    assert "cloud-synced" in (location_warning(tmp_path / folder / "v.notesdesk") or "")


def test_network_mounts_get_a_warning(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(f"server:/export {tmp_path}/share nfs4 rw 0 0\n/dev/sda1 / ext4 rw 0 0\n")
    assert "network drive" in (location_warning(tmp_path / "share" / "v.notesdesk", mounts) or "")
    assert location_warning(tmp_path / "local" / "v.notesdesk", mounts) is None


@pytest.mark.parametrize("folder", ["megan/notes", "omega", "boxing-club", "Documents/syncope-research"])
def test_ordinary_folders_that_merely_contain_a_sync_name_get_no_warning(tmp_path: Path, folder: str) -> None:
    mounts = tmp_path / "no-mounts"
    mounts.write_text("")
    assert location_warning(tmp_path / folder / "v.notesdesk", mounts) is None
