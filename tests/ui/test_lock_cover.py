"""While a lock, close or restore runs its final backup (seconds on a big vault), the window shows no
client data: only a neutral line, every dialog of the window hidden. A refused lock covers nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from notesdesk.core.domain.clients import Client
from notesdesk.core.services import clients
from notesdesk.ui.lifecycle import backups as ui_backups
from notesdesk.ui.lifecycle import lock as ui_lock
from notesdesk.ui.widgets.cover import CLOSING, LOCKING, RESTORING
from tests.ui.screen_text import visible_text

NAME = "Ana Lima"


def open_client_and_dialogs(qtbot, ctx, window) -> None:
    ana = clients.add_client(ctx.uow(), Client(name=NAME))
    window.refresh_clients()
    window.panel.select_client(ana.id)
    window.open_search()
    qtbot.keyClicks(window.search_dialog.query, "Ana")
    window.edit_client()  # untouched: nothing to save, does not hold up the lock
    qtbot.waitExposed(window.client_dialog)
    assert window.panel.isVisible() and window.host.isVisible() and window.host.client_id == ana.id
    assert NAME in visible_text()


def blocked(monkeypatch, target: object, name: str, result: Callable[..., object]) -> threading.Event:
    """Replace `target.name` with a stand-in that waits (in the background runner) until released."""
    release = threading.Event()

    def slow(*args, **kwargs):
        release.wait(10)
        return result(*args, **kwargs)

    monkeypatch.setattr(target, name, slow)
    return release


def while_blocked(release: threading.Event, seen: dict[str, object], window, cover_text: str) -> None:
    """Look at the screen from the UI thread while the background step waits, then release it."""

    def look() -> None:
        try:
            seen["text"] = visible_text()
            seen["windows"] = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
            seen["panel"], seen["host"] = window.panel.isVisible(), window.host.isVisible()
            seen["cover"] = window.cover.isVisible() and window.cover.message.text() == cover_text
            seen["title"] = window.windowTitle()
        finally:
            release.set()

    QTimer.singleShot(0, look)


def assert_covered(seen: dict[str, object], window, cover_text: str) -> None:
    assert seen, "the backup did not wait: nothing was looked at"
    assert seen["panel"] is False and seen["host"] is False and seen["cover"] is True
    assert seen["windows"] == [window]  # no client dialog, search dialog or preview left open
    assert seen["title"] == "NotesDesk"
    assert NAME not in str(seen["text"]) and "Ana" not in str(seen["text"])
    assert cover_text in str(seen["text"])


def test_lock_covers_the_records_while_the_backup_runs(qtbot, ctx, make_window, relaunch, monkeypatch):
    window = make_window()
    open_client_and_dialogs(qtbot, ctx, window)
    release = blocked(monkeypatch, ui_backups, "automatic_backup", ui_backups.automatic_backup)
    seen: dict[str, object] = {}
    while_blocked(release, seen, window, LOCKING)
    assert window.lock() is True
    assert_covered(seen, window, LOCKING)
    assert relaunch.paths == [ctx.vault.path]


def test_close_covers_the_records_while_the_backup_runs(qtbot, ctx, make_window, monkeypatch):
    window = make_window()
    open_client_and_dialogs(qtbot, ctx, window)
    release = blocked(monkeypatch, ui_backups, "automatic_backup", ui_backups.automatic_backup)
    seen: dict[str, object] = {}
    while_blocked(release, seen, window, CLOSING)
    window.close()
    assert_covered(seen, window, CLOSING)
    assert not window.isVisible()


def test_restore_covers_the_records_while_it_runs(qtbot, ctx, make_window, relaunch, monkeypatch, tmp_path):
    window = make_window()
    told: list[str] = []
    window.inform = lambda _title, text: told.append(text)
    open_client_and_dialogs(qtbot, ctx, window)
    kept = tmp_path / "practice.notesdesk.replaced-1.bak"
    release = blocked(monkeypatch, ui_lock, "restore", lambda *_a, **_k: kept)
    seen: dict[str, object] = {}
    while_blocked(release, seen, window, RESTORING)
    assert window.restore_backup(Path("old.ndbk"), "secret", None) is True
    assert_covered(seen, window, RESTORING)
    assert relaunch.paths == [ctx.vault.path] and kept.name in told[0]


def test_a_refused_lock_covers_nothing(qtbot, ctx, make_window, relaunch, errors):
    window = make_window()
    open_client_and_dialogs(qtbot, ctx, window)

    def fail() -> None:
        raise OSError("disk gone")

    window.host.workspace.save_all_drafts = fail
    assert window.lock() is False
    assert relaunch.paths == [] and errors.last_message
    assert window.isEnabled() and window.panel.isVisible() and window.host.isVisible()
    assert not window.cover.isVisible()
    assert window.search_dialog.isVisible() and window.client_dialog.isVisible()
    assert NAME in visible_text()
    window.host.workspace.save_all_drafts = lambda: True


def test_the_cover_is_a_plain_page(qtbot, make_window):
    window = make_window()
    assert not window.cover.isVisible() and window.content.isVisible()
    window.cover_up(LOCKING)
    assert window.cover.isVisible() and not window.content.isVisible()
    labels = [w for w in window.cover.findChildren(QWidget) if w.isVisible()]
    assert [w.text() for w in labels] == [LOCKING]
    window.pages.setCurrentWidget(window.content)  # the fixture shuts the window down normally
