"""Process setup and the launcher: excepthook, core dumps, relaunch command, start -> main window."""

from __future__ import annotations

import logging
import sys
from datetime import date

from PySide6.QtCore import Qt

from notesdesk.core.search.index import HIT_END, HIT_START, SearchHit
from notesdesk.core.storage.vault import Vault
from notesdesk.ui import app_setup
from notesdesk.ui.app import Launcher
from notesdesk.ui.lifecycle.lock import relaunch_command
from notesdesk.ui.main_window import MainWindow
from notesdesk.ui.models.search_results_model import SearchResultsModel, heading_text, snippet_html
from tests.ui.conftest import PASSPHRASE, FakeWorkspace


def test_excepthook_shows_the_type_only_and_logs_no_message(monkeypatch, errors, caplog):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app_setup.install_excepthook(errors)
    try:
        raise ValueError("Ana Lima said something private")
    except ValueError as exc:
        with caplog.at_level(logging.ERROR, logger="notesdesk"):
            sys.excepthook(type(exc), exc, exc.__traceback__)
    assert errors.last_message == "Something went wrong (ValueError); nothing was changed."
    assert "Ana" not in caplog.text and "ValueError" in caplog.text and "test_app.py" in caplog.text


def test_core_dumps_are_off():
    import resource

    assert app_setup.disable_core_dumps()
    assert resource.getrlimit(resource.RLIMIT_CORE)[0] == 0


def test_logging_goes_to_a_private_folder(tmp_path):
    path = app_setup.configure_logging(tmp_path / "logs")
    try:
        assert path is not None and path.parent.stat().st_mode & 0o077 == 0
        logging.getLogger("notesdesk").info("x" * 1000)
        for handler in logging.getLogger("notesdesk").handlers:
            handler.flush()
        assert len(path.read_text(encoding="utf-8")) < 500
    finally:
        for handler in list(logging.getLogger("notesdesk").handlers):
            if getattr(handler, "baseFilename", "").startswith(str(tmp_path)):
                logging.getLogger("notesdesk").removeHandler(handler)
                handler.close()


def test_relaunch_command_reopens_the_same_vault(tmp_path):
    program, args = relaunch_command(tmp_path / "v.notesdesk")
    assert program == sys.executable
    assert args[-2:] == ["--vault", str(tmp_path / "v.notesdesk")]
    assert args[:2] == ["-m", "notesdesk"]


def test_snippets_are_escaped_before_hits_are_bolded(qapp):
    snippet = f"she wrote <script>alert(1)</script> about {HIT_START}panic{HIT_END} & fear"
    html = snippet_html(snippet)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>panic</b>" in html and "&amp; fear" in html
    hit = SearchHit("note", "n1", "c1", "Ana Beatriz Lima", date(2024, 5, 1), snippet)
    assert heading_text(hit, privacy=True).startswith("ABL · Session note · 2024-05-01")
    model = SearchResultsModel()
    model.set_hits([hit])
    assert "panic" in model.index(0, 0).data() and "\x02" not in model.index(0, 0).data()


def test_launcher_goes_from_unlock_to_the_main_window(qtbot, ui_vault_path, prefs, errors, runner):
    Vault.create(ui_vault_path, PASSPHRASE)[0].close()
    relaunched = []
    launcher = Launcher(ui_vault_path, prefs, errors, runner, relaunched.append, FakeWorkspace)
    start = launcher.start()  # deleted by the launcher once the vault is open
    qtbot.keyClicks(start.unlock.passphrase.edit, PASSPHRASE)
    qtbot.keyClick(start.unlock.passphrase.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: launcher.main_window is not None, timeout=5000)
    window = launcher.main_window
    qtbot.addWidget(window)
    assert isinstance(window, MainWindow) and window.isVisible()
    assert launcher.start_window is None
    qtbot.waitUntil(lambda: not window.search_keeper.building)
    window.lock()
    assert relaunched == [ui_vault_path]


def test_the_launcher_checks_the_vault_against_the_second_backup_folder_too(
    qtbot, ui_vault_path, prefs, errors, runner, tmp_path, monkeypatch
):
    """A vault rolled back to an old copy is refused at the unlock screen when the only newer backup
    is on the second backup drive; the dialog names that backup."""
    import shutil

    from notesdesk.core.backup.service import make_backup
    from notesdesk.core.domain.clients import Client
    from notesdesk.core.services import clients

    usb = tmp_path / "usb"
    usb.mkdir()
    prefs.backup_folder = str(usb)
    vault, _key = Vault.create(ui_vault_path, PASSPHRASE)
    vault.close()
    old = tmp_path / "old-copy.notesdesk"
    shutil.copy(ui_vault_path, old)
    with Vault.open(ui_vault_path, passphrase=PASSPHRASE) as newer:
        clients.add_client(newer.unit_of_work(), Client(name="Ana Lima"))
        on_usb = make_backup(newer, usb)
    shutil.copy(old, ui_vault_path)
    monkeypatch.setenv("NOTESDESK_ANCHOR_DIR", str(tmp_path / "a-computer-without-an-anchor"))
    launcher = Launcher(ui_vault_path, prefs, errors, runner, lambda _path: None, FakeWorkspace)
    start = launcher.start()
    qtbot.addWidget(start)
    asked: list[str] = []
    start.confirm = lambda _parent, _title, question: asked.append(question) or False
    qtbot.keyClicks(start.unlock.passphrase.edit, PASSPHRASE)
    qtbot.keyClick(start.unlock.passphrase.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: errors.last_message is not None, timeout=5000)
    assert launcher.main_window is None
    assert "older than its newest backup" in errors.last_message and str(on_usb) in asked[0]
