"""A crash is never silent: the app marks each run as running in its log folder, and Python's
faulthandler writes a fatal error's stack (file, line and function names only: never a value, so
never client data) to crash.log there. A run that ends cleanly removes its mark; the next start that
finds a mark left behind says "NotesDesk closed unexpectedly last time".

A run holds a lock beside the mark for as long as it lives (the OS releases it when the process dies),
so a second window of the app, or the fresh process that a lock starts while the old one is still
finishing, never mistakes a live run for a crashed one. Plain Python: no Qt, tested without a window.
"""

from __future__ import annotations

import faulthandler
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import TextIO

from filelock import FileLock, Timeout

log = logging.getLogger("notesdesk")

MARK_NAME = "running.json"
LOCK_NAME = "running.lock"
CRASH_LOG_NAME = "crash.log"
CRASH_LOG_MAX_BYTES = 1_000_000  # kept small: it holds stacks, and only the newest matter


@dataclass(frozen=True)
class LastRun:
    """The run before this one ended without closing: when it started, and whether Python recorded
    a fatal error (an abort or a crash in native code) or not (power lost, process killed)."""

    started_at: datetime | None
    fatal_error: bool
    crash_log: Path


class Busy(Enum):
    """Another live run holds the lock: a second window, or the run that just locked and is ending."""

    BUSY = "busy"


class CrashWatch:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.crash_log = self.folder / CRASH_LOG_NAME
        self._lock: FileLock | None = None
        self._log_file: TextIO | None = None

    @property
    def watching(self) -> bool:
        return self._lock is not None

    def start(self) -> LastRun | None | Busy:
        """Begin watching this run. Returns how the previous run ended badly (None: it closed
        normally, or there was none), or BUSY when another live run holds the lock (try again later:
        the mark then belongs to that run). A folder that cannot be written is not an error: the
        app runs, unwatched."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            lock = FileLock(str(self.folder / LOCK_NAME))
            lock.acquire(timeout=0)
        except Timeout:
            return Busy.BUSY
        except OSError:
            log.warning("crash watch unavailable: the log folder cannot be written")
            return None
        self._lock = lock
        last = self._read_mark()
        self._enable_faulthandler()
        self._write_mark()
        if last is not None:
            log.warning("the previous run ended unexpectedly (fatal error recorded: %s)", last.fatal_error)
        return last

    def stop(self) -> None:
        """This run ends normally: the mark goes, faulthandler stops writing, the lock is released."""
        if self._lock is None:
            return
        try:
            (self.folder / MARK_NAME).unlink(missing_ok=True)
        except OSError:
            log.warning("crash watch: the running mark could not be removed")
        if self._log_file is not None:
            faulthandler.disable()
            self._log_file.close()
            self._log_file = None
        self._lock.release()
        self._lock = None

    # -- the mark and the crash log ------------------------------------------------------------------

    def _crash_log_size(self) -> int:
        try:
            return self.crash_log.stat().st_size
        except OSError:
            return 0

    def _read_mark(self) -> LastRun | None:
        mark = self.folder / MARK_NAME
        try:
            text = mark.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError:
            text = ""
        try:
            data = json.loads(text)
            started: datetime | None = datetime.fromisoformat(data["started_at"])
            log_size = int(data["crash_log_size"])
        except (ValueError, KeyError, TypeError):
            started, log_size = None, self._crash_log_size()  # a mark cut short by the crash itself
        fatal = self._crash_log_size() > log_size
        return LastRun(started, fatal, self.crash_log)

    def _write_mark(self) -> None:
        data = {"started_at": datetime.now(UTC).isoformat(), "pid": os.getpid(),
                "crash_log_size": self._crash_log_size()}
        mark = self.folder / MARK_NAME
        try:
            mark.write_text(json.dumps(data), encoding="utf-8")
        except OSError:
            log.warning("crash watch: the running mark could not be written")

    def _enable_faulthandler(self) -> None:
        try:
            if self._crash_log_size() > CRASH_LOG_MAX_BYTES:
                self.crash_log.replace(self.crash_log.with_suffix(".log.1"))
            self._log_file = open(self.crash_log, "a", encoding="utf-8")  # noqa: SIM115 - open for the run
            # One line per run, so a stack below it can be matched to the run that wrote it.
            self._log_file.write(f"--- NotesDesk run started {datetime.now(UTC).isoformat()} ---\n")
            self._log_file.flush()
        except OSError:
            log.warning("crash watch: crash.log cannot be written")
            return
        faulthandler.enable(file=self._log_file, all_threads=True)
