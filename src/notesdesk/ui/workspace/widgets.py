"""Small widgets and helpers shared by the workspace tabs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from notesdesk.core.domain.common import today
from notesdesk.ui.widgets.typed import DateField

W = TypeVar("W", bound=QWidget)
Index = QModelIndex | QPersistentModelIndex

# confirm(parent, title, question) -> True to go ahead. Injected so tests never block on a dialog.
Confirm = Callable[[QWidget, str, str], bool]


def ask_confirm(parent: QWidget, title: str, question: str) -> bool:
    answer = QMessageBox.question(
        parent, title, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel
    )
    return answer == QMessageBox.StandardButton.Yes


def named[W: QWidget](widget: W, name: str, tip: str = "") -> W:
    """Give a control its accessible name (and an optional tooltip); returns it for chaining."""
    widget.setAccessibleName(name)
    if tip:
        widget.setToolTip(tip)
    return widget


class VerticalScrollArea(QScrollArea):
    """Scrolls up and down only: as narrow as its content allows, never a sideways scroll bar that
    hides a form's right half (a splitter or window gives it at least that width). When the content's
    minimum changes (another note format, a section shown), the splitter or layout is told."""

    def setWidget(self, widget: QWidget) -> None:  # noqa: N802
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # a new minimum inside is a new minimum for the area
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        inner = self.widget()
        hint = super().minimumSizeHint()
        if inner is None:
            return hint
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.minimumSizeHint().width() + bar + 2 * self.frameWidth(), hint.height())


def scrolled(inner: QWidget, name: str) -> QScrollArea:
    area = VerticalScrollArea()
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(inner)
    area.setAccessibleName(name)
    return area


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    return label


def bold(label: QLabel) -> QLabel:
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(name: str, value: date | None = None) -> QDateEdit:
    edit = DateField(qdate(value or today()))  # typed whole, in ISO or the locale's order
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return named(edit, name)


UNSET_DATE = QDate(1900, 1, 1)  # an optional date's "no date": shown as NO_DATE, never read as a date
NO_DATE = "—"
PAST = "⚠ In the past"


class OptionalDateEdit(QWidget):
    """A checkbox that turns a date on, and the date. Unticked, the date shows "—" (not a greyed-out
    date that could be read as set); ticking brings back the last date chosen, or `suggest()` (the
    plan's review date for an objective's target, say), or today. With `warn_past`, a date before
    today says so beside the field (a target or due date typed with last year's year)."""

    sig_changed = Signal()
    """Emitted when the date or its presence changes."""

    def __init__(self, name: str, check_text: str = "Set", warn_past: bool = False) -> None:
        super().__init__()
        self.suggest: Callable[[], date | None] = lambda: None
        self._warn_past = warn_past
        self.past = named(QLabel(PAST), f"{name}: in the past")
        self.past.hide()
        self.check = named(QCheckBox(check_text), f"{name}: set")
        self.edit = date_edit(name)
        self.edit.setMinimumDate(UNSET_DATE)
        self.edit.setSpecialValueText(NO_DATE)
        self.edit.setDate(UNSET_DATE)
        self.edit.setEnabled(False)
        self._last: date | None = None  # the date chosen last: shown again when the box is ticked
        self._switching = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.past)
        self.sig_changed.connect(self._show_past)
        self.setAccessibleName(name)
        self.check.toggled.connect(self._on_toggled)
        self.edit.dateChanged.connect(self._on_date_changed)

    def value(self) -> date | None:
        shown = self.edit.date()
        return pydate(shown) if self.check.isChecked() and shown != UNSET_DATE else None

    def set_value(self, value: date | None) -> None:
        self._last = value
        self.check.setChecked(value is not None)
        self.edit.setDate(qdate(value) if value else UNSET_DATE)
        self._show_past()

    def _show_past(self) -> None:
        value = self.value()
        self.past.setVisible(self._warn_past and value is not None and value < today())

    def set_read_only(self, read_only: bool) -> None:
        self.check.setEnabled(not read_only)
        self.edit.setReadOnly(read_only)

    def _on_toggled(self, on: bool) -> None:
        self._switching = True
        try:
            self.edit.setEnabled(on)
            shown = self._last or self.suggest() or today()
            self.edit.setDate(qdate(shown) if on else UNSET_DATE)
        finally:
            self._switching = False
        self.sig_changed.emit()

    def _on_date_changed(self, shown: QDate) -> None:
        if shown != UNSET_DATE:
            self._last = pydate(shown)
        if not self._switching:
            self.sig_changed.emit()


class LinesEdit(QPlainTextEdit):
    """A list of short items, one per line."""

    def __init__(self, name: str, placeholder: str = "One per line", rows: int = 3) -> None:
        super().__init__()
        named(self, name)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * rows + 16)

    def lines(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.toPlainText().splitlines() if line.strip())

    def set_lines(self, lines: Iterable[str]) -> None:
        self.setPlainText("\n".join(lines))


