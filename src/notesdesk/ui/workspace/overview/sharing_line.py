"""The overview's "Shared with: Dr B. Okafor, clinician 3f2a91c0 (supervisor)" line, for a client of a
vault in a group practice (core/services/practice_view.py). It reads the copy of who can read each
client that every sync keeps in the vault (core/sync/known_readers.py): no server is asked when a
client opens, so it is known away from the office too, and says "as of the last sync" when a sync has
failed since. A vault outside a practice shows nothing. Clinicians' names are not the client's data:
privacy mode leaves them (it hides the client's names and words)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from notesdesk.core.services import practice_view
from notesdesk.ui.context import AppContext
from notesdesk.ui.lifecycle.sync_status import when
from notesdesk.ui.session import Kind

ONLY_YOU = "Not shared with any colleague"
NOT_KNOWN_YET = "Shared with: not known until the next practice sync"


def line(found: practice_view.KnownReaders) -> str:
    """'Shared with: Dr Bob Ng', or with '(as of the last sync, 14:02)' when a sync failed since."""
    if found.filled_at is None:
        return NOT_KNOWN_YET
    text = practice_view.shared_with(found.readers) or ONLY_YOU
    return f"{text} (as of the last sync, {when(found.filled_at)})" if found.outdated else text


class SharingLine(QLabel):
    def __init__(self, ctx: AppContext, client_id: str) -> None:
        super().__init__()
        self._ctx, self._client_id = ctx, client_id
        self.setAccessibleName("Who can read this client")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # names as typed by colleagues, never markup
        self.hide()
        found = ctx.session.read(practice_view.known_readers, client_id)  # the vault alone: no server
        self.member = found is not None
        if self.member:
            # A share or a stop from the Share dialog, or a sync that changed who reads what, announces
            # the client as changed.
            ctx.session.for_client(client_id).on_change(self, (Kind.CLIENT,), self.refresh)
            self._show(found)

    def refresh(self) -> None:
        found = self._ctx.session.read(practice_view.known_readers, self._client_id)
        if found is None:
            self.hide()
            return
        self._show(found)

    def _show(self, found: practice_view.KnownReaders | None) -> None:
        if found is not None:
            self.setText(line(found))
            self.show()
