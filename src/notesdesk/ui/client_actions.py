"""The main window's client actions (new, edit, hold, reactivate, discharge): each a dialog or a
confirmation, then one write through the session, then the list and the workspace follow. A part of
MainWindow (main_window.py), which provides the attributes declared here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from PySide6.QtWidgets import QWidget

from notesdesk.core.domain.clients import Client, ClientStatus
from notesdesk.core.services import clients as client_service
from notesdesk.ui.client_action_state import read_only_reason
from notesdesk.ui.client_panel import ClientPanel
from notesdesk.ui.context import AppContext
from notesdesk.ui.dialogs.client_dialog import ClientDialog
from notesdesk.ui.dialogs.discharge_dialog import DischargeDialog
from notesdesk.ui.session import Kind


def _window(mixin: object) -> QWidget:
    return cast(QWidget, mixin)  # the main window: its dialogs' parent


class ClientActionsMixin:
    ctx: AppContext
    panel: ClientPanel
    host: Any  # ui/workspace_host.py WorkspaceHost
    client_list: Any  # ui/keepers/client_list.py ClientListKeeper
    client_dialog: ClientDialog | None
    discharge_dialog: DischargeDialog | None
    confirm: Callable[[str, str], bool]

    def _client_label(self, client: Client) -> str:
        return client.initials if self.ctx.prefs.privacy_mode else client.display_name

    def add_client(self) -> None:
        session = self.ctx.session
        dialog = ClientDialog(
            lambda c: session.perform(client_service.add_client, c, change=Kind.CLIENT, client_id=c.id),
            None, _window(self), self._same_name,
        )
        dialog.accepted.connect(lambda: self._after_client_added(dialog.saved))
        self.client_dialog = dialog
        dialog.open()

    def _after_client_added(self, client: Client | None) -> None:
        """A new client: selected, and their Notes tab opens with a draft ready (stored once typed)."""
        self._after_client_saved(client)
        if client is not None and self.host.client_id == client.id:
            self.host.start_note()

    def edit_client(self) -> None:
        client = self.panel.current_client()
        if client is None:
            return
        session = self.ctx.session
        dialog = ClientDialog(
            lambda c: session.perform(client_service.update_client, c, change=Kind.CLIENT, client_id=c.id),
            client, _window(self), self._same_name, self.ctx.vault.read_only,
            read_only_reason(self.host.workspace, client.id),  # supervised-only: shown, Save off
        )
        dialog.accepted.connect(lambda: self._after_client_saved(dialog.saved))
        self.client_dialog = dialog
        dialog.open()

    def _same_name(self, name: str, except_id: str | None) -> list[Client]:
        return client_service.named_alike(self.panel.model.clients(), name, except_id)

    def _after_client_saved(self, client: Client | None) -> None:
        if client is None:
            return
        self.client_list.refresh()  # now, to select it; search heard of it from the session
        self.panel.select_client(client.id)

    def _set_status(self, status: ClientStatus) -> None:
        client = self.panel.current_client()
        if client is None:
            return
        self._after_client_saved(self.ctx.session.write(
            client_service.set_status, client.id, status, change=Kind.CLIENT, client_id=client.id
        ))

    def put_on_hold(self) -> None:
        self._set_status(ClientStatus.ON_HOLD)

    def reactivate(self) -> None:
        client = self.panel.current_client()
        if client is None:
            return
        text = f"Reopen care for {self._client_label(client)}? A new episode of care starts today."
        if client.status != ClientStatus.DISCHARGED or self.confirm("Reopen care", text):
            self._set_status(ClientStatus.ACTIVE)

    def discharge(self) -> None:
        client = self.panel.current_client()
        if client is None or client.status == ClientStatus.DISCHARGED:
            return
        session = self.ctx.session
        facts = session.read(client_service.discharge_facts, client.id)
        if facts is None:
            return
        dialog = DischargeDialog(
            self._client_label(client), facts,
            lambda on, why: session.perform(client_service.discharge, client.id, on, why,
                                            change=Kind.CLIENT, client_id=client.id),
            _window(self),
        )
        dialog.accepted.connect(lambda: self._after_discharge(dialog))
        self.discharge_dialog = dialog
        dialog.open()

    def _after_discharge(self, dialog: DischargeDialog) -> None:
        saved = dialog.saved
        self._after_client_saved(saved)
        workspace = self.host.workspace
        if saved is not None and dialog.write_note.isChecked() and workspace is not None \
                and workspace.client_id == saved.id:
            workspace.start_discharge_note()

    def open_billing(self) -> None:
        """The chosen client's payments and receipts."""
        client = self.panel.current_client()
        if client is None:
            return
        from notesdesk.ui.dialogs.billing_dialog import BillingDialog  # inline: the start stays lean

        dialog = BillingDialog(self.ctx, client.id, _window(self),
                               read_only_reason=read_only_reason(self.host.workspace, client.id))
        self.billing_dialog = dialog
        dialog.open()
