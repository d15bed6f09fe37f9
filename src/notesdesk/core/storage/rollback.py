"""Refuse a vault that is older than what this computer or this vault's backups have seen.

At every unlock the vault's authenticated head (head.py) is compared with two outside references:
- the local anchor (anchor.py): the head as of the last commit on this computer;
- the highest head among this vault's backups whose header MAC verifies (backup/heads.py), counting
  only backups of the vault's current lineage: a restore starts a new lineage, so the backups it
  deliberately went back behind do not refuse the restored vault. A backup whose lineage lists the
  vault's current one as earlier was made after a restore replaced this vault: the vault is refused.
The vault must have grown from each reference: its log holds the reference's chain value at the
reference's seq, and the entries after it chain on to the head (audit.leads_to walks only those —
none for the anchor in everyday use, those since the newest backup for the backups). Otherwise it is
an older copy, or another copy that went its own way. What this cannot catch is in SECURITY.md.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from notesdesk.core.backup.heads import BackupHead, retiring_backup
from notesdesk.core.errors import VaultDamaged
from notesdesk.core.storage.anchor import LocalAnchor
from notesdesk.core.storage.audit import AuditLog
from notesdesk.core.storage.head import Head, current_lineage, earlier_lineages


def newest_backup(backups: list[BackupHead], lineage: str | None = None) -> BackupHead | None:
    """The backup to restore: the highest authentic head among those made after a restore replaced
    a vault of `lineage`, else among those of `lineage`, else among all."""
    if lineage is not None:
        mine = current_lineage(lineage)
        for group in (
            [b for b in backups if mine in earlier_lineages(b.lineage)],
            [b for b in backups if current_lineage(b.lineage) == mine],
        ):
            if group:
                return group[0]
    return backups[0] if backups else None


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


def check_not_retired(
    anchor: LocalAnchor, folders: list[Path], backups: list[BackupHead], lineage: str
) -> None:
    """Refused when this computer's anchor, or a backup in `folders` made since, lists the key that
    opened the vault as renewed (anchor.py, rekey.py)."""
    mark = anchor.retired_mark()
    if anchor.retired() or retiring_backup(folders, anchor.vault_id, mark, lineage) is not None:
        raise refused(
            "This copy of the vault is from before its data key was renewed (rekey): it is an old "
            "copy. Nothing was changed.",
            backups,
            lineage,
        )


def check_not_rolled_back(
    session: Session,
    audit: AuditLog,
    head: Head,
    anchored: tuple[int, bytes] | None,
    backups: list[BackupHead],
    pending: tuple[int, bytes] | None = None,
) -> None:
    """`pending`: the head a restore under way staged in the anchor (anchor.py), accepted too."""
    mine = current_lineage(head.lineage)
    grown = anchored is None or audit.leads_to(session, anchored[0], anchored[1], head)
    if not grown and not (pending is not None and audit.leads_to(session, pending[0], pending[1], head)):
        raise refused(
            "This vault is older than the one last opened on this computer, or another copy of it: "
            "it may have been replaced. Nothing was changed.",
            backups,
            head.lineage,
        )
    if any(mine in earlier_lineages(b.lineage) for b in backups):
        raise refused(
            "This vault was replaced by a restore (a backup made after that restore says so): it may "
            "have been put back in place. Nothing was changed.",
            backups,
            head.lineage,
        )
    current = [b for b in backups if current_lineage(b.lineage) == mine]
    if current and not _reached(session, audit, head, current[0]):
        raise refused(
            "This vault is older than its newest backup, or another copy of it: it may have been "
            "replaced by an old copy. Nothing was changed.",
            backups,
            head.lineage,
        )


def _reached(session: Session, audit: AuditLog, head: Head, backup: BackupHead) -> bool:
    try:
        chain = bytes.fromhex(backup.chain)
    except ValueError:
        return False
    return audit.leads_to(session, backup.seq, chain, head)


def _when(created: str) -> str:
    try:
        return datetime.fromisoformat(created).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return "at an unknown time"
