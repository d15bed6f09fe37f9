"""A client this vault only supervises (core/services/supervision.py) is read-only here but for
co-signing: the core refuses every other write of it (storage/uow.py), and the workspace says so in one
line at the top and keeps its writing controls off, so nothing typed here is refused afterwards.
Reading, printing, exporting and co-signing (notes/cosign.py) stay."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from notesdesk.core.errors import SUPERVISED_ONLY
from notesdesk.core.services import supervision
from notesdesk.ui.context import AppContext
from notesdesk.ui.workspace.widgets import named

# The controls that write (by their accessible names, which every tab gives them): kept off.
WRITING = frozenset({
    # Notes
    "New note", "Copy forward", "Save draft", "Sign note", "Delete draft", "Add addendum",
    "Discard addendum text", "Addendum kind", "Addendum text", "Assign homework in this note",
    # Psychotherapy notes
    "New psychotherapy note", "Save psychotherapy note",
    # Treatment plan
    "Save plan draft", "Activate plan", "Add problem", "Add goal", "Add objective", "Add intervention",
    "Remove selected plan item", "Move selected plan item up", "Move selected plan item down",
    "Sign plan", "Revise plan", "Record the client's agreement", "Record review", "Discard review summary",
    # Measures, homework, milestones and phase, safety plan
    "Give the questionnaire in session", "Hand the laptop to the client",
    "Edit the selected homework", "Assign homework", "Check in",
    "Set phase", "Change milestone status", "Add milestone",
    "Reviewed with the client today", "Mark reviewed with the client today",
    # The overview's boxes
    "Attach a file", "Delete attachment", "Add diagnosis", "Remove diagnosis", "Book next session",
    "Clear next session", "Draft again", "Keep and preview", "Record agreement",
    "The client withdrew the agreement", "Remove agreement", "Write letter",
})
WRITING_ENDINGS = (": add a row", ": remove the selected row")  # the safety plan's tables
# The text fields that only find or filter what is shown (by accessible name): nothing typed there is
# ever saved, so they stay usable. Every other text field is read-only here.
FILTERING = frozenset({"Find in psychotherapy notes"})


def writes(widget: QWidget) -> bool:
    name = widget.accessibleName()
    return name in WRITING or name.endswith(WRITING_ENDINGS)


class KeptOff(QObject):
    """Keeps the controls it watches disabled, whatever their tab's own state updates enable."""

    def watch(self, widget: QWidget) -> None:
        widget.setEnabled(False)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.EnabledChange and isinstance(watched, QWidget) and watched.isEnabled():
            watched.setEnabled(False)
        return False


TYPED_INTO = (QLineEdit, QPlainTextEdit, QTextEdit)


class TextKeptReadOnly(QObject):
    """Every text field in the workspace but a filter box (FILTERING), including those a tab makes
    later (a draft's sections when it opens), is read-only as it shows: text typed here could never be
    saved, and a draft that cannot be saved holds every lock and quit (ui/lifecycle/lock.py). Dialogs
    are windows of their own (a co-signature's confirmation), so `isAncestorOf` leaves them out."""

    def __init__(self, workspace: QWidget) -> None:
        super().__init__(workspace)
        self._workspace = workspace
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        for widget in workspace.findChildren(QWidget):
            self._keep(widget)

    def _keep(self, widget: QWidget) -> None:
        filters = widget.accessibleName() in FILTERING
        if isinstance(widget, TYPED_INTO) and not widget.isReadOnly() and not filters:
            widget.setReadOnly(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (event.type() == QEvent.Type.Show and isinstance(watched, TYPED_INTO)
                and shiboken6.isValid(self._workspace) and self._workspace.isAncestorOf(watched)):
            self._keep(watched)
        return False


def notice() -> QLabel:
    line = named(QLabel(SUPERVISED_ONLY), "You supervise this client")
    line.setWordWrap(True)
    line.setTextFormat(Qt.TextFormat.PlainText)
    return line


def make_read_only(ctx: AppContext, client_id: str, workspace: QWidget,
                   shortcuts: dict[str, QShortcut]) -> QLabel | None:
    """For a client this vault only supervises: the line to show at the top of `workspace`, with its
    writing controls and shortcuts (new note, save, sign) kept off. None for any other client."""
    if not ctx.session.read(supervision.supervised_only, client_id):
        return None
    kept = KeptOff(workspace)
    for widget in workspace.findChildren(QWidget):
        if isinstance(widget, QAbstractButton | QComboBox | QTextEdit) and writes(widget):
            kept.watch(widget)
    for shortcut in shortcuts.values():
        shortcut.setEnabled(False)
    TextKeptReadOnly(workspace)
    return notice()
