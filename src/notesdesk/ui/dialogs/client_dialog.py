"""Add or edit a client's details. The title never carries the client's name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.clients import Client, Modality
from notesdesk.core.domain.common import today
from notesdesk.core.errors import InvalidInput, NotesdeskError
from notesdesk.ui.widgets.dates import OptionalDateEdit
from notesdesk.ui.widgets.labels import InlineMessage


def _line(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    return edit


def _text(name: str, lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setAccessibleName(name)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 2 * edit.frameWidth() + 8)
    return edit


def ask_discard(parent: QWidget, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("&Keep editing", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


def same_name_warning(others: Sequence[Client]) -> str:
    """Says who else has this name, with what tells people apart (birth date, status)."""
    if not others:
        return ""
    described = []
    for other in others:
        facts = [f"born {other.date_of_birth.isoformat()}"] if other.date_of_birth else []
        facts.append(other.status.value)
        described.append(f"{other.name} ({', '.join(facts)})")
    who = "Another client has" if len(others) == 1 else f"{len(others)} other clients have"
    return (f"{who} this name: {'; '.join(described)}. Saving keeps both records; check this is not "
            "the same person.")


class ClientDialog(QDialog):
    """`save` is called with the edited Client; on a NotesdeskError the dialog stays open and says why.
    `same_name(name, client_id)` lists other clients of that full name: a warning, never a refusal."""

    def __init__(
        self,
        save: Callable[[Client], Client],
        client: Client | None = None,
        parent: QWidget | None = None,
        same_name: Callable[[str, str | None], Sequence[Client]] = lambda _name, _id: (),
        read_only: bool = False,
        read_only_reason: str = "",
    ) -> None:
        """`read_only_reason`: the details are shown to read only (a client this vault only supervises):
        every field read-only, Save off, and this one line says why."""
        super().__init__(parent)
        self.setWindowTitle("Edit client" if client else "New client")
        self._save = save
        self._original = client
        self._same_name = same_name
        # Nothing typed can be kept: Cancel does not ask.
        self._read_only = read_only or bool(read_only_reason)
        self.saved: Client | None = None
        # Replaceable (tests answer for the user): (parent, title, question) -> discard?
        self.confirm_discard: Callable[[QWidget, str, str], bool] = ask_discard

        self.name = _line("Full name")
        self.preferred = _line("Preferred name")
        self.pronouns = _line("Pronouns")
        self.dob = OptionalDateEdit("Date of birth", calendar_years_back=30)
        self.phone = _line("Phone")
        self.email = _line("Email")
        self.address = _text("Address", 2)
        self.emergency = _line("Emergency contact")
        self.referral = _line("Referral source")
        self.concerns = _text("Presenting concerns", 3)
        self.modality = QComboBox()
        self.modality.setAccessibleName("Modality")
        for modality in Modality:
            self.modality.addItem(modality.value, modality)
        self.intake = OptionalDateEdit("Intake date")
        self.same_name = InlineMessage(self)
        self.message = InlineMessage(self)

        form = QFormLayout()
        form.addRow("Full &name:", self.name)
        form.addRow("&Preferred name:", self.preferred)
        form.addRow("Pro&nouns:", self.pronouns)
        form.addRow("Date of &birth:", self.dob)
        form.addRow("P&hone:", self.phone)
        form.addRow("&Email:", self.email)
        form.addRow("&Address:", self.address)
        form.addRow("Emer&gency contact:", self.emergency)
        form.addRow("&Referral:", self.referral)
        form.addRow("Presenting &concerns:", self.concerns)
        form.addRow("&Modality:", self.modality)
        form.addRow("&Intake date:", self.intake)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.same_name)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._fill(client)
        if read_only_reason:
            self._show_only(read_only_reason)
        self._initial = self._fields()
        self.name.editingFinished.connect(self._check_same_name)
        self.name.textChanged.connect(self._on_name_edited)
        self._acknowledged = ""
        self._pending = False
        self.name.setFocus()

    def _show_only(self, reason: str) -> None:
        for edit in self.findChildren(QLineEdit) + self.findChildren(QPlainTextEdit):
            edit.setReadOnly(True)
        for choice in (self.modality, self.dob, self.intake):
            choice.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self.message.show_message(reason)

    def _check_same_name(self) -> str:
        name = self.name.text().strip()
        unchanged = self._original is not None and name == self._original.name
        own_id = self._original.id if self._original else None
        others = [] if unchanged or not name else self._same_name(name, own_id)
        warning = same_name_warning(others)
        self.same_name.show_message(warning)
        return warning

    def _warn_same_name(self) -> bool:
        """True (do not save yet) the first time Save meets a name another client has."""
        name = self.name.text().strip()
        if not self._check_same_name() or name == self._acknowledged:
            return False
        self._acknowledged = name
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Save &anyway")
        return True

    def _fill(self, client: Client | None) -> None:
        if client is None:
            self.intake.set_value(today())
            self.modality.setCurrentIndex(self.modality.findData(Modality.OTHER))
            return
        self.name.setText(client.name)
        self.preferred.setText(client.preferred_name)
        self.pronouns.setText(client.pronouns)
        self.dob.set_value(client.date_of_birth)
        self.phone.setText(client.phone)
        self.email.setText(client.email)
        self.address.setPlainText(client.address)
        self.emergency.setText(client.emergency_contact)
        self.referral.setText(client.referral)
        self.concerns.setPlainText(client.presenting_concerns)
        self.modality.setCurrentIndex(max(0, self.modality.findData(client.modality)))
        self.intake.set_value(client.intake_date)

    def _fields(self) -> dict[str, Any]:
        return dict(
            name=self.name.text().strip(),
            preferred_name=self.preferred.text().strip(),
            pronouns=self.pronouns.text().strip(),
            date_of_birth=self.dob.value(),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            address=self.address.toPlainText().strip(),
            emergency_contact=self.emergency.text().strip(),
            referral=self.referral.text().strip(),
            presenting_concerns=self.concerns.toPlainText().strip(),
            modality=Modality(self.modality.currentData()),
            intake_date=self.intake.value(),
        )

    def _on_name_edited(self, _text: str) -> None:
        self.same_name.clear()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Save")

    def has_changes(self) -> bool:
        """Anything typed or chosen since the dialog opened (a date that cannot be read counts)."""
        try:
            return self._fields() != self._initial
        except InvalidInput:
            return True  # an unreadable date is unsaved work, not an error to raise here

    def save_pending(self) -> bool:
        """Before a lock or close: save what was typed if it is valid. True when nothing is left
        unsaved (saved, or nothing changed); False when the dialog stays open saying why."""
        if not self.isVisible() or not self.has_changes():
            return True
        self._pending = True  # a lock keeps what was typed, even under a name another client has
        try:
            self.accept()
        finally:
            self._pending = False
        return not self.isVisible()

    def client(self) -> Client:
        fields = self._fields()
        if self._original is None:
            return Client(**fields)
        return replace(self._original, **fields)

    def accept(self) -> None:
        if not self.name.text().strip():
            self.message.show_message("A client needs a name.")
            self.name.setFocus()
            return
        if not self._pending and self._warn_same_name():
            return  # said once who else has this name; the next Save keeps both
        try:
            self.saved = self._save(self.client())
        except NotesdeskError as exc:
            self.message.show_message(exc.message)
            return
        super().accept()

    def reject(self) -> None:
        """Cancel, Esc or the close box: ask before dropping what was typed."""
        if self.isVisible() and not self._read_only and self.has_changes():
            question = ("Discard the new client's details?" if self._original is None
                        else "Discard your changes to this client's details?")
            if not self.confirm_discard(self, "Discard changes", question):
                return
        super().reject()
