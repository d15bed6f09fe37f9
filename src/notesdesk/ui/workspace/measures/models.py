"""The score history table: date, instrument, total, band, change label (its rule as the tooltip), flags."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from notesdesk.core.services.measures import MeasureRow
from notesdesk.ui.workspace.measures.data import change_text, change_tip, flags_text, row_flags, total_text

AnyIndex = QModelIndex | QPersistentModelIndex


class MeasureHistoryModel(QAbstractTableModel):
    COL_DATE, COL_INSTRUMENT, COL_TOTAL, COL_BAND, COL_CHANGE, COL_FLAGS = range(6)
    HEADERS = ("Date", "Instrument", "Total", "Band", "Change from baseline", "Flags")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[MeasureRow] = []
        self.note_labels: dict[str, str] = {}  # session note id -> its label, for the date's tooltip

    def set_rows(self, rows: Sequence[MeasureRow]) -> None:
        """Newest first: the latest score is the one looked for."""
        self.beginResetModel()
        self._rows = list(reversed(rows))
        self.endResetModel()

    def row_at(self, row: int) -> MeasureRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_DATE:
                return self._date_tip(row)
            if column == self.COL_CHANGE:  # the label itself (a narrow table cuts it), then its rule
                return "\n".join(part for part in (change_text(row), change_tip(row)) if part) or None
            if column == self.COL_TOTAL and row.score is not None:
                return row.score.explanation
            if column == self.COL_FLAGS:
                return "\n".join(f.message for f in row_flags(row)) or None
            if column == self.COL_BAND and row.instrument is not None:
                return f"Bands: {row.instrument.bands_source}" if row.instrument.bands_source else None
            return None
        if role == Qt.ItemDataRole.FontRole and column == self.COL_FLAGS and row.score is not None \
                and row.score.risk_flagged:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_TOTAL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _date_tip(self, row: MeasureRow) -> str | None:
        given = row.administration
        note = given.note_id and (self.note_labels.get(given.note_id) or "a removed note")
        lines = [f"Session note: {note}" if note else "", given.comment]
        return "\n".join(line for line in lines if line) or None

    def _text(self, row: MeasureRow, column: int) -> str:
        if column == self.COL_DATE:
            return row.administration.administered_on.isoformat()
        if column == self.COL_INSTRUMENT:
            return row.instrument.name if row.instrument else row.administration.instrument
        if column == self.COL_TOTAL:
            return total_text(row)
        if column == self.COL_BAND:
            return (row.score.band if row.score else None) or ""
        if column == self.COL_CHANGE:
            return change_text(row)
        if column == self.COL_FLAGS:
            return flags_text(row)
        return ""
