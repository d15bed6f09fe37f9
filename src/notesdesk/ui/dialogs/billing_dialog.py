"""A client's payments and receipts (Client → Payments and receipts…): record what was paid, issue
a numbered receipt or superbill for a date range (rendered off the UI thread, then previewed to
print or export), and reprint one as it was issued. The window's title never names the client."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk import paths
from notesdesk.core.codes.currencies import format_amount, parse_amount
from notesdesk.core.domain.billing import PaymentMethod, Receipt, ReceiptKind
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import SessionNote
from notesdesk.core.domain.summaries import AuditAction
from notesdesk.core.reports.text import short_date, time_range
from notesdesk.core.services import clients, fees, notes, payments
from notesdesk.ui.context import AppContext
from notesdesk.ui.errors import user_message
from notesdesk.ui.printing.documents import ReportActions, export_name
from notesdesk.ui.printing.view import PdfPreviewDialog
from notesdesk.ui.widgets.labels import InlineMessage
from notesdesk.ui.workspace.widgets import CheckList, date_edit, named, pydate

TITLE = "Payments and receipts"
RECEIPT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def session_label(note: SessionNote, locale: str) -> str:
    times = time_range(note.start_time, note.end_time, locale)
    return " · ".join(part for part in (short_date(note.session_date, locale), times,
                                        f"{note.session_type.value}, {note.delivery.value}") if part)


def ask_void_reason(parent: QWidget, which: str) -> str | None:
    text, ok = QInputDialog.getText(parent, "Void a receipt",
                                    f"Why is {which} void? It is printed on it, e.g. 'issued for the "
                                    "wrong month'.",
                                    QLineEdit.EchoMode.Normal, "")
    return text if ok else None


class BillingDialog(QDialog):
    def __init__(self, ctx: AppContext, client_id: str, parent: QWidget | None = None,
                 preview_factory: Callable[..., Any] = PdfPreviewDialog, read_only_reason: str = "") -> None:
        """`read_only_reason`: payments and receipts are shown to read and reprint only (a client this
        vault only supervises): the write buttons stay off and this one line at the top says why."""
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._ctx = ctx
        self.client_id = client_id
        self.preview_factory = preview_factory
        self.preview: Any = None
        self.reports = ReportActions(ctx, client_id, self, preview_factory)
        self._locale = ctx.vault.profile().locale or "US"
        writable = self._writable = not ctx.vault.read_only and not read_only_reason

        self.payment_list = named(QListWidget(self), "Payments")
        self.paid_on = date_edit("Date paid", today())
        self.amount = named(QLineEdit(self), "Amount paid")
        self.amount.setPlaceholderText("e.g. 150 or 150.00")
        self.method = named(QComboBox(self), "Method")
        for method in PaymentMethod:
            self.method.addItem(method.value, method)
        self.sessions = CheckList("Sessions it pays for", "No signed sessions yet")
        self.payment_message = InlineMessage(self)
        self.pay_button = named(QPushButton("&Record payment"), "Record payment")
        self.pay_button.setEnabled(writable)
        pay_form = QFormLayout()
        pay_form.addRow("&Date:", self.paid_on)
        pay_form.addRow("&Amount:", self.amount)
        pay_form.addRow("&Method:", self.method)
        # The sessions take the form's whole width: beside a label their lines wrapped three deep.
        pay_form.addRow(QLabel("For these sessions (none ticked: paid on account):"))
        pay_form.addRow(self.sessions)
        pay_form.addRow("", self.payment_message)
        pay_form.addRow("", self.pay_button)
        pay_box = QGroupBox("Payments")
        pay_layout = QVBoxLayout(pay_box)
        pay_layout.addWidget(self.payment_list)
        pay_layout.addLayout(pay_form)

        self.period_from = date_edit("Receipt from", today().replace(day=1))
        self.period_to = date_edit("Receipt to", today())
        self.superbill = QCheckBox("&Superbill (with the diagnoses, for the client's insurer)")
        self.receipt_message = InlineMessage(self)
        self.issue_button = named(QPushButton("&Issue receipt…"), "Issue receipt")
        self.issue_button.setEnabled(writable)
        self.receipt_list = named(QListWidget(self), "Receipts issued")
        self.reprint_button = named(QPushButton("Re&print selected…"), "Reprint the selected receipt")
        self.void_button = named(QPushButton("&Void selected…"), "Void the selected receipt",
                                 "Issued in error: it keeps its number and reprints marked VOID")
        self.ask_void_reason: Callable[[QWidget, str], str | None] = ask_void_reason
        receipt_form = QFormLayout()
        period = QHBoxLayout()
        period.addWidget(self.period_from)
        period.addWidget(self.period_to)
        receipt_form.addRow("Sessions from, to:", period)
        receipt_form.addRow("", self.superbill)
        receipt_form.addRow("", self.receipt_message)
        receipt_form.addRow("", self.issue_button)
        receipt_box = QGroupBox("Receipts and superbills")
        receipt_layout = QVBoxLayout(receipt_box)
        receipt_layout.addLayout(receipt_form)
        receipt_layout.addWidget(self.receipt_list)
        receipt_buttons = QHBoxLayout()
        receipt_buttons.addWidget(self.reprint_button)
        receipt_buttons.addWidget(self.void_button)
        receipt_buttons.addStretch(1)
        receipt_layout.addLayout(receipt_buttons)

        close = QPushButton("Close")
        layout = QVBoxLayout(self)
        if read_only_reason:
            why = named(QLabel(read_only_reason), "Why nothing can be recorded")
            why.setWordWrap(True)
            why.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(why)
        row = QHBoxLayout()
        row.addWidget(pay_box, 3)  # the wider side: a session's line is date, times, type and place
        row.addWidget(receipt_box, 2)
        layout.addLayout(row, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.pay_button.clicked.connect(self.record_payment)
        self.issue_button.clicked.connect(self.issue_receipt)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.void_button.clicked.connect(self.void_selected)
        close.clicked.connect(self.accept)
        # What is typed or ticked here is only ever recorded or issued: off with the buttons.
        for field in (self.paid_on, self.amount, self.method, self.sessions, self.period_from,
                      self.period_to, self.superbill):
            field.setEnabled(writable)
        self.resize(1040, 560)  # fits a 1366×768 screen; narrower, a session line wrapped
        self.refresh()

    # -- reading ------------------------------------------------------------------------------------

    def refresh(self) -> None:
        from notesdesk.core.services import receipts  # reportlab comes with it: only once asked for

        signed = [n for n in self._ctx.session.read(notes.list_notes, self.client_id) or [] if n.is_signed]
        self.sessions.set_items((n.id, session_label(n, self._locale)) for n in signed)
        self.payment_list.clear()
        for p in self._ctx.session.read(payments.list_payments, self.client_id) or []:
            towards = f"for {len(p.note_ids)} session(s)" if p.note_ids else "on account"
            self.payment_list.addItem(f"{short_date(p.paid_on, self._locale)}  "
                                      f"{format_amount(p.amount, p.currency)}  {p.method.value}, {towards}")
        self.receipt_list.clear()
        listed = self._ctx.session.read(receipts.list_receipts, self.client_id) or []
        numbers = Counter(r.number for r in listed)
        for r in listed:
            item = QListWidgetItem(self.receipt_line(r, twice=numbers[r.number] > 1))
            item.setData(Qt.ItemDataRole.UserRole, r.number)
            item.setData(RECEIPT_ID_ROLE, r.id)  # a number issued twice offline names two receipts
            self.receipt_list.addItem(item)
        self.reprint_button.setEnabled(self.receipt_list.count() > 0)
        self.void_button.setEnabled(self.receipt_list.count() > 0 and self._writable)

    def receipt_line(self, receipt: Receipt, twice: bool = False) -> str:
        """`twice`: its number was issued on two computers offline, so the line also says when this one
        was issued and the start of its id (what `notesdesk receipt --id` takes): the two read apart."""
        d, loc = receipt.data, self._locale
        void = f" · VOID since {short_date(receipt.voided.on, loc)}" if receipt.voided else ""
        issued = receipt.created_at.astimezone()
        which = (f" · issued {short_date(issued.date(), loc)} {issued:%H:%M}, id {receipt.id[:8]}"
                 if twice else "")
        return (f"{d.kind.value.capitalize()} {d.number} · {short_date(d.period_from, loc)} to "
                f"{short_date(d.period_to, loc)} · {format_amount(d.total, d.currency)}{which}{void}")

    # -- payments -----------------------------------------------------------------------------------

    def record_payment(self) -> bool:
        """Store the payment typed; a problem is said under the form and nothing is stored."""
        try:
            code = self._ctx.session.perform(fees.practice_currency, change=None, client_id=self.client_id)
            amount = parse_amount(self.amount.text(), code, allow_zero=False)
            self._ctx.session.perform(
                payments.record_payment, self.client_id, amount, PaymentMethod(self.method.currentData()),
                pydate(self.paid_on.date()), self.sessions.checked_ids(), change=None,
                client_id=self.client_id)
        except Exception as exc:  # said in place; what was typed stays
            self.payment_message.show_message(user_message(exc))
            return False
        self.payment_message.clear()
        self.amount.clear()
        self.refresh()
        return True

    # -- receipts -----------------------------------------------------------------------------------

    def issue_receipt(self) -> None:
        """Number, render and store the receipt off the UI thread, then preview it to print or export."""
        from notesdesk.core.services import receipts

        start, end = pydate(self.period_from.date()), pydate(self.period_to.date())
        kind = ReceiptKind.SUPERBILL if self.superbill.isChecked() else ReceiptKind.RECEIPT
        uow = self._ctx.uow
        self.issue_button.setEnabled(False)
        self.receipt_message.clear()
        self._ctx.session.background(
            lambda: receipts.issue_receipt(uow(), self.client_id, start, end, kind),
            self._issued, self._refused)

    def _refused(self, exc: BaseException) -> None:
        self.issue_button.setEnabled(self._writable)
        self.receipt_message.show_message(user_message(exc))

    def _issued(self, issued: Any) -> None:
        self.issue_button.setEnabled(self._writable)
        self.refresh()
        self.show_pdf(issued.receipt, issued.pdf)

    def show_pdf(self, receipt: Receipt, data: bytes) -> None:
        from notesdesk.core.services import receipts

        found = self._ctx.session.read(clients.get_client, self.client_id, audit_view=False)
        name = export_name(receipt.data.kind.value, found.initials if found else "", today())
        preview = self.preview_factory(data, f"{receipt.data.kind.value.capitalize()} {receipt.number}", self,
                                       suggested_name=name, on_error=self._ctx.errors.present)
        if isinstance(preview, PdfPreviewDialog):
            preview.vault_path = self._ctx.vault.path
            preview.backup_dirs = [paths.backup_dir()]
            log = receipts.log_receipt
            preview.sig_printed.connect(lambda: self._ctx.session.write(
                log, receipt, AuditAction.PRINT, change=None, client_id=self.client_id))
            preview.sig_exported.connect(lambda _path, protected: self._ctx.session.write(
                log, receipt, AuditAction.EXPORT, protected, change=None, client_id=self.client_id))
            preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            preview.show()
        self.preview = preview

    def _selected_number(self) -> int | None:
        item = self.receipt_list.currentItem() or self.receipt_list.item(self.receipt_list.count() - 1)
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def reprint_selected(self) -> bool:
        """Reprint the receipt selected (none selected: the last listed), by its id: one number issued
        twice offline names two receipts."""
        item = self.receipt_list.currentItem() or self.receipt_list.item(self.receipt_list.count() - 1)
        return False if item is None else self.reports.preview("receipt", str(item.data(RECEIPT_ID_ROLE)))

    def void_selected(self) -> bool:
        """Ask why, then mark the selected receipt void; a refusal reaches the presenter, nothing stored."""
        from notesdesk.core.services import receipts

        number = self._selected_number()
        if number is None:
            return False
        item = self.receipt_list.currentItem() or self.receipt_list.item(self.receipt_list.count() - 1)
        reason = self.ask_void_reason(self, f"Receipt {number}")
        if reason is None:
            return False
        done = self._ctx.session.write(receipts.void_receipt, self.client_id, number, reason, None,
                                       str(item.data(RECEIPT_ID_ROLE)), change=None,
                                       client_id=self.client_id)
        self.refresh()
        return done is not None


