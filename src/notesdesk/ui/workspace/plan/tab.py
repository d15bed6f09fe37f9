"""The treatment plan tab: tree editor with detail forms, plan fields, activation (which signs), reviews,
versions. A signed version is shown read-only: Revise makes a new draft from it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.plans import ObjectiveStatus, PlanStatus, TreatmentPlan
from notesdesk.core.errors import InvalidInput
from notesdesk.core.services import diagnoses, measures, plans
from notesdesk.core.services.plan_rules import missing_for_country
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind
from notesdesk.ui.workspace.fitting import FittingTree
from notesdesk.ui.workspace.models import PlanTreeModel
from notesdesk.ui.workspace.plan import edit as plan_edit
from notesdesk.ui.workspace.plan.forms import NodeDetail, ObjectiveForm, PlanFieldsForm
from notesdesk.ui.workspace.plan.review import ComparePanel, ReviewPanel, version_label
from notesdesk.ui.workspace.plan.signing import SigningRow
from notesdesk.ui.workspace.plan.suggestions import SuggestionsPanel
from notesdesk.ui.workspace.widgets import Confirm, bold, named, scrolled

NARROW = 820  # below this width the form goes under the tree rather than beside it
ADD_UNDER = {  # button kind -> the kind of node it is added under
    plan_edit.GOAL: plan_edit.PROBLEM,
    plan_edit.OBJECTIVE: plan_edit.GOAL,
    plan_edit.INTERVENTION: plan_edit.OBJECTIVE,
}


class PlanTab(QWidget):
    """Writes go through the session (Kind.PLAN reaches the notes, homework and overview tabs). This tab
    alone writes plans, and after each write re-reads them itself: a review recorded while the plan has
    unsaved edits must keep those edits (`_on_reviewed`). New scores re-read the suggestions."""

    def __init__(self, ctx: AppContext, client_id: str, confirm: Confirm) -> None:
        super().__init__()
        self._ctx, self._client_id, self._confirm = ctx, client_id, confirm
        self._session = ctx.session.for_client(client_id)
        self._plan = TreatmentPlan(client_id=client_id)
        self._persisted = False
        self.dirty = False
        self._versions: list[TreatmentPlan] = []
        self._locked = False  # the version shown is signed: nothing in it can be edited

        self.title = bold(named(QLabel(), "Plan version and status"))
        self.title.setWordWrap(True)
        self.save_button = named(QPushButton("&Save draft"), "Save plan draft", "Save the plan (Ctrl+S)")
        self.activate_button = named(QPushButton("&Activate…"), "Activate plan",
                                     "Make this draft the active plan")
        self.model = PlanTreeModel(self)
        self.tree = FittingTree("Treatment plan: problems, goals, objectives, interventions")
        self.tree.setModel(self.model)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.add_buttons = {
            plan_edit.PROBLEM: named(QPushButton("Add &problem"), "Add problem"),
            plan_edit.GOAL: named(QPushButton("Add &goal"), "Add goal", "Add a goal to the selected problem"),
            plan_edit.OBJECTIVE: named(QPushButton("Add &objective"), "Add objective",
                                       "Add an objective to the selected goal"),
            plan_edit.INTERVENTION: named(QPushButton("Add &intervention"), "Add intervention",
                                          "Add an intervention to the selected objective"),
        }
        self.remove_button = named(QPushButton("&Remove"), "Remove selected plan item")
        self.up_button = named(QPushButton("Move &up"), "Move selected plan item up")
        self.down_button = named(QPushButton("Move do&wn"), "Move selected plan item down")
        self.detail = NodeDetail()
        self.suggestions = SuggestionsPanel()
        self._linked: tuple[tuple[str, str, str], ...] = ()  # what the suggestions were read for
        self.fields = PlanFieldsForm()
        objective = self.detail.forms[plan_edit.OBJECTIVE]
        if isinstance(objective, ObjectiveForm):  # a target date starts at the plan's review date
            objective.target_date.suggest = self.fields.review_due.value
        self.signing = SigningRow(ctx, client_id)
        self.reviews = ReviewPanel(ctx, client_id, confirm)
        self.compare = ComparePanel()
        self.pages = named(QTabWidget(), "Plan sections")
        self.pages.addTab(scrolled(self.detail, "Selected item form"), "Selected item")
        self.pages.addTab(scrolled(self.fields, "Plan details form"), "Plan details")
        self.pages.addTab(scrolled(self.reviews, "Reviews of the active plan"), "Reviews")
        self.pages.addTab(self.compare, "Compare versions")

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.save_button)
        top.addWidget(self.activate_button)
        grid = QGridLayout()  # two columns, so the plan fits a laptop screen beside the client list
        for i, button in enumerate(self.add_buttons.values()):
            grid.addWidget(button, i // 2, i % 2)
        edits = QHBoxLayout()
        for button in (self.remove_button, self.up_button, self.down_button):
            edits.addWidget(button)
        grid.addLayout(edits, 2, 0, 1, 2)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        # The buttons first: what the measures suggest appears and goes under the tree without moving
        # them (it used to push them up and down under the pointer).
        left_layout.addLayout(grid)
        left_layout.addWidget(self.tree, 1)
        left_layout.addWidget(self.suggestions)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.pages)
        self.splitter.setSizes([660, 540])  # the tree needs the room more than the form
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.signing)
        layout.addWidget(self.splitter, 1)

        self.save_button.clicked.connect(self.save)
        self.activate_button.clicked.connect(self.activate)
        for kind, button in self.add_buttons.items():
            button.clicked.connect(lambda _=False, k=kind: self.add_node(k))
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)
        self.detail.sig_edited.connect(self._on_node_edited)
        self.fields.sig_edited.connect(self._on_fields_edited)
        self.reviews.sig_reviewed.connect(self._on_reviewed)
        self.signing.sig_changed.connect(lambda _plan_id: self.reload())
        self.suggestions.sig_apply_requested.connect(self.apply_suggestion)
        self._session.on_change(self, {Kind.MEASURE}, self.refresh_suggestions)
        self._session.on_change(self, {Kind.DIAGNOSIS}, self.refresh_coded)
        self.reload()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        wanted = Qt.Orientation.Vertical if event.size().width() < NARROW else Qt.Orientation.Horizontal
        if self.splitter.orientation() != wanted:
            self.splitter.setOrientation(wanted)
            room = self.splitter.height() if wanted == Qt.Orientation.Vertical else self.splitter.width()
            self.splitter.setSizes([room * 3 // 5, room * 2 // 5] if wanted == Qt.Orientation.Vertical
                                   else [room * 11 // 20, room * 9 // 20])

    # -- loading ----------------------------------------------------------------------------------

    @property
    def plan(self) -> TreatmentPlan:
        return self._plan

    def reload(self) -> None:
        """Edit the newest version (a draft, or the active plan: saving that makes a new draft)."""
        versions = self._session.read(plans.plan_versions, self._client_id)
        if versions is None:
            return
        self._versions = versions
        self.refresh_coded()
        if versions:
            self._set_plan(versions[-1], persisted=True)
        else:  # a first plan starts from the client's recorded diagnoses
            self._set_plan(TreatmentPlan(client_id=self._client_id, diagnoses=self.coded), persisted=False)
        self.reviews.show_versions(versions)
        self.compare.show_versions(versions)

    def refresh_coded(self) -> None:
        """Offer the client's recorded diagnoses ("F41.1 Generalized anxiety disorder") to the plan's
        diagnoses field."""
        found = self._session.read(diagnoses.list_diagnoses, self._client_id) or []
        self.coded = tuple(f"{d.code} {d.description}" for d in found)
        self.fields.set_coded(self.coded)

    def _set_plan(self, plan: TreatmentPlan, persisted: bool) -> None:
        self._plan, self._persisted, self.dirty = plan, persisted, False
        self._locked = plan.is_signed
        for widget in (self.detail, self.fields, self.save_button):
            widget.setEnabled(not self._locked)
        self.save_button.setVisible(not self._locked)
        self.activate_button.setVisible(not self._locked)
        self.signing.show_plan(plan if persisted else None, self._versions)
        self.model.set_plan(plan)
        self.tree.expandAll()
        self.fields.load(plan)
        self._refresh_header()
        self._on_current_changed(self.tree.currentIndex(), QModelIndex())
        self.refresh_suggestions()

    def refresh_suggestions(self, force: bool = True) -> None:
        """Re-read what the scores suggest for the objectives of the plan being edited (when its links
        or statuses changed, or always when `force`)."""
        linked = tuple((o.id, o.linked_measure, o.status.value) for g in self._plan.goals()
                       for o in g.objectives if o.linked_measure.strip())
        if not force and linked == self._linked:
            return
        self._linked = linked
        found: list[measures.ObjectiveLink] = []
        if linked:
            found = self._session.read(measures.objective_suggestions, self._client_id, self._plan) or []
        self.suggestions.show_links(found)
        self.model.set_suggested({link.objective.id: link.suggestion.status.value for link in found
                                  if link.differs and link.suggestion and link.suggestion.status})

    def apply_suggestion(self, objective_id: str, status: ObjectiveStatus) -> None:
        """Take a suggested status into the plan being edited (saved as a draft or a new version). A
        signed version is revised first: the status goes into the new draft."""
        selected = self.selected_id()
        if self._locked:
            draft = self._session.write(plans.revise_plan, self._plan.id, change=Kind.PLAN)
            if draft is None:
                return
            self.reload()
        self._replace(plan_edit.update_node(self._plan, objective_id, status=status))
        if selected:
            self.select(selected)
        self.detail.show_node(self.model.ref_at(self.tree.currentIndex()))

    def show_version(self, plan_id: str) -> None:
        """The version being edited shows in the tree; any other one in the comparison, on the left."""
        if plan_id == self._plan.id:
            self.pages.setCurrentIndex(0)
            return
        row = self.compare.left_combo.findData(plan_id)
        if row >= 0:
            self.compare.left_combo.setCurrentIndex(row)
            self.pages.setCurrentWidget(self.compare)

    def _refresh_header(self) -> None:
        if not self._persisted:
            text = "New treatment plan (not saved yet)"
        else:
            text = version_label(self._plan)
            active = next((p for p in self._versions if p.status == PlanStatus.ACTIVE), None)
            if self._plan.is_signed:
                text += " — signed"
            elif self._plan.status != PlanStatus.DRAFT:
                text += " — editing it saves a new draft version"
            elif active is not None and active.id != self._plan.id:
                text += f" — version {active.version} stays active until this one is activated"
        if self.dirty:
            text += " — unsaved changes"
        self.title.setText(text)
        self.activate_button.setEnabled(self.dirty or self._plan.status == PlanStatus.DRAFT)

    def _mark_dirty(self) -> None:
        self.dirty = True
        self._refresh_header()

    # -- tree editing -----------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        ref = self.model.ref_at(self.tree.currentIndex())
        return ref.node.id if ref else None

    def select(self, node_id: str) -> None:
        index = self.model.index_of(node_id)
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        ref = self.model.ref_at(current)
        self.detail.show_node(ref)
        kind = ref.kind if ref else None
        for child_kind, button in self.add_buttons.items():
            parent_kind = ADD_UNDER.get(child_kind)
            button.setEnabled(not self._locked and (parent_kind is None or (
                ref is not None and plan_edit.ancestor(self._plan, ref.node.id, parent_kind) is not None
            )))
        for button in (self.remove_button, self.up_button, self.down_button):
            button.setEnabled(kind is not None and not self._locked)

    def add_node(self, kind: str) -> None:
        parent_kind = ADD_UNDER.get(kind)
        parent_id = None
        if parent_kind is not None:
            parent_id = plan_edit.ancestor(self._plan, self.selected_id(), parent_kind)
            if parent_id is None:
                label = plan_edit.KIND_LABELS[parent_kind].lower()
                self._ctx.errors.present(InvalidInput(f"Select a {label} first, then add to it."))
                return
        plan, node = plan_edit.add_child(self._plan, parent_id, plan_edit.new_node(kind))
        self._replace(plan)
        self.select(node.id)
        self.pages.setCurrentIndex(0)
        form = self.detail.current_form()
        if form is not None:
            form.focus_first()

    def remove_selected(self) -> None:
        node_id = self.selected_id()
        ref = plan_edit.find(self._plan, node_id) if node_id else None
        if ref is None:
            return
        label = f"{plan_edit.KIND_LABELS[ref.kind].lower()} '{plan_edit.title_of(ref.node)}'"
        if plan_edit.children(ref.node) and not self._confirm(
            self, "Remove from plan", f"Remove the {label} and everything under it?"
        ):
            return
        self._replace(plan_edit.remove_node(self._plan, ref.node.id))
        if ref.parent_id:
            self.select(ref.parent_id)

    def _move(self, step: int) -> None:
        node_id = self.selected_id()
        if node_id:
            self._replace(plan_edit.move_node(self._plan, node_id, step))
            self.select(node_id)

    def _replace(self, plan: TreatmentPlan) -> None:
        self._plan = plan
        self.model.set_plan(plan)
        self.tree.expandAll()
        self._mark_dirty()
        self.refresh_suggestions(force=False)

    def _on_node_edited(self, node_id: str, values: dict[str, Any]) -> None:
        self._plan = plan_edit.update_node(self._plan, node_id, **values)
        self.model.set_plan(self._plan)
        self._mark_dirty()
        self.refresh_suggestions(force=False)

    def _on_fields_edited(self) -> None:
        self._plan = replace(self._plan, **self.fields.values())
        self._mark_dirty()

    # -- saving -----------------------------------------------------------------------------------

    def flush(self) -> bool:
        """Save the plan draft and keep the review summary being typed; False when either failed."""
        kept = self.reviews.flush()
        saved = self.save() if self.dirty else True
        return saved and kept

    def save(self) -> bool:
        if self._locked or (not self.dirty and self._persisted):
            return True  # a signed version has nothing to save: it is revised, never edited
        if self._session.write(plans.save_plan, self._plan, change=Kind.PLAN) is None:
            return False
        selected = self.selected_id()
        self.reload()
        if selected:
            self.select(selected)
        return True

    def activate(self) -> None:
        if not self.signing.signer.ready():  # activating signs: name and credentials first
            return
        if not self.save():
            return
        # Only where the practice's country expects them (core/services/plan_rules.py).
        missing = missing_for_country(self._plan, self._ctx.vault.profile().locale)
        if missing:
            listed = "\n".join(f"• {item}" for item in missing)
            question = (
                "This plan is missing what Medicare expects before a plan is used:\n\n"
                f"{listed}\n\nActivate it anyway?"
            )
            if not self._confirm(self, "Activate plan", question):
                return
        if self._session.write(plans.activate_plan, self._plan.id, change=Kind.PLAN) is not None:
            self.reload()

    def _on_reviewed(self, plan: TreatmentPlan) -> None:
        if self.dirty:  # keep the unsaved edits; take the review's effects on the working copy
            if self._plan.id == plan.id:
                self._plan = replace(self._plan, reviews=plan.reviews, review_due=plan.review_due,
                                     status=plan.status)
            versions = self._session.read(plans.plan_versions, self._client_id)
            if versions is not None:
                self._versions = versions
                self.reviews.show_versions(versions)
                self.compare.show_versions(versions)
        else:
            self.reload()
