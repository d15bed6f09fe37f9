"""Settings → Paperwork: the practice's own wording of each agreement (informed consent, fees and
cancellation, telehealth, release of information), edited once and printed for every client with
the placeholders filled in. Kept sealed in the vault, like every setting that could hold client-facing
text; a kind never edited prints NotesDesk's generic starting text."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.paperwork import CONSENT_TITLES, ConsentKind
from notesdesk.core.services import consent
from notesdesk.core.services.paperwork_texts import PLACEHOLDERS
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind
from notesdesk.ui.workspace.widgets import named


class PaperworkDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Paperwork templates")
        self._ctx = ctx
        self.kind = named(QComboBox(), "Agreement")
        for kind in ConsentKind:
            self.kind.addItem(CONSENT_TITLES[kind], kind)
        self.origin = named(QLabel(), "Whose text")
        self.text = named(QPlainTextEdit(), "Template text")
        self.text.setMinimumHeight(self.fontMetrics().lineSpacing() * 18)
        self.text.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        fields = ", ".join("{" + key + "}" + f" ({what})" for key, what in PLACEHOLDERS.items())
        hint = QLabel(f"Filled in when printed: {fields}. An empty line starts a paragraph; a line "
                      "starting with “- ” is a bullet.")
        hint.setWordWrap(True)
        self.save_button = named(QPushButton("&Save"), "Save this template")
        self.reset_button = named(QPushButton("Use the &starting text"),
                                  "Go back to NotesDesk's starting text")
        row = QHBoxLayout()
        row.addWidget(self.kind, 1)
        row.addWidget(self.origin)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.reset_button)
        actions.addWidget(self.save_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.text, 1)
        layout.addWidget(hint)
        layout.addLayout(actions)
        layout.addWidget(close)
        self.kind.currentIndexChanged.connect(self.load)
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset)
        self.load()

    def chosen(self) -> ConsentKind:
        return ConsentKind(self.kind.currentData())

    def load(self, *_args: object) -> None:
        found = self._ctx.session.read(consent.all_template_texts)
        if found is None:
            return
        text, own = found[self.chosen()]
        self.text.setPlainText(text)
        self.origin.setText("your text" if own else "NotesDesk's starting text")
        self.reset_button.setEnabled(own)

    def save(self) -> bool:
        """Store the text as typed; refused (the presenter says why), it stays to be corrected."""
        saved = self._ctx.session.write(consent.save_template_text, self.chosen(), self.text.toPlainText(),
                                        change=Kind.TEMPLATE, client_id="", object_id="paperwork-templates")
        if saved is None:
            return False
        self.load()
        return True

    def reset(self) -> None:
        self._ctx.session.write(consent.save_template_text, self.chosen(), None, change=Kind.TEMPLATE,
                                client_id="", object_id="paperwork-templates")
        self.load()
