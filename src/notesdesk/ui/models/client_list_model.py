"""The client list as a table model (an adapter over plain Client objects) and its filter proxy."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QApplication, QStyle

from notesdesk.core.domain.clients import Client, ClientStatus
from notesdesk.core.services.lookup import fold
from notesdesk.core.services.overview import NO_FLAGS, UNSIGNED_AFTER_DAYS, ClientFlags

COL_NAME = 0
COL_STATUS = 1
COL_FLAGS = 2
HEADERS = ("Client", "Status", "Flags")

CLIENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3
SORT_ROLE = int(Qt.ItemDataRole.UserRole)
DISPLAY_ROLE = int(Qt.ItemDataRole.DisplayRole)
ACCESSIBLE_ROLE = int(Qt.ItemDataRole.AccessibleTextRole)
TOOLTIP_ROLE = int(Qt.ItemDataRole.ToolTipRole)
DECORATION_ROLE = int(Qt.ItemDataRole.DecorationRole)
ROLES_ANSWERED = frozenset({int(CLIENT_ID_ROLE), int(STATUS_ROLE), int(SEARCH_ROLE), SORT_ROLE, DISPLAY_ROLE,
                            ACCESSIBLE_ROLE, TOOLTIP_ROLE, DECORATION_ROLE})

STATUS_WORDS = {
    ClientStatus.ACTIVE: "Active",
    ClientStatus.ON_HOLD: "On hold",
    ClientStatus.DISCHARGED: "Discharged",
}

# The list column is narrow: short words there, the full wording in tooltips and for screen readers.
SHORT_FLAG_WORDS = {
    "risk recorded": "risk",
    "plan review due": "review",
    "risk item endorsed": "risk item",
    "risk item unanswered": "risk unknown",
    "not on track": "off track",
    "alliance drop": "alliance",
    "release of information expired": "release expired",
    "no informed consent recorded": "no consent",
}

AnyIndex = QModelIndex | QPersistentModelIndex


def flags_tooltip(flags: ClientFlags) -> str:
    """The full wording, then each measure flag's own message (which instrument, when, what to do)."""
    lines = ["; ".join(flags.labels()).capitalize()]
    if flags.oldest_unsigned_on is not None:
        lines.append(f"• Oldest unsigned note: session of {flags.oldest_unsigned_on.isoformat()} (drafts are "
                     f"flagged {UNSIGNED_AFTER_DAYS} days after the session)")
    lines += [f"• {f.message}" for f in flags.measure_flags]
    lines += [f"• {f.label.capitalize()}{': ' + f.detail if f.detail else ''}. {f.rule} Source: {f.source}"
              for f in flags.paperwork_flags]
    return "\n".join(lines)


def short_flags(flags: ClientFlags) -> str:
    words = []
    for label in flags.labels():
        if "homework" in label:
            words.append("homework")
        elif "unsigned" in label:
            words.append("unsigned")
        else:
            words.append(SHORT_FLAG_WORDS.get(label, label))
    return " · ".join(words)


def _surname_initial(client: Client) -> str:
    words = client.name.split()
    return f" {words[-1][0].upper()}." if len(words) > 1 else ""


def list_labels(clients: Sequence[Client]) -> dict[str, str]:
    """Each client's name in the list: the preferred name, unless another client is shown the same (case
    and accents aside); then the preferred name and surname initial, else the full name, and for two
    people of the same full name, the year of birth too."""
    def clashes(label_of: Callable[[Client], str]) -> set[str]:
        seen = Counter(fold(label_of(c)) for c in clients)
        return {c.id for c in clients if seen[fold(label_of(c))] > 1}

    def initial(c: Client) -> str:
        return f"{c.preferred_name}{_surname_initial(c)}" if c.preferred_name else c.name

    labels = {c.id: c.display_name for c in clients}
    clashing = clashes(lambda c: c.display_name)
    if not clashing:
        return labels
    still = clashes(lambda c: initial(c) if c.id in clashing else c.display_name)
    for c in clients:
        if c.id in clashing:
            labels[c.id] = c.name if c.id in still else initial(c)
    for c in clients:
        if c.id in clashing and c.id in still and c.date_of_birth is not None:
            twins = [o for o in clients if o.id != c.id and fold(o.name) == fold(c.name)]
            if twins:
                labels[c.id] = f"{c.name} (b. {c.date_of_birth.year})"
    return labels


@dataclass(frozen=True)
class ClientRow:
    client: Client
    flags: ClientFlags = NO_FLAGS
    search_text: str = ""
    label: str = ""
    # Sort keys, folded once here: the view sorts and sizes by them many times per refresh.
    label_key: str = ""
    initials_key: str = ""


def client_row(client: Client, flags: ClientFlags, label: str) -> ClientRow:
    return ClientRow(client, flags, fold(f"{client.name} {client.preferred_name}"), label, fold(label),
                     fold(client.initials))


