"""File → Practice…: the group practice as this vault sees it: the server (its address, never a
password), the fingerprints to compare out of band (the practice's, the practice key's current version
and this clinician's), the last sync, the versions waiting to be resolved, and the members with their
devices. Sync now; add a clinician who joined, after comparing their fingerprint; remove one (which
rotates the practice key). Thin UI over core/services/practice.py, practice_access.py and
practice_view.py: the server is asked on the one background runner, failures reach the one presenter."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.services import (
    practice,
    practice_access,
    practice_settings,
    practice_view,
    supervision,
    sync_state,
)
from notesdesk.core.services.practice_view import MEMBER, WAITING, Member, PracticeView
from notesdesk.ui.context import AppContext
from notesdesk.ui.dialogs.settings_aside_dialog import SettingsAsideDialog, count_line, device_words
from notesdesk.ui.lifecycle.sync_status import SyncKeeper, when
from notesdesk.ui.models.practice_models import MembersModel
from notesdesk.ui.workspace.widgets import Confirm, ask_confirm, named

if TYPE_CHECKING:  # a type in signatures only (ui/session.py)
    from notesdesk.core.storage.uow import UnitOfWork

TITLE = "Practice"
LOADING = "Asking the practice server who is in the practice…"
OFFLINE = "The practice server is out of reach: the members are shown once it answers."
WAITING_HERE = ("You are waiting to be added: read your clinician id and fingerprint to a member, who "
                "adds you in their File ▸ Practice…; the members are listed here once you are added.")
COMPARE_NOTE = ("Fingerprints are compared by reading them to each other by phone or in person, never "
                "through email or the server; after a clinician is removed, compare the practice key's.")
COMPARE = ("I read this fingerprint back with them by phone or in person, and it matches "
           "(never compare it through email or the server)")


def load(uow: Callable[[], UnitOfWork]) -> PracticeView:
    return practice_view.overview(uow())


def fingerprint_lines(view: PracticeView) -> list[tuple[str, str]]:
    """The dialog's facts, as (label, text): what `practice status` prints, in the same words."""
    status = view.status
    rows = [
        ("Server", status.server),
        ("Practice fingerprint", status.practice_fingerprint),
    ]
    if status.member and status.key_version > 1:  # version 1's is the practice fingerprint itself
        rows.append(("Practice key", f"version {status.key_version} · {status.key_fingerprint}"))
    elif status.member:
        rows.append(("Practice key", "version 1 (its fingerprint is the practice's)"))
    rows += [
        ("Your clinician id", status.clinician_id),
        ("Your fingerprint", status.fingerprint),
        ("Last sync", f"{when(status.last_sync)} · sent {status.pushed} records, received {status.received}"),
        ("To resolve", f"{view.to_resolve} (Client ▸ Sync conflicts…)" if view.to_resolve else "none"),
    ]
    if status.member:
        rows.append(("Clients", f"you can read {status.clients_shared} · {status.clients_not_shared} of "
                                "colleagues' are not shared with you"))
    if status.kept_here:
        rows.append(("Kept here", supervision.KEPT_HERE.format(count=status.kept_here)))
    return rows


