"""Plan reviews (recorded on the active plan) and two plan versions side by side."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.pending import PendingKind
from notesdesk.core.domain.plans import PlanStatus, ReviewOutcome, TreatmentPlan
from notesdesk.core.services import plans
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind
from notesdesk.ui.workspace.plan.text import compare, plan_lines, to_html
from notesdesk.ui.workspace.unsent import UnsentText
from notesdesk.ui.workspace.widgets import (
    Confirm,
    OptionalDateEdit,
    ask_confirm,
    date_edit,
    named,
    pydate,
    text_edit,
)

RESTORED = "Unrecorded review summary restored — check it, then Record review. Nothing was recorded."


def version_label(plan: TreatmentPlan) -> str:
    since = f", from {plan.effective_date.isoformat()}" if plan.effective_date else ""
    return f"Version {plan.version} ({plan.status.value}{since})"


class ReviewPanel(QWidget):
    sig_reviewed = Signal(object)
    """Emitted after a review was recorded; arg is the updated active plan."""

    def __init__(self, ctx: AppContext, client_id: str, confirm: Confirm = ask_confirm) -> None:
        super().__init__()
        self._ctx, self._client_id, self._confirm = ctx, client_id, confirm
        self._session = ctx.session.for_client(client_id)
        self.active_label = named(QLabel(), "Plan under review")
        self.active_label.setWordWrap(True)
        self.history = named(QTextBrowser(), "Reviews of the active plan")
        self.review_date = date_edit("Review date")
        self.outcome = named(QComboBox(), "Review outcome")
        for outcome in ReviewOutcome:
            self.outcome.addItem(outcome.value, outcome.value)
        self.summary = text_edit("Review summary", "e.g. Reviewed with the client; goals still relevant", 3)
        self.next_due = OptionalDateEdit("Next review due", "Set (default: in 90 days)")
        self.record_button = named(QPushButton("&Record review"), "Record review")
        self.discard_button = named(QPushButton("Discard…"), "Discard review summary",
                                    "Throw away the review summary typed here (it was not recorded)")
        self.unsent_label = named(QLabel(), "Unrecorded review summary")
        # The summary being typed is kept (never recorded) until recorded or discarded: see unsent.py.
        self.unsent = UnsentText(ctx, client_id, PendingKind.PLAN_REVIEW, self.summary, self.unsent_label,
                                 RESTORED, self.outcome, self)
        group = QGroupBox("Record a review")
        form = QFormLayout(group)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("&Date", self.review_date)
        form.addRow("&Outcome", self.outcome)
        form.addRow("S&ummary", self.summary)
        form.addRow("&Next review", self.next_due)
        form.addRow(self.unsent_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.record_button, 1)
        form.addRow(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.active_label)
        layout.addWidget(self.history, 1)
        layout.addWidget(group)
        self.record_button.clicked.connect(self.record)
        self.discard_button.clicked.connect(self.discard)
        self.summary.textChanged.connect(
            lambda: self.discard_button.setEnabled(bool(self.summary.toPlainText().strip()))
        )
        self.discard_button.setEnabled(False)

    def show_versions(self, versions: Sequence[TreatmentPlan]) -> None:
        active = next((p for p in reversed(versions) if p.status == PlanStatus.ACTIVE), None)
        self.record_button.setEnabled(active is not None)
        self.unsent.attach(active.id if active else "")  # "": typed while no plan is active
        if active is None:
            self.active_label.setText("Reviews are recorded on the active plan; no plan is active yet.")
            self.history.setHtml("")
            return
        due = active.review_due.isoformat() if active.review_due else "not set"
        self.active_label.setText(f"{version_label(active)} — next review due {due}")
        rows = [
            f"<p><b>{r.review_date.isoformat()} — {html.escape(r.outcome.value)}</b><br>"
            f"{html.escape(r.summary)}</p>"
            for r in active.reviews
        ]
        self.history.setHtml("".join(rows) or "<p>No reviews yet.</p>")

    def record(self) -> None:
        plan = self._session.write(
            plans.record_review, self._client_id,
            pydate(self.review_date.date()), ReviewOutcome(self.outcome.currentData()),
            self.summary.toPlainText().strip(), self.next_due.value(), discard_unsent=True,
            change=Kind.PLAN,
        )
        if plan is not None:
            self.unsent.forget()
            self.next_due.set_value(None)
            self.sig_reviewed.emit(plan)

    def flush(self) -> bool:
        """Keep the summary being typed; False when that failed (the text stays on screen)."""
        return self.unsent.flush()

    def discard(self) -> bool:
        """Throw away the summary typed here, after confirmation."""
        if not self.summary.toPlainText().strip():
            return False
        question = "Discard the review summary typed here? It was not recorded, and cannot be recovered."
        if not self._confirm(self, "Discard review summary", question):
            return False
        return self.unsent.discard()


class ComparePanel(QWidget):
    """A read-only comparison of two versions; lines that differ are marked ± and highlighted."""

    def __init__(self) -> None:
        super().__init__()
        self._versions: list[TreatmentPlan] = []
        self.left_combo = named(QComboBox(), "Earlier version to compare")
        self.right_combo = named(QComboBox(), "Later version to compare")
        for combo in (self.left_combo, self.right_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.left_view = named(QTextBrowser(), "Left version, read-only")
        self.right_view = named(QTextBrowser(), "Right version, read-only")
        self.note = named(QLabel(), "About the comparison")
        self.note.setWordWrap(True)
        grid = QGridLayout(self)
        grid.addWidget(self.left_combo, 0, 0)
        grid.addWidget(self.right_combo, 0, 1)
        grid.addWidget(self.left_view, 1, 0)
        grid.addWidget(self.right_view, 1, 1)
        grid.addWidget(self.note, 2, 0, 1, 2)
        grid.setRowStretch(1, 1)
        self.left_combo.currentIndexChanged.connect(self.refresh)
        self.right_combo.currentIndexChanged.connect(self.refresh)

    def show_versions(self, versions: Sequence[TreatmentPlan]) -> None:
        self._versions = list(versions)
        for combo in (self.left_combo, self.right_combo):
            combo.blockSignals(True)
            combo.clear()
            for plan in self._versions:
                combo.addItem(version_label(plan), plan.id)
        count = len(self._versions)
        self.left_combo.setCurrentIndex(max(0, count - 2))
        self.right_combo.setCurrentIndex(count - 1)
        for combo in (self.left_combo, self.right_combo):
            combo.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        left = self._pick(self.left_combo)
        right = self._pick(self.right_combo)
        if len(self._versions) < 2:
            self.note.setText("Only one version so far: saving changes to an active plan makes the next one.")
        else:
            self.note.setText("Lines marked ± differ between the two versions.")
        if left is None or right is None:
            empty = "<p>No saved plan versions yet.</p>"
            self.left_view.setHtml(empty)
            self.right_view.setHtml(empty)
            return
        a, b = compare(plan_lines(left), plan_lines(right))
        pal = self.palette()
        style = (
            f"font-weight:bold; background-color:{pal.color(QPalette.ColorRole.Highlight).name()};"
            f" color:{pal.color(QPalette.ColorRole.HighlightedText).name()}"
        )
        self.left_view.setHtml(to_html(a, style))
        self.right_view.setHtml(to_html(b, style))

    def _pick(self, combo: QComboBox) -> TreatmentPlan | None:
        plan_id = combo.currentData()
        return next((p for p in self._versions if p.id == plan_id), None)
