"""Client → Share with colleague…: who can read this client now, share it with a member of the practice
(as a clinician, or as a supervisor who reads and co-signs), change a reader's role and stop sharing
its new records. For a client this vault only supervises it lists who holds the client, with
every write off and the core's one line saying why (only its clinicians share it). Thin UI
over core/services/practice_access.py (which audits each share) and practice_view.py; everything that
talks to the server runs on the one background runner, and a failure reaches the one presenter."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.services import practice_access, practice_view, supervision
from notesdesk.core.services.practice_view import Member, Reader
from notesdesk.ui.context import AppContext
from notesdesk.ui.models.practice_models import MembersModel, ReadersModel
from notesdesk.ui.session import Changed, Kind
from notesdesk.ui.workspace.widgets import Confirm, ask_confirm, named

if TYPE_CHECKING:  # a type in signatures only (ui/session.py)
    from notesdesk.core.storage.uow import UnitOfWork

TITLE = "Share with a colleague"  # never the client's name
LOADING = "Asking the practice server who can read this client…"
EXPLAIN = (
    "A colleague you share with receives this client's whole record, earlier records included, at "
    "their next sync. A supervisor reads the signed notes and can co-sign them. Stopping draws a new "
    "key for new records: what they already received stays on their computer."
)
NOT_SHARED = "Not shared yet: of the practice's clinicians, only you can read this client."
EVERYONE = "Every member of the practice can already read this client."
NO_COLLEAGUES = "No other member of the practice yet (File ▸ Practice… lists who has joined)."


@dataclass(frozen=True)
class Sharing:
    """What the dialog shows: the practice's members and who reads the client now; whether this vault
    only supervises the client (then the core refuses every change here, practice_access.assign)."""

    members: list[Member]
    readers: list[Reader]
    supervising: bool = False


def load(uow: Callable[[], UnitOfWork], client_id: str) -> Sharing:
    """The background job: the roster and the client's readers, each read in its own unit of work."""
    return Sharing(practice_view.overview(uow()).members, practice_view.readers(uow(), client_id),
                   supervision.supervised_only(uow(), client_id))


