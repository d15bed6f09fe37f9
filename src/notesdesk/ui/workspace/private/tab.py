"""Psychotherapy (process) notes: their own list and editor, never mixed with session notes."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import PrivateNote
from notesdesk.core.services import notes
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind, QuietRetries
from notesdesk.ui.workspace.fitting import FittingTable
from notesdesk.ui.workspace.models import ID_ROLE, PrivateNoteListModel
from notesdesk.ui.workspace.widgets import (
    Autosaver,
    bold,
    date_edit,
    named,
    pydate,
    qdate,
    text_edit,
)

BANNER = "Psychotherapy notes — kept separate, never printed or exported unless you choose"


def banner(text: str, parent: QWidget) -> tuple[QFrame, QLabel]:
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setAutoFillBackground(True)
    frame.setBackgroundRole(frame.palette().ColorRole.AlternateBase)
    icon = QLabel()
    size = parent.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    information = parent.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
    icon.setPixmap(information.pixmap(size, size))
    label = bold(named(QLabel(text), text))
    label.setWordWrap(True)
    row = QHBoxLayout(frame)
    row.addWidget(icon)
    row.addWidget(label, 1)
    return frame, label


def folded(text: str) -> str:
    spread = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in spread if not unicodedata.combining(ch))


class PrivateNotesTab(QWidget):
    """Only this tab writes psychotherapy notes, and it keeps its own list in step (`_put_row`): a
    re-read would be audited as a view of every one of them on each autosave."""

    def __init__(self, ctx: AppContext, client_id: str) -> None:
        super().__init__()
        self._ctx, self._client_id = ctx, client_id
        self._session = ctx.session.for_client(client_id)
        self._note: PrivateNote | None = None
        self._persisted = False
        self._loading = False
        self._syncing = False
        self._retries = QuietRetries()
        self.autosaver = Autosaver(ctx.prefs.autosave_seconds, self._save, self)
        self.model = PrivateNoteListModel(self)
        # The beginning of each note wraps in a readable width; its first paragraph is in the tooltip.
        self.view = FittingTable(self.model, "Psychotherapy notes, newest first",
                                 PrivateNoteListModel.COL_PREVIEW, min_stretch=150, wrap=True)
        self.new_button = named(QPushButton("&New psychotherapy note"), "New psychotherapy note")
        # Kept out of the search of the whole record (Ctrl+K): found here only, within this client.
        self.find_box = named(QLineEdit(), "Find in psychotherapy notes",
                          "Psychotherapy notes are searched here only, never by Ctrl+K")
        self.find_box.setPlaceholderText("Find in these notes")
        self.find_box.setClearButtonEnabled(True)
        self.find_box.textChanged.connect(lambda _t: self._filter())
        self.date_edit = date_edit("Psychotherapy note date")
        self.text = text_edit(
            "Psychotherapy note text", "Process notes, hypotheses, your own reactions…", 12, expand=True
        )
        self.status_label = named(QLabel(), "Psychotherapy note status")
        self.status_label.setWordWrap(True)
        self.save_button = named(QPushButton("&Save"), "Save psychotherapy note")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.new_button)
        left_layout.addWidget(self.find_box)
        left_layout.addWidget(self.view, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        top = QHBoxLayout()
        caption = QLabel("&Date")
        caption.setBuddy(self.date_edit)
        top.addWidget(caption)
        top.addWidget(self.date_edit)
        top.addWidget(self.status_label, 1)
        top.addWidget(self.save_button)
        right_layout.addLayout(top)
        right_layout.addWidget(self.text, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([300, 900])
        frame, self.banner_label = banner(BANNER, self)
        layout = QVBoxLayout(self)
        layout.addWidget(frame)
        layout.addWidget(splitter, 1)

        self.new_button.clicked.connect(self.new_note)
        self.save_button.clicked.connect(self.save)
        self.text.textChanged.connect(self._on_edited)
        self.date_edit.dateChanged.connect(self._on_edited)
        self.text.installEventFilter(self)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self._show(None, False)
        self._loaded = False  # listed on first show: listing is audited as a view of these notes

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if not self._loaded:
            self._loaded = True
            self.reload()
        super().showEvent(event)

    @property
    def note_id(self) -> str | None:
        return self._note.id if self._note else None

    def reload(self) -> None:
        found = self._session.read(notes.list_private_notes, self._client_id)
        if found is None:
            return
        self._syncing = True
        self.model.set_rows(found)
        row = self.model.row_of(self.note_id) if self._note else -1
        if row >= 0:
            self.view.selectRow(row)
        self._syncing = False
        self._filter()

    def _filter(self) -> None:
        """Only the notes holding every word typed in the find box (accents and case aside)."""
        words = folded(self.find_box.text()).split()
        for row in range(self.model.rowCount()):
            note = self.model.row_at(row)
            text = folded(note.text) if note is not None else ""
            self.view.setRowHidden(row, not all(word in text for word in words))

    def shown_ids(self) -> list[str]:
        shown = (self.model.row_at(r) for r in range(self.model.rowCount()) if not self.view.isRowHidden(r))
        return [note.id for note in shown if note is not None]

    def _show(self, note: PrivateNote | None, persisted: bool) -> None:
        self.autosaver.reset()
        self._note, self._persisted, self._loading = note, persisted, True
        self.date_edit.setDate(qdate(note.note_date if note else today()))
        self.text.setPlainText(note.text if note else "")
        self._loading = False
        editable = note is not None
        for widget in (self.date_edit, self.text, self.save_button):
            widget.setEnabled(editable)
        if note is None:
            self.status_label.setText("Choose a note or start a new one.")
        elif not persisted:
            self.status_label.setText("New — saved as soon as you start typing")
        else:
            self.status_label.setText(f"Saved {note.updated_at.astimezone().strftime('%Y-%m-%d %H:%M')}")

    def new_note(self) -> None:
        if not self.flush():
            return
        self._show(PrivateNote(client_id=self._client_id, note_date=today(), text=""), False)
        self._syncing = True
        self.view.clearSelection()
        self._syncing = False
        self.text.setFocus()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        note_id = self.model.data(current, ID_ROLE)
        if note_id == self.note_id:
            return
        if not self.flush():
            return
        row = self.model.row_of(note_id)
        self._show(self.model.row_at(row), True)

    def _on_edited(self, *_args: object) -> None:
        if self._loading or self._note is None:
            return
        self.autosaver.poke()
        self.status_label.setText("Unsaved changes (saving shortly)")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Not when the focus went to "Save", which saves anyway (a failure would be said twice).
        if event.type() == QEvent.Type.FocusOut and QApplication.focusWidget() is not self.save_button:
            self.autosaver.flush()
        return super().eventFilter(watched, event)

    def flush(self) -> bool:
        return self.autosaver.flush()

    def save(self) -> bool:
        self._retries.reset()
        if self._persisted:
            self.autosaver.dirty = True
        return self.autosaver.flush()

    def _save(self) -> bool:
        if self._note is None:
            return True
        note = replace(self._note, note_date=pydate(self.date_edit.date()), text=self.text.toPlainText())
        if not self._persisted and not note.text.strip():
            return True
        store = notes.update_private_note if self._persisted else notes.add_private_note
        saved = self._session.write(store, note, change=Kind.PRIVATE_NOTE, quiet=self._retries)
        if saved is None:
            self.status_label.setText("NOT saved — your text is still here; save again")
            return False
        self._note, self._persisted = saved, True
        self.status_label.setText(f"Saved {saved.updated_at.astimezone().strftime('%H:%M:%S')}")
        self._put_row(saved)
        return True

    def _put_row(self, note: PrivateNote) -> None:
        """Update the list in place (re-listing would audit a 'view' on every autosave)."""
        rows = [r for r in self.model.rows() if r.id != note.id] + [note]
        rows.sort(key=lambda n: (n.note_date, n.created_at), reverse=True)
        self._syncing = True
        self.model.set_rows(rows)
        self.view.selectRow(self.model.row_of(note.id))
        self._syncing = False
