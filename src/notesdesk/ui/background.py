"""The one way slow work runs: a plain function off the UI thread, its result delivered on it.

The function gets plain data and returns plain data or bytes; it never touches a widget (key
derivation, PDF rendering, backups). When it reads the vault (the search index, the client list's
flags) it opens its own unit of work, which takes turns with the UI thread's (core Vault's work lock).
With a vault open, UI code reaches it through Session.background (ui/session.py); before that
(the start window) and for a blocking wait (ui/lifecycle/backups.py wait_for), through the runner itself.

Every Qt object is let go on the UI thread. PySide6 6.12 hands the C++ deletion of a widget whose
Python side dies on another thread to the UI thread, in a list it walks without a lock; a widget dying
on the runner's thread while that list was walked crashed the app. So the runner's thread never holds
the last reference to anything a job was given or gave back (the UI thread keeps the function and takes
the result), and the cycle collector is paused for all the runner's thread does for a job, its
signal included, so a collection never starts there (one starts on whichever thread allocates).
"""

from __future__ import annotations

import gc
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot


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
        self.hold()
        try:
            yield
        finally:
            self.release()

    def hold(self) -> None:
        """As `held`, for a thread that must allocate nothing once it lets go (the runner's)."""
        with self._lock:
            if self._holders == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._holders += 1

    def release(self) -> None:
        """The end of `hold`: the collector's switch is the last thing done, nothing allocated after."""
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


_Outcome = tuple[bool, Any]  # (succeeded, the result or the exception)
_Waiting = tuple[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None]]


class BackgroundRunner(QObject):
    """Runs one job at a time (database access stays serialised) on a thread of its own, results on
    the UI thread. The UI thread keeps each job's function until its result has arrived, and the
    runner's thread lets go of the function, the result and the exception before it says the job is
    done (only the job's number crosses in the signal), so nothing dies on the runner's thread."""

    sig_busy_changed = Signal(bool)
    sig_job_done = Signal(int)  # from the runner's thread: only the job's number crosses

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: dict[int, _Waiting] = {}  # the function and where its outcome goes
        self._outcomes: dict[int, _Outcome] = {}
        self._queue: queue.SimpleQueue[tuple[int, Callable[[], Any]]] = queue.SimpleQueue()
        self._idle = threading.Condition()
        self._unfinished = 0
        self._numbers = 0
        self._thread: threading.Thread | None = None
        self.sig_job_done.connect(self._finished)

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        self._numbers += 1
        self._jobs[self._numbers] = (fn, on_success, on_error)
        if len(self._jobs) == 1:
            self.sig_busy_changed.emit(True)
        with self._idle:
            self._unfinished += 1
        # Held from here until the runner's thread has signalled this job done (it releases it): an
        # automatic collection starts on whichever thread allocates, so none may start on that one,
        # from its own start-up to its signal (the module docstring says why).
        COLLECTOR_PAUSE.hold()
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="notesdesk-runner", daemon=True)
            self._thread.start()
        self._queue.put((self._numbers, fn))

    def _work(self) -> None:
        while True:
            number, fn = self._queue.get()  # the pause is held for this job (run)
            try:
                outcome: _Outcome
                try:
                    outcome = (True, fn())
                except BaseException as exc:  # delivered to the UI thread, shown by the presenter
                    outcome = (False, exc)
                del fn  # the UI thread still holds it (self._jobs) and lets it go there
                with self._idle:
                    self._outcomes[number] = outcome
                    del outcome
                    self._unfinished -= 1
                    self._idle.notify_all()
                try:
                    self.sig_job_done.emit(number)
                except RuntimeError:  # the runner itself was deleted (its window closed): nobody waits
                    self._abandon_queued()
                    return
            finally:
                COLLECTOR_PAUSE.release()  # the last thing done: nothing allocated before the next job

    def _abandon_queued(self) -> None:
        """The jobs still queued when the runner was deleted: not run, their pauses given back."""
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return
            with self._idle:
                self._unfinished -= 1
                self._idle.notify_all()
            COLLECTOR_PAUSE.release()

    @Slot(int)
    def _finished(self, number: int) -> None:
        fn, on_success, on_error = self._jobs.pop(number)
        del fn
        with self._idle:
            succeeded, value = self._outcomes.pop(number)
        if not self._jobs:
            self.sig_busy_changed.emit(False)
        if succeeded:
            on_success(value)
        else:
            on_error(value)

    def wait(self, msecs: int = 30000) -> bool:
        """For tests and shutdown: block until queued work is done (its results arrive later, on the
        UI thread's event loop). A negative `msecs` waits as long as it takes (the end of the app:
        a job cut off there could leave a backup half written)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._unfinished == 0,
                                       timeout=None if msecs < 0 else msecs / 1000)
