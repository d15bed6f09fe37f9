"""An involuntary lock (idle time, sleep, the screen locking) always covers the window, even when
something typed cannot be saved yet (homework without a description, say): the window then shows
only the lock, with what could not be saved and a passphrase field, and the typed text waits behind
it, in this process, for the passphrase. A lock the user asks for (Ctrl+L) still refuses instead."""

from __future__ import annotations

from PySide6.QtCore import Qt

from notesdesk.core.domain.clients import Client
from notesdesk.core.services import care, clients
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.main_window import MainWindow
from notesdesk.ui.widgets.cover import HELD
from notesdesk.ui.workspace.workspace import ClientWorkspace
from tests.ui.conftest import PASSPHRASE
from tests.ui.screen_text import visible_text
from tests.ui.workspace_helpers import type_into

NAME = "Ana Lima"
TYPED = "Practise greeting the neighbours' dog"


def window_with_unassignable_homework(qtbot, ctx, relaunch) -> tuple[MainWindow, ClientWorkspace]:
    window = MainWindow(ctx, relaunch=relaunch)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.search_keeper.building)
    ana = clients.add_client(ctx.uow(), Client(name=NAME))
    window.refresh_clients()
    window.panel.select_client(ana.id)
    workspace = window.host.workspace
    assert isinstance(workspace, ClientWorkspace)
    homework = workspace.homework_tab
    workspace.tabs.setCurrentWidget(homework)
    type_into(qtbot, homework.form.rationale, TYPED)  # a reason typed, no description: cannot be assigned
    return window, workspace


def assert_only_the_lock_shows(window: MainWindow) -> None:
    screen = visible_text()
    assert NAME not in screen and "Ana" not in screen and TYPED not in screen
    assert window.windowTitle() == "NotesDesk"
    assert not window.panel.isVisible() and not window.host.isVisible() and window.cover.isVisible()
    assert not any(action.isEnabled() for action in window.actions_by_name.values())


def unlock(qtbot, window: MainWindow, passphrase: str) -> None:
    window.cover.passphrase.setText(passphrase)
    qtbot.mouseClick(window.cover.unlock_button, Qt.MouseButton.LeftButton)


def finish(workspace: ClientWorkspace) -> None:
    """Give the homework its description, so the window can close at the end of the test."""
    workspace.homework_tab.form.description.setText("Greet the dog")


def test_an_idle_lock_that_cannot_save_covers_the_window_and_keeps_the_text(qtbot, ctx, relaunch):
    window, workspace = window_with_unassignable_homework(qtbot, ctx, relaunch)

    window.idle.set_interval_ms(1)
    qtbot.waitUntil(lambda: window.cover.isVisible())

    assert relaunch.paths == []  # the process stays: the text is not in the vault
    assert_only_the_lock_shows(window)
    assert HELD in visible_text()
    assert "description" in window.cover.problems.text().lower()  # what could not be saved, and why
    assert not window.idle.is_running()

    unlock(qtbot, window, "not the passphrase")
    qtbot.waitUntil(lambda: "not the passphrase" in window.cover.unlock_message.text().lower())
    assert_only_the_lock_shows(window)

    unlock(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: window.host.isVisible())
    assert not window.cover.isVisible() and window.panel.isVisible()
    assert workspace.homework_tab.form.rationale.toPlainText() == TYPED
    assert window.cover.passphrase.text() == ""  # the passphrase is not left in the field
    assert window.idle.is_running() and window.actions_by_name["lock"].isEnabled()

    workspace.homework_tab.form.description.setText("Greet the dog")
    assert window.lock() is True  # now everything saves, and the lock ends the process
    assert relaunch.paths == [ctx.vault.path]


def test_sleep_covers_the_window_even_when_a_draft_cannot_be_saved(qtbot, ctx, relaunch):
    window, workspace = window_with_unassignable_homework(qtbot, ctx, relaunch)

    window.system_lock.sig_lock_requested.emit("sleep")

    assert relaunch.paths == []
    assert_only_the_lock_shows(window)
    assert care.list_homework(ctx.uow(), workspace.client_id) == []  # nothing half-saved either
    unlock(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: window.host.isVisible())
    assert workspace.homework_tab.form.rationale.toPlainText() == TYPED
    finish(workspace)


def test_a_second_lock_request_while_held_changes_nothing(qtbot, ctx, relaunch):
    window, workspace = window_with_unassignable_homework(qtbot, ctx, relaunch)
    window.system_lock.sig_lock_requested.emit("screen-locked")
    window.system_lock.sig_lock_requested.emit("sleep")
    assert relaunch.paths == [] and window.cover.isVisible()
    assert window.lock() is False  # Ctrl+L cannot reach it either: its action is off
    unlock(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: window.host.isVisible())
    finish(workspace)


def test_a_lock_the_user_asks_for_still_refuses_and_says_why(qtbot, ctx, relaunch):
    window, workspace = window_with_unassignable_homework(qtbot, ctx, relaunch)
    assert window.lock() is False
    assert "description" in (ctx.errors.last_message or "").lower()
    assert "still on screen" in (ctx.errors.last_message or "")
    assert window.host.isVisible() and not window.cover.isVisible()
    assert workspace.homework_tab.form.rationale.toPlainText() == TYPED
    finish(workspace)


def test_an_idle_lock_with_client_details_that_cannot_be_saved_hides_the_dialog_until_unlocked(
    qtbot, ctx, relaunch
):
    window = MainWindow(ctx, relaunch=relaunch)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.search_keeper.building)
    window.add_client()
    dialog = window.client_dialog
    qtbot.keyClicks(dialog.phone, "555 0100")  # no name yet: cannot be saved

    window.idle.set_interval_ms(1)
    qtbot.waitUntil(lambda: window.cover.isVisible())
    assert not dialog.isVisible() and "555 0100" not in visible_text()
    assert "client details" in window.cover.problems.text()

    unlock(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: dialog.isVisible())
    assert dialog.phone.text() == "555 0100"
    dialog.name.setText("Ana Lima")
    assert window.lock() is True
    with Vault.open(ctx.vault.path, passphrase=PASSPHRASE) as vault:
        assert [c.name for c in clients.list_clients(vault.unit_of_work())] == ["Ana Lima"]
