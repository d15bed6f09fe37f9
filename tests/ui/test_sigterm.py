"""SIGTERM (a logout or shutdown ending the app, `kill`) ends NotesDesk as its own Quit would: what
was typed is saved, the vault closed, and the next start has nothing to report as a crash."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from notesdesk.core.domain.clients import Client
from notesdesk.core.services import clients, notes
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.lifecycle.crash_watch import CrashWatch
from tests.ui.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("sigterm_child.py")
TEXT = "Typed just before the logout"


def terminated(vault_path: Path, home: Path, text: str) -> None:
    """Run the app in a child process until it is READY, send SIGTERM, and check it ended cleanly."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen",
               XDG_CONFIG_HOME=str(home / "config"), XDG_STATE_HOME=str(home / "state"),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"))
    proc = subprocess.Popen([sys.executable, str(CHILD), str(vault_path), PASSPHRASE, text],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if line != "READY":
        proc.kill()
        raise AssertionError(f"{line} {proc.communicate(timeout=60)[1][-2000:]}")
    os.kill(proc.pid, signal.SIGTERM)
    try:
        _out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:  # it did not end: never leave it running behind the tests
            proc.kill()
            proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    watch = CrashWatch(home / "state" / "NotesDesk" / "log")
    assert watch.start() is None  # nothing to report: the run ended as a close does
    watch.stop()


def test_sigterm_saves_what_was_typed_and_closes_cleanly(ui_vault_path: Path, tmp_path: Path) -> None:
    vault, _key = Vault.create(ui_vault_path, PASSPHRASE)
    client = clients.add_client(vault.unit_of_work(), Client(name="Ana Lima"))
    vault.close()
    terminated(ui_vault_path, tmp_path / "home", TEXT)

    reopened = Vault.open(ui_vault_path, PASSPHRASE)
    try:
        saved = notes.list_notes(reopened.unit_of_work(), client.id)
    finally:
        reopened.close()
    assert [n.section_text("subjective") for n in saved] == [TEXT]
    assert [b.name for b in (tmp_path / "backups").glob("notesdesk-backup-*")]  # the closing backup


def test_sigterm_at_the_unlock_screen_ends_cleanly_too(ui_vault_path: Path, tmp_path: Path) -> None:
    Vault.create(ui_vault_path, PASSPHRASE)[0].close()
    terminated(ui_vault_path, tmp_path / "home", "")
