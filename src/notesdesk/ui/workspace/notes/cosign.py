"""Co-sign… under a signed note of another clinician: a supervisor's co-signature (services/cosign.py),
after a confirmation that says what it means, written through the session like every write. Not
offered under a note signed with this vault's own key (the service refuses it too)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QPushButton

from notesdesk.core.domain.notes import SessionNote
from notesdesk.core.services import cosign, supervision
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind
from notesdesk.ui.workspace.widgets import Confirm, named


def question(note: SessionNote) -> str:
    signer = f", signed by {note.signature.signer}" if note.signature is not None else ""
    return (f"Co-sign the note of {note.session_date.isoformat()}{signer}? Your co-signature says you "
            "reviewed this note as its supervisor. It is signed with your key, added under the note, "
            "sent to its clinician at the next sync, and cannot be changed or removed.")


class CosignButton(QPushButton):
    def __init__(self, ctx: AppContext, client_id: str, confirm: Confirm,
                 done: Callable[[str], None]) -> None:
        super().__init__("C&o-sign…")
        named(self, "Co-sign note", "Co-sign this colleague's note as their supervisor")
        self._session = ctx.session.for_client(client_id)
        self._confirm, self._done = confirm, done
        self._note: SessionNote | None = None
        self.clicked.connect(self.cosign)
        self.hide()

    def show_for(self, note: SessionNote | None) -> None:
        """Offered under a signed note of another clinician only."""
        self._note = note
        offered = note is not None and bool(self._session.read(supervision.may_cosign, note))
        self.setVisible(offered)

    def cosign(self) -> bool:
        note = self._note
        if note is None or not self._confirm(self, "Co-sign note", question(note)):
            return False
        added = self._session.write(cosign.cosign_note, note.id, change=Kind.NOTE, object_id=note.id)
        if added is None:
            return False
        self._done(note.id)
        return True
