"""The overview's "Shared with: Dr B. Okafor, clinician 3f2a91c0 (supervisor)" line, for a client of a
vault in a group practice (core/services/practice_view.py). Who can read a client is known only to the
server, so the line is asked for on the one background runner and fills in when it answers; a vault
outside a practice asks nothing and shows nothing. Clinicians' names are not the client's data: privacy
mode leaves them (it hides the client's names and words)."""

from __future__ import annotations

import time
import weakref

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from notesdesk.core.services import practice_view, sync_state
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind

OFFLINE = "Shared with: not known while the practice server is out of reach"
ONLY_YOU = "Not shared with any colleague"
QUIET_AFTER_OFFLINE_S = 60.0
"""After the server was out of reach, clients opened in the next minute do not ask again: each ask
waits up to the connection timeout on the one background runner, ahead of other slow work."""


_OFFLINE_UNTIL: weakref.WeakKeyDictionary[AppContext, float] = weakref.WeakKeyDictionary()
"""Per open vault (its context): until when (time.monotonic()) its server counts as out of reach."""


class SharingLine(QLabel):
    def __init__(self, ctx: AppContext, client_id: str) -> None:
        super().__init__()
        self._ctx, self._client_id = ctx, client_id
        self.setAccessibleName("Who can read this client")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # names as typed by colleagues, never markup
        self.hide()
        self.asking = False
        gone: list[bool] = []  # filled as the widget goes; read by a job waiting its turn
        self._gone = gone
        self.destroyed.connect(lambda: gone.append(True))
        summary = ctx.session.read(sync_state.summary)  # the vault's own sealed state: no server
        self.member = summary is not None and summary.member
        if self.member:
            # A share or a stop from the Share dialog, or a sync, announces the client as changed.
            ctx.session.for_client(client_id).on_change(self, (Kind.CLIENT,), self.refresh)
            self.refresh()

    def refresh(self) -> None:
        if self.asking or not self.member:
            return
        if time.monotonic() < _OFFLINE_UNTIL.get(self._ctx, 0.0):
            self.setText(OFFLINE)
            self.show()
            return
        self.asking = True
        ctx, client_id, gone = self._ctx, self._client_id, self._gone

        def ask() -> list[practice_view.Reader] | None:
            # Another client opened before this got its turn: nothing to ask for.
            return None if gone else practice_view.readers(ctx.uow(), client_id)

        ctx.session.background(ask, self._shown, self._failed)

    def _shown(self, found: list[practice_view.Reader] | None) -> None:
        if found is None or not shiboken6.isValid(self):
            return  # another client was opened meanwhile
        self.asking = False
        self.setText(practice_view.shared_with(found) or ONLY_YOU)
        self.show()

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.asking = False
        if sync_state.is_offline(exc):  # a laptop away from the office: a state, never a popup
            _OFFLINE_UNTIL[self._ctx] = time.monotonic() + QUIET_AFTER_OFFLINE_S
            self.setText(OFFLINE)
            self.show()
            return
        self.hide()
        self._ctx.errors.present(exc)
