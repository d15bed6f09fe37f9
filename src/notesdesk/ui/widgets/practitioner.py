"""Who signs: the practitioner's name, credentials, country and contact, as one form.

Used by the first run (ui/start/about_you.py), Settings, and the dialog a refused signature offers
(ui/workspace/notes/signer.py). The details live sealed in the vault, never in preferences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Signal
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

from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.reports.crisis_lines import COUNTRIES, describe, known_locale
from notesdesk.core.services.profile import changed_fields
from notesdesk.ui.widgets.labels import InlineMessage, paragraph

UNKNOWN_LOCALE = "{code}: no crisis lines known (choose a country)"
NO_COUNTRY = "Choose a country…"
NO_COUNTRY_PREVIEW = "No crisis lines are printed on safety plans until you choose a country."
WHY_SIGNER = (
    "Your name and credentials are printed with every signature and can never be changed on a signed "
    "note, so NotesDesk signs nothing until both are set."
)


def can_sign(profile: PractitionerProfile) -> bool:
    """The core's rule (the signing service refuses otherwise), asked before a signature is tried."""
    return profile.can_sign


def _named[W: QWidget](widget: W, name: str) -> W:
    widget.setAccessibleName(name)
    return widget


class PractitionerForm(QWidget):
    """The four fields and the crisis-line preview; `profile()` folds them into a saved profile."""

    sig_changed = Signal()
    """A field changed (the first-run page enables its Continue button from it)."""

    def __init__(self, profile: PractitionerProfile, suggested_locale: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._saved_locale = profile.locale
        self.name = _named(QLineEdit(profile.name), "Practitioner name")
        self.name.setPlaceholderText("As it should appear under a signature")
        self.credentials = _named(QLineEdit(profile.credentials), "Credentials")
        self.credentials.setPlaceholderText("e.g. PhD, Licensed Psychologist #12345")
        self.contact = _named(QPlainTextEdit(profile.contact), "Practice contact details")
        self.contact.setPlaceholderText("Address and phone, printed on documents for clients")
        self.contact.setTabChangesFocus(True)
        self.contact.setFixedHeight(self.contact.fontMetrics().lineSpacing() * 3 + 12)
        self.locale_combo = _named(QComboBox(self), "Crisis lines for")
        for code, country in COUNTRIES.items():
            self.locale_combo.addItem(f"{country} ({code})", code)
        self.locale_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        known = known_locale(profile.locale) or known_locale(suggested_locale)
        if known is not None:
            self.locale_combo.setCurrentIndex(self.locale_combo.findData(known))
        elif profile.locale:  # kept until a country is chosen (its paper size, say), never guessed
            self.locale_combo.insertItem(0, UNKNOWN_LOCALE.format(code=profile.locale), profile.locale)
            self.locale_combo.setCurrentIndex(0)
        else:  # not set: no crisis line is printed until one is chosen
            self.locale_combo.insertItem(0, NO_COUNTRY, "")
            self.locale_combo.setCurrentIndex(0)
        self.lines_preview = _named(paragraph(""), "Printed on every safety plan")
        self.locale_combo.currentIndexChanged.connect(lambda _i: self._show_lines())
        self._show_lines()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("&Name:", self.name)
        form.addRow("&Credentials:", self.credentials)
        form.addRow("Crisis lines &for:", self.locale_combo)
        form.addRow("", self.lines_preview)
        form.addRow("C&ontact:", self.contact)
        for edit in (self.name, self.credentials):
            edit.textChanged.connect(self.sig_changed)
        self.contact.textChanged.connect(self.sig_changed)
        self.locale_combo.currentIndexChanged.connect(self.sig_changed)

    def locale_code(self) -> str:
        code = str(self.locale_combo.currentData() or "")
        saved = self._saved_locale
        return saved if code and known_locale(saved) == code else code  # "GB" stays "GB", not "UK"

    def _show_lines(self) -> None:
        code = self.locale_code()
        text = describe(code) if code else NO_COUNTRY_PREVIEW
        self.lines_preview.setText("Printed on every safety plan:\n" + text)

    def complete(self) -> bool:
        return bool(self.name.text().strip() and self.credentials.text().strip())

    def profile(self, base: PractitionerProfile) -> PractitionerProfile:
        return replace(
            base,
            name=self.name.text().strip(),
            credentials=self.credentials.text().strip(),
            contact=self.contact.toPlainText().strip(),
            locale=self.locale_code(),
        )


class PractitionerDialog(QDialog):
    """Asked for when a signature is refused: the same form, saved into the vault on Save."""

    def __init__(self, profile: PractitionerProfile, save: Callable[[dict[str, str | int]], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your details for signatures")
        self._base = profile
        self._save = save
        self.form = PractitionerForm(profile, parent=self)
        self._opened = self.form.profile(profile)
        self.message = InlineMessage(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(paragraph(WHY_SIGNER))
        layout.addWidget(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)

    def accept(self) -> None:
        if not self.form.complete():
            self.message.show_message("Fill in both your name and your credentials.")
            (self.form.credentials if self.form.name.text().strip() else self.form.name).setFocus()
            return
        # Only the fields changed here: a rename a sync brought in meanwhile is not reverted.
        if not self._save(changed_fields(self._opened, self.form.profile(self._base))):
            return  # the presenter said why; the dialog stays open with what was typed
        super().accept()
