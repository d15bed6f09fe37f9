"""File ▸ Practice… ▸ Add another computer…: a one-time code for another computer of this clinician, what
`practice invite-device` prints (core/services/practice_devices.py), with how long it is valid and what
to choose on the other computer. The code is shown here only: never stored, logged or copied anywhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from notesdesk.core.services import practice_devices
from notesdesk.core.services.practice_devices import Invitation
from notesdesk.ui.context import AppContext
from notesdesk.ui.start.first_run import KeyLabel
from notesdesk.ui.widgets.labels import paragraph
from notesdesk.ui.workspace.widgets import named

if TYPE_CHECKING:  # a type in signatures only (ui/session.py)
    from notesdesk.core.storage.uow import UnitOfWork

TITLE = "Add another computer"
ASKING = "Asking the practice server for a one-time code…"
FAILED = "No code was made; nothing was changed."


def invite(uow: Callable[[], UnitOfWork]) -> Invitation:
    return practice_devices.invite_device(uow())


def how_to_use(invitation: Invitation) -> str:
    until = invitation.expires_at.astimezone().strftime("%H:%M")
    return (f"One-time code, valid until {until} and only once. On the other computer, with a new, "
            "empty vault: File ▸ Join a practice… ▸ Add this computer to my account, with the server "
            "address, its administrator's password and this code (or: notesdesk practice join --device "
            "--server URL --code CODE). It takes your keys and profile from here.")


class InviteDeviceDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._ctx = ctx
        self.busy = True
        self.code = KeyLabel()
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setAccessibleName("One-time code")
        self.status = named(paragraph(ASKING), "How to use the code")
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>A one-time code for your other computer</b>"))
        layout.addWidget(self.code)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(row)
        self.resize(620, 260)
        ctx.session.background(lambda: invite(ctx.uow), self._shown, self._failed)

    def _shown(self, invitation: Invitation) -> None:
        if not shiboken6.isValid(self):
            return
        self.busy = False
        self.code.setText(invitation.code)
        self.status.setText(how_to_use(invitation))

    def _failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.busy = False
            self.status.setText(FAILED)
        self._ctx.errors.present(exc)

    def reject(self) -> None:
        self.code.clear()  # the code is not left in a hidden widget
        super().reject()
