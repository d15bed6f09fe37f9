"""What QA found in the Notes tab: signed sections read in full, addenda are asked for, copy forward
carries the plan only, plain labels, and the templates dialog explains itself and keeps typed text."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import AddendumKind, NoteFormat, SessionNote
from notesdesk.core.services import notes, templates
from notesdesk.ui.workspace.notes.templates_dialog import TemplatesDialog
from tests.ui.workspace_helpers import type_into

pytest_plugins = ["tests.ui.workspace_fixtures"]

LONG = " ".join(f"Sentence {i} about sleep, panic and the exposure steps agreed." for i in range(45))


def signed(ctx, client_id, texts, day=None, fmt=NoteFormat.SOAP):
    note = SessionNote(client_id=client_id, session_date=day or today(), format=fmt,
                       sections=notes.build_sections(fmt, texts))
    note = notes.create_note(ctx.uow(), note)
    return notes.sign_note(ctx.uow(), note.id)


def test_a_signed_notes_long_sections_read_in_full_at_1024_by_640(workspace, ws_ctx, ws_client, qtbot):
    note = signed(ws_ctx, ws_client, {"subjective": LONG, "plan": "Short plan", "assessment": LONG[:600]})
    workspace.resize(1024, 640)
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.reload()
    workspace.open_note(note.id)
    long_box = tab.editor.section_edit("subjective")
    short_box = tab.editor.section_edit("plan")

    def read_in_full() -> None:  # once the note's boxes are laid out
        for key in ("subjective", "assessment", "plan"):
            edit = tab.editor.section_edit(key)
            assert edit.isReadOnly()
            assert edit.verticalScrollBar().maximum() == 0, key  # no inner scroll bar: all of it shows
        assert long_box.height() > 10 * long_box.fontMetrics().lineSpacing()  # not cut to 4 lines
        assert short_box.height() < 6 * short_box.fontMetrics().lineSpacing()  # a short one stays short

    qtbot.waitUntil(read_in_full)
    narrow, tall = long_box.width(), long_box.height()
    workspace.resize(1400, 640)  # wider: the text wraps to fewer lines, and the box shrinks with it
    qtbot.waitUntil(lambda: long_box.width() > narrow and long_box.height() < tall)
    assert long_box.verticalScrollBar().maximum() == 0


def test_an_addendum_needs_a_chosen_kind_and_is_signed_only_when_confirmed(
    workspace, ws_ctx, ws_client, answers, qtbot
):
    day = today() - timedelta(days=3)
    note = signed(ws_ctx, ws_client, {"subjective": "Text"}, day=day)
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.reload()
    workspace.open_note(note.id)
    panel = tab.addenda
    assert panel.kind_combo.currentText().startswith("Choose")  # no kind picked for the user
    type_into(qtbot, panel.text, "Correction: the session was on Tuesday.")
    assert not panel.add_button.isEnabled() and "choose its kind" in panel.add_button.toolTip()
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData(AddendumKind.CORRECTION.value))
    assert panel.add_button.isEnabled()

    answers.answer = False  # "Sign this correction…?" — No: nothing is signed, the text stays
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    title, question = answers.asked[-1][:2]
    assert title == "Sign addendum"
    assert question.startswith(f"Sign this correction to the note of {day.isoformat()}?")
    assert "cannot be changed" in question
    assert notes.get_note(ws_ctx.uow(), note.id)[1] == []
    assert panel.text.toPlainText() == "Correction: the session was on Tuesday."

    answers.answer = True
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    [added] = notes.get_note(ws_ctx.uow(), note.id)[1]
    assert added.kind == AddendumKind.CORRECTION
    assert panel.text.toPlainText() == "" and panel.kind_combo.currentText().startswith("Choose")
    assert not panel.add_button.isEnabled()  # the next addendum's kind is chosen afresh


def test_copy_forward_twice_opens_todays_draft_and_says_so(workspace, ws_ctx, ws_client, qtbot):
    signed(ws_ctx, ws_client, {"subjective": "Last week", "plan": "Diary daily"},
           day=today() - timedelta(days=7))
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.reload()
    qtbot.mouseClick(tab.copy_button, Qt.MouseButton.LeftButton)
    first = tab.editor.note_id
    assert "carried forward" in tab.copy_notice.text()
    type_into(qtbot, tab.editor.section_edit("subjective"), "This week")
    qtbot.mouseClick(tab.copy_button, Qt.MouseButton.LeftButton)
    assert tab.editor.note_id == first
    assert len(notes.list_notes(ws_ctx.uow(), ws_client)) == 2  # one draft for today, not two
    assert tab.copy_notice.isVisible() and "already have a draft dated" in tab.copy_notice.text()
    assert tab.editor.section_edit("subjective").toPlainText() == "This week"  # what was typed is kept
    tab.new_note()
    assert not tab.copy_notice.isVisible()


def test_formats_and_addenda_read_plainly_in_the_list_and_the_format_choice(
    workspace, ws_ctx, ws_client, qtbot
):
    note = signed(ws_ctx, ws_client, {"text": "Free"}, fmt=NoteFormat.FREE)
    notes.add_addendum(ws_ctx.uow(), note.id, AddendumKind.CLARIFICATION, "More")
    tab = workspace.notes_tab
    tab.reload()
    row = [tab.model.index(0, c).data() for c in range(tab.model.columnCount())]
    assert row[1:] == ["Signed\n1 addendum", "Free text"]
    status = tab.model.index(0, tab.model.COL_STATUS)
    assert status.data(Qt.ItemDataRole.ToolTipRole) == "Signed, with 1 addendum"
    combo = tab.editor.format_combo
    shown = [combo.itemText(i) for i in range(combo.count())]
    assert shown == ["SOAP", "DAP", "BIRP", "GIRP", "Intake", "Discharge", "Free text"]


def test_the_templates_dialog_explains_an_empty_list_and_asks_before_dropping_typed_text(
    workspace, ws_ctx, answers, qtbot
):
    dialog = TemplatesDialog(ws_ctx, answers, workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.empty_label.isVisible() and "No templates yet" in dialog.empty_label.text()
    assert not dialog.list.isVisible()
    dialog.reject()  # nothing typed: closes without asking
    assert not dialog.isVisible() and answers.asked == []

    dialog.show()
    type_into(qtbot, dialog.name_edit, "Physio")
    type_into(qtbot, dialog.sections_edit, "Range of motion\nStrength")
    answers.answer = False
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Close / Esc: asked, and "No" keeps the text on screen
    assert answers.asked[-1][0] == "Discard template changes" and "Physio" in answers.asked[-1][1]
    assert dialog.isVisible() and dialog.name_edit.text() == "Physio"
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)  # "New" would drop it too: asked, kept
    assert len(answers.asked) == 2 and dialog.name_edit.text() == "Physio"

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [t.name for t in templates.list_templates(ws_ctx.uow())] == ["Physio"]
    assert dialog.list.isVisible() and not dialog.empty_label.isVisible()
    dialog.reject()  # saved: nothing to lose, no question
    assert not dialog.isVisible() and len(answers.asked) == 2

    dialog.show()
    dialog.list.setCurrentRow(0)
    type_into(qtbot, dialog.sections_edit, "\nHome exercises")
    answers.answer = True
    dialog.reject()
    assert len(answers.asked) == 3 and not dialog.isVisible()
    assert templates.list_templates(ws_ctx.uow())[0].sections[-1] == ("strength", "Strength")
