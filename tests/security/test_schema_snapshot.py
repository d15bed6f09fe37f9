"""The expected structure of every revision is a generated snapshot (storage/schema_expected.py), so a
process need not run the migrations to check a vault: it must be exactly what the migrations make."""

from __future__ import annotations

import pytest

from notesdesk.core.storage import migrate, schema, schema_expected
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.security.conftest import Practice

STALE = (
    "storage/schema_expected.py no longer matches the migrations; regenerate it with "
    f"`{schema.REGENERATE}` and commit it"
)


def test_the_snapshot_is_what_the_migrations_make() -> None:
    assert migrate.head_revision() == schema_expected.HEAD, STALE
    assert set(schema_expected.EXPECTED) == set(migrate.revisions()), STALE
    for revision in sorted(migrate.revisions()):
        assert frozenset(schema_expected.EXPECTED[revision]) == schema.derived(revision), STALE


def test_the_snapshot_file_is_exactly_the_generated_text() -> None:
    """Byte for byte, so that regenerating it is the only way to change it."""
    assert schema.SNAPSHOT.read_text(encoding="utf-8") == schema.snapshot_source(), STALE


def test_the_check_reads_the_snapshot_not_the_migrations(
    practice: Practice, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_migrations(revision: str) -> frozenset[schema.Entry]:
        raise AssertionError(f"the migrations were run to check revision {revision}")

    monkeypatch.setattr(schema, "derived", no_migrations)
    schema.expected.cache_clear()
    try:
        Vault.open(practice.path, passphrase=PASSPHRASE).close()
    finally:
        schema.expected.cache_clear()
