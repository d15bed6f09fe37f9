"""File ▸ Practice… ▸ Settings kept aside…: the versions of practice settings (templates,
questionnaires, fees) that did not stand after two computers changed the same one offline
(docs/design-notes.md §9, "Practice settings"), each with where it came from and when; one is used
(it becomes the one in use here, and the next sync sends it to the others as a new edit) or discarded
(after confirming). Thin UI over core/services/practice_settings.py, as `practice settings-aside`."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.services import practice_settings
from notesdesk.core.services.practice_settings import THIS_DEVICE, SetAsideView
from notesdesk.core.services.practice_view import PracticeView
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind
from notesdesk.ui.workspace.models import RowsModel
from notesdesk.ui.workspace.widgets import Confirm, ask_confirm, named

TITLE = "Settings kept aside"
EXPLAIN = ("When two computers change the same practice setting before they sync, the version of one "
           "stands everywhere and the other is kept here. Use a version to make it the one in use (the "
           "next sync sends it to the others), or discard it.")
NONE_LEFT = "No practice setting was changed on two computers."


def count_line(count: int) -> str:
    """The line File ▸ Practice… shows ('' for none)."""
    if not count:
        return ""
    versions = "1 version" if count == 1 else f"{count} versions"
    verb = "was" if count == 1 else "were"
    return (f"{versions} of practice settings (templates, questionnaires, fees) changed on two "
            f"computers {verb} kept aside.")


def device_words(view: PracticeView) -> dict[str, str]:
    """Device id -> whose computer it is, in words: a colleague by name and credentials, or this
    clinician's other computer."""
    members = {m.clinician_id: m for m in view.members}
    return {device: "your other computer" if members[who].you else members[who].label
            for device, who in view.devices.items() if who in members}


def came_from(device: str, devices: dict[str, str]) -> str:
    """'this computer', 'Dr Bob Ng, LCSW', 'your other computer', or the start of the device id when
    whose it is is not known here (the server was out of reach)."""
    if device == THIS_DEVICE:
        return "this computer"
    return devices.get(device) or f"computer {device[:8]}"


class SetAsideModel(RowsModel[SetAsideView]):
    COL_WHAT, COL_ITEM, COL_FROM, COL_WHEN, COL_WHY = range(5)
    HEADERS = ("Setting", "Which", "From", "Kept aside", "Why")

    def __init__(self, devices: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.devices = devices

    def cell(self, row: SetAsideView, column: int) -> str:
        if column == self.COL_WHAT:
            return row.what
        if column == self.COL_ITEM:
            return row.item
        if column == self.COL_FROM:
            return came_from(row.device, self.devices)
        if column == self.COL_WHEN:
            return datetime.fromisoformat(row.at).astimezone().strftime("%Y-%m-%d %H:%M")
        return row.why


class SettingsAsideDialog(QDialog):
    sig_changed = Signal()  # a version was used or discarded

    def __init__(self, ctx: AppContext, devices: dict[str, str], parent: QWidget | None = None,
                 confirm: Confirm | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._ctx = ctx
        self.confirm: Confirm = confirm or ask_confirm
        self.versions = SetAsideModel(devices, self)
        self.table = named(QTableView(), "Versions kept aside")
        self.table.setModel(self.versions)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SetAsideModel.COL_WHY, QHeaderView.ResizeMode.Stretch)
        self.value = named(QPlainTextEdit(), "The version kept aside")
        self.value.setReadOnly(True)
        self.status = named(QLabel(), "What happened")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.use = named(QPushButton("&Use this version"), "Make the chosen version the one in use")
        self.discard = named(QPushButton("&Discard…"), "Drop the chosen version")
        close = QPushButton("Close")
        explain = QLabel(EXPLAIN)
        explain.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use)
        buttons.addWidget(self.discard)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.value, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(760, 480)
        self.use.clicked.connect(self.use_selected)
        self.discard.clicked.connect(self.discard_selected)
        close.clicked.connect(self.accept)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._chosen())
        self.load()

    def load(self, message: str = "") -> None:
        found = self._ctx.session.read(practice_settings.set_aside) or []
        self.versions.set_rows(found)
        if found:
            self.table.selectRow(0)
        self.status.setText(message or ("" if found else NONE_LEFT))
        self._chosen()

    def selected(self) -> SetAsideView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.versions.row_at(rows[0].row()) if rows else None

    def _chosen(self) -> None:
        row = self.selected()
        if row is None:
            self.value.setPlainText("")
        else:
            self.value.setPlainText("(removed on that computer)" if row.value is None else row.value)
        writable = row is not None and not self._ctx.vault.read_only
        self.use.setEnabled(writable)
        self.discard.setEnabled(writable)

    def use_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        done = self._ctx.session.write(practice_settings.use_set_aside, row.id, change=Kind.TEMPLATE,
                                       client_id="", object_id=row.id)
        if done is not None:
            self.load(f"Now in use here: the {done.what} {done.item}; the next sync sends it to the others.")
            self.sig_changed.emit()

    def discard_selected(self) -> None:
        row = self.selected()
        if row is None or not self.confirm(
            self, "Discard version", f"Discard this version of the {row.what} {row.item}? The one in use "
            "stays as it is; this version cannot be brought back."
        ):
            return
        done = self._ctx.session.write(practice_settings.discard_set_aside, row.id, change=None,
                                       client_id="", object_id=row.id)
        if done is not None:
            self.load(f"Discarded the version of the {done.what} {done.item}; the one in use stays.")
            self.sig_changed.emit()
