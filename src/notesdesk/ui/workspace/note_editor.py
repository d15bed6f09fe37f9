"""One session note: header, sections, plan links; drafts autosave, signing makes it read-only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
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
    FORMAT_SECTIONS,
    NoteFormat,
    NoteTemplate,
    Section,
    SessionNote,
    SessionType,
)
from notesdesk.core.domain.plans import TreatmentPlan
from notesdesk.core.errors import InvalidInput
from notesdesk.core.services import notes
from notesdesk.ui.context import AppContext
from notesdesk.ui.workspace.note_links import MaintenancePanel, NoteLinks
from notesdesk.ui.workspace.widgets import (
    Autosaver,
    Confirm,
    GrowingTextEdit,
    TimeField,
    attempt,
    bold,
    date_edit,
    named,
    pydate,
    qdate,
)

BUILT_IN = [f for f in NoteFormat if f != NoteFormat.CUSTOM]


def signature_status(note: SessionNote, verified: bool) -> str:
    sig = note.signature
    if sig is None:
        return "Draft"
    if not verified:
        return "Signature does NOT verify ✗ — this note was changed after signing"
    when = sig.signed_at.astimezone().strftime("%Y-%m-%d %H:%M")
    creds = f" ({sig.credentials})" if sig.credentials else ""
    return f"Signed ✓ {when} by {sig.signer}{creds}"


def has_content(note: SessionNote) -> bool:
    return any(s.text.strip() for s in note.sections) or bool(note.risk_noted or note.interventions)


class NoteEditor(QWidget):
    saved = Signal(str)
    """Emitted after the draft was written to the vault; arg is the note id."""
    signed = Signal(str)
    """Emitted after the note was signed; arg is the note id."""

    def __init__(self, ctx: AppContext, confirm: Confirm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._confirm = ctx, confirm
        self._note: SessionNote | None = None
        self._persisted = False
        self._loading = False
        self._failing = False
        self._templates: list[NoteTemplate] = []
        self._plan: TreatmentPlan | None = None
        self._homework: list[Homework] = []
        self._format_key = ""
        self.section_edits: dict[str, QPlainTextEdit] = {}
        self.autosaver = Autosaver(ctx.prefs.autosave_seconds, self._save, self)

        self.format_combo = named(QComboBox(), "Note format")
        self.date_edit = date_edit("Session date")
        self.type_combo = named(QComboBox(), "Session type")
        for kind in SessionType:
            self.type_combo.addItem(kind.value, kind.value)
        self.start_edit = TimeField("Start time")
        self.end_edit = TimeField("End time")
        self.status_label = named(QLabel(), "Note status")
        self.status_label.setWordWrap(True)
        self.save_button = named(QPushButton("&Save draft"), "Save draft", "Save the draft now (Ctrl+S)")
        self.sign_button = named(QPushButton("Si&gn…"), "Sign note", "Sign and lock this note (Ctrl+Shift+S)")
        self.sections_box = QWidget()
        self.sections_layout = QVBoxLayout(self.sections_box)
        self.sections_layout.setContentsMargins(0, 0, 0, 0)
        self.links = NoteLinks()
        self.maintenance = MaintenancePanel()

        header = QFormLayout()
        row = QHBoxLayout()
        for label, widget in (("Date", self.date_edit), ("Type", self.type_combo),
                              ("Start", self.start_edit), ("End", self.end_edit)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            row.addWidget(caption)
            row.addWidget(widget)
        row.addStretch(1)
        header.addRow("&Format", self.format_combo)
        header.addRow(row)
        actions = QHBoxLayout()
        actions.addWidget(bold(self.status_label), 1)
        actions.addWidget(self.save_button)
        actions.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(actions)
        layout.addWidget(self.sections_box)
        layout.addWidget(self.maintenance)
        layout.addWidget(self.links)

        self.format_combo.activated.connect(self._on_format_chosen)
        self.date_edit.dateChanged.connect(self._on_edited)
        self.type_combo.currentIndexChanged.connect(self._on_edited)
        self.start_edit.timeChanged.connect(self._on_edited)
        self.end_edit.timeChanged.connect(self._on_edited)
        self.links.changed.connect(self._on_edited)
        self.maintenance.changed.connect(self._on_edited)
        self.save_button.clicked.connect(self.save_now)
        self.sign_button.clicked.connect(self.sign)
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

    def set_templates(self, templates: Sequence[NoteTemplate]) -> None:
        self._templates = list(templates)
        self._fill_formats()

    def _fill_formats(self) -> None:
        self.format_combo.blockSignals(True)
        self.format_combo.clear()
        for fmt in BUILT_IN:
            self.format_combo.addItem(fmt.value, f"format:{fmt.value}")
        for template in self._templates:
            self.format_combo.addItem(f"{template.name} (my template)", f"template:{template.name}")
        note = self._note
        if note is not None and note.format == NoteFormat.CUSTOM:
            key = f"template:{note.template_name}"
            if self.format_combo.findData(key) < 0:
                self.format_combo.addItem(f"{note.template_name} (template removed)", key)
        self._format_key = self._key_of(note) if note else ""
        self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(self._format_key)))
        self.format_combo.blockSignals(False)

    @staticmethod
    def _key_of(note: SessionNote) -> str:
        if note.format == NoteFormat.CUSTOM:
            return f"template:{note.template_name}"
        return f"format:{note.format.value}"

    def set_choices(self, plan: TreatmentPlan | None, homework: Sequence[Homework]) -> None:
        """The active plan's objectives and the client's homework, keeping what is ticked."""
        self._plan, self._homework = plan, list(homework)
        self._loading = True
        self.links.set_choices(plan, homework, self.current_note())
        self._loading = False
        self.links.set_read_only(self.read_only)

    def show_note(
        self, note: SessionNote | None, persisted: bool = True, verified: bool = False, addenda: int = 0
    ) -> None:
        """Show a note (None: nothing open). Signed notes are read-only, with their signature status."""
        self.autosaver.reset()
        self._failing = False
        self._note, self._persisted, self._loading = note, persisted and note is not None, True
        self._fill_formats()
        if note is not None:
            self.date_edit.setDate(qdate(note.session_date))
            self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(note.session_type.value)))
            self.start_edit.set_value(note.start_time)
            self.end_edit.set_value(note.end_time)
            self._build_sections(note.sections)
            self.links.load(note)
            self.maintenance.load(note.maintenance_plan)
        else:
            self._build_sections(())
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
        for widget in (self.date_edit, self.start_edit, self.end_edit):
            widget.setReadOnly(read_only)
        self.links.set_read_only(read_only)
        self.maintenance.set_read_only(read_only)
        self.save_button.setEnabled(not read_only)
        self.sign_button.setEnabled(not read_only)

    def _build_sections(self, sections: Sequence[Section]) -> None:
        while self.sections_layout.count():
            item = self.sections_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.section_edits = {}
        self._section_titles = [(s.key, s.title) for s in sections]
        for section in sections:
            label = bold(QLabel(section.title))
            edit = named(GrowingTextEdit(section.text), f"{section.title} section")
            label.setBuddy(edit)
            edit.textChanged.connect(self._on_edited)
            edit.installEventFilter(self)
            self.sections_layout.addWidget(label)
            self.sections_layout.addWidget(edit)
            self.section_edits[section.key] = edit

    def section_edit(self, key: str) -> QPlainTextEdit:
        return self.section_edits[key]

    def current_note(self) -> SessionNote | None:
        """The note as the widgets show it now."""
        if self._note is None:
            return None
        if self._note.is_signed:
            return self._note
        sections = tuple(
            Section(key, title, self.section_edits[key].toPlainText())
            for key, title in self._section_titles
        )
        fmt, template_name = self._parse_key(self._format_key)
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
            **self.links.values(),  # type: ignore[arg-type]
        )

    @staticmethod
    def _parse_key(key: str) -> tuple[NoteFormat, str]:
        kind, _, value = key.partition(":")
        if kind == "template":
            return NoteFormat.CUSTOM, value
        return NoteFormat(value), ""

    def start_new(self, client_id: str, fmt_key: str) -> None:
        """An unsaved draft in the chosen format (nothing reaches the vault until something is typed)."""
        fmt, template_name = self._parse_key(fmt_key)
        note = SessionNote(client_id=client_id, session_date=today(), format=fmt,
                           sections=self._layout(fmt_key), template_name=template_name)
        self.show_note(note, persisted=False)

    def _layout(self, key: str) -> tuple[Section, ...]:
        fmt, name = self._parse_key(key)
        if fmt == NoteFormat.CUSTOM:
            template = next((t for t in self._templates if t.name == name), None)
            pairs = template.sections if template else tuple(self._section_titles)
        else:
            pairs = FORMAT_SECTIONS[fmt]
        return tuple(Section(k, t) for k, t in pairs)

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
        self._build_sections(tuple(replace(s, text=texts.get(s.key, "")) for s in layout))
        self.maintenance.setVisible(key == f"format:{NoteFormat.DISCHARGE.value}")
        self._loading = False
        self._on_edited()

    def _on_edited(self, *_args: object) -> None:
        if self._loading or self.read_only:
            return
        self.autosaver.poke()
        self.status_label.setText("Draft — unsaved changes (saving shortly)")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.FocusOut and not self.read_only:
            self.autosaver.flush()
        return super().eventFilter(watched, event)

    def flush(self) -> bool:
        return self.autosaver.flush()

    def save_now(self) -> bool:
        """Explicit save (button, Ctrl+S): errors are shown again even if autosave already failed."""
        if self.read_only:
            return False
        self._failing = False
        if self._persisted:
            self.autosaver.dirty = True
        return self.autosaver.flush()

    def _save(self) -> bool:
        note = self.current_note()
        if note is None or note.is_signed:
            return True
        if not self._persisted and not has_content(note):
            return True
        try:
            if self._persisted:
                note = notes.save_draft(self._ctx.uow(), note)
            else:
                note = notes.create_note(self._ctx.uow(), note)
        except Exception as exc:  # shown once per run of failures; the text stays in the editor
            if not self._failing:
                self._ctx.errors.present(exc)
            self._failing = True
            self.status_label.setText("Draft NOT saved — your text is still here; save again")
            return False
        self._failing = False
        self._note, self._persisted = note, True
        self.status_label.setText(f"Draft — saved {note.updated_at.astimezone().strftime('%H:%M:%S')}")
        self._ctx.notify_changed("note", note.id)
        self.saved.emit(note.id)
        return True

    def sign(self) -> bool:
        """Save, confirm, sign; the tab then reopens the note read-only with its signature status."""
        if self._note is None or self._note.is_signed or not self.flush():
            return False
        if not self._persisted:
            self._ctx.errors.present(InvalidInput("An empty note cannot be signed."))
            return False
        question = (
            "Sign this note? A signed note is locked: it can never be edited or deleted, "
            "only added to with an addendum."
        )
        if not self._confirm(self, "Sign note", question):
            return False
        ok, signed = attempt(self._ctx, notes.sign_note, self._ctx.uow(), self._note.id)
        if not ok:
            return False
        self._note = signed
        self._ctx.notify_changed("note", signed.id)
        self.signed.emit(signed.id)
        return True
