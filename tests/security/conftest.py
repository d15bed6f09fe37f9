"""A small practice on disk, closed, ready for an attacker with file access but no key."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.services import clients, notes
from notesdesk.core.storage import rekey
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.signer import ready_to_sign


@dataclass
class Practice:
    path: Path
    recovery_key: str
    client_a: str
    client_b: str
    signed_a: str
    draft_a: str
    note_b: str


def _note(client_id: str, day: int, text: str) -> SessionNote:
    return SessionNote(
        client_id=client_id,
        session_date=date(2026, 10, day),
        format=NoteFormat.DAP,
        sections=notes.build_sections(NoteFormat.DAP, {"data": text, "plan": "Review next week"}),
    )


@pytest.fixture(params=["as made", "after rekey"])
def practice(vault_path: Path, request: pytest.FixtureRequest) -> Practice:
    """Every attack is tried on the vault as made and after a rekey (every row sealed again, the
    audit log chained again and the head recomputed under a new data key)."""
    vault, recovery_key = Vault.create(vault_path, PASSPHRASE)
    ready_to_sign(vault)  # the signing service refuses without a signer
    a = clients.add_client(vault.unit_of_work(), Client(name="Chloé Marchetti"))
    b = clients.add_client(vault.unit_of_work(), Client(name="Łukasz Wiśniewski"))
    signed = notes.create_note(vault.unit_of_work(), _note(a.id, 1, "Slept six hours"))
    notes.sign_note(vault.unit_of_work(), signed.id)
    draft = notes.create_note(vault.unit_of_work(), _note(a.id, 8, "First draft text"))
    second = notes.build_sections(NoteFormat.DAP, {"data": "Second draft text"})
    notes.save_draft(vault.unit_of_work(), replace(draft, sections=second))
    other = notes.create_note(vault.unit_of_work(), _note(b.id, 2, "Other client's note"))
    notes.sign_note(vault.unit_of_work(), other.id)
    if request.param == "after rekey":
        recovery_key = rekey.rekey(vault, PASSPHRASE)
    vault.close()
    return Practice(vault_path, recovery_key, a.id, b.id, signed.id, draft.id, other.id)


class Attacker:
    """Edits the file with plain SQL, as someone holding the file but not the key could."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)
        # Dropped for the edits and put back on close, so the vault's structure looks untouched
        # (storage/schema.py refuses a vault missing a trigger before any other check).
        listed = "SELECT name, sql FROM sqlite_master WHERE type='trigger'"
        self.triggers = self.conn.execute(listed).fetchall()
        for name, _ddl in self.triggers:
            self.conn.execute(f"DROP TRIGGER {name}")

    def one(self, sql: str, *params: object) -> Any:
        return self.conn.execute(sql, params).fetchone()

    def run(self, sql: str, *params: object) -> None:
        self.conn.execute(sql, params)

    def close(self) -> None:
        for _name, ddl in self.triggers:
            self.conn.execute(ddl)
        self.conn.commit()
        self.conn.close()


@pytest.fixture
def attacker(practice: Practice):
    def make() -> Attacker:
        return Attacker(practice.path)

    return make
