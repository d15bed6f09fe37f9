"""The overview: where the client is at a glance. Read-only; refreshed after every change."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from notesdesk.core.domain.common import today
from notesdesk.ui.context import AppContext
from notesdesk.ui.workspace.measures_overview import MeasuresSummary
from notesdesk.ui.workspace.overview_data import OverviewData, load_overview
from notesdesk.ui.workspace.widgets import named, scrolled


def _esc(text: str) -> str:
    return html.escape(text)


def _list(items: list[str], empty: str) -> str:
    if not items:
        return f"<p>{_esc(empty)}</p>"
    return "<ul style='margin-left:-20px'>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


class OverviewTab(QWidget):
    def __init__(self, ctx: AppContext, client_id: str) -> None:
        super().__init__()
        self._ctx, self._client_id = ctx, client_id
        self.data: OverviewData | None = None
        self.labels: dict[str, QLabel] = {}
        inner = QWidget()
        grid = QGridLayout(inner)
        parts = [
            ("phase", "Phase of care"),
            ("plan", "Treatment plan and next review"),
            ("goals", "Goals and their status"),
            ("homework", "Homework adherence (last 4 weeks)"),
            ("milestones", "Milestones reached"),
            ("safety", "Safety plan"),
        ]
        for i, (key, title) in enumerate(parts):
            box = QGroupBox(title)
            box.setAccessibleName(title)
            label = named(QLabel(), title)
            label.setWordWrap(True)
            label.setTextFormat(Qt.RichText)
            label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
            label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
            QVBoxLayout(box).addWidget(label)
            self.labels[key] = label
            grid.addWidget(box, i // 2, i % 2)
        # Outcome measures: the latest score of each instrument with its change label, and the flags.
        self.measures_slot = QGroupBox("Measures")
        self.measures_slot.setAccessibleName("Outcome measures")
        self.measures_summary = MeasuresSummary(ctx, client_id)
        QVBoxLayout(self.measures_slot).addWidget(self.measures_summary)
        grid.addWidget(self.measures_slot, (len(parts) + 1) // 2, 0, 1, 2)
        grid.setRowStretch((len(parts) + 1) // 2 + 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolled(inner, "Client overview"))
        self.refresh()

    def text(self, key: str) -> str:
        return self.labels[key].text()

    def refresh(self) -> None:
        try:
            data = load_overview(self._ctx.uow, self._client_id, today())
            self.measures_summary.refresh()
        except Exception as exc:
            self._ctx.errors.present(exc)
            return
        self.data = data
        since = f" (since {data.phase_since.isoformat()})" if data.phase_since else ""
        self.labels["phase"].setText(
            f"<b>{_esc(data.phase)}</b>{since}" if data.phase else "Not set yet (Milestones tab)"
        )
        if data.next_review is None:
            review = "No review date (no active plan)"
        elif data.review_overdue:
            review = f"<b>Review overdue: was due {data.next_review.isoformat()}</b>"
        else:
            review = f"Next review due {data.next_review.isoformat()}"
        self.labels["plan"].setText(f"{_esc(data.plan_label)}<br>{review}")
        goals = []
        for goal in data.goals:
            words = f"<br><i>“{_esc(goal.client_words)}”</i>" if goal.client_words else ""
            goals.append(f"{_esc(goal.statement)} — <b>{_esc(goal.status)}</b>{words}")
        self.labels["goals"].setText(_list(goals, "No goals yet"))
        if data.adherence is None:
            adherence = "No check-ins in the last 4 weeks"
        else:
            plural = "s" if data.checkins != 1 else ""
            adherence = f"<b>{data.adherence:.0%}</b> done ({data.checkins} check-in{plural})"
        if data.overdue:
            adherence += f"<br><b>{data.overdue} overdue</b>"
        self.labels["homework"].setText(adherence)
        reached = [
            f"{_esc(m.title)} — {_esc(m.kind)}{', ' + _esc(m.dimension) if m.dimension else ''}, "
            f"{_esc(m.status)}{' on ' + m.reached_on.isoformat() if m.reached_on else ''}"
            for m in data.milestones_reached
        ]
        total = f"<p>{len(data.milestones_reached)} of {data.milestones_total} reached</p>"
        self.labels["milestones"].setText(
            (total if data.milestones_total else "") + _list(reached, "None reached yet")
        )
        self.labels["safety"].setText(_esc(data.safety_plan))
