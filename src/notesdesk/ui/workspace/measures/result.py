"""What the clinician sees after an administration: total, band, change, and any flags.

A risk flag (PHQ-9 item 9 above 0, or left unanswered) gets a prominent box that asks — once — for a
risk assessment and a review of the safety plan, with buttons that go there. It never grades risk.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from notesdesk.core.measures import FlagKind, Instrument, ScoreResult
from notesdesk.core.measures.model import Kind
from notesdesk.core.services.measures import MeasureRow
from notesdesk.ui.widgets.ink import in_risk_ink
from notesdesk.ui.workspace.measures.data import FLAG_TITLES, RISK_KINDS, answers_text, change_text
from notesdesk.ui.workspace.widgets import bold, heading, named

RISK_HEADINGS = {
    FlagKind.RISK: "{name} item {item} was answered above {above}: please record a risk assessment and "
                   "review the safety plan before the session ends.",
    FlagKind.UNKNOWN_RISK: "{name} item {item} was not answered, so risk is unknown: please ask it "
                           "directly, record a risk assessment and review the safety plan.",
}
NOT_A_CLASSIFICATION = "This prompt does not classify risk: your assessment does."


def _wrapped(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setAccessibleName(name)
    return label


class RiskBox(QFrame):
    """The prompt after a risk flag, with the two places the clinician should go next."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("riskBox")
        in_risk_ink(self, lambda ink: f"#riskBox {{ border: 3px solid {ink.name()}; border-radius: 6px; "
                    f"background: rgba({ink.red()}, {ink.green()}, {ink.blue()}, 0.07); }}")
        self.setAccessibleName("Risk item flag")
        self.heading = heading("")
        in_risk_ink(self.heading, lambda ink: f"color: {ink.name()};")
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("What to do next")
        self.message = _wrapped(name="Risk flag message")
        self.caveat = bold(_wrapped(NOT_A_CLASSIFICATION, "About this flag"))
        self.note_button = named(QPushButton("Write a session note with the risk assessment"),
                                 "Write a new session note with the risk assessment")
        self.safety_button = named(QPushButton("Review the safety plan"), "Open the safety plan")
        for button in (self.note_button, self.safety_button):
            button.setMinimumHeight(44)
        buttons = QHBoxLayout()
        buttons.addWidget(self.note_button)
        buttons.addWidget(self.safety_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        for widget in (self.heading, self.message, self.caveat):
            layout.addWidget(widget)
        layout.addLayout(buttons)


class ResultPanel(QFrame):
    sig_new_note_requested = Signal()
    sig_safety_plan_requested = Signal()
    sig_dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Result of the questionnaire just given")
        self.headline = heading("")
        self.headline.setAccessibleName("Score")
        self.detail = _wrapped(name="How the score was reached")
        self.change = _wrapped(name="Change from baseline")
        self.flags = _wrapped(name="Other flags")
        self.risk = RiskBox()
        self.done_button = named(QPushButton("Done"), "Close the result")
        top = QHBoxLayout()
        top.addWidget(self.headline, 1)
        top.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.risk)
        for widget in (self.detail, self.change, self.flags):
            layout.addWidget(widget)
        self.risk.note_button.clicked.connect(self.sig_new_note_requested)
        self.risk.safety_button.clicked.connect(self.sig_safety_plan_requested)
        self.done_button.clicked.connect(self._dismiss)
        self.hide()

    def _dismiss(self) -> None:
        self.hide()
        self.sig_dismissed.emit()

    @property
    def risk_shown(self) -> bool:
        return not self.risk.isHidden()

    def show_result(self, inst: Instrument, result: ScoreResult, row: MeasureRow | None,
                    answers: tuple[int | None, ...]) -> None:
        when = f" on {row.administration.administered_on.isoformat()}" if row else ""
        if inst.kind is Kind.ALLIANCE:
            self.headline.setText(f"{inst.name}{when}: {answers_text(answers)} (items read one by one)")
        elif result.total is None:
            self.headline.setText(f"{inst.name}{when}: not scored")
        else:
            band = f" — {result.band}" if result.band else ""
            prorated = " (prorated)" if result.prorated else ""
            self.headline.setText(f"{inst.name}{when}: {result.total}{band}{prorated}")
        unusual = result.prorated or not result.scorable  # a plain sum needs no explaining
        detail = [result.explanation] if inst.kind is Kind.OUTCOME and unusual else []
        if result.functional:
            detail.append(f"Difficulty (not scored): {result.functional}.")
        self.detail.setText("\n".join(detail))
        self.detail.setVisible(bool(detail))

        change = ""
        if row is not None and row.change is not None:
            change = f"Change from baseline: {change_text(row)}. {row.change.rule}."
        elif row is not None and row.note:
            change = f"Change from baseline: {row.note}."
        self.change.setText(change)
        self.change.setVisible(bool(change))

        risk = [f for f in result.flags if f.kind in RISK_KINDS]
        if risk:
            first = risk[0]
            above = next((c.above for c in inst.critical_items if c.item == first.item), 0)
            self.risk.heading.setText(RISK_HEADINGS[first.kind].format(name=inst.name, item=first.item,
                                                                       above=above))
            # The heading says it once; only a second risk item (another instrument's) adds its words.
            self.risk.message.setText("\n".join(f.message for f in risk[1:]))
            self.risk.message.setVisible(len(risk) > 1)
        self.risk.setVisible(bool(risk))
        others = [f for f in result.flags if f.kind not in RISK_KINDS]
        if row is not None and row.alliance is not None:
            others += list(row.alliance.flags)
        self.flags.setText("\n".join(f"{FLAG_TITLES[f.kind]}: {f.message}" for f in others))
        self.flags.setVisible(bool(others))
        self.show()
