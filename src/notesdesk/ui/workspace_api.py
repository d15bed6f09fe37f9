"""What the shell (main window, lock, reports, discharge) may ask of one client's open workspace.

The workspace (ui/workspace/workspace.py, ClientWorkspace) implements it; the shell reaches the
workspace only through it, never through attribute names, so the type checker sees the seam.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class Workspace(Protocol):
    client_id: str

    def save_all_drafts(self) -> bool:
        """Write everything typed to the vault. False when a save failed (the presenter said why and
        the text stays on screen)."""
        ...

    def unsaved_parts(self) -> list[str]:
        """The parts still holding typed text that is not in the vault: after a successful
        save_all_drafts there should be none (a second check before a lock or close)."""
        ...

    def open_note(self, note_id: str) -> None:
        """Show this session note (a search hit)."""
        ...

    def open_plan(self, plan_id: str) -> None:
        """Show this treatment plan version (a search hit)."""
        ...

    def start_discharge_note(self) -> bool:
        """Start a new note in the discharge format; False when the note open before it could not be
        saved (then nothing changes on screen)."""
        ...

    def start_note(self) -> None:
        """Show Notes with a new draft in the default format (a client just added): nothing is
        stored until something is typed."""
        ...

    def open_part(self, part: str) -> None:
        """Show one part of the record: "homework" or "safety_plan" (a search hit)."""
        ...
