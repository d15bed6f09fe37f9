"""Detail forms for the plan tree's nodes, and the plan-level fields."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.clients import Modality
from notesdesk.core.domain.common import today
from notesdesk.core.domain.plans import Goal, Intervention, Objective, ObjectiveStatus, Problem, TreatmentPlan
from notesdesk.ui.workspace.plan import edit as plan_edit
from notesdesk.ui.workspace.widgets import LinesEdit, OptionalDateEdit, named, text_edit

REVIEW_DAYS = 90  # a plan's review, by default: our default, not a rule

SERVICE_TYPES = ("individual", "couple", "family", "group")


def line_edit(name: str, placeholder: str = "") -> QLineEdit:
    edit = named(QLineEdit(), name)
    edit.setPlaceholderText(placeholder)
    return edit


class _Form(QWidget):
    """A form whose every field change is reported as the form's full set of values."""

    sig_edited = Signal()
    """Emitted when the user changes any field."""

    def __init__(self) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        # labels above the fields when narrow
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        outer.addLayout(self.form)
        outer.addStretch(1)
        self._loading = False
        self._fields: list[QWidget] = []

    def add[W: QWidget](self, label: str, widget: W) -> W:
        self.form.addRow(label, widget)
        self._fields.append(widget)
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.textChanged.connect(self._changed)
        elif isinstance(widget, QComboBox):
            widget.currentTextChanged.connect(self._changed)
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(self._changed)
        elif isinstance(widget, QSpinBox):
            widget.valueChanged.connect(self._changed)
        elif isinstance(widget, OptionalDateEdit):
            widget.sig_changed.connect(self._changed)
        return widget

    def focus_first(self) -> None:
        if self._fields:
            self._fields[0].setFocus()

    def _changed(self, *_args: object) -> None:
        if not self._loading:
            self.sig_edited.emit()

    def load(self, node: Any) -> None:
        self._loading = True
        try:
            self._fill(node)
        finally:
            self._loading = False

    # Each form fills its fields from a plan node (`_fill`) and reads them back (`values`).
    # (Declared, not stubbed: Qt objects skip abc's abstract-method check, so it would prove nothing.)
    _fill: Callable[[Any], None]
    values: Callable[[], dict[str, Any]]


class ProblemForm(_Form):
    def __init__(self) -> None:
        super().__init__()
        self.title = self.add("&Problem", line_edit("Problem title", "The presenting concern"))
        self.definition = self.add("&Behavioural definition", text_edit(
            "Behavioural definition", "How the problem shows in this client's life", 3))

    def _fill(self, node: Problem) -> None:
        self.title.setText(node.title)
        self.definition.setPlainText(node.behavioral_definition)

    def values(self) -> dict[str, Any]:
        return {
            "title": self.title.text().strip(),
            "behavioral_definition": self.definition.toPlainText().strip(),
        }


class GoalForm(_Form):
    def __init__(self) -> None:
        super().__init__()
        self.statement = self.add("&Goal", text_edit("Goal statement", "The goal in clinical wording", 2))
        self.client_words = self.add("In the &client's words", text_edit(
            "Goal in the client's own words", "What the client said they want, in their words", 2))
        self.agreed = self.add("", named(QCheckBox("&Agreed with the client"), "Goal agreed with the client"))

    def _fill(self, node: Goal) -> None:
        self.statement.setPlainText(node.statement)
        self.client_words.setPlainText(node.client_words)
        self.agreed.setChecked(node.agreed_with_client)

    def values(self) -> dict[str, Any]:
        return {
            "statement": self.statement.toPlainText().strip(),
            "client_words": self.client_words.toPlainText().strip(),
            "agreed_with_client": self.agreed.isChecked(),
        }


