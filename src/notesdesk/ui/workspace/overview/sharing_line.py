"""The overview's "Shared with: Dr B. Okafor, clinician 3f2a91c0 (supervisor)" line, for a client of a
vault in a group practice (core/services/practice_view.py). Who can read a client is known only to the
server, so the line is asked for on the one background runner and fills in when it answers; a vault
outside a practice asks nothing and shows nothing. Clinicians' names are not the client's data: privacy
mode leaves them (it hides the client's names and words)."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QLabel

from notesdesk.core.services import practice_view, sync_state
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind

OFFLINE = "Shared with: not known while the practice server is out of reach"
ONLY_YOU = "Not shared with any colleague"


class SharingLine(QLabel):
    def __init__(self, ctx: AppContext, client_id: str) -> None:
        super().__init__()
        self._ctx, self._client_id = ctx, client_id
        self.setAccessibleName("Who can read this client")
        self.setWordWrap(True)
        self.hide()
        self.asking = False
        summary = ctx.session.read(sync_state.summary)  # the vault's own sealed state: no server
        self.member = summary is not None and summary.member
        if self.member:
            # A share or a stop from the Share dialog, or a sync, announces the client as changed.
            ctx.session.for_client(client_id).on_change(self, (Kind.CLIENT,), self.refresh)
            self.refresh()

    def refresh(self) -> None:
        if self.asking or not self.member:
            return
        self.asking = True
        ctx, client_id = self._ctx, self._client_id
        ctx.session.background(lambda: practice_view.readers(ctx.uow(), client_id), self._shown,
                               self._failed)

    def _shown(self, found: list[practice_view.Reader]) -> None:
        if not shiboken6.isValid(self):
            return  # another client was opened meanwhile
        self.asking = False
        self.setText(practice_view.shared_with(found) or ONLY_YOU)
        self.show()

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.asking = False
        if sync_state.is_offline(exc):  # a laptop away from the office: a state, never a popup
            self.setText(OFFLINE)
            self.show()
            return
        self.hide()
        self._ctx.errors.present(exc)
