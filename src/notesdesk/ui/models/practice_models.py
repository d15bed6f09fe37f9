"""The practice's members and a client's readers as Qt models: thin adapters over
core/services/practice_view.py's plain rows (tested without a window)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from notesdesk.core.services.practice_view import MEMBER, REMOVED, WAITING, Member, Reader
from notesdesk.ui.workspace.models import RowsModel

Index = QModelIndex | QPersistentModelIndex
CLINICIAN_ROLE = Qt.ItemDataRole.UserRole + 1

STATE_WORDS = {
    MEMBER: "Member",
    WAITING: "Waiting to be added",
    REMOVED: "Removed",
}


class MembersModel(RowsModel[Member]):
    """Clinician (name or the start of their id), state, devices, and the full id to read out."""

    COL_NAME, COL_STATE, COL_DEVICES, COL_ID = range(4)
    HEADERS = ("Clinician", "State", "Devices", "Clinician id")

    def cell(self, row: Member, column: int) -> str:
        if column == self.COL_NAME:
            return row.label
        if column == self.COL_STATE:
            return STATE_WORDS.get(row.state, row.state)
        if column == self.COL_DEVICES:
            return str(row.devices)
        return row.clinician_id

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is not None and role == CLINICIAN_ROLE:
            return row.clinician_id
        return super().data(index, role)

    def colleagues(self) -> list[Member]:
        """Those a client can be shared with: members other than this clinician."""
        return [m for m in self.rows() if m.state == MEMBER and not m.you]


class ReadersModel(RowsModel[Reader]):
    """Who can read a client's new records now, and as what."""

    COL_NAME, COL_ROLE = range(2)
    HEADERS = ("Who can read this client", "As")

    def cell(self, row: Reader, column: int) -> str:
        if column == self.COL_NAME:
            return row.label.removesuffix(" (supervisor)")
        return "Supervisor (reads, co-signs)" if row.supervisor else "Clinician"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is not None and role == CLINICIAN_ROLE:
            return row.clinician_id
        return super().data(index, role)