class PracticeDialog(QDialog):
    def __init__(self, ctx: AppContext, keeper: SyncKeeper, parent: QWidget | None = None,
                 confirm: Confirm | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._ctx, self._keeper = ctx, keeper
        self.confirm: Confirm = confirm or ask_confirm
        self.view: PracticeView | None = None
        self.busy = False
        self.facts = QFormLayout()
        self.fact_labels: dict[str, QLabel] = {}
        self.members = MembersModel(self)
        self.table = named(QTableView(), "Members of the practice")
        self.table.setModel(self.members)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MembersModel.COL_ID, QHeaderView.ResizeMode.Stretch)
        self.status = named(QLabel(LOADING), "What happened")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # it may name a colleague
        self.status.setWordWrap(True)
        self.sync_now = named(QPushButton("S&ync now"), "Sync with the practice now")
        self.add = named(QPushButton("&Add clinician…"), "Add a clinician who joined, after comparing "
                         "their fingerprint")
        self.remove = named(QPushButton("&Remove clinician…"), "Remove the chosen clinician from the "
                            "practice (rotates the practice key)")
        self.add_computer = named(QPushButton("Add another &computer…"), "Add another computer of yours "
                                  "with a one-time code")
        close = QPushButton("Close")
        buttons = QHBoxLayout()
        for button in (self.sync_now, self.add, self.remove, self.add_computer):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        self.aside_line = named(QLabel(), "Practice settings kept aside")
        self.aside_line.setWordWrap(True)
        self.aside_button = named(QPushButton("Settings &kept aside…"), "See the versions kept aside, "
                                  "use or discard one")
        aside = QHBoxLayout()
        aside.addWidget(self.aside_line, 1)
        aside.addWidget(self.aside_button)
        compare = QLabel(COMPARE_NOTE)
        compare.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self.facts)
        layout.addLayout(aside)
        layout.addWidget(compare)
        layout.addWidget(QLabel("<b>Members</b>"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(820, 520)
        self.sync_now.clicked.connect(self.sync)
        self.add.clicked.connect(self.add_clinician)
        self.remove.clicked.connect(self.remove_selected)
        self.aside_button.clicked.connect(self.show_set_aside)
        self.add_computer.clicked.connect(self.invite_computer)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        close.clicked.connect(self.reject)
        keeper.sig_finished.connect(self._after_sync)
        self.refresh()

    # -- reading -------------------------------------------------------------------------------------

    def refresh(self, message: str = "") -> None:
        self._set_busy(True)
        self.status.setText(message or LOADING)
        self._ctx.session.background(lambda: load(self._ctx.uow), lambda v: self._loaded(v, message),
                                     self._failed)

    def _show_facts(self, rows: list[tuple[str, str]]) -> None:
        for name, text in rows:
            label = self.fact_labels.get(name)
            if label is None:
                label = self.fact_labels[name] = named(QLabel(), name)
                label.setTextFormat(Qt.TextFormat.PlainText)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.facts.addRow(f"{name}:", label)
            label.setText(text)

    def _loaded(self, view: PracticeView, message: str) -> None:
        if not shiboken6.isValid(self):
            return
        self.view = view
        self._show_facts(fingerprint_lines(view))
        self._keeper.renewal_seen()  # the new version's fingerprint is in view
        self.members.set_rows(view.members)
        self.show_aside_count()
        waiting = sum(m.state == WAITING and not m.you for m in view.members)
        if not message and not view.status.member:
            message = WAITING_HERE
        elif not message and waiting:
            message = (f"{waiting} waiting to be added: compare their fingerprint with them by phone or "
                       "in person, then Add clinician…")
        self.status.setText(message)
        self._set_busy(False)

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        status = self._ctx.session.read(practice.status)  # the vault's own half, without the server
        waiting = self._ctx.session.read(sync_state.summary)
        if status is not None:
            self.view = PracticeView(status, [], waiting.to_resolve if waiting else 0)
            self._show_facts(fingerprint_lines(self.view))
        self.members.set_rows([])
        self.show_aside_count()
        if sync_state.is_offline(exc):
            self.status.setText(OFFLINE)
        else:
            self.status.setText("The practice server did not answer as expected; nothing was changed.")
            self._ctx.errors.present(exc)

    def show_aside_count(self) -> None:
        count = self._ctx.session.read(practice_settings.count_set_aside) or 0
        self.aside_line.setText(count_line(count))
        self.aside_line.setVisible(bool(count))
        self.aside_button.setVisible(bool(count))

    # -- acting ----------------------------------------------------------------------------------------

    def show_set_aside(self) -> None:
        devices = device_words(self.view) if self.view is not None else {}
        self.aside_dialog = SettingsAsideDialog(self._ctx, devices, self, self.confirm)
        self.aside_dialog.sig_changed.connect(self.show_aside_count)
        self.aside_dialog.sig_changed.connect(self._keeper.refresh)  # the status bar's count too
        self.aside_dialog.open()

    def invite_computer(self) -> None:
        from notesdesk.ui.dialogs.invite_device_dialog import InviteDeviceDialog  # its own module

        self.invite_dialog = InviteDeviceDialog(self._ctx, self)
        self.invite_dialog.open()

    def selected(self) -> Member | None:
        rows = self.table.selectionModel().selectedRows()
        return self.members.row_at(rows[0].row()) if rows else None

    def sync(self) -> None:
        if self._keeper.running:
            return
        self._set_busy(True)
        self.status.setText("Syncing…")
        self._keeper.sync(asked=True)
        if not self._keeper.running:  # nothing to sync from here (read-only): no wait for an end
            self._set_busy(False)
            self.status.setText(self._keeper.label.text())

    def _after_sync(self) -> None:
        if shiboken6.isValid(self) and self.isVisible():
            self.refresh(self._keeper.label.text())

    def add_clinician(self) -> None:
        chosen = self.selected()
        form = AddClinicianDialog(chosen.clinician_id if chosen and chosen.state == WAITING else "", self)
        form.accepted.connect(lambda: self._add(form.clinician.text(), form.fingerprint.text()))
        self.add_form = form
        form.open()

    def _add(self, clinician_id: str, fingerprint: str) -> None:
        self._change(lambda: practice.add_clinician(self._ctx.uow(), clinician_id, fingerprint),
                     "Added: their next sync takes the practice key. Share clients with them from "
                     "Client ▸ Share with colleague….")

    def remove_selected(self) -> None:
        member = self.selected()
        if member is None or member.you or member.state != MEMBER or self.view is None:
            return
        question = (
            f"Remove {member.label} from the practice? Their devices can no longer sync, and every "
            "client they could read gets a new key for new records. This rotates the practice key to a "
            "new version: each member's computer takes it at its next sync; compare its fingerprint "
            "(shown here) with them as you compared the first. What they already received stays on "
            "their computer."
        )
        if self.confirm(self, "Remove clinician", question):
            self._change(lambda: practice_access.remove_clinician(self._ctx.uow(), member.clinician_id),
                         f"Removed {member.label}; the practice key's new version is shown above.")

    def _change(self, work: Callable[[], object], done: str) -> None:
        self._set_busy(True)
        self.status.setText("Sending to the practice server…")
        self._ctx.session.background(work, lambda _result: self.refresh(done) if shiboken6.isValid(self)
                                     else None, self._change_failed)

    def _change_failed(self, exc: BaseException) -> None:
        """What the user asked for did not happen: the presenter says why; the listing stays."""
        if shiboken6.isValid(self):
            self._set_busy(False)
            self.status.setText("Nothing was changed.")
        self._ctx.errors.present(exc)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._enable()

    def _enable(self) -> None:
        member = self.view is not None and self.view.status.member
        writable = not self._ctx.vault.read_only and not self.busy
        chosen = self.selected()
        self.sync_now.setEnabled(writable and not self._keeper.running)
        self.add.setEnabled(writable and bool(member))
        self.add_computer.setEnabled(writable and bool(member))
        self.remove.setEnabled(writable and bool(member) and chosen is not None and not chosen.you
                               and chosen.state == MEMBER)


class AddClinicianDialog(QDialog):
    """The id and fingerprint a joining colleague read out, and the comparison made: as
    `practice add-clinician CLINICIAN --fingerprint FP` asks for them."""

    def __init__(self, clinician_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a clinician")
        explain = QLabel("Ask the colleague who joined to read you their clinician id and fingerprint "
                         "(their File ▸ Practice…), by phone or in person.")
        explain.setWordWrap(True)
        self.clinician = named(QLineEdit(clinician_id), "Their clinician id")
        self.fingerprint = named(QLineEdit(), "Their fingerprint")
        self.compared = QCheckBox(COMPARE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton("Add", QDialogButtonBox.ButtonRole.AcceptRole)
        form = QFormLayout()
        form.addRow("Clinician id:", self.clinician)
        form.addRow("Fingerprint:", self.fingerprint)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.compared)
        layout.addWidget(self.buttons)
        self.resize(560, 200)
        for edit in (self.clinician, self.fingerprint):
            edit.textChanged.connect(self._enable)
        self.compared.toggled.connect(self._enable)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._enable()

    def _enable(self) -> None:
        ready = bool(self.clinician.text().strip() and self.fingerprint.text().strip())
        self.ok.setEnabled(ready and self.compared.isChecked())
