"""Printed documents in the app: build a client's document, preview it from memory, print or export it.

The documents themselves (name, the services that gather their data, renderer, audit name) are the
registry core/services/documents.py shares with the CLI's `document` command.
`ReportActions` reads the document's model on the UI thread (the summary services open one unit of work
each), renders the PDF in the background runner, and opens `PdfPreviewDialog` on the bytes. Opening the
preview, printing and exporting are each logged in the audit through the services' `audit=` parameter
(an export also says whether the PDF was password-protected).
`ReportsMenu` is a self-contained QMenu of the documents for the client `client_id_provider` names;
a document whose source record does not exist yet (a safety plan, a discharge note's maintenance plan)
is greyed out with the reason in its tooltip and status tip.
Nothing is ever written to a temporary file: the preview and the printer read the bytes from memory.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from notesdesk import paths
from notesdesk.core.domain.common import today
from notesdesk.core.domain.paperwork import CONSENT_TITLES, ConsentKind
from notesdesk.core.domain.summaries import AuditAction, ClientCopyOptions
from notesdesk.core.reports import PdfOptions, default_paper
from notesdesk.core.services import clients, summary
from notesdesk.core.services.documents import (
    DOCUMENTS,
    DocumentKind,
    DocumentSources,
    RecordChoice,
    document_sources,
)
from notesdesk.ui.context import AppContext
from notesdesk.ui.prefs import second_folder
from notesdesk.ui.printing.export import ExportChoice, export_pdf
from notesdesk.ui.printing.view import PdfPreviewDialog, print_pdf

__all__ = [
    "DOCUMENTS",
    "ExportChoice",
    "PdfPreviewDialog",
    "RecordChoice",
    "ReportActions",
    "ReportsMenu",
    "export_pdf",
    "print_pdf",
]

PreviewFactory = Callable[..., Any]  # (pdf_bytes, title, parent, suggested_name=, on_error=) -> preview


NO_SAFETY_PLAN = "No safety plan yet: write one with the client in the Safety plan tab."
NO_MAINTENANCE_PLAN = (
    "No maintenance plan yet: it is written in the client's discharge note (Notes tab, Discharge format)."
)


# Why a document that needs a record (DocumentKind.needs) cannot be made yet.
NO_RECEIPT = "No receipt yet: issue one with Client → Receipt or superbill…."
NO_SIGNED_PLAN = "No signed plan in use yet: activate (or sign) the plan in the Plan tab first."
MISSING = {"safety_plan": NO_SAFETY_PLAN, "maintenance_plan": NO_MAINTENANCE_PLAN, "receipt": NO_RECEIPT,
           "signed_plan": NO_SIGNED_PLAN}


def missing_sources(sources: DocumentSources) -> dict[str, str]:
    """Document key -> why it cannot be made yet."""
    needed = {key: doc.needs for key, doc in DOCUMENTS.items() if doc.needs}
    return {key: MISSING[needs] for key, needs in needed.items() if not getattr(sources, needs)}


# -- the choices behind "…" ------------------------------------------------------------------------


def _dialog(parent: QWidget | None, title: str, intro: str, *fields: QWidget) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    text = QLabel(intro, dialog)
    text.setWordWrap(True)
    layout.addWidget(text)
    for field in fields:
        field.setParent(dialog)
        layout.addWidget(field)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Preview")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    return dialog


def ask_client_copy(parent: QWidget | None) -> ClientCopyOptions | None:
    """What the clinician ticks in for the client's copy (clinical detail is off by default)."""
    diagnoses = QCheckBox("Include diagnoses")
    assessment = QCheckBox("Include the clinical assessment (presenting concerns, phase, score bands)")
    steps = QPlainTextEdit()
    steps.setPlaceholderText("Next steps, one per line")
    message = QPlainTextEdit()
    message.setPlaceholderText("A message to the client (optional)")
    dialog = _dialog(
        parent,
        "Client copy",
        "The client's copy is written in plain language. Diagnosis "
        "codes and clinical assessment are left out unless you tick them in.",
        diagnoses,
        assessment,
        steps,
        message,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return ClientCopyOptions(
        include_diagnoses=diagnoses.isChecked(),
        include_assessment=assessment.isChecked(),
        next_steps=tuple(line.strip() for line in steps.toPlainText().splitlines() if line.strip()),
        message=message.toPlainText().strip(),
    )


def ask_record(parent: QWidget | None) -> RecordChoice | None:
    private = QCheckBox("Include psychotherapy notes")
    drafts = QCheckBox("Include unsigned drafts")
    dialog = _dialog(
        parent,
        "Record for an access request",
        "Signed progress notes with their addenda, "
        "every plan version and the measures. Psychotherapy notes are outside the right of "
        "access; include them only when you have decided to.",
        private,
        drafts,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return RecordChoice(private.isChecked(), drafts.isChecked())


def ask_consent_kind(parent: QWidget | None) -> ConsentKind | None:
    """Which agreement form to fill in for the client (the practice's text: Settings → Paperwork)."""
    kinds = QComboBox()
    for kind in ConsentKind:
        kinds.addItem(CONSENT_TITLES[kind], kind)
    dialog = _dialog(parent, "Consent form", "The practice's text, filled in for this client, with lines to "
                     "sign. A release of information is filled from the newest one recorded.", kinds)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return ConsentKind(kinds.currentData())


# -- building and previewing -----------------------------------------------------------------------


_UNDECOMPOSED = str.maketrans({"Ł": "L", "Ø": "O", "Đ": "D", "Æ": "AE", "Œ": "OE", "Þ": "TH", "ß": "SS"})


def export_name(stem: str, initials: str, day: date) -> str:
    """'treatment-summary-clinician-ZOB-2026-12-07.pdf': the document, whose (initials only, in plain
    letters: never the name) and when, so two exports neither look alike nor overwrite each other."""
    plain = unicodedata.normalize("NFKD", initials.translate(_UNDECOMPOSED))
    letters = "".join(ch for ch in plain if ch.isascii() and ch.isalnum()).upper()
    return "-".join(part for part in (stem, letters, day.isoformat()) if part) + ".pdf"


class ReportActions(QObject):
    """Build, preview, print and export one client's documents."""

    def __init__(
        self,
        ctx: AppContext,
        client_id: str,
        parent: QWidget | None = None,
        preview_factory: PreviewFactory = PdfPreviewDialog,
    ) -> None:
        super().__init__()  # no Qt parent: open previews keep it alive through their connections
        self.ctx = ctx
        self.client_id = client_id
        self._widget = parent  # the previews' parent window
        self.preview_factory = preview_factory
        self._open: set[Any] = set()

    def preview(self, key: str, choice: Any = None) -> bool:
        """Read on the UI thread (logged as a preview), render off it, then open the preview.
        Returns False if the model could not be read (the error has been shown)."""
        doc = DOCUMENTS[key]
        try:
            model = doc.gather(self.ctx.uow(), self.client_id, choice, AuditAction.PREVIEW, None)
        except Exception as exc:
            self.ctx.errors.present(exc, doc.title)
            return False
        options = PdfOptions(paper=default_paper(model.practitioner.locale))
        self.ctx.session.background(
            lambda: doc.render(model, options, choice),
            lambda data: self._show(doc, data, choice),
            lambda exc: self.ctx.errors.present(exc, doc.title),
        )
        return True

    def _show(self, doc: DocumentKind, data: bytes, choice: Any) -> None:
        try:
            preview = self.preview_factory(
                data,
                doc.title,
                self._widget,
                suggested_name=export_name(doc.file_name, self._initials(), today()),
                on_error=lambda exc: self.ctx.errors.present(exc, doc.title),
            )
        except Exception as exc:
            self.ctx.errors.present(exc, doc.title)
            return
        if isinstance(preview, PdfPreviewDialog):
            preview.vault_path = self.ctx.vault.path
            preview.backup_dirs = [paths.backup_dir(), second_folder(self.ctx.prefs.backup_folder)]
            preview.sig_printed.connect(lambda: self.log(doc.key, AuditAction.PRINT, choice))
            preview.sig_exported.connect(
                lambda _path, protected: self.log(doc.key, AuditAction.EXPORT, choice, protected)
            )
            preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._open.add(preview)
            preview.destroyed.connect(lambda *_: self._open.discard(preview))
            preview.show()

    def _initials(self) -> str:
        found = self.ctx.session.read(clients.get_client, self.client_id, audit_view=False)
        return found.initials if found is not None else ""

    def log(self, key: str, action: AuditAction, choice: Any = None, protected: bool | None = None) -> None:
        """Record a print or export in the audit: the document kind and, for an export, whether the PDF
        was password-protected (never client data)."""
        doc = DOCUMENTS[key]
        try:  # through the session; the failure is said here, under the document's title
            self.ctx.session.perform(summary.log_document, self.client_id, action, doc.audit_name(choice),
                                     protected, change=None, client_id=self.client_id)
        except Exception as exc:
            self.ctx.errors.present(exc, doc.title)


class ReportsMenu(QMenu):
    """The documents menu; actions are enabled while `client_id_provider()` names a client, except a
    document whose source record that client does not have yet (greyed out, the reason in its tooltip).
    Every item opens a preview first, hence the "…".

    `before_build()`, when given, runs before a document is read (the main window saves open drafts
    there so the document shows what was just typed); returning False stops the build."""

    def __init__(
        self,
        ctx: AppContext,
        client_id_provider: Callable[[], str | None],
        parent: QWidget | None = None,
        before_build: Callable[[], bool] | None = None,
        preview_factory: PreviewFactory = PdfPreviewDialog,
        ask_copy: Callable[[QWidget | None], ClientCopyOptions | None] = ask_client_copy,
        ask_record_choice: Callable[[QWidget | None], RecordChoice | None] = ask_record,
    ) -> None:
        super().__init__("&Reports", parent)
        self.ctx = ctx
        self._client_id = client_id_provider
        self.preview_factory = preview_factory
        self._before = before_build
        self._ask = {"client": ask_copy, "record": ask_record_choice, "consent": ask_consent_kind}
        self._reports: ReportActions | None = None
        self.document_actions: dict[str, QAction] = {}
        self._tips: dict[str, str] = {}  # each action's own tooltip, shown again once it is available
        self.setToolTipsVisible(True)
        for key, doc in DOCUMENTS.items():
            action = self.addAction(f"{doc.menu_name}…")
            self._tips[key] = action.toolTip()
            action.triggered.connect(lambda _checked=False, key=key: self.trigger(key))
            self.document_actions[key] = action
            if key == "client":
                self.addSeparator()
        self.aboutToShow.connect(self.refresh)
        self.refresh()

    def bind_shortcut(self, key: str, keys: str, window: QWidget) -> QAction:
        """Give a document's action a shortcut that works anywhere in `window` (not only while the
        menu is open)."""
        action = self.document_actions[key]
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(f"{action.text().rstrip('…')} ({action.shortcut().toString()})")
        self._tips[key] = action.toolTip()
        window.addAction(action)
        return action

    def refresh(self, sources: bool = True) -> None:
        """Enable the documents for the chosen client. `sources=False` (on every selection) skips the
        check for a safety plan and a discharge note, which reads the client's notes; it runs when
        the menu is about to show, the only place the greyed-out items are seen."""
        client_id = self._client_id()
        missing: dict[str, str] = {}
        if client_id and sources:
            try:
                missing = missing_sources(document_sources(self.ctx.uow(), client_id))
            except Exception:  # noqa: BLE001 - the menu stays usable; building the document reports the error
                missing = {}
        for key, action in self.document_actions.items():
            reason = missing.get(key, "")
            action.setEnabled(bool(client_id) and not reason)
            action.setToolTip(reason or self._tips[key])
            action.setStatusTip(reason)

    def trigger(self, key: str) -> bool:
        client_id = self._client_id()
        if not client_id:
            return False
        if self._before is not None and not self._before():
            return False
        choice: Any = None
        if key in self._ask:
            choice = self._ask[key](self.parentWidget())
            if choice is None:
                return False
        reports, wanted = self._reports, (client_id, self.preview_factory)
        if reports is None or (reports.client_id, reports.preview_factory) != wanted:
            reports = ReportActions(self.ctx, client_id, self.parentWidget(), self.preview_factory)
            self._reports = reports
        return reports.preview(key, choice)
