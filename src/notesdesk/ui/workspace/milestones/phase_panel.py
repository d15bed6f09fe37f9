"""The phase of care: the current phase, a 'set phase' control (suggested or free text), history."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from notesdesk.core.domain.care import PHASE_MODELS, PhaseEntry
from notesdesk.core.domain.common import today
from notesdesk.core.services import care
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind
from notesdesk.ui.workspace.models import PhaseHistoryModel
from notesdesk.ui.workspace.widgets import bold, date_edit, named, pydate, qdate


def phase_suggestions() -> list[str]:
    seen: list[str] = []
    for phases in PHASE_MODELS.values():
        seen += [p for p in phases if p not in seen]
    return seen


class PhasePanel(QGroupBox):
    """Sets the phase through the session (Kind.PHASE) and shows the history as each change says."""

    def __init__(self, ctx: AppContext, client_id: str) -> None:
        super().__init__("Phase of care")
        self.setAccessibleName("Phase of care")
        self._ctx, self._client_id = ctx, client_id
        self._session = ctx.session.for_client(client_id)
        self.current_label = bold(named(QLabel(), "Current phase"))
        self.phase_combo = named(QComboBox(), "New phase (choose or type)")
        self.phase_combo.setEditable(True)
        self.phase_combo.addItems(["", *phase_suggestions()])
        typed = self.phase_combo.lineEdit()  # there since setEditable(True)
        if typed is not None:
            typed.setPlaceholderText("Choose or type a phase")
        self.phase_date = date_edit("Phase start date")
        self.comment = named(QLineEdit(), "Phase change comment")
        self.comment.setPlaceholderText("Why (optional)")
        self.set_button = named(QPushButton("Set p&hase"), "Set phase")
        self.model = PhaseHistoryModel(self)
        self.history = named(QTableView(), "Phase history")
        self.history.setModel(self.model)
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setMaximumHeight(120)
        row = QHBoxLayout()
        row.addWidget(self.phase_combo, 2)
        row.addWidget(self.phase_date)
        row.addWidget(self.comment, 2)
        row.addWidget(self.set_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current_label)
        layout.addLayout(row)
        layout.addWidget(self.history)
        self.set_button.clicked.connect(self.set_phase)
        self._session.on_change(self, {Kind.PHASE}, self.reload)
        self.reload()

    def reload(self) -> None:
        history = self._session.read(care.phase_history, self._client_id)
        if history is None:
            return
        self.model.set_rows(list(reversed(history)))
        if history:
            current = history[-1]
            since = current.started_on.isoformat()
            self.current_label.setText(f"Current phase: {current.phase} (since {since})")
        else:
            self.current_label.setText("Current phase: not set yet")

    def set_phase(self) -> None:
        entry = PhaseEntry(
            client_id=self._client_id,
            phase=self.phase_combo.currentText().strip(),
            started_on=pydate(self.phase_date.date()),
            comment=self.comment.text().strip(),
        )
        if self._session.write(care.set_phase, entry, change=Kind.PHASE) is not None:
            self.phase_combo.setCurrentText("")
            self.comment.clear()
            self.phase_date.setDate(qdate(today()))
