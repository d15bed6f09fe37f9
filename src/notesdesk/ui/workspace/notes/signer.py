"""A signature is refused until the practitioner's name and credentials are set: the bar says why
and offers the form (ui/widgets/practitioner.py). Nothing is signed "by Practitioner"."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from notesdesk.core.services.profile import update_fields
from notesdesk.ui.context import AppContext
from notesdesk.ui.widgets.labels import InlineMessage
from notesdesk.ui.widgets.practitioner import WHY_SIGNER, PractitionerDialog, can_sign

REFUSED = "Not signed. " + WHY_SIGNER


class SignerBar(QWidget):
    """Hidden until a signature is refused; its button opens the practitioner's details."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.message = InlineMessage(self)
        self.fill_button = QPushButton("Fill in your &details…")
        self.fill_button.setAccessibleName("Fill in your name and credentials")
        self.fill_button.clicked.connect(self.open_details)
        self.dialog: PractitionerDialog | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.fill_button)
        self.hide()

    def ready(self) -> bool:
        """True when a signature can name its signer; otherwise the bar shows and says why."""
        if can_sign(self._ctx.vault.profile()):
            self.hide()
            return True
        self.message.show_message(REFUSED)
        self.show()
        self.fill_button.setFocus()
        return False

    def open_details(self) -> None:
        self.dialog = PractitionerDialog(self._ctx.vault.profile(), self._save, self)
        self.dialog.accepted.connect(self._on_saved)
        self.dialog.open()

    def _save(self, changed: dict[str, str | int]) -> bool:
        try:
            self._ctx.session.perform(update_fields, changed, change=None, client_id="")
        except Exception as exc:
            self._ctx.errors.present(exc, title="Your details were not saved")
            return False
        return True

    def _on_saved(self) -> None:
        if can_sign(self._ctx.vault.profile()):
            self.hide()
