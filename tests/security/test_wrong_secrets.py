"""Wrong passphrases and recovery keys: always refused, and the file never changes (§5 #9)."""

from __future__ import annotations

import hashlib
import os
import random
import string
from pathlib import Path

import pytest

from notesdesk.core.crypto import recovery
from notesdesk.core.errors import WrongPassphrase
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE

SOAK = os.environ.get("NOTESDESK_SOAK") == "1"


def candidates(rng: random.Random, count: int) -> list[str]:
    near = [PASSPHRASE[:i] + PASSPHRASE[i + 1 :] for i in range(len(PASSPHRASE))]
    near += [PASSPHRASE.upper(), PASSPHRASE + "\n", " " + PASSPHRASE, "", "\x00", "é" * 1000]
    printable = string.printable.strip()
    while len(near) < count:
        near.append("".join(rng.choice(printable) for _ in range(rng.randint(1, 40))))
    return near[:count]


def test_wrong_passphrases_are_all_refused_and_change_nothing(vault_path: Path) -> None:
    vault, recovery_key = Vault.create(vault_path, PASSPHRASE)
    vault.close()
    before = hashlib.sha256(vault_path.read_bytes()).hexdigest()
    rng = random.Random(9)
    tries = candidates(rng, 1000 if SOAK else 40)
    for attempt in tries:
        with pytest.raises(WrongPassphrase):
            Vault.open(vault_path, passphrase=attempt)
    text = recovery_key.replace("-", "")
    typos = 0
    for position in range(len(text)):
        swapped = text[:position] + ("0" if text[position] != "0" else "1") + text[position + 1 :]
        with pytest.raises(WrongPassphrase):
            Vault.open(vault_path, recovery_key=swapped)
        typos += 1
    other = recovery.encode(recovery.new_recovery_secret())
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_path, recovery_key=other)
    assert hashlib.sha256(vault_path.read_bytes()).hexdigest() == before
    if SOAK:
        print(
            f"\nwrong passphrases: {len(tries)} refused, {typos} recovery-key typos refused, file unchanged"
        )
