"""The Notes tab: the client's session notes by date, the editor, addenda under signed notes."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import Addendum, AddendumKind, NoteFormat, SessionNote
from notesdesk.core.domain.pending import PendingKind
from notesdesk.core.domain.plans import PlanStatus
from notesdesk.core.services import care, notes, pending, plans, templates
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind, ran
from notesdesk.ui.workspace.fitting import PADDING, FittingTable
from notesdesk.ui.workspace.flow import FlowLayout
from notesdesk.ui.workspace.models import ID_ROLE, NoteListModel
from notesdesk.ui.workspace.notes.cosign import CosignButton
from notesdesk.ui.workspace.notes.editor import NoteEditor
from notesdesk.ui.workspace.notes.signer import SignerBar
from notesdesk.ui.workspace.notes.templates_dialog import TemplatesDialog
from notesdesk.ui.workspace.unsent import UnsentText
from notesdesk.ui.workspace.widgets import Confirm, named, scrolled, text_edit

EMPTY_STATE = "Select a note on the left, or start a new one with Ctrl+N."
NO_ADDENDA = "No addenda."  # one line, no paragraph margins
KIND_PROMPT = "Choose its kind…"
KIND_TIP = "What the addendum is: a correction, an amendment, a clarification or a late entry"
RESTORED = "Unsent addendum restored — review it, then Add addendum to sign it. Nothing was signed."


def addendum_html(addenda: list[Addendum]) -> str:
    parts = []
    for a in addenda:
        sig = a.signature
        when = a.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        who = f" — signed by {html.escape(sig.signer)}" if sig else ""
        creds = f" ({html.escape(sig.credentials)})" if sig and sig.credentials else ""
        body = html.escape(a.text).replace("\n", "<br>")
        parts.append(f"<p><b>{html.escape(a.kind.value.capitalize())}, {when}</b>{who}{creds}<br>{body}</p>")
    return "".join(parts) or NO_ADDENDA



class NoteTable(FittingTable):
    """The notes list. Its format column (the one taking the spare width) asks only for its format
    names, not for the session times under them: the times are wider, and would widen the list (and
    the window on a small screen); on a narrow list they are elided, whole in the tooltip."""

    def wanted(self, column: int) -> int:
        model = self.model()
        if column != self.stretch or not isinstance(model, NoteListModel):
            return super().wanted(column)
        margin = 2 * (self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1)
        names = [row.template_name or row.format.label for row in model.rows()]
        text = max([self.horizontalHeader().sectionSizeHint(column),
                    *(self.fontMetrics().horizontalAdvance(name) + margin for name in names)])
        return text + PADDING

class FittedBrowser(QTextBrowser):
    """As tall as its text at its width, up to `most` px (then it scrolls): one line says one line."""

    def __init__(self, name: str, most: int) -> None:
        super().__init__()
        named(self, name)
        self.most = most

    def fit(self) -> None:
        frame = 2 * self.frameWidth()
        line = self.fontMetrics().lineSpacing() + 2 * int(self.document().documentMargin())
        text = int(self.document().size().height())
        self.setFixedHeight(min(self.most, max(line, text) + frame))

    def setHtml(self, text: str) -> None:  # noqa: N802
        super().setHtml(text)
        self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit()  # the text wraps to the new width


class AddendaPanel(QGroupBox):
    """Addenda of a signed note, oldest first, and a form to add one."""

    def __init__(self) -> None:
        super().__init__("Addenda")
        self.setAccessibleName("Addenda")
        self.view = FittedBrowser("Addenda to this note", 180)
        # No kind is chosen for the user: what is signed says what it is because they said so.
        self.kind_combo = named(QComboBox(), "Addendum kind")
        self.kind_combo.addItem(KIND_PROMPT, "")
        self.kind_combo.setToolTip(KIND_TIP)
        # As wide as its longest choice, so every choice shows whole.
        self.kind_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for kind in AddendumKind:
            if kind is AddendumKind.CO_SIGNATURE:  # a supervisor's: its own button (notes/cosign.py)
                continue
            self.kind_combo.addItem(kind.value.capitalize(), kind.value)
        self.text = text_edit("Addendum text", "What you are adding to the signed note", 3)
        self.unsent_label = named(QLabel(), "Unsent addendum")
        self.add_button = named(QPushButton("Add a&ddendum"), "Add addendum", "Sign and attach this addendum")
        self.discard_button = named(QPushButton("Discard…"), "Discard addendum text",
                                    "Throw away the addendum text typed here (it was not added)")
        row = FlowLayout()  # the kind, then the buttons: side by side, or stacked when narrow
        row.addWidget(self.kind_combo)
        row.addWidget(self.discard_button)
        row.addWidget(self.add_button)
        self.rows = layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(self.unsent_label)
        layout.addWidget(self.text)
        layout.addLayout(row)
        self.text.textChanged.connect(self._update_buttons)
        self.kind_combo.currentIndexChanged.connect(self._update_buttons)
        self._update_buttons()

    def kind(self) -> AddendumKind | None:
        value = self.kind_combo.currentData()
        return AddendumKind(value) if value else None

    def _update_buttons(self) -> None:
        typed = bool(self.text.toPlainText().strip())
        self.discard_button.setEnabled(typed)
        missing = [what for what, done in (("choose its kind", self.kind() is not None),
                                           ("write its text", typed)) if not done]
        self.add_button.setEnabled(not missing)
        self.add_button.setToolTip(
            f"To add an addendum, {' and '.join(missing)}" if missing else "Sign and attach this addendum"
        )

    def show_addenda(self, addenda: list[Addendum]) -> None:
        self.view.setHtml(addendum_html(addenda))


class NotesTab(QWidget):
    """Writes go through the session; the list follows every note change announced for this client
    (a save here, a draft deleted, an addendum), the pick lists every plan and homework change."""

    def __init__(self, ctx: AppContext, client_id: str, confirm: Confirm) -> None:
        super().__init__()
        self._ctx, self._client_id, self._confirm = ctx, client_id, confirm
        self._session = ctx.session.for_client(client_id)
        self._syncing = False
        self.model = NoteListModel(self)
        # Narrow columns, none hidden: whether a note is signed shows beside its date on any screen.
        self.view = NoteTable(self.model, "Session notes, newest first", NoteListModel.COL_FORMAT, cap=110)
        rows = self.view.verticalHeader()  # a note with addenda says so on a second line of its status
        rows.setMinimumSectionSize(rows.defaultSectionSize())
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.new_button = named(QPushButton("&New note"), "New note", "Start a new note (Ctrl+N)")
        self.copy_button = named(QPushButton("Copy &forward"), "Copy forward",
                                 "A draft for today with the latest note's format, plan links and Plan "
                                 "section; the rest is yours to write (today's draft opens if there is one)")
        self.templates_button = named(QPushButton("My &templates…"), "My note templates",
                                      "Your own note formats: a name and ordered sections")
        self.editor = NoteEditor(ctx, confirm)
        self.signer = SignerBar(ctx)  # shown when a signature is refused for want of a name
        self.editor.signer_ready = self.signer.ready
        self.addenda = AddendaPanel()
        # Under a colleague's signed note: co-sign it as their supervisor (shows in the addenda after).
        self.cosign = CosignButton(ctx, client_id, confirm, self._open)
        self.addenda.rows.addWidget(self.cosign)
        # The addendum being typed is kept (never signed) until added or discarded: see unsent.py.
        self.unsent = UnsentText(ctx, client_id, PendingKind.ADDENDUM, self.addenda.text,
                                 self.addenda.unsent_label, RESTORED, self.addenda.kind_combo, self)
        self.unsent_hint = named(QLabel(), "Notes with an unsent addendum")
        self.unsent_hint.setWordWrap(True)
        self.unsent_hint.hide()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        buttons = FlowLayout()  # side by side when there is room, stacked on a narrow screen
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.copy_button)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.unsent_hint)
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.templates_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        # What copy forward did (made a draft, or opened today's): gone when another note opens.
        self.copy_notice = named(QLabel(), "Copied forward")
        self.copy_notice.setWordWrap(True)
        self.copy_notice.hide()
        right_layout.addWidget(self.copy_notice)
        right_layout.addWidget(self.signer)
        right_layout.addWidget(self.editor)
        right_layout.addWidget(self.addenda)
        right_layout.addStretch(1)
        # Until a note is opened or started, say how to get one rather than show an empty form.
        self.empty_state = named(QLabel(EMPTY_STATE), "No note open")
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_state.setWordWrap(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty_state)
        self.pages.addWidget(scrolled(right, "Note editor"))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(0, 1)  # on a narrow screen the list gives way first, not the editor
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([300, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.new_button.clicked.connect(self.new_note)
        self.copy_button.clicked.connect(self.copy_forward)
        self.templates_button.clicked.connect(self._on_templates)
        self.addenda.add_button.clicked.connect(self._on_add_addendum)
        self.addenda.discard_button.clicked.connect(self.discard_addendum)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.editor.sig_signed.connect(self._open)
        self.editor.sig_delete_requested.connect(self.delete_draft)
        self._session.on_change(self, {Kind.NOTE}, self.reload)
        self._session.on_change(self, {Kind.PLAN, Kind.HOMEWORK}, self.refresh_context)
        self._session.on_change(self, {Kind.TEMPLATE}, self.refresh_templates)
        self.addenda.hide()
        self.refresh_templates()
        self.refresh_context()
        self.reload()

    # -- loading ----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the list, keeping the open note selected."""
        listed = self._session.read(notes.list_notes, self._client_id)
        counts = self._session.read(notes.addenda_counts, self._client_id)
        if listed is not None and counts is not None:
            self._syncing = True
            self.model.set_notes(listed, counts)
            self._select_row(self.editor.note_id)
            self._syncing = False
            self._show_unsent_hint(listed)
        self.copy_button.setEnabled(self.model.rowCount() > 0)
        self._show_page()

    def _show_page(self) -> None:
        """The editor when a note is open (or being started), otherwise the empty state."""
        self.pages.setCurrentIndex(0 if self.editor.note_id is None else 1)

    def _show_unsent_hint(self, listed: list[SessionNote]) -> None:
        """Which signed notes have an addendum typed but not added (after a lock, say)."""
        kept = self._session.read(pending.list_pending, self._client_id)
        targets = {p.target_id for p in kept or () if p.kind == PendingKind.ADDENDUM}
        dates = sorted(n.session_date.isoformat() for n in listed if n.id in targets)
        if dates:
            which = f"the note of {dates[0]}" if len(dates) == 1 else f"the notes of {', '.join(dates)}"
            self.unsent_hint.setText(f"Unsent addendum kept for {which}: open it to review and add it.")
        self.unsent_hint.setVisible(bool(dates))

    def refresh_context(self) -> None:
        """The active plan's objectives and the homework, for the editor's pick lists."""
        versions = self._session.read(plans.plan_versions, self._client_id)
        homework = self._session.read(care.list_homework, self._client_id)
        active = next((p for p in reversed(versions or []) if p.status == PlanStatus.ACTIVE), None)
        self.editor.set_choices(active, homework or [])

    def refresh_templates(self) -> None:
        self.editor.set_templates(self._session.read(templates.list_templates) or [])

    def _select_row(self, note_id: str | None) -> None:
        row = self.model.row_of(note_id) if note_id else -1
        if row < 0:
            self.view.clearSelection()
            self.view.setCurrentIndex(QModelIndex())
        else:
            self.view.selectRow(row)

    # -- actions ----------------------------------------------------------------------------------

    def flush(self) -> bool:
        """Save the draft and keep the addendum being typed; False when either failed."""
        saved = self.editor.flush()
        kept = self.unsent.flush()
        return saved and kept

    def open_note(self, note_id: str) -> None:
        if note_id != self.editor.note_id and not self.flush():
            return
        self._open(note_id)
        self._syncing = True
        self._select_row(note_id)
        self._syncing = False

    def _open(self, note_id: str) -> None:
        found = self._session.read(notes.get_note, note_id)
        if found is None:
            return
        note, addenda = found
        verified = note.is_signed and bool(self._session.read(notes.verify_note, note, addenda))
        self.copy_notice.hide()
        self.editor.show_note(note, persisted=True, verified=verified, addenda=len(addenda))
        self.addenda.setVisible(note.is_signed)
        self.addenda.show_addenda(addenda)
        self.cosign.show_for(note if note.is_signed else None)
        self.unsent.attach(note.id if note.is_signed else None)
        self._show_page()

    def new_note(self, fmt_key: str | None = None) -> bool:
        """Start a note in this format ("format:…" or "template:…"; by default the one chosen in the
        settings). False when the note open before could not be saved (it stays on screen)."""
        if not self.flush():
            return False
        default = self._ctx.prefs.default_note_format
        chosen = f"template:{default}" if default not in NoteFormat.__members__ else f"format:{default}"
        key = fmt_key or chosen
        if self.editor.format_combo.findData(key) < 0:
            key = f"format:{NoteFormat.SOAP.value}"
        # The signed note's addenda go before the draft's form comes: the two are never laid out at once.
        self.addenda.hide()
        self.editor.start_new(self._client_id, key)
        self.copy_notice.hide()
        self._show_page()
        self.unsent.attach(None)
        self._syncing = True
        self._select_row(None)
        self._syncing = False
        first = next(iter(self.editor.section_edits.values()), None)
        if first is not None:
            first.setFocus()
        return True

    def copy_forward(self) -> None:
        if not self.flush():
            return
        source = next((n for n in self.model.rows() if n.session_date <= today()), None)  # newest first
        # Announced even when today's draft was only found: the list re-reads, nothing else moves.
        found = self._session.write(notes.copy_forward, self._client_id, today(), change=Kind.NOTE,
                                    object_id=lambda copied: copied[0].id)
        if found is None:
            return
        note, made = found
        self.open_note(note.id)
        if not made:
            said = (f"You already have a draft dated {note.session_date.isoformat()}: it is opened here "
                    "instead of starting another.")
        else:
            since = f"the note of {source.session_date.isoformat()}" if source else "the latest note"
            said = (f"New draft for {note.session_date.isoformat()} from {since}: its format, session type, "
                    "plan links and Plan section are carried forward. The other sections are empty — "
                    "write what happened in this session.")
        self.copy_notice.setText(said)
        self.copy_notice.show()

    def save(self) -> None:
        self.editor.save_now()

    def sign(self) -> None:
        self.editor.sign()

    def delete_draft(self) -> bool:
        """Delete the open draft after confirmation; a signed note is never deleted."""
        note = self.editor.current_note()
        if note is None or note.is_signed:
            return False
        question = (f"Delete the draft note of {note.session_date.isoformat()}? "
                    "Its text is removed from the vault and cannot be recovered.")
        if not self._confirm(self, "Delete draft", question):
            return False
        if self.editor.persisted:
            deleted = self._session.write(ran(notes.delete_draft), note.id, change=Kind.NOTE,
                                          object_id=note.id)
            if not deleted:
                return False
        self.editor.show_note(None)
        self.addenda.hide()
        self._show_page()
        return True

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        note_id = self.model.data(current, ID_ROLE)
        if note_id == self.editor.note_id:
            return
        if not self.flush():  # keep the unsaved note (or addendum) on screen
            self._syncing = True
            self._select_row(self.editor.note_id)
            self._syncing = False
            return
        self._open(note_id)

    def _on_add_addendum(self) -> None:
        note_id = self.editor.note_id
        if note_id is None:
            return
        note = self.editor.current_note()
        kind, text = self.addenda.kind(), self.addenda.text.toPlainText()
        if note is None or kind is None or not text.strip() or not self.signer.ready():
            return
        question = (f"Sign this {kind.value} to the note of {note.session_date.isoformat()}? "
                    "It cannot be changed afterwards.")
        if not self._confirm(self, "Sign addendum", question):
            return
        # Announced as the note it is under: search indexes a note with its addenda.
        added = self._session.write(notes.add_addendum, note_id, kind, text, discard_unsent=True,
                                    change=Kind.NOTE, object_id=note_id)
        if added is not None:
            self.unsent.forget()
            self._open(note_id)

    def discard_addendum(self) -> bool:
        """Throw away the addendum text typed under the open note, after confirmation."""
        if not self.addenda.text.toPlainText().strip():
            return False
        question = "Discard the addendum text typed here? It was not added, and cannot be recovered."
        if not self._confirm(self, "Discard addendum text", question):
            return False
        if not self.unsent.discard():
            return False
        self.reload()
        return True

    def _on_templates(self) -> None:
        if not self.editor.flush():
            return
        TemplatesDialog(self._ctx, self._confirm, self).exec()  # its changes reach refresh_templates
