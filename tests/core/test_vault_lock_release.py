"""A vault's lock file is let go when the vault closes, whichever thread opened it: the app unlocks on a
background thread (ui/start/window.py) and closes on the UI thread, and a lock still held after that
close refuses the restore that follows it in the same process ("Close the vault in every NotesDesk
window before restoring"), or the next open of the vault. Under filelock 3.x (pyproject allows >= 3.13)
a thread-local lock was let go only when the vault object was collected."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from notesdesk.core.backup.preview import vault_in_use
from notesdesk.core.storage.vault import Vault

PASSPHRASE = "correct horse battery"


@pytest.fixture(autouse=True)
def _test_kdf(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NOTESDESK_INSECURE_TEST_KDF", "1")
    monkeypatch.setenv("NOTESDESK_BACKUP_DIR", str(tmp_path / "backups"))


def _opened_on_another_thread(path: Path) -> Vault:
    opened: list[Vault] = []
    worker = threading.Thread(target=lambda: opened.append(Vault.open(path, passphrase=PASSPHRASE)))
    worker.start()
    worker.join()
    (vault,) = opened
    return vault


def test_a_vault_opened_on_another_thread_is_let_go_when_closed_here(tmp_path: Path) -> None:
    path = tmp_path / "practice.notesdesk"
    Vault.create(path, PASSPHRASE)[0].close()
    vault = _opened_on_another_thread(path)
    assert vault_in_use(path)
    vault.close()  # the object lives on (the app's context still holds it): no collection lets go
    assert not vault_in_use(path)
    with Vault.open(path, passphrase=PASSPHRASE) as again:  # the next unlock in this process
        assert again.path == vault.path


def test_closing_twice_or_after_the_lock_was_let_go_is_harmless(tmp_path: Path) -> None:
    path = tmp_path / "practice.notesdesk"
    vault = Vault.create(path, PASSPHRASE)[0]
    vault.close()
    vault.close()
    assert not vault_in_use(path)
