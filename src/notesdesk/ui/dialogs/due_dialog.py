"""Due at the next visit: for a chosen day, the clients booked then and what to bring up with each
(core/services/visits.py), with a preview to print or export the same list."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from notesdesk import paths
from notesdesk.core.domain.common import today
from notesdesk.core.domain.summaries import AuditAction
from notesdesk.core.domain.visits import DueList
from notesdesk.core.services import visits
from notesdesk.core.services.summary import practitioner_block
from notesdesk.ui.context import AppContext
from notesdesk.ui.printing.view import PdfPreviewDialog
from notesdesk.ui.workspace.widgets import date_edit, named, pydate, qdate, scrolled

TITLE = "Due at the next visit"  # the window's and the PDF's title: never a client's name


def due_html(due: DueList) -> str:
    if not due.visits:
        return "<p>No client has a session booked on this day.</p>"
    parts = []
    for visit in due.visits:
        items = "".join(f"<li>{html.escape(i.kind.value)}: {html.escape(' '.join(i.what.split()))}</li>"
                        for i in visit.items) or "<li>nothing due</li>"
        parts.append(f"<p><b>{html.escape(visit.client_name)}</b></p><ul>{items}</ul>")
    return "".join(parts)


class DueDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 preview_factory: Callable[..., Any] = PdfPreviewDialog) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._ctx = ctx
        self.preview_factory = preview_factory
        self.due: DueList | None = None
        self.preview: Any = None
        self.date = date_edit("Day", today())
        self.list_label = named(QLabel(), "What is due")
        self.list_label.setTextFormat(Qt.TextFormat.RichText)
        self.list_label.setWordWrap(True)
        self.list_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        flags = Qt.TextInteractionFlag
        self.list_label.setTextInteractionFlags(flags.TextSelectableByMouse | flags.TextSelectableByKeyboard)
        self.print_button = named(QPushButton("Preview and print…"), "Preview and print")
        close = QPushButton("Close")
        top = QHBoxLayout()
        top.addWidget(QLabel("&Day:"))
        top.addWidget(self.date)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scrolled(self.list_label, "What is due"), 1)
        layout.addLayout(buttons)
        self.resize(560, 520)
        self.date.dateChanged.connect(self.refresh)
        self.print_button.clicked.connect(self.open_preview)
        close.clicked.connect(self.reject)
        self.refresh()

    def show_day(self, day: date) -> None:
        self.date.setDate(qdate(day))  # refreshes

    def refresh(self, *_args: object) -> None:
        self.due = self._ctx.session.read(visits.due_on, pydate(self.date.date()))
        self.list_label.setText(due_html(self.due) if self.due is not None else "")
        self.print_button.setEnabled(self.due is not None)

    def open_preview(self) -> None:
        due = self.due
        if due is None:
            return
        from notesdesk.core.reports.base import PdfOptions, default_paper  # reportlab: only when asked
        from notesdesk.core.reports.due_list import render_due_list

        practitioner = self._ctx.session.read(practitioner_block)
        if practitioner is None:
            return
        options = PdfOptions(paper=default_paper(practitioner.locale))
        self._ctx.session.background(lambda: render_due_list(due, practitioner, options),
                                     lambda data: self._show(due.day, data))

    def _show(self, day: date, data: bytes) -> None:
        preview = self.preview_factory(data, TITLE, self, suggested_name=f"due-{day.isoformat()}.pdf",
                                       on_error=self._ctx.errors.present)
        if isinstance(preview, PdfPreviewDialog):
            preview.vault_path = self._ctx.vault.path
            preview.backup_dirs = [paths.backup_dir()]
            preview.sig_printed.connect(lambda: self._log(AuditAction.PRINT, day))
            preview.sig_exported.connect(
                lambda _path, protected: self._log(AuditAction.EXPORT, day, protected)
            )
            preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            preview.show()
        self.preview = preview

    def _log(self, action: AuditAction, day: date, protected: bool | None = None) -> None:
        self._ctx.session.write(visits.log_due_list, action.value, day, protected, change=None, client_id="")
