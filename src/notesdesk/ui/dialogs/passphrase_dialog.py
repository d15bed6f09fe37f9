"""Change the vault passphrase: the current one is checked first, key derivation off the UI thread."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.errors import WrongPassphrase
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.context import AppContext
from notesdesk.ui.widgets.labels import InlineMessage, paragraph
from notesdesk.ui.widgets.passphrase import PassphraseField, PassphraseForm

DONE = ("Your passphrase was changed. Use the new one from the next unlock; your recovery key "
        "stays the same.")


class ChangePassphraseDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change passphrase")
        self._ctx = ctx
        self.current = PassphraseField("Current passphrase", self)
        self.current_message = InlineMessage(self)
        self.form = PassphraseForm(
            "&Change passphrase", self,
            labels=("&New passphrase:", "New passphrase &again:"),
            names=("New passphrase", "New passphrase again"),
            submit_below=False,
        )
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName("Working")
        self.busy.hide()
        # The platform's order (Cancel left of the action on Linux and macOS, right of it on Windows).
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.addButton(self.form.submit, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.rejected.connect(self.reject)
        top = QFormLayout()
        top.addRow("C&urrent passphrase:", self.current)
        label = top.labelForField(self.current)
        if isinstance(label, QLabel):
            label.setBuddy(self.current.edit)
        layout = QVBoxLayout(self)
        layout.addWidget(
            paragraph("Your recovery key stays the same. The new passphrase is needed from the next unlock.")
        )
        layout.addLayout(top)
        layout.addWidget(self.current_message)
        layout.addWidget(self.form)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self.current.textChanged.connect(lambda _t: self.current_message.clear())
        self.form.sig_submitted.connect(self._on_submit)
        self.current.setFocus()

    def _on_submit(self, new_passphrase: str) -> None:
        current = self.current.text()
        if not current:
            self.current_message.show_message("Type your current passphrase first.")
            return
        vault = self._ctx.vault

        def work() -> None:
            # Proves the current passphrase without taking the vault's lock (read-only open).
            Vault.open(vault.path, passphrase=current, read_only=True).close()
            vault.change_passphrase(new_passphrase)

        self._set_busy(True)
        self._ctx.session.background(work, self._on_done, self._on_failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.current.setEnabled(not busy)
        self.form.setEnabled(not busy)
        self.form.submit.setEnabled(not busy and self.form.problem() is None)  # it sits in the button box

    def _on_done(self, _result: object) -> None:
        self._set_busy(False)
        self.accept()
        self._ctx.errors.inform(DONE, title="Passphrase changed")

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, WrongPassphrase):
            self.current_message.show_message("That is not the current passphrase.")
            self.current.setFocus()
        else:
            self._ctx.errors.present(exc)
