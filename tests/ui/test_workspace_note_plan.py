"""A note and the plan: GIRP/BIRP sections filled from the active plan, homework assigned in a note and
linked to it, and deleting an unsigned draft (never a signed note)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from notesdesk.core.domain.care import Homework
from notesdesk.core.domain.common import today
from notesdesk.core.domain.plans import Goal, Intervention, Objective, Problem, TreatmentPlan
from notesdesk.core.services import care, notes, plans
from notesdesk.ui.session import Kind
from notesdesk.ui.workspace.homework.form import AssignHomeworkDialog
from notesdesk.ui.workspace.notes.sections import TICK_FIRST
from tests.ui.workspace_helpers import type_into

pytest_plugins = ["tests.ui.workspace_fixtures"]

LATER = date.today() + timedelta(days=90)
BREATHE = Objective("Breathe through a panic wave", measurable_criterion="Self-rated panic 0-10",
                    target_date=LATER, interventions=(
    Intervention("Interoceptive exposure", modality="CBT", frequency="every session"),))
RIDE = Objective("One bus ride a week", measurable_criterion="Rides a week", target_date=LATER,
                 interventions=(Intervention("Graded in-vivo exposure"),))
GOAL = Goal("Take the bus to work", objectives=(BREATHE, RIDE))


def with_active_plan(workspace, ctx, client_id):
    plan = TreatmentPlan(client_id=client_id, problems=(Problem("Panic", goals=(GOAL,)),))
    saved = plans.save_plan(ctx.uow(), plan)
    ctx.session.write(plans.activate_plan, saved.id, change=Kind.PLAN, client_id=client_id)  # as the plan tab
    workspace.plan_tab.reload()


def choose_format(editor, name: str) -> None:
    combo = editor.format_combo
    combo.setCurrentIndex(combo.findText(name))
    combo.activated.emit(combo.currentIndex())


def test_girp_goal_and_intervention_come_from_the_plan(workspace, ws_ctx, ws_client, qtbot):
    with_active_plan(workspace, ws_ctx, ws_client)
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.new_note()
    editor = tab.editor
    choose_format(editor, "GIRP")
    goal_button = editor.sections.insert_buttons["goal"]
    intervention_button = editor.sections.insert_buttons["intervention"]
    qtbot.waitUntil(goal_button.isVisible)  # the GIRP sections are shown
    assert not goal_button.isEnabled() and goal_button.toolTip() == TICK_FIRST

    editor.links.objectives.set_checked(BREATHE.id)
    assert goal_button.isEnabled()
    qtbot.mouseClick(goal_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(goal_button, Qt.MouseButton.LeftButton)  # twice: nothing is added twice
    goal = editor.section_edit("goal")
    assert goal.toPlainText() == "Take the bus to work — objective: Breathe through a panic wave"
    qtbot.mouseClick(intervention_button, Qt.MouseButton.LeftButton)
    intervention = editor.section_edit("intervention")
    assert intervention.toPlainText() == "Interoceptive exposure (CBT, every session)"  # the ticked one's

    editor.links.objectives.set_checked(BREATHE.id, False)  # none ticked: all of the plan's
    type_into(qtbot, intervention, "\nReviewed the diary")
    qtbot.mouseClick(intervention_button, Qt.MouseButton.LeftButton)
    assert intervention.toPlainText().splitlines() == [
        "Interoceptive exposure (CBT, every session)", "Reviewed the diary", "Graded in-vivo exposure"]
    intervention.undo()  # one insertion, one undo step
    assert intervention.toPlainText().splitlines()[-1] == "Reviewed the diary"

    editor.flush()
    [stored] = notes.list_notes(ws_ctx.uow(), ws_client)
    assert stored.section_text("goal").startswith("Take the bus to work — objective")
    choose_format(editor, "BIRP")  # BIRP has an intervention section, and no goal
    assert set(editor.sections.insert_buttons) == {"intervention"}


def test_without_an_active_plan_there_is_nothing_to_insert(workspace, qtbot):
    tab = workspace.notes_tab
    tab.new_note()
    choose_format(tab.editor, "GIRP")
    for button in tab.editor.sections.insert_buttons.values():
        assert not button.isEnabled() and "No active treatment plan" in button.toolTip()


def test_homework_assigned_in_a_note_is_linked_to_it(workspace, ws_ctx, ws_client, qtbot):
    with_active_plan(workspace, ws_ctx, ws_client)
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.new_note()
    editor = tab.editor
    editor.links.objectives.set_checked(RIDE.id)
    seen: list[str | None] = []

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AssignHomeworkDialog)
        seen.append(dialog.form.goal_combo.currentData())  # the goal of the ticked objective
        type_into(qtbot, dialog.form.description, "Ride two stops and stay on")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_in)
    qtbot.mouseClick(editor.links.assign_button, Qt.MouseButton.LeftButton)
    [homework] = care.list_homework(ws_ctx.uow(), ws_client)
    assert seen == [GOAL.id]
    assert homework.description == "Ride two stops and stay on" and homework.goal_id == GOAL.id
    assert homework.assigned_in_note == editor.note_id
    [note] = notes.list_notes(ws_ctx.uow(), ws_client)  # saved with the link, though nothing was typed
    assert note.id == editor.note_id and note.homework_assigned == (homework.id,)
    assert editor.links.homework_assigned.checked_ids() == (homework.id,)
    assert workspace.homework_tab.model.rowCount() == 1  # the Homework tab shows it too

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AssignHomeworkDialog)
        type_into(qtbot, dialog.form.description, "Not this one")
        dialog.reject()

    QTimer.singleShot(0, cancel)
    qtbot.mouseClick(editor.links.assign_button, Qt.MouseButton.LeftButton)
    assert len(care.list_homework(ws_ctx.uow(), ws_client)) == 1


def test_delete_an_unsigned_draft_after_confirming(workspace, ws_ctx, ws_client, answers, qtbot):
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.new_note()
    editor = tab.editor
    type_into(qtbot, editor.section_edit("subjective"), "Wrong client's session")
    editor.flush()
    assert editor.delete_button.isVisible() and tab.model.rowCount() == 1

    answers.answer = False
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert answers.asked[-1][0] == "Delete draft" and len(notes.list_notes(ws_ctx.uow(), ws_client)) == 1
    answers.answer = True
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert notes.list_notes(ws_ctx.uow(), ws_client) == []
    assert tab.model.rowCount() == 0 and editor.note_id is None


def test_a_signed_note_has_no_delete(workspace, ws_ctx, ws_client, answers, qtbot):
    tab = workspace.notes_tab
    tab.new_note()
    type_into(qtbot, tab.editor.section_edit("subjective"), "Signed session")
    tab.editor.flush()
    note_id = tab.editor.note_id
    notes.sign_note(ws_ctx.uow(), note_id)
    tab.reload()
    tab.open_note(note_id)
    assert tab.editor.read_only and not tab.editor.delete_button.isVisibleTo(tab.editor)
    asked = len(answers.asked)
    assert tab.delete_draft() is False and len(answers.asked) == asked  # not even asked
    assert notes.get_note(ws_ctx.uow(), note_id)[0].is_signed


def test_a_signed_note_lists_only_what_it_refers_to_as_plain_text(workspace, ws_ctx, ws_client, qtbot):
    with_active_plan(workspace, ws_ctx, ws_client)
    diary = care.add_homework(ws_ctx.uow(), Homework(ws_client, "Panic diary", today()))
    care.add_homework(ws_ctx.uow(), Homework(ws_client, "Walk to the stop", today()))
    workspace.notes_tab.refresh_context()
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.new_note()
    links = tab.editor.links
    assert links.objectives.isVisible() and links.objectives.count() == 2  # a draft: everything to tick
    assert not any(label.isVisible() for label in links.summaries.values())
    links.objectives.set_checked(RIDE.id)
    links.homework_reviewed.set_checked(diary.id)
    type_into(qtbot, tab.editor.section_edit("subjective"), "Rode one stop")
    tab.editor.flush()
    note_id = tab.editor.note_id
    notes.sign_note(ws_ctx.uow(), note_id)
    tab.reload()
    tab.open_note(note_id)

    shown = {key: label.text() for key, label in links.summaries.items()}
    assert shown == {
        "objectives": "• One bus ride a week  — goal: Take the bus to work",
        "interventions": "None recorded",
        "homework_reviewed": "• Panic diary",
        "homework_assigned": "None linked",
        "risk": "Not assessed",
    }
    assert all(label.isVisible() for label in links.summaries.values())
    for hidden in (links.objectives, links.homework_reviewed, links.homework_assigned, links.interventions,
                   links.risk, links.assign_button):
        assert not hidden.isVisible()  # no boxes to tick or type in on a signed note
