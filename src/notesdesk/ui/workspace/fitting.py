"""Views that share out their width: a table whose main column keeps a readable width (other columns
give way, least useful first), a tree whose item column wraps rather than cutting its text, and a tab
bar that shortens only its labels of several words; a scroll area that scrolls only below a minimum."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QHelpEvent, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QProxyStyle,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOption,
    QStyleOptionViewItem,
    QTabBar,
    QTableView,
    QToolTip,
    QTreeView,
    QWidget,
)

from notesdesk.ui.widgets.labels import declare_elides
from notesdesk.ui.workspace.widgets import named

Index = QModelIndex | QPersistentModelIndex
PADDING = 12  # beyond a column's text: the cell margins and a little air
ROW_AIR = 8  # above and below a row's text, when rows fit their (wrapped) text
TAB_SPACE = 16  # at most this much room beside a tab's label (common styles give two dozen pixels)


class OneColumnWraps(QStyledItemDelegate):
    """Only `column` wraps its text; the others stay on one line, elided."""

    def __init__(self, view: QTableView, column: int) -> None:
        super().__init__(view)
        self.column = column

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        if index.column() != self.column:
            option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), hint.height() + ROW_AIR)


class FittingTable(QTableView):
    """A read-only, row-selecting table. The `stretch` column takes the spare width and never less
    than `min_stretch` px (0: its text's width, up to `cap`). The others fit their text up to `cap` px
    (longer text is elided; with `wrap` the stretch column wraps; every cell's full text is in its
    tooltip), and
    when the width cannot hold them all, the columns in `drop` are hidden, first listed first, until
    it can; a line along the table's foot then names them, and a row's tooltip reads them out, so
    no column goes without a sign. Columns stay resizable by hand until the view is resized again.
    Never narrower than the columns it always shows, so a splitter or layout cannot give it a
    sideways scroll bar."""

    def __init__(
        self, model: QAbstractItemModel, name: str, stretch: int, min_stretch: int = 0,
        drop: Sequence[int] = (), cap: int = 180, wrap: bool = False,
    ) -> None:
        super().__init__()
        named(self, name)
        self.stretch, self.min_stretch, self.drop, self.cap = stretch, min_stretch, tuple(drop), cap
        self._minimum = 0
        self._hidden: list[int] = []
        self._note_height = 0  # the room below the rows the hidden columns' note takes
        self._fitting = False
        self.hidden_note = named(QLabel(self), "Columns hidden to fit")
        self.hidden_note.setWordWrap(True)
        self.hidden_note.setContentsMargins(4, 2, 4, 2)
        self.hidden_note.setAutoFillBackground(True)  # over the table's frame, in the window's colours
        self.hidden_note.setBackgroundRole(QPalette.ColorRole.Window)
        self.hidden_note.hide()
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(wrap)
        self.verticalHeader().hide()
        if wrap:  # the main column wraps; rows grow to show it whole
            self.setItemDelegate(OneColumnWraps(self, stretch))
            self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.dataChanged):
            signal.connect(self.fit_columns)

    def wanted(self, column: int) -> int:
        """The width the column's header, the rows on screen and the widest text the model says the
        column can show (its WIDEST) ask for, up to the cap."""
        text = max(self.sizeHintForColumn(column), self.horizontalHeader().sectionSizeHint(column),
                   self._widest(column))
        return text + PADDING if column == self.stretch else min(self.cap, text + PADDING)

    def _widest(self, column: int) -> int:
        sample = getattr(self.model(), "WIDEST", {}).get(column, "")
        if not sample:
            return 0
        # As the item delegate measures a cell: the text, its margins on both sides, the grid line.
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1
        text = max(self.fontMetrics().horizontalAdvance(line) for line in sample.split("\n"))
        return text + 2 * margin + (1 if self.showGrid() else 0)

    def fit_columns(self, *_args: object) -> None:
        # Placing the note resizes the viewport, whose resize comes back here (and a scroll bar that
        # comes or goes with it can change what is hidden): one pass at a time, never a loop.
        if self._fitting:
            return
        self._fitting = True
        try:
            self._fit_columns()
        finally:
            self._fitting = False

    def _fit_columns(self) -> None:
        model = self.model()
        if model is None:
            return
        header = self.horizontalHeader()
        columns = range(model.columnCount())
        wanted = {c: self.wanted(c) for c in columns if c != self.stretch}
        least = self.min_stretch or min(self.cap, self.wanted(self.stretch))
        room = self.viewport().width()
        hidden: set[int] = set()
        for column in self.drop:
            if sum(w for c, w in wanted.items() if c not in hidden) + least <= room:
                break
            hidden.add(column)
        for column in columns:
            self.setColumnHidden(column, column in hidden)
        self._hidden = [c for c in self.drop if c in hidden]
        self._place_note()
        shown = {c: w for c, w in wanted.items() if c not in hidden}
        for column, width in shown.items():
            header.resizeSection(column, width)
        header.resizeSection(self.stretch, max(least, room - sum(shown.values())))
        always = sum(w for c, w in wanted.items() if c not in self.drop) + least
        if always != self._minimum:
            self._minimum = always
            self.updateGeometry()

    def _title(self, column: int) -> str:
        model = self.model()
        return str(model.headerData(column, Qt.Orientation.Horizontal) or "") if model else ""

    def _place_note(self) -> None:
        """The line that names the hidden columns, in a margin below the rows (inside the frame)."""
        if not self._hidden:
            self.hidden_note.hide()
            self._note_height = 0
            self._keep_note_room()
            return
        names = ", ".join(self._title(c) for c in self._hidden)
        self.hidden_note.setText(f"Hidden to fit: {names}. Widen the window, or point at a row, "
                                 "to read them.")
        frame = self.frameWidth()
        width = max(1, self.width() - 2 * frame)
        self._note_height = min(self.hidden_note.heightForWidth(width), max(0, self.height() // 2))
        self._keep_note_room()
        height = self._note_height
        self.hidden_note.setGeometry(frame, self.height() - frame - height, width, height)
        self.hidden_note.show()

    def _keep_note_room(self) -> None:
        # Only the bottom margin is the note's: the top one is the column titles' room, which
        # QTableView.updateGeometries sets (and with it the bottom back to 0, hence the override below).
        margins = self.viewportMargins()
        if margins.bottom() != self._note_height:
            self.setViewportMargins(margins.left(), margins.top(), margins.right(), self._note_height)

    def updateGeometries(self) -> None:  # noqa: N802
        super().updateGeometries()
        self._keep_note_room()

    def hidden_columns(self) -> list[str]:
        """The titles of the columns hidden to fit, as the note below the rows names them."""
        return [self._title(c) for c in self._hidden]

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip and self._hidden and isinstance(event, QHelpEvent):
            index = self.indexAt(event.pos())
            if index.isValid():  # the cell's own tooltip, then what the hidden columns hold
                own = str(index.data(Qt.ItemDataRole.ToolTipRole) or index.data() or "")
                extra = [f"{self._title(c)}: {index.siblingAtColumn(c).data() or '—'}" for c in self._hidden]
                QToolTip.showText(event.globalPos(), "\n".join([own, *extra]).strip(), self.viewport(),
                                  self.visualRect(index))
                return True
        return super().viewportEvent(event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), self._minimum + bar + 2 * self.frameWidth()), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_columns()  # which places the note too: the table's height may have changed

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.fit_columns()


class WrappingDelegate(QStyledItemDelegate):
    """Wraps each cell's text to the width its column has in the tree, so row heights follow."""

    def __init__(self, view: FittingTree) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        if self._view.measuring:  # the width the text wants on one line
            return super().sizeHint(option, index)
        width = self._view.header().sectionSize(index.column())
        if index.column() == 0:
            depth, parent = 1 if self._view.rootIsDecorated() else 0, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width -= self._view.indentation() * depth
        option.rect = QRect(0, 0, max(40, width), 100_000)  # the style wraps to a valid rect's width
        return super().sizeHint(option, index)


def share_out(wanted: dict[int, int], room: int) -> dict[int, int]:
    """Widths within `room`: a column that wants less than an equal share gets what it wants; the
    others split what is left equally."""
    given: dict[int, int] = {}
    left = dict(wanted)
    while left:
        share = (room - sum(given.values())) // len(left)
        small = {c: w for c, w in left.items() if w <= share}
        if not small:
            given.update({c: max(share, 0) for c in left})
            break
        given.update(small)
        left = {c: w for c, w in left.items() if c not in small}
    return given


class FittingTree(QTreeView):
    """A tree whose first column takes the spare width; every column wraps its text to its width. The
    others fit their text, but give way (the widest first) so the first keeps at least `share` of
    the width."""

    def __init__(self, name: str, share: float = 0.6) -> None:
        super().__init__()
        named(self, name)
        self.share = share
        self.measuring = False
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setItemDelegate(WrappingDelegate(self))
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._on_section_resized)

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802
        super().setModel(model)
        if model is not None:
            self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            model.modelReset.connect(self.fit_columns)
            model.dataChanged.connect(self.fit_columns)

    def expandAll(self) -> None:  # noqa: N802
        super().expandAll()
        self.fit_columns()

    def fit_columns(self, *_args: object) -> None:
        model = self.model()
        if model is None:
            return
        self.measuring = True
        try:
            wanted = {c: max(self.sizeHintForColumn(c), self.header().sectionSizeHint(c)) + 8
                      for c in range(1, model.columnCount())}
        finally:
            self.measuring = False
        room = int(self.viewport().width() * (1 - self.share))
        for column, width in share_out(wanted, room).items():
            self.header().resizeSection(column, width)

    def _on_section_resized(self, *_args: object) -> None:
        self.scheduleDelayedItemsLayout()  # rows wrap to their columns' widths: heights change with them

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_columns()


