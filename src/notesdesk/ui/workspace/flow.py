"""A layout that places its items left to right and wraps to a new line when the width runs out
(after Qt's FlowLayout example): a row of small fields that stays usable on a narrow screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = -1) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _gap(self, item: QLayoutItem, orientation: Qt.Orientation) -> int:
        if self._spacing >= 0:
            return self._spacing
        widget = item.widget()
        control = QSizePolicy.ControlType.PushButton
        gap = widget.style().layoutSpacing(control, control, orientation) if widget is not None else -1
        return gap if gap >= 0 else 6

    def _place(self, rect: QRect, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():  # a hidden widget takes no room, not even a gap
                continue
            hint = item.sizeHint()
            gap_x = self._gap(item, Qt.Orientation.Horizontal)
            if x + hint.width() > area.right() + 1 and line > 0:
                x, y, line = area.x(), y + line + self._gap(item, Qt.Orientation.Vertical), 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + gap_x
            line = max(line, hint.height())
        return y + line - rect.y() + margins.bottom()


class _GoesWithField(QObject):
    """Shows and hides the pair with its field: no caption with nothing after it ("CPT" outside the
    US), and no room kept for it in the flow."""

    def __init__(self, pair: QWidget, field: QWidget) -> None:
        super().__init__(pair)
        self._pair = pair
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.HideToParent:
            self._pair.hide()
        elif event.type() == QEvent.Type.ShowToParent:
            self._pair.show()
        return False


def captioned(text: str, field: QWidget) -> QWidget:
    """A caption (the field's buddy) and the field, kept together as one item of a flow, shown
    only while the field is."""
    hidden = field.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide) and field.isHidden()
    pair = QWidget()
    layout = QHBoxLayout(pair)
    layout.setContentsMargins(0, 0, 0, 0)
    caption = QLabel(text)
    caption.setBuddy(field)
    layout.addWidget(caption)
    layout.addWidget(field)
    if hidden:
        field.hide()  # taken into the pair, it would otherwise show with it
        pair.hide()
    _GoesWithField(pair, field)
    return pair
