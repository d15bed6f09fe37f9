"""A passphrase is the same passphrase however the keyboard composed its accents: NFC-normalised
before the key derivation. Vaults made before, from the bytes as typed, still open."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from notesdesk.core.backup import service
from notesdesk.core.crypto import kdf
from notesdesk.core.errors import WrongPassphrase
from notesdesk.core.storage.vault import Vault

COMPOSED = unicodedata.normalize("NFC", "crème brûlée à minuit sur la jetée")
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


def test_the_two_forms_really_differ() -> None:
    assert COMPOSED != DECOMPOSED and COMPOSED.encode() != DECOMPOSED.encode()


@pytest.mark.parametrize(("made_with", "opened_with"), [(COMPOSED, DECOMPOSED), (DECOMPOSED, COMPOSED)])
def test_a_vault_opens_with_either_form_of_its_passphrase(
    vault_path: Path, tmp_path: Path, made_with: str, opened_with: str
) -> None:
    vault, _ = Vault.create(vault_path, made_with)
    backup = service.make_backup(vault, tmp_path / "backups")
    vault.close()
    Vault.open(vault_path, passphrase=opened_with).close()
    assert service.check_backup(backup, opened_with).report.ok
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_path, passphrase=COMPOSED.replace("minuit", "midi"))


def test_a_vault_made_from_the_bytes_as_typed_still_opens(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before normalisation a decomposed passphrase was derived as typed; such a vault still opens,
    with the decomposed form as typed then, and with the composed one."""
    with monkeypatch.context() as before:
        before.setattr(kdf, "normalised", lambda passphrase: passphrase)
        Vault.create(vault_path, DECOMPOSED)[0].close()
    for typed in (DECOMPOSED, COMPOSED):
        Vault.open(vault_path, passphrase=typed).close()
