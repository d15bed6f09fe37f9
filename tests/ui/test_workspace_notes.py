"""Session and psychotherapy notes driven through the workspace widgets (offscreen)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import AddendumKind, NoteFormat, PrivateNote, Section, SessionNote
from notesdesk.core.domain.plans import Goal, Objective, Problem, TreatmentPlan
from notesdesk.core.services import notes, plans, templates
from notesdesk.ui.session import Kind
from notesdesk.ui.workspace.notes.templates_dialog import TemplatesDialog
from tests.ui.workspace_helpers import type_into

pytest_plugins = ["tests.ui.workspace_fixtures"]


def stored_notes(ctx, client_id):
    return notes.list_notes(ctx.uow(), client_id)


def test_write_autosave_and_sign_a_soap_note(workspace, ws_ctx, ws_client, answers, qtbot):
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    editor = tab.editor
    assert editor.format_combo.currentText() == "SOAP"
    assert list(editor.section_edits) == ["subjective", "objective", "assessment", "plan"]

    type_into(qtbot, editor.section_edit("subjective"), "Slept better; two panic attacks")
    assert stored_notes(ws_ctx, ws_client) == []  # the autosave timer is still running
    qtbot.waitUntil(lambda: len(stored_notes(ws_ctx, ws_client)) == 1, timeout=5000)
    draft = stored_notes(ws_ctx, ws_client)[0]
    assert draft.section_text("subjective") == "Slept better; two panic attacks"
    assert not draft.is_signed
    assert tab.model.rowCount() == 1
    assert tab.model.index(0, tab.model.COL_STATUS).data() == "Draft"
    assert editor.status_label.text().startswith("Draft — saved")

    # More typing, then autosave again (the single-shot timer restarts on each edit).
    type_into(qtbot, editor.section_edit("assessment"), "Improving")
    qtbot.waitUntil(
        lambda: stored_notes(ws_ctx, ws_client)[0].section_text("assessment") == "Improving", timeout=5000
    )

    type_into(qtbot, editor.section_edit("plan"), "Continue exposure")
    qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)  # saves first, then asks
    assert answers.asked[-1][0] == "Sign note"
    signed, addenda = notes.get_note(ws_ctx.uow(), draft.id)
    assert signed.is_signed and addenda == []
    assert signed.section_text("plan") == "Continue exposure"
    assert notes.verify_note(ws_ctx.uow(), signed, [])
    status = editor.status_label.text()
    assert status.startswith("Signed ✓ ") and "by Dr Ada Byrne (PsyD, Lic. Psychologist)" in status
    assert tab.model.index(0, tab.model.COL_STATUS).data() == "Signed"
    assert ws_ctx.errors.last_message is None


def test_declining_the_sign_confirmation_leaves_a_draft(workspace, ws_ctx, ws_client, answers, qtbot):
    tab = workspace.notes_tab
    tab.new_note()
    type_into(qtbot, tab.editor.section_edit("subjective"), "Text")
    answers.answer = False
    tab.sign()
    assert answers.asked and not stored_notes(ws_ctx, ws_client)[0].is_signed
    assert not tab.editor.read_only


def signed_note(ctx, client_id, text="Signed text"):
    note = SessionNote(
        client_id=client_id,
        session_date=today(),
        format=NoteFormat.SOAP,
        sections=notes.build_sections(NoteFormat.SOAP, {"subjective": text}),
    )
    note = notes.create_note(ctx.uow(), note)
    return notes.sign_note(ctx.uow(), note.id)


def test_a_signed_note_opens_read_only_and_a_save_attempt_changes_nothing(
    workspace, ws_ctx, ws_client, qtbot
):
    note = signed_note(ws_ctx, ws_client)
    workspace.notes_tab.reload()
    workspace.open_note(note.id)
    editor = workspace.notes_tab.editor
    assert workspace.tabs.currentWidget() is workspace.notes_tab
    assert editor.note_id == note.id and editor.read_only
    assert all(edit.isReadOnly() for edit in editor.section_edits.values())
    assert not editor.save_button.isEnabled() and not editor.sign_button.isEnabled()
    assert not editor.format_combo.isEnabled() and editor.date_edit.isReadOnly()
    assert editor.links.risk.factors.isReadOnly() and not editor.links.risk.level.isEnabled()
    assert editor.links.objectives.read_only
    assert editor.links.homework_reviewed.read_only and editor.maintenance.skills.isReadOnly()

    before = notes.get_note(ws_ctx.uow(), note.id)[0]
    subjective = editor.section_edit("subjective")
    type_into(qtbot, subjective, "tampered")
    assert subjective.toPlainText() == "Signed text"
    subjective.setPlainText("forced past the read-only flag")  # as if a bug wrote into the widget
    workspace.save_current()  # Ctrl+S
    editor.save_now()
    workspace.save_all_drafts()
    after = notes.get_note(ws_ctx.uow(), note.id)[0]
    assert after == before
    assert notes.verify_note(ws_ctx.uow(), after, [])
    assert ws_ctx.errors.last_message is None


def test_add_an_addendum_to_a_signed_note(workspace, ws_ctx, ws_client, qtbot):
    note = signed_note(ws_ctx, ws_client)
    tab = workspace.notes_tab
    tab.reload()
    workspace.open_note(note.id)
    assert tab.addenda.isVisible()
    panel = tab.addenda
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData(AddendumKind.CORRECTION.value))
    type_into(qtbot, panel.text, "The second attack was on Friday, not Thursday.")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    stored, addenda = notes.get_note(ws_ctx.uow(), note.id)
    assert [(a.kind, a.text) for a in addenda] == [
        (AddendumKind.CORRECTION, "The second attack was on Friday, not Thursday.")
    ]
    assert notes.verify_note(ws_ctx.uow(), stored, addenda)
    assert "not Thursday" in panel.view.toPlainText() and "Correction" in panel.view.toPlainText()
    assert panel.text.toPlainText() == ""
    assert tab.model.index(0, tab.model.COL_STATUS).data() == "Signed\n1 addendum"  # shows in the list
    assert tab.editor.status_label.text().startswith("Signed ✓")


def test_drafts_are_saved_on_every_switch(workspace, ws_ctx, ws_client, qtbot):
    tab = workspace.notes_tab
    tab.new_note()
    type_into(qtbot, tab.editor.section_edit("subjective"), "First")
    tab.new_note()  # switching to another note saves at once, no waiting for the timer
    assert [n.section_text("subjective") for n in stored_notes(ws_ctx, ws_client)] == ["First"]
    type_into(qtbot, tab.editor.section_edit("subjective"), "Second")
    workspace.tabs.setCurrentWidget(workspace.plan_tab)  # tab change saves
    assert len(stored_notes(ws_ctx, ws_client)) == 2
    workspace.tabs.setCurrentWidget(tab)
    type_into(qtbot, tab.editor.section_edit("objective"), "Calm")
    workspace.save_all_drafts()
    texts = {n.section_text("objective") for n in stored_notes(ws_ctx, ws_client)}
    assert "Calm" in texts
    first = next(n for n in stored_notes(ws_ctx, ws_client) if n.section_text("subjective") == "First")
    type_into(qtbot, tab.editor.section_edit("plan"), "Next week")
    tab.open_note(first.id)  # opening another note saves this one
    assert any(n.section_text("plan") == "Next week" for n in stored_notes(ws_ctx, ws_client))
    assert tab.editor.section_edit("subjective").toPlainText() == "First"


def test_undo_works_in_a_section_after_autosave(workspace, ws_ctx, ws_client, qtbot):
    tab = workspace.notes_tab
    tab.new_note()
    edit = tab.editor.section_edit("subjective")
    type_into(qtbot, edit, "abc")
    tab.editor.flush()
    edit.undo()
    assert edit.toPlainText() == ""


def test_copy_forward_and_format_change(workspace, ws_ctx, ws_client, answers, qtbot):
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    source = notes.create_note(ws_ctx.uow(), SessionNote(
        client_id=ws_client, session_date=today() - timedelta(days=7), format=NoteFormat.SOAP,
        sections=notes.build_sections(NoteFormat.SOAP, {"subjective": "Said last week",
                                                        "plan": "Keep the diary"})))
    notes.sign_note(ws_ctx.uow(), source.id)
    tab.reload()
    qtbot.mouseClick(tab.copy_button, Qt.MouseButton.LeftButton)
    listed = stored_notes(ws_ctx, ws_client)
    assert len(listed) == 2
    copy = next(n for n in listed if not n.is_signed)
    assert tab.editor.note_id == copy.id and not tab.editor.read_only
    assert tab.editor.section_edit("subjective").toPlainText() == ""  # not cloned
    assert tab.editor.section_edit("plan").toPlainText() == "Keep the diary"  # carried forward
    assert tab.copy_notice.isVisible() and "Plan section" in tab.copy_notice.text()
    type_into(qtbot, tab.editor.section_edit("subjective"), "Carried over")
    # SOAP -> DAP drops "subjective" text: the user is asked; declining keeps SOAP.
    answers.answer = False
    combo = tab.editor.format_combo
    combo.setCurrentIndex(combo.findText("DAP"))
    combo.activated.emit(combo.currentIndex())
    assert combo.currentText() == "SOAP" and "subjective" in tab.editor.section_edits
    answers.answer = True
    combo.setCurrentIndex(combo.findText("Discharge"))
    combo.activated.emit(combo.currentIndex())
    assert list(tab.editor.section_edits)[0] == "summary"
    assert tab.editor.maintenance.isVisible()
    type_into(qtbot, tab.editor.maintenance.skills, "Breathing\nThought records")
    tab.editor.flush()
    saved = notes.get_note(ws_ctx.uow(), copy.id)[0]
    assert saved.format == NoteFormat.DISCHARGE
    assert saved.maintenance_plan is not None
    assert saved.maintenance_plan.skills_to_practise == ("Breathing", "Thought records")


def test_own_templates_appear_as_formats(workspace, ws_ctx, ws_client, qtbot):
    template = templates.make_template("Speech session", ["Targets", "Oral motor", "Home programme"])
    templates.save_template(ws_ctx.uow(), template)
    tab = workspace.notes_tab
    tab.refresh_templates()
    tab.new_note()
    combo = tab.editor.format_combo
    combo.setCurrentIndex(combo.findData("template:Speech session"))
    combo.activated.emit(combo.currentIndex())
    assert list(tab.editor.section_edits) == ["targets", "oral_motor", "home_programme"]
    type_into(qtbot, tab.editor.section_edit("oral_motor"), "Lip rounding")
    tab.editor.flush()
    saved = stored_notes(ws_ctx, ws_client)[0]
    assert saved.format == NoteFormat.CUSTOM and saved.template_name == "Speech session"
    assert saved.sections[1] == Section("oral_motor", "Oral motor", "Lip rounding")


def test_private_notes_never_appear_in_the_notes_list(workspace, ws_ctx, ws_client, qtbot):
    signed_note(ws_ctx, ws_client, "Session content")
    private = workspace.private_tab
    workspace.tabs.setCurrentWidget(private)
    qtbot.mouseClick(private.new_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, private.text, "My countertransference today")
    qtbot.waitUntil(lambda: len(notes.list_private_notes(ws_ctx.uow(), ws_client)) == 1, timeout=5000)
    assert private.model.rowCount() == 1
    assert "countertransference" in private.model.index(0, private.model.COL_PREVIEW).data()
    workspace.notes_tab.reload()
    model = workspace.notes_tab.model
    cells = [model.index(r, c).data() for r in range(model.rowCount()) for c in range(model.columnCount())]
    assert model.rowCount() == 1
    assert not any("countertransference" in (cell or "") for cell in cells)
    assert all(not isinstance(n, PrivateNote) for n in model.rows())
    assert "never printed or exported unless you choose" in private.banner_label.text()


def test_objectives_addressed_come_from_the_active_plan(workspace, ws_ctx, ws_client, qtbot):
    objective = Objective("One bus ride a week", measurable_criterion="Rides a week",
                          target_date=today() + timedelta(days=30))
    plan = TreatmentPlan(client_id=ws_client, problems=(
        Problem("Panic", goals=(Goal("Take the bus", objectives=(objective,)),)),))
    saved = plans.save_plan(ws_ctx.uow(), plan)
    ws_ctx.session.write(plans.activate_plan, saved.id, change=Kind.PLAN, client_id=ws_client)  # as the tab
    workspace.plan_tab.reload()
    tab = workspace.notes_tab
    tab.new_note()
    listed = tab.editor.links.objectives
    assert listed.count() == 1 and "One bus ride a week" in listed.item(0).text()
    listed.set_checked(objective.id)
    type_into(qtbot, tab.editor.section_edit("subjective"), "Rode one stop")
    tab.editor.flush()
    assert stored_notes(ws_ctx, ws_client)[0].objectives_addressed == (objective.id,)


def test_templates_dialog_creates_a_template(workspace, ws_ctx, qtbot):
    dialog = TemplatesDialog(ws_ctx, lambda *_a: True, workspace)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.name_edit, "Physio")
    type_into(qtbot, dialog.sections_edit, "Range of motion\nStrength\nHome exercises")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [template] = templates.list_templates(ws_ctx.uow())
    assert template.sections[0] == ("range_of_motion", "Range of motion")
    assert dialog.list.count() == 1
    dialog.list.setCurrentRow(0)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert templates.list_templates(ws_ctx.uow()) == []


def test_with_no_note_open_the_tab_says_how_to_open_one(workspace, ws_ctx, ws_client, answers, qtbot):
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    assert tab.empty_state.isVisible() and "Ctrl+N" in tab.empty_state.text()
    assert not tab.editor.isVisible() and not tab.editor.format_combo.isVisible()  # no fillable form

    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    assert tab.editor.isVisible() and not tab.empty_state.isVisible()
    type_into(qtbot, tab.editor.section_edit("subjective"), "Started in the wrong client")
    tab.editor.flush()
    assert tab.delete_draft()  # the confirmation is answered yes
    assert tab.empty_state.isVisible() and not tab.editor.isVisible()

    note = signed_note(ws_ctx, ws_client)
    tab.reload()
    assert tab.empty_state.isVisible()  # the list changed; still nothing open
    tab.view.selectRow(0)
    assert tab.editor.note_id == note.id and tab.editor.isVisible() and not tab.empty_state.isVisible()
