"""Measures in the record: a questionnaire linked to the session note of its day, and what the scores
suggest for objectives linked to a measure, applied to the plan being edited with one click."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.domain.plans import Goal, Objective, ObjectiveStatus, PlanStatus, Problem, TreatmentPlan
from notesdesk.core.services import measures, notes, plans
from notesdesk.ui.workspace.measures.models import MeasureHistoryModel

pytest_plugins = ["tests.ui.workspace_fixtures"]

MOOD = Objective("Mood lifts most days", linked_measure="PHQ-9 < 10", status=ObjectiveStatus.IN_PROGRESS,
                 measurable_criterion="PHQ-9 total", target_date=date(2030, 1, 1))


def add_note(ctx, client_id: str, days_ago: int) -> str:
    note = SessionNote(client_id=client_id, session_date=today() - timedelta(days=days_ago),
                       format=NoteFormat.SOAP,
                       sections=notes.build_sections(NoteFormat.SOAP, {"subjective": "Session"}))
    return notes.create_note(ctx.uow(), note).id


def give_phq9(qtbot, tab, answers: tuple[int, ...]) -> None:
    tab.form.advance_ms = 0
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    for option in answers:
        qtbot.mouseClick(tab.form.option_buttons[option], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.form.option_buttons[0], Qt.MouseButton.LeftButton)  # the difficulty question
    qtbot.mouseClick(tab.form.finish_button, Qt.MouseButton.LeftButton)


def test_a_questionnaire_is_linked_to_the_session_note_of_its_day(workspace, ws_ctx, ws_client, qtbot):
    today_note = add_note(ws_ctx, ws_client, 0)
    near_note = add_note(ws_ctx, ws_client, 3)
    old_note = add_note(ws_ctx, ws_client, 20)
    tab = workspace.measures_tab
    workspace.tabs.setCurrentWidget(tab)
    combo = tab.note_combo
    listed = [combo.itemData(i) for i in range(combo.count())]
    assert listed == [None, today_note, near_note]  # within a week, nearest first
    assert combo.currentData() == today_note
    give_phq9(qtbot, tab, (1,) * 9)
    [row] = measures.measure_history(ws_ctx.uow(), ws_client)
    assert row.administration.note_id == today_note
    tip = tab.model.index(0, MeasureHistoryModel.COL_DATE).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == f"Session note: {today().isoformat()} SOAP (draft)"

    tab.date.setDate(tab.date.date().addDays(-20))  # given on the day of the old session
    assert combo.currentData() == old_note
    combo.setCurrentIndex(0)
    combo.activated.emit(0)  # the clinician links none
    workspace.notes_tab.new_note()  # a note saved meanwhile refreshes the list, keeping the choice
    workspace.notes_tab.editor.section_edit("subjective").setPlainText("Later")
    workspace.notes_tab.editor.flush()
    assert combo.currentData() is None and combo.count() == 2
    give_phq9(qtbot, tab, (0,) * 9)
    assert [r.administration.note_id for r in measures.measure_history(ws_ctx.uow(), ws_client)] == [
        None, today_note]  # oldest first


def test_plan_tab_suggests_a_status_from_the_scores_and_applies_it(workspace, ws_ctx, ws_client, qtbot):
    plan = TreatmentPlan(client_id=ws_client, problems=(
        Problem("Low mood", goals=(Goal("Enjoy things again", objectives=(MOOD,)),)),))
    active = plans.activate_plan(ws_ctx.uow(), plans.save_plan(ws_ctx.uow(), plan).id)
    tab = workspace.plan_tab
    tab.reload()
    panel = tab.suggestions
    assert panel.isVisibleTo(tab) and "no PHQ-9 score yet" in panel.labels[MOOD.id].text()
    assert panel.apply_buttons == {}

    measures_tab = workspace.measures_tab  # a PHQ-9 of 8, given in the measures tab
    workspace.tabs.setCurrentWidget(measures_tab)
    give_phq9(qtbot, measures_tab, (1, 1, 1, 1, 1, 1, 1, 1, 0))
    workspace.tabs.setCurrentWidget(tab)
    text = panel.labels[MOOD.id].text()
    assert "latest PHQ-9 8" in text and "confirm it is sustained" in text
    assert "suggests <b>achieved</b> (recorded: in progress)" in text
    status = tab.model.index_of(MOOD.id).siblingAtColumn(tab.model.COL_STATUS)
    assert status.data() == "in progress → achieved?"  # beside the objective in the tree too

    qtbot.mouseClick(panel.apply_buttons[MOOD.id], Qt.MouseButton.LeftButton)  # revises the signed plan
    assert tab.dirty and tab.plan.goals()[0].objectives[0].status is ObjectiveStatus.ACHIEVED
    assert tab.plan.status is PlanStatus.DRAFT and tab.plan.version == 2
    assert panel.apply_buttons == {} and "agrees with the recorded status" in panel.labels[MOOD.id].text()
    assert tab.model.index_of(MOOD.id).siblingAtColumn(tab.model.COL_STATUS).data() == "achieved"
    assert tab.save()
    versions = plans.plan_versions(ws_ctx.uow(), ws_client)
    assert [v.status for v in versions] == [PlanStatus.ACTIVE, PlanStatus.DRAFT]  # a new version, a draft
    assert versions[0].id == active.id and versions[0].goals()[0].objectives[0].status is MOOD.status
    assert versions[1].goals()[0].objectives[0].status is ObjectiveStatus.ACHIEVED


def test_editing_the_linked_measure_updates_the_suggestion(workspace, ws_ctx, ws_client):
    plan = TreatmentPlan(client_id=ws_client, problems=(
        Problem("Low mood", goals=(Goal("Enjoy things again", objectives=(MOOD,)),)),))
    plans.save_plan(ws_ctx.uow(), plan)
    measures.record_measure(ws_ctx.uow(), ws_client, "PHQ-9", (2,) * 9)
    tab = workspace.plan_tab
    tab.reload()
    text = tab.suggestions.labels[MOOD.id].text()  # a draft plan is read too: 18 is not < 10
    assert "latest PHQ-9 18" in text and "agrees with the recorded status (in progress)" in text
    assert tab.suggestions.apply_buttons == {}
    tab.select(MOOD.id)
    form = tab.detail.current_form()
    form.measure.setText("GAD-7 < 5")
    assert "no GAD-7 score yet" in tab.suggestions.labels[MOOD.id].text()
    form.measure.setText("mood good")
    assert "must read" in tab.suggestions.labels[MOOD.id].text()
    form.measure.setText("")
    assert not tab.suggestions.isVisibleTo(tab)
