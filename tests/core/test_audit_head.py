"""The authenticated audit head (storage/head.py) and the local anchor (storage/anchor.py): kept in
step with every write, checked at every unlock without reading the history, and never tripped by
what a user legitimately does."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from notesdesk import paths
from notesdesk.core.crypto.cipher import FieldCipher
from notesdesk.core.domain.clients import Client
from notesdesk.core.errors import InvalidInput, VaultDamaged
from notesdesk.core.exports import practice
from notesdesk.core.services import clients, notes
from notesdesk.core.services.verify import verify_vault
from notesdesk.core.storage import migrate
from notesdesk.core.storage.audit import AuditLog
from notesdesk.core.storage.head import COUNT_ENTRIES, FIRST_ENTRY
from notesdesk.core.storage.vault import Vault
from notesdesk.demo import build_demo
from tests.attacker import edit_one
from tests.conftest import PASSPHRASE
from tests.core import records
from tests.signer import ready_to_sign

_sql = edit_one  # as a key-less attacker edits the file


def _head_row(path: Path) -> tuple[object, ...]:
    return _sql(path, "SELECT seq, chain, rows, lineage, mac FROM audit_head")[0]


def _small_practice(path: Path) -> None:
    vault, _ = Vault.create(path, PASSPHRASE)
    ready_to_sign(vault)  # the signing service refuses without a signer
    with vault:
        client = clients.add_client(vault.unit_of_work(), Client(name="Ngozi Adébáyọ̀"))
        note = notes.create_note(vault.unit_of_work(), records.note(client.id, "first "))
        notes.sign_note(vault.unit_of_work(), note.id)


def test_every_commit_moves_the_head_and_the_anchor_to_the_newest_entry(vault_path: Path) -> None:
    _small_practice(vault_path)
    [(seq, chain)] = _sql(vault_path, "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1")
    assert _head_row(vault_path)[:2] == (seq, chain)
    [anchor] = paths.anchor_dir().iterdir()
    saved = json.loads(anchor.read_text())
    # Only the vault id, the head's position and a MAC: nothing about clients.
    assert sorted(saved) == ["chain", "mac", "seq", "vault_id"]
    assert (saved["seq"], bytes.fromhex(saved["chain"])) == (seq, chain)
    assert anchor.name == f"{saved['vault_id']}.anchor"


def test_an_anchor_torn_by_a_crash_counts_as_none_and_the_next_save_writes_it_whole(vault_path: Path) -> None:
    """The anchor is overwritten in place after each commit (storage/anchor.py): a crash in the
    middle leaves a torn file, which is no anchor, never a false alarm."""
    _small_practice(vault_path)
    [anchor] = paths.anchor_dir().iterdir()
    whole = anchor.read_bytes()
    anchor.write_bytes(whole[: len(whole) // 2] + b"\0" * 500)  # longer than a whole one
    with Vault.open(vault_path, passphrase=PASSPHRASE) as vault:
        clients.add_client(vault.unit_of_work(), Client(name="Ama Owusu"))
    saved = json.loads(anchor.read_text())
    [(seq, chain)] = _sql(vault_path, "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1")
    assert (saved["seq"], bytes.fromhex(saved["chain"])) == (seq, chain)
    assert [p.name for p in paths.anchor_dir().iterdir()] == [anchor.name]  # no file left beside it


def test_a_write_that_fails_leaves_the_head_where_it_was(vault: Vault) -> None:
    clients.add_client(vault.unit_of_work(), Client(name="Dương Văn An"))
    before = _head_row(vault.path)
    with pytest.raises(InvalidInput):
        clients.add_client(vault.unit_of_work(), Client(name=""))
    assert _head_row(vault.path) == before
    vault.close()
    with Vault.open(vault.path, passphrase=PASSPHRASE) as again:
        assert [c.name for c in clients.list_clients(again.unit_of_work())] == ["Dương Văn An"]


def test_unlock_reads_no_history_and_decrypts_no_record(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    ready_to_sign(vault)  # the signing service refuses without a signer
    with vault:
        client = clients.add_client(vault.unit_of_work(), Client(name="Ana Lima"))
        for n in range(30):
            notes.create_note(vault.unit_of_work(), records.note(client.id, f"note {n} "))
    opened: list[str] = []
    real_open = FieldCipher.open

    def counting_open(self: FieldCipher, table: str, *args: Any, **kwargs: Any) -> bytes:
        opened.append(table)
        return real_open(self, table, *args, **kwargs)

    def no_walk(*_args: object) -> None:
        raise AssertionError("unlock walked the audit history")

    monkeypatch.setattr(FieldCipher, "open", counting_open)
    monkeypatch.setattr(AuditLog, "entries", no_walk)
    with Vault.open(vault_path, passphrase=PASSPHRASE) as reopened:
        # The signing key and the profile (stored from creation), and one client summary: whether
        # the standings were scored under this release's rules (summaries.scored_under_other_rules).
        assert opened == ["secret", "secret", "client_summary"]
        monkeypatch.undo()
        assert verify_vault(reopened.unit_of_work()).audit_entries > 30  # verify still walks it all


def test_the_unlock_counts_the_audit_entries_without_reading_one(vault: Vault) -> None:
    """The one step of the head check that grows with the history walks a narrow index of sequence
    numbers (migration 0005), never the sealed entries; the first entry is found at the b-tree's edge."""
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        for statement, expected in ((COUNT_ENTRIES, "COVERING INDEX ix_audit_seq"), (FIRST_ENTRY, "")):
            compiled = statement.compile(uow.session.get_bind())
            plan = " ".join(str(row[-1]) for row in uow.session.execute(
                text(f"EXPLAIN QUERY PLAN {compiled}")))
            if expected:
                assert expected in plan, plan
            else:
                assert "SCAN" not in plan, plan  # a seek to the first key, not a scan


