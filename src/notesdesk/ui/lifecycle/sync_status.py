"""Practice sync while the app runs: at unlock, every few minutes and on "Sync now", through the one
background runner, with its state in the status bar (only for a vault that is part of a practice).

Being offline is a state shown in the status bar, not an error. Any other failure reaches the user
once through the one presenter; automatic retries that fail again stay quiet until a sync succeeds
or the user asks (docs/design-notes.md §9). Nothing here names a client."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QWidget

from notesdesk.core.services import practice, sync_state
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Changed, Kind

if TYPE_CHECKING:  # types in signatures only (ui/session.py)
    from notesdesk.core.storage.uow import UnitOfWork
    from notesdesk.core.sync.known_readers import KnownReaders

SYNC_EVERY_MS = 5 * 60_000
# Every kind but psychotherapy notes and the practice's templates (never synced).
UNSYNCED_KINDS = (Kind.PRIVATE_NOTE, Kind.TEMPLATE)
RECEIVED_KINDS = tuple(kind for kind in Kind if kind not in UNSYNCED_KINDS)
"""What a sync brings in (core/sync/shared.py SPECS): the views of these kinds refresh after one."""
# Said after the sync that accepted a new practice key version, until File ▸ Practice… (which shows
# the fingerprint) is opened: a removed clinician's server could offer a rival key; comparing shows it.
KEY_RENEWED = "practice key renewed after a removal: compare its fingerprint (File ▸ Practice…)"




@dataclass(frozen=True)
class Synced:
    received: int
    summary: sync_state.SyncSummary | None
    sharing: KnownReaders | None = None  # who reads each client, as the overviews show it
    key_renewed: bool = False  # this sync accepted a new practice key version


def sync_and_summarise(uow: Callable[[], UnitOfWork]) -> Synced:
    """The background job: one sync, then the state to show (each in its own unit of work)."""
    report = practice.sync(uow())
    return Synced(report.received, sync_state.summary(uow()), sync_state.sharing_seen(uow()),
                  bool(report.key_renewed))


def when(moment: datetime | None, today: datetime | None = None) -> str:
    if moment is None:
        return "never"
    local, now = moment.astimezone(), (today or datetime.now()).astimezone()
    return f"{local:%H:%M}" if local.date() == now.date() else f"{local:%Y-%m-%d %H:%M}"


def describe(found: sync_state.SyncSummary, offline: bool = False, failed: bool = False,
             removed: bool = False) -> str:
    """The status bar's words for a sync state."""
    if not found.member:
        return "Practice: waiting to be added by a member"
    if removed:
        text = f"Removed from the practice · last sync {when(found.last_sync)}"
    elif offline:
        text = f"Practice server offline · last sync {when(found.last_sync)}"
    elif failed:
        text = f"Sync stopped · last sync {when(found.last_sync)}"
    else:
        text = f"Practice synced {when(found.last_sync)}" if found.last_sync else "Practice: not synced yet"
    if found.to_resolve:  # resolved in Client ▸ Sync conflicts…
        text += f" · {found.to_resolve} sync conflict{'s' if found.to_resolve > 1 else ''} to resolve"
    if found.receipts_numbered_twice:  # issued on two computers offline: void one and reissue it
        twice = found.receipts_numbered_twice
        text += f" · {twice} receipt number{'s' if twice > 1 else ''} issued twice"
    if found.settings_aside:  # used or discarded in File ▸ Practice…
        aside = found.settings_aside
        text += f" · {aside} setting version{'s' if aside > 1 else ''} kept aside"
    return text


