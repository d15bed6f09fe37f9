"""The workspace's Qt models (named columns, no window) and its Qt-free helpers."""

from __future__ import annotations

import os
from datetime import date, datetime, time

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

os.environ["NOTESDESK_INSECURE_TEST_KDF"] = "1"

from notesdesk.core.domain.care import (  # noqa: E402
    Checkin,
    CheckinStatus,
    Homework,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    PhaseEntry,
    StatusChange,
)
from notesdesk.core.domain.notes import NoteFormat, PrivateNote, Section, SessionNote, Signature  # noqa: E402
from notesdesk.core.domain.plans import Goal, Objective, ObjectiveStatus, TreatmentPlan  # noqa: E402
from notesdesk.core.errors import InvalidInput, NotFound  # noqa: E402
from notesdesk.core.services import templates  # noqa: E402
from notesdesk.ui.workspace.models import (  # noqa: E402
    ID_ROLE,
    CheckinTableModel,
    HomeworkTableModel,
    MilestoneTableModel,
    NoteListModel,
    PhaseHistoryModel,
    PlanTreeModel,
    PrivateNoteListModel,
    StatusHistoryModel,
)
from notesdesk.ui.workspace.overview.data import goal_status, safety_plan_label  # noqa: E402
from notesdesk.ui.workspace.plan import edit as plan_edit  # noqa: E402
from notesdesk.ui.workspace.plan.text import compare, plan_lines, to_html  # noqa: E402

TIP = Qt.ItemDataRole.ToolTipRole
SIG = Signature(datetime(2024, 5, 1, 10), "Dr A", "PsyD", "h", "s", "f")


def cells(model, row):
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_note_list_model_columns():
    draft = SessionNote("c", date(2024, 5, 2), NoteFormat.SOAP, (Section("subjective", "S", "x"),))
    signed = SessionNote("c", date(2024, 5, 1), NoteFormat.CUSTOM, (), template_name="Speech", signature=SIG)
    model = NoteListModel()
    assert model.HEADERS == ("Date", "Status", "Format")  # the status right after the date: never hidden
    model.set_notes([draft, signed], {signed.id: 2})
    assert model.rowCount() == 2 and model.columnCount() == 3
    assert cells(model, 0) == ["2024-05-02", "Draft", "SOAP"]
    assert cells(model, 1) == ["2024-05-01", "Signed\n2 addenda", "Speech"]
    assert model.headerData(NoteListModel.COL_STATUS, Qt.Orientation.Horizontal) == "Status"
    assert "addenda" in model.headerData(NoteListModel.COL_STATUS, Qt.Orientation.Horizontal, TIP)
    assert model.index(1, NoteListModel.COL_STATUS).data(TIP) == "Signed, with 2 addenda"
    assert model.index(0, NoteListModel.COL_STATUS).data(TIP) == "Draft: not signed yet"
    model.set_notes([signed], {signed.id: 1})
    assert model.index(0, NoteListModel.COL_STATUS).data() == "Signed\n1 addendum"
    assert model.index(0, NoteListModel.COL_STATUS).data(TIP) == "Signed, with 1 addendum"
    model.set_notes([draft, signed], {signed.id: 2})
    assert model.index(1, 0).data(ID_ROLE) == signed.id
    assert model.row_of(signed.id) == 1 and model.row_of("nope") == -1
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)


def test_the_note_list_shows_each_sessions_times_under_its_format():
    timed = SessionNote("c", date(2024, 5, 2), NoteFormat.SOAP, (), start_time=time(16, 0),
                        end_time=time(16, 50))
    started = SessionNote("c", date(2024, 5, 1), NoteFormat.SOAP, (), start_time=time(9, 5))
    untimed = SessionNote("c", date(2024, 4, 30), NoteFormat.SOAP, ())
    model = NoteListModel()
    model.set_notes([timed, started, untimed], {})
    shown = [model.index(row, NoteListModel.COL_FORMAT).data() for row in range(3)]
    assert shown == ["SOAP\n16:00–16:50", "SOAP\nfrom 09:05", "SOAP"]
    assert model.index(0, NoteListModel.COL_FORMAT).data(TIP) == "SOAP; session 16:00–16:50 (50 min)"
    assert model.index(0, NoteListModel.COL_DATE).data() == "2024-05-02"


