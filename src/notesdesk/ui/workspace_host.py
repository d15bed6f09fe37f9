"""The right-hand side of the main window: one client's workspace at a time, or an empty state.

The shell asks the workspace only what ui/workspace_api.py (Workspace) offers.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from notesdesk.ui.context import AppContext
from notesdesk.ui.workspace import ClientWorkspace
from notesdesk.ui.workspace_api import Workspace

# Makes the workspace widget for a client; it must implement Workspace (tests give a stand-in).
WorkspaceFactory = Callable[[AppContext, str, QWidget | None], QWidget]


def client_workspace(ctx: AppContext, client_id: str, parent: QWidget | None) -> QWidget:
    workspace = ClientWorkspace(ctx, client_id, parent)
    _checked: Workspace = workspace  # the type checker holds ClientWorkspace to the shell's protocol
    return workspace


def _centred(text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


class WorkspaceHost(QStackedWidget):
    def __init__(
        self, ctx: AppContext, factory: WorkspaceFactory | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._factory = factory or client_workspace
        self.empty = _centred("Choose a client on the left, or add one with Ctrl+Shift+N.")
        self.addWidget(self.empty)
        self._page: QWidget | None = None  # the open workspace, or a message that it could not open
        self.workspace: Workspace | None = None
        self.client_id: str | None = None

    def save_all_drafts(self) -> bool:
        """Ask the open workspace to save every draft. False when any save failed (the workspace has
        already shown why and kept the text); other errors propagate (the caller decides)."""
        return self.workspace.save_all_drafts() if self.workspace is not None else True

    def show_client(self, client_id: str | None) -> bool:
        """Switch to this client (saving the previous one's drafts first). False if saving failed."""
        if client_id == self.client_id and self._page is not None:
            return True
        try:
            if not self.save_all_drafts():
                return False  # keep the workspace and its unsaved text on screen
        except Exception as exc:
            self._ctx.errors.present(exc)
            return False
        self._drop()
        self.client_id = client_id
        if client_id is None:
            self.setCurrentWidget(self.empty)
            return True
        self._page = self._make(client_id)
        self.addWidget(self._page)
        self.setCurrentWidget(self._page)
        return True

    def _make(self, client_id: str) -> QWidget:
        try:
            page = self._factory(self._ctx, client_id, self)
        except Exception as exc:
            self._ctx.errors.present(exc)
            return _centred("This client's workspace could not be opened.")
        if not isinstance(page, Workspace):  # a programming error: say so, never a silent fallback
            raise TypeError(f"{type(page).__name__} does not implement ui.workspace_api.Workspace")
        self.workspace = page
        return page

    def _drop(self) -> None:
        if self._page is not None:
            self.removeWidget(self._page)
            self._page.deleteLater()
            self._page = None
            self.workspace = None

    def reload(self) -> bool:
        """Rebuild the current workspace (after what it decided as it opened changed elsewhere), saving
        its drafts first. False when a save failed: the workspace and its unsaved text stay as they were
        (the presenter said why)."""
        client_id, self.client_id = self.client_id, None
        if self.show_client(client_id):
            return True
        self.client_id = client_id
        return False

    def open_part(self, part: str) -> None:
        if self.workspace is not None:
            self.workspace.open_part(part)

    def start_note(self) -> None:
        if self.workspace is not None:
            self.workspace.start_note()

    def open_note(self, note_id: str) -> None:
        if self.workspace is not None:
            self.workspace.open_note(note_id)

    def open_plan(self, plan_id: str) -> None:
        if self.workspace is not None:
            self.workspace.open_plan(plan_id)
