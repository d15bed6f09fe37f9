"""Global search (Ctrl+K) over every note, plan and client name, from the in-memory index.

Clients found by name come first, then notes and plans newest first; the status line gives the real
number of matches even when only the first are shown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from notesdesk.core.search.index import DEFAULT_LIMIT, SearchHit, SearchIndex
from notesdesk.ui.models.search_results_model import HTML_ROLE, SearchResultsModel
from notesdesk.ui.widgets.rich_delegate import RichTextDelegate

TYPING_PAUSE_MS = 150
HINT = "Type words to find in notes, plans and client names; every word must match. Enter opens a result."
NOTHING_FOUND = "Nothing found. To find a client by name, you can also use the client list filter (Ctrl+F)."
SCOPE = ("Searches clients (names, presenting concerns), session notes and addenda, treatment plans, "
         "homework and safety plans. Psychotherapy notes are searched only in their own tab.")
CLIENT_HINT = "To open this client, use the client list filter (Ctrl+F)."


def found_text(total: int, shown: int, more: bool = False) -> str:
    """How many matched, always the real count, even past the limit of hits shown (past the index's
    count cap, `more`: "more than 500")."""
    if more:
        return f"More than {total} found, newest first; showing the first {shown} — narrow the search."
    if total > shown:
        return f"{total} found, newest first; showing the first {shown} — narrow the search."
    return f"{total} found, newest first."


class SearchDialog(QDialog):
    sig_open_hit = Signal(object)
    """The person chose a hit (a SearchHit): open its client and note or plan."""
    sig_open_client = Signal(str)
    """The person chose a client found by name (the client id): select that client."""

    def __init__(
        self,
        index: Callable[[], SearchIndex | None],
        privacy: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search notes, plans and clients")
        self._index = index
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("Search every note, plan and client name…")
        self.query.setAccessibleName("Search notes, plans and clients")
        self.query.setClearButtonEnabled(True)
        self.model = SearchResultsModel(self)
        self.model.privacy = privacy
        self.results = QListView(self)
        self.results.setModel(self.model)
        self.results.setItemDelegate(RichTextDelegate(HTML_ROLE, self.results))
        self.results.setAccessibleName("Search results")
        self.results.setUniformItemSizes(False)
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.status = QLabel(self)
        self.status.setAccessibleName("Search status")
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self.scope = QLabel(SCOPE, self)
        self.scope.setWordWrap(True)
        self.scope.setAccessibleName("What is searched")
        layout.addWidget(self.scope)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.refresh)
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self.query.installEventFilter(self)
        self.results.activated.connect(lambda idx: self._open(idx.row()))
        self.refresh()
        width = self.fontMetrics().averageCharWidth() * 100
        self.resize(width, width * 2 // 3)

    def refresh(self) -> None:
        text = self.query.text().strip()
        index = self._index()
        if index is None:
            self.model.set_hits([])
            self.status.setText("The search index is still being built; results appear in a moment.")
            return
        found = index.find(text, DEFAULT_LIMIT) if text else None
        self.model.set_hits(found.hits if found else [])
        if found is None:
            self.status.setText(HINT)
        elif not found.hits:
            self.status.setText(NOTHING_FOUND)
        else:
            self.status.setText(found_text(found.total, len(found.hits), found.more))
            self.results.setCurrentIndex(self.model.index(0, 0))

    def hits(self) -> list[SearchHit]:
        return [self.model.hit_at(row) for row in range(self.model.rowCount())]

    def open_current(self) -> None:
        current = self.results.currentIndex()
        if current.isValid():
            self._open(current.row())

    def _open(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            hit = self.model.hit_at(row)
            if hit.kind == "client":
                if not self._client_opener_connected():  # nothing here would open it: say how instead
                    self.status.setText(CLIENT_HINT)
                    return
                self.accept()
                self.sig_open_client.emit(hit.client_id)
                return
            self.accept()
            self.sig_open_hit.emit(hit)

    def _client_opener_connected(self) -> bool:
        meta = self.metaObject()
        return self.isSignalConnected(meta.method(meta.indexOfSignal("sig_open_client(QString)")))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        """Arrow keys in the query field move through the results; Enter opens the current one."""
        if watched is self.query and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.results.setFocus()
                self.results.keyPressEvent(event)
                self.query.setFocus()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive():
                    self._timer.stop()
                    self.refresh()
                self.open_current()
                return True
        return super().eventFilter(watched, event)
