"""Passphrase entry: a masked field with show/hide, a strength meter, and the two-field form."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.crypto.kdf import normalised
from notesdesk.core.crypto.policy import passphrase_problem, strength
from notesdesk.ui.widgets.labels import InlineMessage

STRENGTH_WORDS = ("Very weak", "Weak", "Fair", "Good", "Strong")


class PassphraseField(QWidget):
    """A password-mode line edit and a checkable "Show" button."""

    textChanged = Signal(str)  # noqa: N815 (mirrors QLineEdit)
    returnPressed = Signal()  # noqa: N815

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(accessible_name)
        self.edit.textChanged.connect(self.textChanged)
        self.edit.returnPressed.connect(self.returnPressed)
        self.reveal = QToolButton(self)
        self.reveal.setText("Show")
        self.reveal.setCheckable(True)
        self.reveal.setAccessibleName(f"Show {accessible_name.lower()}")
        self.reveal.toggled.connect(self._on_reveal_toggled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.reveal)
        self.setFocusProxy(self.edit)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt naming)
        self.edit.setText(text)

    def clear(self) -> None:
        self.edit.clear()

    def _on_reveal_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.edit.setEchoMode(mode)
        self.reveal.setText("Hide" if shown else "Show")


class StrengthMeter(QProgressBar):
    """0-4 from core.crypto.policy.strength, with the word in the bar (not colour alone)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 4)
        self.setTextVisible(True)
        self.setAccessibleName("Passphrase strength")
        self.set_passphrase("")

    def set_passphrase(self, passphrase: str) -> None:
        score = strength(passphrase) if passphrase else 0
        self.setValue(score)
        word = STRENGTH_WORDS[score] if passphrase else "Type a passphrase"
        self.setFormat(word)
        self.setAccessibleDescription(word)


class PassphraseForm(QWidget):
    """New passphrase typed twice, strength shown, the reason it is not yet acceptable shown inline."""

    sig_submitted = Signal(str)
    """Emitted with the new passphrase when it is acceptable and both fields match."""

    def __init__(
        self,
        submit_text: str,
        parent: QWidget | None = None,
        labels: tuple[str, str] = ("&Passphrase:", "&Repeat it:"),
        names: tuple[str, str] = ("New passphrase", "Repeat the passphrase"),
        submit_below: bool = True,
    ) -> None:
        """`submit_below=False` leaves `submit` out of the layout, for a dialog's button box."""
        super().__init__(parent)
        self.first = PassphraseField(names[0], self)
        self.second = PassphraseField(names[1], self)
        self.meter = StrengthMeter(self)
        self.message = InlineMessage(self)
        self.submit = QPushButton(submit_text, self)
        self.submit.setAccessibleName(submit_text.replace("&", ""))
        self.submit.setDefault(True)
        self.submit.setAutoDefault(True)
        self.submit.setShortcut(QKeySequence("Ctrl+Return"))
        form = QFormLayout()
        form.addRow(labels[0], self.first)
        form.addRow("", self.meter)
        form.addRow(labels[1], self.second)
        for field in (self.first, self.second):
            label = form.labelForField(field)
            if isinstance(label, QLabel):
                label.setBuddy(field.edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.message)
        if submit_below:
            buttons = QHBoxLayout()
            buttons.addStretch(1)
            buttons.addWidget(self.submit)
            layout.addLayout(buttons)
        self.first.textChanged.connect(self._on_changed)
        self.second.textChanged.connect(self._on_changed)
        self.first.returnPressed.connect(self.second.setFocus)
        self.second.returnPressed.connect(self._on_submit)
        self.submit.clicked.connect(self._on_submit)
        self._on_changed()

    def problem(self) -> str | None:
        first, second = self.first.text(), self.second.text()
        trouble = passphrase_problem(first)
        if trouble:
            return trouble
        if normalised(first) != normalised(second):  # the same passphrase however accents were typed
            return "The two passphrases are not the same yet."
        return None

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()

    def _on_changed(self) -> None:
        first = self.first.text()
        self.meter.set_passphrase(first)
        problem = self.problem()
        self.submit.setEnabled(problem is None)
        # Say why only once the person has started typing.
        self.message.show_message(problem if first and problem else "")

    def _on_submit(self) -> None:
        if self.problem() is None:
            self.sig_submitted.emit(self.first.text())
