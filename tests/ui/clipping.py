"""What a person would see cut off: the text of a label, button, combo box, header section, tab,
group title or placeholder that does not fit the room its widget has, a table cell whose text is cut
with no elision marker ("…"), a table column hidden with nothing on screen that names it, and a
window larger than the screen it is on. A widget that elides on purpose (and says the whole text
elsewhere, in a tooltip) declares it with the property ELIDES; its children are checked as usual."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QCommandLinkButton,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QTabBar,
    QTableView,
    QWidget,
)

from notesdesk.ui.widgets.labels import ELIDES

SLACK = 1  # px: rounding at fractional scales


def _where(widget: QWidget) -> str:
    names: list[str] = []
    w: QWidget | None = widget
    while w is not None and len(names) < 4:
        text = w.text()[:30] if isinstance(w, QLabel) and not w.accessibleName() else ""
        names.append(w.accessibleName() or (f"{type(w).__name__} {text!r}" if text else type(w).__name__))
        w = w.parentWidget()
    return " < ".join(names)


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _declared(widget: QWidget) -> bool:
    return bool(widget.property(ELIDES))


def _label(label: QLabel) -> str | None:
    if not label.text() or label.pixmap() is not None and not label.pixmap().isNull():
        return None
    room = label.contentsRect()
    if label.wordWrap():
        need = label.heightForWidth(label.width())
        if need > label.height() + SLACK:
            return f"label needs {need}px of height, has {label.height()}"
        return None
    hint = label.minimumSizeHint()  # a label that shrinks its font to fit says so here
    if hint.width() > label.width() + SLACK:
        return f"label needs {hint.width()}px, has {label.width()} (room {room.width()})"
    return None


def _button(button: QAbstractButton) -> str | None:
    if not button.text():
        return None
    if isinstance(button, QCommandLinkButton):
        need = button.heightForWidth(button.width())
        return f"needs {need}px of height, has {button.height()}" if need > button.height() + SLACK else None
    hint = button.sizeHint()
    if hint.width() > button.width() + SLACK:
        return f"button needs {hint.width()}px, has {button.width()}"
    return None


def _combo(combo: QComboBox) -> str | None:
    text = combo.currentText()
    if not text or combo.isEditable():
        return None
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    need = combo.fontMetrics().horizontalAdvance(text)
    if not combo.itemIcon(combo.currentIndex()).isNull():
        need += combo.iconSize().width() + 4
    if need > field.width() + SLACK:
        return f"combo shows {need}px of text in {field.width()}"
    return None


def _header(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None or header.orientation() != Qt.Orientation.Horizontal:
        return []
    problems = []
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    for section in range(header.count()):
        if header.isSectionHidden(section) or header.sectionSize(section) == 0:
            continue
        text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
        if not text:
            continue
        need = header.fontMetrics().horizontalAdvance(text) + 2 * margin
        if need > header.sectionSize(section) + SLACK:
            problems.append(f"column {text!r} needs {need}px, has {header.sectionSize(section)}")
    return problems


def _hidden_columns(view: QTableView) -> list[str]:
    """A column hidden to fit must be named by a label on screen beside or inside the table."""
    model = view.model()
    titles = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(model.columnCount())
              if view.isColumnHidden(c)]
    titles = [t for t in titles if t]
    if not titles:
        return []
    around = view.parentWidget() or view
    said = " ".join(label.text() for label in around.findChildren(QLabel) if label.isVisible())
    return [f"column {t!r} is hidden and nothing on screen says so" for t in titles if t not in said]


def _cells(view: QTableView) -> list[str]:
    """Cells on screen whose text needs more room than the cell has and is cut without a marker
    (the view's elide mode is none: Qt elides with "…" otherwise, wrapped text on its last line)."""
    model, problems = view.model(), []
    first, last = view.rowAt(0), view.rowAt(view.viewport().height() - 1)
    if first < 0:
        return []
    for row in range(first, (last if last >= 0 else model.rowCount() - 1) + 1):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            if view.isColumnHidden(column) or not str(index.data() or ""):
                continue
            cell = view.visualRect(index)
            option = QStyleOptionViewItem()
            view.initViewItemOption(option)
            delegate = view.itemDelegateForIndex(index)
            if not isinstance(delegate, QStyledItemDelegate):
                continue  # a delegate of its own measures and paints in its own way
            delegate.initStyleOption(option, index)
            option.rect = QRect(0, 0, cell.width(), 100_000)  # wrapped text wraps to the cell's width
            need = delegate.sizeHint(option, index)
            cut = need.height() > cell.height() + SLACK or (
                not option.features & QStyleOptionViewItem.ViewItemFeature.WrapText
                and need.width() > cell.width() + SLACK)
            if cut and option.textElideMode == Qt.TextElideMode.ElideNone:
                title = model.headerData(column, Qt.Orientation.Horizontal)
                problems.append(f"cell in column {title!r} needs {need.width()}×{need.height()}px, "
                                f"has {cell.width()}×{cell.height()}, cut with no marker")
    return problems


def _tabs(bar: QTabBar) -> list[str]:
    problems = []
    for i in range(bar.count()):
        if not bar.isTabVisible(i):
            continue
        need, has = bar.tabSizeHint(i).width(), bar.tabRect(i).width()
        if need > has + SLACK:
            problems.append(f"tab {bar.tabText(i)!r} needs {need}px, has {has}")
    return problems


def _placeholder(edit: QLineEdit) -> str | None:
    text = edit.placeholderText()
    if edit.text() or not text:
        return None
    margins = edit.textMargins()
    room = edit.contentsRect().width() - margins.left() - margins.right() - 4  # the frame's padding
    need = edit.fontMetrics().horizontalAdvance(text)
    return f"placeholder {text!r} needs {need}px, has {room}" if need > room + SLACK else None


def _spin(spin: QAbstractSpinBox) -> str | None:
    edit = spin.findChild(QLineEdit)
    if edit is None or not edit.text():
        return None
    need = edit.fontMetrics().horizontalAdvance(edit.text())
    room = edit.contentsRect().width() - 4
    return f"shows {edit.text()!r} in {room}px, needs {need}" if need > room + SLACK else None


def _group(box: QGroupBox) -> str | None:
    if not box.title():
        return None
    need = box.fontMetrics().horizontalAdvance(box.title().replace("&", ""))
    return f"title needs {need}px, has {box.width()}" if need > box.width() + SLACK else None


def _outside(widget: QWidget) -> str | None:
    """A child placed past its parent's edge (a layout squeezed below its minimum): cut off."""
    parent = widget.parentWidget()
    if parent is None or widget.isWindow():
        return None
    if isinstance(parent.parentWidget(), QAbstractScrollArea):  # a viewport scrolls its content
        return None
    if isinstance(parent, QAbstractScrollArea | QTabBar):  # scroll bars, tab scroll buttons
        return None
    inside = parent.rect().adjusted(-SLACK, -SLACK, SLACK, SLACK)
    if not inside.contains(widget.geometry()):
        g: QRect = widget.geometry()
        return (f"placed at {g.x()},{g.y()} {g.width()}×{g.height()} "
                f"in a parent of {parent.width()}×{parent.height()}")
    return None


def problems_in(window: QWidget) -> list[str]:
    """Everything cut off in this window, as 'where: what' lines."""
    found: list[str] = []
    screen = window.screen().availableGeometry() if window.screen() is not None else None
    too_big = screen is not None and (window.width() > screen.width() + SLACK
                                      or window.height() > screen.height() + SLACK)
    if screen is not None and too_big:
        found.append(f"{_where(window)}: window {window.width()}×{window.height()} is larger than the "
                     f"screen's {screen.width()}×{screen.height()}")
    for widget in [window, *window.findChildren(QWidget)]:
        if not _shown(widget) or not widget.isVisibleTo(window) and widget is not window:
            continue
        issues: list[str | None] = [_outside(widget)]
        if not _declared(widget):
            if isinstance(widget, QLabel):
                issues.append(_label(widget))
            elif isinstance(widget, QAbstractButton) and not isinstance(widget.parentWidget(), QTabBar):
                issues.append(_button(widget))
            elif isinstance(widget, QComboBox):
                issues.append(_combo(widget))
            elif isinstance(widget, QHeaderView):
                issues.extend(_header(widget))
            elif isinstance(widget, QTableView) and widget.model() is not None:
                issues.extend(_hidden_columns(widget) + _cells(widget))
            elif isinstance(widget, QTabBar):
                issues.extend(_tabs(widget))
            elif isinstance(widget, QLineEdit) and not isinstance(widget.parentWidget(), QAbstractSpinBox):
                issues.append(_placeholder(widget))
            elif isinstance(widget, QAbstractSpinBox):
                issues.append(_spin(widget))
            elif isinstance(widget, QGroupBox):
                issues.append(_group(widget))
        found.extend(f"{_where(widget)}: {issue}" for issue in issues if issue)
    return found
