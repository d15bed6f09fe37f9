"""The practitioner's own note templates: a name and ordered sections."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.notes import NoteTemplate
from notesdesk.core.services import templates
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind, ran
from notesdesk.ui.workspace.widgets import Confirm, LinesEdit, named

EMPTY = "No templates yet — write the sections you reuse, then Save template."


class TemplatesDialog(QDialog):
    def __init__(self, ctx: AppContext, confirm: Confirm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._confirm = ctx, confirm
        self._editing: NoteTemplate | None = None
        self.setWindowTitle("My note templates")
        self.list = named(QListWidget(), "My note templates")
        self.empty_label = named(QLabel(EMPTY), "No templates yet")
        self.empty_label.setWordWrap(True)
        self.name_edit = named(QLineEdit(), "Template name")
        self.sections_edit = LinesEdit("Template sections", "One section title per line, in order", 6)
        self.new_button = named(QPushButton("&New"), "New template")
        self.save_button = named(QPushButton("&Save template"), "Save template")
        self.delete_button = named(QPushButton("&Delete"), "Delete template")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Name", self.name_edit)
        form.addRow("S&ections", self.sections_edit)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.list)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.list.currentItemChanged.connect(self._on_list_pick)
        self.new_button.clicked.connect(self._on_new)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self._on_delete)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        found = self._ctx.session.read(templates.list_templates)
        self.list.blockSignals(True)
        self.list.clear()
        for template in found or []:
            item = QListWidgetItem(template.name)
            item.setData(Qt.ItemDataRole.UserRole, template)
            self.list.addItem(item)
            if template.id == select:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self.empty_label.setVisible(self.list.count() == 0)  # say why the list is empty, not show a void
        self.list.setVisible(self.list.count() > 0)
        self.delete_button.setEnabled(self._editing is not None)

    # -- unsaved text -------------------------------------------------------------------------------

    def unsaved(self) -> bool:
        """Whether the name or sections on screen differ from the template they came from (or, for a
        new one, whether anything was typed)."""
        shown = (self.name_edit.text().strip(), self.sections_edit.lines())
        if self._editing is None:
            return any(shown)
        return shown != (self._editing.name, tuple(t for _k, t in self._editing.sections))

    def _may_drop(self) -> bool:
        """True when nothing unsaved would be lost, or the user agreed to lose it."""
        if not self.unsaved():
            return True
        name = self.name_edit.text().strip()
        question = (f"Discard the unsaved changes to the template '{name}'?" if name
                    else "Discard the template text typed here? It was not saved.")
        return self._confirm(self, "Discard template changes", question)

    def reject(self) -> None:
        """Close (and Esc) ask first when what was typed was not saved."""
        if self._may_drop():
            super().reject()

    def _on_list_pick(self, item: QListWidgetItem | None, previous: QListWidgetItem | None) -> None:
        if not self._may_drop():
            self.list.blockSignals(True)
            self.list.setCurrentRow(self.list.row(previous) if previous is not None else -1)
            self.list.blockSignals(False)
            return
        self._on_pick(item)

    def _on_pick(self, item: QListWidgetItem | None) -> None:
        self._editing = item.data(Qt.ItemDataRole.UserRole) if item else None
        self.name_edit.setText(self._editing.name if self._editing else "")
        self.sections_edit.set_lines(t for _k, t in (self._editing.sections if self._editing else ()))
        self.delete_button.setEnabled(self._editing is not None)

    def _on_new(self) -> None:
        if not self._may_drop():
            return
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self._on_pick(None)
        self.name_edit.setFocus()

    def save(self) -> None:
        try:
            template = templates.make_template(
                self.name_edit.text(), list(self.sections_edit.lines()),
                self._editing.id if self._editing else None,
            )
        except Exception as exc:
            self._ctx.errors.present(exc)
            return
        # The practice's templates belong to no client: client_id "" reaches every open workspace.
        saved = self._ctx.session.write(templates.save_template, template, change=Kind.TEMPLATE, client_id="")
        if saved is not None:
            self._editing = saved
            self.reload(select=saved.id)

    def _on_delete(self) -> None:
        if self._editing is None:
            return
        question = f"Delete the template '{self._editing.name}'? Notes written with it keep their sections."
        if not self._confirm(self, "Delete template", question):
            return
        deleted = self._ctx.session.write(ran(templates.delete_template), self._editing.id,
                                          change=Kind.TEMPLATE, client_id="", object_id=self._editing.id)
        if deleted:
            self._on_pick(None)
            self.reload()
