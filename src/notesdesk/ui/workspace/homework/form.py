"""The fields of a homework (the Homework tab's form), the same fields as a dialog opened from a session
note, where the homework is ticked as assigned in that note, and as a dialog that edits homework."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.care import Homework, Recurrence
from notesdesk.core.domain.common import today
from notesdesk.core.domain.plans import Goal
from notesdesk.ui.widgets.labels import fit_placeholder
from notesdesk.ui.workspace.widgets import OptionalDateEdit, named, text_edit


class HomeworkForm(QWidget):
    """Description, rationale, linked goal, due date and recurrence."""

    def __init__(self) -> None:
        super().__init__()
        self.description = named(QLineEdit(), "Homework description")
        self.description.setPlaceholderText("e.g. Breathing practice, 10 minutes")
        fit_placeholder(self.description)
        self.rationale = text_edit("Homework rationale", "Why this helps, in words the client agreed with", 2)
        self.goal_combo = named(QComboBox(), "Linked goal")
        self.due = OptionalDateEdit("Homework due date", warn_past=True)
        # No appointments are kept: the next session is taken to be a week away.
        self.due.suggest = lambda: today() + timedelta(days=7)
        self.recurrence = named(QComboBox(), "Homework recurrence")
        for rec in Recurrence:
            self.recurrence.addItem(rec.value, rec.value)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow("&Description", self.description)
        self.form.addRow("&Rationale", self.rationale)
        self.form.addRow("Linked &goal", self.goal_combo)
        self.form.addRow("D&ue", self.due)
        self.form.addRow("Re&peats", self.recurrence)

    def set_goals(self, goals: Sequence[Goal] | None, selected: str | None = None) -> None:
        """The active plan's goals (None: no active plan), keeping the chosen one where it still exists."""
        current = selected or self.goal_combo.currentData()
        self.goal_combo.clear()
        self.goal_combo.addItem("(no goal)" if goals is not None else "(no active plan)", None)
        for goal in goals or ():
            self.goal_combo.addItem(goal.statement, goal.id)
        self.goal_combo.setCurrentIndex(max(0, self.goal_combo.findData(current)))

    def load(self, homework: Homework) -> None:
        """Show an existing homework's fields; a goal of an earlier plan stays chosen (and kept)."""
        self.description.setText(homework.description)
        self.rationale.setPlainText(homework.rationale)
        if homework.goal_id and self.goal_combo.findData(homework.goal_id) < 0:
            self.goal_combo.addItem("(a goal of an earlier plan)", homework.goal_id)
        self.goal_combo.setCurrentIndex(max(0, self.goal_combo.findData(homework.goal_id)))
        self.due.set_value(homework.due_date)
        self.recurrence.setCurrentIndex(max(0, self.recurrence.findData(homework.recurrence.value)))

    def edited(self, homework: Homework) -> Homework:
        """`homework` with the fields as shown (its objective is kept while the goal stays the same)."""
        goal_id = self.goal_combo.currentData()
        return replace(
            homework,
            description=self.description.text().strip(),
            rationale=self.rationale.toPlainText().strip(),
            goal_id=goal_id,
            objective_id=homework.objective_id if goal_id == homework.goal_id else None,
            due_date=self.due.value(),
            recurrence=Recurrence(self.recurrence.currentData()),
        )

    def pending(self) -> bool:
        """Something typed that is not assigned yet."""
        return bool(self.description.text().strip() or self.rationale.toPlainText().strip())

    def homework(self, client_id: str) -> Homework:
        """A new homework from the fields, not linked to any note (a note's save links what it ticks)."""
        return Homework(
            client_id=client_id,
            description=self.description.text().strip(),
            assigned_on=today(),
            rationale=self.rationale.toPlainText().strip(),
            goal_id=self.goal_combo.currentData(),
            due_date=self.due.value(),
            recurrence=Recurrence(self.recurrence.currentData()),
        )

    def clear(self) -> None:
        self.description.clear()
        self.rationale.clear()
        self.due.set_value(None)


def _lay_out(
    dialog: QDialog, form: HomeworkForm, ok_text: str, ok_name: str, cancel_name: str
) -> QPushButton:
    """The homework form above OK/Cancel, focus in the description; returns the OK button."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok_button = named(buttons.button(QDialogButtonBox.StandardButton.Ok), ok_name)
    ok_button.setText(ok_text)
    named(buttons.button(QDialogButtonBox.StandardButton.Cancel), cancel_name)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(form)
    layout.addWidget(buttons)
    form.description.setFocus()
    return ok_button


class AssignHomeworkDialog(QDialog):
    """Assign homework from a session note; the caller stores it and ticks it in the note, whose save
    links it."""

    def __init__(self, parent: QWidget, goals: Sequence[Goal] | None, goal_id: str | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Assign homework")
        self.setAccessibleName("Assign homework in this note")
        self.form = HomeworkForm()
        self.form.set_goals(goals, goal_id)
        self.ok_button = _lay_out(self, self.form, "&Assign", "Assign the homework",
                                  "Cancel assigning homework")


class EditHomeworkDialog(QDialog):
    """Change an existing homework's fields, or end it (or take it up again); the caller saves."""

    def __init__(self, parent: QWidget, goals: Sequence[Goal] | None, homework: Homework) -> None:
        super().__init__(parent)
        self._homework = homework
        self.setWindowTitle("Edit homework")
        self.setAccessibleName("Edit homework")
        self.form = HomeworkForm()
        self.form.set_goals(goals)
        self.form.load(homework)
        self.active = named(QCheckBox("Still &active"), "Homework still active",
                            "Untick when the client has stopped or finished it")
        self.active.setChecked(homework.active)
        self.form.form.addRow("", self.active)
        self.ok_button = _lay_out(self, self.form, "&Save", "Save the homework", "Cancel editing homework")

    def homework(self) -> Homework:
        return replace(self.form.edited(self._homework), active=self.active.isChecked())