class ObjectiveForm(_Form):
    """A SMART objective: specific, measurable, achievable, relevant, time-bound."""

    def __init__(self) -> None:
        super().__init__()
        self.description = self.add("&Objective (specific)", text_edit("Objective description", "", 2))
        self.criterion = self.add("&Measurable criterion", line_edit(
            "Measurable criterion", "e.g. panic attacks per week, self-rated 0-10"))
        self.baseline = self.add("&Baseline", line_edit("Baseline", "Where things are now"))
        self.target = self.add("&Target (achievable)", line_edit("Target", "Where the client wants to be"))
        self.target_date = self.add("Target &date (time-bound)", OptionalDateEdit("Objective target date",
                                                                                    warn_past=True))
        self.measure = self.add("&Linked measure", line_edit("Linked measure", "e.g. PHQ-9 < 10"))
        self.status = self.add("&Status", named(QComboBox(), "Objective status"))
        for status in ObjectiveStatus:
            self.status.addItem(status.value, status.value)

    def _fill(self, node: Objective) -> None:
        self.description.setPlainText(node.description)
        self.criterion.setText(node.measurable_criterion)
        self.baseline.setText(node.baseline)
        self.target.setText(node.target)
        self.target_date.set_value(node.target_date)
        self.measure.setText(node.linked_measure)
        self.status.setCurrentIndex(self.status.findData(node.status.value))

    def values(self) -> dict[str, Any]:
        return {
            "description": self.description.toPlainText().strip(),
            "measurable_criterion": self.criterion.text().strip(),
            "baseline": self.baseline.text().strip(),
            "target": self.target.text().strip(),
            "target_date": self.target_date.value(),
            "linked_measure": self.measure.text().strip(),
            "status": ObjectiveStatus(self.status.currentData()),
        }


class InterventionForm(_Form):
    def __init__(self) -> None:
        super().__init__()
        self.technique = self.add(
            "&Technique", line_edit("Intervention technique", "e.g. interoceptive exposure")
        )
        self.modality = self.add("&Modality", named(QComboBox(), "Intervention modality"))
        self.modality.setEditable(True)
        self.modality.addItems(["", *(m.value for m in Modality)])
        self.frequency = self.add("&Frequency", line_edit("Intervention frequency", "e.g. every session"))

    def _fill(self, node: Intervention) -> None:
        self.technique.setText(node.technique)
        self.modality.setCurrentText(node.modality)
        self.frequency.setText(node.frequency)

    def values(self) -> dict[str, Any]:
        return {
            "technique": self.technique.text().strip(),
            "modality": self.modality.currentText().strip(),
            "frequency": self.frequency.text().strip(),
        }


class NodeDetail(QStackedWidget):
    """Shows the form for the selected node's kind."""

    sig_edited = Signal(str, object)
    """Emitted on any change; args: node id and the form's values."""

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Selected plan item")
        self.empty = QLabel("Select an item in the plan, or add a problem to start.")
        self.empty.setWordWrap(True)
        self.addWidget(self.empty)
        self.forms: dict[str, _Form] = {
            plan_edit.PROBLEM: ProblemForm(),
            plan_edit.GOAL: GoalForm(),
            plan_edit.OBJECTIVE: ObjectiveForm(),
            plan_edit.INTERVENTION: InterventionForm(),
        }
        self._node_id: str | None = None
        for form in self.forms.values():
            self.addWidget(form)
            form.sig_edited.connect(self._on_edited)

    def show_node(self, ref: plan_edit.NodeRef | None) -> None:
        self._node_id = ref.node.id if ref else None
        if ref is None:
            self.setCurrentWidget(self.empty)
            return
        form = self.forms[ref.kind]
        form.load(ref.node)
        self.setCurrentWidget(form)

    def current_form(self) -> _Form | None:
        widget = self.currentWidget()
        return widget if isinstance(widget, _Form) else None

    def _on_edited(self) -> None:
        form = self.current_form()
        if form is not None and self._node_id is not None:
            self.sig_edited.emit(self._node_id, form.values())


