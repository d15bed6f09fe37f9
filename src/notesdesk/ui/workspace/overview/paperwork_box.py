"""On the overview: what the client agreed (consent, fees, telehealth, releases of information) with
its flags, and the letters sent. Recording an agreement and writing a letter are dialogs; every write
goes through the session (ui/session.py), errors through the one presenter, rendering through the one
background runner."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk import paths
from notesdesk.core.domain.common import today
from notesdesk.core.domain.paperwork import (
    CONSENT_TITLES,
    HOW_WORDS,
    LETTER_TITLES,
    Consent,
    ConsentHow,
    ConsentKind,
    Letter,
    LetterTemplate,
)
from notesdesk.core.domain.summaries import AuditAction
from notesdesk.core.services import clients, consent, letters
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind
from notesdesk.ui.workspace.widgets import Confirm, ask_confirm, date_edit, named, pydate

AGREEMENT_CHANGES = {Kind.CONSENT, Kind.NOTE}  # a first note can raise "no informed consent recorded"


def agreement_text(c: Consent) -> str:
    line = f"{c.agreed_on.isoformat()}  {CONSENT_TITLES[c.kind]}, {HOW_WORDS[c.how]}"
    if c.until is not None:
        line += f"; to {c.to}, for {' '.join(c.purpose.split())}, valid until {c.until.isoformat()}"
    line += f" ({' '.join(c.note.split())})" if c.note else ""
    return line + (f"; withdrawn {c.withdrawn_on.isoformat()}" if c.withdrawn_on else "")


class AgreementDialog(QDialog):
    """Record one agreement. A release asks for its recipient, purpose and last day."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record an agreement")
        self.kind = named(QComboBox(), "Kind of agreement")
        for kind in ConsentKind:
            self.kind.addItem(CONSENT_TITLES[kind], kind)
        self.agreed = date_edit("Agreed on", today())
        self.how = named(QComboBox(), "How it was agreed")
        for how in ConsentHow:
            self.how.addItem(HOW_WORDS[how].capitalize(), how)
        self.note = named(QLineEdit(), "Note")
        self.to = named(QLineEdit(), "Recipient", "Who receives the information (a release only)")
        self.purpose = named(QLineEdit(), "Purpose", "What it is shared for (a release only)")
        self.until = date_edit("Valid until", today())
        form = QFormLayout()
        form.addRow("&Kind:", self.kind)
        form.addRow("&Agreed on:", self.agreed)
        form.addRow("&How:", self.how)
        form.addRow("&Note:", self.note)
        form.addRow("&To:", self.to)
        form.addRow("&Purpose:", self.purpose)
        form.addRow("Valid &until:", self.until)
        standard = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(standard.Save | standard.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._update)
        self._update()

    def is_release(self) -> bool:
        return self.chosen_kind() == ConsentKind.RELEASE

    def chosen_kind(self) -> ConsentKind:
        return ConsentKind(self.kind.currentData())  # Qt hands an enum back as its plain value

    def _update(self, *_args: object) -> None:
        for widget in (self.to, self.purpose, self.until):
            widget.setEnabled(self.is_release())

    def agreement(self, client_id: str) -> Consent:
        release = self.is_release()
        return Consent(
            client_id, self.chosen_kind(), pydate(self.agreed.date()), ConsentHow(self.how.currentData()),
            note=self.note.text(), to=self.to.text() if release else "",
            purpose=self.purpose.text() if release else "",
            until=pydate(self.until.date()) if release else None,
        )


class LetterDialog(QDialog):
    """Draft a letter from the record, edit it, then keep it (checked as the client's copy is)."""

    def __init__(self, ctx: AppContext, client_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Write a letter")
        self._ctx, self._client_id = ctx, client_id
        self.template = named(QComboBox(), "Letter template")
        for template in LetterTemplate:
            self.template.addItem(LETTER_TITLES[template], template)
        self.to = named(QLineEdit(), "Greeting", "Whom a letter to a GP or referrer greets (Dear …)")
        self.goals = named(QCheckBox("Include the plan's goals, in the client's words"), "Include goals")
        self.diagnosis = named(QCheckBox("Include the diagnosis"), "Include the diagnosis",
                               "Without this tick a letter that names a diagnosis is refused")
        self.redraft = named(QPushButton("Draft again from the record"), "Draft again")
        self.body = named(QPlainTextEdit(), "Letter text")
        # A letter's lines as printed (about 70 characters) fit without wrapping, as on the page.
        self.body.setMinimumHeight(self.fontMetrics().lineSpacing() * 20)
        self.body.setMinimumWidth(self.fontMetrics().averageCharWidth() * 76)
        self.keep_button = named(QPushButton("Keep and preview…"), "Keep and preview",
                                 "The letter is kept sealed exactly as printed")
        form = QFormLayout()
        form.addRow("&Template:", self.template)
        form.addRow("&Dear:", self.to)
        form.addRow(self.goals)
        form.addRow(self.diagnosis)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.redraft)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.body, 1)
        layout.addWidget(buttons)
        self.redraft.clicked.connect(self.draft)
        self.template.currentIndexChanged.connect(self.draft)
        self.goals.toggled.connect(self.draft)
        self.diagnosis.toggled.connect(self.draft)
        self.draft()

    def chosen_template(self) -> LetterTemplate:
        return LetterTemplate(self.template.currentData())

    def draft(self, *_args: object) -> None:
        found = self._ctx.session.read(letters.draft_letter, self._client_id, self.chosen_template(),
                                       self.goals.isChecked(), self.diagnosis.isChecked(), self.to.text())
        if found is not None:
            self.body.setPlainText(found.body)

    def keep(self) -> Letter | None:
        """Check and keep the letter as it stands; None (the presenter said why, the text stays)."""
        return self._ctx.session.write(letters.send_letter, self._client_id, self.chosen_template(),
                                       self.body.toPlainText(), self.diagnosis.isChecked(), None, None,
                                       change=Kind.LETTER, client_id=self._client_id)

    def accept(self) -> None:
        self.kept = self.keep()
        if self.kept is not None:
            super().accept()


