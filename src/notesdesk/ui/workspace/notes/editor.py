"""One session note: header, sections, plan links; drafts autosave, signing makes it read-only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.care import Homework
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import (
    NoteFormat,
    NoteTemplate,
    Section,
    SessionNote,
    SessionType,
)
from notesdesk.core.domain.plans import TreatmentPlan
from notesdesk.core.errors import InvalidInput
from notesdesk.core.services import care, notes
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind, QuietRetries
from notesdesk.ui.widgets.typed import TimeField
from notesdesk.ui.workspace.flow import FlowLayout, captioned
from notesdesk.ui.workspace.homework.form import AssignHomeworkDialog
from notesdesk.ui.workspace.notes.formatting import (
    BUILT_IN,
    has_content,
    key_of,
    layout_for,
    parse_key,
    signature_status,
)
from notesdesk.ui.workspace.notes.links import MaintenancePanel, NoteLinks
from notesdesk.ui.workspace.notes.sections import SectionsBox
from notesdesk.ui.workspace.notes.session_details import SessionDetails
from notesdesk.ui.workspace.widgets import (
    Autosaver,
    Confirm,
    bold,
    date_edit,
    named,
    pydate,
    qdate,
)

NO_TIMES = ("This note has no start and end time: receipts and superbills need them. Cancel to add "
            "them first, or sign without them.")


class NoteEditor(QWidget):
    """Writes go through the session, which announces them (the list, search and the other tabs
    follow from that); `signed` tells the tab to reopen the note read-only."""

    sig_signed = Signal(str)
    """Emitted after the note was signed; arg is the note id."""
    sig_delete_requested = Signal()
    """The user pressed "Delete draft"; the tab confirms and deletes."""

    def __init__(self, ctx: AppContext, confirm: Confirm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._confirm = ctx, confirm
        self._session = ctx.session
        self._note: SessionNote | None = None
        self._persisted = False
        self._loading = False
        self._retries = QuietRetries()
        self._templates: list[NoteTemplate] = []
        self._plan: TreatmentPlan | None = None
        self._homework: list[Homework] = []
        self._format_key = ""
        self.autosaver = Autosaver(ctx.prefs.autosave_seconds, self._save, self)
        # Asked before the confirmation: False when nobody's name could go on the signature.
        self.signer_ready: Callable[[], bool] = lambda: True

        self.format_combo = named(QComboBox(), "Note format")
        self.date_edit = date_edit("Session date")
        self.type_combo = named(QComboBox(), "Session type")
        for kind in SessionType:
            self.type_combo.addItem(kind.value, kind.value)
        self.start_edit = TimeField("Start time")
        self.end_edit = TimeField("End time")
        self.details = SessionDetails(ctx.vault.profile().locale, self)
        self.status_label = named(QLabel(), "Note status")
        self.status_label.setWordWrap(True)
        self.save_button = named(QPushButton("&Save draft"), "Save draft", "Save the draft now (Ctrl+S)")
        self.sign_button = named(QPushButton("Si&gn…"), "Sign note", "Sign and lock this note (Ctrl+Shift+S)")
        self.delete_button = named(QPushButton("De&lete draft…"), "Delete draft",
                                   "Delete this unsigned draft (a signed note can never be deleted)")
        # Clicking these saves anyway: the focus leaving the text for them does not save twice.
        self._own_savers = (self.save_button, self.sign_button, self.delete_button)
        self.sections = SectionsBox(self)
        self.links = NoteLinks()
        self.maintenance = MaintenancePanel()

        header = QFormLayout()
        row = FlowLayout()  # wraps on a narrow screen rather than hiding Save and Sign off to the right
        for label, widget in (("Date", self.date_edit), ("Type", self.type_combo),
                              ("Start", self.start_edit), ("End", self.end_edit),
                              ("Length", self.details.length_label), ("Where", self.details.delivery_combo),
                              ("CPT", self.details.cpt_combo)):
            row.addWidget(captioned(label, widget))
        header.addRow("&Format", self.format_combo)
        header.addRow(row)
        actions = QHBoxLayout()
        actions.addWidget(bold(self.status_label), 1)
        actions.addWidget(self.delete_button)
        actions.addWidget(self.save_button)
        actions.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(actions)
        layout.addWidget(self.sections)
        layout.addWidget(self.maintenance)
        layout.addWidget(self.links)

        self.format_combo.activated.connect(self._on_format_chosen)
        self.date_edit.dateChanged.connect(self._on_edited)
        self.type_combo.currentIndexChanged.connect(self._on_edited)
        self.start_edit.timeChanged.connect(self._on_edited)
        self.end_edit.timeChanged.connect(self._on_edited)
        for time_edit in (self.start_edit, self.end_edit):
            time_edit.timeChanged.connect(lambda *_: self.details.show_length(self.start_edit.value(),
                                                                         self.end_edit.value()))
        self.details.sig_changed.connect(self._on_edited)
        self.links.sig_changed.connect(self._on_edited)
        self.links.sig_changed.connect(self._update_insert_buttons)
        self.links.sig_assign_requested.connect(self.assign_homework)
        self.maintenance.sig_changed.connect(self._on_edited)
        self.sections.sig_edited.connect(self._on_edited)
        self.sections.sig_insert_requested.connect(self.insert_from_plan)
        self.save_button.clicked.connect(self.save_now)
        self.sign_button.clicked.connect(self.sign)
        self.delete_button.clicked.connect(self.sig_delete_requested)
        for edit in [*self.links.text_edits(), *self.maintenance.text_edits()]:
            edit.installEventFilter(self)
        self.set_templates([])
        self.show_note(None)

    # -- state -------------------------------------------------------------------------------------

    @property
    def note_id(self) -> str | None:
        return self._note.id if self._note else None

    @property
    def read_only(self) -> bool:
        return self._note is None or self._note.is_signed

    @property
    def persisted(self) -> bool:
        return self._persisted

    @property
    def section_edits(self) -> dict[str, QPlainTextEdit]:
        return self.sections.edits

    def set_templates(self, templates: Sequence[NoteTemplate]) -> None:
        self._templates = list(templates)
        self._fill_formats()

    def _fill_formats(self) -> None:
        self.format_combo.blockSignals(True)
        self.format_combo.clear()
        for fmt in BUILT_IN:
            self.format_combo.addItem(fmt.label, f"format:{fmt.value}")
        for template in self._templates:
            self.format_combo.addItem(f"{template.name} (my template)", f"template:{template.name}")
        note = self._note
        if note is not None and note.format == NoteFormat.CUSTOM:
            key = f"template:{note.template_name}"
            if self.format_combo.findData(key) < 0:
                self.format_combo.addItem(f"{note.template_name} (template removed)", key)
        self._format_key = key_of(note) if note else ""
        self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(self._format_key)))
        self.format_combo.blockSignals(False)

    def set_choices(self, plan: TreatmentPlan | None, homework: Sequence[Homework]) -> None:
        """The active plan's objectives and the client's homework, keeping what is ticked."""
        self._plan, self._homework = plan, list(homework)
        self._loading = True
        self.links.set_choices(plan, homework, self.current_note())
        self._loading = False
        self.links.set_read_only(self.read_only)
        self._update_insert_buttons()

    def show_note(
        self, note: SessionNote | None, persisted: bool = True, verified: bool = False, addenda: int = 0
    ) -> None:
        """Show a note (None: nothing open). Signed notes are read-only, with their signature status."""
        self.autosaver.reset()
        self._retries.reset()
        self._note, self._persisted, self._loading = note, persisted and note is not None, True
        self._fill_formats()
        if note is not None:
            self.date_edit.setDate(qdate(note.session_date))
            self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(note.session_type.value)))
            self.start_edit.set_value(note.start_time)
            self.end_edit.set_value(note.end_time)
            self.details.load(note)
            self.sections.build(note.sections)
            self.links.load(note)
            self.maintenance.load(note.maintenance_plan)
        else:
            self.sections.build(())
        self.links.set_choices(self._plan, self._homework, note)
        self.maintenance.setVisible(note is not None and note.format == NoteFormat.DISCHARGE)
        self._loading = False
        self._apply_read_only()
        if note is None:
            self.status_label.setText("No note open: choose one from the list, or start a new note.")
        elif note.is_signed:
            more = f" — {addenda} addend{'um' if addenda == 1 else 'a'} below" if addenda else ""
            self.status_label.setText(signature_status(note, verified) + more)
        elif not self._persisted:
            self.status_label.setText("New draft — saved as soon as you start typing")
        else:
            saved = note.updated_at.astimezone().strftime("%H:%M:%S")
            self.status_label.setText(f"Draft — saved {saved}")

    def _apply_read_only(self) -> None:
        read_only = self.read_only
        for edit in self.section_edits.values():
            edit.setReadOnly(read_only)
        for widget in (self.format_combo, self.type_combo):
            widget.setEnabled(not read_only)
        for spin in (self.date_edit, self.start_edit, self.end_edit):
            spin.setReadOnly(read_only)
            # A signed note's date and times look like text, not like controls waiting for a click.
            spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons if read_only
                                    else QAbstractSpinBox.ButtonSymbols.UpDownArrows)
            spin.setFrame(not read_only)
            # A spin box keeps its first size hint until told its style changed: without arrows and
            # frame it would stay too narrow for its text once they are back.
            QApplication.sendEvent(spin, QEvent(QEvent.Type.StyleChange))
        self.date_edit.setCalendarPopup(not read_only)
        self.links.set_read_only(read_only)
        self.details.set_read_only(read_only)
        self.maintenance.set_read_only(read_only)
        self.save_button.setEnabled(not read_only)
        self.sign_button.setEnabled(not read_only)
        self.delete_button.setVisible(not read_only)  # a signed note can never be deleted
        self._update_insert_buttons()

    def _update_insert_buttons(self) -> None:
        self.sections.update_buttons(self._plan, self.links.objectives.checked_ids(), self.read_only)

    def section_edit(self, key: str) -> QPlainTextEdit:
        return self.section_edits[key]

    def current_note(self) -> SessionNote | None:
        """The note as the widgets show it now."""
        if self._note is None:
            return None
        if self._note.is_signed:
            return self._note
        sections = self.sections.texts()
        fmt, template_name = parse_key(self._format_key)
        return replace(
            self._note,
            session_date=pydate(self.date_edit.date()),
            session_type=SessionType(self.type_combo.currentData()),
            start_time=self.start_edit.value(),
            end_time=self.end_edit.value(),
            format=fmt,
            template_name=template_name,
            sections=sections,
            maintenance_plan=self.maintenance.value() if fmt == NoteFormat.DISCHARGE else None,
            **self.links.values(),
            **self.details.values(),  # type: ignore[arg-type]
        )

    def start_new(self, client_id: str, fmt_key: str) -> None:
        """An unsaved draft in the chosen format (nothing reaches the vault until something is typed)."""
        fmt, template_name = parse_key(fmt_key)
        note = SessionNote(client_id=client_id, session_date=today(), format=fmt,
                           sections=self._layout(fmt_key), template_name=template_name)
        self.show_note(note, persisted=False)

    def _layout(self, key: str) -> tuple[Section, ...]:
        return layout_for(key, self._templates, self.sections.titles)

    # -- editing and saving ------------------------------------------------------------------------

    def _on_format_chosen(self, row: int) -> None:
        key = self.format_combo.itemData(row)
        current = self.current_note()
        if current is None or key == self._format_key:
            return
        layout = self._layout(key)
        kept = {s.key for s in layout}
        dropped = [s.title for s in current.sections if s.text.strip() and s.key not in kept]
        question = f"Changing the format removes the text in: {', '.join(dropped)}. Change it anyway?"
        if dropped and not self._confirm(self, "Change format", question):
            self.format_combo.setCurrentIndex(self.format_combo.findData(self._format_key))
            return
        texts = {s.key: s.text for s in current.sections}
        self._format_key = key
        self._loading = True
        self.sections.build(tuple(replace(s, text=texts.get(s.key, "")) for s in layout))
        self.maintenance.setVisible(key == f"format:{NoteFormat.DISCHARGE.value}")
        self._loading = False
        self._update_insert_buttons()
        self._on_edited()

    def _on_edited(self, *_args: object) -> None:
        if self._loading or self.read_only:
            return
        self.autosaver.poke()
        self.status_label.setText("Draft — unsaved changes (saving shortly)")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Focus leaving the text saves it, unless it went to a button that saves anyway: a failing
        # save (a full disk) would otherwise be reported twice for one click on "Save draft".
        if event.type() == QEvent.Type.FocusOut and not self.read_only \
                and QApplication.focusWidget() not in self._own_savers:
            self.autosaver.flush()
        return super().eventFilter(watched, event)

    # -- from the plan and into homework ----------------------------------------------------------

    def insert_from_plan(self, key: str) -> None:
        if not self.read_only:
            self.sections.insert_from_plan(key, self._plan, self.links.objectives.checked_ids())

    def assign_homework(self) -> None:
        """Assign homework in this note: stored with the chosen goal and ticked here. The link to the note
        is made by the draft's save (notes.create_note/save_draft), never before: a draft whose first
        save fails must leave no homework pointing at a note that does not exist."""
        note = self.current_note()
        if note is None or self.read_only:
            return
        ticked = set(note.objectives_addressed)
        goals = self._plan.goals() if self._plan else None
        goal_id = next((g.id for g in goals or () if any(o.id in ticked for o in g.objectives)), None)
        dialog = AssignHomeworkDialog(self, goals, goal_id)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        homework = dialog.form.homework(note.client_id)  # not linked yet: the draft's save links it
        added = self._session.write(care.add_homework, homework, change=Kind.HOMEWORK,
                                    client_id=note.client_id)
        if added is None:
            return
        if all(h.id != added.id for h in self._homework):  # the tab may have re-read them already
            self._homework.append(added)
        self.set_choices(self._plan, self._homework)
        self.links.homework_assigned.set_checked(added.id)  # an edit: the draft saves and links it
        self.autosaver.flush()

    def flush(self) -> bool:
        return self.autosaver.flush()

    def save_now(self) -> bool:
        """Explicit save (button, Ctrl+S): errors are shown again even if autosave already failed."""
        if self.read_only:
            return False
        self._retries.reset()
        if self._persisted:
            self.autosaver.dirty = True
        return self.autosaver.flush()

    def _save(self) -> bool:
        note = self.current_note()
        if note is None or note.is_signed:
            return True
        if not self._persisted and not has_content(note):
            return True
        store = notes.save_draft if self._persisted else notes.create_note
        saved = self._session.write(store, note, change=Kind.NOTE, client_id=note.client_id,
                                    quiet=self._retries)
        if saved is None:
            self.status_label.setText("Draft NOT saved — your text is still here; save again")
            return False
        self._note, self._persisted = saved, True
        self.status_label.setText(f"Draft — saved {saved.updated_at.astimezone().strftime('%H:%M:%S')}")
        return True

    def sign(self) -> bool:
        """Save, confirm, sign; the tab then reopens the note read-only with its signature status."""
        if self._note is None or self._note.is_signed or not self.flush():
            return False
        if not self._persisted:
            self._ctx.errors.present(InvalidInput("An empty note cannot be signed."))
            return False
        if not self.signer_ready():
            return False
        question = (
            "Sign this note? A signed note is locked: it can never be edited or deleted, "
            "only added to with an addendum."
        )
        if not self._note.has_times:  # the saved draft: flush() above wrote what is on screen
            question = (f"{NO_TIMES} {question}")
        if not self._confirm(self, "Sign note", question):
            return False
        signed = self._session.write(notes.sign_note, self._note.id, change=Kind.NOTE,
                                     client_id=self._note.client_id)
        if signed is None:
            return False
        self._note = signed
        self.sig_signed.emit(signed.id)
        return True
