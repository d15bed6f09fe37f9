"""Which of the main window's client actions the chosen client allows: Put on hold, Reactivate or Reopen
care, Discharge… (and the client panel's buttons, which show the same actions). Off for a read-only
vault, and for a client this vault only supervises, whose every write but a co-signature the core
refuses (docs/design-notes.md §9, Supervision): a therapist is not offered what will be refused. Edit
client… and Payments and receipts… stay, to read; their dialogs keep Save and the write buttons off and
say why (`read_only_reason`)."""

from __future__ import annotations

from PySide6.QtGui import QAction

from notesdesk.core.domain.clients import Client, ClientStatus
from notesdesk.core.errors import SUPERVISED_ONLY
from notesdesk.ui.client_panel import ClientPanel
from notesdesk.ui.workspace import ClientWorkspace
from notesdesk.ui.workspace_api import Workspace


def supervised_only(workspace: Workspace | None, client_id: str | None) -> bool:
    """As the open workspace found it when it opened (ui/workspace/supervised.py asks the core): one
    answer for the workspace's controls and the window's actions, never a second copy of the rule."""
    return (client_id is not None and isinstance(workspace, ClientWorkspace)
            and workspace.client_id == client_id and workspace.supervised_only)


def read_only_reason(workspace: Workspace | None, client_id: str | None) -> str:
    """The line a client dialog shows for a client whose details cannot be changed here ("" if they can)."""
    return SUPERVISED_ONLY if supervised_only(workspace, client_id) else ""


def follow_client(actions: dict[str, QAction], panel: ClientPanel, vault_read_only: bool,
                  workspace: Workspace | None) -> None:
    """Enable the client actions for the client chosen on the list (`actions`: MainWindow's by name)."""
    client: Client | None = panel.current_client()
    status = client.status if client else None
    writable = not vault_read_only and not supervised_only(workspace, client.id if client else None)
    actions["new"].setEnabled(not vault_read_only)
    actions["edit"].setEnabled(client is not None)  # read-only: shows the details, Save off
    actions["billing"].setEnabled(client is not None)
    actions["hold"].setEnabled(writable and status == ClientStatus.ACTIVE)
    actions["reactivate"].setEnabled(writable and status in (ClientStatus.ON_HOLD, ClientStatus.DISCHARGED))
    actions["discharge"].setEnabled(writable and status in (ClientStatus.ACTIVE, ClientStatus.ON_HOLD))
    # A discharged client's Discharge button becomes Reopen care.
    reopen = status == ClientStatus.DISCHARGED
    actions["reactivate"].setText("Re&open care" if reopen else "&Reactivate")
    actions["reactivate"].setToolTip(f"{'Reopen care' if reopen else 'Reactivate'} (Ctrl+Shift+R)")
    panel.swap_action(actions["discharge"], actions["reactivate"], reopen)
