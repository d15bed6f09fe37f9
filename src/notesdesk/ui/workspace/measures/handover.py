"""Handing the laptop to the client: the questionnaire alone in its own full-screen window, and the
clinical record covered meanwhile.

The client's window is application-modal, so even out of full screen nothing behind it takes a click
or a key; the window it came from shows one neutral line and nothing else — no client's name, no
flags — until the clinician takes the laptop back. The client cannot close the window or stop the
questionnaire: they hand the laptop back, and the clinician takes it with a clearly labelled button.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from notesdesk.ui.workspace.measures.form import AdministerForm
from notesdesk.ui.workspace.measures.options import scaled_font
from notesdesk.ui.workspace.widgets import named

IN_PROGRESS = "Questionnaire in progress"
TAKE_BACK = "Therapist: take the laptop back"


class WindowCover(QWidget):
    """Hides everything `window` shows behind one neutral line until remove() (never a client's name).

    The window's own parts are hidden, not just painted over, so nothing of the record can be read,
    reached with the keyboard or found by a screen reader meanwhile."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._hidden = [w for w in window.findChildren(
            QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                        if w is not self and not w.isWindow() and not w.isHidden()]
        for widget in self._hidden:
            widget.hide()
        self.setAccessibleName(IN_PROGRESS)
        self.setAutoFillBackground(True)
        self.message = QLabel(IN_PROGRESS)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setFont(scaled_font(self.message, 1.3, bold=True))
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._window and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._window.rect())
        return False

    def remove(self) -> None:
        self._window.removeEventFilter(self)
        for widget in self._hidden:
            with contextlib.suppress(RuntimeError):  # a part the window has deleted meanwhile
                widget.show()
        self.hide()
        self.deleteLater()


class ClientWindow(QWidget):
    """The questionnaire on its own, full screen, for the client to fill in; then a hand-back page."""

    sig_taken_back = Signal()
    """The clinician pressed 'take the laptop back' (half way through, or after the thank-you)."""

    def __init__(self, parent: QWidget, form: AdministerForm) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Questionnaire")
        self.setAccessibleName("Questionnaire for the client")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self._releasing = False
        self.take_back_button = named(QPushButton(TAKE_BACK), "Take the laptop back",
                                      "For the therapist: the answers given so far are kept")
        self.take_back_button.setMinimumHeight(40)
        filling = QWidget()
        column = QVBoxLayout(filling)
        column.setContentsMargins(0, 0, 0, 8)
        column.addWidget(form, 1)
        column.addWidget(self.take_back_button, 0, Qt.AlignmentFlag.AlignRight)
        self.stack = QStackedWidget()
        self.stack.addWidget(filling)
        self.thanks = QLabel()
        self.thanks.setWordWrap(True)
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thanks.setFont(scaled_font(self.thanks, 1.8))
        self.back_button = named(QPushButton(TAKE_BACK), "Take the laptop back")
        self.back_button.setMinimumHeight(56)
        page = QWidget()
        column = QVBoxLayout(page)
        column.addStretch(1)
        column.addWidget(self.thanks)
        column.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignCenter)
        column.addStretch(1)
        self.stack.addWidget(page)
        QVBoxLayout(self).addWidget(self.stack)
        self.take_back_button.clicked.connect(self.sig_taken_back)
        self.back_button.clicked.connect(self.sig_taken_back)

    @property
    def finished(self) -> bool:
        return self.stack.currentIndex() == 1

    def hand_back(self, message: str) -> None:
        self.thanks.setText(message)
        self.stack.setCurrentIndex(1)

    def release(self) -> None:
        """Close for good (the clinician has the laptop again)."""
        self._releasing = True
        self.close()
        self.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # Closing the window would leave the record covered with nobody to take it back: only the
        # clinician's button ends the hand-over.
        if self._releasing:
            event.accept()
        else:
            event.ignore()