class ShareDialog(QDialog):
    def __init__(self, ctx: AppContext, client_id: str, client_label: str, parent: QWidget | None = None,
                 confirm: Confirm | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._ctx, self.client_id = ctx, client_id
        self.confirm: Confirm = confirm or ask_confirm
        self.busy = False
        self.supervising = False  # as the last listing found it: shown, not changed, from here
        heading = QLabel(f"<b>{html.escape(client_label)}</b>")  # initials in privacy mode (the caller's)
        explain = QLabel(EXPLAIN)
        explain.setWordWrap(True)
        self.readers = ReadersModel(self)
        self.members = MembersModel(self)
        self.table = named(QTableView(), "Who can read this client")
        self.table.setModel(self.readers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.stop = named(QPushButton("&Stop sharing…"), "Stop sharing this client's new records")
        self.change_role = named(QPushButton("Change &role…"),
                                 "Make the selected colleague supervisor, or clinician, of this client")
        self.colleague = named(QComboBox(), "Colleague to share with")
        self.as_supervisor = QCheckBox("As &supervisor (reads signed notes, co-signs)")
        self.share = named(QPushButton("S&hare"), "Share this client with the chosen colleague")
        self.status = named(QLabel(LOADING), "What happened")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # it may name a colleague
        self.status.setWordWrap(True)
        close = QPushButton("Close")
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel("Share with:"))
        chooser.addWidget(self.colleague, 1)
        chooser.addWidget(self.as_supervisor)
        chooser.addWidget(self.share)
        bottom = QHBoxLayout()
        bottom.addWidget(self.stop)
        bottom.addWidget(self.change_role)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addWidget(self.table, 1)
        layout.addLayout(chooser)
        layout.addWidget(self.status)
        layout.addLayout(bottom)
        self.resize(640, 420)
        self.share.clicked.connect(self.share_chosen)
        self.stop.clicked.connect(self.stop_selected)
        self.change_role.clicked.connect(self.change_role_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        close.clicked.connect(self.reject)
        self.refresh()

    # -- reading -------------------------------------------------------------------------------------

    def refresh(self, message: str = "") -> None:
        self._set_busy(True)
        self.status.setText(message or LOADING)
        self._ctx.session.background(lambda: load(self._ctx.uow, self.client_id),
                                     lambda found: self._loaded(found, message), self._failed)

    def _loaded(self, found: Sharing, message: str) -> None:
        if not shiboken6.isValid(self):
            return  # closed meanwhile
        self.readers.set_rows(found.readers)
        self.members.set_rows(found.members)
        self.supervising = found.supervising
        readers = {r.clinician_id for r in found.readers}
        choices = [m for m in self.members.colleagues() if m.clinician_id not in readers]
        self.colleague.clear()
        for member in choices:
            self.colleague.addItem(member.label, member.clinician_id)
        if found.supervising:
            message = practice_access.SUPERVISOR_CANNOT_SHARE
        elif not self.members.colleagues():
            message = message or NO_COLLEAGUES
        elif not choices:
            message = message or EVERYONE
        elif all(r.you for r in found.readers):
            message = message or NOT_SHARED
        self.status.setText(message)
        self._set_busy(False)

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.status.setText("The practice server did not answer; nothing was changed.")
        self._set_busy(False)
        self._ctx.errors.present(exc)

    # -- changing --------------------------------------------------------------------------------------

    def selected_reader(self) -> Reader | None:
        rows = self.table.selectionModel().selectedRows()
        return self.readers.row_at(rows[0].row()) if rows else None

    def share_chosen(self) -> None:
        who = self.colleague.currentData()
        if not who or self.busy:
            return
        supervisor = self.as_supervisor.isChecked()
        label = self.colleague.currentText()
        role = "as supervisor" if supervisor else "as clinician"
        self._change(lambda: practice_access.assign(self._ctx.uow(), self.client_id, who, supervisor),
                     f"Shared with {label} {role}: they receive the record at their next sync.")

    def stop_selected(self) -> None:
        reader = self.selected_reader()
        if reader is None or reader.you or self.busy:
            return
        question = (f"Stop sharing this client's new records with {reader.label}? A new key is drawn for "
                    "new records; what they already received stays on their computer.")
        if not self.confirm(self, "Stop sharing", question):
            return
        self._change(lambda: practice_access.unassign(self._ctx.uow(), self.client_id, reader.clinician_id),
                     f"New records are no longer shared with {reader.label}.")

    def change_role_selected(self) -> None:
        """A clinician made supervisor, or a supervisor clinician: a new key for new records holds the
        new role (practice_access.assign, docs/design-notes.md §9 *Roles are per key*)."""
        reader = self.selected_reader()
        if reader is None or reader.you or self.busy:
            return
        who = practice_view.clinician_label(reader.clinician_id, reader.name)
        role = "clinician" if reader.supervisor else "supervisor (reads signed notes, co-signs)"
        question = (f"Make {who} {role} of this client? A new key is drawn for its new records, which they "
                    "hold in their new role from their next sync; what they wrote before stays as written.")
        if not self.confirm(self, "Change role", question):
            return
        made_supervisor, clinician_id = not reader.supervisor, reader.clinician_id
        self._change(
            lambda: practice_access.assign(self._ctx.uow(), self.client_id, clinician_id, made_supervisor),
            f"{who} is now {role.split(' ')[0]} of this client, from their next sync.",
        )

    def _change(self, work: Callable[[], object], done: str) -> None:
        self._set_busy(True)
        self.status.setText("Sending to the practice server…")
        self._ctx.session.background(work, lambda _result: self._changed(done), self._change_failed)

    def _change_failed(self, exc: BaseException) -> None:
        """What the user asked for did not happen: the presenter says why; the listing stays."""
        if shiboken6.isValid(self):
            self._set_busy(False)
            self.status.setText("Nothing was changed.")
        self._ctx.errors.present(exc)

    def _changed(self, done: str) -> None:
        # The overview's "Shared with" line follows (it listens to this client's changes).
        self._ctx.session.sig_changed.emit(Changed(Kind.CLIENT, self.client_id, self.client_id))
        if shiboken6.isValid(self):
            self.refresh(done)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._enable()

    def _enable(self) -> None:
        writable = not self._ctx.vault.read_only and not self.busy and not self.supervising
        reader = self.selected_reader()
        self.share.setEnabled(writable and self.colleague.count() > 0)
        self.colleague.setEnabled(writable and self.colleague.count() > 0)
        self.as_supervisor.setEnabled(writable and self.colleague.count() > 0)
        self.stop.setEnabled(writable and reader is not None and not reader.you)
        self.change_role.setEnabled(writable and reader is not None and not reader.you)
