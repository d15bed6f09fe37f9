"""The parts of a note that tie it to the plan and homework, and a discharge note's maintenance plan."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.care import Homework
from notesdesk.core.domain.notes import MaintenancePlan, SessionNote
from notesdesk.core.domain.plans import TreatmentPlan
from notesdesk.ui.workspace.widgets import CheckList, LinesEdit, named, text_edit

PICK_PROMPT = "Add an intervention from the plan…"


class NoteLinks(QGroupBox):
    """Objectives addressed (from the active plan), interventions, homework, risk."""

    changed = Signal()
    """Emitted when the user changes any of these fields."""
    assign_requested = Signal()
    """The user wants to assign new homework in this note."""

    def __init__(self) -> None:
        super().__init__("Plan, homework and risk")
        self.setAccessibleName("Plan, homework and risk")
        self.objectives = CheckList("Objectives addressed", "No active treatment plan")
        self.interventions = LinesEdit("Interventions used", "One intervention per line")
        self.pick_intervention = named(QComboBox(), "Add an intervention from the plan")
        self.homework_reviewed = CheckList("Homework reviewed", "No homework assigned yet")
        self.homework_assigned = CheckList("Homework assigned", "None yet: assign it below")
        self.assign_button = named(QPushButton("Assign &homework…"), "Assign homework in this note",
                                   "New homework, recorded as assigned in this note")
        self.risk = text_edit("Risk noted", "Risk assessed this session (leave empty if none noted)", 2)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
        form.addRow("Objectives addressed", self.objectives)
        interventions = QWidget()
        box = QVBoxLayout(interventions)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.interventions)
        box.addWidget(self.pick_intervention)
        form.addRow("Interventions", interventions)
        form.addRow("Homework reviewed", self.homework_reviewed)
        assigned = QWidget()
        column = QVBoxLayout(assigned)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.homework_assigned)
        column.addWidget(self.assign_button, 0, Qt.AlignLeft)
        form.addRow("Homework assigned", assigned)
        form.addRow("Risk noted", self.risk)
        for check in (self.objectives, self.homework_reviewed, self.homework_assigned):
            check.changed.connect(self.changed)
        self.interventions.textChanged.connect(self.changed)
        self.risk.textChanged.connect(self.changed)
        self.pick_intervention.activated.connect(self._on_pick_intervention)
        self.assign_button.clicked.connect(self.assign_requested)

    def text_edits(self) -> list[QPlainTextEdit]:
        return [self.interventions, self.risk]

    def set_choices(
        self, plan: TreatmentPlan | None, homework: Sequence[Homework], note: SessionNote | None
    ) -> None:
        """Fill the lists from the active plan and homework, ticking what `note` refers to."""
        objectives = []
        if plan is not None:
            for goal in plan.goals():
                for obj in goal.objectives:
                    objectives.append((obj.id, f"{obj.description}  — goal: {goal.statement}"))
        items = [(h.id, h.description + ("" if h.active else " (ended)")) for h in homework]
        self.objectives.set_items(objectives, note.objectives_addressed if note else ())
        self.homework_reviewed.set_items(items, note.homework_reviewed if note else ())
        self.homework_assigned.set_items(items, note.homework_assigned if note else ())
        self.pick_intervention.clear()
        self.pick_intervention.addItem(PICK_PROMPT)
        techniques = sorted({i.technique for i in plan.interventions()}) if plan else []
        for technique in techniques:
            self.pick_intervention.addItem(technique)
        self.pick_intervention.setVisible(bool(techniques))

    def load(self, note: SessionNote) -> None:
        self.interventions.set_lines(note.interventions)
        self.risk.setPlainText(note.risk_noted)

    def values(self) -> dict[str, object]:
        return {
            "objectives_addressed": self.objectives.checked_ids(),
            "interventions": self.interventions.lines(),
            "homework_reviewed": self.homework_reviewed.checked_ids(),
            "homework_assigned": self.homework_assigned.checked_ids(),
            "risk_noted": self.risk.toPlainText().strip(),
        }

    def set_read_only(self, read_only: bool) -> None:
        for edit in self.text_edits():
            edit.setReadOnly(read_only)
        for check in (self.objectives, self.homework_reviewed, self.homework_assigned):
            check.set_read_only(read_only)
        self.pick_intervention.setVisible(not read_only and self.pick_intervention.count() > 1)
        self.assign_button.setVisible(not read_only)

    def _on_pick_intervention(self, row: int) -> None:
        if row <= 0:
            return
        technique = self.pick_intervention.itemText(row)
        if technique not in self.interventions.lines():
            self.interventions.set_lines((*self.interventions.lines(), technique))
        self.pick_intervention.setCurrentIndex(0)


class MaintenancePanel(QGroupBox):
    """A discharge note's maintenance plan: what keeps the change going, and when to come back."""

    changed = Signal()
    """Emitted when the user edits any field."""

    def __init__(self) -> None:
        super().__init__("Maintenance plan")
        self.setAccessibleName("Maintenance plan")
        self.what_changed = text_edit("What changed", "What changed during treatment", 2)
        self.skills = LinesEdit("Skills to keep practising", "One skill per line")
        self.warning_signs = LinesEdit("Early warning signs", "One sign per line")
        self.what_to_do = text_edit("What to do if they appear", "", 2)
        self.when_to_return = text_edit("When to come back", "", 2)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
        form.addRow("What changed", self.what_changed)
        form.addRow("Skills to keep practising", self.skills)
        form.addRow("Early warning signs", self.warning_signs)
        form.addRow("What to do if they appear", self.what_to_do)
        form.addRow("When to come back", self.when_to_return)
        for edit in self.text_edits():
            edit.textChanged.connect(self.changed)

    def text_edits(self) -> list[QPlainTextEdit]:
        return [self.what_changed, self.skills, self.warning_signs, self.what_to_do, self.when_to_return]

    def load(self, plan: MaintenancePlan | None) -> None:
        plan = plan or MaintenancePlan()
        self.what_changed.setPlainText(plan.what_changed)
        self.skills.set_lines(plan.skills_to_practise)
        self.warning_signs.set_lines(plan.early_warning_signs)
        self.what_to_do.setPlainText(plan.what_to_do)
        self.when_to_return.setPlainText(plan.when_to_return)

    def value(self) -> MaintenancePlan:
        return MaintenancePlan(
            what_changed=self.what_changed.toPlainText().strip(),
            skills_to_practise=self.skills.lines(),
            early_warning_signs=self.warning_signs.lines(),
            what_to_do=self.what_to_do.toPlainText().strip(),
            when_to_return=self.when_to_return.toPlainText().strip(),
        )

    def set_read_only(self, read_only: bool) -> None:
        for edit in self.text_edits():
            edit.setReadOnly(read_only)
