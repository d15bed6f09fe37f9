"""Big, exclusive option buttons for one question: the building block of the questionnaire form."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QPushButton, QSizePolicy, QWidget

from notesdesk.ui.workspace.widgets import named

TOUCH = 56  # px: comfortably above the 44 px minimum touch target
ADVANCE_MS = 220  # a moment to see the chosen answer highlighted before the next question
MAX_WIDTH = 980  # questions and options stay readable on a wide screen
# A chosen answer must be unmistakable at a glance and from across a desk: filled, bold, bordered.
OPTION_STYLE = (
    "QPushButton {{ font-size: {size:.1f}pt; padding: 6px 10px; border: 1px solid palette(mid); "
    "border-radius: 6px; background: palette(button); }}"
    "QPushButton:hover {{ border: 2px solid palette(highlight); }}"
    "QPushButton:checked {{ background: palette(highlight); color: palette(highlighted-text); "
    "font-weight: bold; border: 2px solid palette(dark); }}"
)


def scaled_font(widget: QWidget, scale: float, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    return font


def text_label(text: str = "", scale: float = 1.0, bold: bool = False, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setFont(scaled_font(label, scale, bold))
    label.setTextFormat(Qt.PlainText)
    if name:
        label.setAccessibleName(name)
    return label


def option_texts(labels: list[str]) -> tuple[list[str], str, str]:
    """Long scales (0–10) show the numbers on the buttons and the anchor words beside them."""
    if len(labels) <= 6:
        return labels, "", ""
    short = [label.split("—")[0].strip() for label in labels]
    anchor = lambda label: label.split("—", 1)[1].strip() if "—" in label else ""  # noqa: E731
    return short, anchor(labels[0]), anchor(labels[-1])


class OptionRow(QWidget):
    """A set of big exclusive option buttons; `chosen` carries the option's index."""

    chosen = Signal(int)

    def __init__(self, labels: list[str], question: str, vertical: bool) -> None:
        super().__init__()
        texts, low, high = option_texts(labels)
        self.buttons: list[QPushButton] = []
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # so an answer can be shown as 'none yet'
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for i, (text, full) in enumerate(zip(texts, labels, strict=True)):
            button = named(QPushButton(text), f"{question}: {full}")
            button.setCheckable(True)
            button.setMinimumHeight(TOUCH)
            button.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
            button.setMinimumWidth(48)
            button.setStyleSheet(OPTION_STYLE.format(size=button.font().pointSizeF() * 1.25))
            self.group.addButton(button, i)
            self.buttons.append(button)
            if vertical and not low:
                grid.addWidget(button, i, 0)
            else:
                grid.addWidget(button, 0, i)
        if low or high:
            grid.addWidget(text_label(low, 0.95), 1, 0, 1, max(1, len(texts) // 2), Qt.AlignLeft)
            grid.addWidget(text_label(high, 0.95), 1, len(texts) // 2, 1, len(texts) - len(texts) // 2,
                           Qt.AlignRight)
        self.group.idClicked.connect(self._clicked)

    def _clicked(self, index: int) -> None:
        self.show_choice(index)
        self.chosen.emit(index)

    def show_choice(self, index: int | None) -> None:
        for i, button in enumerate(self.buttons):
            button.setChecked(i == index)
