"""The left-hand client list: search as you type, a status filter, flags, and the client actions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QStyle,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.clients import Client, ClientStatus
from notesdesk.core.services.overview import ClientFlags
from notesdesk.ui.models.client_list_model import (
    COL_FLAGS,
    COL_NAME,
    COL_STATUS,
    STATUS_WORDS,
    ClientFilterProxy,
    ClientListModel,
    ClientRow,
)

STATUS_CHOICES = (
    ("All clients", None),
    ("Active", ClientStatus.ACTIVE.value),
    ("On hold", ClientStatus.ON_HOLD.value),
    ("Discharged", ClientStatus.DISCHARGED.value),
)


class ClientPanel(QWidget):
    sig_current_changed = Signal(str)
    """The selected client changed; arg is the client id, or "" when none is selected."""

    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ClientListModel(self)
        self.proxy = ClientFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Find a client (Ctrl+F)")
        self.search.setAccessibleName("Find a client")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox(self)
        self.status.setAccessibleName("Show clients with status")
        for label, status in STATUS_CHOICES:
            self.status.addItem(label, status)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Clients")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().hide()
        rows = self.view.verticalHeader()
        rows.setDefaultSectionSize(self.view.fontMetrics().lineSpacing() * 3 // 2 + 2)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)
        # The name keeps priority: it gets its full width first, the flags what is left (elided,
        # their full wording in the tooltip).
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_STATUS, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_FLAGS, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.status)
        buttons = QHBoxLayout()
        self.buttons: list[QToolButton] = []
        for action in actions:
            button = QToolButton(self)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self._show_action(button, action)
            buttons.addWidget(button)
            self.buttons.append(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        margins = layout.contentsMargins()
        layout.setContentsMargins(margins.left(), margins.top(), 0, margins.bottom())
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self.search.textChanged.connect(self.proxy.set_text)
        self.status.currentIndexChanged.connect(lambda i: self.proxy.set_status(self.status.itemData(i)))
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.search.returnPressed.connect(self._on_search_return)
        self._current = ""
        self.view.viewport().installEventFilter(self)
        # Column widths come from the words shown, measured with the view's font when the names
        # change: asking the view to size a column by its contents calls the model several times
        # for every row, on the UI thread, at every reset, resize and flag update.
        self._name_width: int | None = None
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._names_changed)
        self.model.dataChanged.connect(self._on_data_changed)
        self._fit_status()

    # -- actions and columns ---------------------------------------------------------------------

    @staticmethod
    def _show_action(button: QToolButton, action: QAction) -> None:
        for old in button.actions():  # a second action would make the button a menu
            button.removeAction(old)
        button.setDefaultAction(action)
        button.setAccessibleName(action.text().replace("&", "").rstrip("…"))

    def swap_action(self, usual: QAction, other: QAction, show_other: bool) -> None:
        """Let the button of `usual` show `other` instead (Discharge becomes Reopen care), or back."""
        wanted = other if show_other else usual
        for button in self.buttons:
            if button.defaultAction() in (usual, other):
                self._show_action(button, wanted)

    def fit_columns(self, *_args: object) -> None:
        """Name first (as wide as the longest name, if there is room), then status, flags the rest."""
        view, header = self.view, self.view.horizontalHeader()
        available = view.viewport().width()
        status = header.sectionSize(COL_STATUS)
        least_flags = view.fontMetrics().horizontalAdvance("risk…") + view.iconSize().width() + 12
        if self._name_width is None:
            widest = self._text_width(self.model.names_shown())
            self._name_width = max(widest, header.sectionSizeHint(COL_NAME)) + 6
        header.resizeSection(COL_NAME, max(1, min(self._name_width, available - status - least_flags)))

    def _text_width(self, words: Sequence[str]) -> int:
        """The width a cell needs for the widest of `words`: the text and the item's margins."""
        view = self.view
        metrics = view.fontMetrics()
        margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        return max((metrics.horizontalAdvance(w) for w in words), default=0) + 2 * margin + 1

    def _fit_status(self) -> None:
        header = self.view.horizontalHeader()
        width = max(self._text_width(list(STATUS_WORDS.values())), header.sectionSizeHint(COL_STATUS))
        header.resizeSection(COL_STATUS, width)

    def _names_changed(self, *_args: object) -> None:
        self._name_width = None
        self.fit_columns()

    def _on_data_changed(self, top_left: QModelIndex, _bottom_right: QModelIndex, *_roles: object) -> None:
        if top_left.column() <= COL_NAME:  # names (privacy mode); flags alone leave the widths be
            self._names_changed()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return super().eventFilter(watched, event)

    # -- feeding ---------------------------------------------------------------------------------

    def set_rows(self, clients: Sequence[Client], flags: Mapping[str, ClientFlags]) -> None:
        """Replace the rows and keep the selected client selected (or say it is gone)."""
        keep = self._current
        self.model.set_rows(clients, flags)
        if keep and not self.select_client(keep, emit=False, reveal=False):
            self._current = ""
            self.sig_current_changed.emit("")

    def append_rows(self, rows: Sequence[ClientRow]) -> None:
        self.model.append_rows(rows)

    def set_privacy(self, on: bool) -> None:
        self.model.set_privacy(on)
        self.fit_columns()

    # -- selection -------------------------------------------------------------------------------

    def current_client_id(self) -> str:
        return self._current

    def current_client(self) -> Client | None:
        row = self.model.row_of(self._current) if self._current else -1
        return self.model.client_at(row) if row >= 0 else None

    def select_client(self, client_id: str, emit: bool = True, reveal: bool = True) -> bool:
        """Select a client; `reveal` clears the filters if they hide it. False if no such client."""
        source_row = self.model.row_of(client_id)
        if source_row < 0:
            return False
        source = self.model.index(source_row, COL_NAME)
        if reveal and not self.proxy.mapFromSource(source).isValid():
            self.search.clear()
            self.status.setCurrentIndex(0)
        index = self.proxy.mapFromSource(source)
        if not index.isValid():  # hidden by the filter: stays the current client all the same
            self._current = client_id
            return True
        if not emit:
            self.view.selectionModel().blockSignals(True)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        if not emit:
            self.view.selectionModel().blockSignals(False)
            self._current = client_id
        self.view.scrollTo(index)
        return True

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # Filtering may hide the open client: the workspace stays open until another is chosen.
        client_id = self.proxy.client_id_at(current.row()) if current.isValid() else None
        if client_id and client_id != self._current:
            self._current = client_id
            self.sig_current_changed.emit(client_id)

    def _on_search_return(self) -> None:
        if self.proxy.rowCount() > 0:
            self.view.setFocus()
            self.view.selectRow(0)
