"""Homework: assign (linked to a goal of the active plan), edit, check in, adherence over 4 weeks; the
note each was assigned in."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.care import CheckinStatus, Homework
from notesdesk.core.domain.common import today
from notesdesk.core.domain.plans import Goal, PlanStatus, TreatmentPlan
from notesdesk.core.services import care, notes, plans
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind
from notesdesk.ui.workspace.fitting import FittingTable
from notesdesk.ui.workspace.homework.form import EditHomeworkDialog, HomeworkForm
from notesdesk.ui.workspace.models import CheckinTableModel, HomeworkTableModel
from notesdesk.ui.workspace.notes.formatting import note_label
from notesdesk.ui.workspace.widgets import (
    bold,
    date_edit,
    named,
    pydate,
    scrolled,
    text_edit,
)


def adherence_text(rate: float | None, counts: str, overdue: int, ever: bool = True) -> str:
    """`counts`: the last 4 weeks' check-ins by status ('2 done, 1 partial'); `ever`: whether there has
    been any check-in at all."""
    if rate is None:
        text = "No check-ins in the last 4 weeks" if ever else "No check-ins yet"
    else:
        text = f"Adherence over the last 4 weeks: {rate:.0%} ({counts})"
    if overdue:
        text += f" — {overdue} overdue"
    return text


class HomeworkTab(QWidget):
    """Writes go through the session (Kind.HOMEWORK); the list follows every homework change for this
    client (here, or assigned from a note) and the goals every plan change."""

    def __init__(self, ctx: AppContext, client_id: str) -> None:
        super().__init__()
        self._ctx, self._client_id = ctx, client_id
        self._session = ctx.session.for_client(client_id)
        self._homework: list[Homework] = []
        self._goals: list[Goal] | None = None
        self.adherence_label = bold(named(QLabel(), "Homework adherence over the last 4 weeks"))
        self.adherence_label.setWordWrap(True)
        self.model = HomeworkTableModel(self)
        m = HomeworkTableModel
        # The description (and the goal under it) keeps a readable width; at 1366×768 every column fits
        # (tests/ui/test_homework_table_laptop.py); on a narrower screen the others give way, least
        # needed first (the description's tooltip says everything the row holds).
        self.view = FittingTable(self.model, "Homework", m.COL_DESCRIPTION, min_stretch=200,
                                 drop=(m.COL_ASSIGNED, m.COL_RECURRENCE, m.COL_DUE, m.COL_LAST), cap=150,
                                 wrap=True)
        self.checkins_model = CheckinTableModel(self)
        self.checkins_view = FittingTable(self.checkins_model, "Check-ins of the selected homework",
                                          CheckinTableModel.COL_REPORT, min_stretch=150, wrap=True)
        self.edit_button = named(QPushButton("&Edit…"), "Edit the selected homework",
                                 "Change what the selected homework asks, or end it")

        self.form = HomeworkForm()
        f = self.form
        self.description, self.rationale, self.goal_combo = f.description, f.rationale, f.goal_combo
        self.due, self.recurrence = f.due, f.recurrence
        self.assign_button = named(QPushButton("&Assign"), "Assign homework")
        assign = QGroupBox("Assign homework")
        assign_layout = QVBoxLayout(assign)
        assign_layout.addWidget(self.form)
        assign_layout.addWidget(self.assign_button)

        self.selected_label = named(QLabel("Select homework in the list to check in."), "Selected homework")
        self.selected_label.setWordWrap(True)
        self.status = named(QComboBox(), "Check-in status")
        for status in CheckinStatus:
            self.status.addItem(status.value, status.value)
        self.checkin_date = date_edit("Check-in date")
        self.report = text_edit("Client's report", "What the client said about it", 2)
        self.checkin_button = named(QPushButton("&Check in"), "Check in")
        checkin = QGroupBox("Check in")
        form2 = QFormLayout(checkin)
        form2.addRow(self.selected_label)
        form2.addRow("&Status", self.status)
        form2.addRow("Da&te", self.checkin_date)
        form2.addRow("Client's re&port", self.report)
        form2.addRow(self.checkin_button)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)  # the width goes to the table
        left_layout.addWidget(self.adherence_label)
        left_layout.addWidget(self.view, 3)
        left_layout.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignLeft)
        left_layout.addWidget(QLabel("Check-ins"))
        left_layout.addWidget(self.checkins_view, 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(assign)
        right_layout.addWidget(checkin)
        right_layout.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(scrolled(right, "Assign and check in"))
        splitter.setSizes([1000, 1])  # the forms get what they need (their minimum), the table the rest
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.assign_button.clicked.connect(self.assign)
        self.checkin_button.clicked.connect(self.check_in)
        self.edit_button.clicked.connect(self.edit_selected)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self._session.on_change(self, {Kind.HOMEWORK}, self.reload)
        self._session.on_change(self, {Kind.PLAN}, self.refresh_goals)
        self.refresh_goals()
        self.reload()

    def refresh_goals(self) -> None:
        versions = self._session.read(plans.plan_versions, self._client_id)
        active: TreatmentPlan | None = next(
            (p for p in reversed(versions or []) if p.status == PlanStatus.ACTIVE), None
        )
        goals = active.goals() if active else None
        self._goals = list(goals) if goals is not None else None
        self.form.set_goals(goals)
        self._goal_names = {goal.id: goal.statement for goal in goals or ()}
        self.model.set_homework(self._homework, self._goal_names)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        # Notes change elsewhere (a date, homework ticked in a note, a draft deleted): show them as stored.
        if not event.spontaneous():
            self.reload()
        super().showEvent(event)

    def reload(self, select: str | None = None) -> None:
        found = self._session.read(care.list_homework, self._client_id)
        written = self._session.read(notes.list_notes, self._client_id)
        if found is None:
            return
        selected = select or self._selected_id()
        self._homework = found
        labels = {n.id: note_label(n) for n in written} if written is not None else None
        self.model.set_homework(found, self._goal_names, labels)
        on = today()
        counts = care.counts_text(care.checkin_counts(found, on))
        ever = any(h.checkins for h in found)
        self.adherence_label.setText(
            adherence_text(care.adherence(found, on), counts, len(care.overdue(found, on)), ever)
        )
        self.adherence_label.setToolTip(f"Share of check-ins done: {care.adherence_rule()}.")
        row = self.model.row_of(selected) if selected else -1
        if row >= 0:
            self.view.selectRow(row)
        self._show_selected()

    def _selected_id(self) -> str | None:
        row = self.model.row_at(self.view.currentIndex().row())
        return row.id if row else None

    def _on_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        row = self.model.row_at(self.view.currentIndex().row())
        self.checkin_button.setEnabled(row is not None)
        self.edit_button.setEnabled(row is not None)
        self.checkins_model.set_rows(sorted(row.checkins, key=lambda c: c.checkin_date) if row else [])
        if row is None:
            self.selected_label.setText("Select homework in the list to check in.")
        else:
            why = f" — why: {row.rationale}" if row.rationale else ""
            self.selected_label.setText(f"Checking in: {row.description}{why}")

    def flush(self) -> bool:
        """Before lock, close or a client switch: what is typed in either form is recorded as shown (the
        homework assigned, the check-in with the status on screen). False when that failed."""
        assigned = not self.form.pending() or self.assign()
        report = self.report.toPlainText().strip() and self._selected_id() is not None
        return assigned and (not report or self.check_in())

    def assign(self) -> bool:
        homework: Homework = self.form.homework(self._client_id)
        added = self._session.write(care.add_homework, homework, change=Kind.HOMEWORK)
        if added is None:
            return False
        self.form.clear()
        self.reload(select=added.id)
        return True

    def edit_selected(self) -> bool:
        """Edit the selected homework in a dialog; if saving fails the dialog opens again as typed."""
        row = self.model.row_at(self.view.currentIndex().row())
        if row is None:
            return False
        dialog = EditHomeworkDialog(self, self._goals, row)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            updated = self._session.write(care.update_homework, dialog.homework(), change=Kind.HOMEWORK)
            if updated is not None:
                self.reload(select=updated.id)
                return True
        return False

    def check_in(self) -> bool:
        homework_id = self._selected_id()
        if homework_id is None:
            return False
        updated = self._session.write(
            care.check_in, homework_id, CheckinStatus(self.status.currentData()),
            pydate(self.checkin_date.date()), self.report.toPlainText().strip(), change=Kind.HOMEWORK,
        )
        if updated is None:
            return False
        self.report.clear()
        self.reload(select=updated.id)
        return True
