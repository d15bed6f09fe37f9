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
    # Not thread-local: the app opens the vault on its background thread and closes it on the UI
    # thread; a thread-local lock (filelock's default) is then not let go by the close under filelock
    # 3.x, only when the object is collected, and a restore that follows in the same process is refused.
    lock = FileLock(lock_path(path), timeout=0, thread_local=False)
    try:
        lock.acquire()
    except Timeout as exc:
        raise VaultInUse(
            "This vault is already open in another NotesDesk window or command; close that first."
        ) from exc
    return lock
