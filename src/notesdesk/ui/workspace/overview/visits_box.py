"""On the overview: the client's diagnoses (added through the code picker, removed after a question)
and the next session with its cadence. Every write goes through the session (ui/session.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from notesdesk.core.domain.common import today
from notesdesk.core.domain.visits import LONGEST_CADENCE_DAYS, Diagnosis
from notesdesk.core.services import diagnoses, visits
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind, ran
from notesdesk.ui.workspace.flow import FlowLayout
from notesdesk.ui.workspace.overview.code_picker import CodePickerDialog
from notesdesk.ui.workspace.widgets import Confirm, ask_confirm, date_edit, named, pydate, qdate


def diagnosis_text(d: Diagnosis) -> str:
    return f"{d.code}  {d.description}" + (f" — {' '.join(d.text.split())}" if d.text else "")


class DiagnosesBox(QGroupBox):
    def __init__(self, ctx: AppContext, client_id: str, confirm: Confirm = ask_confirm) -> None:
        super().__init__("Diagnoses (ICD-10-CM)")
        self.confirm = confirm
        self.setAccessibleName("Diagnoses")
        self._ctx, self._client_id = ctx, client_id
        self._session = ctx.session.for_client(client_id)
        self.list = named(QListWidget(), "Diagnoses")
        self.list.setMaximumHeight(110)
        self.add_button = named(QPushButton("Add diagnosis…"), "Add diagnosis", "Pick an ICD-10-CM code")
        self.remove_button = named(QPushButton("Remove…"), "Remove diagnosis", "Take the chosen one off")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.list.currentItemChanged.connect(self._update_buttons)
        self._session.on_change(self, {Kind.DIAGNOSIS}, self.refresh)
        self.refresh()

    def refresh(self) -> None:
        found = self._session.read(diagnoses.list_diagnoses, self._client_id) or []
        self.list.clear()
        for d in found:
            item = QListWidgetItem(diagnosis_text(d))
            item.setData(Qt.ItemDataRole.UserRole, d.id)
            self.list.addItem(item)
        if not found:
            self.list.addItem(QListWidgetItem("No diagnoses recorded."))
        self._update_buttons()

    def _chosen(self) -> str | None:
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return str(value) if value else None

    def _update_buttons(self, *_args: object) -> None:
        self.remove_button.setEnabled(self._chosen() is not None)

    def picker(self) -> CodePickerDialog:
        """The dialog `add` shows (tests drive it through this)."""
        return CodePickerDialog(self._ctx.session, self)

    def add(self) -> None:
        dialog = self.picker()
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen_code() is None:
            return
        self._session.write(diagnoses.add_diagnosis, self._client_id, dialog.chosen_code(), dialog.words(),
                            change=Kind.DIAGNOSIS)

    def remove(self) -> None:
        chosen = self._chosen()
        item = self.list.currentItem()
        if chosen is None or item is None:
            return
        question = (f"Take {item.text().split()[0]} off this client? The audit log keeps the fact that "
                    "it was there.")
        if self.confirm(self, "Remove diagnosis", question):
            self._session.write(diagnoses.remove_diagnosis, chosen, change=Kind.DIAGNOSIS)


class NextSessionBox(QGroupBox):
    def __init__(self, ctx: AppContext, client_id: str) -> None:
        super().__init__("Next session")
        self.setAccessibleName("Next session")
        self._client_id = client_id
        self._session = ctx.session.for_client(client_id)
        self.summary = named(QLabel(), "Next session booked")
        self.date = date_edit("Next session date")
        self.every = named(QSpinBox(), "Every how many days", "0: no cadence (one date only)")
        self.every.setRange(0, LONGEST_CADENCE_DAYS)
        self.every.setSpecialValueText("once")
        self.every.setSuffix(" days")
        self.save_button = named(QPushButton("Book"), "Book next session")
        self.clear_button = named(QPushButton("Clear"), "Clear next session")
        row = FlowLayout()  # wraps on a narrow screen
        for widget in (QLabel("On"), self.date, QLabel("then every"), self.every, self.save_button,
                       self.clear_button):
            row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        self.save_button.clicked.connect(self.book)
        self.clear_button.clicked.connect(self.clear)
        self._session.on_change(self, {Kind.NEXT_SESSION}, self.refresh)
        self.refresh()

    def refresh(self) -> None:
        booked = self._session.read(visits.next_session, self._client_id)
        self.clear_button.setEnabled(booked is not None)
        if booked is None:
            self.summary.setText("No next session booked.")
            return
        upcoming = booked.upcoming(today())
        every = f", then every {booked.every_days} days" if booked.every_days else ""
        shown = upcoming.isoformat() if upcoming else f"{booked.next_on.isoformat()} (past)"
        self.summary.setText(f"Next session {shown}{every}.")
        self.date.setDate(qdate(upcoming or booked.next_on))
        self.every.setValue(booked.every_days or 0)

    def book(self) -> None:
        every = self.every.value() or None
        self._session.write(visits.set_next_session, self._client_id, pydate(self.date.date()), every,
                            change=Kind.NEXT_SESSION)

    def clear(self) -> None:
        self._session.write(ran(visits.clear_next_session), self._client_id, change=Kind.NEXT_SESSION,
                            object_id=self._client_id)
