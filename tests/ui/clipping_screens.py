"""Opens every window, dialog and workspace tab on the demo practice and prints, as JSON, what is cut
off on each (tests/ui/clipping.py). Run in a fresh process on an offscreen screen of the size to
check (tests/ui/test_clipping.py sets the screen and the scale):

    python -m tests.ui.clipping_screens OUT_DIR
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("NOTESDESK_INSECURE_TEST_KDF", "1")

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QTabWidget, QWidget  # noqa: E402

from notesdesk.core.services import care, notes  # noqa: E402
from notesdesk.core.storage.vault import Vault  # noqa: E402
from notesdesk.demo import build_demo  # noqa: E402
from notesdesk.ui.app import Launcher  # noqa: E402
from notesdesk.ui.app_setup import load_bundled_fonts  # noqa: E402
from notesdesk.ui.background import BackgroundRunner  # noqa: E402
from notesdesk.ui.context import AppContext  # noqa: E402
from notesdesk.ui.errors import ErrorPresenter  # noqa: E402
from notesdesk.ui.lifecycle.os_lock import SystemLockWatcher  # noqa: E402
from notesdesk.ui.main_window import MainWindow  # noqa: E402
from notesdesk.ui.prefs import Preferences  # noqa: E402
from tests.ui.clipping import problems_in  # noqa: E402

PASSPHRASE = "plum kettle orbit lantern"
found: dict[str, list[str]] = {}


def wait_until(condition: Callable[[], bool], timeout_ms: int = 60000) -> None:
    clock = QElapsedTimer()
    clock.start()
    while not condition():
        if clock.elapsed() > timeout_ms:
            raise TimeoutError("the app did not get there in time")
        QCoreApplication.processEvents()


def present[T](thing: T | None) -> T:
    """The window or dialog that the step before opened."""
    assert thing is not None, "it did not open"
    return thing


def settle() -> None:
    for _ in range(5):
        QCoreApplication.processEvents()


def check(name: str, window: QWidget) -> None:
    settle()
    found[name] = problems_in(window)


def start_screens(folder: Path, prefs: Preferences, errors: ErrorPresenter, runner: BackgroundRunner) -> None:
    launcher = Launcher(folder / "vault.notesdesk", prefs, errors, runner, lambda _p: None)
    start = launcher.start()  # at the size the launcher gives it
    check("start: choice", start)
    start.choice.create_button.click()
    check("start: create", start)
    start.create_page.form.first.setText(PASSPHRASE)
    start.create_page.form.second.setText(PASSPHRASE)
    start.create_page.form.submit.click()
    wait_until(lambda: start.stack.currentWidget() is start.recovery_key)
    check("start: recovery key", start)
    start.recovery_key.confirm.setText(start.recovery_key.last_group())
    start.recovery_key.continue_button.click()
    check("start: about you", start)
    for page in (start.unlock, start.recovery, start.new_passphrase):
        start.stack.setCurrentWidget(page)
        check(f"start: {type(page).__name__}", start)
    present(start.about_you).skip_button.click()
    wait_until(lambda: launcher.main_window is not None)
    window = present(launcher.main_window)
    if window.client_dialog is not None:
        check("dialog: first client", window.client_dialog)
        window.client_dialog.reject()
    window._shut = True  # noqa: SLF001 (no backup or relaunch for this throw-away vault)
    window.ctx.runner.wait()
    window.close()


def dialogs(window: MainWindow) -> None:
    window.open_settings()
    settings = present(window.settings_dialog)
    check("dialog: settings", settings)
    settings.reject()
    window.open_search()
    search = present(window.search_dialog)
    search.query.setText("panic")
    wait_until(lambda: bool(search.hits()))
    check("dialog: search", search)
    search.reject()
    window.edit_client()
    client = present(window.client_dialog)
    check("dialog: client", client)
    client.reject()
    window.add_client()
    new_client = present(window.client_dialog)
    check("dialog: new client", new_client)
    new_client.reject()
    window.open_backups()
    backups = present(window.backups_dialog)
    check("dialog: backups", backups)
    backups.reject()
    window.show_shortcuts()
    check("dialog: shortcuts", window.shortcuts_box)
    window.shortcuts_box.close()
    from notesdesk.ui.dialogs.about_dialog import AboutDialog

    about = AboutDialog(window)
    about.show()
    check("dialog: about", about)
    about.close()
    from notesdesk.ui.dialogs.guide_dialog import show_guide

    guide = show_guide(window)
    check("dialog: user guide", guide)
    guide.close()


def workspace_screens(window: MainWindow, client_id: str) -> None:
    workspace = window.host.workspace
    tabs = workspace.findChild(QTabWidget)
    signed = [n for n in notes.list_notes(window.ctx.uow(), client_id) if n.is_signed]
    if signed:
        window.host.open_note(signed[0].id)
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        check(f"tab: {tabs.tabText(i).replace('&', '')}", window)
    tabs.setCurrentWidget(workspace.notes_tab)
    workspace.notes_tab.new_note()
    check("tab: Notes, a new draft", window)
    tabs.setCurrentWidget(workspace.measures_tab)
    measures = workspace.measures_tab
    for all_on_one in (False, True):
        measures.all_on_one.setChecked(all_on_one)
        measures.start(client=True, instrument_id="phq9")
        client_window = measures.client_window
        if client_window is None:
            found["questionnaire for the client"] = ["did not open"]
            continue
        check(f"questionnaire for the client{', all on one page' if all_on_one else ''}", client_window)
        client_window.sig_taken_back.emit()
    settle()
    for child in window.findChildren(QDialog):
        if child.isVisible():
            child.reject()


def main_screens(folder: Path, prefs: Preferences, errors: ErrorPresenter, runner: BackgroundRunner) -> None:
    vault, _key = Vault.create(folder / "demo.notesdesk", PASSPHRASE)
    build_demo(vault)
    ctx = AppContext(vault=vault, runner=runner, errors=errors, prefs=prefs)
    window = MainWindow(ctx, relaunch=lambda _p: None, system_lock=SystemLockWatcher(bus_signals=()))
    screen = window.screen().availableGeometry()
    window.resize(screen.width(), screen.height())
    window.show()
    wait_until(lambda: ctx.index is not None)
    clients = window.panel.model.clients()
    active = [c for c in clients if c.status.value == "active"] or clients
    chosen = max(active, key=lambda c: len(care.list_measures(ctx.uow(), c.id)))
    window.panel.select_client(chosen.id)
    check("main window", window)
    dialogs(window)
    workspace_screens(window, chosen.id)
    window._shut = True  # noqa: SLF001
    runner.wait()
    window.close()
    vault.close()


def main() -> int:
    out = Path(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="notesdesk-clip-") as tmp:
        folder = Path(tmp)
        os.environ["NOTESDESK_BACKUP_DIR"] = str(folder / "backups")
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings"))
        app = QApplication(sys.argv[:1])
        load_bundled_fonts()
        errors = ErrorPresenter(interactive=False)
        runner = BackgroundRunner(app)
        prefs = Preferences(QSettings(str(folder / "prefs.ini"), QSettings.Format.IniFormat))
        start_screens(folder, prefs, errors, runner)
        main_screens(folder, prefs, errors, runner)
        runner.wait()
    out.write_text(json.dumps(found, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
