"""The demo looks like a demo (issue 15, item 4): a strip that cannot be dismissed says the clients
are made up, and the window has another tint; a real vault has neither, whatever the files are called."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QToolButton

from notesdesk.core.storage.vault import Vault
from notesdesk.demo import build_demo
from notesdesk.ui.context import AppContext
from notesdesk.ui.lifecycle.os_lock import SystemLockWatcher
from notesdesk.ui.main_window import MainWindow
from notesdesk.ui.widgets.demo import DEMO_BANNER, DemoStrip
from tests.ui.conftest import PASSPHRASE

WINDOW = QPalette.ColorRole.Window


def open_window(qtbot, vault, runner, errors, prefs):
    ctx = AppContext(vault=vault, runner=runner, errors=errors, prefs=prefs)
    window = MainWindow(ctx, relaunch=lambda _p: None, system_lock=SystemLockWatcher(bus_signals=()))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.search_keeper.building)
    return window


def test_the_demo_has_its_strip_and_tint_and_a_real_vault_has_neither(qtbot, tmp_path, runner, errors, prefs):
    # Named as a real vault would be: what marks the demo is inside the vault, not its file name.
    demo, _key = Vault.create(tmp_path / "practice.notesdesk", PASSPHRASE)
    build_demo(demo, clients=1)
    demo.close()
    demo = Vault.open(tmp_path / "practice.notesdesk", passphrase=PASSPHRASE)
    assert demo.is_demo
    window = open_window(qtbot, demo, runner, errors, prefs)
    [strip] = window.findChildren(DemoStrip)
    assert strip.isVisible() and strip.text() == DEMO_BANNER and "made-up clients" in strip.text()
    assert not strip.findChildren(QToolButton)  # nothing to dismiss it with
    # Made-up clients are never offered to a practice's server: no File ▸ Join a practice… here.
    assert not window.practice.join.isVisible()
    app_window = QApplication.palette().color(WINDOW)
    assert window.palette().color(WINDOW) != app_window
    assert window.host.palette().color(WINDOW) == window.palette().color(WINDOW)  # the whole window
    window._shut = True
    window.ctx.runner.wait()
    window.close()
    demo.close()

    real, _key = Vault.create(tmp_path / "demo.notesdesk", PASSPHRASE)  # the demo's file name
    assert not real.is_demo
    window = open_window(qtbot, real, runner, errors, prefs)
    assert not window.findChildren(DemoStrip)
    assert window.practice.join.isVisible()
    assert window.palette().color(WINDOW) == app_window
    window._shut = True
    window.ctx.runner.wait()
    window.close()
    real.close()
