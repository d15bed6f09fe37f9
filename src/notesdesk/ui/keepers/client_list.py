"""Keeps the client list and its flags current: the list at once, flags in the background.

Changes arrive through the session's one signal (ui/session.py). A burst of them (autosaves) makes
one refresh; a change inside a client's record re-reads only that client's flags.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from notesdesk.core.services import clients as client_service
from notesdesk.core.services.overview import ClientFlags, client_flags
from notesdesk.ui.client_panel import ClientPanel
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Changed, Kind

REFRESH_DELAY_MS = 800


class ClientListKeeper(QObject):
    def __init__(
        self,
        ctx: AppContext,
        panel: ClientPanel,
        on_refreshed: Callable[[], None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._panel = panel
        self._on_refreshed = on_refreshed
        self._flags: dict[str, ClientFlags] = {}
        self._round = 0
        self._full = False
        self._dirty: set[str] = set()
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self._on_timer)
        ctx.session.sig_changed.connect(self._on_changed)

    def refresh(self) -> None:
        """Re-read the list now (fast) and every client's flags in the background (a bulk read of
        every plan, homework and note: about a second for 20,000 notes)."""
        found = self._ctx.session.read(client_service.list_clients)
        if found is None:  # the presenter said why
            return
        self._panel.set_rows(found, self._flags)
        self._on_refreshed()
        ctx, ids = self._ctx, [c.id for c in found]
        self._round += 1
        round_ = self._round
        ctx.session.background(
            lambda: client_flags(ctx.uow(), ids),
            lambda flags: self._on_flags(round_, flags),
            self._on_failed,
        )

    def refresh_one(self, client_id: str) -> None:
        """Re-read one client's flags now (a few milliseconds)."""
        read = self._ctx.session.read(client_flags, [client_id])
        if read is None:  # the presenter said why
            return
        flags = self._flags[client_id] = read[client_id]
        self._panel.model.set_flags(client_id, flags)

    def _on_flags(self, round_: int, flags: dict[str, ClientFlags]) -> None:
        if self._closed or round_ != self._round:
            return  # a newer refresh is on its way
        self._flags = flags
        self._panel.model.set_all_flags(flags)

    def _on_failed(self, exc: BaseException) -> None:
        if not self._closed:
            self._ctx.errors.present(exc)

    def _on_changed(self, change: Changed) -> None:
        # A change in one client's record moves only that client's flags; client details (names,
        # status) re-read the whole list. Templates belong to no client and flag nothing.
        if change.kind == Kind.TEMPLATE:
            return
        if change.kind == Kind.CLIENT:
            self._full = True
        else:
            self._dirty.add(change.client_id)
        self._timer.start()

    def _on_timer(self) -> None:
        full, dirty = self._full, self._dirty
        self._full, self._dirty = False, set()
        if full:
            self.refresh()
            return
        for client_id in dirty:
            self.refresh_one(client_id)

    def close(self) -> None:
        if not self._closed:  # twice is fine (a test, then the window's shutdown)
            self._ctx.session.sig_changed.disconnect(self._on_changed)
        self._closed = True
        self._timer.stop()
