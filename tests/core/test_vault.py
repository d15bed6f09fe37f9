"""Creating, unlocking and re-keying a vault; what a wrong key or a damaged file does."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from notesdesk.core.domain.clients import Client
from notesdesk.core.errors import Conflict, InvalidInput, VaultDamaged, VaultInUse, WrongPassphrase
from notesdesk.core.services import clients
from notesdesk.core.storage import migrate
from notesdesk.core.storage.sqlite import TRIGGERS
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_create_then_unlock_with_passphrase_or_recovery_key(vault_path: Path) -> None:
    vault, recovery_key = Vault.create(vault_path, PASSPHRASE)
    clients.add_client(vault.unit_of_work(), Client(name="Ngozi Adébáyọ̀"))
    vault.close()
    secrets: tuple[dict[str, Any], ...] = ({"passphrase": PASSPHRASE}, {"recovery_key": recovery_key})
    for kwargs in secrets:
        with Vault.open(vault_path, **kwargs) as reopened:
            names = [c.name for c in clients.list_clients(reopened.unit_of_work())]
            assert names == ["Ngozi Adébáyọ̀"]


def test_vault_file_is_private_to_the_user(vault: Vault) -> None:
    mode = stat.S_IMODE(vault.path.stat().st_mode)
    assert mode & 0o077 == 0


def test_wrong_passphrase_is_refused_and_changes_no_byte(vault_path: Path) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    vault.close()
    before = file_digest(vault_path)
    for attempt in ["", "correct horse batterY", "é" * 300, "\x00", PASSPHRASE + " "]:
        with pytest.raises(WrongPassphrase):
            Vault.open(vault_path, passphrase=attempt)
    assert file_digest(vault_path) == before
    leftovers = {p.name for p in vault_path.parent.iterdir()} - {vault_path.name, vault_path.name + ".lock"}
    assert leftovers == set()


def test_wrong_recovery_key_is_refused(vault_path: Path) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    vault.close()
    _, other_key = Vault.create(vault_path.with_name("other.notesdesk"), PASSPHRASE)
    with pytest.raises(WrongPassphrase, match="recovery key"):
        Vault.open(vault_path, recovery_key=other_key)


def test_changing_the_passphrase_keeps_the_recovery_key_working(vault_path: Path) -> None:
    vault, recovery_key = Vault.create(vault_path, PASSPHRASE)
    clients.add_client(vault.unit_of_work(), Client(name="Søren Østergaard"))
    vault.change_passphrase("a brand new passphrase")
    vault.close()
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_path, passphrase=PASSPHRASE)
    with Vault.open(vault_path, passphrase="a brand new passphrase") as reopened:
        assert len(clients.list_clients(reopened.unit_of_work())) == 1
    with Vault.open(vault_path, recovery_key=recovery_key) as reopened:
        reopened.change_passphrase("set after forgetting it")
    Vault.open(vault_path, passphrase="set after forgetting it").close()


def test_weak_passphrase_is_refused_at_creation(vault_path: Path) -> None:
    with pytest.raises(InvalidInput):
        Vault.create(vault_path, "short")
    assert not vault_path.exists()


def test_creation_never_overwrites_an_existing_file(vault_path: Path) -> None:
    vault_path.write_bytes(b"something precious")
    with pytest.raises(Conflict):
        Vault.create(vault_path, PASSPHRASE)
    assert vault_path.read_bytes() == b"something precious"


def test_second_instance_is_refused(vault: Vault) -> None:
    with pytest.raises(VaultInUse):
        Vault.open(vault.path, passphrase=PASSPHRASE)


def test_lock_is_released_on_close(vault_path: Path) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    vault.close()
    Vault.open(vault_path, passphrase=PASSPHRASE).close()


def test_a_file_that_is_not_a_vault_is_reported_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "notes.notesdesk"
    path.write_bytes(b"%PDF-1.7 not a vault at all" * 100)
    with pytest.raises(VaultDamaged):
        Vault.open(path, passphrase=PASSPHRASE)
    plain = tmp_path / "plain.sqlite"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(VaultDamaged):
        Vault.open(plain, passphrase=PASSPHRASE)


def test_corrupted_pages_are_reported_as_damaged(vault_path: Path) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    for i in range(30):
        clients.add_client(vault.unit_of_work(), Client(name=f"Client {i}", presenting_concerns="x" * 500))
    vault.close()
    data = bytearray(vault_path.read_bytes())
    page = 4096
    # Every third page after the header pages, from just after the page header: the cell pointers
    # (bytes further in may be a page's free space, which holds nothing to damage).
    for start in range(2 * page, len(data), 3 * page):
        data[start + 8 : start + 308] = b"\xff" * 300
    vault_path.write_bytes(bytes(data))
    with pytest.raises(VaultDamaged):
        Vault.open(vault_path, passphrase=PASSPHRASE)


def _edit(path: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_a_damaged_recovery_slot_is_found_at_the_next_normal_unlock(vault_path: Path) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    vault.close()
    _edit(vault_path, "UPDATE keyslot SET wrapped = zeroblob(60) WHERE kind = 'recovery'")
    with pytest.raises(VaultDamaged, match="recovery key slot is damaged"):
        Vault.open(vault_path, passphrase=PASSPHRASE)


def test_a_downgraded_kdf_setting_is_detected(vault_path: Path) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    vault.close()
    conn = sqlite3.connect(vault_path)
    params = conn.execute("SELECT params FROM keyslot WHERE kind='passphrase'").fetchone()[0]
    conn.close()
    _edit(
        vault_path, "UPDATE keyslot SET params = ? WHERE kind='passphrase'", params.replace('"t":1', '"t":2')
    )
    with pytest.raises((VaultDamaged, WrongPassphrase)):
        Vault.open(vault_path, passphrase=PASSPHRASE)


def test_schema_is_at_the_newest_migration(vault: Vault) -> None:
    assert migrate.current_revision(vault.engine) == migrate.head_revision()


def test_tables_are_strict_and_journal_is_a_single_file(vault: Vault) -> None:
    conn = sqlite3.connect(vault.path)
    ddl = [row[0] for row in conn.execute("SELECT sql FROM sqlite_master WHERE type='table'")]
    sealed = [d for d in ddl if "alembic_version" not in d]
    assert sealed and all(d.rstrip().endswith("STRICT") for d in sealed)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_an_older_vault_is_migrated_after_a_safety_copy(
    legacy_vault: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    vault_path = legacy_vault
    # Make it look like a vault written by the first release (schema 0001).
    conn = sqlite3.connect(vault_path)
    conn.executescript(
        "DROP TABLE purge; DROP TABLE pending_text;"
        "DROP TRIGGER note_signed_no_delete; DROP TRIGGER addendum_no_delete;"
        "UPDATE alembic_version SET version_num = '0001';"
    )
    # With the first release's delete triggers, which 0002 replaced: the structure must be exactly
    # that of revision 0001 to be opened (storage/schema.py).
    for ddl in TRIGGERS:
        if "BEFORE DELETE ON note" in ddl or "BEFORE DELETE ON addendum" in ddl:
            conn.execute(ddl)
    conn.commit()
    conn.close()
    with Vault.open(vault_path, passphrase=PASSPHRASE) as upgraded:
        assert migrate.current_revision(upgraded.engine) == migrate.head_revision()
        assert [c.name for c in clients.list_clients(upgraded.unit_of_work())] == ["Before the upgrade"]
    copy = vault_path.with_name(vault_path.name + ".pre-0001.bak")
    assert copy.exists()
    # The safety copy is older than the vault this computer has now opened: refused here, as any
    # older copy is (storage/rollback.py); on a computer that never saw the newer one it opens.
    with pytest.raises(VaultDamaged, match="older"):
        Vault.open(copy, passphrase=PASSPHRASE, read_only=True)
    monkeypatch.setenv("NOTESDESK_ANCHOR_DIR", str(tmp_path / "another-computer"))
    with Vault.open(copy, passphrase=PASSPHRASE, read_only=True) as old:
        assert migrate.current_revision(old.engine) == "0001"


def test_units_of_work_on_two_threads_take_turns(vault: Vault) -> None:
    import threading

    clients.add_client(vault.unit_of_work(), Client(name="Ngozi Okafor"))
    failures: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(150):
                assert len(clients.list_clients(vault.unit_of_work())) >= 1
        except BaseException as exc:  # collected and asserted below
            failures.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    for i in range(40):
        clients.add_client(vault.unit_of_work(), Client(name=f"Writer {i}"))
    for thread in threads:
        thread.join()
    assert failures == []


def test_a_unit_of_work_inside_another_is_a_clear_programming_error(vault: Vault) -> None:
    with vault.unit_of_work(), pytest.raises(RuntimeError, match="inside another"):
        vault.unit_of_work().__enter__()
