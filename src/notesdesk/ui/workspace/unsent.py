"""Text typed into a box whose button signs or records something (an addendum under a signed note, a
plan-review summary). It is kept sealed in the vault on the note editor's autosave cadence and by
save_all_drafts (before a lock, which ends the process), and put back when the user returns to the
note or plan. It is never added, signed or recorded on the user's behalf."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit

from notesdesk.core.domain.pending import PendingKind, PendingText
from notesdesk.core.services import pending
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import QuietRetries, ran
from notesdesk.ui.workspace.widgets import Autosaver

NOT_KEPT = "This text is NOT kept yet — it is still here; nothing was added."


class UnsentText(QObject):
    """Binds one text box (and the choice typed with it) to the kept text of its target: the note
    the addendum is for, or the plan under review. `attach` switches target, `flush` keeps what is
    typed, `forget` empties the box after its text was used, `discard` throws it away."""

    def __init__(
        self,
        ctx: AppContext,
        client_id: str,
        kind: PendingKind,
        edit: QPlainTextEdit,
        status: QLabel,
        restored: str,
        choice: QComboBox | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx, self._client_id, self._kind = ctx, client_id, kind
        self._session = ctx.session.for_client(client_id)
        self._edit, self._status, self._restored, self._choice = edit, status, restored, choice
        self._target: str | None = None
        self._loading = False
        self._retries = QuietRetries()
        self.autosaver = Autosaver(ctx.prefs.autosave_seconds, self._save, self)
        status.setWordWrap(True)
        status.hide()
        edit.textChanged.connect(self._on_edited)
        if choice is not None:
            choice.currentIndexChanged.connect(self._on_edited)

    @property
    def target_id(self) -> str | None:
        return self._target

    @property
    def dirty(self) -> bool:
        return self.autosaver.dirty

    def attach(self, target_id: str | None) -> bool:
        """Show the box for this target (None: no box), with the text kept for it. The previous
        target's text is kept first; False (the text stays on screen) when that failed."""
        if target_id == self._target:
            return True
        if not self.flush():
            return False
        self._target = target_id
        self._retries.reset()
        kept: PendingText | None = None
        if target_id is not None:  # None also when reading failed (the presenter said why)
            kept = self._session.read(pending.get_pending, self._client_id, self._kind, target_id)
        if kept is None:
            self._fill("", "")
            self._say("")
        elif (kept.text, kept.choice) != (self._edit.toPlainText(), self._current_choice()):
            self._fill(kept.text, kept.choice)
            self._say(self._restored)
        # else: the same text is on screen already (the review box when another plan becomes active)
        return True

    def flush(self) -> bool:
        return self.autosaver.flush()

    def forget(self) -> None:
        """The text was added or recorded (its kept copy went in the same step): empty the box."""
        self.autosaver.reset()
        self._fill("", "")
        self._say("")

    def discard(self) -> bool:
        """The user threw the text away: remove the kept copy and empty the box."""
        self.autosaver.reset()
        if self._target is not None and not self._ctx.vault.read_only:
            # change=None: kept text is shown only here, by this box.
            dropped = self._session.write(pending.discard_pending, self._client_id, self._kind, self._target,
                                          change=None)
            if dropped is None:
                self.autosaver.dirty = True  # still typed, still to be kept
                return False
        self.forget()
        return True

    # -- internals ----------------------------------------------------------------------------------

    def _current_choice(self) -> str:
        return str(self._choice.currentData() or "") if self._choice is not None else ""

    def _fill(self, text: str, choice: str) -> None:
        self._loading = True
        try:
            if self._edit.toPlainText() != text:
                self._edit.setPlainText(text)
            if self._choice is not None:
                index = self._choice.findData(choice)
                if choice or index >= 0:  # no choice kept: back to a "choose…" item, if there is one
                    self._choice.setCurrentIndex(max(0, index))
        finally:
            self._loading = False

    def _say(self, text: str) -> None:
        self._status.setText(text)
        self._status.setVisible(bool(text))

    def _on_edited(self, *_args: object) -> None:
        if self._loading or self._target is None or self._ctx.vault.read_only:
            return
        self.autosaver.poke()

    def _save(self) -> bool:
        target = self._target
        if target is None or self._ctx.vault.read_only:
            return True
        text, choice = self._edit.toPlainText(), self._current_choice()
        # ran(): blank text keeps nothing (None) and is still a success.
        ok = self._session.write(ran(pending.save_pending), self._client_id, self._kind, target, text, choice,
                                 change=None, quiet=self._retries) is True
        if not ok:
            self._say(NOT_KEPT)
        elif self._status.text() == NOT_KEPT:
            self._say("")
        return ok
