"""The fee schedule (Settings → Fee schedule…): a fee per service, optionally per delivery and, in
the US, per CPT code, in the currency of the practice's country (core/services/fees.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.codes.cpt import CPT_CODES, cpt_label, uses_cpt
from notesdesk.core.codes.currencies import format_amount, parse_amount
from notesdesk.core.domain.billing import Fee, FeeSchedule
from notesdesk.core.domain.notes import Delivery, SessionType
from notesdesk.core.services import fees
from notesdesk.ui.context import AppContext
from notesdesk.ui.errors import user_message
from notesdesk.ui.widgets.labels import InlineMessage, paragraph
from notesdesk.ui.workspace.widgets import named

ANY = "any"


def fee_line(fee: Fee, currency: str) -> str:
    return f"{fee.describe()}: {format_amount(fee.amount, currency)}"


class FeeScheduleDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fee schedule")
        self._ctx = ctx
        self.schedule: FeeSchedule | None = None
        locale = ctx.vault.profile().locale
        self.intro = paragraph("", self)
        self.fee_list = named(QListWidget(self), "Fees")
        self.service = named(QComboBox(self), "Service")
        for service in SessionType:
            self.service.addItem(service.value, service)
        self.delivery = named(QComboBox(self), "Delivery")
        self.delivery.addItem("in person or video", None)
        for way in Delivery:
            self.delivery.addItem(f"{way.value} only", way)
        self.cpt = named(QComboBox(self), "CPT code")
        self.cpt.addItem("any code or none", "")
        for code in CPT_CODES:
            self.cpt.addItem(cpt_label(code), code)
        self.cpt.setVisible(uses_cpt(locale))
        self.amount = named(QLineEdit(self), "Fee")
        self.amount.setPlaceholderText("e.g. 150 or 150.00")
        self.message = InlineMessage(self)
        self.set_button = named(QPushButton("&Set fee"), "Set fee")
        self.remove_button = named(QPushButton("&Remove selected"), "Remove the selected fee")
        close = QPushButton("Close")
        form = QFormLayout()
        form.addRow("Ser&vice:", self.service)
        form.addRow("&Delivery:", self.delivery)
        if uses_cpt(locale):
            form.addRow("&CPT code:", self.cpt)
        form.addRow("&Fee:", self.amount)
        form.addRow("", self.message)
        buttons = QHBoxLayout()
        for button in (self.set_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(QLabel("Fees:"))
        layout.addWidget(self.fee_list, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.set_button.clicked.connect(self.set_fee)
        self.remove_button.clicked.connect(self.remove_selected)
        self.amount.returnPressed.connect(self.set_fee)
        close.clicked.connect(self.accept)
        self.resize(520, 460)
        self.refresh()

    def refresh(self) -> None:
        self.schedule = self._ctx.session.read(fees.fee_schedule)
        self.fee_list.clear()
        schedule = self.schedule
        if schedule is None:
            return
        if not schedule.currency:
            self.intro.setText("Set the practice's country in Settings first: the fees' currency follows it.")
        else:
            self.intro.setText(f"Fees in {schedule.currency}. The most specific fee that fits a session "
                               "applies; a fee of 0 is allowed.")
        for fee in schedule.fees:
            item = QListWidgetItem(fee_line(fee, schedule.currency))
            item.setData(Qt.ItemDataRole.UserRole, fee)
            self.fee_list.addItem(item)
        enabled = bool(schedule.currency) and not self._ctx.vault.read_only
        self.set_button.setEnabled(enabled)
        self.remove_button.setEnabled(enabled and bool(schedule.fees))

    def set_fee(self) -> bool:
        """Store the fee typed; a bad amount is said under the field and nothing is stored."""
        try:
            code = self._ctx.session.perform(fees.practice_currency, change=None, client_id="")
            amount = parse_amount(self.amount.text(), code, allow_zero=True)
            # Qt hands enum data back as plain strings: typed again here.
            way = self.delivery.currentData()
            fee = Fee(SessionType(self.service.currentData()), amount, Delivery(way) if way else None,
                      str(self.cpt.currentData() or ""))
            self._ctx.session.perform(fees.set_fee, fee, change=None, client_id="")
        except Exception as exc:  # said in place; the dialog stays open
            self.message.show_message(user_message(exc))
            return False
        self.message.clear()
        self.amount.clear()
        self.refresh()
        return True

    def remove_selected(self) -> None:
        item = self.fee_list.currentItem()
        if item is None:
            return
        fee: Fee = item.data(Qt.ItemDataRole.UserRole)
        if self._ctx.session.write(fees.remove_fee, fee.service, fee.delivery, fee.cpt_code, change=None,
                                   client_id="") is not None:
            self.refresh()
