"""Hostile practice-export files: only our error types, quickly, and the target vault unchanged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from notesdesk.core.domain.clients import Client
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.exports import practice
from notesdesk.core.services import clients
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE

SOAK = os.environ.get("NOTESDESK_SOAK") == "1"
EXPORT_PASSPHRASE = "export passphrase for fuzzing"


@pytest.fixture(scope="module")
def export_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    os.environ["NOTESDESK_INSECURE_TEST_KDF"] = "1"
    vault, _ = Vault.create(tmp_path_factory.mktemp("src") / "v.notesdesk", PASSPHRASE)
    clients.add_client(vault.unit_of_work(), Client(name="Fuzz Target"))
    data = practice.export_practice(vault, EXPORT_PASSPHRASE)
    vault.close()
    return data


@settings(max_examples=300 if SOAK else 30, deadline=5000, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_mutated_exports_raise_only_our_errors(export_bytes: bytes, data: st.DataObject) -> None:
    mutated = bytearray(export_bytes)
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(mutated) - 1))
        op = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if op == "flip":
            mutated[at] ^= 1 << data.draw(st.integers(0, 7))
        elif op == "cut":
            del mutated[at:]
            if not mutated:
                mutated = bytearray(b"N")
        else:
            mutated[at:at] = data.draw(st.binary(min_size=1, max_size=16))
    assume(bytes(mutated) != export_bytes)  # two flips of one bit cancel out
    with pytest.raises(NotesdeskError):
        practice.read_export(bytes(mutated), EXPORT_PASSPHRASE)


def test_a_failed_import_leaves_the_target_vault_empty(export_bytes: bytes, tmp_path: Path) -> None:
    target, _ = Vault.create(tmp_path / "t.notesdesk", PASSPHRASE)
    damaged = bytearray(export_bytes)
    damaged[len(damaged) // 2] ^= 0x10
    with pytest.raises(NotesdeskError):
        practice.import_practice(target, bytes(damaged), EXPORT_PASSPHRASE)
    assert clients.list_clients(target.unit_of_work()) == []
    target.close()
