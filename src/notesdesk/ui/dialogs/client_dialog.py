"""Add or edit a client's details. The title never carries the client's name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.clients import Client, Modality
from notesdesk.core.domain.common import today
from notesdesk.core.errors import NotesdeskError
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


class ClientDialog(QDialog):
    """`save` is called with the edited Client; on a NotesdeskError the dialog stays open and says why."""

    def __init__(
        self,
        save: Callable[[Client], Client],
        client: Client | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit client" if client else "New client")
        self._save = save
        self._original = client
        self.saved: Client | None = None

        self.name = _line("Full name")
        self.preferred = _line("Preferred name")
        self.pronouns = _line("Pronouns")
        self.dob = OptionalDateEdit("Date of birth")
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
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._fill(client)
        self._initial = self._fields()
        self.name.setFocus()

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

    def _fields(self) -> dict[str, object]:
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

    def has_changes(self) -> bool:
        """Anything typed or chosen since the dialog opened."""
        return self._fields() != self._initial

    def save_pending(self) -> bool:
        """Before a lock or close: save what was typed if it is valid. True when nothing is left
        unsaved (saved, or nothing changed); False when the dialog stays open saying why."""
        if not self.isVisible() or not self.has_changes():
            return True
        self.accept()
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
        try:
            self.saved = self._save(self.client())
        except NotesdeskError as exc:
            self.message.show_message(exc.message)
            return
        super().accept()
