"""Settings: crisis lines per locale, the second backup folder checked on Save, a failed save that
changes nothing, and the change-passphrase dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from notesdesk.core.domain.clients import Client
from notesdesk.core.errors import WrongPassphrase
from notesdesk.core.reports.crisis_lines import COUNTRIES, lines_for
from notesdesk.core.services import clients
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.dialogs.passphrase_dialog import DONE, ChangePassphraseDialog
from notesdesk.ui.dialogs.renew_keys_dialog import RenewKeysDialog
from notesdesk.ui.dialogs.settings_dialog import SettingsDialog
from notesdesk.ui.lifecycle import backups as ui_backups
from notesdesk.ui.widgets.practitioner import NO_COUNTRY, NO_COUNTRY_PREVIEW
from tests.ui.conftest import PASSPHRASE


@pytest.fixture
def open_settings(qtbot, ctx):
    def make() -> SettingsDialog:
        dialog = SettingsDialog(ctx)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return make


def save(qtbot, dialog: SettingsDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    button = box.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# -- crisis lines --------------------------------------------------------------------------------


def test_every_locale_offered_has_crisis_lines_and_the_dialog_shows_them(qtbot, open_settings):
    dialog = open_settings()
    assert not dialog.locale_combo.isEditable()  # nothing typed in is saved as an unknown "GERMANY"
    offered = [dialog.locale_combo.itemData(i) for i in range(dialog.locale_combo.count())]
    # A new vault's country is unset: it says so first, then every country with lines.
    assert offered == ["", *COUNTRIES] and "NZ" not in offered
    assert dialog.locale_combo.currentText() == NO_COUNTRY
    assert NO_COUNTRY_PREVIEW in dialog.lines_preview.text()
    for index, code in enumerate(offered[1:], start=1):
        dialog.locale_combo.setCurrentIndex(index)
        lines = lines_for(code)
        assert lines.lines, code
        for line in lines.lines:
            assert f"{line.name}: {line.number}" in dialog.lines_preview.text()
        assert lines.emergency in dialog.lines_preview.text()
    dialog.locale_combo.setCurrentIndex(dialog.locale_combo.findData("UK"))
    assert "Samaritans: 116 123" in dialog.lines_preview.text()
    assert "999" in dialog.lines_preview.text()


def test_a_saved_locale_without_lines_is_shown_as_such_and_kept(qtbot, ctx, open_settings):
    from dataclasses import replace

    ctx.vault.save_profile(replace(ctx.vault.profile(), locale="DE"))
    dialog = open_settings()
    assert dialog.locale_combo.currentText().startswith("DE: no crisis lines known")
    assert "No national crisis line is known for DE" in dialog.lines_preview.text()
    assert "local emergency number" in dialog.lines_preview.text()
    save(qtbot, dialog)
    assert ctx.vault.profile().locale == "DE"


def test_an_unset_country_stays_unset_when_other_settings_are_saved(qtbot, ctx, open_settings):
    dialog = open_settings()
    dialog.name.setText("Dr Rosa Quintero")
    save(qtbot, dialog)
    assert ctx.vault.profile().locale == "" and ctx.vault.profile().name == "Dr Rosa Quintero"


def test_choosing_a_country_saves_its_code(qtbot, ctx, open_settings):
    dialog = open_settings()
    dialog.locale_combo.setCurrentIndex(dialog.locale_combo.findData("AU"))
    assert "Lifeline: 13 11 14" in dialog.lines_preview.text()
    save(qtbot, dialog)
    assert not dialog.isVisible() and ctx.vault.profile().locale == "AU"



def test_saving_keeps_a_profile_change_that_arrived_while_the_dialog_was_open(qtbot, ctx, open_settings):
    """A sync may write the profile (a rename from this clinician's other device) while Settings is
    open: Save stores only the fields changed in the dialog, so the rename is not reverted."""
    from dataclasses import replace

    dialog = open_settings()
    ctx.vault.update_profile(lambda p: replace(p, name="Dr Dana Renamed", retention_years_after_service=9))
    dialog.contact.setPlainText("12 New Street")
    save(qtbot, dialog)
    saved = ctx.vault.profile()
    assert not dialog.isVisible()
    assert (saved.name, saved.retention_years_after_service, saved.contact) == ("Dr Dana Renamed", 9,
                                                                                "12 New Street")

# -- the second backup folder ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("backups/usb", "is not a full path"), ("FILE", "is a file, not a folder"),
     ("MISSING", "There is no folder")],
)
def test_a_bad_second_folder_is_refused_inline(qtbot, ctx, prefs, tmp_path, open_settings, typed, expected):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    typed = {"FILE": str(a_file), "MISSING": str(tmp_path / "no-such-folder")}.get(typed, typed)
    dialog = open_settings()
    dialog.idle.setValue(42)
    dialog.backup.setText(typed)
    save(qtbot, dialog)
    assert dialog.isVisible()
    assert expected in dialog.backup_message.text()
    assert prefs.backup_folder == "" and prefs.idle_minutes != 42  # nothing was saved


def test_a_drive_that_is_not_connected_is_accepted_with_a_note(qtbot, prefs, tmp_path, open_settings,
                                                               monkeypatch):
    media = tmp_path / "media"
    (media / "me").mkdir(parents=True)
    monkeypatch.setattr(ui_backups, "REMOVABLE_ROOTS", (media,))
    usb = media / "me" / "USB-STICK" / "NotesDesk"
    dialog = open_settings()
    dialog.backup.setText(str(usb))
    dialog.backup.editingFinished.emit()
    assert dialog.backup_message.text() == f"{usb} is not connected now; backups will go there when it is."
    save(qtbot, dialog)
    assert not dialog.isVisible() and prefs.backup_folder == str(usb)
    again = open_settings()  # the note is there again the next time
    assert "is not connected now" in again.backup_message.text()


def test_an_existing_folder_is_saved_without_a_message(qtbot, prefs, tmp_path, open_settings):
    usb = tmp_path / "usb"
    usb.mkdir()
    dialog = open_settings()
    dialog.backup.setText(str(usb))
    save(qtbot, dialog)
    assert not dialog.isVisible() and prefs.backup_folder == str(usb)
    assert dialog.backup_message.text() == ""


# -- a failed save changes nothing ----------------------------------------------------------------


def test_a_failing_profile_save_changes_nothing_and_says_so(qtbot, ctx, prefs, errors, open_settings,
                                                            monkeypatch):
    def broken(_profile):
        raise OSError("disk went away")

    before = ctx.vault.profile()
    monkeypatch.setattr(ctx.vault, "update_profile", broken)
    dialog = open_settings()
    dialog.name.setText("Dr New Name")
    dialog.idle.setValue(42)
    dialog.privacy.setChecked(True)
    save(qtbot, dialog)
    assert dialog.isVisible()
    assert errors.last_message.startswith("Your settings were not saved.")
    assert "Nothing was changed." in errors.last_message
    assert prefs.idle_minutes != 42 and prefs.privacy_mode is False
    assert ctx.vault.profile() == before


# -- change passphrase ----------------------------------------------------------------------------


def label_texts(dialog) -> list[str]:
    """The field labels, top to bottom as the person sees them."""
    labels = [label for label in dialog.findChildren(QLabel) if label.buddy() is not None]
    return [label.text() for label in sorted(labels, key=lambda lb: lb.mapTo(dialog, QPoint(0, 0)).y())]


def test_change_passphrase_labels_buttons_and_success_message(qtbot, ctx, errors):
    dialog = ChangePassphraseDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert label_texts(dialog) == ["C&urrent passphrase:", "&New passphrase:", "New passphrase &again:"]
    submit = dialog.form.submit
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    # One standard button box: the action and Cancel side by side, in the platform's order.
    assert dialog.buttons.buttonRole(submit) == QDialogButtonBox.ButtonRole.AcceptRole
    assert submit.parent() is dialog.buttons and cancel.y() == submit.y()
    assert not submit.isEnabled()
    new = "a brand new passphrase for testing"
    dialog.current.setText(PASSPHRASE)
    dialog.form.first.setText(new)
    dialog.form.second.setText(new)
    assert submit.isEnabled()
    qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: errors.last_info is not None, timeout=10000)
    assert errors.last_info == DONE and "changed" in DONE
    assert not dialog.isVisible() and errors.last_message is None
    Vault.open(ctx.vault.path, passphrase=new, read_only=True).close()


def test_change_passphrase_with_the_wrong_current_one_says_so(qtbot, ctx, errors):
    dialog = ChangePassphraseDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    new = "a brand new passphrase for testing"
    dialog.current.setText("not it at all")
    dialog.form.first.setText(new)
    dialog.form.second.setText(new)
    qtbot.mouseClick(dialog.form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.current_message.text() != "", timeout=10000)
    assert dialog.current_message.text() == "That is not the current passphrase."
    assert dialog.isVisible() and errors.last_info is None
    assert dialog.form.submit.isEnabled()


# -- renew keys, new recovery key -------------------------------------------------------------------


def _renew_from_settings(qtbot, open_settings, button_name: str, passphrase: str):
    settings = open_settings()
    button = getattr(settings, button_name)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = settings.renew_dialog
    assert isinstance(dialog, RenewKeysDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.current.edit, passphrase)
    qtbot.mouseClick(dialog.submit, Qt.MouseButton.LeftButton)
    return dialog


def test_renew_keys_from_settings_shows_the_new_recovery_key_until_it_is_confirmed(
    qtbot, ctx, errors, open_settings, created
):
    clients.add_client(ctx.vault.unit_of_work(), Client(name="Ana Lima"))
    old_key = created[1]
    dialog = _renew_from_settings(qtbot, open_settings, "renew_keys", PASSPHRASE)
    qtbot.waitUntil(lambda: dialog.stack.currentWidget() is dialog.key_page, timeout=10000)
    new_key = dialog.key_page.key_label.text()
    assert new_key and new_key != old_key
    dialog.reject()  # Escape: the key is shown only once, so it stays until confirmed
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.key_page.confirm, new_key.rsplit("-", 1)[-1])
    qtbot.mouseClick(dialog.key_page.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert errors.last_info is not None and "renewed" in errors.last_info
    # The open vault carries on under the new key, and the new secrets open the file.
    assert [c.name for c in clients.list_clients(ctx.vault.unit_of_work())] == ["Ana Lima"]
    Vault.open(ctx.vault.path, recovery_key=new_key, read_only=True).close()
    Vault.open(ctx.vault.path, passphrase=PASSPHRASE, read_only=True).close()
    with pytest.raises(WrongPassphrase):
        Vault.open(ctx.vault.path, recovery_key=old_key, read_only=True)


def test_a_new_recovery_key_from_settings_and_a_wrong_passphrase_said_in_place(
    qtbot, ctx, errors, open_settings, created
):
    wrong = _renew_from_settings(qtbot, open_settings, "new_recovery_key", "not the passphrase at all")
    qtbot.waitUntil(lambda: bool(wrong.message.text()), timeout=10000)
    assert "not the current passphrase" in wrong.message.text()
    assert wrong.stack.currentWidget() is not wrong.key_page
    wrong.current.clear()
    qtbot.keyClicks(wrong.current.edit, PASSPHRASE)
    qtbot.mouseClick(wrong.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wrong.stack.currentWidget() is wrong.key_page, timeout=10000)
    new_key = wrong.key_page.key_label.text()
    Vault.open(ctx.vault.path, recovery_key=new_key, read_only=True).close()
    with pytest.raises(WrongPassphrase):
        Vault.open(ctx.vault.path, recovery_key=created[1], read_only=True)
