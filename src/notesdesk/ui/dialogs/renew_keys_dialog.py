"""Renew the vault's keys (a new data key and recovery key: core/storage/rekey.py), or issue a new
recovery key alone. The current passphrase is proven first; the work runs off the UI thread; the new
recovery key is then shown once on the same page the first run uses, with its recovery sheet."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.summaries import PractitionerBlock
from notesdesk.core.errors import WrongPassphrase
from notesdesk.core.services import key_renewal
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.context import AppContext
from notesdesk.ui.start.first_run import RecoveryKeyPage
from notesdesk.ui.widgets.labels import InlineMessage, paragraph
from notesdesk.ui.widgets.passphrase import PassphraseField


class Renewal(Enum):
    KEYS = "keys"
    RECOVERY_KEY = "recovery key"


TITLES = {Renewal.KEYS: "Renew keys", Renewal.RECOVERY_KEY: "New recovery key"}
ACTIONS = {Renewal.KEYS: "&Renew keys", Renewal.RECOVERY_KEY: "&Issue new recovery key"}
EXPLAINED = {
    Renewal.KEYS: (
        "A new data key: every record is sealed again under it, and a new recovery key replaces the "
        "old one. Your passphrase stays the same. Do this if your passphrase, recovery key or a copy "
        "of the vault may have fallen into other hands: nothing written from now on can be read with "
        "them. Backups made before keep opening with the passphrase and recovery key of their day."
    ),
    Renewal.RECOVERY_KEY: (
        "A new recovery key replaces the old one for this vault. Backups made before still open "
        "with the old one; “Renew keys” stops that too."
    ),
}
DONE = {
    Renewal.KEYS: "Your keys were renewed: every record is sealed under a new data key.",
    Renewal.RECOVERY_KEY: "The new recovery key replaces the old one.",
}


class RenewKeysDialog(QDialog):
    def __init__(self, ctx: AppContext, renewal: Renewal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLES[renewal])
        self._ctx = ctx
        self._renewal = renewal
        self.current = PassphraseField("Current passphrase", self)
        self.message = InlineMessage(self)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName("Working")
        self.busy.hide()
        self.submit = QPushButton(ACTIONS[renewal])
        self.submit.setAccessibleName(TITLES[renewal])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.addButton(self.submit, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.rejected.connect(self.reject)
        self.submit.clicked.connect(self._on_submit)
        self.current.returnPressed.connect(self._on_submit)
        self.current.textChanged.connect(lambda _t: self.message.clear())

        ask = QWidget(self)
        form = QFormLayout()
        form.addRow("C&urrent passphrase:", self.current)
        label = form.labelForField(self.current)
        if label is not None:
            label.setBuddy(self.current.edit)  # type: ignore[attr-defined]
        layout = QVBoxLayout(ask)
        layout.addWidget(paragraph(EXPLAINED[renewal]))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self.key_page = RecoveryKeyPage()
        self.key_page.vault_path = ctx.vault.path
        self.key_page.present_error = lambda exc: ctx.errors.present(exc, title="Recovery sheet")
        self.key_page.sig_confirmed.connect(self._on_confirmed)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(ask)
        self.stack.addWidget(self.key_page)
        outer = QVBoxLayout(self)
        outer.addWidget(self.stack)
        self.current.setFocus()

    def _on_submit(self) -> None:
        current = self.current.text()
        if not current:
            self.message.show_message("Type your current passphrase first.")
            return
        vault, renewal = self._ctx.vault, self._renewal

        def work() -> str:
            # Proves the current passphrase without taking the vault's lock (read-only open).
            Vault.open(vault.path, passphrase=current, read_only=True).close()
            if renewal is Renewal.KEYS:
                return key_renewal.renew_keys(vault, current)
            return key_renewal.new_recovery_key(vault)

        self._set_busy(True)
        self._ctx.session.background(work, self._on_done, self._on_failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.current.setEnabled(not busy)
        self.submit.setEnabled(not busy)

    def _on_done(self, key: str) -> None:
        self._set_busy(False)
        self.current.clear()
        profile = self._ctx.vault.profile()
        practitioner = PractitionerBlock(profile.name, profile.credentials, profile.contact, profile.locale)
        self.key_page.set_key(key, self._ctx.vault.vault_id, practitioner)
        self.stack.setCurrentWidget(self.key_page)

    def _on_confirmed(self) -> None:
        self.accept()
        self._ctx.errors.inform(DONE[self._renewal], title=TITLES[self._renewal])

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, WrongPassphrase):
            self.message.show_message("That is not the current passphrase.")
            self.current.setFocus()
        else:
            self._ctx.errors.present(exc)

    def reject(self) -> None:
        """Once the new key is shown, the dialog closes only when the person confirms they have it."""
        if self.stack.currentWidget() is self.key_page:
            self.key_page.message.show_message("Type the key's last group first: it is shown only this once.")
            return
        super().reject()

    def done(self, result: int) -> None:
        self.key_page.close_sheet()
        super().done(result)
