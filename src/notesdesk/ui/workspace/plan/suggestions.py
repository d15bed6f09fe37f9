"""What the scores suggest for objectives linked to a measure ("PHQ-9 < 10"), beside each objective,
with one click to take the suggested status into the plan being edited. It only suggests."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

from notesdesk.core.domain.plans import ObjectiveStatus
from notesdesk.core.services.measures import ObjectiveLink
from notesdesk.ui.workspace.widgets import named


def suggestion_text(link: ObjectiveLink) -> str:
    """'<b>Less worry</b>: latest GAD-7 8 on 2024-05-01 meets 'GAD-7 < 10'; confirm it is sustained —
    suggests <b>achieved</b> (recorded: in progress)' (rich text)."""
    obj, found = link.objective, link.suggestion
    head = f"<b>{html.escape(obj.description)}</b>: "
    if found is None:
        return head + html.escape(link.problem)
    text = head + html.escape(found.reason)
    if found.status is None:
        return text
    if link.differs:
        return f"{text} — suggests <b>{found.status.value}</b> (recorded: {obj.status.value})"
    return f"{text} — agrees with the recorded status ({obj.status.value})"


class SuggestionsPanel(QGroupBox):
    """One line per objective with a linked measure; "Apply" where the suggestion differs."""

    sig_apply_requested = Signal(str, object)
    """The user took a suggestion; args: objective id and the suggested ObjectiveStatus."""

    def __init__(self) -> None:
        super().__init__("Measures suggest")
        self.setAccessibleName("Objective status suggested by the measures")
        self.setToolTip("From the scores of the current episode of care; you decide.")
        self._grid = QGridLayout(self)
        self._grid.setColumnStretch(0, 1)
        self.labels: dict[str, QLabel] = {}
        self.apply_buttons: dict[str, QPushButton] = {}
        self.hide()

    def show_links(self, links: Sequence[ObjectiveLink]) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget: QWidget | None = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.labels, self.apply_buttons = {}, {}
        for row, link in enumerate(links):
            obj = link.objective
            label = named(QLabel(suggestion_text(link)), f"Suggestion for {obj.description}")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._grid.addWidget(label, row, 0)
            self.labels[obj.id] = label
            status = link.suggestion.status if link.suggestion else None
            if link.differs and status is not None:
                button = named(QPushButton("Apply"), f"Set '{obj.description}' to {status.value}",
                               f"Set this objective's status to {status.value} in the plan being edited")
                button.clicked.connect(lambda _=False, o=obj.id, s=status: self._apply(o, s))
                self._grid.addWidget(button, row, 1, Qt.AlignmentFlag.AlignTop)
                self.apply_buttons[obj.id] = button
        self.setVisible(bool(links))

    def _apply(self, objective_id: str, status: ObjectiveStatus) -> None:
        self.sig_apply_requested.emit(objective_id, status)
