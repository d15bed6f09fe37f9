"""Locking: after idle time or on request. Python cannot wipe memory, so locking ends the process
and starts a fresh one at the unlock screen (DESIGN §3)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QProcess, QTimer

log = logging.getLogger("notesdesk")

# Input that means someone is at the keyboard; timers, paints and focus changes do not count.
ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


def relaunch_command(vault_path: Path) -> tuple[str, list[str]]:
    """The program and arguments that open NotesDesk again on this vault's unlock screen."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--vault", str(vault_path)]
    return sys.executable, ["-m", "notesdesk", "--vault", str(vault_path)]


def relaunch_detached(vault_path: Path) -> bool:
    """Start the fresh process; True if it started. (PySide6 returns (ok, pid) here.)"""
    program, arguments = relaunch_command(vault_path)
    result = QProcess.startDetached(program, arguments)
    ok = result[0] if isinstance(result, tuple) else result
    if not ok:
        log.error("could not restart NotesDesk after locking")
    return bool(ok)


class IdleWatcher(QObject):
    """Fires `on_idle` after `minutes` without keyboard, mouse or touch input anywhere in the app.

    Installed as an application-wide event filter; every input event restarts one timer.
    """

    def __init__(self, minutes: int, on_idle: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(on_idle)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        self._timer.setInterval(max(1, int(minutes)) * 60_000)
        self._timer.start()

    def set_interval_ms(self, msecs: int) -> None:
        """For tests: a short idle period."""
        self._timer.setInterval(msecs)
        self._timer.start()

    def interval_ms(self) -> int:
        return self._timer.interval()

    def is_running(self) -> bool:
        return self._timer.isActive()

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if event.type() in ACTIVITY_EVENTS and self._timer.isActive():
            self._timer.start()
        return False
