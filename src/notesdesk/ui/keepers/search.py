"""Keeps ctx.index current: built in the background after unlock, updated on every change.

A large practice is decrypted and indexed in a child process (core/services/search_process.py), started
as the main window is built; once the list is filled the background runner waits for its result. A
small one is built on the runner itself."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from notesdesk.core.search.index import SearchIndex
from notesdesk.core.services.overview import refresh_search_entry
from notesdesk.core.services.search import build_index
from notesdesk.core.services.search_process import IndexBuild, worth_a_child
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Changed, Kind

log = logging.getLogger("notesdesk")

# What the index holds: notes (with their addenda), plan versions and client names.
INDEXED_KINDS = frozenset({Kind.NOTE, Kind.PLAN, Kind.CLIENT, Kind.HOMEWORK, Kind.SAFETY_PLAN})


class SearchKeeper(QObject):
    sig_ready = Signal()
    """The index is built and set on the context."""

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.child: IndexBuild | None = None  # the child process building the index, while it runs
        self._child_failed = False
        self._stopped = False
        self._building = False
        self._queued = False  # a build is on the background runner
        self._closed = False
        self._pending: list[Changed] = []
        self._again = False  # a sync brought rows in while a build was reading: build once more
        self._asked = False  # a rebuild is asked for on the next turn of the event loop
        ctx.session.sig_changed.connect(self._on_changed)

    @property
    def building(self) -> bool:
        return self._building

    def expect(self) -> None:
        """Say the index is on its way (`building`) before `start` is called; changes made meanwhile
        are kept for it. A large practice's child process starts building now, beside the window's
        first paint and the list: its start-up is light (core/search/child.py), it runs at a lower
        priority, and on a machine of two cores or more it takes the core the app's one interpreter
        lock leaves idle."""
        self._building = True
        self._start_child()

    def _start_child(self) -> None:
        if self.child is not None or self._closed or self._child_failed:
            return
        if not worth_a_child(self._ctx.vault):
            return
        try:
            self.child = IndexBuild(self._ctx.vault)
        except OSError:  # no process could be started: the runner builds it, as for a small one
            self.child = None

    def start(self) -> None:
        """Build in the background runner; the database lock keeps it apart from UI-thread reads."""
        if self._queued:
            return
        self._queued = True
        self._building = True
        ctx = self._ctx
        self._start_child()  # unless `expect` started it
        child = self.child
        if child is not None:
            ctx.session.background(child.result, self._on_built, self._on_child_failed)
        else:
            ctx.session.background(lambda: build_index(ctx.uow()), self._on_built, self._on_failed)

    def _on_built(self, index: SearchIndex) -> None:
        self._building = self._queued = False
        self.child = None
        if self._closed:  # locked or closed while building: drop it
            index.close()
            return
        old, self._ctx.index = self._ctx.index, index
        if old is not None:
            old.close()
        pending, self._pending = self._pending, []
        for change in pending:  # changes made while the build was running
            self._apply(change)
        if self._again and not self._stopped:
            self._again = False
            self.start()
        log.info("search index ready: %d documents", len(index))
        self.sig_ready.emit()

    def _on_child_failed(self, exc: BaseException) -> None:
        """The child could not build it (it could not start its interpreter, say): the runner builds
        it instead, as for a small practice. Stopped by a lock or close: nothing more."""
        child, self.child = self.child, None
        if child is not None:
            child.stop()
        if self._closed or self._stopped:
            self._on_failed(exc)
            return
        log.warning("the search index's child process failed (%s); building it in process",
                    type(exc).__name__)
        self._queued = False
        self._child_failed = True  # once: the runner builds this one
        self.start()

    def _on_failed(self, exc: BaseException) -> None:
        self._building = self._queued = self._again = False
        self.child = None
        if self._closed:
            return
        if self._ctx.index is not None:  # a rebuild failed: the index in use takes what was saved meanwhile
            pending, self._pending = self._pending, []
            for change in pending:
                self._apply(change)
        self._ctx.errors.present(exc, title="Search unavailable")

    def _on_changed(self, change: Changed) -> None:
        if change.kind not in INDEXED_KINDS:
            return
        if not change.object_id and change.kind is not Kind.CLIENT:
            self._rebuild_soon()  # a sync brought rows of this kind in, without saying which
            return
        if self._building or self._ctx.index is None:
            self._pending.append(change)
            return
        self._apply(change)

    def _rebuild_soon(self) -> None:
        """One sync announces each kind it brought in, one after another: they make one build, asked
        for once they have all been announced (on the next turn of the event loop)."""
        if not self._asked:
            self._asked = True
            QTimer.singleShot(0, self, self._rebuild)

    def _rebuild(self) -> None:
        """Build the index again in the background; the one in use answers searches meanwhile (and
        one more after it, if a build was already reading when the sync's rows came in)."""
        self._asked = False
        if self._closed or self._stopped:
            return
        if self._building:
            self._again = True
            return
        self.start()

    def _apply(self, change: Changed) -> None:
        index = self._ctx.index
        if index is None:
            return
        self._ctx.session.read(refresh_search_entry, index, change.kind.value, change.object_id)

    def stop_building(self) -> None:
        """End the child process now (a lock, a close): the runner's wait for it then ends too."""
        self._stopped = True  # its failure, when it arrives, is not a reason to build in process
        child = self.child
        if child is not None:
            child.stop()

    def close(self) -> None:
        if not self._closed:  # twice is fine (a test, then the window's shutdown)
            self._ctx.session.sig_changed.disconnect(self._on_changed)
        self._closed = True
        self.stop_building()
        if self._ctx.index is not None:
            self._ctx.index.close()
            self._ctx.index = None
