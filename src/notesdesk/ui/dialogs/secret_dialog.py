"""A small dialog asking what opens a backup: a passphrase, or the recovery key instead."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from notesdesk.ui.widgets.labels import paragraph
from notesdesk.ui.widgets.passphrase import PassphraseField

# (passphrase, recovery key): exactly one is set.
Secret = tuple[str | None, str | None]
# ask(parent, title, explanation) -> the secret, or None when the person cancelled. Injected so
# tests never block on a dialog.
AskSecret = Callable[[QWidget, str, str], Secret | None]


class SecretDialog(QDialog):
    def __init__(self, title: str, explanation: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.passphrase = PassphraseField("Passphrase", self)
        self.recovery_key = QLineEdit(self)
        self.recovery_key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.recovery_key.setAccessibleName("Recovery key")
        form = QFormLayout()
        form.addRow("&Passphrase:", self.passphrase)
        label = form.labelForField(self.passphrase)
        if isinstance(label, QLabel):
            label.setBuddy(self.passphrase.edit)
        form.addRow("or &recovery key:", self.recovery_key)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(paragraph(explanation))
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.passphrase.textChanged.connect(self._update)
        self.recovery_key.textChanged.connect(self._update)
        self.passphrase.returnPressed.connect(self.accept)
        self.recovery_key.returnPressed.connect(self.accept)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        self._update()
        self.passphrase.setFocus()

    def _update(self, *_args: object) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.passphrase.text() or self.recovery_key.text().strip()))

    def secret(self) -> Secret:
        if self.passphrase.text():
            return self.passphrase.text(), None
        return None, self.recovery_key.text().strip()

    def accept(self) -> None:
        if self.passphrase.text() or self.recovery_key.text().strip():
            super().accept()


def ask_secret(parent: QWidget, title: str, explanation: str) -> Secret | None:
    dialog = SecretDialog(title, explanation, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.secret()
    finally:
        dialog.passphrase.clear()
        dialog.deleteLater()
