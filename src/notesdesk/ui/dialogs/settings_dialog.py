"""Settings: lock timeout, practitioner details (sealed in the vault), note defaults, privacy, backups.

Preferences (QSettings) hold no client data; the practitioner's details live in the vault.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
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
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.notes import NoteFormat
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.services.profile import changed_fields, update_fields
from notesdesk.ui.context import AppContext
from notesdesk.ui.dialogs.passphrase_dialog import ChangePassphraseDialog
from notesdesk.ui.dialogs.renew_keys_dialog import Renewal, RenewKeysDialog
from notesdesk.ui.errors import user_message
from notesdesk.ui.lifecycle.backups import check_second_folder
from notesdesk.ui.widgets.labels import InlineMessage
from notesdesk.ui.widgets.practitioner import PractitionerForm


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

        self.practitioner = PractitionerForm(profile, parent=self)
        # The form's fields, by the names they have always had here.
        self.name, self.credentials = self.practitioner.name, self.practitioner.credentials
        self.contact, self.locale_combo = self.practitioner.contact, self.practitioner.locale_combo
        self.lines_preview = self.practitioner.lines_preview

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
        self.paperwork_button = QPushButton("Paperwork &templates…")
        _named(self.paperwork_button, "Paperwork templates")
        self.paperwork_button.setToolTip("Your wording of informed consent, fees, telehealth and release "
                                         "forms")
        self.paperwork_button.clicked.connect(self._on_paperwork)

        self.change_passphrase = QPushButton("Change &passphrase…")
        _named(self.change_passphrase, "Change passphrase")
        self.change_passphrase.clicked.connect(self._on_change_passphrase)
        self.renew_keys = QPushButton("Renew &keys…")
        _named(self.renew_keys, "Renew keys")
        self.renew_keys.setToolTip("A new data key and recovery key: see what they revoke in the dialog")
        self.renew_keys.clicked.connect(lambda: self._on_renew(Renewal.KEYS))
        self.new_recovery_key = QPushButton("New recovery ke&y…")
        _named(self.new_recovery_key, "New recovery key")
        self.new_recovery_key.clicked.connect(lambda: self._on_renew(Renewal.RECOVERY_KEY))

        # Billing: the fee schedule (its own dialog: each fee is stored as it is set) and, in the US,
        # the identifiers a superbill carries.
        self.fees_button = QPushButton("Fee &schedule…")
        _named(self.fees_button, "Fee schedule")
        self.fees_button.clicked.connect(self._on_fees)
        self.npi = QLineEdit(profile.npi)
        self.npi.setPlaceholderText("10 digits (US)")
        _named(self.npi, "NPI")
        self.tax_id = QLineEdit(profile.tax_id)
        self.tax_id.setPlaceholderText("EIN, e.g. 12-3456789 (US)")
        _named(self.tax_id, "Tax id")
        billing = QGroupBox("Fees and receipts")
        form = QFormLayout(billing)
        fees_row = QHBoxLayout()
        fees_row.addWidget(self.fees_button)
        fees_row.addStretch(1)
        form.addRow("", fees_row)
        form.addRow("&NPI (on superbills):", self.npi)
        form.addRow("Ta&x id (on superbills):", self.tax_id)
        self.fees_dialog: QDialog | None = None

        general = QGroupBox("Security and privacy")
        form = QFormLayout(general)
        form.addRow("&Lock after idle:", self.idle)
        form.addRow(self.system_lock)
        form.addRow(self.privacy)
        keys_row = QHBoxLayout()
        for button in (self.change_passphrase, self.renew_keys, self.new_recovery_key):
            keys_row.addWidget(button)
        keys_row.addStretch(1)
        form.addRow("", keys_row)
        practitioner = QGroupBox("Practitioner (for signatures and printouts)")
        QVBoxLayout(practitioner).addWidget(self.practitioner)
        notes = QGroupBox("Notes and backups")
        form = QFormLayout(notes)
        form.addRow("Default note &format:", self.note_format)
        backup_label = QLabel("Second &backup folder:")
        backup_label.setBuddy(self.backup)
        form.addRow(backup_label, backup_row)
        form.addRow("", self.backup_message)
        backups_row = QHBoxLayout()
        backups_row.addWidget(self.backups_button)
        backups_row.addWidget(self.paperwork_button)
        backups_row.addStretch(1)
        form.addRow("", backups_row)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        content = QWidget()
        boxes = QVBoxLayout(content)
        boxes.setContentsMargins(0, 0, 0, 0)
        for box in (general, practitioner, billing, notes):
            boxes.addWidget(box)
        # On a short screen the groups scroll; the Save and Cancel buttons stay in view.
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidget(content)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setMinimumWidth(content.minimumSizeHint().width()
                                    + self.scroll_area.verticalScrollBar().sizeHint().width())
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(buttons)
        self._content = content
        self.passphrase_dialog: ChangePassphraseDialog | None = None
        self.renew_dialog: RenewKeysDialog | None = None
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)
        self._fit_screen()
        self._opened = self.profile()  # OK saves only the fields changed from these (update_fields)
        if prefs.backup_folder:
            self._check_backup_folder()  # an unplugged drive or an older, unchecked setting

    def _fit_screen(self) -> None:
        """As tall as its content, up to the screen's height (then the groups scroll)."""
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        chrome = self.sizeHint().height() - self.scroll_area.sizeHint().height()  # buttons and margins
        wanted = self._content.sizeHint().height() + chrome
        if screen is not None:
            wanted = min(wanted, screen.height() - self.fontMetrics().height() * 3)
        self.resize(max(self.sizeHint().width(), self.minimumWidth()), wanted)

    def _check_backup_folder(self) -> bool:
        """Show what is wrong with the second folder, or that its drive is not connected; False
        when it cannot be saved."""
        check = check_second_folder(self.backup.text())
        self.backup_message.show_message(check.problem or check.note or "")
        return check.problem is None

    def _on_paperwork(self) -> None:
        from notesdesk.ui.dialogs.paperwork_dialog import PaperworkDialog

        self.paperwork_dialog = PaperworkDialog(self._ctx, self)
        self.paperwork_dialog.exec()

    def _on_browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Second backup folder", self.backup.text())
        if folder:
            self.backup.setText(folder)
            self._check_backup_folder()

    def _on_change_passphrase(self) -> None:
        self.passphrase_dialog = ChangePassphraseDialog(self._ctx, self)
        self.passphrase_dialog.open()

    def _on_renew(self, renewal: Renewal) -> None:
        self.renew_dialog = RenewKeysDialog(self._ctx, renewal, self)
        self.renew_dialog.open()

    def profile(self, base: PractitionerProfile | None = None) -> PractitionerProfile:
        """The typed fields over `base` (the profile now if None)."""
        typed = self.practitioner.profile(base or self._ctx.vault.profile())
        return replace(typed, npi=self.npi.text().strip(), tax_id=self.tax_id.text().strip())

    def _on_fees(self) -> None:
        from notesdesk.ui.dialogs.fees_dialog import FeeScheduleDialog  # inline: Settings opens lean

        self.fees_dialog = FeeScheduleDialog(self._ctx, self)
        self.fees_dialog.open()

    def accept(self) -> None:
        """Check everything, save the practitioner's details (the step that can fail), and only then the
        preferences: a failure leaves both as they were."""
        if not self._check_backup_folder():
            self.backup.setFocus()
            return
        changed = changed_fields(self._opened, self.profile(self._opened))
        if changed:
            try:
                self._ctx.session.perform(update_fields, changed, change=None, client_id="")
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
