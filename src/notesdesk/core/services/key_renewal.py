"""Renewing a vault's keys: a new data key (every record sealed again, a new recovery key), or a new
recovery key alone. The work is storage/rekey.py's; the app and the CLI reach it from here, as they
reach storage only through services (import-linter's contract in pyproject.toml)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from notesdesk.core.storage import rekey

if TYPE_CHECKING:
    from notesdesk.core.storage.vault import Vault


def renew_keys(vault: Vault, passphrase: str) -> str:
    """A new data key wrapped by `passphrase` (proven by the caller) and a new recovery key, whose
    text is returned to be shown once."""
    return rekey.rekey(vault, passphrase)


def new_recovery_key(vault: Vault) -> str:
    """A new recovery key in place of the old one; the data key stays. Its text is returned."""
    return rekey.new_recovery_key(vault)