def test_private_note_model_previews_the_first_line():
    long = PrivateNote("c", date(2024, 5, 1), "\n" + "word " * 30)
    model = PrivateNoteListModel()
    model.set_rows([long])
    date_cell, preview = cells(model, 0)
    assert date_cell == "2024-05-01"
    assert preview.endswith("…") and len(preview) == PrivateNoteListModel.PREVIEW_CHARS


def test_homework_and_checkin_models():
    hw = Homework("c", "Breathing", date(2024, 5, 1), goal_id="g1", due_date=date(2024, 5, 8),
                  checkins=(Checkin(date(2024, 5, 3), CheckinStatus.PARTIAL, "some days"),))
    old = Homework("c", "Diary", date(2024, 4, 1), goal_id="gone", active=False, assigned_in_note="n0")
    model = HomeworkTableModel()
    model.set_homework([hw, old], {"g1": "Take the bus"})
    assert model.HEADERS[model.COL_LAST] == "Last check-in"
    # Five columns: the goal under the homework, the note under the date assigned, "ended" under how
    # often it repeated, the check-in's status under its date (tests/ui/test_homework_table_laptop.py).
    assert cells(model, 0) == ["Breathing\nGoal: Take the bus", "2024-05-01", "2024-05-08", "once",
                               "2024-05-03\npartial"]
    assert cells(model, 1)[model.COL_DESCRIPTION] == "Diary\nGoal: (earlier plan)"
    assert cells(model, 1)[model.COL_ASSIGNED] == "2024-04-01\nin a removed note"
    model.set_homework([hw, old], {}, {"n0": "2024-04-01 SOAP (signed)"})
    assert cells(model, 1)[model.COL_ASSIGNED] == "2024-04-01\nin SOAP (signed)"
    tip = model.index(1, model.COL_ASSIGNED).data(TIP)
    assert tip == "Assigned 2024-04-01, in the note 2024-04-01 SOAP (signed)"
    model.set_homework([hw, old], {}, {"n0": "2024-04-03 SOAP (signed)"})  # a note of another day
    assert cells(model, 1)[model.COL_ASSIGNED] == "2024-04-01\nin 2024-04-03 SOAP (signed)"
    # The description's tooltip says everything the row holds.
    assert model.index(1, model.COL_DESCRIPTION).data(Qt.ItemDataRole.ToolTipRole).splitlines() == [
        "Diary", "Goal: (earlier plan)", "Assigned: 2024-04-01", "Repeats: once", "Last check-in: none yet",
        "State: ended", "Assigned in: 2024-04-03 SOAP (signed)"]
    assert cells(model, 1)[model.COL_LAST] == "none yet"
    assert cells(model, 1)[model.COL_RECURRENCE] == "once\nended"
    checkins = CheckinTableModel()
    checkins.set_rows(hw.checkins)
    assert cells(checkins, 0) == ["2024-05-03", "partial", "some days"]


def test_milestone_status_and_phase_models():
    history = (StatusChange(date(2024, 1, 1), MilestoneStatus.PLANNED, "created"),
               StatusChange(date(2024, 2, 1), MilestoneStatus.ACHIEVED, "yes"),
               StatusChange(date(2024, 3, 1), MilestoneStatus.EMERGING, "setback"))
    m = Milestone("c", MilestoneKind.SAFETY, "Sleeps", dimension="physical",
                  status=MilestoneStatus.EMERGING, history=history)
    model = MilestoneTableModel()
    model.set_rows([m])
    assert cells(model, 0) == ["physical", "Sleeps", "emerging", "2024-03-01", "2024-02-01"]
    statuses = StatusHistoryModel()
    statuses.set_rows(history)
    assert cells(statuses, 2) == ["2024-03-01", "emerging", "setback"]
    phases = PhaseHistoryModel()
    phases.set_rows([PhaseEntry("c", "processing", date(2024, 4, 1), comment="ready")])
    assert cells(phases, 0) == ["2024-04-01", "processing", "ready"]


def sample_plan():
    plan = TreatmentPlan(client_id="c")
    plan, problem = plan_edit.add_child(plan, None)
    plan, goal = plan_edit.add_child(plan, problem.id)
    plan, objective = plan_edit.add_child(plan, goal.id)
    plan, intervention = plan_edit.add_child(plan, objective.id)
    return plan, problem, goal, objective, intervention


