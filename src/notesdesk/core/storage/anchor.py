"""The local anchor: a MAC'd copy of a vault's audit head kept outside the vault's folder.

One small file per vault, named by the vault id, in the app's data folder (paths.anchor_dir). It holds
only the vault id, the head's sequence number and chain value, and
HMAC(K_anchor, lp("nd-anchor", vault id, seq, chain)) — no client data. It is rewritten after every
commit that moved the head. A vault whose head is behind it, or whose chain at its sequence number
differs, is an older or another copy of the vault (rollback.py). A missing, unreadable or
unauthentic anchor counts as none (a first unlock on this computer): deleting it only turns the
check off, it cannot make an old vault pass.

After a rekey the file also lists the vault's *retired* data keys, each as
HMAC(K_anchor of that key, lp("nd-anchor-retired", vault id)) (the vault keeps the same list under
its header MAC, so every save writes it again). A copy of the vault still under a retired key finds
its own mark there and is refused: it was made before the rekey (rollback.py).
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import os
import uuid
from pathlib import Path

from notesdesk.core.crypto.encoding import lp

log = logging.getLogger(__name__)

MAX_FILE = 8192
MAX_RETIRED = 32


class LocalAnchor:
    def __init__(self, folder: Path, vault_id: str, key: bytes) -> None:
        self.path = Path(folder) / f"{vault_id}.anchor"
        self.vault_id = self._vault_id = vault_id
        self._key = key
        # Whether the last write in place (_overwrite) succeeded: then the folder exists. Asking
        # again at every commit cost more than the write itself (after a commit's fsync).
        self._folder_made = False

    def _mac(self, seq: int, chain: bytes) -> str:
        return hmac.digest(self._key, lp("nd-anchor", self._vault_id, seq, chain), "sha256").hex()

    def retired_mark(self) -> str:
        """This key's mark, listed once the vault's data key has been renewed (rekey.py)."""
        return hmac.digest(self._key, lp("nd-anchor-retired", self._vault_id), "sha256").hex()

    def _read(self) -> dict[str, object] | None:
        try:
            with self.path.open("rb") as handle:
                data = json.loads(handle.read(MAX_FILE))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("vault_id") == self._vault_id else None

    def retired(self) -> bool:
        """True when this computer saw the vault's data key renewed: this key is an old one."""
        data = self._read()
        listed = data.get("retired", []) if data else []
        mark = self.retired_mark()
        return isinstance(listed, list) and any(hmac.compare_digest(str(m), mark) for m in listed)

    def load(self) -> tuple[int, bytes] | None:
        data = self._read()  # None unless it names this vault
        return None if data is None else self._checked(data)

    def save(self, seq: int, chain: bytes, retired: list[str] | None = None) -> None:
        """After a commit: a failure here loses nothing (the vault is saved), so it is only logged.

        Overwritten in place, without fsync: the anchor only ever lags the vault (it is written after
        the commit is durable), and an anchor lost, emptied or torn by a crash counts as none (its
        MAC fails) — a weaker check for one unlock, never a false alarm; the next save writes it
        whole. So each save costs no disk flush and no new file on top of the commit's own: a
        temporary file renamed into place cost 0.3 ms (2–4 ms at the 90th percentile on a loaded
        machine) against 0.01 ms, and an fsync of the folder as well 1 ms (12 ms) (bench/RESULTS.md)."""
        record: dict[str, object] = {
            "vault_id": self._vault_id, "seq": seq, "chain": chain.hex(), "mac": self._mac(seq, chain)
        }
        if retired:
            record["retired"] = retired[-MAX_RETIRED:]
        if not self._write(record, durable=False):
            log.warning("The vault's local anchor could not be written; the next unlock checks less.")

    def stage(self, seq: int, chain: bytes) -> None:
        """Before a restore puts its vault in place (backup/service.py): the head that vault has is
        accepted too, beside the current one, until the next save, which the restore makes once the
        vault is in place. So a crash at any point of a restore leaves a vault that opens. Flushed to
        disk: the replace that follows must not outlive it."""
        record = {k: v for k, v in (self._read() or {}).items() if k in ("seq", "chain", "mac")}
        record["vault_id"] = self._vault_id
        # Restoring a copy from before a rekey on purpose un-retires its key (rekey.py).
        listed = (self._read() or {}).get("retired")
        if isinstance(listed, list):
            record["retired"] = [m for m in listed if m != self.retired_mark()]
        record["pending"] = {"seq": seq, "chain": chain.hex(), "mac": self._mac(seq, chain)}
        if not self._write(record, durable=True):
            log.warning("The vault's local anchor could not be written; the next unlock checks less.")

    def pending(self) -> tuple[int, bytes] | None:
        """The head a restore under way staged (see stage), when it is authentic."""
        data = self._read()
        staged = data.get("pending") if data else None
        return self._checked(staged) if isinstance(staged, dict) else None

    def _checked(self, data: dict[str, object]) -> tuple[int, bytes] | None:
        try:
            seq, chain, mac = int(str(data["seq"])), bytes.fromhex(str(data["chain"])), str(data["mac"])
        except (ValueError, KeyError, TypeError):
            return None
        return (seq, chain) if hmac.compare_digest(self._mac(seq, chain), mac) else None

    def _write(self, record: dict[str, object], durable: bool) -> bool:
        if not durable:
            return self._overwrite(json.dumps(record, sort_keys=True).encode())
        temp = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(json.dumps(record, sort_keys=True).encode())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink()
            return False
        return True

    def _overwrite(self, data: bytes) -> bool:
        """The file's bytes replaced where they are (never through a link planted in its place); cut
        to their length only when it was longer (a record's length seldom changes, and truncating
        cost as much as the rest)."""
        made, self._folder_made = self._folder_made, False
        try:
            if not made:
                self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError:
            return False
        try:
            os.lseek(fd, 0, os.SEEK_SET)  # not os.pwrite: Windows has none
            if os.write(fd, data) != len(data):
                return False
            if os.fstat(fd).st_size != len(data):
                os.ftruncate(fd, len(data))
        except OSError:
            return False
        finally:
            os.close(fd)
        self._folder_made = True
        return True
