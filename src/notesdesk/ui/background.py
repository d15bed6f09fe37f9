"""The one way slow work runs: a plain function off the UI thread, its result delivered on it.

The function gets plain data and returns plain data or bytes; it never touches a widget (key
derivation, PDF rendering, backups). When it reads the vault (the search index, the client list's
flags) it opens its own unit of work, which takes turns with the UI thread's (core Vault's work lock).
With a vault open, UI code reaches it through Session.background (ui/session.py); before that
(the start window) and for a blocking wait (ui/lifecycle/backups.py wait_for), through the runner itself.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class CollectorPause:
    """Pauses Python's automatic cycle collector while some thread does bulk work off the UI thread.

    A full collection runs with the interpreter lock held: over a heap holding a decrypted practice
    it takes 100-200 ms, and the UI thread cannot run meanwhile, so a background job that allocates
    in bulk (decrypting every note to build the search index) would freeze the window for that long,
    several times over. Such jobs free what they allocate by reference counting; the collector runs
    again once the last of them has finished. Nested and concurrent holders are counted."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders = 0
        self._was_enabled = False

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            if self._holders == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._holders += 1
        try:
            yield
        finally:
            with self._lock:
                self._holders -= 1
                if self._holders == 0 and self._was_enabled:
                    gc.enable()


COLLECTOR_PAUSE = CollectorPause()


def settle_long_lived_objects() -> None:
    """Move every object alive now out of the collector's reach for good, so that later collections
    scan only what was made since and stay short. For the moments when what is alive is what lives
    as long as the process (the modules, the open vault, the main window): after the unlock."""
    gc.freeze()


class _Relay(QObject):
    sig_succeeded = Signal(object)
    sig_failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    @Slot()
    def run(self) -> None:
        try:
            with COLLECTOR_PAUSE.held():
                result = self._fn()
        except BaseException as exc:  # delivered to the UI thread, shown by the presenter
            self._relay.sig_failed.emit(exc)
        else:
            self._relay.sig_succeeded.emit(result)


class BackgroundRunner(QObject):
    """Runs one job at a time (database access stays serialised), results on the UI thread."""

    sig_busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relays: set[_Relay] = set()
        self._pending = 0

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        relay = _Relay()
        self._relays.add(relay)

        def finish() -> None:
            self._relays.discard(relay)
            self._pending -= 1
            if self._pending == 0:
                self.sig_busy_changed.emit(False)

        def succeeded(result: object) -> None:
            finish()
            on_success(result)

        def failed(exc: BaseException) -> None:
            finish()
            on_error(exc)

        relay.sig_succeeded.connect(succeeded)
        relay.sig_failed.connect(failed)
        self._pending += 1
        if self._pending == 1:
            self.sig_busy_changed.emit(True)
        self._pool.start(_Job(fn, relay))

    def wait(self, msecs: int = 30000) -> bool:
        """For tests and shutdown: block until queued work is done."""
        return self._pool.waitForDone(msecs)
