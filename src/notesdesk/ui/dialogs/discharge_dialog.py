"""Discharge a client: the day care ended (the retention clock starts no earlier than today), why,
the drafts still unsigned, and whether to write the discharge note straight away. Cancel is the
default button."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.common import today
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.services.clients import DISCHARGE_REASONS, DischargeFacts, discharge_reason
from notesdesk.ui.widgets.labels import InlineMessage
from notesdesk.ui.widgets.typed import DateField

REASON_WORDS = {
    "planned ending": "Planned ending",
    "client ended": "Client ended care",
    "referred on": "Referred on",
    "moved": "Moved away",
    "other": "Other",
}

Discharge = Callable[[date, str], Client]
"""Called with the discharge date and the reason's wording; returns the discharged client."""


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def unsigned_warning(count: int) -> str:
    if count <= 0:
        return ""
    notes = "1 note is" if count == 1 else f"{count} notes are"
    return f"{notes} not signed yet; sign them before or after discharge."


class DischargeDialog(QDialog):
    """`discharge` is called on Discharge; on a NotesdeskError the dialog stays open and says why."""

    def __init__(
        self, label: str, facts: DischargeFacts, discharge: Discharge, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Discharge client")  # never the client's name in a title
        self._discharge = discharge
        self.saved: Client | None = None
        now = today()
        intro = QLabel(f"Discharge {label}? Their episode of care is closed on the day below; the records "
                       "are kept for the retention period, which counts from today at the earliest.", self)
        intro.setWordWrap(True)
        self.date = DateField(_qdate(now))  # typed whole, in ISO or the locale's order, like every date
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setAccessibleName("Discharge date")
        opened = facts.opened_on
        self.date.setDateRange(_qdate(min(opened, now) if opened else date(1900, 1, 1)), _qdate(now))
        self.date.setDate(_qdate(now))
        if opened:
            self.date.setToolTip(f"Between the start of this episode of care ({opened.isoformat()}) "
                                 "and today")
        self.reason = QComboBox(self)
        self.reason.setAccessibleName("Reason for discharge")
        for kind in DISCHARGE_REASONS:
            self.reason.addItem(REASON_WORDS[kind], kind)
        self.detail = QLineEdit(self)
        self.detail.setAccessibleName("Reason details")
        self.detail.setPlaceholderText("Optional: to whom, where, or in your words")
        self.drafts = InlineMessage(self)
        self.drafts.show_message(unsigned_warning(facts.unsigned_notes))
        self.write_note = QCheckBox("&Write the discharge note now", self)
        self.write_note.setChecked(True)
        self.write_note.setToolTip("Opens a new note in the DISCHARGE format, with its maintenance plan")
        self.message = InlineMessage(self)

        form = QFormLayout()
        form.addRow("Discharge &date:", self.date)
        form.addRow("&Reason:", self.reason)
        form.addRow("D&etails:", self.detail)
        self.buttons = QDialogButtonBox(self)
        self.discharge_button = self.buttons.addButton("Dis&charge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.discharge_button.setAutoDefault(False)
        self.cancel_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.drafts)
        layout.addWidget(self.write_note)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)
        self.cancel_button.setFocus()

    def chosen_date(self) -> date:
        day = self.date.date()
        return date(day.year(), day.month(), day.day())

    def reason_text(self) -> str:
        return discharge_reason(str(self.reason.currentData()), self.detail.text())

    def accept(self) -> None:
        try:
            self.saved = self._discharge(self.chosen_date(), self.reason_text())
        except NotesdeskError as exc:
            self.message.show_message(exc.message)
            return
        super().accept()
