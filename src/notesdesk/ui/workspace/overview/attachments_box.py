"""On the overview: the client's attachments (a signed consent, a letter received, a scanned form).

Add one with the file dialog, open it in the in-memory viewer (PDFs in the print preview, images in a
scaled viewer), export a copy, delete it with a reason. Sealing and reading a file of up to 25 MB run
on the one background runner; every write goes through the session (ui/session.py). Nothing is ever
written to a temporary file: the bytes go from the vault to memory, or to the file the user chose."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk import paths
from notesdesk.core.backup.files import write_atomic_stream
from notesdesk.core.domain.attachments import Attachment, MediaType
from notesdesk.core.domain.names import mask_names
from notesdesk.core.errors import InvalidInput
from notesdesk.core.outputs import input_problem, output_problem
from notesdesk.core.services import attachments
from notesdesk.ui.context import AppContext
from notesdesk.ui.printing.image_view import ImageViewerDialog, suggested_path
from notesdesk.ui.session import Kind
from notesdesk.ui.widgets.labels import Notice
from notesdesk.ui.workspace.widgets import named

VIEW_TITLE = "Attached document"  # the viewer's title: never the attachment's own (client data)
FILE_FILTER = "PDF and images (*.pdf *.png *.jpg *.jpeg);;All files (*)"

AskFile = Callable[[QWidget], Path | None]
AskTarget = Callable[[QWidget, Path], Path | None]
AskReason = Callable[[QWidget], str | None]


def choose_file(parent: QWidget) -> Path | None:
    dialog = QFileDialog(parent, "Attach a file", "", FILE_FILTER)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setHistory([])
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])


def choose_target(parent: QWidget, suggested: Path) -> Path | None:
    dialog = QFileDialog(parent, "Export a copy", str(suggested))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setHistory([])
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])


def ask_reason(parent: QWidget) -> str | None:
    text, ok = QInputDialog.getText(parent, "Delete attachment",
                                    "Why is it deleted? (kept in the audit log, e.g. 'wrong client')",
                                    QLineEdit.EchoMode.Normal, "")
    return text if ok else None


def size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


HIDDEN_TITLE = "(title hidden in privacy mode)"


def attachment_text(a: Attachment, name_words: tuple[str, ...] = (), private: bool = False) -> str:
    """One line of the list; in privacy mode the client's names (`name_words`) are masked in the title,
    which is often a scanner's file name made from them, and without them the title is hidden."""
    kind = "PDF" if a.media_type is MediaType.PDF else a.media_type.value.split("/")[1].upper()
    title = mask_names(a.title, name_words) if private else a.title
    title = HIDDEN_TITLE if private and not name_words else title
    return f"{a.added_on.isoformat()}  {title} — {a.kind.value}, {kind}, {size_text(a.size)}"


def _documents() -> Path:
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))


