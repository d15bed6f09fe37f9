"""Where the main window opens: where it was last time on this screen (one saved geometry per screen
size, so a laptop on and off its monitor each keep their own), else filling a small screen, else most
of a large one. Geometry only: never anything about a client."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QResizeEvent, QScreen
from PySide6.QtWidgets import QWidget

from notesdesk.ui.prefs import Preferences

SMALL_SCREEN_WIDTH = 1440  # up to this wide (logical pixels), the window opens maximised


def _screen(window: QWidget) -> QScreen | None:
    return window.screen() or QGuiApplication.primaryScreen()


def screen_key(window: QWidget) -> str:
    """'main/1366x768': the window's saved geometry for a screen of this size."""
    screen = _screen(window)
    if screen is None:
        return "main"
    size = screen.geometry().size()
    return f"main/{size.width()}x{size.height()}"


# The window's own rectangle, not Qt's saveGeometry(): restored before the window is shown, that
# one came back a few pixels lower after every lock (the frame is not known yet), so the window crept.
PLACE = "nd-place:"


def save_window(window: QWidget, prefs: Preferences) -> None:
    maximised = bool(window.windowState() & Qt.WindowState.WindowMaximized)
    rect = window.normalGeometry() if maximised and window.normalGeometry().isValid() else window.geometry()
    place = f"{PLACE}{rect.x()},{rect.y()},{rect.width()},{rect.height()},{int(maximised)}"
    prefs.save_geometry(screen_key(window), place.encode("ascii"))


def _put_back(window: QWidget, saved: bytes) -> bool:
    """The saved place applied; False when there is none that can be read."""
    text = saved.decode("ascii", "replace")
    if not text.startswith(PLACE):  # saved by an earlier release: Qt's own format
        return window.restoreGeometry(QByteArray(saved))
    try:
        x, y, width, height, maximised = (int(part) for part in text[len(PLACE):].split(","))
    except ValueError:
        return False
    if width <= 0 or height <= 0:
        return False
    window.setGeometry(QRect(x, y, width, height))
    if maximised:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    return True


def restore_window(window: QWidget, prefs: Preferences) -> None:
    screen = _screen(window)
    saved = prefs.geometry(screen_key(window))
    restored = bool(saved) and _put_back(window, saved or b"")
    if restored and (screen is None or screen.availableGeometry().intersects(window.geometry())):
        return  # back where it was (a screen since unplugged leaves it at the default below)
    if screen is None:
        return
    area = screen.availableGeometry()
    if area.width() <= SMALL_SCREEN_WIDTH:  # every pixel counts on a laptop screen
        window.resize(area.width(), area.height())
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    else:
        window.resize(area.width() * 4 // 5, area.height() * 4 // 5)


class _OnScreen(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._before: QSize | None = None  # the size it had before its layout pushed it wider or taller
        self._queued = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is not self._window:
            return False
        if isinstance(event, QResizeEvent) and self._before is None and event.oldSize().isValid():
            grown, least = event.size(), self._window.minimumSize()
            pushed = (grown.width() > event.oldSize().width() and grown.width() <= least.width()) or (
                grown.height() > event.oldSize().height() and grown.height() <= least.height())
            if pushed:  # Qt made it as big as its layout's minimum; the person did not ask for it
                self._before = event.oldSize()
        if self._before is not None and not self._queued and event.type() in (
                QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self._queued = True
            QTimer.singleShot(0, self, self._fit)  # once the layouts have settled (never after the window)
        return False

    def _fit(self) -> None:
        self._queued = False
        window, before = self._window, self._before
        if before is None or not window.isVisible():
            return
        least = window.minimumSizeHint()
        size = QSize(max(before.width(), least.width()), max(before.height(), least.height()))
        size = size.boundedTo(window.size())
        if size == before:
            self._before = None  # back as it was
        if size != window.size():
            window.resize(size)


def keep_on_screen(window: QWidget) -> None:
    """A window that a passing layout pushed past its size (the minimum of a form on its way to
    wrapping, say: past the edge of a 1024-pixel screen) goes back to the size it had as soon as its
    contents allow: a layout that holds still. Qt grows a window to its layout's minimum but never
    shrinks it back. A size the person chose is left alone."""
    _OnScreen(window)
