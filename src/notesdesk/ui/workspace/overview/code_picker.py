"""Choosing an ICD-10-CM code: search as you type (a code's start, or words of its description) in the
offline list, which loads once in the background; free text beside the code."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.codes import icd10cm
from notesdesk.ui.session import Session
from notesdesk.ui.workspace.widgets import named, text_edit

LOADING = "Loading the ICD-10-CM list…"
SHOWN = 50  # results listed at a time: type more to narrow them


class CodePickerDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a diagnosis")
        self._codes: icd10cm.IcdList | None = None
        self.search_edit = named(QLineEdit(), "Search ICD-10-CM", "A code or words of its description")
        self.search_edit.setPlaceholderText("Code or words, e.g. F41.1 or generalized anxiety")
        self.results = named(QListWidget(), "Matching codes")
        self.status = named(QLabel(LOADING), "Search status")
        self.text_edit = text_edit("Your words beside the code", "Optional: your own words", 2)
        button = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(button.Ok | button.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        form = QFormLayout()
        form.addRow("&Search", self.search_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        layout.addWidget(QLabel("Beside the code (optional):"))
        layout.addWidget(self.text_edit)
        layout.addWidget(self.buttons)
        self.search_edit.textChanged.connect(self._search)
        self.results.currentItemChanged.connect(self._update_ok)
        self.results.itemDoubleClicked.connect(lambda _item: self.accept())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._update_ok()
        session.background(icd10cm.icd10cm, self._loaded)

    @property
    def loaded(self) -> bool:
        return self._codes is not None

    def _loaded(self, codes: icd10cm.IcdList) -> None:
        self._codes = codes
        self._search(self.search_edit.text())

    def _search(self, text: str) -> None:
        if self._codes is None:
            return
        found = self._codes.search(text, limit=SHOWN)
        self.results.clear()
        for code in found:
            item = QListWidgetItem(f"{code.code}  {code.description}")
            item.setData(Qt.ItemDataRole.UserRole, code.code)
            self.results.addItem(item)
        if found:
            self.results.setCurrentRow(0)
        if not text.strip():
            self.status.setText(f"{self._codes.release}: type a code or words to search.")
        elif not found:
            self.status.setText("No ICD-10-CM code matches; check the code or try other words.")
        else:
            more = " (type more to narrow them)" if len(found) == SHOWN else ""
            self.status.setText(f"{len(found)} matching codes{more}.")
        self._update_ok()

    def _update_ok(self, *_args: object) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.chosen_code() is not None)

    def chosen_code(self) -> str | None:
        item = self.results.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def words(self) -> str:
        return self.text_edit.toPlainText().strip()
