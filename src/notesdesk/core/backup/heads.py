"""The audit heads recorded in a folder's backups, for the rollback check at every unlock.

Only backups whose header MAC verifies under this vault's data key count, and they are ranked by the
head they record, never by file name or date: an old genuine backup copied under a future-dated name
is still old. Only each file's header is read.
"""

from __future__ import annotations

import contextlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from notesdesk.core.backup import container
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.storage.head import current_lineage, earlier_lineages

SUFFIX = ".ndbk"


@dataclass(frozen=True)
class BackupHead:
    path: Path
    created: str
    seq: int
    chain: str  # hex, as in the header
    lineage: str


def authentic_heads(folders: list[Path], vault_id: str, dek: bytes) -> list[BackupHead]:
    """This vault's authentic backups in `folders`, highest head first."""
    found = []
    for folder in folders:
        with contextlib.suppress(OSError):
            for path in sorted(Path(folder).iterdir()):
                head = _head(path, vault_id, dek)
                if head is not None:
                    found.append(head)
    return sorted(found, key=lambda h: h.seq, reverse=True)


def _head(path: Path, vault_id: str, dek: bytes) -> BackupHead | None:
    if not path.name.endswith(SUFFIX) or not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            data = handle.read(container.PREFIX.size + container.MAX_HEADER + 32)
        header = container.read_header(data)
        if header.vault_id != vault_id:
            return None
        container.check_header_mac(data, header, dek)
    except (OSError, NotesdeskError):
        return None  # unreadable, altered, or not a backup: never evidence either way
    return BackupHead(path, header.created, header.audit_head_seq, header.audit_head_mac, header.lineage)


def retiring_backup(folders: list[Path], vault_id: str, mark: str, lineage: str) -> Path | None:
    """A backup of this vault made after the data key with this `mark` was renewed (storage/rekey.py):
    its header lists the mark, which only that old key can make. Its header MAC is under the new key,
    which an old copy cannot check, but a mark cannot be forged without the old key. Only backups of
    the vault's `lineage` (or made after a restore replaced it) count: a backup from before a rekey
    restored on purpose starts a lineage the later backups know nothing of."""
    mine = current_lineage(lineage)
    for folder in folders:
        with contextlib.suppress(OSError):
            for path in sorted(Path(folder).iterdir()):
                if not path.name.endswith(SUFFIX) or not path.is_file():
                    continue
                try:
                    with path.open("rb") as handle:
                        head = handle.read(container.PREFIX.size + container.MAX_HEADER + 32)
                    header = container.read_header(head)
                except (OSError, NotesdeskError):
                    continue
                related = current_lineage(header.lineage) == mine or mine in earlier_lineages(header.lineage)
                if header.vault_id == vault_id and related and any(
                    hmac.compare_digest(m, mark) for m in header.retired
                ):
                    return path
    return None
