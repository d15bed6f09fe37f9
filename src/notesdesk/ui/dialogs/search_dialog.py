"""Global search (Ctrl+K) over every note and plan, from the in-memory index."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from notesdesk.core.search.index import SearchHit, SearchIndex
from notesdesk.ui.models.search_results_model import HTML_ROLE, SearchResultsModel
from notesdesk.ui.widgets.rich_delegate import RichTextDelegate

TYPING_PAUSE_MS = 150


class SearchDialog(QDialog):
    sig_open_hit = Signal(object)
    """The person chose a hit (a SearchHit): open its client and note."""

    def __init__(
        self,
        index: Callable[[], SearchIndex | None],
        privacy: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search notes and plans")
        self._index = index
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("Search every note and plan…")
        self.query.setAccessibleName("Search notes and plans")
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
        hits = index.search(text) if text else []
        self.model.set_hits(hits)
        if not text:
            self.status.setText("Type words to find; every word must match. Enter opens a result.")
        elif not hits:
            self.status.setText("Nothing found.")
        else:
            self.status.setText(f"{len(hits)} found" + (" (first 50 shown)" if len(hits) >= 50 else ""))
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
            self.accept()
            self.sig_open_hit.emit(hit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        """Arrow keys in the query field move through the results; Enter opens the current one."""
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.results.setFocus()
                self.results.keyPressEvent(event)  # type: ignore[arg-type]
                self.query.setFocus()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive():
                    self._timer.stop()
                    self.refresh()
                self.open_current()
                return True
        return super().eventFilter(watched, event)
