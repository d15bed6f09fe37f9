"""Homework ticked as assigned in a note, edited in the Homework tab, and what a deleted draft leaves
behind (nothing pointing at it), through the workspace widgets."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from notesdesk.core.domain.care import (
    Homework,
    MeasureAdministration,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
)
from notesdesk.core.domain.common import today
from notesdesk.core.errors import StorageFull
from notesdesk.core.services import care, notes
from notesdesk.ui.workspace.homework.form import AssignHomeworkDialog, EditHomeworkDialog
from tests.ui.workspace_helpers import type_into

pytest_plugins = ["tests.ui.workspace_fixtures"]


def assign_in_homework_tab(workspace, qtbot, description: str) -> str:
    tab = workspace.homework_tab
    workspace.tabs.setCurrentWidget(tab)
    type_into(qtbot, tab.description, description)
    qtbot.mouseClick(tab.assign_button, Qt.MouseButton.LeftButton)
    return tab.model.row_at(tab.view.currentIndex().row()).id


def assigned_in(workspace, homework_id: str) -> str:
    """The note the Homework tab names under the date assigned (after switching to it), in full as the
    cell's tooltip has it; "" when none is named."""
    tab = workspace.homework_tab
    workspace.tabs.setCurrentWidget(tab)
    cell = tab.model.index(tab.model.row_of(homework_id), tab.model.COL_ASSIGNED)
    if len(cell.data().splitlines()) < 2:
        return ""
    assert cell.data().splitlines()[1].startswith("in ")
    return cell.data(Qt.ItemDataRole.ToolTipRole).split(", in ", 1)[1].removeprefix("the note ")


def draft_with_ticked_homework(workspace, qtbot, homework_id: str):
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    editor = tab.editor
    type_into(qtbot, editor.section_edit("subjective"), "Practised twice; wants to keep going")
    editor.links.homework_assigned.set_checked(homework_id)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    return editor


def test_ticking_existing_homework_in_a_draft_links_it_to_that_note(workspace, ws_ctx, ws_client, qtbot):
    homework_id = assign_in_homework_tab(workspace, qtbot, "Breathing practice, 10 minutes")
    assert assigned_in(workspace, homework_id) == ""

    editor = draft_with_ticked_homework(workspace, qtbot, homework_id)
    [note] = notes.list_notes(ws_ctx.uow(), ws_client)
    assert note.homework_assigned == (homework_id,)
    [stored] = care.list_homework(ws_ctx.uow(), ws_client)
    assert stored.assigned_in_note == note.id
    assert assigned_in(workspace, homework_id) == f"{today().isoformat()} SOAP (draft)"

    workspace.tabs.setCurrentWidget(workspace.notes_tab)
    editor.links.homework_assigned.set_checked(homework_id, False)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert care.list_homework(ws_ctx.uow(), ws_client)[0].assigned_in_note is None
    assert assigned_in(workspace, homework_id) == ""
    assert ws_ctx.errors.last_message is None


def test_homework_assigned_from_a_draft_whose_first_save_fails_points_at_no_note(
    workspace, ws_ctx, ws_client, qtbot, monkeypatch
):
    def full_disk(*_args, **_kwargs):
        raise StorageFull("The disk is full: nothing was saved. Your text is kept; free some space.")

    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    editor = tab.editor
    draft_id = editor.note_id
    monkeypatch.setattr(notes, "create_note", full_disk)

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AssignHomeworkDialog)
        type_into(qtbot, dialog.form.description, "Sleep diary")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_in)
    qtbot.mouseClick(editor.links.assign_button, Qt.MouseButton.LeftButton)
    assert "disk is full" in ws_ctx.errors.last_message and "NOT saved" in editor.status_label.text()
    assert notes.list_notes(ws_ctx.uow(), ws_client) == []
    [homework] = care.list_homework(ws_ctx.uow(), ws_client)
    assert homework.description == "Sleep diary" and homework.assigned_in_note is None  # not draft_id
    assert editor.links.homework_assigned.checked_ids() == (homework.id,)  # still ticked in the draft
    assert assigned_in(workspace, homework.id) == ""

    monkeypatch.undo()
    workspace.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    [note] = notes.list_notes(ws_ctx.uow(), ws_client)
    assert note.id == editor.note_id == draft_id and note.homework_assigned == (homework.id,)
    assert care.list_homework(ws_ctx.uow(), ws_client)[0].assigned_in_note == note.id
    assert assigned_in(workspace, homework.id) == f"{today().isoformat()} SOAP (draft)"


