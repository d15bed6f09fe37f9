"""Keeps the client list and its flags current: the list at once, flags in the background.

Changes arrive through the session's one signal (ui/session.py). A burst of them (autosaves) makes
one refresh; a change inside a client's record re-reads only that client's flags.

The first fill after the unlock (`fill`) holds the UI thread up for no more than a few milliseconds at
a time: the rows (decrypted names, labels, sort keys) are made on the background runner and added
FILL_CHUNK at a time, one turn of the event loop each, so the window paints and answers between them.
The app makes them, with their flags, in the unlock's own background job, once the vault has passed its
checks (`first_fill`, ui/app.py): the window then starts adding rows at once, with nothing to wait for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from notesdesk.core.domain.clients import Client
from notesdesk.core.services import clients as client_service
from notesdesk.core.services.overview import ClientFlags, client_flags
from notesdesk.ui.client_panel import ClientPanel
from notesdesk.ui.context import AppContext
from notesdesk.ui.models.client_list_model import ClientRow, client_rows
from notesdesk.ui.session import Changed, Kind

if TYPE_CHECKING:
    from notesdesk.core.storage.uow import UnitOfWork
    from notesdesk.core.storage.vault import Vault

REFRESH_DELAY_MS = 800
# Rows added to the list per turn of the event loop at the first fill: each chunk costs the UI thread
# a few milliseconds (the sorted view places every row it is given).
FILL_CHUNK = 50


def _rows(uow: UnitOfWork) -> tuple[list[Client], list[ClientRow]]:
    """On the background runner: the clients and their rows, ready to show."""
    found = client_service.list_clients(uow)
    return found, client_rows(found, {})


@dataclass(frozen=True)
class FirstFill:
    """The list as the window first shows it, made off the UI thread: every client's row with its flags.
    `vault` is the one it was read from: it fills no window of another."""

    vault: Vault = field(repr=False)
    rows: list[ClientRow] = field(repr=False)
    flags: dict[str, ClientFlags] = field(repr=False)


def first_fill(vault: Vault) -> FirstFill:
    """On the background runner, once `vault` has passed its unlock checks (never before: a refused
    vault shows nothing): the clients, their rows and their flags."""
    found = client_service.list_clients(vault.unit_of_work())
    flags = client_flags(vault.unit_of_work(), [c.id for c in found])
    return FirstFill(vault, client_rows(found, flags), flags)


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
        self._then: Callable[[], None] | None = None  # what the first fill calls once it is done
        self._listed = False  # a refresh has shown the whole list
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self._on_timer)
        ctx.session.sig_changed.connect(self._on_changed)

    def fill(self, then: Callable[[], None] = lambda: None, ready: FirstFill | None = None) -> None:
        """The first fill: rows made in the background, added a chunk per turn of the event loop, then
        the flags queued in the background and `then` called (also if a `refresh` overtakes it). With
        `ready` (made by `first_fill` from this window's vault), its rows, flags included, are added
        the same way and nothing is read."""
        self._then = then
        if self._listed:  # a refresh came first (a client added at once): it read the list and flags
            self._filled()
            return
        self._round += 1
        round_, ctx = self._round, self._ctx
        if ready is not None and ready.vault is ctx.vault:
            self._feed_ready(round_, ready, ready.rows)
            return
        ctx.session.background(lambda: _rows(ctx.uow()), lambda made: self._feed(round_, *made),
                               self._on_fill_failed)

    def _feed(self, round_: int, found: list[Client], rows: list[ClientRow]) -> None:
        if self._closed or round_ != self._round:
            return  # a refresh replaced the whole list meanwhile
        self._panel.append_rows(rows[:FILL_CHUNK])
        if len(rows) > FILL_CHUNK:
            QTimer.singleShot(0, self, lambda: self._feed(round_, found, rows[FILL_CHUNK:]))
            return
        self._on_refreshed()
        self._read_flags([c.id for c in found])

    def _feed_ready(self, round_: int, ready: FirstFill, rows: list[ClientRow]) -> None:
        if self._closed or round_ != self._round:
            return  # a refresh replaced the whole list meanwhile
        self._panel.append_rows(rows[:FILL_CHUNK])
        if len(rows) > FILL_CHUNK:
            QTimer.singleShot(0, self, lambda: self._feed_ready(round_, ready, rows[FILL_CHUNK:]))
            return
        self._flags = ready.flags
        self._on_refreshed()
        self._filled()

    def _on_fill_failed(self, exc: BaseException) -> None:
        self._on_failed(exc)
        self._filled()

    def _filled(self) -> None:
        then, self._then = self._then, None
        if then is not None and not self._closed:
            then()

    def refresh(self) -> None:
        """Re-read the list now (fast) and every client's flags in the background (a bulk read of
        every plan, homework and note: about a second for 20,000 notes)."""
        found = self._ctx.session.read(client_service.list_clients)
        if found is None:  # the presenter said why
            return
        self._round += 1  # a first fill still under way stops: this list replaces it
        self._listed = True
        self._panel.set_rows(found, self._flags)
        self._on_refreshed()
        self._read_flags([c.id for c in found])

    def _read_flags(self, ids: list[str]) -> None:
        ctx = self._ctx
        self._round += 1
        round_ = self._round
        ctx.session.background(
            lambda: client_flags(ctx.uow(), ids),
            lambda flags: self._on_flags(round_, flags),
            self._on_failed,
        )
        self._filled()  # after the flags are queued: the search index's wait comes after them

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
