"""One client's workspace: overview and tabs for notes, psychotherapy notes, plan, homework,
milestones and phase, and the safety plan. Layout and shortcuts only: each tab does its own work and
follows the changes it shows through the session's one signal (ui/session.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from notesdesk.core.domain.notes import NoteFormat
from notesdesk.ui.context import AppContext
from notesdesk.ui.workspace.fitting import ShrinkingTabBar
from notesdesk.ui.workspace.homework.tab import HomeworkTab
from notesdesk.ui.workspace.measures.tab import MeasuresTab
from notesdesk.ui.workspace.milestones.tab import MilestonesTab
from notesdesk.ui.workspace.notes.tab import NotesTab
from notesdesk.ui.workspace.overview.tab import OverviewTab
from notesdesk.ui.workspace.plan.tab import PlanTab
from notesdesk.ui.workspace.private.tab import PrivateNotesTab
from notesdesk.ui.workspace.safety.tab import SafetyPlanTab
from notesdesk.ui.workspace.supervised import make_read_only
from notesdesk.ui.workspace.widgets import Confirm, ask_confirm, named

SHORTCUTS = {
    "new_note": "Ctrl+N",
    "save": "Ctrl+S",
    "sign": "Ctrl+Shift+S",
}


class ClientWorkspace(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        client_id: str,
        parent: QWidget | None = None,
        confirm: Confirm | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.client_id = client_id
        # Replaceable (tests answer for the user); tabs always go through `self.confirm`.
        self.confirm: Confirm = confirm or ask_confirm

        def ask(parent: QWidget, title: str, question: str) -> bool:
            return self.confirm(parent, title, question)

        self.overview_tab = OverviewTab(ctx, client_id)
        self.notes_tab = NotesTab(ctx, client_id, ask)
        self.private_tab = PrivateNotesTab(ctx, client_id)
        self.plan_tab = PlanTab(ctx, client_id, ask)
        self.measures_tab = MeasuresTab(ctx, client_id, ask)
        self.homework_tab = HomeworkTab(ctx, client_id)
        self.milestones_tab = MilestonesTab(ctx, client_id)
        self.safety_tab = SafetyPlanTab(ctx, client_id)
        self.tabs = named(QTabWidget(), "Client workspace sections")
        # Short labels; on a narrow screen those of several words are elided (the full name is in each
        # tab's tooltip), and only when even that is not enough do scroll arrows appear.
        self.tabs.setTabBar(ShrinkingTabBar())
        self.tabs.setDocumentMode(True)
        for tab, title, name in (
            (self.overview_tab, "Overview", "Overview"),
            (self.notes_tab, "Notes", "Notes"),
            (self.private_tab, "Psychotherapy notes", "Psychotherapy notes"),
            (self.plan_tab, "Treatment plan", "Treatment plan"),
            (self.measures_tab, "Measures", "Measures"),
            (self.homework_tab, "Homework", "Homework"),
            (self.milestones_tab, "Milestones", "Milestones and phase of care"),
            (self.safety_tab, "Safety plan", "Safety plan"),
        ):
            tab.setAccessibleName(name)
            self.tabs.setTabToolTip(self.tabs.addTab(tab, title), name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.measures_tab.sig_new_note_requested.connect(self.new_note)
        self.measures_tab.sig_safety_plan_requested.connect(
            lambda: self.tabs.setCurrentWidget(self.safety_tab)
        )
        self.overview_tab.sig_safety_plan_requested.connect(
            lambda: self.tabs.setCurrentWidget(self.safety_tab)
        )
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.shortcuts: dict[str, QShortcut] = {}
        for key, handler in (("new_note", self.new_note), ("save", self.save_current),
                             ("sign", self.sign_current)):
            shortcut = QShortcut(QKeySequence(SHORTCUTS[key]), self)
            # A new note is asked for from anywhere in the window (the client just picked in the
            # list); saving and signing act on what has the focus, inside the workspace.
            wide = key == "new_note"
            context = Qt.ShortcutContext
            shortcut.setContext(context.WindowShortcut if wide else context.WidgetWithChildrenShortcut)
            shortcut.activated.connect(handler)
            self.shortcuts[key] = shortcut
        # A client this vault only supervises: one line says so above the tabs, writing stays off.
        self.supervised_notice = make_read_only(ctx, client_id, self, self.shortcuts)
        if self.supervised_notice is not None:
            layout.insertWidget(0, self.supervised_notice)

    @property
    def supervised_only(self) -> bool:
        """This vault only supervises the client (supervised.py asked the core as the workspace opened):
        the main window's client actions follow it (ui/client_action_state.py)."""
        return self.supervised_notice is not None

    # -- the public contract (ui/workspace_api.py: Workspace) -----------------------------------------

    def open_note(self, note_id: str) -> None:
        """Switch to the Notes tab and open the note (after saving whatever was being typed)."""
        self.tabs.setCurrentWidget(self.notes_tab)
        self.notes_tab.open_note(note_id)

    def open_plan(self, plan_id: str) -> None:
        """Switch to the treatment plan; an older version (a search hit) opens in the comparison."""
        self.tabs.setCurrentWidget(self.plan_tab)
        self.plan_tab.show_version(plan_id)

    def save_all_drafts(self) -> bool:
        """Write everything typed to the vault (before lock, close or switch): note and psychotherapy
        note drafts, the plan draft, the safety plan, the homework and milestone forms, and a
        questionnaire in progress. True when all of it was saved or there was nothing to save; False
        when a save failed (the presenter said why, and the text stays on screen). Every part is tried."""
        parts = (self.notes_tab, self.private_tab, self.plan_tab, self.safety_tab, self.homework_tab,
                 self.milestones_tab, self.measures_tab)
        results = [part.flush() for part in parts]
        return all(results)

    def unsaved_parts(self) -> list[str]:
        """The parts holding typed text not yet in the vault (none, after save_all_drafts worked)."""
        holding = {
            "Session note": self.notes_tab.editor.autosaver.dirty,
            "Addendum": self.notes_tab.unsent.dirty,
            "Psychotherapy note": self.private_tab.autosaver.dirty,
            "Treatment plan": self.plan_tab.dirty,
            "Plan review": self.plan_tab.reviews.unsent.dirty,
            "Safety plan": self.safety_tab.dirty,
        }
        return [part for part, unsaved in holding.items() if unsaved]

    def start_discharge_note(self) -> bool:
        """Switch to Notes and start a note in the discharge format (after saving the open one)."""
        if self.supervised_notice is not None:
            return False
        self.tabs.setCurrentWidget(self.notes_tab)
        return self.notes_tab.new_note(f"format:{NoteFormat.DISCHARGE.value}")

    # -- shortcuts ----------------------------------------------------------------------------------

    def new_note(self) -> None:
        if self.supervised_notice is not None:  # their clinician writes the notes (supervised.py)
            return
        self.tabs.setCurrentWidget(self.notes_tab)
        self.notes_tab.new_note()

    def start_note(self) -> None:
        self.new_note()

    def open_part(self, part: str) -> None:
        tab = {"homework": self.homework_tab, "safety_plan": self.safety_tab}.get(part)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)

    def save_current(self) -> None:
        tab = self.tabs.currentWidget()
        if tab is self.notes_tab:
            self.notes_tab.save()
        elif tab is self.private_tab:
            self.private_tab.save()
        elif tab is self.plan_tab:
            self.plan_tab.save()
        elif tab is self.safety_tab and self.safety_tab.dirty:
            self.safety_tab.save()

    def sign_current(self) -> None:
        if self.tabs.currentWidget() is self.notes_tab:
            self.notes_tab.sign()

    # -- keeping tabs in step -------------------------------------------------------------------------

    def _on_tab_changed(self, _index: int) -> None:
        self.notes_tab.flush()
        self.private_tab.flush()
        if self.tabs.currentWidget() is self.overview_tab:
            self.overview_tab.refresh()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        # Leaving the workspace (another client, the client list): keep everything typed. A
        # spontaneous hide (the window minimised) saves note drafts only: a safety-plan save
        # would make a new version each time.
        if event.spontaneous():
            self.notes_tab.flush()
            self.private_tab.flush()
        else:
            self.save_all_drafts()
        super().hideEvent(event)
