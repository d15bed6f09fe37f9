"""The client workspace: one client's record, tab by tab (notes, plan, homework, milestones...)."""

from notesdesk.ui.workspace.workspace import ClientWorkspace

__all__ = ["ClientWorkspace"]
