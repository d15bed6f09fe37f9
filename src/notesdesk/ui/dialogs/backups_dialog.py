"""Settings → Backups: the backups in both folders, "Back up now", the restore drill, verify and
restore. Every check runs in the background runner; a restore is handed to the main window, which
alone can close the vault."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.backup.service import DIFFERENT_VAULT, BackupCheck, BackupRun, check_backup
from notesdesk.ui.context import AppContext
from notesdesk.ui.dialogs.backup_rows import BackupListModel, BackupRow, read_rows
from notesdesk.ui.dialogs.secret_dialog import AskSecret, Secret, ask_secret
from notesdesk.ui.errors import user_message
from notesdesk.ui.lifecycle.backups import BackupKeeper, drill_summary, local_time, rotation_summary
from notesdesk.ui.widgets.labels import paragraph

RETENTION = "Kept: the newest backup of each of the last 7 days, 4 weeks and 12 months."
RESTORE_QUESTION = (
    "Restore the backup of {when}?\n\n"
    "Your current vault is not deleted: it is kept beside the restored one, in the same folder, "
    "as a file ending in “.bak”. NotesDesk saves what you are typing, closes, restores, makes a fresh "
    "backup and opens again at the unlock screen. Unlock with the passphrase that was in use when "
    "this backup was made, or with your recovery key."
)

DIFFERENT_VAULT_QUESTION = (
    f"{DIFFERENT_VAULT}\n\nRestore it anyway? Your current vault is kept beside it as a “.bak” file."
)


def ask_yes_no(parent: QWidget, title: str, question: str) -> bool:
    answer = QMessageBox.question(
        parent, title, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.setToolTip(tip)
    return button


class BackupsDialog(QDialog):
    sig_restore_requested = Signal(object, object, object, bool)
    """Restore this backup (path, passphrase, recovery key, whether it may be another vault's); it has
    passed every check."""

    def __init__(
        self,
        ctx: AppContext,
        keeper: BackupKeeper,
        parent: QWidget | None = None,
        ask: AskSecret | None = None,
        confirm: Callable[[QWidget, str, str], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Backups")
        self._ctx, self._keeper = ctx, keeper
        # Replaceable: tests answer for the person.
        self.ask: AskSecret = ask or ask_secret
        self.confirm = confirm or ask_yes_no
        self._busy = False

        self.where = paragraph("")
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = BackupListModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Backups, newest first")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        rows = self.view.verticalHeader()
        rows.setDefaultSectionSize(self.view.fontMetrics().lineSpacing() * 3 // 2 + 2)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(BackupListModel.COL_WHEN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(BackupListModel.COL_WHERE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(BackupListModel.COL_SIZE, QHeaderView.ResizeMode.ResizeToContents)
        self.view.doubleClicked.connect(lambda _index: self.verify_selected())

        self.back_up_button = _button("&Back up now", "Back up now",
                                      "Write a verified backup to both folders")
        self.drill_button = _button(
            "&Test the newest backup now", "Test the newest backup now",
            "The restore drill: open the newest backup and check everything in it, changing nothing",
        )
        self.verify_button = _button("&Verify selected…", "Verify selected backup",
                                     "Check the selected backup completely, changing nothing")
        self.restore_button = _button("&Restore selected…", "Restore selected backup",
                                      "Replace the vault with the selected backup (the current one is kept)")
        self.result_label = paragraph("")
        self.result_label.setAccessibleName("Result")
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Working")
        self.busy.hide()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        buttons = QGridLayout()
        buttons.addWidget(self.back_up_button, 0, 0)
        buttons.addWidget(self.drill_button, 0, 1)
        buttons.addWidget(self.verify_button, 1, 0)
        buttons.addWidget(self.restore_button, 1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.result_label)
        layout.addWidget(self.busy)
        layout.addWidget(close)

        self.back_up_button.clicked.connect(self.back_up_now)
        self.drill_button.clicked.connect(self.test_newest)
        self.verify_button.clicked.connect(self.verify_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        width, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        self.resize(width * 96, line * 30)
        self.refresh()

    # -- the list ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        primary, second = self._keeper.folders()
        rows, problems = read_rows(primary, second)
        self.model.set_rows(rows)
        lines = [f"On this computer: {primary}"]
        if second is None:
            lines.append("Second folder: none (choose one, such as a USB drive, in Settings).")
        elif not second.is_dir():
            lines.append(f"Second folder: {second} — not connected; it is skipped until it is.")
        else:
            lines.append(f"Second folder: {second}")
        self.where.setText("\n".join([*lines, *problems, RETENTION]))
        if rows:
            self.view.selectRow(0)
        self._update_buttons()

    def selected(self) -> BackupRow | None:
        current = self.view.currentIndex()
        return self.model.row_at(current.row()) if current.isValid() else None

    def _update_buttons(self) -> None:
        idle = not self._busy
        any_rows = self.model.rowCount() > 0
        self.back_up_button.setEnabled(idle)
        self.drill_button.setEnabled(idle and any_rows)
        self.verify_button.setEnabled(idle and self.selected() is not None)
        self.restore_button.setEnabled(idle and self.selected() is not None and not self._ctx.vault.read_only)

    def _set_busy(self, text: str | None) -> None:
        self._busy = text is not None
        self.busy.setVisible(self._busy)
        if text is not None:
            self.result_label.setText(text)
        self._update_buttons()

    # -- actions ----------------------------------------------------------------------------------

    def back_up_now(self) -> None:
        if self._busy:
            return
        self._set_busy("Backing up…")
        self._keeper.back_up_now(self._on_backed_up, self._on_backup_failed)

    def _on_backed_up(self, run: BackupRun) -> None:
        self._set_busy(None)
        self.refresh()
        skipped = self._keeper.skipped_second
        if len(run.written) > 1:
            where = " and the second folder"
        elif skipped is not None:
            where = f"; the second folder {skipped} was not available"
        else:
            where = ""
        rotated = rotation_summary(run)
        self.result_label.setText(f"Backed up and verified: written to this computer{where}."
                            + (f"\n{rotated}" if rotated else ""))

    def _on_backup_failed(self, exc: BaseException) -> None:
        self._set_busy(None)
        self.result_label.setText(f"Not backed up: {user_message(exc)}")
        self._ctx.errors.present(exc, title="Backup failed")

    def newest_row(self) -> BackupRow | None:
        """The row the restore drill tests: the newest not dated in the future (see ui.backups.newest)."""
        now = datetime.now(UTC)
        return next((r for r in self.model.rows() if r.info.created <= now), None)

    def test_newest(self) -> None:
        row = self.newest_row()
        if row is None or self._busy:
            return
        when = local_time(row.info.created)
        secret = self.ask(self, "Test the newest backup",
                          f"Type your vault's passphrase to open the backup of {when} and check "
                          "everything in it. Nothing is changed.")
        if secret is not None:
            self._check(row, secret, self._show_ok)

    def verify_selected(self) -> None:
        row = self.selected()
        if row is None or self._busy:
            return
        secret = self.ask(self, "Verify backup",
                          f"To open the backup of {local_time(row.info.created)}, type the passphrase that "
                          "was in use when it was made, or your recovery key. Nothing is changed.")
        if secret is not None:
            self._check(row, secret, self._show_ok)

    def restore_selected(self) -> None:
        row = self.selected()
        if row is None or self._busy:
            return
        question = RESTORE_QUESTION.format(when=local_time(row.info.created))
        if not self.confirm(self, "Restore backup", question):
            return
        secret = self.ask(self, "Restore backup",
                          "Type the passphrase that was in use when this backup was made, or your "
                          "recovery key. The backup is checked completely before anything is replaced.")
        if secret is None:
            return

        def restore(check: BackupCheck) -> None:
            self._show_ok(check)
            other = check.vault_id != self._ctx.vault.vault_id
            if other and not self.confirm(self, "Restore a different vault?", DIFFERENT_VAULT_QUESTION):
                self.result_label.setText("Not restored: your vault is unchanged.")
                return
            self.accept()
            self.sig_restore_requested.emit(row.path, *secret, other)

        self._check(row, secret, restore)

    def _check(self, row: BackupRow, secret: Secret, then: Callable[[BackupCheck], None]) -> None:
        passphrase, recovery_key = secret
        path = row.path
        self._set_busy(f"Checking the backup of {local_time(row.info.created)}…")

        def checked(check: BackupCheck) -> None:
            self._set_busy(None)
            then(check)

        self._ctx.session.background(
            lambda: check_backup(path, passphrase, recovery_key), checked, self._on_check_failed
        )

    def _show_ok(self, check: BackupCheck) -> None:
        self.result_label.setText(drill_summary(check))

    def _on_check_failed(self, exc: BaseException) -> None:
        self._set_busy(None)
        self.result_label.setText(f"Not OK: {user_message(exc)}")
        self._ctx.errors.present(exc, title="Backup check failed")
