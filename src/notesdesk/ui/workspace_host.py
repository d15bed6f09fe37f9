"""The right-hand side of the main window: one client's workspace at a time, or an empty state.

The workspace itself (notes, plan, homework...) lives in notesdesk.ui.workspace and is imported
lazily, so the shell works (with a placeholder) before or without it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from notesdesk.ui.context import AppContext

log = logging.getLogger("notesdesk")

WorkspaceFactory = Callable[[AppContext, str, QWidget | None], QWidget]


def default_workspace_factory() -> WorkspaceFactory | None:
    try:
        from notesdesk.ui.workspace import ClientWorkspace  # inline: optional, built separately
    except ImportError as exc:
        log.warning("client workspace unavailable: %s", type(exc).__name__)
        return None
    return ClientWorkspace  # type: ignore[no-any-return]


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
        self._factory = factory if factory is not None else default_workspace_factory()
        self.empty = _centred("Choose a client on the left, or add one with Ctrl+Shift+N.")
        self.addWidget(self.empty)
        self.workspace: QWidget | None = None
        self.client_id: str | None = None

    def save_all_drafts(self) -> bool:
        """Ask the open workspace to save every draft. False when any save failed (the workspace has
        already shown why and kept the text); other errors propagate (the caller decides)."""
        save = getattr(self.workspace, "save_all_drafts", None)
        return save() is not False if callable(save) else True

    def show_client(self, client_id: str | None) -> bool:
        """Switch to this client (saving the previous one's drafts first). False if saving failed."""
        if client_id == self.client_id and self.workspace is not None:
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
        self.workspace = self._make(client_id)
        self.addWidget(self.workspace)
        self.setCurrentWidget(self.workspace)
        return True

    def _make(self, client_id: str) -> QWidget:
        if self._factory is None:
            return _centred("The client workspace is not part of this build yet.")
        try:
            return self._factory(self._ctx, client_id, self)
        except Exception as exc:
            self._ctx.errors.present(exc)
            return _centred("This client's workspace could not be opened.")

    def _drop(self) -> None:
        if self.workspace is not None:
            self.removeWidget(self.workspace)
            self.workspace.deleteLater()
            self.workspace = None

    def reload(self) -> None:
        """Rebuild the current workspace (after the client's details changed elsewhere)."""
        client_id, self.client_id = self.client_id, None
        self.show_client(client_id)

    def open_note(self, note_id: str) -> None:
        opener = getattr(self.workspace, "open_note", None)
        if callable(opener):
            opener(note_id)

    def open_plan(self, plan_id: str) -> None:
        opener = getattr(self.workspace, "open_plan", None)
        if callable(opener):
            opener(plan_id)