def test_plan_tree_model_is_a_valid_tree_and_updates_in_place():
    plan, problem, goal, objective, intervention = sample_plan()
    model = PlanTreeModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_plan(plan)
    assert model.HEADERS == ("Item", "Status / frequency", "Target date")  # says what the column holds
    assert "how often an intervention" in model.headerData(model.COL_STATUS, Qt.Orientation.Horizontal, TIP)
    assert model.rowCount() == 1
    leaf = model.index_of(intervention.id)
    assert leaf.data() == "Intervention: New intervention"
    assert model.parent(leaf) == model.index_of(objective.id)
    assert model.parent(model.index_of(problem.id)) == QModelIndex()
    assert model.data(leaf, ID_ROLE) == intervention.id
    plan = plan_edit.update_node(plan, objective.id, target_date=date(2030, 1, 2),
                                 status=ObjectiveStatus.ACHIEVED)
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    model.set_plan(plan)  # same shape: no reset, so the view keeps its selection
    assert resets == []
    row = model.index_of(objective.id)
    assert row.siblingAtColumn(model.COL_TARGET).data() == "2030-01-02"
    assert row.siblingAtColumn(model.COL_STATUS).data() == "achieved"
    assert model.index_of(goal.id).siblingAtColumn(model.COL_STATUS).data() == "achieved; not agreed"
    model.set_plan(plan_edit.remove_node(plan, goal.id))
    assert resets == [1] and model.rowCount(model.index_of(problem.id)) == 0


def test_plan_edits_are_pure():
    plan, problem, goal, objective, intervention = sample_plan()
    moved, second = plan_edit.add_child(plan, None)
    moved = plan_edit.move_node(moved, second.id, -1)
    assert [p.id for p in moved.problems] == [second.id, problem.id]
    assert plan_edit.ancestor(plan, intervention.id, plan_edit.GOAL) == goal.id
    assert plan_edit.ancestor(plan, problem.id, plan_edit.GOAL) is None
    with pytest.raises(ValueError):
        plan_edit.add_child(plan, intervention.id)
    assert len(plan.problems) == 1  # the original is untouched


def test_plan_versions_compare_line_by_line():
    plan, *_ = sample_plan()
    changed = plan_edit.update_node(plan, plan.goals()[0].id, statement="Sleep")
    left, right = compare(plan_lines(plan), plan_lines(changed))
    assert [line for line, diff in left if diff] == ["  Goal: New goal (not yet agreed)"]
    assert [line for line, diff in right if diff] == ["  Goal: Sleep (not yet agreed)"]
    html = to_html(right, "x")
    assert '<div style="margin-left:1.2em; x">± Goal: Sleep' in html
    assert "<script" not in to_html([("<script>", True)])


def test_goal_status_and_safety_label():
    assert goal_status(Goal("g")) == "no objectives yet"
    objectives = (Objective("a", status=ObjectiveStatus.ACHIEVED), Objective("b"))
    assert goal_status(Goal("g", objectives=objectives)) == "in progress (1 of 2 objectives achieved)"
    assert goal_status(Goal("g", objectives=objectives[:1])) == "achieved"
    assert safety_plan_label(None, None) == "None yet"
    assert safety_plan_label(3, date(2024, 5, 1)) == "Version 3, reviewed on 2024-05-01"


def test_template_service_round_trip(tmp_path):
    from notesdesk.core.storage.vault import Vault

    vault, _ = Vault.create(tmp_path / "v.notesdesk", "correct horse battery")
    try:
        template = templates.make_template("Speech", ["Targets", "Targets", "Home plan"])
        assert template.sections == (("targets", "Targets"), ("targets_2", "Targets"),
                                     ("home_plan", "Home plan"))
        templates.save_template(vault.unit_of_work(), template)
        physio = templates.save_template(vault.unit_of_work(), templates.make_template("Physio", ["ROM"]))
        assert [t.name for t in templates.list_templates(vault.unit_of_work())] == ["Physio", "Speech"]
        with pytest.raises(InvalidInput):
            templates.save_template(vault.unit_of_work(), templates.make_template("speech", ["x"]))
        with pytest.raises(InvalidInput):
            templates.make_template("SOAP", ["x"])
        templates.delete_template(vault.unit_of_work(), physio.id)
        assert templates.get_template(vault.unit_of_work(), "Speech").id == template.id
        with pytest.raises(NotFound):
            templates.delete_template(vault.unit_of_work(), physio.id)
    finally:
        vault.close()
    reopened = Vault.open(tmp_path / "v.notesdesk", "correct horse battery")  # audit chain still verifies
    try:
        assert [t.name for t in templates.list_templates(reopened.unit_of_work())] == ["Speech"]
    finally:
        reopened.close()
