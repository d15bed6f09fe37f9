"""One process at a time on a vault file: a lock file beside it (`NAME.lock`), taken at open and held
until close, so a second window or command is told the vault is in use instead of writing beside the
first. Backups and restore read the same path to know whether the vault is open."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from notesdesk.core.errors import VaultInUse


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def acquire(path: Path) -> FileLock:
    lock = FileLock(lock_path(path), timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise VaultInUse(
            "This vault is already open in another NotesDesk window or command; close that first."
        ) from exc
    return lock