class AttachmentsBox(QGroupBox):
    def __init__(self, ctx: AppContext, client_id: str) -> None:
        super().__init__("Attachments")
        self.setAccessibleName("Attachments")
        self._ctx, self._client_id = ctx, client_id
        self._session = ctx.session.for_client(client_id)
        self.choose_file: AskFile = choose_file  # replaced in tests
        self.choose_target: AskTarget = choose_target
        self.ask_reason: AskReason = ask_reason
        self.viewer: Any = None
        self.busy = False
        self._shown: dict[str, Attachment] = {}
        self._masked: tuple[str, ...] = ()  # the client's names while privacy mode is on
        self.list = named(QListWidget(), "Attachments")
        self.list.setMaximumHeight(130)
        self.status = Notice(self)
        self.add_button = named(QPushButton("Attach file…"), "Attach a file",
                                "A PDF, PNG or JPEG of up to 25 MB: a signed consent, a letter, a scan")
        self.open_button = named(QPushButton("Open"), "Open attachment", "View it (nothing is saved)")
        self.export_button = named(QPushButton("Export a copy…"), "Export a copy of the attachment")
        self.delete_button = named(QPushButton("Delete…"), "Delete attachment")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.add_button, self.open_button, self.export_button, self.delete_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add)
        self.open_button.clicked.connect(self.open_chosen)
        self.export_button.clicked.connect(self.export_chosen)
        self.delete_button.clicked.connect(self.delete_chosen)
        self.list.currentItemChanged.connect(self._update_buttons)
        self.list.itemActivated.connect(lambda _item: self.open_chosen())
        self._session.on_change(self, {Kind.ATTACHMENT}, self.refresh)
        ctx.prefs.signals.sig_privacy_changed.connect(self._on_privacy)  # a method: goes with the box
        self.refresh()

    # -- the list ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        found = self._session.read(attachments.list_attachments, self._client_id) or []
        self._shown = {a.id: a for a in found}
        self.list.clear()
        for a in found:
            item = QListWidgetItem(attachment_text(a, self._masked, self._ctx.prefs.privacy_mode))
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            self.list.addItem(item)
        if not found:
            self.list.addItem(QListWidgetItem("No attachments."))
        self._update_buttons()

    def _on_privacy(self, _on: bool) -> None:
        self.refresh()

    def set_masked(self, name_words: tuple[str, ...]) -> None:
        """Privacy mode: mask these names in the titles shown (empty: show titles as recorded)."""
        if name_words != self._masked:
            self._masked = name_words
            self.refresh()

    def chosen(self) -> Attachment | None:
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return self._shown.get(str(value)) if value else None

    def _update_buttons(self, *_args: object) -> None:
        some = self.chosen() is not None and not self.busy
        for button in (self.open_button, self.export_button, self.delete_button):
            button.setEnabled(some)
        self.add_button.setEnabled(not self.busy)

    def _working(self, busy: bool, message: str = "") -> None:
        self.busy = busy
        if message:
            self.status.show_message(message)
        else:
            self.status.clear()
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        self._working(False)
        self._ctx.errors.present(exc)

    # -- adding ------------------------------------------------------------------------------------

    def add(self) -> None:
        path = self.choose_file(self)
        if path is None:
            return
        problem = input_problem(path, sys.maxsize)
        if problem:
            self._ctx.errors.present(InvalidInput(f"Not attached: {problem}"))
            return
        session, client_id = self._ctx.session, self._client_id

        def work() -> Attachment:
            with path.open("rb") as source:
                return session.perform(attachments.add_attachment, client_id, source, path.name,
                                       change=Kind.ATTACHMENT, client_id=client_id)

        self._working(True, "Sealing the file in the vault…")
        session.background(work, self._added, self._failed)

    def _added(self, added: Attachment) -> None:
        self._working(False, f"Attached ({size_text(added.size)}).")
        self.refresh()

    # -- opening -----------------------------------------------------------------------------------

    def open_chosen(self) -> None:
        chosen = self.chosen()
        if chosen is None or self.busy:
            return
        uow = self._ctx.uow

        def work() -> bytes:
            sink = io.BytesIO()  # in memory only
            attachments.read_attachment(uow(), chosen.id, sink)
            return sink.getvalue()

        self._working(True, "Opening…")
        self._ctx.session.background(work, lambda data: self._show(chosen, data), self._failed)

    def _show(self, attachment: Attachment, data: bytes) -> None:
        self._working(False)
        try:
            if attachment.is_image:
                viewer: Any = ImageViewerDialog(data, VIEW_TITLE, self, on_error=self._ctx.errors.present)
                viewer.sig_export_requested.connect(lambda: self.export(attachment))
            else:
                from notesdesk.ui.printing.view import PdfPreviewDialog  # QtPdf: only when asked for

                viewer = PdfPreviewDialog(data, VIEW_TITLE, self, suggested_name="attachment.pdf",
                                          on_error=self._ctx.errors.present)
                viewer.vault_path = self._ctx.vault.path
                viewer.backup_dirs = [paths.backup_dir()]
                viewer.sig_printed.connect(lambda: self._log(attachment, "print"))
                viewer.sig_exported.connect(lambda _path, _protected: self._log(attachment, "export"))
        except Exception as exc:  # a file PDFium or QImage cannot show: one line, never a traceback
            self._ctx.errors.present(exc)
            return
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.show()
        self.viewer = viewer

    def _log(self, attachment: Attachment, action: str) -> None:
        self._session.write(attachments.log_copy, attachment.id, action, change=None)

    # -- a copy, and deleting ------------------------------------------------------------------------

    def export_chosen(self) -> None:
        chosen = self.chosen()
        if chosen is not None:
            self.export(chosen)

    def export(self, attachment: Attachment) -> None:
        """Ask where, then write the file there chunk by chunk (never whole in memory)."""
        if self.busy:
            return
        target = self.choose_target(self, suggested_path(_documents(), attachment.media_type.value))
        if target is None:
            return
        problem = output_problem(target, self._ctx.vault.path, [paths.backup_dir()])
        if problem:
            self._ctx.errors.present(InvalidInput(f"Not exported: {problem}"))
            return
        uow = self._ctx.uow

        def work() -> Path:
            write_atomic_stream(target, lambda sink: attachments.read_attachment(uow(), attachment.id, sink,
                                                                                 purpose="export"))
            return target

        self._working(True, "Writing the copy…")
        self._ctx.session.background(work, self._exported, self._failed)

    def _exported(self, target: Path) -> None:
        self._working(False, f"Saved as “{target.name}” in {target.parent}")

    def delete_chosen(self) -> None:
        chosen = self.chosen()
        if chosen is None or self.busy:
            return
        reason = self.ask_reason(self)
        if reason is None:
            return
        if self._session.write(attachments.delete_attachment, chosen.id, reason, change=Kind.ATTACHMENT):
            self.status.show_message("Deleted; the audit log keeps why.")

