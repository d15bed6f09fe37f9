"""The main window holds its place (issue 15, item 5): on a small screen it opens maximised; it
reopens where it was on the same screen (after a lock too: the relaunched window reads the same
preference); a geometry saved on a screen of another size is not used on this one."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from notesdesk.ui.geometry import keep_on_screen, restore_window, save_window, screen_key


def test_a_small_screen_opens_the_window_maximised(qtbot, prefs) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    restore_window(window, prefs)  # the offscreen screen is 800x600: small
    assert window.windowState() & Qt.WindowState.WindowMaximized


def test_it_reopens_where_it_was_on_this_screen_and_not_on_another(qtbot, prefs) -> None:
    first = QWidget()
    qtbot.addWidget(first)
    first.setGeometry(QRect(40, 30, 640, 420))
    save_window(first, prefs)
    size = first.screen().geometry().size()
    assert screen_key(first) == f"main/{size.width()}x{size.height()}"

    again = QWidget()
    qtbot.addWidget(again)
    restore_window(again, prefs)
    assert again.geometry().size() == first.geometry().size()
    assert not again.windowState() & Qt.WindowState.WindowMaximized

    prefs.save_geometry(screen_key(first), b"")  # only a geometry for another screen size is kept
    prefs.save_geometry("main/2560x1440", bytes(first.saveGeometry().data()))
    other = QWidget()
    qtbot.addWidget(other)
    restore_window(other, prefs)
    assert other.windowState() & Qt.WindowState.WindowMaximized  # this screen's default instead


def test_a_window_pushed_past_its_screen_comes_back_once_its_content_allows(qtbot) -> None:
    """Issue 15 item 5: a form on its way to wrapping asks for more width than the screen for a
    moment; Qt grows the window to it and left it there, wider than a 1024-pixel laptop screen."""
    window = QWidget()
    qtbot.addWidget(window)
    inner = QWidget()
    QVBoxLayout(window).addWidget(inner)
    keep_on_screen(window)
    area = window.screen().availableGeometry()
    window.resize(area.width() - 100, area.height() // 2)
    window.show()
    qtbot.waitExposed(window)
    inner.setMinimumWidth(area.width() + 60)  # the passing layout
    qtbot.waitUntil(lambda: window.width() > area.width())
    inner.setMinimumWidth(50)
    qtbot.waitUntil(lambda: window.width() <= area.width())
    assert window.height() == area.height() // 2  # only what was past the edge changed
