"""What the main window shows while a session ends (lock, close, restore): one neutral sentence and
nothing else. The final backup can take seconds on a big vault; during them no client's name, note
or count stays on screen, and no dialog or preview of the window stays open.

A held lock uses the same page: an involuntary lock (idle time, sleep, the screen locking) that could
not save something typed covers the window anyway, says what could not be saved (the presenter's
one-line messages, never client data) and waits for the passphrase; the text waits behind it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from notesdesk.ui.widgets.labels import InlineMessage, heading, paragraph
from notesdesk.ui.widgets.passphrase import PassphraseField

LOCKING = "Locking NotesDesk… making a backup"
CLOSING = "Closing NotesDesk… making a backup"
RESTORING = "Restoring the backup…"
HELD = "NotesDesk is locked"
HELD_WHY = (
    "Something typed could not be saved, so it waits behind this lock instead of being closed. "
    "Unlock with your passphrase to finish it:"
)
CHECKING = "Checking the passphrase…"
NOT_IT = "That is not the passphrase."


class SessionCover(QWidget):
    """A plain page with one line of text; never anything about a client. Held, it also shows what
    could not be saved and a passphrase field; `sig_unlock` carries what was typed there."""

    sig_unlock = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message: QLabel = heading("", self, factor=1.3)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.held = QWidget(self)
        self.why = paragraph(HELD_WHY, self.held)
        self.problems = InlineMessage(self.held)
        self.problems.setAccessibleName("Not saved")
        self.passphrase = PassphraseField("Passphrase", self.held)
        self.unlock_button = QPushButton("&Unlock", self.held)
        self.unlock_message = InlineMessage(self.held)
        held = QVBoxLayout(self.held)
        for widget in (self.why, self.problems, self.passphrase, self.unlock_button, self.unlock_message):
            held.addWidget(widget)
        self.held.setFixedWidth(self.fontMetrics().averageCharWidth() * 64)
        self.held.hide()
        centred = QHBoxLayout()  # stretches, not an alignment flag: the wrapped lines keep their height
        centred.addStretch(1)
        centred.addWidget(self.held)
        centred.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addLayout(centred)
        layout.addStretch(1)
        self.unlock_button.clicked.connect(self._on_unlock)
        self.passphrase.returnPressed.connect(self._on_unlock)
        self.passphrase.textChanged.connect(lambda _text: self.unlock_message.clear())

    def set_text(self, text: str) -> None:
        self.message.setText(text)
        self.message.setAccessibleName(text)
        self.held.hide()

    def hold(self, problems: list[str]) -> None:
        """Show the held lock: what could not be saved, and the passphrase field."""
        self.set_text(HELD)
        self.problems.show_message("\n".join(dict.fromkeys(problems)))
        self.passphrase.clear()
        self.unlock_message.clear()
        self.set_checking(False)
        self.held.show()
        self.passphrase.setFocus()

    def set_checking(self, busy: bool) -> None:
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        if busy:
            self.unlock_message.show_message(CHECKING)

    def refuse(self) -> None:
        self.set_checking(False)
        self.passphrase.clear()
        self.unlock_message.show_message(NOT_IT)
        self.passphrase.setFocus()

    def release(self) -> None:
        self.passphrase.clear()
        self.unlock_message.clear()
        self.held.hide()

    def _on_unlock(self) -> None:
        if self.passphrase.text() and self.unlock_button.isEnabled():
            self.sig_unlock.emit(self.passphrase.text())


def hide_child_windows(window: QWidget) -> list[QWidget]:
    """Hide every dialog, preview and popup that belongs to `window` (its own child windows, at any
    depth): they may show a client's record. A dialog in a nested event loop returns from it.
    Returns what was hidden (a held lock shows it again once unlocked)."""
    hidden = []
    for child in window.findChildren(QWidget):
        if child.isWindow() and child.isVisible():
            child.hide()
            hidden.append(child)
    return hidden
