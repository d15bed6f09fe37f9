"""SIGTERM ends the app as its own Quit would: a logout or shutdown that ends processes (or `kill`)
saves what was typed, makes the closing backup, closes the vault and leaves a clean end for the crash
watch (ui/crash_watch.py), instead of the process vanishing and the next start reporting a crash.

Python runs a signal handler only when the interpreter next runs, and Qt's event loop waits in C++:
the signal wakes the loop through a socket (signal.set_wakeup_fd), and the handler itself only asks
for the close on the next turn of the loop, never in the middle of whatever Python code it
interrupted.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, QTimer


class TerminationRequests(QObject):
    """Calls `on_terminate` on the UI thread after each SIGTERM while installed (main thread only)."""

    def __init__(self, on_terminate: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_terminate = on_terminate
        self._wake, self._woken = socket.socketpair()
        for end in (self._wake, self._woken):
            end.setblocking(False)
        self._notifier = QSocketNotifier(self._woken.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self._previous_fd = signal.set_wakeup_fd(self._wake.fileno())
        self._previous = signal.signal(signal.SIGTERM, self._on_signal)

    def _on_signal(self, _signum: int, _frame: FrameType | None) -> None:
        QTimer.singleShot(0, self._on_terminate)

    def _drain(self) -> None:
        # Running this slot is what lets the interpreter run the pending handler; the bytes are spent.
        with contextlib.suppress(OSError):
            while self._woken.recv(64):
                pass

    def uninstall(self) -> None:
        signal.signal(signal.SIGTERM, self._previous)
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._wake.close()
        self._woken.close()
