"""Kill the app process after the autosave interval: the typed text is in the draft on reopen."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

from notesdesk.core.domain.clients import Client
from notesdesk.core.services import clients, notes
from notesdesk.core.storage.vault import Vault

SCRIPT = Path(__file__).with_name("workspace_crash_script.py")
PASSPHRASE = "correct horse battery"
TEXT = "Client described the panic on the bus in detail"


def test_draft_survives_sigkill_after_the_autosave_interval(tmp_path, monkeypatch):
    monkeypatch.setenv("NOTESDESK_INSECURE_TEST_KDF", "1")
    path = tmp_path / "v.notesdesk"
    vault, _ = Vault.create(path, PASSPHRASE)
    client_id = clients.add_client(vault.unit_of_work(), Client("Robin", intake_date=date(2024, 1, 1))).id
    vault.close()

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NOTESDESK_INSECURE_TEST_KDF="1")
    # Default preferences: the real 3-second autosave interval.
    args = [sys.executable, str(SCRIPT), str(path), PASSPHRASE, client_id, str(tmp_path / "p.ini"), TEXT]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline().strip()
        assert line == "TYPED", (line, proc.stderr.read() if proc.poll() is not None else "")
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    reopened = Vault.open(path, PASSPHRASE)  # the dead process's lock is gone with it
    try:
        [draft] = notes.list_notes(reopened.unit_of_work(), client_id)
        assert draft.section_text("subjective") == TEXT
        assert not draft.is_signed
    finally:
        reopened.close()
