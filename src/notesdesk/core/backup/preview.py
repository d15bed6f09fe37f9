"""What a backup file says about itself before any secret is typed: whose vault it is, when it was
made and how much it holds (all in its header, in clear), and whether the vault it would replace is
open elsewhere. For opening a backup from the desktop (`notesdesk FILE.ndbk`): the app shows this,
then asks for the secret and restores through `service.restore`. Nothing read here is trusted; it
only decides what to show and ask. Every failure is one line (a NotesdeskError)."""

from __future__ import annotations

import contextlib
import stat
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from notesdesk.core.backup import container
from notesdesk.core.backup.service import vault_id_at
from notesdesk.core.errors import NotesdeskError, NotFound
from notesdesk.core.storage.sqlite import looks_like_sqlite
from notesdesk.core.storage.vault_lock import lock_path


@dataclass(frozen=True)
class BackupPreview:
    path: Path
    vault_id: str  # the vault the backup names (as on that vault's recovery sheet)
    created: str  # ISO 8601, as the header has it
    app_version: str
    counts: dict[str, int]
    target: Path  # the vault a restore would replace
    target_vault_id: str | None  # None: no vault there yet
    in_use: bool  # that vault is open in a NotesDesk window or command

    @property
    def other_vault(self) -> bool:
        """The backup is of a different vault than the one it would replace."""
        return self.target_vault_id is not None and self.target_vault_id != self.vault_id


def preview_backup(path: Path, target: Path) -> BackupPreview:
    """The header of the backup at `path`, read without a secret, against the vault at `target`.
    Raises one line for a missing, unreadable or non-backup file."""
    path = Path(path).expanduser()
    _check_is_backup_file(path)
    try:
        header = container.read_header(container.read_head(path))
    except OSError as exc:
        raise NotesdeskError(f"The backup file {path} could not be read: {exc.strerror or 'error'}.") from exc
    return BackupPreview(
        path=path,
        vault_id=header.vault_id,
        created=header.created,
        app_version=header.app_version,
        counts=dict(header.counts),
        target=target,
        target_vault_id=vault_id_at(target),
        in_use=vault_in_use(target),
    )


def _check_is_backup_file(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError as exc:
        raise NotFound(f"There is no file at {path}: it may have been moved or deleted.") from exc
    except OSError as exc:
        raise NotesdeskError(f"The backup file {path} could not be read: {exc.strerror or 'error'}.") from exc
    if stat.S_ISDIR(mode):
        raise NotesdeskError(f"{path} is a folder, not a NotesDesk backup file.")
    if not stat.S_ISREG(mode):  # a FIFO would block the read
        raise NotesdeskError(f"{path} is not a regular file, so not a NotesDesk backup.")
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(container.MAGIC))
    except OSError as exc:
        raise NotesdeskError(f"The backup file {path} could not be read: {exc.strerror or 'error'}.") from exc
    if magic == container.MAGIC:
        return
    if looks_like_sqlite(path):
        raise NotesdeskError(f"{path} is a vault (or another database), not a NotesDesk backup file.")
    raise NotesdeskError(f"{path} is not a NotesDesk backup file.")


def vault_in_use(vault_path: Path) -> bool:
    """Whether a NotesDesk window or command holds the vault (its lock file, storage/vault.py). Taken
    and let go at once: the restore itself takes it again and refuses if it is held by then."""
    if not vault_path.exists():
        return False
    lock = FileLock(lock_path(vault_path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        return True
    except OSError:
        return False  # a folder we cannot write: the restore says so in its own words
    with contextlib.suppress(OSError):
        lock.release()
    return False
