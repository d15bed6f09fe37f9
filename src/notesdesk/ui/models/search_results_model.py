"""Search hits as a list model; the rich-text role bolds the matched words (escaped first).

In privacy mode the heading names the client by initials and the client's own names are masked inside
the snippet too ('Miloš said' -> 'M. said'): a note's text often names its client. A snippet quoting the
client's own words (a goal 'in the client's words') is not shown at all, as on the Overview."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from notesdesk.core.domain.names import mask_names
from notesdesk.core.search.index import HIT_END, HIT_START, SearchHit

HTML_ROLE = Qt.ItemDataRole.UserRole + 1
HIT_ROLE = Qt.ItemDataRole.UserRole + 2

KIND_WORDS = {"client": "Client", "note": "Session note", "plan": "Treatment plan", "homework": "Homework",
              "safety_plan": "Safety plan"}
OWN_WORDS_HIDDEN = "(client's own words hidden in privacy mode)"

AnyIndex = QModelIndex | QPersistentModelIndex


def snippet_html(snippet: str) -> str:
    """Escape the text, then turn the index's hit markers into bold: user text never becomes markup."""
    escaped = html.escape(" · ".join(line for line in snippet.splitlines() if line.strip()), quote=False)
    return escaped.replace(HIT_START, "<b>").replace(HIT_END, "</b>")


def client_label(hit: SearchHit, privacy: bool) -> str:
    if not hit.client_name:
        return "Unknown client"
    if privacy:
        return "".join(part[0].upper() for part in hit.client_name.split() if part) or "?"
    return hit.client_name


def snippet_of(hit: SearchHit, privacy: bool) -> str:
    """The hit's snippet (with its hit markers); in privacy mode the client's names are masked and their
    own words are replaced by a note that they are hidden."""
    if not privacy:
        return hit.snippet
    if hit.in_own_words:
        return OWN_WORDS_HIDDEN
    return mask_names(hit.snippet, hit.client_words)


def heading_text(hit: SearchHit, privacy: bool) -> str:
    parts = [client_label(hit, privacy), KIND_WORDS.get(hit.kind, hit.kind)]
    if hit.day:
        parts.append(hit.day.isoformat())
    return " · ".join(parts)


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._privacy = False

    @property
    def privacy(self) -> bool:
        return self._privacy

    @privacy.setter
    def privacy(self, on: bool) -> None:
        """Switching privacy mode redraws the hits already shown."""
        if on == self._privacy:
            return
        self._privacy = on
        if self._hits:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._hits) - 1, 0))

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit_at(self, row: int) -> SearchHit:
        return self._hits[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hit = self._hits[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            snippet = snippet_of(hit, self._privacy).replace(HIT_START, "").replace(HIT_END, "")
            plain = " · ".join(line for line in snippet.splitlines() if line.strip())
            return f"{heading_text(hit, self._privacy)}\n{plain}"
        if role == HTML_ROLE:
            heading = html.escape(heading_text(hit, self._privacy), quote=False)
            return f"<b>{heading}</b><br>{snippet_html(snippet_of(hit, self._privacy))}"
        if role == HIT_ROLE:
            return hit
        return None
