from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import records


@pytest.fixture
def created(vault_path: Path) -> Iterator[tuple[Vault, str]]:
    vault, recovery_key = Vault.create(vault_path, PASSPHRASE)
    records.with_signer(vault)  # activating a plan signs it: the signer is named
    yield vault, recovery_key
    vault.close()


@pytest.fixture
def vault(created: tuple[Vault, str]) -> Vault:
    return created[0]
