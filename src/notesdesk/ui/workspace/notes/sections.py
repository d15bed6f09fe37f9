"""A note's sections, each a heading and a text field that grows with its text.

A "goal" section (GIRP) can take the objectives ticked under "Objectives addressed" from the active
plan, and an "intervention" section (BIRP, GIRP) the plan's interventions: one click, one undo step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Signal
from PySide6.QtGui import QResizeEvent, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.notes import Section
from notesdesk.core.domain.plans import TreatmentPlan
from notesdesk.ui.workspace.widgets import bold, named

GOAL, INTERVENTION = "goal", "intervention"
FROM_PLAN = (GOAL, INTERVENTION)
NO_PLAN = "No active treatment plan to insert from"
TICK_FIRST = "Tick the objectives addressed (under 'Plan, homework and risk') to insert them here"
NO_INTERVENTIONS = "The active plan lists no interventions"


def objective_lines(plan: TreatmentPlan | None, objective_ids: Iterable[str]) -> list[str]:
    """One line per ticked objective, in plan order, with its goal."""
    wanted = set(objective_ids)
    if plan is None:
        return []
    return [f"{goal.statement} — objective: {obj.description}"
            for goal in plan.goals() for obj in goal.objectives if obj.id in wanted]


def intervention_lines(plan: TreatmentPlan | None, objective_ids: Iterable[str]) -> list[str]:
    """The interventions under the ticked objectives (every one in the plan when none is ticked)."""
    if plan is None:
        return []
    wanted = set(objective_ids)
    lines: list[str] = []
    for goal in plan.goals():
        for obj in goal.objectives:
            if wanted and obj.id not in wanted:
                continue
            for item in obj.interventions:
                how = ", ".join(part for part in (item.modality, item.frequency) if part)
                line = item.technique + (f" ({how})" if how else "")
                if item.technique and line not in lines:
                    lines.append(line)
    return lines


def append_lines(edit: QPlainTextEdit, lines: Sequence[str]) -> int:
    """Add the lines the text does not have yet at its end, as one undo step; returns how many."""
    have = {line.strip() for line in edit.toPlainText().splitlines()}
    new = [line for line in lines if line.strip() not in have]
    if not new:
        return 0
    text = edit.toPlainText()
    cursor = edit.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText(("\n" if text and not text.endswith("\n") else "") + "\n".join(new))
    edit.setTextCursor(cursor)
    return len(new)


class SectionEdit(QPlainTextEdit):
    """A section's text field, as tall as its text wrapped at its own width: a signed (read-only)
    section shows all of it with no inner scroll bar; one being written grows up to `max_lines`
    lines (then scrolls, so the cursor stays in view) and is never shorter than `min_lines`."""

    def __init__(self, text: str = "", min_lines: int = 4, max_lines: int = 24) -> None:
        super().__init__(text)
        self.min_lines, self.max_lines = min_lines, max_lines
        self._measured: tuple[tuple[int, int, bool], int] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setTabChangesFocus(True)
        self.textChanged.connect(self.updateGeometry)

    def _lines(self, lines: int) -> int:
        return self.fontMetrics().lineSpacing() * lines

    def text_height(self) -> int:
        """The document's height in px when wrapped at the viewport's present width."""
        width = max(40, self.viewport().width())
        key = (self.document().revision(), width, self.isReadOnly())
        if self._measured is None or self._measured[0] != key:
            # The plain-text layout counts only the lines it has laid out so far; a copy laid out
            # in full at this width gives the real wrapped height.
            copy = self.document().clone(self)
            copy.setDefaultFont(self.font())
            copy.setTextWidth(width)
            height = math.ceil(copy.size().height())
            copy.deleteLater()
            self._measured = (key, height)
        return self._measured[1]

    def _height(self) -> int:
        chrome = 2 * self.frameWidth() + self.contentsMargins().top() + self.contentsMargins().bottom()
        least = self._lines(self.min_lines) + 12
        text = self.text_height() + self.fontMetrics().lineSpacing() // 2  # a little air under the text
        if not self.isReadOnly():
            text = min(text, self._lines(self.max_lines) + 12)
        return max(least, text) + chrome

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().sizeHint().width(), self._height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().minimumSizeHint().width(), self._height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the text wraps to the new width: a new height

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.ReadOnlyChange, QEvent.Type.FontChange):
            self.updateGeometry()


class SectionsBox(QWidget):
    """Builds a heading and field per section; "Insert from plan" beside the goal and intervention."""

    sig_insert_requested = Signal(str)
    """The user asked to fill a section from the plan; arg is the section key."""
    sig_edited = Signal()
    """Emitted when the user changes any section's text."""

    def __init__(self, focus_watcher: QObject) -> None:
        super().__init__()
        self._watcher = focus_watcher
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.edits: dict[str, QPlainTextEdit] = {}
        self.insert_buttons: dict[str, QPushButton] = {}
        self.titles: list[tuple[str, str]] = []

    def build(self, sections: Sequence[Section]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone at once, not when the event loop gets to deleting it
                widget.deleteLater()
        self.edits, self.insert_buttons = {}, {}
        self.titles = [(s.key, s.title) for s in sections]
        for section in sections:
            label = bold(QLabel(section.title))
            label.setWordWrap(True)  # a long heading of one's own template wraps, not widens the editor
            edit = named(SectionEdit(section.text), f"{section.title} section")
            label.setBuddy(edit)
            edit.textChanged.connect(self.sig_edited)
            edit.installEventFilter(self._watcher)
            head: QWidget = label
            if section.key in FROM_PLAN:
                head = QWidget()
                row = QHBoxLayout(head)
                row.setContentsMargins(0, 0, 0, 0)
                row.addWidget(label)
                row.addStretch(1)
                button = named(QPushButton("Insert from plan"), f"{section.title}: insert from the plan")
                button.clicked.connect(lambda _=False, key=section.key: self.sig_insert_requested.emit(key))
                row.addWidget(button)
                self.insert_buttons[section.key] = button
            self._layout.addWidget(head)
            self._layout.addWidget(edit)
            self.edits[section.key] = edit

    def texts(self) -> tuple[Section, ...]:
        return tuple(Section(key, title, self.edits[key].toPlainText()) for key, title in self.titles)

    def update_buttons(self, plan: TreatmentPlan | None, ticked: Sequence[str], read_only: bool) -> None:
        """Shown on drafts; usable when the plan has something to insert (a goal needs ticked objectives)."""
        for key, button in self.insert_buttons.items():
            button.setVisible(not read_only)
            if plan is None:
                usable, why = False, NO_PLAN
            elif key == GOAL:
                usable, why = bool(ticked), TICK_FIRST
            else:
                usable, why = bool(intervention_lines(plan, ())), NO_INTERVENTIONS
            button.setEnabled(usable)
            button.setToolTip("" if usable else why)
            if usable:
                what = "the ticked objectives" if key == GOAL else "the plan's interventions"
                button.setToolTip(f"Add {what} from the active plan to this section")

    def insert_from_plan(self, key: str, plan: TreatmentPlan | None, ticked: Sequence[str]) -> int:
        lines = objective_lines(plan, ticked) if key == GOAL else intervention_lines(plan, ticked)
        edit = self.edits[key]
        added = append_lines(edit, lines)
        edit.setFocus()
        return added