@pytest.mark.parametrize(
    "attack",
    [
        "DELETE FROM audit WHERE seq = 5",  # an entry cut from the middle
        "DELETE FROM audit_head",  # the head itself removed
        "UPDATE audit_head SET rows = zeroblob(32)",  # the set digest forged (the MAC breaks)
        "UPDATE audit_head SET rows = zeroblob(40)",  # ... or malformed
        "INSERT INTO audit SELECT seq + 1000, data, mac FROM audit WHERE seq = 3",  # an entry added
    ],
)
def test_tampering_with_the_head_or_the_log_is_refused_at_unlock(vault_path: Path, attack: str) -> None:
    _small_practice(vault_path)
    _sql(vault_path, attack)
    with pytest.raises(VaultDamaged, match="[Rr]estore"):
        Vault.open(vault_path, passphrase=PASSPHRASE)


def test_an_earlier_genuine_head_put_back_is_refused(vault_path: Path) -> None:
    _small_practice(vault_path)
    old = _head_row(vault_path)
    with Vault.open(vault_path, passphrase=PASSPHRASE) as vault:
        clients.add_client(vault.unit_of_work(), Client(name="Łukasz Wiśniewski"))
    _sql(vault_path, "UPDATE audit_head SET seq=?, chain=?, rows=?, lineage=?, mac=?", *old)
    with pytest.raises(VaultDamaged):
        Vault.open(vault_path, passphrase=PASSPHRASE)


def test_a_vault_made_before_the_head_migrates_then_is_protected(legacy_vault: Path) -> None:
    assert _sql(legacy_vault, "SELECT version_num FROM alembic_version") == [("0003",)]
    with Vault.open(legacy_vault, passphrase=PASSPHRASE) as vault:
        assert migrate.current_revision(vault.engine) == migrate.head_revision()
        [client] = clients.list_clients(vault.unit_of_work())
        assert client.name == "Before the upgrade"
        report = verify_vault(vault.unit_of_work())
        assert report.signed_notes == 1 and report.records == 4  # client, episode, two notes
    assert _sql(legacy_vault, "SELECT value FROM meta WHERE key = 'audit_head'") == [("hmac-sha256/1",)]
    with Vault.open(legacy_vault, passphrase=PASSPHRASE) as vault:  # and opens again, the new way
        assert len(clients.list_clients(vault.unit_of_work())) == 1
    # From now on a cut tail is refused, and so is losing the head (the header MAC vouches for it).
    _sql(legacy_vault, "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)")
    with pytest.raises(VaultDamaged, match="cut"):
        Vault.open(legacy_vault, passphrase=PASSPHRASE)


