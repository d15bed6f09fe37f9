"""Issue 12 item 10: the vault's structure (tables, indexes, triggers, alembic_version) is checked
against the one its revision must have before any migration or write; anything else is damage."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from notesdesk.cli.main import main
from notesdesk.core.errors import NotesdeskError, VaultDamaged
from notesdesk.core.storage import migrate, schema
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.security.conftest import Practice


def _sql(path: Path, script: str) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(script)
    conn.close()


def _names(path: Path, kind: str) -> list[str]:
    conn = sqlite3.connect(path)
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = ?", (kind,))]
    conn.close()
    return sorted(names)


def _refused(path: Path, match: str = "structure") -> None:
    before = path.read_bytes()
    with pytest.raises(VaultDamaged, match=match):
        Vault.open(path, passphrase=PASSPHRASE)
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*.bak"))  # no safety copy: no migration began


TRIGGERS = (
    "note_signed_no_update", "note_signed_no_delete", "addendum_no_update", "addendum_no_delete",
    "audit_no_update", "audit_no_delete",
)


def test_every_guarding_trigger_is_in_a_new_vault(practice: Practice) -> None:
    assert set(TRIGGERS) <= set(_names(practice.path, "trigger"))


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_a_dropped_trigger_is_damage(practice: Practice, trigger: str) -> None:
    _sql(practice.path, f"DROP TRIGGER {trigger}")
    _refused(practice.path)


PLANTED = {
    "table": "CREATE TABLE planted (x TEXT)",
    "index": "CREATE INDEX planted ON client (id)",
    "view": "CREATE VIEW planted AS SELECT 1",
    "trigger": "CREATE TRIGGER planted AFTER INSERT ON audit BEGIN SELECT 1; END",
    "changed trigger": "DROP TRIGGER audit_no_delete; CREATE TRIGGER audit_no_delete BEFORE DELETE ON "
    "audit WHEN 0 BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
}


@pytest.mark.parametrize("what", sorted(PLANTED))
def test_a_planted_or_changed_object_is_damage(practice: Practice, what: str) -> None:
    _sql(practice.path, PLANTED[what])
    _refused(practice.path)


def test_a_read_only_open_checks_too(practice: Practice) -> None:
    _sql(practice.path, "DROP TRIGGER audit_no_update")
    with pytest.raises(VaultDamaged, match="structure"):
        Vault.open(practice.path, passphrase=PASSPHRASE, read_only=True)


def test_a_revision_set_back_is_damage(practice: Practice) -> None:
    _sql(practice.path, "UPDATE alembic_version SET version_num = '0003'")
    _refused(practice.path)


def test_two_revisions_or_none_is_damage(practice: Practice, tmp_path: Path) -> None:
    _sql(practice.path, "INSERT INTO alembic_version VALUES ('0003')")
    _refused(practice.path, match="revision")
    _sql(practice.path, "DROP TABLE alembic_version")
    _refused(practice.path, match="revision")


def test_an_unknown_revision_is_refused_unchanged(practice: Practice) -> None:
    _sql(practice.path, "UPDATE alembic_version SET version_num = '9999'")
    before = practice.path.read_bytes()
    with pytest.raises(NotesdeskError, match="newer NotesDesk"):
        Vault.open(practice.path, passphrase=PASSPHRASE)
    assert practice.path.read_bytes() == before


def test_an_older_vault_with_a_dropped_trigger_is_not_migrated(legacy_vault: Path) -> None:
    _sql(legacy_vault, "DROP TRIGGER note_signed_no_update")
    _refused(legacy_vault)
    conn = sqlite3.connect(legacy_vault)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0003",)]
    conn.close()


def test_an_older_vault_with_a_planted_table_is_not_migrated(legacy_vault: Path) -> None:
    _sql(legacy_vault, "CREATE TABLE audit_head (id INTEGER)")  # would break the 0004 migration
    _refused(legacy_vault)


def test_untouched_vaults_of_every_revision_open_and_migrate(legacy_vault: Path) -> None:
    with Vault.open(legacy_vault, passphrase=PASSPHRASE) as vault:
        assert migrate.current_revision(vault.engine) == migrate.head_revision()
    with Vault.open(legacy_vault, passphrase=PASSPHRASE) as vault:  # and again, at head
        assert migrate.current_revision(vault.engine) == migrate.head_revision()


def test_the_cli_says_damaged_in_one_line_exit_4(practice: Practice) -> None:
    _sql(practice.path, "DROP TRIGGER audit_no_delete")
    before = practice.path.read_bytes()
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["--vault", str(practice.path), "--passphrase-stdin", "client", "list"],
        stdin=io.StringIO(PASSPHRASE + "\n"), stdout=out, stderr=err,
    )
    assert code == 4 and err.getvalue().count("\n") == 1
    assert "trigger audit_no_delete" in err.getvalue() and "Traceback" not in err.getvalue()
    assert practice.path.read_bytes() == before


def test_an_unknown_revision_is_exit_1_in_the_cli(practice: Practice) -> None:
    _sql(practice.path, "UPDATE alembic_version SET version_num = '9999'")
    err = io.StringIO()
    code = main(
        ["--vault", str(practice.path), "--passphrase-stdin", "client", "list"],
        stdin=io.StringIO(PASSPHRASE + "\n"), stdout=io.StringIO(), stderr=err,
    )
    assert code == 1 and "newer NotesDesk" in err.getvalue() and err.getvalue().count("\n") == 1


def test_the_expected_structure_comes_from_the_migrations(practice: Practice) -> None:
    """Not a hand-kept copy: a fresh vault's sqlite_master is what the migrations alone make."""
    conn = sqlite3.connect(practice.path)
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    conn.close()
    found = {(t, n, tb, " ".join((sql or "").split())) for t, n, tb, sql in rows}
    assert found == set(schema.expected(migrate.head_revision()))
    assert {"0001", "0002", "0003", "0004"} <= migrate.revisions()
