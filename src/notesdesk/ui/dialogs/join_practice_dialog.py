"""File ▸ Join a practice… (shown while the vault is in no practice): set up a new practice, join one as
a new clinician, or add this computer to one's own account with a one-time code — what `practice init`,
`practice join` and `practice join --device` do, as thin UI over the same services
(core/services/practice.py, practice_devices.py; docs/design-notes.md §9).

The administrator's password is asked for in a password field, used once in the background job and
cleared from the field at once: it is never stored, logged or shown. The server is asked on the one
background runner; a failure reaches the one presenter in one line and changes nothing. A new
practice's recovery key is shown once, as the vault's own is at creation (ui/start/first_run.py), and
the dialog closes only once its last group is typed back."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.services import practice, practice_devices
from notesdesk.core.services.practice import Founded, Joined
from notesdesk.core.services.practice_devices import DeviceJoined
from notesdesk.ui.context import AppContext
from notesdesk.ui.start.first_run import KeyLabel
from notesdesk.ui.widgets.labels import heading, paragraph, scaled_font
from notesdesk.ui.workspace.widgets import named

if TYPE_CHECKING:  # a type in signatures only (ui/session.py)
    from notesdesk.core.storage.uow import UnitOfWork

TITLE = "Join a practice"
SET_UP, JOIN, DEVICE = "set-up", "join", "device"
CHOICES = {
    SET_UP: "&Set up a new practice",
    JOIN: "&Join a practice",
    DEVICE: "&Add this computer to my account",
}
EXPLAIN = {
    SET_UP: "You are the first clinician: the practice is created on your PostgreSQL server (README, "
            "\"Group practice\"). Colleagues then join it from their own computers.",
    JOIN: "A colleague set the practice up: type the server address, the administrator's password and the "
          "practice fingerprint they read out to you (their File ▸ Practice…), by phone or in person.",
    DEVICE: "You are already in the practice on another computer: there, choose File ▸ Practice… ▸ Add "
            "another computer…, and type the one-time code it shows. Use a new, empty vault here.",
}
GO = {SET_UP: "Set up", JOIN: "Join", DEVICE: "Add this computer"}
ADDRESS_HINT = "postgresql://admin@db.example:5432/notesdesk"
WORKING = "Asking the practice server…"
FAILED = "Nothing was changed."
KEEP_IT = ("Practice recovery key: write it down and keep it apart from every computer; it is shown only "
           "this once. With it the practice owner can open every record the practice shares.")
WAITING = ("Read your clinician id and fingerprint to a member of the practice, by phone or in person: "
           "they add you in their File ▸ Practice…. Until then this vault is waiting to be added (the "
           "status bar says so); it syncs once you are added.")
FOUNDED = ("Read the practice's fingerprint to each colleague who joins, by phone or in "
           "person; add them in File ▸ Practice… once they read theirs back to you.")
DEVICE_ADDED = "This computer is added to your account: your records arrive with its first sync."
Result = Founded | Joined | DeviceJoined


def carry_out(uow: Callable[[], UnitOfWork], choice: str, address: str, password: str, fingerprint: str,
              code: str) -> Result:
    """The background job: the chosen service, with the administrator's login made from the address and
    the password asked for (practice.admin_login, as the CLI makes it)."""
    login = practice.admin_login(address.strip(), password)
    if choice == SET_UP:
        return practice.init(uow(), login)
    if choice == JOIN:
        return practice.join(uow(), login, fingerprint)
    return practice_devices.join_device(uow(), login, code)


def result_lines(result: Result) -> list[tuple[str, str]]:
    """What to read out or keep, as (label, text)."""
    if isinstance(result, Founded):
        return [("Practice fingerprint", result.practice_fingerprint),
                ("Your clinician id", result.clinician_id)]
    if isinstance(result, Joined):
        return [("Your clinician id", result.clinician_id), ("Your fingerprint", result.fingerprint)]
    return [("Your clinician id", result.clinician_id), ("This computer", f"device {result.device_id}")]


class JoinPracticeDialog(QDialog):
    sig_joined = Signal()
    """The vault is now part of a practice: the sync keeper shows its state and the practice menu."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._ctx = ctx
        self.busy = False
        self.result_shown: Result | None = None
        self.recovery_key = ""
        self.group = QButtonGroup(self)
        self.choices: dict[str, QRadioButton] = {}
        for choice, text in CHOICES.items():
            button = self.choices[choice] = QRadioButton(text)
            self.group.addButton(button)
            button.toggled.connect(lambda on, chosen=choice: self._choose(chosen) if on else None)
        self.explain = paragraph("")
        self.address = named(QLineEdit(), "Server address")
        self.address.setPlaceholderText(ADDRESS_HINT)
        self.password = named(QLineEdit(), "Server administrator password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.fingerprint = named(QLineEdit(), "Practice fingerprint read out by a colleague")
        self.code = named(QLineEdit(), "One-time code from your other computer")
        self.form = QFormLayout()
        self.form.addRow("Server &address:", self.address)
        self.form.addRow("Administrator &password:", self.password)
        self.form.addRow("Practice &fingerprint:", self.fingerprint)
        self.form.addRow("One-time &code:", self.code)
        self.status = named(QLabel(""), "What happened")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.go = QPushButton(GO[SET_UP])
        self.go.setDefault(True)
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.go)
        buttons.addWidget(self.close_button)

        self.asking = QWidget()
        asking = QVBoxLayout(self.asking)
        asking.setContentsMargins(0, 0, 0, 0)
        for button in self.choices.values():
            asking.addWidget(button)
        asking.addWidget(self.explain)
        asking.addLayout(self.form)
        self.done_part = self._done_part()
        layout = QVBoxLayout(self)
        layout.addWidget(self.asking)
        layout.addWidget(self.done_part)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.done_part.hide()
        self.resize(720, 380)
        for edit in (self.address, self.password, self.fingerprint, self.code):
            edit.textChanged.connect(self._enable)
        self.go.clicked.connect(self.start)
        self.close_button.clicked.connect(self.reject)
        self.choices[SET_UP].setChecked(True)

    def _done_part(self) -> QWidget:
        part = QWidget()
        self.done_heading = heading("", factor=1.2)
        self.done_text = paragraph("")
        self.facts = QFormLayout()
        self.fact_labels: dict[str, QLabel] = {}
        self.keep_it = paragraph(KEEP_IT)
        self.keep_it.setFont(scaled_font(self.keep_it.font(), 1.0, bold=True))  # as the vault's own key
        self.key_label = KeyLabel()
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAccessibleName("Practice recovery key")
        self.last_group = named(QLineEdit(), "Last group of the practice recovery key")
        self.last_group.setMaxLength(9)
        self.key_form = QFormLayout()
        self.key_form.addRow("Type the key's &last group to show you have it:", self.last_group)
        layout = QVBoxLayout(part)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.done_heading)
        layout.addWidget(self.done_text)
        layout.addLayout(self.facts)
        layout.addWidget(self.keep_it)
        layout.addWidget(self.key_label)
        layout.addLayout(self.key_form)
        self.last_group.textChanged.connect(self._enable)
        return part

    @property
    def choice(self) -> str:
        return next(choice for choice, button in self.choices.items() if button.isChecked())

    def _choose(self, choice: str) -> None:
        self.explain.setText(EXPLAIN[choice])
        self.form.setRowVisible(self.fingerprint, choice == JOIN)
        self.form.setRowVisible(self.code, choice == DEVICE)
        self.go.setText(GO[choice])
        self.status.clear()
        self._enable()

    def _ready(self) -> bool:
        needed = [self.address.text().strip(), self.password.text()]
        if self.choice == JOIN:
            needed.append(self.fingerprint.text().strip())
        elif self.choice == DEVICE:
            needed.append(self.code.text().strip())
        return all(needed)

    def key_kept(self) -> bool:
        """No recovery key to keep, or its last group typed back."""
        return not self.recovery_key or (
            self.last_group.text().strip().upper() == self.recovery_key.rsplit("-", 1)[-1].upper()
        )

    def _enable(self) -> None:
        self.asking.setEnabled(not self.busy)
        self.go.setEnabled(not self.busy and self.result_shown is None and self._ready())
        self.close_button.setEnabled(not self.busy and self.key_kept())

    # -- acting ----------------------------------------------------------------------------------------

    def start(self) -> None:
        if self.busy or not self._ready() or self._ctx.vault.read_only:
            return
        choice, address, password = self.choice, self.address.text(), self.password.text()
        fingerprint, code = self.fingerprint.text(), self.code.text()
        self.password.clear()  # used once, in the job below; never kept in a widget
        self.busy = True
        self.status.setText(WORKING)
        self._enable()
        self._ctx.session.background(
            lambda: carry_out(self._ctx.uow, choice, address, password, fingerprint, code),
            self._done, self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.busy = False
            self.status.setText(FAILED)
            self._enable()
        self._ctx.errors.present(exc)

    def _done(self, result: Result) -> None:
        self.sig_joined.emit()  # the vault is in a practice even if this dialog was closed meanwhile
        if not shiboken6.isValid(self):
            return
        self.busy = False
        self.result_shown = result
        self.asking.hide()
        self.go.hide()
        for name, text in result_lines(result):
            label = self.fact_labels[name] = named(QLabel(text), name)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addRow(f"{name}:", label)
        founded = isinstance(result, Founded)
        self.recovery_key = result.recovery_key if isinstance(result, Founded) else ""
        self.key_label.setText(self.recovery_key)
        for widget in (self.keep_it, self.key_label):
            widget.setVisible(founded)
        self.key_form.setRowVisible(self.last_group, founded)
        if founded:
            self.done_heading.setText("The practice is set up")
            self.done_text.setText(FOUNDED)
        elif isinstance(result, Joined):
            self.done_heading.setText("You joined the practice: waiting to be added")
            self.done_text.setText(WAITING)
        else:
            self.done_heading.setText("This computer is added")
            self.done_text.setText(DEVICE_ADDED)
        self.status.clear()
        self.done_part.show()
        self._enable()

    def reject(self) -> None:
        """A practice recovery key shown once is not closed away before it is kept."""
        if self.busy or not self.key_kept():
            return
        self.last_group.clear()
        self.key_label.clear()
        self.recovery_key = ""  # kept by the person now; not held in this process any longer
        super().reject()
