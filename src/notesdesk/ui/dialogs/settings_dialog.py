"""Settings: lock timeout, practitioner details (sealed in the vault), note defaults, privacy, backups.

Preferences (QSettings) hold no client data; the practitioner's details live in the vault.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.notes import NoteFormat
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.reports.crisis_lines import COUNTRIES, describe, known_locale
from notesdesk.ui.context import AppContext
from notesdesk.ui.dialogs.passphrase_dialog import ChangePassphraseDialog
from notesdesk.ui.errors import user_message
from notesdesk.ui.lifecycle.backups import check_second_folder
from notesdesk.ui.widgets.labels import InlineMessage, paragraph

UNKNOWN_LOCALE = "{code}: no crisis lines known (choose a country)"
COUNTRY_UNSET = "Not set yet: choose the practice's country"


def _named(widget: QWidget, name: str) -> QWidget:
    widget.setAccessibleName(name)
    return widget


class SettingsDialog(QDialog):
    sig_applied = Signal()
    """Settings were saved; the main window re-reads idle time, system lock and privacy mode."""
    sig_open_backups = Signal()
    """The person asked for the Backups page (list, back up now, test, verify, restore)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._ctx = ctx
        prefs, profile = ctx.prefs, ctx.vault.profile()

        self.idle = QSpinBox(self)
        self.idle.setRange(1, 240)
        self.idle.setSuffix(" minutes")
        self.idle.setValue(prefs.idle_minutes)
        _named(self.idle, "Lock after this many idle minutes")
        self.system_lock = QCheckBox("Lock when the computer &sleeps or the screen locks")
        self.system_lock.setChecked(prefs.lock_on_system_lock)
        _named(self.system_lock, "Lock when the computer sleeps or the screen locks")
        self.privacy = QCheckBox("Show clients by &initials only (privacy mode for screen sharing)")
        self.privacy.setChecked(prefs.privacy_mode)
        _named(self.privacy, "Privacy mode")

        self.name = QLineEdit(profile.name)
        _named(self.name, "Practitioner name")
        self.credentials = QLineEdit(profile.credentials)
        self.credentials.setPlaceholderText("e.g. PhD, Licensed Psychologist #12345")
        _named(self.credentials, "Credentials")
        self.contact = QPlainTextEdit(profile.contact)
        self.contact.setTabChangesFocus(True)
        self.contact.setFixedHeight(self.contact.fontMetrics().lineSpacing() * 3 + 12)
        _named(self.contact, "Practice contact details")
        self.locale = QComboBox(self)
        for code, country in COUNTRIES.items():
            self.locale.addItem(f"{country} ({code})", code)
        known = known_locale(profile.locale)
        if known is not None:
            self.locale.setCurrentIndex(self.locale.findData(known))
        elif profile.locale:  # kept until a country is chosen (its paper size, say), never guessed
            self.locale.insertItem(0, UNKNOWN_LOCALE.format(code=profile.locale), profile.locale)
            self.locale.setCurrentIndex(0)
        else:  # a new vault: unset until the practitioner chooses (no country's numbers are guessed)
            self.locale.insertItem(0, COUNTRY_UNSET, "")
            self.locale.setCurrentIndex(0)
        _named(self.locale, "Crisis lines for")
        self.lines_preview = paragraph("")
        self.lines_preview.setAccessibleName("Printed on every safety plan")
        self.locale.currentIndexChanged.connect(lambda _i: self._show_lines())
        self._show_lines()

        self.note_format = QComboBox(self)
        for fmt in NoteFormat:
            if fmt != NoteFormat.CUSTOM:
                self.note_format.addItem(fmt.label, fmt.value)
        self.note_format.setCurrentIndex(max(0, self.note_format.findData(prefs.default_note_format)))
        _named(self.note_format, "Default note format")

        self.backup = QLineEdit(prefs.backup_folder)
        self.backup.setPlaceholderText("Optional, such as a USB drive")
        hint_width = self.backup.fontMetrics().horizontalAdvance(self.backup.placeholderText())
        self.backup.setMinimumWidth(hint_width + self.backup.fontMetrics().averageCharWidth() * 4)
        _named(self.backup, "Second backup folder")
        self.backup_message = InlineMessage(self)
        self.backup.editingFinished.connect(self._check_backup_folder)
        self.backup.textEdited.connect(lambda _t: self.backup_message.clear())
        browse = QPushButton("&Browse…")
        _named(browse, "Choose the second backup folder")
        browse.clicked.connect(self._on_browse)
        backup_row = QHBoxLayout()
        backup_row.addWidget(self.backup, 1)
        backup_row.addWidget(browse)
        self.backups_button = QPushButton("Back&ups: list, test, restore…")
        _named(self.backups_button, "Backups")
        self.backups_button.setToolTip("See your backups, back up now, test or restore one (Ctrl+Shift+B)")
        self.backups_button.clicked.connect(self.sig_open_backups)

        self.change_passphrase = QPushButton("Change &passphrase…")
        _named(self.change_passphrase, "Change passphrase")
        self.change_passphrase.clicked.connect(self._on_change_passphrase)

        general = QGroupBox("Security and privacy")
        form = QFormLayout(general)
        form.addRow("&Lock after idle:", self.idle)
        form.addRow(self.system_lock)
        form.addRow(self.privacy)
        form.addRow("", self.change_passphrase)
        practitioner = QGroupBox("Practitioner (for signatures and printouts)")
        form = QFormLayout(practitioner)
        form.addRow("&Name:", self.name)
        form.addRow("&Credentials:", self.credentials)
        form.addRow("C&ontact:", self.contact)
        form.addRow("Crisis lines &for:", self.locale)
        form.addRow("", self.lines_preview)
        notes = QGroupBox("Notes and backups")
        form = QFormLayout(notes)
        form.addRow("Default note &format:", self.note_format)
        backup_label = QLabel("Second &backup folder:")
        backup_label.setBuddy(self.backup)
        form.addRow(backup_label, backup_row)
        form.addRow("", self.backup_message)
        backups_row = QHBoxLayout()
        backups_row.addWidget(self.backups_button)
        backups_row.addStretch(1)
        form.addRow("", backups_row)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for box in (general, practitioner, notes):
            layout.addWidget(box)
        layout.addWidget(buttons)
        self.passphrase_dialog: ChangePassphraseDialog | None = None
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)
        if prefs.backup_folder:
            self._check_backup_folder()  # an unplugged drive or an older, unchecked setting

    def _locale_code(self) -> str:
        code = str(self.locale.currentData())
        saved = self._ctx.vault.profile().locale
        return saved if known_locale(saved) == code else code  # "GB" stays "GB", not "UK"

    def _show_lines(self) -> None:
        self.lines_preview.setText("Printed on every safety plan:\n" + describe(self._locale_code()))

    def _check_backup_folder(self) -> bool:
        """Show what is wrong with the second folder, or that its drive is not connected; False
        when it cannot be saved."""
        check = check_second_folder(self.backup.text())
        self.backup_message.show_message(check.problem or check.note or "")
        return check.problem is None

    def _on_browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Second backup folder", self.backup.text())
        if folder:
            self.backup.setText(folder)
            self._check_backup_folder()

    def _on_change_passphrase(self) -> None:
        self.passphrase_dialog = ChangePassphraseDialog(self._ctx, self)
        self.passphrase_dialog.open()

    def profile(self) -> PractitionerProfile:
        return replace(
            self._ctx.vault.profile(),
            name=self.name.text().strip(),
            credentials=self.credentials.text().strip(),
            contact=self.contact.toPlainText().strip(),
            locale=self._locale_code(),
        )

    def accept(self) -> None:
        """Check everything, save the practitioner's details (the step that can fail), and only then the
        preferences: a failure leaves both as they were."""
        if not self._check_backup_folder():
            self.backup.setFocus()
            return
        profile = self.profile()
        if profile != self._ctx.vault.profile():
            try:
                self._ctx.vault.save_profile(profile)
            except Exception as exc:  # shown once, by the presenter; the dialog stays open
                self._ctx.errors.present(not_saved(exc), title="Settings not saved")
                return
        prefs = self._ctx.prefs
        prefs.idle_minutes = self.idle.value()
        prefs.lock_on_system_lock = self.system_lock.isChecked()
        prefs.privacy_mode = self.privacy.isChecked()
        prefs.default_note_format = str(self.note_format.currentData())
        prefs.backup_folder = self.backup.text().strip()
        prefs.sync()
        self.sig_applied.emit()
        super().accept()


def not_saved(exc: BaseException) -> NotesdeskError:
    reason = user_message(exc)
    if "nothing was changed" not in reason.lower():
        reason += " Nothing was changed."
    return NotesdeskError(f"Your settings were not saved. {reason}")
