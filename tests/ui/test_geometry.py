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


def test_the_main_window_reopens_in_the_same_place_after_a_lock(
    qtbot, ctx, make_window, relaunch, prefs, runner, errors, ui_vault_path
) -> None:
    """Issue 15 item 5, with the real window: a lock saves its place (for this screen's size) and
    the window of the next unlock opens there; the preferences hold geometry, never a client."""
    from notesdesk.core.domain.clients import Client
    from notesdesk.core.services import clients
    from notesdesk.core.storage.vault import Vault
    from notesdesk.ui.context import AppContext
    from notesdesk.ui.lifecycle.os_lock import SystemLockWatcher
    from notesdesk.ui.main_window import MainWindow
    from tests.ui.conftest import PASSPHRASE

    clients.add_client(ctx.uow(), Client(name="Wilhelmina Quarrington"))
    window = make_window()
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.setGeometry(QRect(30, 20, 700, 520))
    qtbot.waitUntil(lambda: window.geometry() == QRect(30, 20, 700, 520))
    assert window.lock()
    assert relaunch.paths == [ui_vault_path]

    vault = Vault.open(ui_vault_path, passphrase=PASSPHRASE)
    again = MainWindow(AppContext(vault=vault, runner=runner, errors=errors, prefs=prefs), relaunch=relaunch,
                       system_lock=SystemLockWatcher(bus_signals=()))
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.geometry() == QRect(30, 20, 700, 520)
    assert not again.windowState() & Qt.WindowState.WindowMaximized
    stored = prefs._settings  # noqa: SLF001 (what is written to disk, every key)
    values = " ".join(f"{k}={stored.value(k)!r}" for k in stored.allKeys())
    assert "main/" in values and "Wilhelmina" not in values and "Quarrington" not in values
    again._shut = True  # noqa: SLF001 (no backup or relaunch when the test closes it)
    vault.close()
