"""Durable file writes: temp file in the same folder, fsync, rename, fsync the folder."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable
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


class FileSink:
    """An open file descriptor written to in full by each `write` (a Sink for write_atomic_stream)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def write(self, data: bytes, /) -> int:
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view):]
        return len(data)


def write_atomic_stream(target: Path, fill: Callable[[FileSink], object]) -> None:
    """As write_atomic, for data too large to hold at once: `fill` writes it piece by piece. If `fill`
    raises, the temporary file is removed and nothing appears under `target`."""
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            fill(FileSink(fd))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
        fsync_dir(target.parent)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if not isinstance(exc, OSError):
            raise
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