def text_edit(name: str, placeholder: str = "", rows: int = 3, expand: bool = False) -> QPlainTextEdit:
    """A plain-text field `rows` lines high (fixed), or growing with the window when `expand`."""
    edit = QPlainTextEdit()
    named(edit, name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    height = edit.fontMetrics().lineSpacing() * rows + 2 * edit.frameWidth() + 12
    if expand:
        edit.setMinimumHeight(height)
    else:
        edit.setFixedHeight(height)
    return edit


class WrapToWidth(QStyledItemDelegate):
    """A list's items wrap their text to the list's width (rows grow rather than scroll sideways)."""

    def __init__(self, view: QListWidget) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        option.rect = QRect(0, 0, max(60, self._view.viewport().width()), 100_000)  # the width to wrap to
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), hint.height() + 4)  # a little air between wrapped items


class CheckList(QListWidget):
    """Checkable items carrying ids; ids it was given but does not list are kept, not dropped. Long
    labels wrap (never a sideways scroll bar); the list is as tall as its items, up to MOST_LINES
    lines, and scrolls beyond that."""

    MOST_LINES = 12

    sig_changed = Signal()
    """Emitted when the user ticks or unticks an item."""

    def __init__(self, name: str, empty_text: str = "Nothing to choose from") -> None:
        super().__init__()
        named(self, name)
        self._empty_text = empty_text
        self._filling = False
        self._read_only = False
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)  # wrap again when the width changes
        self.setItemDelegate(WrapToWidth(self))
        self.itemChanged.connect(self._on_item_changed)

    def set_items(self, items: Iterable[tuple[str, str]], checked: Iterable[str] = ()) -> None:
        self._filling = True
        self.clear()
        wanted = list(checked)
        listed = []
        for item_id, label in items:
            self._add(item_id, label, item_id in wanted)
            listed.append(item_id)
        for item_id in wanted:
            if item_id not in listed:
                self._add(item_id, "(from an earlier plan or removed)", True)
        if self.count() == 0:
            placeholder = QListWidgetItem(self._empty_text)
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(placeholder)
        self._filling = False
        self.fit_height()

    def fit_height(self) -> None:
        """As tall as the items wrapped to the current width, between one and MOST_LINES lines."""
        line = self.fontMetrics().lineSpacing()
        rows = sum(self.sizeHintForRow(row) for row in range(self.count()))
        content = max(line + 8, min(rows, line * self.MOST_LINES))
        height = content + 2 * self.frameWidth() + 4
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_height()  # the labels wrap to the new width: more or fewer lines

    def _add(self, item_id: str, label: str, checked: bool) -> None:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, item_id)
        item.setFlags(self._flags())
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setToolTip(label)
        self.addItem(item)

    def checked_ids(self) -> tuple[str, ...]:
        found = []
        for row in range(self.count()):
            item = self.item(row)
            if item.data(Qt.ItemDataRole.UserRole) and item.checkState() == Qt.CheckState.Checked:
                found.append(item.data(Qt.ItemDataRole.UserRole))
        return tuple(found)

    def checked_labels(self) -> tuple[str, ...]:
        return tuple(self.item(row).text() for row in range(self.count())
                     if self.item(row).data(Qt.ItemDataRole.UserRole)
                     and self.item(row).checkState() == Qt.CheckState.Checked)

    def set_checked(self, item_id: str, checked: bool = True) -> None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == item_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    @property
    def read_only(self) -> bool:
        return self._read_only

    def set_read_only(self, read_only: bool) -> None:
        """Read-only keeps the ticks legible (a disabled list greys them out)."""
        self._read_only = read_only
        # New flags re-draw the items (itemChanged): not an edit, so no `changed`.
        self._filling = True
        try:
            for row in range(self.count()):
                item = self.item(row)
                if item.data(Qt.ItemDataRole.UserRole):
                    item.setFlags(self._flags())
        finally:
            self._filling = False

    def _flags(self) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags if self._read_only else flags | Qt.ItemFlag.ItemIsUserCheckable

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        if not self._filling:
            self.sig_changed.emit()


class Autosaver(QObject):
    """Saves a while after the last edit (single-shot timer restarted on each edit) or on demand."""

    def __init__(self, seconds: int, save: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dirty = False
        self._save = save
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, int(seconds)) * 1000)
        self.timer.timeout.connect(self.flush)

    def poke(self) -> None:
        self.dirty = True
        self.timer.start()

    def flush(self) -> bool:
        """Save now if there is anything unsaved; False when saving failed (text stays put)."""
        self.timer.stop()
        if not self.dirty:
            return True
        if self._save():
            self.dirty = False
            return True
        return False

    def reset(self) -> None:
        self.timer.stop()
        self.dirty = False
