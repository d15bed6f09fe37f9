"""A note's risk, as the clinician records it: a level (none, low, moderate, high) with the factors behind
it and the plan agreed. The flags follow the level of signed notes, never the wording
(core/measures/risk_loop.py), so a documented negative screen is recorded as "None", not as text."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QPlainTextEdit, QWidget

from notesdesk.core.domain.notes import RiskAssessment, RiskLevel, SessionNote
from notesdesk.ui.workspace.widgets import named, text_edit

NOT_ASSESSED = "Not assessed"
LEVEL_WORDS = {RiskLevel.NONE: "None", RiskLevel.LOW: "Low", RiskLevel.MODERATE: "Moderate",
               RiskLevel.HIGH: "High"}


def risk_summary(note: SessionNote) -> str:
    """One note's risk in words, as a signed note shows it (levels capitalised)."""
    lines = note.risk_text.splitlines()
    if note.risk is not None:
        lines[0] = f"Risk level: {LEVEL_WORDS[note.risk.level]}"
    return "\n".join(lines)


class RiskFields(QWidget):
    """The level, then the factors and the plan (which wait for a level: risk is recorded, not implied)."""

    sig_changed = Signal()
    """Emitted when the user changes the level or either text."""

    def __init__(self) -> None:
        super().__init__()
        self.level = named(QComboBox(), "Risk level", "Your judgement of risk at this session; moderate "
                           "and high are flagged once the note is signed")
        self.level.addItem(NOT_ASSESSED, None)
        for level, word in LEVEL_WORDS.items():
            self.level.addItem(word, level.value)
        self.factors = text_edit("Risk factors", "Risk and protective factors behind the level", 2)
        self.plan = text_edit("Risk plan", "What was agreed: safety plan, follow-up, who to contact", 2)
        self._noted = ""  # a note's older free-text risk line, kept as it was
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Level", self.level)
        form.addRow("Factors", self.factors)
        form.addRow("Plan", self.plan)
        self.level.currentIndexChanged.connect(self._on_level)
        self.factors.textChanged.connect(self.sig_changed)
        self.plan.textChanged.connect(self.sig_changed)
        self._enable()

    def text_edits(self) -> list[QPlainTextEdit]:
        return [self.factors, self.plan]

    def _enable(self) -> None:
        chosen = self.level.currentData() is not None
        for edit in self.text_edits():
            edit.setEnabled(chosen)

    def _on_level(self, _row: int) -> None:
        self._enable()
        self.sig_changed.emit()

    def load(self, note: SessionNote) -> None:
        risk = note.risk
        self.level.blockSignals(True)
        self.level.setCurrentIndex(max(0, self.level.findData(risk.level.value if risk else None)))
        self.level.blockSignals(False)
        self.factors.setPlainText(risk.factors if risk else "")
        self.plan.setPlainText(risk.plan if risk else "")
        self._noted = note.risk_noted
        self._enable()

    def value(self) -> RiskAssessment | None:
        data = self.level.currentData()
        if data is None:
            return None
        factors, plan = self.factors.toPlainText().strip(), self.plan.toPlainText().strip()
        return RiskAssessment(RiskLevel(data), factors, plan)

    @property
    def noted(self) -> str:
        return self._noted

    def set_read_only(self, read_only: bool) -> None:
        self.level.setEnabled(not read_only)
        for edit in self.text_edits():
            edit.setReadOnly(read_only)