def test_legitimate_flows_never_trip_the_checks(vault_path: Path, tmp_path: Path) -> None:
    vault, recovery_key = Vault.create(vault_path, PASSPHRASE)
    ready_to_sign(vault)  # the signing service refuses without a signer
    build_demo(vault, clients=3, notes=12)
    exported = practice.export_practice(vault, "export passphrase 42")
    vault.change_passphrase("a newer passphrase")
    vault.close()
    with Vault.open(vault_path, recovery_key=recovery_key) as by_key:
        by_key.change_passphrase(PASSPHRASE)
    with Vault.open(vault_path, passphrase=PASSPHRASE, read_only=True) as looking:
        assert len(clients.list_clients(looking.unit_of_work())) == 3
    target, _ = Vault.create(tmp_path / "new-practice.notesdesk", PASSPHRASE)
    with target:
        practice.import_practice(target, exported, "export passphrase 42")
    for path in (vault_path, tmp_path / "new-practice.notesdesk"):
        with Vault.open(path, passphrase=PASSPHRASE) as again:
            assert len(clients.list_clients(again.unit_of_work())) == 3
            assert verify_vault(again.unit_of_work()).ok


def test_an_unwritable_anchor_folder_loses_nothing(vault_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = vault_path.parent / "not-a-folder"
    blocked.write_text("a file where the anchor folder should be")
    monkeypatch.setenv("NOTESDESK_ANCHOR_DIR", str(blocked))
    _small_practice(vault_path)  # every commit succeeds; the anchor is only skipped
    with Vault.open(vault_path, passphrase=PASSPHRASE) as vault:
        assert [c.name for c in clients.list_clients(vault.unit_of_work())] == ["Ngozi Adébáyọ̀"]
    assert blocked.read_text() == "a file where the anchor folder should be"


def test_the_set_digest_is_the_one_the_module_documents_so_existing_heads_still_verify(vault: Vault) -> None:
    """head.py's formula, computed here independently from the raw rows: an existing vault's stored
    digest stays valid whatever the keeper does to compute it faster."""
    import hashlib

    import msgspec

    from notesdesk.core.crypto import keys
    from notesdesk.core.storage.tables import SEALED_TABLES

    client = clients.add_client(vault.unit_of_work(), Client(name="Zoë Ó Briain"))
    notes.create_note(vault.unit_of_work(), records.note(client.id, "a draft "))
    term_key = keys.subkey(vault.data_key(), vault.vault_id, keys.SUBKEY_ROW_TERMS)
    conn = sqlite3.connect(vault.path)
    expected, rows = 0, 0
    try:
        for table, clear in SEALED_TABLES.items():
            columns = ", ".join(["id", *clear])
            for row in conn.execute(f"SELECT {columns}, data FROM {table}"):
                parts = [table, *row[:-1], row[-1][-16:]]  # JSON: the tag as base64
                digest = hashlib.blake2b(msgspec.json.encode(parts), key=term_key, digest_size=32,
                                         person=b"nd-row-term").digest()
                expected += int.from_bytes(digest, "big")
                rows += 1
    finally:
        conn.close()
    assert rows >= 3  # the client, their episode and the note at least
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        assert vault.audit.heads.live_rows(uow.session) == expected % (1 << 256)
        stored = vault.audit.heads.read(uow.session)
    assert stored is not None and stored.rows == expected % (1 << 256)
