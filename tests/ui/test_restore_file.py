"""A backup opened from the desktop (`notesdesk FILE.ndbk`, a double-click, macOS's open-file event),
driven through the widgets as a person would, offscreen, on a synthetic vault and its backup."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from notesdesk import paths
from notesdesk.core.backup.service import make_backup
from notesdesk.core.domain.clients import Client
from notesdesk.core.services import clients
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.app import Launcher
from notesdesk.ui.start.window import StartWindow
from tests.ui.conftest import PASSPHRASE, FakeWorkspace

NEW_PASSPHRASE = "plum kettle orbit lantern"


@pytest.fixture
def practice(ui_vault_path: Path, tmp_path: Path) -> tuple[Path, str]:
    """A vault with Ana Lima in its backup and Ngozi Okafor added after it: (the backup, the key)."""
    vault, key = Vault.create(ui_vault_path, PASSPHRASE)
    with vault:
        clients.add_client(vault.unit_of_work(), Client(name="Ana Lima"))
        backup = make_backup(vault, tmp_path / "usb")
        clients.add_client(vault.unit_of_work(), Client(name="Ngozi Okafor"))
    return backup, key


@pytest.fixture
def launched(qtbot, ui_vault_path, prefs, errors, runner):
    """The app's launcher at its start window, as `notesdesk FILE` starts it; the main window (if the
    flow gets there) is locked at the end, which closes its vault."""
    made: list[Launcher] = []

    def launch(backup: Path) -> tuple[Launcher, StartWindow]:
        launcher = Launcher(ui_vault_path, prefs, errors, runner, lambda _path: None, FakeWorkspace)
        window = launcher.start()  # deleted by the launcher once the vault is open
        launcher.open_backup(backup)
        made.append(launcher)
        return launcher, window

    yield launch
    for launcher in made:
        if launcher.main_window is not None:
            qtbot.addWidget(launcher.main_window)
            qtbot.waitUntil(lambda w=launcher.main_window: not w.search_keeper.building)
            launcher.main_window.lock()
        elif launcher.start_window is not None:
            launcher.start_window.close()


def _on_restore_page(qtbot, window: StartWindow) -> None:
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.restore_file, timeout=10000)
    qtbot.waitUntil(window.stack.isEnabled)


def _shown_text(window: StartWindow) -> str:
    return "\n".join(label.text() for label in window.findChildren(QLabel))


def _answer(window: StartWindow, yes: bool) -> list[str]:
    asked: list[str] = []
    window.confirm = lambda _parent, _title, question: asked.append(question) or yes
    return asked


def test_a_backup_opened_from_the_desktop_restores_after_its_passphrase_and_a_yes(
    qtbot, launched, practice, ui_vault_path, errors, tmp_path, monkeypatch
):
    backup, _key = practice
    launcher, window = launched(backup)
    _on_restore_page(qtbot, window)
    about = window.restore_file.about.text()
    vault_id = Vault.open(ui_vault_path, passphrase=PASSPHRASE)
    vault_id.close()
    assert str(backup) in about and f"backup of your vault at {ui_vault_path}" in about
    assert vault_id.vault_id in about and "1 client" in about
    assert "Ana" not in _shown_text(window) and window.windowTitle() == "NotesDesk"
    asked = _answer(window, yes=True)
    qtbot.keyClicks(window.restore_file.passphrase.edit, PASSPHRASE)
    qtbot.keyClick(window.restore_file.passphrase.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: launcher.main_window is not None, timeout=20000)
    [question] = asked
    assert f"replaces the vault at {ui_vault_path}" in question
    assert f"kept beside it, in the same folder, as “{ui_vault_path.name}.replaced-" in question
    [kept] = ui_vault_path.parent.glob("*.replaced-*.bak")
    assert errors.last_info is not None and str(kept) in errors.last_info and errors.last_message is None
    vault = launcher.main_window.ctx.vault
    assert [c.name for c in clients.list_clients(vault.unit_of_work())] == ["Ana Lima"]
    assert list(paths.backup_dir().glob("*.ndbk"))  # a fresh backup of the restored vault
    # Ngozi is in the vault kept aside. It is refused on this computer now (another copy, SECURITY.md),
    # so it is read as on another computer with no backups beside it.
    monkeypatch.setenv("NOTESDESK_ANCHOR_DIR", str(tmp_path / "another-computer"))
    with Vault.open(kept, passphrase=PASSPHRASE, read_only=True, backups=[]) as replaced:
        names = [c.name for c in clients.list_clients(replaced.unit_of_work())]
    assert names == ["Ana Lima", "Ngozi Okafor"]


def test_a_wrong_passphrase_says_so_on_the_page_and_a_no_changes_nothing(
    qtbot, launched, practice, ui_vault_path, errors
):
    backup, _key = practice
    before = ui_vault_path.read_bytes()
    _launcher, window = launched(backup)
    _on_restore_page(qtbot, window)
    asked = _answer(window, yes=True)
    qtbot.keyClicks(window.restore_file.passphrase.edit, "not the passphrase at all")
    qtbot.mouseClick(window.restore_file.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "does not open this backup" in window.restore_file.message.text(), timeout=10000)
    assert len(asked) == 1 and errors.last_message is None  # inline, not a dialog
    asked = _answer(window, yes=False)
    window.restore_file.passphrase.clear()
    qtbot.keyClicks(window.restore_file.passphrase.edit, PASSPHRASE)
    qtbot.mouseClick(window.restore_file.restore_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and window.stack.isEnabled()  # asked, answered no: nothing started
    assert ui_vault_path.read_bytes() == before
    assert not list(ui_vault_path.parent.glob("*.replaced-*.bak"))
    qtbot.mouseClick(window.restore_file.back, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.unlock  # "Not now": the usual unlock page


def test_the_recovery_key_restores_then_asks_for_a_new_passphrase(qtbot, launched, practice, ui_vault_path):
    backup, key = practice
    launcher, window = launched(backup)
    _on_restore_page(qtbot, window)
    _answer(window, yes=True)
    qtbot.keyClicks(window.restore_file.recovery_key, key)
    qtbot.keyClick(window.restore_file.recovery_key, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.new_passphrase, timeout=20000)
    form = window.new_passphrase.form
    qtbot.keyClicks(form.first.edit, NEW_PASSPHRASE)
    qtbot.keyClicks(form.second.edit, NEW_PASSPHRASE)
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: launcher.main_window is not None, timeout=20000)
    vault = launcher.main_window.ctx.vault
    assert [c.name for c in clients.list_clients(vault.unit_of_work())] == ["Ana Lima"]


def test_a_vault_open_in_another_window_is_said_in_one_line_and_nothing_changes(
    qtbot, launched, practice, ui_vault_path, errors
):
    backup, _key = practice
    holder = Vault.open(ui_vault_path, passphrase=PASSPHRASE)  # another NotesDesk holds the vault
    try:
        _launcher, window = launched(backup)
        _on_restore_page(qtbot, window)
        line = window.restore_file.in_use.text()
        assert f"The vault at {ui_vault_path} is open in another NotesDesk window" in line
        assert "\n" not in line
        before = ui_vault_path.read_bytes()
        window.restore_file.in_use.clear()
        _answer(window, yes=True)
        qtbot.keyClicks(window.restore_file.passphrase.edit, PASSPHRASE)
        qtbot.mouseClick(window.restore_file.restore_button, Qt.MouseButton.LeftButton)
        # The restore checks again when it starts (the other window may have opened it since).
        qtbot.waitUntil(lambda: bool(window.restore_file.in_use.text()), timeout=10000)
        qtbot.waitUntil(window.stack.isEnabled)
        assert ui_vault_path.read_bytes() == before and errors.last_message is None
        assert not list(ui_vault_path.parent.glob("*.replaced-*.bak"))
        assert [c.name for c in clients.list_clients(holder.unit_of_work())] == ["Ana Lima", "Ngozi Okafor"]
    finally:
        holder.close()


def test_a_restore_whose_vault_then_does_not_open_says_it_was_restored_all_the_same(
    qtbot, launched, practice, ui_vault_path, errors, monkeypatch
):
    """Another window takes the restored vault first: the restore is not reported as undone."""
    from notesdesk.core.errors import VaultInUse
    from notesdesk.ui.start import window as start_window

    class TakenFirst:
        @staticmethod
        def open(*_args: object, **_kwargs: object) -> Vault:
            raise VaultInUse("This vault is already open in another NotesDesk window or command.")

    backup, _key = practice
    _launcher, window = launched(backup)
    _on_restore_page(qtbot, window)
    monkeypatch.setattr(start_window, "_vault_class", lambda: TakenFirst)
    _answer(window, yes=True)
    qtbot.keyClicks(window.restore_file.passphrase.edit, PASSPHRASE)
    qtbot.keyClick(window.restore_file.passphrase.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: errors.last_message is not None, timeout=20000)
    [kept] = ui_vault_path.parent.glob("*.replaced-*.bak")
    said = errors.last_message
    assert said.startswith(f"Restored from {backup.name}. The vault it replaced is kept at {kept}")
    assert "It did not open: This vault is already open" in errors.last_message
    assert "Nothing was changed" not in errors.last_message and not window.restore_file.in_use.text()
    assert window.stack.currentWidget() is window.unlock and not window.restore_file.passphrase.text()


def test_the_window_that_holds_the_vault_says_so_in_one_line(qtbot, launched, practice, errors):
    backup, _key = practice
    launcher, window = launched(Path("/nonexistent/never-read.ndbk"))
    qtbot.waitUntil(lambda: errors.last_message is not None, timeout=10000)
    errors.last_message = None
    qtbot.keyClicks(window.unlock.passphrase.edit, PASSPHRASE)
    qtbot.keyClick(window.unlock.passphrase.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: launcher.main_window is not None, timeout=20000)
    launcher.open_backup(backup)  # a second double-click, or macOS's open-file event, while unlocked
    assert errors.last_message is not None and "\n" not in errors.last_message
    assert errors.last_message.startswith("This NotesDesk window has the vault open")
    assert launcher.main_window.isVisible()


@pytest.mark.parametrize("content, said", [
    (None, "There is no file at"),
    (b"Dear colleague", "is not a NotesDesk backup file"),
    (b"SQLite format 3\x00" + bytes(100), "is a vault (or another database), not a NotesDesk backup"),
])
def test_a_missing_or_foreign_file_gets_one_line_and_the_unlock_page_stays(
    qtbot, launched, practice, ui_vault_path, errors, tmp_path, content, said
):
    path = tmp_path / "opened.ndbk"
    if content is not None:
        path.write_bytes(content)
    before = ui_vault_path.read_bytes()
    _launcher, window = launched(path)
    qtbot.waitUntil(lambda: errors.last_message is not None, timeout=10000)
    assert said in errors.last_message and "\n" not in errors.last_message
    qtbot.waitUntil(window.stack.isEnabled)
    assert window.stack.currentWidget() is window.unlock
    assert ui_vault_path.read_bytes() == before


def test_another_vaults_backup_says_so_before_and_in_the_question(
    qtbot, launched, practice, ui_vault_path, tmp_path, errors
):
    other_path = tmp_path / "elsewhere" / "practice.notesdesk"
    other_path.parent.mkdir()
    other, _key = Vault.create(other_path, "another practice passphrase")
    with other:
        clients.add_client(other.unit_of_work(), Client(name="Ruth Mensah"))
        foreign = make_backup(other, tmp_path / "foreign")
    launcher, window = launched(foreign)
    _on_restore_page(qtbot, window)
    assert f"NOT a backup of the vault at {ui_vault_path}" in window.restore_file.about.text()
    asked = _answer(window, yes=True)
    qtbot.keyClicks(window.restore_file.passphrase.edit, "another practice passphrase")
    qtbot.keyClick(window.restore_file.passphrase.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: launcher.main_window is not None, timeout=20000)
    assert "different vault" in asked[0]
    vault = launcher.main_window.ctx.vault
    assert [c.name for c in clients.list_clients(vault.unit_of_work())] == ["Ruth Mensah"]


def test_with_no_vault_yet_the_backup_becomes_the_vault(qtbot, prefs, errors, runner, practice, tmp_path):
    backup, _key = practice
    fresh = tmp_path / "new computer" / "practice.notesdesk"
    launcher = Launcher(fresh, prefs, errors, runner, lambda _path: None, FakeWorkspace)
    window = launcher.start()
    assert window.stack.currentWidget() is window.choice
    launcher.open_backup(backup)
    _on_restore_page(qtbot, window)
    assert f"There is no vault at {fresh} yet" in window.restore_file.about.text()
    asked = _answer(window, yes=True)
    qtbot.keyClicks(window.restore_file.passphrase.edit, PASSPHRASE)
    qtbot.keyClick(window.restore_file.passphrase.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: launcher.main_window is not None, timeout=20000)
    assert "There is no vault at" in asked[0]
    main = launcher.main_window
    qtbot.addWidget(main)
    assert [c.name for c in clients.list_clients(main.ctx.vault.unit_of_work())] == ["Ana Lima"]
    qtbot.waitUntil(lambda: not main.search_keeper.building)
    main.lock()


# macOS hands the file to the running app as a QFileOpenEvent sent to the application object. Runs
# the app's own main() (which makes that object) in a fresh process; once the start window shows, the
# event is sent as macOS would, and the page then on screen is reported.
OPEN_FILE_EVENT = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication
from notesdesk.ui import app as ui_app

started = ui_app.Launcher.start

def start(self):
    window = started(self)
    app = QApplication.instance()
    QTimer.singleShot(0, lambda: QApplication.sendEvent(app, QFileOpenEvent(sys.argv[2])))
    tries = []

    def report():  # as qtbot.waitUntil does: look again until the page changes or time runs out
        page = type(window.stack.currentWidget()).__name__
        tries.append(page)
        if page == "RestoreFilePage" or len(tries) > 400:
            print(json.dumps({"app": type(app).__name__, "page": page,
                              "about": window.restore_file.about.text()}))
            app.quit()
        else:
            QTimer.singleShot(25, report)

    QTimer.singleShot(0, report)
    return window

ui_app.Launcher.start = start
sys.exit(ui_app.main(Path(sys.argv[1])))
"""


def test_macos_open_file_event_opens_the_restore_page(practice, ui_vault_path, tmp_path):
    backup, _key = practice
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", OPEN_FILE_EVENT, str(ui_vault_path), str(backup)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["app"] == "Application" and shown["page"] == "RestoreFilePage"
    assert f"backup of your vault at {ui_vault_path}" in shown["about"]
