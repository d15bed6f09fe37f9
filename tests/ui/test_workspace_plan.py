"""The treatment plan tab: tree editor, detail forms, activation warning, reviews, versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt

from notesdesk.core.domain.common import today
from notesdesk.core.domain.plans import AgreementHow, ObjectiveStatus, PlanStatus, ReviewOutcome
from notesdesk.core.services import plans
from notesdesk.ui.workspace.plan import edit as plan_edit
from tests.ui.workspace_helpers import type_into

pytest_plugins = ["tests.ui.workspace_fixtures"]


def replace_text(qtbot, widget, text):
    widget.selectAll()
    type_into(qtbot, widget, text)


def marked_line(view, text):
    return next(line for line in view.toPlainText().splitlines() if text in line)


def build_plan(qtbot, tab):
    """Problem -> goal -> objective -> intervention, typed into the detail forms."""
    forms = tab.detail.forms
    qtbot.mouseClick(tab.add_buttons[plan_edit.PROBLEM], Qt.MouseButton.LeftButton)
    replace_text(qtbot, forms[plan_edit.PROBLEM].title, "Panic attacks")
    qtbot.mouseClick(tab.add_buttons[plan_edit.GOAL], Qt.MouseButton.LeftButton)
    goal_form = forms[plan_edit.GOAL]
    replace_text(qtbot, goal_form.statement, "Reduce panic frequency")
    type_into(qtbot, goal_form.client_words, "I want to take the bus again")
    goal_form.agreed.setChecked(True)
    qtbot.mouseClick(tab.add_buttons[plan_edit.OBJECTIVE], Qt.MouseButton.LeftButton)
    objective_form = forms[plan_edit.OBJECTIVE]
    replace_text(qtbot, objective_form.description, "Fewer than 1 attack a week")
    type_into(qtbot, objective_form.criterion, "attacks per week, diary")
    type_into(qtbot, objective_form.baseline, "4 a week")
    type_into(qtbot, objective_form.target, "under 1 a week")
    objective_form.target_date.set_value(date(2030, 6, 30))
    objective_form.status.setCurrentIndex(objective_form.status.findData(ObjectiveStatus.IN_PROGRESS.value))
    qtbot.mouseClick(tab.add_buttons[plan_edit.INTERVENTION], Qt.MouseButton.LeftButton)
    intervention_form = forms[plan_edit.INTERVENTION]
    replace_text(qtbot, intervention_form.technique, "Interoceptive exposure")
    type_into(qtbot, intervention_form.frequency, "every session")


def test_build_a_plan_through_the_tree_editor_and_activate_it(workspace, ws_ctx, ws_client, answers, qtbot):
    tab = workspace.plan_tab
    workspace.tabs.setCurrentWidget(tab)
    assert not tab.add_buttons[plan_edit.GOAL].isEnabled()  # nothing selected: only "Add problem"
    build_plan(qtbot, tab)
    model = tab.model
    labels = [model.data(model.index_of(ref.node.id)) for ref in plan_edit.walk(tab.plan)]
    assert labels == [
        "Problem: Panic attacks",
        "Goal: Reduce panic frequency",
        "Objective: Fewer than 1 attack a week",
        "Intervention: Interoceptive exposure",
    ]
    objective = tab.plan.objectives()[0]
    status_index = model.index_of(objective.id).siblingAtColumn(model.COL_STATUS)
    assert model.data(status_index) == "in progress"
    assert "unsaved changes" in tab.title.text()

    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    [draft] = plans.plan_versions(ws_ctx.uow(), ws_client)
    assert draft.status == PlanStatus.DRAFT
    goal = draft.goals()[0]
    assert (goal.client_words, goal.agreed_with_client) == ("I want to take the bus again", True)
    saved_objective = draft.objectives()[0]
    assert saved_objective.target_date == date(2030, 6, 30)
    assert saved_objective.baseline == "4 a week"
    assert [i.technique for i in draft.interventions()] == ["Interoceptive exposure"]

    # Activation warns with the Medicare fields still missing; declining keeps the draft.
    answers.answer = False
    qtbot.mouseClick(tab.activate_button, Qt.MouseButton.LeftButton)
    title, question = answers.asked[-1]
    assert title == "Activate plan"
    for missing in ("diagnoses", "session length", "frequency", "expected duration", "type of service"):
        assert missing in question
    assert plans.plan_versions(ws_ctx.uow(), ws_client)[0].status == PlanStatus.DRAFT
    answers.answer = True
    qtbot.mouseClick(tab.activate_button, Qt.MouseButton.LeftButton)
    [active] = plans.plan_versions(ws_ctx.uow(), ws_client)
    assert active.status == PlanStatus.ACTIVE and active.review_due is not None
    assert "active" in tab.title.text()
    assert ws_ctx.errors.last_message is None


def test_complete_plan_activates_without_a_warning(workspace, ws_ctx, ws_client, answers, qtbot):
    tab = workspace.plan_tab
    build_plan(qtbot, tab)
    fields = tab.fields
    type_into(qtbot, fields.diagnoses, "F41.0 Panic disorder")
    fields.service_type.setCurrentText("individual")
    fields.session_length.setValue(50)
    type_into(qtbot, fields.frequency, "weekly")
    type_into(qtbot, fields.duration, "16 weeks")
    qtbot.mouseClick(tab.activate_button, Qt.MouseButton.LeftButton)
    assert answers.asked == []
    [active] = plans.plan_versions(ws_ctx.uow(), ws_client)
    assert active.status == PlanStatus.ACTIVE
    assert (active.diagnoses, active.session_length_minutes) == (("F41.0 Panic disorder",), 50)


def test_remove_move_and_record_a_review_then_compare_versions(workspace, ws_ctx, ws_client, answers, qtbot):
    tab = workspace.plan_tab
    build_plan(qtbot, tab)
    qtbot.mouseClick(tab.add_buttons[plan_edit.PROBLEM], Qt.MouseButton.LeftButton)
    replace_text(qtbot, tab.detail.forms[plan_edit.PROBLEM].title, "Low mood")
    tab._move(-1)
    assert [p.title for p in tab.plan.problems] == ["Low mood", "Panic attacks"]
    tab.select(tab.plan.problems[0].id)
    tab.remove_selected()  # no children: no question
    assert [p.title for p in tab.plan.problems] == ["Panic attacks"]
    assert answers.asked == []
    qtbot.mouseClick(tab.activate_button, Qt.MouseButton.LeftButton)

    panel = tab.reviews
    assert panel.record_button.isEnabled()
    panel.outcome.setCurrentIndex(panel.outcome.findData(ReviewOutcome.CONTINUE.value))
    type_into(qtbot, panel.summary, "Reviewed with the client; goals still relevant")
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    [active] = plans.plan_versions(ws_ctx.uow(), ws_client)
    assert [r.summary for r in active.reviews] == ["Reviewed with the client; goals still relevant"]
    assert "goals still relevant" in panel.history.toPlainText()

    # The active plan is signed and read-only; Revise makes a new draft version to edit, and the
    # versions sit side by side.
    assert tab.plan.is_signed and tab.title.text().endswith(" — signed")
    # said once, where the way to change it is said too
    shown = tab.title.text() + tab.signing.status.text()
    assert shown.count("locked") == 1 and "Revise to change it" in tab.signing.status.text()
    assert not tab.detail.isEnabled() and not tab.fields.isEnabled() and tab.save_button.isHidden()
    assert not any(button.isEnabled() for button in tab.add_buttons.values())
    qtbot.mouseClick(tab.signing.revise_button, Qt.MouseButton.LeftButton)
    assert tab.plan.status == PlanStatus.DRAFT and tab.detail.isEnabled()
    tab.select(tab.plan.goals()[0].id)
    replace_text(qtbot, tab.detail.forms[plan_edit.GOAL].statement, "No panic on the bus")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    versions = plans.plan_versions(ws_ctx.uow(), ws_client)
    assert [(p.version, p.status) for p in versions] == [(1, PlanStatus.ACTIVE), (2, PlanStatus.DRAFT)]
    assert versions[1].effective_date is None and versions[1].review_due is None  # set on activation
    assert "version 1 stays active" in tab.title.text()
    compare = tab.compare
    assert compare.left_combo.count() == 2
    assert compare.left_combo.currentText().startswith("Version 1")
    assert compare.right_combo.currentText().startswith("Version 2")
    assert marked_line(compare.left_view, "Goal: Reduce panic frequency").startswith("±")
    assert marked_line(compare.right_view, "Goal: No panic on the bus").startswith("±")
    assert not marked_line(compare.right_view, "Problem: Panic attacks").startswith("±")
    assert compare.left_view.isReadOnly() and compare.right_view.isReadOnly()

    # Removing a node with children asks first.
    tab.select(tab.plan.problems[0].id)
    answers.answer = False
    tab.remove_selected()
    assert answers.asked[-1][0] == "Remove from plan" and len(tab.plan.problems) == 1


def test_open_plan_shows_an_older_version_in_the_comparison(workspace, ws_ctx, ws_client, qtbot):
    tab = workspace.plan_tab
    build_plan(qtbot, tab)
    tab.save()
    first = tab.plan
    tab.activate()
    tab.signing.revise()
    tab.select(tab.plan.problems[0].id)
    replace_text(qtbot, tab.detail.forms[plan_edit.PROBLEM].title, "Panic")
    tab.save()
    workspace.open_plan(first.id)
    assert workspace.tabs.currentWidget() is tab and tab.pages.currentWidget() is tab.compare
    assert tab.compare.left_combo.currentData() == first.id
    workspace.open_plan(tab.plan.id)
    assert tab.pages.currentIndex() == 0


def test_long_plan_items_wrap_in_the_tree_rather_than_being_cut(workspace, qtbot):
    tab = workspace.plan_tab
    workspace.tabs.setCurrentWidget(tab)
    build_plan(qtbot, tab)
    long = ("Use grounding to bring distress from 8/10 to 5/10 within 20 minutes, at home and on the bus, "
            "three times in a row")
    tree, model = tab.tree, tab.model
    tree.setCurrentIndex(model.index_of(tab.plan.objectives()[0].id))
    replace_text(qtbot, tab.detail.forms[plan_edit.OBJECTIVE].description, long)
    objective = model.index_of(tab.plan.objectives()[0].id)
    metrics = tree.fontMetrics()

    def wrapped() -> None:  # once the rows are laid out again after the edit
        rect = tree.visualRect(objective)
        assert metrics.horizontalAdvance(objective.data()) > rect.width()  # does not fit on one line
        lines = -(-metrics.horizontalAdvance(objective.data()) // rect.width())
        assert rect.height() >= lines * metrics.lineSpacing()  # so it takes as many lines as it needs

    qtbot.waitUntil(wrapped)
    # The second column says what it holds: an objective's status, an intervention's frequency.
    assert model.headerData(model.COL_STATUS, Qt.Orientation.Horizontal) == "Status / frequency"
    intervention = model.index_of(tab.plan.interventions()[0].id).siblingAtColumn(model.COL_STATUS)
    assert intervention.data() == "every session"


def test_the_clients_recorded_diagnoses_are_carried_into_the_plan(workspace, ws_ctx, ws_client, qtbot):
    from notesdesk.core.services import diagnoses
    from notesdesk.ui.session import Kind

    tab = workspace.plan_tab
    workspace.tabs.setCurrentWidget(tab)
    fields = tab.fields
    assert not fields.coded.isVisibleTo(fields) and tab.plan.diagnoses == ()  # nothing recorded yet
    ws_ctx.session.write(diagnoses.add_diagnosis, ws_client, "F41.1", change=Kind.DIAGNOSIS,
                         client_id=ws_client)
    ws_ctx.session.write(diagnoses.add_diagnosis, ws_client, "F43.10", change=Kind.DIAGNOSIS,
                         client_id=ws_client)
    offered = [fields.coded.itemText(i) for i in range(1, fields.coded.count())]
    assert offered == ["F41.1 Generalized anxiety disorder",
                       "F43.10 Post-traumatic stress disorder, unspecified"]
    fields.coded.activated.emit(2)
    fields.coded.activated.emit(2)  # twice: listed once
    assert fields.diagnoses.lines() == ("F43.10 Post-traumatic stress disorder, unspecified",)
    fields.diagnoses.set_lines((*fields.diagnoses.lines(), "Own words beside the codes"))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    [draft] = plans.plan_versions(ws_ctx.uow(), ws_client)
    assert draft.diagnoses == ("F43.10 Post-traumatic stress disorder, unspecified",
                               "Own words beside the codes")


def test_a_first_plan_starts_from_the_recorded_diagnoses(qtbot, ws_ctx, ws_client, answers):
    from notesdesk.core.services import diagnoses
    from notesdesk.ui.workspace import ClientWorkspace

    diagnoses.add_diagnosis(ws_ctx.uow(), ws_client, "F41.1")
    ws = ClientWorkspace(ws_ctx, ws_client, confirm=answers)
    qtbot.addWidget(ws)
    assert ws.plan_tab.plan.diagnoses == ("F41.1 Generalized anxiety disorder",)
    assert ws.plan_tab.fields.diagnoses.lines() == ("F41.1 Generalized anxiety disorder",)
def test_activation_asks_for_the_signers_details_first(workspace, ws_ctx, ws_client, answers, qtbot):
    ws_ctx.vault.save_profile(replace(ws_ctx.vault.profile(), credentials=""))
    tab = workspace.plan_tab
    workspace.tabs.setCurrentWidget(tab)
    build_plan(qtbot, tab)
    answers.answer = True
    qtbot.mouseClick(tab.activate_button, Qt.MouseButton.LeftButton)
    assert not tab.signing.signer.isHidden() and "signs nothing until both are set" in \
        tab.signing.signer.message.text()
    assert plans.plan_versions(ws_ctx.uow(), ws_client) == []  # nothing saved or signed


def test_the_agreement_is_one_click_from_the_plan_tab(workspace, ws_ctx, ws_client, answers, qtbot):
    tab = workspace.plan_tab
    workspace.tabs.setCurrentWidget(tab)
    build_plan(qtbot, tab)
    assert not tab.signing.agree_button.isEnabled()  # no active, signed plan yet
    answers.answer = True
    qtbot.mouseClick(tab.activate_button, Qt.MouseButton.LeftButton)
    assert tab.signing.agreement.text() == "Version 1: Not yet agreed with the client."
    tab.signing.how.setCurrentIndex(tab.signing.how.findData(AgreementHow.PAPER.value))
    qtbot.mouseClick(tab.signing.agree_button, Qt.MouseButton.LeftButton)
    on = today().isoformat()
    assert tab.signing.agreement.text() == f"Version 1: Agreed with the client on {on} (on paper)."
    assert ws_ctx.errors.last_message is None
    # Agreed: the button no longer invites a first agreement; recording again replaces the current one
    assert "again" in tab.signing.agree_button.text() and "replaces" in tab.signing.agree_button.toolTip()


def test_an_old_active_plan_is_shown_so_and_signed_with_one_click(workspace, ws_ctx, ws_client, qtbot):
    tab = workspace.plan_tab
    build_plan(qtbot, tab)
    tab.save()
    with ws_ctx.uow() as uow:  # as a plan activated before plans were signed was stored
        uow.plans.replace(replace(tab.plan, status=PlanStatus.ACTIVE, effective_date=today()))
        uow.commit()
    tab.reload()
    assert tab.signing.status.text() == "Plan v1: Active (made before plans were signed)."
    assert not tab.signing.sign_button.isHidden() and tab.signing.revise_button.isHidden()
    qtbot.mouseClick(tab.signing.sign_button, Qt.MouseButton.LeftButton)
    assert tab.plan.is_signed and tab.signing.sign_button.isHidden()
    assert "signed and locked" in tab.signing.status.text()
