"""Issue 18: on a vault that only supervises a client, the CLI's writes of that client are refused in
one line, with the exit code of every other refusal (1), and change no stored byte; reading works."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import access
from tests.cli.conftest import PASSPHRASE, Runner

REFUSED = "You supervise this client: their clinician makes changes; you can read and co-sign."


def _supervise(vault_path: Path, client_id: str) -> None:
    """As a sync that received the client's key with the role of supervisor leaves the vault."""
    vault = Vault.open(vault_path, PASSPHRASE)
    try:
        uow = vault.unit_of_work()
        with uow:
            access.save(uow, access.ClientKeys(keys={client_id: {"g1.000000000000": "00" * 32}},
                                               supervising=[client_id]))
            uow.commit()
    finally:
        vault.close()


def _records(vault: Path) -> list[str]:
    """Every stored row but the audit log's (each unlock is audited, and moves the audit head)."""
    conn = sqlite3.connect(vault)
    try:
        return [line for line in conn.iterdump() if not line.startswith(('INSERT INTO "audit"',
                                                                          'INSERT INTO "audit_head"'))]
    finally:
        conn.close()


def test_a_supervised_clients_writes_are_refused_in_one_line(
    run: Runner, client_id: str, vault_path: Path
) -> None:
    draft = run.ok("note", "add", client_id, "--format", "FREE", "--section", "text=Synthetic session",
                   "--date", "2026-03-02").strip()
    _supervise(vault_path, client_id)
    before = _records(vault_path)
    for args in (
        ("note", "add", client_id, "--format", "FREE", "--section", "text=the supervisor's"),
        ("note", "add", client_id, "--private", "--section", "text=process"),
        ("note", "sign", draft),
        ("client", "status", client_id, "on-hold"),
    ):
        refused = run(*args)
        assert (refused.code, refused.err.strip()) == (1, f"notesdesk: {REFUSED}"), args
    assert _records(vault_path) == before
    assert "Synthetic session" in run.ok("note", "show", draft)  # reading is untouched