class _SnugTabs(QProxyStyle):
    """The application's style, with at most TAB_SPACE pixels around a tab's label."""

    def pixelMetric(self, metric: QStyle.PixelMetric, option: QStyleOption | None = None,  # noqa: N802
                    widget: QWidget | None = None) -> int:
        value = super().pixelMetric(metric, option, widget)
        return min(value, TAB_SPACE) if metric == QStyle.PixelMetric.PM_TabBarTabHSpace else value


class ShrinkingTabBar(QTabBar):
    """Tabs that keep one-word labels whole: snug padding, and when the bar is still too narrow for
    every label, only labels of several words are elided (to no less than their first word and "…";
    the full name is in the tooltip). Scroll arrows appear only when even that does not fit."""

    def __init__(self) -> None:
        super().__init__()
        self._style = _SnugTabs()
        self._style.setParent(self)
        self.setStyle(self._style)
        self.setElideMode(Qt.TextElideMode.ElideRight)
        self.setUsesScrollButtons(True)
        declare_elides(self)  # labels of several words, down to their first word; whole in the tooltip

    def _label(self, index: int) -> str:
        return self.tabText(index).replace("&&", "\0").replace("&", "").replace("\0", "&")

    def minimumTabSizeHint(self, index: int) -> QSize:  # noqa: N802
        full = self.tabSizeHint(index)
        text = self._label(index)
        words = text.split()
        if len(words) < 2:
            return full
        metrics = self.fontMetrics()
        padding = full.width() - metrics.horizontalAdvance(text)
        return QSize(min(full.width(), padding + metrics.horizontalAdvance(words[0] + "…")), full.height())


class FillingScrollArea(QScrollArea):
    """Its content fills the view exactly, as in a layout, and scrolls up and down only when the view
    is shorter than the content's minimum. (A resizable QScrollArea gives content with wrapped labels
    its preferred height, so a chart would scroll on a small screen rather than shrink.)"""

    def __init__(self, inner: QWidget, name: str) -> None:
        super().__init__()
        named(self, name)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setWidget(inner)
        inner.installEventFilter(self)

    def fit(self) -> None:
        inner = self.widget()
        if inner is not None:
            view = self.viewport().size()
            inner.resize(view.width(), max(view.height(), inner.minimumSizeHint().height()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        inner, hint = self.widget(), super().minimumSizeHint()
        if inner is None:
            return hint
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.minimumSizeHint().width() + bar + 2 * self.frameWidth(), hint.height())

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return super().viewportEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit()  # something was shown or hidden inside: a new minimum
        return super().eventFilter(watched, event)
