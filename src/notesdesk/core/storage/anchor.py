"""The local anchor: a MAC'd copy of a vault's audit head kept outside the vault's folder.

One small file per vault, named by the vault id, in the app's data folder (paths.anchor_dir). It holds
only the vault id, the head's sequence number and chain value, and
HMAC(K_anchor, lp("nd-anchor", vault id, seq, chain)) — no client data. It is rewritten after every
commit that moved the head. A vault whose head is behind it, or whose chain at its sequence number
differs, is an older or another copy of the vault (rollback.py). A missing, unreadable or
unauthentic anchor counts as none (a first unlock on this computer): deleting it only turns the
check off, it cannot make an old vault pass.
"""

from __future__ import annotations

import hmac
import json
import logging
from pathlib import Path

from notesdesk.core.backup.files import write_atomic
from notesdesk.core.crypto.encoding import lp
from notesdesk.core.errors import NotesdeskError

log = logging.getLogger(__name__)


class LocalAnchor:
    def __init__(self, folder: Path, vault_id: str, key: bytes) -> None:
        self.path = Path(folder) / f"{vault_id}.anchor"
        self._vault_id = vault_id
        self._key = key

    def _mac(self, seq: int, chain: bytes) -> str:
        return hmac.digest(self._key, lp("nd-anchor", self._vault_id, seq, chain), "sha256").hex()

    def load(self) -> tuple[int, bytes] | None:
        try:
            with self.path.open("rb") as handle:
                data = json.loads(handle.read(4096))
            seq, chain, mac = int(data["seq"]), bytes.fromhex(data["chain"]), str(data["mac"])
            same_vault = data["vault_id"] == self._vault_id
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not same_vault or not hmac.compare_digest(self._mac(seq, chain), mac):
            return None
        return seq, chain

    def save(self, seq: int, chain: bytes) -> None:
        """After a commit: a failure here loses nothing (the vault is saved), so it is only logged."""
        record = {"vault_id": self._vault_id, "seq": seq, "chain": chain.hex(), "mac": self._mac(seq, chain)}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomic(self.path, json.dumps(record, sort_keys=True).encode())
        except (OSError, NotesdeskError):
            log.warning("The vault's local anchor could not be written; the next unlock checks less.")
