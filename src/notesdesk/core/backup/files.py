"""Durable file writes: temp file in the same folder, fsync, rename, fsync the folder."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

from notesdesk.core.errors import NotesdeskError, StorageFull


def write_atomic(target: Path, data: bytes) -> None:
    """Either the whole file appears under its name, or nothing changes (no partial or temp file)."""
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
        fsync_dir(target.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if exc.errno == 28:  # ENOSPC
            raise StorageFull(f"The disk at {target.parent} is full; {target.name} was not written.") from exc
        raise NotesdeskError(f"Could not write to {target.parent}: {exc.strerror or 'error'}.") from exc


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
