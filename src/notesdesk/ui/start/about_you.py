"""First run, after the recovery key: who signs (name, credentials), the country whose crisis lines
the safety plan prints, and the contact printed for clients. Loaded only once a vault is created (its
form reads the crisis-line table, which lives with the printed documents)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.ui.widgets.labels import InlineMessage, heading, paragraph
from notesdesk.ui.widgets.practitioner import PractitionerForm

ABOUT_YOU = (
    "Your name and credentials are printed with every signature and can never be changed on a "
    "signed note. The country decides which crisis lines every safety plan prints; the contact "
    "details go on documents you give clients. Settings can change all of it later."
)
SKIPPED = "Nothing is signed until your name and credentials are set (Settings, or when you sign)."


class AboutYouPage(QWidget):
    sig_done = Signal(object)
    """Emitted with the profile to save (PractitionerProfile), or None when skipped for now."""

    def __init__(self, profile: PractitionerProfile, suggested_locale: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base = profile
        self.form = PractitionerForm(profile, suggested_locale, self)
        self.message = InlineMessage(self)
        self.continue_button = QPushButton("&Continue")
        self.continue_button.setAccessibleName("Save my details and continue")
        self.continue_button.setDefault(True)
        self.continue_button.setAutoDefault(True)
        self.skip_button = QPushButton("&Skip for now")
        self.skip_button.setAccessibleName("Skip for now")
        self.skip_button.setToolTip(SKIPPED)
        self.skip_button.setShortcut(QKeySequence("Esc"))
        row = QHBoxLayout()
        row.addWidget(self.skip_button)
        row.addStretch(1)
        row.addWidget(self.continue_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("About you"))
        layout.addWidget(paragraph(ABOUT_YOU))
        layout.addWidget(self.form)
        layout.addWidget(self.message)
        layout.addLayout(row)
        layout.addStretch(1)
        self.continue_button.clicked.connect(self.submit)
        self.skip_button.clicked.connect(lambda: self.sig_done.emit(None))
        # Enter in a one-line field is Continue: name, Tab, credentials, Enter.
        self.form.name.returnPressed.connect(self.submit)
        self.form.credentials.returnPressed.connect(self.submit)
        self.form.sig_changed.connect(self.message.clear)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        self.form.name.setFocus()

    def submit(self) -> None:
        if not self.form.complete():
            missing = self.form.credentials if self.form.name.text().strip() else self.form.name
            self.message.show_message(
                "Fill in your name and your credentials, or choose Skip for now: " + SKIPPED
            )
            missing.setFocus()
            return
        self.sig_done.emit(self.form.profile(self._base))
