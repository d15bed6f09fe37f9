"""First run: choose to create a vault or try the demo; create it; show and confirm the recovery key.

The recovery page offers the recovery sheet (core.reports): rendered into memory and opened in the
preview, whose Print… and Export PDF… are the only ways it leaves the app. No temporary file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk import paths
from notesdesk.core.backup.files import write_atomic
from notesdesk.core.errors import InvalidInput, NotesdeskError
from notesdesk.core.outputs import output_problem
from notesdesk.ui.widgets.labels import InlineMessage, Notice, heading, monospace, paragraph, scaled_font
from notesdesk.ui.widgets.passphrase import PassphraseForm

if TYPE_CHECKING:  # a type only: the record types load after the start window shows
    from notesdesk.core.domain.summaries import PractitionerBlock

KEEP_IT = (
    "Keep this key on paper or in a safe place away from this computer. If you forget your "
    "passphrase, this key is the only way back into your notes."
)
LOSS = (
    "If you lose both the passphrase and this key, nobody can recover your notes, "
    "not even NotesDesk's makers."
)
LOSS_WARNING = f"{KEEP_IT} {LOSS}"
SHEET_TITLE = "Recovery sheet"
SHEET_FILE = "notesdesk-recovery-sheet.pdf"


def system_region() -> str:
    """The system's region code ("US", "DE"), or "" when it has none (the C locale)."""
    name = QLocale.system().name()  # e.g. "en_US"
    return name.rsplit("_", 1)[-1].upper() if "_" in name else ""


def _button(text: str, name: str, shortcut: str | None = None) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    if shortcut:
        button.setShortcut(QKeySequence(shortcut))
    return button


class ChoicePage(QWidget):
    sig_create = Signal()
    """The person chose to create their own vault."""
    sig_demo = Signal()
    """The person chose to try the demo practice."""

    def __init__(
        self, vault_path: Path, demo_path: Path, demo_passphrase: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.create_button = QCommandLinkButton(
            "&Create a new vault",
            "Your notes, encrypted with a passphrase you choose, stored on this computer only.",
        )
        self.create_button.setAccessibleName("Create a new vault")
        self.demo_button = QCommandLinkButton(
            "Open the &demo practice",
            f"Made-up clients to try things out, kept apart from your own vault. "
            f"Its passphrase is “{demo_passphrase}”.",
        )
        self.demo_button.setAccessibleName("Open the demo practice")
        self.create_button.clicked.connect(self.sig_create)
        self.demo_button.clicked.connect(self.sig_demo)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Welcome to NotesDesk"))
        layout.addWidget(
            paragraph(
                "NotesDesk keeps your clients' records encrypted on this computer. Nothing is sent "
                "anywhere. To begin, create your vault, or look around the demo practice first."
            )
        )
        layout.addSpacing(self.fontMetrics().height())
        layout.addWidget(self.create_button)
        layout.addWidget(self.demo_button)
        layout.addSpacing(self.fontMetrics().height())
        where = paragraph(f"Your vault will be created at {vault_path}\nThe demo practice at {demo_path}")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)
        layout.addStretch(1)


class CreatePage(QWidget):
    sig_submitted = Signal(str)
    """Create the vault with this passphrase."""
    sig_back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = PassphraseForm("&Create vault", self)
        self.back = _button("&Back", "Back")
        self.form.sig_submitted.connect(self.sig_submitted)
        self.back.clicked.connect(self.sig_back)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Choose a passphrase"))
        layout.addWidget(
            paragraph(
                "The passphrase unlocks your vault each time you open NotesDesk. A few unrelated "
                "words make a strong passphrase that is easy to remember. Creating the vault takes "
                "a moment: the key is made slow to guess on purpose."
            )
        )
        layout.addWidget(self.form)
        layout.addSpacing(self.fontMetrics().height())
        row = QHBoxLayout()
        row.addWidget(self.back)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        self.form.first.setFocus()


def _normalise_group(text: str) -> str:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return cleaned.replace("O", "0").replace("I", "1").replace("L", "1")


