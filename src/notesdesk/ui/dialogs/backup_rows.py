"""The backups listed in the Backups dialog: rows read from the two folders, and a thin table model."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from notesdesk.core.backup.service import BackupInfo, list_backups
from notesdesk.ui.lifecycle.backups import human_size, local_time

APP_FOLDER = "This computer"
SECOND_FOLDER = "Second folder"


@dataclass(frozen=True)
class BackupRow:
    info: BackupInfo
    where: str
    size: int

    @property
    def path(self) -> Path:
        return self.info.path


def read_rows(primary: Path, second: Path | None) -> tuple[list[BackupRow], list[str]]:
    """Every backup in both folders, newest first, and a note for each folder that could not be
    read (an unplugged drive is not an error: it is simply not listed)."""
    rows: list[BackupRow] = []
    notes: list[str] = []
    for folder, where in ((primary, APP_FOLDER), (second, SECOND_FOLDER)):
        if folder is None:
            continue
        try:
            found = list_backups(folder)
        except OSError:
            notes.append(f"The {where.lower()} ({folder}) could not be read.")
            continue
        for info in found:
            size = 0
            with contextlib.suppress(OSError):
                size = info.path.stat().st_size
            rows.append(BackupRow(info, where, size))
    rows.sort(key=lambda r: (r.info.created, r.info.sequence), reverse=True)
    return rows, notes


class BackupListModel(QAbstractTableModel):
    COL_WHEN, COL_WHERE, COL_SIZE = range(3)
    HEADERS = ("Date and time", "Folder", "Size")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[BackupRow] = []

    def set_rows(self, rows: Sequence[BackupRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> BackupRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[BackupRow]:
        return list(self._rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_WHEN:
                again = f" ({row.info.sequence + 1})" if row.info.sequence else ""
                return local_time(row.info.created) + again
            if column == self.COL_WHERE:
                return row.where
            return human_size(row.size)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(row.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
