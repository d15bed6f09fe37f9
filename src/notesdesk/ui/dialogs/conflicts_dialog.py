"""Sync conflicts: records a colleague (or another device) edited from the same version as this vault,
both versions side by side, field by field, and a choice of which to keep (services/sync_conflicts.py).
The choice goes to the other devices at the next sync."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.clients import initials_of
from notesdesk.core.errors import SUPERVISED_ONLY
from notesdesk.core.services import supervision, sync_conflicts
from notesdesk.core.services.sync_conflicts import ConflictView
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind
from notesdesk.ui.workspace.widgets import named

TITLE = "Sync conflicts"  # never a client's name
EXPLAIN = ("Each record below was changed here and on another device from the same version. Both "
           "versions are kept; choose one. Your choice reaches the other devices at the next sync.")
NONE_LEFT = "No conflicts: every record agrees with what the other devices last sent."


HIDDEN = "(hidden in privacy mode)"
HIDDEN_NOTE = "Privacy mode is on: which fields differ is shown, not their values."
_HEADS = ("title", "statement", "description", "name", "text")  # what a nested record is called by
_SKIPPED = ("id", "created_at")


def shown(value: Any) -> str:
    """A field's value as readable text: a plain value as it is, a list of plain values on one line,
    nested records (a plan's problems, goals, objectives) as an indented outline, one per line."""
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        return "\n".join(_outline(value, 0))
    if isinstance(value, list):
        return "; ".join(shown(v) for v in value) or "(none)"
    if isinstance(value, dict):
        return "\n".join(_record(value, 0))
    if value in (None, ""):
        return "(empty)"
    return str(value)


def _outline(items: list[Any], depth: int) -> list[str]:
    lines: list[str] = []
    for item in items:
        lines += _record(item, depth) if isinstance(item, dict) else [f"{'    ' * depth}• {shown(item)}"]
    return lines


def _record(record: dict[str, Any], depth: int) -> list[str]:
    pad = "    " * depth
    head = next((str(record[k]) for k in _HEADS if record.get(k)), "")
    lines = [f"{pad}• {head}"] if head else []
    nested: list[str] = []
    for key, value in record.items():
        if key in _SKIPPED or (head and value == head) or value in (None, "", [], False):
            continue
        if isinstance(value, list) and any(isinstance(v, dict) for v in value):
            nested += _outline(value, depth + 1)
        else:
            lines.append(f"{pad}  {key.replace('_', ' ')}: {'yes' if value is True else shown(value)}")
    return lines + nested


# The views a resolved conflict's table refreshes, where that is not the kind named as the table: an
# episode is the client's status (the list, the overview), a receipt has no view that follows changes.
_CHANGE_OF: dict[str, Kind | None] = {"episode": Kind.CLIENT, "receipt": None}


def change_of(table: str) -> Kind | None:
    """What a choice on a record of `table` changes, for the views that show it."""
    return _CHANGE_OF[table] if table in _CHANGE_OF else Kind(table)


class ConflictsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._ctx = ctx
        self.conflicts: list[ConflictView] = []
        explain = QLabel(EXPLAIN)
        explain.setWordWrap(True)
        self.listing = named(QListWidget(), "Records in conflict")
        self.empty = QLabel(NONE_LEFT)
        self.privacy_note = QLabel(HIDDEN_NOTE)
        self.fields = named(QTableWidget(0, 2), "Both versions, field by field")
        self.fields.setHorizontalHeaderLabels(["This device", "The other device"])
        self.fields.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)  # side by side
        self.fields.setWordWrap(True)
        self.fields.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.keep_mine = named(QPushButton("Keep &this device's"), "Keep this device's version")
        self.keep_theirs = named(QPushButton("Keep the &other device's"), "Keep the other device's version")
        # A client this vault only supervises: keeping this device's version would be refused (the
        # core's rule, services/supervision.py); the clinician's version can be taken.
        self.why_not_mine = named(QLabel(SUPERVISED_ONLY), "Why this device's version cannot be kept")
        self.why_not_mine.setWordWrap(True)
        self.why_not_mine.setTextFormat(Qt.TextFormat.PlainText)
        close = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_mine)
        buttons.addWidget(self.keep_theirs)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        self.listing.setMaximumHeight(140)
        layout.addWidget(self.listing)
        layout.addWidget(self.empty)
        layout.addWidget(self.privacy_note)
        layout.addWidget(self.fields, 1)
        layout.addWidget(self.why_not_mine)
        layout.addLayout(buttons)
        self.resize(760, 560)
        self.listing.currentRowChanged.connect(self._show_current)
        self.keep_mine.clicked.connect(lambda: self.keep("mine"))
        self.keep_theirs.clicked.connect(lambda: self.keep("theirs"))
        close.clicked.connect(self.reject)
        self.refresh()

    def _label(self, conflict: ConflictView) -> str:
        name = initials_of(conflict.client_name) if self._ctx.prefs.privacy_mode else conflict.client_name
        return f"{conflict.what.capitalize()} of {name}, from device {conflict.theirs_device}"

    def refresh(self) -> None:
        found = self._ctx.session.read(sync_conflicts.list_conflicts)
        self.conflicts = found or []
        self.listing.clear()
        self.listing.addItems([self._label(c) for c in self.conflicts])
        self.empty.setVisible(not self.conflicts)
        self.listing.setVisible(bool(self.conflicts))
        if self.conflicts:
            self.listing.setCurrentRow(0)
        else:
            self._show_current(-1)

    def current(self) -> ConflictView | None:
        row = self.listing.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def _show_current(self, _row: int) -> None:
        conflict = self.current()
        names = conflict.differing if conflict is not None else []
        private = self._ctx.prefs.privacy_mode  # shared on screen: a value may name anyone
        self.privacy_note.setVisible(private)
        self.fields.setRowCount(len(names))
        self.fields.setVerticalHeaderLabels([n.replace("_", " ") for n in names])
        for row, name in enumerate(names):
            assert conflict is not None
            for column, side in enumerate((conflict.mine, conflict.theirs)):
                item = QTableWidgetItem(HIDDEN if private else shown(side.get(name)))
                # Top-aligned, so two outlines of different lengths start on the same line.
                item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                self.fields.setItem(row, column, item)
        self.fields.resizeRowsToContents()
        writable = conflict is not None and not self._ctx.vault.read_only
        supervised = writable and bool(self._ctx.session.read(supervision.supervised_only,
                                                              conflict.client_id if conflict else ""))
        self.keep_mine.setEnabled(writable and not supervised)
        self.keep_theirs.setEnabled(writable)
        self.why_not_mine.setVisible(supervised)

    def keep(self, which: str) -> None:
        conflict = self.current()
        if conflict is None:
            return
        done = self._ctx.session.write(sync_conflicts.resolve, conflict.id, which,
                                       change=change_of(conflict.table), client_id=conflict.client_id,
                                       object_id=conflict.id)
        if done is not None:
            self.refresh()
