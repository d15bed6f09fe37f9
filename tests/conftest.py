"""Shared fixtures: every test runs on a temporary vault with the test-only tiny KDF profile."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSPHRASE = "correct horse battery"


@pytest.fixture(autouse=True)
def _test_kdf(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("NOTESDESK_INSECURE_TEST_KDF", "1")
    # The copy of each vault's audit head kept outside the vault's folder (SECURITY.md): a fresh
    # folder per test (never the user's), and not inside tmp_path, whose contents tests inspect.
    monkeypatch.setenv("NOTESDESK_ANCHOR_DIR", str(tmp_path_factory.mktemp("anchors")))


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "practice.notesdesk"


FIXTURES = Path(__file__).with_name("fixtures")
# The SQL of a vault written by the code before the audit head (no database file in the repository).
LEGACY_VAULT_SQL = FIXTURES / "vault-0003.sql"


@pytest.fixture
def legacy_vault(vault_path: Path) -> Path:
    """A vault made by the release before the audit head (schema 0003): one client, "Before the
    upgrade", with a signed note and a draft (tests/fixtures/make_vault_0003.py), rebuilt from its
    SQL: the same tables, triggers, indexes and rows, byte for byte in every value."""
    conn = sqlite3.connect(vault_path)
    try:
        conn.executescript(LEGACY_VAULT_SQL.read_text(encoding="utf-8"))
    finally:
        conn.close()
    return vault_path


# The SQL of a vault written by the code before plans were signed (schema 0009).
UNSIGNED_PLANS_VAULT_SQL = FIXTURES / "vault-0009.sql"


@pytest.fixture
def unsigned_plans_vault(vault_path: Path) -> Path:
    """A vault made by the release before plans were signed (schema 0009): one client, "Before signed
    plans", plan v1 superseded and v2 active with a review inside it (tests/fixtures/make_vault_0009.py),
    rebuilt from its SQL."""
    conn = sqlite3.connect(vault_path)
    try:
        conn.executescript(UNSIGNED_PLANS_VAULT_SQL.read_text(encoding="utf-8"))
    finally:
        conn.close()
    return vault_path


# The SQL of a vault written by the code before the summaries kept the scored history (format 2, 0014).
FORMAT_2_SUMMARIES_VAULT_SQL = FIXTURES / "vault-0014.sql"


@pytest.fixture
def format_2_summaries_vault(vault_path: Path) -> Path:
    """A vault made by the release whose client summaries held the questionnaires unscored (summary
    format 2, schema 0014): a client in care with PHQ-9 and GAD-7 series, a signed high-risk note and
    no safety plan, and a discharged one (tests/fixtures/make_vault_0014.py), rebuilt from its SQL."""
    conn = sqlite3.connect(vault_path)
    try:
        conn.executescript(FORMAT_2_SUMMARIES_VAULT_SQL.read_text(encoding="utf-8"))
    finally:
        conn.close()
    return vault_path
