"""Homework, milestones and phase, safety plan and the overview, through the widgets."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from notesdesk.core.domain.care import CheckinStatus, Homework, MilestoneKind, MilestoneStatus
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.domain.plans import Goal, Objective, Problem, TreatmentPlan
from notesdesk.core.services import care, notes, plans
from notesdesk.ui.session import Kind
from tests.ui.workspace_helpers import type_into

pytest_plugins = ["tests.ui.workspace_fixtures"]


def active_plan(ctx, client_id, effective=None):
    goal = Goal(
        "Take the bus to work",
        client_words="I want my life back",
        objectives=(Objective("One bus ride a week", measurable_criterion="Rides a week",
                              target_date=date(2030, 1, 1)),),
    )
    plan = TreatmentPlan(client_id=client_id, problems=(Problem("Panic", goals=(goal,)),))
    plan = plans.save_plan(ctx.uow(), plan)
    # Activated through the session, as the plan tab does: the other tabs hear of it.
    return ctx.session.write(plans.activate_plan, plan.id, effective, change=Kind.PLAN, client_id=client_id)


def test_assign_homework_and_check_in_shows_adherence(workspace, ws_ctx, ws_client, qtbot):
    plan = active_plan(ws_ctx, ws_client)
    tab = workspace.homework_tab
    workspace.tabs.setCurrentWidget(tab)
    assert tab.goal_combo.findData(plan.goals()[0].id) > 0
    type_into(qtbot, tab.description, "Breathing practice, 10 minutes")
    type_into(qtbot, tab.rationale, "Calms the body before the bus")
    tab.goal_combo.setCurrentIndex(tab.goal_combo.findData(plan.goals()[0].id))
    tab.recurrence.setCurrentIndex(tab.recurrence.findData("daily"))
    qtbot.mouseClick(tab.assign_button, Qt.MouseButton.LeftButton)
    [homework] = care.list_homework(ws_ctx.uow(), ws_client)
    assert homework.goal_id == plan.goals()[0].id and homework.recurrence.value == "daily"
    assert tab.model.rowCount() == 1
    homework_cell = tab.model.index(0, tab.model.COL_DESCRIPTION).data()
    assert homework_cell.splitlines() == ["Breathing practice, 10 minutes", "Goal: Take the bus to work"]
    assert tab.adherence_label.text() == "No check-ins yet"  # never any: not "in the last 4 weeks"

    tab.view.selectRow(0)
    tab.status.setCurrentIndex(tab.status.findData(CheckinStatus.DONE.value))
    type_into(qtbot, tab.report, "Did it most mornings")
    qtbot.mouseClick(tab.checkin_button, Qt.MouseButton.LeftButton)
    assert "100% (1 done)" in tab.adherence_label.text()
    tab.status.setCurrentIndex(tab.status.findData(CheckinStatus.NOT_DONE.value))
    tab.checkin_date.setDate(tab.checkin_date.date().addDays(-1))
    qtbot.mouseClick(tab.checkin_button, Qt.MouseButton.LeftButton)
    assert "50% (1 done, 1 not done)" in tab.adherence_label.text()
    assert tab.checkins_model.rowCount() == 2
    assert tab.model.index(0, tab.model.COL_LAST).data().endswith("done")
    stored = care.list_homework(ws_ctx.uow(), ws_client)[0]
    assert [c.client_report for c in stored.checkins] == ["Did it most mornings", ""]
    # The overview and the note editor's homework list follow.
    assert "50%" in workspace.overview_tab.text("homework")
    assert workspace.notes_tab.editor.links.homework_reviewed.count() == 1


def test_adherence_says_no_recent_check_ins_when_there_were_older_ones(workspace, ws_ctx, ws_client):
    old = care.add_homework(ws_ctx.uow(), Homework(ws_client, "Sleep diary", today() - timedelta(days=120)))
    care.check_in(ws_ctx.uow(), old.id, CheckinStatus.DONE, today() - timedelta(days=60), "filled it in")
    tab = workspace.homework_tab
    workspace.tabs.setCurrentWidget(tab)
    assert tab.adherence_label.text() == "No check-ins in the last 4 weeks"  # as the overview says
    assert "yet" not in tab.adherence_label.text()

    care.check_in(ws_ctx.uow(), old.id, CheckinStatus.NOT_DONE, today() - timedelta(days=3))
    tab.reload()
    assert tab.adherence_label.text() == "Adherence over the last 4 weeks: 0% (1 not done)"


def test_set_a_safety_milestone_and_change_its_status_both_ways(workspace, ws_ctx, ws_client, qtbot):
    note = notes.create_note(
        ws_ctx.uow(),
        SessionNote(
            client_id=ws_client,
            session_date=today(),
            format=NoteFormat.FREE,
            sections=notes.build_sections(NoteFormat.FREE, {"text": "Slept 7 hours most nights"}),
        ),
    )
    tab = workspace.milestones_tab
    tab.refresh_notes()
    workspace.tabs.setCurrentWidget(tab)
    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData(MilestoneKind.SAFETY.value))
    assert [tab.dimension_combo.itemText(i) for i in range(tab.dimension_combo.count())] == [
        "physical",
        "emotional",
        "social",
        "relational",
    ]
    tab.dimension_combo.setCurrentText("physical")
    type_into(qtbot, tab.title_edit, "Sleeps through most nights")
    type_into(qtbot, tab.criteria_edit, "5 of 7 nights, sleep diary")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    [milestone] = care.list_milestones(ws_ctx.uow(), ws_client)
    assert (milestone.kind, milestone.dimension) == (MilestoneKind.SAFETY, "physical")
    safety = tab.models[MilestoneKind.SAFETY]
    assert safety.rowCount() == 1 and tab.models[MilestoneKind.INTEGRATION].rowCount() == 0
    assert safety.index(0, safety.COL_TITLE).data() == "Sleeps through most nights"

    tab.views[MilestoneKind.SAFETY].selectRow(0)
    tab.new_status.setCurrentIndex(tab.new_status.findData(MilestoneStatus.ACHIEVED.value))
    type_into(qtbot, tab.status_comment, "Diary shows 6 of 7")
    tab.evidence_combo.setCurrentIndex(tab.evidence_combo.findData(note.id))
    qtbot.mouseClick(tab.status_button, Qt.MouseButton.LeftButton)
    assert "Sleeps through most nights" in workspace.overview_tab.text("milestones")
    tab.new_status.setCurrentIndex(tab.new_status.findData(MilestoneStatus.EMERGING.value))
    type_into(qtbot, tab.status_comment, "Setback after the move")
    qtbot.mouseClick(tab.status_button, Qt.MouseButton.LeftButton)
    [milestone] = care.list_milestones(ws_ctx.uow(), ws_client)
    assert [c.status for c in milestone.history] == [
        MilestoneStatus.PLANNED,
        MilestoneStatus.ACHIEVED,
        MilestoneStatus.EMERGING,
    ]
    assert milestone.evidence_note_ids == (note.id,)
    assert tab.history_model.rowCount() == 3
    assert tab.history_model.index(2, tab.history_model.COL_COMMENT).data() == "Setback after the move"
    assert "Free text" in tab.evidence_label.text()  # the note it rests on, by its format label
    assert safety.index(0, safety.COL_STATUS).data() == "emerging"
    assert safety.index(0, safety.COL_REACHED).data() == today().isoformat()
    assert "0 of 1 reached" in workspace.overview_tab.text("milestones")


def test_set_the_phase_of_care(workspace, ws_ctx, ws_client, qtbot):
    panel = workspace.milestones_tab.phase
    assert panel.phase_combo.findText("safety and stabilisation") > 0
    panel.phase_combo.setCurrentText("safety and stabilisation")
    panel.phase_date.setDate(panel.phase_date.date().addDays(-14))
    qtbot.mouseClick(panel.set_button, Qt.MouseButton.LeftButton)
    panel.phase_combo.setCurrentText("a phase of our own")  # free text is allowed
    qtbot.mouseClick(panel.set_button, Qt.MouseButton.LeftButton)
    history = care.phase_history(ws_ctx.uow(), ws_client)
    assert [p.phase for p in history] == ["safety and stabilisation", "a phase of our own"]
    assert panel.current_label.text().startswith("Current phase: a phase of our own")
    assert panel.model.rowCount() == 2
    assert "a phase of our own" in workspace.overview_tab.text("phase")


def test_saving_the_safety_plan_twice_makes_two_versions(workspace, ws_ctx, ws_client, qtbot):
    tab = workspace.safety_tab
    workspace.tabs.setCurrentWidget(tab)
    assert tab.status_label.text().startswith("No safety plan yet")
    type_into(qtbot, tab.lists["warning_signs"], "Not sleeping\nCancelling plans")
    type_into(qtbot, tab.lists["coping_strategies"], "Walk the dog")
    people = tab.contacts["people_to_ask"]
    qtbot.mouseClick(people.add_button, Qt.MouseButton.LeftButton)
    people.table.item(0, 0).setText("Sam (sister)")
    people.table.item(0, 1).setText("555 0100")
    crisis = tab.contacts["crisis_lines"]
    crisis.add_row()
    crisis.table.item(0, 0).setText("988 Suicide & Crisis Lifeline")
    crisis.table.item(0, 1).setText("988")
    type_into(qtbot, tab.reason, "My daughter")
    assert tab.dirty
    assert tab.reviewed.value() is None  # nothing says it was reviewed with the client yet
    qtbot.mouseClick(tab.reviewed_today, Qt.MouseButton.LeftButton)  # ... until the clinician says so
    assert tab.save_button.text() == "&Save safety plan"
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.status_label.text() == f"Version 1, last reviewed {today().isoformat()}"
    assert tab.save_button.text() == "&Save as new version"
    tab.lists["coping_strategies"].moveCursor(QTextCursor.MoveOperation.End)
    type_into(qtbot, tab.lists["coping_strategies"], "\nCold water on my face")
    workspace.save_current()  # Ctrl+S
    versions = care.safety_plan_versions(ws_ctx.uow(), ws_client)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].coping_strategies == ("Walk the dog",)
    assert versions[1].coping_strategies == ("Walk the dog", "Cold water on my face")
    assert versions[1].people_to_ask[0].name == "Sam (sister)"
    assert versions[1].crisis_lines[0].phone == "988"
    assert tab.status_label.text().startswith("Version 2, last reviewed")
    # An earlier version is browsed read-only, without touching what is being edited.
    assert tab.version_combo.count() == 3
    tab.version_combo.setCurrentIndex(tab.version_combo.findData(versions[0].id))
    assert tab.stack.currentWidget() is tab.viewer and tab.viewer.isReadOnly()
    shown = tab.viewer.toPlainText()
    assert "Version 1" in shown and "Walk the dog" in shown and "Cold water" not in shown
    tab.version_combo.setCurrentIndex(0)
    assert tab.stack.currentIndex() == 0
    assert "Version 2, reviewed on" in workspace.overview_tab.text("safety")


def test_overview_shows_the_client_at_a_glance(workspace, ws_ctx, ws_client):
    plan = active_plan(ws_ctx, ws_client, today() - timedelta(days=200))  # reviewed 100 days ago
    plans.record_review(
        ws_ctx.uow(),
        ws_client,
        today() - timedelta(days=100),
        plans.ReviewOutcome.CONTINUE,
        "ok",
        next_due=today() - timedelta(days=10),
    )
    workspace.overview_tab.refresh()
    overview = workspace.overview_tab
    assert "Take the bus to work" in overview.text("goals")
    assert "not started" in overview.text("goals") and "I want my life back" in overview.text("goals")
    assert "Review overdue" in overview.text("plan") and f"Version {plan.version}" in overview.text("plan")
    assert overview.text("safety") == "None yet"
    assert overview.measures_slot.layout() is not None  # the slot the measures issue fills


def test_every_control_has_an_accessible_name(workspace):
    kinds = (
        QAbstractButton,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
        QComboBox,
        QAbstractSpinBox,
        QAbstractItemView,
    )
    unnamed = []
    for widget in workspace.findChildren(QWidget):
        if not isinstance(widget, kinds):
            continue
        if isinstance(widget, QHeaderView) or isinstance(widget.parent(), QComboBox | QAbstractSpinBox):
            continue
        if type(widget).__name__ in ("QTabBar", "QToolButton") or widget.objectName().startswith("qt_"):
            continue
        if widget.parent().metaObject().className() == "QComboBoxPrivateContainer":  # a combo popup
            continue
        if not widget.accessibleName():
            unnamed.append(f"{type(widget).__name__} {widget.objectName()!r}")
    assert unnamed == [], "\n".join(unnamed)


def test_keyboard_shortcuts(workspace, ws_ctx, ws_client, qtbot):
    workspace.activateWindow()
    qtbot.keyClick(workspace.tabs, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert workspace.tabs.currentWidget() is workspace.notes_tab
    editor = workspace.notes_tab.editor
    assert editor.note_id is not None and not editor.read_only
    type_into(qtbot, editor.section_edit("subjective"), "Via the keyboard")
    qtbot.keyClick(editor.section_edit("subjective"), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert notes.list_notes(ws_ctx.uow(), ws_client)[0].section_text("subjective") == "Via the keyboard"
    qtbot.keyClick(editor.section_edit("subjective"), Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert notes.list_notes(ws_ctx.uow(), ws_client)[0].is_signed


def test_hiding_the_workspace_saves_every_open_editor(workspace, ws_ctx, ws_client, qtbot):
    type_into(qtbot, workspace.safety_tab.lists["warning_signs"], "Not sleeping")
    plan_tab = workspace.plan_tab
    plan_tab.add_node("problem")
    workspace.notes_tab.new_note()
    type_into(qtbot, workspace.notes_tab.editor.section_edit("subjective"), "Typed, then left")
    workspace.hide()  # the shell switching to another client or the client list
    assert care.safety_plan_versions(ws_ctx.uow(), ws_client)[0].warning_signs == ("Not sleeping",)
    assert [p.title for p in plans.plan_versions(ws_ctx.uow(), ws_client)[0].problems] == ["New problem"]
    assert notes.list_notes(ws_ctx.uow(), ws_client)[0].section_text("subjective") == "Typed, then left"
    assert not workspace.safety_tab.dirty and not plan_tab.dirty


def test_psychotherapy_notes_are_listed_only_when_their_tab_is_opened(workspace, ws_ctx, ws_client):
    from notesdesk.core.domain.notes import PrivateNote

    notes.add_private_note(ws_ctx.uow(), PrivateNote(ws_client, today(), "Process note"))
    private = workspace.private_tab
    assert private.model.rowCount() == 0  # listing them is audited as viewing them
    workspace.tabs.setCurrentWidget(private)
    assert private.model.rowCount() == 1


def test_an_unticked_due_date_shows_no_date_and_ticking_it_brings_one(workspace, ws_ctx, ws_client, qtbot):
    tab = workspace.homework_tab
    workspace.tabs.setCurrentWidget(tab)
    due = tab.due
    assert not due.check.isChecked() and due.edit.text() == "—"  # not today's date, greyed out
    assert due.value() is None

    qtbot.mouseClick(due.check, Qt.MouseButton.LeftButton)
    week = today() + timedelta(days=7)  # the next session, taken to be a week away (issue 15)
    assert due.edit.isEnabled() and due.edit.text() == week.isoformat() and due.value() == week
    due.edit.setDate(due.edit.date().addDays(7))
    qtbot.mouseClick(due.check, Qt.MouseButton.LeftButton)
    assert due.edit.text() == "—" and due.value() is None
    qtbot.mouseClick(due.check, Qt.MouseButton.LeftButton)  # the date chosen before comes back
    assert due.value() == today() + timedelta(days=14)

    type_into(qtbot, tab.description, "Ride two stops")
    qtbot.mouseClick(tab.assign_button, Qt.MouseButton.LeftButton)
    [homework] = care.list_homework(ws_ctx.uow(), ws_client)
    assert homework.due_date == today() + timedelta(days=14)
    assert due.edit.text() == "—"  # the form is cleared for the next one
