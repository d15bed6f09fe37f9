"""The page for a backup opened from the desktop (`notesdesk FILE.ndbk`, a double-click, macOS's
open-file event): what the backup's header says (whose vault, when, how much; no secret needed),
then its passphrase or the recovery key. The start window does the work (start/window.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.errors import NotesdeskError
from notesdesk.ui.widgets.labels import InlineMessage, heading, monospace, paragraph
from notesdesk.ui.widgets.passphrase import PassphraseField

if TYPE_CHECKING:  # the backup modules load on the runner thread (tests/ui/test_startup_imports.py)
    from notesdesk.core.backup.preview import BackupPreview

# (passphrase, recovery key): exactly one is set (as ui/dialogs/secret_dialog.py's Secret).
Secret = tuple[str | None, str | None]

IN_USE = (
    "The vault at {vault} is open in another NotesDesk window or command: lock or close it there, "
    "then restore. Nothing was changed."
)
REPLACE_QUESTION = (
    "Restore {backup}?\n\nThis replaces the vault at {vault}. The current one is not deleted: it is "
    "kept beside it, in the same folder, as “{kept}”. The backup is checked completely before "
    "anything is replaced."
)
NEW_VAULT_QUESTION = (
    "Restore {backup}?\n\nThere is no vault at {vault} yet: the backup's vault is put there. The backup "
    "is checked completely first."
)
WRONG_SECRET = (
    "That does not open this backup. It opens with the passphrase in use when it was made, or with "
    "the vault's recovery key."
)
RESTORED = "Restored from {backup}."
RESTORED_KEPT = "Restored from {backup}. The vault it replaced is kept at {kept}."


class RestoredNotOpened(NotesdeskError):
    """The restore worked, but the restored vault then did not open (another window took it first)."""


def restored(backup: str, kept: Path | None) -> str:
    return RESTORED_KEPT.format(backup=backup, kept=kept) if kept else RESTORED.format(backup=backup)


def kept_name(vault: Path) -> str:
    """The name the restore gives the replaced vault (backup/service.py), its time left open."""
    return f"{vault.name}.replaced-….bak"


def _when(created: str) -> str:
    try:
        return datetime.fromisoformat(created).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return created


def _count(counts: dict[str, int], key: str, word: str) -> str:
    n = int(counts.get(key, 0))
    return f"{n} {word}{'s' * (n != 1)}"


def describe(preview: BackupPreview) -> str:
    """What the header says, in the words of the page: no secret was needed to read any of it."""
    made = (
        f"A backup made {_when(preview.created)} by NotesDesk {preview.app_version}, holding "
        f"{_count(preview.counts, 'clients', 'client')} and {_count(preview.counts, 'notes', 'note')}."
    )
    if preview.target_vault_id is None:
        whose = f"There is no vault at {preview.target} yet: restoring puts this backup's vault there."
    elif preview.other_vault:
        whose = (
            f"It is NOT a backup of the vault at {preview.target}, but of a different one: after "
            "restoring, that vault's own passphrase and recovery sheet apply."
        )
    else:
        whose = f"It is a backup of your vault at {preview.target}."
    return "\n".join(
        [f"File: {preview.path}", made, whose, f"Vault id: {preview.vault_id} (as on its recovery sheet)"]
    )


def question(preview: BackupPreview) -> str:
    """The confirmation before anything is replaced (the Backups dialog's, naming the files)."""
    if preview.target_vault_id is None:
        return NEW_VAULT_QUESTION.format(backup=preview.path.name, vault=preview.target)
    text = REPLACE_QUESTION.format(
        backup=preview.path.name, vault=preview.target, kept=kept_name(preview.target)
    )
    if preview.other_vault:
        text += (
            "\n\nThis backup is of a different vault: after restoring, its own passphrase and "
            "recovery sheet apply from then on, not yours."
        )
    return text


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    return button


class RestoreFilePage(QWidget):
    sig_submitted = Signal(object)
    """Restore with this Secret (passphrase, recovery key)."""
    sig_back = Signal()
    """Not now: back to the unlock (or first-run) page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview: BackupPreview | None = None
        self.about = paragraph("")
        self.about.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.about.setAccessibleName("About this backup")
        self.in_use = InlineMessage(self)
        self.passphrase = PassphraseField("Backup passphrase", self)
        self.recovery_key = QLineEdit(self)
        self.recovery_key.setFont(monospace())
        self.recovery_key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.recovery_key.setAccessibleName("Recovery key")
        self.message = InlineMessage(self)
        self.back = _button("&Not now", "Not now")
        self.back.setShortcut(QKeySequence("Alt+Left"))
        self.restore_button = _button("&Restore…", "Restore this backup")
        self.restore_button.setDefault(True)

        form = QFormLayout()
        form.addRow("Its &passphrase:", self.passphrase)
        form.addRow("or the &recovery key:", self.recovery_key)
        for field, buddy in ((self.passphrase, self.passphrase.edit), (self.recovery_key, self.recovery_key)):
            label = form.labelForField(field)
            if isinstance(label, QLabel):
                label.setBuddy(buddy)
        row = QHBoxLayout()
        row.addWidget(self.back)
        row.addStretch(1)
        row.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Restore a backup"))
        layout.addWidget(self.about)
        layout.addWidget(self.in_use)
        layout.addWidget(
            paragraph(
                "Type the passphrase that was in use when this backup was made, or the vault's "
                "recovery key. You are asked before anything is replaced."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(row)
        layout.addStretch(1)

        self.passphrase.returnPressed.connect(self._on_submit)
        self.recovery_key.returnPressed.connect(self._on_submit)
        self.passphrase.textChanged.connect(lambda _t: self.message.clear())
        self.recovery_key.textChanged.connect(lambda _t: self.message.clear())
        self.restore_button.clicked.connect(self._on_submit)
        self.back.clicked.connect(self._on_back)

    def show_preview(self, preview: BackupPreview) -> None:
        self.preview = preview
        self.about.setText(describe(preview))
        self.show_in_use(preview.in_use)
        self.message.clear()

    def show_in_use(self, in_use: bool) -> None:
        vault = self.preview.target if self.preview is not None else ""
        self.in_use.show_message(IN_USE.format(vault=vault) if in_use else "")

    def show_wrong(self, message: str) -> None:
        self.message.show_message(message)
        self.passphrase.edit.selectAll()
        self.passphrase.setFocus()

    def clear_secret(self) -> None:
        self.passphrase.clear()
        self.recovery_key.clear()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        self.passphrase.setFocus()

    def _on_back(self) -> None:
        self.clear_secret()
        self.message.clear()
        self.sig_back.emit()

    def _on_submit(self) -> None:
        if self.passphrase.text():
            self.sig_submitted.emit((self.passphrase.text(), None))
        elif self.recovery_key.text().strip():
            self.sig_submitted.emit((None, self.recovery_key.text().strip()))
        else:
            self.message.show_message("Type the backup's passphrase or the recovery key.")
