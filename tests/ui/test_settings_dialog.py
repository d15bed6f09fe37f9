"""Settings: crisis lines per locale, the second backup folder checked on Save, a failed save that
changes nothing, and the change-passphrase dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from notesdesk.core.reports.crisis_lines import COUNTRIES, lines_for
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.dialogs.passphrase_dialog import DONE, ChangePassphraseDialog
from notesdesk.ui.dialogs.settings_dialog import SettingsDialog
from notesdesk.ui.lifecycle import backups as ui_backups
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
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# -- crisis lines --------------------------------------------------------------------------------


def test_every_locale_offered_has_crisis_lines_and_the_dialog_shows_them(qtbot, open_settings):
    dialog = open_settings()
    assert not dialog.locale.isEditable()  # nothing typed in is saved as an unknown "GERMANY"
    offered = [dialog.locale.itemData(i) for i in range(dialog.locale.count())]
    # A new vault's country is unset: it says so first, then every country with lines.
    assert offered == ["", *COUNTRIES] and "NZ" not in offered
    assert dialog.locale.currentText() == "Not set yet: choose the practice's country"
    assert "appear once the practice's country is set in Settings" in dialog.lines_preview.text()
    for index, code in enumerate(offered[1:], start=1):
        dialog.locale.setCurrentIndex(index)
        lines = lines_for(code)
        assert lines.lines, code
        for line in lines.lines:
            assert f"{line.name}: {line.number}" in dialog.lines_preview.text()
        assert lines.emergency in dialog.lines_preview.text()
    dialog.locale.setCurrentIndex(dialog.locale.findData("UK"))
    assert "Samaritans: 116 123" in dialog.lines_preview.text()
    assert "999" in dialog.lines_preview.text()


def test_a_saved_locale_without_lines_is_shown_as_such_and_kept(qtbot, ctx, open_settings):
    from dataclasses import replace

    ctx.vault.save_profile(replace(ctx.vault.profile(), locale="DE"))
    dialog = open_settings()
    assert dialog.locale.currentText().startswith("DE: no crisis lines known")
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
    dialog.locale.setCurrentIndex(dialog.locale.findData("AU"))
    assert "Lifeline: 13 11 14" in dialog.lines_preview.text()
    save(qtbot, dialog)
    assert not dialog.isVisible() and ctx.vault.profile().locale == "AU"


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
    monkeypatch.setattr(ctx.vault, "save_profile", broken)
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