class PaperworkBox(QGroupBox):
    def __init__(self, ctx: AppContext, client_id: str, confirm: Confirm = ask_confirm,
                 preview: Callable[[str, ConsentKind], object] | None = None) -> None:
        super().__init__("Consent and letters")
        self.setAccessibleName("Consent and letters")
        self.confirm = confirm
        self._ctx, self._client_id = ctx, client_id
        self._session = ctx.session.for_client(client_id)
        self._preview = preview
        self._withdrawn: set[str] = set()
        self.preview_factory: Callable[..., object] | None = None  # tests give a stand-in
        self.last_preview: object | None = None
        self.flags = named(QLabel(), "Paperwork flags")
        self.flags.setWordWrap(True)
        self.agreements = named(QListWidget(), "Agreements")
        self.agreements.setMaximumHeight(110)
        self.record_button = named(QPushButton("Record agreement…"), "Record agreement")
        self.withdraw_button = named(QPushButton("Withdrawn…"), "The client withdrew the agreement",
                                     "It stays in the record, marked withdrawn, and is no longer in force")
        self.remove_button = named(QPushButton("Remove…"), "Remove agreement", "Recorded in error")
        self.form_button = named(QPushButton("Print form…"), "Print the agreement form",
                                 "The practice's text filled in for this client (Settings → Paperwork)")
        self.letters = named(QListWidget(), "Letters sent")
        self.letters.setMaximumHeight(90)
        self.letter_button = named(QPushButton("Write letter…"), "Write letter")
        self.reprint_button = named(QPushButton("Print again…"), "Print the letter again", "Exactly as sent")
        top = QHBoxLayout()
        top.addStretch(1)
        for button in (self.record_button, self.withdraw_button, self.remove_button, self.form_button):
            top.addWidget(button)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.letter_button)
        bottom.addWidget(self.reprint_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.flags)
        layout.addWidget(self.agreements)
        layout.addLayout(top)
        layout.addWidget(QLabel("Letters sent"))
        layout.addWidget(self.letters)
        layout.addLayout(bottom)
        self.record_button.clicked.connect(self.record)
        self.remove_button.clicked.connect(self.remove)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.form_button.clicked.connect(self.print_form)
        self.letter_button.clicked.connect(self.write_letter)
        self.reprint_button.clicked.connect(self.reprint)
        self.agreements.currentItemChanged.connect(self._update_buttons)
        self.letters.currentItemChanged.connect(self._update_buttons)
        self._session.on_change(self, AGREEMENT_CHANGES | {Kind.LETTER}, self.refresh)
        self.refresh()

    # -- reading -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        agreed = self._session.read(consent.list_consents, self._client_id) or []
        flags = self._session.read(consent.client_paperwork_flags, self._client_id) or ()
        sent = self._session.read(letters.list_letters, self._client_id) or []
        self.flags.setVisible(bool(flags))
        self.flags.setText("<br>".join(f"<b>{html.escape(f.label.capitalize())}</b>"
                                       + (f": {html.escape(f.detail)}" if f.detail else "") for f in flags))
        self.flags.setToolTip("\n".join(f"{f.label.capitalize()}: {f.rule} Source: {f.source}"
                                        for f in flags))
        self._withdrawn = {c.id for c in agreed if c.withdrawn_on is not None}
        _fill(self.agreements, [(agreement_text(c), c.id) for c in agreed], "No agreements recorded.")
        _fill(self.letters, [(f"{x.sent_on.isoformat()}  {x.title}", x.id) for x in sent], "No letters sent.")
        self._update_buttons()

    def _chosen(self, widget: QListWidget) -> str | None:
        item = widget.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return str(value) if value else None

    def _update_buttons(self, *_args: object) -> None:
        chosen = self._chosen(self.agreements)
        self.remove_button.setEnabled(chosen is not None)
        self.withdraw_button.setEnabled(chosen is not None and chosen not in self._withdrawn)
        self.reprint_button.setEnabled(self._chosen(self.letters) is not None)

    # -- writing -----------------------------------------------------------------------------------

    def agreement_dialog(self) -> AgreementDialog:
        """The dialog `record` shows (tests drive it through this)."""
        return AgreementDialog(self)

    def record(self) -> None:
        dialog = self.agreement_dialog()
        while dialog.exec() == QDialog.DialogCode.Accepted:  # refused: the dialog comes back as typed
            if self._session.write(consent.add_consent, dialog.agreement(self._client_id),
                                   change=Kind.CONSENT) is not None:
                return

    def remove(self) -> None:
        chosen = self._chosen(self.agreements)
        if chosen is None:
            return
        question = ("Take this agreement off the client's record? The audit log keeps the fact that it "
                    "was there.")
        if self.confirm(self, "Remove agreement", question):
            self._session.write(consent.remove_consent, chosen, change=Kind.CONSENT)

    def withdraw(self) -> None:
        chosen = self._chosen(self.agreements)
        if chosen is None:
            return
        question = ("Record that the client withdrew this agreement today? It stays in the record, marked "
                    "withdrawn, and is no longer in force from today.")
        if self.confirm(self, "Agreement withdrawn", question):
            self._session.write(consent.withdraw_consent, chosen, change=Kind.CONSENT)

    def print_form(self) -> None:
        item = self.agreements.currentItem()
        chosen = self._chosen(self.agreements)
        kind = ConsentKind.INFORMED
        if chosen is not None and item is not None:
            kind = next((k for k in ConsentKind if CONSENT_TITLES[k] in item.text()), kind)
        if self._preview is not None:
            self._preview(self._client_id, kind)

    def letter_dialog(self) -> LetterDialog:
        return LetterDialog(self._ctx, self._client_id, self)

    def write_letter(self) -> None:
        dialog = self.letter_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.kept is not None:
            self.show_letter(dialog.kept)

    def reprint(self) -> None:
        chosen = self._chosen(self.letters)
        if chosen is None:
            return
        found = self._session.read(letters.reprint_letter, chosen, None, AuditAction.PREVIEW)
        if found is not None:
            self.show_letter(found)

    def show_letter(self, letter: Letter) -> None:
        """Render off the UI thread, then the same preview as every document (print, export)."""
        from notesdesk.core.reports.base import PdfOptions, default_paper
        from notesdesk.core.reports.paperwork import render_letter

        options = PdfOptions(paper=default_paper(letter.locale))
        self._ctx.session.background(lambda: render_letter(letter, options),
                                     lambda data: self._show(letter, data),
                                     lambda exc: self._ctx.errors.present(exc, letter.title))

    def _show(self, letter: Letter, data: bytes) -> None:
        from notesdesk.ui.prefs import second_folder
        from notesdesk.ui.printing.documents import export_name
        from notesdesk.ui.printing.view import PdfPreviewDialog

        found = self._session.read(clients.get_client, self._client_id, audit_view=False)
        name = export_name(f"letter-{letter.template.value}", found.initials if found else "", letter.sent_on)
        factory = self.preview_factory or PdfPreviewDialog
        preview = factory(data, letter.title, self.window(), suggested_name=name,
                          on_error=lambda exc: self._ctx.errors.present(exc, letter.title))
        self.last_preview = preview
        if isinstance(preview, PdfPreviewDialog):  # as ReportActions shows every document
            preview.vault_path = self._ctx.vault.path
            preview.backup_dirs = [paths.backup_dir(), second_folder(self._ctx.prefs.backup_folder)]
            preview.sig_printed.connect(lambda: self._log(letter, AuditAction.PRINT, None))
            preview.sig_exported.connect(
                lambda _path, protected: self._log(letter, AuditAction.EXPORT, protected))
            preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            preview.show()

    def _log(self, letter: Letter, action: AuditAction, protected: bool | None) -> None:
        self._session.write(letters.log_letter, letter.id, action, protected, change=None)


def _fill(widget: QListWidget, rows: list[tuple[str, str]], empty: str) -> None:
    widget.clear()
    for text, row_id in rows:
        item = QListWidgetItem(text)
        item.setToolTip(text)  # a long release is cut at the list's edge
        item.setData(Qt.ItemDataRole.UserRole, row_id)
        widget.addItem(item)
    if not rows:
        widget.addItem(QListWidgetItem(empty))