class PlanFieldsForm(_Form):
    """Plan-level fields, including everything Medicare expects (type, amount, frequency, duration)."""

    def __init__(self) -> None:
        super().__init__()
        self.diagnoses = self.add(
            "&Diagnoses", LinesEdit("Diagnoses", "One per line, e.g. F41.0 Panic disorder")
        )
        # The client's recorded ICD-10-CM diagnoses, offered as "code description" lines: picked, one
        # is added to the plan's list, code and description together (free text stays possible).
        self.coded = named(QComboBox(), "Add a recorded diagnosis")
        self.coded.activated.connect(self._add_coded)
        self.form.addRow("", self.coded)
        self.set_coded(())
        self.strengths = self.add("&Strengths", text_edit("Client strengths", "", 2))
        self.service_type = self.add("Type of &service", named(QComboBox(), "Type of service"))
        self.service_type.setEditable(True)
        self.service_type.addItems(["", *SERVICE_TYPES])
        self.session_length = self.add("Session &length", named(QSpinBox(), "Session length in minutes"))
        self.session_length.setRange(0, 600)
        self.session_length.setSuffix(" min")
        self.session_length.setSpecialValueText("not set")
        self.frequency = self.add("&Frequency", line_edit("Session frequency", "e.g. weekly"))
        self.duration = self.add("E&xpected duration", line_edit("Expected duration", "e.g. 16 weeks"))
        self.discharge = self.add("Disc&harge criteria", text_edit("Discharge criteria", "", 2))
        self.effective = self.add("&Effective from", OptionalDateEdit("Plan effective date"))
        self.review_due = self.add("&Review due", OptionalDateEdit("Plan review due date", warn_past=True))
        # A review 90 days after the plan takes effect (or after today), unless chosen otherwise.
        self.review_due.suggest = lambda: (self.effective.value() or today()) + timedelta(days=REVIEW_DAYS)
        self.agreement_date = self.add("Client &agreed on", OptionalDateEdit("Client agreement date"))
        self.agreement_how = self.add("Agreed &how", line_edit(
            "How the client agreed", "e.g. signed in session, verbal agreement"))

    def set_coded(self, lines: Sequence[str]) -> None:
        """Offer these diagnoses ('F41.1 Generalized anxiety disorder'); none: the picker hides."""
        self.coded.clear()
        self.coded.addItem("Add a recorded diagnosis…", "")
        for line in lines:
            self.coded.addItem(line, line)
        self.coded.setVisible(bool(lines))

    def _add_coded(self, index: int) -> None:
        line = str(self.coded.itemData(index) or "")
        self.coded.setCurrentIndex(0)
        if line and line not in self.diagnoses.lines():
            self.diagnoses.set_lines((*self.diagnoses.lines(), line))  # reported as an edit

    def _fill(self, plan: TreatmentPlan) -> None:
        self.diagnoses.set_lines(plan.diagnoses)
        self.strengths.setPlainText(plan.strengths)
        self.service_type.setCurrentText(plan.service_type)
        self.session_length.setValue(plan.session_length_minutes or 0)
        self.frequency.setText(plan.frequency)
        self.duration.setText(plan.expected_duration)
        self.discharge.setPlainText(plan.discharge_criteria)
        self.effective.set_value(plan.effective_date)
        self.review_due.set_value(plan.review_due)
        self.agreement_date.set_value(plan.client_agreement_date)
        self.agreement_how.setText(plan.client_agreement_how)
        # The client's agreement is recorded after signing, beside the plan (the signing row above the
        # tree); these fields show only on a plan made before that, which carries its agreement here.
        legacy = plan.client_agreement_date is not None or bool(plan.client_agreement_how.strip())
        for widget in (self.agreement_date, self.agreement_how):
            self.form.setRowVisible(widget, legacy)

    def values(self) -> dict[str, Any]:
        return {
            "diagnoses": self.diagnoses.lines(),
            "strengths": self.strengths.toPlainText().strip(),
            "service_type": self.service_type.currentText().strip(),
            "session_length_minutes": self.session_length.value() or None,
            "frequency": self.frequency.text().strip(),
            "expected_duration": self.duration.text().strip(),
            "discharge_criteria": self.discharge.toPlainText().strip(),
            "effective_date": self.effective.value(),
            "review_due": self.review_due.value(),
            "client_agreement_date": self.agreement_date.value(),
            "client_agreement_how": self.agreement_how.text().strip(),
        }
