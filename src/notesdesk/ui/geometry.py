"""Where the main window opens: where it was last time on this screen (one saved geometry per screen
size, so a laptop on and off its monitor each keep their own), else filling a small screen, else most
of a large one. Geometry only: never anything about a client."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QGuiApplication, QScreen
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


def save_window(window: QWidget, prefs: Preferences) -> None:
    prefs.save_geometry(screen_key(window), bytes(window.saveGeometry().data()))


def restore_window(window: QWidget, prefs: Preferences) -> None:
    screen = _screen(window)
    saved = prefs.geometry(screen_key(window))
    restored = bool(saved) and window.restoreGeometry(QByteArray(saved or b""))
    if restored and (screen is None or screen.availableGeometry().intersects(window.frameGeometry())):
        return  # back where it was (a screen since unplugged leaves it at the default below)
    if screen is None:
        return
    area = screen.availableGeometry()
    if area.width() <= SMALL_SCREEN_WIDTH:  # every pixel counts on a laptop screen
        window.resize(area.width(), area.height())
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    else:
        window.resize(area.width() * 4 // 5, area.height() * 4 // 5)
