"""Export a PDF held in memory to a path the user picks, optionally protected with a password.

The password dialog comes first (a checkbox, the password twice), then the platform's save dialog.
Protection is the core's `protect` (AES-256, PDF 2.0 security handler) applied to the finished bytes,
so any document (a summary, a safety plan, the recovery sheet) can be protected without re-rendering.
The password is never stored: it lives in the dialog's fields until the export is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.backup.files import write_atomic
from notesdesk.core.crypto.policy import password_warning
from notesdesk.core.errors import InvalidInput
from notesdesk.core.outputs import output_problem
from notesdesk.core.reports.base import protect

MIN_PASSWORD = 8
PROTECT_NOTE = (
    "Anyone opening the file will need this password. NotesDesk does not keep it: if it is "
    "forgotten, export the document again. Send the password separately from the file."
)


@dataclass(frozen=True)
class ExportChoice:
    """What the export dialog decided: a password to protect the file with, or none."""

    password: str | None = None


class ExportOptionsDialog(QDialog):
    """Ask whether to protect the exported PDF with a password (typed twice)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export PDF")
        self._choice: ExportChoice | None = None
        self.protect_box = QCheckBox("&Protect the PDF with a password", self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Problem")
        self.warning = QLabel(self)  # a guessable password is said, not refused
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName("Password strength")
        self.password = QLineEdit(self)
        self.repeat = QLineEdit(self)
        for field, name in ((self.password, "PDF password"), (self.repeat, "PDF password again")):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(name)
            field.textChanged.connect(lambda _text: self.message.clear())
        self.password.textChanged.connect(self._show_strength)
        note = QLabel(PROTECT_NOTE, self)
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Pass&word:", self.password)
        form.addRow("&Again:", self.repeat)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Choose where to save…")
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.protect_box)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.warning)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.protect_box.toggled.connect(self._toggled)
        self._toggled(False)

    def _show_strength(self, text: str) -> None:
        warning = password_warning(text) if len(text) >= MIN_PASSWORD else None
        self.warning.setText(warning[0].upper() + warning[1:] if warning else "")

    def _toggled(self, on: bool) -> None:
        for field in (self.password, self.repeat):
            field.setEnabled(on)
        self.message.clear()
        if on:
            self.password.setFocus()

    def problem(self) -> str:
        """Why the choice cannot be accepted yet; empty when it can."""
        if not self.protect_box.isChecked():
            return ""
        first, second = self.password.text(), self.repeat.text()
        if len(first) < MIN_PASSWORD:
            return f"Use a password of at least {MIN_PASSWORD} characters."
        if first != second:
            return "The two passwords are not the same."
        return ""

    def try_accept(self) -> None:
        problem = self.problem()
        if problem:
            self.message.setText(problem)
            return
        self.accept()

    def chosen(self) -> ExportChoice | None:
        """After the dialog has closed: the choice made, or None if it was cancelled."""
        return self._choice

    def choice(self) -> ExportChoice:
        return ExportChoice(self.password.text() if self.protect_box.isChecked() else None)

    def done(self, result: int) -> None:  # the password leaves the fields as the dialog closes
        self._choice = self.choice() if result == QDialog.DialogCode.Accepted else None
        self.password.clear()
        self.repeat.clear()
        super().done(result)


def ask_export_choice(parent: QWidget | None) -> ExportChoice | None:
    """The protection dialog; None if cancelled."""
    dialog = ExportOptionsDialog(parent)
    try:
        dialog.exec()
        return dialog.chosen()
    finally:
        dialog.deleteLater()


def ask_save_path(parent: QWidget | None, suggested_name: str) -> Path | None:
    """The platform's own save dialog. Qt has no option to keep a choice out of the system's recent
    documents (Windows' FOS_DONTADDTORECENT is not exposed), so the suggested name never names the
    client, and Qt's own dialog (where it is used) is given no history to remember."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    dialog = QFileDialog(parent, "Export PDF", str(Path(folder) / suggested_name), "PDF documents (*.pdf)")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix("pdf")
    dialog.setHistory([])
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])


def export_pdf(
    pdf_bytes: bytes,
    parent: QWidget | None = None,
    suggested_name: str = "document.pdf",
    path: Path | None = None,
    password: str | None = None,
    vault_path: Path | None = None,
    backup_dirs: Sequence[Path | None] = (),
) -> Path | None:
    """Write the PDF where the user chooses (or to `path`), readable by the user only, encrypted with
    `password` when one is given; None if cancelled. The save dialog has already asked before
    replacing an existing file; the vault, its companions, backups and anything that is not a
    regular file are refused all the same (core/outputs.py)."""
    target = path if path is not None else ask_save_path(parent, suggested_name)
    if target is None:
        return None
    problem = output_problem(Path(target), vault_path, backup_dirs)
    if problem:
        raise InvalidInput(f"Not exported: {problem}")
    write_atomic(Path(target), protect(pdf_bytes, password) if password else pdf_bytes)
    return Path(target)