def client_rows(clients: Sequence[Client], flags: Mapping[str, ClientFlags]) -> list[ClientRow]:
    """The rows for these clients, in their order: plain data, made off the UI thread at the first fill."""
    labels = list_labels(clients)
    return [client_row(c, flags.get(c.id, NO_FLAGS), labels[c.id]) for c in clients]


class ClientListModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ClientRow] = []
        self._privacy = False

    # -- feeding -------------------------------------------------------------------------------

    def set_rows(self, clients: Sequence[Client], flags: Mapping[str, ClientFlags]) -> None:
        self.beginResetModel()
        self._rows = client_rows(clients, flags)
        self.endResetModel()

    def append_rows(self, rows: Sequence[ClientRow]) -> None:
        """Add rows made by `client_rows` after the ones shown (the first fill, a chunk at a time)."""
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def set_flags(self, client_id: str, flags: ClientFlags) -> None:
        """Update one client's flags in place (after a change to their record)."""
        row = self.row_of(client_id)
        if row < 0 or self._rows[row].flags == flags:
            return
        self._rows[row] = replace(self._rows[row], flags=flags)
        self.dataChanged.emit(self.index(row, COL_FLAGS), self.index(row, COL_FLAGS))

    def set_all_flags(self, flags: Mapping[str, ClientFlags]) -> None:
        """Replace every row's flags (computed in the background) without resetting the view."""
        self._rows = [replace(r, flags=flags.get(r.client.id, NO_FLAGS)) for r in self._rows]
        if self._rows:
            self.dataChanged.emit(self.index(0, COL_FLAGS), self.index(len(self._rows) - 1, COL_FLAGS))

    def set_privacy(self, on: bool) -> None:
        if on == self._privacy:
            return
        self._privacy = on
        if self._rows:
            self.dataChanged.emit(self.index(0, COL_NAME), self.index(len(self._rows) - 1, COL_NAME))

    @property
    def privacy(self) -> bool:
        return self._privacy

    def names_shown(self) -> list[str]:
        """What the name column shows, row by row (initials in privacy mode)."""
        return [r.client.initials if self._privacy else r.label for r in self._rows]

    def clients(self) -> list[Client]:
        return [r.client for r in self._rows]

    def client_at(self, row: int) -> Client:
        return self._rows[row].client

    def row_of(self, client_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.client.id == client_id), -1)

    # -- Qt interface --------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called thousands of times per refresh (sorting, sizing, painting): roles this model does not
        # answer are turned away first, and roles are compared as plain ints (ROLES_ANSWERED).
        role = int(role)
        if role not in ROLES_ANSWERED or not index.isValid():
            return None
        row = self._rows[index.row()]
        client, column = row.client, index.column()
        if role == SORT_ROLE:
            if column == COL_NAME:
                return row.initials_key if self._privacy else row.label_key
            if column == COL_FLAGS:
                return -len(row.flags.labels())
            return self._display(row, column)
        if role == DISPLAY_ROLE:
            return self._display(row, column)
        if role == CLIENT_ID_ROLE:
            return client.id
        if role == STATUS_ROLE:
            return client.status.value
        if role == SEARCH_ROLE:
            return row.search_text
        if role == ACCESSIBLE_ROLE:
            return ", ".join(row.flags.labels()) if column == COL_FLAGS else self._display(row, column)
        if role == TOOLTIP_ROLE:
            if column == COL_FLAGS and row.flags.any:
                return flags_tooltip(row.flags)
            if column == COL_NAME and not self._privacy and row.label != client.name:
                return client.name
            return None
        if role == DECORATION_ROLE and column == COL_FLAGS and row.flags.any:
            style = QApplication.style()
            risky = any(label.startswith("risk") for label in row.flags.labels())
            pixmap = QStyle.StandardPixmap
            icon = pixmap.SP_MessageBoxCritical if risky else pixmap.SP_MessageBoxWarning
            return style.standardIcon(icon) if style else None
        return None

    def _display(self, row: ClientRow, column: int) -> str:
        client = row.client
        if column == COL_NAME:
            return client.initials if self._privacy else row.label
        if column == COL_STATUS:
            return STATUS_WORDS[client.status]
        if column == COL_FLAGS:
            return short_flags(row.flags)
        return ""


class ClientFilterProxy(QSortFilterProxyModel):
    """Filters by typed text (every word, accent- and case-insensitive) and by status."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._status: ClientStatus | None = None
        self.setSortRole(Qt.ItemDataRole.UserRole)
        self.setDynamicSortFilter(True)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_status(self, status: ClientStatus | str | None) -> None:
        self.beginFilterChange()
        self._status = ClientStatus(status) if status else None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        index = model.index(source_row, COL_NAME, source_parent)
        if self._status is not None and model.data(index, STATUS_ROLE) != self._status.value:
            return False
        haystack = str(model.data(index, SEARCH_ROLE) or "")
        return all(word in haystack for word in self._words)

    def client_id_at(self, proxy_row: int) -> str | None:
        if not 0 <= proxy_row < self.rowCount():
            return None
        return self.data(self.index(proxy_row, COL_NAME), CLIENT_ID_ROLE)
