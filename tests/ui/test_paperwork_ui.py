"""The app's paperwork: diagnoses on the overview (code picker, search as you type), session details in
the note editor (length, in person or video, CPT), the question when signing without times, the next
session, and the day's "due at the next visit" list with its preview."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from notesdesk.core.domain.notes import Delivery
from notesdesk.core.services import care, diagnoses, notes, visits
from notesdesk.ui.dialogs.due_dialog import DueDialog
from notesdesk.ui.workspace.overview.code_picker import CodePickerDialog
from tests.core import records
from tests.ui.workspace_helpers import type_into

pytest_plugins = ["tests.ui.workspace_fixtures"]


def test_the_code_picker_searches_as_you_type_once_the_list_is_loaded(qtbot, ws_ctx):
    picker = CodePickerDialog(ws_ctx.session)
    qtbot.addWidget(picker)
    qtbot.waitUntil(lambda: picker.loaded, timeout=30000)
    assert picker.status.text().startswith("ICD-10-CM ")
    assert not picker.buttons.button(picker.buttons.StandardButton.Ok).isEnabled()
    picker.search_edit.setText("generalized anx")
    assert [picker.results.item(i).text() for i in range(picker.results.count())] == [
        "F41.1  Generalized anxiety disorder"]
    assert picker.chosen_code() == "F41.1"
    picker.search_edit.setText("F43.1")
    assert picker.results.count() == 3 and picker.status.text() == "3 matching codes."
    picker.search_edit.setText("zzzz")
    assert picker.results.count() == 0 and picker.chosen_code() is None
    assert picker.status.text() == "No ICD-10-CM code matches; check the code or try other words."


def test_the_overview_adds_and_removes_a_diagnosis(workspace, ws_ctx, ws_client, qtbot, monkeypatch):
    box = workspace.overview_tab.diagnoses
    assert box.list.item(0).text() == "No diagnoses recorded." and not box.remove_button.isEnabled()

    def picked(_box):
        picker = CodePickerDialog(ws_ctx.session, box)
        qtbot.waitUntil(lambda: picker.loaded, timeout=30000)
        picker.search_edit.setText("F41.1")
        picker.text_edit.setPlainText("worry most days")
        monkeypatch.setattr(picker, "exec", lambda: QDialog.DialogCode.Accepted)
        return picker

    monkeypatch.setattr(type(box), "picker", picked)
    box.add()
    assert box.list.item(0).text() == "F41.1  Generalized anxiety disorder — worry most days"
    (stored,) = diagnoses.list_diagnoses(ws_ctx.uow(), ws_client)
    assert stored.text == "worry most days"

    asked = []
    box.confirm = lambda _parent, title, question: asked.append(question) or True
    box.list.setCurrentRow(0)
    box.remove()
    assert asked == ["Take F41.1 off this client? The audit log keeps the fact that it was there."]
    assert diagnoses.list_diagnoses(ws_ctx.uow(), ws_client) == []
    assert box.list.item(0).text() == "No diagnoses recorded."


def test_the_note_editor_keeps_length_delivery_and_cpt(workspace, ws_ctx, ws_client, answers, qtbot):
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    editor = tab.editor
    assert editor.details.cpt_combo.isVisibleTo(editor)  # the profile's country is the US (the default)
    editor.start_edit.set_value(time(10, 0))
    editor.end_edit.set_value(time(10, 50))
    assert editor.details.length_label.text() == "50 min"
    editor.details.delivery_combo.setCurrentIndex(editor.details.delivery_combo.findData("video"))
    editor.details.cpt_combo.setCurrentIndex(editor.details.cpt_combo.findData("90834"))
    assert editor.details.cpt_combo.currentText() == "90834 — psychotherapy, about 45 minutes"
    type_into(qtbot, editor.section_edit("subjective"), "Synthetic session")
    qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)
    assert answers.asked[-1][1].startswith("Sign this note?")  # times are there: no extra warning
    (signed,) = notes.list_notes(ws_ctx.uow(), ws_client)
    assert signed.is_signed and (signed.delivery, signed.cpt_code, signed.minutes) == (Delivery.VIDEO,
                                                                                         "90834", 50)
    assert not editor.details.cpt_combo.isEnabled()  # read-only once signed


def test_signing_without_times_asks_first(workspace, ws_ctx, ws_client, answers, qtbot):
    tab = workspace.notes_tab
    workspace.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    editor = tab.editor
    type_into(qtbot, editor.section_edit("subjective"), "Synthetic session")
    answers.answer = False
    qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)
    assert answers.asked[-1][1].startswith("This note has no start and end time")
    assert not notes.list_notes(ws_ctx.uow(), ws_client)[0].is_signed
    editor.end_edit.set_value(time(9, 0))
    assert editor.details.length_label.text() == ""  # no start yet


def test_the_overview_books_the_next_session(workspace, ws_ctx, ws_client):
    box = workspace.overview_tab.next_session
    assert box.summary.text() == "No next session booked." and not box.clear_button.isEnabled()
    box.date.setDate(box.date.date().addDays(3))
    box.every.setValue(7)
    box.book()
    booked = visits.next_session(ws_ctx.uow(), ws_client)
    assert booked is not None and booked.every_days == 7
    assert box.summary.text() == f"Next session {booked.next_on.isoformat()}, then every 7 days."
    box.clear()
    assert visits.next_session(ws_ctx.uow(), ws_client) is None
    assert box.summary.text() == "No next session booked."


class FakePreview:
    def __init__(self, data, title, parent, suggested_name, on_error):
        self.data, self.title, self.name = data, title, suggested_name


def test_the_due_dialog_lists_the_day_and_previews_it(qtbot, ws_ctx, ws_client):
    monday = date(2026, 11, 2)
    care.add_homework(ws_ctx.uow(), records.homework(ws_client, "Breathing "))
    visits.set_next_session(ws_ctx.uow(), ws_client, monday, every_days=14)
    dialog = DueDialog(ws_ctx, preview_factory=FakePreview)
    qtbot.addWidget(dialog)
    dialog.show_day(monday)
    text = dialog.list_label.text()
    assert "<b>Robin Example</b>" in text and "homework check-in: Breathing homework" in text
    dialog.show_day(date(2026, 11, 9))
    assert dialog.list_label.text() == "<p>No client has a session booked on this day.</p>"
    dialog.show_day(date(2026, 11, 16))
    dialog.open_preview()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=30000)
    assert dialog.preview.title == "Due at the next visit" and dialog.preview.name == "due-2026-11-16.pdf"
    assert dialog.preview.data.startswith(b"%PDF")
    assert ws_ctx.errors.last_message is None
