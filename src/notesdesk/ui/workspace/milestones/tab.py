"""Safety and integration milestones (grouped, status moves both ways, evidence from notes) and phase."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.care import DIMENSIONS, Milestone, MilestoneKind, MilestoneStatus
from notesdesk.core.domain.notes import SessionNote
from notesdesk.core.services import care, notes
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind
from notesdesk.ui.workspace.fitting import FittingTable
from notesdesk.ui.workspace.milestones.phase_panel import PhasePanel
from notesdesk.ui.workspace.models import MilestoneTableModel, StatusHistoryModel
from notesdesk.ui.workspace.notes.formatting import note_label
from notesdesk.ui.workspace.widgets import (
    bold,
    date_edit,
    named,
    pydate,
    scrolled,
    text_edit,
)

MIN_TITLE = 160  # px: a milestone's title is never narrower than this (it wraps instead)

GROUPS = (
    (MilestoneKind.SAFETY, "Safety milestones (physical, emotional, social, relational)"),
    (MilestoneKind.INTEGRATION, "Integration milestones (cognitive, emotional, behavioural)"),
    (MilestoneKind.CUSTOM, "Other milestones"),
)


class MilestonesTab(QWidget):
    """Writes go through the session (Kind.MILESTONE); the milestones follow every milestone change for
    this client, the evidence list every note change."""

    def __init__(self, ctx: AppContext, client_id: str) -> None:
        super().__init__()
        self._ctx, self._client_id = ctx, client_id
        self._session = ctx.session.for_client(client_id)
        self._milestones: list[Milestone] = []
        self._notes: list[SessionNote] = []
        self._selected: str | None = None
        self.phase = PhasePanel(ctx, client_id)
        self.models: dict[MilestoneKind, MilestoneTableModel] = {}
        self.views: dict[MilestoneKind, FittingTable] = {}
        self.groups: dict[MilestoneKind, QGroupBox] = {}
        left = QWidget()
        left_layout = QVBoxLayout(left)
        for kind, title in GROUPS:
            model = MilestoneTableModel(self)
            m = MilestoneTableModel
            # The title keeps a readable width and wraps; on a narrow screen the dates and then the
            # dimension give way (the title's tooltip says everything the row holds).
            view = FittingTable(model, title, m.COL_TITLE, min_stretch=MIN_TITLE,
                                drop=(m.COL_REACHED, m.COL_SINCE, m.COL_DIMENSION), cap=120, wrap=True)
            group = QGroupBox(title.split(" (")[0])  # short: the dimensions are in the table and tooltip
            group.setAccessibleName(title)
            group.setToolTip(title)
            QVBoxLayout(group).addWidget(view)
            left_layout.addWidget(group)
            view.selectionModel().currentRowChanged.connect(
                lambda current, _prev, k=kind: self._on_picked(k, current.row())
            )
            self.models[kind], self.views[kind], self.groups[kind] = model, view, group

        self.detail_title = bold(named(QLabel(), "Selected milestone"))
        self.detail_title.setWordWrap(True)
        self.criteria_label = named(QLabel(), "Milestone criteria")
        self.criteria_label.setWordWrap(True)
        self.history_model = StatusHistoryModel(self)
        self.history_view = FittingTable(self.history_model, "Status history of the selected milestone",
                                         StatusHistoryModel.COL_COMMENT, min_stretch=100, wrap=True)
        self.evidence_label = named(QLabel(), "Evidence notes")
        self.evidence_label.setWordWrap(True)
        self.new_status = named(QComboBox(), "New milestone status")
        for status in MilestoneStatus:
            self.new_status.addItem(status.value, status.value)
        self.status_date = date_edit("Status change date")
        self.status_comment = named(QLineEdit(), "Status change comment")
        self.status_comment.setPlaceholderText("What happened")
        self.status_comment.setToolTip("What happened: a setback is worth recording too")
        self.evidence_combo = named(QComboBox(), "Evidence: a session note")
        self.status_button = named(QPushButton("Change &status"), "Change milestone status")
        detail = QGroupBox("Selected milestone")
        detail_form = QFormLayout(detail)
        detail_form.addRow(self.detail_title)
        detail_form.addRow(self.criteria_label)
        detail_form.addRow(self.history_view)
        detail_form.addRow(self.evidence_label)
        detail_form.addRow("New s&tatus", self.new_status)
        detail_form.addRow("&Date", self.status_date)
        detail_form.addRow("C&omment", self.status_comment)
        detail_form.addRow("&Evidence", self.evidence_combo)
        detail_form.addRow(self.status_button)

        self.kind_combo = named(QComboBox(), "Milestone kind")
        for kind in MilestoneKind:
            self.kind_combo.addItem(kind.value, kind.value)
        self.dimension_combo = named(QComboBox(), "Milestone dimension")
        self.title_edit = named(QLineEdit(), "Milestone title")
        self.title_edit.setPlaceholderText("e.g. Sleeps most nights")
        self.criteria_edit = text_edit("Milestone criteria", "How you will both know it is reached", 2)
        self.start_status = named(QComboBox(), "Milestone starting status")
        for status in MilestoneStatus:
            self.start_status.addItem(status.value, status.value)
        self.add_button = named(QPushButton("Add &milestone"), "Add milestone")
        add = QGroupBox("Add a milestone")
        add_form = QFormLayout(add)
        add_form.addRow("&Kind", self.kind_combo)
        add_form.addRow("Dime&nsion", self.dimension_combo)
        add_form.addRow("T&itle", self.title_edit)
        add_form.addRow("C&riteria", self.criteria_edit)
        add_form.addRow("St&arting status", self.start_status)
        add_form.addRow(self.add_button)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(detail)
        right_layout.addWidget(add)
        right_layout.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scrolled(left, "Milestones"))
        splitter.addWidget(scrolled(right, "Milestone details"))
        splitter.setSizes([650, 550])
        layout = QVBoxLayout(self)
        layout.addWidget(self.phase)
        layout.addWidget(splitter, 1)

        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.add_button.clicked.connect(self.add_milestone)
        self.status_button.clicked.connect(self.change_status)
        self._session.on_change(self, {Kind.MILESTONE}, self.reload)
        self._session.on_change(self, {Kind.NOTE}, self.refresh_notes)
        self._on_kind_changed()
        self.refresh_notes()
        self.reload()

    def reload(self) -> None:
        found = self._session.read(care.list_milestones, self._client_id)
        if found is None:
            return
        self._milestones = found
        for kind, model in self.models.items():
            rows = [m for m in found if m.kind == kind]
            model.set_rows(rows)
            self.views[kind].setMinimumHeight(min(6, max(2, len(rows) + 1)) * 30)
        self.groups[MilestoneKind.CUSTOM].setVisible(bool(self.models[MilestoneKind.CUSTOM].rowCount()))
        self._select(self._selected)

    def refresh_notes(self) -> None:
        found = self._session.read(notes.list_notes, self._client_id)
        self._notes = found if found is not None else []
        self.evidence_combo.clear()
        self.evidence_combo.addItem("(no note)", None)
        for note in self._notes:
            self.evidence_combo.addItem(note_label(note), note.id)
        known = {note.id for note in self._notes}
        if found is not None and any(i not in known for m in self._milestones for i in m.evidence_note_ids):
            self.reload()  # a deleted draft was taken out of the evidence: show the milestones as stored

    def _select(self, milestone_id: str | None) -> None:
        self._selected = milestone_id
        milestone = next((m for m in self._milestones if m.id == milestone_id), None)
        for kind, model in self.models.items():
            row = model.row_of(milestone_id) if milestone and milestone.kind == kind else -1
            view = self.views[kind]
            view.blockSignals(True)
            view.selectionModel().blockSignals(True)
            if row >= 0:
                view.selectRow(row)
            else:
                view.clearSelection()
            view.selectionModel().blockSignals(False)
            view.blockSignals(False)
        self.status_button.setEnabled(milestone is not None)
        if milestone is None:
            self.detail_title.setText("Select a milestone to see its history.")
            self.criteria_label.setText("")
            self.history_model.set_rows([])
            self.evidence_label.setText("")
            return
        where = milestone.dimension or milestone.custom_kind or milestone.kind.value
        status = milestone.status.value
        self.detail_title.setText(f"{milestone.title} — {milestone.kind.value}, {where}: {status}")
        self.criteria_label.setText(f"Criteria: {milestone.criteria}" if milestone.criteria else "")
        self.history_model.set_rows(list(milestone.history))
        self.new_status.setCurrentIndex(self.new_status.findData(milestone.status.value))
        labels = {n.id: note_label(n) for n in self._notes}
        evidence = [labels.get(i, "a removed note") for i in milestone.evidence_note_ids]
        self.evidence_label.setText("Evidence: " + ("; ".join(evidence) if evidence else "none linked yet"))

    def _on_picked(self, kind: MilestoneKind, row: int) -> None:
        milestone = self.models[kind].row_at(row)
        if milestone is not None:
            self._select(milestone.id)

    def _on_kind_changed(self) -> None:
        kind = MilestoneKind(self.kind_combo.currentData())
        self.dimension_combo.clear()
        self.dimension_combo.addItems(list(DIMENSIONS[kind]))
        self.dimension_combo.setEditable(kind == MilestoneKind.CUSTOM)
        typed = self.dimension_combo.lineEdit()  # there while the combo is editable
        if kind == MilestoneKind.CUSTOM and typed is not None:
            typed.setPlaceholderText("Name this kind, e.g. preparation")

    def flush(self) -> bool:
        """Before lock, close or a client switch: a typed milestone is added and a typed status comment
        recorded (with the status shown). False when that failed."""
        added = not (self.title_edit.text().strip() or self.criteria_edit.toPlainText().strip()) \
            or self.add_milestone()
        comment = bool(self.status_comment.text().strip()) and self._selected is not None
        return added and (not comment or self.change_status())

    def add_milestone(self) -> bool:
        kind = MilestoneKind(self.kind_combo.currentData())
        text = self.dimension_combo.currentText().strip()
        milestone = Milestone(
            client_id=self._client_id,
            kind=kind,
            title=self.title_edit.text().strip(),
            dimension="" if kind == MilestoneKind.CUSTOM else text,
            custom_kind=text if kind == MilestoneKind.CUSTOM else "",
            criteria=self.criteria_edit.toPlainText().strip(),
            status=MilestoneStatus(self.start_status.currentData()),
        )
        added = self._session.write(care.add_milestone, milestone, change=Kind.MILESTONE)
        if added is None:
            return False
        self.title_edit.clear()
        self.criteria_edit.clear()
        self._select(added.id)
        return True

    def change_status(self) -> bool:
        if self._selected is None:
            return False
        updated = self._session.write(
            care.set_milestone_status, self._selected, MilestoneStatus(self.new_status.currentData()),
            pydate(self.status_date.date()), self.status_comment.text().strip(),
            self.evidence_combo.currentData(), change=Kind.MILESTONE,
        )
        if updated is None:
            return False
        self.status_comment.clear()
        self.evidence_combo.setCurrentIndex(0)
        self._select(updated.id)
        return True
