"""Big, exclusive option buttons for one question: the building block of the questionnaire form."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPaintEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from notesdesk.ui.workspace.widgets import named

TOUCH = 56  # px: comfortably above the 44 px minimum touch target
ADVANCE_MS = 220  # a moment to see the chosen answer highlighted before the next question
MAX_WIDTH = 980  # questions and options stay readable on a wide screen
OPTION_SCALE = 1.25  # answer wording a little larger than the body text
PAD_X, PAD_Y = 12, 6  # px between an answer's frame and its words
# A chosen answer must be unmistakable at a glance and from across a desk: filled, bold, bordered.
# (The words are drawn by the button's own label, which turns bold and takes the highlight colour.)
OPTION_STYLE = (
    "QPushButton { border: 1px solid palette(mid); border-radius: 6px; background: palette(button); }"
    "QPushButton:hover { border: 2px solid palette(highlight); }"
    "QPushButton:checked { background: palette(highlight); border: 2px solid palette(dark); }"
)
CHOSEN_TEXT = "color: palette(highlighted-text);"


def scaled_font(widget: QWidget, scale: float, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    return font


def text_label(text: str = "", scale: float = 1.0, bold: bool = False, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setFont(scaled_font(label, scale, bold))
    label.setTextFormat(Qt.TextFormat.PlainText)
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


class OptionButton(QPushButton):
    """A big answer button whose words wrap onto a second line rather than being cut off, and which
    always leaves room for them in bold (the chosen answer's weight). text() is the full wording."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label.setFont(scaled_font(self, OPTION_SCALE))
        layout = QVBoxLayout(self)
        # the button's hints below decide
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(PAD_X, PAD_Y, PAD_X, PAD_Y)
        layout.addWidget(self.label)
        self.setCheckable(True)
        self.setMinimumHeight(TOUCH)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setStyleSheet(OPTION_STYLE)
        self.toggled.connect(self._show_checked)

    def _bold_metrics(self) -> QFontMetrics:
        return QFontMetrics(scaled_font(self, OPTION_SCALE, bold=True))

    def sizeHint(self) -> QSize:  # noqa: N802
        """The whole wording on one line, in bold."""
        width = self._bold_metrics().horizontalAdvance(self.text()) + 2 * PAD_X + 8
        return QSize(width, max(TOUCH, self.heightForWidth(width)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """Narrow enough to wrap, never narrower than the longest word in bold."""
        metrics = self._bold_metrics()
        word = max((metrics.horizontalAdvance(w) for w in self.text().split()), default=0)
        width = max(48, word + 2 * PAD_X + 8)
        return QSize(width, max(TOUCH, self.heightForWidth(width)))

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        inner = max(1, width - 2 * PAD_X - 4)
        metrics = self._bold_metrics()
        text = metrics.boundingRect(0, 0, inner, 10_000,
                                   int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), self.text())
        return max(TOUCH, text.height() + 2 * PAD_Y + 6)

    def _show_checked(self, on: bool) -> None:
        self.label.setFont(scaled_font(self, OPTION_SCALE, bold=on))
        self.label.setStyleSheet(CHOSEN_TEXT if on else "")

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""  # the label shows the words, wrapped
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)


class OptionRow(QWidget):
    """A set of big exclusive option buttons; `chosen` carries the option's index."""

    sig_chosen = Signal(int)

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
            button = named(OptionButton(text), f"{question}: {full}")
            self.group.addButton(button, i)
            self.buttons.append(button)
            if vertical and not low:
                grid.addWidget(button, i, 0)
            else:
                grid.addWidget(button, 0, i)
        if low or high:
            grid.addWidget(text_label(low, 0.95), 1, 0, 1, max(1, len(texts) // 2),
                           Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(text_label(high, 0.95), 1, len(texts) // 2, 1, len(texts) - len(texts) // 2,
                           Qt.AlignmentFlag.AlignRight)
        self.group.idClicked.connect(self._clicked)

    def _clicked(self, index: int) -> None:
        self.show_choice(index)
        self.sig_chosen.emit(index)

    def show_choice(self, index: int | None) -> None:
        for i, button in enumerate(self.buttons):
            button.setChecked(i == index)
