"""Feedback (issue 15, item 6): an export says where it went and opens that folder; suggested file
names carry the document, the client's initials and the day, and differ for the two copies of the
summary; Quit with unsigned notes says how many; a signed note's date and times look read-only."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QAbstractSpinBox

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.reports import PdfOptions, render_clinician_summary
from notesdesk.core.services import clients, notes, summary
from notesdesk.ui.printing.documents import DOCUMENTS, export_name
from notesdesk.ui.printing.export import ExportChoice
from notesdesk.ui.printing.view import PdfPreviewDialog
from tests.core.test_reports_data import build_practice

pytest_plugins = ["tests.ui.workspace_fixtures"]


def test_an_export_says_where_it_went_and_opens_that_folder(qtbot, ctx, tmp_path: Path) -> None:
    practice = build_practice(ctx.vault)
    model = summary.client_summary(ctx.uow(), practice.client_id)
    dialog = PdfPreviewDialog(render_clinician_summary(model, PdfOptions()), "Treatment summary")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.saved.isVisible() and not dialog.open_folder_button.isVisible()
    out = tmp_path / "exports" / "summary.pdf"
    out.parent.mkdir()
    assert dialog.export_document(out, ExportChoice(None)) == out
    assert dialog.saved.text() == f"Saved as “summary.pdf” in {out.parent}"
    opened: list[QUrl] = []
    dialog.open_url = opened.append
    dialog.open_folder_button.click()
    assert [url.toLocalFile() for url in opened] == [str(out.parent)]


def test_file_names_say_what_whose_and_when_and_the_two_copies_differ() -> None:
    day = date(2026, 12, 7)
    clinician = export_name(DOCUMENTS["clinician"].file_name, "ZÓB", day)
    client = export_name(DOCUMENTS["client"].file_name, "ZÓB", day)
    assert clinician == "treatment-summary-clinician-ZOB-2026-12-07.pdf"
    assert client == "progress-summary-for-client-ZOB-2026-12-07.pdf"
    assert len({export_name(d.file_name, "ŁW", day) for d in DOCUMENTS.values()}) == len(DOCUMENTS)
    assert export_name("safety-plan", "ŁW", day) == "safety-plan-LW-2026-12-07.pdf"


def draft(ctx, client_id: str) -> None:
    sections = notes.build_sections(NoteFormat.SOAP, {"subjective": "Slept better"})
    notes.create_note(ctx.uow(), SessionNote(client_id=client_id, session_date=today(),
                                             format=NoteFormat.SOAP, sections=sections))


def test_quit_with_unsigned_notes_says_how_many_and_can_be_called_off(qtbot, ctx, make_window) -> None:
    ana = clients.add_client(ctx.uow(), Client(name="Ana Lima"))
    ben = clients.add_client(ctx.uow(), Client(name="Ben Okafor"))
    for client_id in (ana.id, ana.id, ben.id):
        draft(ctx, client_id)
    window = make_window()
    asked: list[str] = []
    window.confirm = lambda _title, text: asked.append(text) or False
    assert not window.quit_app()
    assert window.isVisible()
    assert asked == ["3 session notes are still unsigned. They are kept as drafts, to sign later. "
                     "Quit anyway?"]

    window.confirm = lambda _title, text: asked.append(text) or True
    assert window.quit_app()
    assert not window.isVisible() and len(asked) == 2


def test_quit_with_every_note_signed_asks_nothing(qtbot, ctx, make_window) -> None:
    window = make_window()
    window.confirm = lambda _title, _text: (_ for _ in ()).throw(AssertionError("asked"))
    assert window.quit_app() and not window.isVisible()


def test_a_signed_note_date_and_times_look_read_only(workspace, ws_ctx, ws_client) -> None:
    note = notes.create_note(ws_ctx.uow(), SessionNote(
        client_id=ws_client, session_date=today() - timedelta(days=1), format=NoteFormat.SOAP,
        sections=notes.build_sections(NoteFormat.SOAP, {"subjective": "Text"})))
    editor = workspace.notes_tab.editor
    workspace.open_note(note.id)
    assert editor.date_edit.buttonSymbols() == QAbstractSpinBox.ButtonSymbols.UpDownArrows
    notes.sign_note(ws_ctx.uow(), note.id)
    workspace.notes_tab.reload()
    workspace.open_note(note.id)
    assert editor.read_only
    for field in (editor.date_edit, editor.start_edit, editor.end_edit):
        assert field.isReadOnly() and not field.hasFrame()
        assert field.buttonSymbols() == QAbstractSpinBox.ButtonSymbols.NoButtons
    assert not editor.date_edit.calendarPopup()
