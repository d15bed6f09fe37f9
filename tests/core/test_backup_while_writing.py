"""A backup runs on the background runner while the app keeps writing on the UI thread. The vault has
one SQLite connection, shared by both threads and guarded by the vault's work lock: every read the
backup makes (the audit head, the image, the key slots, the schema version, the counts) must happen
while it holds that lock, or the two threads use the connection at once ("OperationalError", seen
under load) and a write can land between the head the backup records and the image it takes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from notesdesk.core.backup import service
from notesdesk.core.backup.container import read_header
from notesdesk.core.domain.clients import Client
from notesdesk.core.services import clients
from notesdesk.core.storage import migrate, vault_header
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE


def test_every_read_of_a_backup_holds_the_vault(vault: Vault, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    clients.add_client(vault.unit_of_work(), Client(name="Ada Byron"))
    unguarded: list[str] = []

    def guarded(name: str, fn: Callable[..., object]) -> Callable[..., object]:
        def run(*args: object, **kwargs: object) -> object:
            if not vault._work_lock.locked():
                unguarded.append(name)
            return fn(*args, **kwargs)
        return run

    monkeypatch.setattr(service, "vault_image", guarded("image", service.vault_image))
    header_reader = guarded("key slots", vault_header.read_header)
    monkeypatch.setattr("notesdesk.core.storage.vault.read_header", header_reader)
    monkeypatch.setattr(migrate, "current_revision", guarded("schema", migrate.current_revision))

    made = service.make_backup(vault, tmp_path / "backups")

    assert unguarded == []
    assert read_header(made.read_bytes()).vault_id == vault.vault_id


def test_backups_taken_while_another_thread_writes_all_check(vault: Vault, tmp_path: Path) -> None:
    stop = threading.Event()
    failures: list[BaseException] = []

    def keep_writing() -> None:
        n = 0
        while not stop.is_set():
            try:
                clients.add_client(vault.unit_of_work(), Client(name=f"Client {n}"))
            except BaseException as exc:  # noqa: BLE001 (reported below)
                failures.append(exc)
                return
            n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        made = [service.make_backup(vault, tmp_path / "backups") for _ in range(5)]
    finally:
        stop.set()
        writer.join()
    assert failures == []
    for backup in made:
        service.check_backup(backup, passphrase=PASSPHRASE)