def test_deleting_the_draft_takes_its_links_away(workspace, ws_ctx, ws_client, answers, qtbot):
    homework_id = assign_in_homework_tab(workspace, qtbot, "Sleep diary")
    editor = draft_with_ticked_homework(workspace, qtbot, homework_id)
    note_id = editor.note_id
    milestone = care.add_milestone(ws_ctx.uow(), Milestone(ws_client, MilestoneKind.SAFETY, "Sleeps",
                                                           dimension="physical"))
    care.set_milestone_status(ws_ctx.uow(), milestone.id, MilestoneStatus.EMERGING, evidence_note_id=note_id)
    workspace.milestones_tab.reload()
    assert assigned_in(workspace, homework_id) == f"{today().isoformat()} SOAP (draft)"

    workspace.tabs.setCurrentWidget(workspace.notes_tab)
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert answers.asked[-1][0] == "Delete draft" and notes.list_notes(ws_ctx.uow(), ws_client) == []
    assert care.list_homework(ws_ctx.uow(), ws_client)[0].assigned_in_note is None
    assert assigned_in(workspace, homework_id) == ""
    tab = workspace.milestones_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.views[MilestoneKind.SAFETY].selectRow(0)
    assert tab.evidence_label.text() == "Evidence: none linked yet"
    assert care.list_milestones(ws_ctx.uow(), ws_client)[0].evidence_note_ids == ()
    assert ws_ctx.errors.last_message is None


def test_edit_existing_homework_in_the_homework_tab(workspace, ws_ctx, ws_client, qtbot):
    homework_id = assign_in_homework_tab(workspace, qtbot, "Breathing practice")
    tab = workspace.homework_tab
    assert tab.edit_button.isEnabled()

    def edit() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, EditHomeworkDialog)
        assert dialog.form.description.text() == "Breathing practice" and dialog.active.isChecked()
        dialog.form.description.clear()
        type_into(qtbot, dialog.form.description, "Breathing practice, twice a day")
        type_into(qtbot, dialog.form.rationale, "Mornings are hardest")
        dialog.form.due.set_value(date(2030, 1, 31))
        dialog.active.setChecked(False)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, edit)
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    [stored] = care.list_homework(ws_ctx.uow(), ws_client)
    assert stored.id == homework_id
    assert stored.description == "Breathing practice, twice a day"
    assert stored.rationale == "Mornings are hardest"
    assert stored.due_date == date(2030, 1, 31) and not stored.active
    row = tab.model.row_of(homework_id)
    assert tab.model.index(row, tab.model.COL_DESCRIPTION).data() == "Breathing practice, twice a day"
    assert tab.model.index(row, tab.model.COL_RECURRENCE).data().splitlines()[-1] == "ended"
    assert "(ended)" in workspace.notes_tab.editor.links.homework_assigned.item(0).text()


def test_links_to_a_removed_note_from_an_older_vault_still_show(workspace, ws_ctx, ws_client):
    gone = "0" * 32
    care.add_homework(ws_ctx.uow(), Homework(ws_client, "Walk", today(), assigned_in_note=gone))
    care.add_measure(ws_ctx.uow(), MeasureAdministration(ws_client, "PHQ-9", today(), (1,) * 9, note_id=gone))
    care.add_milestone(ws_ctx.uow(), Milestone(ws_client, MilestoneKind.SAFETY, "Sleeps",
                                               dimension="physical", evidence_note_ids=(gone,)))
    [homework] = care.list_homework(ws_ctx.uow(), ws_client)
    assert assigned_in(workspace, homework.id) == "a removed note"
    workspace.milestones_tab.reload()  # as after opening the client
    for tab in (workspace.measures_tab, workspace.milestones_tab, workspace.overview_tab,
                workspace.notes_tab):
        workspace.tabs.setCurrentWidget(tab)
    workspace.milestones_tab.views[MilestoneKind.SAFETY].selectRow(0)
    assert "a removed note" in workspace.milestones_tab.evidence_label.text()
    assert workspace.measures_tab.model.rowCount() == 1
    assert ws_ctx.errors.last_message is None
