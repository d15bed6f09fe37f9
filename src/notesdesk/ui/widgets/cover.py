"""What the main window shows while a session ends (lock, close, restore): one neutral sentence and
nothing else. The final backup can take seconds on a big vault; during them no client's name, note
or count stays on screen, and no dialog or preview of the window stays open."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from notesdesk.ui.widgets.labels import heading

LOCKING = "Locking NotesDesk… making a backup"
CLOSING = "Closing NotesDesk… making a backup"
RESTORING = "Restoring the backup…"


class SessionCover(QWidget):
    """A plain page with one line of text; never anything about a client."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message: QLabel = heading("", self, factor=1.3)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def set_text(self, text: str) -> None:
        self.message.setText(text)
        self.message.setAccessibleName(text)


def hide_child_windows(window: QWidget) -> None:
    """Hide every dialog, preview and popup that belongs to `window` (its own child windows, at any
    depth): they may show a client's record. A dialog in a nested event loop returns from it."""
    for child in window.findChildren(QWidget):
        if child.isWindow() and child.isVisible():
            child.hide()
