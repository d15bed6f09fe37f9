"""Automatic backups while the app runs: on lock, on close and once a day (docs/design-notes.md §1).

The backups themselves are core.backup.service; this module only decides when, runs them through
the one background runner and says when the last one was made. Nothing here names a client.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal

from notesdesk import paths
from notesdesk.core.backup.service import (
    BackupCheck,
    BackupInfo,
    BackupRun,
    automatic_backup,
    backup_due,
    list_backups,
)
from notesdesk.ui.background import BackgroundRunner
from notesdesk.ui.context import AppContext
from notesdesk.ui.prefs import second_folder

log = logging.getLogger("notesdesk")

HOUR_MS = 3_600_000
FIRST_CHECK_MS = 60_000  # a minute after unlock: the daily backup of someone who unlocks each morning


# -- plain helpers (no widgets) ------------------------------------------------------------------


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


REMOVABLE_ROOTS: tuple[Path, ...] = tuple(Path(p) for p in ("/media", "/run/media", "/mnt", "/Volumes"))
"""Where removable drives are mounted (Linux, macOS); on Windows a missing drive letter says the same."""


@dataclass(frozen=True)
class FolderCheck:
    problem: str | None = None  # refuse the setting, say why
    note: str | None = None  # accept it, but say this (a drive that is not connected now)


def _drive_missing(folder: Path, roots: tuple[Path, ...]) -> bool:
    if not Path(folder.anchor).exists():
        return True  # a Windows drive letter with no drive behind it
    for root in roots:
        if not folder.is_relative_to(root):
            continue
        existing = next(p for p in (folder, *folder.parents) if p.exists())
        # Up to the mount point of the drive itself, nothing exists but the root and a user folder
        # (/media/USER, /run/media/USER); a mounted drive with the folder missing is another matter.
        return not (existing != root and existing.is_relative_to(root) and os.path.ismount(existing))
    return False


def check_second_folder(setting: str, roots: tuple[Path, ...] | None = None) -> FolderCheck:
    """Whether `setting` can be the second backup folder: absolute, and a folder we can write to, or
    on a removable drive that is not connected now."""
    text = setting.strip()
    if not text:
        return FolderCheck()
    folder = Path(text).expanduser()
    if not folder.is_absolute():
        return FolderCheck(f"“{text}” is not a full path: choose the folder with Browse…, such as a "
                           "folder on a USB drive.")
    try:
        if folder.is_dir():
            if not os.access(folder, os.W_OK | os.X_OK):
                return FolderCheck(f"NotesDesk cannot write to {folder}: choose a folder you can write to.")
            return FolderCheck()
        if folder.exists():
            return FolderCheck(f"{folder} is a file, not a folder: choose a folder.")
        if _drive_missing(folder, REMOVABLE_ROOTS if roots is None else roots):
            return FolderCheck(note=f"{folder} is not connected now; backups will go there when it is.")
    except OSError:
        return FolderCheck(note=f"{folder} cannot be reached now; backups will go there when it can.")
    return FolderCheck(f"There is no folder {folder}: create it, or choose another with Browse….")


def newest(primary: Path, second: Path | None = None) -> BackupInfo | None:
    """The newest backup by name, leaving out names dated after now: a file named for 2099 is not
    the last backup (core.backup.service.backup_due ignores it too)."""
    found = list_backups(primary) + (list_backups(second) if second is not None else [])
    now = datetime.now(UTC)
    return max((b for b in found if b.created <= now), key=lambda b: (b.created, b.sequence), default=None)


def status_text(latest: BackupInfo | None) -> str:
    return f"Last backup: {local_time(latest.created)}" if latest else "No backup yet"


def rotation_summary(run: BackupRun) -> str:
    """What rotation did, in words for the Backups page ("" when it removed and skipped nothing)."""
    parts = []
    if run.removed:
        names = ", ".join(p.name for p in run.removed)
        parts.append(f"Older backups removed by rotation: {names}.")
    future = [p for r in run.rotations for p in r.future]
    if future:
        parts.append(f"Left alone, dated in the future: {', '.join(p.name for p in future)}.")
    others = sum(len(r.not_this_vault) for r in run.rotations)
    if others:
        parts.append(f"Left alone: {others} file{'s' * (others != 1)} named like backups but not "
                     "backups of this vault.")
    earlier = sum(len(r.earlier_keys) for r in run.rotations)
    if earlier:
        parts.append(f"Left alone: {earlier} backup{'s' * (earlier != 1)} from before your keys were "
                     "renewed; they open with the passphrase and recovery key of their day.")
    return " ".join(parts)


def drill_summary(check: BackupCheck) -> str:
    """The restore drill's verdict in one line: counts only, never a name."""
    clients = int(check.counts.get("clients", 0))
    notes = int(check.counts.get("notes", 0))
    signed = check.report.signed_notes
    return (
        f"OK: {clients} client{'s' * (clients != 1)}, {notes} note{'s' * (notes != 1)} "
        f"({signed} signed, every signature verified), audit chain intact."
    )