class KeyLabel(QLabel):
    """The recovery key on one line, never broken inside a group (nor anywhere): as large as fits, from
    1.6 times the system's fixed font down to its normal size, which sets the page's narrowest width."""

    LARGEST = 1.6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._largest = monospace(self.LARGEST, bold=True)
        self._smallest = monospace(1.0, bold=True)
        self.setFont(self._largest)
        self.setWordWrap(False)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def _width_at(self, font_metrics: QFontMetrics) -> int:
        return font_metrics.horizontalAdvance(self.text()) + 2 * self.margin() + 2 * self.frameWidth()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        return QSize(self._width_at(QFontMetrics(self._largest)), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        return QSize(self._width_at(QFontMetrics(self._smallest)), super().minimumSizeHint().height())

    def setText(self, text: str) -> None:  # noqa: N802 (Qt naming)
        super().setText(text)
        self.updateGeometry()
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        self._fit()

    def fits(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) <= self.contentsRect().width()

    def _fit(self) -> None:
        available = self.contentsRect().width()
        font = QFont(self._largest)
        size, smallest = self._largest.pointSizeF(), self._smallest.pointSizeF()
        while size > smallest and QFontMetrics(font).horizontalAdvance(self.text()) > available:
            size = max(smallest, size - 0.25)
            font.setPointSizeF(size)
        if font != self.font():
            self.setFont(font)


class RecoveryKeyPage(QWidget):
    """Shows the recovery key once; continues only after the last group is typed back."""

    sig_confirmed = Signal()
    """The person has the key: go on to the main window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key = ""
        self._vault_id = ""
        self._practitioner: PractitionerBlock | None = None
        self.vault_path: Path | None = None  # the key and the sheet are never written over it
        # None: ui/printing/view.py's PdfPreviewDialog, loaded (with reportlab) on first use of the sheet.
        self.preview_factory: Callable[..., Any] | None = None
        self.preview: Any = None
        self.present_error: Callable[[BaseException], None] = self._sheet_failed
        self.key_label = KeyLabel(self)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAccessibleName("Recovery key")
        self.save_button = _button("&Save as text file…", "Save recovery key as a text file", "Ctrl+S")
        self.sheet_button = _button(
            "&Print or save the recovery sheet…", "Print or save the recovery sheet", "Ctrl+P"
        )
        self.sheet_button.setToolTip(
            "A one-page sheet with the key, the vault id and what to do with it (Ctrl+P)"
        )
        self.copy_button = _button("C&opy", "Copy the recovery key")
        self.confirm = QLineEdit(self)
        self.confirm.setAccessibleName("Last group of the recovery key")
        self.confirm.setFont(monospace())
        self.confirm.setMaxLength(9)
        self.confirm.setMaximumWidth(self.confirm.fontMetrics().horizontalAdvance("MMMMMMMMMM"))
        self.loss = InlineMessage(self)
        self.loss.show_message(LOSS)
        self.loss.setFont(scaled_font(self.loss.font(), 1.0, bold=True))
        self.message = InlineMessage(self)
        self.saved = Notice(self)
        self.continue_button = _button("&Continue", "Continue to NotesDesk")
        self.continue_button.setDefault(True)
        self.continue_button.setEnabled(False)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.sheet_button.clicked.connect(self.show_sheet)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.confirm.textChanged.connect(self._on_confirm_changed)
        self.confirm.returnPressed.connect(self._on_continue)
        self.continue_button.clicked.connect(self._on_continue)

        layout = QVBoxLayout(self)
        layout.addWidget(heading("Your recovery key"))
        layout.addWidget(paragraph(KEEP_IT))
        layout.addWidget(self.loss)
        layout.addSpacing(self.fontMetrics().height())
        layout.addWidget(self.key_label)
        layout.addSpacing(self.fontMetrics().height())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.sheet_button, self.save_button, self.copy_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.saved)
        layout.addSpacing(self.fontMetrics().height())
        form = QFormLayout()
        form.addRow("Type the key's &last group to show you have it:", self.confirm)
        buddy = form.labelForField(self.confirm)
        if isinstance(buddy, QLabel):
            buddy.setBuddy(self.confirm)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addSpacing(self.fontMetrics().height())
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.continue_button)
        layout.addLayout(row)
        layout.addStretch(1)

    def set_key(self, key: str, vault_id: str = "", practitioner: PractitionerBlock | None = None) -> None:
        self.close_sheet()
        self._key = key
        self._vault_id = vault_id
        self._practitioner = practitioner
        self.key_label.setText(key)
        self.confirm.clear()
        self.message.clear()
        self.saved.clear()

    def last_group(self) -> str:
        return self._key.rsplit("-", 1)[-1]

    def _matches(self) -> bool:
        return bool(self._key) and _normalise_group(self.confirm.text()) == self.last_group()

    def _on_confirm_changed(self, _text: str) -> None:
        self.continue_button.setEnabled(self._matches())
        self.message.clear()

    def _on_continue(self) -> None:
        if self._matches():
            self.close_sheet()
            self.sig_confirmed.emit()
        else:
            self.message.show_message("That is not the key's last group; check it and try again.")

    def key_sheet(self) -> str:
        return (
            "NotesDesk recovery key\n\n"
            f"    {self._key}\n\n"
            f"{LOSS_WARNING}\n\n"
            'To use it: on the unlock screen choose "Forgot passphrase?" and type this key.\n'
        )

    def _on_save_clicked(self) -> None:
        home = Path.home() / "NotesDesk recovery key.txt"
        name, _ = QFileDialog.getSaveFileName(self, "Save the recovery key", str(home), "Text (*.txt)")
        if name:
            self.save_to(Path(name))

    def save_to(self, path: Path) -> bool:
        """Write the key sheet readable by the owner only, whole or not at all; a failure is said on
        the page (a full disk, a folder without write permission), never as a traceback."""
        try:
            problem = output_problem(path, self.vault_path, [paths.backup_dir()])
            if problem:
                raise InvalidInput(problem)
            write_atomic(path, self.key_sheet().encode("utf-8"))
        except NotesdeskError as exc:  # write_atomic turns every OSError into one of ours
            self.saved.clear()
            self.message.show_message(f"The recovery key was not saved. {exc}")
            return False
        self.message.clear()
        path = path.absolute()
        self.saved.show_message(f"Saved as “{path.name}” in the folder {path.parent}. Print it or move "
                                "it somewhere safe, off this computer, then delete the file.")
        return True

    # -- the recovery sheet ------------------------------------------------------------------------

    def sheet_pdf(self) -> bytes:
        """The recovery sheet as PDF bytes, in memory only."""
        from notesdesk.core.domain.summaries import PractitionerBlock  # noqa: F811 (inline: see the imports)

        practitioner = self._practitioner
        if practitioner is None or not practitioner.name:
            # A new vault: the practice details are not set yet, so the system's region decides the
            # paper and the date format.
            practitioner = PractitionerBlock(locale=system_region() or PractitionerBlock().locale)
        # Inline: reportlab and the report code load on first use, not before the start window shows.
        from notesdesk.core.reports import PdfOptions, default_paper, render_recovery_sheet
        from notesdesk.core.services.summary import recovery_sheet

        sheet = recovery_sheet(self._key, self._vault_id, practitioner=practitioner)
        return render_recovery_sheet(sheet, PdfOptions(paper=default_paper(practitioner.locale)))

    def show_sheet(self) -> None:
        """Render the sheet and open it in the preview (Print… and Export PDF… are there)."""
        self.message.clear()
        self.close_sheet()
        from notesdesk.ui.printing.view import PdfPreviewDialog  # inline: see sheet_pdf

        factory = self.preview_factory or PdfPreviewDialog
        try:
            preview = factory(
                self.sheet_pdf(), SHEET_TITLE, self, suggested_name=SHEET_FILE, on_error=self.present_error
            )
        except Exception as exc:
            self.present_error(exc)
            return
        if isinstance(preview, PdfPreviewDialog):
            preview.vault_path, preview.backup_dirs = self.vault_path, [paths.backup_dir()]
            preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            preview.destroyed.connect(lambda *_: self._forget(preview))
            preview.open()  # window-modal: the page waits until the sheet is printed or saved
        self.preview = preview

    def _forget(self, preview: Any) -> None:
        if self.preview is preview:
            self.preview = None

    def close_sheet(self) -> None:
        """Close an open preview: it drops the sheet's bytes as it closes."""
        preview, self.preview = self.preview, None
        if preview is None:
            return
        from notesdesk.ui.printing.view import PdfPreviewDialog  # already loaded by show_sheet

        if isinstance(preview, PdfPreviewDialog):
            preview.close()

    def _sheet_failed(self, exc: BaseException) -> None:
        reason = getattr(exc, "message", "") or "an unexpected problem"
        self.message.show_message(f"The recovery sheet could not be printed or saved: {reason}")

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self._key)
