"""Shared fixtures: every test runs on a temporary vault with the test-only tiny KDF profile."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSPHRASE = "correct horse battery"


@pytest.fixture(autouse=True)
def _test_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTESDESK_INSECURE_TEST_KDF", "1")


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "practice.notesdesk"
