"""Where a file the user asked for (an export, a PDF, a recovery sheet) may be written, and which
files may be read as input at all.

Only a new path or an existing regular file, and never one of NotesDesk's own files: the vault, its
lock, journal and the copies a restore keeps, any other vault (a SQLite file), and backups (the
backup folders, and files named like backups anywhere). A symbolic link is refused too: replacing
it would be a surprise either way. These rules hold with --force and in the app's save dialog alike.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
BACKUP_NAME = re.compile(r"^notesdesk-backup-\d{8}-\d{6}(?:-\d+)?\.ndbk$")
# The files SQLite and filelock keep beside a vault (core/storage/vault.py lock_path, sqlite.py).
VAULT_COMPANIONS = {".lock": "the vault's lock file", "-journal": "the vault's journal",
                    "-wal": "the vault's journal", "-shm": "the vault's journal"}


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _starts_like_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _vault_file_problem(real: Path, vault_path: Path | None) -> str | None:
    if vault_path is None:
        return None
    vault = _real(vault_path)
    if real == vault:
        return "is the vault itself"
    for suffix, what in VAULT_COMPANIONS.items():
        if real == vault.with_name(vault.name + suffix):
            return f"is {what}"
    if real.parent == vault.parent and real.name.startswith(vault.name + ".replaced-"):
        return "is the copy of the vault kept by a restore"
    return None


def input_problem(path: Path, max_bytes: int) -> str | None:
    """Why `path` cannot be read as an input file of at most `max_bytes` (a sentence starting with
    the path), or None. Checked before reading: a FIFO would block, a huge file would fill memory."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None  # the reader says "no such file" in its own words
    except OSError as exc:
        return f"{path} cannot be read ({exc.strerror or 'error'})."
    if stat.S_ISDIR(info.st_mode):
        return f"{path} is a folder; give a file."
    if not stat.S_ISREG(info.st_mode):
        return f"{path} is not a regular file (a device, pipe or socket)."
    if info.st_size > max_bytes:
        return f"{path} is larger than {max_bytes // (1024 * 1024)} MB, far too large for what it should be."
    return None


def output_problem(
    path: Path, vault_path: Path | None, backup_dirs: Iterable[Path | None] = ()
) -> str | None:
    """Why `path` must not be written (a sentence starting with the path), or None when it may be."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        return f"{path} cannot be checked ({exc.strerror or 'error'})."
    if mode is not None and stat.S_ISLNK(mode):
        return f"{path} is a symbolic link; give the real file or a new name."
    if mode is not None and stat.S_ISDIR(mode):
        return f"{path} is a folder; give a file name."
    if mode is not None and not stat.S_ISREG(mode):
        return f"{path} is not a regular file (a device, pipe or socket); give a new file name."
    real = _real(path)
    why = _vault_file_problem(real, vault_path)
    if why is None and BACKUP_NAME.match(real.name):
        why = "is named like a NotesDesk backup"
    if why is None:
        for folder in backup_dirs:
            if folder is not None and real.is_relative_to(_real(folder)):
                why = "is in the backup folder"
                break
    if why is None and mode is not None and _starts_like_sqlite(real):
        why = "is a NotesDesk vault or another database"
    return None if why is None else f"{path} {why}; NotesDesk never writes over it."
