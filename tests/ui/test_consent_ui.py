"""The app's consent and letters: the overview's box (agreements with their flags, letters sent), the
agreement dialog (a refused release comes back as typed), the letter dialog (drafted from the record,
a psychotherapy-note quotation refused, kept and previewed), and Settings → Paperwork templates."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from notesdesk.core.domain.notes import PrivateNote
from notesdesk.core.domain.paperwork import ConsentKind, LetterTemplate
from notesdesk.core.services import consent, letters, notes
from notesdesk.ui.dialogs.paperwork_dialog import PaperworkDialog
from notesdesk.ui.workspace.overview.paperwork_box import AgreementDialog
from tests.core import records

pytest_plugins = ["tests.ui.workspace_fixtures"]

CANARY = "Canary-UI-6612 the locked shed behind her grandmother's house"


class FakePreview:
    def __init__(self, data, title, parent, suggested_name, on_error):
        self.data, self.title, self.name = data, title, suggested_name


def answering(dialog, *codes):
    """Make `dialog.exec()` return each of `codes` in turn."""
    left = list(codes)
    dialog.exec = lambda: left.pop(0)
    return dialog


def texts(widget):
    return [widget.item(i).text() for i in range(widget.count())]


def test_the_box_records_an_agreement_and_the_flag_goes(workspace, ws_ctx, ws_client, qtbot, monkeypatch):
    box = workspace.overview_tab.paperwork
    assert texts(box.agreements) == ["No agreements recorded."] and box.flags.isHidden()
    notes.create_note(ws_ctx.uow(), records.note(ws_client, "n "))
    box.refresh()
    assert box.flags.text() == "<b>No informed consent recorded</b>"
    assert "APA Ethical Principles" in box.flags.toolTip()

    dialog = AgreementDialog(box)
    dialog.agreed.setDate(date(2026, 9, 1))
    dialog.note.setText("talked through the limits of confidentiality")
    monkeypatch.setattr(box, "agreement_dialog", lambda: answering(dialog, QDialog.DialogCode.Accepted))
    box.record()
    qtbot.waitUntil(lambda: box.flags.isHidden())
    assert texts(box.agreements) == ["2026-09-01  Informed consent to treatment, signed on paper (talked "
                                     "through the limits of confidentiality)"]

    # The client withdraws it: it stays, marked, and the flag comes back; a second withdrawal is not offered
    box.agreements.setCurrentRow(0)
    box.confirm = lambda *_args: True
    qtbot.mouseClick(box.withdraw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.flags.isHidden())
    assert texts(box.agreements)[0].endswith(f"; withdrawn {date.today().isoformat()}")
    assert box.flags.text() == "<b>No informed consent recorded</b>"
    box.agreements.setCurrentRow(0)
    assert not box.withdraw_button.isEnabled() and box.remove_button.isEnabled()


def test_a_refused_release_comes_back_as_typed_and_stores_nothing(workspace, ws_ctx, ws_client, monkeypatch):
    box = workspace.overview_tab.paperwork
    dialog = AgreementDialog(box)
    dialog.kind.setCurrentIndex(list(ConsentKind).index(ConsentKind.RELEASE))
    assert dialog.to.isEnabled() and dialog.until.isEnabled()
    dialog.purpose.setText("school attendance")  # no recipient
    shown = []
    answers = [QDialog.DialogCode.Accepted, QDialog.DialogCode.Rejected]
    dialog.exec = lambda: (shown.append(dialog.purpose.text()), answers.pop(0))[1]
    monkeypatch.setattr(box, "agreement_dialog", lambda: dialog)
    box.record()
    assert shown == ["school attendance", "school attendance"]  # shown again with what was typed
    assert ws_ctx.errors.last_message.startswith("A release of information needs its recipient")
    assert consent.list_consents(ws_ctx.uow(), ws_client) == []


def test_a_letter_is_drafted_checked_kept_and_previewed(workspace, ws_ctx, ws_client, qtbot):
    notes.add_private_note(ws_ctx.uow(), PrivateNote(ws_client, date(2026, 10, 6), CANARY))
    box = workspace.overview_tab.paperwork
    box.preview_factory = FakePreview
    dialog = box.letter_dialog()
    assert dialog.body.toPlainText().startswith("Dear colleague,\n\nRe: Robin Example")
    dialog.template.setCurrentIndex(list(LetterTemplate).index(LetterTemplate.WHOM))
    assert dialog.body.toPlainText().startswith("To whom it may concern,")
    drafted = dialog.body.toPlainText()
    dialog.body.setPlainText(drafted + "\n\nShe described the locked shed behind her grandmother's house.")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.kept is None
    assert ws_ctx.errors.last_message.startswith("The letter quotes a psychotherapy note")
    assert "locked shed" in dialog.body.toPlainText()  # the text stays to be corrected
    assert letters.list_letters(ws_ctx.uow(), ws_client) == []

    dialog.body.setPlainText(drafted)
    dialog.accept()
    assert dialog.kept is not None
    box.show_letter(dialog.kept)
    qtbot.waitUntil(lambda: box.last_preview is not None, timeout=30000)
    assert box.last_preview.data.startswith(b"%PDF")
    assert box.last_preview.title == "Letter to whom it may concern"
    assert box.last_preview.name.startswith("letter-whom-RE-")
    qtbot.waitUntil(lambda: texts(box.letters)[0].endswith("Letter to whom it may concern"))
    assert "Canary-UI" not in letters.list_letters(ws_ctx.uow(), ws_client)[0].body


def test_settings_paperwork_templates_are_edited_once_and_checked(qtbot, ws_ctx):
    dialog = PaperworkDialog(ws_ctx)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(list(ConsentKind).index(ConsentKind.FEES))
    assert dialog.origin.text() == "NotesDesk's starting text" and not dialog.reset_button.isEnabled()
    dialog.text.setPlainText("Our fees, {client}: {fee_per_session}")
    assert not dialog.save()
    assert ws_ctx.errors.last_message.startswith("The template uses {fee_per_session}")
    assert consent.all_template_texts(ws_ctx.uow())[ConsentKind.FEES][1] is False
    dialog.text.setPlainText("Our fees, {client}: agreed at the first session.")
    assert dialog.save() and dialog.origin.text() == "your text"
    stored = consent.template_text(ws_ctx.uow(), ConsentKind.FEES)
    assert stored == "Our fees, {client}: agreed at the first session."
    dialog.reset()
    assert dialog.origin.text() == "NotesDesk's starting text"


def test_a_letters_lines_fit_the_editor_as_they_print(workspace, qtbot):
    """The editor was about 40 characters wide, so a drafted letter wrapped at half its printed line."""
    dialog = workspace.overview_tab.paperwork.letter_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    line = "I am writing to update you on the client's therapy with me; we meet"  # 68 characters
    assert dialog.body.viewport().width() >= dialog.body.fontMetrics().horizontalAdvance(line)
