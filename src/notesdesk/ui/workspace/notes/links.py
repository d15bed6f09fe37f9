"""The parts of a note that tie it to the plan and homework, and a discharge note's maintenance plan."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.care import Homework
from notesdesk.core.domain.notes import MaintenancePlan, NoteFormat, SessionNote
from notesdesk.core.domain.plans import TreatmentPlan
from notesdesk.ui.workspace.notes.risk import RiskFields, risk_summary
from notesdesk.ui.workspace.widgets import CheckList, LinesEdit, named, text_edit

PICK_PROMPT = "Add an intervention from the plan…"
NARROW = 520  # px: below this the plan links put each label above its field


NONE_SHOWN = {
    "objectives": "None linked",
    "interventions": "None recorded",
    "homework_reviewed": "None linked",
    "homework_assigned": "None linked",
    "risk": "Not assessed",
}


def summary_label(name: str) -> QLabel:
    label = named(QLabel(), f"{name} (as signed)")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def stacked(*widgets: QWidget) -> QWidget:
    box = QWidget()
    # the form lets it fill the row
    box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        if isinstance(widget, QPushButton):
            column.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)
        else:
            column.addWidget(widget)
    return box


class NoteLinks(QGroupBox):
    """Objectives addressed (from the active plan), interventions, homework, risk. In a signed note
    (read-only) only what the note refers to is listed, as plain text."""

    sig_changed = Signal()
    """Emitted when the user changes any of these fields."""
    sig_assign_requested = Signal()
    """The user wants to assign new homework in this note."""

    def __init__(self) -> None:
        super().__init__("Plan, homework and risk")
        self.setAccessibleName("Plan, homework and risk")
        self.objectives = CheckList("Objectives addressed", "No active treatment plan")
        self.interventions = LinesEdit("Interventions used", "One intervention per line")
        self.pick_intervention = named(QComboBox(), "Add an intervention from the plan")
        # As narrow as the form allows, not as wide as the longest technique (a long one is elided).
        self.pick_intervention.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.pick_intervention.setMinimumContentsLength(16)
        self.homework_reviewed = CheckList("Homework reviewed", "No homework assigned yet")
        self.homework_assigned = CheckList("Homework assigned", "None yet: assign it below")
        self.assign_button = named(QPushButton("Assign &homework…"), "Assign homework in this note",
                                   "New homework, recorded as assigned in this note")
        self.risk = RiskFields()
        self._read_only = False
        self.summaries = {key: summary_label(name) for key, name in (
            ("objectives", "Objectives addressed"), ("interventions", "Interventions used"),
            ("homework_reviewed", "Homework reviewed"), ("homework_assigned", "Homework assigned"),
            ("risk", "Risk"))}
        show = self.summaries
        form = self._form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("Objectives addressed", stacked(self.objectives, show["objectives"]))
        form.addRow("Interventions",
                    stacked(self.interventions, self.pick_intervention, show["interventions"]))
        form.addRow("Homework reviewed", stacked(self.homework_reviewed, show["homework_reviewed"]))
        form.addRow("Homework assigned",
                    stacked(self.homework_assigned, self.assign_button, show["homework_assigned"]))
        form.addRow("Risk", stacked(self.risk, show["risk"]))
        for check in (self.objectives, self.homework_reviewed, self.homework_assigned):
            check.sig_changed.connect(self.sig_changed)
        self.interventions.textChanged.connect(self.sig_changed)
        self.risk.sig_changed.connect(self.sig_changed)
        self.pick_intervention.activated.connect(self._on_pick_intervention)
        self.assign_button.clicked.connect(self.sig_assign_requested)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Narrow (a small screen), the lists to tick go under their labels, to wrap in the whole width;
        a signed note's short plain-text lines stay beside theirs."""
        narrow = self.width() < NARROW and not self._read_only
        policy = QFormLayout.RowWrapPolicy.WrapAllRows if narrow else QFormLayout.RowWrapPolicy.DontWrapRows
        if self._form.rowWrapPolicy() != policy:
            self._form.setRowWrapPolicy(policy)

    def text_edits(self) -> list[QPlainTextEdit]:
        return [self.interventions, *self.risk.text_edits()]

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
        self.pick_intervention.setVisible(bool(techniques) and not self._read_only)
        self._show_summaries()

    def load(self, note: SessionNote) -> None:
        self.interventions.set_lines(note.interventions)
        self.risk.load(note)
        self._show_summaries()

    def values(self) -> dict[str, Any]:
        return {
            "objectives_addressed": self.objectives.checked_ids(),
            "interventions": self.interventions.lines(),
            "homework_reviewed": self.homework_reviewed.checked_ids(),
            "homework_assigned": self.homework_assigned.checked_ids(),
            "risk": self.risk.value(),
            "risk_noted": self.risk.noted,
        }

    def set_read_only(self, read_only: bool) -> None:
        """Read-only (a signed note, or none open): plain text listing only what the note refers to,
        in place of the lists to tick and the boxes to type in."""
        self._read_only = read_only
        self.interventions.setReadOnly(read_only)
        self.interventions.setVisible(not read_only)
        self.risk.set_read_only(read_only)
        self.risk.setVisible(not read_only)
        for check in (self.objectives, self.homework_reviewed, self.homework_assigned):
            check.set_read_only(read_only)
            check.setVisible(not read_only)
        self.pick_intervention.setVisible(not read_only and self.pick_intervention.count() > 1)
        self.assign_button.setVisible(not read_only)
        self._show_summaries()
        self._fit_rows()

    def _show_summaries(self) -> None:
        values = {
            "objectives": self.objectives.checked_labels(),
            "interventions": self.interventions.lines(),
            "homework_reviewed": self.homework_reviewed.checked_labels(),
            "homework_assigned": self.homework_assigned.checked_labels(),
            "risk": self._risk_lines(),
        }
        for key, label in self.summaries.items():
            lines = values[key]
            bullet = "• " if key != "risk" else ""
            label.setText("\n".join(bullet + line for line in lines) if lines else NONE_SHOWN[key])
            label.setVisible(self._read_only)

    def _risk_lines(self) -> tuple[str, ...]:
        shown = SessionNote("", date.min, NoteFormat.FREE, (), risk=self.risk.value(),
                            risk_noted=self.risk.noted)
        text = risk_summary(shown)
        return tuple(text.splitlines()) if text else ()

    def _on_pick_intervention(self, row: int) -> None:
        if row <= 0:
            return
        technique = self.pick_intervention.itemText(row)
        if technique not in self.interventions.lines():
            self.interventions.set_lines((*self.interventions.lines(), technique))
        self.pick_intervention.setCurrentIndex(0)


class MaintenancePanel(QGroupBox):
    """A discharge note's maintenance plan: what keeps the change going, and when to come back."""

    sig_changed = Signal()
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
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("What changed", self.what_changed)
        form.addRow("Skills to keep practising", self.skills)
        form.addRow("Early warning signs", self.warning_signs)
        form.addRow("What to do if they appear", self.what_to_do)
        form.addRow("When to come back", self.when_to_return)
        for edit in self.text_edits():
            edit.textChanged.connect(self.sig_changed)

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
