"""The lock path through the shell's one seam to the workspace (ui/workspace_api.py): text typed in
any tab is in the vault before the lock goes on, and a part that still holds unsaved text after its
save stops the lock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from notesdesk.core.domain.clients import Client
from notesdesk.core.services import care, clients, notes, plans
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.lifecycle.lock import UNSAVED_DRAFT
from notesdesk.ui.main_window import MainWindow
from notesdesk.ui.workspace.plan import edit as plan_edit
from notesdesk.ui.workspace.workspace import ClientWorkspace
from notesdesk.ui.workspace_api import Workspace
from tests.ui.conftest import PASSPHRASE
from tests.ui.workspace_helpers import type_into


@pytest.fixture
def window(qtbot, ctx, relaunch):
    made = MainWindow(ctx, relaunch=relaunch)  # the real workspace
    qtbot.addWidget(made)
    made.show()
    qtbot.waitUntil(lambda: not made.search_keeper.building)
    return made


def open_client(window, ctx) -> ClientWorkspace:
    ana = clients.add_client(ctx.uow(), Client(name="Ana Lima"))
    window.refresh_clients()
    window.panel.select_client(ana.id)
    workspace = window.host.workspace
    assert isinstance(workspace, ClientWorkspace) and isinstance(workspace, Workspace)
    return workspace


def test_text_typed_in_every_tab_is_in_the_vault_before_the_lock(qtbot, ctx, window, relaunch):
    workspace = open_client(window, ctx)
    client_id = workspace.client_id
    # Switching tabs saves the note drafts, so the session note is typed last: still unsaved at the lock.
    private = workspace.private_tab
    workspace.tabs.setCurrentWidget(private)
    private.new_note()
    type_into(qtbot, private.text, "Felt protective of her")
    homework = workspace.homework_tab
    workspace.tabs.setCurrentWidget(homework)
    type_into(qtbot, homework.description, "Walk to the station")
    safety = workspace.safety_tab
    workspace.tabs.setCurrentWidget(safety)
    type_into(qtbot, safety.lists["warning_signs"], "Stops eating")
    notes_tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(notes_tab)
    notes_tab.editor.autosaver.timer.setInterval(600_000)  # nothing saves on its own before the lock
    notes_tab.new_note()
    type_into(qtbot, notes_tab.editor.section_edit("subjective"), "Slept four hours")
    assert set(workspace.unsaved_parts()) == {"Session note", "Safety plan"}
    assert homework.form.pending()  # typed, not assigned yet

    locked = window.lock()
    assert (locked, ctx.errors.last_message, workspace.unsaved_parts()) == (True, None, [])
    assert relaunch.paths == [ctx.vault.path]

    vault = Vault.open(ctx.vault.path, passphrase=PASSPHRASE)
    try:
        [note] = notes.list_notes(vault.unit_of_work(), client_id)
        assert "Slept four hours" in note.sections[0].text
        [private_note] = notes.list_private_notes(vault.unit_of_work(), client_id)
        assert private_note.text == "Felt protective of her"
        [plan] = care.safety_plan_versions(vault.unit_of_work(), client_id)
        assert plan.warning_signs == ("Stops eating",)
        assert [h.description for h in care.list_homework(vault.unit_of_work(), client_id)] == [
            "Walk to the station"
        ]
    finally:
        vault.close()


def test_a_part_still_holding_unsaved_text_after_its_save_stops_the_lock(
    qtbot, ctx, window, relaunch, monkeypatch
):
    workspace = open_client(window, ctx)
    plan_tab = workspace.plan_tab
    workspace.tabs.setCurrentWidget(plan_tab)
    qtbot.mouseClick(plan_tab.add_buttons[plan_edit.PROBLEM], Qt.MouseButton.LeftButton)
    assert plan_tab.dirty
    monkeypatch.setattr(plan_tab, "save", lambda: True)  # a save that reports success, writes nothing

    assert window.lock() is False
    assert ctx.errors.last_message == UNSAVED_DRAFT
    assert relaunch.paths == [] and window.isVisible()
    assert workspace.unsaved_parts() == ["Treatment plan"]
    assert plans.plan_versions(ctx.uow(), workspace.client_id) == []

    monkeypatch.undo()
    assert window.lock() is True
    assert len(plans.plan_versions(ctx.uow(), workspace.client_id)) == 1
