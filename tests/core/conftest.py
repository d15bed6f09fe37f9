from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.signer import ready_to_sign


@pytest.fixture
def created(vault_path: Path) -> Iterator[tuple[Vault, str]]:
    vault, recovery_key = Vault.create(vault_path, PASSPHRASE)
    ready_to_sign(vault)  # the signing service refuses without a signer
    yield vault, recovery_key
    vault.close()


@pytest.fixture
def vault(created: tuple[Vault, str]) -> Vault:
    return created[0]
