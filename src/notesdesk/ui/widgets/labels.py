"""Labels sized relative to the system font (never fixed sizes or colours)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QStyle, QWidget

ELIDES = "notesdesk_elides"
"""A widget property: this widget shortens its text on purpose (and gives the whole text elsewhere,
in a tooltip); tests/ui/clipping.py checks every other label, button and header for cut-off text."""


def declare_elides[W: QWidget](widget: W) -> W:
    widget.setProperty(ELIDES, True)
    return widget


def fit_placeholder(edit: QLineEdit) -> QLineEdit:
    """At least as wide as its placeholder (and the clear button's room): a hint is never cut off."""
    metrics = edit.fontMetrics()
    room = metrics.horizontalAdvance(edit.placeholderText()) + metrics.averageCharWidth() * 2
    if edit.isClearButtonEnabled():
        room += metrics.height() + 8
    edit.setMinimumWidth(max(edit.minimumWidth(), room + 2 * edit.style().pixelMetric(
        QStyle.PixelMetric.PM_DefaultFrameWidth)))
    return edit


def scaled_font(base: QFont, factor: float, bold: bool = False) -> QFont:
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    else:
        font.setPixelSize(max(1, round(font.pixelSize() * factor)))
    font.setBold(bold)
    return font


def heading(text: str, parent: QWidget | None = None, factor: float = 1.5) -> QLabel:
    label = QLabel(text, parent)
    label.setFont(scaled_font(label.font(), factor, bold=True))
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


def paragraph(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def monospace(factor: float = 1.0, bold: bool = False) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    return scaled_font(font, factor, bold)


class InlineMessage(QWidget):
    """A one-line problem shown next to the field it concerns, with the style's warning icon.
    `Notice` is the same line for something that worked (information icon, selectable text)."""

    standard_icon = QStyle.StandardPixmap.SP_MessageBoxWarning
    accessible_name = "Message"
    selectable = False

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.icon.setPixmap(self.style().standardIcon(self.standard_icon).pixmap(size, size))
        self._text = QLabel(self)
        self._text.setWordWrap(True)
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        if self.selectable:
            self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.setAccessibleName(self.accessible_name)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._text, 1)
        self.hide()

    def text(self) -> str:
        parent = self.parentWidget()
        shown = self.isVisibleTo(parent) if parent is not None else self.isVisible()  # as Qt does for None
        return self._text.text() if shown else ""

    def show_message(self, text: str) -> None:
        self._text.setText(text)
        self._text.setAccessibleDescription(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        self.show_message("")


class Notice(InlineMessage):
    """A one-line note that something worked, with the style's information icon (not a warning)."""

    standard_icon = QStyle.StandardPixmap.SP_MessageBoxInformation
    accessible_name = "Notice"
    selectable = True


class CopyableMessage(InlineMessage):
    """A warning whose text can be selected and copied (it names a file to send or look at)."""

    accessible_name = "Notice"
    selectable = True
