"""Small widgets and helpers shared by the workspace tabs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, time
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractItemModel, QDate, QObject, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QTimeEdit,
    QWidget,
)

from notesdesk.core.domain.common import today
from notesdesk.ui.context import AppContext

W = TypeVar("W", bound=QWidget)

# confirm(parent, title, question) -> True to go ahead. Injected so tests never block on a dialog.
Confirm = Callable[[QWidget, str, str], bool]


def ask_confirm(parent: QWidget, title: str, question: str) -> bool:
    answer = QMessageBox.question(
        parent, title, question, QMessageBox.Yes | QMessageBox.Cancel, QMessageBox.Cancel
    )
    return answer == QMessageBox.Yes


def attempt(ctx: AppContext, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[bool, Any]:
    """Run a service call; an error goes to the one presenter and the caller gets (False, None)."""
    try:
        return True, fn(*args, **kwargs)
    except Exception as exc:  # every failure is shown the same way; never a traceback
        ctx.errors.present(exc)
        return False, None


class QuietRetries:
    """Autosave's error policy: the first failure of a run is shown; retries that fail the same way
    stay quiet until a save succeeds or the user asks again (`reset`). Text stays in the editor."""

    def __init__(self, ctx: AppContext) -> None:
        self._ctx = ctx
        self.failing = False

    def reset(self) -> None:
        self.failing = False

    def run(self, fn: Callable[[], Any]) -> tuple[bool, Any]:
        try:
            result = fn()
        except Exception as exc:  # shown once per run of failures, never a traceback
            if not self.failing:
                self._ctx.errors.present(exc)
            self.failing = True
            return False, None
        self.failing = False
        return True, result


def named(widget: W, name: str, tip: str = "") -> W:
    """Give a control its accessible name (and an optional tooltip); returns it for chaining."""
    widget.setAccessibleName(name)
    if tip:
        widget.setToolTip(tip)
    return widget


class VerticalScrollArea(QScrollArea):
    """Scrolls up and down only: as narrow as its content allows, never a sideways scroll bar that
    hides a form's right half (a splitter or window gives it at least that width)."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        inner = self.widget()
        hint = super().minimumSizeHint()
        if inner is None:
            return hint
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.minimumSizeHint().width() + bar + 2 * self.frameWidth(), hint.height())


def scrolled(inner: QWidget, name: str) -> QScrollArea:
    area = VerticalScrollArea()
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.NoFrame)
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
    edit = QDateEdit(qdate(value or today()))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return named(edit, name)


def table(model: QAbstractItemModel, name: str, stretch: tuple[int, ...] = ()) -> QTableView:
    """A read-only, row-selecting table view over one of the thin models; `stretch` columns share
    the spare width (long text is elided, its full value is in the tooltip)."""
    view = named(QTableView(), name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(not stretch)
    for column in stretch:
        view.horizontalHeader().setSectionResizeMode(column, QHeaderView.Stretch)
    view.setWordWrap(False)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    return view


class TimeField(QTimeEdit):
    """A time that may be unset: the minimum (00:00) shows as '--:--' and reads back as None."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setDisplayFormat("HH:mm")
        self.setMinimumTime(QTime(0, 0))
        self.setSpecialValueText("--:--")
        named(self, name, "Leave at --:-- when not recorded")

    def value(self) -> time | None:
        t = self.time()
        return None if t == QTime(0, 0) else time(t.hour(), t.minute())

    def set_value(self, value: time | None) -> None:
        self.setTime(QTime(value.hour, value.minute) if value else QTime(0, 0))


class OptionalDateEdit(QWidget):
    """A checkbox that turns a date on, and the date."""

    changed = Signal()
    """Emitted when the date or its presence changes."""

    def __init__(self, name: str, check_text: str = "Set") -> None:
        super().__init__()
        self.check = named(QCheckBox(check_text), f"{name}: set")
        self.edit = date_edit(name)
        self.edit.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.setAccessibleName(name)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)

    def value(self) -> date | None:
        return pydate(self.edit.date()) if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        self.edit.setDate(qdate(value or today()))

    def set_read_only(self, read_only: bool) -> None:
        self.check.setEnabled(not read_only)
        self.edit.setReadOnly(read_only)


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


class GrowingTextEdit(QPlainTextEdit):
    """A text field that grows with its text (between `min_lines` and `max_lines`), so a short
    section stays short and a long one does not hide behind its own scroll bar."""

    def __init__(self, text: str = "", min_lines: int = 4, max_lines: int = 24) -> None:
        super().__init__(text)
        self.min_lines, self.max_lines = min_lines, max_lines
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Minimum)
        self.setTabChangesFocus(True)
        self.textChanged.connect(self.updateGeometry)

    def _height_for(self, lines: int) -> int:
        return self.fontMetrics().lineSpacing() * lines + 2 * self.frameWidth() + 12

    def sizeHint(self) -> QSize:  # noqa: N802
        # The plain-text layout measures the document in lines.
        lines = int(self.document().size().height()) + 1
        height = self._height_for(max(self.min_lines, min(self.max_lines, lines)))
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().minimumSizeHint().width(), self._height_for(self.min_lines))


class CheckList(QListWidget):
    """Checkable items carrying ids; ids it was given but does not list are kept, not dropped."""

    changed = Signal()
    """Emitted when the user ticks or unticks an item."""

    def __init__(self, name: str, empty_text: str = "Nothing to choose from") -> None:
        super().__init__()
        named(self, name)
        self._empty_text = empty_text
        self._filling = False
        self._read_only = False
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
            placeholder.setFlags(Qt.NoItemFlags)
            self.addItem(placeholder)
        self._filling = False
        rows = max(2, min(self.count(), 6))
        self.setFixedHeight(self.sizeHintForRow(0) * rows + 2 * self.frameWidth() + 4)

    def _add(self, item_id: str, label: str, checked: bool) -> None:
        item = QListWidgetItem(label)
        item.setData(Qt.UserRole, item_id)
        item.setFlags(self._flags())
        item.setCheckState(Qt.Checked if checked else Qt.Unchecked)
        item.setToolTip(label)
        self.addItem(item)

    def checked_ids(self) -> tuple[str, ...]:
        found = []
        for row in range(self.count()):
            item = self.item(row)
            if item.data(Qt.UserRole) and item.checkState() == Qt.Checked:
                found.append(item.data(Qt.UserRole))
        return tuple(found)

    def checked_labels(self) -> tuple[str, ...]:
        return tuple(self.item(row).text() for row in range(self.count())
                     if self.item(row).data(Qt.UserRole) and self.item(row).checkState() == Qt.Checked)

    def set_checked(self, item_id: str, checked: bool = True) -> None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(Qt.UserRole) == item_id:
                item.setCheckState(Qt.Checked if checked else Qt.Unchecked)

    @property
    def read_only(self) -> bool:
        return self._read_only

    def set_read_only(self, read_only: bool) -> None:
        """Read-only keeps the ticks legible (a disabled list greys them out)."""
        self._read_only = read_only
        for row in range(self.count()):
            item = self.item(row)
            if item.data(Qt.UserRole):
                item.setFlags(self._flags())

    def _flags(self) -> Qt.ItemFlag:
        flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        return flags if self._read_only else flags | Qt.ItemIsUserCheckable

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        if not self._filling:
            self.changed.emit()


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
