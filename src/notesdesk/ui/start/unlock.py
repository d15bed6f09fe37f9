"""Unlock with the passphrase; or with the recovery key, then choose a new passphrase."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk.ui.widgets.labels import InlineMessage, Notice, heading, monospace, paragraph
from notesdesk.ui.widgets.passphrase import PassphraseField, PassphraseForm


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    return button


class UnlockPage(QWidget):
    sig_submitted = Signal(str)
    """Try to unlock with this passphrase."""
    sig_forgot = Signal()
    """The person wants to use the recovery key."""

    def __init__(self, vault_path: Path, demo_hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.passphrase = PassphraseField("Passphrase", self)
        self.message = InlineMessage(self)
        self.unlock_button = _button("&Unlock", "Unlock")
        self.unlock_button.setDefault(True)
        self.forgot_button = _button("&Forgot passphrase?", "Forgot passphrase")
        self.forgot_button.setFlat(True)
        self.passphrase.returnPressed.connect(self._on_submit)
        self.passphrase.textChanged.connect(lambda _t: self.message.clear())
        self.unlock_button.clicked.connect(self._on_submit)
        self.forgot_button.clicked.connect(self.sig_forgot)

        layout = QVBoxLayout(self)
        layout.addWidget(heading("Unlock NotesDesk"))
        where = paragraph(f"Vault: {vault_path}")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)
        if demo_hint:
            layout.addWidget(paragraph(demo_hint))
        layout.addSpacing(self.fontMetrics().height())
        _entry_block(
            layout,
            "&Passphrase:",
            self.passphrase,
            self.passphrase.edit,
            self.message,
            self.forgot_button,
            self.unlock_button,
        )

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        self.passphrase.setFocus()

    def show_wrong(self, message: str) -> None:
        self.message.show_message(message)
        self.passphrase.edit.selectAll()
        self.passphrase.setFocus()

    def _on_submit(self) -> None:
        if self.passphrase.text():
            self.message.clear()
            self.sig_submitted.emit(self.passphrase.text())
        else:
            self.message.show_message("Type your passphrase.")


def _entry_block(
    layout: QVBoxLayout,
    label: str,
    field: QWidget,
    buddy: QWidget,
    message: QWidget,
    secondary: QWidget,
    main: QWidget,
) -> None:
    """A labelled entry, its inline message, then a row with the secondary and the main button."""
    form = QFormLayout()
    form.addRow(label, field)
    label_widget = form.labelForField(field)
    if isinstance(label_widget, QLabel):
        label_widget.setBuddy(buddy)
    layout.addLayout(form)
    layout.addWidget(message)
    row = QHBoxLayout()
    row.addWidget(secondary)
    row.addStretch(1)
    row.addWidget(main)
    layout.addLayout(row)
    layout.addStretch(1)


class RecoveryPage(QWidget):
    sig_submitted = Signal(str)
    """Try to unlock with this recovery key."""
    sig_back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = QLineEdit(self)
        self.key.setFont(monospace(1.2))
        self.key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.key.setAccessibleName("Recovery key")
        self.message = InlineMessage(self)
        self.unlock_button = _button("&Unlock with recovery key", "Unlock with recovery key")
        self.unlock_button.setDefault(True)
        self.back = _button("&Back", "Back")
        self.back.setShortcut(QKeySequence("Alt+Left"))
        self.key.returnPressed.connect(self._on_submit)
        self.key.textChanged.connect(lambda _t: self.message.clear())
        self.unlock_button.clicked.connect(self._on_submit)
        self.back.clicked.connect(self.sig_back)

        layout = QVBoxLayout(self)
        layout.addWidget(heading("Unlock with your recovery key"))
        layout.addWidget(
            paragraph(
                "Type the recovery key you saved or printed when you created the vault. Groups can "
                "be typed with or without dashes. You will then choose a new passphrase."
            )
        )
        layout.addSpacing(self.fontMetrics().height())
        _entry_block(
            layout, "Recovery &key:", self.key, self.key, self.message, self.back, self.unlock_button
        )

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        self.key.setFocus()

    def show_wrong(self, message: str) -> None:
        self.message.show_message(message)
        self.key.setFocus()

    def _on_submit(self) -> None:
        if self.key.text().strip():
            self.sig_submitted.emit(self.key.text())
        else:
            self.message.show_message("Type the recovery key.")


class NewPassphrasePage(QWidget):
    sig_submitted = Signal(str)
    """Set this as the vault's new passphrase."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = PassphraseForm("&Set new passphrase", self)
        self.form.sig_submitted.connect(self.sig_submitted)
        # What a damaged header held, found when the recovery key opened the vault; the repair is
        # saved with the new passphrase (core/storage/header_repair.py).
        self.repair = Notice(self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Choose a new passphrase"))
        layout.addWidget(
            paragraph(
                "The recovery key opened your vault. Choose a new passphrase for every day; "
                "your recovery key stays the same, so keep it safe."
            )
        )
        layout.addWidget(self.repair)
        layout.addWidget(self.form)
        layout.addStretch(1)

    def show_repair(self, description: str) -> None:
        """Empty for an intact vault."""
        if description:
            description += " The repair is saved with your new passphrase."
        self.repair.show_message(description)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        self.form.first.setFocus()
