"""First launch to a first signed note (issue 15, item 1): the first run asks who signs, the country
and the contact; then the first client, then their first note; at most 10 actions in all. A
signature is refused, with a button to fill the details in, while the name or credentials are missing.

An action is one click, one shortcut, or typing one field (Enter at its end included)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.services import notes
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.app import Launcher
from notesdesk.ui.widgets.practitioner import NO_COUNTRY, PractitionerForm
from notesdesk.ui.workspace.workspace import ClientWorkspace
from tests.ui.conftest import PASSPHRASE
from tests.ui.workspace_helpers import type_into

pytest_plugins = ["tests.ui.workspace_fixtures"]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


class Actions:
    """Counts what the person does, one call per action."""

    def __init__(self) -> None:
        self.done: list[str] = []

    def __call__(self, what: str) -> None:
        self.done.append(what)


def type_and_enter(qtbot, widget, text: str) -> None:
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_first_launch_to_a_signed_note_in_ten_actions_signed_by_name(
    qtbot, ui_vault_path, prefs, errors, runner
):
    act = Actions()
    launcher = Launcher(ui_vault_path, prefs, errors, runner, lambda _p: None)
    start = launcher.start()
    act("click Create a new vault")
    qtbot.mouseClick(start.choice.create_button, Qt.MouseButton.LeftButton)
    form = start.create_page.form
    act("type the passphrase")
    qtbot.keyClicks(form.first.edit, PASSPHRASE)
    act("type it again, Enter")
    type_and_enter(qtbot, form.second.edit, PASSPHRASE)
    qtbot.waitUntil(lambda: start.stack.currentWidget() is start.recovery_key, timeout=10000)
    page = start.recovery_key
    act("type the key's last group, Enter")
    type_and_enter(qtbot, page.confirm, page.last_group())

    about = start.about_you
    assert about is not None and start.stack.currentWidget() is about
    act("type your name")
    qtbot.keyClicks(about.form.name, "Dr Ada Byrne")
    act("type your credentials, Enter")
    type_and_enter(qtbot, about.form.credentials, "PsyD, Licensed Psychologist")

    qtbot.waitUntil(lambda: launcher.main_window is not None, timeout=10000)
    window = launcher.main_window
    qtbot.addWidget(window)
    dialog = window.client_dialog  # the first client is asked for at once
    assert dialog is not None and dialog.isVisible()
    act("type the client's name, Enter")
    type_and_enter(qtbot, dialog.name, "Robin Example")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    window.activateWindow()  # offscreen, the focus does not come back from a dialog by itself
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)

    workspace = window.host.workspace
    assert isinstance(workspace, ClientWorkspace)
    assert workspace.tabs.currentWidget() is workspace.notes_tab  # a draft is ready to type in
    editor = workspace.notes_tab.editor
    assert editor.note_id is not None and not editor.read_only
    workspace.confirm = lambda _parent, _title, _question: act("click Yes") or True
    act("type the session")
    type_into(qtbot, next(iter(editor.section_edits.values())), "Two panic attacks this week")
    act("press Ctrl+Shift+S")
    qtbot.keyClick(editor.section_edit("plan"), Qt.Key.Key_S, CTRL_SHIFT)

    [note] = notes.list_notes(window.ctx.uow(), window.host.client_id)
    assert note.is_signed and note.signature.signer == "Dr Ada Byrne"
    assert note.signature.credentials == "PsyD, Licensed Psychologist"
    assert len(act.done) <= 10, act.done
    assert errors.last_message is None
    window.close()


def test_an_unset_country_is_shown_as_unset_and_prints_no_crisis_line(qtbot):
    form = PractitionerForm(PractitionerProfile(locale=""), suggested_locale="")  # the C locale
    qtbot.addWidget(form)
    assert form.locale_combo.currentText() == NO_COUNTRY and form.locale_code() == ""
    assert "No crisis lines are printed" in form.lines_preview.text()
    form.locale_combo.setCurrentIndex(form.locale_combo.findData("IE"))
    assert form.profile(PractitionerProfile(locale="")).locale == "IE"
    assert "116 123" in form.lines_preview.text()
    suggested = PractitionerForm(PractitionerProfile(locale=""), suggested_locale="en_GB")
    qtbot.addWidget(suggested)
    assert suggested.locale_code() == "UK"  # the system's region, shown to be confirmed


def to_about_you(qtbot, vault_path, prefs, errors, runner):
    """A new vault made and its recovery key confirmed: the start window on its About you page."""
    launcher = Launcher(vault_path, prefs, errors, runner, lambda _p: None)
    start = launcher.start()
    qtbot.mouseClick(start.choice.create_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(start.create_page.form.first.edit, PASSPHRASE)
    type_and_enter(qtbot, start.create_page.form.second.edit, PASSPHRASE)
    qtbot.waitUntil(lambda: start.stack.currentWidget() is start.recovery_key, timeout=10000)
    type_and_enter(qtbot, start.recovery_key.confirm, start.recovery_key.last_group())
    return launcher, start, start.about_you


def test_the_first_run_refuses_half_details_and_skipping_signs_nothing(
    qtbot, ui_vault_path, prefs, errors, runner
):
    launcher, start, about = to_about_you(qtbot, ui_vault_path, prefs, errors, runner)
    qtbot.keyClicks(about.form.name, "Dr Ada Byrne")
    qtbot.mouseClick(about.continue_button, Qt.MouseButton.LeftButton)
    assert "credentials" in about.message.text()  # half-filled: said, not saved, not moved on
    assert start.stack.currentWidget() is about
    qtbot.mouseClick(about.skip_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: launcher.main_window is not None, timeout=10000)
    window = launcher.main_window
    qtbot.addWidget(window)
    assert window.ctx.vault.profile().name == ""
    window.client_dialog.reject()
    window.close()


def test_a_signature_without_name_and_credentials_is_refused_with_a_way_to_add_them(
    qtbot, ws_vault: Vault, ws_ctx, ws_client, workspace
):
    ws_vault.save_profile(PractitionerProfile(name="Dr Ada Byrne"))  # no credentials yet
    ctx, client_id = ws_ctx, ws_client
    workspace.new_note()
    tab = workspace.notes_tab
    type_into(qtbot, next(iter(tab.editor.section_edits.values())), "Slept better")

    assert not tab.editor.sign()
    [draft] = notes.list_notes(ctx.uow(), client_id)
    assert not draft.is_signed  # nothing signed "by Practitioner"
    assert tab.signer.isVisible() and "name and credentials" in tab.signer.message.text()

    qtbot.mouseClick(tab.signer.fill_button, Qt.MouseButton.LeftButton)
    dialog = tab.signer.dialog
    qtbot.waitExposed(dialog)
    assert dialog.form.name.text() == "Dr Ada Byrne"
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "credentials" in dialog.message.text()  # still missing: stays
    # a sync brings contact details from this clinician's other device while the dialog is open
    ws_vault.update_profile(lambda p: replace(p, contact="1 Harbour Road"))
    qtbot.keyClicks(dialog.form.credentials, "LCSW")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and not tab.signer.isVisible()
    assert ws_vault.profile().contact == "1 Harbour Road"  # only the credentials typed were saved
    QApplication.processEvents()

    assert tab.editor.sign()
    [signed] = notes.list_notes(ctx.uow(), client_id)
    assert signed.signature is not None
    assert (signed.signature.signer, signed.signature.credentials) == ("Dr Ada Byrne", "LCSW")


def test_the_first_run_checks_the_details_as_settings_and_the_cli_do(
    qtbot, ui_vault_path, prefs, errors, runner
):
    """A name the core refuses (over 200 characters) is said, not stored, and the page keeps it."""
    launcher, start, about = to_about_you(qtbot, ui_vault_path, prefs, errors, runner)
    assert about is not None
    about.form.name.setText("Dr " + "A" * 300)
    about.form.credentials.setText("PsyD")
    qtbot.mouseClick(about.continue_button, Qt.MouseButton.LeftButton)
    assert "longer than 200 characters" in (errors.last_message or "")
    assert start.stack.currentWidget() is about and launcher.main_window is None
    assert about.form.name.text() == "Dr " + "A" * 300
    qtbot.mouseClick(about.skip_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: launcher.main_window is not None, timeout=10000)
    window = launcher.main_window
    qtbot.addWidget(window)
    assert window.ctx.vault.profile().name == ""
    window.client_dialog.reject()
    window.close()