def wait_for(runner: BackgroundRunner, fn: Callable[[], Any]) -> tuple[Any, BaseException | None]:
    """Run `fn` in the background and wait for it while the window keeps painting: for the few
    steps that must finish before the process goes on (the backup on lock, a restore)."""
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def done(result: Any) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    runner.run(fn, done, failed)
    if not outcome:
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    return outcome.get("result"), outcome.get("error")


# -- the keeper ----------------------------------------------------------------------------------


class BackupKeeper(QObject):
    """Makes the automatic backups for one open vault and keeps the "Last backup" line current."""

    sig_status = Signal(str)
    """The status-bar line changed ("Last backup: …"); no client data."""
    sig_backed_up = Signal(object)
    """A backup finished; arg is the list of files written."""

    def __init__(self, ctx: AppContext, primary: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._primary = primary
        self._running = False
        self._closed = False
        self.last_failure: BaseException | None = None
        self.skipped_second: Path | None = None
        """The second folder the latest backup could not write to (None: written, or none set)."""
        self._every_ms = HOUR_MS
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)

    # -- where ------------------------------------------------------------------------------------

    def primary(self) -> Path:
        return self._primary if self._primary is not None else paths.backup_dir()

    def second(self) -> Path | None:
        return second_folder(self._ctx.prefs.backup_folder)

    def folders(self) -> tuple[Path, Path | None]:
        return self.primary(), self.second()

    def status(self) -> str:
        latest = None
        for folders in (self.folders(), (self.primary(), None)):
            try:  # an unplugged drive or an unreadable folder: fall back to the app folder alone
                latest = newest(*folders)
                break
            except OSError:
                continue
        text = status_text(latest)
        if self.last_failure is not None:
            text += " — the latest automatic backup failed"
        missing = self.missing_second()
        if missing is not None:
            text += f" — the second folder {missing} was not available"
        return text

    def missing_second(self) -> Path | None:
        """The second folder when one is set but the latest backup could not go there (or, before
        any backup, it cannot now): an unplugged drive, a relative path saved by an older version."""
        second = self.second()
        if second is None:
            return None
        if self.skipped_second == second:
            return second
        try:
            usable = second.is_absolute() and second.is_dir()
        except OSError:
            usable = False
        return None if usable else second

    @property
    def running(self) -> bool:
        return self._running

    # -- when -------------------------------------------------------------------------------------

    def start(self, first_check_ms: int = FIRST_CHECK_MS, every_ms: int = HOUR_MS) -> None:
        """Check `backup_due` soon after unlock, then every `every_ms` while unlocked."""
        self._every_ms = every_ms
        self._timer.start(first_check_ms)
        self.sig_status.emit(self.status())

    def stop(self) -> None:
        self._closed = True
        self._timer.stop()

    def _on_timer(self) -> None:
        if self._closed:
            return
        self._timer.start(self._every_ms)
        try:
            due = backup_due(self.primary())
        except OSError:
            due = True
        if due and not self._running:
            log.info("daily backup due")
            self.back_up_now(on_failed=self._on_daily_failed)

    def _on_daily_failed(self, exc: BaseException) -> None:
        self._ctx.errors.present(exc, title="The daily backup failed")

    # -- doing it ---------------------------------------------------------------------------------

    def _job(self) -> Callable[[], BackupRun]:
        vault, (primary, second) = self._ctx.vault, self.folders()
        if second is not None and not second.is_absolute():
            second = None  # never a folder relative to wherever the app happened to start
        return lambda: automatic_backup(vault, primary, second)

    def back_up_now(
        self,
        on_done: Callable[[BackupRun], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Back up in the background (both folders); the status line follows."""
        self._running = True

        def done(run: BackupRun) -> None:
            self._finished(run.written, None)
            if on_done is not None:
                on_done(run)

        def failed(exc: BaseException) -> None:
            self._finished([], exc)
            (on_failed or self._ctx.errors.present)(exc)

        self._ctx.session.background(self._job(), done, failed)

    def back_up_and_wait(self) -> BaseException | None:
        """The backup on lock and on close: returns the failure (None when it worked)."""
        if self._ctx.vault.read_only and not self._due():
            return None  # nothing can have changed since the newest backup
        self._running = True
        run, failure = wait_for(self._ctx.runner, self._job())
        self._finished(run.written if run is not None else [], failure)
        return failure

    def _due(self) -> bool:
        try:
            return backup_due(self.primary())
        except OSError:
            return True

    def _finished(self, written: list[Path], failure: BaseException | None) -> None:
        self._running = False
        self.last_failure = failure
        second = self.second()
        if failure is None:
            self.skipped_second = second if second is not None and len(written) < 2 else None
        if failure is not None:
            log.warning("backup failed: %s", type(failure).__name__)
        else:
            log.info("backup written: %d file(s)", len(written))
            self.sig_backed_up.emit(written)
        if not self._closed:
            self.sig_status.emit(self.status())