class SyncKeeper(QObject):
    """Owns the status-bar label, the "Sync now" action and the timer; `start` after the window shows."""

    sig_finished = Signal()
    """A sync ended (done or failed): File ▸ Practice… shows the new state."""

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.label = QLabel(parent)
        self.label.setAccessibleName("Practice sync")
        self.label.hide()
        self.action = QAction("S&ync with the practice now", parent)
        self.action.setVisible(False)
        self.action.triggered.connect(lambda _checked=False: self.sync(asked=True))
        self.timer = QTimer(self)
        self.timer.setInterval(SYNC_EVERY_MS)
        self.timer.timeout.connect(lambda: self.sync(asked=False))
        self.running = False
        self._failing = False  # a failure was shown: automatic retries that fail again stay quiet
        self._summary: sync_state.SyncSummary | None = None
        self._sharing: KnownReaders | None = None  # as the overviews' "Shared with" lines last read it
        self.key_renewed = False  # a new practice key version was accepted and not yet looked at
        self._how_ended: dict[str, bool] = {}  # the last sync's end, as `describe` words it (offline…)

    @property
    def member(self) -> bool:
        """Part of a practice and added by a member: may share clients (ui/practice_menu.py)."""
        return self._summary is not None and self._summary.member

    def start(self) -> None:
        """At unlock: nothing at all for a vault outside a practice; else show the state and sync."""
        self._summary = self.ctx.session.read(sync_state.summary)
        if self._summary is None:
            return
        self._sharing = self.ctx.session.read(sync_state.sharing_seen)
        self.label.show()
        self.action.setVisible(True)
        if self.ctx.vault.read_only:  # nothing received could be stored: say so, never try
            self.label.setText(describe(self._summary) + " · read-only: not syncing")
            self.action.setEnabled(False)
            return
        self.label.setText(describe(self._summary))
        self.timer.start()
        self.sync(asked=False)

    def stop(self) -> None:
        self.timer.stop()

    def sync(self, asked: bool) -> None:
        if self.running or self._summary is None:
            return
        self.running = True
        self.label.setText("Syncing…")
        self.ctx.session.background(
            lambda: sync_and_summarise(self.ctx.uow), self._done, lambda exc: self._failed(exc, asked)
        )

    def _with_notice(self, text: str) -> str:
        return f"{text} · {KEY_RENEWED}" if self.key_renewed else text

    def renewal_seen(self) -> None:
        """File ▸ Practice… showed the new version's fingerprint: the status bar stops saying it."""
        if self.key_renewed:
            self.key_renewed = False
            if not self.running:
                self.label.setText(self.label.text().removesuffix(f" · {KEY_RENEWED}"))

    def refresh(self) -> None:
        """Read the state again without syncing (a version kept aside was used or discarded), so the
        status bar's counts follow at once rather than at the next sync."""
        found = self.ctx.session.read(sync_state.summary)
        if found is None or self._summary is None or self.ctx.vault.read_only:
            return
        self._summary = found
        if not self.running:  # a sync under way shows the new counts when it ends
            self.label.setText(self._with_notice(describe(found, **self._how_ended)))

    def _done(self, result: Synced) -> None:
        self.running = False
        self._failing = False
        self._how_ended = {}
        self._summary = result.summary or self._summary
        assert self._summary is not None
        self.key_renewed = self.key_renewed or result.key_renewed
        self.label.setText(self._with_notice(describe(self._summary)))
        if result.received:
            for kind in RECEIVED_KINDS:  # practice-wide: every view of these kinds refreshes
                self.ctx.session.sig_changed.emit(Changed(kind, "", ""))
        else:
            self._sharing_followed(result.sharing)
        self._sharing = result.sharing
        self.sig_finished.emit()

    def _sharing_followed(self, sharing: KnownReaders | None) -> None:
        """The open overviews read their "Shared with" line again when what it says has changed (a
        share made elsewhere, or "as of the last sync" to add or drop): a client change, practice-wide."""
        if sharing is not None and sharing != self._sharing:
            self.ctx.session.sig_changed.emit(Changed(Kind.CLIENT, "", ""))

    def _failed(self, exc: BaseException, asked: bool) -> None:
        self.running = False
        assert self._summary is not None
        offline, removed = sync_state.is_offline(exc), sync_state.is_removed(exc)
        self._how_ended = {"offline": offline, "failed": not offline, "removed": removed}
        self.label.setText(self._with_notice(describe(self._summary, offline=offline, failed=not offline,
                                                      removed=removed)))
        sharing = self.ctx.session.read(sync_state.sharing_seen)  # now "as of the last sync"
        self._sharing_followed(sharing)
        self._sharing = sharing
        self.sig_finished.emit()
        if removed:
            self.timer.stop()  # no sync every five minutes that can only fail again
        state = offline or removed or sync_state.is_waiting(exc)
        if state and not asked:
            return  # a laptop away from the office, not added yet, removed: a state, not an error
        if asked or not self._failing:
            self.ctx.errors.present(exc)
        self._failing = not state
