"""What the crash soak (tests/ui/crash_soak.py) uses to act as a user would on a Qt window: pumping
events, waiting on conditions, typing any character, finding what is on screen, answering the boxes
a click opens, and counting what the app's presenter said."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QMessageBox, QWidget

from notesdesk.ui.errors import ErrorPresenter

WAIT_MS = 15_000
# Dynamic properties the soak sets on windows: opened on purpose, being answered, existed before.
ALLOWED, PENDING, SEEN = "soakAllowed", "soakPending", "soakSeen"


class Failure(Exception):
    pass


def pump(times: int = 2) -> None:
    for _ in range(times):
        QApplication.processEvents()
        QApplication.sendPostedEvents()


def wait_for(condition: Callable[[], object], what: str, timeout_ms: int = WAIT_MS) -> None:
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise Failure(f"timed out waiting for {what}")
        QTest.qWait(5)


def type_chars(widget: QWidget, text: str) -> None:
    """Key presses carrying each character, as a keyboard layout sends them (QTest.keyClicks only
    knows ASCII and aborts on "é")."""
    for char in text:
        key = ord(char.upper()) if char.isascii() and char.isalnum() else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


def mark_windows() -> None:
    """Tag every window that exists now, so that new_windows() finds those opened after. (Python ids
    of Qt wrappers are reused as soon as a wrapper is freed: a property on the object is not.)"""
    for widget in QApplication.topLevelWidgets():
        widget.setProperty(SEEN, True)


def new_windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if not w.property(SEEN)]


def on_screen[W: QWidget](root: QWidget, kind: type[W]) -> list[W]:
    return [w for w in root.findChildren(kind) if w.isVisible() and w.isEnabled()]


def centre_of_row(view: QAbstractItemView, row: int) -> QPoint | None:
    model = view.model()
    if model is None or row >= model.rowCount():
        return None
    index = model.index(row, 0)
    view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
    rect = view.visualRect(index)
    return rect.center() if rect.isValid() and not rect.isEmpty() else None


class RecordingPresenter(ErrorPresenter):
    """The app's presenter, not interactive, counting what it said: a therapist's own slips (a date
    that cannot be, a required field left empty) are expected of a monkey; "Something went wrong"
    is a bug."""

    def __init__(self) -> None:
        super().__init__(interactive=False)
        self.said: Counter[str] = Counter()

    def present(self, exc: BaseException, title: str = "NotesDesk") -> None:
        super().present(exc, title)
        self.said[f"{type(exc).__name__}: {self.last_message}"] += 1

    def unexpected(self) -> list[str]:
        return [m for m in self.said if "Something went wrong" in m]


class ModalCloser:
    """Answers every message box or dialog that the soak did not open on purpose, as soon as it is
    the active modal or popup widget, nested exec() or not: a question that offers to discard what
    the soak typed gets "Discard", any other gets its escape answer (no, cancel, keep); a dialog is
    rejected. The answer is given from a zero-delay timer, so that while it runs (a reject that asks
    a question of its own) this timer can still answer the next box: Qt does not re-enter a timer."""

    def __init__(self) -> None:
        self.allowed_kind: type[QWidget] | None = None  # a window the soak is waiting for
        self.closed = 0
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self.close_strays)
        self.timer.start()

    def close_strays(self) -> None:
        for widget in (QApplication.activeModalWidget(), QApplication.activePopupWidget()):
            if widget is None or widget.property(ALLOWED) or widget.property(PENDING):
                continue
            if self.allowed_kind is not None and isinstance(widget, self.allowed_kind):
                continue
            widget.setProperty(PENDING, True)
            QTimer.singleShot(0, lambda widget=widget: self._answer(widget))

    @staticmethod
    def allow(widget: QWidget, on: bool = True) -> None:
        if shiboken6.isValid(widget):
            widget.setProperty(ALLOWED, on)

    def _answer(self, widget: QWidget) -> None:
        try:
            if not shiboken6.isValid(widget) or not widget.isVisible():
                return
            self.closed += 1
            if isinstance(widget, QMessageBox):
                discard = next((b for b in widget.buttons()
                                if widget.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
                                and "discard" in b.text().lower()), None)
                button = discard or widget.escapeButton()
                if button is not None:
                    button.click()
                else:
                    widget.reject()
            elif isinstance(widget, QDialog):
                widget.reject()
            else:
                widget.close()
        finally:
            if shiboken6.isValid(widget):
                widget.setProperty(PENDING, False)
