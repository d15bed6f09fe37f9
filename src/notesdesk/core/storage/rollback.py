"""Refuse a vault that is older than what this computer or this vault's backups have seen.

At every unlock the vault's authenticated head (head.py) is compared with two outside references:
- the local anchor (anchor.py): the head as of the last commit on this computer;
- the highest head among this vault's backups whose header MAC verifies (backup/heads.py), counting
  only backups of the vault's current lineage: a restore starts a new lineage, so the backups it
  deliberately went back behind do not refuse the restored vault.
The vault must have reached each reference (its seq is not lower) through it (its chain value at
that seq is the reference's): otherwise it is an older copy, or another copy that went its own way.
Each check is one indexed read. What this cannot catch is in SECURITY.md.
"""

from __future__ import annotations

import hmac
from datetime import datetime

from sqlalchemy.orm import Session

from notesdesk.core.backup.heads import BackupHead
from notesdesk.core.errors import VaultDamaged
from notesdesk.core.storage.audit import AuditLog
from notesdesk.core.storage.head import Head


def newest_backup(backups: list[BackupHead], lineage: str | None = None) -> BackupHead | None:
    """The backup to restore: the highest authentic head (of `lineage` when it has any)."""
    preferred = [b for b in backups if lineage is None or b.lineage == lineage] or backups
    return preferred[0] if preferred else None


def refused(message: str, backups: list[BackupHead], lineage: str | None = None) -> VaultDamaged:
    """The refusal: what was found, that nothing changed, and which backup to restore."""
    newest = newest_backup(backups, lineage)
    return VaultDamaged(f"{message} {restore_advice(newest)}", newest.path if newest else None)


def restore_advice(newest: BackupHead | None) -> str:
    if newest is None:
        return (
            "Restore it from a backup you trust with 'notesdesk restore FILE' (none of this vault's "
            "backups was found in the backup folder)."
        )
    return (
        f"Restore the newest authentic backup, {newest.path} (made {_when(newest.created)}), "
        "with 'notesdesk restore FILE'."
    )


def check_not_rolled_back(
    session: Session,
    audit: AuditLog,
    head: Head,
    anchored: tuple[int, bytes] | None,
    backups: list[BackupHead],
) -> None:
    if anchored is not None and not _reached(session, audit, head, anchored[0], anchored[1].hex()):
        raise refused(
            "This vault is older than the one last opened on this computer, or another copy of it: "
            "it may have been replaced. Nothing was changed.",
            backups,
            head.lineage,
        )
    current = [b for b in backups if b.lineage == head.lineage]
    if current and not _reached(session, audit, head, current[0].seq, current[0].chain):
        raise refused(
            "This vault is older than its newest backup, or another copy of it: it may have been "
            "replaced by an old copy. Nothing was changed.",
            backups,
            head.lineage,
        )


def _reached(session: Session, audit: AuditLog, head: Head, seq: int, chain_hex: str) -> bool:
    if head.seq < seq:
        return False
    if seq == 0:
        return True
    return hmac.compare_digest(audit.mac_at(session, seq) or "", chain_hex)


def _when(created: str) -> str:
    try:
        return datetime.fromisoformat(created).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return "at an unknown time"
